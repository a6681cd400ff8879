"""Build point-in-time-correct training rows with an as-of join."""

from streamlab.joins import AsOf, Record, as_of_join

# --8<-- [start:log]
# Feature log of `orders_7d` (times in minutes): the value, the event time
# it describes, and the time the pipeline published it (when serving
# could first read it). The 120 batch ran an hour late.
log = [  # (user, value, event time, available at)
    ("u1", 3, 60, 65),
    ("u1", 5, 120, 180),
    ("u2", 1, 10, 15),
]
by_event = [Record(user, ev, value) for user, value, ev, _ in log]
by_available = [Record(user, av, value) for user, value, _, av in log]

# Labelled events: (user, prediction time, label).
labels = [
    Record("u1", 100, "no buy"),
    Record("u1", 150, "buy"),
    Record("u1", 200, "buy"),
    Record("u2", 500, "buy"),
]
# --8<-- [end:log]


# --8<-- [start:naive]
def as_of_naive(
    events: list[Record[str, str]], versions: list[Record[str, int]]
) -> list[int | None]:
    """Nested loops, O(n * m): the reference an interviewer expects first."""
    out: list[int | None] = []
    for event in events:
        best: Record[str, int] | None = None
        for v in versions:  # latest version at or before the event
            at_or_before = v.key == event.key and v.ts <= event.ts
            if at_or_before and (best is None or v.ts >= best.ts):
                best = v
        out.append(None if best is None else best.value)
    return out


# --8<-- [end:naive]


# --8<-- [start:join]
def show(row: AsOf[str, str, int]) -> str:
    return "stale" if row.stale else str(row.value)


latest = {user: value for user, value, _, _ in log}  # a lookup "now"
leaky = as_of_join(labels, by_event)
correct = as_of_join(labels, by_available, max_staleness=240)
print("user  t    label   latest  by-event  by-available")
for e, a, b in zip(labels, leaky, correct, strict=True):
    print(
        f"{e.key:<5} {e.ts:<4} {e.value:<7} {latest[e.key]:<7} "
        f"{show(a):<9} {show(b)}"
    )
# > user  t    label   latest  by-event  by-available
# > u1    100  no buy  5       3         3
# > u1    150  buy     5       5         3
# > u1    200  buy     5       5         5
# > u2    500  buy     1       1         stale
assert [r.value for r in leaky] == as_of_naive(labels, by_event)
# --8<-- [end:join]
