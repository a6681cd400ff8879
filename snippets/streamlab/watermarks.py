"""Watermark generation and combination, as Flink does it.

Times are integers (milliseconds by convention). A watermark ``w`` is a
promise that no event with a timestamp ``<= w`` is still to come; it is a
heuristic unless the source is perfectly ordered.

Two building blocks:

* ``BoundedOutOfOrderness`` turns event timestamps into a watermark: the
  highest timestamp seen minus the bound minus 1, like Flink's
  ``BoundedOutOfOrdernessWatermarks``. The ``- 1`` makes an event exactly
  ``bound`` behind the maximum still on time.
* ``PartitionWatermarks`` keeps one such generator per input partition and
  combines them into one watermark by taking the minimum, as Flink combines
  the partitions of a Kafka source or the channels of an operator. A
  partition that has sent nothing for longer than ``idle_timeout`` on the
  virtual clock is idle and left out of the minimum until it sends again
  (Flink's ``WatermarkStrategy.withIdleness``). The combined watermark never
  goes back: a partition that wakes up behind it cannot pull it down, so its
  old events are late.

Processing time is passed in as ``now`` on every call: nothing here reads
the wall clock.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)

MIN_WATERMARK = -(2**63)
"""The watermark before any event: Java's ``Long.MIN_VALUE``, as in Flink."""

MAX_WATERMARK = 2**63 - 1
"""End of input: Flink's final watermark (``Long.MAX_VALUE``) fires every
window and releases all state."""


# --8<-- [start:bounded]
class BoundedOutOfOrderness:
    """Watermark = highest event time seen - ``bound`` - 1.

    An event is expected at most ``bound`` behind the highest timestamp seen
    so far; an event that is later than that arrives behind the watermark.
    Before the first event the watermark is ``MIN_WATERMARK``. The watermark
    only moves up, because the maximum only moves up.

    O(1) time per event, O(1) space.

    Args:
        bound: the out-of-orderness allowed, ``>= 0``.

    Raises:
        ValueError: if ``bound`` is negative.
    """

    def __init__(self, bound: int) -> None:
        if bound < 0:
            raise ValueError(f"bound must be >= 0, got {bound}")
        self.bound = bound
        self._max_ts: int | None = None

    def on_event(self, ts: int) -> None:
        """Observe one event timestamp."""
        if self._max_ts is None or ts > self._max_ts:
            self._max_ts = ts

    @property
    def current(self) -> int:
        """The watermark now, never below ``MIN_WATERMARK``."""
        if self._max_ts is None:
            return MIN_WATERMARK
        return max(MIN_WATERMARK, self._max_ts - self.bound - 1)

    # --8<-- [end:bounded]


class PartitionWatermarks(Generic[P]):
    """Per-partition watermarks combined by minimum, with idleness.

    Each partition has its own ``BoundedOutOfOrderness`` generator. The
    combined watermark is the minimum over the *active* partitions, raised
    monotonically: it never goes back.

    A partition is idle when ``idle_timeout`` is set and more than
    ``idle_timeout`` of processing time has passed since its last event
    (or since construction, for a partition that never sent anything): the
    strict ``>`` of Flink's idleness timer. An idle partition is left out of
    the minimum; its next event makes it active again. When every partition
    is idle the combined watermark stays where it is (Flink marks the whole
    output idle instead of advancing it).

    Every call takes the virtual processing time ``now``, which must not go
    back. Each call is O(p) for p partitions (a scan for the minimum, as in
    Flink's ``CombinedWatermarkStatus``); space is O(p).

    Args:
        partitions: the partition ids, at least one, no duplicates.
        bound: out-of-orderness bound of every partition, ``>= 0``.
        idle_timeout: processing time after which a silent partition is
            idle, ``> 0``; ``None`` (the default, like Flink's) disables
            idleness.
        now: processing time at construction.

    Raises:
        ValueError: on an empty or duplicated partition list, a negative
            bound or a non-positive idle timeout.
    """

    def __init__(
        self,
        partitions: Iterable[P],
        bound: int,
        idle_timeout: int | None = None,
        now: int = 0,
    ) -> None:
        ids = list(partitions)
        if not ids:
            raise ValueError("at least one partition is needed")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate partition ids in {ids!r}")
        if idle_timeout is not None and idle_timeout <= 0:
            raise ValueError(f"idle_timeout must be > 0, got {idle_timeout}")
        self._timeout = idle_timeout
        self._gens = {p: BoundedOutOfOrderness(bound) for p in ids}
        self._last_active = dict.fromkeys(ids, now)
        self._now = now
        self._combined = MIN_WATERMARK

    # --8<-- [start:combine]
    def on_event(self, partition: P, ts: int, now: int) -> int:
        """Take one event of ``partition``; return the combined watermark.

        Raises:
            KeyError: for an unknown partition.
            ValueError: if ``now`` goes back.
        """
        self._tick(now)
        self._gens[partition].on_event(ts)  # KeyError if unknown
        self._last_active[partition] = now  # active again
        return self._combine()

    def advance(self, now: int) -> int:
        """Move the clock (a periodic tick); return the combined watermark."""
        self._tick(now)
        return self._combine()

    def is_idle(self, partition: P) -> bool:
        """Tell whether ``partition`` is idle at the current time."""
        if self._timeout is None:
            return False
        return self._now - self._last_active[partition] > self._timeout

    def _combine(self) -> int:
        active = [
            g.current for p, g in self._gens.items() if not self.is_idle(p)
        ]
        if active:  # all idle: hold the watermark, do not advance it
            self._combined = max(self._combined, min(active))
        return self._combined

    # --8<-- [end:combine]

    def _tick(self, now: int) -> None:
        if now < self._now:
            raise ValueError(f"time went back from {self._now} to {now}")
        self._now = now

    @property
    def current(self) -> int:
        """The combined watermark (``MIN_WATERMARK`` until every active
        partition has seen an event)."""
        return self._combined

    def watermark_of(self, partition: P) -> int:
        """The watermark of one partition's own generator."""
        return self._gens[partition].current

    @property
    def idle(self) -> list[P]:
        """The partitions idle now, in construction order."""
        return [p for p in self._gens if self.is_idle(p)]

    def ahead(self, max_drift: int) -> list[P]:
        """Partitions more than ``max_drift`` ahead of the combined watermark.

        Flink's watermark alignment pauses reading such partitions until the
        others catch up, which bounds the data buffered downstream. O(p).
        """
        limit = self._combined + max_drift
        return [p for p, g in self._gens.items() if g.current > limit]
