"""Salt hot keys, aggregate in two steps, and check it against one step."""

import random
import statistics

from streamlab.partitioning import plain_aggregate, salted_aggregate

# --8<-- [start:stats]
Stats = tuple[int, int, int, int]  # (count, sum, min, max)


def merge(a: Stats, b: Stats) -> Stats:
    """Associative and commutative, so partials merge in any grouping."""
    return a[0] + b[0], a[1] + b[1], min(a[2], b[2]), max(a[3], b[3])


def stats(amount: int) -> Stats:
    return 1, amount, amount, amount


orders = [("shop-1", 30), ("shop-9", 5), ("shop-1", 70), ("shop-1", 20)]
events = [(shop, stats(amount)) for shop, amount in orders]
final, partials, load = salted_aggregate(
    events, merge, buckets=2, hot=["shop-1"], partitions=4
)
for salted_key, partial in partials.items():
    print(salted_key, partial)
# > shop-1#0 (2, 50, 20, 30)
# > shop-9 (1, 5, 5, 5)
# > shop-1#1 (1, 70, 70, 70)
print(final)
# > {'shop-1': (3, 120, 20, 70), 'shop-9': (1, 5, 5, 5)}
count, total, low, high = final["shop-1"]
print(f"mean {total / count:.1f}", low, high, load)
# > mean 40.0 20 70 [0, 0, 1, 3]
# --8<-- [end:stats]

# --8<-- [start:check]
rng = random.Random(7)
for trial in range(300):
    keys = [f"k{i}" for i in range(rng.randint(1, 30))]
    weights = [rng.random() ** 4 for _ in keys]  # a few keys dominate
    data = [
        (rng.choices(keys, weights)[0], stats(rng.randint(-50, 50)))
        for _ in range(rng.randint(1, 400))
    ]
    hot = rng.sample(keys, rng.randint(0, len(keys)))
    for buckets in (1, 3, 16):
        salted = salted_aggregate(
            data, merge, buckets, hot, partitions=rng.randint(1, 12)
        )[0]
        assert salted == plain_aggregate(data, merge), (trial, buckets)
print("300 random streams x 3 bucket counts: salted == plain")
# > 300 random streams x 3 bucket counts: salted == plain
# --8<-- [end:check]

# --8<-- [start:median]
# Two streams whose salts see the same medians (3 and 51) ...
for salts in ([[1, 3, 101], [2, 100]], [[0, 3, 200], [40, 62]]):
    medians = [statistics.median(s) for s in salts]
    print(medians, statistics.median(salts[0] + salts[1]))
# > [3, 51.0] 3
# > [3, 51.0] 40
# ... but whose true medians differ: no merge of (3, 51) can be right.
# --8<-- [end:median]
