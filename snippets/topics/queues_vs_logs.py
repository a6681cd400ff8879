"""One stream of orders through a work queue and through a commit log."""

from streamlab.log import CommitLog
from streamlab.queue import MessageQueue

# --8<-- [start:fanout]
ORDERS = [("ana", "o1"), ("ben", "o2"), ("ana", "o3"), ("cy", "o4")]

# Queue: the broker hands each message to ONE of the competing workers.
queue = MessageQueue[str](prefetch=1)  # basic.qos prefetch count 1
for _, order in ORDERS:
    queue.publish(order, now=0)
got: dict[str, list[str]] = {"w1": [], "w2": []}
while queue.ready:
    for worker, done in got.items():
        for delivery in queue.receive(worker, now=0):
            done.append(delivery.message.body)
            queue.ack(delivery, now=0)  # acked = deleted from the queue
print("queue:", got, "left:", queue.ready)
# > queue: {'w1': ['o1', 'o3'], 'w2': ['o2', 'o4']} left: 0

# Log: every consumer GROUP reads every record; reading deletes nothing.
log = CommitLog[str](partitions=2)
for user, order in ORDERS:
    log.append(user, order, timestamp=0)  # key = user: same partition
for name in ("billing", "features"):
    records = log.group(name, reset="earliest").poll()
    print(name, sorted(r.value for r in records))
# > billing ['o1', 'o2', 'o3', 'o4']
# > features ['o1', 'o2', 'o3', 'o4']
# --8<-- [end:fanout]

# --8<-- [start:split]
# Inside ONE group, a partition belongs to one consumer at a time: that is
# how a log spreads work, and why ana's orders stay in order.
for partition in range(log.partitions):
    print(partition, [(r.key, r.value) for r in log.records(partition)])
# > 0 [('ana', 'o1'), ('ana', 'o3')]
# > 1 [('ben', 'o2'), ('cy', 'o4')]
# --8<-- [end:split]

# --8<-- [start:poison]
# Queue: a message that always fails is retried, then dead-lettered,
# while the messages behind it keep flowing.
jobs = MessageQueue[str](max_deliveries=3)
for body in ("ok-1", "poison", "ok-2"):
    jobs.publish(body, now=0)
processed = []
while jobs.ready:
    delivery = jobs.receive("worker", now=0)[0]
    if delivery.message.body == "poison":
        jobs.nack(delivery, now=0, requeue=True)
    else:
        processed.append(delivery.message.body)
        jobs.ack(delivery, now=0)
print(processed, [m.body for m in jobs.dead_letters])
# > ['ok-1', 'ok-2'] ['poison']

# Log: no per-record ack. The group's only state is one offset per
# partition, so the consumer must park the record itself and move on.
events = CommitLog[str]()
dead = CommitLog[str]()  # a dead-letter TOPIC the application writes to
for body in ("ok-1", "poison", "ok-2"):
    events.append(None, body, timestamp=0)
consumer = events.group("worker", reset="earliest")
for record in consumer.poll():
    if record.value == "poison":
        dead.append(None, record.value, timestamp=0)
consumer.commit()
print("committed:", consumer.committed(0), "dead:", dead.end_offset(0))
# > committed: 3 dead: 1
# --8<-- [end:poison]
