"""Kappa reprocessing: replay the retained log into a new job version.

Job v1 counts page views and has a bug (it counts bots). The fix, v2, runs
as a new consumer group that starts from the earliest retained offset,
builds its own table next to v1's, and takes over once it has caught up.
Replay can only reach what the log still retains.
"""

from collections.abc import Callable

from streamlab.log import DAY_MS, CommitLog, Record

Job = Callable[[list[Record[bool]]], dict[str, int]]

# --8<-- [start:log]
views = [  # (day, page, from a bot?)
    (0, "home", False),
    (0, "home", True),
    (1, "pricing", False),
    (2, "home", False),
    (3, "pricing", True),
    (3, "home", False),
]


def fill(log: CommitLog[bool]) -> None:
    for day, page, bot in views:
        log.append(page, bot, timestamp=day * DAY_MS)


# --8<-- [end:log]


# --8<-- [start:jobs]
def job_v1(records: list[Record[bool]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        page = str(r.key)
        counts[page] = counts.get(page, 0) + 1  # bug: bots count too
    return dict(sorted(counts.items()))


def job_v2(records: list[Record[bool]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        if not r.value:  # the fix: skip bot traffic
            page = str(r.key)
            counts[page] = counts.get(page, 0) + 1
    return dict(sorted(counts.items()))


# --8<-- [end:jobs]


# --8<-- [start:replay]
def replay(log: CommitLog[bool], group: str, job: Job) -> dict[str, int]:
    """Run a job version as its own consumer group, from the earliest offset."""
    consumer = log.group(group, reset="earliest")
    records = consumer.poll()
    consumer.commit()
    caught_up = all(
        consumer.position(p) == log.end_offset(p) for p in range(log.partitions)
    )
    assert caught_up  # only now may the serving layer switch tables
    return job(records)


log: CommitLog[bool] = CommitLog(partitions=2, retention_ms=None)  # keep all
fill(log)
tables = {
    "page_views_v1": replay(log, "page-views-v1", job_v1),
    "page_views_v2": replay(log, "page-views-v2", job_v2),
}
live = "page_views_v2"  # the switch: point readers at the new table
for name, table in tables.items():
    print(name, table)
print("serving:", live)
# > page_views_v1 {'home': 4, 'pricing': 2}
# > page_views_v2 {'home': 3, 'pricing': 1}
# > serving: page_views_v2
# --8<-- [end:replay]

# --8<-- [start:retention]
short: CommitLog[bool] = CommitLog(partitions=2, retention_ms=2 * DAY_MS)
fill(short)
deleted = short.enforce_retention(now=3 * DAY_MS)  # day 0 is past retention
print("deleted:", deleted)
print("v2 from what is left:", replay(short, "page-views-v2", job_v2))
# > deleted: 2
# > v2 from what is left: {'home': 2, 'pricing': 1}
# --8<-- [end:retention]
