"""Temporal (as-of) join versus latest lookup, and what retention costs."""

from streamlab.joins import (
    IntervalJoin,
    Pair,
    Policy,
    Record,
    StreamTableJoin,
    VersionedTable,
    WindowJoin,
    as_of_join,
)

# --8<-- [start:as_of]
MIN = 60_000  # milliseconds

# EUR->USD rate changes (event time in minutes); a versioned table keeps
# every version, so it can answer "what was the rate at time t?".
changes = [(0, 1.10), (20, 1.12), (40, 1.15), (50, 1.11), (70, 1.09)]
rates: VersionedTable[str, float] = VersionedTable()
for minute, rate in changes:
    rates.put("EUR", minute * MIN, rate)

print("order  minute  as-of  latest")
for order, minute in [("o1", 45), ("o2", 55), ("o3", 72)]:
    as_of = rates.as_of("EUR", minute * MIN)  # temporal join
    latest = rates.latest("EUR")  # lookup join during a later replay
    print(f"{order:<6} {minute:>6}  {as_of:>5}  {latest:>6}")
# > order  minute  as-of  latest
# > o1         45   1.15    1.09
# > o2         55   1.11    1.09
# > o3         72   1.09    1.09
# --8<-- [end:as_of]

# --8<-- [start:retention]
# The same join with 30 minutes of history: state stays bounded, but an
# order older than the horizon can no longer be joined correctly.
join: StreamTableJoin[str, str, float] = StreamTableJoin(
    Policy.AS_OF, history_retention=30 * MIN
)
for minute, rate in changes:
    join.on_table(Record("EUR", minute * MIN, rate), now=minute * MIN)
print("versions kept:", join.table.version_count, "of", len(changes))
# > versions kept: 3 of 5
assert join.table.horizon is not None
print("history kept from minute", join.table.horizon // MIN)
# > history kept from minute 40

for order, minute in [("o4", 65), ("o5", 10)]:  # o5 arrives very late
    (out,) = join.on_stream(Record("EUR", minute * MIN, order), now=75 * MIN)
    print(order, "->", out.right, "expired" if out.expired else "ok")
# > o4 -> 1.11 ok
# > o5 -> None expired
# --8<-- [end:retention]

# --8<-- [start:window_join]
# Searches and ad clicks per user, joined when both fall in the same
# one-minute window (times in seconds; a window is [start, end)).
wj: WindowJoin[str, str, str] = WindowJoin(size=60)


def show(pairs: list[Pair[str, str, str]]) -> None:
    for p in pairs:
        assert p.window is not None
        span = f"[{p.window.start}, {p.window.end})"
        print(p.key, span, p.left.value, "+", p.right.value)


show(wj.on_left(Record("u1", 10, "search:shoes")))
show(wj.on_right(Record("u1", 42, "click:ad7")))  # same minute: a pair
# > u1 [0, 60) search:shoes + click:ad7
show(wj.on_right(Record("u1", 60, "click:ad9")))  # next window: no pair
show(wj.on_left(Record("u2", 30, "search:hats")))  # no partner
print("dropped at watermark 59:", wj.on_watermark(59), "records")
# > dropped at watermark 59: 3 records
show(wj.on_right(Record("u2", 35, "click:ad3")))  # its window is closed
print("late:", [r.value for r in wj.late_right], "kept:", wj.state_size)
# > late: ['click:ad3'] kept: 1
# --8<-- [end:window_join]

# --8<-- [start:interval_join]
# Orders joined with shipments 0 to 4 hours later (times in minutes).
ij: IntervalJoin[str, str, str] = IntervalJoin(lower=0, upper=240)
ij.on_left(Record("o1", 600, "order@10:00"))
ij.on_left(Record("o2", 610, "order@10:10"))
# o1 ships exactly 240 minutes later (bounds are inclusive), o2 after 241.
for ship in [Record("o1", 840, "ship@14:00"), Record("o2", 851, "ship@14:11")]:
    for p in ij.on_right(ship):
        print(p.left.value, "+", p.right.value, "out ts", p.ts)
# > order@10:00 + ship@14:00 out ts 840
print("dropped at watermark 850:", ij.on_watermark(850))
# > dropped at watermark 850: 3
ij.on_right(Record("o1", 845, "ship@14:05 (late)"))
print("late:", [r.value for r in ij.late_right])
# > late: ['ship@14:05 (late)']
# --8<-- [end:interval_join]

# --8<-- [start:as_of_join]
# Point-in-time features: each label event gets the feature value that was
# current at its time, and none older than 60 minutes (times in minutes).
spend = [  # (user, minute the value became current, 7-day spend)
    Record("u1", 0, 120.0),
    Record("u1", 60, 135.0),
    Record("u2", 10, 40.0),
]
labels = [
    Record("u1", 59, "no purchase"),
    Record("u1", 60, "purchase"),  # a version at the same minute counts
    Record("u2", 75, "purchase"),  # the last value is 65 minutes old
]
for row in as_of_join(labels, spend, max_staleness=60):
    got = "stale" if row.stale else f"{row.value} (age {row.age})"
    print(row.event.key, row.event.ts, row.event.value, "->", got)
# > u1 59 no purchase -> 120.0 (age 59)
# > u1 60 purchase -> 135.0 (age 0)
# > u2 75 purchase -> stale
# --8<-- [end:as_of_join]
