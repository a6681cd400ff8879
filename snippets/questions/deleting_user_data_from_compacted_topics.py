"""Erasing one user from a compacted topic, and crypto-shredding."""

import hashlib
import random

from streamlab.compaction import CompactedPartition

HOUR, DAY = 3_600_000, 86_400_000

# --8<-- [start:stuck]
profiles = CompactedPartition[str](
    segment_records=100,
    max_compaction_lag_ms=DAY,  # without it the erasure below never runs
)
for i in range(1_000):
    profiles.append(f"u{i}", f"email-of-u{i}", timestamp=0)
profiles.roll()
profiles.clean(now=HOUR)  # first pass: everything is dirty

profiles.append("u7", None, timestamp=2 * HOUR)  # the erasure request
profiles.roll()


def pii_left(now: int) -> bool:
    profiles.clean(now)  # what the cleaner would do at this time
    return any(r.key == "u7" and r.value for r in profiles.read(0))


print(f"{profiles.dirty_ratio(3 * HOUR):.4f}", pii_left(3 * HOUR))
# > 0.0010 True
print(pii_left(2 * HOUR + DAY), pii_left(2 * HOUR + DAY + 1))
# > True False
[tomb] = [r for r in profiles.read(0) if r.key == "u7"]
assert tomb.delete_horizon is not None  # stamped by the forced pass
print((tomb.delete_horizon - 2 * HOUR) // HOUR)  # hours after the erasure
# > 48
print(pii_left(2 * HOUR + 2 * DAY + 1), len(profiles.read(0)))
# > False 999
# --8<-- [end:stuck]


# --8<-- [start:shred]
def keystream(key: bytes, n: int) -> bytes:  # toy cipher for the demo only;
    out = b""  # production uses AES-GCM from a KMS-managed key
    while len(out) < n:
        out += hashlib.sha256(key + len(out).to_bytes(4, "big")).digest()
    return out[:n]


def xor(key: bytes, data: bytes) -> bytes:  # encrypts and decrypts
    return bytes(
        a ^ b for a, b in zip(data, keystream(key, len(data)), strict=True)
    )


def seal(key: bytes, text: str) -> bytes:
    return xor(key, text.encode())


def unseal(key: bytes, blob: bytes) -> str:
    return xor(key, blob).decode()


rng = random.Random(7)
vault = {user: rng.randbytes(16) for user in ("u1", "u2")}  # one key a user
events = [
    (u, seal(vault[u], f"{u} bought item {n}"))
    for u, n in [("u1", 1), ("u2", 2), ("u1", 3)]
]  # in a delete-policy topic
backup = list(events)  # a copy nobody can rewrite

del vault["u1"]  # erasure: destroy the key, not the records


def read(copy: list[tuple[str, bytes]]) -> list[str]:
    return [
        unseal(vault[u], b) if u in vault else "<shredded>" for u, b in copy
    ]


print(read(events))
# > ['<shredded>', 'u2 bought item 2', '<shredded>']
print(read(backup) == read(events))
# > True
# --8<-- [end:shred]
