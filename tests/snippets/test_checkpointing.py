"""Tests for streamlab.checkpointing: alignment, recovery, exactly-once."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.checkpointing import Barrier, Job, expected_output, run

keys = st.lists(st.sampled_from("abcd"), max_size=12)


def steps_of(inputs: list[list[str]], seed: int) -> int:
    """Number of steps of a fault-free run under ``seed``."""
    job = Job(inputs)
    rng = random.Random(seed)
    steps = 0
    while not job.done():
        job.step(rng.choice(job.enabled()))
        steps += 1
    return steps


def test_fault_free_run_counts_every_key() -> None:
    inputs = [["a", "b", "a"], ["b", "c"]]
    result = run(inputs, seed=1)
    assert result.restarts == 0
    assert result.counts == {"a": 2, "b": 2, "c": 1}
    assert Counter(result.output) == expected_output(inputs)
    assert result.checkpoints >= 1


def test_counter_blocks_a_channel_until_the_barrier_is_aligned() -> None:
    job = Job([["a", "b"], ["c"]])
    job.step(("emit", 0))
    job.step(("trigger", 0))
    job.step(("emit", 0))  # "b" lands behind barrier 1 on channel 0
    job.step(("process", 0))  # "a"
    job.step(("process", 0))  # barrier 1: channel 0 now blocked
    assert ("process", 0) not in job.enabled()
    assert list(job.channels[0]) == ["b"]
    job.step(("process", 1))  # barrier 1 from channel 1: aligned
    assert job.snapshot == {"a": 1}
    assert list(job.out) == [("a", 1), Barrier(1)]
    assert ("process", 0) in job.enabled()


def test_sink_output_is_invisible_until_the_checkpoint_commits() -> None:
    job = Job([["a"], []])
    for action in [("emit", 0), ("process", 0), ("sink", 0)]:
        job.step(action)
    assert job.output == []  # staged, not committed
    job.step(("trigger", 0))
    job.step(("process", 0))
    job.step(("process", 1))
    job.step(("sink", 0))  # barrier: pre-commit, checkpoint complete
    assert job.output == [] and job.completed.id == 1
    job.step(("notify", 0))
    assert job.output == [("a", 1)] and job.done()


def test_recovery_commits_a_completed_checkpoint_whose_notify_was_lost() -> (
    None
):
    job = Job([["a"], []])
    for action in [("emit", 0), ("trigger", 0), ("process", 0)]:
        job.step(action)
    for action in [("process", 0), ("process", 1), ("sink", 0), ("sink", 0)]:
        job.step(action)
    assert job.staged == {1: [("a", 1)]}
    job.restore()  # crash before the notification
    assert job.output == [("a", 1)] and job.done()


def test_recovery_aborts_transactions_after_the_checkpoint() -> None:
    job = Job([["a"], []])
    job.staged[7] = [("zz", 1)]
    job.restore()
    assert job.staged == {}


@settings(max_examples=250, deadline=None)
@given(
    left=keys,
    right=keys,
    seed=st.integers(0, 10_000),
    crash_fraction=st.lists(st.floats(0, 1), min_size=1, max_size=3),
)
def test_aligned_recovery_is_exactly_once(
    left: list[str], right: list[str], seed: int, crash_fraction: list[float]
) -> None:
    inputs = [left, right]
    steps = steps_of(inputs, seed)
    crashes = {min(int(f * steps), steps - 1) for f in crash_fraction}
    result = run(inputs, seed, crashes)
    assert Counter(result.output) == expected_output(inputs)
    assert result.counts == dict(Counter(left + right))
    # The first crash point is always reached (the run is identical to the
    # fault-free one until then); later ones may fall after the end.
    assert (1 if steps else 0) <= result.restarts <= len(crashes)


def test_unaligned_snapshots_double_count_after_some_crashes() -> None:
    inputs = [list("abcabc"), list("cabcab")]
    wrong = 0
    for seed in range(200):
        crash = {random.Random(seed).randrange(steps_of(inputs, seed))}
        clean = run(inputs, seed, aligned=False)
        assert Counter(clean.output) == expected_output(inputs)
        result = run(inputs, seed, crash, aligned=False)
        wrong += Counter(result.output) != expected_output(inputs)
    assert wrong > 0
