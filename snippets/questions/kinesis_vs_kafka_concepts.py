"""Kinesis shards next to Kafka partitions: routing, resharding, capacity."""

from math import ceil

from streamlab.partitioning import (
    even_shards,
    murmur2_partitioner,
    remap_fraction,
    shard_for,
    split_shard,
)

# --8<-- [start:routing]
shards = even_shards(4)
for key in ("device-1", "device-2", "device-3"):
    kafka = murmur2_partitioner(key.encode(), 4)
    shard = shard_for(key, shards).shard_id
    print(f"{key}: kafka partition {kafka}, kinesis {shard}")
# > device-1: kafka partition 2, kinesis shardId-000000000003
# > device-2: kafka partition 2, kinesis shardId-000000000000
# > device-3: kafka partition 0, kinesis shardId-000000000001
# --8<-- [end:routing]

# --8<-- [start:scaling]
devices = [f"device-{i}" for i in range(20_000)]
kafka_moved = remap_fraction([d.encode() for d in devices], 4, 5)
hot = shards[1]
after = split_shard(shards, hot.shard_id, hot.start + hot.width // 2)
kinesis_moved = sum(
    shard_for(d, shards) != shard_for(d, after) for d in devices
) / len(devices)
print(f"kafka 4 -> 5 partitions: {kafka_moved:.0%} of keys move")
# > kafka 4 -> 5 partitions: 80% of keys move
print(f"kinesis split 1 of 4 shards: {kinesis_moved:.0%} move, to its children")
# > kinesis split 1 of 4 shards: 25% move, to its children
# --8<-- [end:scaling]


# --8<-- [start:capacity]
def shards_needed(
    write_mb_s: float, records_s: float, readers: int, fan_out: bool
) -> int:
    """Per shard: 1 MB/s or 1,000 records/s in; 2 MB/s out, shared by all
    polling readers, or 2 MB/s per reader with enhanced fan-out."""
    writes = max(ceil(write_mb_s / 1), ceil(records_s / 1_000))
    reads = ceil(write_mb_s / 2) if fan_out else ceil(readers * write_mb_s / 2)
    return max(writes, reads)


for fan_out in (False, True):
    needed = shards_needed(40, 30_000, 3, fan_out)
    print("enhanced fan-out" if fan_out else "shared reads", needed)
# > shared reads 60
# > enhanced fan-out 40
# --8<-- [end:capacity]
