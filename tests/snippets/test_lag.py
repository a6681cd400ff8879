"""Tests for streamlab.lag: unit tests plus properties against oracles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.lag import (
    PAGE_FAST,
    PAGE_SLOW,
    TICKET,
    Sample,
    StallDetector,
    Status,
    burn_rate,
    classify,
    drain_seconds,
    group_lag,
    lag_of,
    lag_seconds,
    multiwindow_alert,
    oldest_unconsumed_age,
    partition_lag,
    rates,
)
from streamlab.log import CommitLog

PROPERTY = settings(max_examples=200, deadline=None)


def first_byte(key: bytes, partitions: int) -> int:
    return key[0] % partitions


# --- record lag --------------------------------------------------------------


@PROPERTY
@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=9),
        st.tuples(
            st.integers(min_value=0, max_value=1000),
            st.none() | st.integers(min_value=0, max_value=1000),
        ),
    )
)
def test_partition_lag_is_end_minus_committed(
    offsets: dict[int, tuple[int, int | None]],
) -> None:
    ends = {p: end for p, (end, _) in offsets.items()}
    committed = {p: c for p, (_, c) in offsets.items()}
    lags = partition_lag(ends, committed)
    assert list(lags) == sorted(ends)
    for p, (end, c) in offsets.items():
        assert lags[p] == (None if c is None else max(0, end - c))
    assert group_lag(lags) == sum(
        max(0, end - c) for end, c in offsets.values() if c is not None
    )


def test_lag_of_reads_the_log_and_the_group() -> None:
    log = CommitLog[str](partitions=2, partitioner=first_byte)
    for i in range(5):
        log.append("a", f"v{i}", timestamp=i)  # b"a"[0] = 97: partition 1
    log.append("b", "w", timestamp=9)  # 98: partition 0
    group = log.group("features", reset="earliest")
    assert lag_of(log, group) == {0: None, 1: None}
    group.poll(max_records=3, partitions=[1])
    group.commit()
    assert lag_of(log, group) == {0: None, 1: 2}
    group.commit({0: 1})
    assert group_lag(lag_of(log, group)) == 2


# --- time lag ------------------------------------------------------------


def test_oldest_unconsumed_age() -> None:
    log = CommitLog[str](partitions=1, retention_records=3)
    group = log.group("g", reset="earliest")
    assert oldest_unconsumed_age(log, group, 0, now=100) is None
    for ts in (10, 20, 30):
        log.append("k", "v", timestamp=ts)
    group.commit({0: 1})
    assert oldest_unconsumed_age(log, group, 0, now=100) == 80  # record at 20
    group.commit({0: 3})
    assert oldest_unconsumed_age(log, group, 0, now=100) == 0  # caught up
    group.commit({0: 0})
    log.append("k", "v", timestamp=40)
    log.enforce_retention(now=100)  # offset 0 deleted: oldest left is 20
    assert oldest_unconsumed_age(log, group, 0, now=100) == 80


@PROPERTY
@given(
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30),
    st.data(),
)
def test_oldest_unconsumed_age_matches_a_scan(
    timestamps: list[int], data: st.DataObject
) -> None:
    log = CommitLog[int](partitions=1)
    for ts in timestamps:
        log.append(None, ts, timestamp=ts)
    committed = data.draw(st.integers(min_value=0, max_value=len(timestamps)))
    group = log.group("g")
    group.commit({0: committed})
    pending = [r.timestamp for r in log.records(0) if r.offset >= committed]
    expected = 2000 - pending[0] if pending else 0
    assert oldest_unconsumed_age(log, group, 0, now=2000) == expected


def test_rates_lag_seconds_and_drain() -> None:
    samples = [Sample(0, 1000, 400), Sample(10_000, 2000, 1400)]
    assert rates(samples) == (100.0, 100.0)
    assert lag_seconds(600, 100.0) == 6.0
    assert lag_seconds(600, 0.0) is None
    assert drain_seconds(600, 100.0, 100.0) is None  # never catches up
    assert drain_seconds(600, 100.0, 160.0) == 10.0
    assert drain_seconds(0, 100.0, 50.0) == 0.0
    with pytest.raises(ValueError, match="two samples"):
        rates(samples[:1])
    with pytest.raises(ValueError, match="two samples"):
        rates([samples[0], samples[0]])


# --- stalls ------------------------------------------------------------------


def oracle(history: list[tuple[int, int]], window: int) -> Status:
    """Spell out the four statuses over the last ``window`` observations."""
    if len(history) < window:
        return "ok"
    recent = history[len(history) - window :]
    offsets = {c for c, _ in recent}
    lags = [lag for _, lag in recent]
    if len(offsets) == 1 and all(lag > 0 for lag in lags):
        return "stalled"
    if len(offsets) == 1 and not any(lags):
        return "idle"
    if lags == sorted(lags) and lags[-1] != lags[0]:
        return "falling_behind"
    return "ok"


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),
            st.integers(min_value=0, max_value=3),
            st.integers(min_value=0, max_value=3),
        ),
        max_size=40,
    ),
    st.integers(min_value=2, max_value=5),
)
def test_stall_detector_matches_the_oracle(
    steps: list[tuple[int, int, int]], window: int
) -> None:
    detector = StallDetector(window)
    state = {p: (0, 0) for p in range(3)}  # committed, end
    seen: dict[int, list[tuple[int, int]]] = {p: [] for p in range(3)}
    for partition, advance, produce in steps:
        committed, end = state[partition]
        end += produce
        committed = min(end, committed + advance)
        state[partition] = (committed, end)
        seen[partition].append((committed, end - committed))
        status = detector.observe(partition, committed, end)
        assert status == oracle(seen[partition], window)
    for p in range(3):
        assert detector.status(p) == oracle(seen[p], window)
    assert detector.stalled() == [
        p for p in range(3) if seen[p] and oracle(seen[p], window) == "stalled"
    ]


def test_stuck_slow_and_idle_consumers() -> None:
    stuck, slow, idle = StallDetector(3), StallDetector(3), StallDetector(3)
    for minute in range(4):
        stuck.observe(0, committed=50, end_offset=60 + 10 * minute)
        slow.observe(0, committed=50 + 5 * minute, end_offset=60 + 10 * minute)
        idle.observe(0, committed=60, end_offset=60)
    assert (stuck.status(0), slow.status(0), idle.status(0)) == (
        "stalled",
        "falling_behind",
        "idle",
    )
    assert stuck.stalled() == [0]
    assert classify([(1, 5), (2, 4)], 2) == "ok"  # catching up
    with pytest.raises(ValueError, match="at least 2"):
        StallDetector(1)


# --- burn rates -------------------------------------------------------------


def test_workbook_thresholds() -> None:
    assert PAGE_FAST == (60, 5, 14.4)
    assert PAGE_SLOW == (360, 30, 6.0)
    assert TICKET == (4320, 360, 1.0)
    # 14.4 for one hour spends 14.4 / (30 * 24) = 2% of a 30-day budget.
    assert abs(14.4 * 1 / (30 * 24) - 0.02) < 1e-12


def test_a_spike_does_not_page_a_sustained_breach_does() -> None:
    good = [False] * 120
    spike = [*good, True, True, *([False] * 3)]
    assert not multiwindow_alert(spike, 0.99, *PAGE_FAST)
    sustained = [*good, *([True] * 12)]
    assert multiwindow_alert(sustained, 0.99, *PAGE_FAST)
    recovered = [*sustained, *([False] * 5)]
    assert not multiwindow_alert(recovered, 0.99, *PAGE_FAST)
    assert not multiwindow_alert([True] * 30, 0.99, *PAGE_FAST)  # too short


@PROPERTY
@given(
    st.lists(st.booleans(), min_size=1, max_size=120),
    st.sampled_from([0.9, 0.99, 0.995]),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=60),
    st.sampled_from([1.0, 6.0, 14.4]),
)
def test_multiwindow_alert_matches_counting(
    bad: list[bool], objective: float, a: int, b: int, factor: float
) -> None:
    long_window, short_window = max(a, b), min(a, b)
    if len(bad) < long_window:
        assert not multiwindow_alert(
            bad, objective, long_window, short_window, factor
        )
        return
    budget = 1 - objective

    def burning(n: int) -> bool:
        tail = bad[-n:]
        return tail.count(True) / n / budget >= factor

    assert multiwindow_alert(
        bad, objective, long_window, short_window, factor
    ) == (burning(long_window) and burning(short_window))
    assert burn_rate(bad, objective) == pytest.approx(
        bad.count(True) / len(bad) / budget
    )


def test_burn_rate_errors() -> None:
    with pytest.raises(ValueError, match="at least one period"):
        burn_rate([], 0.99)
    with pytest.raises(ValueError, match="objective"):
        burn_rate([True], 1.0)
    with pytest.raises(ValueError, match="short_window"):
        multiwindow_alert([True], 0.99, 5, 10, 1.0)
