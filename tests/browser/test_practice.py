"""Practice in a real browser: search by answer, folding, random, print."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from catalog import parse_page
from check_content import scan
from helpers import ROOT, Build, outside

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
FOLDABLE = [
    "short-answer",
    "explanation",
    "solution",
    "complexity",
    "trade-offs",
    "pitfalls",
    "follow-up-questions",
    "further-reading",
]
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]+>|\{[^}]*\}")
WORD = re.compile(r"(?<![\w.\-/])[a-z]{9,}(?![\w\-/])")


def questions(build: Build) -> list[dict[str, Any]]:
    document = json.loads((build.site / "catalog.json").read_text())
    found: list[dict[str, Any]] = document["questions"]
    return found


def answer_only_word(question_id: str) -> str | None:
    """A word of the question's answer prose that no other page, and none
    of the question's front matter, contains (None if there is none)."""
    path = DOCS / "questions" / f"{question_id}.md"
    page = parse_page(path)
    body = scan(page).masked[page.body_start - 1 :]  # code blanked out
    front = "\n".join(page.lines[: page.body_start]).lower()
    others = " ".join(
        p.read_text(encoding="utf-8").lower()
        for p in DOCS.rglob("*.md")
        if p != path
    )
    for line in body:
        for word in WORD.findall(LINK_TARGET.sub(" ", line)):
            if word not in front and word not in others:
                return word
    return None


def question_with_own_word(build: Build) -> tuple[dict[str, Any], str]:
    """The first question (in catalog order) with a word no other page
    has: an easy page may share all its long words with the deeper ones."""
    for question in questions(build):
        word = answer_only_word(question["id"])
        if word is not None:
            return question, word
    raise AssertionError("no question has a word found only in its answer")


def test_search_finds_a_question_by_a_word_of_its_answer(
    page: Any, page_requests: list[str], site_url: str, online_build: Build
) -> None:
    question, word = question_with_own_word(online_build)
    page.goto(site_url, wait_until="load")
    page.click("input.md-search__input")
    page.keyboard.type(word)
    page.wait_for_selector(".md-search-result__item")
    results = page.inner_text(".md-search-result")
    assert question["title"] in results, (word, results)
    page.click(".md-search-result__link >> nth=0")
    page.wait_for_url(f"**/{question['url']}**")
    assert outside(page_requests, site_url) == []


def hidden_sections(page: Any) -> list[str]:
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(".hb-fold")]
          .filter(box => box.hidden)
          .map(box => box.previousElementSibling.previousElementSibling.id)"""
    )
    return found


def test_practice_mode_folds_reveals_and_is_remembered(
    page: Any, page_requests: list[str], site_url: str, online_build: Build
) -> None:
    first = questions(online_build)[0]
    page.goto(site_url + first["url"], wait_until="load")
    sections = page.evaluate(
        "ids => ids.filter(id => document.getElementById(id))", FOLDABLE
    )
    assert sections[0] == "short-answer" and len(sections) >= 5
    page.evaluate(
        "() => { document.querySelector('#short-answer + p').id = 'answer'; }"
    )
    answer = page.locator("#answer")
    assert answer.is_visible()
    assert page.locator(".hb-fold").count() == 0

    page.check("#practice-fold")
    assert hidden_sections(page) == sections
    assert answer.is_hidden()
    reveal = page.locator("#short-answer + .hb-reveal")
    assert reveal.get_attribute("aria-expanded") == "false"
    reveal.click()
    assert answer.is_visible()
    assert reveal.get_attribute("aria-expanded") == "true"
    assert hidden_sections(page) == sections[1:]

    # Remembered across a reload and across instant navigation.
    page.reload(wait_until="load")
    assert page.is_checked("#practice-fold")
    assert hidden_sections(page) == sections
    page.goto(site_url + "questions/", wait_until="load")
    page.click("#question-index tbody tr:nth-child(2) a >> nth=0")
    page.wait_for_selector(".hb-fold", state="attached")
    assert page.url != site_url + first["url"]
    assert page.locator(".hb-fold").count() >= 5
    assert page.locator("#short-answer + .hb-reveal + .hb-fold").is_hidden()

    # A link to a folded subsection opens its section.
    page.goto(site_url + first["url"] + "#pitfalls", wait_until="load")
    assert "pitfalls" not in hidden_sections(page)

    page.uncheck("#practice-fold")
    assert page.locator(".hb-fold, .hb-reveal").count() == 0
    page.reload(wait_until="load")
    assert page.locator(".hb-fold").count() == 0
    assert page.locator("#short-answer + p").is_visible()
    assert outside(page_requests, site_url) == []


def test_hide_difficulty(page: Any, site_url: str, online_build: Build) -> None:
    first = questions(online_build)[0]
    page.goto(site_url + "questions/", wait_until="load")
    cells = page.locator("td.hb-difficulty")
    assert cells.first.is_visible()
    page.check("#practice-hide-difficulty")
    assert cells.first.is_hidden()
    assert page.locator("th.hb-difficulty").is_hidden()
    page.goto(site_url + first["url"], wait_until="load")
    badge = page.locator(f".hb-badge--{first['difficulty']}")
    assert badge.is_hidden()
    assert page.is_checked("#practice-hide-difficulty")
    page.uncheck("#practice-hide-difficulty")
    assert badge.is_visible()


def test_random_question_honours_the_filters(
    page: Any, page_requests: list[str], site_url: str, online_build: Build
) -> None:
    every = questions(online_build)
    design = {q["url"] for q in every if q["type"] == "system-design"}
    assert design and len(design) < len(every)
    page.goto(site_url + "questions/?type=system-design", wait_until="load")
    # Nothing shown: nothing to pick.
    page.fill("#filter-text", "no-question-has-this-word")
    assert page.is_disabled("#random-question")
    page.fill("#filter-text", "")
    page.click("#random-question")
    page.wait_for_url(
        re.compile(r"/questions/[a-z0-9-]+/$"), wait_until="commit"
    )
    assert page.url.removeprefix(site_url) in design
    assert outside(page_requests, site_url) == []


def test_print_expands_answers_and_hides_navigation(
    page: Any, site_url: str, online_build: Build
) -> None:
    first = questions(online_build)[0]
    page.goto(site_url + first["url"], wait_until="load")
    page.check("#practice-fold")
    page.evaluate(
        """() => {
          const d = document.createElement("details");
          d.id = "test-details";
          d.innerHTML = "<summary>More</summary><p id='inside'>Hidden</p>";
          document.querySelector("#explanation + .hb-reveal + .hb-fold")
            .append(d);
        }"""
    )
    assert page.locator("#short-answer + .hb-reveal + .hb-fold").is_hidden()
    page.emulate_media(media="print")
    assert page.locator("#short-answer + .hb-reveal + .hb-fold").is_visible()
    assert page.locator("#inside").is_visible()
    for selector in [".md-header", ".md-sidebar--primary", ".hb-practice"]:
        assert page.locator(selector).first.is_hidden(), selector
    page.emulate_media(media="screen")
    assert page.locator("#short-answer + .hb-reveal + .hb-fold").is_hidden()
    assert page.locator("#inside").is_hidden()


def test_printable_page_holds_every_question(
    page: Any, site_url: str, online_build: Build
) -> None:
    page.add_init_script(
        "localStorage.setItem('handbook.practice', '{\"fold\": true}')"
    )
    page.goto(site_url + "questions/print/", wait_until="load")
    ids = page.evaluate(
        "() => [...document.querySelectorAll('h2.hb-print-question')]"
        ".map(h => h.id)"
    )
    assert ids == [q["id"] for q in questions(online_build)]
    # Never folded, even in practice mode.
    assert page.locator(".hb-fold, .hb-practice, #progress-mark").count() == 0


def test_practice_settings_work_offline(
    page: Any, page_requests: list[str], offline_root: Path
) -> None:
    index = offline_root / "questions" / "index.html"
    page.goto(index.as_uri(), wait_until="load")
    link = page.locator("#question-index tbody a").first
    href = link.get_attribute("href")
    page.check("#practice-fold")
    page.goto((index.parent / href).resolve().as_uri(), wait_until="load")
    assert page.locator(".hb-fold[hidden]").count() >= 5
    assert outside(page_requests, offline_root.parent.as_uri()) == []
