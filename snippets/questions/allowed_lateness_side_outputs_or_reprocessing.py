"""Allowed lateness versus side output versus batch reprocessing."""

import random
from collections import Counter

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    Window,
    WindowedAggregation,
    WindowResult,
    counting,
    tumbling,
)

SECOND, MINUTE = 1_000, 60_000

# --8<-- [start:stream]
# One event per second for ten minutes. Most arrive within 4 s; one in
# twenty arrives 10 s to 3 min late (a phone back online, a retry).
rng = random.Random(7)
events = []  # (arrival time, event time)
for i in range(600):
    ts = i * SECOND
    delay = rng.randint(0, 4_000)
    if rng.random() < 0.05:
        delay = rng.randint(10_000, 180_000)
    events.append((ts + delay, ts))
events.sort()  # the order the job sees them in

truth = Counter(tumbling(ts, MINUTE) for _, ts in events)  # batch rerun
# --8<-- [end:stream]


# --8<-- [start:compare]
def run(lateness: int) -> str:
    gen = BoundedOutOfOrderness(bound=10 * SECOND)
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(MINUTE), counting(), allowed_lateness=lateness
    )
    outs: list[WindowResult[str, int] | LateEvent[str, int]] = []
    peak = 0
    for _, ts in events:
        outs += op.on_event("all", ts, ts)
        gen.on_event(ts)
        outs += op.on_watermark(gen.current)
        peak = max(peak, op.open_windows)
    outs += op.close()
    final: dict[Window, int] = {}
    updates = side = 0
    for out in outs:
        if isinstance(out, LateEvent):
            side += 1
        else:
            updates += out.is_update
            final[out.window] = out.value
    wrong = sum(final.get(w) != n for w, n in truth.items())
    return (
        f"{lateness // SECOND:>4}s  updates={updates:<3} side={side:<3}"
        f" wrong windows={wrong}/{len(truth)}  peak state={peak}"
    )


for lateness in [0, 60 * SECOND, 180 * SECOND]:
    print(run(lateness))
# >    0s  updates=0   side=19  wrong windows=9/10  peak state=2
# >   60s  updates=9   side=10  wrong windows=7/10  peak state=3
# >  180s  updates=19  side=0   wrong windows=0/10  peak state=5
# --8<-- [end:compare]
