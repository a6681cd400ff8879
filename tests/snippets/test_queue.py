"""Tests for streamlab.queue: unit tests plus properties against oracles."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.queue import Delivery, MessageQueue, UnknownDeliveryError

PROPERTY = settings(max_examples=200, deadline=None)


def bodies(deliveries: list[Delivery[str]]) -> list[str]:
    return [d.message.body for d in deliveries]


def filled(*items: str, **kwargs: Any) -> MessageQueue[str]:
    queue = MessageQueue[str](**kwargs)
    for item in items:
        queue.publish(item, now=0)
    return queue


# --- unit tests --------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["visibility_timeout", "max_deliveries", "prefetch"]
)
def test_limits_must_be_positive(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be positive"):
        MessageQueue[str](**{name: 0})


def test_each_message_goes_to_one_consumer_in_fifo_order() -> None:
    queue = filled("a", "b", "c")
    first = queue.receive("w1", now=0)
    second = queue.receive("w2", now=0, max_messages=5)
    assert bodies(first) == ["a"] and bodies(second) == ["b", "c"]
    assert [d.consumer for d in first + second] == ["w1", "w2", "w2"]
    assert queue.ready == 0 and queue.unacked == 3
    assert queue.receive("w3", now=0) == []


def test_ack_deletes_for_good() -> None:
    queue = filled("a")
    (delivery,) = queue.receive("w1", now=0)
    queue.ack(delivery, now=1)
    assert queue.ready == queue.unacked == 0
    assert queue.receive("w2", now=10**9) == []
    with pytest.raises(UnknownDeliveryError, match="not outstanding"):
        queue.ack(delivery, now=2)  # double ack


def test_nack_requeues_at_the_original_position() -> None:
    queue = filled("a", "b", "c")
    a, b = queue.receive("w1", now=0, max_messages=2)
    queue.nack(a, now=1)
    again = queue.receive("w2", now=2, max_messages=2)
    assert bodies(again) == ["a", "c"]  # a before c, as it was published
    assert again[0].redelivered and again[0].delivery_count == 2
    assert not again[1].redelivered and again[1].delivery_count == 1
    assert again[0].tag != a.tag
    with pytest.raises(UnknownDeliveryError):
        queue.nack(a, now=3)  # the old delivery is settled
    queue.ack(b, now=3)  # b is still with w1 and can be acked


def test_nack_without_requeue_dead_letters() -> None:
    queue = filled("poison", "ok")
    (delivery,) = queue.receive("w1", now=0)
    queue.nack(delivery, now=1, requeue=False)
    assert [m.body for m in queue.dead_letters] == ["poison"]
    assert bodies(queue.receive("w1", now=2)) == ["ok"]


def test_visibility_timeout_redelivers_and_rejects_late_acks() -> None:
    queue = filled("job", visibility_timeout=30)
    (first,) = queue.receive("w1", now=100)
    assert first.deadline == 130
    assert queue.expire(now=129) == 0
    assert queue.receive("w2", now=129) == []
    (second,) = queue.receive("w2", now=130)  # expired at its deadline
    assert second.redelivered and second.consumer == "w2"
    with pytest.raises(UnknownDeliveryError):
        queue.ack(first, now=131)
    queue.ack(second, now=131)
    assert queue.expire(now=10**6) == 0  # the acked deadline is ignored


def test_without_timeout_deliveries_wait_forever() -> None:
    queue = filled("job")
    (delivery,) = queue.receive("w1", now=0)
    assert delivery.deadline is None
    assert queue.receive("w2", now=10**12) == []
    queue.ack(delivery, now=10**12)


def test_max_deliveries_moves_a_message_to_dead_letters() -> None:
    queue = filled("poison", "next", max_deliveries=2)
    for now in (0, 1):
        (delivery,) = queue.receive("w1", now=now)
        assert bodies([delivery]) == ["poison"]
        queue.nack(delivery, now=now)
    assert [m.body for m in queue.dead_letters] == ["poison"]
    assert delivery.delivery_count == 2
    assert bodies(queue.receive("w1", now=2)) == ["next"]


def test_disconnect_requeues_everything_the_consumer_holds() -> None:
    queue = filled("a", "b", "c")
    queue.receive("w1", now=0, max_messages=2)
    (c,) = queue.receive("w2", now=0)
    assert queue.disconnect("w1", now=1) == 2
    assert queue.unacked == 1 and queue.ready == 2
    assert bodies(queue.receive("w3", now=2, max_messages=3)) == ["a", "b"]
    queue.ack(c, now=3)


def test_prefetch_caps_unacked_deliveries_per_consumer() -> None:
    queue = filled("a", "b", "c", "d", prefetch=2)
    first = queue.receive("w1", now=0, max_messages=10)
    assert bodies(first) == ["a", "b"]
    assert queue.receive("w1", now=0) == []
    assert bodies(queue.receive("w2", now=0)) == ["c"]
    queue.ack(first[0], now=1)
    assert bodies(queue.receive("w1", now=1, max_messages=10)) == ["d"]


def test_message_keeps_publish_time() -> None:
    queue = MessageQueue[str]()
    assert queue.publish("x", now=42) == 0
    (delivery,) = queue.receive("w", now=50)
    assert delivery.message.published_at == 42
    assert delivery.message.id == 0


# --- properties ------------------------------------------------------------

Step = tuple[str, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ("publish",) * 2
            + ("receive",) * 2
            + ("ack",) * 2
            + ("nack", "drop", "tick", "disconnect", "stale")
        ),
        st.integers(0, 2),  # consumer, or which outstanding delivery
        st.integers(1, 3),  # batch size or time step
    ),
    min_size=5,
    max_size=50,
)
settings_space = st.tuples(
    st.one_of(st.none(), st.integers(1, 5)),  # visibility timeout
    st.one_of(st.none(), st.integers(1, 3)),  # max deliveries
    st.one_of(st.none(), st.integers(1, 3)),  # prefetch
)


@PROPERTY
@given(steps, settings_space)
def test_every_message_is_acked_once_or_dead_lettered(
    script: list[Step],
    config: tuple[int | None, int | None, int | None],
) -> None:
    timeout, max_deliveries, prefetch = config
    queue = MessageQueue[int](
        visibility_timeout=timeout,
        max_deliveries=max_deliveries,
        prefetch=prefetch,
    )
    now = 0
    published: list[int] = []
    outstanding: list[Delivery[int]] = []  # what the consumers believe
    settled: list[Delivery[int]] = []
    acked: Counter[int] = Counter()
    dropped: set[int] = set()  # nack(requeue=False)
    counts: Counter[int] = Counter()  # oracle of delivery counts

    def check(d: Delivery[int]) -> None:
        counts[d.message.id] += 1
        assert d.delivery_count == counts[d.message.id]
        assert d.redelivered == (d.delivery_count > 1)
        assert max_deliveries is None or d.delivery_count <= max_deliveries

    def receive(consumer: str, n: int) -> None:
        for d in queue.receive(consumer, now, n):
            check(d)
            outstanding.append(d)
        if prefetch is not None:
            mine = [d for d in outstanding if d.consumer == consumer]
            live = [d for d in mine if queue_holds(d)]
            assert len(live) <= prefetch

    def queue_holds(d: Delivery[int]) -> bool:
        return d.deadline is None or now < d.deadline

    def settle(i: int) -> Delivery[int] | None:
        if not outstanding:
            return None
        d = outstanding.pop(i % len(outstanding))
        settled.append(d)
        return d

    for op, i, n in script:
        consumer = f"w{i}"
        if op == "publish":
            published.append(queue.publish(len(published), now))
        elif op == "receive":
            receive(consumer, n)
        elif op in ("ack", "nack", "drop"):
            d = settle(i)
            if d is None:
                continue
            expired = not queue_holds(d)
            try:
                if op == "ack":
                    queue.ack(d, now)
                    acked[d.message.id] += 1
                else:
                    queue.nack(d, now, requeue=op == "nack")
                    if op == "drop":
                        dropped.add(d.message.id)
                assert not expired
            except UnknownDeliveryError:
                assert expired  # only an expired delivery is refused
        elif op == "tick":
            now += n
        elif op == "disconnect":
            queue.disconnect(consumer, now)
            outstanding[:] = [d for d in outstanding if d.consumer != consumer]
        elif settled:  # stale: a settled delivery can never be acked again
            with pytest.raises(UnknownDeliveryError):
                queue.ack(settled[i % len(settled)], now)

    while queue.ready or queue.unacked:  # drain: ack everything left
        now += 10**6  # past every deadline
        queue.disconnect("w0", now)
        queue.disconnect("w1", now)
        queue.disconnect("w2", now)
        for d in queue.receive("drain", now, 10**6):
            check(d)
            queue.ack(d, now)
            acked[d.message.id] += 1

    dead = [m.id for m in queue.dead_letters]
    assert all(count == 1 for count in acked.values())  # acked exactly once
    assert len(dead) == len(set(dead))
    assert set(acked).isdisjoint(dead)
    assert set(acked) | set(dead) == set(published)
    for message_id in set(dead) - dropped:  # dead by the delivery limit
        assert counts[message_id] == max_deliveries


@PROPERTY
@given(
    st.lists(st.booleans(), min_size=1, max_size=30),
    st.integers(1, 4),
)
def test_redelivery_keeps_publish_order_with_one_consumer(
    fails: list[bool], batch: int
) -> None:
    queue = MessageQueue[int]()
    for i in range(len(fails)):
        queue.publish(i, now=0)
    failed_once: set[int] = set()
    pending = set(range(len(fails)))  # oracle: every message not yet acked
    while pending:
        got = queue.receive("solo", now=0, max_messages=batch)
        ids = [d.message.id for d in got]
        assert ids == sorted(pending)[: len(ids)]  # the oldest ones first
        for d in got:
            i = d.message.id
            if fails[i] and i not in failed_once:
                failed_once.add(i)
                queue.nack(d, now=0)
            else:
                queue.ack(d, now=0)
                pending.discard(i)
