"""Testing a windowed pipeline with a virtual clock and a test driver."""

from collections import Counter

from streamlab.testing import WindowTestDriver, shuffle_within_bound
from streamlab.windows import TumblingWindows, summing, tumbling

SECOND = 1_000

# --8<-- [start:driver]
driver = WindowTestDriver[str, int, int](
    TumblingWindows(10 * SECOND),  # 10 s tumbling windows
    summing(),
    bound=2 * SECOND,  # watermark = max event time - 2 s - 1 ms
    watermark_interval=200,  # periodic, like Flink's default
)
driver.pipe("clicks", 1 * SECOND, 1)
driver.pipe("clicks", 9 * SECOND, 1)
driver.pipe("clicks", 13 * SECOND, 1)  # generator now at 10.999 s
print(driver.results.read_all(), driver.watermark)  # no tick yet
# > [] -9223372036854775808
driver.advance_clock(200)  # one periodic watermark
for r in driver.results.read_all():
    print(r.key, r.window.start, r.window.end, r.value)
# > clicks 0 10000 2
driver.pipe("clicks", 7 * SECOND, 5)  # behind the watermark: side output
print([(e.ts, e.watermark) for e in driver.late.read_all()])
# > [(7000, 10999)]
driver.close()  # end of input fires what is left
print([(r.window.start, r.value) for r in driver.results.read_all()])
# > [(10000, 1)]
# --8<-- [end:driver]

# --8<-- [start:property]
events = [("a", ts * SECOND, 1) for ts in (0, 3, 4, 8, 12, 15, 19, 21)]
expected = Counter((k, tumbling(ts, 10 * SECOND).start) for k, ts, _ in events)
for seed in range(50):
    run = WindowTestDriver[str, int, int](
        TumblingWindows(10 * SECOND), summing(), bound=4 * SECOND
    )
    for key, ts, value in shuffle_within_bound(events, 4 * SECOND, seed):
        run.pipe(key, ts, value)
        run.advance_clock(250)
    run.close()
    got = {(k, w.start): v for (k, w), v in run.final_windows().items()}
    assert got == dict(expected) and run.late.history == []
print(sorted(got.items()))
# > [(('a', 0), 4), (('a', 10000), 3), (('a', 20000), 1)]
# --8<-- [end:property]
