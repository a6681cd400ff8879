"""Check Avro compatibility levels by decoding, on a 3-version history."""

from typing import Any

from streamlab.schemas import Compatibility, check_compatibility, sample_records

E2 = {"type": "enum", "name": "Tier", "symbols": ["FREE", "PRO"]}
E3 = {"type": "enum", "name": "Tier", "symbols": ["FREE", "PRO", "TEAM"]}


def user(*fields: Any) -> dict[str, Any]:
    return {"type": "record", "name": "User", "fields": list(fields)}


ID = {"name": "id", "type": "long"}

# --8<-- [start:samples]
v1 = user(ID, {"name": "tier", "type": E2})
for record in sample_records(v1, random_records=0):
    print(record)
# > {'id': 0, 'tier': 'FREE'}
# > {'id': 1, 'tier': 'PRO'}
# > {'id': -1, 'tier': 'FREE'}
# > {'id': 9223372036854775807, 'tier': 'PRO'}
# > {'id': -9223372036854775808, 'tier': 'FREE'}
# --8<-- [end:samples]

# --8<-- [start:matrix]
changes = {
    "add enum symbol": user(ID, {"name": "tier", "type": E3}),
    "add field w/ default": user(
        ID,
        {"name": "tier", "type": E2},
        {"name": "n", "type": "int", "default": 0},
    ),
    "add field, no default": user(
        ID, {"name": "tier", "type": E2}, {"name": "n", "type": "int"}
    ),
    "narrow long to int": user(
        {"name": "id", "type": "int"}, {"name": "tier", "type": E2}
    ),
}
levels = (Compatibility.BACKWARD, Compatibility.FORWARD, Compatibility.FULL)
for name, new in changes.items():
    row = [check_compatibility(new, [v1], lv).compatible for lv in levels]
    print(f"{name:22}", ["yes" if ok else "no" for ok in row])
# > add enum symbol        ['yes', 'no', 'no']
# > add field w/ default   ['yes', 'yes', 'yes']
# > add field, no default  ['no', 'yes', 'no']
# > narrow long to int     ['no', 'yes', 'no']
# --8<-- [end:matrix]

# --8<-- [start:why]
verdict = check_compatibility(
    changes["add enum symbol"], [v1], Compatibility.FORWARD
)
failure = verdict.failures[0]
print(failure.writer_version, "->", failure.reader_version, failure.record)
# > 2 -> 1 {'id': -1, 'tier': 'TEAM'}
print(failure.reason)
# > TEAM not found in reader symbol list Tier, known symbols: ['FREE', 'PRO']
# --8<-- [end:why]
