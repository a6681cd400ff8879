"""The question index: filters combine, the count follows, the URL records."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from helpers import Build, outside

pytestmark = pytest.mark.browser

VISIBLE_IDS = """
() => [...document.querySelectorAll("tr[data-difficulty]")]
  .filter(row => !row.hidden)
  .map(row => row.querySelector("a").getAttribute("href"))
"""


def catalog(online_build: Build) -> list[dict[str, Any]]:
    data = json.loads((online_build.site / "catalog.json").read_text())
    questions: list[dict[str, Any]] = data["questions"]
    return questions


def expected(
    questions: list[dict[str, Any]], difficulty: str, topic: str
) -> list[str]:
    return sorted(
        q["id"]
        for q in questions
        if q["difficulty"] == difficulty and topic in q["topics"]
    )


def shown_ids(page: Any) -> list[str]:
    hrefs: list[str] = page.evaluate(VISIBLE_IDS)
    return sorted(
        href.rstrip("/").split("/")[-1].removesuffix(".html") for href in hrefs
    )


def test_difficulty_and_topic_filters_combine(
    page: Any, page_requests: list[str], site_url: str, online_build: Build
) -> None:
    questions = catalog(online_build)
    total = len(questions)
    # A pair that keeps some questions and hides others.
    difficulty, topic = "medium", "backpressure-and-flow-control"
    want = expected(questions, difficulty, topic)
    assert 0 < len(want) < total

    page.goto(site_url + "questions/", wait_until="networkidle")
    assert page.inner_text("#question-count").startswith(f"{total} of {total}")
    page.select_option("#filter-difficulty", difficulty)
    page.select_option("#filter-topic", topic)

    assert shown_ids(page) == want
    assert page.inner_text("#question-count").startswith(
        f"{len(want)} of {total}"
    )
    query = parse_qs(urlparse(page.url).query)
    assert query == {"difficulty": [difficulty], "topic": [topic]}

    # The URL is shareable: opening it restores the same view.
    page.goto(page.url, wait_until="networkidle")
    assert shown_ids(page) == want
    assert page.input_value("#filter-difficulty") == difficulty
    assert page.input_value("#filter-topic") == topic
    assert outside(page_requests, site_url) == []


def test_text_filter_and_url_parameters(
    page: Any, site_url: str, online_build: Build
) -> None:
    questions = catalog(online_build)
    page.goto(
        site_url + "questions/?type=system-design", wait_until="networkidle"
    )
    design = sorted(q["id"] for q in questions if q["type"] == "system-design")
    assert design
    assert shown_ids(page) == design
    page.goto(site_url + "questions/", wait_until="networkidle")
    page.fill("#filter-text", "deduplication")
    shown = shown_ids(page)
    assert "sliding-window-deduplication-in-python" in shown
    assert len(shown) < len(questions)
    assert parse_qs(urlparse(page.url).query) == {"q": ["deduplication"]}


def test_table_is_complete_without_javascript(
    browser: Any, site_url: str, online_build: Build
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "questions/")
        rows = page.locator("tr[data-difficulty]")
        assert rows.count() == len(catalog(online_build))
    finally:
        context.close()
