"""Point-in-time training rows from a feature log, checked against serving."""

from streamlab.joins import Record, as_of_join

# --8<-- [start:rows]
# Feature log (times in minutes): (feature, user, value, event time,
# published at). clicks_1h is a streaming feature one minute behind;
# spend_30d is a daily batch published three hours after midnight.
LOG = [
    ("clicks_1h", "u1", 4, 55, 56),
    ("clicks_1h", "u1", 9, 115, 116),
    ("clicks_1h", "u2", 1, 55, 56),
    ("spend_30d", "u1", 20, 0, 180),
    ("spend_30d", "u1", 25, 1440, 1620),
    ("spend_30d", "u2", 7, 0, 180),
]
MAX_AGE = {"clicks_1h": 120, "spend_30d": 2 * 1440}  # then: missing
labels = [  # (user, prediction time, label)
    Record("u1", 100, 0),
    Record("u2", 200, 1),
    Record("u1", 1500, 1),
]


def training_rows(time_of: str) -> list[tuple[int | None, ...]]:
    """One row per label: the value of each feature as of the label time."""
    columns = []
    for feature, max_age in MAX_AGE.items():
        versions = [
            Record(user, published if time_of == "published" else ev, value)
            for f, user, value, ev, published in LOG
            if f == feature
        ]
        joined = as_of_join(labels, versions, max_staleness=max_age)
        columns.append([row.value for row in joined])
    return list(zip(*columns, strict=True))


good = training_rows("published")
leaky = training_rows("event")
for label, ok, bad in zip(labels, good, leaky, strict=True):
    print(label.key, label.ts, "features", ok, "by event time", bad)
# > u1 100 features (4, None) by event time (4, 20)
# > u2 200 features (None, 7) by event time (None, 7)
# > u1 1500 features (None, 20) by event time (None, 25)
# --8<-- [end:rows]

# --8<-- [start:skew]
# What serving saw: the log replayed into an online store in publish order
# (latest value per key, with the same maximum age as a TTL), read at each
# prediction time.
online: dict[tuple[str, str], tuple[int | None, int]] = {}  # value, written
served: list[tuple[int | None, ...]] = []
log = sorted(LOG, key=lambda row: row[4])
i = 0
for label in labels:  # in prediction-time order
    while i < len(log) and log[i][4] <= label.ts:
        feature, user, value, _, published = log[i]
        online[(feature, user)] = (value, published)
        i += 1
    row: list[int | None] = []
    for feature, max_age in MAX_AGE.items():
        got, written = online.get((feature, label.key), (None, label.ts))
        row.append(got if label.ts - written <= max_age else None)
    served.append(tuple(row))
print("served:", served)
# > served: [(4, None), (None, 7), (None, 20)]


def differ(
    a: list[tuple[int | None, ...]], b: list[tuple[int | None, ...]]
) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


print("rows unlike serving:", differ(served, good))
# > rows unlike serving: 0
print("with event times:", differ(served, leaky))
# > with event times: 2
# --8<-- [end:skew]
