"""Log compaction: latest value per key, tombstones, and a lagging reader."""

from streamlab.compaction import CompactedPartition, replay
from streamlab.log import DAY_MS, CommitLog

# --8<-- [start:compact]
HOUR = 3_600_000  # milliseconds

# A compacted topic of user tiers, keyed by user; None is a tombstone.
tiers = CommitLog[str | None](partitions=1, cleanup_policy="compact")
updates = [
    ("u1", "free"),
    ("u2", "free"),
    ("u1", "gold"),
    ("u3", "free"),
    ("u2", None),  # u2 deleted their account
    ("u1", "platinum"),
]
for hour, (user, tier) in enumerate(updates):
    tiers.append(user, tier, timestamp=hour * HOUR)

# A cache reads the first two updates, then stalls for a long time.
cache = tiers.group("tier-cache", reset="earliest")
view = {r.key: r.value for r in cache.poll(max_records=2)}

removed = tiers.compact(now=6 * HOUR)
print(removed, [(r.offset, r.key, r.value) for r in tiers.records(0)])
# > 3 [(3, 'u3', 'free'), (4, 'u2', None), (5, 'u1', 'platinum')]
# --8<-- [end:compact]

# --8<-- [start:tombstone]
# A day later (delete.retention.ms) the tombstone itself is cleaned away.
tiers.compact(now=4 * HOUR + DAY_MS + 1)
print([(r.offset, r.key, r.value) for r in tiers.records(0)])
# > [(3, 'u3', 'free'), (5, 'u1', 'platinum')]

# A new reader from offset 0 gets the current table.
fresh = tiers.group("rebuild", reset="earliest")
print({r.key: r.value for r in fresh.poll()})
# > {'u3': 'free', 'u1': 'platinum'}

# The stalled cache resumes at offset 2 and never sees u2's delete.
for r in cache.poll():
    view[r.key] = r.value
print(view)
# > {'u1': 'platinum', 'u2': 'free', 'u3': 'free'}
# --8<-- [end:tombstone]

# --8<-- [start:cleaner]
# Segments of 3 records; the cleaner leaves anything younger than 1 hour.
part = CompactedPartition[str](segment_records=3, min_compaction_lag_ms=HOUR)
writes = [
    ("u1", "free"),
    ("u2", "free"),
    ("u1", "gold"),
    ("u3", "free"),
    ("u2", None),  # tombstone: u2 deleted their account
    ("u1", "platinum"),
    ("u3", "gold"),  # lands in the active segment
]
for minute, (user, tier) in enumerate(writes):
    part.append(user, tier, timestamp=minute * 60_000)


def show(p: CompactedPartition[str]) -> list[list[str]]:
    return [[f"{r.offset}:{r.key}" for r in s.records] for s in p.segments]


print(show(part))
# > [['0:u1', '1:u2', '2:u1'], ['3:u3', '4:u2', '5:u1'], ['6:u3']]
print(part.first_uncleanable_offset(now=30 * 60_000))  # all too young
# > 0
now = 2 * HOUR
print(part.dirty_ratio(now), part.clean(now).removed)
# > 1.0 3
print(show(part))
# > [['3:u3', '4:u2', '5:u1'], ['6:u3']]
tomb = part.read(4)[0]
print(tomb.key, tomb.value, tomb.delete_horizon == now + DAY_MS)
# > u2 None True
# --8<-- [end:cleaner]

# --8<-- [start:horizon]
print(part.clean(now + DAY_MS - 1, force=True).removed)  # horizon not reached
# > 0
result = part.clean(now + DAY_MS)  # a due tombstone makes it eligible
print(result.ran, result.tombstones_removed)
# > True 1
print(show(part), replay(part.read(0)))
# > [['3:u3', '5:u1'], ['6:u3']] {'u3': 'gold', 'u1': 'platinum'}
# --8<-- [end:horizon]
