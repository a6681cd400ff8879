"""Window assignment for event-time processing.

Times are integers (milliseconds by convention). A window is half-open:
``[start, end)``, so an event exactly on a boundary belongs to the later
window, as in Flink, Beam and Kafka Streams.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Window:
    """A half-open time interval ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"window end {self.end} must be after its start {self.start}"
            )

    def contains(self, ts: int) -> bool:
        """Tell whether ``ts`` falls in the window. O(1)."""
        return self.start <= ts < self.end


# --8<-- [start:tumbling]
def tumbling(ts: int, size: int, offset: int = 0) -> Window:
    """Return the tumbling window of length ``size`` that holds ``ts``.

    Windows are aligned to ``offset`` (0: the epoch), like Flink's
    ``TumblingEventTimeWindows.of(size, offset)``. Negative timestamps are
    handled with floor division. O(1) time and space.

    Args:
        ts: the timestamp to place.
        size: window length, positive.
        offset: alignment of window starts, ``0 <= offset < size``.

    Raises:
        ValueError: if ``size`` is not positive or ``offset`` is out of range.
    """
    if size <= 0:
        raise ValueError(f"window size must be positive, got {size}")
    if not 0 <= offset < size:
        raise ValueError(f"offset must be in [0, {size}), got {offset}")
    start = (ts - offset) // size * size + offset
    return Window(start, start + size)


# --8<-- [end:tumbling]


def count_tumbling(timestamps: Iterable[int], size: int) -> dict[Window, int]:
    """Count timestamps per tumbling window, in window order.

    O(n + w log w) time for n timestamps falling in w distinct windows;
    O(w) space.
    """
    counts = Counter(tumbling(ts, size) for ts in timestamps)
    return dict(sorted(counts.items()))
