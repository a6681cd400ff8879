"""Two groups on one topic, and what a crash does to one of them."""

from streamlab.groups import Assignment, Protocol, rebalance, sticky_assign


def show(assignment: Assignment) -> str:
    return "  ".join(
        f"{m}: {' '.join(str(tp.partition) for tp in tps) or '-'}"
        for m, tps in assignment.items()
    )


# --8<-- [start:groups]
topics = {"clicks": 6}
features = {m: ["clicks"] for m in ("f1", "f2", "f3")}
archiver = {"a1": ["clicks"]}
before = sticky_assign(topics, features)
print("features:", show(before))
print("archiver:", show(sticky_assign(topics, archiver)))
# > features: f1: 0 3  f2: 1 4  f3: 2 5
# > archiver: a1: 0 1 2 3 4 5
# --8<-- [end:groups]

# --8<-- [start:crash]
# f2 crashes: after session.timeout.ms the coordinator drops it.
survivors = {m: ["clicks"] for m in ("f1", "f3")}
protocols: tuple[Protocol, ...] = ("eager", "cooperative")
for protocol in protocols:
    result = rebalance(before, topics, survivors, protocol)
    stopped = " ".join(str(tp.partition) for tp in result.revoked) or "-"
    print(f"{protocol}: {show(result.target)}, also paused: {stopped}")
# > eager: f1: 0 1 3  f3: 2 4 5, also paused: 0 2 3 5
# > cooperative: f1: 0 1 3  f3: 2 4 5, also paused: -
# --8<-- [end:crash]
