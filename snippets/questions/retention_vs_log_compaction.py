"""Delete, compact, or both: one history of feature updates, three topics."""

from streamlab.log import DAY_MS, CleanupPolicy, CommitLog

# --8<-- [start:policies]
# Risk score per user, written when it changes: (user, score, day).
updates = [
    ("u1", 0.20, 0),  # u1 has been quiet since day 0
    ("u2", 0.10, 1),
    ("u2", 0.35, 6),
    ("u3", 0.50, 8),
    ("u2", 0.40, 9),
    ("u3", 0.55, 10),
]
policies: list[CleanupPolicy] = ["delete", "compact", "compact,delete"]
for policy in policies:
    topic = CommitLog[float](cleanup_policy=policy, retention_ms=7 * DAY_MS)
    for user, score, day in updates:
        topic.append(user, score, timestamp=day * DAY_MS)
    topic.clean(now=11 * DAY_MS)  # cleaner and retention run on day 11
    kept = topic.records(0)
    latest = {r.key: r.value for r in kept}
    print(f"{policy:>14}: offsets {[r.offset for r in kept]} {latest}")
# >         delete: offsets [2, 3, 4, 5] {'u2': 0.4, 'u3': 0.55}
# >        compact: offsets [0, 4, 5] {'u1': 0.2, 'u2': 0.4, 'u3': 0.55}
# > compact,delete: offsets [4, 5] {'u2': 0.4, 'u3': 0.55}
# --8<-- [end:policies]
