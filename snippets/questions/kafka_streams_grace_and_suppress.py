"""Kafka Streams windows closed by stream time: updates, grace, final results.

A model of the rules, not Kafka Streams. Times are seconds. Stream time is
the highest record timestamp the task has seen; a window ``[start, end)``
closes when stream time reaches ``end + grace``, and a record for a closed
window is dropped. ``WindowedAggregation`` fires a window when its watermark
reaches ``end - 1``, so feeding it ``stream time - grace - 1`` as the
watermark gives exactly that close rule.
"""

from streamlab.windows import (
    LateEvent,
    TumblingWindows,
    Window,
    WindowedAggregation,
    counting,
    tumbling,
)

SIZE = 60  # one-minute tumbling windows


def show(w: Window) -> str:
    return f"[{w.start},{w.end})"


# --8<-- [start:records]
records = [5, 20, 61, 50, 70, 125]  # one card's payments, arrival order
# --8<-- [end:records]


# --8<-- [start:updates]
def on_window_update(records: list[int], grace: int) -> None:
    counts: dict[Window, int] = {}
    stream_time = -1
    for ts in records:
        stream_time = max(stream_time, ts)
        w = tumbling(ts, SIZE)
        if stream_time >= w.end + grace:
            print(ts, "-> dropped, window closed")
            continue
        counts[w] = counts.get(w, 0) + 1
        print(ts, "->", f"{show(w)}={counts[w]}")


on_window_update(records, grace=15)  # the default: every update goes out
# > 5 -> [0,60)=1
# > 20 -> [0,60)=2
# > 61 -> [60,120)=1
# > 50 -> [0,60)=3
# > 70 -> [60,120)=2
# > 125 -> [120,180)=1
on_window_update(records, grace=0)  # ofSizeWithNoGrace
# > 5 -> [0,60)=1
# > 20 -> [0,60)=2
# > 61 -> [60,120)=1
# > 50 -> dropped, window closed
# > 70 -> [60,120)=2
# > 125 -> [120,180)=1
# --8<-- [end:updates]


# --8<-- [start:on_close]
def on_window_close(records: list[int], grace: int) -> None:
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(SIZE), counting()
    )
    stream_time = -1
    for ts in records:
        late = [
            o for o in op.on_event("card", ts, ts) if isinstance(o, LateEvent)
        ]
        stream_time = max(stream_time, ts)
        closed = op.on_watermark(stream_time - grace - 1)
        emitted = " ".join(f"{show(r.window)}={r.value}" for r in closed)
        note = " (dropped)" if late else ""
        print(f"{ts}{note}: stream time {stream_time}, emit {emitted or '-'}")
    print("waiting for stream time to move:", op.open_windows, "windows")


on_window_close(records, grace=0)
# > 5: stream time 5, emit -
# > 20: stream time 20, emit -
# > 61: stream time 61, emit [0,60)=2
# > 50 (dropped): stream time 61, emit -
# > 70: stream time 70, emit -
# > 125: stream time 125, emit [60,120)=2
# > waiting for stream time to move: 1 windows
on_window_close(records, grace=15)
# > 5: stream time 5, emit -
# > 20: stream time 20, emit -
# > 61: stream time 61, emit -
# > 50: stream time 61, emit -
# > 70: stream time 70, emit -
# > 125: stream time 125, emit [0,60)=3
# > waiting for stream time to move: 2 windows
# --8<-- [end:on_close]
