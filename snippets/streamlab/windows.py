"""Window assignment and a windowed aggregation fired by event time.

Times are integers (milliseconds by convention). A window is half-open:
``[start, end)``, so an event exactly on a boundary belongs to the later
window, as in Flink, Beam and Kafka Streams.

* ``tumbling`` and ``hopping`` place a timestamp in its fixed windows;
  ``Sessions`` merges per-key session windows as events arrive in any order.
* ``WindowedAggregation`` is a keyed window operator driven by watermarks,
  with Flink's rules: a window fires when the watermark reaches ``end - 1``,
  late events within ``allowed_lateness`` fire it again with the updated
  aggregate, later ones go to a side output, and state is purged at
  ``end - 1 + allowed_lateness``.
"""

from __future__ import annotations

import heapq
import operator
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from streamlab.watermarks import MAX_WATERMARK, MIN_WATERMARK

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
A = TypeVar("A")


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


# --8<-- [start:hopping]
def hopping(ts: int, size: int, slide: int, offset: int = 0) -> list[Window]:
    """Return every hopping window of length ``size`` that holds ``ts``.

    A new window starts every ``slide``, at ``offset + k * slide`` for every
    integer ``k``, like Flink's ``SlidingEventTimeWindows.of(size, slide,
    offset)``. When ``slide`` divides ``size`` an event is in exactly
    ``size // slide`` windows; otherwise in ``size // slide`` or one more;
    when ``slide > size`` the windows leave gaps and an event may be in none.
    Windows are returned oldest first. O(size / slide + 1) time and space.

    Args:
        ts: the timestamp to place.
        size: window length, positive.
        slide: distance between window starts, positive.
        offset: alignment of window starts, ``0 <= offset < slide``.

    Raises:
        ValueError: if ``size`` or ``slide`` is not positive or ``offset`` is
            out of range.
    """
    if size <= 0:
        raise ValueError(f"window size must be positive, got {size}")
    if slide <= 0:
        raise ValueError(f"slide must be positive, got {slide}")
    if not 0 <= offset < slide:
        raise ValueError(f"offset must be in [0, {slide}), got {offset}")
    last = (ts - offset) // slide * slide + offset  # latest start <= ts
    windows = []
    start = last
    while start > ts - size:  # the window [start, start + size) holds ts
        windows.append(Window(start, start + size))
        start -= slide
    windows.reverse()
    return windows


# --8<-- [end:hopping]


class Sessions:
    """The session windows of one key, merged as events arrive in any order.

    An event at ``ts`` opens the window ``[ts, ts + gap)``. Windows that
    overlap or touch are merged, as in Flink's ``EventTimeSessionWindows``
    (its ``TimeWindow.intersects`` counts touching windows): two events are
    in the same session when the events between them leave no silence
    longer than ``gap``. A session is ``[first event, last event + gap)``.
    An out-of-order event that falls between two sessions bridges them into
    one.

    The sessions are kept sorted and pairwise apart. ``add`` is O(log s + s)
    for s sessions (binary search, then a list splice); space is O(s).

    Args:
        gap: the inactivity gap, positive.

    Raises:
        ValueError: if ``gap`` is not positive.
    """

    def __init__(self, gap: int) -> None:
        if gap <= 0:
            raise ValueError(f"session gap must be positive, got {gap}")
        self.gap = gap
        self._windows: list[Window] = []
        self._starts: list[int] = []

    def __len__(self) -> int:
        return len(self._windows)

    def __iter__(self) -> Iterator[Window]:
        return iter(list(self._windows))

    def touching(self, ts: int) -> list[Window]:
        """The sessions an event at ``ts`` would merge with, oldest first."""
        i = bisect_right(self._starts, ts + self.gap)
        j = i
        while j > 0 and self._windows[j - 1].end >= ts:
            j -= 1
        return self._windows[j:i]

    # --8<-- [start:sessions_add]
    def add(self, ts: int) -> tuple[Window, list[Window]]:
        """Add an event; return its session and the sessions merged into it.

        The merged sessions (oldest first) no longer exist afterwards; the
        list is empty when the event opens a new session, and holds the
        returned window itself when the event falls inside a session
        without extending it.
        """
        merged = self.touching(ts)
        start = min([ts, *(w.start for w in merged)])
        end = max([ts + self.gap, *(w.end for w in merged)])
        session = Window(start, end)
        i = bisect_left(self._starts, start)  # where merged[0] was, if any
        self._windows[i : i + len(merged)] = [session]
        self._starts[i : i + len(merged)] = [start]
        return session, merged

    # --8<-- [end:sessions_add]

    def remove(self, window: Window) -> None:
        """Forget a session (its state was purged). O(log s + s).

        Raises:
            KeyError: if ``window`` is not a current session.
        """
        i = bisect_left(self._starts, window.start)
        if i == len(self._windows) or self._windows[i] != window:
            raise KeyError(window)
        del self._windows[i], self._starts[i]


def sessions(timestamps: Iterable[int], gap: int) -> list[Window]:
    """Session windows of ``timestamps`` taken in the given (any) order.

    O(n (log s + s)) time for n timestamps and s sessions; O(s) space.
    """
    tracker = Sessions(gap)
    for ts in timestamps:
        tracker.add(ts)
    return list(tracker)


# ---------------------------------------------------------------------------
# Windowed aggregation fired by event time
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aggregate(Generic[V, A]):
    """An incremental aggregate, like Flink's ``AggregateFunction``.

    ``zero()`` makes an empty accumulator, ``add(acc, value)`` returns the
    accumulator with one more value, ``merge(a, b)`` combines two (used when
    session windows merge). Accumulators are treated as immutable values.
    """

    zero: Callable[[], A]
    add: Callable[[A, V], A]
    merge: Callable[[A, A], A]


def counting() -> Aggregate[Any, int]:
    """An aggregate that counts values."""
    return Aggregate(lambda: 0, lambda acc, _: acc + 1, operator.add)


def summing() -> Aggregate[int, int]:
    """An aggregate that sums integer values."""
    return Aggregate(lambda: 0, operator.add, operator.add)


@dataclass(frozen=True, slots=True)
class TumblingWindows:
    """Tumbling windows of ``size`` aligned to ``offset``; see ``tumbling``."""

    size: int
    offset: int = 0

    def __post_init__(self) -> None:
        tumbling(0, self.size, self.offset)  # validates the arguments

    def assign(self, ts: int) -> list[Window]:
        """The one window that holds ``ts``."""
        return [tumbling(ts, self.size, self.offset)]


@dataclass(frozen=True, slots=True)
class HoppingWindows:
    """Windows of ``size`` every ``slide`` (see ``hopping``)."""

    size: int
    slide: int
    offset: int = 0

    def __post_init__(self) -> None:
        hopping(0, self.size, self.slide, self.offset)  # validates

    def assign(self, ts: int) -> list[Window]:
        """The windows that hold ``ts``, oldest first."""
        return hopping(ts, self.size, self.slide, self.offset)


@dataclass(frozen=True, slots=True)
class SessionWindows:
    """Per-key sessions closed by ``gap`` of inactivity (see ``Sessions``)."""

    gap: int

    def __post_init__(self) -> None:
        Sessions(self.gap)  # validates the gap


WindowSpec = TumblingWindows | HoppingWindows | SessionWindows


@dataclass(frozen=True, slots=True)
class WindowResult(Generic[K, A]):
    """One firing of a window: the aggregate of ``key`` over ``window``.

    Attributes:
        key: the key.
        window: the window.
        value: the aggregate of the events in it so far.
        replaces: windows of this key whose earlier results this one
            supersedes: empty for a first result, ``(window,)`` for an
            update after a late event, and for a session that absorbed
            sessions already emitted, those sessions.
    """

    key: K
    window: Window
    value: A
    replaces: tuple[Window, ...] = ()

    @property
    def is_update(self) -> bool:
        """Tell whether this result corrects an earlier one."""
        return bool(self.replaces)


@dataclass(frozen=True, slots=True)
class LateEvent(Generic[K, V]):
    """An event dropped as too late: the side output.

    ``watermark`` is the operator's watermark when the event arrived.
    """

    key: K
    ts: int
    value: V
    watermark: int


@dataclass(slots=True)
class _Pane(Generic[A]):
    """State of one (key, window): accumulator and emission bookkeeping."""

    id: int
    acc: A
    emitted: tuple[Window, ...] = ()  # what its next result replaces


_FIRE, _PURGE = 0, 1


class WindowedAggregation(Generic[K, V, A]):
    """A keyed window aggregate driven by watermarks, as in Flink.

    Feed it ``on_event(key, ts, value)`` and ``on_watermark(w)`` in arrival
    order, and ``close()`` at end of input (the final watermark,
    ``MAX_WATERMARK``). The rules are those of Flink's ``WindowOperator``
    with its default ``EventTimeTrigger``, checked against its source:

    * A window ``[start, end)`` fires when the watermark reaches its
      largest timestamp, ``end - 1``: a watermark ``w`` promises that no
      event ``<= w`` is still to come, so ``w >= end - 1`` means the window
      is complete.
    * Its state is kept until the watermark reaches ``end - 1 +
      allowed_lateness`` (the cleanup time), then purged.
    * An event for a window that has fired but not been purged is added and
      fires the window again at once, with the updated aggregate: a result
      whose ``replaces`` names the window.
    * A window whose cleanup time the watermark has reached is late: an
      event is not added to it. An event that no window accepts and whose
      own ``ts + allowed_lateness`` the watermark has reached goes to the
      side output as a ``LateEvent``. (A hopping event that is late for some
      of its windows only is added to the others and is not reported.)
    * Session windows merge when an event touches or bridges them. An
      event whose own window ``[ts, ts + gap)`` is late is still accepted
      when it touches a session that is not: Flink merges first and then
      checks the merged window.

    Costs: an event is O(w log t) for the w windows it falls in and t
    timers pending (sessions add O(s) for the s sessions of the key); a
    watermark is O(log t) per timer it passes, and each window registers at
    most two. Space is O(windows kept + timers), so it is bounded by the
    key count times the windows open per key within ``allowed_lateness``.

    Args:
        windows: how events map to windows.
        aggregate: the incremental aggregate.
        allowed_lateness: how long after a window fires its state is kept
            for late events, ``>= 0`` (Flink's default is 0).

    Raises:
        ValueError: if ``allowed_lateness`` is negative.
    """

    def __init__(
        self,
        windows: WindowSpec,
        aggregate: Aggregate[V, A],
        allowed_lateness: int = 0,
    ) -> None:
        if allowed_lateness < 0:
            raise ValueError(
                f"allowed_lateness must be >= 0, got {allowed_lateness}"
            )
        self.windows = windows
        self.aggregate = aggregate
        self.allowed_lateness = allowed_lateness
        self._watermark = MIN_WATERMARK
        self._panes: dict[tuple[K, Window], _Pane[A]] = {}
        self._sessions: dict[K, Sessions] = {}
        self._timers: list[tuple[int, int, int, K, Window]] = []
        self._ids = 0

    @property
    def watermark(self) -> int:
        """The highest watermark received (``MIN_WATERMARK`` at first)."""
        return self._watermark

    @property
    def open_windows(self) -> int:
        """How many (key, window) states are kept now."""
        return len(self._panes)

    # --8<-- [start:rules]
    def is_late(self, window: Window) -> bool:
        """A window is late once the watermark reaches its cleanup time."""
        cleanup = window.end - 1 + self.allowed_lateness
        return cleanup <= self._watermark

    def on_event(
        self, key: K, ts: int, value: V
    ) -> list[WindowResult[K, A] | LateEvent[K, V]]:
        """Add one event; return late firings and side output it causes."""
        if isinstance(self.windows, SessionWindows):
            return self._on_session_event(key, ts, value)
        out: list[WindowResult[K, A] | LateEvent[K, V]] = []
        accepted = False
        for window in self.windows.assign(ts):
            if self.is_late(window):
                continue  # its state is gone: not added
            accepted = True
            pane = self._panes.get((key, window))
            if pane is None:
                pane = self._open(key, window, self.aggregate.zero())
            pane.acc = self.aggregate.add(pane.acc, value)
            if window.end - 1 <= self._watermark:  # already fired: update
                out.append(self._fire(key, window, pane))
        if not accepted and ts + self.allowed_lateness <= self._watermark:
            out.append(LateEvent(key, ts, value, self._watermark))
        return out

    def on_watermark(self, watermark: int) -> list[WindowResult[K, A]]:
        """Advance event time: fire complete windows, purge expired ones.

        A watermark that does not move forward is ignored.
        """
        if watermark <= self._watermark:
            return []
        self._watermark = watermark
        out: list[WindowResult[K, A]] = []
        while self._timers and self._timers[0][0] <= watermark:
            _, kind, pane_id, key, window = heapq.heappop(self._timers)
            pane = self._panes.get((key, window))
            if pane is None or pane.id != pane_id:
                continue  # the window was merged away
            if kind == _FIRE:
                out.append(self._fire(key, window, pane))
            else:
                self._purge(key, window)
        return out

    # --8<-- [end:rules]

    def close(self) -> list[WindowResult[K, A]]:
        """End of input: the final watermark fires every window left."""
        return self.on_watermark(MAX_WATERMARK)

    # --8<-- [start:state]
    def _open(self, key: K, window: Window, acc: A) -> _Pane[A]:
        self._ids += 1
        pane = _Pane(self._ids, acc)
        self._panes[(key, window)] = pane
        if window.end - 1 > self._watermark:
            self._push(window.end - 1, _FIRE, pane.id, key, window)
        cleanup = window.end - 1 + self.allowed_lateness
        self._push(cleanup, _PURGE, pane.id, key, window)
        return pane

    def _push(
        self, time: int, kind: int, pane_id: int, key: K, window: Window
    ) -> None:
        heapq.heappush(self._timers, (time, kind, pane_id, key, window))

    def _fire(
        self, key: K, window: Window, pane: _Pane[A]
    ) -> WindowResult[K, A]:
        result = WindowResult(key, window, pane.acc, pane.emitted)
        pane.emitted = (window,)
        return result

    def _purge(self, key: K, window: Window) -> None:
        del self._panes[(key, window)]
        tracker = self._sessions.get(key)
        if tracker is not None:
            tracker.remove(window)
            if not tracker:
                del self._sessions[key]

    # --8<-- [end:state]

    # --8<-- [start:session_event]
    def _on_session_event(
        self, key: K, ts: int, value: V
    ) -> list[WindowResult[K, A] | LateEvent[K, V]]:
        assert isinstance(self.windows, SessionWindows)
        tracker = self._sessions.get(key)
        own = Window(ts, ts + self.windows.gap)
        bridges = tracker.touching(ts) if tracker else []
        if not bridges and self.is_late(own):
            return [LateEvent(key, ts, value, self._watermark)]
        if tracker is None:
            tracker = self._sessions[key] = Sessions(self.windows.gap)
        session, merged = tracker.add(ts)
        if merged == [session]:  # inside a session: same window, same pane
            pane = self._panes[(key, session)]
        else:  # a new session, or several merged into a larger one
            acc = self.aggregate.zero()
            emitted: list[Window] = []
            for old in merged:
                gone = self._panes.pop((key, old))
                acc = self.aggregate.merge(acc, gone.acc)
                emitted.extend(gone.emitted)
            pane = self._open(key, session, acc)
            pane.emitted = tuple(emitted)
        pane.acc = self.aggregate.add(pane.acc, value)
        if session.end - 1 <= self._watermark:  # fired before: update now
            return [self._fire(key, session, pane)]
        return []

    # --8<-- [end:session_event]
