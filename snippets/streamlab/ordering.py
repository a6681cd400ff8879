"""Per-key ordering: a resequencer, and producer retries with and without
a broker-side sequence check.

Two halves, one idea: order is kept by numbering records and refusing to
act on a number out of turn.

* ``Resequencer`` sits in a consumer. Records carry a key and a sequence
  number (per key, contiguous from ``first_seq``); it releases each key's
  records in sequence order, buffers records that arrive ahead of a gap,
  and gives up on a gap when the record behind it has waited ``timeout``
  ticks of a clock that the caller passes in (or that counts records), or
  when the key's buffer exceeds ``max_buffered``. Nothing reads a wall
  clock.
* ``produce`` simulates a producer that sends batches to one partition
  with up to ``max_in_flight`` requests outstanding and retries failed
  ones. Without idempotence a batch whose first attempt is lost lands
  after a later batch (reordering), and a batch whose acknowledgement is
  lost lands twice (duplicate). With idempotence the batch carries a
  producer id and a sequence number, and ``Partition.append`` does what a
  Kafka broker does for an idempotent producer: it appends only the next
  sequence, answers a retry of one of the last five batches as a duplicate
  without appending it, and rejects a batch that skips ahead as out of
  order, so the producer resends it after the missing one.

Faults come from a ``FaultPlan``: a function of (batch, attempt), either
scripted or drawn from a seeded generator, so a run is reproducible and
two configurations can be compared under exactly the same faults.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Literal, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Clock = Literal["time", "records"]


# ---------------------------------------------------------------------------
# Resequencer


@dataclass(frozen=True, slots=True)
class Sequenced(Generic[K, V]):
    """A record numbered within its key: the ``seq``-th record of ``key``."""

    key: K
    seq: int
    value: V


@dataclass(frozen=True, slots=True)
class Released(Generic[K, V]):
    """A record handed downstream, in sequence order for its key."""

    record: Sequenced[K, V]


@dataclass(frozen=True, slots=True)
class Gap(Generic[K]):
    """Sequence numbers ``start`` to ``end`` (inclusive) of ``key`` given up.

    ``reason`` is ``"timeout"`` (a later record waited too long),
    ``"overflow"`` (the key's buffer was full) or ``"flush"`` (end of
    input).
    """

    key: K
    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Dropped(Generic[K, V]):
    """A record not released: ``"stale"`` (its number was already released
    or given up) or ``"duplicate"`` (the same number is buffered)."""

    record: Sequenced[K, V]
    reason: str


Output = Released[K, V] | Gap[K] | Dropped[K, V]


@dataclass
class _KeyState(Generic[V]):
    expected: int
    heap: list[int] = field(default_factory=list)
    buffer: dict[int, tuple[int, V]] = field(default_factory=dict)


class Resequencer(Generic[K, V]):
    """Release each key's records in sequence order, bounded in time and
    memory.

    Every key starts expecting ``first_seq``. A record with the expected
    number is released at once, with any buffered successors it unblocks.
    A record ahead of a gap is buffered. A buffered record waits at most
    ``timeout`` ticks: when a tick finds it expired, the gaps before it
    are reported as ``Gap`` and it is released. A key holding more than
    ``max_buffered`` records gives up its first gap at once.

    The clock is ``"time"`` (the caller passes a non-decreasing ``now`` to
    ``offer`` and ``tick``) or ``"records"`` (the clock is the number of
    records offered so far). Either way nothing reads a wall clock.

    ``offer`` costs O(log b + r) for b records buffered under the key and r
    outputs, amortised over the expiry bookkeeping; space is O(k + b) for
    k keys and b buffered records.

    Args:
        timeout: how many ticks a buffered record may wait, at least 1.
        max_buffered: records buffered per key before a gap is given up,
            at least 1.
        clock: ``"time"`` or ``"records"``.
        first_seq: the first sequence number of every key.

    Raises:
        ValueError: if ``timeout`` or ``max_buffered`` is below 1, or
            ``clock`` is unknown.
    """

    def __init__(
        self,
        timeout: int,
        max_buffered: int,
        clock: Clock = "records",
        first_seq: int = 0,
    ) -> None:
        if timeout < 1:
            raise ValueError(f"timeout must be at least 1, got {timeout}")
        if max_buffered < 1:
            raise ValueError(
                f"max_buffered must be at least 1, got {max_buffered}"
            )
        if clock not in ("time", "records"):
            raise ValueError(f"clock must be 'time' or 'records': {clock!r}")
        self.timeout = timeout
        self.max_buffered = max_buffered
        self.clock: Clock = clock
        self.first_seq = first_seq
        self.now: int | None = None
        self._offers = 0
        self._keys: dict[K, _KeyState[V]] = {}
        # (arrival, key, seq) in arrival order; entries go stale when the
        # record leaves the buffer by another route, and are skipped.
        self._arrivals: deque[tuple[int, K, int]] = deque()

    # --8<-- [start:offer]
    def offer(
        self, record: Sequenced[K, V], now: int | None = None
    ) -> list[Output[K, V]]:
        """Take one record; return what it releases, gives up or drops.

        Expired records are handled first (the clock has moved), then the
        record itself.

        Raises:
            ValueError: if ``now`` is missing with the ``"time"`` clock,
                given with the ``"records"`` clock, or goes backwards.
        """
        if self.clock == "records":
            if now is not None:
                raise ValueError("the 'records' clock takes no 'now'")
            self._offers += 1
            now = self._offers
        elif now is None:
            raise ValueError("the 'time' clock needs 'now'")
        out = self.tick(now) if self.clock == "time" else self._expire(now)
        state = self._keys.get(record.key)
        if state is None:
            state = self._keys[record.key] = _KeyState(self.first_seq)
        if record.seq < state.expected:
            out.append(Dropped(record, "stale"))
        elif record.seq in state.buffer:
            out.append(Dropped(record, "duplicate"))
        elif record.seq == state.expected:
            out.append(Released(record))
            state.expected += 1
            self._drain(record.key, state, out)
        else:
            heapq.heappush(state.heap, record.seq)
            state.buffer[record.seq] = (now, record.value)
            self._arrivals.append((now, record.key, record.seq))
            if len(state.buffer) > self.max_buffered:
                self._skip_to(record.key, state, state.heap[0], "overflow", out)
        return out

    # --8<-- [end:offer]

    def tick(self, now: int) -> list[Output[K, V]]:
        """Advance the ``"time"`` clock to ``now`` and expire what waited
        ``timeout`` or longer.

        Raises:
            ValueError: with the ``"records"`` clock, or if ``now`` goes
                backwards.
        """
        if self.clock != "time":
            raise ValueError("tick() needs the 'time' clock")
        return self._expire(now)

    def flush(self) -> list[Output[K, V]]:
        """End of input: give up every open gap and release everything
        buffered, key by key in first-seen order. O(b log b)."""
        out: list[Output[K, V]] = []
        for key, state in self._keys.items():
            if state.heap:
                self._skip_to(key, state, max(state.buffer), "flush", out)
        self._arrivals.clear()
        return out

    @property
    def buffered(self) -> int:
        """How many records wait behind a gap, over all keys. O(k)."""
        return sum(len(s.buffer) for s in self._keys.values())

    def expected(self, key: K) -> int:
        """The next sequence number ``key`` will release. O(1)."""
        state = self._keys.get(key)
        return self.first_seq if state is None else state.expected

    # --8<-- [start:expire]
    def _expire(self, now: int) -> list[Output[K, V]]:
        if self.now is not None and now < self.now:
            raise ValueError(f"clock went back from {self.now} to {now}")
        self.now = now
        # Per key, the highest buffered number whose wait has run out;
        # everything up to it is released, gaps before it are given up.
        due: dict[K, int] = {}
        while self._arrivals and self._arrivals[0][0] + self.timeout <= now:
            _, key, seq = self._arrivals.popleft()
            if seq in self._keys[key].buffer:
                due[key] = max(seq, due.get(key, seq))
        out: list[Output[K, V]] = []
        for key, last in due.items():
            self._skip_to(key, self._keys[key], last, "timeout", out)
        return out

    def _skip_to(
        self,
        key: K,
        state: _KeyState[V],
        last: int,
        reason: str,
        out: list[Output[K, V]],
    ) -> None:
        """Release every buffered record up to ``last``, reporting the gaps
        between them, then whatever follows contiguously."""
        while state.heap and state.heap[0] <= last:
            seq = heapq.heappop(state.heap)
            if seq > state.expected:
                out.append(Gap(key, state.expected, seq - 1, reason))
            _, value = state.buffer.pop(seq)
            out.append(Released(Sequenced(key, seq, value)))
            state.expected = seq + 1
        self._drain(key, state, out)

    def _drain(
        self, key: K, state: _KeyState[V], out: list[Output[K, V]]
    ) -> None:
        """Release buffered records that now follow without a gap."""
        while state.heap and state.heap[0] == state.expected:
            seq = heapq.heappop(state.heap)
            _, value = state.buffer.pop(seq)
            out.append(Released(Sequenced(key, seq, value)))
            state.expected += 1

    # --8<-- [end:expire]


def resequence(
    records: Iterable[Sequenced[K, V]],
    timeout: int,
    max_buffered: int,
    first_seq: int = 0,
) -> list[Output[K, V]]:
    """Run ``records`` through a record-counting ``Resequencer`` and flush.

    O(n log b) time for n records, O(k + b) space.
    """
    rs: Resequencer[K, V] = Resequencer(
        timeout, max_buffered, "records", first_seq
    )
    out: list[Output[K, V]] = []
    for record in records:
        out.extend(rs.offer(record))
    out.extend(rs.flush())
    return out


# ---------------------------------------------------------------------------
# Producer retries and the broker's sequence check

RETAINED_BATCHES = 5
"""Batches per producer whose sequence numbers a Kafka broker remembers for
duplicate detection, hence ``max.in.flight.requests.per.connection <= 5``
with idempotence."""


class Fault(StrEnum):
    """What happens to one attempt to send a batch."""

    NONE = "none"
    LOST = "lost"  # the request fails before the broker appends anything
    ACK_LOST = "ack lost"  # the broker appends; the response never arrives


class Ack(StrEnum):
    """The broker's answer to one produce request."""

    APPENDED = "appended"
    DUPLICATE = "duplicate"  # already in the log: acknowledged, not appended
    OUT_OF_ORDER = "out of order"  # skips a sequence number: rejected


FaultPlan = Callable[[int, int], Fault]
"""The fault for (batch index, 0-based attempt)."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Records ``first_seq`` .. ``first_seq + len(records) - 1`` of one
    producer for one partition; ``producer_id`` is None without
    idempotence."""

    producer_id: int | None
    first_seq: int
    records: tuple[int, ...]

    @property
    def last_seq(self) -> int:
        """The sequence number of the batch's last record."""
        return self.first_seq + len(self.records) - 1


# --8<-- [start:partition]
class Partition:
    """One partition's log and, per producer id, its sequence state.

    A batch without a producer id is appended as it comes. A batch with
    one is appended only if its first sequence number is the next one
    expected from that producer; a resend of one of the producer's last
    ``RETAINED_BATCHES`` batches is acknowledged as a duplicate without
    being appended; anything else is rejected as out of order. ``append``
    is O(len(batch)); space is O(log + producers).
    """

    def __init__(self) -> None:
        self.log: list[int] = []
        self._next: dict[int, int] = {}
        self._recent: dict[int, deque[tuple[int, int]]] = {}

    def append(self, batch: Batch) -> Ack:
        """Check ``batch`` against its producer's sequence, then append."""
        pid = batch.producer_id
        if pid is not None:
            recent = self._recent.setdefault(
                pid, deque(maxlen=RETAINED_BATCHES)
            )
            if (batch.first_seq, batch.last_seq) in recent:
                return Ack.DUPLICATE
            if batch.first_seq != self._next.get(pid, 0):
                return Ack.OUT_OF_ORDER
            recent.append((batch.first_seq, batch.last_seq))
            self._next[pid] = batch.last_seq + 1
        self.log.extend(batch.records)
        return Ack.APPENDED

    # --8<-- [end:partition]


def scripted(faults: Mapping[tuple[int, int], Fault]) -> FaultPlan:
    """A plan from a table of (batch, attempt) to fault; others succeed."""
    table = dict(faults)
    return lambda batch, attempt: table.get((batch, attempt), Fault.NONE)


def random_faults(seed: int, p_lost: float, p_ack_lost: float) -> FaultPlan:
    """A seeded plan: each (batch, attempt) fails independently.

    The draw depends only on (seed, batch, attempt), so two producer
    configurations see the same faults for the same attempts.

    Raises:
        ValueError: unless both probabilities are >= 0 and sum below 1.
    """
    if p_lost < 0 or p_ack_lost < 0 or p_lost + p_ack_lost >= 1:
        raise ValueError(
            "fault probabilities must be >= 0 and sum below 1,"
            f" got {p_lost} and {p_ack_lost}"
        )

    def plan(batch: int, attempt: int) -> Fault:
        draw = random.Random(f"{seed}/{batch}/{attempt}").random()
        if draw < p_lost:
            return Fault.LOST
        if draw < p_lost + p_ack_lost:
            return Fault.ACK_LOST
        return Fault.NONE

    return plan


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request: ``round``, ``batch`` index, what the broker did, and
    whether the producer heard back."""

    round: int
    batch: int
    outcome: str
    acked: bool


@dataclass(frozen=True, slots=True)
class ProduceResult:
    """The partition's log (record values in log order) and every attempt."""

    log: list[int]
    attempts: list[Attempt]

    @property
    def duplicates(self) -> int:
        """Records appended more than once, counting each extra copy."""
        return len(self.log) - len(set(self.log))

    @property
    def overtaken(self) -> int:
        """Records whose first copy lands after a record sent later. O(n)."""
        seen: set[int] = set()
        highest = -1
        count = 0
        for value in self.log:
            if value in seen:
                continue
            seen.add(value)
            if value < highest:
                count += 1
            highest = max(highest, value)
        return count


# --8<-- [start:produce]
def produce(
    records: int,
    batch_size: int,
    max_in_flight: int,
    idempotent: bool,
    faults: FaultPlan,
    max_rounds: int = 10_000,
) -> ProduceResult:
    """Send ``records`` values (0, 1, ...) in batches to one partition.

    Each round the producer sends up to ``max_in_flight`` batches, failed
    ones first, in batch order; the broker handles the requests in the
    order sent. A request fails if its attempt is ``LOST`` (nothing
    appended), ``ACK_LOST`` (the broker acted, the answer is lost) or, with
    idempotence, if the broker rejects it as out of order. Failed batches
    are retried without limit, ahead of newer ones. With idempotence an
    acknowledgement for a batch also settles every earlier batch whose
    answer was lost: the broker appends only in sequence, so they are in
    the log.

    O(attempts * batch_size) time, O(records) space.

    Raises:
        ValueError: for non-positive sizes, or idempotence with more than
            ``RETAINED_BATCHES`` requests in flight.
        RuntimeError: if the batches are not all acknowledged within
            ``max_rounds`` rounds.
    """
    if records < 0 or batch_size < 1 or max_in_flight < 1:
        raise ValueError("need records >= 0, batch_size >= 1, in-flight >= 1")
    if idempotent and max_in_flight > RETAINED_BATCHES:
        raise ValueError(
            f"idempotence needs max_in_flight <= {RETAINED_BATCHES},"
            f" got {max_in_flight}"
        )
    pid = 1 if idempotent else None
    batches = [
        Batch(pid, s, tuple(range(s, min(s + batch_size, records))))
        for s in range(0, records, batch_size)
    ]
    partition = Partition()
    pending = deque(range(len(batches)))
    tries = [0] * len(batches)
    attempts: list[Attempt] = []
    rounds = 0
    acked = -1  # with idempotence: every batch up to here is in the log
    while pending:
        rounds += 1
        if rounds > max_rounds:
            raise RuntimeError(f"not all batches acked in {max_rounds} rounds")
        sent = [
            pending.popleft() for _ in range(min(max_in_flight, len(pending)))
        ]
        failed = []
        for b in sent:
            fault = faults(b, tries[b])
            tries[b] += 1
            if fault == Fault.LOST:
                outcome, ok = "lost", False
            else:
                ack = partition.append(batches[b])
                ok = ack != Ack.OUT_OF_ORDER and fault != Fault.ACK_LOST
                outcome = str(ack)
                if fault == Fault.ACK_LOST:
                    outcome += ", ack lost"
            attempts.append(Attempt(rounds, b, outcome, ok))
            if not ok:
                failed.append(b)
            elif idempotent:  # in sequence, so every earlier batch is in
                acked = max(acked, b)
        failed = [b for b in failed if b > acked]
        pending.extendleft(reversed(failed))
    return ProduceResult(partition.log, attempts)
    # --8<-- [end:produce]
