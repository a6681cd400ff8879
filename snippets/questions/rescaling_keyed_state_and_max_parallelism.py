"""Flink's key groups: which subtask owns a key, before and after rescaling.

A plain-Python transcription of Flink's ``KeyGroupRangeAssignment`` and
``MathUtils.murmurHash``, with Java's ``String.hashCode`` for the key.
Java ints wrap at 32 bits; Python ints do not, so every step is masked.
"""

from collections import Counter

MASK = 0xFFFFFFFF


def to_int32(x: int) -> int:
    """Read the low 32 bits of ``x`` as a signed Java int."""
    x &= MASK
    return x - (1 << 32) if x >= 1 << 31 else x


def rotl(x: int, r: int) -> int:
    """Java's ``Integer.rotateLeft`` on the low 32 bits."""
    x &= MASK
    return ((x << r) | (x >> (32 - r))) & MASK


# --8<-- [start:assign]
def java_string_hash(key: str) -> int:
    """Java ``String.hashCode``: h = 31 * h + char, in 32-bit arithmetic."""
    h = 0
    for ch in key:  # BMP characters only: one UTF-16 unit each
        h = (31 * h + ord(ch)) & MASK
    return to_int32(h)


def murmur_hash(code: int) -> int:
    """Flink's ``MathUtils.murmurHash``: murmur3 of one int, non-negative."""
    c = (code & MASK) * 0xCC9E2D51 & MASK
    c = rotl(c, 15) * 0x1B873593 & MASK
    c = (rotl(c, 13) * 5 + 0xE6546B64) & MASK
    c ^= 4
    c ^= c >> 16
    c = c * 0x85EBCA6B & MASK
    c ^= c >> 13
    c = c * 0xC2B2AE35 & MASK
    c = to_int32(c ^ (c >> 16))
    if c >= 0:
        return c
    return -c if c != -(1 << 31) else 0


def key_group(key: str, max_parallelism: int) -> int:
    """``computeKeyGroupForKeyHash``: murmur(hashCode) % maxParallelism."""
    return murmur_hash(java_string_hash(key)) % max_parallelism


def operator_index(group: int, max_parallelism: int, parallelism: int) -> int:
    """``computeOperatorIndexForKeyGroup``: group * p / maxParallelism."""
    return group * parallelism // max_parallelism


def key_group_range(
    max_parallelism: int, parallelism: int, index: int
) -> range:
    """``computeKeyGroupRangeForOperatorIndex``: the contiguous slice."""
    start = (index * max_parallelism + parallelism - 1) // parallelism
    end = ((index + 1) * max_parallelism - 1) // parallelism
    return range(start, end + 1)


def default_max_parallelism(parallelism: int) -> int:
    """``computeDefaultMaxParallelism``: pow2(1.5 p) within [128, 32768]."""
    rounded = 1 << (parallelism + parallelism // 2 - 1).bit_length()
    return min(max(rounded, 128), 32768)


# --8<-- [end:assign]

assert java_string_hash("Hello") == 69609650  # the value Java prints

# --8<-- [start:ranges]
MAX_P = 128
for p in (4, 6):
    slices = [key_group_range(MAX_P, p, i) for i in range(p)]
    print(f"p={p}:", " ".join(f"{r.start}-{r.stop - 1}" for r in slices))
# > p=4: 0-31 32-63 64-95 96-127
# > p=6: 0-21 22-42 43-63 64-85 86-106 107-127
# --8<-- [end:ranges]

# --8<-- [start:rescale]
keys = [f"user-{n}" for n in range(10_000)]
groups = {k: key_group(k, MAX_P) for k in keys}
before = {k: operator_index(g, MAX_P, 4) for k, g in groups.items()}
after = {k: operator_index(g, MAX_P, 6) for k, g in groups.items()}
moved = sum(before[k] != after[k] for k in keys)
print(f"keys per subtask at p=6: {sorted(Counter(after.values()).values())}")
print(f"keys that change subtask 4 -> 6: {moved / len(keys):.0%}")
# each subtask reads whole key groups: a range of a few old state handles
for i in range(6):
    r = key_group_range(MAX_P, 6, i)
    old = sorted({operator_index(g, MAX_P, 4) for g in r})
    print(
        f"new subtask {i} reads key groups {r.start}-{r.stop - 1}"
        f" from old subtasks {old}"
    )
# > keys per subtask at p=6: [1639, 1650, 1669, 1674, 1676, 1692]
# > keys that change subtask 4 -> 6: 74%
# > new subtask 0 reads key groups 0-21 from old subtasks [0]
# > new subtask 1 reads key groups 22-42 from old subtasks [0, 1]
# > new subtask 2 reads key groups 43-63 from old subtasks [1]
# > new subtask 3 reads key groups 64-85 from old subtasks [2]
# > new subtask 4 reads key groups 86-106 from old subtasks [2, 3]
# > new subtask 5 reads key groups 107-127 from old subtasks [3]
# --8<-- [end:rescale]

# --8<-- [start:maxp]
for p in (10, 85, 86, 200, 1000, 30000):
    print(
        f"parallelism {p:>5} -> default max parallelism"
        f" {default_max_parallelism(p)}"
    )
same = sum(key_group(k, 128) == key_group(k, 256) for k in keys)
print(f"keys in the same key group id at 128 and 256: {same / len(keys):.0%}")
# > parallelism    10 -> default max parallelism 128
# > parallelism    85 -> default max parallelism 128
# > parallelism    86 -> default max parallelism 256
# > parallelism   200 -> default max parallelism 512
# > parallelism  1000 -> default max parallelism 2048
# > parallelism 30000 -> default max parallelism 32768
# > keys in the same key group id at 128 and 256: 50%
# --8<-- [end:maxp]
