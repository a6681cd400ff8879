"""Benchmark streamlab.dedup against the naive answer, in the same run.

The naive baseline is the first thing most people write: a ``set`` of every
id ever seen. It is fast and never lets a duplicate through, but it never
forgets, so its memory grows with the length of the stream instead of the
length of the window. Both sides get the same seeded stream of events:
ids are random 64-bit hex strings, a share of events (``--dup-rate``) are
retries that repeat one of the last 1,000 distinct events with its original
timestamp, and event time advances by an exponential gap between new events
(``--gap-ms`` on average). Ids are built as fresh strings inside the timed
loop, as a JSON decoder would, so retained ids count towards memory.

Four rows: the raw check (``offer`` / ``set``) and the full path from a JSON
line (``process_json`` / ``json.loads`` plus the set). Events per second is
the median of ``--runs`` untraced runs; peak memory is the median of as many
runs under ``tracemalloc`` (it slows code down, so it is measured apart).

    python scripts/bench_dedup.py --events 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[1] / "snippets"
if str(SNIPPETS) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(SNIPPETS))

from streamlab.dedup import Deduplicator  # noqa: E402

WINDOW = timedelta(minutes=10)
RECENT = 1_000  # retries repeat one of the last RECENT distinct events
START_US = 1_795_773_600_000_000  # 2026-11-27T10:00:00Z

Stream = list[tuple[int, int]]  # (id number, event time in microseconds)


def make_stream(n: int, dup_rate: float, gap_ms: float, seed: int) -> Stream:
    """Seeded events: new ids advance time, retries repeat recent ones."""
    rng = random.Random(seed)
    stream: Stream = []
    recent: list[tuple[int, int]] = []
    now = START_US
    for _ in range(n):
        if recent and rng.random() < dup_rate:
            stream.append(recent[rng.randrange(len(recent))])
            continue
        now += int(rng.expovariate(1.0 / (gap_ms * 1_000)))
        event = (rng.getrandbits(64), now)
        stream.append(event)
        recent.append(event)
        if len(recent) > RECENT:
            recent.pop(0)
    return stream


def as_json(stream: Stream) -> list[str]:
    """The same events as JSON lines with epoch-second timestamps."""
    return [
        json.dumps({"event_id": f"{i:016x}", "timestamp": t / 1e6})
        for i, t in stream
    ]


def naive_offer(stream: Stream) -> int:
    seen: set[str] = set()
    for number, _ in stream:
        key = f"{number:016x}"
        if key not in seen:
            seen.add(key)
    return len(seen)


def dedup_offer(stream: Stream) -> int:
    dedup = Deduplicator(WINDOW)
    for number, ts in stream:
        dedup.offer(f"{number:016x}", ts)
    return len(dedup)


def naive_json(lines: list[str]) -> int:
    seen: set[str] = set()
    for line in lines:
        key = json.loads(line)["event_id"]
        if key not in seen:
            seen.add(key)
    return len(seen)


def dedup_json(lines: list[str]) -> int:
    dedup = Deduplicator(WINDOW)
    for line in lines:
        dedup.process_json(line)
    return len(dedup)


def measure(run: Callable[[], int], runs: int) -> tuple[float, float, int]:
    """Median seconds, median peak MiB and the ids held after a run."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        held = run()
        seconds.append(time.perf_counter() - start)
    peaks = []
    for _ in range(runs):
        tracemalloc.start()
        run()
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return statistics.median(seconds), statistics.median(peaks), held


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark streamlab.dedup against a never-expiring set."
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dup-rate", type=float, default=0.2)
    parser.add_argument("--gap-ms", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    stream = make_stream(args.events, args.dup_rate, args.gap_ms, args.seed)
    lines = as_json(stream)
    print(
        f"events={args.events} dup_rate={args.dup_rate} "
        f"gap_ms={args.gap_ms} window_s={WINDOW.total_seconds():.0f} "
        f"runs={args.runs} (median)"
    )
    rows: list[tuple[str, Callable[[], int]]] = [
        ("naive set, never expires", lambda: naive_offer(stream)),
        ("Deduplicator.offer", lambda: dedup_offer(stream)),
        ("naive set + json.loads", lambda: naive_json(lines)),
        ("Deduplicator.process_json", lambda: dedup_json(lines)),
    ]
    for name, run in rows:
        seconds, peak, held = measure(run, args.runs)
        rate = args.events / seconds if seconds > 0 else float("inf")
        print(
            f"{name:<27} {rate:>12,.0f} events/s  "
            f"peak {peak:>8.1f} MiB  ids held {held}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
