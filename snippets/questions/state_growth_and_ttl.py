"""A model of Flink's state TTL semantics, and why TTL alone is lazy.

Not Flink's code: a small keyed value state that applies the documented
rules (processing-time TTL, update type, visibility, cleanup on read and an
optional incremental background sweep) so their effect can be printed.
"""

from itertools import islice

MINUTE = 60_000


# --8<-- [start:model]
class TtlValueState:
    """Keyed value state with a processing-time TTL (times in ms)."""

    def __init__(
        self,
        ttl: int,
        *,
        refresh_on_read: bool = False,  # OnReadAndWrite vs OnCreateAndWrite
        return_expired: bool = False,  # ReturnExpiredIfNotCleanedUp
        sweep: int = 0,  # entries checked per access (incremental cleanup)
    ) -> None:
        self.ttl, self.refresh_on_read = ttl, refresh_on_read
        self.return_expired, self.sweep = return_expired, sweep
        self.entries: dict[str, tuple[str, int]] = {}  # value, last access

    def _expired(self, last: int, now: int) -> bool:
        return last + self.ttl <= now

    def update(self, key: str, value: str, now: int) -> None:
        self.entries[key] = (value, now)  # a write always refreshes
        self._sweep(now)

    def value(self, key: str, now: int) -> str | None:
        self._sweep(now)
        if key not in self.entries:
            return None
        value, last = self.entries[key]
        if self._expired(last, now):
            del self.entries[key]  # cleanup on read
            return value if self.return_expired else None
        if self.refresh_on_read:
            self.entries[key] = (value, now)
        return value

    def _sweep(self, now: int) -> None:
        for key in list(islice(self.entries, self.sweep)):
            if self._expired(self.entries[key][1], now):
                del self.entries[key]


# --8<-- [end:model]

# --8<-- [start:update_type]
for refresh in (False, True):
    state = TtlValueState(30 * MINUTE, refresh_on_read=refresh)
    state.update("device-7", "online", now=0)
    seen = [state.value("device-7", now=m * MINUTE) for m in (20, 40, 60)]
    kind = "OnReadAndWrite  " if refresh else "OnCreateAndWrite"
    print(kind, "reads at 20, 40, 60 min:", seen)
# > OnCreateAndWrite reads at 20, 40, 60 min: ['online', None, None]
# > OnReadAndWrite   reads at 20, 40, 60 min: ['online', 'online', 'online']
# --8<-- [end:update_type]

# --8<-- [start:lazy]
for sweep in (0, 10):
    state = TtlValueState(30 * MINUTE, sweep=sweep)
    for n in range(10_000):  # one-shot keys: written once, never read again
        state.update(f"session-{n}", "x", now=n)
    for n in range(500):  # an hour later: 500 accesses to one hot key
        state.update("hot", "x", now=60 * MINUTE + n)
    print(f"sweep={sweep:>2}: entries still held = {len(state.entries)}")
# > sweep= 0: entries still held = 10001
# > sweep=10: entries still held = 5001
# --8<-- [end:lazy]


# --8<-- [start:retention]
def window_store_ok(size_ms: int, grace_ms: int, retention_ms: int) -> bool:
    """Kafka Streams rejects a window store kept shorter than size + grace."""
    return size_ms + grace_ms <= retention_ms


print(window_store_ok(5 * MINUTE, 10 * MINUTE, 15 * MINUTE))
print(window_store_ok(5 * MINUTE, 10 * MINUTE, 10 * MINUTE))
# > True
# > False
# --8<-- [end:retention]
