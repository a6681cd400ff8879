"""Keys to partitions in Kafka and Kinesis, hot keys, and salting."""

import operator

from streamlab.log import CommitLog
from streamlab.partitioning import (
    SpaceSaving,
    even_shards,
    kinesis_hash_key,
    murmur2,
    murmur2_partitioner,
    remap_fraction,
    salted_aggregate,
    shard_for,
    skew,
    split_shard,
)

# --8<-- [start:route]
log = CommitLog[str](partitions=6, partitioner=murmur2_partitioner)
print(murmur2(b"abc"), murmur2(b"abc") & 0x7FFFFFFF, 479470107 % 6)
# > 479470107 479470107 3
for user in ("abc", "ana", "ben", "abc"):
    print(user, log.append(user, "click", timestamp=0))
# > abc (3, 0)
# > ana (4, 0)
# > ben (1, 0)
# > abc (3, 1)
# --8<-- [end:route]

# --8<-- [start:remap]
keys = [f"user-{i}".encode() for i in range(10_000)]
for old, new in ((6, 7), (6, 12), (12, 24)):
    print(f"{old} -> {new}: {remap_fraction(keys, old, new):.0%} of keys move")
# > 6 -> 7: 86% of keys move
# > 6 -> 12: 50% of keys move
# > 12 -> 24: 49% of keys move
# --8<-- [end:remap]

# --8<-- [start:kinesis]
shards = even_shards(4)
print(hex(kinesis_hash_key("abc")), shard_for("abc", shards).shard_id)
# > 0x900150983cd24fb0d6963f7d28e17f72 shardId-000000000002
hot = shard_for("abc", shards)
middle = hot.start + hot.width // 2
resharded = split_shard(shards, hot.shard_id, middle)
names = [f"device-{i}" for i in range(10_000)]
moved = [k for k in names if shard_for(k, shards) != shard_for(k, resharded)]
print(
    [s.shard_id[-2:] for s in resharded],
    f"moved: {len(moved) / len(names):.0%}",
)
# > ['00', '01', '04', '05', '03'] moved: 25%
print({shard_for(k, shards).shard_id for k in moved})
# > {'shardId-000000000002'}
# --8<-- [end:kinesis]

# --8<-- [start:hot]
# 1,000 devices; device-7 sends every fifth event.
stream = [f"device-{7 if i % 5 == 0 else i % 1000}" for i in range(10_000)]
summary = SpaceSaving[str](capacity=50)
for key in stream:
    summary.add(key)
print(summary.top(2))
# > [('device-7', 2010, 0), ('device-997', 164, 163)]
print(summary.hot(share=0.05))
# > ['device-7']
loads = [0] * 12
for key in stream:
    loads[murmur2_partitioner(key.encode(), 12)] += 1
print(max(loads), min(loads), f"skew {skew(loads):.2f}")
# > 2630 500 skew 3.16
# --8<-- [end:hot]

# --8<-- [start:salt]
events = [(key, 1) for key in stream]  # count events per device
plain, _, plain_load = salted_aggregate(events, operator.add, 1, [], 12)
final, partials, salted_load = salted_aggregate(
    events, operator.add, 8, ["device-7"], 12
)
print(max(plain_load), max(salted_load))
# > 2630 1113
print(final == plain, final["device-7"], partials["device-7#3"])
# > True 2010 251
# --8<-- [end:salt]
