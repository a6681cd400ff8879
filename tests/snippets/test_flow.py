"""Tests for streamlab.flow: buffers, token bucket, AIMD, flow simulations."""

from __future__ import annotations

import copy
import math
from collections import deque
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlab.flow import (
    AimdBatcher,
    BoundedBuffer,
    FlowReport,
    Overflow,
    TokenBucket,
    run_credit_based,
    run_dropping,
    run_unbounded,
)

PROPERTY = settings(max_examples=200, deadline=None)

# ---------------------------------------------------------------- buffer


def test_block_refuses_when_full_and_keeps_order() -> None:
    buf: BoundedBuffer[str] = BoundedBuffer(2, Overflow.BLOCK)
    assert buf.offer("a") and buf.offer("b")
    assert buf.is_full()
    assert not buf.offer("c")
    assert (buf.refused, buf.dropped, len(buf)) == (1, 0, 2)
    assert buf.poll(5) == ["a", "b"]
    assert buf.offer("c")
    assert buf.poll() == ["c"]


def test_drop_newest_discards_incoming() -> None:
    buf: BoundedBuffer[int] = BoundedBuffer(2, Overflow.DROP_NEWEST)
    results = [buf.offer(i) for i in range(4)]
    assert results == [True, True, False, False]
    assert buf.dropped == 2
    assert buf.poll(10) == [0, 1]


def test_drop_oldest_evicts_head() -> None:
    buf: BoundedBuffer[int] = BoundedBuffer(2, Overflow.DROP_OLDEST)
    results = [buf.offer(i) for i in range(4)]
    assert results == [True, True, True, True]
    assert buf.dropped == 2
    assert buf.poll(10) == [2, 3]


def test_unbounded_buffer_never_full() -> None:
    buf: BoundedBuffer[int] = BoundedBuffer(None)
    for i in range(1000):
        assert buf.offer(i)
    assert not buf.is_full()
    assert buf.max_size == 1000
    assert buf.poll(0) == []


def test_buffer_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="capacity"):
        BoundedBuffer(0)
    with pytest.raises(ValueError, match="limit"):
        BoundedBuffer[int](1).poll(-1)


# An operation is ("offer", _) or ("poll", k).
ops_strategy = st.lists(
    st.one_of(
        st.tuples(st.just("offer"), st.just(0)),
        st.tuples(st.just("poll"), st.integers(0, 4)),
    ),
    max_size=80,
)


@PROPERTY
@given(
    capacity=st.one_of(st.none(), st.integers(1, 6)),
    policy=st.sampled_from(list(Overflow)),
    ops=ops_strategy,
)
def test_buffer_matches_list_oracle(
    capacity: int | None, policy: Overflow, ops: list[tuple[str, int]]
) -> None:
    buf: BoundedBuffer[int] = BoundedBuffer(capacity, policy)
    model: list[int] = []  # brute force: a plain list, same rules
    lost: list[int] = []
    out: list[int] = []
    next_id = 0
    for op, k in ops:
        if op == "offer":
            item = next_id
            next_id += 1
            room = capacity is None or len(model) < capacity
            expected = room or policy is Overflow.DROP_OLDEST
            if room:
                model.append(item)
            elif policy is Overflow.DROP_NEWEST:
                lost.append(item)
            elif policy is Overflow.DROP_OLDEST:
                lost.append(model.pop(0))
                model.append(item)
            assert buf.offer(item) is expected
        else:
            got = buf.poll(k)
            assert got == model[:k]
            out.extend(got)
            del model[:k]
        assert len(buf) == len(model)
        assert capacity is None or len(buf) <= capacity
        # Conservation: every offer is delivered, dropped, refused or held.
        assert buf.offered == buf.delivered + buf.dropped + buf.refused + len(
            buf
        )
    assert buf.delivered == len(out)
    assert buf.dropped == len(lost)
    # Nothing delivered twice, nothing both delivered and lost.
    assert len(set(out) | set(lost)) == len(out) + len(lost)
    if policy is not Overflow.BLOCK:
        assert buf.refused == 0
        assert buf.offered == buf.delivered + buf.dropped + len(buf)
    else:
        assert buf.dropped == 0


# ---------------------------------------------------------- token bucket


def test_token_bucket_burst_then_rate() -> None:
    bucket = TokenBucket(rate=10, burst=3)
    assert [bucket.try_acquire(0) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert bucket.delay_until_available(0) == 100
    assert not bucket.try_acquire(99)
    assert bucket.try_acquire(100)
    assert bucket.available(100) == 0
    assert bucket.available(10_000) == 3  # never more than the burst


def test_token_bucket_delay_is_zero_when_available_and_rounds_up() -> None:
    bucket = TokenBucket(rate=3, burst=2)
    assert bucket.delay_until_available(0, 2) == 0
    assert bucket.try_acquire(0, 2)
    # 2 tokens at 3/s take 666.67 ms: wait 667, not 666.
    assert bucket.delay_until_available(0, 2) == 667
    assert not bucket.try_acquire(666, 2)
    assert bucket.try_acquire(667, 2)


def test_token_bucket_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="rate"):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError, match="burst"):
        TokenBucket(rate=1, burst=0)
    bucket = TokenBucket(rate=1, burst=2, start=50)
    with pytest.raises(ValueError, match="backwards"):
        bucket.try_acquire(49)
    with pytest.raises(ValueError, match="n must be"):
        bucket.try_acquire(60, 3)
    with pytest.raises(ValueError, match="n must be"):
        bucket.delay_until_available(60, 0)


requests_strategy = st.lists(
    st.tuples(st.integers(0, 400), st.integers(1, 5)),  # (gap ms, tokens)
    min_size=1,
    max_size=40,
)


def oracle_available(
    burst: int, rate: int, t0: int, grants: list[tuple[int, int]], now: int
) -> Fraction:
    """Tokens at ``now`` by the min-plus formula, from the grant history.

    The bucket was last full at some moment e in [t0, now]; from then on it
    gained rate * (now - e) / 1000 and lost every grant made at or after e.
    The true level is the minimum over every candidate e, which only needs
    t0, the grant times, and now itself.
    """
    candidates = {t0, now} | {t for t, _ in grants}
    return min(
        burst
        + Fraction(rate * (now - e), 1000)
        - sum(n for t, n in grants if t >= e)
        for e in candidates
    )


@PROPERTY
@given(
    rate=st.integers(1, 50),
    burst=st.integers(1, 8),
    start=st.integers(0, 1000),
    requests=requests_strategy,
)
def test_token_bucket_matches_min_plus_oracle(
    rate: int, burst: int, start: int, requests: list[tuple[int, int]]
) -> None:
    bucket = TokenBucket(rate, burst, start)
    grants: list[tuple[int, int]] = []
    now = start
    for gap, n in requests:
        now += gap
        n = min(n, burst)
        expected = oracle_available(burst, rate, start, grants, now)
        assert bucket.available(now) == expected
        delay = bucket.delay_until_available(now, n)
        if delay > 0:
            later = oracle_available(burst, rate, start, grants, now + delay)
            sooner = oracle_available(
                burst, rate, start, grants, now + delay - 1
            )
            assert sooner < n <= later
        granted = bucket.try_acquire(now, n)
        assert granted is (expected >= n)
        assert granted is (delay == 0)
        if granted:
            grants.append((now, n))


@PROPERTY
@given(
    rate=st.integers(1, 50),
    burst=st.integers(1, 8),
    requests=requests_strategy,
)
def test_token_bucket_never_exceeds_rate_times_interval_plus_burst(
    rate: int, burst: int, requests: list[tuple[int, int]]
) -> None:
    bucket = TokenBucket(rate, burst)
    grants: list[tuple[int, int]] = []
    now = 0
    for gap, n in requests:
        now += gap
        n = min(n, burst)
        if bucket.try_acquire(now, n):
            grants.append((now, n))
    # Brute force over every interval [t1, t2] between grant times.
    times = sorted({t for t, _ in grants})
    for i, t1 in enumerate(times):
        for t2 in times[i:]:
            taken = sum(n for t, n in grants if t1 <= t <= t2)
            assert 1000 * taken <= 1000 * burst + rate * (t2 - t1)


@PROPERTY
@given(
    rate=st.integers(1, 50),
    burst=st.integers(1, 8),
    start=st.integers(0, 100),
    gap=st.integers(0, 300),
    first=st.integers(1, 8),
    n=st.integers(1, 8),
)
def test_waiting_the_delay_always_succeeds(
    rate: int, burst: int, start: int, gap: int, first: int, n: int
) -> None:
    bucket = TokenBucket(rate, burst, start)
    bucket.try_acquire(start, min(first, burst))
    n = min(n, burst)
    now = start + gap
    delay = bucket.delay_until_available(now, n)
    if delay > 0:
        probe = copy.deepcopy(bucket)
        assert not probe.try_acquire(now + delay - 1, n)
    assert bucket.try_acquire(now + delay, n)


# ------------------------------------------------------------------ AIMD


def test_aimd_increases_then_halves() -> None:
    batcher = AimdBatcher(10, initial=4, max_size=100, increase=2)
    assert batcher.observe(10) == 6  # at the target counts as within
    assert batcher.observe(11) == 3
    assert batcher.observe(11) == 1
    assert batcher.observe(11) == 1  # floor of min_size


def test_aimd_caps_at_max_size() -> None:
    batcher = AimdBatcher(10, initial=9, max_size=10, increase=5)
    assert batcher.observe(0) == 10
    assert batcher.observe(0) == 10


def test_aimd_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="min_size"):
        AimdBatcher(1, initial=0, max_size=4)
    with pytest.raises(ValueError, match="min_size"):
        AimdBatcher(1, initial=5, max_size=4)
    with pytest.raises(ValueError, match="increase"):
        AimdBatcher(1, initial=1, max_size=4, increase=0)
    with pytest.raises(ValueError, match="decrease"):
        AimdBatcher(1, initial=1, max_size=4, decrease=Fraction(1))


@PROPERTY
@given(
    min_size=st.integers(1, 10),
    spread=st.integers(0, 100),
    increase=st.integers(1, 10),
    decrease=st.fractions(
        min_value=Fraction(1, 100), max_value=Fraction(99, 100)
    ),
    latencies=st.lists(st.integers(0, 200), max_size=60),
    data=st.data(),
)
def test_aimd_stays_in_bounds_and_moves_the_right_way(
    min_size: int,
    spread: int,
    increase: int,
    decrease: Fraction,
    latencies: list[int],
    data: st.DataObject,
) -> None:
    max_size = min_size + spread
    initial = data.draw(st.integers(min_size, max_size))
    batcher = AimdBatcher(
        100,
        initial=initial,
        min_size=min_size,
        max_size=max_size,
        increase=increase,
        decrease=decrease,
    )
    size = initial
    for latency in latencies:
        new = batcher.observe(latency)
        assert min_size <= new <= max_size
        if latency <= 100:
            assert new == min(max_size, size + increase)
        else:
            assert new == max(min_size, math.floor(size * decrease))
            assert new <= size
        size = new


@PROPERTY
@given(
    fixed=st.integers(0, 50),
    per_item=st.integers(1, 5),
    budget=st.integers(60, 400),
    initial=st.integers(1, 200),
)
def test_aimd_converges_below_the_largest_batch_within_budget(
    fixed: int, per_item: int, budget: int, initial: int
) -> None:
    # Latency grows with the batch; `best` is the largest size that meets
    # the budget (well under max_size, so the cap never hides the sawtooth).
    best = (budget - fixed) // per_item
    batcher = AimdBatcher(budget, initial=initial, max_size=1024, increase=3)
    for _ in range(300):  # warm-up
        batcher.observe(fixed + per_item * batcher.size)
    seen = []
    for _ in range(100):
        seen.append(batcher.observe(fixed + per_item * batcher.size))
    # Sawtooth: never above best + increase, never below half of best.
    assert max(seen) <= best + 3
    assert min(seen) >= max(1, best // 2)
    assert best in range(min(seen), max(seen) + 4)


# ----------------------------------------------------------- simulations

rates = st.lists(st.integers(0, 20), min_size=0, max_size=50)


@st.composite
def workloads(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    arrivals = draw(rates)
    service = draw(
        st.lists(
            st.integers(0, 20), min_size=len(arrivals), max_size=len(arrivals)
        )
    )
    return arrivals, service


def fluid_queue(arrivals: list[int], service: list[int]) -> tuple[int, int]:
    """Oracle for an unbounded FIFO: (delivered, backlog) by plain counting."""
    backlog = delivered = 0
    for a, s in zip(arrivals, service, strict=True):
        backlog += a
        served = min(s, backlog)
        backlog -= served
        delivered += served
    return delivered, backlog


def test_fixed_overload_table() -> None:
    arrivals, service = [12] * 100, [8] * 100
    unbounded = run_unbounded(arrivals, service)
    credit = run_credit_based(arrivals, service, credits=16)
    dropping = run_dropping(arrivals, service, 64, Overflow.DROP_OLDEST)
    assert unbounded.delivered == credit.delivered == dropping.delivered == 800
    assert unbounded.max_buffered > 400 and credit.max_buffered == 16
    assert credit.final_lag == unbounded.final_lag == 400
    assert dropping.max_buffered == 64 and dropping.dropped > 0


def test_simulations_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="length"):
        run_unbounded([1, 2], [1])
    with pytest.raises(ValueError, match="negative"):
        run_credit_based([1], [-1], credits=1)
    with pytest.raises(ValueError, match="cannot block"):
        run_dropping([1], [1], 4, Overflow.BLOCK)
    with pytest.raises(ValueError, match="capacity"):
        run_credit_based([1], [1], credits=0)


def check_conservation(report: FlowReport) -> None:
    assert (
        report.offered == report.delivered + report.dropped + report.final_lag
    )
    assert report.final_lag <= report.max_lag


@PROPERTY
@given(workload=workloads())
def test_unbounded_matches_fluid_queue(
    workload: tuple[list[int], list[int]],
) -> None:
    arrivals, service = workload
    report = run_unbounded(arrivals, service)
    delivered, backlog = fluid_queue(arrivals, service)
    assert (report.delivered, report.final_lag) == (delivered, backlog)
    assert report.dropped == 0
    assert report.offered == sum(arrivals)
    check_conservation(report)


@PROPERTY
@given(
    workload=workloads(),
    capacity=st.integers(1, 30),
    policy=st.sampled_from([Overflow.DROP_NEWEST, Overflow.DROP_OLDEST]),
)
def test_dropping_bounds_memory_and_accounts_for_losses(
    workload: tuple[list[int], list[int]], capacity: int, policy: Overflow
) -> None:
    arrivals, service = workload
    report = run_dropping(arrivals, service, capacity, policy)
    check_conservation(report)
    assert report.max_buffered <= capacity
    # Brute force: replay with a plain deque and the same drop rule.
    queue: deque[int] = deque()
    lost = 0
    for a, s in zip(arrivals, service, strict=True):
        for _ in range(a):
            if len(queue) < capacity:
                queue.append(0)
            else:
                lost += 1
        for _ in range(min(s, len(queue))):
            queue.popleft()
    assert (report.dropped, report.final_lag) == (lost, len(queue))


@PROPERTY
@given(workload=workloads(), credits=st.integers(1, 30))
def test_credit_based_loses_nothing_and_bounds_memory(
    workload: tuple[list[int], list[int]], credits: int
) -> None:
    arrivals, service = workload
    report = run_credit_based(arrivals, service, credits)
    check_conservation(report)
    assert report.dropped == 0
    assert report.offered == sum(arrivals)
    assert report.max_buffered <= credits
    # Backpressure never delivers more than an unbounded queue could...
    delivered, _ = fluid_queue(arrivals, service)
    assert report.delivered <= delivered
    # ...and loses no throughput once the window covers one tick of service.
    if credits >= max(service, default=0):
        assert report.delivered == delivered


@PROPERTY
@given(
    consume=st.integers(1, 15),
    excess=st.integers(1, 15),
    slack=st.integers(0, 10),
    ticks=st.integers(1, 60),
)
def test_credit_based_reads_at_the_consumer_rate_under_overload(
    consume: int, excess: int, slack: int, ticks: int
) -> None:
    # A source faster than the consumer, a window that covers one tick.
    produce, credits = consume + excess, consume + slack
    report = run_credit_based([produce] * ticks, [consume] * ticks, credits)
    # The consumer is never starved, the excess stays in the log...
    assert report.delivered == consume * ticks
    assert report.final_lag == excess * ticks == report.max_lag
    # ...and memory holds one window at most, however long the overload,
    # while the unbounded queue's peak grows with every tick.
    unbounded = run_unbounded([produce] * ticks, [consume] * ticks)
    assert unbounded.max_buffered == produce + excess * (ticks - 1)
    assert report.max_buffered == min(credits, unbounded.max_buffered)
