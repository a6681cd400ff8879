"""The seed scenario's week of telemetry, shared by the labs.

Not a lab itself: it needs no server. The labs find their servers through
``LAB_RABBITMQ_URL``, ``LAB_REDIS_URL`` and ``LAB_NATS_URL``, which
``make labs`` (scripts/brokers.py) sets after starting them on 127.0.0.1.
"""

import os
from collections import defaultdict
from collections.abc import Callable, Iterable

HOUR = 3_600_000  # milliseconds
DAY = 24 * HOUR
WEEK_START = 1_794_787_200_000  # 2026-11-16 00:00 UTC, in ms since 1970
WEEK_END = WEEK_START + 7 * DAY
DEVICES = ["fan-1", "pump-1", "pump-2"]

# (device, event time in ms, tenths of a degree C): every device reports
# every 12 hours for a week. The same data as the simulation on the page.
TELEMETRY = [
    (
        device,
        WEEK_START + day * DAY + half * 12 * HOUR,
        200 + 40 * i + 3 * day + half,
    )
    for day in range(7)
    for half in range(2)
    for i, device in enumerate(DEVICES)
]


def mean_celsius_v1(tenths: list[int]) -> float:
    return round(sum(tenths) / len(tenths) / 100, 1)  # bug: 100, not 10


def mean_celsius_v2(tenths: list[int]) -> float:
    return round(sum(tenths) / len(tenths) / 10, 1)


def features(
    events: Iterable[tuple[str, int]], mean: Callable[[list[int]], float]
) -> dict[str, float]:
    by_device: defaultdict[str, list[int]] = defaultdict(list)
    for device, tenths in events:
        by_device[device].append(tenths)
    return {device: mean(by_device[device]) for device in sorted(by_device)}


def server_url(name: str) -> str:
    """The URL of a lab server, from ``LAB_<NAME>_URL``; exit if unset."""
    variable = f"LAB_{name.upper()}_URL"
    url = os.environ.get(variable)
    if not url:
        raise SystemExit(
            f"{variable} is not set: run the labs with `make labs`, which"
            " starts the servers on 127.0.0.1 and sets it"
        )
    return url
