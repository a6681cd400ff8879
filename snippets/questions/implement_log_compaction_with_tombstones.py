"""Log compaction with segments and tombstones, checked against replay."""

import random

from streamlab.compaction import CompactedPartition, replay

MIN = 60_000  # one minute in ms

# --8<-- [start:walk]
part = CompactedPartition[int](
    segment_records=4,  # stand-in for segment.bytes
    min_compaction_lag_ms=10 * MIN,
    delete_retention_ms=60 * MIN,
)
log = [("a", 1), ("b", 1), ("a", 2), ("c", 1), ("b", None), ("a", 3)]
for minute, (key, value) in enumerate(log):
    part.append(key, value, timestamp=minute * MIN)
part.roll()  # close the active segment so that all of it may be cleaned

for now in (14 * MIN, 20 * MIN, 20 * MIN + 60 * MIN):
    result = part.clean(now, force=True)
    kept = " ".join(f"{r.offset}:{r.key}={r.value}" for r in part.read(0))
    print(f"t={now // MIN:>2} min removed={result.removed}: {kept}")
# > t=14 min removed=1: 1:b=1 2:a=2 3:c=1 4:b=None 5:a=3
# > t=20 min removed=2: 3:c=1 4:b=None 5:a=3
# > t=80 min removed=1: 3:c=1 5:a=3
# --8<-- [end:walk]

# --8<-- [start:oracle]
rng = random.Random(42)
for _ in range(300):
    part = CompactedPartition[int](
        segment_records=rng.randint(1, 5), delete_retention_ms=rng.randint(0, 9)
    )
    history: list[tuple[str, int | None]] = []
    now = 0
    for _step in range(40):
        now += rng.randint(0, 3)
        if rng.random() < 0.2:
            part.clean(now, force=rng.random() < 0.5)
            continue
        key = rng.choice("abcde")
        value = None if rng.random() < 0.3 else rng.randint(0, 99)
        part.append(key, value, now)
        history.append((key, value))
    table: dict[str, int] = {}
    for key, value in history:  # the brute-force oracle: replay everything
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    offsets = [r.offset for r in part.read(0)]
    assert replay(part.read(0)) == table
    assert offsets == sorted(set(offsets))
print("300 random histories: compacted replay == full replay")
# > 300 random histories: compacted replay == full replay
# --8<-- [end:oracle]
