"""Where the offset commit sits decides the delivery guarantee.

A consume-process-produce loop reads records from a partitioned,
offset-addressed source, applies one *effect* per record to a sink, and
records its progress as committed offsets (the next offset to read, as
Kafka does). A crash can strike between any two actions; the consumer then
restarts from whatever progress survived. Four placements:

* ``Mode.AT_MOST_ONCE``: commit, then apply the effect. A crash between the
  two loses the effect: the restart resumes after the record.
* ``Mode.AT_LEAST_ONCE``: apply the effect, then commit. A crash between
  the two applies the effect again on restart: a duplicate.
* ``Mode.IDEMPOTENT``: at-least-once delivery into an upsert sink that
  fences by sequence. Each key lives in one partition, so its offsets grow;
  the sink keeps, per key, the highest offset applied and rejects a write
  whose offset is not higher. The replayed write is stale and dropped, so
  every effect lands exactly once.
* ``Mode.TRANSACTIONAL``: the sink stores the consumer's offsets together
  with the output, in one atomic commit. On restart the consumer resumes
  from the offsets stored in the sink, so output and progress never
  disagree.

Exactly-once is a property of effects, not deliveries: in the last two modes
records are still delivered more than once after a crash.

Fault injection is deterministic: ``run`` takes the indices of the actions
before which the process crashes (counted over the whole run, restarts
included); ``random_crash_points`` draws them from a seed.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Mode(StrEnum):
    """Where the loop commits its progress relative to the effect."""

    AT_MOST_ONCE = "at-most-once"
    AT_LEAST_ONCE = "at-least-once"
    IDEMPOTENT = "idempotent"
    TRANSACTIONAL = "transactional"


@dataclass(frozen=True, order=True)
class Record:
    """One record of the source, addressed by partition and offset."""

    partition: int
    offset: int
    key: str
    value: int


class Crash(Exception):
    """The injected failure: the process dies before its next action."""


class Source:
    """An in-memory partitioned log; records are routed by key hash.

    Routing by a stable hash of the key keeps every key in one partition, so
    a key's offsets grow in processing order (the invariant the idempotent
    sink relies on).

    Reads are O(1); the log holds O(n) records.
    """

    def __init__(self, partitions: int, items: Iterable[tuple[str, int]]):
        """Append ``items`` as (key, value) pairs to ``partitions`` logs.

        Raises:
            ValueError: if ``partitions`` is less than 1.
        """
        if partitions < 1:
            raise ValueError("partitions must be at least 1")
        self.logs: list[list[Record]] = [[] for _ in range(partitions)]
        for key, value in items:
            p = zlib.crc32(key.encode()) % partitions
            self.logs[p].append(Record(p, len(self.logs[p]), key, value))

    def read(self, partition: int, offset: int) -> Record | None:
        """The record at ``offset``, or None past the end. O(1)."""
        log = self.logs[partition]
        return log[offset] if offset < len(log) else None

    def records(self) -> list[Record]:
        """Every record, partition by partition. O(n)."""
        return [r for log in self.logs for r in log]


class Faults:
    """Counts actions and raises ``Crash`` before the chosen ones.

    ``tick`` is O(1); the set of crash points is O(k).
    """

    def __init__(self, crash_points: Iterable[int] = ()) -> None:
        """Crash before each action whose 0-based index is listed."""
        self.points = frozenset(crash_points)
        self.actions = 0

    def tick(self) -> None:
        """Announce the next action; raise ``Crash`` if it is a crash point.

        Raises:
            Crash: before an action whose index is a crash point.
        """
        index = self.actions
        self.actions += 1
        if index in self.points:
            raise Crash(f"crash before action {index}")


@dataclass
class UpsertSink:
    """A table keyed by record key, with writes fenced by sequence number.

    ``table`` maps key to (sequence, value); ``applied`` logs every accepted
    write and ``rejected`` counts stale ones. ``upsert`` is O(1).
    """

    table: dict[str, tuple[int, int]] = field(default_factory=dict)
    applied: list[Record] = field(default_factory=list)
    rejected: int = 0

    # --8<-- [start:upsert]
    def upsert(self, record: Record) -> bool:
        """Write ``record`` unless the key already holds its offset or later.

        Returns:
            True if the write was applied, False if it was stale.
        """
        current = self.table.get(record.key)
        if current is not None and current[0] >= record.offset:
            self.rejected += 1  # a replay: this write already landed
            return False
        self.table[record.key] = (record.offset, record.value)
        self.applied.append(record)
        return True

    # --8<-- [end:upsert]


@dataclass
class TransactionalSink:
    """Output and consumer offsets, committed together or not at all.

    ``commit`` is O(len(records) + len(offsets)).
    """

    output: list[Record] = field(default_factory=list)
    offsets: dict[int, int] = field(default_factory=dict)

    def commit(
        self, records: Sequence[Record], offsets: dict[int, int]
    ) -> None:
        """Append ``records`` and store ``offsets`` in one atomic step."""
        self.output.extend(records)
        self.offsets.update(offsets)


@dataclass
class Result:
    """What survived a run: the effects applied, in order, and the restarts.

    ``table`` is the idempotent sink's final content (empty in other modes).
    """

    effects: list[Record]
    restarts: int
    actions: int
    table: dict[str, tuple[int, int]]


@dataclass
class _State:
    """Everything that survives a crash: committed offsets and the sinks."""

    committed: dict[int, int] = field(default_factory=dict)
    appended: list[Record] = field(default_factory=list)
    upserts: UpsertSink = field(default_factory=UpsertSink)
    txn: TransactionalSink = field(default_factory=TransactionalSink)


# --8<-- [start:loop]
def _handle(mode: Mode, rec: Record, state: _State, faults: Faults) -> None:
    """Process one record: the effect and the offset commit, in mode order."""
    next_offset = {rec.partition: rec.offset + 1}
    if mode is Mode.AT_MOST_ONCE:
        faults.tick()
        state.committed.update(next_offset)  # commit first ...
        faults.tick()
        state.appended.append(rec)  # ... a crash here loses the effect
    elif mode is Mode.AT_LEAST_ONCE:
        faults.tick()
        state.appended.append(rec)  # effect first ...
        faults.tick()
        state.committed.update(next_offset)  # ... a crash before: duplicate
    elif mode is Mode.IDEMPOTENT:
        faults.tick()
        state.upserts.upsert(rec)  # a replayed write is rejected as stale
        faults.tick()
        state.committed.update(next_offset)
    else:
        faults.tick()
        state.txn.commit([rec], next_offset)  # effect + offset, atomically


def _consume(source: Source, mode: Mode, state: _State, faults: Faults) -> None:
    """Run one incarnation of the consumer until the source is drained."""
    stored = (
        state.txn.offsets if mode is Mode.TRANSACTIONAL else state.committed
    )
    position = [stored.get(p, 0) for p in range(len(source.logs))]
    progress = True
    while progress:  # round-robin over partitions, one record at a time
        progress = False
        for p, offset in enumerate(position):
            rec = source.read(p, offset)
            if rec is not None:
                _handle(mode, rec, state, faults)
                position[p] += 1
                progress = True


# --8<-- [end:loop]


def run(source: Source, mode: Mode, crash_points: Iterable[int] = ()) -> Result:
    """Consume ``source`` to the end, restarting after every injected crash.

    Each restart resumes from the progress that survived: the committed
    offsets, or in ``Mode.TRANSACTIONAL`` the offsets stored in the sink.

    Time O((n + r) * c) for n records, r records replayed and c the
    cost of one sink write; space O(n) for the sinks.

    Returns:
        The effects that landed in the sink, in order, and counters.
    """
    state = _State()
    faults = Faults(crash_points)
    restarts = 0
    while True:
        try:
            _consume(source, mode, state, faults)
            break
        except Crash:
            restarts += 1
    if mode is Mode.IDEMPOTENT:
        effects = state.upserts.applied
    elif mode is Mode.TRANSACTIONAL:
        effects = state.txn.output
    else:
        effects = state.appended
    return Result(effects, restarts, faults.actions, state.upserts.table)


@dataclass(frozen=True)
class Audit:
    """Effects compared with a fault-free run: lost and duplicated records."""

    lost: list[Record]
    duplicated: list[Record]

    @property
    def exactly_once(self) -> bool:
        """True when nothing was lost and nothing applied twice."""
        return not self.lost and not self.duplicated


def audit(source: Source, effects: Sequence[Record]) -> Audit:
    """Check that every record of ``source`` had exactly one effect.

    Time O(n log n) for the sorted report, space O(n).
    """
    seen = Counter(effects)
    lost = sorted(r for r in source.records() if seen[r] == 0)
    duplicated = sorted(r for r, count in seen.items() if count > 1)
    return Audit(lost, duplicated)


def random_crash_points(seed: int, actions: int, crashes: int = 1) -> set[int]:
    """Draw ``crashes`` distinct action indices below ``actions``, seeded.

    Time and space O(crashes).
    """
    rng = random.Random(seed)
    return set(rng.sample(range(actions), min(crashes, actions)))
