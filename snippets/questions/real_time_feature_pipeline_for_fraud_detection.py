"""Why rolling fraud features are built from small buckets, not hopping windows.

Times are seconds.
"""

from streamlab.windows import hopping, tumbling

MINUTE, HOUR, DAY = 60, 3600, 86_400

# --8<-- [start:cost]
# Windows one payment lands in if each feature is a hopping window that
# slides every minute (state and output grow by the same factor).
for name, size in [("1 min", MINUTE), ("1 h", HOUR), ("24 h", DAY)]:
    print(f"{name:>5}: {len(hopping(1_000_000, size, MINUTE))} windows")
# > 1 min: 1 windows
# >   1 h: 60 windows
# >  24 h: 1440 windows
# --8<-- [end:cost]


# --8<-- [start:buckets]
def exact(payments: list[int], now: int, span: int) -> int:
    return sum(1 for ts in payments if now - span < ts <= now)


def bucketed(buckets: dict[int, int], now: int, span: int) -> int:
    """Sum the per-minute buckets that start inside (now - span, now]."""
    return sum(n for start, n in buckets.items() if now - span < start <= now)


payments = [10, 70, 75, 3_500, 3_650, 3_700]  # one card, event times
buckets: dict[int, int] = {}  # minute start -> payments in that minute
for ts in payments:
    start = tumbling(ts, MINUTE).start
    buckets[start] = buckets.get(start, 0) + 1
now = 3_700
for name, span in [("1 min", MINUTE), ("1 h", HOUR)]:
    print(
        f"{name:>5}: exact {exact(payments, now, span)},"
        f" from buckets {bucketed(buckets, now, span)}"
    )
# > 1 min: exact 2, from buckets 1
# >   1 h: exact 3, from buckets 3
print("buckets kept:", len(buckets))
# > buckets kept: 5
# --8<-- [end:buckets]
