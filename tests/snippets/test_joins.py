"""Tests for streamlab.joins: versioned table, join policies, TTL cache.

The property tests compare each policy with a brute-force oracle that scans
the table updates linearly, independent of the bisect-based implementation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.joins import (
    Arrival,
    CacheStats,
    Joined,
    Policy,
    ProfileStore,
    Record,
    StreamTableJoin,
    TTLCache,
    VersionedTable,
    replay,
)

KEYS = ["a", "b", "c"]

# ---------------------------------------------------------------- oracles


def scan_as_of(
    puts: list[tuple[str, int, int | None]], key: str, ts: int
) -> int | None:
    """As-of by linear scan: the latest time <= ts wins, then the last put."""
    best: tuple[int, int | None] | None = None
    for k, t, value in puts:
        if k == key and t <= ts and (best is None or t >= best[0]):
            best = (t, value)
    return None if best is None else best[1]


# One input of a generated run: a click ("click", key, ts, id) or a table
# update ("update", key, ts, value), with its arrival gap after the previous.
Step = tuple[str, str, int, int | None, int]

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("click"),
            st.sampled_from(KEYS),
            st.integers(0, 40),
            st.none(),
            st.integers(0, 5),
        ),
        st.tuples(
            st.just("update"),
            st.sampled_from(KEYS),
            st.integers(0, 40),
            st.one_of(st.none(), st.integers(0, 3)),
            st.integers(0, 5),
        ),
    ),
    max_size=20,
)


@dataclass
class Run:
    arrivals: list[Arrival[str, int, int]]
    updates: list[tuple[str, int, int | None]]  # in arrival order
    clicks: list[tuple[int, Record[str, int]]]  # (arrived at, click)


def build(generated: list[Step]) -> Run:
    run = Run([], [], [])
    at = 0
    for n, (kind, key, ts, value, gap) in enumerate(generated):
        at += gap
        if kind == "click":
            click = Record(key, ts, n)  # the click's value is its unique id
            run.arrivals.append(Arrival(at, stream=click))
            run.clicks.append((at, click))
        else:
            run.arrivals.append(Arrival(at, table=Record(key, ts, value)))
            run.updates.append((key, ts, value))
    return run


def known_before(
    run: Run, click: Record[str, int]
) -> list[tuple[str, int, int | None]]:
    """Updates that arrived before the click did (inputs are in order)."""
    index = next(i for i, a in enumerate(run.arrivals) if a.stream is click)
    return [
        (a.table.key, a.table.ts, a.table.value)
        for a in run.arrivals[:index]
        if a.table is not None
    ]


def needed_delay(updates: list[tuple[str, int, int | None]]) -> int:
    """Smallest table_delay whose watermark no update ever falls behind."""
    delay, high = 0, None
    for _, ts, _ in updates:
        if high is not None:
            delay = max(delay, high - ts + 1)
        high = ts if high is None else max(high, ts)
    return delay


def final_view(
    outputs: list[tuple[int, Joined[str, int, int]]],
) -> Counter[tuple[int, int | None]]:
    """Apply a changelog; fail on a retraction of something not emitted."""
    view: Counter[tuple[int, int | None]] = Counter()
    for _, out in outputs:
        row = (out.left.value, out.right)
        if out.retract:
            assert view[row] > 0, f"retracted {row} that was not emitted"
            view[row] -= 1
        else:
            view[row] += 1
    return +view


def truth(run: Run) -> Counter[tuple[int, int | None]]:
    return Counter(
        (click.value, scan_as_of(run.updates, click.key, click.ts))
        for _, click in run.clicks
    )


# ---------------------------------------------------------- VersionedTable


def test_as_of_picks_the_version_valid_at_the_time() -> None:
    table: VersionedTable[str, str] = VersionedTable()
    table.put("u", 10, "free")
    table.put("u", 30, "gold")
    assert table.as_of("u", 9) is None
    assert table.as_of("u", 10) == "free"
    assert table.as_of("u", 29) == "free"
    assert table.as_of("u", 30) == "gold"
    assert table.as_of("other", 30) is None
    assert table.versions("u") == [(10, "free"), (30, "gold")]
    assert table.next_change("u", 10) == 30
    assert table.next_change("u", 30) is None


def test_tombstone_deletes_from_its_time_on() -> None:
    table: VersionedTable[str, str] = VersionedTable()
    table.put("u", 10, "free")
    table.put("u", 20, None)
    table.put("u", 40, "gold")
    assert table.as_of("u", 15) == "free"
    assert table.as_of("u", 25) is None
    assert table.as_of("u", 45) == "gold"


def test_same_time_replaces_and_late_version_lands_in_order() -> None:
    table: VersionedTable[str, str] = VersionedTable()
    table.put("u", 10, "free")
    table.put("u", 30, "gold")
    table.put("u", 10, "trial")  # same time: replaces
    table.put("u", 20, "silver")  # out of order: inserted between
    assert table.versions("u") == [(10, "trial"), (20, "silver"), (30, "gold")]
    assert table.version_count == 3


def test_latest_is_by_time_last_written_is_by_arrival() -> None:
    table: VersionedTable[str, str] = VersionedTable()
    assert table.latest("u") is None
    table.put("u", 30, "gold")
    table.put("u", 10, "free")  # late, older version
    assert table.latest("u") == "gold"
    assert table.last_written("u") == "free"  # what a plain KTable holds


def test_history_retention_rejects_and_prunes() -> None:
    table: VersionedTable[str, str] = VersionedTable(history_retention=10)
    assert table.horizon is None
    assert table.put("u", 0, "a")
    assert table.put("u", 5, "b")
    assert table.put("v", 30, "x")  # stream time 30, horizon 20
    assert table.horizon == 20
    assert not table.put("u", 19, "late")  # older than the horizon
    assert table.put("u", 20, "c")  # at the horizon: accepted
    assert table.versions("u") == [(20, "c")]  # pruned on write
    with pytest.raises(ValueError, match="older than the horizon"):
        table.as_of("u", 19)
    assert table.as_of("u", 25) == "c"


def test_prune_keeps_version_valid_at_horizon_and_drops_old_tombstones() -> (
    None
):
    table: VersionedTable[str, str] = VersionedTable(history_retention=10)
    table.put("u", 0, "a")
    table.put("u", 5, "b")
    table.put("t", 1, "x")
    table.put("t", 2, None)
    table.put("v", 30, "z")  # horizon 20; "u" and "t" untouched since
    assert table.version_count == 5
    table.prune()
    assert table.versions("u") == [(5, "b")]  # still valid at 20
    assert table.versions("t") == []  # deleted long ago: forgotten
    assert table.as_of("u", 20) == "b"
    assert table.as_of("t", 20) is None


def test_prune_without_retention_keeps_everything() -> None:
    table: VersionedTable[str, str] = VersionedTable()
    table.put("u", 0, "a")
    table.put("u", 100, "b")
    table.prune()
    assert table.version_count == 2


def test_negative_retention_is_rejected() -> None:
    with pytest.raises(ValueError, match="history retention"):
        VersionedTable(history_retention=-1)


def test_generic_aliases_can_build_records() -> None:
    assert Record[str, int]("k", 1, 2) == Record("k", 1, 2)


@settings(max_examples=200, deadline=None)
@given(
    puts=st.lists(
        st.tuples(
            st.sampled_from(KEYS),
            st.integers(0, 50),
            st.one_of(st.none(), st.integers(0, 5)),
        ),
        max_size=30,
    ),
    queries=st.lists(
        st.tuples(st.sampled_from(KEYS), st.integers(-5, 55)), max_size=20
    ),
)
def test_as_of_equals_linear_scan(
    puts: list[tuple[str, int, int | None]], queries: list[tuple[str, int]]
) -> None:
    table: VersionedTable[str, int] = VersionedTable()
    for key, ts, value in puts:
        assert table.put(key, ts, value)
    for key, ts in queries:
        assert table.as_of(key, ts) == scan_as_of(puts, key, ts)


@settings(max_examples=200, deadline=None)
@given(
    puts=st.lists(
        st.tuples(
            st.sampled_from(KEYS),
            st.integers(0, 50),
            st.one_of(st.none(), st.integers(0, 5)),
        ),
        max_size=30,
    ),
    retention=st.integers(0, 20),
    queries=st.lists(
        st.tuples(st.sampled_from(KEYS), st.integers(0, 55)), max_size=20
    ),
)
def test_retention_answers_exactly_above_the_horizon(
    puts: list[tuple[str, int, int | None]],
    retention: int,
    queries: list[tuple[str, int]],
) -> None:
    table: VersionedTable[str, int] = VersionedTable(retention)
    accepted = []
    high: int | None = None
    for key, ts, value in puts:
        high = ts if high is None else max(high, ts)
        kept = table.put(key, ts, value)
        assert kept == (ts >= high - retention)
        if kept:
            accepted.append((key, ts, value))
    table.prune()
    for key, ts in queries:
        if high is not None and ts < high - retention:
            with pytest.raises(ValueError):
                table.as_of(key, ts)
        else:
            assert table.as_of(key, ts) == scan_as_of(accepted, key, ts)


# --------------------------------------------------- StreamTableJoin: unit

Click = Record[str, str]
Update = Record[str, str | None]

SCENARIO: list[Arrival[str, str, str]] = [
    Arrival(0, table=Update("u", 0, "free")),
    Arrival(95, stream=Click("u", 90, "c1")),
    Arrival(125, stream=Click("u", 120, "c2")),
    Arrival(180, table=Update("u", 100, "gold")),  # late update
    Arrival(205, stream=Click("u", 200, "c3")),
    Arrival(225, stream=Click("u", 95, "c4")),  # late click
]


def plain(
    outputs: list[tuple[int, Joined[str, str, str]]],
) -> list[tuple[int, str, str | None, bool, bool]]:
    return [
        (at, o.left.value, o.right, o.retract, o.timed_out) for at, o in outputs
    ]


def test_latest_uses_current_value_whatever_the_event_time() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.LATEST)
    assert plain(replay(join, SCENARIO)) == [
        (95, "c1", "free", False, False),
        (125, "c2", "free", False, False),  # gold not known yet
        (205, "c3", "gold", False, False),
        (225, "c4", "gold", False, False),  # wrong: at 95 it was free
    ]


def test_latest_is_overwritten_by_an_out_of_order_update() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.LATEST)
    join.on_table(Update("u", 50, "gold"), now=1)
    join.on_table(Update("u", 10, "free"), now=2)  # older, arrives later
    assert join.on_stream(Click("u", 60, "c"), now=3)[0].right == "free"


def test_as_of_uses_event_time_but_misses_late_versions() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.AS_OF)
    assert plain(replay(join, SCENARIO)) == [
        (95, "c1", "free", False, False),
        (125, "c2", "free", False, False),  # wrong, never fixed
        (205, "c3", "gold", False, False),
        (225, "c4", "free", False, False),  # right: as of 95
    ]


def test_correct_retracts_and_reemits_when_a_late_version_lands() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.CORRECT)
    assert plain(replay(join, SCENARIO)) == [
        (95, "c1", "free", False, False),
        (125, "c2", "free", False, False),
        (180, "c2", "free", True, False),  # retraction
        (180, "c2", "gold", False, False),  # correction
        (205, "c3", "gold", False, False),
        (225, "c4", "free", False, False),
    ]
    assert join.remembered == 4


def test_correct_skips_updates_that_change_nothing() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.CORRECT)
    join.on_table(Update("u", 0, "free"), now=0)
    join.on_table(Update("u", 100, "gold"), now=1)
    join.on_stream(Click("u", 50, "c1"), now=2)
    join.on_stream(Click("u", 150, "c2"), now=3)
    assert join.on_table(Update("u", 40, "free"), now=4) == []  # same value
    assert join.on_table(Update("v", 40, "x"), now=5) == []  # no clicks
    out = join.on_table(Update("u", 40, None), now=6)  # late delete
    assert [(o.left.value, o.right, o.retract) for o in out] == [
        ("c1", "free", True),
        ("c1", None, False),
    ]  # c2 is after the next version (100): untouched


def test_hold_waits_for_the_table_watermark() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.HOLD)
    assert plain(replay(join, SCENARIO)) == [
        (180, "c1", "free", False, False),  # watermark 100 passed 90
        (225, "c4", "free", False, False),  # 95 < watermark: at once
        (225, "c2", "gold", False, False),  # flush: end of input
        (225, "c3", "gold", False, False),
    ]


def test_hold_times_out_and_flags_the_record() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(
        Policy.HOLD, max_wait=90
    )
    assert plain(replay(join, SCENARIO)) == [
        (180, "c1", "free", False, False),  # watermark before deadline 185
        (225, "c2", "gold", False, True),  # deadline 215: timer fires first
        (225, "c4", "free", False, False),
        (225, "c3", "gold", False, False),  # flush
    ]
    assert join.held == 0


def test_hold_with_zero_wait_emits_at_once_flagged() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(
        Policy.HOLD, max_wait=0
    )
    out = join.on_stream(Click("u", 5, "c"), now=1)
    assert [(o.left.value, o.timed_out) for o in out] == [("c", True)]


def test_hold_heartbeat_and_table_delay_move_the_watermark() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(
        Policy.HOLD, table_delay=10
    )
    assert join.table_watermark is None
    assert join.on_stream(Click("u", 5, "c1"), now=1) == []
    assert join.on_table(Update("u", 12, "free"), now=2) == []  # wm 2
    assert join.table_watermark == 2
    assert join.held == 1
    out = join.advance(now=3, table_watermark=8)  # heartbeat
    assert [(o.left.value, o.right) for o in out] == [("c1", None)]
    assert join.advance(now=4, table_watermark=1) == []  # never goes back
    out = join.on_stream(Click("u", 8, "c2"), now=5)  # at the watermark
    assert [(o.left.value, o.right) for o in out] == [("c2", None)]
    assert join.table_watermark == 8
    assert join.advance(now=6) == []


def test_expired_records_get_no_version() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(
        Policy.AS_OF, history_retention=10
    )
    join.on_table(Update("u", 0, "free"), now=0)
    join.on_table(Update("u", 50, "gold"), now=1)  # horizon 40
    old, new = (
        join.on_stream(Click("u", 39, "c1"), now=2)[0],
        join.on_stream(Click("u", 40, "c2"), now=3)[0],
    )
    assert (old.right, old.expired) == (None, True)
    assert (new.right, new.expired) == ("free", False)


def test_correct_forgets_records_the_horizon_has_passed() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(
        Policy.CORRECT, history_retention=10
    )
    join.on_table(Update("u", 0, "free"), now=0)
    join.on_stream(Click("u", 5, "c1"), now=1)
    join.on_stream(Click("u", 8, "c2"), now=2)
    join.on_stream(Click("v", 9, "c3"), now=3)
    join.on_stream(Click("u", 30, "c4"), now=4)
    assert join.remembered == 4
    assert join.on_table(Update("u", 18, "free"), now=5) == []  # horizon 8
    assert join.remembered == 3  # c1 can no longer be corrected
    out = join.on_table(Update("u", 25, "free"), now=6)  # horizon 15
    assert out == [] and join.remembered == 1  # only c4 left
    assert join.on_stream(Click("u", 2, "c5"), now=7)[0].expired
    assert join.remembered == 1


def test_join_validates_its_arguments() -> None:
    with pytest.raises(ValueError, match="only applies"):
        StreamTableJoin(Policy.AS_OF, max_wait=5)
    with pytest.raises(ValueError, match="max_wait"):
        StreamTableJoin(Policy.HOLD, max_wait=-1)
    with pytest.raises(ValueError, match="table_delay"):
        StreamTableJoin(Policy.HOLD, table_delay=-1)
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.LATEST)
    join.advance(now=10)
    with pytest.raises(ValueError, match="time went back"):
        join.advance(now=9)


def test_arrival_needs_exactly_one_input() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Arrival(0)
    with pytest.raises(ValueError, match="exactly one"):
        Arrival(0, stream=Click("u", 1, "c"), table_watermark=3)


def test_replay_passes_heartbeats_on() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.HOLD)
    out = replay(
        join,
        [
            Arrival(1, stream=Click("u", 50, "c")),
            Arrival(2, table_watermark=60),
            Arrival(3, stream=Click("u", 70, "d")),
        ],
    )
    assert [(at, o.left.value) for at, o in out] == [(2, "c"), (3, "d")]


def test_replay_of_nothing_is_nothing() -> None:
    join: StreamTableJoin[str, str, str] = StreamTableJoin(Policy.HOLD)
    assert replay(join, []) == []


# --------------------------------------------- StreamTableJoin: properties


@settings(max_examples=200, deadline=None)
@given(generated=steps)
def test_latest_equals_last_written_before_the_click(
    generated: list[Step],
) -> None:
    run = build(generated)
    join: StreamTableJoin[str, int, int] = StreamTableJoin(Policy.LATEST)
    outputs = replay(join, run.arrivals)
    assert len(outputs) == len(run.clicks)
    for (at, out), (click_at, click) in zip(outputs, run.clicks, strict=True):
        before = [v for k, _, v in known_before(run, click) if k == click.key]
        assert at == click_at and out.left is click
        assert out.right == (before[-1] if before else None)


@settings(max_examples=200, deadline=None)
@given(generated=steps)
def test_as_of_equals_scan_of_versions_known_on_arrival(
    generated: list[Step],
) -> None:
    run = build(generated)
    join: StreamTableJoin[str, int, int] = StreamTableJoin(Policy.AS_OF)
    outputs = replay(join, run.arrivals)
    for (at, out), (click_at, click) in zip(outputs, run.clicks, strict=True):
        known = known_before(run, click)
        assert at == click_at and out.left is click
        assert out.right == scan_as_of(known, click.key, click.ts)
        assert not (out.retract or out.timed_out or out.expired)


@settings(max_examples=200, deadline=None)
@given(generated=steps)
def test_correct_converges_to_as_of_on_the_complete_table(
    generated: list[Step],
) -> None:
    run = build(generated)
    join: StreamTableJoin[str, int, int] = StreamTableJoin(Policy.CORRECT)
    assert final_view(replay(join, run.arrivals)) == truth(run)


@settings(max_examples=200, deadline=None)
@given(generated=steps)
def test_hold_with_enough_wait_equals_as_of_on_the_complete_table(
    generated: list[Step],
) -> None:
    run = build(generated)
    join: StreamTableJoin[str, int, int] = StreamTableJoin(
        Policy.HOLD, table_delay=needed_delay(run.updates)
    )
    outputs = replay(join, run.arrivals)
    assert not any(out.retract or out.timed_out for _, out in outputs)
    assert final_view(outputs) == truth(run)
    assert len(outputs) == len(run.clicks)


@settings(max_examples=200, deadline=None)
@given(generated=steps, max_wait=st.integers(0, 12))
def test_hold_with_a_bound_is_right_unless_it_times_out(
    generated: list[Step], max_wait: int
) -> None:
    run = build(generated)
    join: StreamTableJoin[str, int, int] = StreamTableJoin(
        Policy.HOLD, max_wait=max_wait, table_delay=needed_delay(run.updates)
    )
    outputs = replay(join, run.arrivals)
    arrived = {click.value: at for at, click in run.clicks}
    expected = dict(truth(run))
    assert sorted(out.left.value for _, out in outputs) == sorted(arrived)
    for at, out in outputs:
        if out.timed_out:
            assert at - arrived[out.left.value] >= max_wait
        else:
            assert (out.left.value, out.right) in expected


# ----------------------------------------------------------------- TTLCache


def test_cache_hits_until_the_ttl_then_reloads() -> None:
    store = ProfileStore({"u": "free"})
    cache: TTLCache[str, str] = TTLCache(store, ttl=10, max_size=4)
    assert cache.get("u", now=0) == "free"  # miss: loads
    store.put("u", "gold")
    assert cache.get("u", now=9) == "free"  # hit: stale within the TTL
    assert cache.get("u", now=10) == "gold"  # expired at exactly ttl
    assert cache.stats == CacheStats(hits=1, misses=2, expirations=1)
    assert store.lookups == 2
    assert cache.stats.hit_rate == pytest.approx(1 / 3)


def test_cache_evicts_the_least_recently_used() -> None:
    store = ProfileStore({"a": 1, "b": 2, "c": 3})
    cache: TTLCache[str, int] = TTLCache(store, ttl=100, max_size=2)
    cache.get("a", now=0)
    cache.get("b", now=1)
    cache.get("a", now=2)  # hit: "a" is now the most recent
    cache.get("c", now=3)  # evicts "b"
    assert len(cache) == 2 and cache.stats.evictions == 1
    cache.get("a", now=4)
    assert store.lookups == 3  # "a" still cached
    cache.get("b", now=5)
    assert store.lookups == 4


def test_cache_negative_caching_and_invalidation() -> None:
    store: ProfileStore[str, str] = ProfileStore()
    cache: TTLCache[str, str] = TTLCache(store, ttl=100, max_size=4)
    assert cache.get("ghost", now=0) is None
    assert cache.get("ghost", now=1) is None
    assert store.lookups == 1  # the miss was cached
    no_negative: TTLCache[str, str] = TTLCache(
        store, ttl=100, max_size=4, cache_missing=False
    )
    no_negative.get("ghost", now=0)
    no_negative.get("ghost", now=1)
    assert store.lookups == 3
    store.put("ghost", "boo")
    cache.invalidate("ghost")  # e.g. on a change event
    cache.invalidate("never-cached")
    assert cache.get("ghost", now=2) == "boo"


def test_store_delete_and_peek() -> None:
    store = ProfileStore({"u": "free"})
    assert store.peek("u") == "free" and store.lookups == 0
    store.put("u", None)
    assert store.get("u") is None and store.lookups == 1


def test_cache_validates_its_arguments() -> None:
    store: ProfileStore[str, str] = ProfileStore()
    with pytest.raises(ValueError, match="positive"):
        TTLCache(store, ttl=0, max_size=1)
    with pytest.raises(ValueError, match="positive"):
        TTLCache(store, ttl=1, max_size=0)
    cache: TTLCache[str, str] = TTLCache(store, ttl=1, max_size=1)
    assert cache.stats.hit_rate == 0.0
    cache.get("u", now=5)
    with pytest.raises(ValueError, match="time went back"):
        cache.get("u", now=4)


ops = st.lists(
    st.tuples(
        st.integers(0, 4),  # time step
        st.sampled_from(KEYS),
        st.one_of(st.none(), st.integers(0, 9)),  # a write, or None: a read
        st.booleans(),  # for writes: delete instead
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    ops=ops,
    ttl=st.integers(1, 10),
    max_size=st.integers(1, 3),
    cache_missing=st.booleans(),
)
def test_cache_never_returns_a_value_older_than_the_ttl(
    ops: list[tuple[int, str, int | None, bool]],
    ttl: int,
    max_size: int,
    cache_missing: bool,
) -> None:
    store: ProfileStore[str, int] = ProfileStore()
    cache = TTLCache(
        store, ttl=ttl, max_size=max_size, cache_missing=cache_missing
    )
    seen: dict[str, list[tuple[int, int | None]]] = {k: [] for k in KEYS}
    now = 0
    for step, key, value, delete in ops:
        now += step
        if value is not None:
            store.put(key, None if delete else value)
            continue
        seen[key].append((now, store.peek(key)))  # store value at this read
        got = cache.get(key, now)
        recent = {v for t, v in seen[key] if t > now - ttl}
        assert got in recent
        assert len(cache) <= max_size
    stats = cache.stats
    assert store.lookups == stats.misses
    assert stats.hits + stats.misses == sum(len(v) for v in seen.values())


@settings(max_examples=200, deadline=None)
@given(
    reads=st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=40),
    max_size=st.integers(1, 4),
)
def test_cache_hits_match_lru_stack_distance(
    reads: list[str], max_size: int
) -> None:
    store = ProfileStore({k: k.upper() for k in "abcde"})
    cache: TTLCache[str, str] = TTLCache(store, ttl=10**9, max_size=max_size)
    for i, key in enumerate(reads):
        hits_before = cache.stats.hits
        assert cache.get(key, now=i) == key.upper()
        # LRU hit iff fewer than max_size distinct other keys were read
        # since this key's last read.
        last = max((j for j in range(i) if reads[j] == key), default=None)
        expected_hit = (
            last is not None and len(set(reads[last + 1 : i])) < max_size
        )
        assert (cache.stats.hits > hits_before) == expected_hit
