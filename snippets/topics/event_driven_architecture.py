"""Event notification versus event-carried state transfer, and how a
generic "something changed" event turns two services into a loop."""

from collections import deque
from collections.abc import Callable

# --8<-- [start:ecst]
Replica = dict[str, dict[str, str]]
customers: Replica = {"c1": {"name": "Ada", "city": "Paris"}}  # the source
source_up = True
calls = 0


def fetch_customer(customer_id: str) -> dict[str, str]:
    """The source's API: what a notification consumer must call back."""
    global calls
    calls += 1
    if not source_up:
        raise ConnectionError("customer service unavailable")
    return dict(customers[customer_id])


def on_notification(event: dict[str, str], replica: Replica) -> None:
    replica[event["id"]] = fetch_customer(event["id"])  # thin: call back


def on_state_transfer(event: dict[str, str], replica: Replica) -> None:
    replica[event["id"]] = {"name": event["name"], "city": event["city"]}


customers["c1"]["city"] = "Lyon"
thin = {"type": "CustomerChanged", "id": "c1"}
fat = {"type": "CustomerChanged", "id": "c1", "name": "Ada", "city": "Lyon"}
replica_a: Replica = {}
replica_b: Replica = {}
on_notification(thin, replica_a)
on_state_transfer(fat, replica_b)
print(replica_a == replica_b, "calls back:", calls)
# > True calls back: 1

source_up = False  # the source is down while the consumers catch up
for handler, event, replica in (
    (on_notification, thin, replica_a),
    (on_state_transfer, fat, replica_b),
):
    try:
        handler(event, replica)
        print(handler.__name__, "ok")
    except ConnectionError as error:
        print(handler.__name__, "failed:", error)
# > on_notification failed: customer service unavailable
# > on_state_transfer ok
# --8<-- [end:ecst]

# --8<-- [start:storm]
Handler = Callable[[dict[str, str]], list[dict[str, str]]]


def run(subscriptions: dict[str, list[Handler]], first: dict[str, str]) -> int:
    """Deliver events until none are left (or 1,000 were delivered)."""
    queue, delivered = deque([first]), 0
    while queue and delivered < 1_000:
        event = queue.popleft()
        delivered += 1
        for handler in subscriptions.get(event["type"], []):
            queue.extend(handler(event))
    return delivered


# Generic events: pricing reprices on any product change, and repricing
# is itself a product change, which pricing hears again.
def reprice_generic(event: dict[str, str]) -> list[dict[str, str]]:
    return [{"type": "ProductChanged", "sku": event["sku"]}]


generic: dict[str, list[Handler]] = {"ProductChanged": [reprice_generic]}
print(run(generic, {"type": "ProductChanged", "sku": "s1"}))
# > 1000


# Specific events: pricing reacts to cost changes and announces prices.
def reprice(event: dict[str, str]) -> list[dict[str, str]]:
    return [{"type": "PriceChanged", "sku": event["sku"]}]


specific: dict[str, list[Handler]] = {"CostChanged": [reprice]}
print(run(specific, {"type": "CostChanged", "sku": "s1"}))
# > 2
# --8<-- [end:storm]
