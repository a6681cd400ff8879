"""A trainer slower than its ingest: buffer, drop, or backpressure."""

from fractions import Fraction

from streamlab.flow import (
    AimdBatcher,
    TokenBucket,
    run_credit_based,
    run_dropping,
    run_unbounded,
)

# --8<-- [start:scenario]
# One tick = one second. Events arrive at 12/s; the trainer handles 8/s.
PEAK = 100  # seconds of overload
arrivals = [12] * PEAK
service = [8] * PEAK
# --8<-- [end:scenario]

# --8<-- [start:compare]
runs = {
    "unbounded queue": run_unbounded(arrivals, service),
    "drop newest (64)": run_dropping(arrivals, service, capacity=64),
    "credits (16)": run_credit_based(arrivals, service, credits=16),
    "credits (4)": run_credit_based(arrivals, service, credits=4),
}
print(f"{'strategy':<17}{'delivered':>10}{'dropped':>8}{'memory':>8}{'lag':>5}")
for name, r in runs.items():
    print(
        f"{name:<17}{r.delivered:>10}{r.dropped:>8}"
        f"{r.max_buffered:>8}{r.final_lag:>5}"
    )
# > strategy          delivered dropped  memory  lag
# > unbounded queue         800       0     408  400
# > drop newest (64)        800     344      64   56
# > credits (16)            800       0      16  400
# > credits (4)             400       0       4  800
# --8<-- [end:compare]

# --8<-- [start:catch_up]
# After the peak, a quiet minute: the lag in the log drains, drops stay lost.
quiet_arrivals = arrivals + [0] * 60
quiet_service = service + [8] * 60
credit = run_credit_based(quiet_arrivals, quiet_service, credits=16)
dropped = run_dropping(quiet_arrivals, quiet_service, capacity=64)
print("credits:", credit.delivered, "trained,", credit.final_lag, "lag")
# > credits: 1200 trained, 0 lag
print("drop:   ", dropped.delivered, "trained,", dropped.dropped, "lost")
# > drop:    856 trained, 344 lost
# --8<-- [end:catch_up]

# --8<-- [start:limiter]
# Producer-side rate limit: 8 events/s, bursts of up to 4.
bucket = TokenBucket(rate=8, burst=4)
now = 0
sent_at: list[int] = []
while len(sent_at) < 8:
    now += bucket.delay_until_available(now)  # wait on the virtual clock
    assert bucket.try_acquire(now)
    sent_at.append(now)
print(sent_at)
# > [0, 0, 0, 0, 125, 250, 375, 500]
# --8<-- [end:limiter]

# --8<-- [start:aimd]
# Step latency of the trainer: 20 ms fixed + 2 ms per example; budget 100 ms.
batcher = AimdBatcher(
    target=100, initial=8, max_size=256, increase=4, decrease=Fraction(1, 2)
)
sizes = [batcher.size]
for _ in range(22):
    step_ms = 20 + 2 * batcher.size
    sizes.append(batcher.observe(step_ms))
print(sizes[:12])
# > [8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 22, 26]
print(sizes[12:])
# > [30, 34, 38, 42, 21, 25, 29, 33, 37, 41, 20]
# --8<-- [end:aimd]
