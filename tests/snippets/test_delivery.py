"""Tests for streamlab.delivery: commit placement vs. lost/duplicate effects."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.delivery import (
    Crash,
    Faults,
    Mode,
    Record,
    Source,
    UpsertSink,
    audit,
    random_crash_points,
    run,
)

KEYS = "abcdefg"


def random_source(rng: random.Random) -> Source:
    n = rng.randint(1, 25)
    items = [(rng.choice(KEYS), rng.randint(0, 99)) for _ in range(n)]
    return Source(rng.randint(1, 3), items)


def crash_once(source: Source, mode: Mode, seed: int) -> tuple[int, set[int]]:
    actions = run(source, mode).actions
    return actions, random_crash_points(seed, actions, 1 + seed % 3)


# --------------------------------------------------------------------------
# Unit tests


def test_source_routes_a_key_to_one_partition() -> None:
    src = Source(3, [(k, i) for i, k in enumerate("abcabcabc")])
    for key in "abc":
        parts = {r.partition for r in src.records() if r.key == key}
        assert len(parts) == 1
    for log in src.logs:
        assert [r.offset for r in log] == list(range(len(log)))
    assert src.read(0, 99) is None
    with pytest.raises(ValueError):
        Source(0, [])


def test_faults_crash_before_the_listed_action() -> None:
    faults = Faults([1])
    faults.tick()
    with pytest.raises(Crash):
        faults.tick()
    faults.tick()
    assert faults.actions == 3


@pytest.mark.parametrize("mode", list(Mode))
def test_fault_free_run_is_exactly_once(mode: Mode) -> None:
    src = Source(2, [("a", 1), ("b", 2), ("a", 3), ("c", 4)])
    result = run(src, mode)
    assert result.restarts == 0
    assert sorted(result.effects) == sorted(src.records())
    assert audit(src, result.effects).exactly_once


def test_crash_between_commit_and_effect_loses_it() -> None:
    src = Source(1, [("a", 1), ("b", 2)])
    result = run(src, Mode.AT_MOST_ONCE, [1])  # after commit #0
    assert result.restarts == 1
    assert audit(src, result.effects).lost == [src.records()[0]]


def test_crash_between_effect_and_commit_duplicates_it() -> None:
    src = Source(1, [("a", 1), ("b", 2)])
    result = run(src, Mode.AT_LEAST_ONCE, [1])  # after effect #0
    first = src.records()[0]
    assert result.effects == [first, first, src.records()[1]]
    assert audit(src, result.effects).duplicated == [first]


def test_idempotent_sink_rejects_the_replayed_write() -> None:
    sink = UpsertSink()
    rec = Record(0, 5, "a", 1)
    assert sink.upsert(rec)
    assert not sink.upsert(rec)
    assert not sink.upsert(Record(0, 4, "a", 9))  # older: fenced
    assert sink.upsert(Record(0, 6, "a", 2))
    assert sink.table == {"a": (6, 2)}
    assert sink.rejected == 2


def test_transactional_resumes_from_offsets_in_the_sink() -> None:
    src = Source(1, [("a", 1), ("b", 2), ("c", 3)])
    result = run(src, Mode.TRANSACTIONAL, [1, 2])
    assert result.restarts == 2
    assert result.effects == src.records()
    assert result.actions == 5  # 3 commits + 2 crashed attempts


def test_crash_points_past_the_end_are_never_reached() -> None:
    src = Source(1, [("a", 1)])
    assert run(src, Mode.AT_LEAST_ONCE, [99]).restarts == 0
    assert random_crash_points(0, 2, 5) <= {0, 1}


# --------------------------------------------------------------------------
# 500+ seeded crash scenarios per mode, compared with the fault-free run.

SCENARIOS = 500


def scenarios(mode: Mode) -> list[tuple[Source, list[Record], int]]:
    out = []
    for seed in range(SCENARIOS):
        rng = random.Random(seed)
        src = random_source(rng)
        _, points = crash_once(src, mode, seed)
        result = run(src, mode, points)
        out.append((src, result.effects, result.restarts))
    return out


@pytest.mark.parametrize("mode", [Mode.IDEMPOTENT, Mode.TRANSACTIONAL])
def test_exactly_once_modes_never_lose_or_duplicate(mode: Mode) -> None:
    restarts = 0
    for seed in range(SCENARIOS):
        src = random_source(random.Random(seed))
        clean = run(src, mode)
        _, points = crash_once(src, mode, seed)
        result = run(src, mode, points)
        restarts += result.restarts
        assert audit(src, result.effects).exactly_once, seed
        assert sorted(result.effects) == sorted(clean.effects)
        assert result.table == clean.table
    assert restarts >= SCENARIOS  # every scenario crashed at least once


def test_at_most_once_loses_some_and_never_duplicates() -> None:
    losses = 0
    for src, effects, _ in scenarios(Mode.AT_MOST_ONCE):
        report = audit(src, effects)
        assert not report.duplicated
        losses += bool(report.lost)
    assert 0 < losses < SCENARIOS


def test_at_least_once_duplicates_some_and_never_loses() -> None:
    dups = 0
    for src, effects, _ in scenarios(Mode.AT_LEAST_ONCE):
        report = audit(src, effects)
        assert not report.lost
        dups += bool(report.duplicated)
    assert 0 < dups < SCENARIOS


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(KEYS), st.integers(0, 9)), max_size=20
    ),
    partitions=st.integers(1, 3),
    crashes=st.sets(st.integers(0, 60), max_size=4),
    mode=st.sampled_from(list(Mode)),
)
def test_property_guarantee_per_mode(
    items: list[tuple[str, int]],
    partitions: int,
    crashes: set[int],
    mode: Mode,
) -> None:
    src = Source(partitions, items)
    report = audit(src, run(src, mode, crashes).effects)
    if mode is Mode.AT_MOST_ONCE:
        assert not report.duplicated
    elif mode is Mode.AT_LEAST_ONCE:
        assert not report.lost
    else:
        assert report.exactly_once
