"""streamlab.dlq: backoff bounds, dead letters, replay, and properties."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.dlq import (
    DeadLetter,
    Message,
    Outcome,
    PermanentError,
    Processor,
    RetryPolicy,
    TransientError,
    VirtualClock,
    replay,
)


def msg(i: int, value: str = "v") -> Message[str]:
    return Message("orders", i % 3, 100 + i, f"k{i}", value, f"id-{i}")


def test_ceilings_double_then_cap() -> None:
    policy = RetryPolicy(max_attempts=10, base_ms=100, cap_ms=1_000)
    assert [policy.ceiling(n) for n in range(1, 7)] == [
        100,
        200,
        400,
        800,
        1_000,
        1_000,
    ]
    assert policy.ceiling(10_000) == 1_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_attempts": 0}, "max_attempts must be >= 1: 0"),
        ({"base_ms": 5, "cap_ms": 4}, "need 0 <= base_ms <= cap_ms"),
        ({"base_ms": -1}, "need 0 <= base_ms <= cap_ms"),
    ],
)
def test_bad_policies_are_refused(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        RetryPolicy(**kwargs)
    assert str(raised.value) == message


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="numbered from 1"):
        RetryPolicy().ceiling(0)
    with pytest.raises(ValueError, match="negative"):
        VirtualClock().sleep(-1)


def test_transient_then_success_is_processed_after_backoff() -> None:
    calls: list[int] = []

    def handler(m: Message[str]) -> None:
        calls.append(len(calls))
        if len(calls) < 3:
            raise TransientError("timeout")

    proc = Processor(handler, RetryPolicy(max_attempts=5), seed=7)
    assert proc.process(msg(1)) is Outcome.PROCESSED
    assert len(calls) == 3
    assert len(proc.delays_ms) == 2
    assert proc.clock.now_ms == sum(proc.delays_ms)
    assert proc.dead_letters == []
    # The same seed gives the same delays.
    again = Processor(handler, RetryPolicy(max_attempts=5), seed=7)
    calls.clear()
    again.process(msg(1))
    assert again.delays_ms == proc.delays_ms


def test_permanent_error_goes_to_dlq_without_retry() -> None:
    def handler(m: Message[str]) -> None:
        raise PermanentError(f"bad payload {m.value!r}")

    proc = Processor(handler, clock=VirtualClock(start_ms=50))
    assert proc.process(msg(4, "{oops")) is Outcome.DEAD_LETTERED
    assert proc.dead_letters == [
        DeadLetter(
            topic="orders",
            partition=1,
            offset=104,
            key="k4",
            payload="{oops",
            message_id="id-4",
            error_class="PermanentError",
            error_message="bad payload '{oops'",
            attempts=1,
            first_failure_ms=50,
            last_failure_ms=50,
        )
    ]
    assert proc.delays_ms == []


def test_unknown_errors_are_permanent_unless_declared_retryable() -> None:
    def handler(m: Message[str]) -> None:
        raise TimeoutError("slow")

    assert Processor(handler).process(msg(0)) is Outcome.DEAD_LETTERED
    proc = Processor(handler, RetryPolicy(max_attempts=3), retryable=(OSError,))
    assert proc.process(msg(0)) is Outcome.DEAD_LETTERED
    [letter] = proc.dead_letters
    assert letter.attempts == 3
    assert letter.error_class == "TimeoutError"
    assert letter.last_failure_ms - letter.first_failure_ms == sum(
        proc.delays_ms
    )


def test_replay_after_a_fix_processes_each_dead_letter_once() -> None:
    broken = True
    done: list[str] = []

    def handler(m: Message[str]) -> None:
        if broken:
            raise PermanentError("schema bug")
        done.append(m.message_id)

    first = Processor(handler)
    first.run([msg(i) for i in range(3)])
    assert [d.message_id for d in first.dead_letters] == [
        "id-0",
        "id-1",
        "id-2",
    ]
    broken = False
    fixed = Processor(handler)
    fixed.process(msg(1))  # already redelivered and processed meanwhile
    counts = replay(first.dead_letters, fixed)
    assert counts == {
        Outcome.PROCESSED: 2,
        Outcome.SKIPPED: 1,
        Outcome.DEAD_LETTERED: 0,
    }
    assert replay(first.dead_letters, fixed)[Outcome.SKIPPED] == 3
    assert sorted(done) == ["id-0", "id-1", "id-2"]
    assert first.dead_letters[0].to_message() == msg(0)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=80),
    st.integers(min_value=0, max_value=5_000),
    st.integers(min_value=0, max_value=5_000),
    st.integers(min_value=0, max_value=2**32),
)
def test_delays_stay_within_full_jitter_bounds(
    retry: int, base: int, extra: int, seed: int
) -> None:
    policy = RetryPolicy(max_attempts=100, base_ms=base, cap_ms=base + extra)
    ceiling = min(base + extra, base * 2 ** (retry - 1))
    assert policy.ceiling(retry) == ceiling
    rng = random.Random(seed)
    assert all(0 <= policy.delay(retry, rng) <= ceiling for _ in range(20))


# Each message gets a script: how many transient failures before success,
# or a permanent failure after some transient ones.
SCRIPT = st.tuples(st.integers(min_value=0, max_value=6), st.booleans())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(SCRIPT, max_size=25),
    st.lists(st.integers(min_value=0, max_value=24), max_size=10),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=1_000),
)
def test_every_message_ends_processed_once_or_in_the_dlq(
    scripts: list[tuple[int, bool]],
    duplicates: list[int],
    max_attempts: int,
    seed: int,
) -> None:
    effects: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    messages = [msg(i) for i in range(len(scripts))]
    # Redeliveries: some messages come again later (at-least-once input).
    messages += [messages[d] for d in duplicates if d < len(messages)]

    def handler(m: Message[str]) -> None:
        calls[m.message_id] += 1
        failures, permanent = scripts[int(m.message_id[3:])]
        if calls[m.message_id] <= failures:
            raise TransientError("try again")
        if permanent:
            raise PermanentError("bad record")
        effects[m.message_id] += 1

    policy = RetryPolicy(max_attempts=max_attempts, base_ms=10, cap_ms=80)
    proc = Processor(handler, policy, seed=seed)
    proc.run(messages)
    dead = Counter(d.message_id for d in proc.dead_letters)
    deliveries = Counter(m.message_id for m in messages)
    for i, (failures, permanent) in enumerate(scripts):
        mid = f"id-{i}"
        assert effects[mid] <= 1
        # Processed once, or (not processed) in the DLQ.
        assert (effects[mid] == 1) != (dead[mid] >= 1 and effects[mid] == 0)
        if deliveries[mid] == 1:
            succeeds = not permanent and failures < max_attempts
            assert effects[mid] == (1 if succeeds else 0)
            assert dead[mid] == (0 if succeeds else 1)
    for letter in proc.dead_letters:
        assert 1 <= letter.attempts <= max_attempts
        assert letter.first_failure_ms <= letter.last_failure_ms
    assert all(0 <= d <= 80 for d in proc.delays_ms)
    assert proc.clock.now_ms == sum(proc.delays_ms)
    # Replay with a handler that now succeeds: everything ends processed
    # exactly once, whatever was redelivered or replayed twice.
    scripts[:] = [(0, False)] * len(scripts)
    calls.clear()
    replay(proc.dead_letters, proc)
    replay(proc.dead_letters, proc)
    assert all(effects[f"id-{i}"] == 1 for i in range(len(scripts)))
