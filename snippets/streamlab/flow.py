"""Flow control for a consumer that is slower than its input.

Four small building blocks, all driven by a virtual clock so that every run
is deterministic:

* ``BoundedBuffer``: a FIFO with a capacity and an overflow policy (block,
  drop the newest item, drop the oldest item) that counts what it refused,
  dropped and delivered.
* ``TokenBucket``: a rate limiter (``rate`` tokens per second, at most
  ``burst`` saved up) queried with the current virtual time in milliseconds.
* ``AimdBatcher``: additive-increase / multiplicative-decrease sizing of
  micro-batches from the observed step latency.
* ``run_unbounded``, ``run_dropping`` and ``run_credit_based``: tick-by-tick
  simulations of a fast source feeding a slow consumer, without flow control
  (memory grows), with a drop policy (items are lost) and with credit-based
  backpressure in the style of Flink's network stack (the source reads from
  a durable log only as far as the consumer has granted credit).

Times are integers (milliseconds for the token bucket, ticks for the
simulations). No threads, no wall clock.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Generic, TypeVar

T = TypeVar("T")


class Overflow(Enum):
    """What a full ``BoundedBuffer`` does with one more item."""

    BLOCK = "block"
    """Refuse it: the producer keeps the item and must offer it again later."""
    DROP_NEWEST = "drop-newest"
    """Discard the incoming item."""
    DROP_OLDEST = "drop-oldest"
    """Evict the oldest buffered item to make room for the incoming one."""


class BoundedBuffer(Generic[T]):
    """A FIFO buffer with a capacity and an overflow policy.

    Counters obey ``offered == delivered + dropped + refused + len(self)`` at
    every moment: each call to ``offer`` is one offer, and every offered item
    is either still buffered, already delivered, dropped, or refused (handed
    back to the producer under ``Overflow.BLOCK``).

    ``offer`` and ``poll`` of one item are O(1) time; space is O(capacity),
    or O(items buffered) when the buffer is unbounded.

    Args:
        capacity: the most items held at once, at least 1; ``None`` for an
            unbounded buffer (which never refuses or drops).
        policy: what to do when an item is offered to a full buffer.

    Raises:
        ValueError: if ``capacity`` is smaller than 1.
    """

    def __init__(
        self, capacity: int | None, policy: Overflow = Overflow.BLOCK
    ) -> None:
        if capacity is not None and capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.policy = policy
        self._items: deque[T] = deque()
        self.offered = 0
        self.delivered = 0
        self.dropped = 0
        self.refused = 0
        self.max_size = 0
        """The largest number of items ever held at once (high-water mark)."""

    def __len__(self) -> int:
        return len(self._items)

    def is_full(self) -> bool:
        """Tell whether the next offer would overflow. O(1)."""
        return self.capacity is not None and len(self._items) >= self.capacity

    # --8<-- [start:offer]
    def offer(self, item: T) -> bool:
        """Offer one item; return whether it is now in the buffer. O(1).

        On a full buffer, ``BLOCK`` returns ``False`` and keeps nothing (the
        caller still owns the item), ``DROP_NEWEST`` returns ``False`` and
        counts the item as dropped, ``DROP_OLDEST`` returns ``True`` and
        counts the evicted oldest item as dropped.
        """
        self.offered += 1
        if not self.is_full():
            self._items.append(item)
            self.max_size = max(self.max_size, len(self._items))
            return True
        if self.policy is Overflow.BLOCK:
            self.refused += 1
            return False
        self.dropped += 1
        if self.policy is Overflow.DROP_NEWEST:
            return False
        self._items.popleft()
        self._items.append(item)
        return True
        # --8<-- [end:offer]

    def poll(self, limit: int = 1) -> list[T]:
        """Remove and return up to ``limit`` items, oldest first.

        O(k) time for the k items returned.

        Raises:
            ValueError: if ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        taken = [
            self._items.popleft() for _ in range(min(limit, len(self._items)))
        ]
        self.delivered += len(taken)
        return taken


class TokenBucket:
    """A token-bucket rate limiter on a virtual clock.

    The bucket starts full with ``burst`` tokens at time ``start`` and gains
    ``rate`` tokens per second (1000 time units), never holding more than
    ``burst``. Over any interval of length ``d`` ms it therefore grants at
    most ``burst + rate * d / 1000`` tokens. Arithmetic is exact (fractions),
    so the bound holds without rounding slack. Every method is O(1) time and
    space.

    Args:
        rate: tokens added per second, at least 1.
        burst: bucket size, the most tokens that can be taken at once; at
            least 1.
        start: the virtual time (ms) at which the bucket is full.

    Raises:
        ValueError: if ``rate`` or ``burst`` is smaller than 1.
    """

    def __init__(self, rate: int, burst: int, start: int = 0) -> None:
        if rate < 1:
            raise ValueError(f"rate must be at least 1 per second, got {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate = rate
        self.burst = burst
        self._tokens = Fraction(burst)
        self._last = start

    def _level(self, now: int, n: int) -> Fraction:
        """Tokens in the bucket at ``now``, after checking the arguments."""
        if now < self._last:
            raise ValueError(
                f"time went backwards: {now} is before {self._last}"
            )
        if not 1 <= n <= self.burst:
            raise ValueError(f"n must be in [1, {self.burst}], got {n}")
        refill = Fraction(self.rate * (now - self._last), 1000)
        return min(Fraction(self.burst), self._tokens + refill)

    def available(self, now: int) -> Fraction:
        """Tokens that could be taken at ``now`` (exact). O(1).

        Raises:
            ValueError: if ``now`` is before the last time the bucket saw.
        """
        return self._level(now, 1)

    def try_acquire(self, now: int, n: int = 1) -> bool:
        """Take ``n`` tokens at time ``now`` if the bucket holds them. O(1).

        Returns ``False``, taking nothing, when fewer than ``n`` tokens are
        available; the caller should wait ``delay_until_available``.

        Raises:
            ValueError: if ``now`` is before the last time the bucket saw, or
                ``n`` is not in ``[1, burst]`` (more than ``burst`` tokens can
                never be available at once).
        """
        level = self._level(now, n)
        self._last = now
        if level < n:
            self._tokens = level
            return False
        self._tokens = level - n
        return True

    def delay_until_available(self, now: int, n: int = 1) -> int:
        """Milliseconds from ``now`` until ``n`` tokens are available. O(1).

        The result is the smallest whole number of milliseconds ``d`` such
        that ``try_acquire(now + d, n)`` succeeds if nothing else takes
        tokens first; 0 if it would succeed now. The bucket is not changed.

        Raises:
            ValueError: as for ``try_acquire``.
        """
        missing = n - self._level(now, n)
        if missing <= 0:
            return 0
        return math.ceil(missing * 1000 / self.rate)


class AimdBatcher:
    """Batch sizing by additive increase, multiplicative decrease (AIMD).

    After each step, feed the step's latency to ``observe``: while it is at
    or under ``target`` the batch grows by ``increase``; above it the batch
    shrinks to ``floor(size * decrease)``. The size always stays within
    ``[min_size, max_size]``. With latency growing in the batch size, the
    size settles into a sawtooth just under the largest batch that meets
    the target, the same shape TCP congestion control traces. O(1) time and
    space per observation.

    Args:
        target: the latency budget of one step.
        initial: the first batch size, within the bounds.
        max_size: the largest batch allowed.
        min_size: the smallest batch allowed, at least 1.
        increase: how much to add after a step within budget, at least 1.
        decrease: the factor applied after a step over budget, in (0, 1).

    Raises:
        ValueError: if the bounds, the initial size or a factor is invalid.
    """

    def __init__(
        self,
        target: float,
        *,
        initial: int,
        max_size: int,
        min_size: int = 1,
        increase: int = 1,
        decrease: Fraction = Fraction(1, 2),
    ) -> None:
        if not 1 <= min_size <= initial <= max_size:
            raise ValueError(
                "need 1 <= min_size <= initial <= max_size, got "
                f"{min_size}, {initial}, {max_size}"
            )
        if increase < 1:
            raise ValueError(f"increase must be at least 1, got {increase}")
        if not 0 < decrease < 1:
            raise ValueError(f"decrease must be in (0, 1), got {decrease}")
        self.target = target
        self.min_size = min_size
        self.max_size = max_size
        self.increase = increase
        self.decrease = decrease
        self.size = initial

    # --8<-- [start:observe]
    def observe(self, latency: float) -> int:
        """Record one step's latency and return the next batch size. O(1)."""
        if latency <= self.target:
            self.size = min(self.max_size, self.size + self.increase)
        else:
            shrunk = math.floor(self.size * self.decrease)
            self.size = max(self.min_size, shrunk)
        return self.size
        # --8<-- [end:observe]


@dataclass(frozen=True, slots=True)
class FlowReport:
    """What a flow simulation did, in items.

    ``offered == delivered + dropped + final_lag`` always holds: lag counts
    every item that arrived and is neither processed nor lost, wherever it
    waits (in memory, or in the durable log for the credit-based run).
    """

    offered: int
    delivered: int
    dropped: int
    max_buffered: int
    """Peak number of items held in the consumer's memory."""
    final_lag: int
    max_lag: int


def _check_rates(arrivals: Sequence[int], service: Sequence[int]) -> None:
    if len(arrivals) != len(service):
        raise ValueError(
            f"arrivals and service differ in length: "
            f"{len(arrivals)} != {len(service)}"
        )
    if any(x < 0 for x in arrivals) or any(x < 0 for x in service):
        raise ValueError("arrivals and service must not be negative")


def _run_push(
    arrivals: Sequence[int], service: Sequence[int], buffer: BoundedBuffer[int]
) -> FlowReport:
    """Push every arrival into ``buffer``; the consumer polls its share."""
    _check_rates(arrivals, service)
    next_id = 0
    max_lag = 0
    for arrived, capacity in zip(arrivals, service, strict=True):
        for _ in range(arrived):
            buffer.offer(next_id)
            next_id += 1
        buffer.poll(capacity)
        max_lag = max(max_lag, next_id - buffer.delivered - buffer.dropped)
    return FlowReport(
        offered=next_id,
        delivered=buffer.delivered,
        dropped=buffer.dropped,
        max_buffered=buffer.max_size,
        final_lag=len(buffer),
        max_lag=max_lag,
    )


def run_unbounded(
    arrivals: Sequence[int], service: Sequence[int]
) -> FlowReport:
    """Simulate a push pipeline into an unbounded in-memory queue.

    Each tick ``arrivals[t]`` items are pushed, then the consumer processes
    up to ``service[t]``. Nothing is lost, but memory grows with the
    backlog. O(total arrivals) time, O(peak backlog) space.

    Raises:
        ValueError: if the sequences differ in length or hold negatives.
    """
    return _run_push(arrivals, service, BoundedBuffer(None))


def run_dropping(
    arrivals: Sequence[int],
    service: Sequence[int],
    capacity: int,
    policy: Overflow = Overflow.DROP_NEWEST,
) -> FlowReport:
    """Simulate a push pipeline into a bounded queue that sheds load.

    Like ``run_unbounded``, but the queue holds at most ``capacity`` items
    and overflow is dropped per ``policy``. Memory is bounded; items are
    lost. O(total arrivals) time, O(capacity) space.

    Raises:
        ValueError: if ``policy`` is ``Overflow.BLOCK`` (a push source cannot
            wait; see ``run_credit_based``), or as for ``run_unbounded``.
    """
    if policy is Overflow.BLOCK:
        raise ValueError("a push pipeline cannot block; use run_credit_based")
    return _run_push(arrivals, service, BoundedBuffer(capacity, policy))


# --8<-- [start:credit]
def run_credit_based(
    arrivals: Sequence[int], service: Sequence[int], credits: int
) -> FlowReport:
    """Simulate credit-based backpressure with a durable log as the buffer.

    Arrivals are appended to a log (as producers append to a Kafka topic).
    The receiver grants ``credits`` buffer slots; each tick the sender
    ships at most as many items as it holds credit for, the consumer
    processes up to ``service[t]``, and every processed item returns one
    credit, usable from the next tick (the credit announcement). In-memory
    items never exceed ``credits``, nothing is dropped, and the backlog
    waits in the log as lag. O(total delivered) time, O(credits) space.

    Raises:
        ValueError: if ``credits`` is smaller than 1, or as for
            ``run_unbounded``.
    """
    _check_rates(arrivals, service)
    inbox: BoundedBuffer[int] = BoundedBuffer(credits, Overflow.BLOCK)
    log_end = 0  # offset the next arrival gets (log end offset)
    read = 0  # next offset the sender will read from the log
    credit = credits  # free slots the receiver has announced
    max_lag = 0
    for arrived, capacity in zip(arrivals, service, strict=True):
        log_end += arrived
        sendable = min(credit, log_end - read)
        for offset in range(read, read + sendable):
            inbox.offer(offset)  # never refused: credit == free slots
        read += sendable
        credit -= sendable
        credit += len(inbox.poll(capacity))  # announce freed slots
        max_lag = max(max_lag, log_end - inbox.delivered)
    return FlowReport(
        offered=log_end,
        delivered=inbox.delivered,
        dropped=0,
        max_buffered=inbox.max_size,
        final_lag=log_end - inbox.delivered,
        max_lag=max_lag,
    )
    # --8<-- [end:credit]
