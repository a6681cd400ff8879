"""State and input position restored from the same moment, or not.

A per-user click counter (the state) reads one partition. Two checkpoints
complete; the job then crashes and restarts three ways: from one consistent
checkpoint, and from state and offsets taken at different checkpoints.
"""

from streamlab.checkpointing import Checkpoint, Job

CLICKS = ["u1", "u2", "u1", "u1", "u2", "u1"]  # one partition, offsets 0-5


def checkpoint_after(job: Job, n: int) -> Checkpoint:
    """Read n more records, then take a checkpoint and let it complete."""
    for _ in range(n):
        job.step(("emit", 0))
    job.step(("trigger", 0))  # record the offset, send the barrier
    while job.channels[0]:
        job.step(("process", 0))  # count the records, then snapshot
    while job.out:
        job.step(("sink", 0))  # the barrier reaches the sink: complete
    return job.completed


# --8<-- [start:mismatch]
def restart_from(offsets: Checkpoint, state: Checkpoint) -> dict[str, int]:
    """Crash, restore offsets and state from the given checkpoints, finish."""
    job = Job([CLICKS])
    job.completed = Checkpoint(state.id, offsets.offsets, state.counts)
    job.restore()  # rewind to the offsets, reload the counts
    while not job.done():
        job.step(job.enabled()[0])  # replay the rest of the partition
    return job.counts


job = Job([CLICKS])
cp1 = checkpoint_after(job, 2)  # after u1, u2
cp2 = checkpoint_after(job, 2)  # after u1, u2, u1, u1
print("cp1:", cp1.offsets, cp1.counts)
print("cp2:", cp2.offsets, cp2.counts)
print("same checkpoint:      ", restart_from(offsets=cp2, state=cp2))
print("new state, old offset:", restart_from(offsets=cp1, state=cp2))
print("old state, new offset:", restart_from(offsets=cp2, state=cp1))
# > cp1: (2,) {'u1': 1, 'u2': 1}
# > cp2: (4,) {'u1': 3, 'u2': 1}
# > same checkpoint:       {'u1': 4, 'u2': 2}
# > new state, old offset: {'u1': 6, 'u2': 2}
# > old state, new offset: {'u1': 2, 'u2': 2}
# --8<-- [end:mismatch]
