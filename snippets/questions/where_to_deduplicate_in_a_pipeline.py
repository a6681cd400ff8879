"""Layered deduplication: what a window misses, and what a payload hash gets
wrong."""

import hashlib
import json
from datetime import timedelta

from streamlab.dedup import Deduplicator

# --8<-- [start:layers]
MINUTE_US = 60_000_000
arrivals = [  # (event id, event time in minutes), in arrival order
    ("o-1", 0),
    ("o-2", 5),
    ("o-1", 0),  # consumer replay after a crash: inside the window
    ("o-3", 30),
    ("o-1", 0),  # upstream resend after an outage: 30 minutes behind
]
window = Deduplicator(timedelta(minutes=10))  # stream-processor layer
table: dict[str, int] = {}  # sink layer: upsert keyed by event id
appended = 0  # what an append-only sink would hold
for event_id, minute in arrivals:
    verdict = window.offer(event_id, minute * MINUTE_US)
    if verdict.emit:
        appended += 1
        table[event_id] = minute
    print(f"{event_id} t={minute:>2} {verdict}")
# > o-1 t= 0 new
# > o-2 t= 5 new
# > o-1 t= 0 duplicate
# > o-3 t=30 new
# > o-1 t= 0 too_old
print("append-only rows:", appended, "| upserted rows:", len(table))
# > append-only rows: 4 | upserted rows: 3
# --8<-- [end:layers]


# --8<-- [start:hash]
def payload_id(event: dict[str, object]) -> str:
    """An id made by hashing the payload: what not to rely on."""
    blob = json.dumps(event, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


buy = {"user": "u7", "sku": "sku-42", "qty": 1, "sent_at": "10:00:00"}
resend = {**buy, "sent_at": "10:00:05"}  # same purchase, sent again
print(payload_id(buy) == payload_id(resend))  # the resend looks new
# > False
one = {"user": "u7", "sku": "sku-42", "qty": 1}
two = {"user": "u7", "sku": "sku-42", "qty": 1}  # a real second purchase
print(payload_id(one) == payload_id(two))  # the new event looks like a copy
# > True
# --8<-- [end:hash]
