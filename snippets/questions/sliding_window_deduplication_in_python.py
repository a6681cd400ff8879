"""Deduplicate a JSON event stream within a 10-minute event-time window."""

from datetime import timedelta

from streamlab.dedup import Deduplicator

# --8<-- [start:stream]
# 10:00Z is 1795773600 in epoch seconds; 09:55Z is 1795773300.
lines = [
    '{"event_id": "a", "timestamp": "2026-11-27T10:00:00Z"}',
    '{"event_id": "b", "timestamp": "2026-11-27T10:01:00Z"}',
    '{"event_id": "a", "timestamp": "2026-11-27T10:00:00Z"}',  # retry
    '{"event_id": "c", "timestamp": "2026-11-27T09:55:00Z"}',  # late
    '{"event_id": "c", "timestamp": 1795773300}',  # same instant
    '{"event_id": "d", "timestamp": "2026-11-27T09:50:00Z"}',  # 11 min
    '{"event_id": "a", "timestamp": "2026-11-27T10:12:00Z"}',  # expired
    '{"event_id": "e", "timestamp": "2026-11-27T10:12:00"}',  # no offset
    '{"event_id": true, "timestamp": 1795773600}',
    '{"event_id": "f", "timestamp": NaN}',
    '{"event_id": "g", "timestamp"',
]
# --8<-- [end:stream]

# --8<-- [start:consume]
dedup = Deduplicator(timedelta(minutes=10), max_ids=500_000)
for line in lines:
    verdict = dedup.process_json(line)  # never raises on bad input
    if verdict.emit:  # new, or too old to check
        pass  # process the event here
    print(f"{verdict:<10}{line}")
# > new       {"event_id": "a", "timestamp": "2026-11-27T10:00:00Z"}
# > new       {"event_id": "b", "timestamp": "2026-11-27T10:01:00Z"}
# > duplicate {"event_id": "a", "timestamp": "2026-11-27T10:00:00Z"}
# > new       {"event_id": "c", "timestamp": "2026-11-27T09:55:00Z"}
# > duplicate {"event_id": "c", "timestamp": 1795773300}
# > too_old   {"event_id": "d", "timestamp": "2026-11-27T09:50:00Z"}
# > new       {"event_id": "a", "timestamp": "2026-11-27T10:12:00Z"}
# > malformed {"event_id": "e", "timestamp": "2026-11-27T10:12:00"}
# > malformed {"event_id": true, "timestamp": 1795773600}
# > malformed {"event_id": "f", "timestamp": NaN}
# > malformed {"event_id": "g", "timestamp"
# --8<-- [end:consume]

# --8<-- [start:stats]
s = dedup.stats
print(f"seen={s.seen} passed={s.passed} duplicates={s.duplicates}")
# > seen=11 passed=4 duplicates=2
print(f"too_old={s.too_old} evicted_by_cap={s.evicted_by_cap}")
# > too_old=1 evicted_by_cap=0
print("ids held:", len(dedup))  # a@10:12; the window swept a, b and c
# > ids held: 1
print(s.malformed)
# > {'bad_timestamp': 2, 'bad_event_id': 1, 'not_json': 1}
# --8<-- [end:stats]

# --8<-- [start:cap]
small = Deduplicator(max_ids=2)
at_ten = "2026-11-27T10:00:00Z"
for event_id in ["a", "b", "c", "a"]:
    print(event_id, small.process({"event_id": event_id, "timestamp": at_ten}))
# > a new
# > b new
# > c new
# > a new
print("evicted_by_cap:", small.stats.evicted_by_cap)
# > evicted_by_cap: 2
# --8<-- [end:cap]
