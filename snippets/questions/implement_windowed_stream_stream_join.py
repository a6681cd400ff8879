"""Join searches and clicks of the same user in the same one-minute window."""

from streamlab.joins import Record, WindowJoin
from streamlab.watermarks import BoundedOutOfOrderness

# --8<-- [start:run]
# (side, user, event time in seconds, value), in arrival order.
arrivals = [
    ("L", "u1", 5, "search:shoes"),
    ("R", "u1", 20, "click:ad1"),
    ("R", "u2", 59, "click:ad2"),
    ("L", "u2", 60, "search:hats"),  # on the boundary: window [60, 120)
    ("L", "u2", 50, "search:bags"),  # out of order, still on time
    ("L", "u1", 72, "search:coats"),
    ("R", "u1", 70, "click:ad3"),  # both watermarks now pass 59
    ("L", "u1", 58, "search:socks"),  # its window is closed: late
    ("R", "u2", 61, "click:ad4"),
]

join: WindowJoin[str, str, str] = WindowJoin(size=60)
# One watermark per input, 5 s of out-of-orderness; the join uses the
# minimum, so a quiet input holds the other one back.
marks = {"L": BoundedOutOfOrderness(5), "R": BoundedOutOfOrderness(5)}
for side, user, ts, value in arrivals:
    record = Record(user, ts, value)
    is_left = side == "L"
    pairs = join.on_left(record) if is_left else join.on_right(record)
    for p in pairs:
        assert p.window is not None
        print(p.key, p.window.start, p.left.value, "+", p.right.value)
    marks[side].on_event(ts)
    dropped = join.on_watermark(min(m.current for m in marks.values()))
    if dropped:
        print(f"watermark {join.watermark}: dropped {dropped} records")
print("late:", [r.value for r in join.late_left + join.late_right])
print("still kept:", join.state_size)
# > u1 0 search:shoes + click:ad1
# > u2 0 search:bags + click:ad2
# > u1 60 search:coats + click:ad3
# > watermark 64: dropped 4 records
# > u2 60 search:hats + click:ad4
# > late: ['search:socks']
# > still kept: 4
# --8<-- [end:run]

# --8<-- [start:check]
# The batch answer over the records that were not late: every pair with
# the same user and the same window, by nested loops.
on_time = [a for a in arrivals if a[3] != "search:socks"]
expected = sorted(
    (left[3], right[3])
    for left in on_time
    for right in on_time
    if (left[0], right[0]) == ("L", "R")
    and left[1] == right[1]
    and left[2] // 60 == right[2] // 60
)
for pair in expected:
    print(*pair)
# > search:bags click:ad2
# > search:coats click:ad3
# > search:hats click:ad4
# > search:shoes click:ad1
# --8<-- [end:check]
