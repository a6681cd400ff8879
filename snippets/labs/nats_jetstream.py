"""Lab: a commit log on a real NATS server (JetStream, limits retention).

Run with `make labs`. One stream keeps every subject telemetry.<device>;
durable pull consumers play the part of consumer groups.
"""

import asyncio
import contextlib
import json

import nats
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
)
from nats.js.client import JetStreamContext
from nats.js.errors import NotFoundError
from telemetry import (
    TELEMETRY,
    features,
    mean_celsius_v1,
    mean_celsius_v2,
    server_url,
)


# --8<-- [start:helpers]
async def add_group(js: JetStreamContext, group: str) -> None:
    """A durable consumer that starts at the first message and needs acks."""
    config = ConsumerConfig(
        durable_name=group,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
    )
    await js.add_consumer("TELEMETRY", config)


async def read_all(js: JetStreamContext, group: str) -> list[tuple[str, int]]:
    """Fetch every message for the group and ack each one."""
    sub = await js.pull_subscribe_bind(durable=group, stream="TELEMETRY")
    events = []
    while len(events) < len(TELEMETRY):
        for message in await sub.fetch(len(TELEMETRY), timeout=5):
            device, tenths = json.loads(message.data)
            events.append((device, tenths))
            await message.ack_sync()  # wait for the server to record it
    return events


async def lag(js: JetStreamContext, group: str) -> int:
    """Messages not yet delivered plus delivered but unacked, per server."""
    info = await js.consumer_info("TELEMETRY", group)
    return info.num_pending + info.num_ack_pending


# --8<-- [end:helpers]


async def main() -> None:
    # --8<-- [start:ingest]
    client = await nats.connect(server_url("nats"))
    js = client.jetstream()
    with contextlib.suppress(NotFoundError):
        await js.delete_stream("TELEMETRY")  # start empty on every run
    await js.add_stream(
        name="TELEMETRY",
        subjects=["telemetry.>"],
        retention=RetentionPolicy.LIMITS,  # keep until a limit is hit
        max_age=7 * 24 * 3600,  # seconds: by arrival time, not event time
    )
    for device, _, tenths in TELEMETRY:
        payload = json.dumps([device, tenths]).encode()
        await js.publish(f"telemetry.{device}", payload)  # waits for the ack
    print("stored:", (await js.stream_info("TELEMETRY")).state.messages)
    # > stored: 42
    # --8<-- [end:ingest]

    # --8<-- [start:replay]
    await add_group(js, "features-v1")  # the online feature job
    live = await read_all(js, "features-v1")
    print(features(live, mean_celsius_v1))
    # > {'fan-1': 2.1, 'pump-1': 2.5, 'pump-2': 2.9}
    print("still stored:", (await js.stream_info("TELEMETRY")).state.messages)
    # > still stored: 42
    # The fix: a new group starts from the first message of the stream.
    await add_group(js, "features-v2")
    print("lag:", await lag(js, "features-v1"), await lag(js, "features-v2"))
    # > lag: 0 42
    replayed = await read_all(js, "features-v2")
    print(features(replayed, mean_celsius_v2))
    # > {'fan-1': 20.9, 'pump-1': 24.9, 'pump-2': 28.9}
    print("lag:", await lag(js, "features-v1"), await lag(js, "features-v2"))
    # > lag: 0 0
    pump = [tenths for device, tenths in replayed if device == "pump-1"]
    print("pump-1:", pump[:6], "...")  # in order within the subject
    # > pump-1: [240, 241, 243, 244, 246, 247] ...
    # --8<-- [end:replay]

    # --8<-- [start:workqueue]
    # The same server as a queue: work-queue retention deletes on ack.
    with contextlib.suppress(NotFoundError):
        await js.delete_stream("JOBS")
    await js.add_stream(
        name="JOBS", subjects=["jobs"], retention=RetentionPolicy.WORK_QUEUE
    )
    for n in range(3):
        await js.publish("jobs", f"job-{n}".encode())
    worker = await js.pull_subscribe("jobs", durable="workers", stream="JOBS")
    for message in await worker.fetch(3, timeout=5):
        await message.ack_sync()
    print(
        "jobs stored after the acks:",
        (await js.stream_info("JOBS")).state.messages,
    )
    # > jobs stored after the acks: 0
    await client.close()
    # --8<-- [end:workqueue]


asyncio.run(main())
