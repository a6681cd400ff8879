"""Fault injection: redelivery after a crash, caught by an oracle test."""

import random
from collections import Counter

from streamlab.testing import WindowTestDriver
from streamlab.windows import TumblingWindows, Window, summing, tumbling

S = 1_000
Event = tuple[str, str, int, int]  # (event id, key, event time, value)


# --8<-- [start:faults]
def deliveries(events: list[Event], rng: random.Random) -> list[Event]:
    """At-least-once input: a crash replays from the last commit."""
    out, committed = [], 0
    for i in range(len(events)):
        out.append(events[i])
        if rng.random() < 0.05:  # crash before the next commit
            out.extend(events[committed : i + 1])  # redelivered
        if i % 10 == 9:
            committed = i + 1  # commit every 10 records
    return out


def run(stream: list[Event], dedup: bool) -> dict[tuple[str, Window], int]:
    d = WindowTestDriver[str, int, int](
        TumblingWindows(10 * S), summing(), bound=0, watermark_interval=None
    )
    seen: set[str] = set()  # would live in checkpointed state
    for event_id, key, ts, value in stream:
        if dedup and event_id in seen:
            continue
        seen.add(event_id)
        d.pipe(key, ts, value)
    d.close()
    return d.final_windows()


events = [(f"e{i}", "k", i * 500, 1) for i in range(100)]  # ordered input
oracle = Counter((k, tumbling(ts, 10 * S)) for _, k, ts, _ in events)
for dedup in (False, True):
    bad = sum(
        run(deliveries(events, random.Random(seed)), dedup) != oracle
        for seed in range(100)
    )
    print(f"dedup={dedup}: {bad}/100 seeded crash runs disagree with oracle")
# > dedup=False: 99/100 seeded crash runs disagree with oracle
# > dedup=True: 0/100 seeded crash runs disagree with oracle
# --8<-- [end:faults]
