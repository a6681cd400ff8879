"""Temporal (as-of) join versus latest lookup, and what retention costs."""

from streamlab.joins import Policy, Record, StreamTableJoin, VersionedTable

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
