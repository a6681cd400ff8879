"""A watermark advancing, a window firing, an event arriving too late.

Then the bound trade-off: the same stream with four out-of-orderness bounds.
"""

import random

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
    return f"{ms // MINUTE:02}:{ms % MINUTE / SECOND:06.3f}"


# --8<-- [start:walk]
gen = BoundedOutOfOrderness(bound=10 * SECOND)  # wm = max seen - 10 s - 1 ms
op: WindowedAggregation[str, int, int] = WindowedAggregation(
    TumblingWindows(MINUTE),
    counting(),  # allowed lateness 0, as in Flink
)
highest = 0
for s in [12, 31, 48, 44, 66, 57, 75, 52]:  # event times, in arrival order
    ts = s * SECOND
    outs = op.on_event("page", ts, 1)  # a LateEvent if its window is gone
    gen.on_event(ts)
    outs += op.on_watermark(gen.current)  # fire what the watermark completes
    what = "out of order, counted" if ts < highest else "counted"
    highest = max(highest, ts)
    for out in outs:
        if isinstance(out, LateEvent):
            what = "late: dropped"
        else:
            what += f"; fires [00:00, 01:00) = {out.value}"
    print(f"event {clock(ts)}  wm={clock(gen.current)}  {what}")
# > event 00:12.000  wm=00:01.999  counted
# > event 00:31.000  wm=00:20.999  counted
# > event 00:48.000  wm=00:37.999  counted
# > event 00:44.000  wm=00:37.999  out of order, counted
# > event 01:06.000  wm=00:55.999  counted
# > event 00:57.000  wm=00:55.999  out of order, counted
# > event 01:15.000  wm=01:04.999  counted; fires [00:00, 01:00) = 5
# > event 00:52.000  wm=01:04.999  late: dropped
# --8<-- [end:walk]


# --8<-- [start:sweep]
rng = random.Random(7)
arrivals: list[tuple[int, int]] = []  # (arrival time, event time)
for ts in range(0, 10 * MINUTE, SECOND):  # one event per second, 10 minutes
    slow = rng.random() < 0.05  # 5% of events are delayed up to 40 s
    arrivals.append((ts + rng.randint(0, 40_000 if slow else 2_000), ts))
arrivals.sort()

for bound in [0, 2 * SECOND, 10 * SECOND, 45 * SECOND]:
    gen = BoundedOutOfOrderness(bound)
    op = WindowedAggregation(TumblingWindows(MINUTE), counting())
    late, waits, held = 0, [], 0
    for arrival, ts in arrivals:
        outs = op.on_event("page", ts, 1)
        gen.on_event(ts)
        outs += op.on_watermark(gen.current)
        held = max(held, op.open_windows)
        for out in outs:
            if isinstance(out, LateEvent):
                late += 1
            elif isinstance(out, WindowResult):  # delay after window end
                waits.append(arrival - out.window.end)
    wait = sum(waits) / len(waits) / SECOND
    print(
        f"bound {bound // SECOND:>2} s: {late:>2} late, results"
        f" {wait:4.1f} s after window end, max open windows {held}"
    )
# > bound  0 s: 14 late, results  0.9 s after window end, max open windows 1
# > bound  2 s: 10 late, results  3.0 s after window end, max open windows 2
# > bound 10 s:  8 late, results 10.8 s after window end, max open windows 2
# > bound 45 s:  0 late, results 45.9 s after window end, max open windows 2
# --8<-- [end:sweep]
