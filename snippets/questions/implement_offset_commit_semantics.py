"""Offset commit placement under 500 seeded crash points per mode."""

import random

from streamlab.delivery import Mode, Source, audit, random_crash_points, run

# --8<-- [start:sweep]
rng = random.Random(7)
keys = ["u1", "u2", "u3", "u4", "u5"]
source = Source(3, [(rng.choice(keys), i) for i in range(40)])
for mode in Mode:
    clean = run(source, mode)  # fault-free run: how many actions?
    lossy = duplicating = 0
    for seed in range(500):
        crashes = random_crash_points(seed, clean.actions, crashes=2)
        report = audit(source, run(source, mode, crashes).effects)
        lossy += bool(report.lost)
        duplicating += bool(report.duplicated)
    print(f"{mode:<14} losing={lossy:>3}  duplicating={duplicating:>3}")
# > at-most-once   losing=386  duplicating=  0
# > at-least-once  losing=  0  duplicating=386
# > idempotent     losing=  0  duplicating=  0
# > transactional  losing=  0  duplicating=  0
# --8<-- [end:sweep]
