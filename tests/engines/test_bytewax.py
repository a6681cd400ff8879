"""bytewax windowed counts against streamlab, tumbling and hopping windows.

bytewax judges lateness per event: an event behind the watermark is late
even when its window is still open. Beam, Flink and streamlab judge it per
window. So bytewax equals streamlab fed only the events that are not behind
the watermark when they arrive, and its late output is the others, each
once per window it falls in (twice for hopping windows twice as long as
their slide). The watermark is ``max(ts) - wait`` in bytewax, streamlab's
``BoundedOutOfOrderness(wait)`` plus one, and it is kept per key.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from engine_cases import (
    RUNS,
    bounded_steps,
    final_counts,
    random_events,
    spec_of,
    streamlab_firings,
)
from engine_runner import SCRIPTS, run_engine
from snippet_output import expected_output
from streamlab.watermarks import BoundedOutOfOrderness

pytestmark = pytest.mark.engine

WINDOWS = {
    "tumbling": {"kind": "tumbling", "size": 4000},
    "hopping": {"kind": "hopping", "size": 4000, "slide": 2000},
}


def case(kind: str, seed: int) -> dict[str, Any]:
    rng = random.Random(f"bytewax-{kind}-{seed}")
    return {
        "window": WINDOWS[kind],
        "wait": rng.choice([0, 1000, 2000]),
        "events": random_events(rng, 1000, 10**6, disorder=6),
    }


CASES = {f"{k}-{seed}": case(k, seed) for k in WINDOWS for seed in range(RUNS)}


def behind_watermark(events: list[Any], wait: int) -> list[int]:
    """Positions of the events with ``ts <= w`` on arrival: bytewax's late
    events (by position: the same key and time may arrive twice, once in
    time and once late).

    The clock of a keyed window operator is per key in bytewax: ``w`` is
    the watermark of the event's own key.
    """
    gens: dict[str, BoundedOutOfOrderness] = {}
    late = []
    for i, (key, ts) in enumerate(events):
        gen = gens.setdefault(key, BoundedOutOfOrderness(wait))
        if ts <= gen.current:
            late.append(i)
        gen.on_event(ts)
    return late


@pytest.fixture(scope="module")
def bytewax(engines_python: Path) -> dict[str, Any]:
    answer = run_engine(engines_python, "bytewax_windows.py", [*CASES.values()])
    results = dict(zip(CASES, answer["results"], strict=True))
    return {"demo": answer["demo"], "results": results}


def per_key_counts(events: list[Any], c: dict[str, Any]) -> list[Any]:
    """streamlab run once per key, each key with its own watermark."""
    out = []
    for key in sorted({e[0] for e in events}):
        mine = [e for e in events if e[0] == key]
        steps = bounded_steps(mine, c["wait"])
        out += final_counts(streamlab_firings(steps, c["window"], 0))
    return sorted(out)


@pytest.mark.parametrize("name", CASES)
def test_counts_match_without_events_behind_the_watermark(
    bytewax: dict[str, Any], name: str
) -> None:
    c = CASES[name]
    positions = set(behind_watermark(c["events"], c["wait"]))
    events = [tuple(e) for e in c["events"]]
    late = [e for i, e in enumerate(events) if i in positions]
    kept = [e for i, e in enumerate(events) if i not in positions]
    mine = per_key_counts(kept, c)
    got = bytewax["results"][name]
    assert sorted(map(tuple, got["counts"])) == mine
    # A late event comes out once per window it falls in (twice for these
    # hopping windows, size = 2 x slide), not once per event.
    windows = spec_of(c["window"])
    expected = [e for e in late for _ in windows.assign(e[1])]
    assert sorted(map(tuple, got["late"])) == sorted(expected)


def test_the_per_event_rule_matters(bytewax: dict[str, Any]) -> None:
    """streamlab on all events differs from bytewax in some random cases."""
    differ = 0
    for name, c in CASES.items():
        mine = per_key_counts([tuple(e) for e in c["events"]], c)
        got = sorted(map(tuple, bytewax["results"][name]["counts"]))
        differ += got != mine
    assert differ > 0


def test_demo_prints_what_the_page_shows(bytewax: dict[str, Any]) -> None:
    source = (SCRIPTS / "bytewax_windows.py").read_text(encoding="utf-8")
    assert bytewax["demo"] == expected_output(source)
