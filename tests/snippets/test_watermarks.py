"""streamlab.watermarks: unit tests and properties against brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.watermarks import (
    MAX_WATERMARK,
    MIN_WATERMARK,
    BoundedOutOfOrderness,
    PartitionWatermarks,
)

# ---------------------------------------------------------------------------
# Bounded out-of-orderness
# ---------------------------------------------------------------------------


def test_watermark_is_max_minus_bound_minus_one() -> None:
    gen = BoundedOutOfOrderness(bound=5)
    assert gen.current == MIN_WATERMARK
    gen.on_event(100)
    assert gen.current == 94  # an event at 95 (= 100 - 5) is still on time
    gen.on_event(90)  # out of order: the maximum does not move
    assert gen.current == 94
    gen.on_event(120)
    assert gen.current == 114


def test_zero_bound_and_extremes() -> None:
    gen = BoundedOutOfOrderness(0)
    gen.on_event(7)
    assert gen.current == 6
    tiny = BoundedOutOfOrderness(10)
    tiny.on_event(MIN_WATERMARK + 3)
    assert tiny.current == MIN_WATERMARK  # never below the minimum
    assert MAX_WATERMARK == 2**63 - 1
    with pytest.raises(ValueError, match="bound must be >= 0, got -1"):
        BoundedOutOfOrderness(-1)


@settings(max_examples=200, deadline=None)
@given(
    times=st.lists(st.integers(-10_000, 10_000), max_size=50),
    bound=st.integers(0, 1_000),
)
def test_bounded_generator_matches_brute_force(
    times: list[int], bound: int
) -> None:
    gen = BoundedOutOfOrderness(bound)
    previous = MIN_WATERMARK
    for i, ts in enumerate(times):
        gen.on_event(ts)
        assert gen.current == max(times[: i + 1]) - bound - 1
        assert gen.current >= previous  # monotonic
        previous = gen.current
        # An event exactly ``bound`` behind the maximum is never behind the
        # watermark; one more behind is.
        assert max(times[: i + 1]) - bound > gen.current
        assert max(times[: i + 1]) - bound - 1 <= gen.current


# ---------------------------------------------------------------------------
# Per-partition combination with idleness
# ---------------------------------------------------------------------------


def test_the_slowest_partition_holds_the_watermark() -> None:
    wms = PartitionWatermarks(["p0", "p1"], bound=0)
    assert wms.on_event("p0", 100, now=0) == MIN_WATERMARK  # p1 silent
    assert wms.on_event("p1", 40, now=1) == 39
    assert wms.on_event("p0", 200, now=2) == 39
    assert wms.on_event("p1", 60, now=3) == 59
    assert wms.watermark_of("p0") == 199 and wms.current == 59
    assert wms.idle == [] and not wms.is_idle("p1")
    assert wms.advance(10_000) == 59  # no idleness configured: stuck


def test_an_idle_partition_is_left_out_until_it_sends_again() -> None:
    wms = PartitionWatermarks(["p0", "p1"], bound=0, idle_timeout=100)
    wms.on_event("p0", 10, now=0)
    wms.on_event("p1", 5, now=0)
    assert wms.current == 4
    assert wms.on_event("p0", 500, now=100) == 4  # p1 silent for exactly 100
    assert wms.idle == []
    assert wms.on_event("p0", 600, now=101) == 599  # > 100: p1 is idle
    assert wms.idle == ["p1"] and wms.is_idle("p1")
    # p1 wakes up far behind: the watermark does not go back; its event at
    # 20 is now behind the watermark (late for whoever reads it).
    assert wms.on_event("p1", 20, now=102) == 599
    assert wms.idle == []
    assert wms.on_event("p0", 700, now=103) == 599  # p1 holds it again
    assert wms.on_event("p1", 650, now=104) == 649


def test_a_partition_that_never_sends_goes_idle_after_the_timeout() -> None:
    wms = PartitionWatermarks([0, 1, 2], bound=10, idle_timeout=50, now=1000)
    wms.on_event(1, 200, now=1010)
    wms.on_event(0, 300, now=1020)
    assert wms.current == MIN_WATERMARK  # partition 2 never sent anything
    assert wms.advance(1050) == MIN_WATERMARK  # 50 since construction
    assert wms.advance(1051) == 189  # partition 2 idle: min(289, 189)
    assert wms.advance(1061) == 289  # partition 1 idle too (51 since 1010)
    assert wms.advance(5000) == 289  # all idle: held, not advanced
    assert wms.idle == [0, 1, 2]


def test_alignment_lists_partitions_too_far_ahead() -> None:
    wms = PartitionWatermarks(["a", "b", "c"], bound=0)
    wms.on_event("a", 1_000, now=0)
    wms.on_event("b", 100, now=0)
    wms.on_event("c", 150, now=0)
    assert wms.current == 99
    assert wms.ahead(max_drift=100) == ["a"]
    assert wms.ahead(max_drift=1_000) == []


@pytest.mark.parametrize(
    ("partitions", "bound", "timeout", "message"),
    [
        ([], 0, None, "at least one partition is needed"),
        ([1, 1], 0, None, "duplicate partition ids in [1, 1]"),
        ([1], 0, 0, "idle_timeout must be > 0, got 0"),
        ([1], -1, None, "bound must be >= 0, got -1"),
    ],
)
def test_bad_arguments_are_refused(
    partitions: list[int], bound: int, timeout: int | None, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        PartitionWatermarks(partitions, bound, idle_timeout=timeout)
    assert str(raised.value) == message


def test_time_must_not_go_back_and_partitions_must_be_known() -> None:
    wms = PartitionWatermarks(["p"], bound=0, now=10)
    with pytest.raises(ValueError, match="time went back from 10 to 9"):
        wms.advance(9)
    with pytest.raises(KeyError):
        wms.on_event("q", 1, now=10)


Op = tuple[str, int, int, int]  # ("event", partition, ts, dt) or ("tick", ...)
OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("event"),
            st.integers(0, 2),
            st.integers(0, 1_000),
            st.integers(0, 40),
        ),
        st.tuples(st.just("tick"), st.just(0), st.just(0), st.integers(0, 80)),
    ),
    max_size=40,
)


def brute_force(
    ops: list[Op], partitions: int, bound: int, timeout: int | None
) -> list[int]:
    """Recompute the combined watermark from the whole history at each step.

    Per partition: max event time so far - bound - 1; idle when more than
    ``timeout`` has passed since its last event (or since time 0). The
    combined watermark is the running maximum of the minimum over the
    partitions not idle at each step (steps where all are idle add nothing).
    """
    out: list[int] = []
    now = 0
    candidates: list[int] = []
    for step, (_, _, _, dt) in enumerate(ops):
        now += dt
        history = ops[: step + 1]
        clock = 0
        last = dict.fromkeys(range(partitions), 0)
        highest: dict[int, int] = {}
        for kind, p, ts, d in history:
            clock += d
            if kind == "event":
                last[p] = clock
                highest[p] = max(highest.get(p, ts), ts)
        active = [
            highest[p] - bound - 1 if p in highest else MIN_WATERMARK
            for p in range(partitions)
            if timeout is None or now - last[p] <= timeout
        ]
        if active:
            candidates.append(min(active))
        out.append(max([MIN_WATERMARK, *candidates]))
    return out


@settings(max_examples=300, deadline=None)
@given(
    ops=OPS,
    bound=st.integers(0, 50),
    timeout=st.one_of(st.none(), st.integers(1, 100)),
)
def test_combined_watermark_matches_brute_force(
    ops: list[Op], bound: int, timeout: int | None
) -> None:
    wms = PartitionWatermarks(range(3), bound, idle_timeout=timeout)
    now = 0
    got = []
    for kind, p, ts, dt in ops:
        now += dt
        if kind == "event":
            got.append(wms.on_event(p, ts, now))
        else:
            got.append(wms.advance(now))
        assert wms.current == got[-1]
        assert sorted(wms.idle) == [q for q in range(3) if wms.is_idle(q)]
    assert got == brute_force(ops, 3, bound, timeout)
    assert got == sorted(got)  # monotonic
    if timeout is None:  # without idleness: the plain minimum
        assert wms.current == min(wms.watermark_of(q) for q in range(3))
