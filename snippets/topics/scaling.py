"""Partitions cap consumers; shards split; key groups bound Flink rescaling."""

from streamlab.groups import balance_gap, range_assign
from streamlab.partitioning import even_shards, shard_for, split_shard

# --8<-- [start:consumers]
topics = {"clicks": 6}
for members in (3, 6, 8):
    group = {f"c{i}": ["clicks"] for i in range(members)}
    owned = range_assign(topics, group)
    idle = sorted(m for m, tps in owned.items() if not tps)
    print(members, [len(tps) for tps in owned.values()], "idle:", idle)
# > 3 [2, 2, 2] idle: []
# > 6 [1, 1, 1, 1, 1, 1] idle: []
# > 8 [1, 1, 1, 1, 1, 1, 0, 0] idle: ['c6', 'c7']
owned = range_assign({"clicks": 7}, {f"c{i}": ["clicks"] for i in range(3)})
print([len(tps) for tps in owned.values()], "gap:", balance_gap(owned))
# > [3, 2, 2] gap: 1
# --8<-- [end:consumers]

# --8<-- [start:split]
shards = even_shards(2)
hot = shard_for("tenant-42", shards)
after = split_shard(shards, hot.shard_id, hot.start + hot.width // 2)
for shard in after:
    print(shard.shard_id, "parents:", [p[-2:] for p in shard.parents])
# > shardId-000000000000 parents: []
# > shardId-000000000002 parents: ['01']
# > shardId-000000000003 parents: ['01']
keys = [f"tenant-{i}" for i in range(1_000)]
moved = sum(shard_for(k, shards) != shard_for(k, after) for k in keys)
print(f"keys that changed shard: {moved / len(keys):.0%}")
# > keys that changed shard: 52%
# --8<-- [end:split]


# --8<-- [start:key_groups]
def key_group_range(index: int, parallelism: int, max_par: int) -> range:
    """Key groups that subtask ``index`` owns (Flink's contiguous ranges)."""
    start = (index * max_par + parallelism - 1) // parallelism
    end = ((index + 1) * max_par - 1) // parallelism
    return range(start, end + 1)


for parallelism in (4, 6, 128):
    sizes = {
        len(key_group_range(i, parallelism, 128)) for i in range(parallelism)
    }
    print(parallelism, sorted(sizes))
# > 4 [32]
# > 6 [21, 22]
# > 128 [1]
# --8<-- [end:key_groups]
