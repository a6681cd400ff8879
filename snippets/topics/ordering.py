"""Ordering: per-partition order by key, retries, keyed parallelism, and
resequencing."""

import heapq

from streamlab.ordering import (
    Fault,
    Gap,
    Released,
    Sequenced,
    produce,
    resequence,
    scripted,
)
from streamlab.partitioning import murmur2_partitioner

# --8<-- [start:keys]
# Six events of two orders, in the order the service emitted them.
events = [
    ("order-7", "created"),
    ("order-8", "created"),
    ("order-7", "paid"),
    ("order-8", "paid"),
    ("order-7", "shipped"),
    ("order-8", "cancelled"),
]
partitions: dict[int, list[str]] = {0: [], 1: [], 2: []}
for key, what in events:
    p = murmur2_partitioner(key.encode(), 3)
    partitions[p].append(f"{key[-1]}:{what}")
for p, log in partitions.items():
    print(p, log)
# > 0 []
# > 1 ['7:created', '7:paid', '7:shipped']
# > 2 ['8:created', '8:paid', '8:cancelled']
# --8<-- [end:keys]

# --8<-- [start:retries]
# Three batches of two records; the first attempt of batch 0 is lost.
lost_first = scripted({(0, 0): Fault.LOST})
for in_flight, idempotent in ((5, False), (1, False), (5, True)):
    r = produce(6, 2, in_flight, idempotent, lost_first)
    print(f"in-flight {in_flight}, idempotent {idempotent!s:5}: {r.log}")
# > in-flight 5, idempotent False: [2, 3, 4, 5, 0, 1]
# > in-flight 1, idempotent False: [0, 1, 2, 3, 4, 5]
# > in-flight 5, idempotent True : [0, 1, 2, 3, 4, 5]
# --8<-- [end:retries]


# --8<-- [start:lanes]
def keyed_lanes(
    records: list[tuple[int, str, int]], lanes: int
) -> tuple[list[int], list[int]]:
    """Process (offset, key, cost) records of one partition on ``lanes``
    workers, one lane per key hash, each lane in offset order. Returns the
    completion order and, after each completion, the offset that is safe
    to commit (every earlier offset done)."""
    free_at = [0] * lanes
    done_at: list[tuple[int, int]] = []  # (finish time, offset)
    for offset, key, cost in records:
        lane = murmur2_partitioner(key.encode(), lanes)
        free_at[lane] += cost
        heapq.heappush(done_at, (free_at[lane], offset))
    completed: set[int] = set()
    order, commits, commit = [], [], 0
    while done_at:
        _, offset = heapq.heappop(done_at)
        completed.add(offset)
        order.append(offset)
        while commit in completed:
            commit += 1
        commits.append(commit)
    return order, commits


one_partition = [
    (0, "x", 5),
    (1, "y", 1),
    (2, "x", 1),
    (3, "z", 1),
    (4, "y", 1),
]
order, commits = keyed_lanes(one_partition, lanes=3)
print("completed:", order)
# > completed: [1, 3, 4, 0, 2]
print("commit:   ", commits)
# > commit:    [0, 0, 0, 2, 5]
# --8<-- [end:lanes]

# --8<-- [start:resequence]
# The reordered log from above, each record numbered by its producer.
reordered = [2, 3, 4, 5, 0, 1]
out = resequence([Sequenced("p0", s, s) for s in reordered], 10, 10)
print([o.record.seq for o in out if isinstance(o, Released)])
# > [0, 1, 2, 3, 4, 5]
# Record 1 never arrives; record 2 gives up on it after 3 more records.
out = resequence([Sequenced("p0", s, s) for s in (0, 2, 3, 4, 5)], 3, 10)
for o in out:
    print(o)
# > Released(record=Sequenced(key='p0', seq=0, value=0))
# > Gap(key='p0', start=1, end=1, reason='timeout')
# > Released(record=Sequenced(key='p0', seq=2, value=2))
# > Released(record=Sequenced(key='p0', seq=3, value=3))
# > Released(record=Sequenced(key='p0', seq=4, value=4))
# > Released(record=Sequenced(key='p0', seq=5, value=5))
assert not any(isinstance(o, Gap) and o.reason != "timeout" for o in out)
# --8<-- [end:resequence]
