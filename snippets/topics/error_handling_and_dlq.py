"""Retries with full jitter, a dead-letter queue, and an idempotent replay."""

import random

from streamlab.dlq import (
    Message,
    Outcome,
    PermanentError,
    Processor,
    RetryPolicy,
    TransientError,
    replay,
)

# --8<-- [start:backoff]
policy = RetryPolicy(max_attempts=6, base_ms=100, cap_ms=2_000)
rng = random.Random(7)
print([policy.ceiling(n) for n in range(1, 6)])
# > [100, 200, 400, 800, 1600]
print([policy.delay(n, rng) for n in range(1, 6)])
# > [41, 38, 202, 666, 98]
# --8<-- [end:backoff]

# --8<-- [start:dlq]
flaky_calls = 0


def handler(message: Message[str]) -> None:
    global flaky_calls
    if message.value == "not json":
        raise PermanentError("cannot parse payload")
    if message.key == "flaky":
        flaky_calls += 1
        if flaky_calls < 3:  # the feature store times out twice
            raise TransientError("feature store timeout")


messages = [
    Message("clicks", 0, 40, "ana", "ok", "c-40"),
    Message("clicks", 0, 41, "flaky", "ok", "c-41"),
    Message("clicks", 1, 17, "ben", "not json", "c-17"),
    Message("clicks", 0, 40, "ana", "ok", "c-40"),  # redelivered
]
proc = Processor(handler, RetryPolicy(max_attempts=4), seed=1)
print([outcome.value for outcome in proc.run(messages)])
# > ['processed', 'processed', 'dead-lettered', 'skipped']
print(proc.delays_ms, proc.clock.now_ms)
# > [17, 145] 162
[letter] = proc.dead_letters
print(letter.topic, letter.partition, letter.offset, letter.error_class)
# > clicks 1 17 PermanentError
# --8<-- [end:dlq]

# --8<-- [start:replay]
proc.handler = lambda message: None  # the parser bug is fixed
print(replay(proc.dead_letters, proc)[Outcome.PROCESSED])
# > 1
print(replay(proc.dead_letters, proc)[Outcome.SKIPPED])
# > 1
# --8<-- [end:replay]
