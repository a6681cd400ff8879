"""Tests for streamlab.groups: Kafka's javadoc examples, properties, oracles."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.groups import (
    Assignment,
    Assignor,
    Owned,
    TopicPartition,
    balance_gap,
    kept_at_most,
    moves,
    partitions_of,
    range_assign,
    rebalance,
    rolling_restart,
    round_robin_assign,
    sticky_assign,
)

PROPERTY = settings(max_examples=200, deadline=None)


def tps(*names: str) -> list[TopicPartition]:
    """``tps("t0p0", "t1p2")`` in the javadoc's notation."""
    out = []
    for name in names:
        topic, partition = name.split("p")
        out.append(TopicPartition(topic, int(partition)))
    return out


def same(members: list[str], topics: dict[str, int]) -> dict[str, list[str]]:
    return {m: list(topics) for m in members}


# --- Kafka javadoc examples ------------------------------------------------
# RangeAssignor, RoundRobinAssignor and StickyAssignor class javadoc,
# https://kafka.apache.org/42/javadoc/org/apache/kafka/clients/consumer/


def test_range_assignor_javadoc_example() -> None:
    topics = {"t0": 3, "t1": 3}
    result = range_assign(topics, same(["C0", "C1"], topics))
    assert result == {
        "C0": tps("t0p0", "t0p1", "t1p0", "t1p1"),
        "C1": tps("t0p2", "t1p2"),
    }


def test_round_robin_assignor_javadoc_examples() -> None:
    topics = {"t0": 3, "t1": 3}
    result = round_robin_assign(topics, same(["C0", "C1"], topics))
    assert result == {
        "C0": tps("t0p0", "t0p2", "t1p1"),
        "C1": tps("t0p1", "t1p0", "t1p2"),
    }
    uneven = round_robin_assign(
        {"t0": 1, "t1": 2, "t2": 3},
        {"C0": ["t0"], "C1": ["t0", "t1"], "C2": ["t0", "t1", "t2"]},
    )
    assert uneven == {
        "C0": tps("t0p0"),
        "C1": tps("t1p0"),
        "C2": tps("t1p1", "t2p0", "t2p1", "t2p2"),
    }


def test_sticky_assignor_javadoc_example_1() -> None:
    topics = {"t0": 2, "t1": 2, "t2": 2, "t3": 2}
    first = sticky_assign(topics, same(["C0", "C1", "C2"], topics))
    assert first == {
        "C0": tps("t0p0", "t1p1", "t3p0"),
        "C1": tps("t0p1", "t2p0", "t3p1"),
        "C2": tps("t1p0", "t2p1"),
    }
    after = sticky_assign(topics, same(["C0", "C2"], topics), first)
    assert after == {  # the javadoc lists them unsorted
        "C0": sorted(tps("t0p0", "t1p1", "t3p0", "t2p0")),
        "C2": sorted(tps("t1p0", "t2p1", "t0p1", "t3p1")),
    }
    # Round robin from scratch would reshuffle instead:
    assert round_robin_assign(topics, same(["C0", "C2"], topics)) == {
        "C0": tps("t0p0", "t1p0", "t2p0", "t3p0"),
        "C2": tps("t0p1", "t1p1", "t2p1", "t3p1"),
    }


# --- properties --------------------------------------------------------------

topics_strategy = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.integers(min_value=0, max_value=7),
    min_size=1,
)
members_strategy = st.lists(
    st.sampled_from(["m1", "m2", "m3", "m4", "m5"]),
    min_size=1,
    max_size=5,
    unique=True,
)


def check_complete(
    assignment: Assignment,
    topics: dict[str, int],
    subscriptions: dict[str, list[str]],
) -> None:
    """Every subscribed partition has exactly one owner, who subscribes."""
    owners = Counter(tp for tps in assignment.values() for tp in tps)
    every = {t for ts in subscriptions.values() for t in ts}
    assert sorted(owners) == partitions_of(topics, every)
    assert set(owners.values()) <= {1}
    assert set(assignment) == set(subscriptions)
    for member, owned in assignment.items():
        assert owned == sorted(owned)
        assert all(tp.topic in subscriptions[member] for tp in owned)


@PROPERTY
@given(topics_strategy, members_strategy, st.data())
def test_range_gives_contiguous_ranges_first_members_larger(
    topics: dict[str, int], members: list[str], data: st.DataObject
) -> None:
    subs = {
        m: data.draw(st.lists(st.sampled_from(sorted(topics)), unique=True))
        for m in members
    }
    result = range_assign(topics, subs)
    check_complete(result, topics, subs)
    for topic in {t for ts in subs.values() for t in ts}:
        subscribers = sorted(m for m in members if topic in subs[m])
        ranges = [
            [tp.partition for tp in result[m] if tp.topic == topic]
            for m in subscribers
        ]
        assert [p for r in ranges for p in r] == list(range(topics[topic]))
        sizes = [len(r) for r in ranges]
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes) - min(sizes) <= 1


@PROPERTY
@given(topics_strategy, members_strategy)
def test_round_robin_with_equal_subscriptions_deals_in_turn(
    topics: dict[str, int], members: list[str]
) -> None:
    subs = same(members, topics)
    result = round_robin_assign(topics, subs)
    check_complete(result, topics, subs)
    order = sorted(members)
    for i, tp in enumerate(partitions_of(topics, topics)):  # oracle
        assert tp in result[order[i % len(order)]]
    assert balance_gap(result) <= 1


@PROPERTY
@given(topics_strategy, members_strategy, st.data())
def test_round_robin_with_any_subscriptions_is_complete(
    topics: dict[str, int], members: list[str], data: st.DataObject
) -> None:
    subs = {
        m: data.draw(st.lists(st.sampled_from(sorted(topics)), unique=True))
        for m in members
    }
    check_complete(round_robin_assign(topics, subs), topics, subs)


@st.composite
def owned_strategy(
    draw: st.DrawFn, topics: dict[str, int], members: list[str]
) -> dict[str, list[TopicPartition]]:
    """Current owners, possibly with departed members and stale topics."""
    pool = [*partitions_of(topics, topics), TopicPartition("gone", 0)]
    holders = [*members, "left-1", "left-2"]
    owned: dict[str, list[TopicPartition]] = {}
    for tp in pool:
        holder = draw(st.sampled_from([None, *holders]))
        if holder is not None:
            owned.setdefault(holder, []).append(tp)
    return owned


@PROPERTY
@given(topics_strategy, members_strategy, st.data())
def test_sticky_is_balanced_and_keeps_the_most_possible(
    topics: dict[str, int], members: list[str], data: st.DataObject
) -> None:
    subs = same(members, topics)
    owned = data.draw(owned_strategy(topics, members))
    result = sticky_assign(topics, subs, owned)
    check_complete(result, topics, subs)
    assert balance_gap(result) <= 1
    valid = set(partitions_of(topics, topics))
    live = {m: [tp for tp in owned.get(m, []) if tp in valid] for m in members}
    kept = sum(len(set(result[m]) & set(live[m])) for m in members)
    total = sum(topics.values())
    assert kept == kept_at_most(live, total, sorted(members))  # oracle


def test_sticky_rejects_what_it_cannot_honour() -> None:
    with pytest.raises(ValueError, match="identical subscriptions"):
        sticky_assign({"a": 1, "b": 1}, {"m1": ["a"], "m2": ["b"]})
    with pytest.raises(ValueError, match="another member owns"):
        sticky_assign(
            {"a": 2},
            {"m1": ["a"]},
            {"m1": tps("ap0"), "m2": tps("ap0")},
        )
    assert sticky_assign({"a": 2}, {}) == {}
    assert round_robin_assign({"a": 2}, {}) == {}


# --- rebalancing ----------------------------------------------------------

ASSIGNORS: list[Assignor] = [sticky_assign, range_assign, round_robin_assign]


@PROPERTY
@given(
    topics_strategy,
    members_strategy,
    st.sampled_from(ASSIGNORS),
    st.data(),
)
def test_eager_and_cooperative_reach_the_same_target(
    topics: dict[str, int],
    members: list[str],
    assignor: Assignor,
    data: st.DataObject,
) -> None:
    owned: Owned = data.draw(owned_strategy(topics, members))
    subs = same(members, topics)
    eager = rebalance(owned, topics, subs, "eager", assignor)
    coop = rebalance(owned, topics, subs, "cooperative", assignor)
    assert eager.target == coop.target == assignor(topics, subs, owned)
    assert eager.rounds[-1].owned == coop.rounds[-1].owned == eager.target
    survivors = {m: sorted(set(tps)) for m, tps in owned.items() if m in subs}
    # Eager: one round, every partition a live member held is revoked.
    assert len(eager.rounds) == 1
    assert eager.revoked == sorted(tp for t in survivors.values() for tp in t)
    # Cooperative: only partitions leaving a live member are revoked.
    assert coop.revoked == moves(survivors, coop.target)
    assert set(coop.revoked) <= set(eager.revoked)
    assert len(coop.rounds) == (2 if coop.revoked else 1)
    for step in coop.rounds:  # never two owners at once
        held = [tp for t in step.owned.values() for tp in t]
        assert len(held) == len(set(held))
    first = coop.rounds[0]
    for member, kept in first.owned.items():
        before = set(survivors.get(member, []))
        assert set(kept) - before <= set(first.assigned.get(member, []))


def test_scale_out_with_cooperative_sticky_moves_few() -> None:
    topics = {"orders": 6}
    owned = {"c1": tps("ordersp0", "ordersp1", "ordersp2")}
    owned["c2"] = tps("ordersp3", "ordersp4", "ordersp5")
    subs = same(["c1", "c2", "c3"], topics)
    eager = rebalance(owned, topics, subs, "eager", range_assign)
    coop = rebalance(owned, topics, subs, "cooperative")
    assert len(eager.revoked) == 6
    assert coop.revoked == tps("ordersp2", "ordersp5")
    assert coop.rounds[1].assigned == {"c3": tps("ordersp2", "ordersp5")}


def test_rolling_restart_dynamic_vs_static() -> None:
    members = ["a", "b", "c"]
    dynamic = rolling_restart(members, 20_000, 45_000, static=False)
    assert sum(e.rebalance for e in dynamic) == 6
    assert [(e.time_ms, e.member, e.event) for e in dynamic[:2]] == [
        (0, "a", "leave"),
        (20_000, "a", "join"),
    ]
    static = rolling_restart(members, 20_000, 45_000, static=True)
    assert sum(e.rebalance for e in static) == 0
    slow = rolling_restart(members, 60_000, 45_000, static=True, gap_ms=5)
    assert sum(e.rebalance for e in slow) == 6
    assert [e.event for e in slow if e.member == "b"] == [
        "stop",
        "expire",
        "join",
    ]
    assert [e.time_ms for e in slow] == sorted(e.time_ms for e in slow)
    with pytest.raises(ValueError, match="negative"):
        rolling_restart(members, -1, 45_000, static=True)


def test_helpers() -> None:
    assert str(TopicPartition("orders", 3)) == "orders-3"
    assert balance_gap({}) == 0
    assert partitions_of({"a": 2}, ["a", "missing"]) == tps("ap0", "ap1")
    assert kept_at_most({"x": tps("ap0", "ap1")}, 2, ["x", "y"]) == 1
