"""The labs run against real servers and print exactly what the pages show.

Each lab runs twice against the same server: the second run must print the
same lines, so the output on the pages is deterministic (the labs reset
their queues and streams first). Further tests check the semantics the
pages rely on directly with the clients, independently of the lab code.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import subprocess
import sys
from pathlib import Path

import brokers
import nats
import pika
import pytest
import redis
from nats.js.api import RetentionPolicy
from snippet_output import expected_output

pytestmark = pytest.mark.broker
LABS = brokers.LABS


def run_lab(path: Path, server: brokers.Server) -> str:
    result = subprocess.run(
        [sys.executable, str(path)],
        env=brokers.lab_env({server.name: server}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_lab_shows_its_output(path: Path, server: brokers.Server) -> None:
    shown = expected_output(path.read_text(encoding="utf-8"))
    assert shown.count("\n") >= 5, "the lab shows no output"
    for _ in range(2):  # the same output on a second run: deterministic
        assert run_lab(path, server).splitlines() == shown.splitlines()


def test_rabbitmq_lab(rabbitmq: brokers.Server) -> None:
    assert_lab_shows_its_output(LABS / "rabbitmq_queue.py", rabbitmq)


def test_redis_lab(redis_server: brokers.Server) -> None:
    assert_lab_shows_its_output(LABS / "redis_streams.py", redis_server)


def test_nats_lab(nats_server: brokers.Server) -> None:
    assert_lab_shows_its_output(LABS / "nats_jetstream.py", nats_server)


def test_rabbitmq_queue_forgets_acked_and_requeues_nacked(
    rabbitmq: brokers.Server,
) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq.url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.queue_declare("t-semantics", exclusive=True)
        for body in (b"m0", b"m1"):
            channel.basic_publish("", "t-semantics", body)
        first, _, body = channel.basic_get("t-semantics")
        assert (body, first.redelivered) == (b"m0", False)
        channel.basic_nack(first.delivery_tag, requeue=True)
        again, _, body = channel.basic_get("t-semantics")
        assert (body, again.redelivered) == (b"m0", True)  # same place
        channel.basic_ack(again.delivery_tag)
        second, _, body = channel.basic_get("t-semantics")
        assert body == b"m1"
        channel.basic_ack(second.delivery_tag)
        assert channel.basic_get("t-semantics") == (None, None, None)
        # A queue bound after the fact gets nothing of the past.
        channel.exchange_declare("t-fanout", exchange_type="fanout")
        channel.queue_declare("t-early", exclusive=True)
        channel.queue_bind("t-early", "t-fanout")
        channel.basic_publish("t-fanout", "", b"before")
        channel.queue_declare("t-late", exclusive=True)
        channel.queue_bind("t-late", "t-fanout")
        late = channel.queue_declare("t-late", passive=True)
        early = channel.queue_declare("t-early", passive=True)
        assert (early.method.message_count, late.method.message_count) == (
            1,
            0,
        )
    finally:
        connection.close()


def test_redis_groups_keep_their_own_positions(
    redis_server: brokers.Server,
) -> None:
    r = redis.Redis.from_url(redis_server.url, decode_responses=True)
    r.delete("t-stream")
    for n in range(5):
        r.xadd("t-stream", {"n": n})
    r.xgroup_create("t-stream", "a", id="0")
    got = r.xreadgroup("a", "c", {"t-stream": ">"}, count=3)
    for entry_id, _ in got[0][1]:
        r.xack("t-stream", "a", entry_id)
    r.xgroup_create("t-stream", "b", id="0")  # a newcomer replays it all
    lags = {g["name"]: g["lag"] for g in r.xinfo_groups("t-stream")}
    assert lags == {"a": 2, "b": 5}
    every = r.xreadgroup("b", "c", {"t-stream": ">"})[0][1]
    assert [int(fields["n"]) for _, fields in every] == [0, 1, 2, 3, 4]
    assert r.xlen("t-stream") == 5  # reading and acking deleted nothing


async def jetstream_retention(url: str) -> tuple[int, int]:
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        stored = []
        for name, retention in (
            ("T_LIMITS", RetentionPolicy.LIMITS),
            ("T_WORK", RetentionPolicy.WORK_QUEUE),
        ):
            subject = f"t.{name.lower()}"
            await js.add_stream(
                name=name, subjects=[subject], retention=retention
            )
            for n in range(3):
                await js.publish(subject, json.dumps(n).encode())
            sub = await js.pull_subscribe(subject, durable="d", stream=name)
            for message in await sub.fetch(3, timeout=5):
                await message.ack_sync()
            stored.append((await js.stream_info(name)).state.messages)
            await js.delete_stream(name)
        return stored[0], stored[1]
    finally:
        await client.close()


def test_jetstream_limits_keep_and_work_queue_deletes(
    nats_server: brokers.Server,
) -> None:
    # Its own thread: Playwright's sync API (the browser tests, same
    # session) leaves an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        done = pool.submit(asyncio.run, jetstream_retention(nats_server.url))
        assert done.result() == (3, 0)
