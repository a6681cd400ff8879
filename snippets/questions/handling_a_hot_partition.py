"""Find the key behind a hot partition, then spread it with salting."""

import operator

from streamlab.partitioning import (
    SpaceSaving,
    murmur2_partitioner,
    salted_aggregate,
    skew,
)

# 2,000 merchants; merchant-13 sends one event in four.
stream = [f"merchant-{13 if i % 4 == 0 else i % 2_000}" for i in range(40_000)]

# --8<-- [start:detect]
loads = [0] * 16
per_partition: dict[int, SpaceSaving[str]] = {}
for key in stream:
    p = murmur2_partitioner(key.encode(), 16)
    loads[p] += 1
    per_partition.setdefault(p, SpaceSaving[str](capacity=20)).add(key)
hottest = loads.index(max(loads))
print(hottest, max(loads), min(loads), f"skew {skew(loads):.2f}")
# > 7 11720 1440 skew 4.69
summary = per_partition[hottest]
print(summary.top(2))
# > [('merchant-13', 10020, 0), ('merchant-1802', 90, 89)]
print(summary.hot(share=0.5))
# > ['merchant-13']
# --8<-- [end:detect]

# --8<-- [start:salt]
events = [(key, 1) for key in stream]
plain, _, before = salted_aggregate(events, operator.add, 1, [], 16)
for buckets in (4, 8, 16):
    final, _, after = salted_aggregate(
        events, operator.add, buckets, ["merchant-13"], 16
    )
    print(buckets, max(after), f"skew {skew(after):.2f}", final == plain)
# > 4 6450 skew 2.58 True
# > 8 3946 skew 1.58 True
# > 16 3838 skew 1.54 True
# --8<-- [end:salt]
