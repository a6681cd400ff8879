"""Record lag, time lag, stalled partitions and burn-rate alerts."""

from streamlab.lag import (
    PAGE_FAST,
    StallDetector,
    group_lag,
    lag_of,
    multiwindow_alert,
    oldest_unconsumed_age,
)
from streamlab.log import CommitLog


def by_first_byte(key: bytes, partitions: int) -> int:
    return key[0] % partitions


# --8<-- [start:record_lag]
log = CommitLog[int](partitions=3, partitioner=by_first_byte)
for i in range(300):
    log.append(f"{i % 3}", i, timestamp=i * 100)  # one record every 100 ms
group = log.group("features", reset="earliest")
group.commit({0: 100, 1: 40, 2: 95})  # partition 1 is behind
lags = lag_of(log, group)
print(lags, group_lag(lags))
# > {0: 0, 1: 60, 2: 5} 65
# --8<-- [end:record_lag]

# --8<-- [start:time_lag]
# The same 60 records of lag at two traffic levels.
for name, gap_ms in (("peak", 10), ("night", 60_000)):
    quiet = CommitLog[int]()
    for i in range(100):
        quiet.append(None, i, timestamp=i * gap_ms)
    reader = quiet.group("g")
    reader.commit({0: 40})
    now = 100 * gap_ms
    age = oldest_unconsumed_age(quiet, reader, 0, now)
    print(name, lag_of(quiet, reader)[0], "records,", age, "ms old")
# > peak 60 records, 600 ms old
# > night 60 records, 3600000 ms old
# --8<-- [end:time_lag]

# --8<-- [start:stall]
detector = StallDetector(window=5)
for minute in range(6):
    end = 1_000 + 50 * minute
    detector.observe(0, committed=end - 10, end_offset=end)  # healthy
    detector.observe(1, committed=700, end_offset=end)  # stuck at 700
    detector.observe(2, committed=600 + 30 * minute, end_offset=end)  # slow
print([detector.status(p) for p in range(3)], detector.stalled())
# > ['ok', 'stalled', 'falling_behind'] [1]
# --8<-- [end:stall]

# --8<-- [start:burn]
# One flag per minute: was the time lag above 60 s? Objective: 99%.
calm = [False] * 120
spike = [*calm, True, True, True, False, False]
outage = [*calm, *[True] * 12]
for name, minutes in (("3-minute spike", spike), ("12-minute breach", outage)):
    print(name, multiwindow_alert(minutes, 0.99, *PAGE_FAST))
# > 3-minute spike False
# > 12-minute breach True
# --8<-- [end:burn]
