"""Delivery guarantees: where the offset commit sits, under one crash."""

from streamlab.delivery import Mode, Record, Source, audit, run


def name(records: list[Record]) -> str:
    """Records as key@partition:offset."""
    return ",".join(f"{r.key}@{r.partition}:{r.offset}" for r in records) or "-"


# --8<-- [start:modes]
source = Source(2, [("u1", 10), ("u2", 20), ("u1", 11), ("u3", 30)])
for mode in Mode:
    result = run(source, mode, crash_points=[3])  # die before action 3
    report = audit(source, result.effects)
    print(
        f"{mode:<14} effects={len(result.effects)}"
        f" lost={name(report.lost)} duplicated={name(report.duplicated)}"
    )
# > at-most-once   effects=3 lost=u2@0:1 duplicated=-
# > at-least-once  effects=5 lost=- duplicated=u2@0:1
# > idempotent     effects=4 lost=- duplicated=-
# > transactional  effects=4 lost=- duplicated=-
# --8<-- [end:modes]
