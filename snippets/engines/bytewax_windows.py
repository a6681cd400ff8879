"""Windowed counts in bytewax, with its event clock.

Run as a script it prints the demo shown on the pages. With ``--cases`` it
reads a JSON list of cases on stdin and writes one answer per case on
stdout: ``{"counts": [[key, start, end, count], ...], "late": [[key, ts],
...]}``. A case: ``{"window": {"kind": "tumbling", "size": 10} or
{"kind": "hopping", "size": 10, "slide": 5}, "wait": ms, "events": [[key,
ts], ...]}`` with events in arrival order. Times are integer milliseconds.

The clock's system time is frozen (``now_getter``), so the watermark is
the highest timestamp seen minus ``wait``, exactly, and runs repeat.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.operators import windowing as win
from bytewax.testing import TestingSink, TestingSource, run_main

ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)  # time 0


def at(ms: int) -> datetime:
    return ORIGIN + timedelta(milliseconds=ms)


# --8<-- [start:flow]
def windowed_counts(
    events: list[tuple[str, int]], windower: win.Windower[Any], wait: int
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int]]]:
    """Counts per key and window id, and the events dropped as late."""
    flow = Dataflow("counts")
    up = op.input("in", flow, TestingSource(events))
    clock = win.EventClock(
        ts_getter=lambda e: at(e[1]),
        wait_for_system_duration=timedelta(milliseconds=wait),
        now_getter=lambda: ORIGIN,  # frozen: no wall clock in the watermark
    )
    out = win.count_window("count", up, clock, windower, key=lambda e: e[0])
    counts: list[tuple[str, tuple[int, int]]] = []
    late: list[tuple[str, tuple[int, tuple[str, int]]]] = []
    op.output("counts", out.down, TestingSink(counts))
    op.output("late", out.late, TestingSink(late))
    run_main(flow)
    return (
        [(key, window_id, n) for key, (window_id, n) in counts],
        [(key, event[1]) for key, (_, event) in late],
    )


# --8<-- [end:flow]


def windower(spec: dict[str, Any]) -> win.Windower[Any]:
    size = timedelta(milliseconds=spec["size"])
    if spec["kind"] == "tumbling":
        return win.TumblingWindower(length=size, align_to=ORIGIN)
    slide = timedelta(milliseconds=spec["slide"])
    return win.SlidingWindower(length=size, offset=slide, align_to=ORIGIN)


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    spec = case["window"]
    slide = spec.get("slide", spec["size"])
    counts, late = windowed_counts(
        [tuple(e) for e in case["events"]], windower(spec), case["wait"]
    )
    rows = [  # window id i is [i * slide, i * slide + size)
        [k, i * slide, i * slide + spec["size"], n] for k, i, n in counts
    ]
    return {"counts": rows, "late": [list(e) for e in late]}


def demo() -> None:
    # --8<-- [start:demo]
    events = [
        ("ann", 1000),
        ("ann", 8000),  # watermark 8000 - 2000 = 6000
        ("ann", 5000),  # behind the watermark: late, though [0, 10000) is open
        ("ann", 7000),  # not behind it: counted
    ]
    tumbling = win.TumblingWindower(timedelta(seconds=10), align_to=ORIGIN)
    counts, late = windowed_counts(events, tumbling, wait=2000)
    print("counts", counts)  # (key, window id, count)
    # > counts [('ann', 0, 3)]
    print("late", late)
    # > late [('ann', 5000)]
    # --8<-- [end:demo]


if __name__ == "__main__":
    if "--cases" in sys.argv:
        cases = json.load(sys.stdin)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            demo()
        results = [run_case(c) for c in cases]
        json.dump({"demo": shown.getvalue(), "results": results}, sys.stdout)
    else:
        demo()
