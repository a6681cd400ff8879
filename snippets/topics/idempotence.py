"""Idempotence: a replayed write, with and without sequence fencing."""

from streamlab.delivery import Record, UpsertSink

# --8<-- [start:fencing]
writes = [
    Record(0, 7, "user-1", 100),  # balance 100 at offset 7
    Record(0, 9, "user-1", 250),  # balance 250 at offset 9
    Record(0, 7, "user-1", 100),  # replay of offset 7 after a restart
]
plain: dict[str, int] = {}
fenced = UpsertSink()
for w in writes:
    plain[w.key] = w.value  # blind overwrite: idempotent only per record
    applied = fenced.upsert(w)
    print(
        f"offset {w.offset}: plain={plain[w.key]} fenced={fenced.table[w.key]}"
        f" applied={applied}"
    )
# > offset 7: plain=100 fenced=(7, 100) applied=True
# > offset 9: plain=250 fenced=(9, 250) applied=True
# > offset 7: plain=100 fenced=(9, 250) applied=False
# --8<-- [end:fencing]
