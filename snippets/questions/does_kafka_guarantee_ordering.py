"""Per-key order in the log, and a worker pool that loses it."""

from collections.abc import Callable

from streamlab.log import CommitLog, Record
from streamlab.partitioning import murmur2_partitioner

# --8<-- [start:log]
topic = CommitLog[str](3, partitioner=murmur2_partitioner)
sent = [
    ("c-42", "features"),
    ("c-3", "features"),
    ("c-42", "label"),
    ("c-3", "label"),
]
for t, (customer, kind) in enumerate(sent):
    partition, offset = topic.append(customer, kind, timestamp=t)
    print(f"{customer:4} {kind:8} -> partition {partition}, offset {offset}")
# > c-42 features -> partition 0, offset 0
# > c-3  features -> partition 1, offset 0
# > c-42 label    -> partition 0, offset 1
# > c-3  label    -> partition 1, offset 1
# --8<-- [end:log]

# --8<-- [start:pool]
COST = {"features": 5, "label": 1}  # the feature write is the slow call


def name(r: Record[str]) -> str:
    return f"{r.key!s}:{r.value}"


def finish_order(
    records: list[Record[str]], worker_of: Callable[[int, str], int]
) -> list[str]:
    """Run records on two workers, each in the order it receives them;
    worker_of(index, key) picks the worker. Returns the finishing order."""
    busy_until = [0, 0]
    finished = []
    for i, r in enumerate(records):
        w = worker_of(i, str(r.key))
        busy_until[w] += COST[r.value]
        finished.append((busy_until[w], i, name(r)))
    return [n for _, _, n in sorted(finished)]


batch = topic.group("trainer", reset="earliest").poll()
print("polled:     ", [name(r) for r in batch])
# > polled:      ['c-42:features', 'c-42:label', 'c-3:features', 'c-3:label']
print("round-robin:", finish_order(batch, lambda i, key: i % 2))
# > round-robin: ['c-42:label', 'c-3:label', 'c-42:features', 'c-3:features']
by_key = finish_order(batch, lambda i, k: murmur2_partitioner(k.encode(), 2))
print("by key:     ", by_key)
# > by key:      ['c-42:features', 'c-3:features', 'c-42:label', 'c-3:label']
# --8<-- [end:pool]
