"""A message queue with competing consumers, acks, redelivery and a DLQ.

An in-memory model of a broker-managed work queue (a RabbitMQ queue, an SQS
queue). Unlike :mod:`streamlab.log`, the broker keeps state per message:

* ``receive`` hands each ready message to exactly one consumer and marks it
  unacknowledged; consumers compete for messages instead of each reading all.
* ``ack`` deletes the message for good: no later consumer can read it again.
* ``nack(requeue=True)``, a missed visibility timeout and a lost consumer all
  put the message back at its original place in the queue (RabbitMQ requeues
  "to its original position, if possible"); the next delivery carries
  ``redelivered=True`` and a higher ``delivery_count``.
* With ``max_deliveries`` set, a message whose delivery fails after that many
  deliveries goes to the dead-letter list instead (like a quorum queue's
  delivery limit with a dead-letter exchange); so does ``nack(requeue=False)``.

The visibility timeout stands for SQS's visibility timeout and, coarsely,
for RabbitMQ's delivery acknowledgement timeout (which closes the whole
channel). Times are integers passed in as ``now``: the module never reads a
clock.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class UnknownDeliveryError(LookupError):
    """The delivery was already acked, nacked, expired or handed back."""


@dataclass(frozen=True, slots=True)
class Message(Generic[T]):
    """A published message."""

    id: int
    body: T
    published_at: int


@dataclass(frozen=True, slots=True)
class Delivery(Generic[T]):
    """One hand-over of a message to a consumer, awaiting its ack.

    ``tag`` identifies the delivery (not the message): a redelivery of the
    same message gets a new tag, and only the latest tag can be acked.
    """

    tag: int
    message: Message[T]
    consumer: str
    delivery_count: int
    deadline: int | None

    @property
    def redelivered(self) -> bool:
        """True when the message was delivered before (RabbitMQ's flag)."""
        return self.delivery_count > 1


class MessageQueue(Generic[T]):
    """A FIFO queue whose broker tracks every message until it is acked.

    Args:
        visibility_timeout: an unacked delivery expires this long after it
            was handed out, and its message is redelivered; ``None`` waits
            forever (until ``nack`` or ``disconnect``).
        max_deliveries: after this many failed deliveries a message is
            dead-lettered instead of requeued; ``None`` retries forever.
        prefetch: at most this many unacked deliveries per consumer (AMQP's
            ``basic.qos`` prefetch count); ``None`` for no limit.

    Raises:
        ValueError: if a given limit is not positive.
    """

    def __init__(
        self,
        *,
        visibility_timeout: int | None = None,
        max_deliveries: int | None = None,
        prefetch: int | None = None,
    ) -> None:
        limits = {
            "visibility_timeout": visibility_timeout,
            "max_deliveries": max_deliveries,
            "prefetch": prefetch,
        }
        for name, limit in limits.items():
            if limit is not None and limit < 1:
                raise ValueError(f"{name} must be positive, got {limit}")
        self._visibility_timeout = visibility_timeout
        self._max_deliveries = max_deliveries
        self._prefetch = prefetch
        self._messages: dict[int, Message[T]] = {}  # published, not yet gone
        self._ready: list[int] = []  # heap of message ids: FIFO by publish
        self._deliveries: Counter[int] = Counter()  # message id -> count
        self._unacked: dict[int, Delivery[T]] = {}  # tag -> delivery
        self._deadlines: list[tuple[int, int]] = []  # heap of (deadline, tag)
        self._in_flight: Counter[str] = Counter()  # consumer -> unacked
        self._dead: list[Message[T]] = []
        self._next_id = 0
        self._next_tag = 0

    @property
    def ready(self) -> int:
        """Messages waiting for a consumer. O(1)."""
        return len(self._ready)

    @property
    def unacked(self) -> int:
        """Messages handed out and not yet acked. O(1)."""
        return len(self._unacked)

    @property
    def dead_letters(self) -> list[Message[T]]:
        """Messages given up on, in the order they were dead-lettered."""
        return list(self._dead)

    def publish(self, body: T, now: int) -> int:
        """Enqueue a message and return its id. O(log n)."""
        message = Message(self._next_id, body, now)
        self._next_id += 1
        self._messages[message.id] = message
        heapq.heappush(self._ready, message.id)
        return message.id

    # --8<-- [start:receive]
    def receive(
        self, consumer: str, now: int, max_messages: int = 1
    ) -> list[Delivery[T]]:
        """Hand up to ``max_messages`` ready messages to ``consumer``.

        Expired deliveries are requeued first. Each message goes to one
        consumer only; it stays with the broker, unacked, until ``ack``.
        O((k + e) log n) for k deliveries and e expirations.
        """
        self.expire(now)
        room = max_messages
        if self._prefetch is not None:
            room = min(room, self._prefetch - self._in_flight[consumer])
        batch: list[Delivery[T]] = []
        while self._ready and len(batch) < room:
            message = self._messages[heapq.heappop(self._ready)]
            self._deliveries[message.id] += 1
            deadline = None
            if self._visibility_timeout is not None:
                deadline = now + self._visibility_timeout
            delivery = Delivery(
                self._next_tag,
                message,
                consumer,
                self._deliveries[message.id],
                deadline,
            )
            self._next_tag += 1
            self._unacked[delivery.tag] = delivery
            self._in_flight[consumer] += 1
            if deadline is not None:
                heapq.heappush(self._deadlines, (deadline, delivery.tag))
            batch.append(delivery)
        return batch

    def ack(self, delivery: Delivery[T], now: int) -> None:
        """Confirm processing: the message is deleted and cannot come back.

        O(log n) amortized.

        Raises:
            UnknownDeliveryError: if the delivery is no longer outstanding
                (acked, nacked, past its deadline at ``now``, or handed back
                by ``disconnect``).
        """
        self._settle(delivery, now)
        del self._messages[delivery.message.id]
        del self._deliveries[delivery.message.id]

    # --8<-- [end:receive]

    def nack(
        self, delivery: Delivery[T], now: int, *, requeue: bool = True
    ) -> None:
        """Reject a delivery: requeue it, or dead-letter it at once.

        A requeued message that has used up ``max_deliveries`` is
        dead-lettered instead. O(log n) amortized.

        Raises:
            UnknownDeliveryError: if the delivery is no longer outstanding.
        """
        self._settle(delivery, now)
        if requeue:
            self._requeue(delivery.message)
        else:
            self._dead_letter(delivery.message)

    def expire(self, now: int) -> int:
        """Requeue every delivery whose deadline is ``<= now``; count them.

        O(e log u) for e expired deliveries among u outstanding.
        """
        expired = 0
        while self._deadlines and self._deadlines[0][0] <= now:
            _, tag = heapq.heappop(self._deadlines)
            delivery = self._unacked.pop(tag, None)
            if delivery is None:
                continue  # settled before its deadline
            self._in_flight[delivery.consumer] -= 1
            self._requeue(delivery.message)
            expired += 1
        return expired

    def disconnect(self, consumer: str, now: int) -> int:
        """Requeue everything ``consumer`` holds, as a closed channel does.

        Returns the number of deliveries handed back. O(u log n).
        """
        self.expire(now)
        held = [d for d in self._unacked.values() if d.consumer == consumer]
        for delivery in held:
            self._settle(delivery, now)
            self._requeue(delivery.message)
        return len(held)

    def _settle(self, delivery: Delivery[T], now: int) -> None:
        """Remove an outstanding delivery, or raise if it is not one."""
        self.expire(now)
        if delivery.tag not in self._unacked:
            raise UnknownDeliveryError(
                f"delivery {delivery.tag} of message {delivery.message.id}"
                " is not outstanding"
            )
        del self._unacked[delivery.tag]
        self._in_flight[delivery.consumer] -= 1

    def _requeue(self, message: Message[T]) -> None:
        limit = self._max_deliveries
        if limit is not None and self._deliveries[message.id] >= limit:
            self._dead_letter(message)
        else:
            heapq.heappush(self._ready, message.id)

    def _dead_letter(self, message: Message[T]) -> None:
        del self._messages[message.id]
        del self._deliveries[message.id]
        self._dead.append(message)
