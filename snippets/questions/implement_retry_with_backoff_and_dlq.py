"""Retry with backoff and a DLQ: every message ends processed once or dead."""

from collections import Counter

from streamlab.dlq import (
    Message,
    PermanentError,
    Processor,
    RetryPolicy,
    TransientError,
    replay,
)

# --8<-- [start:run]
attempts: Counter[str] = Counter()
effects: Counter[str] = Counter()


def score(message: Message[str]) -> None:
    """Call a model server that is flaky for some users."""
    attempts[message.message_id] += 1
    if message.value == "corrupt":
        raise PermanentError("payload is not valid JSON")
    if message.key == "u2" and attempts[message.message_id] <= 5:
        raise TransientError("model server 503")
    effects[message.message_id] += 1


inbox = [
    Message("events", 0, offset, f"u{offset % 3}", value, f"e{offset}")
    for offset, value in enumerate(["ok", "ok", "ok", "corrupt", "ok"])
]
proc = Processor(score, RetryPolicy(max_attempts=4, base_ms=50), seed=3)
outcomes = proc.run(inbox + inbox[:2])  # the first two are redelivered
print(" ".join(o.value[:4] for o in outcomes))
# > proc proc dead dead proc skip skip
for d in proc.dead_letters:
    print(d.offset, d.error_class, d.attempts, d.last_failure_ms)
# > 2 TransientError 4 229
# > 3 PermanentError 1 229
# --8<-- [end:run]

# --8<-- [start:replay]
counts = replay(proc.dead_letters, proc)  # u2's model server is back
print({outcome.value: n for outcome, n in counts.items()})
# > {'processed': 1, 'dead-lettered': 1, 'skipped': 0}
print(sorted(effects.items()))
# > [('e0', 1), ('e1', 1), ('e2', 1), ('e4', 1)]
# --8<-- [end:replay]
