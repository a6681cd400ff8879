"""One windowed sum, computed as a batch job and as a streaming job.

Times are milliseconds; windows are one-minute tumbling windows in event
time. The batch job sees the whole input at once. The streaming job sees the
same events one by one in arrival order and decides when a window is
complete from a bounded-out-of-orderness watermark.
"""

from collections.abc import Sequence

from streamlab.watermarks import BoundedOutOfOrderness
from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    WindowedAggregation,
    WindowResult,
    summing,
    tumbling,
)

# --8<-- [start:events]
MINUTE = 60_000
SECOND = 1_000

# (store, event time in ms, amount), in the order the events arrive.
sales = [
    ("north", 10_000, 5),
    ("south", 20_000, 3),
    ("north", 70_000, 4),
    ("north", 50_000, 2),  # out of order: 20 s behind the newest event
    ("south", 130_000, 1),
    ("north", 40_000, 7),  # 90 s behind the newest event
    ("south", 185_000, 6),
]
# --8<-- [end:events]

Table = dict[tuple[str, int], int]  # (store, minute) -> total


def show(table: Table) -> str:
    return " ".join(f"{s}@{m}={v}" for (s, m), v in sorted(table.items()))


# --8<-- [start:batch]
def batch_job(events: list[tuple[str, int, int]]) -> Table:
    """The input is complete: group by key and window, emit once."""
    totals: Table = {}
    for store, ts, amount in events:
        minute = tumbling(ts, MINUTE).start // MINUTE
        totals[(store, minute)] = totals.get((store, minute), 0) + amount
    return totals


print(show(batch_job(sales)))
# > north@0=14 north@1=4 south@0=3 south@2=1 south@3=6
# --8<-- [end:batch]


# --8<-- [start:stream]
def streaming_job(
    events: list[tuple[str, int, int]], bound: int, lateness: int = 0
) -> Table:
    """Events arrive one by one; the watermark says when a window is done."""
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(MINUTE), summing(), allowed_lateness=lateness
    )
    watermark = BoundedOutOfOrderness(bound)
    table: Table = {}

    def publish(
        outputs: Sequence[WindowResult[str, int] | LateEvent[str, int]],
    ) -> None:
        for out in outputs:
            if isinstance(out, LateEvent):
                print(f"  late, dropped: {out.key} t={out.ts // SECOND}s")
                continue
            key = (out.key, out.window.start // MINUTE)
            table[key] = out.value  # an upsert: an update replaces
            kind = "update" if out.is_update else "emit"
            print(f"  {kind} {out.key}@{key[1]}={out.value}")

    for store, ts, amount in events:
        publish(op.on_event(store, ts, amount))
        watermark.on_event(ts)
        publish(op.on_watermark(watermark.current))
    publish(op.close())  # end of input: the final watermark fires the rest
    return table


print("bound 30 s, no allowed lateness")
fast = streaming_job(sales, bound=30 * SECOND)
print(show(fast), fast == batch_job(sales))
# > bound 30 s, no allowed lateness
# >   emit north@0=7
# >   emit south@0=3
# >   late, dropped: north t=40s
# >   emit north@1=4
# >   emit south@2=1
# >   emit south@3=6
# > north@0=7 north@1=4 south@0=3 south@2=1 south@3=6 False
# --8<-- [end:stream]

# --8<-- [start:lateness]
print("bound 30 s, 60 s allowed lateness")
patient = streaming_job(sales, bound=30 * SECOND, lateness=MINUTE)
print(show(patient), patient == batch_job(sales))
# > bound 30 s, 60 s allowed lateness
# >   emit north@0=7
# >   emit south@0=3
# >   update north@0=14
# >   emit north@1=4
# >   emit south@2=1
# >   emit south@3=6
# > north@0=14 north@1=4 south@0=3 south@2=1 south@3=6 True
# --8<-- [end:lateness]

# --8<-- [start:replay]
# A backfill reads history that is already complete: sorted by event time,
# a zero bound is a perfect watermark and nothing is late.
backfill = sorted(sales, key=lambda sale: sale[1])
replayed = streaming_job(backfill, bound=0)
print(replayed == batch_job(sales))
# >   emit north@0=14
# >   emit south@0=3
# >   emit north@1=4
# >   emit south@2=1
# >   emit south@3=6
# > True
# --8<-- [end:replay]
