"""Deterministic test tools for streaming code: a virtual clock and a driver.

Streaming operators depend on two clocks: event time (timestamps in the
data, moved forward by watermarks) and processing time (the machine's
clock, which drives periodic watermarks, idleness and timers). A test that
reads the real clock is slow and flaky, so this module replaces both:

* :class:`VirtualClock` holds processing time as an integer that moves
  only when the test calls :meth:`VirtualClock.advance`; timers scheduled
  on it fire in time order (ties in scheduling order), like a simulated
  clock in Kafka Streams' ``TopologyTestDriver`` (its
  ``advanceWallClockTime``) or the processing time a Flink test harness
  sets by hand.
* :class:`OutputCollector` gathers what an operator emits and hands it out
  in order, like Kafka Streams' ``TestOutputTopic``.
* :class:`WindowTestDriver` wires a bounded-out-of-orderness watermark
  generator (:mod:`streamlab.watermarks`) into a windowed aggregation
  (:mod:`streamlab.windows`). The test pipes timestamped records in, moves
  the clock or the watermark explicitly, and reads results and late events
  from two collectors. Nothing happens between calls, so a run is a pure
  function of its inputs.
* :func:`shuffle_within_bound` makes seeded arrival orders in which no
  event is more than ``bound`` behind the newest one seen, the promise a
  bounded-out-of-orderness watermark relies on.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    Aggregate,
    LateEvent,
    Window,
    WindowedAggregation,
    WindowResult,
    WindowSpec,
)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
A = TypeVar("A")
T = TypeVar("T")

#: Flink's default pipeline.auto-watermark-interval: periodic watermarks.
DEFAULT_WATERMARK_INTERVAL_MS = 200


@dataclass(order=True, slots=True)
class Timer:
    """A callback due at ``time``; ``seq`` breaks ties in scheduling order."""

    time: int
    seq: int
    callback: Callable[[int], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """Stop the timer from firing. O(1); it is skipped when due."""
        self.cancelled = True


# --8<-- [start:clock]
class VirtualClock:
    """Processing time that moves only when the test says so.

    ``schedule(at, callback)`` registers ``callback(at)``; ``advance(ms)``
    moves the clock and fires every due timer in time order, setting
    ``now`` to each timer's time while it runs. A callback may schedule
    more timers; those due within the same advance fire too. Each timer
    costs O(log t) to schedule and to fire, for t pending; space is O(t).

    Args:
        start: the initial time.
    """

    def __init__(self, start: int = 0) -> None:
        self._now = start
        self._timers: list[Timer] = []
        self._seq = 0

    @property
    def now(self) -> int:
        """The current processing time."""
        return self._now

    @property
    def pending(self) -> int:
        """How many timers are scheduled and not cancelled."""
        return sum(not t.cancelled for t in self._timers)

    def schedule(self, at: int, callback: Callable[[int], None]) -> Timer:
        """Run ``callback(at)`` when the clock reaches ``at``.

        Raises:
            ValueError: if ``at`` is in the past.
        """
        if at < self._now:
            raise ValueError(f"cannot schedule at {at}, before now {self._now}")
        self._seq += 1
        timer = Timer(at, self._seq, callback)
        heapq.heappush(self._timers, timer)
        return timer

    def advance(self, ms: int) -> int:
        """Move the clock forward by ``ms``; return how many timers fired.

        Raises:
            ValueError: if ``ms`` is negative (time never goes back).
        """
        if ms < 0:
            raise ValueError(f"cannot advance by a negative {ms} ms")
        target = self._now + ms
        fired = 0
        while self._timers and self._timers[0].time <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = timer.time
            timer.callback(timer.time)
            fired += 1
        self._now = target
        return fired

    # --8<-- [end:clock]


class OutputCollector(Generic[T]):
    """An ordered queue of outputs with read-once semantics.

    Like Kafka Streams' ``TestOutputTopic``: ``read`` and ``read_all`` take
    items off the queue, ``history`` keeps everything ever collected. O(1)
    per item appended or read.
    """

    def __init__(self) -> None:
        self._queue: list[T] = []
        self._read = 0
        self.history: list[T] = []

    def append(self, item: T) -> None:
        """Collect one output."""
        self._queue.append(item)
        self.history.append(item)

    def extend(self, items: Iterable[T]) -> None:
        """Collect outputs in order."""
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        """How many outputs are still unread."""
        return len(self._queue) - self._read

    def is_empty(self) -> bool:
        """Whether every output has been read."""
        return len(self) == 0

    def read(self) -> T:
        """Take the oldest unread output.

        Raises:
            LookupError: if there is none.
        """
        if self.is_empty():
            raise LookupError("no output to read")
        item = self._queue[self._read]
        self._read += 1
        return item

    def read_all(self) -> list[T]:
        """Take every unread output, oldest first."""
        items = self._queue[self._read :]
        self._read = len(self._queue)
        return items


# --8<-- [start:driver]
class WindowTestDriver(Generic[K, V, A]):
    """Feed a windowed aggregation by hand, with a virtual clock.

    The pipeline is: records -> bounded-out-of-orderness watermark
    generator -> :class:`~streamlab.windows.WindowedAggregation` -> two
    collectors, ``results`` (window firings and updates) and ``late``
    (the side output).

    * ``pipe(key, ts, value)`` delivers one record. Late updates and side
      output it causes are collected at once.
    * Watermarks are periodic, as in Flink: every ``watermark_interval``
      ms of virtual processing time the generator's watermark goes to the
      operator. ``advance_clock`` moves that time. With
      ``watermark_interval=None`` the watermark follows every record
      instead (punctuated).
    * ``advance_watermark(w)`` sends a watermark directly, as a Flink
      harness's ``processWatermark`` does, and ``close()`` sends the final
      one.

    Costs are those of the operator, plus O(log t) per clock timer.

    Args:
        windows: window assignment for the operator.
        aggregate: the incremental aggregate.
        bound: out-of-orderness bound of the watermark generator, ``>= 0``.
        allowed_lateness: passed to the operator.
        watermark_interval: processing time between periodic watermarks,
            ``> 0``, or ``None`` for a watermark after every record.
        clock: the virtual clock to use (a new one at 0 by default).

    Raises:
        ValueError: on a negative bound or lateness, or a non-positive
            interval.
    """

    def __init__(
        self,
        windows: WindowSpec,
        aggregate: Aggregate[V, A],
        *,
        bound: int,
        allowed_lateness: int = 0,
        watermark_interval: int | None = DEFAULT_WATERMARK_INTERVAL_MS,
        clock: VirtualClock | None = None,
    ) -> None:
        if watermark_interval is not None and watermark_interval <= 0:
            raise ValueError(
                f"watermark_interval must be > 0, got {watermark_interval}"
            )
        self.clock = clock if clock is not None else VirtualClock()
        self.operator = WindowedAggregation[K, V, A](
            windows, aggregate, allowed_lateness
        )
        self.generator = BoundedOutOfOrderness(bound)
        self.results: OutputCollector[WindowResult[K, A]] = OutputCollector()
        self.late: OutputCollector[LateEvent[K, V]] = OutputCollector()
        self.interval = watermark_interval
        if watermark_interval is not None:
            self.clock.schedule(
                self.clock.now + watermark_interval, self._periodic
            )

    def _periodic(self, now: int) -> None:
        assert self.interval is not None
        self.advance_watermark(self.generator.current)
        self.clock.schedule(now + self.interval, self._periodic)

    def _collect(
        self, outputs: Iterable[WindowResult[K, A] | LateEvent[K, V]]
    ) -> None:
        for out in outputs:
            if isinstance(out, LateEvent):
                self.late.append(out)
            else:
                self.results.append(out)

    def pipe(self, key: K, ts: int, value: V) -> None:
        """Deliver one record with event time ``ts``."""
        self._collect(self.operator.on_event(key, ts, value))
        self.generator.on_event(ts)
        if self.interval is None:
            self.advance_watermark(self.generator.current)

    def pipe_all(self, records: Iterable[tuple[K, int, V]]) -> None:
        """Deliver ``(key, ts, value)`` records in the order given."""
        for key, ts, value in records:
            self.pipe(key, ts, value)

    def advance_clock(self, ms: int) -> None:
        """Move processing time; periodic watermarks fire on the way."""
        self.clock.advance(ms)

    def advance_watermark(self, watermark: int) -> None:
        """Send a watermark to the operator (ignored unless it moves up)."""
        self._collect(self.operator.on_watermark(watermark))

    def close(self) -> None:
        """End of input: the final watermark fires every open window."""
        self._collect(self.operator.close())

    @property
    def watermark(self) -> int:
        """The operator's current watermark."""
        return self.operator.watermark

    # --8<-- [end:driver]

    def final_windows(self) -> dict[tuple[K, Window], A]:
        """The last value emitted for every (key, window), as a table.

        Results a later one ``replaces`` are dropped, as an upserting sink
        would. O(r) for r results.
        """
        table: dict[tuple[K, Window], A] = {}
        for result in self.results.history:
            for old in result.replaces:
                table.pop((result.key, old), None)
            table[(result.key, result.window)] = result.value
        return table


# --8<-- [start:shuffle]
def shuffle_within_bound(
    records: Sequence[tuple[K, int, V]], bound: int, seed: int
) -> list[tuple[K, int, V]]:
    """A seeded arrival order with out-of-orderness at most ``bound``.

    In the result, every record's timestamp is at least the maximum
    timestamp before it minus ``bound``, so a
    :class:`~streamlab.watermarks.BoundedOutOfOrderness` generator with that
    bound never puts a record behind the watermark. Each step picks at
    random among the waiting records no more than ``bound`` above the
    smallest waiting timestamp, which keeps that promise for everyone
    still waiting. Same records, bound and seed: same order. O(n^2) time
    (n small in tests), O(n) space.

    Raises:
        ValueError: if ``bound`` is negative.
    """
    if bound < 0:
        raise ValueError(f"bound must be >= 0, got {bound}")
    rng = random.Random(seed)
    waiting = sorted(records, key=lambda r: r[1])
    order: list[tuple[K, int, V]] = []
    while waiting:
        limit = waiting[0][1] + bound
        candidates = [i for i, r in enumerate(waiting) if r[1] <= limit]
        order.append(waiting.pop(rng.choice(candidates)))
    return order


# --8<-- [end:shuffle]
