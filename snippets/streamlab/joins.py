"""Stream-to-table joins: enrich a stream from a slowly changing table.

Times are integers (milliseconds by convention). Every record carries its
*event time* ``ts``; every call that feeds an operator carries the
*processing time* ``now`` of a virtual clock, so nothing here reads the wall
clock.

Three building blocks:

* ``VersionedTable`` keeps, per key, the table's versions sorted by event
  time and answers *as-of* lookups ("the value valid at time t") by binary
  search. Deletes are tombstones (``None``). An optional history retention
  bounds the versions kept, as in a Kafka Streams versioned store.
* ``StreamTableJoin`` enriches stream records from such a table under one
  of four ``Policy`` values that differ in how they treat table updates
  that arrive late: join with whatever is known now, join as of the record's
  event time, hold records until the table has caught up, or emit at once and
  correct later with retractions.
* ``TTLCache`` sits in front of a slow ``ProfileStore`` for the
  remote-lookup variant: expire-after-write TTL, LRU bound, hit/miss/expiry
  counts. A value it returns is never older than the TTL, and may be that old.

``Record`` and ``Joined`` are the shared vocabulary for joins in
this module; windowed stream-stream and interval joins can be added next to
``StreamTableJoin`` with the same input and output types.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import OrderedDict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Protocol, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L")
R = TypeVar("R")
K_contra = TypeVar("K_contra", bound=Hashable, contravariant=True)
V_co = TypeVar("V_co", covariant=True)


@dataclass(frozen=True)
class Record(Generic[K, V]):
    """One keyed event: ``key``, event time ``ts`` and ``value``."""

    key: K
    ts: int
    value: V


@dataclass(frozen=True)
class Joined(Generic[K, L, R]):
    """One output of a join: the left record and the right value it got.

    Attributes:
        left: the stream record that triggered the output.
        right: the table value joined with it (``None``: no row, left join).
        retract: ``True`` for a retraction of an earlier output with the same
            ``left`` and ``right``; a correction is a retraction followed by
            a new output.
        timed_out: the record waited its maximum and was emitted with the best
            value known then, which may be wrong.
        expired: the record is older than the table's history retention, so
            no correct version can be found; ``right`` is ``None``.
    """

    left: Record[K, L]
    right: R | None
    retract: bool = False
    timed_out: bool = False
    expired: bool = False


# --8<-- [start:versioned_table]
class VersionedTable(Generic[K, V]):
    """A keyed table that remembers every version by event time.

    ``put(key, ts, value)`` records that ``key`` has ``value`` from ``ts``
    on; ``None`` is a tombstone (a delete). A second put at the same ``ts``
    replaces the first. ``as_of(key, ts)`` returns the value of the latest
    version at or before ``ts``.

    With ``history_retention`` set, the table tracks its stream time (the
    largest ``ts`` ever put) and a horizon ``stream time - retention``: writes
    older than the horizon are rejected, lookups older than it raise, and
    versions superseded before it are pruned (for one key on each write to
    it; for all keys by ``prune()``). This is the contract of a Kafka
    Streams versioned store, whose history retention doubles as its grace
    period.

    Space: O(v) for v versions kept.
    """

    def __init__(self, history_retention: int | None = None) -> None:
        if history_retention is not None and history_retention < 0:
            raise ValueError(
                f"history retention must be >= 0, got {history_retention}"
            )
        self._retention = history_retention
        self._times: dict[K, list[int]] = {}
        self._values: dict[K, list[V | None]] = {}
        self._last_written: dict[K, V | None] = {}
        self._stream_time: int | None = None

    @property
    def horizon(self) -> int | None:
        """Oldest event time still answered exactly (``None``: unbounded)."""
        if self._retention is None or self._stream_time is None:
            return None
        return self._stream_time - self._retention

    def put(self, key: K, ts: int, value: V | None) -> bool:
        """Record a version; return ``False`` if it is older than the horizon.

        O(log n) to find the slot plus O(n) to shift a list for an
        out-of-order version, n the versions of ``key``; in-order versions
        append in amortized O(1).
        """
        self._last_written[key] = value
        if self._stream_time is None or ts > self._stream_time:
            self._stream_time = ts
        horizon = self.horizon
        if horizon is not None and ts < horizon:
            return False
        times = self._times.setdefault(key, [])
        values = self._values.setdefault(key, [])
        i = bisect_left(times, ts)
        if i < len(times) and times[i] == ts:
            values[i] = value
        else:
            times.insert(i, ts)
            values.insert(i, value)
        if horizon is not None:
            self._prune_key(key, horizon)
        return True

    def as_of(self, key: K, ts: int) -> V | None:
        """Value of ``key`` valid at event time ``ts``. O(log n).

        Raises:
            ValueError: if ``ts`` is older than the horizon.
        """
        horizon = self.horizon
        if horizon is not None and ts < horizon:
            raise ValueError(f"time {ts} is older than the horizon {horizon}")
        times = self._times.get(key)
        if not times:
            return None
        i = bisect_right(times, ts) - 1
        return self._values[key][i] if i >= 0 else None

    # --8<-- [end:versioned_table]

    def latest(self, key: K) -> V | None:
        """Value of the version with the largest event time. O(1)."""
        values = self._values.get(key)
        return values[-1] if values else None

    def last_written(self, key: K) -> V | None:
        """Value of the most recent ``put`` in arrival order, kept or not.

        This is what a plain, non-versioned table (a Kafka Streams ``KTable``
        without a versioned store) holds: an out-of-order update overwrites a
        newer one. O(1).
        """
        return self._last_written.get(key)

    def next_change(self, key: K, ts: int) -> int | None:
        """Event time of the first version after ``ts``, if any. O(log n)."""
        times = self._times.get(key, [])
        i = bisect_right(times, ts)
        return times[i] if i < len(times) else None

    def versions(self, key: K) -> list[tuple[int, V | None]]:
        """The kept versions of ``key`` as ``(ts, value)``, oldest first."""
        times, values = self._times.get(key, []), self._values.get(key, [])
        return list(zip(times, values, strict=True))

    @property
    def version_count(self) -> int:
        """Number of versions kept, all keys together. O(k) for k keys."""
        return sum(len(times) for times in self._times.values())

    def prune(self) -> None:
        """Drop every version no longer needed below the horizon. O(v)."""
        horizon = self.horizon
        if horizon is not None:
            for key in list(self._times):
                self._prune_key(key, horizon)

    def _prune_key(self, key: K, horizon: int) -> None:
        # Keep the version valid at the horizon and everything after it;
        # forget the key entirely if all that is left is an old tombstone.
        times, values = self._times[key], self._values[key]
        keep_from = bisect_right(times, horizon) - 1
        if keep_from > 0:
            del times[:keep_from]
            del values[:keep_from]
        if len(times) == 1 and values[0] is None and times[0] <= horizon:
            del self._times[key], self._values[key]


class Policy(Enum):
    """How a stream-table join treats table updates that arrive late.

    * ``LATEST``: join with the table's current value at processing time,
      whatever the record's event time (a Kafka Streams KStream-KTable join
      on a non-versioned table; a Flink lookup join).
    * ``AS_OF``: join with the version valid at the record's event time among
      the versions known now (a KStream-KTable join on a versioned table,
      without grace period). A version that arrives after the record is
      missed.
    * ``HOLD``: buffer each record until the table side's watermark passes its
      event time, then join as of that time (Flink's event-time temporal join;
      Kafka Streams' grace period, which measures the wait in stream time).
      ``max_wait`` bounds the wait in processing time; a record released by
      the bound is flagged ``timed_out``.
    * ``CORRECT``: emit as ``AS_OF`` at once, remember what was emitted, and
      when a late version changes the as-of value of an emitted record, emit a
      retraction and the corrected output.
    """

    LATEST = "latest"
    AS_OF = "as-of"
    HOLD = "hold"
    CORRECT = "correct"


class StreamTableJoin(Generic[K, L, R]):
    """Left join of a keyed stream with a versioned table under a policy.

    Feed it in arrival order: ``on_stream()`` for stream records,
    ``on_table()`` for table updates (``value is None`` deletes),
    ``advance()`` for clock ticks and table watermarks (heartbeats of an
    idle table source), and ``flush()`` at end of input. Each call returns
    the outputs it caused, in order.

    The table watermark is the largest update time seen minus
    ``table_delay``, or a larger value given to ``advance()``; it promises
    that no update at or before it is still to come. ``HOLD`` is exactly as
    correct as that promise.

    Costs beyond the table's own: ``LATEST`` and ``AS_OF`` keep nothing
    per record. ``HOLD`` keeps the held records, O(log h) to hold or release
    one of h. ``CORRECT`` keeps every emitted record until the table's
    horizon passes it (with no ``history_retention``: forever); an update
    costs O(log m + r) for m records remembered under its key, r of them
    after the update's time and before the next version; remembering a
    record costs O(log M + m), M remembered in all (amortized O(log M) in
    event-time order), and forgetting one O(log M + m).
    """

    def __init__(
        self,
        policy: Policy,
        *,
        max_wait: int | None = None,
        table_delay: int = 0,
        history_retention: int | None = None,
    ) -> None:
        if max_wait is not None and policy is not Policy.HOLD:
            raise ValueError("max_wait only applies to Policy.HOLD")
        if max_wait is not None and max_wait < 0:
            raise ValueError(f"max_wait must be >= 0, got {max_wait}")
        if table_delay < 0:
            raise ValueError(f"table_delay must be >= 0, got {table_delay}")
        self.policy = policy
        self.table: VersionedTable[K, R] = VersionedTable(history_retention)
        self._max_wait = max_wait
        self._table_delay = table_delay
        self._watermark: int | None = None
        self._now: int | None = None
        self._seq = 0
        # HOLD: held records by sequence number, indexed by event time (for
        # watermark releases) and by deadline (for timeouts).
        self._held: dict[int, Record[K, L]] = {}
        self._by_time: list[tuple[int, int]] = []
        self._by_deadline: deque[tuple[int, int]] = deque()
        # CORRECT: emitted records per key as sorted (ts, seq), their current
        # output, and a heap to forget them once the horizon passes.
        self._emitted: dict[K, list[tuple[int, int]]] = {}
        self._outputs: dict[int, tuple[Record[K, L], R | None]] = {}
        self._forget: list[tuple[int, int, K]] = []

    @property
    def table_watermark(self) -> int | None:
        """The table side's watermark, ``None`` before any update."""
        return self._watermark

    @property
    def held(self) -> int:
        """Number of stream records ``HOLD`` is still buffering."""
        return len(self._held)

    @property
    def remembered(self) -> int:
        """Number of emitted records ``CORRECT`` keeps for corrections."""
        return len(self._outputs)

    def on_stream(
        self, record: Record[K, L], now: int
    ) -> list[Joined[K, L, R]]:
        """Join (or hold) one stream record arriving at time ``now``."""
        out = self._tick(now)
        if self.policy is Policy.HOLD:
            self._hold(record, now)
        else:
            out.append(self._emit(record))
        return out + self._release()

    def on_table(
        self, update: Record[K, R | None], now: int
    ) -> list[Joined[K, L, R]]:
        """Apply one table update (``value is None``: delete) at ``now``."""
        out = self._tick(now)
        kept = self.table.put(update.key, update.ts, update.value)
        self._raise_watermark(update.ts - self._table_delay)
        if self.policy is Policy.CORRECT:
            if kept:
                out += self._correct(update.key, update.ts)
            self._forget_expired()
        return out + self._release()

    def advance(
        self, now: int, table_watermark: int | None = None
    ) -> list[Joined[K, L, R]]:
        """Move the clock to ``now`` and the table watermark up, if given."""
        out = self._tick(now)
        if table_watermark is not None:
            self._raise_watermark(table_watermark)
        return out + self._release()

    def flush(self, now: int) -> list[Joined[K, L, R]]:
        """End of input: the table is complete, release every held record."""
        out = self._tick(now)
        while self._by_time:
            _, seq = heapq.heappop(self._by_time)
            if seq in self._held:
                out.append(self._emit(self._held.pop(seq)))
        self._by_deadline.clear()
        return out

    def _tick(self, now: int) -> list[Joined[K, L, R]]:
        if self._now is not None and now < self._now:
            raise ValueError(f"time went back from {self._now} to {now}")
        self._now = now
        return self._release_timed_out()

    def _raise_watermark(self, ts: int) -> None:
        if self._watermark is None or ts > self._watermark:
            self._watermark = ts

    # --8<-- [start:emit]
    def _emit(
        self, record: Record[K, L], timed_out: bool = False
    ) -> Joined[K, L, R]:
        if self.policy is Policy.LATEST:
            right = self.table.last_written(record.key)
            return Joined(record, right, timed_out=timed_out)
        horizon = self.table.horizon
        if horizon is not None and record.ts < horizon:
            return Joined(record, None, timed_out=timed_out, expired=True)
        right = self.table.as_of(record.key, record.ts)
        if self.policy is Policy.CORRECT:
            self._remember(record, right)
        return Joined(record, right, timed_out=timed_out)

    # --8<-- [end:emit]

    # --8<-- [start:hold]
    def _hold(self, record: Record[K, L], now: int) -> None:
        self._seq += 1
        self._held[self._seq] = record
        heapq.heappush(self._by_time, (record.ts, self._seq))
        if self._max_wait is not None:
            self._by_deadline.append((now + self._max_wait, self._seq))

    def _release(self) -> list[Joined[K, L, R]]:
        """Release held records the table watermark has passed, then any
        whose wait is over."""
        out: list[Joined[K, L, R]] = []
        wm = self._watermark
        while self._by_time and wm is not None and self._by_time[0][0] <= wm:
            _, seq = heapq.heappop(self._by_time)
            if seq in self._held:  # not already released by a timeout
                out.append(self._emit(self._held.pop(seq)))
        return out + self._release_timed_out()

    def _release_timed_out(self) -> list[Joined[K, L, R]]:
        out: list[Joined[K, L, R]] = []
        now = self._now
        while self._by_deadline and now is not None:
            deadline, seq = self._by_deadline[0]
            if deadline > now:
                break
            self._by_deadline.popleft()
            if seq in self._held:  # not already released by the watermark
                record = self._held.pop(seq)
                out.append(self._emit(record, timed_out=True))
        return out

    # --8<-- [end:hold]

    # --8<-- [start:correct]
    def _remember(self, record: Record[K, L], right: R | None) -> None:
        self._seq += 1
        emitted = self._emitted.setdefault(record.key, [])
        emitted.insert(
            bisect_left(emitted, (record.ts, self._seq)), (record.ts, self._seq)
        )
        self._outputs[self._seq] = (record, right)
        heapq.heappush(self._forget, (record.ts, self._seq, record.key))

    def _correct(self, key: K, ts: int) -> list[Joined[K, L, R]]:
        """Re-join the emitted records whose as-of version is the one just
        written at ``ts``: those in ``[ts, next version)``."""
        emitted = self._emitted.get(key, [])
        upto = self.table.next_change(key, ts)
        lo = bisect_left(emitted, (ts, 0))
        hi = len(emitted) if upto is None else bisect_left(emitted, (upto, 0))
        out: list[Joined[K, L, R]] = []
        for _, seq in emitted[lo:hi]:
            record, old = self._outputs[seq]
            new = self.table.as_of(key, record.ts)
            if new != old:
                out.append(Joined(record, old, retract=True))
                out.append(Joined(record, new))
                self._outputs[seq] = (record, new)
        return out

    # --8<-- [end:correct]

    def _forget_expired(self) -> None:
        # An update older than the horizon is rejected by the table, so a
        # record older than the horizon can never be corrected again.
        horizon = self.table.horizon
        while horizon is not None and self._forget:
            ts, seq, key = self._forget[0]
            if ts >= horizon:
                break
            heapq.heappop(self._forget)
            emitted = self._emitted[key]
            del emitted[bisect_left(emitted, (ts, seq))]
            if not emitted:
                del self._emitted[key]
            del self._outputs[seq]


@dataclass(frozen=True)
class Arrival(Generic[K, L, R]):
    """One input of a stream-table join at processing time ``at``.

    Exactly one of ``stream``, ``table`` and ``table_watermark`` is set.
    """

    at: int
    stream: Record[K, L] | None = None
    table: Record[K, R | None] | None = None
    table_watermark: int | None = None

    def __post_init__(self) -> None:
        given = [self.stream, self.table, self.table_watermark]
        if sum(x is not None for x in given) != 1:
            raise ValueError(
                "set exactly one of stream, table and table_watermark"
            )


def replay(
    join: StreamTableJoin[K, L, R], arrivals: Iterable[Arrival[K, L, R]]
) -> list[tuple[int, Joined[K, L, R]]]:
    """Feed ``arrivals`` in order, then flush; return ``(at, output)`` pairs.

    Time and space: those of the join's calls, plus O(o) for o outputs.
    """
    out: list[tuple[int, Joined[K, L, R]]] = []
    at: int | None = None
    for arrival in arrivals:
        at = arrival.at
        if arrival.stream is not None:
            step = join.on_stream(arrival.stream, at)
        elif arrival.table is not None:
            step = join.on_table(arrival.table, at)
        else:
            step = join.advance(at, arrival.table_watermark)
        out += [(at, joined) for joined in step]
    if at is not None:
        out += [(at, joined) for joined in join.flush(at)]
    return out


class Lookup(Protocol[K_contra, V_co]):
    """Anything that answers a point lookup, e.g. a remote profile store."""

    def get(self, key: K_contra) -> V_co | None:
        """Return the value for ``key``, ``None`` if there is none."""
        ...


class ProfileStore(Generic[K, V]):
    """A stand-in for a slow remote key-value store that counts its lookups.

    Space: O(k) for k keys.
    """

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data or {})
        self.lookups = 0

    def get(self, key: K) -> V | None:
        """A remote lookup: counted. O(1)."""
        self.lookups += 1
        return self._data.get(key)

    def peek(self, key: K) -> V | None:
        """Read without counting (for checks, not for the pipeline). O(1)."""
        return self._data.get(key)

    def put(self, key: K, value: V | None) -> None:
        """Write ``value`` (``None`` deletes), as the system of record. O(1)."""
        if value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = value


@dataclass(slots=True)
class CacheStats:
    """Counters of a ``TTLCache``. ``misses`` include expirations."""

    hits: int = 0
    misses: int = 0
    expirations: int = 0
    evictions: int = 0

    @property
    def hit_rate(self) -> float:
        """Hits over all gets, 0.0 before the first get."""
        gets = self.hits + self.misses
        return self.hits / gets if gets else 0.0


# --8<-- [start:ttl_cache]
class TTLCache(Generic[K, V]):
    """Read-through cache with expire-after-write TTL and LRU eviction.

    An entry loaded at time t serves hits while ``now - t < ttl``; after that
    the next get reloads it from the store. So a value returned at ``now``
    was the store's value at some instant in ``(now - ttl, now]``: staleness
    is bounded by the TTL, and reaching the bound is the price of the saved
    lookups. With ``cache_missing``, an absent key is cached as ``None`` too
    (negative caching), so a flood of unknown keys does not reach the store.
    At most ``max_size`` entries are kept; the least recently used goes first.

    Time: O(1) per get plus the store's lookup on a miss. Space: O(max_size).
    """

    def __init__(
        self,
        store: Lookup[K, V],
        ttl: int,
        max_size: int,
        cache_missing: bool = True,
    ) -> None:
        if ttl <= 0 or max_size <= 0:
            raise ValueError("ttl and max_size must be positive")
        self._store = store
        self._ttl = ttl
        self._max_size = max_size
        self._cache_missing = cache_missing
        self._entries: OrderedDict[K, tuple[V | None, int]] = OrderedDict()
        self._now: int | None = None
        self.stats = CacheStats()

    def get(self, key: K, now: int) -> V | None:
        """Return the value for ``key`` at time ``now``, from cache or store.

        Raises:
            ValueError: if ``now`` is earlier than a previous call's.
        """
        if self._now is not None and now < self._now:
            raise ValueError(f"time went back from {self._now} to {now}")
        self._now = now
        entry = self._entries.get(key)
        if entry is not None:
            value, loaded_at = entry
            if now - loaded_at < self._ttl:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return value
            del self._entries[key]
            self.stats.expirations += 1
        self.stats.misses += 1
        value = self._store.get(key)
        if value is not None or self._cache_missing:
            self._entries[key] = (value, now)
            if len(self._entries) > self._max_size:
                self._entries.popitem(last=False)
                self.stats.evictions += 1
        return value

    # --8<-- [end:ttl_cache]

    def invalidate(self, key: K) -> None:
        """Drop ``key`` now, e.g. on a change event for it. O(1)."""
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
