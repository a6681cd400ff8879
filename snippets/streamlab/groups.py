"""Consumer group assignment and rebalancing, as in Kafka's classic protocol.

A group's members each subscribe to some topics; an assignor maps every
partition of the subscribed topics to exactly one member. Three assignors,
with the semantics of Kafka's built-in ones:

* :func:`range_assign` (``RangeAssignor``): per topic, partitions in order,
  members in sorted order, each member a contiguous range; when the count
  does not divide, the first members get one extra partition.
* :func:`round_robin_assign` (``RoundRobinAssignor``): all subscribed
  topic-partitions in order, dealt to the sorted members in turn, skipping a
  member not subscribed to the topic.
* :func:`sticky_assign` (``StickyAssignor`` and ``CooperativeStickyAssignor``):
  as balanced as possible (counts differ by at most one) and, within that,
  keeping as many current assignments as possible. Kafka's version also
  handles members with different subscriptions; this one requires identical
  subscriptions and is then provably optimal.

:func:`rebalance` replays a membership change under the two protocols:
eager (every member revokes everything, then all is reassigned: one round,
every partition pauses) and cooperative (KIP-429: members keep what stays
theirs, revoke only what moves, and the moved partitions are assigned in a
second round). :func:`rolling_restart` counts the rebalances a rolling
restart triggers with and without static membership (KIP-345).

Member names stand for member ids (or ``group.instance.id`` for static
members); everything is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal, NamedTuple


class TopicPartition(NamedTuple):
    """A partition of a topic; sorts by topic, then partition number."""

    topic: str
    partition: int

    def __str__(self) -> str:
        return f"{self.topic}-{self.partition}"


#: Partition count per topic.
Topics = Mapping[str, int]
#: Topics each member subscribes to.
Subscriptions = Mapping[str, Collection[str]]
#: Partitions per member, sorted; every member appears, possibly with [].
Assignment = dict[str, list[TopicPartition]]
#: What each member owns now (the input of a sticky assignor).
Owned = Mapping[str, Collection[TopicPartition]]
#: ``assignor(topics, subscriptions, owned) -> assignment``.
Assignor = Callable[[Topics, Subscriptions, Owned], Assignment]
#: Kafka's ``RebalanceProtocol``.
Protocol = Literal["eager", "cooperative"]


def partitions_of(topics: Topics, names: Iterable[str]) -> list[TopicPartition]:
    """Every partition of the named topics, in (topic, partition) order.

    Topics missing from ``topics`` have no partitions (no metadata yet).
    O(P log P) for P partitions.
    """
    return [
        TopicPartition(t, p)
        for t in sorted(set(names))
        for p in range(topics.get(t, 0))
    ]


def _empty(subscriptions: Subscriptions) -> Assignment:
    return {member: [] for member in sorted(subscriptions)}


# --8<-- [start:range]
def range_assign(
    topics: Topics, subscriptions: Subscriptions, owned: Owned | None = None
) -> Assignment:
    """Kafka's ``RangeAssignor``; ``owned`` is ignored (it is not sticky).

    For each topic: its subscribers in sorted order, n partitions, c
    subscribers; member i gets ``n // c`` partitions, plus one if
    ``i < n % c``, as one contiguous range. Per topic, so with many topics
    of few partitions the first members collect the extras of every topic.
    O(P + M log M) for P partitions and M members.
    """
    result = _empty(subscriptions)
    for topic in sorted({t for ts in subscriptions.values() for t in ts}):
        members = sorted(m for m, ts in subscriptions.items() if topic in ts)
        quota, extra = divmod(topics.get(topic, 0), len(members))
        start = 0
        for i, member in enumerate(members):
            size = quota + (1 if i < extra else 0)
            result[member] += [
                TopicPartition(topic, p) for p in range(start, start + size)
            ]
            start += size
    return result


# --8<-- [end:range]


# --8<-- [start:round_robin]
def round_robin_assign(
    topics: Topics, subscriptions: Subscriptions, owned: Owned | None = None
) -> Assignment:
    """Kafka's ``RoundRobinAssignor``; ``owned`` is ignored.

    All subscribed partitions in order are dealt to the members in sorted
    order, one each in turn; a member not subscribed to a partition's topic
    is skipped. Balanced (counts within one) when all subscriptions are
    equal. O(P * M) worst case, O(P) with equal subscriptions.
    """
    result = _empty(subscriptions)
    members = sorted(subscriptions)
    if not members:
        return result
    turn = 0
    every = {t for ts in subscriptions.values() for t in ts}
    for tp in partitions_of(topics, every):
        while tp.topic not in subscriptions[members[turn % len(members)]]:
            turn += 1
        result[members[turn % len(members)]].append(tp)
        turn += 1
    return result


# --8<-- [end:round_robin]


# --8<-- [start:sticky]
def sticky_assign(
    topics: Topics, subscriptions: Subscriptions, owned: Owned | None = None
) -> Assignment:
    """Balanced assignment that moves as few partitions as possible.

    With P partitions and M members, r = P mod M members get
    ``P // M + 1`` partitions and the rest ``P // M``. The r larger quotas
    go to the members that own the most partitions now (ties by name), each
    member keeps up to its quota of what it owns, and the remaining
    partitions go, in order, to the member with the fewest partitions among
    those below their quota (ties by name). That keeps the maximum possible
    number of current assignments, so a rebalance moves the minimum.
    Partitions of departed members or of topics nobody subscribes to any
    more are free.

    From scratch it deals partitions in turn like round robin, which is
    where Kafka's ``StickyAssignor`` starts too. O(P * M + P log P).

    Raises:
        ValueError: if subscriptions differ, or if two members own the same
            partition.
    """
    result = _empty(subscriptions)
    if not result:
        return result
    wanted = {frozenset(ts) for ts in subscriptions.values()}
    if len(wanted) != 1:
        raise ValueError("sticky_assign needs identical subscriptions")
    pool = partitions_of(topics, next(iter(wanted)))
    valid = set(pool)
    current: dict[str, list[TopicPartition]] = {}
    seen: set[TopicPartition] = set()
    for member in sorted(owned or {}):
        mine = sorted(set((owned or {})[member]))
        if seen.intersection(mine):
            raise ValueError(f"{member} owns a partition another member owns")
        seen.update(mine)
        if member in result:
            current[member] = [tp for tp in mine if tp in valid]
    quota, extra = divmod(len(pool), len(result))
    by_ownership = sorted(result, key=lambda m: (-len(current.get(m, [])), m))
    caps = {
        m: quota + (1 if i < extra else 0) for i, m in enumerate(by_ownership)
    }
    taken: set[TopicPartition] = set()
    for member in result:
        kept = current.get(member, [])[: caps[member]]
        result[member] = list(kept)
        taken.update(kept)
    for tp in pool:
        if tp not in taken:
            open_ = [m for m in result if len(result[m]) < caps[m]]
            member = min(open_, key=lambda m: (len(result[m]), m))
            result[member].append(tp)
    return {m: sorted(tps) for m, tps in result.items()}


# --8<-- [end:sticky]


def moves(before: Owned, after: Owned) -> list[TopicPartition]:
    """Partitions owned before whose owner changed (or that were dropped).

    O(P log P).
    """
    owner = {tp: m for m, tps in after.items() for tp in tps}
    return sorted(
        tp for m, tps in before.items() for tp in tps if owner.get(tp) != m
    )


@dataclass(frozen=True, slots=True)
class Round:
    """One round of a rebalance: what each member gave up and received."""

    revoked: dict[str, list[TopicPartition]]
    assigned: dict[str, list[TopicPartition]]
    owned: dict[str, list[TopicPartition]]


@dataclass(frozen=True, slots=True)
class Rebalance:
    """The rounds of one rebalance and its final assignment."""

    protocol: Protocol
    rounds: tuple[Round, ...]
    target: Assignment

    @property
    def revoked(self) -> list[TopicPartition]:
        """Every partition a live member had to stop processing."""
        return sorted(
            tp for r in self.rounds for tps in r.revoked.values() for tp in tps
        )


# --8<-- [start:rebalance]
def rebalance(
    owned: Owned,
    topics: Topics,
    subscriptions: Subscriptions,
    protocol: Protocol = "cooperative",
    assignor: Assignor = sticky_assign,
) -> Rebalance:
    """Replay one rebalance of a group whose membership changed.

    ``owned`` is the assignment before (members missing from
    ``subscriptions`` have left; their partitions are orphaned, not
    revoked); ``subscriptions`` is the membership after.

    * eager: one round; every remaining member revokes all it owns, then the
      full target is assigned. Every partition pauses, even those that come
      back to the same member.
    * cooperative: round 1 keeps what stays, revokes only what moves to
      another member and already assigns orphaned or new partitions; if
      anything was revoked, round 2 assigns it. No partition ever has two
      owners. (In Kafka only an assignor that supports the cooperative
      protocol can run it, ``CooperativeStickyAssignor`` among the built-in
      ones.)

    O(P log P) plus the assignor's cost.
    """
    before = {
        m: sorted(set(tps)) for m, tps in owned.items() if m in subscriptions
    }
    target = assignor(topics, subscriptions, before)
    if protocol == "eager":
        revoked = {m: tps for m, tps in before.items() if tps}
        only = Round(
            revoked, {m: tps for m, tps in target.items() if tps}, target
        )
        return Rebalance(protocol, (only,), target)
    held = {tp for tps in before.values() for tp in tps}
    keep = {
        m: [tp for tp in before.get(m, []) if tp in target[m]] for m in target
    }
    give_up = {
        m: [tp for tp in tps if tp not in target[m]]
        for m, tps in before.items()
    }
    free = {m: [tp for tp in target[m] if tp not in held] for m in target}
    first = Round(
        {m: tps for m, tps in give_up.items() if tps},
        {m: tps for m, tps in free.items() if tps},
        {m: sorted(keep[m] + free[m]) for m in target},
    )
    if not first.revoked:
        return Rebalance(protocol, (first,), target)
    rest = {
        m: [tp for tp in target[m] if tp not in first.owned[m]] for m in target
    }
    second = Round({}, {m: tps for m, tps in rest.items() if tps}, target)
    return Rebalance(protocol, (first, second), target)


# --8<-- [end:rebalance]


@dataclass(frozen=True, slots=True)
class MembershipEvent:
    """What the group coordinator sees of one member at one time."""

    time_ms: int
    member: str
    event: str
    rebalance: bool


# --8<-- [start:rolling_restart]
def rolling_restart(
    members: Sequence[str],
    downtime_ms: int,
    session_timeout_ms: int,
    static: bool,
    gap_ms: int = 0,
) -> list[MembershipEvent]:
    """Events of restarting ``members`` one after another (classic protocol).

    Member i stops at ``i * (downtime_ms + gap_ms)`` and is back
    ``downtime_ms`` later.

    * Dynamic member: a clean shutdown sends LeaveGroup (rebalance) and the
      restarted process joins with a new member id (rebalance): two per
      member, so 2n for the group.
    * Static member (``group.instance.id`` set): no LeaveGroup. Back within
      ``session_timeout_ms``, it rejoins under the same instance id and gets
      its old partitions without a rebalance; its partitions are simply not
      read meanwhile. Away longer, the coordinator expires it (rebalance)
      and its return is a new join (rebalance).

    Rebalances that overlap in time may merge into one in a real cluster,
    so the count is an upper bound. O(n log n).

    Raises:
        ValueError: for a negative duration.
    """
    if min(downtime_ms, session_timeout_ms, gap_ms) < 0:
        raise ValueError("durations must not be negative")
    events: list[MembershipEvent] = []
    for i, member in enumerate(members):
        down = i * (downtime_ms + gap_ms)
        up = down + downtime_ms
        if not static:
            events.append(MembershipEvent(down, member, "leave", True))
            events.append(MembershipEvent(up, member, "join", True))
        elif downtime_ms < session_timeout_ms:
            events.append(MembershipEvent(down, member, "stop", False))
            events.append(MembershipEvent(up, member, "rejoin", False))
        else:
            expiry = down + session_timeout_ms
            events.append(MembershipEvent(down, member, "stop", False))
            events.append(MembershipEvent(expiry, member, "expire", True))
            events.append(MembershipEvent(up, member, "join", True))
    return sorted(events, key=lambda e: e.time_ms)


# --8<-- [end:rolling_restart]


def balance_gap(assignment: Mapping[str, Collection[TopicPartition]]) -> int:
    """Largest minus smallest number of partitions per member. O(M)."""
    sizes = [len(tps) for tps in assignment.values()]
    return max(sizes) - min(sizes) if sizes else 0


def kept_at_most(owned: Owned, partitions: int, members: Sequence[str]) -> int:
    """Most current assignments any balanced assignment can keep.

    Brute force over which members get the larger quota; the oracle for
    :func:`sticky_assign`. ``owned`` must hold valid partitions of members
    in ``members``. O(C(M, r) * M).
    """
    quota, extra = divmod(partitions, len(members))
    best = 0
    for bigger in combinations(members, extra):
        kept = sum(
            min(len(owned.get(m, ())), quota + (m in bigger)) for m in members
        )
        best = max(best, kept)
    return best


__all__ = [
    "Assignment",
    "Assignor",
    "MembershipEvent",
    "Owned",
    "Protocol",
    "Rebalance",
    "Round",
    "Subscriptions",
    "TopicPartition",
    "Topics",
    "balance_gap",
    "kept_at_most",
    "moves",
    "partitions_of",
    "range_assign",
    "rebalance",
    "rolling_restart",
    "round_robin_assign",
    "sticky_assign",
]
