"""The reader's progress in a real browser: marks, filters, export, import.

Marks live in localStorage: they must survive a reload (also over file://,
as in the offline zip), show on the index, topic and home pages, and
round-trip through an exported file; a bad file is refused and changes
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import Build, outside

pytestmark = pytest.mark.browser

KEY = "handbook.progress"
FORMAT = "stream-processing-handbook-progress"
SHOWN_ROWS = """
() => [...document.querySelectorAll("#question-index tr[data-id]")]
  .filter(row => !row.hidden).map(row => row.dataset.id)
"""


def questions(build: Build) -> list[dict[str, Any]]:
    document = json.loads((build.site / "catalog.json").read_text())
    found: list[dict[str, Any]] = document["questions"]
    return found


def mark(page: Any, url: str, value: str) -> None:
    page.goto(url, wait_until="load")
    page.click(f"#progress-mark button[value={value}]")
    pressed = page.get_attribute(
        f"#progress-mark button[value={value}]", "aria-pressed"
    )
    assert pressed == "true"


def stored(page: Any) -> Any:
    return page.evaluate(f"() => localStorage.getItem('{KEY}')")


def store(page: Any, marks: dict[str, str]) -> None:
    document = {"format": FORMAT, "version": 1, "questions": marks}
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [KEY, json.dumps(document)],
    )


def test_marks_survive_a_reload_and_show_everywhere(
    page: Any, page_requests: list[str], site_url: str, online_build: Build
) -> None:
    every = questions(online_build)
    first, second = every[0], every[1]
    mark(page, site_url + first["url"], "practiced")
    mark(page, site_url + second["url"], "review")
    page.reload(wait_until="load")
    buttons = "#progress-mark button[aria-pressed=true]"
    assert page.locator(buttons).get_attribute("value") == "review"
    # Clicking the pressed mark again clears it; clicking again sets it.
    page.click("#progress-mark button[value=review]")
    assert page.locator(buttons).count() == 0
    page.click("#progress-mark button[value=review]")

    page.goto(site_url + "questions/", wait_until="load")
    marked = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
          "#question-index tr[data-progress]")].map(
            row => [row.dataset.id, row.dataset.progress]))"""
    )
    assert marked == {first["id"]: "practiced", second["id"]: "review"}
    page.select_option("#filter-progress", "practiced")
    assert page.evaluate(SHOWN_ROWS) == [first["id"]]
    assert "progress=practiced" in page.url
    page.select_option("#filter-progress", "none")
    assert sorted(page.evaluate(SHOWN_ROWS)) == sorted(
        q["id"] for q in every[2:]
    )
    page.goto(site_url + "questions/?progress=review", wait_until="load")
    assert page.evaluate(SHOWN_ROWS) == [second["id"]]
    assert "lives in this browser only" in page.inner_text("#progress-panel")

    topic = first["topics"][0]
    on_topic = [q["id"] for q in every if topic in q["topics"]]
    page.goto(site_url, wait_until="load")
    table = page.locator(".hb-progress-topics")
    assert table.is_visible()
    row = table.locator("tr", has_text="All questions")
    assert f"1 of {len(every)} practiced, 1 to review again" in row.inner_text()
    summaries = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
          "[data-progress-questions]")].map(
            el => [el.dataset.progressQuestions, el.textContent]))"""
    )
    practiced = sum(1 for q in on_topic if q == first["id"])
    reviewed = sum(1 for q in on_topic if q == second["id"])
    assert summaries[" ".join(on_topic)] == (
        f"{practiced} of {len(on_topic)} practiced, {reviewed} to review again"
    )
    topics = json.loads((online_build.site / "catalog.json").read_text())
    url = next(t["url"] for t in topics["topics"] if t["id"] == topic)
    assert url, f"{topic} has no page"
    page.goto(site_url + url, wait_until="load")
    assert page.inner_text("p.hb-progress-summary") == (
        "Your progress on these questions, kept in this browser:"
        f" {practiced} of {len(on_topic)} practiced,"
        f" {reviewed} to review again."
    )
    assert outside(page_requests, site_url) == []


def test_export_and_import_round_trip(
    page: Any, site_url: str, online_build: Build, tmp_path: Path
) -> None:
    every = questions(online_build)
    marks = {every[0]["id"]: "practiced", every[-1]["id"]: "review"}
    page.goto(site_url + "questions/", wait_until="load")
    store(page, marks)
    page.reload(wait_until="load")
    before = stored(page)
    with page.expect_download() as info:
        page.click("#progress-export")
    download = info.value
    assert download.suggested_filename == "handbook-progress.json"
    exported = tmp_path / "progress.json"
    download.save_as(exported)
    document = json.loads(exported.read_text())
    assert document["format"] == FORMAT and document["version"] == 1
    assert document["questions"] == marks
    assert "Exported 2 mark(s)" in page.inner_text("#progress-status")

    page.evaluate("() => localStorage.clear()")
    page.reload(wait_until="load")
    assert page.locator("#question-index tr[data-progress]").count() == 0

    page.set_input_files("#progress-import", str(exported))
    page.wait_for_selector("#question-index tr[data-progress]")
    assert "Imported 2 mark(s) from progress.json." in page.inner_text(
        "#progress-status"
    )
    assert json.loads(stored(page)) == json.loads(before)
    assert page.locator("#question-index tr[data-progress]").count() == 2


BAD_FILES = {
    "not-json.json": (b"{ not json", "is not valid JSON"),
    "array.json": (b"[]", "not a progress file of this handbook"),
    "other.json": (
        json.dumps({"format": "something-else", "questions": {}}).encode(),
        "not a progress file of this handbook",
    ),
    "version.json": (
        json.dumps({"format": FORMAT, "version": 2, "questions": {}}).encode(),
        "version 2 is not supported",
    ),
    "bad-mark.json": (
        json.dumps(
            {"format": FORMAT, "version": 1, "questions": {"a-b": "done"}}
        ).encode(),
        'the mark of "a-b" must be "practiced" or "review"',
    ),
    "bad-id.json": (
        json.dumps(
            {"format": FORMAT, "version": 1, "questions": {"A B": "review"}}
        ).encode(),
        '"A B" is not a question id',
    ),
}


def test_a_bad_import_file_is_refused_and_changes_nothing(
    page: Any, site_url: str, online_build: Build
) -> None:
    every = questions(online_build)
    page.goto(site_url + "questions/", wait_until="load")
    store(page, {every[0]["id"]: "review"})
    page.reload(wait_until="load")
    before = stored(page)
    status = page.locator("#progress-status")
    for name, (content, reason) in BAD_FILES.items():
        page.set_input_files(
            "#progress-import",
            files=[
                {
                    "name": name,
                    "mimeType": "application/json",
                    "buffer": content,
                }
            ],
        )
        page.wait_for_function(
            "() => document.getElementById('progress-status').textContent"
        )
        text = status.inner_text()
        assert text.startswith("Not imported: "), text
        assert reason in text, (name, text)
        assert text.endswith("Your progress is unchanged.")
        assert "hb-progress-status--error" in (
            status.get_attribute("class") or ""
        )
        assert stored(page) == before
        status.evaluate("element => { element.textContent = ''; }")
    marked = page.locator("#question-index tr[data-progress]")
    assert marked.count() == 1


def test_progress_works_over_file_urls(
    page: Any, page_requests: list[str], offline_root: Path
) -> None:
    index = offline_root / "questions" / "index.html"
    page.goto(index.as_uri(), wait_until="load")
    href = page.locator("#question-index tbody a").first.get_attribute("href")
    question = (index.parent / href).resolve()
    assert question.is_file()
    page.goto(question.as_uri(), wait_until="load")
    page.click("#progress-mark button[value=practiced]")
    page.reload(wait_until="load")
    assert (
        page.get_attribute(
            "#progress-mark button[value=practiced]", "aria-pressed"
        )
        == "true"
    )
    page.goto(index.as_uri(), wait_until="load")
    assert (
        page.locator("#question-index tr[data-progress=practiced]").count() == 1
    )
    assert outside(page_requests, offline_root.parent.as_uri()) == []
