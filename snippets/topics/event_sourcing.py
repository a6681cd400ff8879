"""Commands, events, optimistic concurrency and snapshots on a stock item."""

from dataclasses import dataclass

from streamlab.eventsourcing import (
    ConcurrencyError,
    Event,
    EventStore,
    NewEvent,
    Projection,
    load,
    take_snapshot,
)


# --8<-- [start:model]
@dataclass(frozen=True)
class Restocked:  # events: past tense, immutable facts
    qty: int


@dataclass(frozen=True)
class Reserved:
    qty: int
    order: str


StockEvent = Restocked | Reserved


def apply(available: int, event: Event[StockEvent]) -> int:
    if isinstance(event.data, Restocked):
        return available + event.data.qty
    return available - event.data.qty


stock = Projection("stock", 1, 0, apply)  # state = fold(apply, 0, events)


def decide(available: int, qty: int, order: str) -> list[StockEvent]:
    """The command handler: check the invariant, then emit events."""
    if qty > available:
        return []  # rejected: no event, nothing recorded
    return [Reserved(qty, order)]


# --8<-- [end:model]

# --8<-- [start:occ]
store = EventStore[StockEvent]()


def emit(data: StockEvent, at: int, expected: int | None) -> None:
    event = NewEvent(data, event_time=at)
    store.append("sku-42", [event], expected_version=expected, recorded_time=at)


emit(Restocked(5), at=0, expected=0)

# Two checkout servers handle a "reserve" command for the same item.
seen_a, version_a = load(store, stock, "sku-42")  # both read 5 at v1
seen_b, version_b = load(store, stock, "sku-42")
for data in decide(seen_a, 4, "order-a"):
    emit(data, at=1, expected=version_a)  # wins: the stream was at v1
try:
    for data in decide(seen_b, 3, "order-b"):
        emit(data, at=1, expected=version_b)  # loses: it is at v2 now
except ConcurrencyError as err:
    print(err)
    # > stream 'sku-42' is at version 2, expected 1
    seen_b, version_b = load(store, stock, "sku-42")  # reload, decide again
    print("retry sees", seen_b, "left ->", decide(seen_b, 3, "order-b"))
    # > retry sees 1 left -> []

# A blind append (no expected version), like a plain produce to a topic:
emit(Reserved(3, "order-b"), at=2, expected=None)
print("(state, version):", load(store, stock, "sku-42"))
# > (state, version): (-2, 3)
# --8<-- [end:occ]

# --8<-- [start:snapshot]
for day in range(3, 1003):  # a long-lived item: a thousand more events
    emit(Restocked(1), at=day, expected=None)
snap = take_snapshot(store, stock, "sku-42", version=1000)
tail = store.read_stream("sku-42", after_version=snap.version)
print("snapshot v", snap.version, "state", snap.state, "tail", len(tail))
# > snapshot v 1000 state 995 tail 3
print(load(store, stock, "sku-42", snap) == load(store, stock, "sku-42"))
# > True
# --8<-- [end:snapshot]
