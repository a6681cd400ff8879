"""Polling a table by updated_at against reading its change log."""

from streamlab.log import CommitLog

# --8<-- [start:demo]
table: dict[str, tuple[str, int]] = {}  # id -> (plan, updated_at)
wal = CommitLog[str | None]()  # stands in for the WAL: commit order


def upsert(row: str, plan: str, stamped: int, committed: int) -> None:
    """Commit an insert or update whose updated_at is ``stamped``."""
    table[row] = (plan, stamped)
    wal.append(row, plan, timestamp=committed)


def delete(row: str, committed: int) -> None:
    """Commit a hard delete: the row is gone from the table."""
    del table[row]
    wal.append(row, None, timestamp=committed)  # None marks a delete


def poll(since: int) -> int:
    """SELECT ... WHERE updated_at > since; return the new high mark."""
    rows = sorted((t, r, p) for r, (p, t) in table.items() if t > since)
    print(f"poll > {since}:", [f"{r}={p}" for _, r, p in rows])
    return max([since] + [t for t, _, _ in rows])


upsert("u1", "free", stamped=1, committed=1)
upsert("u2", "free", stamped=2, committed=2)
mark = poll(0)  # t=3
# > poll > 0: ['u1=free', 'u2=free']
upsert("u1", "trial", stamped=4, committed=4)
upsert("u1", "pro", stamped=5, committed=5)  # overwrites trial
delete("u2", committed=6)
mark = poll(mark)  # t=7
# > poll > 2: ['u1=pro']
upsert("u3", "pro", stamped=4, committed=8)  # long transaction
mark = poll(mark)  # t=9: u3's updated_at (4) is below the mark (5)
# > poll > 5: []
for change in wal.group("cdc", reset="earliest").poll():
    op = "delete" if change.value is None else change.value
    print(change.offset, change.key, op, "at", change.timestamp)
# > 0 u1 free at 1
# > 1 u2 free at 2
# > 2 u1 trial at 4
# > 3 u1 pro at 5
# > 4 u2 delete at 6
# > 5 u3 pro at 8
# --8<-- [end:demo]
