"""streamlab.outbox: atomic writes, at-least-once relay, crash points."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.outbox import (
    Broker,
    Crash,
    Faults,
    IdempotentConsumer,
    open_db,
    place_order,
    relay_once,
    unpublished,
)


def test_order_and_event_commit_together() -> None:
    conn = open_db()
    place_order(conn, "o1", "ana", 30)
    assert conn.execute("SELECT * FROM orders").fetchall() == [
        ("o1", "ana", 30)
    ]
    assert unpublished(conn) == 1
    broker = Broker()
    assert relay_once(conn, broker) == 1
    assert unpublished(conn) == 0
    assert relay_once(conn, broker) == 0
    [event] = broker.log
    assert (event.event_id, event.topic, event.key) == (
        "order-placed:o1",
        "orders",
        "ana",
    )


@pytest.mark.parametrize("point", [0, 1])
def test_crash_before_commit_leaves_no_row(point: int) -> None:
    conn = open_db()
    faults = Faults(crash_at=point)
    with pytest.raises(Crash):
        place_order(conn, "o1", "ana", 30, faults)
    assert conn.execute("SELECT COUNT(*) FROM orders").fetchone() == (0,)
    assert unpublished(conn) == 0
    assert faults.seen == ["after-business-row", "before-commit"][: point + 1]


def test_failed_business_write_rolls_back() -> None:
    conn = open_db()
    place_order(conn, "o1", "ana", 30)
    with pytest.raises(Exception, match="UNIQUE"):
        place_order(conn, "o1", "ben", 5)  # duplicate order id
    assert unpublished(conn) == 1


def test_crash_after_publish_republishes_and_consumer_dedups() -> None:
    conn = open_db()
    place_order(conn, "o1", "ana", 30)
    broker = Broker()
    with pytest.raises(Crash, match="after-publish"):
        relay_once(conn, broker, Faults(crash_at=1))
    assert unpublished(conn) == 1  # published, but not marked
    relay_once(conn, broker)
    assert [e.event_id for e in broker.log] == ["order-placed:o1"] * 2
    consumer = IdempotentConsumer()
    for event in broker.log:
        consumer.handle(event)
    assert consumer.revenue == Counter({"ana": 30})
    assert consumer.duplicates == 1


ORDERS = st.lists(
    st.tuples(st.sampled_from(["ana", "ben", "eve"]), st.integers(1, 100)),
    max_size=6,
)


def run_with_crash(
    orders: list[tuple[str, int]], crash_at: int | None, batch: int
) -> tuple[Faults, dict[str, int], IdempotentConsumer, Broker, int]:
    """One process lifetime with at most one crash, then a clean restart.

    Returns the faults plan, the committed revenue, the consumer, the
    broker and the number of outbox rows left unpublished.
    """
    conn = open_db()
    broker = Broker()
    faults = Faults(crash_at)
    committed: Counter[str] = Counter()
    try:
        for i, (customer, amount) in enumerate(orders):
            place_order(conn, f"o{i}", customer, amount, faults)
            committed[customer] += amount
        while relay_once(conn, broker, faults, batch):
            pass
    except Crash:
        pass  # the process dies; the database survives
    # Restart: the service has lost its in-flight request; the relay resumes.
    while relay_once(conn, broker, batch=batch):
        pass
    consumer = IdempotentConsumer()
    for event in broker.log:
        consumer.handle(event)
    return faults, dict(committed), consumer, broker, unpublished(conn)


@settings(max_examples=60, deadline=None)
@given(ORDERS, st.integers(1, 4))
def test_no_crash_point_loses_or_duplicates_an_effect(
    orders: list[tuple[str, int]], batch: int
) -> None:
    clean, expected, *_ = run_with_crash(orders, None, batch)
    assert expected == dict(
        sum((Counter({c: a}) for c, a in orders), Counter())
    )
    for crash_at in range(len(clean.seen) + 1):
        faults, committed, consumer, broker, left = run_with_crash(
            orders, crash_at, batch
        )
        assert left == 0
        # Nothing lost: every committed order reached the consumer; nothing
        # duplicated: its effect was applied once.
        assert dict(consumer.revenue) == committed
        ids = Counter(e.event_id for e in broker.log)
        assert len(ids) == len(consumer.seen)
        assert sum(ids.values()) - len(ids) == consumer.duplicates
        # At most one redelivery, and only after a crash between publish
        # and mark.
        crashed_at = faults.seen[-1] if crash_at < len(clean.seen) else None
        extra = 1 if crashed_at == "after-publish" else 0
        assert consumer.duplicates == extra
