"""A week of telemetry, a feature bug, a backfill: commit log versus queue."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from streamlab.log import CommitLog
from streamlab.queue import MessageQueue, UnknownDeliveryError

# --8<-- [start:ingest]
HOUR = 3_600_000  # milliseconds
DAY = 24 * HOUR
DEVICES = ["fan-1", "pump-1", "pump-2"]

# Every device reports every 12 hours for a week, in tenths of a degree C.
telemetry = [
    (device, day * DAY + half * 12 * HOUR, 200 + 40 * i + 3 * day + half)
    for day in range(7)
    for half in range(2)
    for i, device in enumerate(DEVICES)
]

# Kafka's defaults: retention.ms = 7 days, no size limit.
log = CommitLog[tuple[str, int]](partitions=3)
queue = MessageQueue[tuple[str, int]]()
for device, timestamp, tenths in telemetry:
    log.append(device, (device, tenths), timestamp)  # key: device
    queue.publish((device, tenths), now=timestamp)

print("events per partition:", [log.end_offset(p) for p in range(3)])
# > events per partition: [14, 14, 14]
# --8<-- [end:ingest]


# --8<-- [start:features]
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


# --8<-- [end:features]

# --8<-- [start:live]
# The online feature job reads both transports as the week goes by.
WEEK = 7 * DAY
online = log.group("features-v1", reset="earliest")
records = online.poll()
online.commit()  # offsets: "features-v1 has read up to here"
print(features((r.value for r in records), mean_celsius_v1))
# > {'fan-1': 2.1, 'pump-1': 2.5, 'pump-2': 2.9}

deliveries = queue.receive("features-v1", now=WEEK, max_messages=100)
for delivery in deliveries:
    queue.ack(delivery, now=WEEK)  # the broker deletes the message
print(features((d.message.body for d in deliveries), mean_celsius_v1))
# > {'fan-1': 2.1, 'pump-1': 2.5, 'pump-2': 2.9}
# --8<-- [end:live]

# --8<-- [start:replay]
# End of the week: the bug is found and fixed. Recompute from the log with
# a new group, starting from the offsets for "one week ago".
backfill = log.group("features-v2", reset="earliest")
print(backfill.seek_to_time(WEEK - 7 * DAY))
# > {0: 0, 1: 0, 2: 0}
replayed = backfill.poll()
print(len(replayed), "events replayed")
# > 42 events replayed
print(features((r.value for r in replayed), mean_celsius_v2))
# > {'fan-1': 20.9, 'pump-1': 24.9, 'pump-2': 28.9}
print("features-v1 still at", online.committed(0), "- untouched")
# > features-v1 still at 14 - untouched
# --8<-- [end:replay]

# --8<-- [start:queue_gone]
# The queue has nothing left to replay: every message was acked and deleted.
print(queue.receive("features-v2", now=WEEK, max_messages=100))
# > []
print("ready:", queue.ready, "unacked:", queue.unacked)
# > ready: 0 unacked: 0
# --8<-- [end:queue_gone]

# --8<-- [start:latest]
# A new group with Kafka's default auto.offset.reset=latest starts at the end.
print(len(log.group("features-v2-oops").poll()), "events")
# > 0 events
# --8<-- [end:latest]

# --8<-- [start:retention]
# Found two days later instead? Retention (7 days) has deleted two days.
log.enforce_retention(now=9 * DAY)
print("log start offsets:", [log.start_offset(p) for p in range(3)])
# > log start offsets: [4, 4, 4]
late = log.group("features-v3", reset="earliest")
print(len(late.poll()), "of", len(telemetry), "events left to replay")
# > 30 of 42 events left to replay
# --8<-- [end:retention]

# --8<-- [start:crash]
# Log: a consumer that crashes before committing re-reads (at least once).
exporter = log.group("training-export", reset="earliest")
exporter.poll(max_records=2)
exporter.commit()
before = exporter.poll(max_records=2)
exporter.restart()  # crash: positions lost, commits kept
after = exporter.poll(max_records=2)
print([r.offset for r in before], [r.offset for r in after])
# > [6, 7] [6, 7]

# Queue: an unacked job comes back after the visibility timeout, elsewhere.
jobs = MessageQueue[str](visibility_timeout=30_000)
jobs.publish("score request 17", now=0)
lost = jobs.receive("worker-a", now=0)[0]  # worker-a dies mid-job
retry = jobs.receive("worker-b", now=30_000)[0]
print(retry.consumer, retry.redelivered, retry.delivery_count)
# > worker-b True 2
jobs.ack(retry, now=31_000)
try:
    jobs.ack(lost, now=31_000)
except UnknownDeliveryError:
    print("late ack from worker-a rejected")
# > late ack from worker-a rejected
# --8<-- [end:crash]
