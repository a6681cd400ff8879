"""Past the partition count: idle members, and key-ordered lanes."""

from streamlab.groups import range_assign
from streamlab.partitioning import murmur2_partitioner

# --8<-- [start:idle]
group = {f"pod-{i}": ["orders"] for i in range(12)}
owned = range_assign({"orders": 8}, group)
print(sum(1 for tps in owned.values() if not tps), "of 12 pods idle")
# > 4 of 12 pods idle
# --8<-- [end:idle]


# --8<-- [start:lanes]
def run_lanes(
    records: list[tuple[int, str, int]], lanes: int, by_key: bool
) -> tuple[int, list[tuple[int, int]]]:
    """Process one partition's (offset, key, cost_ms) with ``lanes`` workers.

    by_key: a record goes to lane hash(key) % lanes, so one key is always
    handled by one worker, in offset order. Otherwise: the first free
    worker. Returns (finish time, [(finish, offset)] in finish order).
    """
    free = [0] * lanes
    done: list[tuple[int, int]] = []
    for offset, key, cost in records:  # dispatched in offset order
        if by_key:
            lane = murmur2_partitioner(key.encode(), lanes)
        else:
            lane = free.index(min(free))
        free[lane] += cost
        done.append((free[lane], offset))
    return max(free), sorted(done)


def committable(done: list[tuple[int, int]], at: int) -> int:
    """Next offset to commit at time ``at``: every offset below it is done,
    the rule that keeps a crash from skipping an unfinished record."""
    finished = {offset for end, offset in done if end <= at}
    nxt = 0
    while nxt in finished:
        nxt += 1
    return nxt


def per_key_in_order(
    records: list[tuple[int, str, int]], done: list[tuple[int, int]]
) -> bool:
    """True if every key's records finished in offset order."""
    key_of = {offset: key for offset, key, _ in records}
    last: dict[str, int] = {}
    for _, offset in done:
        if last.get(key_of[offset], -1) > offset:
            return False
        last[key_of[offset]] = offset
    return True


# lanes, dispatch, finish ms, per-key order kept, committable at 800 ms.
# 400 records of 10 customers, 10 ms each except every 7th (60 ms).
records = [(o, f"cust-{o % 10}", 60 if o % 7 == 0 else 10) for o in range(400)]
for lanes, by_key in ((1, True), (8, True), (8, False)):
    end, done = run_lanes(records, lanes, by_key)
    print(
        lanes,
        "by key" if by_key else "any free",
        end,
        per_key_in_order(records, done),
        committable(done, at=800),
    )
# > 1 by key 6900 True 45
# > 8 by key 2050 True 169
# > 8 any free 900 False 357
# --8<-- [end:lanes]
