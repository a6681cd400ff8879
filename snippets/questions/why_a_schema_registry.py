"""An upstream rename, seen by a feature pipeline, under BACKWARD."""

from typing import Any

from streamlab.schemas import (
    Compatibility,
    can_read,
    check_compatibility,
    resolve,
)


def payment(*fields: Any) -> dict[str, Any]:
    return {"type": "record", "name": "Payment", "fields": list(fields)}


ID = {"name": "id", "type": "long"}

# --8<-- [start:rename]
v1 = payment(ID, {"name": "amount", "type": "double"})
candidates = {
    "plain rename": payment(ID, {"name": "amount_usd", "type": "double"}),
    "rename + default": payment(
        ID, {"name": "amount_usd", "type": "double", "default": 0.0}
    ),
    "rename + alias": payment(
        ID, {"name": "amount_usd", "type": "double", "aliases": ["amount"]}
    ),
}
for name, v2 in candidates.items():
    verdict = check_compatibility(v2, [v1], Compatibility.BACKWARD)
    print(f"{name:17}", "accepted" if verdict.compatible else "rejected")
# > plain rename      rejected
# > rename + default  accepted
# > rename + alias    accepted
# --8<-- [end:rename]

# --8<-- [start:read_old]
old_record = {"id": 7, "amount": 12.5}  # written by a v1 producer
for name in ("rename + default", "rename + alias"):
    print(f"{name:17}", resolve(v1, candidates[name], old_record))
# > rename + default  {'id': 7, 'amount_usd': 0.0}
# > rename + alias    {'id': 7, 'amount_usd': 12.5}
# --8<-- [end:read_old]

# --8<-- [start:order]
# Producers switch to v2 before the feature pipeline (still on v1) does:
new_record = {"id": 8, "amount_usd": 30.0}
v2 = candidates["rename + alias"]
failure = can_read(v1, v2, [new_record])  # None if v1 can read it
print(failure[1] if failure else "readable")
# > No default value for field amount in Payment
# --8<-- [end:order]
