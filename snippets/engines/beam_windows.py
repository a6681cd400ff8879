"""Windowed counts in Apache Beam, fed by a TestStream with explicit
watermarks, on the BundleBasedDirectRunner.

Run as a script it prints the demo shown on the pages. With ``--cases`` it
reads a JSON list of cases on stdin and writes one JSON list of firings per
case on stdout (tests/engines compares them with streamlab).

A case: ``{"window": {"kind": "tumbling", "size": 10}, "lateness": 0,
"steps": [["e", "a", 3], ["w", 9], ...]}``, where ``["e", key, ts]`` is an
event and ``["w", t]`` moves the watermark to ``t``. Times are integer
milliseconds. A firing: ``[key, start, end, count, index]``, ``index`` being
the pane index (0 for the first firing of a window).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
from typing import Any

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    PipelineOptions,
    StandardOptions,
)
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Duration, Timestamp

Firing = tuple[str, int, int, int, int]


def ms(t: int) -> Timestamp:
    """A Beam timestamp (microsecond resolution) from milliseconds."""
    return Timestamp(micros=t * 1000)


def millis(d: int) -> Duration:
    return Duration(micros=d * 1000)


def window_fn(spec: dict[str, Any]) -> window.WindowFn:
    """Beam's WindowFn for a window spec of the JSON cases."""
    if spec["kind"] == "tumbling":
        return window.FixedWindows(millis(spec["size"]))
    if spec["kind"] == "hopping":
        return window.SlidingWindows(
            millis(spec["size"]), millis(spec["slide"])
        )
    return window.Sessions(millis(spec["gap"]))


FIRINGS: list[Firing] = []  # the direct runner runs in this process


class Collect(beam.DoFn):  # type: ignore[misc]
    """Records each firing with its window and pane index."""

    def process(
        self,
        kv: tuple[str, int],
        win: Any = beam.DoFn.WindowParam,
        pane: Any = beam.DoFn.PaneInfoParam,
    ) -> list[None]:
        start, end = win.start.micros // 1000, win.end.micros // 1000
        FIRINGS.append((kv[0], start, end, kv[1], pane.index))
        return []


# --8<-- [start:pipeline]
def windowed_counts(
    steps: list[list[Any]], fn: window.WindowFn, lateness: int
) -> list[Firing]:
    """Count events per key and window; every firing, in firing order."""
    stream, watermark = TestStream(), None
    for step in steps:
        if step[0] == "e":  # an event: (key, 1) at event time step[2]
            _, key, ts = step
            stream.add_elements([window.TimestampedValue((key, 1), ms(ts))])
        elif watermark is None or step[1] > watermark:  # it must advance
            watermark = step[1]
            stream.advance_watermark_to(ms(watermark))
    stream.advance_watermark_to_infinity()
    FIRINGS.clear()
    options = PipelineOptions(runner="BundleBasedDirectRunner")
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        _ = (
            p
            | stream
            | beam.WindowInto(
                fn,
                # one on-time firing, then one firing per late element
                trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
                accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                allowed_lateness=millis(lateness),
            )
            | beam.CombinePerKey(sum)
            | beam.ParDo(Collect())
        )
    return list(FIRINGS)


# --8<-- [end:pipeline]


def run_case(case: dict[str, Any]) -> list[Firing] | dict[str, str]:
    """The firings of one case, or the runner's error."""
    try:
        fn = window_fn(case["window"])
        return windowed_counts(case["steps"], fn, case["lateness"])
    except Exception as err:  # e.g. the runner's stall detector (TypeError)
        return {"error": f"{type(err).__name__}: {err}"}


def run_cases(cases: list[dict[str, Any]]) -> list[Any]:
    return [run_case(c) for c in cases]


def demo() -> None:
    # --8<-- [start:demo]
    steps = [
        ["e", "a", 1000],
        ["e", "a", 9999],
        ["w", 10000],  # Beam: all data before 10000 is here
        ["e", "a", 4000],  # late, within the allowed lateness
        ["w", 16000],
        ["e", "a", 5000],  # beyond it: dropped without a trace
    ]
    fixed = window.FixedWindows(millis(10000))
    for firing in windowed_counts(steps, fixed, lateness=5000):
        print(firing)  # (key, start, end, count, pane index)
    # > ('a', 0, 10000, 2, 0)
    # > ('a', 0, 10000, 3, 1)
    # --8<-- [end:demo]


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    if "--cases" in sys.argv:
        cases = json.load(sys.stdin)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            demo()
        answer = {"demo": shown.getvalue(), "results": run_cases(cases)}
        json.dump(answer, sys.stdout)
    else:
        demo()
