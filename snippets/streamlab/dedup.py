"""Sliding-window deduplication by event id, in event time, with a hard cap.

A consumer on an at-least-once stream sees some events twice: a producer
retried, a consumer crashed before committing its offset, a partition was
replayed. ``Deduplicator`` drops a repeat of an ``event_id`` that it
has already passed within ``window`` (10 minutes by default) and forwards
everything else. The rules, each chosen on purpose:

* **Event time, not arrival time.** The clock is the highest event
  timestamp seen so far (a watermark with no lateness allowance). An
  event's age is ``clock - timestamp``. Replaying an hour of events in ten
  seconds therefore deduplicates exactly as the live run did, and a test
  needs no wall clock.
* **Out-of-order input.** An event that arrives late but is still inside
  the window is checked normally. An event older than the window
  (``timestamp < clock - window``) cannot be checked, because the ids of
  its era are gone: it is forwarded as ``Verdict.TOO_OLD`` and
  counted, never dropped. Dropping would lose a genuine event that was
  merely delayed (a phone back online); forwarding risks one duplicate,
  which an idempotent sink absorbs. The caller may route it elsewhere.
* **No refresh on a duplicate.** An id is remembered from the event time
  of the copy that passed. A retry carries the original's timestamp, so
  refreshing would not catch more retries, and an id that keeps being
  re-sent with fresh timestamps would otherwise be held forever.
* **Hard cap.** At most ``max_ids`` ids are held. When a new id arrives at
  the cap, the oldest-inserted id is evicted and counted in
  ``evicted_by_cap``. A later copy of that id passes again: the layer
  degrades to at-least-once for it, and it never drops a new event.
* **An id counts as seen once it passes.** If processing it then fails
  and the event will come again (a seek back, a retry), call
  ``Deduplicator.forget``, or the retry is dropped as a duplicate.
* **Malformed input** (not JSON, not an object, missing or wrong-typed
  ``event_id`` or ``timestamp``, ``bool`` where a number is expected, NaN
  or infinity, a naive ISO string) is counted per reason, never raises
  and never passes as new.
* **Timestamps** are ISO-8601 strings with a UTC offset (``Z`` or
  ``+02:00``) or JSON numbers since the Unix epoch, in seconds by default
  (``epoch_unit="ms"`` for milliseconds). Internally they are integer
  microseconds, so comparisons are exact.

Memory: the ids held are those that passed while the clock advanced
through its last ``window``; with ordered input that is exactly the ids in
the window. Each event costs amortised O(1) time.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, NamedTuple

EpochUnit = Literal["s", "ms"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SCALE: dict[str, int] = {"s": 1_000_000, "ms": 1_000}
_MISSING = object()
#: Representable range (years 1 to 9999 UTC) in microseconds.
MIN_TIMESTAMP_US = (datetime.min.replace(tzinfo=UTC) - _EPOCH) // _MICROSECOND
MAX_TIMESTAMP_US = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MICROSECOND


class Verdict(StrEnum):
    """What the layer decided about one input."""

    NEW = "new"
    DUPLICATE = "duplicate"
    TOO_OLD = "too_old"
    MALFORMED = "malformed"

    @property
    def emit(self) -> bool:
        """Whether the consumer should process the event (new or too old)."""
        return self in (Verdict.NEW, Verdict.TOO_OLD)


class Malformed(StrEnum):
    """Why an input was rejected as malformed."""

    NOT_JSON = "not_json"
    NOT_OBJECT = "not_object"
    MISSING_EVENT_ID = "missing_event_id"
    BAD_EVENT_ID = "bad_event_id"
    MISSING_TIMESTAMP = "missing_timestamp"
    BAD_TIMESTAMP = "bad_timestamp"


class MalformedEventError(ValueError):
    """An input that is not a well-formed event; ``reason`` says why."""

    def __init__(self, reason: Malformed, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


class Event(NamedTuple):
    """A validated event: its id and its event time in microseconds."""

    event_id: str
    timestamp_us: int


@dataclass(slots=True)
class DedupStats:
    """Counters of a ``Deduplicator``.

    Every input is counted once in ``seen`` and once in exactly one of
    ``passed``, ``duplicates``, ``too_old`` or ``malformed``.
    ``evicted_by_cap`` counts ids forgotten early because of the cap.
    """

    seen: int = 0
    passed: int = 0
    duplicates: int = 0
    too_old: int = 0
    evicted_by_cap: int = 0
    malformed: dict[str, int] = field(default_factory=dict)

    @property
    def malformed_total(self) -> int:
        """Number of malformed inputs, all reasons together."""
        return sum(self.malformed.values())


# --8<-- [start:parse_timestamp]
def parse_timestamp(value: object, epoch_unit: EpochUnit = "s") -> int:
    """Convert a JSON timestamp to integer microseconds since the epoch.

    Accepts an ISO-8601 string with a UTC offset, or an int or float
    counting ``epoch_unit`` since 1970-01-01T00:00:00Z. O(len(value)).

    Raises:
        MalformedEventError: (``BAD_TIMESTAMP``) for a bool, NaN or an
            infinity, a string that is not ISO-8601, a string without an
            offset (its instant is ambiguous), any other type, or an
            instant outside years 1-9999.
    """
    if isinstance(value, bool):  # bool is an int subclass: reject first
        raise MalformedEventError(Malformed.BAD_TIMESTAMP, "bool")
    if isinstance(value, int):
        micros = value * _SCALE[epoch_unit]
    elif isinstance(value, float):
        scaled = value * _SCALE[epoch_unit]
        if not math.isfinite(scaled):
            raise MalformedEventError(Malformed.BAD_TIMESTAMP, repr(value))
        micros = round(scaled)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise MalformedEventError(
                Malformed.BAD_TIMESTAMP, f"not ISO-8601: {value[:40]!r}"
            ) from None
        if moment.utcoffset() is None:
            raise MalformedEventError(
                Malformed.BAD_TIMESTAMP, f"no UTC offset: {value[:40]!r}"
            )
        micros = (moment - _EPOCH) // _MICROSECOND
    else:
        raise MalformedEventError(Malformed.BAD_TIMESTAMP, type(value).__name__)
    if not MIN_TIMESTAMP_US <= micros <= MAX_TIMESTAMP_US:
        raise MalformedEventError(Malformed.BAD_TIMESTAMP, "out of range")
    return micros


# --8<-- [end:parse_timestamp]


def parse_event(
    obj: object, *, epoch_unit: EpochUnit = "s", max_id_length: int = 256
) -> Event:
    """Validate a decoded JSON value as an event. O(size of its fields).

    ``event_id`` must be a non-empty string of at most ``max_id_length``
    characters, or an integer (not a bool); an integer id is keyed by its
    decimal string, so ``42`` and ``"42"`` are the same event. The length
    limit keeps one hostile id from defeating the memory bound.

    Raises:
        MalformedEventError: with the first reason that applies.
    """
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise MalformedEventError(Malformed.NOT_OBJECT, type(obj).__name__)
    raw_id = obj.get("event_id", _MISSING)
    if raw_id is _MISSING:
        raise MalformedEventError(Malformed.MISSING_EVENT_ID, "no event_id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        event_id = str(raw_id)
    elif isinstance(raw_id, str):
        event_id = raw_id
    else:
        raise MalformedEventError(Malformed.BAD_EVENT_ID, type(raw_id).__name__)
    if not 0 < len(event_id) <= max_id_length:
        raise MalformedEventError(
            Malformed.BAD_EVENT_ID, f"length {len(event_id)}"
        )
    raw_ts = obj.get("timestamp", _MISSING)
    if raw_ts is _MISSING:
        raise MalformedEventError(Malformed.MISSING_TIMESTAMP, "no timestamp")
    return Event(event_id, parse_timestamp(raw_ts, epoch_unit))


def decode_event(
    raw: str | bytes | bytearray,
    *,
    epoch_unit: EpochUnit = "s",
    max_id_length: int = 256,
) -> Event:
    """Decode one JSON text and validate it with ``parse_event``.

    O(len(raw)).

    Raises:
        MalformedEventError: ``NOT_JSON`` for invalid JSON, invalid UTF-8 or
            nesting too deep for the decoder, otherwise as ``parse_event``.
    """
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise MalformedEventError(Malformed.NOT_JSON, str(err)) from None
    return parse_event(obj, epoch_unit=epoch_unit, max_id_length=max_id_length)


class Deduplicator:
    """Drop repeats of an ``event_id`` within a sliding event-time window.

    Ids live in an ``OrderedDict`` (id -> event time of the passed copy) in
    the order they passed; expiry and the cap both remove from the front.
    Time: amortised O(1) per event, because each id is inserted once and
    removed at most once. Space: O(min(max_ids, ids that passed while the
    clock advanced through its last ``window``)).

    Args:
        window: how long, in event time, an id is remembered; positive.
        max_ids: hard cap on ids held; at least 1. Each id costs about 180
            bytes in CPython 3.11 for a 16-character id, so the default
            1,000,000 bounds the layer near 180 MB.
        epoch_unit: unit of numeric timestamps, ``"s"`` or ``"ms"``.
        max_id_length: longest accepted ``event_id``, in characters.

    Raises:
        ValueError: for a non-positive window or cap.
    """

    def __init__(
        self,
        window: timedelta = timedelta(minutes=10),
        *,
        max_ids: int = 1_000_000,
        epoch_unit: EpochUnit = "s",
        max_id_length: int = 256,
    ) -> None:
        if window <= timedelta(0):
            raise ValueError(f"window must be positive, got {window}")
        if max_ids < 1:
            raise ValueError(f"max_ids must be at least 1, got {max_ids}")
        self._window_us = window // _MICROSECOND
        self._max_ids = max_ids
        self._epoch_unit: EpochUnit = epoch_unit
        self._max_id_length = max_id_length
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._clock: int | None = None
        self._stats = DedupStats()

    @property
    def stats(self) -> DedupStats:
        """A snapshot of the counters (a copy). O(number of reasons)."""
        return replace(self._stats, malformed=dict(self._stats.malformed))

    @property
    def clock_us(self) -> int | None:
        """Highest event time seen, in microseconds; None before any event."""
        return self._clock

    def __len__(self) -> int:
        """Number of ids currently held. O(1)."""
        return len(self._ids)

    def process_json(self, raw: str | bytes | bytearray) -> Verdict:
        """Decide about one JSON text. Never raises on bad input.

        O(len(raw)) to decode, then amortised O(1).
        """
        try:
            event = decode_event(
                raw,
                epoch_unit=self._epoch_unit,
                max_id_length=self._max_id_length,
            )
        except MalformedEventError as err:
            return self._reject(err.reason)
        return self.offer(event.event_id, event.timestamp_us)

    def process(self, obj: object) -> Verdict:
        """Decide about one decoded JSON value. Never raises on bad input.

        Amortised O(1) plus the cost of validating its fields.
        """
        try:
            event = parse_event(
                obj,
                epoch_unit=self._epoch_unit,
                max_id_length=self._max_id_length,
            )
        except MalformedEventError as err:
            return self._reject(err.reason)
        return self.offer(event.event_id, event.timestamp_us)

    # --8<-- [start:offer]
    def offer(self, event_id: str, timestamp_us: int) -> Verdict:
        """Decide about a validated event. Amortised O(1) time."""
        self._stats.seen += 1
        if self._clock is None or timestamp_us > self._clock:
            self._clock = timestamp_us  # event time only moves forward
        horizon = self._clock - self._window_us
        if timestamp_us < horizon:  # its era's ids are gone: can't check
            self._stats.too_old += 1
            return Verdict.TOO_OLD
        self._expire(horizon)
        ids = self._ids
        passed_at = ids.get(event_id)
        if passed_at is not None and passed_at >= horizon:
            self._stats.duplicates += 1  # no refresh: expiry stays put
            return Verdict.DUPLICATE
        if passed_at is not None:  # expired, held behind a younger id
            del ids[event_id]
        elif len(ids) >= self._max_ids:  # at the cap: forget the oldest
            ids.popitem(last=False)
            self._stats.evicted_by_cap += 1
            self._expire(horizon)
        ids[event_id] = timestamp_us
        self._stats.passed += 1
        return Verdict.NEW

    def _expire(self, horizon: int) -> None:
        """Forget ids older than ``horizon`` from the front.

        Stops at the first id still inside the window, so an expired id
        inserted after it (out-of-order input) waits; ``offer`` checks the
        time of every hit, so a waiting id never causes a false duplicate.
        """
        ids = self._ids
        while ids:
            oldest = next(iter(ids))
            if ids[oldest] >= horizon:
                return
            del ids[oldest]

    # --8<-- [end:offer]

    def forget(self, event_id: str) -> bool:
        """Undo a pass, so that a retry of this id is processed. O(1).

        Call it when processing a passed event failed and the consumer will
        see the event again (a seek back, an in-process retry); otherwise
        the retry would be dropped as a duplicate of an event that never
        took effect. Returns whether the id was held.
        """
        return self._ids.pop(event_id, None) is not None

    def _reject(self, reason: Malformed) -> Verdict:
        self._stats.seen += 1
        counts = self._stats.malformed
        counts[reason.value] = counts.get(reason.value, 0) + 1
        return Verdict.MALFORMED
