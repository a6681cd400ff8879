"""Tests for the stream-stream and as-of joins of streamlab.joins.

Unit tests pin the edges (window boundaries, inclusive interval bounds,
ties, a negative lower bound, a watermark exactly at a window's end); the
property tests replay random inputs and compare every output with a
brute-force oracle that loops over all pairs of records.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.joins import (
    AsOf,
    IntervalJoin,
    Pair,
    Record,
    WindowJoin,
    as_of_join,
)
from streamlab.watermarks import MIN_WATERMARK
from streamlab.windows import Window

KEYS = ["a", "b"]

# ---------------------------------------------------------------- window join


def test_records_on_both_sides_of_a_boundary_do_not_join() -> None:
    join: WindowJoin[str, str, str] = WindowJoin(10)
    assert join.on_left(Record("a", 9, "l9")) == []
    assert join.on_right(Record("a", 10, "r10")) == []  # window [10, 20)
    (pair,) = join.on_left(Record("a", 10, "l10"))
    assert (pair.left.value, pair.right.value) == ("l10", "r10")
    assert pair.window == Window(10, 20)
    assert pair.ts == 19  # the window's last millisecond, as in Flink
    assert pair.key == "a"


def test_a_pair_is_emitted_once_when_its_second_record_arrives() -> None:
    join: WindowJoin[str, int, int] = WindowJoin(10)
    assert join.on_left(Record("a", 1, 1)) == []
    assert join.on_left(Record("b", 2, 2)) == []  # another key
    out = join.on_right(Record("a", 5, 50))
    assert [(p.left.value, p.right.value) for p in out] == [(1, 50)]
    out = join.on_left(Record("a", 3, 3))
    assert [(p.left.value, p.right.value) for p in out] == [(3, 50)]
    out = join.on_right(Record("a", 0, 60))  # out of order, same window
    assert [(p.left.value, p.right.value) for p in out] == [(1, 60), (3, 60)]


def test_watermark_exactly_at_window_end_closes_it() -> None:
    join: WindowJoin[str, str, str] = WindowJoin(10)
    join.on_left(Record("a", 2, "l"))
    assert join.on_watermark(8) == 0  # [0, 10) still open: 9 may come
    assert len(join.on_right(Record("a", 9, "r9"))) == 1
    assert join.on_watermark(9) == 2  # reaches end - 1: state dropped
    assert join.state_size == 0
    assert join.on_right(Record("a", 9, "late")) == []
    assert join.late_right == [Record("a", 9, "late")]
    # The watermark at 9 does not close [10, 20): a record at 10 is on time.
    assert join.on_left(Record("a", 10, "l10")) == []
    assert join.late_left == []
    assert join.state_size == 1


def test_allowed_lateness_keeps_a_window_joinable() -> None:
    join: WindowJoin[str, str, str] = WindowJoin(10, allowed_lateness=5)
    join.on_left(Record("a", 2, "l"))
    assert join.on_watermark(13) == 0  # cleanup time 9 + 5 = 14
    (pair,) = join.on_right(Record("a", 3, "behind the watermark"))
    assert pair.left.value == "l"
    assert join.late_right == []
    assert join.on_watermark(14) == 2
    join.on_right(Record("a", 4, "too late"))
    assert join.late_right == [Record("a", 4, "too late")]
    assert join.cleanup_time(Window(0, 10)) == 14


def test_window_join_ignores_a_watermark_that_does_not_advance() -> None:
    join: WindowJoin[str, str, str] = WindowJoin(10)
    assert join.watermark == MIN_WATERMARK
    assert join.on_watermark(20) == 0
    assert join.on_watermark(5) == 0
    assert join.watermark == 20


def test_window_join_with_offset() -> None:
    join: WindowJoin[str, str, str] = WindowJoin(10, offset=5)
    join.on_left(Record("a", 5, "l"))
    assert join.on_right(Record("a", 4, "r")) == []  # window [-5, 5)
    (pair,) = join.on_right(Record("a", 14, "r"))
    assert pair.window == Window(5, 15)


@pytest.mark.parametrize(
    ("size", "offset", "lateness"), [(0, 0, 0), (10, 10, 0), (10, 0, -1)]
)
def test_window_join_rejects_bad_arguments(
    size: int, offset: int, lateness: int
) -> None:
    with pytest.raises(ValueError):
        WindowJoin(size, offset=offset, allowed_lateness=lateness)


# -------------------------------------------------------------- interval join


def test_interval_bounds_are_inclusive() -> None:
    join: IntervalJoin[str, str, int] = IntervalJoin(0, 30)
    join.on_left(Record("a", 100, "imp"))
    times = [99, 100, 115, 130, 131]
    matched = [t for t in times if join.on_right(Record("a", t, t))]
    assert matched == [100, 115, 130]


def test_negative_lower_bound_as_in_the_flink_docs() -> None:
    # between(-2, 1): a right record from 2 before to 1 after the left one.
    join: IntervalJoin[str, str, int] = IntervalJoin(-2, 1)
    for t in range(0, 10):
        join.on_right(Record("a", t, t))
    out = join.on_left(Record("a", 5, "l"))
    assert [p.right.value for p in out] == [3, 4, 5, 6]
    assert [p.ts for p in out] == [5, 5, 5, 6]  # the later of the two


def test_right_first_gives_the_same_pairs() -> None:
    join: IntervalJoin[str, int, int] = IntervalJoin(-2, 1)
    join.on_left(Record("a", 5, 5))
    got = [t for t in range(0, 10) if join.on_right(Record("a", t, t))]
    assert got == [3, 4, 5, 6]


def test_ties_in_time_join_every_combination_in_arrival_order() -> None:
    join: IntervalJoin[str, str, str] = IntervalJoin(0, 0)  # equal times
    join.on_left(Record("a", 7, "l1"))
    join.on_left(Record("a", 7, "l2"))
    join.on_left(Record("b", 7, "other key"))
    out = join.on_right(Record("a", 7, "r1"))
    assert [p.left.value for p in out] == ["l1", "l2"]
    out = join.on_left(Record("a", 7, "l3"))
    assert [p.right.value for p in out] == ["r1"]


def test_record_at_the_watermark_is_late() -> None:
    join: IntervalJoin[str, str, str] = IntervalJoin(0, 10)
    join.on_watermark(50)
    assert join.on_left(Record("a", 50, "at")) == []
    assert join.on_right(Record("a", 40, "behind")) == []
    assert join.on_left(Record("a", 51, "after")) == []
    assert join.late_left == [Record("a", 50, "at")]
    assert join.late_right == [Record("a", 40, "behind")]
    assert join.state_size == 1


def test_watermark_prunes_each_side_at_its_own_bound() -> None:
    join: IntervalJoin[str, str, str] = IntervalJoin(-5, 10)
    join.on_left(Record("a", 100, "l"))  # useful while watermark < 110
    join.on_right(Record("a", 100, "r"))  # useful while watermark < 105
    assert join.on_watermark(104) == 0
    assert join.on_watermark(105) == 1
    assert join.buffered() == ([Record("a", 100, "l")], [])
    assert join.on_watermark(109) == 0
    assert join.on_watermark(110) == 1
    assert join.state_size == 0
    assert join.on_watermark(110) == 0  # does not advance: ignored


def test_record_that_can_no_longer_match_is_not_buffered() -> None:
    join: IntervalJoin[str, str, str] = IntervalJoin(-20, -10)
    join.on_right(Record("a", 95, "r"))
    join.on_watermark(100)  # the right record is kept: 95 + 20 > 100
    (pair,) = join.on_left(Record("a", 108, "l"))  # 108 - 10 <= 100
    assert pair.right.value == "r"
    assert join.buffered() == ([], [Record("a", 95, "r")])


def test_interval_join_rejects_inverted_bounds() -> None:
    with pytest.raises(ValueError):
        IntervalJoin(1, 0)


# ------------------------------------------------------------------ as-of join


def test_as_of_takes_a_version_at_the_same_time_but_not_after() -> None:
    versions = [Record("u", 10, "v10"), Record("u", 20, "v20")]
    events = [Record("u", t, t) for t in (9, 10, 19, 20, 99)]
    rows = as_of_join(events, versions)
    assert [r.value for r in rows] == [None, "v10", "v10", "v20", "v20"]
    assert [r.age for r in rows] == [None, 0, 9, 0, 79]


def test_as_of_ties_last_version_given_wins() -> None:
    versions = [Record("u", 5, "first"), Record("u", 5, "second")]
    (row,) = as_of_join([Record("u", 5, "e")], versions)
    assert row.value == "second"


def test_max_staleness_is_inclusive() -> None:
    versions = [Record("u", 10, "v")]
    events = [Record("u", 15, "fresh"), Record("u", 16, "stale")]
    fresh, stale = as_of_join(events, versions, max_staleness=5)
    assert fresh == AsOf(events[0], versions[0])
    assert stale == AsOf(events[1], None, stale=True)
    assert stale.value is None and stale.age is None


def test_as_of_keeps_event_order_and_keys_apart() -> None:
    versions = [Record("a", 0, 1), Record("b", 0, 2)]
    events = [Record("b", 5, "x"), Record("c", 1, "y"), Record("a", 3, "z")]
    rows = as_of_join(events, versions)
    assert [r.event for r in rows] == events
    assert [r.value for r in rows] == [2, None, 1]
    assert not any(r.stale for r in rows)


def test_as_of_rejects_negative_staleness() -> None:
    with pytest.raises(ValueError):
        as_of_join([], [], max_staleness=-1)


# ---------------------------------------------------- property tests + oracle

# One input: ("L" | "R", key, ts) for a record, ("W", "", ts) a watermark.
Op = tuple[str, str, int]

ops = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["L", "R"]),
            st.sampled_from(KEYS),
            st.integers(0, 60),
        ),
        st.tuples(st.just("W"), st.just(""), st.integers(-5, 70)),
    ),
    max_size=40,
)


class Run(NamedTuple):
    """Records split by the watermark at their arrival (value = input id)."""

    lefts: list[Record[str, int]]
    rights: list[Record[str, int]]
    late_left: list[Record[str, int]]
    late_right: list[Record[str, int]]
    watermark: int  # the final one


def classify(generated: list[Op], is_late: Callable[[int, int], bool]) -> Run:
    """Split records into accepted and late with the watermark at arrival."""
    run = Run([], [], [], [], MIN_WATERMARK)
    wm = MIN_WATERMARK
    for n, (kind, key, ts) in enumerate(generated):
        if kind == "W":
            wm = max(wm, ts)
            continue
        record = Record(key, ts, n)
        late = is_late(ts, wm)
        if kind == "L":
            (run.late_left if late else run.lefts).append(record)
        else:
            (run.late_right if late else run.rights).append(record)
    return run._replace(watermark=wm)


def feed(
    join: IntervalJoin[str, int, int] | WindowJoin[str, int, int],
    generated: list[Op],
) -> Counter[tuple[int, int]]:
    out: Counter[tuple[int, int]] = Counter()
    for n, (kind, key, ts) in enumerate(generated):
        pairs: list[Pair[str, int, int]] = []
        if kind == "W":
            join.on_watermark(ts)
        elif kind == "L":
            pairs = join.on_left(Record(key, ts, n))
        else:
            pairs = join.on_right(Record(key, ts, n))
        for pair in pairs:
            assert pair.key == key
            out[(pair.left.value, pair.right.value)] += 1
    return out


@settings(max_examples=300, deadline=None)
@given(
    generated=ops,
    lower=st.integers(-15, 15),
    width=st.integers(0, 20),
)
def test_interval_join_matches_nested_loops(
    generated: list[Op], lower: int, width: int
) -> None:
    upper = lower + width
    join: IntervalJoin[str, int, int] = IntervalJoin(lower, upper)
    got = feed(join, generated)
    run = classify(generated, lambda ts, wm: ts <= wm)
    expected: Counter[tuple[int, int]] = Counter(
        (left.value, right.value)
        for left in run.lefts
        for right in run.rights
        if left.key == right.key
        and left.ts + lower <= right.ts <= left.ts + upper
    )
    assert got == expected
    assert join.late_left == run.late_left
    assert join.late_right == run.late_right
    # Pruning: exactly the records that could still meet a future partner.
    wm = run.watermark
    kept_left, kept_right = join.buffered()
    assert kept_left == [x for x in run.lefts if x.ts + upper > wm]
    assert kept_right == [x for x in run.rights if x.ts - lower > wm]


@settings(max_examples=300, deadline=None)
@given(
    generated=ops,
    size=st.integers(1, 20),
    lateness=st.integers(0, 10),
)
def test_window_join_matches_nested_loops(
    generated: list[Op], size: int, lateness: int
) -> None:
    join: WindowJoin[str, int, int] = WindowJoin(
        size, allowed_lateness=lateness
    )
    got = feed(join, generated)

    def start(ts: int) -> int:
        return ts - ts % size

    def closed(ts: int, wm: int) -> bool:
        return start(ts) + size - 1 + lateness <= wm

    run = classify(generated, closed)
    expected: Counter[tuple[int, int]] = Counter(
        (left.value, right.value)
        for left in run.lefts
        for right in run.rights
        if left.key == right.key and start(left.ts) == start(right.ts)
    )
    assert got == expected
    assert join.late_left == run.late_left
    assert join.late_right == run.late_right
    kept = [
        x for x in run.lefts + run.rights if not closed(x.ts, run.watermark)
    ]
    assert join.state_size == len(kept)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(
        st.tuples(st.sampled_from([*KEYS, "c"]), st.integers(0, 30)),
        max_size=15,
    ),
    versions=st.lists(
        st.tuples(st.sampled_from(KEYS), st.integers(0, 30)), max_size=15
    ),
    max_staleness=st.one_of(st.none(), st.integers(0, 10)),
)
def test_as_of_join_matches_nested_loops(
    events: list[tuple[str, int]],
    versions: list[tuple[str, int]],
    max_staleness: int | None,
) -> None:
    probe = [Record(k, t, i) for i, (k, t) in enumerate(events)]
    table = [Record(k, t, i) for i, (k, t) in enumerate(versions)]
    rows = as_of_join(probe, table, max_staleness=max_staleness)
    assert [row.event for row in rows] == probe
    for event, row in zip(probe, rows, strict=True):
        best: Record[str, int] | None = None
        for version in table:  # latest time <= event, then last given
            if (
                version.key == event.key
                and version.ts <= event.ts
                and (best is None or version.ts >= best.ts)
            ):
                best = version
        too_old = (
            best is not None
            and max_staleness is not None
            and event.ts - best.ts > max_staleness
        )
        assert row.version == (None if too_old else best)
        assert row.stale == too_old


# -------------------------------------------------------- state stays bounded


@pytest.mark.parametrize("join_kind", ["interval", "window"])
def test_pruning_bounds_state_on_a_long_stream(join_kind: str) -> None:
    """20 000 records over 100 keys: state depends on the bounds only."""
    rng = random.Random(7)
    delay = 20  # out-of-orderness of event times, and the watermark delay
    join: IntervalJoin[int, int, int] | WindowJoin[int, int, int]
    join = IntervalJoin(0, 30) if join_kind == "interval" else WindowJoin(30)
    peak, high = 0, 0
    for n in range(20_000):
        ts = n + rng.randint(-delay, 0)  # one record per millisecond
        record = Record(rng.randrange(100), ts, n)
        if n % 2:
            join.on_left(record)
        else:
            join.on_right(record)
        high = max(high, ts)
        join.on_watermark(high - delay - 1)
        peak = max(peak, join.state_size)
    # A record is kept at most while its time is within 30 ms (bound or
    # window) of the watermark, which trails the newest time by delay + 1,
    # and there is one record per millisecond.
    assert peak <= 30 + 2 * delay + 2
    assert not join.late_left and not join.late_right
