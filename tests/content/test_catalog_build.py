"""The catalog hook in real builds of a copy with synthetic pages.

Builds (strict) a copy of the repository whose only pages are the valid
fixtures: with directory URLs, as published, and as the offline variant.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import require
from sitecopy import ROOT, build, make_site_copy

pytestmark = pytest.mark.build

QUESTIONS = ["valid-coding-question", "valid-system-design"]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(
        "node_modules",
        (ROOT / "node_modules" / "mermaid").is_dir(),
        "run `npm ci` to install the pinned browser assets",
    )
    return make_site_copy(tmp_path_factory.mktemp("catalog") / "repo")


@pytest.fixture(scope="module")
def site(copy: Path) -> Path:
    result = build(copy, copy / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^(WARNING|ERROR)", result.stderr, re.MULTILINE)
    return copy / "site"


@pytest.fixture(scope="module")
def offline(copy: Path) -> Path:
    result = build(copy, copy / "offline", offline=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return copy / "offline"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"#?]+)[^"]*"', html)


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def test_catalog_json(site: Path) -> None:
    path = site / "catalog.json"
    document = json.loads(read(path))
    assert document["version"] == 1
    assert [q["id"] for q in document["questions"]] == QUESTIONS
    for entry in document["questions"]:
        assert (site / entry["url"] / "index.html").is_file()
    topics = {t["id"]: t for t in document["topics"]}
    assert len(topics) == 30
    assert topics["partitioning"]["url"] == "topics/partitioning/"
    assert topics["partitioning"]["question_count"] == 1
    # Written through a temporary file: readable by a web server, no debris.
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(site.glob(".catalog.json*"))


def test_question_index_is_generated_not_written(
    site: Path, copy: Path
) -> None:
    assert not (copy / "docs/questions/index.md").exists()
    html = read(site / "questions/index.html")
    rows = re.findall(r"<tr data-difficulty=\"(\w+)\"[^>]*>", html)
    assert rows == ["easy", "hard"]
    body = article(html)
    assert 'href="valid-coding-question/"' in body
    assert 'href="../topics/partitioning/"' in body
    assert 'id="question-filters"' in body and "hidden" in body
    assert "assets/javascripts/question-index.js" in html


def test_question_page_header(site: Path) -> None:
    body = article(read(site / "questions/valid-coding-question/index.html"))
    assert body.count("<h1") == 1
    assert "A valid coding question" in body.split("</h1>")[0]
    assert 'class="hb-badge hb-badge--easy"' in body
    assert '<div class="admonition question">' in body
    assert 'href="../valid-system-design/"' in body
    assert 'href="../../topics/partitioning/"' in body


def test_topic_page_lists_its_questions(site: Path) -> None:
    body = article(read(site / "topics/partitioning/index.html"))
    section = body.split('id="questions-on-this-topic"', 1)[1]
    assert 'href="../../questions/valid-coding-question/"' in section
    assert 'href="../../questions/?topic=partitioning"' in section


def test_home_counts_and_navigation(site: Path) -> None:
    html = read(site / "index.html")
    body = article(html)
    assert "<!-- catalog:counts -->" not in body
    assert "<td><strong>All</strong></td>" in body
    assert "1 of 30 topics have a page." in body
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1]
    nav = nav.split("</nav>\n</div>", 1)[0]
    assert "Messaging" in nav and "Topics" in nav and "Reference" in nav
    # Question pages stay out of the navigation.
    assert "valid-coding-question" not in nav
    assert 'href="reference/catalog-format/"' in nav
    # "What's new" follows the question index (scripts/hooks/exports.py).
    links = re.findall(r'href="([^"#]*)"', nav)
    assert links.index("whats-new/") == links.index("questions/") + 1


def test_every_generated_link_resolves(site: Path) -> None:
    for page in ["questions/index.html", "topics/partitioning/index.html"]:
        base = (site / page).parent
        for href in hrefs(article(read(site / page))):
            if href.startswith(("http:", "https:")):
                continue
            target = (base / href).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (
                page,
                href,
            )


def test_offline_build_uses_file_urls(offline: Path) -> None:
    document = json.loads(read(offline / "catalog.json"))
    assert [q["url"] for q in document["questions"]] == [
        f"questions/{q}.html" for q in QUESTIONS
    ]
    body = article(read(offline / "questions/index.html"))
    assert 'href="valid-coding-question.html"' in body
    topic = article(read(offline / "topics/partitioning.html"))
    assert 'href="../questions/index.html?topic=partitioning"' in topic


@pytest.fixture
def broken(copy: Path, tmp_path: Path) -> Iterator[Path]:
    page = copy / "docs/questions/valid-system-design.md"
    original = read(page)
    page.write_text(original.replace("difficulty: hard", "difficulty: huge"))
    try:
        yield copy
    finally:
        page.write_text(original)


def test_bad_content_fails_the_build_before_writing(
    broken: Path, tmp_path: Path
) -> None:
    result = build(broken, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "docs/questions/valid-system-design.md:5: difficulty: 'huge' is not"
        " allowed (allowed: easy, medium, hard)"
    ) in result.stderr
    assert "content check failed with 1 problem(s)" in result.stderr
    assert not (tmp_path / "site").exists()
