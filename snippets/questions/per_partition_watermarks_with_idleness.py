"""Per-partition watermarks, combined by minimum, with idleness."""

from streamlab.watermarks import MIN_WATERMARK, PartitionWatermarks


def show(ms: int) -> str:
    return "-inf" if ms == MIN_WATERMARK else str(ms)


# --8<-- [start:walk]
wms = PartitionWatermarks(["p0", "p1", "p2"], bound=100, idle_timeout=1_000)
steps = [  # (processing time, partition or None for a clock tick, event time)
    (400, "p0", 5_000),
    (500, "p1", 4_000),  # p2 has sent nothing yet: combined stays -inf
    (1_000, None, 0),  # p2 silent for exactly the timeout: not idle yet
    (1_001, None, 0),  # more than the timeout: p2 idle, min(p0, p1)
    (1_500, "p0", 6_000),  # p1 is the minimum now
    (1_501, None, 0),  # p1 idle too: p0 alone sets the watermark
    (5_000, None, 0),  # all idle: the watermark holds
    (5_100, "p2", 3_000),  # p2 wakes up behind: no step back
    (5_200, "p2", 9_000),
]
for now, part, ts in steps:
    wm = wms.advance(now) if part is None else wms.on_event(part, ts, now)
    what = "tick" if part is None else f"{part}@{ts}"
    print(f"{now:>5} {what:<8} wm={show(wm):<5} idle={','.join(wms.idle)}")
# >   400 p0@5000  wm=-inf  idle=
# >   500 p1@4000  wm=-inf  idle=
# >  1000 tick     wm=-inf  idle=
# >  1001 tick     wm=3899  idle=p2
# >  1500 p0@6000  wm=3899  idle=p2
# >  1501 tick     wm=5899  idle=p1,p2
# >  5000 tick     wm=5899  idle=p0,p1,p2
# >  5100 p2@3000  wm=5899  idle=p0,p1
# >  5200 p2@9000  wm=8899  idle=p0,p1
# --8<-- [end:walk]
