"""A transactional outbox, a relay that crashes, and a deduplicating reader."""

from streamlab.outbox import (
    Broker,
    Crash,
    Faults,
    IdempotentConsumer,
    open_db,
    place_order,
    relay_once,
    unpublished,
)

# --8<-- [start:atomic]
db = open_db()
place_order(db, "o1", "ana", 30)
try:
    place_order(db, "o2", "ben", 12, Faults(crash_at=1))  # dies pre-commit
except Crash as crash:
    print("crashed at", crash)
# > crashed at before-commit
print(db.execute("SELECT order_id FROM orders").fetchall(), unpublished(db))
# > [('o1',)] 1
# --8<-- [end:atomic]

# --8<-- [start:relay]
broker = Broker()
try:
    relay_once(db, broker, Faults(crash_at=1))  # dies after the broker ack
except Crash as crash:
    print("relay crashed at", crash, "- unpublished:", unpublished(db))
# > relay crashed at after-publish - unpublished: 1
relay_once(db, broker)  # the restarted relay sends the row again
consumer = IdempotentConsumer()
for event in broker.log:
    consumer.handle(event)
print(len(broker.log), dict(consumer.revenue), consumer.duplicates)
# > 2 {'ana': 30} 1
# --8<-- [end:relay]
