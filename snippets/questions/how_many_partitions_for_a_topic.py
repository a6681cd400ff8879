"""Sizing a topic's partition count from measured rates and group sizes."""

import math

from streamlab.groups import range_assign


# --8<-- [start:size]
def partitions_for(
    target: float, per_producer: float, per_consumer: float, growth: float
) -> int:
    """max(target / producer rate, target / consumer rate), times growth.

    Rates are per partition, measured (MB/s or records/s, the same unit).
    """
    need = max(target / per_producer, target / per_consumer)
    return math.ceil(need * growth)


# Clickstream: 250 MB/s peak, 50 MB/s per partition produced, 25 consumed.
print(partitions_for(250, 50, 25, growth=1), partitions_for(250, 50, 25, 2))
# > 10 20
# Feature topic: backfill replays at 120 MB/s, one scoring worker reads 8.
print(partitions_for(120, 40, 8, growth=1.5))
# > 23
# --8<-- [end:size]


# --8<-- [start:divisors]
def busiest_over_mean(partitions: int, workers: int) -> float:
    """Load of the busiest worker of a group over the mean load."""
    group = {f"w{i}": ["features"] for i in range(workers)}
    owned = range_assign({"features": partitions}, group)
    return max(map(len, owned.values())) * workers / partitions


for count in (10, 12, 16, 20, 23, 24):
    ratios = [busiest_over_mean(count, n) for n in range(1, 9)]
    even = [n for n, r in enumerate(ratios, start=1) if r == 1]
    print(f"{count:2}: even for {even}, worst {max(ratios):.2f}")
# > 10: even for [1, 2, 5], worst 1.60
# > 12: even for [1, 2, 3, 4, 6], worst 1.33
# > 16: even for [1, 2, 4, 8], worst 1.31
# > 20: even for [1, 2, 4, 5], worst 1.20
# > 23: even for [1], worst 1.22
# > 24: even for [1, 2, 3, 4, 6, 8], worst 1.17
# --8<-- [end:divisors]
