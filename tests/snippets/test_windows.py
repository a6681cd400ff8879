"""streamlab.windows: unit tests and properties against brute force."""

from __future__ import annotations

import itertools
import operator
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.watermarks import MAX_WATERMARK, MIN_WATERMARK
from streamlab.windows import (
    Aggregate,
    HoppingWindows,
    LateEvent,
    Sessions,
    SessionWindows,
    TumblingWindows,
    Window,
    WindowedAggregation,
    WindowResult,
    count_tumbling,
    counting,
    hopping,
    sessions,
    summing,
    tumbling,
)

SIZES = st.integers(min_value=1, max_value=10_000)
TIMES = st.integers(min_value=-1_000_000, max_value=1_000_000)


def test_boundary_belongs_to_the_later_window() -> None:
    assert tumbling(60_000, 60_000) == Window(60_000, 120_000)
    assert tumbling(59_999, 60_000) == Window(0, 60_000)


def test_negative_times_and_offsets() -> None:
    assert tumbling(-1, 10) == Window(-10, 0)
    assert tumbling(7, 10, offset=5) == Window(5, 15)
    assert tumbling(4, 10, offset=5) == Window(-5, 5)


@pytest.mark.parametrize(
    ("size", "offset", "message"),
    [
        (0, 0, "window size must be positive, got 0"),
        (10, 10, "offset must be in [0, 10), got 10"),
        (10, -1, "offset must be in [0, 10), got -1"),
    ],
)
def test_bad_arguments_are_refused(
    size: int, offset: int, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        tumbling(0, size, offset)
    assert str(raised.value) == message


def test_empty_or_inverted_window_is_refused() -> None:
    with pytest.raises(ValueError, match="must be after its start"):
        Window(5, 5)


@settings(max_examples=300, deadline=None)
@given(ts=TIMES, size=SIZES, data=st.data())
def test_tumbling_matches_brute_force(
    ts: int, size: int, data: st.DataObject
) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=size - 1))
    window = tumbling(ts, size, offset)
    # The only window of this size that is aligned to the offset and holds ts.
    assert window.start % size == offset % size
    assert window.start <= ts < window.start + size
    assert window.contains(ts)
    assert not window.contains(window.end)
    assert window.end - window.start == size


@settings(max_examples=200, deadline=None)
@given(times=st.lists(TIMES, max_size=50), size=SIZES)
def test_counts_match_brute_force(times: list[int], size: int) -> None:
    counts = count_tumbling(times, size)
    assert sum(counts.values()) == len(times)
    assert list(counts) == sorted(counts)
    for window, count in counts.items():
        assert count == sum(1 for ts in times if window.contains(ts))


# ---------------------------------------------------------------------------
# Hopping windows
# ---------------------------------------------------------------------------

SMALL = st.integers(min_value=1, max_value=30)


def brute_force_hopping(
    ts: int, size: int, slide: int, offset: int
) -> list[Window]:
    """Enumerate every aligned start in a wide range; keep those holding ts."""
    starts = range(ts - size - 2 * slide, ts + 2 * slide)
    return [
        Window(s, s + size)
        for s in starts
        if (s - offset) % slide == 0 and s <= ts < s + size
    ]


def test_hopping_examples() -> None:
    assert hopping(7, 10, 5) == [Window(0, 10), Window(5, 15)]
    assert hopping(5, 10, 5) == [Window(0, 10), Window(5, 15)]
    assert hopping(4, 10, 5) == [Window(-5, 5), Window(0, 10)]
    # slide does not divide size: 10 / 3 gives 3 or 4 windows.
    assert hopping(7, 10, 3) == [Window(0, 10), Window(3, 13), Window(6, 16)]
    assert len(hopping(9, 10, 3)) == 4
    # slide > size leaves gaps: [0, 2), [5, 7), ...
    assert hopping(1, 2, 5) == [Window(0, 2)]
    assert hopping(3, 2, 5) == []
    assert hopping(5, 2, 5, offset=4) == [Window(4, 6)]
    assert hopping(6, 2, 5, offset=4) == []


def test_hopping_offset_and_negative_times() -> None:
    assert hopping(6, 4, 2, offset=1) == [Window(3, 7), Window(5, 9)]
    assert hopping(-1, 4, 2) == [Window(-4, 0), Window(-2, 2)]


@pytest.mark.parametrize(
    ("size", "slide", "offset", "message"),
    [
        (0, 1, 0, "window size must be positive, got 0"),
        (10, 0, 0, "slide must be positive, got 0"),
        (10, 5, 5, "offset must be in [0, 5), got 5"),
        (10, 5, -1, "offset must be in [0, 5), got -1"),
    ],
)
def test_hopping_refuses_bad_arguments(
    size: int, slide: int, offset: int, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        hopping(0, size, slide, offset)
    assert str(raised.value) == message
    with pytest.raises(ValueError):
        HoppingWindows(size, slide, offset)


@settings(max_examples=400, deadline=None)
@given(
    ts=st.integers(min_value=-500, max_value=500),
    size=SMALL,
    slide=SMALL,
    data=st.data(),
)
def test_hopping_matches_brute_force(
    ts: int, size: int, slide: int, data: st.DataObject
) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=slide - 1))
    windows = hopping(ts, size, slide, offset)
    assert windows == brute_force_hopping(ts, size, slide, offset)
    if size % slide == 0:
        assert len(windows) == size // slide
    else:
        assert len(windows) in (size // slide, size // slide + 1)
    if slide == size:  # hopping with slide == size is tumbling
        assert windows == [tumbling(ts, size, offset)]


# ---------------------------------------------------------------------------
# Session windows
# ---------------------------------------------------------------------------


def sweep_sessions(timestamps: list[int], gap: int) -> list[Window]:
    """Sort, then cut wherever two neighbours are more than ``gap`` apart."""
    out: list[Window] = []
    ordered = sorted(timestamps)
    for i, ts in enumerate(ordered):
        if i == 0 or ts - ordered[i - 1] > gap:
            out.append(Window(ts, ts + gap))
        else:
            out[-1] = Window(out[-1].start, ts + gap)
    return out


def test_an_event_between_two_sessions_bridges_them() -> None:
    tracker = Sessions(gap=10)
    assert tracker.add(0) == (Window(0, 10), [])
    assert tracker.add(20) == (Window(20, 30), [])
    assert list(tracker) == [Window(0, 10), Window(20, 30)]
    session, merged = tracker.add(10)  # 10 apart from both neighbours
    assert session == Window(0, 30)
    assert merged == [Window(0, 10), Window(20, 30)]
    assert list(tracker) == [Window(0, 30)] and len(tracker) == 1


def test_touching_sessions_merge_and_a_larger_gap_splits() -> None:
    assert sessions([0, 10], gap=10) == [Window(0, 20)]  # [0,10) meets [10,20)
    assert sessions([0, 11], gap=10) == [Window(0, 10), Window(11, 21)]
    tracker = Sessions(gap=10)
    tracker.add(0)
    assert tracker.add(5) == (Window(0, 15), [Window(0, 10)])
    assert tracker.add(3) == (Window(0, 15), [Window(0, 15)])  # inside


def test_sessions_remove_and_bad_gap() -> None:
    tracker = Sessions(gap=5)
    tracker.add(0)
    tracker.add(100)
    with pytest.raises(KeyError):
        tracker.remove(Window(0, 4))
    with pytest.raises(KeyError):
        tracker.remove(Window(200, 205))
    tracker.remove(Window(0, 5))
    assert list(tracker) == [Window(100, 105)]
    with pytest.raises(ValueError, match="session gap must be positive"):
        Sessions(0)
    with pytest.raises(ValueError, match="session gap must be positive"):
        SessionWindows(-1)


@settings(max_examples=300, deadline=None)
@given(
    times=st.lists(st.integers(min_value=-100, max_value=200), max_size=40),
    gap=st.integers(min_value=1, max_value=25),
    seed=st.randoms(use_true_random=False),
)
def test_sessions_in_any_order_match_sort_and_sweep(
    times: list[int], gap: int, seed: random.Random
) -> None:
    arrival = times[:]
    seed.shuffle(arrival)
    tracker = Sessions(gap)
    for ts in arrival:
        before = list(tracker)
        session, merged = tracker.add(ts)
        assert session.contains(ts)
        assert all(w in before for w in merged)
        after = list(tracker)
        assert session in after
        assert all(w not in after for w in merged if w != session)
        assert after == sorted(after)
    assert list(tracker) == sweep_sessions(times, gap)
    assert sessions(arrival, gap) == sweep_sessions(times, gap)


# ---------------------------------------------------------------------------
# Windowed aggregation
# ---------------------------------------------------------------------------

Ids = frozenset[int]
Output = WindowResult[str, Ids] | LateEvent[str, int]


def ids() -> Aggregate[int, Ids]:
    """Collect event ids: the exact content of every window is visible."""
    return Aggregate(frozenset, lambda acc, v: acc | {v}, operator.or_)


def test_a_window_fires_when_the_watermark_reaches_end_minus_one() -> None:
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(10), summing()
    )
    assert op.on_event("k", 3, 5) == []
    assert op.on_event("k", 9, 1) == []
    assert op.on_watermark(8) == []
    assert op.on_watermark(9) == [WindowResult("k", Window(0, 10), 6)]
    assert op.open_windows == 0  # no allowed lateness: purged at once
    late = op.on_event("k", 9, 7)
    assert late == [LateEvent("k", 9, 7, watermark=9)]


def test_allowed_lateness_updates_then_side_output_then_purge() -> None:
    op: WindowedAggregation[str, str, int] = WindowedAggregation(
        TumblingWindows(10), counting(), allowed_lateness=5
    )
    op.on_event("k", 1, "a")
    op.on_event("k", 12, "b")
    assert op.on_watermark(9) == [WindowResult("k", Window(0, 10), 1)]
    assert op.open_windows == 2  # [0, 10) kept until watermark 14
    update = op.on_event("k", 4, "late but allowed")
    assert update == [
        WindowResult("k", Window(0, 10), 2, replaces=(Window(0, 10),))
    ]
    assert isinstance(update[0], WindowResult) and update[0].is_update
    assert op.on_watermark(14) == []
    assert op.open_windows == 1  # [0, 10) purged at 9 + 5
    assert op.is_late(Window(0, 10)) and not op.is_late(Window(10, 20))
    assert op.on_event("k", 5, "too late") == [
        LateEvent("k", 5, "too late", 14)
    ]
    assert op.on_watermark(10) == []  # a watermark going back is ignored
    assert op.watermark == 14
    assert op.close() == [WindowResult("k", Window(10, 20), 1)]
    assert op.open_windows == 0 and op.watermark == MAX_WATERMARK


def test_a_late_event_may_open_a_window_that_already_passed() -> None:
    # The window [0, 10) never had an event; within the lateness it opens
    # and fires at once (a first result, not an update).
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(10), summing(), allowed_lateness=20
    )
    op.on_watermark(15)
    assert op.on_event("k", 2, 4) == [WindowResult("k", Window(0, 10), 4)]
    assert op.on_watermark(100) == []
    assert op.open_windows == 0


def test_hopping_events_late_for_some_windows_only_count_in_the_rest() -> None:
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        HoppingWindows(10, 5), ids()
    )
    op.on_watermark(9)  # [0, 10) is closed, [5, 15) is open
    assert op.on_event("k", 7, 1) == []  # no side output: [5, 15) took it
    assert op.close() == [WindowResult("k", Window(5, 15), frozenset({1}))]


def test_events_between_sampling_windows_are_not_counted() -> None:
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        HoppingWindows(size=2, slide=5), counting()
    )
    assert op.on_event("k", 3, 0) == []  # in no window, not late: dropped
    op.on_watermark(10)
    assert op.on_event("k", 8, 0) == [LateEvent("k", 8, 0, 10)]
    assert op.close() == []


def test_an_event_bridging_two_sessions_merges_them() -> None:
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        SessionWindows(gap=10), ids(), allowed_lateness=5
    )
    op.on_event("u", 0, 1)
    op.on_event("u", 20, 2)
    assert op.on_watermark(9) == [
        WindowResult("u", Window(0, 10), frozenset({1}))
    ]
    assert op.on_event("u", 10, 3) == []  # [0, 30) is not complete yet
    assert op.open_windows == 1
    assert op.on_watermark(29) == [
        WindowResult("u", Window(0, 30), frozenset({1, 2, 3}), (Window(0, 10),))
    ]


def test_sessions_late_attach_update_purge_and_side_output() -> None:
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        SessionWindows(gap=10), ids(), allowed_lateness=5
    )
    op.on_event("u", 20, 1)
    op.on_watermark(24)
    # [10, 20) alone would be late (19 + 5 <= 24), but it touches the live
    # session [20, 30): accepted, as Flink merges before it checks lateness.
    assert op.on_event("u", 10, 2) == []
    assert op.on_event("u", 5, 3) == []
    assert op.on_watermark(29) == [
        WindowResult("u", Window(5, 30), frozenset({1, 2, 3}))
    ]
    assert op.on_event("u", 19, 4) == [  # inside: same session, updated
        WindowResult(
            "u", Window(5, 30), frozenset({1, 2, 3, 4}), (Window(5, 30),)
        )
    ]
    assert op.on_watermark(34) == [] and op.open_windows == 0
    assert op.on_event("u", 20, 5) == [LateEvent("u", 20, 5, 34)]
    assert op.on_event("u", 40, 6) == []  # a new session waits for its end
    assert op.close() == [WindowResult("u", Window(40, 50), frozenset({6}))]


def test_a_late_merge_that_extends_past_the_watermark_waits() -> None:
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        SessionWindows(gap=10), counting(), allowed_lateness=100
    )
    op.on_event("u", 0, 0)
    assert op.on_watermark(9) == [WindowResult("u", Window(0, 10), 1)]
    assert op.on_event("u", 8, 0) == []  # session now [0, 18): not complete
    assert op.on_watermark(17) == [
        WindowResult("u", Window(0, 18), 2, replaces=(Window(0, 10),))
    ]


def test_bad_lateness_is_refused() -> None:
    with pytest.raises(ValueError, match="allowed_lateness must be >= 0"):
        WindowedAggregation(TumblingWindows(10), counting(), -1)
    with pytest.raises(ValueError, match="window size must be positive"):
        TumblingWindows(0)


def test_tumbling_windows_assign() -> None:
    spec = TumblingWindows(10, offset=3)
    assert spec.assign(2) == [Window(-7, 3)]
    assert HoppingWindows(10, 5).assign(12) == [Window(5, 15), Window(10, 20)]


SPECS = st.one_of(
    st.builds(
        TumblingWindows,
        size=st.integers(1, 20),
        offset=st.just(0),
    ),
    st.integers(1, 20).flatmap(
        lambda size: st.integers(1, 20).flatmap(
            lambda slide: st.builds(
                HoppingWindows,
                size=st.just(size),
                slide=st.just(slide),
                offset=st.integers(0, slide - 1),
            )
        )
    ),
)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("e"), st.sampled_from("ab"), st.integers(0, 100)),
        st.tuples(st.just("w"), st.just(""), st.integers(-5, 120)),
    ),
    max_size=40,
)


def run(
    op: WindowedAggregation[str, int, Ids],
    ops: list[tuple[str, str, int]],
) -> list[tuple[int, int, Output]]:
    """Feed the script; return (op index, watermark then, output)."""
    log: list[tuple[int, int, Output]] = []
    for i, (kind, key, t) in enumerate(ops):
        outs: list[Output] = []
        if kind == "e":
            outs.extend(op.on_event(key, t, i))
        else:
            outs.extend(op.on_watermark(t))
        log.extend((i, op.watermark, out) for out in outs)
    log.extend((len(ops), op.watermark, out) for out in op.close())
    return log


def finals(log: list[tuple[int, int, Output]]) -> dict[tuple[str, Window], Ids]:
    """The results not superseded by a later one, per (key, window)."""
    current: dict[tuple[str, Window], Ids] = {}
    for _, _, out in log:
        if isinstance(out, WindowResult):
            for old in out.replaces:
                del current[(out.key, old)]
            current[(out.key, out.window)] = out.value
    return current


@settings(max_examples=300, deadline=None)
@given(spec=SPECS, lateness=st.integers(0, 30), ops=OPS)
def test_fixed_windows_match_the_rule_and_a_batch_oracle(
    spec: TumblingWindows | HoppingWindows,
    lateness: int,
    ops: list[tuple[str, str, int]],
) -> None:
    size, slide = spec.size, getattr(spec, "slide", spec.size)
    offset = spec.offset
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        spec, ids(), lateness
    )
    # The oracle replays the script with the rule, window by window.
    wm = MIN_WATERMARK
    accepted: dict[tuple[str, Window], set[int]] = {}
    on_time: set[tuple[str, Window]] = set()
    late_firings: Counter[tuple[str, Window]] = Counter()
    expected_late: list[int] = []
    open_after: list[int] = []
    for i, (kind, key, t) in enumerate(ops):
        if kind == "w":
            wm = max(wm, t)
        else:
            windows = brute_force_hopping(t, size, slide, offset)
            taken = [w for w in windows if w.end - 1 + lateness > wm]
            for w in taken:
                accepted.setdefault((key, w), set()).add(i)
                if w.end - 1 <= wm:
                    late_firings[(key, w)] += 1
                else:
                    on_time.add((key, w))
            if not taken and t + lateness <= wm:
                expected_late.append(i)
        open_after.append(
            sum(1 for (_, w) in accepted if w.end - 1 + lateness > wm)
        )
    # Replay against the operator, checking the state count as we go.
    log: list[tuple[int, int, Output]] = []
    for i, (kind, key, t) in enumerate(ops):
        outs: list[Output] = []
        if kind == "e":
            outs.extend(op.on_event(key, t, i))
        else:
            outs.extend(op.on_watermark(t))
        log.extend((i, op.watermark, out) for out in outs)
        assert op.open_windows == open_after[i]
    log.extend((len(ops), op.watermark, out) for out in op.close())
    assert op.open_windows == 0

    late = [out.value for _, _, out in log if isinstance(out, LateEvent)]
    assert late == expected_late
    results: dict[tuple[str, Window], list[tuple[int, WindowResult[str, Ids]]]]
    results = {}
    for i, emitted_at, out in log:
        if isinstance(out, WindowResult):
            assert out.window.end - 1 <= emitted_at  # never early
            results.setdefault((out.key, out.window), []).append((i, out))
    # At end of input every window holds exactly what the rule accepted.
    assert finals(log) == {kw: frozenset(s) for kw, s in accepted.items()}
    assert set(results) == set(accepted)
    for kw, fired in results.items():
        assert len(fired) == (kw in on_time) + late_firings[kw]
        assert [r.replaces for _, r in fired] == [()] + [(kw[1],)] * (
            len(fired) - 1
        )
        if kw in on_time:  # the first result comes with the first watermark
            first_op = fired[0][0]  # that reaches end - 1, or with close()
            crossing = next(
                (
                    j
                    for j, (kind, _, t) in enumerate(ops)
                    if kind == "w" and t >= kw[1].end - 1
                ),
                len(ops),
            )
            assert first_op == crossing


@settings(max_examples=200, deadline=None)
@given(gap=st.integers(1, 25), ops=OPS)
def test_sessions_with_ample_lateness_match_sort_and_sweep(
    gap: int, ops: list[tuple[str, str, int]]
) -> None:
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        SessionWindows(gap), ids(), allowed_lateness=10_000
    )
    log = run(op, ops)
    assert not any(isinstance(out, LateEvent) for _, _, out in log)
    expected: dict[tuple[str, Window], Ids] = {}
    for key in "ab":
        events = [
            (t, i) for i, (k, kk, t) in enumerate(ops) if k == "e" and kk == key
        ]
        for w in sweep_sessions([t for t, _ in events], gap):
            expected[(key, w)] = frozenset(
                i for t, i in events if w.start <= t < w.end - gap + 1
            )
    assert finals(log) == expected
    assert op.open_windows == 0


@settings(max_examples=300, deadline=None)
@given(gap=st.integers(1, 25), lateness=st.integers(0, 30), ops=OPS)
def test_sessions_keep_every_accepted_event_in_one_final_session(
    gap: int, lateness: int, ops: list[tuple[str, str, int]]
) -> None:
    op: WindowedAggregation[str, int, Ids] = WindowedAggregation(
        SessionWindows(gap), ids(), lateness
    )
    log = run(op, ops)
    ts_of = {i: t for i, (kind, _, t) in enumerate(ops) if kind == "e"}
    key_of = {i: k for i, (kind, k, _) in enumerate(ops) if kind == "e"}
    late = set()
    for _, emitted_at, out in log:
        if isinstance(out, LateEvent):
            # Only an event whose own window [ts, ts + gap) is late can be.
            assert out.ts + gap - 1 + lateness <= out.watermark
            late.add(out.value)
        else:
            assert out.window.end - 1 <= emitted_at
    final = finals(log)
    seen: set[int] = set()
    for (key, window), members in final.items():
        assert not members & seen  # each event in one final session
        seen |= members
        times = sorted(ts_of[i] for i in members)
        assert {key_of[i] for i in members} == {key}
        assert window == Window(times[0], times[-1] + gap)
        assert all(b - a <= gap for a, b in itertools.pairwise(times))
    assert seen == set(ts_of) - late
    assert op.open_windows == 0
