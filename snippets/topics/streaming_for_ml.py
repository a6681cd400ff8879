"""Point-in-time feature lookup versus "latest value" on a versioned table."""

from streamlab.joins import VersionedTable

# --8<-- [start:pit]
# The streaming pipeline wrote versions of one card's 1-hour payment count,
# each valid from its event time on (times in seconds).
txn_count_1h: VersionedTable[str, int] = VersionedTable()
for ts, value in [(100, 1), (160, 2), (400, 7)]:
    txn_count_1h.put("card-7", ts, value)

labels = [(150, "legit"), (420, "fraud")]  # (decision time, outcome)
for decided_at, outcome in labels:
    right = txn_count_1h.as_of("card-7", decided_at)
    leaky = txn_count_1h.latest("card-7")
    print(f"t={decided_at} {outcome}: as of t={right}, latest={leaky}")
# > t=150 legit: as of t=1, latest=7
# > t=420 fraud: as of t=7, latest=7
# --8<-- [end:pit]
