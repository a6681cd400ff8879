"""Assignors, eager and cooperative rebalances, static membership."""

from streamlab.groups import (
    Assignment,
    Protocol,
    range_assign,
    rebalance,
    rolling_restart,
    round_robin_assign,
    sticky_assign,
)


def show(assignment: Assignment) -> str:
    return "  ".join(
        f"{m}: {' '.join(map(str, tps)) or '-'}"
        for m, tps in assignment.items()
    )


# --8<-- [start:assignors]
# Four single-partition topics, two consumers subscribed to all of them.
topics = {"clicks": 1, "orders": 1, "views": 1, "carts": 1}
group = {"c1": list(topics), "c2": list(topics)}
print(show(range_assign(topics, group)))
# > c1: carts-0 clicks-0 orders-0 views-0  c2: -
print(show(round_robin_assign(topics, group)))
# > c1: carts-0 orders-0  c2: clicks-0 views-0
# --8<-- [end:assignors]

# --8<-- [start:idle]
# More consumers than partitions: the extra member gets nothing.
three = {"c1": ["orders"], "c2": ["orders"], "c3": ["orders"]}
print(show(range_assign({"orders": 2}, three)))
# > c1: orders-0  c2: orders-1  c3: -
# --8<-- [end:idle]

# --8<-- [start:rebalance]
topics = {"orders": 6}
before = sticky_assign(topics, {"c1": ["orders"], "c2": ["orders"]})
print(show(before))
# > c1: orders-0 orders-2 orders-4  c2: orders-1 orders-3 orders-5
after = {"c1": ["orders"], "c2": ["orders"], "c3": ["orders"]}  # scale out
protocols: tuple[Protocol, ...] = ("eager", "cooperative")
for protocol in protocols:
    result = rebalance(before, topics, after, protocol)
    paused = " ".join(str(tp.partition) for tp in result.revoked)
    print(f"{protocol}: {len(result.rounds)} round(s), paused {paused}")
# > eager: 1 round(s), paused 0 1 2 3 4 5
# > cooperative: 2 round(s), paused 4 5
print(show(result.target))
# > c1: orders-0 orders-2  c2: orders-1 orders-3  c3: orders-4 orders-5
# --8<-- [end:rebalance]

# --8<-- [start:static]
pods = ["pod-0", "pod-1", "pod-2", "pod-3"]
for static in (False, True):
    events = rolling_restart(pods, 30_000, 45_000, static=static)
    print("static" if static else "dynamic", sum(e.rebalance for e in events))
# > dynamic 8
# > static 0
slow = rolling_restart(pods, 60_000, 45_000, static=True)
print("static, 60 s restarts", sum(e.rebalance for e in slow))
# > static, 60 s restarts 8
# --8<-- [end:static]
