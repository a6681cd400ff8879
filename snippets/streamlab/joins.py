"""Joins: a stream with a slowly changing table, and stream with stream.

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

Stream-stream and point-in-time joins:

* ``WindowJoin`` joins two keyed streams on tumbling event-time windows
  (``streamlab.windows``); ``IntervalJoin`` joins them when the right
  record's time lies within ``[left + lower, left + upper]``, as Flink's
  interval join. Both buffer the two sides, emit each ``Pair`` once, drop
  state when the watermark says no partner can come, and report records
  behind the watermark as late instead of joining them.
* ``as_of_join`` matches each event with the latest version of its key at
  or before its time, with an optional maximum staleness: the join that
  builds point-in-time-correct training rows from a feature log.

``Record`` is the input of every join here; ``Joined``, ``Pair`` and
``AsOf`` are the outputs of the stream-table, stream-stream and as-of joins.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import OrderedDict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Protocol, TypeVar

from streamlab.watermarks import MIN_WATERMARK
from streamlab.windows import TumblingWindows, Window

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


# ---------------------------------------------------------------------------
# Stream-stream joins: tumbling-window join and interval join
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair(Generic[K, L, R]):
    """One output of a stream-stream join: a left and a right record.

    Attributes:
        left: the record from the left input.
        right: the record from the right input, with the same key.
        window: the window both fall in (window join), ``None`` for an
            interval join.
    """

    left: Record[K, L]
    right: Record[K, R]
    window: Window | None = None

    @property
    def key(self) -> K:
        """The join key, shared by both records."""
        return self.left.key

    @property
    def ts(self) -> int:
        """Event time of the output.

        The window's last millisecond for a window join, the later of the
        two records' times for an interval join, as Flink assigns them.
        """
        if self.window is not None:
            return self.window.end - 1
        return max(self.left.ts, self.right.ts)


class _Buffer(Generic[K, V]):
    """One side's records per group, by event time, each with an expiry.

    A group is the join key (interval join) or a (key, window) pair (window
    join). ``expire(w)`` drops every record whose expiry is ``<= w``.
    Records of a group are kept sorted by (event time, arrival), so a range
    lookup is a binary search.

    Time: add O(log n + g), range O(log g + r), expiry O(log n + g) per
    record dropped, for n records kept, g of them in the group, r returned.
    Space: O(n).
    """

    def __init__(self) -> None:
        self._groups: dict[Hashable, list[tuple[int, int]]] = {}
        self._records: dict[int, Record[K, V]] = {}
        self._expiry: list[tuple[int, int, Hashable]] = []
        self._seq = 0

    def __len__(self) -> int:
        return len(self._records)

    def add(self, group: Hashable, record: Record[K, V], expires: int) -> None:
        self._seq += 1
        entry = (record.ts, self._seq)
        times = self._groups.setdefault(group, [])
        times.insert(bisect_right(times, entry), entry)
        self._records[self._seq] = record
        heapq.heappush(self._expiry, (expires, self._seq, group))

    def between(self, group: Hashable, lo: int, hi: int) -> list[Record[K, V]]:
        """Records of ``group`` with ``lo <= ts <= hi``, oldest first."""
        times = self._groups.get(group, [])
        i = bisect_left(times, (lo, 0))
        j = bisect_left(times, (hi + 1, 0))
        return [self._records[seq] for _, seq in times[i:j]]

    def records(self) -> list[Record[K, V]]:
        """Every record kept, in arrival order."""
        return [self._records[seq] for seq in sorted(self._records)]

    def expire(self, watermark: int) -> int:
        """Drop the records whose expiry the watermark reached; count them."""
        dropped = 0
        while self._expiry and self._expiry[0][0] <= watermark:
            _, seq, group = heapq.heappop(self._expiry)
            record = self._records.pop(seq)
            times = self._groups[group]
            del times[bisect_left(times, (record.ts, seq))]
            if not times:
                del self._groups[group]
            dropped += 1
        return dropped


# --8<-- [start:window_join]
class WindowJoin(Generic[K, L, R]):
    """Inner join of two keyed streams on tumbling event-time windows.

    A left and a right record join when they have the same key and fall in
    the same window ``[start, end)`` (``streamlab.windows.tumbling``, so a
    record exactly on a boundary belongs to the later window). The pair is
    emitted as soon as its second record arrives: a symmetric hash join per
    (key, window), each pair exactly once. (Flink's window join emits the
    pairs when the window fires instead, all at once.)

    Watermarks close windows, with the rules of ``WindowedAggregation``: a
    window is closed once the watermark reaches ``end - 1 +
    allowed_lateness``; its state on both sides is then dropped, and a
    record that arrives for a closed window is not joined but appended to
    ``late_left`` or ``late_right``. A record behind the watermark whose
    window is still open (within the allowed lateness) joins normally.

    Time per record: O(log n + g + p) for n records kept, g of them in its
    (key, window) and p pairs emitted; per watermark O(log n + g) for each
    record dropped. Space: the records of the open windows, so about
    ``rate * (size + allowed_lateness + watermark delay)`` per side.

    Args:
        size: window length, positive.
        offset: alignment of the windows, ``0 <= offset < size``.
        allowed_lateness: how long after it closes on time a window still
            accepts records, ``>= 0``.

    Raises:
        ValueError: on an invalid size, offset or lateness.
    """

    def __init__(
        self, size: int, *, offset: int = 0, allowed_lateness: int = 0
    ) -> None:
        if allowed_lateness < 0:
            raise ValueError(
                f"allowed_lateness must be >= 0, got {allowed_lateness}"
            )
        self.windows = TumblingWindows(size, offset)  # validates both
        self.allowed_lateness = allowed_lateness
        self.watermark = MIN_WATERMARK
        self.late_left: list[Record[K, L]] = []
        self.late_right: list[Record[K, R]] = []
        self._left: _Buffer[K, L] = _Buffer()
        self._right: _Buffer[K, R] = _Buffer()

    @property
    def state_size(self) -> int:
        """Records kept on both sides together."""
        return len(self._left) + len(self._right)

    def cleanup_time(self, window: Window) -> int:
        """The watermark at which ``window`` closes and its state goes."""
        return window.end - 1 + self.allowed_lateness

    def on_left(self, record: Record[K, L]) -> list[Pair[K, L, R]]:
        """Add a left record; return the pairs it completes."""
        (window,) = self.windows.assign(record.ts)
        cleanup = self.cleanup_time(window)
        if cleanup <= self.watermark:
            self.late_left.append(record)
            return []
        group = (record.key, window)
        self._left.add(group, record, cleanup)
        rights = self._right.between(group, window.start, window.end - 1)
        return [Pair(record, right, window) for right in rights]

    def on_right(self, record: Record[K, R]) -> list[Pair[K, L, R]]:
        """Add a right record; return the pairs it completes."""
        (window,) = self.windows.assign(record.ts)
        cleanup = self.cleanup_time(window)
        if cleanup <= self.watermark:
            self.late_right.append(record)
            return []
        group = (record.key, window)
        self._right.add(group, record, cleanup)
        lefts = self._left.between(group, window.start, window.end - 1)
        return [Pair(left, record, window) for left in lefts]

    def on_watermark(self, watermark: int) -> int:
        """Advance event time; drop closed windows, return records dropped.

        A watermark that does not move forward is ignored.
        """
        if watermark <= self.watermark:
            return 0
        self.watermark = watermark
        return self._left.expire(watermark) + self._right.expire(watermark)


# --8<-- [end:window_join]


# --8<-- [start:interval_join]
class IntervalJoin(Generic[K, L, R]):
    """Flink's interval join: ``l.ts + lower <= r.ts <= l.ts + upper``.

    A left record ``l`` and a right record ``r`` with the same key join when
    ``r.ts`` lies in ``[l.ts + lower, l.ts + upper]``, both bounds
    inclusive; ``lower`` may be negative (a right record before the left
    one). Both sides are buffered and each pair is emitted once, when its
    second record arrives. It is an inner join, as Flink's DataStream
    ``intervalJoin(...).between(lower, upper)``.

    The watermark ``w`` (the minimum of both inputs' watermarks) promises
    that no record with ``ts <= w`` is still to come, so:

    * a record with ``ts <= w`` is late: not joined, appended to
      ``late_left`` or ``late_right`` (Flink's side outputs for late data);
    * a left record can meet future right records only while
      ``l.ts + upper > w``, a right record future left records only while
      ``r.ts - lower > w``: past that, the watermark drops it.

    Flink counts a record as late only when ``ts < w`` and prunes on the
    same bounds, so a record exactly at the watermark is accepted there but
    may miss partners already pruned; treating it as late keeps this join
    exact: every pair of records that are not late is emitted.

    Time per record: O(log n + g + p) for n records kept, g of them under
    the key and p pairs emitted; per watermark O(log n + g) per record
    dropped. Space: about ``rate * (upper - lower + watermark delay)``
    records, whatever the stream's length.

    Raises:
        ValueError: if ``lower > upper``.
    """

    def __init__(self, lower: int, upper: int) -> None:
        if lower > upper:
            raise ValueError(f"lower {lower} must be <= upper {upper}")
        self.lower = lower
        self.upper = upper
        self.watermark = MIN_WATERMARK
        self.late_left: list[Record[K, L]] = []
        self.late_right: list[Record[K, R]] = []
        self._left: _Buffer[K, L] = _Buffer()
        self._right: _Buffer[K, R] = _Buffer()

    @property
    def state_size(self) -> int:
        """Records kept on both sides together."""
        return len(self._left) + len(self._right)

    def buffered(self) -> tuple[list[Record[K, L]], list[Record[K, R]]]:
        """The records kept now, left and right, in arrival order."""
        return self._left.records(), self._right.records()

    def on_left(self, record: Record[K, L]) -> list[Pair[K, L, R]]:
        """Add a left record; return the pairs it forms with buffered rights."""
        if record.ts <= self.watermark:
            self.late_left.append(record)
            return []
        lo, hi = record.ts + self.lower, record.ts + self.upper
        pairs = [
            Pair(record, right)
            for right in self._right.between(record.key, lo, hi)
        ]
        if hi > self.watermark:  # a future right record may still match
            self._left.add(record.key, record, expires=hi)
        return pairs

    def on_right(self, record: Record[K, R]) -> list[Pair[K, L, R]]:
        """Add a right record; return the pairs it forms with buffered lefts."""
        if record.ts <= self.watermark:
            self.late_right.append(record)
            return []
        lo, hi = record.ts - self.upper, record.ts - self.lower
        pairs = [
            Pair(left, record)
            for left in self._left.between(record.key, lo, hi)
        ]
        if hi > self.watermark:  # a future left record may still match
            self._right.add(record.key, record, expires=hi)
        return pairs

    def on_watermark(self, watermark: int) -> int:
        """Advance event time; drop records that can no longer match.

        Returns how many were dropped. A watermark that does not move
        forward is ignored.
        """
        if watermark <= self.watermark:
            return 0
        self.watermark = watermark
        return self._left.expire(watermark) + self._right.expire(watermark)


# --8<-- [end:interval_join]


# ---------------------------------------------------------------------------
# As-of (point-in-time) join
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AsOf(Generic[K, L, R]):
    """One row of an as-of join.

    Attributes:
        event: the probe event.
        version: the latest version of its key at or before ``event.ts``,
            ``None`` if there is none or it is too stale.
        stale: a version existed but was older than the maximum staleness,
            so it was not used.
    """

    event: Record[K, L]
    version: Record[K, R] | None
    stale: bool = False

    @property
    def value(self) -> R | None:
        """The joined value, ``None`` when nothing matched."""
        return None if self.version is None else self.version.value

    @property
    def age(self) -> int | None:
        """How old the joined version was at the event's time."""
        return None if self.version is None else self.event.ts - self.version.ts


# --8<-- [start:as_of_join]
def as_of_join(
    events: Iterable[Record[K, L]],
    versions: Iterable[Record[K, R]],
    *,
    max_staleness: int | None = None,
) -> list[AsOf[K, L, R]]:
    """Join each event with the latest version of its key as of its time.

    For an event at ``t`` the match is the version of the same key with the
    largest ``ts <= t``: a version stamped exactly ``t`` counts, one after
    ``t`` never does, so no value from the future leaks in (point-in-time
    correctness). Of several versions with the same key and time the last
    one given wins. With ``max_staleness``, a version older than
    ``t - max_staleness`` is not used (``stale`` is set): a feature that has
    not been refreshed for that long counts as missing. This is the join
    that builds training rows from labelled events and a feature log, and
    Flink SQL's ``FOR SYSTEM_TIME AS OF`` on an event-time attribute.

    Which time a version carries is the caller's choice, and the important
    one: to reproduce what a model could see online, stamp each feature
    value with the time it became available, not the time it describes.

    Sort-merge: both inputs are sorted by time once, then swept together
    keeping the latest version per key. Time O((n + m) log(n + m)) for n
    events and m versions; space O(n + k) beyond the sorted copies, for k
    keys. Rows come back in the order of ``events``.

    Raises:
        ValueError: if ``max_staleness`` is negative.
    """
    if max_staleness is not None and max_staleness < 0:
        raise ValueError(f"max_staleness must be >= 0, got {max_staleness}")
    probes = sorted(enumerate(events), key=lambda p: p[1].ts)
    table = sorted(versions, key=lambda v: v.ts)  # stable: last given wins
    latest: dict[K, Record[K, R]] = {}
    rows: dict[int, AsOf[K, L, R]] = {}
    i = 0
    for index, event in probes:
        while i < len(table) and table[i].ts <= event.ts:
            latest[table[i].key] = table[i]
            i += 1
        version = latest.get(event.key)
        if version is None:
            rows[index] = AsOf(event, None)
        elif max_staleness is not None and (
            event.ts - version.ts > max_staleness
        ):
            rows[index] = AsOf(event, None, stale=True)
        else:
            rows[index] = AsOf(event, version)
    return [rows[index] for index in range(len(rows))]


# --8<-- [end:as_of_join]
