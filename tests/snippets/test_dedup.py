"""Tests for streamlab.dedup: one unit test per rule, properties vs oracles."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import bench_dedup
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.dedup import (
    MAX_TIMESTAMP_US,
    MIN_TIMESTAMP_US,
    Deduplicator,
    Event,
    Malformed,
    MalformedEventError,
    Verdict,
    decode_event,
    parse_event,
    parse_timestamp,
)

NEW, DUP, OLD, BAD = (
    Verdict.NEW,
    Verdict.DUPLICATE,
    Verdict.TOO_OLD,
    Verdict.MALFORMED,
)
MIN = 60_000_000  # one minute in microseconds
T0 = 1_795_773_600_000_000  # 2026-11-27T10:00:00Z in microseconds
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def run(dedup: Deduplicator, events: list[tuple[str, int]]) -> list[Verdict]:
    return [dedup.offer(k, t) for k, t in events]


def tiny(window: int = 10, max_ids: int = 1_000_000) -> Deduplicator:
    """A deduplicator with a window of ``window`` microseconds."""
    return Deduplicator(timedelta(microseconds=window), max_ids=max_ids)


# --------------------------------------------------------------------------
# Oracles: brute force, no eviction structure, just scans.


def oracle(events: list[tuple[str, int]], window: int) -> list[Verdict]:
    """For every event, scan all earlier passed events inside the window."""
    verdicts: list[Verdict] = []
    passed: list[tuple[str, int]] = []
    clock: int | None = None
    for key, ts in events:
        clock = ts if clock is None else max(clock, ts)
        horizon = clock - window
        if ts < horizon:
            verdicts.append(OLD)
        elif any(k == key and t >= horizon for k, t in passed):
            verdicts.append(DUP)
        else:
            verdicts.append(NEW)
            passed.append((key, ts))
    return verdicts


def capped_oracle(
    events: list[tuple[str, int]], window: int, cap: int
) -> tuple[list[Verdict], int]:
    """For time-ordered input: keep passed ids in a list, drop the oldest."""
    verdicts: list[Verdict] = []
    live: list[tuple[str, int]] = []
    evicted = 0
    clock: int | None = None
    for key, ts in events:
        clock = ts if clock is None else max(clock, ts)
        horizon = clock - window
        live = [(k, t) for k, t in live if t >= horizon]
        if any(k == key for k, _ in live):
            verdicts.append(DUP)
            continue
        if len(live) >= cap:
            live.pop(0)
            evicted += 1
        live.append((key, ts))
        verdicts.append(NEW)
    return verdicts, evicted


KEYS = st.sampled_from("abcdef")
EVENTS = st.lists(st.tuples(KEYS, st.integers(0, 60)), max_size=60)


# --------------------------------------------------------------------------
# Rules, one by one.


def test_repeat_within_window_is_a_duplicate() -> None:
    dedup = Deduplicator()
    assert run(dedup, [("a", T0), ("b", T0), ("a", T0)]) == [NEW, NEW, DUP]


def test_window_is_inclusive_and_then_the_copy_is_too_old() -> None:
    dedup = Deduplicator(timedelta(minutes=10))
    events = [("a", T0), ("x", T0 + 10 * MIN), ("a", T0)]
    assert run(dedup, events) == [NEW, NEW, DUP]  # age exactly 10 min
    assert run(dedup, [("y", T0 + 10 * MIN + 1), ("a", T0)]) == [NEW, OLD]


def test_id_passes_again_once_its_window_has_passed() -> None:
    dedup = Deduplicator(timedelta(minutes=10))
    later = T0 + 10 * MIN + 1
    assert run(dedup, [("a", T0), ("a", later)]) == [NEW, NEW]


def test_late_event_inside_window_is_checked_normally() -> None:
    dedup = Deduplicator(timedelta(minutes=10))
    events = [("b", T0 + 5 * MIN), ("a", T0), ("a", T0), ("b", T0 + 5 * MIN)]
    assert run(dedup, events) == [NEW, NEW, DUP, DUP]


def test_too_old_event_is_forwarded_counted_and_not_remembered() -> None:
    dedup = Deduplicator(timedelta(minutes=10))
    dedup.offer("now", T0 + 30 * MIN)
    assert dedup.offer("old", T0) is OLD
    assert dedup.offer("old", T0) is OLD  # cannot be checked, both go on
    assert Verdict.TOO_OLD.emit
    assert len(dedup) == 1
    assert dedup.clock_us == T0 + 30 * MIN
    stats = dedup.stats
    assert (stats.too_old, stats.passed, stats.seen) == (2, 1, 3)


def test_duplicate_does_not_refresh_expiry() -> None:
    dedup = Deduplicator(timedelta(minutes=10))
    events = [("a", T0), ("a", T0 + 8 * MIN), ("a", T0 + 12 * MIN)]
    # A refresh at minute 8 would have made the third copy a duplicate.
    assert run(dedup, events) == [NEW, DUP, NEW]


def test_cap_evicts_oldest_and_the_evicted_id_passes_again() -> None:
    dedup = Deduplicator(max_ids=2)
    assert run(dedup, [("a", T0), ("b", T0), ("c", T0)]) == [NEW] * 3
    assert len(dedup) == 2
    assert dedup.stats.evicted_by_cap == 1
    # "a" was forgotten: its copy passes (at-least-once), never dropped.
    assert dedup.offer("a", T0) is NEW
    assert run(dedup, [("c", T0), ("a", T0)]) == [DUP, DUP]
    assert dedup.stats.evicted_by_cap == 2


def test_expired_id_behind_a_younger_one_is_not_a_duplicate() -> None:
    dedup = tiny(window=10)
    assert run(dedup, [("a", 10), ("z", 1), ("b", 15)]) == [NEW] * 3
    assert len(dedup) == 3  # z expired (1 < 5) but waits behind a (10)
    assert dedup.offer("z", 12) is NEW
    assert dedup.offer("z", 12) is DUP
    assert len(dedup) == 3


def test_id_passed_again_counts_as_newest_for_the_cap() -> None:
    dedup = tiny(window=10, max_ids=3)
    assert run(dedup, [("a", 10), ("z", 1), ("b", 15), ("z", 12)]) == [NEW] * 4
    assert run(dedup, [("c", 15), ("d", 15)]) == [NEW, NEW]  # evict a, b
    assert dedup.stats.evicted_by_cap == 2
    assert dedup.offer("z", 12) is DUP


def test_cap_eviction_also_clears_expired_ids_it_uncovers() -> None:
    dedup = tiny(window=10, max_ids=2)
    assert run(dedup, [("a", 10), ("z", 1), ("b", 15)]) == [NEW] * 3
    assert dedup.stats.evicted_by_cap == 1  # a; z was merely expired
    assert len(dedup) == 1


def test_forget_lets_a_failed_event_be_retried() -> None:
    dedup = Deduplicator()
    assert dedup.offer("a", T0) is NEW
    assert dedup.forget("a") is True  # processing "a" failed
    assert dedup.offer("a", T0) is NEW  # so its redelivery goes through
    assert dedup.offer("a", T0) is DUP
    assert dedup.forget("never-seen") is False
    assert len(dedup) == 1


def test_rejects_bad_configuration() -> None:
    with pytest.raises(ValueError, match="window must be positive"):
        Deduplicator(timedelta(0))
    with pytest.raises(ValueError, match="max_ids must be at least 1"):
        Deduplicator(max_ids=0)


def test_stats_is_a_snapshot() -> None:
    dedup = Deduplicator()
    dedup.process_json("nope")
    snapshot = dedup.stats
    snapshot.malformed["not_json"] = 99
    snapshot.seen = 99
    assert dedup.stats.malformed == {"not_json": 1}
    assert dedup.stats.seen == 1
    assert dedup.stats.malformed_total == 1


def test_clock_starts_empty() -> None:
    assert Deduplicator().clock_us is None


def test_emit_flags() -> None:
    assert [v.emit for v in Verdict] == [True, False, True, False]


# --------------------------------------------------------------------------
# Timestamps.


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("2026-11-27T10:00:00Z", "s", T0),
        ("2026-11-27T12:00:00+02:00", "s", T0),
        ("2026-11-27T05:00:00-05:00", "s", T0),
        ("2026-11-27 10:00:00.000250+00:00", "s", T0 + 250),
        ("20261127T100000Z", "s", T0),
        (1_795_773_600, "s", T0),
        (1_795_773_600.5, "s", T0 + 500_000),
        (1_795_773_600_000, "ms", T0),
        (1_795_773_600_001.0, "ms", T0 + 1_000),
        (-1, "s", -1_000_000),
        (1.0000007, "s", 1_000_001),  # rounded to the nearest microsecond
    ],
)
def test_timestamp_forms(value: object, unit: Any, expected: int) -> None:
    assert parse_timestamp(value, unit) == expected


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        math.nan,
        math.inf,
        -math.inf,
        1e300,  # finite but past year 9999
        1e303,  # overflows to infinity once scaled
        10**30,
        "2026-11-27T10:00:00",  # no offset: which 10:00?
        "2026-11-27",
        "1795773600",  # numbers must be JSON numbers, not strings
        "yesterday",
        "",
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
        None,
        [T0],
        {"ts": T0},
    ],
)
def test_bad_timestamps(value: object) -> None:
    with pytest.raises(MalformedEventError) as info:
        parse_timestamp(value)
    assert info.value.reason is Malformed.BAD_TIMESTAMP


def test_timestamp_range_edges() -> None:
    first = datetime.min.replace(tzinfo=UTC).isoformat()
    last = datetime.max.replace(tzinfo=UTC).isoformat()
    assert parse_timestamp(first) == MIN_TIMESTAMP_US
    assert parse_timestamp(last) == MAX_TIMESTAMP_US


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone.min]
        ),
    )
)
def test_iso_and_epoch_forms_agree(moment: datetime) -> None:
    micros = (moment - EPOCH) // timedelta(microseconds=1)
    assert parse_timestamp(moment.isoformat()) == micros
    whole = micros // 1_000_000
    assert parse_timestamp(whole) == whole * 1_000_000
    assert parse_timestamp(whole * 1_000, "ms") == whole * 1_000_000


# --------------------------------------------------------------------------
# Malformed events: counted per reason, never raise, never pass as new.


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("not json", Malformed.NOT_JSON),
        ('{"event_id": "a", "timestamp": ', Malformed.NOT_JSON),
        (b"\xff\xfe{}", Malformed.NOT_JSON),
        ("[" * 100_000, Malformed.NOT_JSON),  # too deep for the decoder
        ("1" * 5_000, Malformed.NOT_JSON),  # past int's digit limit
        ("[1, 2]", Malformed.NOT_OBJECT),
        ('"a"', Malformed.NOT_OBJECT),
        ("null", Malformed.NOT_OBJECT),
        ('{"timestamp": 1}', Malformed.MISSING_EVENT_ID),
        ("{}", Malformed.MISSING_EVENT_ID),
        ('{"event_id": true, "timestamp": 1}', Malformed.BAD_EVENT_ID),
        ('{"event_id": 1.5, "timestamp": 1}', Malformed.BAD_EVENT_ID),
        ('{"event_id": null, "timestamp": 1}', Malformed.BAD_EVENT_ID),
        ('{"event_id": "", "timestamp": 1}', Malformed.BAD_EVENT_ID),
        ('{"event_id": ["a"], "timestamp": 1}', Malformed.BAD_EVENT_ID),
        ('{"event_id": "a"}', Malformed.MISSING_TIMESTAMP),
        ('{"event_id": "a", "timestamp": true}', Malformed.BAD_TIMESTAMP),
        ('{"event_id": "a", "timestamp": NaN}', Malformed.BAD_TIMESTAMP),
        ('{"event_id": "a", "timestamp": -Infinity}', Malformed.BAD_TIMESTAMP),
        ('{"event_id": "a", "timestamp": 1e400}', Malformed.BAD_TIMESTAMP),
        ('{"event_id": "a", "timestamp": "10:00"}', Malformed.BAD_TIMESTAMP),
        ('{"event_id": "a", "timestamp": null}', Malformed.BAD_TIMESTAMP),
    ],
)
def test_malformed_inputs(raw: str | bytes, reason: Malformed) -> None:
    with pytest.raises(MalformedEventError) as info:
        decode_event(raw)
    assert info.value.reason is reason
    dedup = Deduplicator()
    assert dedup.process_json(raw) is BAD
    assert dedup.process_json(raw) is BAD  # and never becomes "new" later
    stats = dedup.stats
    assert stats.malformed == {reason.value: 2}
    assert (stats.seen, stats.passed, len(dedup)) == (2, 0, 0)
    assert dedup.clock_us is None  # a bad event does not move the clock


def test_id_length_limit() -> None:
    ok = {"event_id": "x" * 8, "timestamp": 1}
    assert parse_event(ok, max_id_length=8) == Event("x" * 8, 1_000_000)
    with pytest.raises(MalformedEventError) as info:
        parse_event({**ok, "event_id": "x" * 9}, max_id_length=8)
    assert info.value.reason is Malformed.BAD_EVENT_ID


def test_integer_id_is_keyed_by_its_decimal_string() -> None:
    dedup = Deduplicator()
    assert dedup.process({"event_id": 42, "timestamp": 1}) is NEW
    assert dedup.process({"event_id": "42", "timestamp": 1}) is DUP


def test_process_accepts_decoded_objects_and_bytes() -> None:
    dedup = Deduplicator(epoch_unit="ms")
    assert dedup.process({"event_id": "a", "timestamp": 1_000}) is NEW
    assert dedup.process_json(b'{"event_id": "a", "timestamp": 1000}') is DUP
    assert dedup.process(["a", 1_000]) is BAD
    assert dedup.clock_us == 1_000_000


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON_VALUES, max_size=10))
def test_arbitrary_values_never_raise_and_are_all_counted(
    values: list[object],
) -> None:
    dedup = Deduplicator()
    for value in values:
        dedup.process(value)
        dedup.process_json(json.dumps(value))
    stats = dedup.stats
    counted = stats.passed + stats.duplicates + stats.too_old
    assert stats.seen == 2 * len(values) == counted + stats.malformed_total


# A field value paired with what it should parse to (None: malformed).
GOOD_IDS = st.sampled_from(["a", "b", "c"]).map(lambda k: (k, k))
BAD_IDS = st.sampled_from([True, 1.5, None, "", ["a"]]).map(lambda v: (v, None))
SECONDS = st.integers(0, 30)
GOOD_TS = SECONDS.flatmap(
    lambda s: st.sampled_from(
        [
            s,
            float(s),
            (EPOCH + timedelta(seconds=s)).isoformat(),
            (EPOCH + timedelta(seconds=s))
            .astimezone(timezone(timedelta(hours=-3)))
            .isoformat(),
        ]
    ).map(lambda v: (v, s * 1_000_000))
)
BAD_TS = st.sampled_from([False, "1970-01-01T00:00:00", "x", None]).map(
    lambda v: (v, None)
)
FIELDS = st.tuples(st.none() | GOOD_IDS | BAD_IDS, st.none() | GOOD_TS | BAD_TS)


@settings(max_examples=300, deadline=None)
@given(st.lists(FIELDS, max_size=30))
def test_json_stream_matches_oracle_on_its_valid_events(
    rows: list[tuple[tuple[Any, Any] | None, tuple[Any, Any] | None]],
) -> None:
    dedup = Deduplicator(timedelta(seconds=10))
    expected_valid: list[tuple[str, int]] = []
    got_valid: list[Verdict] = []
    for id_field, ts_field in rows:
        obj: dict[str, Any] = {}
        if id_field is not None:
            obj["event_id"] = id_field[0]
        if ts_field is not None:
            obj["timestamp"] = ts_field[0]
        verdict = dedup.process_json(json.dumps(obj))
        valid = (
            id_field is not None
            and id_field[1] is not None
            and ts_field is not None
            and ts_field[1] is not None
        )
        assert (verdict is BAD) == (not valid)
        if valid:
            assert id_field is not None and ts_field is not None
            expected_valid.append((id_field[1], ts_field[1]))
            got_valid.append(verdict)
    assert got_valid == oracle(expected_valid, 10_000_000)


# --------------------------------------------------------------------------
# The core against the oracles.


@settings(max_examples=400, deadline=None)
@given(EVENTS, st.integers(1, 20))
def test_out_of_order_stream_matches_oracle(
    events: list[tuple[str, int]], window: int
) -> None:
    dedup = tiny(window)
    verdicts = run(dedup, events)
    assert verdicts == oracle(events, window)
    stats = dedup.stats
    assert stats.passed == verdicts.count(NEW)
    assert stats.duplicates == verdicts.count(DUP)
    assert stats.too_old == verdicts.count(OLD)
    assert stats.seen == len(events)
    assert stats.evicted_by_cap == 0


@settings(max_examples=300, deadline=None)
@given(EVENTS, st.integers(1, 20), st.integers(1, 5))
def test_ordered_stream_with_cap_matches_capped_oracle(
    events: list[tuple[str, int]], window: int, cap: int
) -> None:
    events = sorted(events, key=lambda e: e[1])
    dedup = tiny(window, max_ids=cap)
    expected, evicted = capped_oracle(events, window, cap)
    assert run(dedup, events) == expected
    assert dedup.stats.evicted_by_cap == evicted


@settings(max_examples=400, deadline=None)
@given(EVENTS, st.integers(1, 20), st.integers(1, 5))
def test_out_of_order_stream_with_cap_keeps_its_promises(
    events: list[tuple[str, int]], window: int, cap: int
) -> None:
    dedup = tiny(window, max_ids=cap)
    truth = oracle(events, window)
    passed: list[tuple[str, int, int]] = []  # (id, time, clock when passed)
    clock: int | None = None
    for i, (key, ts) in enumerate(events):
        evicted_before = dedup.stats.evicted_by_cap
        verdict = dedup.offer(key, ts)
        clock = ts if clock is None else max(clock, ts)
        horizon = clock - window
        # Too old is a matter of timestamps only; the cap cannot change it.
        assert (verdict is OLD) == (truth[i] is OLD)
        # Until the cap first bites, the answer is the uncapped one.
        if evicted_before == 0:
            assert verdict is truth[i]
        # Never drop an event unless a copy was passed inside the window.
        if verdict is DUP:
            assert any(k == key and t >= horizon for k, t, _ in passed)
        if verdict is NEW:
            passed.append((key, ts, clock))
        # Memory: at most the cap, and only ids passed during the clock's
        # last window.
        assert len(dedup) <= cap
        assert len(dedup) <= sum(1 for *_, c in passed if c >= horizon)


# --------------------------------------------------------------------------
# The benchmark runs and prints its table (figures are not checked).

ROW = re.compile(
    r"^(?P<name>\S.*?) +[\d,]+ events/s  peak +\d+\.\d MiB  ids held \d+$"
)


def test_bench_prints_a_header_and_four_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench_dedup.main(["--events", "300", "--runs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"events=300 dup_rate=0\.2 gap_ms=10\.0 window_s=600 "
        r"runs=1 \(median\)",
        lines[0],
    )
    names = []
    for line in lines[1:]:
        match = ROW.match(line)
        assert match, line
        names.append(match["name"])
    assert names == [
        "naive set, never expires",
        "Deduplicator.offer",
        "naive set + json.loads",
        "Deduplicator.process_json",
    ]
