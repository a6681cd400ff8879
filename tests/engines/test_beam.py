"""Apache Beam (TestStream, BundleBasedDirectRunner) against streamlab.

Beam and streamlab (which follows Flink) disagree on two things only, each
pinned below and translated in the random comparisons:

* Watermark: Beam's watermark ``W`` says all data *before* ``W`` is in;
  Flink's ``w`` says no event ``<= w`` is still to come. Beam at ``w + 1``
  fires exactly what streamlab fires at ``w``.
* Lateness: with that shift, Beam keeps a window's state one millisecond
  longer: Beam with allowed lateness ``L`` accepts what streamlab accepts
  with ``L + 1`` (Beam drops when ``W > end + L``).
* Sessions: Beam merges overlapping sessions only; streamlab and Flink also
  merge sessions that touch (events exactly ``gap`` apart).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from engine_cases import (
    RUNS,
    Firing,
    Steps,
    no_touching,
    random_steps,
    streamlab_firings,
)
from engine_runner import SCRIPTS, run_engine
from snippet_output import expected_output

pytestmark = pytest.mark.engine

WINDOWS = {
    "tumbling": {"kind": "tumbling", "size": 10000},
    "hopping": {"kind": "hopping", "size": 10000, "slide": 5000},
    "session": {"kind": "session", "gap": 3000},
}


def random_case(kind: str, seed: int) -> dict[str, Any]:
    rng = random.Random(f"beam-{kind}-{seed}")
    grid = 700 if kind == "session" else 1000  # 700: gaps never touch
    steps = random_steps(rng, grid)
    if kind == "session":  # no touching, no event behind the watermark
        assert no_touching(steps, WINDOWS["session"]["gap"])
        steps = [
            s
            for i, s in enumerate(steps)
            if s[0] == "e" or all(s[1] < t[2] for t in steps[i:] if t[0] == "e")
        ]
    lateness = rng.choice([0, 1000, 3000, 5000])
    return {"window": WINDOWS[kind], "lateness": lateness, "steps": steps}


def to_beam(steps: Steps) -> Steps:
    """Beam's watermark ``w + 1`` is streamlab's ``w``."""
    return [["w", s[1] + 1] if s[0] == "w" else s for s in steps]


RANDOM = {
    f"{kind}-{seed}": random_case(kind, seed)
    for kind in WINDOWS
    for seed in range(RUNS)
}

T = WINDOWS["tumbling"]
EDGES: dict[str, dict[str, Any]] = {
    # an event exactly on a boundary belongs to the later window
    "on-boundary": {
        "window": T,
        "lateness": 0,
        "steps": [["e", "a", 0], ["e", "a", 10000], ["e", "a", 9999]],
    },
    # windows without events are never fired, in both
    "empty-windows": {
        "window": T,
        "lateness": 0,
        "steps": [["e", "a", 1000], ["w", 25000], ["e", "a", 35000]],
    },
    # equal timestamps, and watermarks that do not advance
    "ties": {
        "window": WINDOWS["hopping"],
        "lateness": 1000,
        "steps": [
            ["e", "a", 5000],
            ["e", "a", 5000],
            ["w", 9999],
            ["w", 9999],
            ["e", "b", 5000],
            ["e", "a", 5000],
            ["w", 4000],
        ],
    },
    # the watermark reaches a window's last millisecond, then a late event
    "watermark-at-end": {
        "window": T,
        "lateness": 0,
        "steps": [["e", "a", 1000], ["w", 9999], ["e", "a", 2000]],
    },
    # late events within the allowed lateness update the window; beyond, not
    "lateness-boundary": {
        "window": T,
        "lateness": 2000,
        "steps": [
            ["e", "a", 1000],
            ["w", 11000],
            ["e", "a", 2000],
            ["w", 11998],
            ["e", "a", 3000],
            ["w", 11999],
            ["e", "a", 4000],
        ],
    },
}

# Pinned raw behaviour (no translation): what Beam itself does.
RAW: dict[str, dict[str, Any]] = {
    "fires-at-W-equal-end": {
        "window": T,
        "lateness": 0,
        "steps": [["e", "a", 1000], ["w", 10000], ["e", "a", 2000]],
    },
    "not-at-W-equal-end-minus-1": {
        "window": T,
        "lateness": 0,
        "steps": [["e", "a", 1000], ["w", 9999], ["e", "a", 2000]],
    },
    "accepts-at-W-equal-end-plus-lateness": {
        "window": T,
        "lateness": 1000,
        "steps": [["e", "a", 1000], ["w", 11000], ["e", "a", 2000]],
    },
    "drops-after-end-plus-lateness": {
        "window": T,
        "lateness": 1000,
        "steps": [["e", "a", 1000], ["w", 11001], ["e", "a", 2000]],
    },
    "touching-sessions-stay-apart": {
        "window": WINDOWS["session"],
        "lateness": 0,
        "steps": [["e", "a", 1000], ["e", "a", 4000]],
    },
    # a late event bridges two fired sessions, one past its lateness
    "session-bridge-revives-expired": {
        "window": WINDOWS["session"],
        "lateness": 5000,
        "steps": [
            ["e", "a", 1000],
            ["e", "a", 5500],
            ["w", 9001],
            ["e", "a", 3200],
        ],
    },
    # a late event merges into a fired session: the direct runner detects
    # a stall and fails (streamlab updates the session)
    "session-late-merge-stalls": {
        "window": WINDOWS["session"],
        "lateness": 10**6,
        "steps": [["e", "c", 4200], ["w", 8401], ["e", "c", 7000]],
    },
}
RAW_SEEN: dict[str, Any] = {  # (key, start, end, count, index > 0)
    "fires-at-W-equal-end": [
        ("a", 0, 10000, 1, False),
        ("a", 0, 10000, 2, True),
    ],
    "not-at-W-equal-end-minus-1": [("a", 0, 10000, 2, False)],
    "accepts-at-W-equal-end-plus-lateness": [
        ("a", 0, 10000, 1, False),
        ("a", 0, 10000, 2, True),
    ],
    "drops-after-end-plus-lateness": [("a", 0, 10000, 1, False)],
    "touching-sessions-stay-apart": [
        ("a", 1000, 4000, 1, False),
        ("a", 4000, 7000, 1, False),
    ],
    "session-bridge-revives-expired": [  # a new window, with pane index 0
        ("a", 1000, 4000, 1, False),
        ("a", 1000, 8500, 3, False),
        ("a", 5500, 8500, 1, False),
    ],
    "session-late-merge-stalls": "error",
}


@pytest.fixture(scope="module")
def beam(engines_python: Path) -> dict[str, Any]:
    """One Beam process for all cases: the demo's output and every run."""
    names = [*RANDOM, *EDGES, *RAW]
    cases = [
        {**c, "steps": to_beam(c["steps"])} for c in [*RANDOM.values()]
    ] + [{**c, "steps": to_beam(c["steps"])} for c in EDGES.values()]
    cases += list(RAW.values())
    answer = run_engine(engines_python, "beam_windows.py", cases)
    firings = {
        name: "error"
        if "error" in result
        else sorted((k, s, e, n, index > 0) for k, s, e, n, index in result)
        for name, result in zip(names, answer["results"], strict=True)
    }
    return {"demo": answer["demo"], "firings": firings}


def compare(beam_firings: list[Firing], case: dict[str, Any]) -> None:
    # Beam's allowed lateness L keeps what streamlab's L + 1 keeps
    mine = streamlab_firings(
        case["steps"], case["window"], case["lateness"] + 1
    )
    assert beam_firings == mine


@pytest.mark.parametrize("name", RANDOM)
def test_random_windows_match(beam: dict[str, Any], name: str) -> None:
    compare(beam["firings"][name], RANDOM[name])


@pytest.mark.parametrize("name", EDGES)
def test_edge_cases_match(beam: dict[str, Any], name: str) -> None:
    compare(beam["firings"][name], EDGES[name])


@pytest.mark.parametrize("name", RAW)
def test_raw_beam_behaviour_is_pinned(beam: dict[str, Any], name: str) -> None:
    assert beam["firings"][name] == RAW_SEEN[name]


def test_touching_sessions_merge_in_streamlab_only(
    beam: dict[str, Any],
) -> None:
    case = RAW["touching-sessions-stay-apart"]
    mine = streamlab_firings(case["steps"], case["window"], 0)
    assert mine == [("a", 1000, 7000, 2, False)]
    assert len(beam["firings"]["touching-sessions-stay-apart"]) == 2


def test_random_cases_exercise_late_updates(beam: dict[str, Any]) -> None:
    """The random inputs reach the rules under test: late firings happen."""
    updates = sum(f[4] for n in RANDOM for f in beam["firings"][n])
    assert updates >= 1


def test_demo_prints_what_the_page_shows(beam: dict[str, Any]) -> None:
    source = (SCRIPTS / "beam_windows.py").read_text(encoding="utf-8")
    assert beam["demo"] == expected_output(source)
