"""Full vs incremental checkpoints of an LSM store (sizes in GiB)."""

# --8<-- [start:incremental]
live = {f"base-{i:03}": 1 for i in range(100)}  # 100 GiB in 1 GiB SST files
uploaded: set[str] = set()  # files already in checkpoint storage
seq = 0


def new_file(size: int) -> None:
    """An immutable SST file appears (a memtable flush or a compaction)."""
    global seq
    seq += 1
    live[f"sst-{seq:03}"] = size


for cp in range(1, 7):
    new_file(1)  # one interval of writes, flushed as two 1 GiB files
    new_file(1)
    if cp % 3 == 0:  # compaction: 8 old files rewritten into 6 GiB of new
        for name in sorted(live)[:8]:
            del live[name]
        for _ in range(3):
            new_file(2)
    full = sum(live.values())
    delta = sum(size for name, size in live.items() if name not in uploaded)
    reused = len(live.keys() & uploaded)
    uploaded |= live.keys()
    print(
        f"checkpoint {cp}: full {full:>3} GiB, incremental {delta:>3} GiB"
        f" ({reused} files reused)"
    )
# > checkpoint 1: full 102 GiB, incremental 102 GiB (0 files reused)
# > checkpoint 2: full 104 GiB, incremental   2 GiB (102 files reused)
# > checkpoint 3: full 104 GiB, incremental   8 GiB (96 files reused)
# > checkpoint 4: full 106 GiB, incremental   2 GiB (101 files reused)
# > checkpoint 5: full 108 GiB, incremental   2 GiB (103 files reused)
# > checkpoint 6: full 108 GiB, incremental   8 GiB (97 files reused)
# --8<-- [end:incremental]
