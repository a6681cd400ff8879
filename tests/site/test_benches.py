"""Smoke tests of the benchmark scripts: tiny inputs, the shape of the
output. No test asserts a time: benchmarks print figures, people read them.
"""

from __future__ import annotations

import re
from pathlib import Path

import bench_build
import bench_lighthouse
import bench_snippets
import pytest

NUMBER = r"[\d,]+(?:\.\d+)?"


def test_bench_snippets_prints_every_pair(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench_snippets.main(["--events", "2000", "--runs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("events=2000 runs=1 (median)")
    rows = [
        line
        for line in lines[2:]
        if re.fullmatch(
            rf"(dedup|window|join)\s+(naive: |streamlab ).+\s{NUMBER}"
            rf"\s+{NUMBER}\s+{NUMBER}x\s+-?\d+",
            line,
        )
    ]
    assert [row.split()[0] for row in rows] == [
        "dedup",
        "dedup",
        "window",
        "window",
        "join",
        "join",
    ]
    assert ["naive:" in row for row in rows] == [True, False] * 3
    assert "window agree: yes" in lines
    assert "join   agree: yes" in lines


def test_naive_baselines_agree_with_streamlab() -> None:
    b = bench_snippets
    times = b.timestamps(3000, seed=7)
    assert b.naive_windows(times) == b.streamlab_windows(times)
    events = b.arrivals(3000, seed=7)
    assert any(ts < 0 for is_table, _, ts, _ in events if is_table)
    assert b.naive_join(events) == b.streamlab_join(events)


@pytest.mark.build
def test_bench_build_prints_both_configs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench_build.main(["--pages", "2", "4", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    for pages in (2, 4):
        block = out.split(f"synthetic pages={pages} runs=1 (median)\n")[1]
        lines = block.splitlines()
        for line, name in zip(
            lines[1:3], ("handbook", "material"), strict=True
        ):
            assert re.fullmatch(
                rf"  {name}\s+{NUMBER}\s+{NUMBER}\s+\d+\s+{NUMBER}\s+{NUMBER}"
                rf"  \S+\.html \({NUMBER} B\)",
                line,
            ), line
        assert re.fullmatch(
            rf"  ratio handbook/material: {NUMBER} \(budget <= 1\.3: "
            r"(met|NOT MET)\)",
            lines[3],
        )
    for label in ("mean", "median"):
        assert re.search(
            rf"handbook html bytes/page \({label}\): {NUMBER} at N=2,"
            rf" {NUMBER} at N=4 \([+-]\d+\.\d%\)",
            out,
        )


def test_synthetic_pages_get_their_own_id_and_title(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "questions").mkdir(parents=True)
    (docs / "questions/a-question.md").write_text(
        '---\nid: a-question\ntitle: "Late: yes"\n---\nBody\n', "utf-8"
    )
    bench_build.add_pages(docs, 2)
    second = (docs / "questions/bench-00001-a-question.md").read_text("utf-8")
    assert second == (
        '---\nid: bench-00001-a-question\ntitle: "Late: yes (variant 1)"\n'
        "---\nBody\n"
    )
    assert len(list((docs / "questions").glob("*.md"))) == 3


def test_lighthouse_server_serves_like_a_host(tmp_path: Path) -> None:
    """The bench's server: gzip for text, plain for the rest, a 404 page."""
    import gzip
    import urllib.error
    import urllib.request

    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("<p>page</p>" * 50, "utf-8")
    (tmp_path / "404.html").write_text("not here", "utf-8")
    (tmp_path / "i.png").write_bytes(b"\x89PNG")

    def get(url: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(
            url, headers={"Accept-Encoding": "gzip"}
        )
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    with bench_lighthouse.serve(tmp_path) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        status, headers, body = get(base + "a/")
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert gzip.decompress(body) == b"<p>page</p>" * 50
        status, headers, body = get(base + "i.png")
        assert (status, body, "Content-Encoding" in headers) == (
            200,
            b"\x89PNG",
            False,
        )
        status, _, body = get(base + "../etc/passwd")
        assert (status, gzip.decompress(body)) == (404, b"not here")


def test_lighthouse_budgets() -> None:
    def report(perf: float, others: float, cls: float) -> dict[str, object]:
        scores = {"performance": perf} | dict.fromkeys(
            ("accessibility", "best-practices", "seo"), others
        )
        return {
            "categories": {k: {"score": v} for k, v in scores.items()},
            "audits": {"cumulative-layout-shift": {"numericValue": cls}},
        }

    runs = [
        bench_lighthouse.parse_report(report(p, 1.0, c))
        for p, c in ((0.93, 0.0), (0.96, 0.2), (0.97, 0.05))
    ]
    middle = bench_lighthouse.median(runs)
    assert middle.categories["performance"] == 96
    assert middle.cls == 0.05
    assert bench_lighthouse.misses(middle, diagrams=False) == []
    worst = bench_lighthouse.parse_report(report(0.92, 0.99, 0.1))
    assert bench_lighthouse.misses(worst, diagrams=True) == [
        "CLS >= 0.1",
        "accessibility < 100",
        "best-practices < 100",
        "seo < 100",
    ]
    assert bench_lighthouse.misses(worst, diagrams=False)[0] == (
        "performance < 95"
    )


def test_lighthouse_bench_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        bench_lighthouse, "LIGHTHOUSE", bench_lighthouse.ROOT / "missing"
    )
    assert bench_lighthouse.main(["--runs", "1"]) == 2
    assert "make bench-lighthouse" in capsys.readouterr().err
