"""Block, buffer or drop: the three answers to a full buffer."""

from streamlab.flow import (
    BoundedBuffer,
    Overflow,
    run_credit_based,
    run_dropping,
)

# --8<-- [start:policies]
# Offer five items to a buffer of three, then drain it.
for policy in Overflow:
    buffer = BoundedBuffer[str](capacity=3, policy=policy)
    for item in "abcde":
        buffer.offer(item)
    kept = "".join(buffer.poll(3))
    print(f"{policy.value:<12} kept {kept}", end="  ")
    print(f"dropped {buffer.dropped}  refused {buffer.refused}")
# > block        kept abc  dropped 0  refused 2
# > drop-newest  kept abc  dropped 2  refused 0
# > drop-oldest  kept cde  dropped 2  refused 0
# --8<-- [end:policies]

# --8<-- [start:burst]
# 100 one-second ticks; the consumer handles 8 items per tick.
TICKS = 100
service = [8] * TICKS
loads = {
    "burst": [20] * 5 + [4] * (TICKS - 5),  # 5 s spike, then quiet
    "sustained": [12] * TICKS,  # 50% over capacity, for good
}
SIZES = (16, 64, 256)
print(f"{'load':<10}{'dropped, buffer of':>24}{'credits (16)':>21}")
print(f"{'':<10}{16:>8}{64:>8}{256:>8}{'peak lag':>12}{'end lag':>9}")
for name, arrivals in loads.items():
    dropped = [
        run_dropping(arrivals, service, capacity=size).dropped for size in SIZES
    ]
    credit = run_credit_based(arrivals, service, credits=16)
    cells = "".join(f"{d:>8}" for d in dropped)
    print(f"{name:<10}{cells}{credit.max_lag:>12}{credit.final_lag:>9}")
# > load            dropped, buffer of         credits (16)
# >                 16      64     256    peak lag  end lag
# > burst           52       4       0          60        0
# > sustained      392     344     152         400      400
# --8<-- [end:burst]
