"""Three hours of a feature pipeline: a deploy blip, then a stuck partition."""

from streamlab.lag import (
    PAGE_FAST,
    StallDetector,
    lag_of,
    multiwindow_alert,
    oldest_unconsumed_age,
)
from streamlab.log import CommitLog

# --8<-- [start:simulate]
TARGET_MS = 60_000  # SLI: a minute is good if every partition is < 60 s old
log = CommitLog[int](partitions=2)  # keyless records alternate partitions
group = log.group("features", reset="earliest")
detector = StallDetector(window=5)
bad: list[bool] = []
alerts: dict[str, list[int]] = {"threshold": [], "burn rate": [], "stall": []}
for minute in range(180):
    for second in range(60):  # two events per second
        ts = minute * 60_000 + second * 1_000
        log.append(None, ts, timestamp=ts)
        log.append(None, ts, timestamp=ts)
    deploy = 60 <= minute < 63  # rebalance: nobody reads for 3 minutes
    stuck = 120 <= minute < 150  # a poison record blocks partition 1
    readable = [] if deploy else [0] if stuck else [0, 1]
    group.poll(partitions=readable)
    group.commit()
    now = (minute + 1) * 60_000
    ages = [oldest_unconsumed_age(log, group, p, now) or 0 for p in (0, 1)]
    bad.append(max(ages) > TARGET_MS)
    lags = lag_of(log, group)
    stalled = [
        detector.observe(p, group.committed(p) or 0, log.end_offset(p))
        for p in lags
    ]
    if bad[-1]:
        alerts["threshold"].append(minute)
    if multiwindow_alert(bad, 0.99, *PAGE_FAST):
        alerts["burn rate"].append(minute)
    if "stalled" in stalled:
        alerts["stall"].append(minute)
# --8<-- [end:simulate]

# --8<-- [start:report]
for name, minutes in alerts.items():
    print(f"{name:>9}: firing {len(minutes):>2} min, first at {minutes[:1]}")
# > threshold: firing 31 min, first at [61]
# > burn rate: firing 25 min, first at [129]
# >     stall: firing 26 min, first at [124]
print("bad minutes during the deploy:", sum(bad[60:64]))
# > bad minutes during the deploy: 2
# --8<-- [end:report]
