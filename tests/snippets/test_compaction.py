"""Tests for streamlab.compaction: unit tests and oracle properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.compaction import (
    DEFAULT_DELETE_RETENTION_MS,
    DEFAULT_MIN_CLEANABLE_DIRTY_RATIO,
    DEFAULT_MIN_COMPACTION_LAG_MS,
    DEFAULT_SEGMENT_MS,
    CleanResult,
    CompactedPartition,
    Entry,
    replay,
)

PROPERTY = settings(max_examples=200, deadline=None)


def rows(part: CompactedPartition[Any]) -> list[tuple[int, str, Any]]:
    return [(r.offset, r.key, r.value) for r in part.records()]


# --- defaults and validation ----------------------------------------------


def test_kafka_defaults() -> None:
    assert DEFAULT_SEGMENT_MS == 604_800_000  # segment.ms, 7 days
    assert DEFAULT_MIN_CLEANABLE_DIRTY_RATIO == 0.5
    assert DEFAULT_MIN_COMPACTION_LAG_MS == 0
    assert DEFAULT_DELETE_RETENTION_MS == 86_400_000  # 1 day
    part = CompactedPartition[int]()
    assert part.max_compaction_lag_ms is None  # Long.MAX_VALUE: never


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"segment_records": 0}, "segment_records must be >= 1"),
        ({"segment_ms": 0}, "segment_ms must be >= 1"),
        ({"min_compaction_lag_ms": -1}, "min_compaction_lag_ms must not"),
        ({"max_compaction_lag_ms": -1}, "max_compaction_lag_ms must not"),
        ({"delete_retention_ms": -1}, "delete_retention_ms must not"),
        ({"min_cleanable_dirty_ratio": 1.5}, "must be in"),
        ({"min_cleanable_dirty_ratio": -0.1}, "must be in"),
    ],
)
def test_constructor_rejects_bad_arguments(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CompactedPartition[int](**kwargs)


# --- segments ---------------------------------------------------------------


def test_segments_roll_by_size_and_by_time() -> None:
    part = CompactedPartition[int](segment_records=2, segment_ms=100)
    part.append("a", 1, 0)
    part.append("a", 2, 10)
    part.append("a", 3, 20)  # full: rolls
    part.append("a", 4, 119)  # 99 after the segment's first record: stays
    part.append("a", 5, 120)  # 100 after it: rolls (>= segment.ms)
    assert [s.base_offset for s in part.segments] == [0, 2, 4]
    assert [len(s.records) for s in part.segments] == [2, 2, 1]
    assert part.end_offset == 5


def test_roll_of_an_empty_active_segment_does_nothing() -> None:
    part = CompactedPartition[int]()
    part.roll()
    assert len(part.segments) == 1
    part.append("a", 1, 0)
    part.roll()
    part.roll()
    assert [s.base_offset for s in part.segments] == [0, 1]
    assert part.segments[1].max_timestamp is None


def test_read_skips_gaps_and_checks_bounds() -> None:
    part = CompactedPartition[str](segment_records=2)
    for i, key in enumerate("abab"):
        part.append(key, f"{key}{i}", i)
    part.append("c", "c4", 4)
    part.clean(now=10, force=True)
    assert [r.offset for r in part.read(0)] == [2, 3, 4]
    assert [r.offset for r in part.read(1)] == [2, 3, 4]
    assert part.read(5) == []
    with pytest.raises(ValueError, match=r"offset 6 not in \[0, 5\]"):
        part.read(6)
    with pytest.raises(ValueError):
        part.read(-1)


# --- the cleaner ------------------------------------------------------------


def test_active_segment_is_never_compacted() -> None:
    part = CompactedPartition[int]()
    for i in range(5):
        part.append("k", i, i)
    result = part.clean(now=1_000, force=True)
    assert result == CleanResult(True, 0, 0, 0)
    assert len(part.records()) == 5
    part.roll()
    assert part.clean(now=1_000).removed == 4
    assert rows(part) == [(4, "k", 4)]


def test_min_compaction_lag_keeps_young_segments_and_all_after() -> None:
    part = CompactedPartition[int](segment_records=2, min_compaction_lag_ms=50)
    for ts in (0, 10, 60, 70, 0, 5):  # segments [0,10] [60,70] [0,5]
        part.append("k", ts, ts)
    part.roll()
    assert part.cleanable_segments(now=100) == 1  # 100 - 70 < 50: stop
    assert part.first_uncleanable_offset(now=100) == 2
    assert part.clean(now=100, force=True).removed == 1  # within [0, 2)
    assert part.cleanable_segments(now=120) == 3
    assert part.clean(now=120, force=True).removed == 4
    assert rows(part) == [(5, "k", 5)]


def test_dirty_ratio_gates_the_cleaner() -> None:
    part = CompactedPartition[int](segment_records=2)
    part.append("a", 1, 0)
    part.append("b", 1, 0)
    part.roll()
    assert part.dirty_ratio(0) == 1.0
    assert part.needs_cleaning(0)
    assert part.clean(0).ran and part.checkpoint == 2
    assert part.dirty_ratio(0) == 0.0
    assert not part.clean(0).ran  # nothing new: not eligible
    part.append("a", 2, 1)
    part.roll()  # one dirty record over three: ratio 1/3
    assert part.dirty_ratio(1) == pytest.approx(1 / 3)
    assert not part.needs_cleaning(1)
    assert part.clean(1) == CleanResult(False, cleaned_up_to=2)
    part.append("b", 2, 2)
    part.roll()  # two dirty of four: 0.5 is not above 0.5
    assert not part.needs_cleaning(2)
    part.append("c", 1, 3)
    part.roll()  # three of five
    assert part.clean(3) == CleanResult(True, 2, 0, 5)
    assert replay(part.records()) == {"a": 2, "b": 2, "c": 1}


def test_dirty_ratio_of_an_empty_cleanable_part_is_zero() -> None:
    assert CompactedPartition[int]().dirty_ratio(0) == 0.0


def test_max_compaction_lag_forces_a_pass_below_the_ratio() -> None:
    part = CompactedPartition[int](
        segment_records=1,
        min_cleanable_dirty_ratio=1.0,
        max_compaction_lag_ms=10,
    )
    part.append("a", 1, 0)
    part.append("a", 2, 0)
    part.roll()
    assert not part.needs_cleaning(10)  # waited exactly 10: not longer
    assert part.needs_cleaning(11)
    assert part.clean(11).removed == 1


def test_tombstone_survives_delete_retention_after_first_clean() -> None:
    part = CompactedPartition[str](segment_records=2, delete_retention_ms=100)
    part.append("a", "a0", 0)
    part.append("b", "b0", 0)
    part.append("a", None, 5)  # tombstone
    part.roll()
    first = part.clean(now=1_000)
    assert first == CleanResult(True, 1, 0, 3)
    tomb = part.records()[1]
    assert tomb.is_tombstone and tomb.delete_horizon == 1_100
    assert rows(part) == [(1, "b", "b0"), (2, "a", None)]
    assert part.needs_cleaning(1_099) is False
    assert not part.clean(1_099).ran
    assert part.clean(1_099, force=True).removed == 0  # horizon not reached
    assert part.needs_cleaning(1_100)  # an expired tombstone triggers it
    assert part.clean(1_100) == CleanResult(True, 1, 1, 3)
    assert rows(part) == [(1, "b", "b0")]
    assert [s.base_offset for s in part.segments] == [0, 3]


def test_tombstone_horizon_starts_at_the_clean_not_the_write() -> None:
    part = CompactedPartition[int](delete_retention_ms=10)
    part.append("a", None, 0)
    part.roll()
    part.clean(now=1_000_000)  # written long ago, cleaned now
    assert [r.delete_horizon for r in part.records()] == [1_000_010]


def test_replay_applies_values_and_deletes() -> None:
    log = [
        Entry(0, 0, "a", 1),
        Entry(1, 0, "b", 2),
        Entry(2, 0, "a", None),
        Entry(3, 0, "c", None),  # deleting an absent key is fine
    ]
    assert replay(log) == {"b": 2}


# --- properties against a brute-force oracle --------------------------------

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("append"),
            st.sampled_from("abcd"),
            st.one_of(st.none(), st.integers(0, 9)),
            st.integers(0, 30),  # time step
        ),
        st.tuples(
            st.just("clean"), st.booleans(), st.none(), st.integers(0, 60)
        ),
        st.tuples(st.just("roll"), st.just(""), st.none(), st.just(0)),
    ),
    max_size=40,
)


@PROPERTY
@given(
    ops,
    st.integers(1, 4),
    st.integers(1, 80),
    st.integers(0, 40),
    st.integers(0, 60),
    st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
    st.one_of(st.none(), st.integers(0, 50)),
)
def test_compaction_matches_replay_oracle(
    script: list[tuple[str, str | bool, int | None, int]],
    seg_records: int,
    seg_ms: int,
    min_lag: int,
    retention: int,
    ratio: float,
    max_lag: int | None,
) -> None:
    part = CompactedPartition[int](
        segment_records=seg_records,
        segment_ms=seg_ms,
        min_compaction_lag_ms=min_lag,
        max_compaction_lag_ms=max_lag,
        min_cleanable_dirty_ratio=ratio,
        delete_retention_ms=retention,
    )
    history: list[Entry[int]] = []  # every record ever appended
    first_cleaned: dict[int, int] = {}  # tombstone offset -> first pass time
    gone: set[int] = set()  # tombstones removed after their retention
    now = 0
    for op, arg, value, step in script:
        now += step
        if op == "append":
            assert isinstance(arg, str)
            offset = part.append(arg, value, now)
            history.append(Entry(offset, now, arg, value))
        elif op == "roll":
            part.roll()
        else:
            before = part.records()
            active = list(part.segments[-1].records)
            end = part.first_uncleanable_offset(now)
            result = part.clean(now, force=bool(arg))
            after = part.records()
            if not result.ran:
                assert after == before
                continue
            # Nothing at or after the end of the cleanable part changed,
            # and the active segment is untouched.
            assert [r for r in after if r.offset >= end] == [
                r for r in before if r.offset >= end
            ]
            assert part.segments[-1].records == active
            cleaned = [r for r in after if r.offset < end]
            # At most one record per key in the cleaned part: the latest
            # of that key below the end.
            latest = {r.key: r.offset for r in history if r.offset < end}
            assert all(latest[r.key] == r.offset for r in cleaned)
            # A tombstone survives the pass that first sees it, and goes on
            # the first pass at or after that pass plus delete retention.
            for r in history:
                if not (
                    r.offset < end
                    and r.is_tombstone
                    and latest[r.key] == r.offset
                ):
                    continue
                present = any(c.offset == r.offset for c in cleaned)
                if r.offset in gone:
                    assert not present
                    continue
                seen = first_cleaned.get(r.offset)
                due = seen is not None and now >= seen + retention
                assert present != due
                if due:
                    gone.add(r.offset)
                else:
                    first_cleaned.setdefault(r.offset, now)
        records = part.records()
        offsets = [r.offset for r in records]
        assert offsets == sorted(set(offsets))  # strictly increasing
        by_offset = {r.offset: r for r in history}
        for r in records:  # every record kept is one that was written
            h = by_offset[r.offset]
            assert (r.timestamp, r.key, r.value) == (
                h.timestamp,
                h.key,
                h.value,
            )
        # A consumer from offset 0 builds the same table as from the full log.
        assert replay(part.read(0)) == replay(history)
        assert part.end_offset == len(history)
