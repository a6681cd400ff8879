"""Adding partitions to a keyed topic: keys move, and order breaks."""

from streamlab.lag import group_lag, lag_of
from streamlab.log import CommitLog
from streamlab.partitioning import murmur2_partitioner, remap_fraction

# --8<-- [start:remap]
users = [f"user-{i}".encode() for i in range(50_000)]
for count in (7, 8, 12, 24):
    moved = remap_fraction(users, 6, count)
    print(f"6 -> {count} partitions: {moved:.0%} of users move")
# > 6 -> 7 partitions: 86% of users move
# > 6 -> 8 partitions: 75% of users move
# > 6 -> 12 partitions: 50% of users move
# > 6 -> 24 partitions: 75% of users move
# --8<-- [end:remap]

# --8<-- [start:reorder]
# The topic grows from 6 to 12 partitions while partition 2 has a backlog.
active = 6


def producer(key: bytes, partitions: int) -> int:
    """The producer's view: the partition count it has metadata for."""
    return murmur2_partitioner(key, active)


topic = CommitLog[str](partitions=12, partitioner=producer)
others = [u.decode() for u in users[8:] if producer(u, 6) == 2][:500]
for user in others:  # 500 records of other users queue up in partition 2
    topic.append(user, "view", timestamp=0)
print(topic.append("user-7", "add-to-cart", timestamp=1))
# > (2, 500)
active = 12  # partitions added; the producer's metadata refreshes
print(topic.append("user-7", "checkout", timestamp=2))
# > (8, 0)
# One consumer per partition, one record per tick, starting together:
done = {
    r.value: tick
    for p in range(12)
    for tick, r in enumerate(topic.records(p), start=1)
    if r.key == "user-7"
}
print(done)
# > {'add-to-cart': 501, 'checkout': 1}
# --8<-- [end:reorder]

# --8<-- [start:migrate]
# Safe: drain the old topic, then move producers and consumers together.
old = CommitLog[str](partitions=6, partitioner=murmur2_partitioner)
new = CommitLog[str](partitions=12, partitioner=murmur2_partitioner)
for i in range(300):
    old.append(f"user-{i % 40}", f"event-{i}", timestamp=i)
reader = old.group("features", reset="earliest")
seen: dict[str, list[str]] = {}
while True:  # producers are paused until the old topic is drained
    for record in reader.poll(max_records=64):
        seen.setdefault(str(record.key), []).append(record.value)
    reader.commit()
    if group_lag(lag_of(old, reader)) == 0:
        break
for i in range(300, 400):  # producers resume on the new topic
    new.append(f"user-{i % 40}", f"event-{i}", timestamp=i)
for record in new.group("features", reset="earliest").poll():
    seen.setdefault(str(record.key), []).append(record.value)
in_order = all(
    [int(v.split("-")[1]) for v in values]
    == sorted(int(v.split("-")[1]) for v in values)
    for values in seen.values()
)
print(len(seen), sum(map(len, seen.values())), in_order)
# > 40 400 True
# --8<-- [end:migrate]
