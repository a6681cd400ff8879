"""Event-time tumbling window sums with a watermark and late data."""

from collections import Counter
from collections.abc import Iterable, Iterator

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    WindowedAggregation,
    WindowResult,
    summing,
    tumbling,
)

SECOND, MINUTE = 1_000, 60_000
Out = WindowResult[str, int] | LateEvent[str, int]


def show(out: Out) -> str:
    if isinstance(out, LateEvent):
        return f"side output  {out.key} event at {out.ts // SECOND}s"
    kind = "update" if out.is_update else "result"
    start, end = out.window.start // SECOND, out.window.end // SECOND
    return f"{kind}       {out.key} [{start}s, {end}s) sum={out.value}"


# --8<-- [start:pipeline]
def windowed_sums(
    events: Iterable[tuple[str, int, int]],  # (key, event time ms, value)
    size: int = MINUTE,
    bound: int = 5 * SECOND,  # expected out-of-orderness
    lateness: int = 30 * SECOND,  # how long to keep state for updates
) -> Iterator[Out]:
    gen = BoundedOutOfOrderness(bound)
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(size), summing(), allowed_lateness=lateness
    )
    for key, ts, value in events:
        yield from op.on_event(key, ts, value)  # updates, side output
        gen.on_event(ts)
        yield from op.on_watermark(gen.current)  # complete windows fire
    yield from op.close()  # end of input: final watermark


# --8<-- [end:pipeline]

# --8<-- [start:run]
events = [  # (key, event time in s, value), in arrival order
    ("a", 10, 3),
    ("b", 20, 1),
    ("a", 58, 2),
    ("b", 55, 4),
    ("a", 66, 5),  # watermark 60.999 s: [0 s, 60 s) is complete
    ("a", 40, 1),  # late, within the 30 s lateness: an update
    ("b", 100, 7),  # watermark 94.999 s: [0 s, 60 s) purged at 89.999 s
    ("a", 30, 9),  # too late: side output
]
stream = [(k, t * SECOND, v) for k, t, v in events]
for out in windowed_sums(stream):
    print(show(out))
# > result       a [0s, 60s) sum=5
# > result       b [0s, 60s) sum=5
# > update       a [0s, 60s) sum=6
# > side output  a event at 30s
# > result       a [60s, 120s) sum=5
# > result       b [60s, 120s) sum=7
# --8<-- [end:run]

# --8<-- [start:check]
# A batch job over the same events, by key and window, knows everything:
batch: Counter[tuple[str, int]] = Counter()
for key, ts, value in stream:
    batch[(key, tumbling(ts, MINUTE).start // SECOND)] += value
print(sorted(batch.items()))
# > [(('a', 0), 15), (('a', 60), 5), (('b', 0), 5), (('b', 60), 7)]
# --8<-- [end:check]
