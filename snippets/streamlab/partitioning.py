"""Key-to-partition mapping, hot-key detection and key salting.

Four pieces of the same question, "which partition does this record go to,
and what if one key is too hot":

* :func:`murmur2_partitioner` is Kafka's default mapping of a keyed record:
  the 32-bit murmur2 hash of the serialized key, made non-negative with
  ``& 0x7fffffff``, modulo the partition count (Kafka's
  ``BuiltInPartitioner.partitionForKey``). It has the signature of
  :data:`streamlab.log.Partitioner`, so ``CommitLog(partitioner=...)`` takes
  it as is. :func:`remap_fraction` measures what changing the partition
  count does to existing keys.
* :func:`kinesis_hash_key` and :class:`Shard` model Kinesis: the MD5 of the
  partition key read as an unsigned 128-bit integer, and shards that each own
  a contiguous range of that hash key space. Splitting and merging shards
  changes ranges, never the hash.
* :class:`SpaceSaving` finds the heavy hitters of a stream in ``k`` counters
  (Metwally, Agrawal and El Abbadi's space-saving algorithm).
* :func:`salted_aggregate` spreads a hot key over several partitions and
  shows the price: a second aggregation step that merges the salted partial
  results back by the original key.

Everything is deterministic: no clock, no randomness, no network.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from streamlab.log import Partitioner

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")

_MASK32 = 0xFFFFFFFF

# --------------------------------------------------------------------------
# Kafka: murmur2 of the key bytes, positive, modulo the partition count
# --------------------------------------------------------------------------


# --8<-- [start:murmur2]
def murmur2(data: bytes) -> int:
    """Return Kafka's 32-bit murmur2 hash of ``data`` as a signed int.

    A transcription of ``org.apache.kafka.common.utils.Utils.murmur2``: seed
    ``0x9747b28c``, mixing constant ``0x5bd1e995``, shift 24, little-endian
    4-byte blocks, then the tail bytes and a final avalanche. Python integers
    do not overflow, so every product is masked to 32 bits; the result is
    returned as Java would see it, in ``[-2**31, 2**31)``. O(len(data)) time,
    O(1) space.
    """
    m, length = 0x5BD1E995, len(data)
    h = (0x9747B28C ^ length) & _MASK32
    tail = length % 4
    for i in range(0, length - tail, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * m) & _MASK32
        k ^= k >> 24
        k = (k * m) & _MASK32
        h = ((h * m) & _MASK32) ^ k
    base = length - tail
    if tail == 3:
        h ^= data[base + 2] << 16
    if tail >= 2:
        h ^= data[base + 1] << 8
    if tail >= 1:
        h ^= data[base]
        h = (h * m) & _MASK32
    h ^= h >> 13
    h = (h * m) & _MASK32
    h ^= h >> 15
    return h - (1 << 32) if h >= 1 << 31 else h


def to_positive(number: int) -> int:
    """Clear the sign bit, as Kafka's ``Utils.toPositive``. O(1).

    Not ``abs``: ``abs(-2**31)`` does not fit in a Java int, and the mask
    keeps the mapping a plain bit operation.
    """
    return number & 0x7FFFFFFF


def murmur2_partitioner(key: bytes, partitions: int) -> int:
    """Kafka's default partition for a keyed record. O(len(key)).

    ``to_positive(murmur2(key)) % partitions``, what the Java producer does
    with a keyed record when no ``partitioner.class`` is set (in
    ``DefaultPartitioner`` before 3.3, in ``BuiltInPartitioner`` since).
    Pass it to ``CommitLog(partitioner=murmur2_partitioner)``.

    Raises:
        ValueError: if ``partitions`` is not positive.
    """
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1, got {partitions}")
    return to_positive(murmur2(key)) % partitions


# --8<-- [end:murmur2]


# --8<-- [start:remap]
def remap_fraction(
    keys: Iterable[bytes],
    old: int,
    new: int,
    partitioner: Partitioner = murmur2_partitioner,
) -> float:
    """Fraction of distinct keys whose partition changes from ``old`` to
    ``new`` partitions.

    With ``hash % n``, a key keeps its partition only when both moduli
    agree: going from n to 2n moves about half the keys, from n to n + 1
    about n / (n + 1) of them. O(k * len(key)) for k keys.

    Raises:
        ValueError: if there are no keys.
    """
    distinct = set(keys)
    if not distinct:
        raise ValueError("need at least one key")
    moved = sum(partitioner(k, old) != partitioner(k, new) for k in distinct)
    return moved / len(distinct)


# --8<-- [end:remap]


def partition_counts(
    keys: Iterable[bytes],
    partitions: int,
    partitioner: Partitioner = murmur2_partitioner,
) -> list[int]:
    """Records per partition when each key in ``keys`` is one record.

    O(n * len(key)) time, O(partitions) space.
    """
    counts = [0] * partitions
    for key in keys:
        counts[partitioner(key, partitions)] += 1
    return counts


def skew(loads: Sequence[int]) -> float:
    """The busiest partition's load over the mean load (1.0 is perfectly
    even). O(p).

    Raises:
        ValueError: for no partitions or no load at all.
    """
    total = sum(loads)
    if not loads or total == 0:
        raise ValueError("skew needs at least one partition with load")
    return max(loads) * len(loads) / total


# --------------------------------------------------------------------------
# Kinesis: MD5 of the partition key in a 128-bit hash key space
# --------------------------------------------------------------------------

#: Number of hash keys: Kinesis maps partition keys into [0, 2**128).
HASH_KEY_SPACE = 1 << 128


# --8<-- [start:kinesis]
def kinesis_hash_key(partition_key: str) -> int:
    """The hash key of a Kinesis partition key. O(len(partition_key)).

    MD5 of the key's UTF-8 bytes read as an unsigned big-endian 128-bit
    integer, in ``[0, 2**128)``. A record lands in the open shard whose
    ``[StartingHashKey, EndingHashKey]`` range holds this number (unless
    the producer passes an ``ExplicitHashKey``).
    """
    digest = hashlib.md5(partition_key.encode("utf-8")).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True, slots=True)
class Shard:
    """An open shard and the inclusive hash key range it owns."""

    shard_id: str
    start: int  # StartingHashKey
    end: int  # EndingHashKey, inclusive
    parents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end < HASH_KEY_SPACE:
            raise ValueError(
                f"bad hash key range [{self.start}, {self.end}]"
                f" for {self.shard_id}"
            )

    @property
    def width(self) -> int:
        """Number of hash keys in the range."""
        return self.end - self.start + 1


def shard_name(number: int) -> str:
    """Kinesis-style shard id, ``shardId-000000000007``. O(1)."""
    return f"shardId-{number:012d}"


def even_shards(count: int) -> list[Shard]:
    """``count`` shards splitting the hash key space into equal ranges.

    Shard i owns ``[i * 2**128 // count, (i + 1) * 2**128 // count - 1]``:
    an even split, as for a newly created stream. O(count).

    Raises:
        ValueError: if ``count`` is not positive.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    bounds = [i * HASH_KEY_SPACE // count for i in range(count + 1)]
    return [
        Shard(shard_name(i), bounds[i], bounds[i + 1] - 1) for i in range(count)
    ]


def shard_for(partition_key: str, shards: Sequence[Shard]) -> Shard:
    """The open shard that receives records with this partition key.

    ``shards`` must be sorted by range and cover the space without gaps or
    overlaps (as :func:`even_shards`, :func:`split_shard` and
    :func:`merge_shards` keep them). O(len(key) + log s).
    """
    starts = [s.start for s in shards]
    return shards[bisect_right(starts, kinesis_hash_key(partition_key)) - 1]


# --8<-- [end:kinesis]


def _index(shards: Sequence[Shard], shard_id: str) -> int:
    for i, shard in enumerate(shards):
        if shard.shard_id == shard_id:
            return i
    raise KeyError(f"no open shard {shard_id!r}")


def split_shard(
    shards: Sequence[Shard], shard_id: str, new_starting_hash_key: int
) -> list[Shard]:
    """Split one shard at ``new_starting_hash_key`` (Kinesis ``SplitShard``).

    The parent closes; two children take ``[start, key - 1]`` and
    ``[key, end]`` and get the next free shard numbers. Keys never change
    hash, so only the parent's keys change shard, each to one of its two
    children: per-key order holds if readers finish the parent first, which
    the KCL does. Returns the new list of open shards. O(s).

    Raises:
        KeyError: for an unknown shard.
        ValueError: if the key does not fall strictly inside the range.
    """
    i = _index(shards, shard_id)
    parent = shards[i]
    if not parent.start < new_starting_hash_key <= parent.end:
        raise ValueError(
            f"split key {new_starting_hash_key} not in"
            f" ({parent.start}, {parent.end}]"
        )
    first = _next_number(shards)
    low = Shard(
        shard_name(first),
        parent.start,
        new_starting_hash_key - 1,
        (parent.shard_id,),
    )
    high = Shard(
        shard_name(first + 1),
        new_starting_hash_key,
        parent.end,
        (parent.shard_id,),
    )
    return [*shards[:i], low, high, *shards[i + 1 :]]


def merge_shards(
    shards: Sequence[Shard], shard_id: str, adjacent_shard_id: str
) -> list[Shard]:
    """Merge two shards with adjacent ranges (Kinesis ``MergeShards``).

    Both parents close; one child owns the union of their ranges. Returns
    the new list of open shards. O(s).

    Raises:
        KeyError: for an unknown shard.
        ValueError: if the two ranges are not adjacent.
    """
    i, j = sorted((_index(shards, shard_id), _index(shards, adjacent_shard_id)))
    if j != i + 1:
        raise ValueError(f"{shard_id} and {adjacent_shard_id} are not adjacent")
    low, high = shards[i], shards[j]
    child = Shard(
        shard_name(_next_number(shards)),
        low.start,
        high.end,
        (low.shard_id, high.shard_id),
    )
    return [*shards[:i], child, *shards[j + 1 :]]


def _next_number(shards: Sequence[Shard]) -> int:
    """One more than the highest shard number seen, parents included."""
    names = [s.shard_id for s in shards]
    names += [p for s in shards for p in s.parents]
    return 1 + max(int(name.rsplit("-", 1)[1]) for name in names)


# --------------------------------------------------------------------------
# Hot keys: space-saving top-k
# --------------------------------------------------------------------------


# --8<-- [start:space_saving]
class SpaceSaving(Generic[K]):
    """Heavy hitters of a stream in at most ``capacity`` counters.

    The space-saving algorithm: a tracked key's counter is incremented; an
    untracked key takes over the counter of the current minimum m, starting
    at m + 1 with an error bound of m. After n updates:

    * counts sum to n and every count overestimates by at most its error;
    * every error, and so every overestimate, is at most n / capacity;
    * every key seen more than n / capacity times is tracked.

    Chosen over a count-min sketch because the question is "which keys are
    hot", not "how often did this key occur": the summary holds the
    candidates themselves, needs no hash functions or seeds, and its error
    bound is deterministic. For a sliding or tumbling view, keep one summary
    per window.

    Time: O(1) for a tracked key, O(capacity) when a new key evicts the
    minimum (a stream-summary linked list makes that O(1) too). Space:
    O(capacity).
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.total = 0
        self._counts: dict[K, int] = {}
        self._errors: dict[K, int] = {}

    def add(self, key: K, weight: int = 1) -> None:
        """Count ``weight`` occurrences of ``key``.

        Raises:
            ValueError: if ``weight`` is not positive.
        """
        if weight < 1:
            raise ValueError(f"weight must be positive, got {weight}")
        self.total += weight
        if key in self._counts:
            self._counts[key] += weight
        elif len(self._counts) < self.capacity:
            self._counts[key] = weight
            self._errors[key] = 0
        else:
            victim = min(self._counts, key=self._counts.__getitem__)
            floor = self._counts.pop(victim)
            del self._errors[victim]
            self._counts[key] = floor + weight
            self._errors[key] = floor

    def estimate(self, key: K) -> tuple[int, int]:
        """``(count, error)``: the true count lies in
        ``[count - error, count]``; ``(0, 0)`` for an untracked key."""
        return self._counts.get(key, 0), self._errors.get(key, 0)

    def top(self, n: int | None = None) -> list[tuple[K, int, int]]:
        """Tracked keys as ``(key, count, error)``, highest count first.

        Ties keep first-tracked order. O(c log c).
        """
        ranked = sorted(self._counts.items(), key=lambda kv: -kv[1])
        chosen = ranked if n is None else ranked[:n]
        return [(k, c, self._errors[k]) for k, c in chosen]

    def hot(self, share: float) -> list[K]:
        """Keys guaranteed to exceed ``share`` of all updates so far.

        Uses the lower bound ``count - error``, so no key is reported hot on
        an overestimate. Any key above ``share + 1 / capacity`` is reported.
        O(c log c).
        """
        return [
            key
            for key, count, error in self.top()
            if count - error > share * self.total
        ]


# --8<-- [end:space_saving]


def exact_top(items: Iterable[K], n: int) -> list[tuple[K, int]]:
    """Exact top-n by count with a full counter: the O(distinct) baseline
    :class:`SpaceSaving` avoids. O(m + d log d) for m items, d distinct."""
    return Counter(items).most_common(n)


# --------------------------------------------------------------------------
# Salting a hot key, and the merge it forces
# --------------------------------------------------------------------------

SALT_SEPARATOR = "#"


def salt(key: str, buckets: int, sequence: int) -> str:
    """Append a salt in ``[0, buckets)`` to a key: ``"user-7#3"``. O(len).

    ``sequence`` picks the bucket (a record counter or a record id), so
    successive records of one key rotate over ``buckets`` sub-keys and so
    over up to ``buckets`` partitions.

    Raises:
        ValueError: if ``buckets`` is not positive.
    """
    if buckets < 1:
        raise ValueError(f"buckets must be at least 1, got {buckets}")
    return f"{key}{SALT_SEPARATOR}{sequence % buckets}"


def unsalt(salted: str) -> str:
    """Drop the salt added by :func:`salt`: ``"user-7#3"`` -> ``"user-7"``.

    Keys without a salt come back unchanged. O(len).
    """
    head, sep, tail = salted.rpartition(SALT_SEPARATOR)
    return head if sep and tail.isdigit() else salted


# --8<-- [start:salting]
def salted_aggregate(
    records: Iterable[tuple[str, A]],
    combine: Callable[[A, A], A],
    buckets: int,
    hot: Iterable[str] | None = None,
    partitions: int = 1,
    partitioner: Partitioner = murmur2_partitioner,
) -> tuple[dict[str, A], dict[str, A], list[int]]:
    """Aggregate by key in two steps, salting the hot keys.

    Step 1 (per partition): records of a hot key get the salted key
    ``key#i`` so they spread over partitions; every partition folds its
    records into partial results per (salted) key with ``combine``.
    Step 2 (after a second shuffle, by the original key): the partial
    results of ``key#0 .. key#b-1`` are merged with ``combine`` again.

    Correct only for an associative and commutative ``combine`` (sum, count,
    min, max, a set union, a mergeable sketch); a median or a list in
    arrival order does not decompose this way. Only keys in ``hot`` are
    salted (every key when ``hot`` is None). Returns ``(final, partials,
    load per partition in step 1)``. O(n * len(key)) time, O(distinct salted
    keys) space.

    Raises:
        ValueError: for a key that already looks salted (ends in ``#<n>``),
            which step 2 could not tell apart from a salted one.
    """
    hot_keys = None if hot is None else set(hot)
    counters: dict[str, int] = {}
    partials: dict[str, A] = {}
    load = [0] * partitions
    for key, value in records:
        if unsalt(key) != key:
            raise ValueError(f"key {key!r} ends like a salt; rename it")
        routed = key
        if hot_keys is None or key in hot_keys:
            routed = salt(key, buckets, counters.get(key, 0))
            counters[key] = counters.get(key, 0) + 1
        load[partitioner(routed.encode("utf-8"), partitions)] += 1
        partials[routed] = (
            combine(partials[routed], value) if routed in partials else value
        )
    final: dict[str, A] = {}
    for routed, partial in partials.items():  # step 2: merge by key
        key = unsalt(routed)
        final[key] = combine(final[key], partial) if key in final else partial
    return final, partials, load


# --8<-- [end:salting]


def plain_aggregate(
    records: Iterable[tuple[str, A]], combine: Callable[[A, A], A]
) -> dict[str, A]:
    """One-step aggregation by key, the result salting must reproduce.

    O(n) time, O(distinct keys) space.
    """
    result: dict[str, A] = {}
    for key, value in records:
        result[key] = combine(result[key], value) if key in result else value
    return result


__all__ = [
    "HASH_KEY_SPACE",
    "SALT_SEPARATOR",
    "Shard",
    "SpaceSaving",
    "even_shards",
    "exact_top",
    "kinesis_hash_key",
    "merge_shards",
    "murmur2",
    "murmur2_partitioner",
    "partition_counts",
    "plain_aggregate",
    "remap_fraction",
    "salt",
    "salted_aggregate",
    "shard_for",
    "shard_name",
    "skew",
    "split_shard",
    "to_positive",
    "unsalt",
]
