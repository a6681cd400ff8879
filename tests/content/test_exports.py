"""Reader outputs: flashcards, CSV, feed, printable page, "What's new".

Covers ``scripts/exports.py``, the events of ``scripts/hooks/exports.py``
(called with stand-in objects) and the markup that practice.js and
progress.js rely on (``scripts/catalog_pages.py``). Built from the valid
fixture pages; the real site is checked in tests/site/test_downloads.py.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import shutil
import sqlite3
import stat
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import exports
import genanki  # type: ignore[import-untyped]
import markdown  # type: ignore[import-untyped]
import pytest
from catalog import Catalog, load_catalog, parse_page
from catalog_pages import (
    PROGRESS_LABELS,
    index_markdown,
    question_header,
    topic_progress,
    topic_questions,
)
from hooks import exports as hook
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

VALID = Path(__file__).with_name("fixtures") / "valid"
ROOT = Path(__file__).resolve().parents[2]
SITE = exports.Site("https://example.org/handbook/")
ATOM = "{http://www.w3.org/2005/Atom}"
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
CODING = "valid-coding-question"
DESIGN = "valid-system-design"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(VALID / "questions", docs / "questions")
    shutil.copytree(VALID / "topics", docs / "topics")
    return docs


@pytest.fixture
def catalog(docs: Path) -> Catalog:
    return load_catalog(docs)


def write_page(folder: Path, body: str, name: str = "page") -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nid: {name}\n---\n{body}", encoding="utf-8")
    return path


def html_of(text: str) -> str:
    html: str = markdown.markdown(text, extensions=EXTENSIONS)
    return html


class Ids(HTMLParser):
    """Every id attribute, with the tag that carries it."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[tuple[str, str]] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append((tag, value))


def ids_in(html: str) -> list[tuple[str, str]]:
    parser = Ids()
    parser.feed(html)
    return parser.ids


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


def test_short_answer_of_a_fixture_page() -> None:
    page = parse_page(VALID / "questions" / f"{CODING}.md")
    assert exports.short_answer(page) == "Doubling is one multiplication.\n"


def test_section_ignores_code_and_reads_setext_and_attributes(
    tmp_path: Path,
) -> None:
    body = (
        "Short answer { #custom }\n"
        "------------------------\n\n"
        "First line.\n\n"
        "```markdown\n## Explanation\n```\n\n"
        "### A subsection stays inside\n\n"
        "Last line.\n\n"
        "## Explanation ##\n\n"
        "Not part of it.\n"
    )
    page = parse_page(write_page(tmp_path, body))
    answer = exports.short_answer(page)
    assert answer.startswith("First line.\n")
    assert "## Explanation\n```" in answer  # the fenced one
    assert "### A subsection stays inside" in answer
    assert answer.endswith("Last line.\n")
    assert exports.section(page, "Explanation") == "Not part of it.\n"


def test_missing_section_is_an_error(tmp_path: Path) -> None:
    page = parse_page(write_page(tmp_path, "## Explanation\n\nText.\n"))
    with pytest.raises(exports.ExportError, match="no '## Short answer'"):
        exports.short_answer(page)


RENDERED = (
    '<h1 id="the-title">The title<a class="headerlink" href="#the-title">'
    "&para;</a></h1>\n"
    '<p class="hb-meta" data-question="q">Applies to: all</p>\n'
    '<h2 id="short-answer">Short answer</h2>\n'
    '<p>See <a href="#details">below</a> and <a href="../other/">x</a>.</p>\n'
    '<div class="tabbed-set" data-tabs="1:2"><input checked="checked"'
    ' id="__tabbed_1_1" name="__tabbed_1" type="radio" />'
    '<label for="__tabbed_1_1">A</label></div>\n'
    "<h5>Five</h5><h6>Six</h6>\n"
    "<pre><code>&lt;h2 id=&quot;keep&quot;&gt; href=&quot;#keep&quot;"
    "</code></pre>\n"
)


def test_print_html_demotes_and_prefixes(docs: Path) -> None:
    question = load_catalog(docs).questions[0]
    text = exports.print_html(question, RENDERED)
    q = question.id
    assert text.startswith(
        f'<h2 class="hb-print-question" id="{q}">{question.title}'
    )
    assert "<h1" not in text and "the-title" not in text
    assert f'<h3 id="{q}--short-answer">Short answer</h3>' in text
    assert f'<a href="#{q}--details">below</a>' in text
    assert '<a href="../other/">x</a>' in text  # other pages: as they were
    assert f'id="{q}--__tabbed_1_1" name="{q}--__tabbed_1"' in text
    assert f'<label for="{q}--__tabbed_1_1">' in text
    assert "<h6>Five</h6><h6>Six</h6>" in text  # no level below six
    # Code is escaped HTML by then: left as it was.
    assert "&lt;h2 id=&quot;keep&quot;&gt; href=&quot;#keep&quot;" in text


def test_print_html_needs_a_title(docs: Path) -> None:
    question = load_catalog(docs).questions[0]
    with pytest.raises(exports.ExportError, match="no <h1> title"):
        exports.print_html(question, "<p>No title.</p>")


# --------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------


def test_site_resolves_links_written_in_a_page() -> None:
    page = "questions/a.md"
    assert SITE.resolve("b.md", page) == (
        "https://example.org/handbook/questions/b/"
    )
    assert SITE.resolve("../topics/t.md#why", page) == (
        "https://example.org/handbook/topics/t/#why"
    )
    assert SITE.resolve("#here", page) == (
        "https://example.org/handbook/questions/a/#here"
    )
    assert SITE.resolve("../img/x.png", page) == (
        "https://example.org/handbook/img/x.png"
    )
    for absolute in ["https://kafka.apache.org/", "//cdn.example/x"]:
        assert SITE.resolve(absolute, page) == absolute
    files = exports.Site("file:///tmp/handbook/", use_directory_urls=False)
    assert (
        files.resolve("b.md", page) == "file:///tmp/handbook/questions/b.html"
    )


def test_to_root_follows_the_url_style() -> None:
    assert exports.to_root("index.md", True) == ""
    assert exports.to_root("whats-new.md", True) == "../"
    assert exports.to_root("whats-new.md", False) == ""
    assert exports.to_root("questions/index.md", True) == "../"
    assert exports.to_root("questions/print.md", True) == "../../"
    assert exports.to_root("questions/print.md", False) == "../"


def test_card_html_makes_links_absolute() -> None:
    html = exports.card_html(
        "Use `x` and see [joins](../topics/joins.md).",
        "questions/a.md",
        SITE,
    )
    assert html == (
        "<p>Use <code>x</code> and see "
        '<a href="https://example.org/handbook/topics/joins/">joins</a>.</p>'
    )


def test_card_html_keeps_nothing_from_the_card_before() -> None:
    # One converter serves every card: footnotes, abbreviations and the
    # page the links are relative to must not carry over.
    first = exports.card_html(
        "Lag[^1] in [a](b.md).\n\n[^1]: Offsets behind.\n\n"
        "*[ISR]: in-sync replicas",
        "questions/a.md",
        SITE,
    )
    second = exports.card_html("ISR in [a](b.md).", "topics/t.md", SITE)
    assert "Offsets behind" in first and 'href="https://example.org/' in first
    assert second == (
        '<p>ISR in <a href="https://example.org/handbook/topics/b/">a</a>.</p>'
    )


# --------------------------------------------------------------------------
# Flashcards
# --------------------------------------------------------------------------


def test_deck_and_note_type_ids_never_change() -> None:
    # Anki matches a re-imported deck by these numbers: pinned on purpose.
    assert exports.DECK_ID == 1945446883
    assert exports.MODEL_ID == 1163565708
    for value in (exports.DECK_ID, exports.MODEL_ID, exports.stable_id("")):
        assert 1 << 30 <= value < 1 << 31
    assert exports.DECK_ID != exports.MODEL_ID


def open_apkg(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        archive.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2")


def test_apkg_has_one_note_per_question(
    catalog: Catalog, tmp_path: Path
) -> None:
    answers = exports.short_answers(catalog)
    deck = exports.flashcard_deck(catalog, answers, SITE)
    day = exports.newest(catalog)
    assert day == date(2026, 2, 28)
    data = exports.apkg_bytes(deck, day)
    # The same pages give the same bytes.
    assert exports.apkg_bytes(deck, day) == data
    connection = open_apkg(data, tmp_path)
    try:
        notes = connection.execute(
            "SELECT guid, mid, flds, tags FROM notes"
        ).fetchall()
        cards = connection.execute("SELECT did FROM cards").fetchall()
        decks, models = connection.execute(
            "SELECT decks, models FROM col"
        ).fetchone()
    finally:
        connection.close()
    assert len(notes) == len(cards) == len(catalog.questions) == 2
    assert {did for (did,) in cards} == {exports.DECK_ID}
    assert str(exports.DECK_ID) in decks and str(exports.MODEL_ID) in models
    by_id = {
        flds.split("\x1f")[0]: (guid, mid, flds, tags)
        for (
            guid,
            mid,
            flds,
            tags,
        ) in notes
    }
    guid, mid, flds, tags = by_id[CODING]
    assert guid == genanki.guid_for(CODING)
    assert mid == exports.MODEL_ID
    fields = dict(zip(exports.NOTE_FIELDS, flds.split("\x1f"), strict=True))
    assert fields["Title"] == "A valid coding question"
    assert fields["Labels"] == "Easy · Coding · Partitioning, deduplication"
    assert fields["Prompt"] == (
        "<p>Write a function that doubles a number, and explain its cost.</p>"
    )
    assert fields["ShortAnswer"] == "<p>Doubling is one multiplication.</p>"
    assert fields["Link"] == (
        '<a href="https://example.org/handbook/questions/'
        f'{CODING}/">A valid coding question</a>'
    )
    assert tags.split() == [
        "topic::partitioning",
        "topic::deduplication",
        "difficulty::easy",
        "type::coding",
    ]
    assert by_id[DESIGN][3].split() == [
        "topic::windowing",
        "difficulty::hard",
        "type::system-design",
    ]


def test_note_fields_escape_text_once(catalog: Catalog) -> None:
    question = catalog.question(DESIGN)
    assert question is not None
    odd = dataclasses.replace(question, title="Kafka's <log> & you")
    fields = exports.note_fields(odd, catalog, "Answer.", SITE)
    assert fields[1] == "Kafka's &lt;log&gt; &amp; you"
    assert fields[-1].endswith(">Kafka's &lt;log&gt; &amp; you</a>")


def test_empty_catalog_gives_an_empty_deck(tmp_path: Path) -> None:
    empty = load_catalog(tmp_path)
    assert exports.newest(empty) == exports.EPOCH
    deck = exports.flashcard_deck(empty, {}, SITE)
    connection = open_apkg(exports.apkg_bytes(deck, exports.EPOCH), tmp_path)
    try:
        assert connection.execute("SELECT count(*) FROM notes").fetchone() == (
            0,
        )
    finally:
        connection.close()


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------


def test_csv_has_one_row_per_question(catalog: Catalog) -> None:
    answers = exports.short_answers(catalog)
    text = exports.questions_csv(catalog, answers, SITE)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == exports.CSV_COLUMNS
    assert [r["id"] for r in rows] == [q.id for q in catalog.questions]
    first = rows[0]
    assert first["title"] == "A valid coding question"
    assert first["topics"] == "partitioning deduplication"
    assert first["short_answer"] == "Doubling is one multiplication."
    assert first["last_reviewed"] == "2026-01-15"
    assert first["url"] == f"https://example.org/handbook/questions/{CODING}/"
    assert first["applies_to"] == "Kafka 3.x-4.x"


# --------------------------------------------------------------------------
# Generated pages
# --------------------------------------------------------------------------


def test_print_page_holds_every_question_with_unique_ids(
    catalog: Catalog,
) -> None:
    text = exports.print_markdown(catalog)
    front, body = text.split("\n---\n", 1)
    assert "search:\n  exclude: true" in front
    page = html_of(body)
    assert 'data-print-bank=""' in page
    # Each question as its own page renders it, headings included.
    rendered = [
        (q, html_of(f"# {q.title}\n\n## Short answer\n\n## Same\n"))
        for q in catalog.questions
    ]
    html = exports.fill_print_page(page, rendered)
    assert exports.PRINT_SLOT not in html
    ids = ids_in(html)
    assert len(ids) == len({i for _, i in ids})
    headings = [i for tag, i in ids if tag == "h2"]
    assert headings == [q.id for q in catalog.questions]
    for question in catalog.questions:
        assert ("h3", f"{question.id}--short-answer") in ids
    assert html.count('class="hb-print-question"') == 2
    with pytest.raises(exports.ExportError, match="hb-print-slot"):
        exports.fill_print_page("<p>slot lost</p>", rendered)


def test_recent_is_newest_first_then_by_title(catalog: Catalog) -> None:
    assert [q.id for q in exports.recent(catalog)] == [DESIGN, CODING]
    assert [q.id for q in exports.recent(catalog, limit=1)] == [DESIGN]


def test_whats_new_page(catalog: Catalog) -> None:
    text = exports.whats_new_markdown(catalog, use_directory_urls=True)
    assert text.startswith("# What's new\n")
    assert '<a href="../feed.xml"' in text
    assert text.index(f"(questions/{DESIGN}.md)") < text.index(
        f"(questions/{CODING}.md)"
    )
    assert "| 2026-02-28 | [A valid system-design question]" in text
    offline = exports.whats_new_markdown(catalog, use_directory_urls=False)
    assert '<a href="feed.xml"' in offline
    rows = html_of(text).split("<tbody>")[1].count("<tr>")
    assert rows == 2


def test_whats_new_without_questions(tmp_path: Path) -> None:
    text = exports.whats_new_markdown(load_catalog(tmp_path), True)
    assert "No question has been written yet." in text
    assert "<table>" not in html_of(text)


def test_downloads_links_are_relative_to_the_page() -> None:
    home = exports.downloads_markdown("index.md", True)
    assert '<a href="downloads/flashcards.apkg" download>' in home
    assert '<a href="downloads/questions.csv" download>' in home
    assert '<a href="feed.xml"' in home
    assert "(questions/print.md)" in home and "(whats-new.md)" in home
    index = exports.downloads_markdown("questions/index.md", False)
    assert '<a href="../downloads/flashcards.apkg" download>' in index
    assert '<a href="../feed.xml"' in index
    assert "(print.md)" in index and "(../whats-new.md)" in index


# --------------------------------------------------------------------------
# Atom feed
# --------------------------------------------------------------------------


def test_atom_feed(catalog: Catalog) -> None:
    root = ElementTree.fromstring(exports.atom_feed(catalog, SITE, "Book"))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Book: new and reviewed questions"
    assert root.findtext(f"{ATOM}updated") == "2026-02-28T00:00:00Z"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Book"
    feed_id = root.findtext(f"{ATOM}id") or ""
    assert feed_id.startswith("urn:uuid:")
    links = {
        link.get("rel"): link.get("href")
        for link in root.findall(f"{ATOM}link")
    }
    assert links == {
        "self": "https://example.org/handbook/feed.xml",
        "alternate": "https://example.org/handbook/whats-new/",
    }
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "A valid system-design question",
        "A valid coding question",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}updated") == "2026-02-28T00:00:00Z"
    link = first.find(f"{ATOM}link")
    assert link is not None
    assert (
        link.get("href") == f"https://example.org/handbook/questions/{DESIGN}/"
    )
    terms = [c.get("term") for c in first.findall(f"{ATOM}category")]
    assert terms == ["hard", "system-design", "windowing"]
    entry_ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(entry_ids)) == 2 and feed_id not in entry_ids
    # Ids do not depend on where the site is published.
    elsewhere = exports.atom_feed(catalog, exports.Site("https://x.org/"), "B")
    other = ElementTree.fromstring(elsewhere).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in other] == entry_ids


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def test_write_atomically(tmp_path: Path) -> None:
    target = tmp_path / "site" / "downloads" / "questions.csv"
    exports.write_atomically(target, b"one")
    exports.write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(target.parent) == ["questions.csv"]


def test_write_atomically_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        exports.write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["feed.xml"]


# --------------------------------------------------------------------------
# The hook's events
# --------------------------------------------------------------------------


class Plugins(dict[str, Any]):
    """MkDocs' plugin collection, as far as the hook reads it."""

    _current_plugin = None  # read by File.generated: none is running here


def config(docs: Path, site: Path, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "docs_dir": str(docs),
        "site_dir": str(site),
        "site_url": "https://example.org/",
        "site_name": "Handbook",
        "use_directory_urls": True,
        "plugins": Plugins(),
        "nav": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def page(src_uri: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_hook_builds_pages_and_files(docs: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    cfg = hook.on_config(config(docs, site))
    files = hook.on_files(Files([]), cfg)
    generated = {f.src_uri: f for f in files}
    assert set(generated) == {exports.PRINT_URI, exports.WHATS_NEW_URI}
    assert (
        "# The whole question bank"
        in generated[exports.PRINT_URI].content_string
    )
    home = hook.on_page_markdown(
        "A\n\n<!-- exports:downloads -->\n", page("index.md"), cfg, files
    )
    assert '<a href="downloads/flashcards.apkg" download>' in home
    assert hook.DOWNLOADS_MARKER not in home
    online = hook.on_page_markdown(
        "<!-- exports:offline -->\n", page("index.md"), cfg, files
    )
    assert '<a href="downloads/handbook-offline.zip">' in online
    # The offline copy cannot hold its own zip: it says where the site is.
    cfg.plugins["material/offline"] = SimpleNamespace(
        config=SimpleNamespace(enabled=True)
    )
    offline = hook.on_page_markdown(
        "<!-- exports:offline -->\n", page("index.md"), cfg, files
    )
    assert "handbook-offline.zip" not in offline
    assert "<https://example.org/>" in offline
    del cfg.plugins["material/offline"]
    index = hook.on_page_markdown(
        "# Questions\n", page("questions/index.md"), cfg, files
    )
    assert index.startswith("# Questions\n\n**Practise away from the site:**")
    other = page("topics/partitioning.md")
    assert hook.on_page_markdown("Same.\n", other, cfg, files) == "Same.\n"

    hook.on_post_build(cfg)
    assert sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
    ) == [exports.APKG_PATH, exports.CSV_PATH, exports.FEED_PATH]
    rows = list(
        csv.DictReader(io.StringIO((site / exports.CSV_PATH).read_text()))
    )
    assert [r["url"] for r in rows] == [
        f"https://example.org/questions/{q}/" for q in (CODING, DESIGN)
    ]


def test_whats_new_follows_the_question_index_in_the_navigation(
    docs: Path, tmp_path: Path
) -> None:
    entry = {"What's new": exports.WHATS_NEW_URI}
    nav: list[Any] = [
        {"Home": "index.md"},
        {"Questions": "questions/index.md"},
        {"Topics": [{"Messaging": [{"Partitioning": "topics/p.md"}]}]},
    ]
    assert exports.with_whats_new(nav) == [nav[0], nav[1], entry, nav[2]]
    assert nav[2] != entry  # a new list: the one given is left as it was
    # Listed once, and only where the generated navigation has the index.
    assert exports.with_whats_new([*nav[:2], entry]) == [*nav[:2], entry]
    assert exports.with_whats_new(nav[:1]) == nav[:1]
    assert exports.with_whats_new([{"Questions": "other.md"}]) == [
        {"Questions": "other.md"}
    ]
    renamed = [{"All questions": "questions/index.md"}]
    assert exports.with_whats_new(renamed) == [*renamed, entry]
    cfg = hook.on_config(config(docs, tmp_path / "site", nav=nav))
    assert cfg.nav == [nav[0], nav[1], entry, nav[2]]
    assert hook.on_config(config(docs, tmp_path / "site")).nav is None


def test_hook_refuses_a_page_in_the_way(docs: Path, tmp_path: Path) -> None:
    cfg = hook.on_config(config(docs, tmp_path / "site"))
    (docs / "whats-new.md").write_text("# Mine\n")
    files = Files([File("whats-new.md", str(docs), str(tmp_path), True)])
    with pytest.raises(PluginError, match=r"docs/whats-new\.md: this page is"):
        hook.on_files(files, cfg)


def test_hook_needs_site_url(docs: Path, tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="set site_url"):
        hook.on_config(config(docs, tmp_path, site_url=None))


def test_hook_names_a_page_without_short_answer(
    docs: Path, tmp_path: Path
) -> None:
    path = docs / "questions" / f"{DESIGN}.md"
    path.write_text(path.read_text().replace("## Short answer", "## Shortly"))
    with pytest.raises(PluginError, match=f"{DESIGN}.md: no '## Short answer'"):
        hook.on_config(config(docs, tmp_path))


# --------------------------------------------------------------------------
# Markup used by practice.js and progress.js
# --------------------------------------------------------------------------


def test_question_pages_carry_the_question_marker(catalog: Catalog) -> None:
    question = catalog.question(CODING)
    assert question is not None
    html = html_of(question_header(question, catalog))
    assert f'<p class="hb-meta" data-question="{CODING}">' in html
    assert html.count("data-question=") == 1


def test_index_has_progress_filter_random_button_and_row_ids(
    catalog: Catalog,
) -> None:
    html = html_of(index_markdown(catalog))
    for value, label in PROGRESS_LABELS.items():
        assert f'<option value="{value}">{label}</option>' in html
    assert 'id="filter-progress"' in html
    assert '<button type="button" id="random-question"' in html
    assert f'data-id="{CODING}"' in html and f'data-id="{DESIGN}"' in html
    # One difficulty cell per row, plus the header, for "Hide difficulty".
    assert html.count('class="hb-difficulty"') == len(catalog.questions) + 1


def test_topic_page_has_a_progress_placeholder(catalog: Catalog) -> None:
    topic = catalog.topic("partitioning")
    assert topic is not None
    html = html_of(topic_questions(topic, catalog))
    assert (
        '<p class="hb-progress-summary"'
        f' data-progress-questions="{CODING}" hidden></p>'
    ) in html


def test_home_progress_table(catalog: Catalog) -> None:
    html = html_of(topic_progress(catalog))
    assert html.startswith(
        '<div class="hb-progress-topics" data-progress-block'
    )
    body = html.split("<tbody>")[1]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>", body)
    # Topics with questions, in taxonomy order; the last row counts all.
    assert cells == [
        '<a href="topics/partitioning.md">Partitioning</a>',
        "deduplication",
        "windowing",
        "<strong>All questions</strong>",
    ]
    assert f'data-progress-questions="{CODING} {DESIGN}"' in body
    assert topic_progress(load_catalog(Path("/nonexistent"))) == ""
