"""Watermarks: bounded out-of-orderness, per-partition minimum, idleness."""

from streamlab.watermarks import (
    MIN_WATERMARK,
    BoundedOutOfOrderness,
    PartitionWatermarks,
)


def clock(ms: int) -> str:
    """Milliseconds as mm:ss.fff; the initial watermark as -inf."""
    if ms == MIN_WATERMARK:
        return "-inf"
    return f"{ms // 60_000:02}:{ms % 60_000 / 1000:06.3f}"


# --8<-- [start:bounded]
SECOND = 1_000
gen = BoundedOutOfOrderness(bound=5 * SECOND)
for ts in [11_000, 14_000, 13_000, 22_000, 18_000, 17_000, 16_000, 30_000]:
    behind = ts <= gen.current  # arrives behind the watermark: late
    gen.on_event(ts)
    print(f"event {clock(ts)}  late={behind!s:<5}  wm={clock(gen.current)}")
# > event 00:11.000  late=False  wm=00:05.999
# > event 00:14.000  late=False  wm=00:08.999
# > event 00:13.000  late=False  wm=00:08.999
# > event 00:22.000  late=False  wm=00:16.999
# > event 00:18.000  late=False  wm=00:16.999
# > event 00:17.000  late=False  wm=00:16.999
# > event 00:16.000  late=True   wm=00:16.999
# > event 00:30.000  late=False  wm=00:24.999
# --8<-- [end:bounded]

# --8<-- [start:partitions]
# Two partitions; p1 stops sending at processing time 10 s.
wms = PartitionWatermarks(["p0", "p1"], bound=0, idle_timeout=30 * SECOND)
arrivals = [  # (processing time, partition, event time)
    (0, "p0", 1_000),
    (0, "p1", 2_000),
    (10_000, "p0", 11_000),
    (10_000, "p1", 12_000),
    (20_000, "p0", 21_000),
    (35_000, "p0", 36_000),
    (41_000, "p0", 42_000),
    (50_000, "p1", 30_000),  # p1 is back, with an old event
    (55_000, "p0", 56_000),
]
for now, part, ts in arrivals:
    late = " late" if ts <= wms.current else ""
    wm = wms.on_event(part, ts, now)
    idle = ",".join(wms.idle) or "-"
    print(f"{clock(now)} {part} {clock(ts)}{late:5} wm={clock(wm)} idle={idle}")
# > 00:00.000 p0 00:01.000      wm=-inf idle=-
# > 00:00.000 p1 00:02.000      wm=00:00.999 idle=-
# > 00:10.000 p0 00:11.000      wm=00:01.999 idle=-
# > 00:10.000 p1 00:12.000      wm=00:10.999 idle=-
# > 00:20.000 p0 00:21.000      wm=00:11.999 idle=-
# > 00:35.000 p0 00:36.000      wm=00:11.999 idle=-
# > 00:41.000 p0 00:42.000      wm=00:41.999 idle=p1
# > 00:50.000 p1 00:30.000 late wm=00:41.999 idle=-
# > 00:55.000 p0 00:56.000      wm=00:41.999 idle=-
# --8<-- [end:partitions]
