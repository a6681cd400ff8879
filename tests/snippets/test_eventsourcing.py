"""Tests for streamlab.eventsourcing: unit tests plus properties checked
against brute-force oracles (filter the whole log, then fold)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.eventsourcing import (
    ConcurrencyError,
    CrudTable,
    Event,
    EventStore,
    NewEvent,
    Projection,
    ReadModel,
    as_of,
    load,
    rebuild,
    take_snapshot,
)

# An order-sensitive projection: the state records every event it saw, in
# the order it saw them, so any dropped, duplicated or reordered event shows.
Trace = tuple[tuple[int, int], ...]


def _trace(state: Trace, event: Event[int]) -> Trace:
    return (*state, (event.position, event.data))


TRACE = Projection[int, Trace]("trace", 1, (), _trace)
TRACE_V2 = Projection[int, Trace]("trace", 2, (), _trace)


def _sum(state: int, event: Event[int]) -> int:
    return state + event.data


SUM = Projection[int, int]("sum", 1, 0, _sum)

STREAMS = ("a", "b", "c")

# One batch: (stream, [(payload, event_time)...], recorded-time increment).
batches = st.lists(
    st.tuples(
        st.sampled_from(STREAMS),
        st.lists(
            st.tuples(st.integers(-5, 5), st.integers(0, 40)),
            min_size=1,
            max_size=3,
        ),
        st.integers(0, 4),
    ),
    max_size=12,
)


def build(
    spec: list[tuple[str, list[tuple[int, int]], int]],
) -> EventStore[int]:
    """Append every batch with the correct expected version."""
    store = EventStore[int]()
    clock = 0
    for stream, items, step in spec:
        clock += step
        store.append(
            stream,
            [NewEvent(data, event_time) for data, event_time in items],
            expected_version=store.version(stream),
            recorded_time=clock,
        )
    return store


def oracle_fold(
    events: list[Event[int]], projection: Projection[int, Trace]
) -> dict[str, Trace]:
    """Group events by stream, keeping log order, and fold each group."""
    grouped: dict[str, list[Event[int]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.position):
        grouped[event.stream_id].append(event)
    return {s: projection.replay(es) for s, es in grouped.items()}


def _one(data: int = 1, event_time: int = 0) -> list[NewEvent[int]]:
    return [NewEvent(data, event_time)]


# ---------------------------------------------------------------- store


def test_append_assigns_positions_versions_and_both_clocks() -> None:
    store = EventStore[int]()
    first = store.append(
        "u1",
        [NewEvent(10, 5), NewEvent(20, 6)],
        expected_version=0,
        recorded_time=7,
    )
    second = store.append(
        "u2", _one(30, 2), expected_version=0, recorded_time=9
    )
    assert [(e.position, e.version) for e in first] == [(1, 1), (2, 2)]
    assert (second[0].position, second[0].version) == (3, 1)
    assert (second[0].event_time, second[0].recorded_time) == (2, 9)
    assert len(store) == 3
    assert store.version("u1") == 2
    assert store.version("nobody") == 0
    assert store.streams() == ["u1", "u2"]
    assert [e.data for e in store.read_stream("u1")] == [10, 20]
    assert store.read_stream("nobody") == []


def test_stale_expected_version_is_rejected_with_a_clear_error() -> None:
    store = EventStore[int]()
    store.append("u1", _one(), expected_version=0, recorded_time=1)
    with pytest.raises(ConcurrencyError) as info:
        store.append("u1", _one(), expected_version=0, recorded_time=2)
    assert str(info.value) == "stream 'u1' is at version 1, expected 0"
    assert (info.value.stream_id, info.value.expected, info.value.actual) == (
        "u1",
        0,
        1,
    )
    assert len(store) == 1


def test_blind_append_skips_the_version_check() -> None:
    store = EventStore[int]()
    store.append("u1", _one(), expected_version=None, recorded_time=1)
    store.append("u1", _one(), expected_version=None, recorded_time=1)
    assert store.version("u1") == 2


def test_empty_append_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to append"):
        EventStore[int]().append("u1", [], expected_version=0, recorded_time=1)


def test_recorded_time_cannot_go_back() -> None:
    store = EventStore[int]()
    store.append("u1", _one(), expected_version=0, recorded_time=5)
    with pytest.raises(ValueError, match="recording order"):
        store.append("u2", _one(), expected_version=0, recorded_time=4)
    assert len(store) == 1


def test_events_are_immutable_and_reads_are_copies() -> None:
    store = EventStore[int]()
    store.append("u1", _one(1), expected_version=0, recorded_time=1)
    event = store.read_all()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.data = 2  # type: ignore[misc]
    store.read_all().clear()
    store.read_stream("u1").clear()
    assert len(store.read_all()) == 1
    assert len(store.read_stream("u1")) == 1


@pytest.mark.parametrize("after, to", [(-1, None), (2, 1), (0, 5)])
def test_read_ranges_outside_the_log_are_refused(
    after: int, to: int | None
) -> None:
    store = EventStore[int]()
    store.append(
        "u1", [NewEvent(1, 0)] * 2, expected_version=0, recorded_time=1
    )
    with pytest.raises(ValueError, match="outside stream 'u1'"):
        store.read_stream("u1", after, to)
    with pytest.raises(ValueError, match="outside the log"):
        store.read_all(after, to)


def test_position_at_counts_events_recorded_by_then() -> None:
    store = EventStore[int]()
    for recorded in (1, 3, 3, 8):
        store.append(
            "u1", _one(), expected_version=None, recorded_time=recorded
        )
    assert [store.position_at(t) for t in (0, 1, 2, 3, 7, 8, 99)] == [
        0,
        1,
        1,
        3,
        3,
        4,
        4,
    ]


@settings(max_examples=200, deadline=None)
@given(batches)
def test_positions_are_dense_and_in_recording_order(
    spec: list[tuple[str, list[tuple[int, int]], int]],
) -> None:
    store = build(spec)
    log = store.read_all()
    assert [e.position for e in log] == list(range(1, len(log) + 1))
    recorded = [e.recorded_time for e in log]
    assert recorded == sorted(recorded)
    for stream in store.streams():
        events = store.read_stream(stream)
        assert [e.version for e in events] == list(range(1, len(events) + 1))
        assert events == [e for e in log if e.stream_id == stream]
    for t in range(-1, (recorded[-1] if recorded else 0) + 2):
        assert store.position_at(t) == sum(r <= t for r in recorded)


# Each attempt: (stream, expected version or None for a blind append).
attempts = st.lists(
    st.tuples(st.sampled_from(STREAMS), st.none() | st.integers(0, 4)),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(attempts)
def test_appends_with_stale_expected_versions_are_rejected(
    tries: list[tuple[str, int | None]],
) -> None:
    store = EventStore[int]()
    model: dict[str, int] = defaultdict(int)  # oracle: stream -> version
    for clock, (stream, expected) in enumerate(tries):
        before = len(store)
        if expected is None or expected == model[stream]:
            store.append(
                stream,
                _one(clock),
                expected_version=expected,
                recorded_time=clock,
            )
            model[stream] += 1
        else:
            with pytest.raises(ConcurrencyError) as info:
                store.append(
                    stream,
                    _one(clock),
                    expected_version=expected,
                    recorded_time=clock,
                )
            assert (info.value.expected, info.value.actual) == (
                expected,
                model[stream],
            )
            assert len(store) == before
        assert store.version(stream) == model[stream]
    assert len(store) == sum(model.values())


# ----------------------------------------------------------- projections


def test_projection_key_and_replay() -> None:
    store = EventStore[int]()
    store.append(
        "u1",
        [NewEvent(2, 0), NewEvent(3, 0)],
        expected_version=0,
        recorded_time=1,
    )
    assert SUM.key == "sum@v1"
    assert SUM.replay(store.read_stream("u1")) == 5
    assert SUM.fold(store.read_stream("u1"), 10) == 15


def test_read_model_catches_up_incrementally() -> None:
    store = EventStore[int]()
    model = ReadModel(SUM)
    assert model.get("u1") == 0
    store.append("u1", _one(4), expected_version=0, recorded_time=1)
    assert model.catch_up(store) == 1
    store.append("u1", _one(5), expected_version=1, recorded_time=2)
    store.append("u2", _one(7), expected_version=0, recorded_time=2)
    assert model.catch_up(store) == 2
    assert model.catch_up(store) == 0
    assert model.position == 3
    assert dict(model.states()) == {"u1": 9, "u2": 7}


def test_checkpoint_from_other_logic_is_refused() -> None:
    store = EventStore[int]()
    store.append("u1", _one(), expected_version=0, recorded_time=1)
    checkpoint = rebuild(store, TRACE).checkpoint()
    with pytest.raises(ValueError, match="written by trace@v1, not trace@v2"):
        ReadModel(TRACE_V2, checkpoint)


def test_checkpoint_is_not_changed_by_later_catch_up() -> None:
    store = EventStore[int]()
    store.append("u1", _one(1), expected_version=0, recorded_time=1)
    model = rebuild(store, SUM)
    checkpoint = model.checkpoint()
    store.append("u1", _one(1), expected_version=1, recorded_time=2)
    model.catch_up(store)
    assert (checkpoint.position, dict(checkpoint.states)) == (1, {"u1": 1})


@settings(max_examples=200, deadline=None)
@given(batches, st.data())
def test_resumed_read_model_equals_rebuild_and_oracle(
    spec: list[tuple[str, list[tuple[int, int]], int]], data: st.DataObject
) -> None:
    store = build(spec)
    cut = data.draw(st.integers(0, len(store)), label="checkpoint position")
    first = rebuild(store, TRACE, until=cut)
    resumed = ReadModel(TRACE, first.checkpoint())
    assert resumed.position == cut
    resumed.catch_up(store)
    expected = oracle_fold(store.read_all(), TRACE)
    assert dict(resumed.states()) == expected
    assert dict(rebuild(store, TRACE).states()) == expected
    assert dict(first.states()) == oracle_fold(store.read_all()[:cut], TRACE)


# ------------------------------------------------------------- snapshots


def test_snapshot_checks_stream_and_logic() -> None:
    store = EventStore[int]()
    store.append("u1", _one(3), expected_version=0, recorded_time=1)
    snap = take_snapshot(store, SUM, "u1")
    assert (snap.stream_id, snap.version, snap.state, snap.projection) == (
        "u1",
        1,
        3,
        "sum@v1",
    )
    with pytest.raises(ValueError, match="of stream 'u1', not 'u2'"):
        load(store, SUM, "u2", snap)
    with pytest.raises(ValueError, match="taken by trace@v2, not trace@v1"):
        load(store, TRACE, "u1", take_snapshot(store, TRACE_V2, "u1"))


@settings(max_examples=200, deadline=None)
@given(batches, st.data())
def test_snapshot_plus_tail_equals_full_replay(
    spec: list[tuple[str, list[tuple[int, int]], int]], data: st.DataObject
) -> None:
    store = build(spec)
    stream = data.draw(st.sampled_from(STREAMS), label="stream")
    head = store.version(stream)
    at = data.draw(st.integers(0, head), label="snapshot version")
    snap = take_snapshot(store, TRACE, stream, version=at)
    assert snap.version == at
    full = (TRACE.replay(store.read_stream(stream)), head)
    assert load(store, TRACE, stream, snap) == full
    assert load(store, TRACE, stream) == full


# ---------------------------------------------------------- point in time


def test_as_of_excludes_late_and_future_dated_events() -> None:
    store = EventStore[int]()
    store.append(
        "u1", _one(1, event_time=1), expected_version=0, recorded_time=1
    )
    # Happened at 4 but recorded at 12: not known at 10.
    store.append(
        "u1", _one(2, event_time=4), expected_version=1, recorded_time=12
    )
    # Recorded at 12 about time 15 (scheduled): not happened by 12.
    store.append(
        "u2", _one(5, event_time=15), expected_version=0, recorded_time=12
    )
    assert as_of(store, SUM, 10) == {"u1": 1}
    assert as_of(store, SUM, 10, known_at=12) == {"u1": 3}
    assert as_of(store, SUM, 15, known_at=12) == {"u1": 3, "u2": 5}
    assert as_of(store, SUM, 0) == {}


@settings(max_examples=200, deadline=None)
@given(batches, st.integers(-1, 45), st.none() | st.integers(-1, 50))
def test_as_of_equals_filter_then_fold(
    spec: list[tuple[str, list[tuple[int, int]], int]],
    t: int,
    known_at: int | None,
) -> None:
    store = build(spec)
    cutoff = t if known_at is None else known_at
    visible = [
        e
        for e in store.read_all()
        if e.event_time <= t and e.recorded_time <= cutoff
    ]
    assert as_of(store, TRACE, t, known_at=known_at) == oracle_fold(
        visible, TRACE
    )


# ------------------------------------------------------------------ CRUD


def test_crud_table_overwrites_and_forgets() -> None:
    table = CrudTable[int]()
    table.put("u1", 1)
    table.put("u1", 2)
    table.put("u2", 3)
    assert table.get("u1") == 2
    assert len(table) == 2
    table.delete("u2")
    table.delete("missing")
    assert table.get("u2") is None
    rows = table.rows()
    rows["u1"] = 99
    assert table.rows() == {"u1": 2}
