"""A per-key resequencer: in order per key, bounded buffer, timeouts."""

from streamlab.ordering import (
    Dropped,
    Gap,
    Output,
    Released,
    Resequencer,
    Sequenced,
)


def show(outputs: list[Output[str, str]]) -> str:
    parts = []
    for o in outputs:
        if isinstance(o, Released):
            parts.append(o.record.value)
        elif isinstance(o, Gap):
            parts.append(f"gap {o.key}:{o.start}-{o.end} ({o.reason})")
        elif isinstance(o, Dropped):
            parts.append(f"drop {o.record.value} ({o.reason})")
    return ", ".join(parts) or "-"


# --8<-- [start:basic]
rs: Resequencer[str, str] = Resequencer(timeout=5, max_buffered=8)
arrivals = [("a", 0), ("a", 2), ("b", 0), ("a", 1), ("b", 1), ("a", 1)]
for key, seq in arrivals:
    print(f"{key}{seq} ->", show(rs.offer(Sequenced(key, seq, f"{key}{seq}"))))
# > a0 -> a0
# > a2 -> -
# > b0 -> b0
# > a1 -> a1, a2
# > b1 -> b1
# > a1 -> drop a1 (stale)
# --8<-- [end:basic]

# --8<-- [start:timeout]
# Clock in milliseconds, passed in by the caller; a record waits 500 ms.
rs = Resequencer(timeout=500, max_buffered=8, clock="time")
print(show(rs.offer(Sequenced("a", 0, "a0"), now=1_000)))
# > a0
print(show(rs.offer(Sequenced("a", 2, "a2"), now=1_100)))
# > -
print(show(rs.tick(1_599)))
# > -
print(show(rs.tick(1_600)))
# > gap a:1-1 (timeout), a2
print(show(rs.offer(Sequenced("a", 1, "a1"), now=1_700)))
# > drop a1 (stale)
# --8<-- [end:timeout]

# --8<-- [start:overflow]
# Only 2 records may wait per key: the third forces the first gap out.
rs = Resequencer(timeout=1_000, max_buffered=2)
for seq in (3, 4, 6):
    print(seq, "->", show(rs.offer(Sequenced("a", seq, f"a{seq}"))))
# > 3 -> -
# > 4 -> -
# > 6 -> gap a:0-2 (overflow), a3, a4
print(rs.buffered, rs.expected("a"))
# > 1 5
# --8<-- [end:overflow]
