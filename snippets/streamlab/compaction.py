"""Kafka log compaction with segments, a cleaner and tombstones.

One partition of a ``cleanup.policy=compact`` topic, modelled closer to the
broker than :meth:`streamlab.log.CommitLog.compact` (which compacts every
record at once):

* Records go to the **active segment**, which rolls when it holds
  ``segment_records`` records (a record-count stand-in for
  ``segment.bytes``) or when a record arrives ``segment_ms`` or more after
  the segment's first record (``segment.ms``). The active segment is never
  compacted.
* The **cleanable part** is the prefix of closed segments whose newest record
  is at least ``min_compaction_lag_ms`` old (``min.compaction.lag.ms``): the
  first segment holding a younger record, and everything after it, waits.
* The cleaner runs on a partition when its **dirty ratio** (records not yet
  cleaned over all records of the cleanable part) is above
  ``min_cleanable_dirty_ratio`` (``min.cleanable.dirty.ratio``), when a dirty
  record has waited longer than ``max_compaction_lag_ms``
  (``max.compaction.lag.ms``), or when a tombstone is due for removal. It
  keeps the latest record per key in the cleanable part. Counts of records
  stand in for the bytes Kafka measures.
* A **tombstone** (a key with value ``None``) survives the pass that first
  cleans it, which stamps it with a delete horizon ``now +
  delete_retention_ms`` (Kafka's behaviour with KIP-534). A later
  pass at or after the horizon removes it. Until then, a consumer reading
  from offset 0 sees the delete.
* **Offsets never change.** Removed offsets leave gaps; a read from a removed
  offset starts at the next record that exists.

Times are integers in milliseconds and always passed in: the module never
reads a clock. Record timestamps serve as append times (as with
``message.timestamp.type=LogAppendTime``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from streamlab.log import DEFAULT_DELETE_RETENTION_MS, DEFAULT_RETENTION_MS

V = TypeVar("V")

#: Kafka's default segment.ms: 604800000 ms, 7 days (log.roll.hours=168).
DEFAULT_SEGMENT_MS = DEFAULT_RETENTION_MS
#: Kafka's default min.cleanable.dirty.ratio.
DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5
#: Kafka's default min.compaction.lag.ms: records are compactable at once.
DEFAULT_MIN_COMPACTION_LAG_MS = 0

__all__ = [
    "DEFAULT_DELETE_RETENTION_MS",
    "DEFAULT_MIN_CLEANABLE_DIRTY_RATIO",
    "DEFAULT_MIN_COMPACTION_LAG_MS",
    "DEFAULT_SEGMENT_MS",
    "CleanResult",
    "CompactedPartition",
    "Entry",
    "Segment",
    "replay",
]


@dataclass(frozen=True, slots=True)
class Entry(Generic[V]):
    """One record of a compacted partition.

    Attributes:
        offset: its offset, fixed for life.
        timestamp: its append time.
        key: the key; compacted topics reject keyless records.
        value: the value, or ``None`` for a tombstone.
        delete_horizon: for a tombstone that a cleaner pass has seen, the
            time from which a later pass removes it; ``None`` before.
    """

    offset: int
    timestamp: int
    key: str
    value: V | None
    delete_horizon: int | None = None

    @property
    def is_tombstone(self) -> bool:
        """A record with value ``None`` deletes its key."""
        return self.value is None


@dataclass(slots=True)
class Segment(Generic[V]):
    """A run of records; ``base_offset`` is the offset it started at."""

    base_offset: int
    records: list[Entry[V]] = field(default_factory=list)
    first_timestamp: int | None = None  # of the first append, for segment.ms

    @property
    def max_timestamp(self) -> int | None:
        """The newest timestamp in the segment, ``None`` when empty. O(n)."""
        return max((r.timestamp for r in self.records), default=None)


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What one call to :meth:`CompactedPartition.clean` did.

    Attributes:
        ran: whether the cleaner ran (it may find the partition ineligible).
        removed: records removed, superseded ones and expired tombstones.
        tombstones_removed: how many of those were tombstones.
        cleaned_up_to: the first offset the pass did not cover (the end of
            the cleanable part); the cleaner checkpoint after the pass.
    """

    ran: bool
    removed: int = 0
    tombstones_removed: int = 0
    cleaned_up_to: int = 0


def replay(records: Iterable[Entry[V]]) -> dict[str, V]:
    """The table a consumer builds from ``records`` read in offset order.

    A value sets its key; a tombstone deletes it. O(n) time, O(k) space for
    k live keys.
    """
    table: dict[str, V] = {}
    for record in records:
        if record.value is None:
            table.pop(record.key, None)
        else:
            table[record.key] = record.value
    return table


class CompactedPartition(Generic[V]):
    """One partition of a compacted topic, its segments and its cleaner.

    Args:
        segment_records: roll the active segment when it holds this many
            records (a stand-in for ``segment.bytes``), at least 1.
        segment_ms: roll when a record arrives this long or longer after the
            active segment's first record (``segment.ms``, 7 days).
        min_compaction_lag_ms: a segment is cleanable only once its newest
            record is at least this old (``min.compaction.lag.ms``, 0).
        max_compaction_lag_ms: force a pass once a dirty record has waited
            longer than this (``max.compaction.lag.ms``); ``None`` (the
            default, Kafka's Long.MAX_VALUE) for never.
        min_cleanable_dirty_ratio: run a pass only when the dirty ratio is
            above this (``min.cleanable.dirty.ratio``, 0.5).
        delete_retention_ms: how long a tombstone survives after the pass
            that first cleaned it (``delete.retention.ms``, 1 day).

    Raises:
        ValueError: on a non-positive segment size or time, a negative lag
            or retention, or a ratio outside ``[0, 1]``.
    """

    def __init__(
        self,
        *,
        segment_records: int = 1_000,
        segment_ms: int = DEFAULT_SEGMENT_MS,
        min_compaction_lag_ms: int = DEFAULT_MIN_COMPACTION_LAG_MS,
        max_compaction_lag_ms: int | None = None,
        min_cleanable_dirty_ratio: float = DEFAULT_MIN_CLEANABLE_DIRTY_RATIO,
        delete_retention_ms: int = DEFAULT_DELETE_RETENTION_MS,
    ) -> None:
        if segment_records < 1:
            raise ValueError(f"segment_records must be >= 1: {segment_records}")
        if segment_ms < 1:
            raise ValueError(f"segment_ms must be >= 1: {segment_ms}")
        lags: Mapping[str, int | None] = {
            "min_compaction_lag_ms": min_compaction_lag_ms,
            "max_compaction_lag_ms": max_compaction_lag_ms,
            "delete_retention_ms": delete_retention_ms,
        }
        for name, lag in lags.items():
            if lag is not None and lag < 0:
                raise ValueError(f"{name} must not be negative: {lag}")
        if not 0 <= min_cleanable_dirty_ratio <= 1:
            raise ValueError(
                f"min_cleanable_dirty_ratio must be in [0, 1]:"
                f" {min_cleanable_dirty_ratio}"
            )
        self.segment_records = segment_records
        self.segment_ms = segment_ms
        self.min_compaction_lag_ms = min_compaction_lag_ms
        self.max_compaction_lag_ms = max_compaction_lag_ms
        self.min_cleanable_dirty_ratio = min_cleanable_dirty_ratio
        self.delete_retention_ms = delete_retention_ms
        self._closed: list[Segment[V]] = []
        self._active = Segment[V](0)
        self._end = 0  # log end offset
        self._checkpoint = 0  # first dirty offset: below it, cleaned

    # --8<-- [start:append]
    def append(self, key: str, value: V | None, timestamp: int) -> int:
        """Append a record (``None`` for a tombstone); return its offset.

        Rolls the active segment first when it is full or when ``timestamp``
        is ``segment_ms`` or more after its first record. O(1) amortized.
        """
        active = self._active
        if active.records and (
            len(active.records) >= self.segment_records
            or timestamp - (active.first_timestamp or 0) >= self.segment_ms
        ):
            self.roll()
            active = self._active
        if active.first_timestamp is None:
            active.first_timestamp = timestamp
        active.records.append(Entry(self._end, timestamp, key, value))
        self._end += 1
        return self._end - 1

    def roll(self) -> None:
        """Close the active segment and open a new one, if it holds any
        records (the broker also rolls on restart or on request). O(1)."""
        if self._active.records:
            self._closed.append(self._active)
            self._active = Segment[V](self._end)

    # --8<-- [end:append]

    @property
    def end_offset(self) -> int:
        """The log end offset: the offset of the next append. O(1)."""
        return self._end

    @property
    def checkpoint(self) -> int:
        """The cleaner checkpoint: records below it have been cleaned."""
        return self._checkpoint

    @property
    def segments(self) -> list[Segment[V]]:
        """Closed segments, oldest first, then the active one. O(s)."""
        return [*self._closed, self._active]

    def records(self) -> list[Entry[V]]:
        """Every record in offset order. O(n)."""
        return [r for s in self.segments for r in s.records]

    def read(self, offset: int) -> list[Entry[V]]:
        """Records at offsets ``>= offset``, in order; gaps are skipped.

        Raises:
            ValueError: if ``offset`` is negative or beyond the end offset.
        """
        if not 0 <= offset <= self._end:
            raise ValueError(f"offset {offset} not in [0, {self._end}]")
        return [r for r in self.records() if r.offset >= offset]

    # --8<-- [start:eligibility]
    def cleanable_segments(self, now: int) -> int:
        """How many closed segments, from the oldest, the cleaner may touch.

        It stops at the first segment whose newest record is younger than
        ``min_compaction_lag_ms``; the active segment is never included.
        O(n) over the closed segments' records.
        """
        count = 0
        for segment in self._closed:
            newest = segment.max_timestamp
            if newest is not None and now - newest < self.min_compaction_lag_ms:
                break
            count += 1
        return count

    def first_uncleanable_offset(self, now: int) -> int:
        """The end of the cleanable part: the base of the first segment the
        cleaner may not touch. O(n)."""
        return self.segments[self.cleanable_segments(now)].base_offset

    def dirty_ratio(self, now: int) -> float:
        """Dirty records over all records in the cleanable part (0 if none).

        Dirty means at or above the checkpoint, not yet seen by a pass.
        O(n).
        """
        part = self._closed[: self.cleanable_segments(now)]
        total = sum(len(s.records) for s in part)
        dirty = sum(
            1 for s in part for r in s.records if r.offset >= self._checkpoint
        )
        return dirty / total if total else 0.0

    def needs_cleaning(self, now: int) -> bool:
        """Whether the cleaner would pick this partition at ``now``.

        Yes when the dirty ratio is above ``min_cleanable_dirty_ratio``,
        when the oldest dirty cleanable record has waited longer than
        ``max_compaction_lag_ms``, or when a tombstone's delete horizon has
        passed. O(n).
        """
        part = self._closed[: self.cleanable_segments(now)]
        dirty = [
            r for s in part for r in s.records if r.offset >= self._checkpoint
        ]
        if dirty and self.dirty_ratio(now) > self.min_cleanable_dirty_ratio:
            return True
        max_lag = self.max_compaction_lag_ms
        oldest = min((r.timestamp for r in dirty), default=now)
        if max_lag is not None and now - oldest > max_lag:
            return True
        return any(
            r.delete_horizon is not None and now >= r.delete_horizon
            for s in part
            for r in s.records
        )

    # --8<-- [end:eligibility]

    # --8<-- [start:clean]
    def clean(self, now: int, *, force: bool = False) -> CleanResult:
        """Run one cleaner pass over the cleanable part, if it is eligible.

        Keeps the latest record of each key in the cleanable part. A
        tombstone is kept by the pass that first sees it, which stamps its
        delete horizon ``now + delete_retention_ms``; a pass at or after
        that horizon removes it. ``force`` skips the eligibility check.
        Empty segments are dropped; offsets never change. O(n) time, O(k)
        space for k keys in the cleanable part.
        """
        if not (force or self.needs_cleaning(now)):
            return CleanResult(ran=False, cleaned_up_to=self._checkpoint)
        count = self.cleanable_segments(now)
        part = self._closed[:count]
        latest: dict[str, int] = {}
        for segment in part:
            for r in segment.records:
                latest[r.key] = r.offset  # offset order: the last one wins
        end = self.segments[count].base_offset  # first uncleanable offset
        horizon = now + self.delete_retention_ms
        removed = tombstones = 0
        for segment in part:
            kept: list[Entry[V]] = []
            for r in segment.records:
                if latest[r.key] != r.offset:
                    removed += 1  # superseded by a newer record of its key
                elif not r.is_tombstone:
                    kept.append(r)
                elif r.delete_horizon is None:  # first pass to see it
                    kept.append(replace(r, delete_horizon=horizon))
                elif now < r.delete_horizon:
                    kept.append(r)  # readers still have time to see it
                else:
                    removed += 1  # past its horizon: the delete is done
                    tombstones += 1
            segment.records = kept
        self._closed[:count] = [s for s in part if s.records]
        self._checkpoint = max(self._checkpoint, end)
        return CleanResult(True, removed, tombstones, self._checkpoint)

    # --8<-- [end:clean]
