"""Batching delay against requests per second, on a virtual clock."""

from dataclasses import dataclass


# --8<-- [start:model]
@dataclass(frozen=True)
class BatchRun:
    """What one simulated second of batched sends did."""

    requests: int
    mean_latency_ms: float
    max_latency_ms: float


def simulate(
    rate: int, linger_ms: int, batch_records: int, rtt_ms: int = 2
) -> BatchRun:
    """One second of a producer sending ``rate`` evenly spaced records/s.

    A batch closes when it holds ``batch_records`` records (batch.size) or
    when its first record has waited ``linger_ms`` (linger.ms), whichever
    comes first. One request is in flight at a time and takes ``rtt_ms``;
    while the sender is busy, new records keep joining the open batch.
    Latency is send-to-ack per record. Records keep arriving after the
    measured second, so its last batch fills as in steady state. Times are
    integer microseconds.
    """
    gap = 1_000_000 // rate
    arrivals = [i * gap for i in range(2 * rate)]
    free = 0  # when the connection can take the next request
    i = requests = total = worst = 0
    while i < rate:  # batches that start within the measured second
        last = min(i + batch_records, len(arrivals)) - 1
        full = arrivals[last] if last - i + 1 == batch_records else None
        ready = arrivals[i] + linger_ms * 1000
        if full is not None:
            ready = min(ready, full)
        send = max(ready, free)  # a busy sender lets the batch keep growing
        end = i
        while end <= last and arrivals[end] <= send:
            end += 1
        ack = send + rtt_ms * 1000
        for t in arrivals[i : min(end, rate)]:
            total += ack - t
            worst = max(worst, ack - t)
        free, i, requests = ack, end, requests + 1
    return BatchRun(requests, total / rate / 1000, worst / 1000)


# --8<-- [end:model]

# --8<-- [start:sweep]
# 100-byte records, batch.size=16384: at most 163 records per batch.
print("rate/s  linger  requests  mean ms  max ms")
# > rate/s  linger  requests  mean ms  max ms
for rate in (100, 2_000, 20_000):
    for linger in (0, 5, 20):
        run = simulate(rate, linger, batch_records=163)
        print(
            f"{rate:>6}  {linger:>6}  {run.requests:>8}"
            f"  {run.mean_latency_ms:>7.1f}  {run.max_latency_ms:>6.1f}"
        )
# >    100       0       100      2.0     2.0
# >    100       5       100      7.0     7.0
# >    100      20        34     12.1    22.0
# >   2000       0       501      2.8     3.5
# >   2000       5       182      4.5     7.0
# >   2000      20        49     12.0    22.0
# >  20000       0       501      3.0     4.0
# >  20000       5       199      4.5     7.0
# >  20000      20       123      6.1    10.1
# --8<-- [end:sweep]
