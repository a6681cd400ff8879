"""A processing-time timer under test: only the virtual clock fires it.

A model of a keyed inactivity alert (the pattern of a Flink
KeyedProcessFunction with a processing-time timer, or a Kafka Streams
wall-clock punctuation), not engine code.
"""

from streamlab.testing import Timer, VirtualClock

SECOND = 1_000


# --8<-- [start:alert]
class InactivityAlert:
    """Alerts on a key that has been silent for ``timeout`` ms."""

    def __init__(self, clock: VirtualClock, timeout: int) -> None:
        self.clock, self.timeout = clock, timeout
        self.timers: dict[str, Timer] = {}
        self.last_event_time: dict[str, int] = {}
        self.alerts: list[tuple[str, int, int]] = []

    def on_event(self, key: str, event_time: int) -> None:
        self.last_event_time[key] = event_time  # data, not a clock
        if key in self.timers:
            self.timers[key].cancel()  # (1)!
        self.timers[key] = self.clock.schedule(  # (2)!
            self.clock.now + self.timeout, lambda now: self.fire(key, now)
        )

    def fire(self, key: str, now: int) -> None:
        self.alerts.append((key, now, self.last_event_time[key]))
        del self.timers[key]


# --8<-- [end:alert]

# --8<-- [start:test]
clock = VirtualClock()  # processing time 0, moved only by the test
alert = InactivityAlert(clock, timeout=30 * SECOND)
alert.on_event("sensor-1", event_time=5 * SECOND)
clock.advance(29 * SECOND)
alert.on_event("sensor-1", event_time=3_600 * SECOND)  # (1)!
clock.advance(29 * SECOND)
print(alert.alerts, clock.now)
# > [] 58000
clock.advance(1 * SECOND)
print(alert.alerts)
# > [('sensor-1', 59000, 3600000)]
# --8<-- [end:test]
