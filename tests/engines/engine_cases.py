"""Inputs for the engine parity tests, and what streamlab makes of them.

Every case is plain JSON, generated from a seeded ``random.Random``, so the
engine scripts (run with .venv-engines) and streamlab (run here) read the
same input. Times are integer milliseconds.

A windowed case is a list of steps in arrival order: ``["e", key, ts]`` is
an event, ``["w", t]`` moves the watermark to ``t`` in streamlab's (and
Flink's) sense: no event ``<= t`` is still to come.
"""

from __future__ import annotations

import random
from typing import Any

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    HoppingWindows,
    LateEvent,
    SessionWindows,
    TumblingWindows,
    WindowedAggregation,
    WindowSpec,
    counting,
)

Steps = list[list[Any]]
# key, start, end, count, is_update: one firing of a window
Firing = tuple[str, int, int, int, bool]
KEYS = ("a", "b", "c")
RUNS = 30  # seeded random cases per window type and engine


def spec_of(window: dict[str, Any]) -> WindowSpec:
    """streamlab's window spec for the JSON one."""
    if window["kind"] == "tumbling":
        return TumblingWindows(window["size"])
    if window["kind"] == "hopping":
        return HoppingWindows(window["size"], window["slide"])
    return SessionWindows(window["gap"])


def streamlab_firings(
    steps: Steps, window: dict[str, Any], lateness: int
) -> list[Firing]:
    """Every firing of streamlab's ``WindowedAggregation``, sorted."""
    agg: WindowedAggregation[str, int, int] = WindowedAggregation(
        spec_of(window), counting(), lateness
    )
    out = []
    for step in steps:
        if step[0] == "e":
            out += agg.on_event(step[1], step[2], 1)
        else:
            out += agg.on_watermark(step[1])
    out += agg.close()
    return sorted(
        (r.key, r.window.start, r.window.end, r.value, r.is_update)
        for r in out
        if not isinstance(r, LateEvent)
    )


def final_counts(firings: list[Firing]) -> list[tuple[str, int, int, int]]:
    """The last count of each window (what an insert-only sink keeps)."""
    last: dict[tuple[str, int, int], int] = {}
    for key, start, end, count, _ in sorted(firings):
        last[(key, start, end)] = max(count, last.get((key, start, end), 0))
    return sorted((*w, n) for w, n in last.items())


def with_watermarks(events: list[tuple[str, int]], delay: int) -> Steps:
    """Steps with a watermark of ``max(ts) - delay`` after each event.

    Flink SQL's ``WATERMARK FOR ts AS ts - INTERVAL ...`` with a
    watermark per row, and no ``- 1``.
    """
    steps: Steps = []
    high = None
    for key, ts in events:
        high = ts if high is None else max(high, ts)
        steps += [["e", key, ts], ["w", high - delay]]
    return steps


def bounded_steps(events: list[tuple[str, int]], bound: int) -> Steps:
    """Steps with streamlab's ``BoundedOutOfOrderness(bound)`` watermark."""
    gen = BoundedOutOfOrderness(bound)
    steps: Steps = []
    for key, ts in events:
        gen.on_event(ts)
        steps += [["e", key, ts], ["w", gen.current]]
    return steps


def random_events(
    rng: random.Random, grid: int, span: int, disorder: int
) -> list[tuple[str, int]]:
    """4 to 16 events on a time ``grid``, out of order by up to
    ``disorder`` grid steps, with ties."""
    n = rng.randint(4, 16)
    clock = 0
    events = []
    for _ in range(n):
        clock += rng.choice([0, 0, 1, 2, 3])  # ties, small and big steps
        ts = max(0, clock - rng.randint(0, disorder)) * grid
        events.append((rng.choice(KEYS), min(ts, span)))
    return events


def random_steps(rng: random.Random, grid: int) -> Steps:
    """Events and explicit watermarks, some exactly on window edges."""
    steps: Steps = []
    high = 0
    for key, ts in random_events(rng, grid, 10**6, disorder=6):
        steps.append(["e", key, ts])
        high = max(high, ts)
        if rng.random() < 0.5:  # watermark a little behind the max
            steps.append(["w", high - rng.choice([0, 1, grid, 2 * grid])])
    return steps


def no_touching(steps: Steps, gap: int) -> bool:
    """No two events of one key exactly ``gap`` apart (sessions touch)."""
    by_key: dict[str, set[int]] = {}
    for step in steps:
        if step[0] == "e":
            by_key.setdefault(step[1], set()).add(step[2])
    return all(t + gap not in times for times in by_key.values() for t in times)
