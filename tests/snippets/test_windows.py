"""streamlab.windows: unit tests and properties against brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.windows import Window, count_tumbling, tumbling

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
