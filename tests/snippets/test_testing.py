"""Tests for streamlab.testing: clock, collector, driver, arrival orders."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.testing import (
    DEFAULT_WATERMARK_INTERVAL_MS,
    OutputCollector,
    VirtualClock,
    WindowTestDriver,
    shuffle_within_bound,
)
from streamlab.windows import (
    TumblingWindows,
    Window,
    WindowResult,
    summing,
    tumbling,
)

PROPERTY = settings(max_examples=200, deadline=None)


# --- the virtual clock ------------------------------------------------------


def test_timers_fire_in_time_order_then_scheduling_order() -> None:
    clock = VirtualClock(start=100)
    fired: list[tuple[str, int, int]] = []

    def note(name: str) -> Callable[[int], None]:
        return lambda t: fired.append((name, t, clock.now))

    clock.schedule(130, note("c"))
    clock.schedule(110, note("a"))
    clock.schedule(110, note("b"))
    assert clock.pending == 3
    assert clock.advance(20) == 2
    assert fired == [("a", 110, 110), ("b", 110, 110)]
    assert clock.now == 120
    assert clock.advance(0) == 0
    assert clock.advance(10) == 1 and fired[-1] == ("c", 130, 130)
    assert clock.pending == 0


def test_a_callback_can_schedule_timers_due_in_the_same_advance() -> None:
    clock = VirtualClock()
    ticks: list[int] = []

    def tick(t: int) -> None:
        ticks.append(t)
        clock.schedule(t + 10, tick)

    clock.schedule(10, tick)
    assert clock.advance(35) == 3
    assert ticks == [10, 20, 30]
    assert clock.pending == 1


def test_cancelled_timers_do_not_fire() -> None:
    clock = VirtualClock()
    fired: list[int] = []
    timer = clock.schedule(5, fired.append)
    clock.schedule(6, fired.append)
    timer.cancel()
    assert clock.pending == 1
    assert clock.advance(10) == 1
    assert fired == [6]


def test_clock_rejects_going_back() -> None:
    clock = VirtualClock(start=10)
    with pytest.raises(ValueError, match="negative"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="before now 10"):
        clock.schedule(9, lambda t: None)


@PROPERTY
@given(
    st.lists(st.integers(0, 100), max_size=30),
    st.lists(st.integers(0, 40), max_size=10),
)
def test_clock_fires_exactly_the_due_timers_sorted(
    times: list[int], steps: list[int]
) -> None:
    clock = VirtualClock()
    fired: list[tuple[int, int]] = []

    def firing(seq: int) -> Callable[[int], None]:
        return lambda t: fired.append((t, seq))

    for seq, at in enumerate(times):
        clock.schedule(at, firing(seq))
    total = 0
    for step in steps:
        total += clock.advance(step)
    due = [(t, i) for i, t in enumerate(times) if t <= sum(steps)]
    expected = sorted(due) if steps else []  # timers fire only in advance()
    assert fired == expected
    assert total == len(expected)
    assert clock.now == sum(steps)


# --- the output collector ---------------------------------------------------


def test_collector_reads_once_and_keeps_history() -> None:
    out: OutputCollector[int] = OutputCollector()
    assert out.is_empty()
    out.extend([1, 2, 3])
    assert len(out) == 3
    assert out.read() == 1
    assert out.read_all() == [2, 3]
    assert out.read_all() == []
    assert out.is_empty()
    with pytest.raises(LookupError, match="no output"):
        out.read()
    assert out.history == [1, 2, 3]


# --- the window driver --------------------------------------------------------


def driver(
    bound: int = 5, interval: int | None = 100, lateness: int = 0
) -> WindowTestDriver[str, int, int]:
    return WindowTestDriver(
        TumblingWindows(60),
        summing(),
        bound=bound,
        allowed_lateness=lateness,
        watermark_interval=interval,
    )


def test_periodic_watermarks_fire_windows_only_when_the_clock_moves() -> None:
    d = driver()
    assert DEFAULT_WATERMARK_INTERVAL_MS == 200
    d.pipe("a", 10, 1)
    d.pipe("a", 70, 2)  # generator at 70 - 5 - 1 = 64; not sent yet
    assert d.results.is_empty() and d.watermark < 0
    d.advance_clock(99)
    assert d.results.is_empty()
    d.advance_clock(1)  # the periodic watermark at 100 fires [0, 60)
    assert d.watermark == 64
    assert d.results.read_all() == [WindowResult("a", Window(0, 60), 1)]
    d.close()
    assert d.results.read_all() == [WindowResult("a", Window(60, 120), 2)]


def test_punctuated_watermarks_follow_every_record() -> None:
    d = driver(interval=None)
    d.pipe_all([("a", 10, 1), ("a", 66, 2)])  # watermark 60: fires [0, 60)
    assert [r.value for r in d.results.read_all()] == [1]
    assert d.clock.pending == 0


def test_late_events_and_updates_are_collected() -> None:
    d = driver(interval=None, lateness=20)
    d.pipe_all([("a", 10, 1), ("a", 66, 2), ("a", 20, 5)])
    assert [(r.value, r.is_update) for r in d.results.read_all()] == [
        (1, False),
        (6, True),
    ]
    d.advance_watermark(100)  # past [0, 60)'s cleanup at 79
    d.pipe("a", 30, 7)
    late = d.late.read()
    assert (late.key, late.ts, late.value, late.watermark) == ("a", 30, 7, 100)
    assert d.final_windows() == {("a", Window(0, 60)): 6}


def test_driver_uses_a_given_clock_and_validates_interval() -> None:
    clock = VirtualClock(start=1_000)
    d = WindowTestDriver[str, int, int](
        TumblingWindows(10), summing(), bound=0, clock=clock
    )
    assert d.clock is clock and clock.pending == 1
    with pytest.raises(ValueError, match="watermark_interval must be > 0"):
        driver(interval=0)


def test_shuffle_rejects_a_negative_bound() -> None:
    with pytest.raises(ValueError, match="bound must be >= 0"):
        shuffle_within_bound([], -1, seed=0)


# --- properties ---------------------------------------------------------------

events = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 600),
        st.integers(1, 9),
    ),
    max_size=30,
)


def run(
    records: list[tuple[str, int, int]], bound: int, seed: int
) -> WindowTestDriver[str, int, int]:
    """Deliver a seeded arrival order with seeded clock steps, then close."""
    rng = random.Random(seed)
    d = driver(bound=bound, interval=50)
    for key, ts, value in shuffle_within_bound(records, bound, seed):
        d.pipe(key, ts, value)
        d.advance_clock(rng.randrange(0, 120))
    d.close()
    return d


@PROPERTY
@given(events, st.integers(0, 60), st.integers(0, 2**32))
def test_same_seed_same_output(
    records: list[tuple[str, int, int]], bound: int, seed: int
) -> None:
    first, second = run(records, bound, seed), run(records, bound, seed)
    assert first.results.history == second.results.history
    assert first.late.history == second.late.history
    assert first.clock.now == second.clock.now


@PROPERTY
@given(events, st.integers(0, 60), st.integers(0, 2**32), st.integers(0, 99))
def test_orders_within_the_bound_give_the_batch_windows(
    records: list[tuple[str, int, int]], bound: int, seed: int, other: int
) -> None:
    order = shuffle_within_bound(records, bound, seed)
    assert Counter(order) == Counter(records)  # a permutation
    for i, (_, ts, _) in enumerate(order):  # within the bound
        assert all(ts >= prior - bound for _, prior, _ in order[:i])
    batch: Counter[tuple[str, Window]] = Counter()
    for key, ts, value in records:
        batch[(key, tumbling(ts, 60))] += value
    for s in (seed, other):
        d = run(records, bound, s)
        assert d.late.history == []  # nothing behind the watermark
        assert d.final_windows() == dict(batch)
        assert all(not r.is_update for r in d.results.history)
