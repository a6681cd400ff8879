"""Retries with exponential backoff and full jitter, and a dead-letter queue.

A consumer hands each message to a handler. Errors fall in two classes:

* transient (a timeout, a throttled dependency): retried after a delay
  drawn with *full jitter*, ``uniform(0, min(cap, base * 2**(n - 1)))``
  before retry ``n``, up to a maximum number of attempts;
* permanent (a record that cannot be parsed, a failed validation): retrying
  cannot help, so the message goes to the dead-letter queue at once.

A dead letter carries everything a replay needs: where the message came
from (topic, partition, offset), its key and payload, the error class and
message, the attempt count and the first and last failure times. Replay
feeds dead letters back through a processor that skips message ids it has
already processed, so a replay run twice, or a message that was both
retried and replayed, has its effect once.

Time is a virtual clock in milliseconds; jitter comes from a seeded
``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

V = TypeVar("V")


class TransientError(Exception):
    """An error worth retrying: the same message may succeed later."""


class PermanentError(Exception):
    """An error no retry can fix: the message itself is bad."""


class VirtualClock:
    """A clock that only moves when told to. O(1) per call."""

    def __init__(self, start_ms: int = 0) -> None:
        self.now_ms = start_ms

    def sleep(self, ms: int) -> None:
        """Advance the clock by ``ms`` milliseconds."""
        if ms < 0:
            raise ValueError(f"cannot sleep a negative time: {ms}")
        self.now_ms += ms


@dataclass(frozen=True, slots=True)
class Message(Generic[V]):
    """A consumed record and where it came from."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: V
    message_id: str


@dataclass(frozen=True, slots=True)
class DeadLetter(Generic[V]):
    """A message that failed for good, with what a replay needs."""

    topic: str
    partition: int
    offset: int
    key: str | None
    payload: V
    message_id: str
    error_class: str
    error_message: str
    attempts: int
    first_failure_ms: int
    last_failure_ms: int

    def to_message(self) -> Message[V]:
        """The original message, ready to be processed again. O(1)."""
        return Message(
            self.topic,
            self.partition,
            self.offset,
            self.key,
            self.payload,
            self.message_id,
        )


class Outcome(StrEnum):
    """What happened to one message."""

    PROCESSED = "processed"
    DEAD_LETTERED = "dead-lettered"
    SKIPPED = "skipped"


# --8<-- [start:backoff]
@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts, and how long to wait between them.

    Attributes:
        max_attempts: total attempts, the first one included (>= 1).
        base_ms: ceiling of the first delay.
        cap_ms: no delay ceiling grows past this.
    """

    max_attempts: int = 5
    base_ms: int = 100
    cap_ms: int = 10_000

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1: {self.max_attempts}")
        if not 0 <= self.base_ms <= self.cap_ms:
            raise ValueError("need 0 <= base_ms <= cap_ms")

    def ceiling(self, retry: int) -> int:
        """Largest delay before retry number ``retry`` (1-based). O(1)."""
        if retry < 1:
            raise ValueError(f"retries are numbered from 1: {retry}")
        # Past 2**62 every ceiling is the cap anyway: keep numbers small.
        exponent = min(retry - 1, 62)
        return min(self.cap_ms, self.base_ms << exponent)

    def delay(self, retry: int, rng: random.Random) -> int:
        """Full jitter: a uniform delay in ``[0, ceiling(retry)]``. O(1)."""
        return rng.randint(0, self.ceiling(retry))


# --8<-- [end:backoff]


# --8<-- [start:processor]
@dataclass
class Processor(Generic[V]):
    """Runs a handler with retries, dead-lettering and idempotent skips.

    Retries block the message's partition (the next message waits), which
    keeps per-partition order; a non-blocking design would park the
    message on a retry topic instead.

    Attributes:
        handler: does the work; raises to signal failure.
        policy: attempts and backoff.
        seed: seed of the jitter.
        retryable: exception classes that count as transient.
        clock: the virtual clock that retries sleep on.
        processed_ids: ids whose effect happened (the idempotence store;
            in production it lives with the effect, in one transaction).
        dead_letters: the dead-letter queue.
        delays_ms: every backoff delay slept, in order.
    """

    handler: Callable[[Message[V]], None]
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    seed: int = 0
    retryable: tuple[type[Exception], ...] = (TransientError,)
    clock: VirtualClock = field(default_factory=VirtualClock)
    processed_ids: set[str] = field(default_factory=set)
    dead_letters: list[DeadLetter[V]] = field(default_factory=list)
    delays_ms: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def process(self, message: Message[V]) -> Outcome:
        """Handle one message to its end: processed, dead-lettered, skipped.

        Complexity: O(max_attempts) handler calls; O(1) extra space.
        """
        if message.message_id in self.processed_ids:
            return Outcome.SKIPPED
        first_failure: int | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                self.handler(message)
            except Exception as error:
                now = self.clock.now_ms
                first_failure = now if first_failure is None else first_failure
                last = attempt == self.policy.max_attempts
                if not isinstance(error, self.retryable) or last:
                    self.dead_letters.append(
                        _dead_letter(
                            message, error, attempt, first_failure, now
                        )
                    )
                    return Outcome.DEAD_LETTERED
                pause = self.policy.delay(attempt, self._rng)
                self.delays_ms.append(pause)
                self.clock.sleep(pause)
            else:
                self.processed_ids.add(message.message_id)
                return Outcome.PROCESSED

    def run(self, messages: Iterable[Message[V]]) -> list[Outcome]:
        """Process messages in order. O(n * max_attempts) handler calls."""
        return [self.process(m) for m in messages]


# --8<-- [end:processor]


def _dead_letter(
    message: Message[V],
    error: Exception,
    attempts: int,
    first_ms: int,
    last_ms: int,
) -> DeadLetter[V]:
    return DeadLetter(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        payload=message.value,
        message_id=message.message_id,
        error_class=type(error).__name__,
        error_message=str(error),
        attempts=attempts,
        first_failure_ms=first_ms,
        last_failure_ms=last_ms,
    )


# --8<-- [start:replay]
def replay(
    dead_letters: Iterable[DeadLetter[V]], processor: Processor[V]
) -> dict[Outcome, int]:
    """Feed dead letters back through ``processor``, in their order.

    Ids the processor already processed are skipped, so replaying the same
    batch twice has its effect once. Messages that fail again land in
    ``processor.dead_letters`` with fresh attempt counts.

    Returns:
        How many dead letters ended in each outcome.

    Complexity: O(n * max_attempts) handler calls for ``n`` dead letters.
    """
    counts = dict.fromkeys(Outcome, 0)
    for letter in list(dead_letters):
        counts[processor.process(letter.to_message())] += 1
    return counts


# --8<-- [end:replay]
