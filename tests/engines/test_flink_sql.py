"""Flink SQL (PyFlink, one TableEnvironment per session) against streamlab.

The watermark is ``max(ts) - delay`` raised after every row (the auto
watermark interval is 0), the same watermark streamlab is given, so window
counts must agree exactly. Differences found are pinned below.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from engine_cases import (
    KEYS,
    RUNS,
    final_counts,
    random_events,
    streamlab_firings,
    with_watermarks,
)
from engine_runner import SCRIPTS, run_engine
from snippet_output import expected_output
from streamlab.dedup import Deduplicator, Verdict
from streamlab.joins import IntervalJoin, Record

pytestmark = pytest.mark.engine

WINDOWS = {
    "tumbling": {"kind": "tumbling", "size": 4000},
    "hopping": {"kind": "hopping", "size": 4000, "slide": 2000},
    "session": {"kind": "session", "gap": 2000},
}
T10 = {"kind": "tumbling", "size": 10000}


def window_case(kind: str, seed: int) -> dict[str, Any]:
    rng = random.Random(f"flink-{kind}-{seed}")
    return {
        "window": WINDOWS[kind],
        "delay": rng.choice([0, 2000]),
        "events": random_events(rng, 1000, 10**6, disorder=6),
    }


RANDOM = {
    f"{kind}-{seed}": window_case(kind, seed)
    for kind in WINDOWS
    for seed in range(RUNS)
}
EDGES = {
    "on-boundary": {
        "window": T10,
        "delay": 0,
        "events": [["a", 0], ["a", 10000], ["a", 9999]],
    },
    "empty-windows": {
        "window": T10,
        "delay": 0,
        "events": [["a", 1000], ["a", 35000]],
    },
    "ties": {
        "window": {"kind": "session", "gap": 3000},
        "delay": 0,
        "events": [["a", 5000], ["a", 5000], ["b", 5000], ["a", 8000]],
    },
    "watermark-at-end": {  # watermark 9999 fires [0, 10000): 5000 is late
        "window": T10,
        "delay": 0,
        "events": [["a", 1000], ["a", 9999], ["a", 5000]],
    },
}
# HOP: a row late for its first window still counts in the open ones.
EDGES["hop-partly-late"] = {
    "window": {"kind": "hopping", "size": 100, "slide": 50},
    "delay": 0,
    "events": [["a", 0], ["a", 100], ["a", 50], ["a", 120], ["a", 200]],
}


def dedup_case(seed: int) -> dict[str, Any]:
    rng = random.Random(f"flink-dedup-{seed}")
    ids = ["x", "y", "z", "w"]
    events = [
        [rng.choice(ids), rng.randrange(0, 20) * 1000]
        for _ in range(rng.randint(1, 12))
    ]
    return {"order": "proctime", "events": events}


DEDUP = {f"dedup-{seed}": dedup_case(seed) for seed in range(10)}
# Flink keeps every id until state TTL (processing time); streamlab forgets
# an id once event time has moved on by its window.
DEDUP_FOREVER = {"order": "proctime", "events": [["x", 0], ["x", 60000]]}
# ORDER BY the event time: rows behind the watermark are dropped.
DEDUP_ROWTIME = {
    "order": "rowtime",
    "events": [["x", 5], ["x", 3], ["y", 1], ["x", 7], ["x", 2]],
}


def join_case(seed: int) -> dict[str, Any]:
    rng = random.Random(f"flink-join-{seed}")
    lower, upper = rng.choice([(-2000, 1000), (0, 3000), (-1000, -1000)])

    def side() -> list[list[Any]]:
        return [
            [rng.choice(KEYS), rng.randrange(0, 15) * 500]
            for _ in range(rng.randint(0, 8))
        ]

    return {
        "lower": lower,
        "upper": upper,
        "delay": 100000,  # nothing is late: every pair must come out
        "left": side(),
        "right": side(),
    }


JOIN = {f"join-{seed}": join_case(seed) for seed in range(10)}


@pytest.fixture(scope="module")
def flink(engines_python: Path) -> dict[str, Any]:
    """One Flink session for every query of this module."""
    windows = [*RANDOM.values(), *EDGES.values()]
    dedup = [*DEDUP.values(), DEDUP_FOREVER, DEDUP_ROWTIME]
    request = {"windows": windows, "dedup": dedup, "join": [*JOIN.values()]}
    answer = run_engine(engines_python, "flink_sql.py", request)
    names = [*RANDOM, *EDGES]
    dnames = [*DEDUP, "forever", "rowtime"]
    return {
        "demo": answer["demo"],
        "windows": dict(zip(names, answer["windows"], strict=True)),
        "dedup": dict(zip(dnames, answer["dedup"], strict=True)),
        "join": dict(zip(JOIN, answer["join"], strict=True)),
    }


def streamlab_counts(case: dict[str, Any]) -> list[tuple[str, int, int, int]]:
    steps = with_watermarks(case["events"], case["delay"])
    return final_counts(streamlab_firings(steps, case["window"], 0))


def rows(result: list[list[Any]]) -> list[tuple[Any, ...]]:
    return sorted(map(tuple, result))


@pytest.mark.parametrize("name", [*RANDOM, *EDGES])
def test_window_counts_match(flink: dict[str, Any], name: str) -> None:
    case = RANDOM.get(name) or EDGES[name]
    assert rows(flink["windows"][name]) == streamlab_counts(case)


def streamlab_first_seen(events: list[list[Any]], window: int) -> list[Any]:
    dedup = Deduplicator(timedelta(milliseconds=window), epoch_unit="ms")
    return [
        ("+I", i, ts)
        for i, ts in events
        if dedup.offer(i, ts * 1000) is Verdict.NEW
    ]


@pytest.mark.parametrize("name", DEDUP)
def test_dedup_keeps_the_first_arrival(
    flink: dict[str, Any], name: str
) -> None:
    # a window longer than the input: streamlab remembers every id
    expected = streamlab_first_seen(DEDUP[name]["events"], 10**9)
    assert rows(flink["dedup"][name]) == sorted(expected)


def test_dedup_state_does_not_expire_by_event_time(
    flink: dict[str, Any],
) -> None:
    assert rows(flink["dedup"]["forever"]) == [("+I", "x", 0)]
    mine = streamlab_first_seen(DEDUP_FOREVER["events"], 10000)
    assert mine == [("+I", "x", 0), ("+I", "x", 60000)]


def test_rowtime_dedup_drops_rows_behind_the_watermark(
    flink: dict[str, Any],
) -> None:
    assert rows(flink["dedup"]["rowtime"]) == [("+I", "x", 5)]


@pytest.mark.parametrize("name", JOIN)
def test_interval_join_matches(flink: dict[str, Any], name: str) -> None:
    case = JOIN[name]
    join: IntervalJoin[str, None, None] = IntervalJoin(
        case["lower"], case["upper"]
    )
    pairs = [
        p for k, t in case["left"] for p in join.on_left(Record(k, t, None))
    ]
    pairs += [
        p for k, t in case["right"] for p in join.on_right(Record(k, t, None))
    ]
    mine = sorted((p.key, p.left.ts, p.right.ts) for p in pairs)
    assert rows(flink["join"][name]) == mine


def test_random_windows_drop_late_rows(flink: dict[str, Any]) -> None:
    """The random inputs reach the lateness rule: some rows are dropped."""
    dropped = 0
    for name, case in RANDOM.items():
        counted = sum(n for *_, n in flink["windows"][name])
        if case["window"]["kind"] == "tumbling":
            dropped += len(case["events"]) - counted
    assert dropped > 0


def test_demo_prints_what_the_page_shows(flink: dict[str, Any]) -> None:
    source = (SCRIPTS / "flink_sql.py").read_text(encoding="utf-8")
    assert flink["demo"] == expected_output(source)
