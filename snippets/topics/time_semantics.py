"""Event time versus processing time on the same eight events."""

from streamlab.windows import count_tumbling

# --8<-- [start:events]
MINUTE = 60_000  # milliseconds

# (event_time, arrival_time) in ms: when it happened, when it reached us.
# The phone at 00:50 was offline and delivered its event a minute late.
events = [
    (5_000, 6_000),
    (20_000, 21_000),
    (50_000, 118_000),  # late: happened in minute 0, arrived in minute 1
    (61_000, 62_000),
    (70_000, 71_000),
    (95_000, 96_000),
    (119_000, 119_500),
    (125_000, 126_000),
]
# --8<-- [end:events]


# --8<-- [start:count]
def per_minute(times: list[int]) -> list[int]:
    return list(count_tumbling(times, MINUTE).values())


by_event_time = per_minute([happened for happened, _ in events])
by_processing_time = per_minute([arrived for _, arrived in events])
print("event time:     ", by_event_time)
# > event time:      [3, 4, 1]
print("processing time:", by_processing_time)
# > processing time: [2, 5, 1]
# --8<-- [end:count]

# --8<-- [start:replay]
# Replay the same events a day later, all arriving within one second.
replayed = [
    (happened, 86_400_000 + i) for i, (happened, _) in enumerate(events)
]
print("event time:     ", per_minute([h for h, _ in replayed]))
# > event time:      [3, 4, 1]
print("processing time:", per_minute([a for _, a in replayed]))
# > processing time: [8]
# --8<-- [end:replay]
