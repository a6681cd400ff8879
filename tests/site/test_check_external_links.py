"""The outbound link check, without the network: link extraction from a
small site, the HEAD-then-GET logic with a fake fetch, the report, and the
real urllib fetch against a server on the loopback address."""

from __future__ import annotations

import http.server
import threading
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from check_external_links import (
    Outcome,
    Result,
    check,
    check_all,
    external_address,
    external_links,
    main,
    report,
    urllib_fetch,
)

PAGE_A = """<html><body>
<a href="https://kafka.apache.org/documentation/#consumerconfigs">a</a>
<a href="https://kafka.apache.org/documentation/#producerconfigs">b</a>
<a href="../topics/joins/">internal</a>
<a href="#top">anchor</a>
<a href="mailto:someone@example.org">mail</a>
<a href="http://127.0.0.1:8000/">local preview</a>
<a href="//nightlies.apache.org/flink/">protocol-relative</a>
<a class="md-content__button md-icon" rel="edit"
   href="https://github.com/stream-processing-handbook/handbook/edit/main/docs/a.md">edit</a>
<a>no href</a>
</body></html>
"""
PAGE_B = """<html><body>
<a href="https://kafka.apache.org/documentation/">again</a>
<a href=" https://spark.apache.org/docs/latest/ ">spaces</a>
</body></html>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "topics/a").mkdir(parents=True)
    (tmp_path / "index.html").write_text(PAGE_B)
    (tmp_path / "topics/a/index.html").write_text(PAGE_A)
    (tmp_path / "style.css").write_text("a{background:url(https://x.org/)}")
    return tmp_path


def test_links_are_collected_deduplicated_and_sourced(site: Path) -> None:
    assert external_links(site) == {
        "https://kafka.apache.org/documentation/": [
            "index.html",
            "topics/a/index.html",
        ],
        "https://nightlies.apache.org/flink/": ["topics/a/index.html"],
        "https://spark.apache.org/docs/latest/": ["index.html"],
    }


@pytest.mark.parametrize(
    ("href", "address"),
    [
        ("https://a.org/x#frag", "https://a.org/x"),
        ("HTTP://A.org/", "HTTP://A.org/"),
        ("//a.org/x", "https://a.org/x"),
        ("../x.md", None),
        ("mailto:a@b.org", None),
        ("javascript:void(0)", None),
        ("https://localhost:8000/", None),
        ("https:///no-host", None),
    ],
)
def test_external_address(href: str, address: str | None) -> None:
    assert external_address(href) == address


class FakeFetch:
    """Answers from a table: (method, url) -> status or exception."""

    def __init__(self, answers: dict[tuple[str, str], int | Exception]):
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def __call__(self, method: str, url: str, timeout: float) -> int:
        assert timeout == 3.0
        self.calls.append((method, url))
        answer = self.answers[(method, url)]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.mark.parametrize(
    ("head", "get", "outcome", "detail", "requests"),
    [
        (200, None, "ok", "200", 1),
        (301, None, "ok", "301", 1),
        (405, 200, "ok", "200", 2),
        (404, 404, "broken", "404", 2),
        (500, 503, "broken", "503", 2),
        (403, 403, "blocked", "403", 2),
        (429, 429, "blocked", "429", 2),
        (404, 401, "blocked", "401", 2),
        (
            urllib.error.URLError("Name or service not known"),
            urllib.error.URLError("Name or service not known"),
            "broken",
            "no answer (Name or service not known)",
            2,
        ),
        (TimeoutError("timed out"), 200, "ok", "200", 2),
    ],
)
def test_head_then_get(
    head: int | Exception,
    get: int | Exception | None,
    outcome: Outcome,
    detail: str,
    requests: int,
) -> None:
    url = "https://a.org/x"
    answers: dict[tuple[str, str], int | Exception] = {("HEAD", url): head}
    if get is not None:
        answers[("GET", url)] = get
    fetch = FakeFetch(answers)
    assert check(url, fetch, 3.0) == Result(url, outcome, detail)
    assert len(fetch.calls) == requests


def test_check_all_keeps_the_order() -> None:
    urls = [f"https://a.org/{i}" for i in range(7)]
    answers: dict[tuple[str, str], int | Exception] = {
        ("HEAD", u): 200 if i % 2 else 404 for i, u in enumerate(urls)
    }
    answers.update({("GET", u): 404 for u in urls})
    results = check_all(urls, FakeFetch(answers), 3.0, workers=3)
    assert [r.url for r in results] == urls
    assert [r.outcome for r in results] == [
        "broken" if i % 2 == 0 else "ok" for i in range(7)
    ]


def test_report_lists_broken_then_blocked_then_counts() -> None:
    results = [
        Result("https://a.org/", "ok", "200"),
        Result("https://b.org/", "blocked", "403"),
        Result("https://c.org/", "broken", "404"),
    ]
    pages = {
        "https://b.org/": ["index.html"],
        "https://c.org/": ["a/index.html", "b/index.html"],
    }
    lines, status = report(results, pages)
    assert lines == [
        "BROKEN: https://c.org/ -> 404 (linked from a/index.html,"
        " b/index.html)",
        "BLOCKED: https://b.org/ -> 403 (linked from index.html)",
        "check_external_links: 3 address(es) checked: 1 ok, 1 blocked,"
        " 1 broken",
    ]
    assert status == 1
    assert report(results[:2], pages)[1] == 0


def test_main_checks_each_address_once(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers: dict[tuple[str, str], int | Exception] = {
        ("HEAD", "https://kafka.apache.org/documentation/"): 200,
        ("HEAD", "https://nightlies.apache.org/flink/"): 404,
        ("GET", "https://nightlies.apache.org/flink/"): 404,
        ("HEAD", "https://spark.apache.org/docs/latest/"): 200,
    }
    fetch = FakeFetch(answers)
    assert main([str(site), "--timeout", "3"], fetch=fetch) == 1
    assert sorted(fetch.calls) == sorted(answers)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "BROKEN: https://nightlies.apache.org/flink/ -> 404 (linked from"
        " topics/a/index.html)",
        "check_external_links: 3 address(es) checked: 2 ok, 0 blocked,"
        " 1 broken",
    ]


def test_main_refuses_more_links_than_the_limit(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fetch = FakeFetch({})
    assert main([str(site), "--max-links", "2"], fetch=fetch) == 1
    assert fetch.calls == []
    assert "links to 3 addresses, more than --max-links 2" in (
        capsys.readouterr().err
    )


def test_main_needs_a_built_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "site")], fetch=FakeFetch({})) == 2
    assert "run `make site` first" in capsys.readouterr().err


class Handler(http.server.BaseHTTPRequestHandler):
    """/ok 200; /head-refused 405 to HEAD, 200 to GET; /gone 404;
    /moved 301 to /ok."""

    def answer(self, head: bool) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/ok" or (self.path == "/head-refused" and not head):
            self.send_response(200)
        elif self.path == "/head-refused":
            self.send_response(405)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urllib_fetch_on_the_loopback(server: str) -> None:
    assert urllib_fetch("HEAD", f"{server}/ok", 5.0) == 200
    assert urllib_fetch("GET", f"{server}/gone", 5.0) == 404
    assert urllib_fetch("HEAD", f"{server}/moved", 5.0) == 200
    assert check(f"{server}/head-refused", urllib_fetch, 5.0).detail == "200"
    assert check(f"{server}/gone", urllib_fetch, 5.0).outcome == "broken"
