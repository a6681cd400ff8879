"""Late events: on-time result, late update, side output, purged state."""

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    WindowedAggregation,
    WindowResult,
    counting,
)

SECOND, MINUTE = 1_000, 60_000


def clock(ms: int) -> str:
    return f"{ms // MINUTE:02}:{ms % MINUTE // SECOND:02}"


def describe(out: WindowResult[str, int] | LateEvent[str, int]) -> str:
    if isinstance(out, LateEvent):
        return f"side output: event {clock(out.ts)}"
    kind = "update" if out.is_update else "result"
    w = out.window
    return f"{kind} [{clock(w.start)}, {clock(w.end)}) = {out.value}"


# --8<-- [start:run]
gen = BoundedOutOfOrderness(bound=10 * SECOND)
op: WindowedAggregation[str, int, int] = WindowedAggregation(
    TumblingWindows(MINUTE), counting(), allowed_lateness=MINUTE
)
arrivals = [15, 30, 55, 62, 50, 75, 40, 130, 20]  # event times, seconds
for ts in (s * SECOND for s in arrivals):
    outs = op.on_event("home", ts, ts)  # late updates, side output
    gen.on_event(ts)
    outs += op.on_watermark(gen.current)  # windows the watermark completes
    shown = "; ".join(map(describe, outs)) or "-"
    print(f"{clock(ts)} wm={clock(gen.current)} open={op.open_windows} {shown}")
# > 00:15 wm=00:04 open=1 -
# > 00:30 wm=00:19 open=1 -
# > 00:55 wm=00:44 open=1 -
# > 01:02 wm=00:51 open=2 -
# > 00:50 wm=00:51 open=2 -
# > 01:15 wm=01:04 open=2 result [00:00, 01:00) = 4
# > 00:40 wm=01:04 open=2 update [00:00, 01:00) = 5
# > 02:10 wm=01:59 open=2 result [01:00, 02:00) = 2
# > 00:20 wm=01:59 open=2 side output: event 00:20
# --8<-- [end:run]
