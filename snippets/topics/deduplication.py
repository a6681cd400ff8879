"""Duplicates from a crash before the offset commit, and three ways to cope."""

from collections.abc import Callable

from streamlab.dedup import Deduplicator
from streamlab.log import CommitLog, Record

# --8<-- [start:setup]
Payment = tuple[str, int]  # (payment id, cents)
log = CommitLog[Payment]()
for i, payment in enumerate([("p1", 30), ("p2", 20), ("p3", 50), ("p4", 40)]):
    log.append("acct-7", payment, timestamp=i * 1000)


def run(group: str, handle: Callable[[Record[Payment]], None]) -> None:
    """Consume at least once: the consumer crashes once before committing."""
    consumer = log.group(group, reset="earliest")
    for record in consumer.poll(max_records=3):
        handle(record)
    consumer.restart()  # crash: positions lost, nothing committed
    for record in consumer.poll():  # replays p1..p3, then p4
        handle(record)
    consumer.commit()


# --8<-- [end:setup]

# --8<-- [start:naive]
rows: list[Payment] = []
run("append-only", lambda r: rows.append(r.value))
print(len(rows), "rows, total", sum(cents for _, cents in rows))
# > 7 rows, total 240
# --8<-- [end:naive]

# --8<-- [start:state]
seen = Deduplicator()  # survives the crash, as checkpointed state would
kept: list[Payment] = []


def dedup_then_append(record: Record[Payment]) -> None:
    if seen.offer(record.value[0], record.timestamp * 1000).emit:
        kept.append(record.value)


run("dedup", dedup_then_append)
print(len(kept), "rows, duplicates dropped:", seen.stats.duplicates)
# > 4 rows, duplicates dropped: 3
# --8<-- [end:state]

# --8<-- [start:upsert]
table: dict[str, int] = {}  # an idempotent sink: upsert by payment id
run("upsert", lambda r: table.update([r.value]))
print(len(table), "rows, total", sum(table.values()))
# > 4 rows, total 140
# --8<-- [end:upsert]
