"""The exports of the real build: flashcards, CSV, feed, generated pages.

Each is compared with catalog.json, the list of questions the build wrote:
exactly one note, one row, one printable section per question.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import genanki  # type: ignore[import-untyped]
import pytest
from helpers import Build

ATOM = "{http://www.w3.org/2005/Atom}"
FIELDS = ["Id", "Title", "Labels", "Prompt", "ShortAnswer", "Link"]


def questions(build: Build) -> list[dict[str, Any]]:
    document = json.loads((build.site / "catalog.json").read_text())
    found: list[dict[str, Any]] = document["questions"]
    return found


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def test_apkg_has_exactly_one_note_per_question(
    online_build: Build, tmp_path: Path
) -> None:
    expected = questions(online_build)
    assert expected
    with zipfile.ZipFile(online_build.site / "downloads/flashcards.apkg") as z:
        assert set(z.namelist()) == {"collection.anki2", "media"}
        z.extract("collection.anki2", tmp_path)
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = connection.execute("SELECT guid, flds, tags FROM notes")
        rows = notes.fetchall()
        (cards,) = connection.execute("SELECT count(*) FROM cards").fetchone()
        (models,) = connection.execute("SELECT models FROM col").fetchone()
    finally:
        connection.close()
    assert len(rows) == cards == len(expected)
    names = [f["name"] for f in next(iter(json.loads(models).values()))["flds"]]
    assert names == FIELDS
    by_id = {}
    for guid, flds, tags in rows:
        fields = dict(zip(FIELDS, flds.split("\x1f"), strict=True))
        assert guid == genanki.guid_for(fields["Id"])
        by_id[fields["Id"]] = (fields, tags.split())
    assert sorted(by_id) == sorted(q["id"] for q in expected)
    for question in expected:
        fields, tags = by_id[question["id"]]
        assert fields["Title"] == html.escape(question["title"], quote=False)
        assert fields["ShortAnswer"].startswith("<")
        assert re.fullmatch(
            rf'<a href="https?://[^"]+/{re.escape(question["url"])}">.+</a>',
            fields["Link"],
        )
        assert tags == [
            *(f"topic::{t}" for t in question["topics"]),
            f"difficulty::{question['difficulty']}",
            f"type::{question['type']}",
        ]


def test_csv_has_exactly_one_row_per_question(online_build: Build) -> None:
    expected = questions(online_build)
    text = (online_build.site / "downloads/questions.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [q["id"] for q in expected]
    for row, question in zip(rows, expected, strict=True):
        for key in ("title", "difficulty", "type", "last_reviewed"):
            assert row[key] == question[key], key
        assert row["topics"].split() == question["topics"]
        assert row["url"].endswith("/" + question["url"])
        assert row["short_answer"].strip()


def test_feed_lists_recent_questions(online_build: Build) -> None:
    expected = {q["url"]: q for q in questions(online_build)}
    root = ElementTree.parse(online_build.site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    entries = root.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= min(30, len(expected))
    dates = []
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        href = link.get("href", "")
        assert href.startswith(("http://", "https://"))
        url = next(u for u in expected if href.endswith("/" + u))
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert updated == f"{expected[url]['last_reviewed']}T00:00:00Z"
        assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
        dates.append(updated)
    assert dates == sorted(dates, reverse=True)
    assert root.findtext(f"{ATOM}updated") == dates[0]


def test_print_page_holds_every_question(online_build: Build) -> None:
    body = article(online_build.site / "questions/print/index.html")
    sections = re.findall(r'<h2 class="hb-print-question" id="([^"]+)"', body)
    assert sections == [q["id"] for q in questions(online_build)]
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), "duplicate ids on the print page"
    # Kept out of search: every answer is already found on its own page.
    index = json.loads(
        (online_build.site / "search/search_index.json").read_text()
    )
    assert not any(
        doc["location"].startswith("questions/print/") for doc in index["docs"]
    )


def test_whats_new_is_newest_first(online_build: Build) -> None:
    body = article(online_build.site / "whats-new/index.html")
    dates = re.findall(r"<td>(\d{4}-\d{2}-\d{2})</td>", body)
    assert dates and dates == sorted(dates, reverse=True)
    assert len(dates) == min(30, len(questions(online_build)))


def linked_files(page: Path) -> list[Path]:
    """Targets of the download and feed links of a built page."""
    hrefs = re.findall(r'<a href="([^"]+\.(?:apkg|csv|xml))"', article(page))
    return [(page.parent / href).resolve() for href in hrefs]


@pytest.mark.parametrize("variant", ["online", "offline"])
def test_links_to_the_downloads_resolve(
    variant: str, request: pytest.FixtureRequest
) -> None:
    build: Build = request.getfixturevalue(f"{variant}_build")
    if variant == "online":
        pages = ["index.html", "questions/index.html", "whats-new/index.html"]
    else:
        pages = ["index.html", "questions/index.html", "whats-new.html"]
    for name in pages:
        targets = linked_files(build.site / name)
        assert targets, name
        for target in targets:
            assert target.is_file(), (name, target)
    home = linked_files(build.site / "index.html")
    assert {t.name for t in home} == {
        "flashcards.apkg",
        "questions.csv",
        "feed.xml",
    }


@pytest.mark.parametrize("variant", ["online", "offline"])
def test_every_page_advertises_the_feed(
    variant: str, request: pytest.FixtureRequest
) -> None:
    build: Build = request.getfixturevalue(f"{variant}_build")
    feed = re.compile(
        r'<link rel="alternate" type="application/atom\+xml"'
        r' title="[^"]+" href="([^"]+)">'
    )
    pages = sorted(build.site.rglob("*.html"))
    assert len(pages) > 80
    for page in pages:
        found = feed.findall(page.read_text(encoding="utf-8"))
        assert len(found) == 1, page
        href = found[0]
        if href.startswith("/"):  # the 404 page links from the site root
            assert page.name == "404.html" and href == "/feed.xml", page
            continue
        target = (page.parent / href).resolve()
        assert target == (build.site / "feed.xml").resolve(), page
