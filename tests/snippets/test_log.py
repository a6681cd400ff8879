"""Tests for streamlab.log: unit tests plus properties against oracles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.log import (
    DAY_MS,
    DEFAULT_DELETE_RETENTION_MS,
    DEFAULT_RETENTION_MS,
    CleanupPolicy,
    CommitLog,
    NoOffsetError,
    OffsetOutOfRangeError,
    Record,
    ResetPolicy,
    crc32_partitioner,
    default_size,
    key_bytes,
)

PROPERTY = settings(max_examples=200, deadline=None)


def first_byte(key: bytes, partitions: int) -> int:
    """A transparent partitioner for tests: first key byte mod partitions."""
    return key[0] % partitions if key else 0


def offsets(records: Sequence[Record[Any]]) -> list[int]:
    return [r.offset for r in records]


# --- construction and helpers -------------------------------------------


def test_kafka_defaults() -> None:
    assert DEFAULT_RETENTION_MS == 604_800_000  # retention.ms, 7 days
    assert DEFAULT_DELETE_RETENTION_MS == 86_400_000  # delete.retention.ms
    assert DAY_MS == 86_400_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"partitions": 0}, "partitions must be at least 1"),
        ({"cleanup_policy": "archive"}, "unknown cleanup policy"),
        ({"retention_ms": -1}, "retention_ms must not be negative"),
        ({"retention_bytes": -5}, "retention_bytes must not be negative"),
        ({"retention_records": -1}, "retention_records must not be"),
        ({"delete_retention_ms": -1}, "delete_retention_ms must not be"),
    ],
)
def test_constructor_rejects_bad_arguments(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CommitLog[int](**kwargs)


def test_key_bytes_encodes_text_as_utf8() -> None:
    assert key_bytes("héllo") == "héllo".encode()
    assert key_bytes(b"\x00\xff") == b"\x00\xff"


def test_crc32_partitioner_is_the_standard_crc32() -> None:
    # 0xCBF43926 is the published CRC-32 check value of b"123456789".
    assert crc32_partitioner(b"123456789", 2**32) == 0xCBF43926
    assert crc32_partitioner(b"123456789", 7) == 0xCBF43926 % 7


def test_default_size_counts_key_and_value_bytes() -> None:
    assert default_size(None, None) == 0
    assert default_size(b"ab", None) == 2
    assert default_size(b"ab", b"xyz") == 5
    assert default_size(None, "é") == 2  # UTF-8
    assert default_size(b"k", (1, 2)) == 1 + len("(1, 2)")


# --- append and read ----------------------------------------------------


def test_append_routes_keys_with_the_partitioner() -> None:
    log = CommitLog[str](3, partitioner=first_byte)
    assert log.append(b"\x01", "a", 0) == (1, 0)
    assert log.append(b"\x04", "b", 0) == (1, 1)  # 4 % 3 == 1
    assert log.append("\x02", "c", 0) == (2, 0)
    assert [r.value for r in log.records(1)] == ["a", "b"]
    assert log.end_offset(1) == 2 and log.end_offset(0) == 0


def test_keyless_records_rotate_over_partitions() -> None:
    log = CommitLog[int](3)
    placed = [log.append(None, i, 0) for i in range(7)]
    assert placed == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2)]


def test_partitioner_out_of_range_is_rejected() -> None:
    log = CommitLog[int](2, partitioner=lambda key, n: n)
    with pytest.raises(ValueError, match="partitioner returned 2"):
        log.append("k", 1, 0)


def test_compacted_log_rejects_keyless_records() -> None:
    log = CommitLog[int](cleanup_policy="compact")
    with pytest.raises(ValueError, match="needs a key"):
        log.append(None, 1, 0)


def test_unknown_partition_raises_index_error() -> None:
    log = CommitLog[int](2)
    for call in (log.start_offset, log.end_offset, log.records):
        with pytest.raises(IndexError, match="partition 2 not in"):
            call(2)
    with pytest.raises(IndexError):
        log.read(-1, 0)


def test_read_bounds_and_batch_size() -> None:
    log = CommitLog[int]()
    for i in range(5):
        log.append(None, i, i)
    assert offsets(log.read(0, 2)) == [2, 3, 4]
    assert offsets(log.read(0, 1, max_records=2)) == [1, 2]
    assert log.read(0, 5) == []  # reading at the end is allowed
    with pytest.raises(ValueError, match="max_records must not be negative"):
        log.read(0, 0, max_records=-1)
    with pytest.raises(OffsetOutOfRangeError, match="offset 6 not in"):
        log.read(0, 6)
    log.enforce_retention(now=2 + DEFAULT_RETENTION_MS)  # drops 0 and 1
    assert log.start_offset(0) == 2
    with pytest.raises(OffsetOutOfRangeError, match=r"\[2, 5\]"):
        log.read(0, 1)


def test_offset_for_time_is_the_first_offset_at_or_after() -> None:
    log = CommitLog[str]()
    for ts in (10, 30, 20, 40):
        log.append(None, f"t{ts}", ts)
    assert log.offset_for_time(0, 0) == 0
    assert log.offset_for_time(0, 15) == 1  # 30 comes before 20
    assert log.offset_for_time(0, 40) == 3
    assert log.offset_for_time(0, 41) is None


# --- retention -------------------------------------------------------------


def test_time_retention_deletes_only_records_older_than_the_limit() -> None:
    log = CommitLog[int](retention_ms=100)
    for ts in (0, 50, 100):
        log.append(None, ts, ts)
    assert log.enforce_retention(now=150) == 1  # 150 - 50 is not > 100
    assert offsets(log.records(0)) == [1, 2]
    assert log.start_offset(0) == 1


def test_time_retention_never_skips_a_newer_head() -> None:
    log = CommitLog[int](retention_ms=10)
    for ts in (100, 0, 0):  # a newer record blocks two old ones
        log.append(None, ts, ts)
    assert log.enforce_retention(now=105) == 0
    assert log.enforce_retention(now=111) == 3


def test_size_and_count_retention() -> None:
    by_bytes = CommitLog[bytes](retention_ms=None, retention_bytes=5)
    for _ in range(4):
        by_bytes.append(None, b"ab", 0)
    assert by_bytes.enforce_retention(now=0) == 2  # 8 bytes -> 4 bytes
    by_count = CommitLog[int](retention_ms=None, retention_records=1)
    for i in range(3):
        by_count.append(None, i, 0)
    assert by_count.enforce_retention(now=0) == 2
    assert [r.value for r in by_count.records(0)] == [2]


def test_offsets_are_never_reused_after_deletion() -> None:
    log = CommitLog[int](retention_ms=0)
    log.append(None, 1, 0)
    log.append(None, 2, 0)
    assert log.enforce_retention(now=1) == 2
    assert log.start_offset(0) == log.end_offset(0) == 2
    assert log.append(None, 3, 1) == (0, 2)


# --- compaction ------------------------------------------------------------


def test_compaction_keeps_the_latest_value_per_key() -> None:
    log = CommitLog[str | None](cleanup_policy="compact")
    log.append("a", "a1", 0)
    log.append("b", "b1", 0)
    log.append("a", "a2", 0)
    log.append("b", None, 10)  # tombstone for b
    assert log.compact(now=10) == 2
    kept = log.records(0)
    assert [(r.key, r.value) for r in kept] == [("a", "a2"), ("b", None)]
    assert kept[1].is_tombstone and not kept[0].is_tombstone
    assert log.start_offset(0) == 0  # compaction leaves the start alone
    assert offsets(log.read(0, 0)) == [2, 3]  # gaps are skipped
    assert log.compact(now=10 + DEFAULT_DELETE_RETENTION_MS) == 0
    assert log.compact(now=11 + DEFAULT_DELETE_RETENTION_MS) == 1
    assert [r.key for r in log.records(0)] == ["a"]


def test_compaction_needs_the_compact_policy() -> None:
    with pytest.raises(ValueError, match="cleanup_policy with 'compact'"):
        CommitLog[int]().compact(now=0)


def test_keyless_null_value_is_not_a_tombstone() -> None:
    log = CommitLog[None]()
    log.append(None, None, 0)
    assert not log.records(0)[0].is_tombstone


@pytest.mark.parametrize(
    ("policy", "left", "removed"),
    [
        ("delete", ["k", "k"], 1),
        ("compact", ["old", "k"], 1),
        ("compact,delete", ["k"], 2),
    ],
)
def test_clean_runs_what_the_policy_enables(
    policy: CleanupPolicy, left: list[str], removed: int
) -> None:
    log = CommitLog[int](cleanup_policy=policy, retention_ms=100)
    log.append("old", 0, 0)
    log.append("k", 1, 150)
    log.append("k", 2, 150)
    assert log.clean(now=150) == removed
    assert [r.key for r in log.records(0)] == left


# --- consumer groups -------------------------------------------------------


def make_log(n: int = 6, partitions: int = 2) -> CommitLog[int]:
    log = CommitLog[int](partitions, retention_ms=1_000)
    for i in range(n):
        log.append(None, i, i * 100)
    return log


def test_groups_are_independent_and_do_not_consume_the_log() -> None:
    log = make_log()
    a = log.group("a", reset="earliest")
    b = log.group("b", reset="earliest")
    assert [r.value for r in a.poll()] == [0, 2, 4, 1, 3, 5]
    assert a.poll() == []
    assert [r.value for r in b.poll()] == [0, 2, 4, 1, 3, 5]
    assert len(log.records(0)) == 3  # still there


def test_default_reset_is_latest() -> None:
    log = make_log()
    group = log.group("late")
    assert group.reset == "latest"
    assert group.poll() == []
    log.append(None, 99, 0)
    assert [r.value for r in group.poll()] == [99]


def test_group_is_reused_and_its_reset_policy_replaced() -> None:
    log = make_log()
    first = log.group("g", reset="earliest")
    again = log.group("g", reset="none")
    assert first is again and again.reset == "none"


def test_reset_none_raises_without_an_offset() -> None:
    group = make_log().group("strict", reset="none")
    with pytest.raises(NoOffsetError, match="no offset for partition 0"):
        group.poll()
    group.commit({0: 1, 1: 0})
    assert [r.value for r in group.poll()] == [2, 4, 1, 3, 5]


@pytest.mark.parametrize(
    ("reset", "expected"), [("earliest", [4, 5]), ("latest", [])]
)
def test_stale_commit_follows_the_reset_policy(
    reset: ResetPolicy, expected: list[int]
) -> None:
    log = make_log()
    group = log.group("g", reset=reset)
    group.commit({0: 0, 1: 0})
    log.enforce_retention(now=1_350)  # deletes values 0..3
    assert group.position(0) == (2 if reset == "earliest" else 3)
    assert [r.value for r in group.poll()] == expected


def test_stale_commit_with_reset_none_raises() -> None:
    log = make_log()
    group = log.group("g", reset="none")
    group.commit({0: 0})
    log.enforce_retention(now=1_350)
    with pytest.raises(OffsetOutOfRangeError, match="outside"):
        group.poll()


def test_seek_beyond_end_is_out_of_range() -> None:
    log = make_log()
    group = log.group("g", reset="earliest")
    group.seek(0, 99)
    assert group.position(0) == 0  # reset to the start
    with pytest.raises(IndexError):
        group.seek(5, 0)


def test_restart_resumes_from_the_commit_at_least_once() -> None:
    group = make_log().group("g", reset="earliest")
    assert [r.value for r in group.poll(max_records=2)] == [0, 2]
    group.commit()
    assert group.committed(0) == 2 and group.committed(1) is None
    assert [r.value for r in group.poll(max_records=2)] == [4, 1]
    group.restart()  # crash before the second commit
    assert [r.value for r in group.poll(max_records=2)] == [4, 1]


def test_poll_partition_subset_and_budget() -> None:
    group = make_log().group("g", reset="earliest")
    assert [r.value for r in group.poll(partitions=[1])] == [1, 3, 5]
    assert [r.value for r in group.poll(max_records=1)] == [0]
    assert [r.value for r in group.poll(max_records=0)] == []


def test_commit_validates_partition_and_offset() -> None:
    group = make_log().group("g")
    with pytest.raises(IndexError):
        group.commit({7: 0})
    with pytest.raises(ValueError, match="must not be negative"):
        group.commit({0: -1})


def test_seek_to_time_uses_the_first_record_at_or_after() -> None:
    log = make_log()
    group = log.group("g", reset="earliest")
    group.poll()
    assert group.seek_to_time(250) == {0: 2, 1: 1}  # values 4 and 3
    assert [r.value for r in group.poll()] == [4, 3, 5]
    assert group.seek_to_time(10_000) == {0: 3, 1: 3}  # none: go to end
    assert group.poll() == []


# --- properties against brute-force oracles -----------------------------

keys = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e", "f"]))
appends = st.lists(
    st.tuples(keys, st.integers(0, 1_000), st.integers(0, 50)), max_size=30
)


@PROPERTY
@given(appends, st.integers(1, 5), st.booleans())
def test_partitions_hold_append_order_filtered_by_key_hash(
    batch: list[tuple[str | None, int, int]], n: int, custom: bool
) -> None:
    partitioner = first_byte if custom else crc32_partitioner
    log = CommitLog[int](n, partitioner=partitioner)
    for key, ts, value in batch:
        log.append(key, value, ts)
    expected: dict[int, list[tuple[str | None, int]]] = defaultdict(list)
    keyless = 0
    for key, _, value in batch:
        if key is None:
            p, keyless = keyless % n, keyless + 1
        else:
            p = partitioner(key.encode(), n)
        expected[p].append((key, value))
    for p in range(n):
        got = log.records(p)
        assert [(r.key, r.value) for r in got] == expected[p]
        assert offsets(got) == list(range(len(got)))
        assert all(r.partition == p for r in got)


limits = st.one_of(st.none(), st.integers(0, 60))


@PROPERTY
@given(
    st.lists(
        st.tuples(keys, st.integers(0, 60), st.integers(0, 50)), max_size=30
    ),
    limits,
    limits,
    limits,
    st.integers(-2, 60),
)
def test_retention_keeps_the_shortest_valid_suffix(
    batch: list[tuple[str | None, int, int]],
    ms: int | None,
    max_bytes: int | None,
    max_records: int | None,
    delta: int,
) -> None:
    # "now" lands near the time limit of the first record, where "older
    # than the limit" and "exactly as old as the limit" differ.
    now = max(0, (batch[0][1] if batch else 0) + (ms or 0) + delta)
    log = CommitLog[int](
        retention_ms=ms,
        retention_bytes=max_bytes,
        retention_records=max_records,
    )
    for key, ts, value in batch:
        log.append(key, value, ts)
    before = log.records(0)

    def valid(k: int) -> bool:
        rest = before[k:]
        return (
            (max_bytes is None or sum(r.size for r in rest) <= max_bytes)
            and (max_records is None or len(rest) <= max_records)
            and (ms is None or not rest or now - rest[0].timestamp <= ms)
        )

    k = min(k for k in range(len(before) + 1) if valid(k))
    assert log.enforce_retention(now) == k
    assert log.records(0) == before[k:]
    assert log.start_offset(0) == (before[k - 1].offset + 1 if k else 0)
    assert log.enforce_retention(now) == 0  # idempotent


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.integers(0, 100),
            st.one_of(st.none(), st.integers(0, 9)),
        ),
        max_size=40,
    ),
    st.integers(0, 200),
    st.integers(0, 100),
)
def test_compaction_matches_latest_per_key_oracle(
    batch: list[tuple[str, int, int | None]], now: int, grace: int
) -> None:
    log = CommitLog[int | None](
        2, cleanup_policy="compact", delete_retention_ms=grace
    )
    for key, ts, value in batch:
        log.append(key, value, ts)
    before = {p: log.records(p) for p in range(2)}
    log.compact(now)
    for p in range(2):
        latest: dict[str | bytes | None, Record[int | None]] = {}
        for record in before[p]:
            latest[record.key] = record
        expected = sorted(
            (
                r
                for r in latest.values()
                if r.value is not None or now - r.timestamp <= grace
            ),
            key=lambda r: r.offset,
        )
        assert log.records(p) == expected
        assert log.end_offset(p) == len(before[p])


@PROPERTY
@given(appends, st.integers(0, 1_100), st.integers(0, 1_100))
def test_offset_for_time_matches_scan_oracle(
    batch: list[tuple[str | None, int, int]], now: int, target: int
) -> None:
    log = CommitLog[int](retention_ms=500)
    for key, ts, value in batch:
        log.append(key, value, ts)
    log.enforce_retention(now)
    hits = [r.offset for r in log.records(0) if r.timestamp >= target]
    assert log.offset_for_time(0, target) == (min(hits) if hits else None)


Step = tuple[str, int, str | None, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ("append",) * 3 + ("poll",) * 2 + ("commit", "retain", "restart")
        ),
        st.integers(0, 1),  # which group
        keys,
        st.integers(0, 4),  # value, or poll size
    ),
    max_size=40,
)


def run_groups(script: list[Step], with_restarts: bool) -> None:
    """Drive two groups and a size-bounded log; check what each group read."""
    log = CommitLog[int](2, retention_ms=None, retention_records=4)
    groups = [log.group(f"g{i}", reset="earliest") for i in range(2)]
    seen: list[list[Record[int]]] = [[], []]
    runs: list[list[list[Record[int]]]] = [[[]], [[]]]  # split at restarts
    appended: list[Record[int]] = []
    for op, g, key, n in script:
        if op == "append":
            p, offset = log.append(key, n, 0)
            appended.append(log.read(p, offset, 1)[0])
        elif op == "poll":
            batch = groups[g].poll(max_records=n)
            seen[g].extend(batch)
            runs[g][-1].extend(batch)
        elif op == "commit":
            groups[g].commit()
        elif op == "retain":
            log.enforce_retention(now=0)
        elif with_restarts:
            groups[g].restart()
            runs[g].append([])
    for g, group in enumerate(groups):
        drained = group.poll()
        seen[g].extend(drained)
        runs[g][-1].extend(drained)
        read = {(r.partition, r.offset) for r in seen[g]}
        for record in appended:  # an unread record must have been deleted
            if (record.partition, record.offset) not in read:
                assert record.offset < log.start_offset(record.partition)
        for p in range(2):  # every retained record was read
            assert {(p, r.offset) for r in log.records(p)} <= read
        for run in runs[g]:  # in order and without repeats, per partition
            for p in range(2):
                got = [r.offset for r in run if r.partition == p]
                assert got == sorted(set(got))
        if not with_restarts:
            assert len(read) == len(seen[g])  # exactly once overall
        assert all(r in appended for r in seen[g])


@PROPERTY
@given(steps)
def test_every_group_reads_every_retained_record_once_in_order(
    script: list[Step],
) -> None:
    run_groups(script, with_restarts=False)


@PROPERTY
@given(steps)
def test_restarts_replay_from_the_commit_at_least_once(
    script: list[Step],
) -> None:
    run_groups(script, with_restarts=True)
