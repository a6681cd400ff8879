"""One silent partition holds back the watermark of the whole job."""

from streamlab.watermarks import MIN_WATERMARK, PartitionWatermarks
from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    WindowedAggregation,
    counting,
)

SECOND, MINUTE = 1_000, 60_000


def clock(ms: int) -> str:
    if ms == MIN_WATERMARK:
        return "-inf"
    return f"{ms // MINUTE:02}:{ms % MINUTE / SECOND:06.3f}"


# --8<-- [start:simulate]
def simulate(
    idle_timeout: int | None,
) -> tuple[PartitionWatermarks[str], WindowedAggregation[str, str, int]]:
    """Five minutes of live traffic on p0 and p1; p2 sends nothing."""
    wms = PartitionWatermarks(
        ["p0", "p1", "p2"], bound=5 * SECOND, idle_timeout=idle_timeout
    )
    op: WindowedAggregation[str, str, int] = WindowedAggregation(
        TumblingWindows(MINUTE), counting()
    )
    for now in range(0, 5 * MINUTE, SECOND):  # processing time
        for part in ("p0", "p1"):
            op.on_event("clicks", now, part)  # event time = now: live data
            op.on_watermark(wms.on_event(part, now, now))
    return wms, op


for timeout in [None, 30 * SECOND]:
    wms, op = simulate(timeout)
    label = "off" if timeout is None else f"{timeout // SECOND}s"
    print(
        f"idleness {label}: watermark {clock(wms.current)},"
        f" idle {wms.idle}, windows waiting {op.open_windows}"
    )
# > idleness off: watermark -inf, idle [], windows waiting 5
# > idleness 30s: watermark 04:53.999, idle ['p2'], windows waiting 1
# --8<-- [end:simulate]

# --8<-- [start:wake]
# With idleness, p2 is left out. When it wakes up with a backlog, its
# first events are behind the watermark: late for windows already fired.
now = 5 * MINUTE
old = 2 * MINUTE + 10 * SECOND  # an event produced at 02:10
outs = op.on_event("clicks", old, "p2")
wms.on_event("p2", old, now)
print("late:", all(isinstance(out, LateEvent) for out in outs))
# > late: True
print("combined", clock(wms.current), "p2", clock(wms.watermark_of("p2")))
# > combined 04:53.999 p2 02:04.999
# --8<-- [end:wake]

# --8<-- [start:align]
# Watermark alignment: after a restart p1 replays an hour of backlog while
# p0 is live. Partitions too far ahead of the combined watermark are paused.
wms = PartitionWatermarks(["p0", "p1"], bound=5 * SECOND)
wms.on_event("p0", 60 * MINUTE, now=0)
wms.on_event("p1", 2 * MINUTE, now=0)
print("watermark", clock(wms.current), "pause", wms.ahead(20 * SECOND))
# > watermark 01:54.999 pause ['p0']
# --8<-- [end:align]
