"""Lab: a commit log on a real Redis server (Redis Streams).

Run with `make labs`. Three streams stand for three partitions; a device's
readings all go to one of them, chosen by the same CRC-32 partitioner as
streamlab's model. Stream entry ids are the event times in milliseconds.
"""

import redis
from streamlab.log import crc32_partitioner
from telemetry import (
    DAY,
    TELEMETRY,
    WEEK_END,
    features,
    mean_celsius_v1,
    mean_celsius_v2,
    server_url,
)

# --8<-- [start:ingest]
r = redis.Redis.from_url(server_url("redis"), decode_responses=True)
STREAMS = ["telemetry:0", "telemetry:1", "telemetry:2"]  # the partitions
r.delete(*STREAMS)  # start from empty streams on every run


def stream_of(device: str) -> str:
    return STREAMS[crc32_partitioner(device.encode(), len(STREAMS))]


for device, event_time, tenths in TELEMETRY:
    fields = {"device": device, "tenths": tenths}
    r.xadd(stream_of(device), fields, id=f"{event_time}-*")  # id: time-seq

print("entries per stream:", [r.xlen(s) for s in STREAMS])
# > entries per stream: [14, 14, 14]
# --8<-- [end:ingest]


# --8<-- [start:helpers]
def read_all(group: str) -> list[tuple[str, int]]:
    """Read everything new for the group, ack it, return (device, tenths)."""
    events = []
    replies = r.xreadgroup(group, "worker-1", dict.fromkeys(STREAMS, ">"))
    for stream, entries in replies:
        for entry_id, fields in entries:
            events.append((fields["device"], int(fields["tenths"])))
            r.xack(stream, group, entry_id)  # the group's position moves
    return events


def lag(group: str) -> list[int]:
    """Entries not yet delivered to the group, per stream, from XINFO."""
    return [
        info["lag"]
        for stream in STREAMS
        for info in r.xinfo_groups(stream)
        if info["name"] == group
    ]


# --8<-- [end:helpers]

# --8<-- [start:live]
for stream in STREAMS:  # the online feature job, reading from the start
    r.xgroup_create(stream, "features-v1", id="0")
print("features-v1 lag:", lag("features-v1"))
# > features-v1 lag: [14, 14, 14]
live = read_all("features-v1")
print(features(live, mean_celsius_v1))
# > {'fan-1': 2.1, 'pump-1': 2.5, 'pump-2': 2.9}
print("features-v1 lag:", lag("features-v1"))
# > features-v1 lag: [0, 0, 0]
print("still stored:", [r.xlen(s) for s in STREAMS])  # reading deletes nothing
# > still stored: [14, 14, 14]
# --8<-- [end:live]

# --8<-- [start:replay]
# The bug is fixed. A new group starts one week back: its position is the
# last id it counts as read, one millisecond before the week began.
week_ago = WEEK_END - 7 * DAY
for stream in STREAMS:
    r.xgroup_create(stream, "features-v2", id=f"{week_ago - 1}")
print("features-v2 lag:", lag("features-v2"))
# > features-v2 lag: [14, 14, 14]
replayed = read_all("features-v2")
print(len(replayed), "events replayed")
# > 42 events replayed
print(features(replayed, mean_celsius_v2))
# > {'fan-1': 20.9, 'pump-1': 24.9, 'pump-2': 28.9}
print("features-v1 lag:", lag("features-v1"), "- untouched")
# > features-v1 lag: [0, 0, 0] - untouched
# --8<-- [end:replay]

# --8<-- [start:order]
# One device, one stream: its readings come back in the order written.
pump = [tenths for device, tenths in replayed if device == "pump-1"]
print("pump-1:", pump[:6], "...")
# > pump-1: [240, 241, 243, 244, 246, 247] ...
# --8<-- [end:order]

# --8<-- [start:retention]
# Found two days later? Redis keeps entries until trimmed: with a 7-day
# retention enforced by XTRIM MINID, two days are gone.
now = WEEK_END + 2 * DAY
trimmed = [
    r.xtrim(stream, minid=now - 7 * DAY, approximate=False)
    for stream in STREAMS
]
print("trimmed per stream:", trimmed)
# > trimmed per stream: [4, 4, 4]
for stream in STREAMS:
    r.xgroup_create(stream, "features-v3", id="0")
print(
    len(read_all("features-v3")), "of", len(TELEMETRY), "events left to replay"
)
# > 30 of 42 events left to replay
# --8<-- [end:retention]
