"""Lab: a work queue on a real RabbitMQ server (a classic queue).

Run with `make labs`. The queues are deleted and declared again at the
start, so the lab prints the same output on every run.
"""

import json

import pika
from telemetry import TELEMETRY, features, mean_celsius_v1, server_url

# --8<-- [start:connect]
connection = pika.BlockingConnection(pika.URLParameters(server_url("rabbitmq")))
channel = connection.channel()
channel.confirm_delivery()  # publisher confirms: publish returns when stored
for name in ("jobs", "features-v1", "features-v2"):
    channel.queue_delete(name)  # start from empty queues on every run


def ready(queue: str) -> int:
    """Messages waiting in the queue (not counting unacked deliveries)."""
    return channel.queue_declare(queue, passive=True).method.message_count


# --8<-- [end:connect]

# --8<-- [start:compete]
channel.queue_declare("jobs")  # a classic queue, the default type
for n in range(6):
    channel.basic_publish("", "jobs", f"job-{n}".encode())

# Two competing consumers, each allowed one unacked message at a time.
consumers = {}
for worker in ("worker-a", "worker-b"):
    worker_channel = connection.channel()
    worker_channel.basic_qos(prefetch_count=1)
    consumers[worker] = worker_channel
streams = {
    w: ch.consume("jobs", inactivity_timeout=10) for w, ch in consumers.items()
}
done: dict[str, list[str]] = {worker: [] for worker in consumers}
for _ in range(3):  # each round, each worker holds one message, then acks
    held = {w: next(stream) for w, stream in streams.items()}
    for worker, (method, _, body) in held.items():
        done[worker].append(body.decode())
        consumers[worker].basic_ack(method.delivery_tag)
print({worker: len(jobs) for worker, jobs in done.items()})
# > {'worker-a': 3, 'worker-b': 3}
print(sorted(job for jobs in done.values() for job in jobs))
# > ['job-0', 'job-1', 'job-2', 'job-3', 'job-4', 'job-5']
for worker_channel in consumers.values():
    worker_channel.cancel()
print("ready after the acks:", ready("jobs"))  # acked = deleted
# > ready after the acks: 0
# --8<-- [end:compete]

# --8<-- [start:nack]
a, b = consumers["worker-a"], consumers["worker-b"]
channel.basic_publish("", "jobs", b"score request 17")
method, _, body = a.basic_get("jobs")  # worker-a takes the job...
print(body.decode(), "redelivered:", method.redelivered)
# > score request 17 redelivered: False
a.basic_nack(method.delivery_tag, requeue=True)  # ...and hands it back
method, _, body = b.basic_get("jobs")
print(body.decode(), "redelivered:", method.redelivered)
# > score request 17 redelivered: True
b.basic_ack(method.delivery_tag)
print("after the ack:", b.basic_get("jobs"))  # nothing left to get
# > after the ack: (None, None, None)
# --8<-- [end:nack]

# --8<-- [start:seed]
# The week of telemetry goes through a fanout exchange to the queue of the
# online feature job, which acks each message once it has used it.
channel.exchange_declare("telemetry", exchange_type="fanout")
channel.queue_declare("features-v1")
channel.queue_bind("features-v1", "telemetry")
for device, _, tenths in TELEMETRY:
    channel.basic_publish("telemetry", "", json.dumps([device, tenths]))
print("ready in features-v1:", ready("features-v1"))
# > ready in features-v1: 42
live = []
for method, _, body in channel.consume("features-v1", inactivity_timeout=10):
    device, tenths = json.loads(body)
    live.append((device, tenths))
    channel.basic_ack(method.delivery_tag)  # the broker deletes it
    if len(live) == len(TELEMETRY):
        break
channel.cancel()
print(features(live, mean_celsius_v1))
# > {'fan-1': 2.1, 'pump-1': 2.5, 'pump-2': 2.9}
# --8<-- [end:seed]

# --8<-- [start:replay]
# The bug is fixed. A queue declared and bound now receives only what is
# published from now on; the acked week is gone from features-v1 too.
channel.queue_declare("features-v2")
channel.queue_bind("features-v2", "telemetry")
print(
    "features-v1:", ready("features-v1"), "features-v2:", ready("features-v2")
)
# > features-v1: 0 features-v2: 0
connection.close()
# --8<-- [end:replay]
