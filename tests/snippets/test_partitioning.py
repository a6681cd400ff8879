"""Tests for streamlab.partitioning: vectors, properties and oracles."""

from __future__ import annotations

import hashlib
import operator
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.log import CommitLog
from streamlab.partitioning import (
    HASH_KEY_SPACE,
    Shard,
    SpaceSaving,
    even_shards,
    exact_top,
    kinesis_hash_key,
    merge_shards,
    murmur2,
    murmur2_partitioner,
    partition_counts,
    plain_aggregate,
    remap_fraction,
    salt,
    salted_aggregate,
    shard_for,
    shard_name,
    skew,
    split_shard,
    to_positive,
    unsalt,
)

PROPERTY = settings(max_examples=200, deadline=None)

# --- murmur2 ---------------------------------------------------------------

#: Kafka's own vectors for Utils.murmur2, from apache/kafka
#: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java
#: (UtilsTest.testMurmur2). The Java test builds the keys with
#: String.getBytes(); they are ASCII, so the bytes are the same here.
KAFKA_MURMUR2_VECTORS = [
    (b"21", -973932308),
    (b"foobar", -790332482),
    (b"a-little-bit-long-string", -985981536),
    (b"a-little-bit-longer-string", -1486304829),
    (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
    (b"abc", 479470107),
]


@pytest.mark.parametrize(("data", "expected"), KAFKA_MURMUR2_VECTORS)
def test_murmur2_matches_kafka_vectors(data: bytes, expected: int) -> None:
    assert murmur2(data) == expected


def _int32(value: int) -> int:
    """Wrap to a signed 32-bit int, as Java arithmetic does."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _ushr(value: int, bits: int) -> int:
    """Java's ``>>>`` on an int."""
    return (value & 0xFFFFFFFF) >> bits


def java_murmur2(data: bytes) -> int:
    """Oracle: Utils.murmur2 line by line with Java's signed int semantics
    (signed bytes masked with 0xff, wrapping products, switch fallthrough)."""
    signed = [b - 256 if b > 127 else b for b in data]
    length = len(signed)
    seed = _int32(0x9747B28C)
    m, r = 0x5BD1E995, 24
    h = _int32(seed ^ length)
    for i in range(length // 4):
        i4 = i * 4
        k = _int32(
            (signed[i4] & 0xFF)
            + ((signed[i4 + 1] & 0xFF) << 8)
            + ((signed[i4 + 2] & 0xFF) << 16)
            + ((signed[i4 + 3] & 0xFF) << 24)
        )
        k = _int32(k * m)
        k = _int32(k ^ _ushr(k, r))
        k = _int32(k * m)
        h = _int32(h * m)
        h = _int32(h ^ k)
    rest = length % 4
    base = length & ~3
    if rest >= 3:
        h = _int32(h ^ ((signed[base + 2] & 0xFF) << 16))
    if rest >= 2:
        h = _int32(h ^ ((signed[base + 1] & 0xFF) << 8))
    if rest >= 1:
        h = _int32(h ^ (signed[base] & 0xFF))
        h = _int32(h * m)
    h = _int32(h ^ _ushr(h, 13))
    h = _int32(h * m)
    return _int32(h ^ _ushr(h, 15))


@PROPERTY
@given(st.binary(max_size=64))
def test_murmur2_equals_the_java_transcription(data: bytes) -> None:
    result = murmur2(data)
    assert result == java_murmur2(data)
    assert -(2**31) <= result < 2**31


@PROPERTY
@given(st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_to_positive_clears_only_the_sign_bit(number: int) -> None:
    expected = number if number >= 0 else number + 2**31
    assert to_positive(number) == expected


def test_to_positive_of_min_int_is_zero_not_overflow() -> None:
    assert to_positive(-(2**31)) == 0


@PROPERTY
@given(st.binary(max_size=40), st.integers(min_value=1, max_value=500))
def test_partitioner_is_positive_murmur2_modulo(
    key: bytes, partitions: int
) -> None:
    partition = murmur2_partitioner(key, partitions)
    assert 0 <= partition < partitions
    assert partition == (java_murmur2(key) & 0x7FFFFFFF) % partitions


def test_partitioner_rejects_no_partitions() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        murmur2_partitioner(b"k", 0)


def test_murmur2_partitioner_plugs_into_commit_log() -> None:
    log = CommitLog[str](partitions=6, partitioner=murmur2_partitioner)
    for key in ("21", "foobar", "abc"):
        partition, _ = log.append(key, "v", timestamp=0)
        expected = (java_murmur2(key.encode()) & 0x7FFFFFFF) % 6
        assert partition == expected
    # Kafka vector: murmur2(b"abc") = 479470107, 479470107 % 6 == 3
    assert [r.key for r in log.records(3)] == ["abc"]


KEYS = [f"user-{i}".encode() for i in range(4000)]


@PROPERTY
@given(
    st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=40),
)
def test_remap_fraction_counts_moved_keys(
    keys: list[bytes], old: int, new: int
) -> None:
    distinct = set(keys)
    moved = [
        k
        for k in distinct
        if (java_murmur2(k) & 0x7FFFFFFF) % old
        != (java_murmur2(k) & 0x7FFFFFFF) % new
    ]
    assert remap_fraction(keys, old, new) == len(moved) / len(distinct)


def test_doubling_moves_about_half_and_plus_one_moves_most() -> None:
    # A key keeps its partition from n to 2n iff hash % 2n < n: about 1/2.
    assert abs(remap_fraction(KEYS, 6, 12) - 0.5) < 0.03
    # From n to n + 1 only about 1 / (n + 1) of keys stay.
    assert abs(remap_fraction(KEYS, 6, 7) - 6 / 7) < 0.03
    assert remap_fraction(KEYS, 6, 6) == 0.0


def test_remap_fraction_needs_keys() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        remap_fraction([], 1, 2)


def test_partition_counts_and_skew() -> None:
    counts = partition_counts(KEYS, 8)
    assert sum(counts) == len(KEYS)
    assert counts == [
        sum(1 for k in KEYS if murmur2_partitioner(k, 8) == p) for p in range(8)
    ]
    assert skew([5, 5, 5, 5]) == 1.0
    assert skew([10, 0, 0, 0]) == 4.0
    with pytest.raises(ValueError, match="load"):
        skew([0, 0])
    with pytest.raises(ValueError, match="load"):
        skew([])


# --- Kinesis -------------------------------------------------------------


def test_kinesis_hash_key_is_md5_as_unsigned_128_bit_integer() -> None:
    # MD5("abc") is a published RFC 1321 test vector.
    assert kinesis_hash_key("abc") == 0x900150983CD24FB0D6963F7D28E17F72
    assert kinesis_hash_key("é") == int(
        hashlib.md5(b"\xc3\xa9").hexdigest(), 16
    )


@PROPERTY
@given(st.text(min_size=1, max_size=256))
def test_kinesis_hash_key_is_in_the_space(key: str) -> None:
    assert 0 <= kinesis_hash_key(key) < HASH_KEY_SPACE


def covers_space(shards: list[Shard]) -> bool:
    return (
        shards[0].start == 0
        and shards[-1].end == HASH_KEY_SPACE - 1
        and all(a.end + 1 == b.start for a, b in pairwise(shards))
    )


@PROPERTY
@given(st.integers(min_value=1, max_value=64))
def test_even_shards_split_the_space_evenly(count: int) -> None:
    shards = even_shards(count)
    assert len(shards) == count
    assert covers_space(shards)
    widths = {s.width for s in shards}
    assert max(widths) - min(widths) <= 1
    assert [s.shard_id for s in shards] == [shard_name(i) for i in range(count)]


def linear_shard(key: str, shards: list[Shard]) -> Shard:
    """Oracle: scan every range."""
    h = kinesis_hash_key(key)
    (found,) = [s for s in shards if s.start <= h <= s.end]
    return found


@PROPERTY
@given(
    st.integers(min_value=1, max_value=16),
    st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=30),
    st.data(),
)
def test_shard_for_matches_a_linear_scan_across_resharding(
    count: int, keys: list[str], data: st.DataObject
) -> None:
    shards = even_shards(count)
    for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
        i = data.draw(st.integers(min_value=0, max_value=len(shards) - 1))
        target = shards[i]
        if target.width > 1 and data.draw(st.booleans()):
            at = data.draw(
                st.integers(min_value=target.start + 1, max_value=target.end)
            )
            before = {k: shard_for(k, shards) for k in keys}
            shards = split_shard(shards, target.shard_id, at)
            for k in keys:  # only the parent's keys change shard
                after = shard_for(k, shards)
                if before[k] != target:
                    assert after == before[k]
                else:
                    assert after.parents == (target.shard_id,)
        elif i + 1 < len(shards):
            shards = merge_shards(
                shards, target.shard_id, shards[i + 1].shard_id
            )
        assert covers_space(shards)
        for k in keys:
            assert shard_for(k, shards) == linear_shard(k, shards)


def test_split_and_merge_name_children_after_parents() -> None:
    shards = even_shards(2)
    mid = shards[0].start + shards[0].width // 2
    split = split_shard(shards, "shardId-000000000000", mid)
    assert [s.shard_id for s in split] == [
        "shardId-000000000002",
        "shardId-000000000003",
        "shardId-000000000001",
    ]
    assert split[0].end + 1 == split[1].start == mid
    merged = merge_shards(split, "shardId-000000000003", "shardId-000000000002")
    assert merged[0].shard_id == "shardId-000000000004"
    assert merged[0].parents == ("shardId-000000000002", "shardId-000000000003")
    assert (merged[0].start, merged[0].end) == (0, shards[0].end)


def test_resharding_errors() -> None:
    shards = even_shards(3)
    with pytest.raises(KeyError, match="no open shard"):
        split_shard(shards, "shardId-000000000009", 5)
    with pytest.raises(ValueError, match="not in"):
        split_shard(shards, shards[0].shard_id, 0)
    with pytest.raises(ValueError, match="not adjacent"):
        merge_shards(shards, shards[0].shard_id, shards[2].shard_id)
    with pytest.raises(ValueError, match="at least 1"):
        even_shards(0)
    with pytest.raises(ValueError, match="bad hash key range"):
        Shard("x", 5, 4)
    with pytest.raises(ValueError, match="bad hash key range"):
        Shard("x", 0, HASH_KEY_SPACE)


# --- space-saving ----------------------------------------------------------


@PROPERTY
@given(
    st.lists(st.integers(min_value=0, max_value=30), max_size=300),
    st.integers(min_value=1, max_value=12),
)
def test_space_saving_bounds_against_exact_counts(
    stream: list[int], capacity: int
) -> None:
    summary = SpaceSaving[int](capacity)
    for item in stream:
        summary.add(item)
    truth = Counter(stream)
    n = len(stream)
    tracked = summary.top()
    assert len(tracked) <= capacity
    assert sum(count for _, count, _ in tracked) == n
    assert summary.total == n
    for key, count, error in tracked:
        assert count - error <= truth[key] <= count
        assert error * capacity <= n
    for key, true_count in truth.items():
        if true_count * capacity > n:  # frequent keys are never missed
            assert summary.estimate(key)[0] >= true_count
    for key in summary.hot(0.2):  # no false positives
        assert truth[key] > 0.2 * n
    for key, true_count in truth.items():  # no misses above share + 1/k
        if true_count > (0.2 + 1 / capacity) * n:
            assert key in summary.hot(0.2)


def test_space_saving_weights_ranking_and_errors() -> None:
    summary = SpaceSaving[str](2)
    summary.add("a", 5)
    summary.add("b")
    summary.add("c")  # evicts b (count 1): c starts at 2 with error 1
    assert summary.estimate("c") == (2, 1)
    assert summary.estimate("b") == (0, 0)
    assert summary.top(1) == [("a", 5, 0)]
    assert summary.hot(0.5) == ["a"]
    with pytest.raises(ValueError, match="positive"):
        summary.add("a", 0)
    with pytest.raises(ValueError, match="at least 1"):
        SpaceSaving[str](0)


def test_exact_top_is_the_counter_baseline() -> None:
    assert exact_top("abracadabra", 2) == [("a", 5), ("b", 2)]


# --- salting -----------------------------------------------------------------

records_strategy = st.lists(
    st.tuples(
        st.sampled_from(["hot", "warm", "cold", "x#y", "k#"]),
        st.integers(min_value=-50, max_value=50),
    ),
    max_size=80,
)


@PROPERTY
@given(
    records_strategy,
    st.integers(min_value=1, max_value=8),
    st.sampled_from([operator.add, max, min]),
    st.sampled_from([None, ["hot"], ["hot", "warm"], []]),
    st.integers(min_value=1, max_value=6),
)
def test_salted_then_merged_equals_unsalted_aggregation(
    records: list[tuple[str, int]],
    buckets: int,
    combine: Callable[[int, int], int],
    hot: list[str] | None,
    partitions: int,
) -> None:
    final, partials, load = salted_aggregate(
        records, combine, buckets, hot, partitions
    )
    assert final == plain_aggregate(records, combine)
    assert sum(load) == len(records)
    hot_set = {k for k, _ in records} if hot is None else set(hot)
    for routed in partials:
        base = unsalt(routed)
        assert (routed != base) == (base in hot_set)


def test_salting_spreads_a_hot_key_over_partitions() -> None:
    records = [("celebrity", 1)] * 800 + [("fan-1", 1), ("fan-2", 1)]
    _, _, plain = salted_aggregate(records, operator.add, 1, [], 8)
    final, partials, salted = salted_aggregate(
        records, operator.add, 8, ["celebrity"], 8
    )
    assert max(plain) >= 800  # one partition takes the whole hot key
    assert max(salted) < 800  # salted: the hot key is split up
    assert sum(1 for p in partials if p.startswith("celebrity#")) == 8
    assert final["celebrity"] == 800


def test_salt_and_unsalt() -> None:
    assert salt("user-7", 4, 9) == "user-7#1"
    assert unsalt("user-7#1") == "user-7"
    assert unsalt("user-7") == "user-7"
    assert unsalt("a#b") == "a#b"
    assert unsalt("a#") == "a#"
    with pytest.raises(ValueError, match="at least 1"):
        salt("k", 0, 1)
    with pytest.raises(ValueError, match="ends like a salt"):
        salted_aggregate([("k#3", 1)], operator.add, 2)
