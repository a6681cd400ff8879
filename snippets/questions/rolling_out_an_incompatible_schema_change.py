"""Expand and contract: an incompatible change as a chain of safe steps."""

from typing import Any

from streamlab.schemas import Compatibility, check_compatibility


def payment(*fields: Any) -> dict[str, Any]:
    return {"type": "record", "name": "Payment", "fields": list(fields)}


ID = {"name": "id", "type": "long"}

# --8<-- [start:steps]
v1 = payment(ID, {"name": "amount", "type": "string"})  # "12.50"
direct = payment(ID, {"name": "amount", "type": "long"})  # cents
expand = payment(
    ID,
    {"name": "amount", "type": "string", "default": ""},
    {"name": "amount_cents", "type": ["null", "long"], "default": None},
)
contract = payment(
    ID, {"name": "amount_cents", "type": ["null", "long"], "default": None}
)
plans = {
    "direct": [v1, direct],
    "expand/contract": [v1, expand, contract],
}
for name, versions in plans.items():
    for level in (Compatibility.FULL, Compatibility.FULL_TRANSITIVE):
        steps = [
            check_compatibility(new, versions[:i], level).compatible
            for i, new in enumerate(versions[1:], start=1)
        ]
        print(f"{name:16} {level.value:16} {steps}")
# > direct           FULL             [False]
# > direct           FULL_TRANSITIVE  [False]
# > expand/contract  FULL             [True, True]
# > expand/contract  FULL_TRANSITIVE  [True, False]
# --8<-- [end:steps]

# --8<-- [start:why]
verdict = check_compatibility(
    contract, [v1, expand], Compatibility.FULL_TRANSITIVE
)
for f in verdict.failures:
    print(f"v{f.writer_version} data, v{f.reader_version} reader: {f.reason}")
# > v3 data, v1 reader: No default value for field amount in Payment
# --8<-- [end:why]
