"""A noisy tenant on a shared broker, without and with per-tenant quotas."""

from streamlab.flow import TokenBucket


# --8<-- [start:model]
def run(
    offered: dict[str, int],
    capacity: int,
    quotas: dict[str, int] | None = None,
    seconds: int = 10,
) -> dict[str, tuple[int, int]]:
    """Tenants offer records per second to a broker that serves
    ``capacity`` per second, shared in proportion to what is waiting.

    With ``quotas``, each tenant's client may only hand the broker what its
    token bucket allows (records per second, one second of burst); the rest
    waits in the client, as a throttled Kafka client waits out its delay.
    Returns (served, still queued at the broker) per tenant. 1 ms ticks.
    """
    buckets = {
        t: TokenBucket(rate=q, burst=q) for t, q in (quotas or {}).items()
    }
    client = dict.fromkeys(offered, 0)  # waiting in the producer
    broker = dict.fromkeys(offered, 0)  # accepted, waiting to be served
    served = dict.fromkeys(offered, 0)
    for now in range(seconds * 1000):
        for tenant, rate in offered.items():
            client[tenant] += rate // 1000
            while client[tenant] and (
                tenant not in buckets or buckets[tenant].try_acquire(now)
            ):
                client[tenant] -= 1
                broker[tenant] += 1
        waiting = sum(broker.values())
        budget = min(capacity // 1000, waiting)
        for tenant in offered:  # proportional share of this tick
            take = broker[tenant] * budget // waiting if waiting else 0
            broker[tenant] -= take
            served[tenant] += take
    return {t: (served[t], broker[t]) for t in offered}


# --8<-- [end:model]

# --8<-- [start:noisy]
offered = {"batch-job": 50_000, "checkout": 2_000}
print(run(offered, capacity=20_000))
# > {'batch-job': (187059, 312941), 'checkout': (3529, 16471)}
print(run(offered, capacity=20_000, quotas={"batch-job": 15_000}))
# > {'batch-job': (164985, 0), 'checkout': (20000, 0)}
# --8<-- [end:noisy]
