"""Join ad impressions with their clicks 0 to 30 minutes later."""

import random

from streamlab.joins import IntervalJoin, Record
from streamlab.watermarks import BoundedOutOfOrderness

# --8<-- [start:run]
MIN = 60  # event times in seconds
# (side, impression id, event time, value), in arrival order. A click
# carries the id of the impression it belongs to: that is the join key.
arrivals = [
    ("imp", "i1", 0 * MIN, "ad7"),
    ("imp", "i2", 2 * MIN, "ad9"),
    ("click", "i1", 4 * MIN, "c1"),  # 4 minutes after i1
    ("click", "i2", 32 * MIN, "c2"),  # exactly 30 minutes: bound inclusive
    ("click", "i1", 31 * MIN, "c3"),  # 31 minutes: outside the interval
    ("imp", "i3", 45 * MIN, "ad7"),
    ("click", "i3", 45 * MIN - 5, "c4"),  # 5 s before its impression
    ("imp", "i4", 50 * MIN, "ad2"),
    ("click", "i4", 51 * MIN, "c5"),
    ("click", "i2", 20 * MIN, "c6"),  # a click that arrives very late
]

join: IntervalJoin[str, str, str] = IntervalJoin(lower=0, upper=30 * MIN)
marks = {"imp": BoundedOutOfOrderness(MIN), "click": BoundedOutOfOrderness(MIN)}
for side, imp_id, ts, value in arrivals:
    record = Record(imp_id, ts, value)
    is_left = side == "imp"
    pairs = join.on_left(record) if is_left else join.on_right(record)
    for p in pairs:
        delay = (p.right.ts - p.left.ts) // MIN
        print(f"{p.key}: {p.left.value} clicked ({p.right.value}) +{delay}m")
    marks[side].on_event(ts)
    join.on_watermark(min(m.current for m in marks.values()))
print("watermark at minute", join.watermark // MIN)
print("late clicks:", [r.value for r in join.late_right])
print("kept:", join.state_size, "records")
# > i1: ad7 clicked (c1) +4m
# > i2: ad9 clicked (c2) +30m
# > i4: ad2 clicked (c5) +1m
# > watermark at minute 48
# > late clicks: ['c6']
# > kept: 3 records
# --8<-- [end:run]

# --8<-- [start:state]
# A day of traffic: one impression per second, 10% clicked within 30
# minutes, event times up to a minute out of order.
rng = random.Random(42)
events: list[tuple[int, str, Record[int, int]]] = []
for i in range(86_400):
    events.append((i + rng.randint(0, MIN), "imp", Record(i, i, i)))
    if rng.random() < 0.1:
        ts = i + rng.randint(0, 30 * MIN)
        events.append((ts + rng.randint(0, MIN), "click", Record(i, ts, i)))
events.sort(key=lambda e: e[0])  # arrival order

day: IntervalJoin[int, int, int] = IntervalJoin(lower=0, upper=30 * MIN)
high = {"imp": 0, "click": 0}
matched = peak = 0
for _, side, event in events:
    if side == "imp":
        matched += len(day.on_left(event))
    else:
        matched += len(day.on_right(event))
    high[side] = max(high[side], event.ts)
    day.on_watermark(min(high.values()) - MIN - 1)
    peak = max(peak, day.state_size)
print(f"records {len(events)}, pairs {matched}, late {len(day.late_right)}")
print(f"peak state {peak} records = {peak / len(events):.1%} of the input")
# > records 94913, pairs 8513, late 0
# > peak state 1961 records = 2.1% of the input
# --8<-- [end:state]
