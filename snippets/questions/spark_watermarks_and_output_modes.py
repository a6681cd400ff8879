"""Append and Update output modes on one windowed count, batch by batch.

A model of Structured Streaming's rules, not Spark itself. Times are minutes
after 12:00; windows are 10-minute tumbling windows; the watermark delay is
10 minutes. The watermark a micro-batch uses was computed at the end of the
previous one: the highest event time seen minus the delay.
"""

from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    Window,
    WindowedAggregation,
    counting,
    tumbling,
)

SIZE, DELAY = 10, 10


def show(w: Window) -> str:
    return f"[{w.start},{w.end})"


# --8<-- [start:batches]
batches = [  # event times that arrive in each micro-batch
    [7, 8],
    [14, 9],  # 9 is out of order but ahead of the watermark
    [21],
    [4, 25],  # 4 is now behind the watermark: dropped
]
# --8<-- [end:batches]


# --8<-- [start:append]
def append_mode(batches: list[list[int]]) -> None:
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(SIZE), counting()
    )
    max_seen: int | None = None
    for n, batch in enumerate(batches):
        wm = None if max_seen is None else max_seen - DELAY
        # A window is final once the watermark reaches its end.
        final = op.on_watermark(wm - 1) if wm is not None else []
        dropped: list[int] = []
        for ts in batch:
            for out in op.on_event("all", ts, ts):
                if isinstance(out, LateEvent):
                    dropped.append(ts)
            max_seen = ts if max_seen is None else max(max_seen, ts)
        rows = " ".join(f"{show(r.window)}={r.value}" for r in final)
        print(f"batch {n} wm={wm}: emit {rows or '-'} dropped {dropped}")
    print("kept in state:", op.open_windows)


append_mode(batches)
# > batch 0 wm=None: emit - dropped []
# > batch 1 wm=-2: emit - dropped []
# > batch 2 wm=4: emit - dropped []
# > batch 3 wm=11: emit [0,10)=3 dropped [4]
# > kept in state: 2
# --8<-- [end:append]


# --8<-- [start:update]
def update_mode(batches: list[list[int]]) -> None:
    counts: dict[Window, int] = {}
    max_seen: int | None = None
    for n, batch in enumerate(batches):
        wm = None if max_seen is None else max_seen - DELAY
        changed: set[Window] = set()
        for ts in batch:
            max_seen = ts if max_seen is None else max(max_seen, ts)
            w = tumbling(ts, SIZE)
            if wm is not None and w.end <= wm:
                continue  # its state is gone: too late
            counts[w] = counts.get(w, 0) + 1
            changed.add(w)
        rows = " ".join(f"{show(w)}={counts[w]}" for w in sorted(changed))
        if wm is not None:  # evict windows the watermark has passed
            counts = {w: c for w, c in counts.items() if w.end > wm}
        print(f"batch {n} wm={wm}: emit {rows}")
    print("kept in state:", len(counts))


update_mode(batches)
# > batch 0 wm=None: emit [0,10)=2
# > batch 1 wm=-2: emit [0,10)=3 [10,20)=1
# > batch 2 wm=4: emit [20,30)=1
# > batch 3 wm=11: emit [20,30)=2
# > kept in state: 2
# --8<-- [end:update]
