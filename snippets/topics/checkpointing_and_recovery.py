"""Checkpointing and recovery: aligned barriers vs. no alignment."""

from collections import Counter

from streamlab.checkpointing import Job, expected_output, run

# --8<-- [start:recovery]
inputs = [list("abcabc"), list("cabcab")]  # two sources of keys
want = expected_output(inputs)
for aligned in (True, False):
    wrong = 0
    for seed in range(100):  # 100 schedules, one crash each, mid-run
        result = run(inputs, seed, crash_points=[20], aligned=aligned)
        wrong += Counter(result.output) != want
    print(f"aligned={aligned!s:<5} runs with wrong committed output: {wrong}")
# --8<-- [end:recovery]
# > aligned=True  runs with wrong committed output: 0
# > aligned=False runs with wrong committed output: 9

# --8<-- [start:trace]
job = Job([["a", "b"], ["c"]])
steps = [
    ("emit", 0),  # source 0 sends "a"
    ("trigger", 0),  # barrier 1 into both channels, offsets (1, 0) recorded
    ("emit", 0),  # "b" lands behind barrier 1 on channel 0
    ("process", 0),  # counter takes "a"
    ("process", 0),  # barrier 1 on channel 0: channel 0 blocked
    ("process", 1),  # barrier 1 on channel 1: aligned, snapshot
]
for action in steps:
    job.step(action)
    blocked = [i for i, b in enumerate(job.blocked) if b]
    print(
        f"{action[0]:<8} {action[1]} blocked={blocked} snapshot={job.snapshot}"
    )
# > emit     0 blocked=[] snapshot={}
# > trigger  0 blocked=[] snapshot={}
# > emit     0 blocked=[] snapshot={}
# > process  0 blocked=[] snapshot={}
# > process  0 blocked=[0] snapshot={}
# > process  1 blocked=[] snapshot={'a': 1}
# --8<-- [end:trace]
