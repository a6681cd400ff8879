"""Rolling restarts, rebalance protocols and the poll-interval budget."""

from streamlab.groups import (
    Owned,
    Protocol,
    range_assign,
    rebalance,
    rolling_restart,
    sticky_assign,
)

# --8<-- [start:timeline]
pods = ["pod-0", "pod-1", "pod-2"]
for static in (False, True):
    events = rolling_restart(pods, 20_000, 45_000, static=static)
    shown = [f"{e.time_ms // 1000}s {e.member} {e.event}" for e in events[:3]]
    rebalances = sum(e.rebalance for e in events)
    print("static" if static else "dynamic", rebalances, shown)
# > dynamic 6 ['0s pod-0 leave', '20s pod-0 join', '20s pod-1 leave']
# > static 0 ['0s pod-0 stop', '20s pod-0 rejoin', '20s pod-1 stop']
# --8<-- [end:timeline]


# --8<-- [start:protocols]
def rolling_bounce(protocol: Protocol) -> tuple[int, int]:
    """Restart 4 dynamic members of a 12-partition group one by one:
    each restart is a leave and a join. Returns (rebalances, revocations)."""
    topics = {"events": 12}
    members = [f"c{i}" for i in range(4)]
    assignor = range_assign if protocol == "eager" else sticky_assign
    owned: Owned = assignor(topics, {m: ["events"] for m in members}, {})
    rebalances = revoked = 0
    for member in members:
        for present in ([m for m in members if m != member], members):
            subs = {m: ["events"] for m in present}
            result = rebalance(owned, topics, subs, protocol, assignor)
            owned = result.target
            rebalances += 1
            revoked += len(result.revoked)
    return rebalances, revoked


protocols: tuple[Protocol, ...] = ("eager", "cooperative")
for protocol in protocols:
    count, revoked = rolling_bounce(protocol)
    print(f"{protocol}: {count} rebalances, {revoked} partitions revoked")
# > eager: 8 rebalances, 84 partitions revoked
# > cooperative: 8 rebalances, 12 partitions revoked
# --8<-- [end:protocols]

# --8<-- [start:poll_budget]
max_poll_interval_ms = 300_000  # default, 5 minutes
for records, ms_each in ((500, 100), (500, 800), (50, 800)):
    batch_ms = records * ms_each
    verdict = "ok" if batch_ms < max_poll_interval_ms else "kicked out"
    print(f"max.poll.records={records}, {ms_each} ms each: {verdict}")
# > max.poll.records=500, 100 ms each: ok
# > max.poll.records=500, 800 ms each: kicked out
# > max.poll.records=50, 800 ms each: ok
# --8<-- [end:poll_budget]
