"""Purchase events to ML features: fix a feature bug by replay, and build a
point-in-time-correct training set, which a CRUD feature table cannot.

Times are whole days to keep the output small.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from streamlab.eventsourcing import (
    ConcurrencyError,
    CrudTable,
    Event,
    EventStore,
    NewEvent,
    Projection,
    ReadModel,
    as_of,
    rebuild,
)


# --8<-- [start:events]
@dataclass(frozen=True)
class Purchase:
    amount: int
    category: str


@dataclass(frozen=True)
class Refund:
    amount: int


Sale = Purchase | Refund
store = EventStore[Sale]()


def record(user: str, data: Sale, happened: int, recorded: int) -> None:
    store.append(
        user,  # one stream per user
        [NewEvent(data, event_time=happened)],
        expected_version=store.version(user),
        recorded_time=recorded,
    )


record("ana", Purchase(20, "books"), happened=1, recorded=1)
record("ben", Purchase(40, "games"), happened=2, recorded=2)
record("ana", Purchase(60, "games"), happened=3, recorded=3)
record("ana", Refund(60), happened=5, recorded=5)
record("ana", Purchase(15, "books"), happened=9, recorded=9)
record("ana", Purchase(30, "music"), happened=11, recorded=11)
record("ben", Purchase(80, "shoes"), happened=9, recorded=12)  # was offline
late = store.read_stream("ben")[-1]
print(len(store), "events; ben's last one:")
# > 7 events; ben's last one:
print("happened on day", late.event_time, "recorded on day", late.recorded_time)
# > happened on day 9 recorded on day 12
# --8<-- [end:events]


# --8<-- [start:features]
@dataclass(frozen=True)
class Features:
    spend: int = 0
    purchase_days: tuple[int, ...] = ()
    last_category: str = "-"
    last_day: int = -1


def count_7d(f: Features, t: int) -> int:
    return sum(t - 7 < day <= t for day in f.purchase_days)


def apply_v1(f: Features, e: Event[Sale]) -> Features:
    f = replace(f, spend=f.spend + e.data.amount)  # BUG: refunds add spend
    if isinstance(e.data, Purchase):
        f = replace(f, purchase_days=(*f.purchase_days, e.event_time))
        if e.event_time >= f.last_day:  # by event time, so late events fit
            f = replace(f, last_category=e.data.category, last_day=e.event_time)
    return f


def apply_v2(f: Features, e: Event[Sale]) -> Features:
    if isinstance(e.data, Refund):
        return replace(f, spend=f.spend - e.data.amount)  # the fix
    return apply_v1(f, e)


features_v1 = Projection("features", 1, Features(), apply_v1)
features_v2 = Projection("features", 2, Features(), apply_v2)


def show(f: Features, t: int) -> str:
    return f"count_7d={count_7d(f, t)} spend={f.spend} last={f.last_category}"


# --8<-- [end:features]


# --8<-- [start:crud]
# The CRUD way: an online job updates one row per user, in place.
crud = CrudTable[Features]()
for event in store.read_all():  # in arrival order
    row = crud.get(event.stream_id) or Features()
    crud.put(event.stream_id, apply_v1(row, event))
print("ana today:", show(crud.rows()["ana"], t=12))
# > ana today: count_7d=2 spend=185 last=music
# --8<-- [end:crud]

# --8<-- [start:rebuild]
served = rebuild(store, features_v1)  # what production computed
fixed = rebuild(store, features_v2)  # backfill: replay all history
for user in ("ana", "ben"):
    print(user, "spend", served.get(user).spend, "->", fixed.get(user).spend)
# > ana spend 185 -> 65
# > ben spend 120 -> 120
try:  # resuming the old job's progress would mix v1 and v2 state
    ReadModel(features_v2, served.checkpoint())
except ValueError as err:
    print(err)
# > checkpoint was written by features@v1, not features@v2: rebuild from 0
# --8<-- [end:rebuild]

# --8<-- [start:as_of]
T = 10  # label time: "will the user buy in the next 7 days?", asked on day 10
then = as_of(store, features_v2, T)  # known on day 10
today = as_of(store, features_v2, T, known_at=12)  # includes late arrivals
for user in ("ana", "ben"):
    print(user, "as of T:", show(then[user], T))
# > ana as of T: count_7d=1 spend=35 last=books
# > ben as of T: count_7d=0 spend=40 last=games
print("ben, known today:", show(today["ben"], T))
# > ben, known today: count_7d=1 spend=120 last=shoes
print("ana, CRUD row:", show(crud.rows()["ana"], T))
# > ana, CRUD row: count_7d=1 spend=185 last=music
# --8<-- [end:as_of]

# --8<-- [start:serving]
# The same projection, run online up to T, serves what training sees.
serving = rebuild(store, features_v2, until=store.position_at(T))
print(dict(serving.states()) == then)
# > True
# --8<-- [end:serving]

# --8<-- [start:conflict]
seen = store.version("ana")  # two writers read version 5
record("ana", Purchase(5, "books"), happened=12, recorded=12)  # one wins
try:
    store.append(
        "ana",
        [NewEvent(Refund(30), event_time=12)],
        expected_version=seen,  # the other still believes 5
        recorded_time=12,
    )
except ConcurrencyError as err:
    print(err)
# > stream 'ana' is at version 6, expected 5
# --8<-- [end:conflict]
