"""A daily revenue report and an ops dashboard on the same orders.

Times are minutes after midnight of day 0 (1440 is midnight of day 1).
"""

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    TumblingWindows,
    WindowedAggregation,
    WindowResult,
    summing,
    tumbling,
)

DAY = 1440

# --8<-- [start:orders]
orders = [  # (event time, arrival time, amount), in arrival order
    (600, 601, 40),  # 10:00, day 0
    (1300, 1302, 25),  # 21:40, day 0
    (1438, 1443, 60),  # 23:58, day 0; reaches us at 00:03, day 1
    (1500, 1501, 30),  # 01:00, day 1
    (1420, 1530, 15),  # 23:40, day 0; phone offline until 01:30, day 1
]
# --8<-- [end:orders]


# --8<-- [start:two_clocks]
def revenue_per_day(pairs: list[tuple[int, int]]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for ts, amount in pairs:
        day = tumbling(ts, DAY).start // DAY
        totals[day] = totals.get(day, 0) + amount
    return totals


print("event time:     ", revenue_per_day([(e, a) for e, _, a in orders]))
# > event time:      {0: 140, 1: 30}
print("processing time:", revenue_per_day([(p, a) for _, p, a in orders]))
# > processing time: {0: 65, 1: 105}
# --8<-- [end:two_clocks]


# --8<-- [start:late]
report: WindowedAggregation[str, int, int] = WindowedAggregation(
    TumblingWindows(DAY), summing(), allowed_lateness=180
)
wm = BoundedOutOfOrderness(bound=10)
for event_time, _, amount in orders:
    out = report.on_event("shop", event_time, amount)
    wm.on_event(event_time)
    out += report.on_watermark(wm.current)
    for r in out:
        if isinstance(r, WindowResult):  # a LateEvent would be side output
            kind = "update" if r.is_update else "first"
            print(f"day {r.window.start // DAY}: {r.value} ({kind})")
# > day 0: 125 (first)
# > day 0: 140 (update)
# --8<-- [end:late]
