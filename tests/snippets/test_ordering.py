"""Tests for streamlab.ordering: unit tests per rule, properties vs oracles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.ordering import (
    RETAINED_BATCHES,
    Ack,
    Batch,
    Fault,
    Gap,
    Output,
    Partition,
    ProduceResult,
    Released,
    Resequencer,
    Sequenced,
    produce,
    random_faults,
    resequence,
    scripted,
)

Rec = Sequenced[str, str]


def rec(key: str, seq: int) -> Rec:
    return Sequenced(key, seq, f"{key}{seq}")


def show(outputs: list[Output[str, str]]) -> list[str]:
    """A compact spelling of outputs: R a2, G a1-1 timeout, D a1 stale."""
    shown = []
    for o in outputs:
        if isinstance(o, Released):
            shown.append(f"R {o.record.key}{o.record.seq}")
        elif isinstance(o, Gap):
            shown.append(f"G {o.key}{o.start}-{o.end} {o.reason}")
        else:
            shown.append(f"D {o.record.key}{o.record.seq} {o.reason}")
    return shown


# --------------------------------------------------------------------------
# Resequencer: unit tests


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="timeout"):
        Resequencer(0, 1)
    with pytest.raises(ValueError, match="max_buffered"):
        Resequencer(1, 0)
    with pytest.raises(ValueError, match="clock"):
        Resequencer(1, 1, "wall")  # type: ignore[arg-type]


def test_in_order_records_pass_straight_through() -> None:
    rs: Resequencer[str, str] = Resequencer(2, 2)
    assert show(rs.offer(rec("a", 0))) == ["R a0"]
    assert show(rs.offer(rec("b", 0))) == ["R b0"]
    assert show(rs.offer(rec("a", 1))) == ["R a1"]
    assert rs.buffered == 0
    assert rs.expected("a") == 2
    assert rs.expected("unseen") == 0


def test_filling_a_gap_releases_the_buffered_run() -> None:
    rs: Resequencer[str, str] = Resequencer(10, 10)
    assert rs.offer(rec("a", 2)) == []
    assert rs.offer(rec("a", 1)) == []
    assert rs.buffered == 2
    assert show(rs.offer(rec("a", 0))) == ["R a0", "R a1", "R a2"]
    assert rs.buffered == 0


def test_stale_and_duplicate_records_are_dropped() -> None:
    rs: Resequencer[str, str] = Resequencer(10, 10)
    rs.offer(rec("a", 0))
    rs.offer(rec("a", 2))
    assert show(rs.offer(rec("a", 0))) == ["D a0 stale"]
    assert show(rs.offer(rec("a", 2))) == ["D a2 duplicate"]


def test_a_record_waits_at_most_timeout_records() -> None:
    rs: Resequencer[str, str] = Resequencer(3, 10)
    assert rs.offer(rec("a", 2)) == []  # arrives at tick 1
    assert rs.offer(rec("b", 0)) != []  # tick 2
    assert rs.offer(rec("b", 1)) != []  # tick 3
    # tick 4: a2 has waited 3 ticks; a0 and a1 are given up
    assert show(rs.offer(rec("b", 2))) == [
        "G a0-1 timeout",
        "R a2",
        "R b2",
    ]
    assert show(rs.offer(rec("a", 1))) == ["D a1 stale"]


def test_an_expired_later_record_releases_earlier_ones_with_their_gaps() -> (
    None
):
    rs: Resequencer[str, str] = Resequencer(10, 10, "time", first_seq=2)
    assert rs.offer(rec("a", 5), now=0) == []
    assert rs.offer(rec("a", 3), now=8) == []
    assert show(rs.tick(10)) == [
        "G a2-2 timeout",
        "R a3",
        "G a4-4 timeout",
        "R a5",
    ]
    assert rs.tick(18) == []  # a3's stale arrival entry is skipped


def test_time_clock_rules() -> None:
    rs: Resequencer[str, str] = Resequencer(5, 5, "time")
    with pytest.raises(ValueError, match="needs 'now'"):
        rs.offer(rec("a", 0))
    rs.offer(rec("a", 1), now=10)
    with pytest.raises(ValueError, match="went back"):
        rs.tick(9)
    assert rs.tick(14) == []
    assert show(rs.tick(15)) == ["G a0-0 timeout", "R a1"]
    assert rs.now == 15
    counting: Resequencer[str, str] = Resequencer(5, 5)
    with pytest.raises(ValueError, match="takes no 'now'"):
        counting.offer(rec("a", 0), now=1)
    with pytest.raises(ValueError, match="'time' clock"):
        counting.tick(1)


def test_a_full_buffer_gives_up_the_first_gap() -> None:
    rs: Resequencer[str, str] = Resequencer(100, 2)
    rs.offer(rec("a", 2))
    rs.offer(rec("a", 5))
    assert show(rs.offer(rec("a", 4))) == [
        "G a0-1 overflow",
        "R a2",
    ]
    assert rs.buffered == 2
    assert rs.expected("a") == 3


def test_flush_releases_everything_left() -> None:
    rs: Resequencer[str, str] = Resequencer(100, 10)
    rs.offer(rec("b", 1))
    rs.offer(rec("a", 3))
    rs.offer(rec("a", 1))
    assert show(rs.flush()) == [
        "G b0-0 flush",
        "R b1",
        "G a0-0 flush",
        "R a1",
        "G a2-2 flush",
        "R a3",
    ]
    assert rs.buffered == 0
    assert rs.flush() == []


def test_resequence_helper_flushes_at_the_end() -> None:
    out = resequence([rec("a", 1), rec("a", 0), rec("a", 3)], 10, 10)
    assert show(out) == ["R a0", "R a1", "G a2-2 flush", "R a3"]


# --------------------------------------------------------------------------
# Resequencer: a brute-force oracle


@dataclass
class _Waiting:
    key: str
    seq: int
    value: str
    arrival: int


def oracle(
    stream: list[Rec], timeout: int, max_buffered: int
) -> list[list[str]]:
    """Scan-everything resequencer with the record-counting clock; returns
    the shown outputs of every offer, then those of the final flush."""
    expected: dict[str, int] = {}
    waiting: list[_Waiting] = []  # in arrival order
    steps: list[list[str]] = []

    def release(key: str, upto: int, reason: str, out: list[str]) -> None:
        mine = sorted(
            (w for w in waiting if w.key == key and w.seq <= upto),
            key=lambda w: w.seq,
        )
        for w in mine:
            if w.seq > expected[key]:
                out.append(f"G {key}{expected[key]}-{w.seq - 1} {reason}")
            out.append(f"R {key}{w.seq}")
            expected[key] = w.seq + 1
            waiting.remove(w)
        follow(key, out)

    def follow(key: str, out: list[str]) -> None:
        while True:
            nxt = [
                w for w in waiting if w.key == key and w.seq == expected[key]
            ]
            if not nxt:
                return
            out.append(f"R {key}{nxt[0].seq}")
            expected[key] += 1
            waiting.remove(nxt[0])

    for now, r in enumerate(stream, start=1):
        out: list[str] = []
        expired = [w for w in waiting if w.arrival + timeout <= now]
        order = list(dict.fromkeys(w.key for w in expired))
        for key in order:
            last = max(w.seq for w in expired if w.key == key)
            release(key, last, "timeout", out)
        expected.setdefault(r.key, 0)
        if r.seq < expected[r.key]:
            out.append(f"D {r.key}{r.seq} stale")
        elif any(w.key == r.key and w.seq == r.seq for w in waiting):
            out.append(f"D {r.key}{r.seq} duplicate")
        elif r.seq == expected[r.key]:
            out.append(f"R {r.key}{r.seq}")
            expected[r.key] += 1
            follow(r.key, out)
        else:
            waiting.append(_Waiting(r.key, r.seq, r.value, now))
            if sum(w.key == r.key for w in waiting) > max_buffered:
                head = min(w.seq for w in waiting if w.key == r.key)
                release(r.key, head, "overflow", out)
        steps.append(out)
    final: list[str] = []
    for key in expected:
        mine = [w.seq for w in waiting if w.key == key]
        if mine:
            release(key, max(mine), "flush", final)
    steps.append(final)
    return steps


streams = st.lists(
    st.builds(rec, st.sampled_from("abc"), st.integers(0, 12)), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(streams, st.integers(1, 6), st.integers(1, 5))
def test_matches_the_oracle_offer_by_offer(
    stream: list[Rec], timeout: int, max_buffered: int
) -> None:
    rs: Resequencer[str, str] = Resequencer(timeout, max_buffered)
    got = [show(rs.offer(r)) for r in stream] + [show(rs.flush())]
    assert got == oracle(stream, timeout, max_buffered)


@settings(max_examples=300, deadline=None)
@given(streams, st.integers(1, 6), st.integers(1, 5))
def test_invariants(stream: list[Rec], timeout: int, max_buffered: int) -> None:
    rs: Resequencer[str, str] = Resequencer(timeout, max_buffered)
    arrived: dict[tuple[str, int], int] = {}
    outputs: list[Output[str, str]] = []
    for now, r in enumerate(stream, start=1):
        arrived.setdefault((r.key, r.seq), now)
        out = rs.offer(r)
        for o in out:
            if isinstance(o, Released):
                # nobody waits longer than the timeout
                assert now - arrived[(o.record.key, o.record.seq)] <= timeout
        outputs.extend(out)
        per_key = Counter(k for k, s in arrived if s >= rs.expected(k))
        assert all(n <= max_buffered for n in per_key.values())
    outputs.extend(rs.flush())
    # every record comes out exactly once, released or dropped
    seen = Counter(
        (o.record.key, o.record.seq, o.record.value)
        for o in outputs
        if not isinstance(o, Gap)
    )
    assert seen == Counter((r.key, r.seq, r.value) for r in stream)
    # per key, releases and gaps tile 0 .. expected-1 in increasing order
    for key in {r.key for r in stream}:
        covered: list[int] = []
        for o in outputs:
            if isinstance(o, Released) and o.record.key == key:
                covered.append(o.record.seq)
            elif isinstance(o, Gap) and o.key == key:
                assert o.start <= o.end
                covered.extend(range(o.start, o.end + 1))
        assert covered == list(range(rs.expected(key)))


@st.composite
def shuffled_without_loss(draw: st.DrawFn) -> list[Rec]:
    counts = draw(st.dictionaries(st.sampled_from("abc"), st.integers(1, 8)))
    records = [rec(k, s) for k, n in counts.items() for s in range(n)]
    return draw(st.permutations(records))


@settings(max_examples=200, deadline=None)
@given(shuffled_without_loss())
def test_without_loss_and_enough_room_output_is_sorted_per_key(
    stream: list[Rec],
) -> None:
    out = resequence(stream, len(stream) + 1, len(stream) + 1)
    assert all(isinstance(o, Released) for o in out)
    for key in {r.key for r in stream}:
        seqs = [
            o.record.seq
            for o in out
            if isinstance(o, Released) and o.record.key == key
        ]
        assert seqs == sorted(r.seq for r in stream if r.key == key)


# --------------------------------------------------------------------------
# Partition: the broker's sequence check


def test_plain_batches_are_appended_as_they_come() -> None:
    p = Partition()
    assert p.append(Batch(None, 4, (4, 5))) == Ack.APPENDED
    assert p.append(Batch(None, 0, (0, 1))) == Ack.APPENDED
    assert p.append(Batch(None, 0, (0, 1))) == Ack.APPENDED
    assert p.log == [4, 5, 0, 1, 0, 1]


def test_sequence_check_accepts_next_rejects_gap_and_spots_duplicates() -> None:
    p = Partition()
    assert p.append(Batch(7, 2, (2, 3))) == Ack.OUT_OF_ORDER
    assert p.append(Batch(7, 0, (0, 1))) == Ack.APPENDED
    assert p.append(Batch(7, 0, (0, 1))) == Ack.DUPLICATE
    assert p.append(Batch(7, 2, (2, 3))) == Ack.APPENDED
    assert p.append(Batch(8, 0, (100,))) == Ack.APPENDED  # its own sequence
    assert p.log == [0, 1, 2, 3, 100]


def test_duplicates_are_only_recognised_within_the_retained_batches() -> None:
    p = Partition()
    for i in range(RETAINED_BATCHES + 1):
        assert p.append(Batch(1, i, (i,))) == Ack.APPENDED
    assert p.append(Batch(1, RETAINED_BATCHES, (9,))) == Ack.DUPLICATE
    assert p.append(Batch(1, 0, (0,))) == Ack.OUT_OF_ORDER  # forgotten
    assert p.log == list(range(RETAINED_BATCHES + 1))


def test_batch_last_seq() -> None:
    assert Batch(None, 10, (1, 2, 3)).last_seq == 12


# --------------------------------------------------------------------------
# produce: scripted faults


FIRST_LOST = scripted({(0, 0): Fault.LOST})
ACK_OF_LAST_LOST = scripted({(2, 0): Fault.ACK_LOST})


def test_lost_first_batch_is_overtaken_without_idempotence() -> None:
    r = produce(6, 2, max_in_flight=5, idempotent=False, faults=FIRST_LOST)
    assert r.log == [2, 3, 4, 5, 0, 1]
    assert (r.duplicates, r.overtaken) == (0, 2)
    assert [(a.round, a.batch, a.outcome) for a in r.attempts] == [
        (1, 0, "lost"),
        (1, 1, "appended"),
        (1, 2, "appended"),
        (2, 0, "appended"),
    ]


def test_one_request_in_flight_keeps_order_but_not_uniqueness() -> None:
    r = produce(6, 2, max_in_flight=1, idempotent=False, faults=FIRST_LOST)
    assert r.log == [0, 1, 2, 3, 4, 5]
    r = produce(6, 2, 1, False, ACK_OF_LAST_LOST)
    assert r.log == [0, 1, 2, 3, 4, 5, 4, 5]
    assert (r.duplicates, r.overtaken) == (2, 0)


def test_idempotence_rejects_the_overtaking_batches_then_accepts_them() -> None:
    r = produce(6, 2, max_in_flight=5, idempotent=True, faults=FIRST_LOST)
    assert r.log == [0, 1, 2, 3, 4, 5]
    assert [a.outcome for a in r.attempts] == [
        "lost",
        "out of order",
        "out of order",
        "appended",
        "appended",
        "appended",
    ]
    r = produce(6, 2, 5, True, ACK_OF_LAST_LOST)
    assert r.log == [0, 1, 2, 3, 4, 5]
    assert [a.outcome for a in r.attempts if a.batch == 2] == [
        "appended, ack lost",
        "duplicate",
    ]


def test_produce_rejects_bad_arguments() -> None:
    none = scripted({})
    with pytest.raises(ValueError, match="batch_size"):
        produce(4, 0, 1, False, none)
    with pytest.raises(ValueError, match="max_in_flight <= 5"):
        produce(4, 1, RETAINED_BATCHES + 1, True, none)
    assert produce(0, 1, 1, True, none).log == []
    with pytest.raises(RuntimeError, match="3 rounds"):
        produce(4, 1, 1, False, random_faults(1, 0.99, 0.0), max_rounds=3)


def test_random_faults_validation_and_determinism() -> None:
    with pytest.raises(ValueError, match="probabilities"):
        random_faults(1, 0.5, 0.5)
    with pytest.raises(ValueError, match="probabilities"):
        random_faults(1, -0.1, 0.0)
    plan = random_faults(42, 0.3, 0.3)
    draws = [plan(b, a) for b in range(30) for a in range(3)]
    assert draws == [plan(b, a) for b in range(30) for a in range(3)]
    assert set(draws) == {Fault.NONE, Fault.LOST, Fault.ACK_LOST}
    assert {random_faults(42, 0.0, 0.0)(b, 0) for b in range(50)} == {
        Fault.NONE
    }


def test_result_metrics() -> None:
    r = ProduceResult([0, 3, 1, 3, 2, 4, 0], [])
    assert r.duplicates == 2
    assert r.overtaken == 2  # 1 and 2 land after 3


# --------------------------------------------------------------------------
# produce: properties under seeded random faults


runs = st.tuples(
    st.integers(0, 10_000),  # seed
    st.sampled_from([0.0, 0.1, 0.3, 0.5]),  # p_lost
    st.sampled_from([0.0, 0.1, 0.3]),  # p_ack_lost
    st.integers(0, 30),  # records
    st.integers(1, 4),  # batch size
)


def appended_log(r: ProduceResult, records: int, size: int) -> list[int]:
    """Rebuild the log from the attempts alone: every attempt the broker
    appended contributes its batch, in attempt order."""
    log: list[int] = []
    for a in r.attempts:
        if a.outcome.startswith("appended"):
            start = a.batch * size
            log.extend(range(start, min(start + size, records)))
    return log


@settings(max_examples=200, deadline=None)
@given(runs, st.integers(1, RETAINED_BATCHES))
def test_idempotence_gives_the_exact_sequence(
    run: tuple[int, float, float, int, int], in_flight: int
) -> None:
    seed, p_lost, p_ack, n, size = run
    r = produce(n, size, in_flight, True, random_faults(seed, p_lost, p_ack))
    assert r.log == list(range(n))
    assert appended_log(r, n, size) == r.log
    appended = Counter(a.batch for a in r.attempts if a.outcome.startswith("a"))
    assert all(count == 1 for count in appended.values())


@settings(max_examples=200, deadline=None)
@given(runs, st.integers(1, 8))
def test_without_idempotence_nothing_is_lost_but_retries_leave_marks(
    run: tuple[int, float, float, int, int], in_flight: int
) -> None:
    seed, p_lost, p_ack, n, size = run
    r = produce(n, size, in_flight, False, random_faults(seed, p_lost, p_ack))
    assert appended_log(r, n, size) == r.log
    assert set(r.log) == set(range(n))
    ack_lost = sum(
        min(size, n - a.batch * size)
        for a in r.attempts
        if a.outcome == "appended, ack lost"
    )
    assert r.duplicates == ack_lost
    if in_flight == 1:
        assert r.overtaken == 0
    if p_lost == 0.0 and p_ack == 0.0:
        assert r.log == list(range(n))
    # a consumer-side resequencer with enough room repairs the log
    out = resequence(
        [Sequenced("p", v, v) for v in r.log], len(r.log) + 1, len(r.log) + 1
    )
    released = [o.record.value for o in out if isinstance(o, Released)]
    assert released == list(range(n))
    assert not any(isinstance(o, Gap) for o in out)


@settings(max_examples=200, deadline=None)
@given(runs)
def test_same_faults_idempotence_never_appends_more(
    run: tuple[int, float, float, int, int],
) -> None:
    seed, p_lost, p_ack, n, size = run
    plan = random_faults(seed, p_lost, p_ack)
    plain = produce(n, size, 5, False, plan)
    idem = produce(n, size, 5, True, plan)
    assert len(idem.log) <= len(plain.log)
    assert idem.overtaken == idem.duplicates == 0
