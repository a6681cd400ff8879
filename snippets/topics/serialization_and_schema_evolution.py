"""Avro schema evolution checked by decoding, as a registry would judge it."""

from streamlab.schemas import (
    Compatibility,
    can_read,
    check_compatibility,
    resolve,
)


def user(*fields: dict[str, object]) -> dict[str, object]:
    return {"type": "record", "name": "User", "fields": list(fields)}


# --8<-- [start:resolve]
v1 = user({"name": "id", "type": "long"}, {"name": "plan", "type": "string"})
v2 = user(
    {"name": "id", "type": "long"},
    {"name": "plan", "type": "string"},
    {"name": "country", "type": "string", "default": "unknown"},
)
# A new consumer (reader v2) reads a record an old producer wrote (v1):
print(resolve(v1, v2, {"id": 7, "plan": "pro"}))
# > {'id': 7, 'plan': 'pro', 'country': 'unknown'}
# An old consumer (reader v1) reads a v2 record: the extra field is skipped.
print(resolve(v2, v1, {"id": 7, "plan": "pro", "country": "FR"}))
# > {'id': 7, 'plan': 'pro'}
# --8<-- [end:resolve]

# --8<-- [start:levels]
no_default = user(
    {"name": "id", "type": "long"},
    {"name": "plan", "type": "string"},
    {"name": "country", "type": "string"},
)
for new in (v2, no_default):
    verdicts = [
        check_compatibility(new, [v1], level).compatible
        for level in (Compatibility.BACKWARD, Compatibility.FORWARD)
    ]
    print(verdicts)
# > [True, True]
# > [False, True]
record, reason = can_read(no_default, v1) or (None, "")
print(record, "->", reason)
# > {'id': 0, 'plan': ''} -> No default value for field country in User
# --8<-- [end:levels]

# --8<-- [start:transitive]
# v2 drops `plan`; v3 brings it back as an int with a default.
dropped = user({"name": "id", "type": "long"})
back = user(
    {"name": "id", "type": "long"},
    {"name": "plan", "type": "int", "default": 0},
)
history = [v1, dropped]
for level in (Compatibility.BACKWARD, Compatibility.BACKWARD_TRANSITIVE):
    verdict = check_compatibility(back, history, level)
    pairs = [(f.writer_version, f.reader_version) for f in verdict.failures]
    print(level.value, verdict.compatible, pairs)
# > BACKWARD True []
# > BACKWARD_TRANSITIVE False [(1, 3)]
# --8<-- [end:transitive]
