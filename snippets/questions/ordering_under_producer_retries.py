"""Producer retries with several requests in flight, with and without the
broker's per-producer sequence check."""

from collections import Counter

from streamlab.ordering import Fault, produce, random_faults, scripted

# --8<-- [start:lost]
# 6 records in 3 batches of 2; the first attempt of batch 0 never arrives.
lost_first = scripted({(0, 0): Fault.LOST})
for idempotent in (False, True):
    r = produce(6, 2, 5, idempotent, lost_first)
    print("idempotent" if idempotent else "plain", r.log)
    for a in r.attempts:
        print(f"  round {a.round}: batch {a.batch} {a.outcome}")
# > plain [2, 3, 4, 5, 0, 1]
# >   round 1: batch 0 lost
# >   round 1: batch 1 appended
# >   round 1: batch 2 appended
# >   round 2: batch 0 appended
# > idempotent [0, 1, 2, 3, 4, 5]
# >   round 1: batch 0 lost
# >   round 1: batch 1 out of order
# >   round 1: batch 2 out of order
# >   round 2: batch 0 appended
# >   round 2: batch 1 appended
# >   round 2: batch 2 appended
# --8<-- [end:lost]

# --8<-- [start:ack_lost]
# The broker appends batch 2, but its acknowledgement is lost.
ack_lost = scripted({(2, 0): Fault.ACK_LOST})
for in_flight, idempotent in ((1, False), (5, True)):
    r = produce(6, 2, in_flight, idempotent, ack_lost)
    retries = [a.outcome for a in r.attempts if a.batch == 2]
    print(in_flight, idempotent, r.log, retries)
# > 1 False [0, 1, 2, 3, 4, 5, 4, 5] ['appended, ack lost', 'appended']
# > 5 True [0, 1, 2, 3, 4, 5] ['appended, ack lost', 'duplicate']
# --8<-- [end:ack_lost]

# --8<-- [start:seeded]
# 1,000 seeded runs of 40 records in batches of 4; each attempt is lost
# with probability 0.05 and loses its acknowledgement with 0.05.
configs = [(5, False), (1, False), (5, True)]
for in_flight, idempotent in configs:
    tally: Counter[str] = Counter()
    for seed in range(1_000):
        faults = random_faults(seed, 0.05, 0.05)
        r = produce(40, 4, in_flight, idempotent, faults)
        tally["reordered"] += r.overtaken > 0
        tally["duplicated"] += r.duplicates > 0
    name = f"in-flight {in_flight}, idempotent {idempotent!s:5}"
    print(
        f"{name}: {tally['reordered']:3} reordered,"
        f" {tally['duplicated']:3} duplicated"
    )
# > in-flight 5, idempotent False: 318 reordered, 432 duplicated
# > in-flight 1, idempotent False:   0 reordered, 432 duplicated
# > in-flight 5, idempotent True :   0 reordered,   0 duplicated
# --8<-- [end:seeded]
