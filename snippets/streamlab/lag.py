"""Consumer lag: in records and in time, stalled partitions, burn-rate alerts.

* Record lag of a partition is ``log end offset - committed offset``: how
  many records the group has not yet committed past. Group lag is the sum
  over partitions. Both come straight from offsets, as in
  ``kafka-consumer-groups.sh --describe``.
* Time lag answers the question users care about: how stale is what the
  consumer has produced? :func:`oldest_unconsumed_age` measures it directly,
  as the age of the first record the group has not committed past
  (``now - timestamp``). :func:`lag_seconds` is the estimate used when only
  offsets are at hand: record lag divided by the produce rate. The measured
  age is what to alert on: 10,000 records of lag is one second at peak
  traffic and hours at night, while a 90-second-old oldest record means the
  same thing at any volume. :func:`drain_seconds` is a different number:
  how long catching up takes at the current rates.
* :class:`StallDetector` flags a partition whose committed offset has not
  moved over the last N observations although it has lag: a consumer that is
  stuck (poison record, deadlock, lost assignment), as opposed to one that is
  merely slow.
* :func:`burn_rate` and :func:`multiwindow_alert` turn a per-minute "was the
  lag within target" signal into burn-rate alerts (Google SRE workbook,
  chapter "Alerting on SLOs"), so that a short spike does not page and a
  sustained breach does.

Offsets and groups come from :mod:`streamlab.log`; times are integers in
milliseconds and always passed in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from streamlab.log import CommitLog, ConsumerGroup

#: Google SRE workbook, "Alerting on SLOs", recommended starting points as
#: (long window, short window, burn rate), windows in minutes.
PAGE_FAST = (60, 5, 14.4)  # 2% of a 30-day budget in 1 hour
PAGE_SLOW = (360, 30, 6.0)  # 5% of a 30-day budget in 6 hours
TICKET = (4320, 360, 1.0)  # 10% of a 30-day budget in 3 days

Status = Literal["ok", "idle", "falling_behind", "stalled"]


# --8<-- [start:record_lag]
def partition_lag(
    end_offsets: Mapping[int, int], committed: Mapping[int, int | None]
) -> dict[int, int | None]:
    """Record lag per partition: log end offset minus committed offset.

    ``None`` where the group has committed nothing (the lag is unknown: it
    depends on ``auto.offset.reset``). A committed offset above the end
    offset, possible when the two were read at slightly different moments,
    counts as 0. O(p).
    """
    lags: dict[int, int | None] = {}
    for partition, end in sorted(end_offsets.items()):
        offset = committed.get(partition)
        lags[partition] = None if offset is None else max(0, end - offset)
    return lags


def group_lag(lags: Mapping[int, int | None]) -> int:
    """Total record lag of a group: the sum of the known partition lags.

    A sum hides skew (one stuck partition among 63 idle ones looks small),
    so alert per partition and use the sum for dashboards. O(p).
    """
    return sum(lag for lag in lags.values() if lag is not None)


def lag_of(
    log: CommitLog[Any], group: ConsumerGroup[Any]
) -> dict[int, int | None]:
    """Record lag of every partition of ``log`` for ``group``. O(p)."""
    ends = {p: log.end_offset(p) for p in range(log.partitions)}
    return partition_lag(ends, {p: group.committed(p) for p in ends})


# --8<-- [end:record_lag]


# --8<-- [start:time_lag]
def oldest_unconsumed_age(
    log: CommitLog[Any], group: ConsumerGroup[Any], partition: int, now: int
) -> int | None:
    """Age in ms of the first record the group has not committed past.

    0 when the group is caught up; ``None`` without a committed offset. If
    retention already deleted the committed position, the age is that of
    the oldest retained record (and the records in between are lost to the
    group). The age grows while a consumer is stuck even when nothing new
    arrives, which record lag alone does not show. O(log n).
    """
    committed = group.committed(partition)
    if committed is None:
        return None
    start = max(committed, log.start_offset(partition))
    pending = log.read(partition, min(start, log.end_offset(partition)), 1)
    return now - pending[0].timestamp if pending else 0


@dataclass(frozen=True, slots=True)
class Sample:
    """One observation of a partition: time, log end and committed offset."""

    time_ms: int
    end_offset: int
    committed: int


def rates(samples: Sequence[Sample]) -> tuple[float, float]:
    """``(produce, consume)`` rates in records per second between the
    first and last sample. O(1).

    Raises:
        ValueError: with fewer than two samples or no time between them.
    """
    if len(samples) < 2 or samples[-1].time_ms <= samples[0].time_ms:
        raise ValueError("need two samples at different times")
    first, last = samples[0], samples[-1]
    seconds = (last.time_ms - first.time_ms) / 1000
    produced = (last.end_offset - first.end_offset) / seconds
    consumed = (last.committed - first.committed) / seconds
    return produced, consumed


def lag_seconds(lag: int, produce_rate: float) -> float | None:
    """Estimated time lag: record lag over the produce rate.

    Exact only if production is steady; ``None`` when nothing is produced
    (the estimate is undefined exactly when a stuck consumer matters most).
    O(1).
    """
    return None if produce_rate <= 0 else lag / produce_rate


def drain_seconds(
    lag: int, produce_rate: float, consume_rate: float
) -> float | None:
    """Time to catch up at the current rates; ``None`` if never.

    ``lag / (consume_rate - produce_rate)``: an ETA, not a staleness. O(1).
    """
    if lag == 0:
        return 0.0
    surplus = consume_rate - produce_rate
    return None if surplus <= 0 else lag / surplus


# --8<-- [end:time_lag]


# --8<-- [start:stall]
class StallDetector:
    """Classify partitions from their last ``window`` observations.

    * ``stalled``: the committed offset did not move across the window and
      the lag was above 0 at every observation;
    * ``falling_behind``: the committed offset moves but the lag never
      shrank across the window and grew overall;
    * ``idle``: no lag and no new records;
    * ``ok``: anything else, including a window not yet full.

    O(1) per observation (amortized O(window) for the classification),
    O(partitions * window) space.
    """

    def __init__(self, window: int) -> None:
        if window < 2:
            raise ValueError(f"window must be at least 2, got {window}")
        self.window = window
        self._history: dict[int, deque[tuple[int, int]]] = {}

    def observe(
        self, partition: int, committed: int, end_offset: int
    ) -> Status:
        """Record one observation and return the partition's status."""
        history = self._history.setdefault(partition, deque(maxlen=self.window))
        history.append((committed, max(0, end_offset - committed)))
        return classify(list(history), self.window)

    def status(self, partition: int) -> Status:
        """The status of a partition from what was observed so far."""
        return classify(list(self._history.get(partition, ())), self.window)

    def stalled(self) -> list[int]:
        """Partitions currently stalled, in order."""
        return [p for p in sorted(self._history) if self.status(p) == "stalled"]


def classify(history: Sequence[tuple[int, int]], window: int) -> Status:
    """Status from ``(committed, lag)`` observations, oldest first; only the
    last ``window`` count. O(window)."""
    recent = list(history)[-window:]
    if len(recent) < window:
        return "ok"
    offsets = [c for c, _ in recent]
    lags = [lag for _, lag in recent]
    if len(set(offsets)) == 1:
        if min(lags) > 0:
            return "stalled"
        if max(lags) == 0:
            return "idle"
    growing = all(b >= a for a, b in pairwise(lags))
    if growing and lags[-1] > lags[0]:
        return "falling_behind"
    return "ok"


# --8<-- [end:stall]


# --8<-- [start:burn_rate]
def burn_rate(bad: Sequence[bool], objective: float) -> float:
    """How fast the error budget burns: bad share over allowed share.

    ``bad`` holds one flag per period (for lag: "time lag above target in
    that minute"); ``objective`` is the target share of good periods, for
    example 0.99. A burn rate of 1 spends the budget exactly over the SLO
    period. O(n).

    Raises:
        ValueError: for no periods or an objective outside (0, 1).
    """
    if not bad:
        raise ValueError("need at least one period")
    if not 0 < objective < 1:
        raise ValueError(f"objective must be in (0, 1), got {objective}")
    return (sum(bad) / len(bad)) / (1 - objective)


def multiwindow_alert(
    bad: Sequence[bool],
    objective: float,
    long_window: int,
    short_window: int,
    factor: float,
) -> bool:
    """Fire when the burn rate is at least ``factor`` over both the last
    ``long_window`` and the last ``short_window`` periods.

    The long window makes a brief spike too small to fire; the short one
    makes the alert stop soon after the breach ends. O(long_window).

    Raises:
        ValueError: if ``short_window`` exceeds ``long_window``.
    """
    if not 0 < short_window <= long_window:
        raise ValueError("need 0 < short_window <= long_window")
    if len(bad) < long_window:
        return False
    long_rate = burn_rate(bad[-long_window:], objective)
    short_rate = burn_rate(bad[-short_window:], objective)
    return long_rate >= factor and short_rate >= factor


# --8<-- [end:burn_rate]


__all__ = [
    "PAGE_FAST",
    "PAGE_SLOW",
    "TICKET",
    "Sample",
    "StallDetector",
    "Status",
    "burn_rate",
    "classify",
    "drain_seconds",
    "group_lag",
    "lag_of",
    "lag_seconds",
    "multiwindow_alert",
    "oldest_unconsumed_age",
    "partition_lag",
    "rates",
]
