"""Why aligned barriers stall under backpressure, in three numbers.

A barrier travels in line with the data: at every exchange it waits behind
the bytes already buffered in the channel, which drain at the rate of the
slow operator downstream. The sizes and rates are assumptions.
"""

MIB = 1024**2
HOPS = 3  # network exchanges between source and sink
SUBTASKS = 50  # parallel subtasks per stage
IN_FLIGHT = 64 * MIB  # buffered bytes per subtask input, fully backpressured
TIMEOUT_S = 600  # execution.checkpointing.timeout default: 10 min
DEBLOAT_TARGET_S = 1  # buffer-debloat.target default: 1 s


# --8<-- [start:barrier]
def barrier_delay(drain_rate: float, buffered: float) -> float:
    """Seconds for a barrier to cross every hop behind buffered data."""
    return HOPS * buffered / drain_rate


stored = HOPS * SUBTASKS * IN_FLIGHT / 1024**3  # unaligned: buffers saved
print(f"in-flight data an unaligned checkpoint may store: {stored:.1f} GiB")
print("drain MiB/s  aligned barrier  result     debloated barrier")
for rate in (4 * MIB, 1 * MIB, 0.25 * MIB):  # bytes/s a slow subtask drains
    aligned = barrier_delay(rate, IN_FLIGHT)
    debloated = barrier_delay(rate, min(IN_FLIGHT, rate * DEBLOAT_TARGET_S))
    result = "times out" if aligned > TIMEOUT_S else "completes"
    print(
        f"{rate / MIB:11.2f}  {aligned:13.0f} s  {result:<9}"
        f"  {debloated:15.0f} s"
    )
# > in-flight data an unaligned checkpoint may store: 9.4 GiB
# > drain MiB/s  aligned barrier  result     debloated barrier
# >        4.00             48 s  completes                3 s
# >        1.00            192 s  completes                3 s
# >        0.25            768 s  times out                3 s
# --8<-- [end:barrier]
