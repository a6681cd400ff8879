"""Benchmark three streamlab building blocks against naive baselines.

Each pair gets the same seeded input in the same run, and each row prints
events per second (median of ``--runs`` untraced runs), peak memory (median
of as many runs under ``tracemalloc``, measured apart because tracing slows
code down) and a result, which must be equal within a pair (``agree``).

* Deduplication: ``streamlab.dedup.Deduplicator.offer`` against a set of
  every id ever seen; the stream and both sides come from
  ``scripts/bench_dedup.py`` (20% retries, 10-minute window). The results
  differ by design: the set never forgets, the window does.
* Windowed aggregation: ``streamlab.windows.count_tumbling`` (one pass, a
  counter per window) against buffering every event and then counting each
  window by a scan of the buffer (O(n * w) time, O(n) space).
* Stream-table join: ``streamlab.joins.StreamTableJoin`` with
  ``Policy.AS_OF`` (versions sorted per key, binary search) against a list
  of every version per key in arrival order, scanned in full at each lookup.
  Table updates are 10% of the events and a quarter of them arrive late.

    python scripts/bench_snippets.py --events 1000000
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[1] / "snippets"
if str(SNIPPETS) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(SNIPPETS))

from bench_dedup import dedup_offer, make_stream, measure, naive_offer  # noqa: E402
from streamlab.joins import Policy, Record, StreamTableJoin  # noqa: E402
from streamlab.windows import count_tumbling  # noqa: E402

WINDOW_MS = 5 * 60_000  # tumbling windows of five minutes
GAP_MS = 10.0  # mean gap between events
KEYS = 1_000  # keys of the join: ~100 versions each per million events
TABLE_SHARE = 0.1  # share of join events that are table updates
LATE_SHARE = 0.25  # share of table updates that arrive late
LATE_MS = 60_000  # how late, at most

Arrival = tuple[bool, int, int, int]  # (is table update, key, ts, value)


def timestamps(n: int, seed: int) -> list[int]:
    """Event times in milliseconds, exponential gaps, mostly in order."""
    rng = random.Random(seed)
    now, out = 0, []
    for _ in range(n):
        now += int(rng.expovariate(1.0 / GAP_MS))
        out.append(now + rng.randrange(-1_000, 1_000))  # a little disorder
    return out


def naive_windows(events: list[int]) -> int:
    """Buffer everything, then scan the buffer once per window."""
    buffer = list(events)
    first = min(buffer) // WINDOW_MS * WINDOW_MS
    counts = {}
    for start in range(first, max(buffer) + 1, WINDOW_MS):
        end = start + WINDOW_MS
        counts[start] = sum(1 for ts in buffer if start <= ts < end)
    return checksum_windows({s: c for s, c in counts.items() if c})


def streamlab_windows(events: list[int]) -> int:
    counts = count_tumbling(events, WINDOW_MS)
    return checksum_windows({w.start: c for w, c in counts.items()})


def checksum_windows(counts: dict[int, int]) -> int:
    return hash(tuple(sorted(counts.items()))) & 0xFFFFFFFF


def arrivals(n: int, seed: int) -> list[Arrival]:
    """Stream records and table updates in arrival order."""
    rng = random.Random(seed)
    now, out = 0, []
    for _ in range(n):
        now += int(rng.expovariate(1.0 / GAP_MS))
        key = rng.randrange(KEYS)
        if rng.random() < TABLE_SHARE:
            late = rng.randrange(LATE_MS) if rng.random() < LATE_SHARE else 0
            out.append((True, key, now - late, rng.randrange(1_000)))
        else:
            out.append((False, key, now, 0))
    return out


def naive_join(events: list[Arrival]) -> int:
    """Every version of a key in a list, scanned in full at each lookup."""
    versions: dict[int, list[tuple[int, int]]] = {}
    total = 0
    for is_table, key, ts, value in events:
        if is_table:
            versions.setdefault(key, []).append((ts, value))
            continue
        best_ts: int | None = None
        best = None
        for version_ts, version in versions.get(key, ()):
            # the latest version at or before ts; of equal times, the last
            if version_ts <= ts and (best_ts is None or version_ts >= best_ts):
                best_ts, best = version_ts, version
        total += -1 if best is None else best
    return total


def streamlab_join(events: list[Arrival]) -> int:
    join: StreamTableJoin[int, int, int] = StreamTableJoin(Policy.AS_OF)
    total = 0
    for now, (is_table, key, ts, value) in enumerate(events):
        if is_table:
            join.on_table(Record(key, ts, value), now)
            continue
        for out in join.on_stream(Record(key, ts, 0), now):
            total += -1 if out.right is None else out.right
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark streamlab against naive baselines."
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    stream = make_stream(args.events, 0.2, GAP_MS, args.seed)
    times = timestamps(args.events, args.seed)
    joins = arrivals(args.events, args.seed)
    print(
        f"events={args.events} runs={args.runs} (median) seed={args.seed}"
        f" window_ms={WINDOW_MS} keys={KEYS}"
    )
    pairs: list[tuple[str, list[tuple[str, Callable[[], int]]]]] = [
        (
            "dedup",
            [
                ("naive: set, never expires", lambda: naive_offer(stream)),
                ("streamlab Deduplicator.offer", lambda: dedup_offer(stream)),
            ],
        ),
        (
            "window",
            [
                (
                    "naive: buffer, scan per window",
                    lambda: naive_windows(times),
                ),
                ("streamlab count_tumbling", lambda: streamlab_windows(times)),
            ],
        ),
        (
            "join",
            [
                ("naive: scan every version", lambda: naive_join(joins)),
                (
                    "streamlab StreamTableJoin AS_OF",
                    lambda: streamlab_join(joins),
                ),
            ],
        ),
    ]
    print(
        f"{'bench':<7}{'implementation':<33}{'events/s':>12}"
        f"{'peak MiB':>10}  {'vs naive':>8}  result"
    )
    for bench, rows in pairs:
        results, base_rate = [], 0.0
        for name, run in rows:
            seconds, peak, result = measure(run, args.runs)
            rate = args.events / seconds if seconds > 0 else float("inf")
            base_rate = base_rate or rate
            results.append(result)
            print(
                f"{bench:<7}{name:<33}{rate:>12,.0f}{peak:>10.1f}"
                f"  {rate / base_rate:>7.2f}x  {result}"
            )
        if bench != "dedup":  # dedup differs by design (see above)
            agree = "yes" if len(set(results)) == 1 else "NO"
            print(f"{bench:<7}agree: {agree}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
