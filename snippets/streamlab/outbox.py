"""A transactional outbox on SQLite, its relay, and an idempotent consumer.

The dual-write problem: a service that updates its database and then
publishes an event can crash in between, leaving the two disagreeing. The
outbox pattern writes the event as a row of an ``outbox`` table in the same
local transaction as the business change; a relay (a poller here; log-based
CDC such as Debezium in production) publishes outbox rows afterwards and
marks them published only after the broker acknowledged them.

A crash before the commit loses both writes together; a crash between
publish and marking republishes the row after restart. Delivery is
therefore at least once, and the consumer deduplicates by event id, which
makes the end-to-end effect exactly once.

Fault injection: every step that can crash calls ``faults.point(name)``;
a :class:`Faults` plan raises :class:`Crash` at the n-th point reached.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class Crash(Exception):
    """A simulated process crash at a fault point."""


@dataclass
class Faults:
    """Raises :class:`Crash` at the ``crash_at``-th point reached (0-based).

    ``crash_at=None`` never crashes. ``seen`` records the points passed.
    """

    crash_at: int | None = None
    seen: list[str] = field(default_factory=list)

    def point(self, name: str) -> None:
        """Pass a fault point; crash if it is the chosen one. O(1)."""
        index = len(self.seen)
        self.seen.append(name)
        if index == self.crash_at:
            raise Crash(name)


@dataclass(frozen=True, slots=True)
class Event:
    """An event as the broker carries it."""

    event_id: str
    topic: str
    key: str
    payload: str


@dataclass
class Broker:
    """An append-only topic; ``publish`` returning is the ack."""

    log: list[Event] = field(default_factory=list)

    def publish(self, event: Event) -> None:
        """Append ``event``. O(1)."""
        self.log.append(event)


SCHEMA = """
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    customer TEXT NOT NULL,
    amount INTEGER NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
);
"""


def open_db() -> sqlite3.Connection:
    """A fresh in-memory database with the orders and outbox tables."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SCHEMA)
    return conn


# --8<-- [start:write]
def place_order(
    conn: sqlite3.Connection,
    order_id: str,
    customer: str,
    amount: int,
    faults: Faults | None = None,
) -> None:
    """Insert an order and its ``OrderPlaced`` event in one transaction.

    A crash anywhere before ``COMMIT`` rolls both rows back. O(log n) for
    the two index inserts.
    """
    faults = faults or Faults()
    payload = json.dumps({"order": order_id, "amount": amount})
    conn.execute("BEGIN")
    try:
        conn.execute(
            "INSERT INTO orders VALUES (?, ?, ?)", (order_id, customer, amount)
        )
        faults.point("after-business-row")
        conn.execute(
            "INSERT INTO outbox (event_id, topic, msg_key, payload)"
            " VALUES (?, 'orders', ?, ?)",
            (f"order-placed:{order_id}", customer, payload),
        )
        faults.point("before-commit")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# --8<-- [end:write]


# --8<-- [start:relay]
def relay_once(
    conn: sqlite3.Connection,
    broker: Broker,
    faults: Faults | None = None,
    batch: int = 100,
) -> int:
    """Publish unpublished outbox rows in order, marking each after its ack.

    Returns the number of rows published. A crash after ``publish`` and
    before the mark leaves the row unpublished: the next run sends it again
    (at least once). O(batch log n).
    """
    faults = faults or Faults()
    rows = conn.execute(
        "SELECT seq, event_id, topic, msg_key, payload FROM outbox"
        " WHERE published = 0 ORDER BY seq LIMIT ?",
        (batch,),
    ).fetchall()
    for seq, event_id, topic, key, payload in rows:
        faults.point("before-publish")
        broker.publish(Event(event_id, topic, key, payload))
        faults.point("after-publish")
        conn.execute("UPDATE outbox SET published = 1 WHERE seq = ?", (seq,))
        faults.point("after-mark")
    return len(rows)


# --8<-- [end:relay]


# --8<-- [start:consumer]
@dataclass
class IdempotentConsumer:
    """Applies each event once: a per-customer revenue total.

    ``seen`` is the dedup store. In production it is a table updated in the
    same transaction as the effect, or the effect is an upsert keyed by the
    event id.
    """

    seen: set[str] = field(default_factory=set)
    revenue: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0

    def handle(self, event: Event) -> None:
        """Apply ``event`` unless its id was applied before. O(1)."""
        if event.event_id in self.seen:
            self.duplicates += 1
            return
        data: dict[str, Any] = json.loads(event.payload)
        self.revenue[event.key] += int(data["amount"])
        self.seen.add(event.event_id)


# --8<-- [end:consumer]


def unpublished(conn: sqlite3.Connection) -> int:
    """Number of outbox rows not yet marked published. O(n)."""
    (count,) = conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE published = 0"
    ).fetchone()
    return int(count)
