"""A partitioned commit log with consumer groups, retention and compaction.

An in-memory model of a Kafka topic, small enough to read in one sitting:

* ``append`` places a record in a partition chosen from its key (a pluggable
  partitioner over the key's bytes; keyless records go round-robin) and gives
  it the partition's next offset. Offsets are never reused.
* Any number of independent :class:`ConsumerGroup` objects read the same
  records. Each keeps its own committed offsets (the broker-side state) and
  positions (the consumer-side state); reading changes nothing in the log.
* Retention deletes records from the head of a partition by age, by total
  size or by count, and moves the log start offset forward. A group whose
  position falls outside the log follows its reset policy, like Kafka's
  ``auto.offset.reset``.
* Compaction keeps the latest record per key and drops tombstones (records
  whose value is ``None``) once they are older than ``delete_retention_ms``.
  A log that carries tombstones has a value type that admits ``None``, for
  example ``CommitLog[bytes | None]``.

Simplifications, documented where they apply: no segments (retention and
compaction work record by record, and compaction also covers the newest
records, which Kafka leaves alone in the active segment), no replication, and
one consumer per group reading every partition unless ``poll`` is given a
subset.

Times are integers in milliseconds and always passed in (``timestamp``,
``now``): the module never reads a clock.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

V = TypeVar("V")

#: A record key: text is encoded as UTF-8 before partitioning and compaction.
Key = str | bytes
#: ``partitioner(key_bytes, partitions) -> partition`` in ``[0, partitions)``.
Partitioner = Callable[[bytes, int], int]
#: What a group does without a valid position (Kafka's auto.offset.reset).
ResetPolicy = Literal["earliest", "latest", "none"]
#: Which cleanup runs in :meth:`CommitLog.clean` (Kafka's cleanup.policy).
CleanupPolicy = Literal["delete", "compact", "compact,delete"]

DAY_MS = 24 * 60 * 60 * 1000
#: Kafka's default retention.ms: 7 days (log.retention.hours=168).
DEFAULT_RETENTION_MS = 7 * DAY_MS
#: Kafka's default delete.retention.ms for tombstones: 1 day.
DEFAULT_DELETE_RETENTION_MS = DAY_MS


class OffsetOutOfRangeError(LookupError):
    """An offset lies outside ``[log start offset, log end offset]``."""


class NoOffsetError(LookupError):
    """A group has no position and its reset policy is ``"none"``."""


def key_bytes(key: Key) -> bytes:
    """Return the bytes a key is partitioned and compacted by. O(len(key))."""
    return key.encode("utf-8") if isinstance(key, str) else key


def crc32_partitioner(key: bytes, partitions: int) -> int:
    """Pick a partition: CRC-32 of the key bytes modulo ``partitions``.

    Stable across processes and runs (unlike Python's salted ``hash``), but
    not Kafka's: Kafka's default partitioner uses murmur2, so the same key
    lands in a different partition number here. Pass another function as
    ``CommitLog(partitioner=...)`` to change it. O(len(key)).
    """
    return zlib.crc32(key) % partitions


def default_size(key: bytes | None, value: object) -> int:
    """Estimate a record's size in bytes for ``retention_bytes``.

    Key bytes plus value bytes: ``bytes`` and ``str`` values count their
    (UTF-8) length, ``None`` counts 0, and any other value counts the UTF-8
    length of its ``repr``, a stand-in for a real serializer. O(size).
    """
    size = 0 if key is None else len(key)
    if value is None:
        return size
    if isinstance(value, bytes):
        return size + len(value)
    text = value if isinstance(value, str) else repr(value)
    return size + len(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Record(Generic[V]):
    """One record as stored in a partition."""

    partition: int
    offset: int
    timestamp: int
    key: Key | None
    value: V
    size: int

    @property
    def is_tombstone(self) -> bool:
        """A keyed record with value ``None`` deletes its key on compaction."""
        return self.key is not None and self.value is None


@dataclass(slots=True)
class _Partition(Generic[V]):
    """The records of one partition, in offset order, with its bounds."""

    records: list[Record[V]] = field(default_factory=list)
    start: int = 0  # log start offset: nothing below it can be read
    end: int = 0  # log end offset: the offset the next append gets
    size: int = 0  # sum of record sizes

    def index_at(self, offset: int) -> int:
        """Index of the first record at or after ``offset``. O(log n)."""
        return bisect_left(self.records, offset, key=lambda r: r.offset)


class CommitLog(Generic[V]):
    """A topic: ``partitions`` append-only logs plus its consumer groups.

    Args:
        partitions: number of partitions, at least 1.
        partitioner: maps key bytes and the partition count to a partition.
        cleanup_policy: what :meth:`clean` runs: ``"delete"`` (retention),
            ``"compact"`` or both. A log whose policy includes compaction
            rejects keyless records, as Kafka does.
        retention_ms: delete records older than this (``now - timestamp``
            greater than it); ``None`` for no time limit (Kafka's -1).
        retention_bytes: keep at most this many bytes per partition, as
            Kafka's retention.bytes; ``None`` (the default) for no limit.
        retention_records: keep at most this many records per partition (a
            record-count variant of retention.bytes; Kafka has no such key).
        delete_retention_ms: keep tombstones this long on compaction.
        sizer: record size for ``retention_bytes``, from key bytes and value.

    Raises:
        ValueError: on a non-positive partition count, a negative limit or an
            unknown cleanup policy.
    """

    def __init__(
        self,
        partitions: int = 1,
        *,
        partitioner: Partitioner = crc32_partitioner,
        cleanup_policy: CleanupPolicy = "delete",
        retention_ms: int | None = DEFAULT_RETENTION_MS,
        retention_bytes: int | None = None,
        retention_records: int | None = None,
        delete_retention_ms: int = DEFAULT_DELETE_RETENTION_MS,
        sizer: Callable[[bytes | None, V], int] = default_size,
    ) -> None:
        if partitions < 1:
            raise ValueError(f"partitions must be at least 1, got {partitions}")
        if cleanup_policy not in ("delete", "compact", "compact,delete"):
            raise ValueError(f"unknown cleanup policy {cleanup_policy!r}")
        limits = {
            "retention_ms": retention_ms,
            "retention_bytes": retention_bytes,
            "retention_records": retention_records,
            "delete_retention_ms": delete_retention_ms,
        }
        for name, limit in limits.items():
            if limit is not None and limit < 0:
                raise ValueError(f"{name} must not be negative, got {limit}")
        self._partitions = [_Partition[V]() for _ in range(partitions)]
        self._partitioner = partitioner
        self._policy = frozenset(cleanup_policy.split(","))
        self._retention_ms = retention_ms
        self._retention_bytes = retention_bytes
        self._retention_records = retention_records
        self._delete_retention_ms = delete_retention_ms
        self._sizer = sizer
        self._next_keyless = 0
        self._groups: dict[str, ConsumerGroup[V]] = {}

    @property
    def partitions(self) -> int:
        """Number of partitions."""
        return len(self._partitions)

    def _partition(self, partition: int) -> _Partition[V]:
        if not 0 <= partition < len(self._partitions):
            raise IndexError(
                f"partition {partition} not in [0, {len(self._partitions)})"
            )
        return self._partitions[partition]

    # --8<-- [start:append]
    def append(
        self, key: Key | None, value: V, timestamp: int
    ) -> tuple[int, int]:
        """Append a record and return ``(partition, offset)``.

        A keyed record goes to ``partitioner(key_bytes, partitions)``, so all
        records of one key share a partition and keep their append order.
        Keyless records rotate over the partitions (Kafka's producer instead
        fills one partition per batch, the "sticky" partitioner). O(len(key))
        plus the sizer's cost, amortized.

        Raises:
            ValueError: for a keyless record on a compacted log, or when the
                partitioner returns a partition out of range.
        """
        n = len(self._partitions)
        if key is None:
            if "compact" in self._policy:
                raise ValueError("a compacted log needs a key on every record")
            partition, raw = self._next_keyless % n, None
            self._next_keyless += 1
        else:
            raw = key_bytes(key)
            partition = self._partitioner(raw, n)
            if not 0 <= partition < n:
                raise ValueError(
                    f"partitioner returned {partition}, not in [0, {n})"
                )
        part = self._partitions[partition]
        size = self._sizer(raw, value)
        record = Record(partition, part.end, timestamp, key, value, size)
        part.records.append(record)
        part.end += 1  # offsets only grow: deleted ones are never reused
        part.size += size
        return partition, record.offset

    # --8<-- [end:append]

    def start_offset(self, partition: int) -> int:
        """The log start offset: the lowest offset still readable. O(1)."""
        return self._partition(partition).start

    def end_offset(self, partition: int) -> int:
        """The log end offset: the offset of the next append. O(1)."""
        return self._partition(partition).end

    def records(self, partition: int) -> list[Record[V]]:
        """Every retained record of a partition, in offset order. O(n)."""
        return list(self._partition(partition).records)

    def read(
        self, partition: int, offset: int, max_records: int | None = None
    ) -> list[Record[V]]:
        """Fetch retained records at offsets ``>= offset``, in offset order.

        Offsets removed by compaction are skipped, as in Kafka. O(log n + k)
        for k records returned.

        Raises:
            OffsetOutOfRangeError: if ``offset`` is below the log start offset
                or above the log end offset.
            ValueError: if ``max_records`` is negative.
        """
        part = self._partition(partition)
        if max_records is not None and max_records < 0:
            raise ValueError(f"max_records must not be negative: {max_records}")
        if not part.start <= offset <= part.end:
            raise OffsetOutOfRangeError(
                f"offset {offset} not in [{part.start}, {part.end}]"
                f" of partition {partition}"
            )
        first = part.index_at(offset)
        last = None if max_records is None else first + max_records
        return part.records[first:last]

    # --8<-- [start:offset_for_time]
    def offset_for_time(self, partition: int, timestamp: int) -> int | None:
        """The earliest retained offset whose timestamp is ``>= timestamp``.

        Like Kafka's ``offsetsForTimes``: ``None`` when no such record exists.
        Timestamps need not grow with offsets, so this scans; Kafka keeps a
        time index per segment instead. O(n).
        """
        for record in self._partition(partition).records:
            if record.timestamp >= timestamp:
                return record.offset
        return None

    # --8<-- [end:offset_for_time]

    def enforce_retention(self, now: int) -> int:
        """Delete records from partition heads; return how many were deleted.

        The head record goes while it is older than ``retention_ms`` or the
        partition holds more than ``retention_bytes`` or ``retention_records``.
        Deletion never skips a record, so an old record behind a newer one
        waits, as an old Kafka segment waits behind a newer one. The log
        start offset moves past the last deleted record. O(n) per partition.
        """
        deleted = 0
        for part in self._partitions:
            count, size = len(part.records), part.size
            k = 0
            while k < count and self._over_limit(
                part.records[k], count - k, size, now
            ):
                size -= part.records[k].size
                k += 1
            if k:
                part.start = part.records[k - 1].offset + 1
                del part.records[:k]
                part.size = size
                deleted += k
        return deleted

    def _over_limit(
        self, head: Record[V], count: int, size: int, now: int
    ) -> bool:
        ms, max_bytes = self._retention_ms, self._retention_bytes
        max_records = self._retention_records
        return (
            (ms is not None and now - head.timestamp > ms)
            or (max_bytes is not None and size > max_bytes)
            or (max_records is not None and count > max_records)
        )

    # --8<-- [start:compact]
    def compact(self, now: int) -> int:
        """Keep the latest record of each key; return how many were removed.

        Tombstones survive until they are older than ``delete_retention_ms``
        so that consumers can see the delete; then they go too. Offsets and
        the log start offset do not change. O(n) per partition.

        Raises:
            ValueError: if the cleanup policy does not include compaction.
        """
        if "compact" not in self._policy:
            raise ValueError("compaction needs cleanup_policy with 'compact'")
        removed = 0
        for part in self._partitions:
            # append() refuses keyless records on a compacted log
            keyed = [
                (key_bytes(r.key), r) for r in part.records if r.key is not None
            ]
            latest = {raw: r.offset for raw, r in keyed}
            kept = [
                r
                for raw, r in keyed
                if latest[raw] == r.offset
                and not (
                    r.is_tombstone
                    and now - r.timestamp > self._delete_retention_ms
                )
            ]
            removed += len(part.records) - len(kept)
            part.records = kept
            part.size = sum(r.size for r in kept)
        return removed

    # --8<-- [end:compact]

    def clean(self, now: int) -> int:
        """Run what the cleanup policy enables: compaction, then retention.

        Returns the number of records removed. O(n) per partition.
        """
        removed = 0
        if "compact" in self._policy:
            removed += self.compact(now)
        if "delete" in self._policy:
            removed += self.enforce_retention(now)
        return removed

    def group(
        self, name: str, reset: ResetPolicy = "latest"
    ) -> ConsumerGroup[V]:
        """Return the consumer group ``name``, creating it on first use.

        Committed offsets belong to the group and outlive its consumers;
        ``reset`` is consumer configuration, so it replaces the group's
        current policy. The default, ``"latest"``, is Kafka's default. O(1).
        """
        group = self._groups.get(name)
        if group is None:
            group = self._groups[name] = ConsumerGroup(self, name, reset)
        group.reset = reset
        return group


class ConsumerGroup(Generic[V]):
    """A named reader of a :class:`CommitLog` with its own offsets.

    The position of a partition is the next offset the group will read;
    committing stores positions so that a restarted consumer resumes there.
    Create groups with :meth:`CommitLog.group`.
    """

    def __init__(
        self, log: CommitLog[V], name: str, reset: ResetPolicy
    ) -> None:
        self.name = name
        self.reset: ResetPolicy = reset
        self._log = log
        self._committed: dict[int, int] = {}
        self._positions: dict[int, int] = {}

    def committed(self, partition: int) -> int | None:
        """The committed offset of a partition, or ``None``. O(1)."""
        return self._committed.get(partition)

    def position(self, partition: int) -> int:
        """The next offset to read, after applying the reset policy.

        The position comes from the last read or seek, else from the
        committed offset. Without either, or when it lies outside the log
        (deleted by retention, or beyond the end), the reset policy decides:
        ``"earliest"`` jumps to the log start offset, ``"latest"`` to the log
        end offset, ``"none"`` raises. O(1).

        Raises:
            NoOffsetError: no position, no commit, and policy ``"none"``.
            OffsetOutOfRangeError: position out of range, policy ``"none"``.
        """
        start = self._log.start_offset(partition)
        end = self._log.end_offset(partition)
        position = self._positions.get(
            partition, self._committed.get(partition)
        )
        if position is None or not start <= position <= end:
            if self.reset == "earliest":
                position = start
            elif self.reset == "latest":
                position = end
            elif position is None:
                raise NoOffsetError(
                    f"group {self.name!r} has no offset for partition"
                    f" {partition}"
                )
            else:
                raise OffsetOutOfRangeError(
                    f"group {self.name!r} is at offset {position}, outside"
                    f" [{start}, {end}] of partition {partition}"
                )
        self._positions[partition] = position
        return position

    # --8<-- [start:consume]
    def poll(
        self,
        max_records: int | None = None,
        partitions: Iterable[int] | None = None,
    ) -> list[Record[V]]:
        """Read the next records and advance the positions (not the commits).

        Partitions are read in the order given (default: all, in index
        order), each from its position, up to ``max_records`` in total. The
        log itself does not change: other groups still see every record.
        O(p log n + k) for p partitions and k records returned.
        """
        batch: list[Record[V]] = []
        chosen = (
            range(self._log.partitions) if partitions is None else partitions
        )
        for partition in chosen:
            budget = None if max_records is None else max_records - len(batch)
            if budget == 0:
                break
            records = self._log.read(
                partition, self.position(partition), budget
            )
            if records:
                self._positions[partition] = records[-1].offset + 1
            batch.extend(records)
        return batch

    def commit(self, offsets: Mapping[int, int] | None = None) -> None:
        """Commit ``{partition: next offset to read}``, or every position.

        Commit after processing and a crash replays the uncommitted tail (at
        least once); commit before processing and a crash skips it (at most
        once). O(p).

        Raises:
            IndexError: for a partition that does not exist.
            ValueError: for a negative offset.
        """
        chosen = dict(self._positions) if offsets is None else offsets
        for partition, offset in chosen.items():
            self._log.end_offset(partition)  # validates the partition
            if offset < 0:
                raise ValueError(f"offset must not be negative, got {offset}")
            self._committed[partition] = offset

    # --8<-- [end:consume]

    def seek(self, partition: int, offset: int) -> None:
        """Set the position of one partition; the range is checked on read.

        Raises:
            IndexError: for a partition that does not exist.
        """
        self._log.end_offset(partition)  # validates the partition
        self._positions[partition] = offset

    # --8<-- [start:seek_to_time]
    def seek_to_time(self, timestamp: int) -> dict[int, int]:
        """Move every partition to the first record at or after ``timestamp``.

        A partition with no such record moves to its end, as Kafka's
        ``kafka-consumer-groups.sh --reset-offsets --to-datetime`` does.
        Returns the new positions. O(n) over all records.
        """
        for partition in range(self._log.partitions):
            offset = self._log.offset_for_time(partition, timestamp)
            end = self._log.end_offset(partition)
            self._positions[partition] = end if offset is None else offset
        return dict(self._positions)

    # --8<-- [end:seek_to_time]

    def restart(self) -> None:
        """Forget the positions, as a crashed consumer does: the next poll
        resumes from the committed offsets (or the reset policy). O(1)."""
        self._positions.clear()
