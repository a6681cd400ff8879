"""Windows, deduplication and an interval join in Flink SQL (PyFlink).

Run as a script it prints the demo shown on the pages. With ``--cases`` it
reads a JSON request on stdin and answers with JSON on stdout, from one
TableEnvironment (one JVM start for the whole test session):

* ``windows``: cases ``{"window": {...}, "delay": ms, "events": [[key, ts],
  ...]}``, events in arrival order; answer per case ``[key, start, end,
  count]`` rows. The watermark is ``max(ts) - delay``, raised after every
  row (``pipeline.auto-watermark-interval`` is 0).
* ``dedup``: cases ``{"order": "proctime" | "rowtime", "events": [[id, ts],
  ...]}``; answer the changelog ``[kind, id, ts]`` in output order.
* ``join``: cases ``{"lower": ms, "upper": ms, "left": [[key, ts], ...],
  "right": [...]}``; answer ``[key, left_ts, right_ts]`` rows.
* ``demo``: the printed demo, as a string.

Cases of one request run in one query each kind: case ``i`` is shifted by
``i * SHIFT`` milliseconds and keyed by ``i``, so that cases cannot meet.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections import defaultdict
from datetime import datetime
from typing import Any

from pyflink.table import EnvironmentSettings, TableEnvironment

SHIFT = 10**9  # ms between cases: windows align to 0 and to every shift
EPOCH = datetime(1970, 1, 1)


# --8<-- [start:env]
def table_env() -> TableEnvironment:
    """A streaming TableEnvironment that is deterministic on small inputs."""
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    config = env.get_config()
    config.set("parallelism.default", "1")  # one reader, rows in file order
    config.set("pipeline.auto-watermark-interval", "0")  # per row
    config.set("table.local-time-zone", "UTC")
    config.set("python.executable", sys.executable)
    return env


# --8<-- [end:env]


def seconds(ms: int) -> str:
    """An INTERVAL literal for ``ms`` milliseconds."""
    return f"INTERVAL '{ms / 1000:.3f}' SECOND(3, 3)"


def millis(moment: datetime) -> int:
    """Epoch milliseconds of a TIMESTAMP(3) read back in UTC."""
    return (moment - EPOCH) // (EPOCH.replace(microsecond=1000) - EPOCH)


class Tables:
    """Makes CSV-backed tables with an event-time attribute ``ts``."""

    def __init__(self, env: TableEnvironment, root: str) -> None:
        self.env, self.root, self.count = env, root, 0

    def create(self, rows: list[tuple[Any, ...]], delay: int) -> str:
        """A table ``(c, k, t)`` of ``rows`` in this order; its name."""
        self.count += 1
        name = f"ev{self.count}"
        folder = os.path.join(self.root, name)
        os.mkdir(folder)
        with open(os.path.join(folder, "rows.csv"), "w") as f:
            f.writelines(",".join(map(str, row)) + "\n" for row in rows)
        self.env.execute_sql(
            f"""CREATE TABLE {name} (
              c INT, k STRING, t BIGINT,
              ts AS TO_TIMESTAMP_LTZ(t, 3),
              WATERMARK FOR ts AS ts - {seconds(delay)}
            ) WITH ('connector' = 'filesystem', 'path' = '{folder}',
                    'format' = 'csv')"""
        )
        return name


def collect(env: TableEnvironment, sql: str) -> list[Any]:
    with env.execute_sql(sql).collect() as rows:
        return list(rows)


# --8<-- [start:windows]
def window_tvf(table: str, spec: dict[str, Any]) -> str:
    """The windowing table-valued function for a window spec."""
    if spec["kind"] == "tumbling":
        return f"TUMBLE(TABLE {table}, DESCRIPTOR(ts), {seconds(spec['size'])})"
    if spec["kind"] == "hopping":  # HOP takes the slide first, then the size
        slide, size = seconds(spec["slide"]), seconds(spec["size"])
        return f"HOP(TABLE {table}, DESCRIPTOR(ts), {slide}, {size})"
    gap = seconds(spec["gap"])
    return f"SESSION(TABLE {table} PARTITION BY (c, k), DESCRIPTOR(ts), {gap})"


def window_counts_sql(table: str, spec: dict[str, Any]) -> str:
    return f"""
        SELECT c, k, window_start, window_end, COUNT(*) AS n
        FROM TABLE({window_tvf(table, spec)})
        GROUP BY c, k, window_start, window_end"""


# --8<-- [end:windows]


def run_windows(
    env: TableEnvironment, tables: Tables, cases: list[dict[str, Any]]
) -> list[list[list[Any]]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        key = json.dumps([case["window"], case["delay"]], sort_keys=True)
        groups[key].append(i)
    out: list[list[list[Any]]] = [[] for _ in cases]
    for indexes in groups.values():
        rows = [
            (i, k, i * SHIFT + ts)
            for i in indexes
            for k, ts in cases[i]["events"]
        ]
        first = cases[indexes[0]]
        table = tables.create(rows, first["delay"])
        for c, k, start, end, n in collect(
            env, window_counts_sql(table, first["window"])
        ):
            base = c * SHIFT
            out[c].append([k, millis(start) - base, millis(end) - base, n])
    return out


# --8<-- [start:dedup]
def dedup_sql(table: str, order: str) -> str:
    """Keep the first row per id: first to arrive, or earliest event time."""
    column = "pt" if order == "proctime" else "ts"
    return f"""
        SELECT c, k, t FROM (
          SELECT *, ROW_NUMBER() OVER (
            PARTITION BY c, k ORDER BY {column} ASC) AS rn
          FROM (SELECT *, PROCTIME() AS pt FROM {table}))
        WHERE rn = 1"""


# --8<-- [end:dedup]


def run_dedup(
    env: TableEnvironment, tables: Tables, cases: list[dict[str, Any]]
) -> list[list[list[Any]]]:
    out: list[list[list[Any]]] = [[] for _ in cases]
    for order in ("proctime", "rowtime"):
        indexes = [i for i, c in enumerate(cases) if c["order"] == order]
        if not indexes:
            continue
        rows = [
            (i, k, i * SHIFT + ts)
            for i in indexes
            for k, ts in cases[i]["events"]
        ]
        table = tables.create(rows, cases[indexes[0]].get("delay", 0))
        for row in collect(env, dedup_sql(table, order)):
            c, k, t = row
            out[c].append([str(row.get_row_kind()), k, t - c * SHIFT])
    return out


# --8<-- [start:join]
def interval_join_sql(left: str, right: str, lower: int, upper: int) -> str:
    """Pairs with ``l.ts + lower <= r.ts <= l.ts + upper``, same key."""
    return f"""
        SELECT l.c, l.k, l.t, r.t
        FROM {left} AS l, {right} AS r
        WHERE l.c = r.c AND l.k = r.k
          AND r.ts BETWEEN l.ts + {seconds(lower)} AND l.ts + {seconds(upper)}
    """


# --8<-- [end:join]


def run_join(
    env: TableEnvironment, tables: Tables, cases: list[dict[str, Any]]
) -> list[list[list[Any]]]:
    groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[(case["lower"], case["upper"], case["delay"])].append(i)
    out: list[list[list[Any]]] = [[] for _ in cases]
    for (lower, upper, delay), indexes in groups.items():
        sides = [
            tables.create(
                [
                    (i, k, i * SHIFT + ts)
                    for i in indexes
                    for k, ts in cases[i][side]
                ],
                delay,
            )
            for side in ("left", "right")
        ]
        for c, k, lt, rt in collect(
            env, interval_join_sql(*sides, lower, upper)
        ):
            out[c].append([k, lt - c * SHIFT, rt - c * SHIFT])
    return out


def demo(env: TableEnvironment, tables: Tables) -> None:
    # --8<-- [start:demo]
    clicks = [  # (case, user, event time in ms), in arrival order
        (0, "ann", 1000),
        (0, "ann", 9999),
        (0, "bob", 11000),  # watermark 11000 - 2000 = 9000: not yet due
        (0, "ann", 4000),  # behind the max, not the watermark: on time
        (0, "ann", 13000),  # watermark 11000 fires [0, 10000)
        (0, "ann", 5000),  # late for [0, 10000): dropped
    ]
    table = tables.create(clicks, delay=2000)
    query = window_counts_sql(table, {"kind": "tumbling", "size": 10000})
    for _, user, start, end, n in sorted(map(tuple, collect(env, query))):
        print(user, millis(start), millis(end), n)
    # > ann 0 10000 3
    # > ann 10000 20000 1
    # > bob 10000 20000 1
    # --8<-- [end:demo]
    # --8<-- [start:demo_dedup]
    orders = [  # (case, order id, event time in ms), in arrival order
        (0, "o-1", 3000),
        (0, "o-2", 2000),
        (0, "o-1", 1000),  # the same id again, with an earlier event time
    ]
    table = tables.create(orders, delay=5000)
    for order in ("proctime", "rowtime"):
        kept = collect(env, dedup_sql(table, order))
        for row in sorted(kept, key=lambda r: (r[1], r[2])):
            print(order, row.get_row_kind(), row[1], row[2])
    # > proctime +I o-1 3000
    # > proctime +I o-2 2000
    # > rowtime +I o-1 1000
    # > rowtime +I o-2 2000
    # --8<-- [end:demo_dedup]
    # --8<-- [start:demo_join]
    views = tables.create([(0, "ann", 1000), (0, "bob", 2000)], delay=5000)
    clicks = tables.create(  # a click counts within 10 s after the view
        [(0, "ann", 4000), (0, "ann", 11000), (0, "bob", 12000)], delay=5000
    )
    pairs = collect(env, interval_join_sql(views, clicks, 0, 10000))
    for _, user, viewed, clicked in sorted(map(tuple, pairs)):
        print(user, viewed, clicked)
    # > ann 1000 4000
    # > ann 1000 11000
    # > bob 2000 12000
    # --8<-- [end:demo_join]


def main() -> None:
    env = table_env()
    with tempfile.TemporaryDirectory() as root:
        tables = Tables(env, root)
        if "--cases" not in sys.argv:
            demo(env, tables)
            return
        request = json.load(sys.stdin)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            demo(env, tables)
        answer = {
            "demo": shown.getvalue(),
            "windows": run_windows(env, tables, request.get("windows", [])),
            "dedup": run_dedup(env, tables, request.get("dedup", [])),
            "join": run_join(env, tables, request.get("join", [])),
        }
        json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
