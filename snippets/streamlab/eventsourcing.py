"""Event sourcing: an append-only event store, projections and snapshots.

State is never stored directly: it is a left fold over an immutable log of
events. The pieces an ML feature pipeline needs from that idea:

* :class:`EventStore`: append-only, one stream per aggregate (a user, an
  order), per-stream versions, global positions and optimistic concurrency
  (an append names the version it expects and fails on a conflict).
* :class:`Projection` and :class:`ReadModel`: a fold of events into per-stream
  state, rebuilt from scratch or resumed from a :class:`Checkpoint`.
* :class:`Snapshot`: a state plus the version it covers; loading replays
  only the events after it.
* :func:`as_of`: a point-in-time rebuild, the table as it was *known* at T.
* :class:`CrudTable`: the contrast, a table updated in place that can only
  answer "now".

Times are integers (milliseconds by convention). Every event carries two
clocks: ``event_time``, when it happened in the world, and
``recorded_time``, when the store learned of it. The store assigns
positions in recording order, so recorded times never decrease along the
log and "everything known at T" is a prefix of it. That pair of clocks is
what makes the store *bitemporal*.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

P = TypeVar("P")  # event payload
S = TypeVar("S")  # projected state
V = TypeVar("V")  # CRUD row


class ConcurrencyError(Exception):
    """An append named a stale expected version (optimistic concurrency).

    Attributes:
        stream_id: the stream written to.
        expected: the version the writer based its decision on.
        actual: the version the stream is really at.
    """

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class NewEvent(Generic[P]):
    """An event to append: its payload and when it happened."""

    data: P
    event_time: int


@dataclass(frozen=True)
class Event(Generic[P]):
    """A recorded, immutable event.

    Attributes:
        position: global sequence number, 1-based, in recording order.
        stream_id: the aggregate the event belongs to.
        version: 1-based index of the event within its stream.
        event_time: when it happened in the world.
        recorded_time: when the store learned of it.
        data: the payload; use an immutable type (a frozen dataclass).
    """

    position: int
    stream_id: str
    version: int
    event_time: int
    recorded_time: int
    data: P


class EventStore(Generic[P]):
    """An append-only log of events, split into streams.

    Nothing is ever updated or deleted. Reads return new lists, so a caller
    cannot change the log through them. Space is O(n) for n events.
    """

    def __init__(self) -> None:
        self._log: list[Event[P]] = []
        self._streams: dict[str, list[int]] = {}  # stream -> indexes in _log

    def __len__(self) -> int:
        return len(self._log)

    def version(self, stream_id: str) -> int:
        """Return the number of events in a stream (0 if unknown). O(1)."""
        return len(self._streams.get(stream_id, ()))

    def streams(self) -> list[str]:
        """Return the stream ids in order of first append. O(s)."""
        return list(self._streams)

    # --8<-- [start:append]
    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent[P]],
        *,
        expected_version: int | None,
        recorded_time: int,
    ) -> list[Event[P]]:
        """Append events to one stream, atomically.

        Optimistic concurrency: a writer reads a stream at version v,
        decides, then appends with ``expected_version=v``. If another
        writer appended in between, the versions differ and the append is
        rejected; nothing is written. O(k) time for k events.

        Args:
            stream_id: the stream (aggregate) to append to.
            events: one or more events, in order.
            expected_version: the version the writer saw, or None to skip
                the check (a blind append).
            recorded_time: when the store receives them; not before the
                last recorded time, since the log is in recording order.

        Returns:
            The recorded events, with positions and versions assigned.

        Raises:
            ConcurrencyError: if ``expected_version`` is stale.
            ValueError: if ``events`` is empty or ``recorded_time`` goes
                back in time.
        """
        if not events:
            raise ValueError("nothing to append")
        actual = self.version(stream_id)
        if expected_version is not None and expected_version != actual:
            raise ConcurrencyError(stream_id, expected_version, actual)
        if self._log and recorded_time < self._log[-1].recorded_time:
            raise ValueError(
                f"recorded_time {recorded_time} is before the last one, "
                f"{self._log[-1].recorded_time}: the log is in recording order"
            )
        indexes = self._streams.setdefault(stream_id, [])
        recorded = []
        for offset, new in enumerate(events, start=1):
            event = Event(
                position=len(self._log) + 1,
                stream_id=stream_id,
                version=actual + offset,
                event_time=new.event_time,
                recorded_time=recorded_time,
                data=new.data,
            )
            indexes.append(len(self._log))
            self._log.append(event)
            recorded.append(event)
        return recorded

    # --8<-- [end:append]

    def read_stream(
        self,
        stream_id: str,
        after_version: int = 0,
        to_version: int | None = None,
    ) -> list[Event[P]]:
        """Return a stream's events with ``after_version < version <= to``.

        ``to_version`` defaults to the stream's current version. O(k) for k
        events returned.

        Raises:
            ValueError: unless ``0 <= after_version <= to_version <= version``.
        """
        indexes = self._streams.get(stream_id, [])
        stop = len(indexes) if to_version is None else to_version
        if not 0 <= after_version <= stop <= len(indexes):
            raise ValueError(
                f"versions ({after_version}, {stop}] are outside stream "
                f"{stream_id!r}, which is at version {len(indexes)}"
            )
        return [self._log[i] for i in indexes[after_version:stop]]

    def read_all(
        self, after_position: int = 0, to_position: int | None = None
    ) -> list[Event[P]]:
        """Return all events with ``after_position < position <= to``.

        ``to_position`` defaults to the head of the log. This is how a
        projection catches up from a checkpoint. O(k) for k events returned.

        Raises:
            ValueError: unless ``0 <= after_position <= to_position <= len``.
        """
        stop = len(self._log) if to_position is None else to_position
        if not 0 <= after_position <= stop <= len(self._log):
            raise ValueError(
                f"positions ({after_position}, {stop}] are outside the log, "
                f"which holds {len(self._log)} events"
            )
        return self._log[after_position:stop]

    def position_at(self, recorded_time: int) -> int:
        """Return the last position recorded at or before ``recorded_time``.

        Because positions follow recording order, events known at time T
        are exactly positions ``1..position_at(T)``. O(log n) by bisection.
        """
        return bisect_right(self._log, recorded_time, key=_recorded)


def _recorded(event: Event[P]) -> int:
    return event.recorded_time


@dataclass(frozen=True)
class Projection(Generic[P, S]):
    """A named, versioned fold of events into a state.

    ``apply`` must be pure and must not mutate its state argument: states
    are shared by snapshots and checkpoints. Bump ``version`` whenever the
    logic changes (a bug fix), so that snapshots and checkpoints written by
    the old logic are refused instead of silently mixed in.

    Attributes:
        name: what the projection computes, e.g. ``"features"``.
        version: the version of its logic.
        initial: the state before any event (immutable).
        apply: ``(state, event) -> new state``.
    """

    name: str
    version: int
    initial: S
    apply: Callable[[S, Event[P]], S]

    @property
    def key(self) -> str:
        """Identify the logic that produced a state, e.g. ``features@v2``."""
        return f"{self.name}@v{self.version}"

    def fold(self, events: Iterable[Event[P]], state: S) -> S:
        """Apply events, in order, to ``state``. O(k) applies."""
        for event in events:
            state = self.apply(state, event)
        return state

    def replay(self, events: Iterable[Event[P]]) -> S:
        """Fold events from the initial state. O(k) applies."""
        return self.fold(events, self.initial)


@dataclass(frozen=True)
class Checkpoint(Generic[S]):
    """A read model's progress: the position it has applied, its states."""

    projection: str
    position: int
    states: Mapping[str, S]


class ReadModel(Generic[P, S]):
    """Per-stream states of one projection, kept up to date from the log.

    The read side of CQRS: a table (one state per stream) derived from the
    log, which can always be thrown away and rebuilt. Space is O(s) states.
    """

    def __init__(
        self,
        projection: Projection[P, S],
        checkpoint: Checkpoint[S] | None = None,
    ) -> None:
        """Start empty at position 0, or resume from a checkpoint.

        Raises:
            ValueError: if the checkpoint was written by other logic.
        """
        self.projection = projection
        self._states: dict[str, S] = {}
        self._position = 0
        if checkpoint is not None:
            if checkpoint.projection != projection.key:
                raise ValueError(
                    f"checkpoint was written by {checkpoint.projection}, "
                    f"not {projection.key}: rebuild from 0"
                )
            self._states = dict(checkpoint.states)
            self._position = checkpoint.position

    @property
    def position(self) -> int:
        """The position of the last event applied (0: none)."""
        return self._position

    def get(self, stream_id: str) -> S:
        """Return a stream's state, the initial one if unseen. O(1)."""
        return self._states.get(stream_id, self.projection.initial)

    def states(self) -> Mapping[str, S]:
        """Return a read-only view of all states. O(1)."""
        return MappingProxyType(self._states)

    def catch_up(self, store: EventStore[P], until: int | None = None) -> int:
        """Apply the events after ``position``, up to ``until`` (the head).

        O(k) applies for k new events.

        Returns:
            How many events were applied.
        """
        events = store.read_all(self._position, until)
        for event in events:
            self._states[event.stream_id] = self.projection.apply(
                self.get(event.stream_id), event
            )
        self._position += len(events)
        return len(events)

    def checkpoint(self) -> Checkpoint[S]:
        """Capture progress to resume from later. O(s) for s streams."""
        return Checkpoint(
            self.projection.key,
            self._position,
            MappingProxyType(dict(self._states)),
        )


def rebuild(
    store: EventStore[P], projection: Projection[P, S], until: int | None = None
) -> ReadModel[P, S]:
    """Build a read model from scratch by replaying the log up to ``until``.

    This is the backfill after a bug fix: run the fixed projection over the
    whole history. O(n) applies for n events.
    """
    model = ReadModel(projection)
    model.catch_up(store, until)
    return model


@dataclass(frozen=True)
class Snapshot(Generic[S]):
    """A stream's state after its first ``version`` events."""

    stream_id: str
    version: int
    state: S
    projection: str


def take_snapshot(
    store: EventStore[P],
    projection: Projection[P, S],
    stream_id: str,
    version: int | None = None,
) -> Snapshot[S]:
    """Fold a stream up to ``version`` (default: its head) into a snapshot.

    O(v) applies.
    """
    events = store.read_stream(stream_id, to_version=version)
    return Snapshot(
        stream_id, len(events), projection.replay(events), projection.key
    )


def load(
    store: EventStore[P],
    projection: Projection[P, S],
    stream_id: str,
    snapshot: Snapshot[S] | None = None,
) -> tuple[S, int]:
    """Return a stream's current state and version.

    With a snapshot, only the events after it are replayed: O(k) applies
    for the k-event tail instead of O(v) for the whole stream. The result
    is the same as a full replay.

    Raises:
        ValueError: if the snapshot belongs to another stream or was taken
            by other projection logic.
    """
    if snapshot is None:
        return projection.replay(store.read_stream(stream_id)), store.version(
            stream_id
        )
    if snapshot.stream_id != stream_id:
        raise ValueError(
            f"snapshot is of stream {snapshot.stream_id!r}, not {stream_id!r}"
        )
    if snapshot.projection != projection.key:
        raise ValueError(
            f"snapshot was taken by {snapshot.projection}, "
            f"not {projection.key}: replay from the start"
        )
    tail = store.read_stream(stream_id, after_version=snapshot.version)
    return projection.fold(tail, snapshot.state), snapshot.version + len(tail)


# --8<-- [start:as_of]
def as_of(
    store: EventStore[P],
    projection: Projection[P, S],
    t: int,
    *,
    known_at: int | None = None,
) -> dict[str, S]:
    """Rebuild per-stream state as it was known at time ``t``.

    Bitemporal: keep an event only if it had happened by ``t``
    (``event_time <= t``) and the store had recorded it by ``known_at``
    (``recorded_time <= known_at``, default ``t``). The second filter is
    what prevents leakage: a late event recorded after T was not visible
    to a model serving at T, so it must not be in a training row for T.
    Streams with no such event are absent.

    O(log n + k) for the k events recorded by ``known_at``.
    """
    cutoff = t if known_at is None else known_at
    known = store.read_all(to_position=store.position_at(cutoff))
    states: dict[str, S] = {}
    for event in known:
        if event.event_time <= t:
            state = states.get(event.stream_id, projection.initial)
            states[event.stream_id] = projection.apply(state, event)
    return states


# --8<-- [end:as_of]


class CrudTable(Generic[V]):
    """A key-value table updated in place: the contrast to event sourcing.

    Each write overwrites the previous row, so the table can answer only
    "what is the value now": not what it was at T, not how it got there,
    and not what it would be under fixed logic. Operations are O(1).
    """

    def __init__(self) -> None:
        self._rows: dict[str, V] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def put(self, key: str, row: V) -> None:
        """Create or replace a row (the old one is gone)."""
        self._rows[key] = row

    def get(self, key: str) -> V | None:
        """Return the current row, or None."""
        return self._rows.get(key)

    def delete(self, key: str) -> None:
        """Delete a row if present (no trace is left)."""
        self._rows.pop(key, None)

    def rows(self) -> dict[str, V]:
        """Return a copy of all current rows. O(r)."""
        return dict(self._rows)
