"""Stateful processing: what bounds keyed state, and how key groups move."""

from streamlab.windows import TumblingWindows, WindowedAggregation, counting

MINUTE = 60_000


# --8<-- [start:growth]
def run(with_watermarks: bool) -> list[int]:
    """Per-user counts in 1-minute windows over one hour of clicks."""
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        TumblingWindows(MINUTE), counting()
    )
    kept = []
    for minute in range(60):
        for n in range(100):  # 100 active users a minute, drawn from 1,000
            user = f"user-{(minute * 37 + n) % 1000}"
            op.on_event(user, minute * MINUTE + n * 100, 1)
        if minute % 20 == 19:
            kept.append(op.open_windows)
        if with_watermarks:  # event time has passed the end of this minute
            op.on_watermark((minute + 1) * MINUTE - 1)
    return kept


print("(key, window) states kept after 20, 40, 60 minutes")
print("no watermark:  ", run(with_watermarks=False))
print("watermarks:    ", run(with_watermarks=True))
# > (key, window) states kept after 20, 40, 60 minutes
# > no watermark:   [2000, 4000, 6000]
# > watermarks:     [100, 100, 100]
# --8<-- [end:growth]


# --8<-- [start:key_groups]
def key_group_range(max_parallelism: int, parallelism: int, i: int) -> range:
    """Key groups owned by subtask i (Flink's range arithmetic)."""
    start = (i * max_parallelism + parallelism - 1) // parallelism
    end = ((i + 1) * max_parallelism - 1) // parallelism
    return range(start, end + 1)


for p in (2, 3, 4):
    ranges = [key_group_range(128, p, i) for i in range(p)]
    print(f"p={p}:", ", ".join(f"[{r.start}, {r.stop - 1}]" for r in ranges))
# > p=2: [0, 63], [64, 127]
# > p=3: [0, 42], [43, 85], [86, 127]
# > p=4: [0, 31], [32, 63], [64, 95], [96, 127]
# --8<-- [end:key_groups]
