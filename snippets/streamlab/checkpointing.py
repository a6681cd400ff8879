"""Aligned checkpoint barriers, recovery and a committing sink, simulated.

The job is the smallest graph where alignment matters::

    source 0 --\\
                >-- keyed counter --> transactional sink
    source 1 --/

Each source reads keys from an offset-addressed input. The counter has two
input channels; for every key it increments a count and emits
``(key, count)``. The sink stages those updates in a transaction per
checkpoint and makes them visible only when the checkpoint completes.

A checkpoint works as in Flink (Chandy-Lamport for FIFO channels):

1. **Trigger.** The coordinator records every source's offset and injects
   barrier *n* into each source's channel.
2. **Align.** When the counter takes barrier *n* from one channel it blocks
   that channel (its later records wait in the channel) until barrier *n*
   has arrived on every channel.
3. **Snapshot.** Aligned, it copies its counts, forwards barrier *n* and
   unblocks. The snapshot reflects exactly the records before the barrier
   on every input, which are the records below the recorded offsets.
4. **Complete.** The sink takes barrier *n*, pre-commits its staged updates
   as transaction *n*, and the checkpoint is complete. A later
   notification commits every pre-committed transaction up to *n*.

After a crash the job restores the last completed checkpoint: it commits
the transactions that checkpoint covers (the notification may have been
lost), aborts later ones, rewinds the sources to the stored offsets and
restores the counts. Replayed records recreate exactly the uncommitted
updates, so the committed output is the same as in a run without faults.

``aligned=False`` snapshots when the last barrier arrives but never blocks
(Flink's at-least-once checkpointing mode): records that overtook a barrier
are in the snapshot *and* replayed after recovery, so they count twice.

Scheduling is a seeded random interleaving of the enabled actions; a crash
is injected before chosen steps. There is no wall clock.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Update = tuple[str, int]
Action = tuple[str, int]


@dataclass(frozen=True)
class Barrier:
    """The marker for checkpoint ``checkpoint``, flowing with the records."""

    checkpoint: int


@dataclass(frozen=True)
class Checkpoint:
    """A completed checkpoint: source offsets and the counter's state."""

    id: int
    offsets: tuple[int, ...]
    counts: dict[str, int]


@dataclass
class Result:
    """Committed sink output, final counts and how often the job crashed."""

    output: list[Update]
    counts: dict[str, int]
    restarts: int
    checkpoints: int


@dataclass
class Job:
    """Two (or more) sources, one keyed counter, one transactional sink.

    Durable across crashes: the last completed checkpoint and the sink's
    transactions. Everything else is rebuilt by ``restore``. Each action is
    O(1) except a snapshot, O(k) for k keys; the job holds O(n) records.
    """

    inputs: Sequence[Sequence[str]]
    aligned: bool = True
    # durable
    completed: Checkpoint = field(init=False)
    staged: dict[int, list[Update]] = field(default_factory=dict)
    output: list[Update] = field(default_factory=list)
    next_id: int = 1

    def __post_init__(self) -> None:
        """Start from the empty checkpoint 0."""
        self.completed = Checkpoint(0, (0,) * len(self.inputs), {})
        self.restore()

    def restore(self) -> None:
        """Recover from the last completed checkpoint. O(n + k)."""
        cp = self.completed
        self._commit_up_to(cp.id)  # the notification may have been lost
        for txn in [t for t in self.staged if t > cp.id]:
            del self.staged[txn]  # abort: not covered by a checkpoint
        self.position = list(cp.offsets)
        self.counts = dict(cp.counts)
        self.channels: list[deque[str | Barrier]] = [
            deque() for _ in self.inputs
        ]
        self.out: deque[Update | Barrier] = deque()
        self.blocked = [False] * len(self.inputs)
        self.arrived: set[int] = set()
        self.in_flight: tuple[int, tuple[int, ...]] | None = None
        self.snapshot: dict[str, int] = {}
        self.pending: list[Update] = []

    def _commit_up_to(self, checkpoint: int) -> None:
        """Make every pre-committed transaction up to ``checkpoint`` visible."""
        for txn in sorted(t for t in self.staged if t <= checkpoint):
            self.output.extend(self.staged.pop(txn))

    def enabled(self) -> list[Action]:
        """The actions that can run now. O(number of channels)."""
        n = len(self.inputs)
        acts = [
            ("emit", i)
            for i in range(n)
            if self.position[i] < len(self.inputs[i])
        ]
        if self.in_flight is None and tuple(self.position) != (
            self.completed.offsets
        ):
            acts.append(("trigger", 0))
        acts += [
            ("process", i)
            for i in range(n)
            if self.channels[i] and not self.blocked[i]
        ]
        if self.out:
            acts.append(("sink", 0))
        if any(t <= self.completed.id for t in self.staged):
            acts.append(("notify", 0))
        return acts

    def step(self, action: Action) -> None:
        """Run one enabled action."""
        kind, i = action
        if kind == "emit":
            self.channels[i].append(self.inputs[i][self.position[i]])
            self.position[i] += 1
        elif kind == "trigger":
            self.in_flight = (self.next_id, tuple(self.position))
            for channel in self.channels:
                channel.append(Barrier(self.next_id))
            self.next_id += 1
        elif kind == "process":
            self._process(i, self.channels[i].popleft())
        elif kind == "sink":
            self._sink(self.out.popleft())
        else:
            self._commit_up_to(self.completed.id)

    # --8<-- [start:align]
    def _process(self, channel: int, item: str | Barrier) -> None:
        """The counter: count a key, or align on a barrier and snapshot."""
        if isinstance(item, Barrier):
            self.arrived.add(channel)
            if self.aligned:
                self.blocked[channel] = True  # hold back later records
            if len(self.arrived) == len(self.channels):  # aligned
                self.snapshot = dict(self.counts)
                self.out.append(item)  # forward the barrier downstream
                self.arrived.clear()
                self.blocked = [False] * len(self.channels)
            return
        self.counts[item] = self.counts.get(item, 0) + 1
        self.out.append((item, self.counts[item]))

    # --8<-- [end:align]

    # --8<-- [start:sink]
    def _sink(self, item: Update | Barrier) -> None:
        """Stage updates; on a barrier, pre-commit and complete."""
        if isinstance(item, Barrier):
            assert self.in_flight is not None
            self.staged[item.checkpoint] = self.pending  # pre-commit
            self.pending = []
            offsets = self.in_flight[1]
            self.completed = Checkpoint(item.checkpoint, offsets, self.snapshot)
            self.in_flight = None
        else:
            self.pending.append(item)  # invisible until committed

    # --8<-- [end:sink]

    def done(self) -> bool:
        """All input checkpointed and every transaction committed."""
        ends = tuple(len(x) for x in self.inputs)
        return self.completed.offsets == ends and not self.staged


def run(
    inputs: Sequence[Sequence[str]],
    seed: int,
    crash_points: Iterable[int] = (),
    *,
    aligned: bool = True,
) -> Result:
    """Run the job to the end under a seeded schedule and injected crashes.

    A crash before step s (for s in ``crash_points``) loses all volatile
    state; the job restores its last completed checkpoint and goes on.

    Time O(s * k) for s steps and k keys (snapshots dominate); space O(n).

    Returns:
        The committed output, the final counts and counters.
    """
    job = Job(inputs, aligned)
    rng = random.Random(seed)
    points = frozenset(crash_points)
    steps = restarts = 0
    while not job.done():
        if steps in points:
            job.restore()
            restarts += 1
        else:
            job.step(rng.choice(job.enabled()))
        steps += 1
    return Result(job.output, job.counts, restarts, job.completed.id)


def expected_output(inputs: Sequence[Sequence[str]]) -> Counter[Update]:
    """Brute force: every key k seen N times yields (k, 1) ... (k, N). O(n)."""
    totals = Counter(key for keys in inputs for key in keys)
    return Counter((k, c) for k, n in totals.items() for c in range(1, n + 1))
