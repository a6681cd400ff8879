"""Log compaction: latest value per key, tombstones, and a lagging reader."""

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
