"""What the build makes of the questions for readers, as functions.

Everything comes from the question pages (front matter through
``catalog.py``, Markdown through ``catalog.parse_page``):

* ``short_answer``: the ``## Short answer`` section of a page, as Markdown;
* ``flashcard_deck`` and ``apkg_bytes``: an Anki package, one note per
  question (front: labels and prompt; back: short answer and a link to the
  page), tagged ``topic::<id>``, ``difficulty::<level>`` and ``type::<type>``;
* ``questions_csv``: the same questions as CSV, one row each;
* ``print_markdown`` and ``print_html``: one page holding every question,
  put together from the HTML already rendered for each question page
  (nothing is converted twice), headings demoted one level and ids prefixed
  with the question id, so that they stay unique;
* ``whats_new_markdown`` and ``atom_feed``: the questions most recently
  added or reviewed (``last_reviewed``, newest first).

Stable identities. Anki recognises a deck and a note type (model) by a
number, and a note by its GUID; re-importing a newer package then updates
the notes instead of duplicating them. ``DECK_ID`` and ``MODEL_ID`` are
``stable_id`` of a fixed name (the first 8 bytes of its SHA-256, folded into
the range genanki recommends); change ``MODEL_ID``'s name only when the
fields or templates change. A note's GUID is ``genanki.guid_for`` of the
question id. Times written into the package (genanki's note and card
stamps, the zip entries) come from the newest ``last_reviewed`` date, so the
same pages give the same bytes.

The build hook ``scripts/hooks/exports.py`` calls these; nothing here reads
the MkDocs configuration.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import os
import posixpath
import re
import sqlite3
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import genanki  # type: ignore[import-untyped]
import markdown  # type: ignore[import-untyped]
from catalog import Catalog, Page, Question, parse_page
from catalog_pages import INDEX_URI, NavItem, difficulty_label, type_label
from check_content import scan
from markdown.treeprocessors import (  # type: ignore[import-untyped]
    Treeprocessor,
)
from mkdocs.structure.files import File

#: Generated pages, below ``docs/``.
PRINT_URI = "questions/print.md"
WHATS_NEW_URI = "whats-new.md"
WHATS_NEW_TITLE = "What's new"
#: Files written into the built site.
APKG_PATH = "downloads/flashcards.apkg"
CSV_PATH = "downloads/questions.csv"
FEED_PATH = "feed.xml"
#: How many questions the "What's new" page and the feed list.
RECENT_LIMIT = 30

SHORT_ANSWER = "Short answer"
DECK_NAME = "Stream Processing Interview Handbook"
CSV_COLUMNS = (
    "id",
    "title",
    "prompt",
    "difficulty",
    "type",
    "topics",
    "summary",
    "short_answer",
    "applies_to",
    "last_reviewed",
    "url",
)
NOTE_FIELDS = ("Id", "Title", "Labels", "Prompt", "ShortAnswer", "Link")
#: Rendering of short answers and prompts on the cards: prose, lists, code.
CARD_EXTENSIONS = ("extra", "admonition", "sane_lists")
#: When nothing is dated (no question): a fixed time, still reproducible.
EPOCH = date(2000, 1, 1)

_ATX = re.compile(r"^(#{1,6})(?!#)[ \t]*(.*?)[ \t#]*$")
_ATTRS = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")
#: Attributes that name an element of the page (prefixed on the print page).
#: ... and same-page links: one pass over the page for both.
_ID_OR_FRAGMENT = re.compile(
    r'(\s(?:id|for|name|aria-controls|aria-labelledby|aria-describedby)="'
    r'|\shref="#)'
)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_TITLE = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.S)


class ExportError(ValueError):
    """A page cannot be exported (for instance, no short answer)."""


def stable_id(name: str) -> int:
    """An Anki id in [2**30, 2**31) derived from ``name``, the same on
    every build: the first 8 bytes of its SHA-256 folded into the range."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


DECK_ID = stable_id("stream-processing-interview-handbook/deck")
MODEL_ID = stable_id("stream-processing-interview-handbook/note-type/v1")


# --------------------------------------------------------------------------
# Page sections
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    """A heading of a page: 0-based index of its text line, level, and
    whether it is a setext heading (text line, then a ``---`` line)."""

    index: int
    level: int
    setext: bool


def _headings(page: Page) -> list[_Heading]:
    """Headings outside code, as ``check_content`` finds them."""
    found = []
    for heading in scan(page).headings:
        index = heading.line - 1
        setext = _ATX.match(page.lines[index]) is None
        found.append(_Heading(index, heading.level, setext))
    return found


def section(page: Page, title: str) -> str:
    """The Markdown of the level-2 section ``title`` (without its heading).

    Raises:
        ExportError: if the page has no such section.
    """
    headings = [h for h in _headings(page) if h.level <= 2]
    for i, heading in enumerate(headings):
        text = page.lines[heading.index]
        match = _ATX.match(text)
        name = match[2] if match else text
        if heading.level == 2 and _ATTRS.sub("", name).strip() == title:
            start = heading.index + (2 if heading.setext else 1)
            end = (
                headings[i + 1].index
                if i + 1 < len(headings)
                else len(page.lines)
            )
            return "\n".join(page.lines[start:end]).strip("\n") + "\n"
    raise ExportError(f"{page.path}: no '## {title}' section")


def short_answer(page: Page) -> str:
    """The ``## Short answer`` section of a question page, as Markdown."""
    return section(page, SHORT_ANSWER)


# --------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """URL of the page ``src_uri`` relative to the site root."""
    return File(src_uri, "", "", use_directory_urls).url


def to_root(src_uri: str, use_directory_urls: bool) -> str:
    """Relative path from the page ``src_uri`` up to the site root, for
    raw HTML links (which MkDocs does not rewrite)."""
    url = page_url(src_uri, use_directory_urls)
    return "" if url == "./" else "../" * url.count("/")


@dataclass(frozen=True)
class Site:
    """Where the site is published: absolute links in exports use it."""

    url: str
    use_directory_urls: bool = True

    def absolute(self, src_uri: str) -> str:
        return urljoin(self.url, page_url(src_uri, self.use_directory_urls))

    def resolve(self, href: str, src_uri: str) -> str:
        """Absolute URL of a link ``href`` written in page ``src_uri``."""
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            return href
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if not parts.path:
            return self.absolute(src_uri) + fragment
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(src_uri), parts.path)
        )
        if target.endswith(".md"):
            return self.absolute(target) + fragment
        return urljoin(self.url, target) + fragment


class _AbsoluteLinks(Treeprocessor):  # type: ignore[misc]
    """Rewrite every ``<a href>`` with ``resolve`` (after inline parsing)."""

    def __init__(self, md: Any, resolve: Callable[[str], str]) -> None:
        super().__init__(md)
        self.resolve = resolve

    def run(self, root: Any) -> None:
        for link in root.iter("a"):
            href = link.get("href")
            if href:
                link.set("href", self.resolve(href))


@cache
def _card_markdown() -> tuple[Any, _AbsoluteLinks]:
    """One converter for every card (setting one up costs more than
    converting a short answer), with its link rewriter."""
    md = markdown.Markdown(extensions=list(CARD_EXTENSIONS))
    links = _AbsoluteLinks(md, lambda href: href)
    md.treeprocessors.register(links, "hb_absolute_links", 0)
    return md, links


def card_html(text: str, src_uri: str, site: Site) -> str:
    """Markdown of page ``src_uri`` as HTML for a card: absolute links."""
    md, links = _card_markdown()
    links.resolve = lambda href: site.resolve(href, src_uri)
    rendered: str = md.reset().convert(text)
    return rendered


# --------------------------------------------------------------------------
# Flashcards and CSV
# --------------------------------------------------------------------------


def labels(question: Question, catalog: Catalog) -> str:
    """``Easy · Coding · Topic, topic``: the labels of a question."""
    topics = ", ".join(catalog.topic_label(t) for t in question.topics)
    return " · ".join(
        [
            difficulty_label(question.difficulty),
            type_label(question.type),
            topics,
        ]
    )


def tags(question: Question) -> list[str]:
    """Anki tags of a question: by topic, difficulty and type."""
    return [
        *(f"topic::{t}" for t in question.topics),
        f"difficulty::{question.difficulty}",
        f"type::{question.type}",
    ]


def note_model() -> Any:
    """The Anki note type: fields ``NOTE_FIELDS``, one card per note."""
    front = (
        '<div class="hb-labels">{{Labels}}</div>'
        '<div class="hb-prompt">{{Prompt}}</div>'
    )
    back = (
        '{{FrontSide}}<hr id="answer">'
        '<div class="hb-answer">{{ShortAnswer}}</div>'
        '<p class="hb-link">Full answer: {{Link}}</p>'
    )
    css = (
        ".card { font-family: sans-serif; font-size: 18px; text-align: left;"
        " line-height: 1.45; }\n"
        ".hb-labels { font-size: 14px; color: #666; margin-bottom: 1em; }\n"
        ".hb-link { font-size: 14px; margin-top: 1.5em; }\n"
        "code { font-size: 0.9em; }\n"
    )
    return genanki.Model(
        MODEL_ID,
        "Stream Processing Interview Handbook question",
        fields=[{"name": name} for name in NOTE_FIELDS],
        templates=[{"name": "Question", "qfmt": front, "afmt": back}],
        css=css,
        sort_field_index=NOTE_FIELDS.index("Title"),
    )


def note_fields(
    question: Question, catalog: Catalog, answer: str, site: Site
) -> list[str]:
    """The fields of a question's note, in ``NOTE_FIELDS`` order (HTML)."""
    link = site.absolute(question.src_uri)
    title = html.escape(question.title, quote=False)
    return [
        question.id,
        title,
        html.escape(labels(question, catalog), quote=False),
        card_html(question.prompt, question.src_uri, site),
        card_html(answer, question.src_uri, site),
        f'<a href="{html.escape(link)}">{title}</a>',
    ]


def flashcard_deck(
    catalog: Catalog, answers: dict[str, str], site: Site
) -> Any:
    """The Anki deck: one note per question of ``catalog`` (catalog order).

    ``answers`` maps each question id to its short answer (Markdown).
    """
    model = note_model()
    deck = genanki.Deck(
        DECK_ID,
        DECK_NAME,
        description=(
            "One card per question of the handbook: the prompt on the front,"
            " the short answer and a link to the full answer on the back."
        ),
    )
    for question in catalog.questions:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=note_fields(
                    question, catalog, answers[question.id], site
                ),
                tags=tags(question),
                guid=genanki.guid_for(question.id),
            )
        )
    return deck


def newest(catalog: Catalog) -> date:
    """The newest ``last_reviewed`` date (``EPOCH`` without questions)."""
    return max((q.last_reviewed for q in catalog.questions), default=EPOCH)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def apkg_bytes(deck: Any, day: date) -> bytes:
    """The ``.apkg`` file of ``deck``: a zip holding the SQLite collection
    ``collection.anki2`` and an empty ``media`` map. Every time written
    into it is midnight (UTC) of ``day``, so it is reproducible."""
    stamp = _midnight(day).timestamp()
    # Built in memory and serialized: the same bytes as a database file,
    # without a temporary file and the disk syncs of committing to it.
    connection = sqlite3.connect(":memory:")
    try:
        ids = itertools.count(int(stamp * 1000))
        genanki.Package(deck).write_to_db(connection.cursor(), stamp, ids)
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("collection.anki2", collection), ("media", b"{}")]:
            info = zipfile.ZipInfo(name, date_time=day.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def questions_csv(catalog: Catalog, answers: dict[str, str], site: Site) -> str:
    """One CSV row per question (``CSV_COLUMNS``, RFC 4180, with header).

    Topics are space-separated ids; the short answer is Markdown.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in catalog.questions:
        writer.writerow(
            [
                q.id,
                q.title,
                q.prompt.strip(),
                q.difficulty,
                q.type,
                " ".join(q.topics),
                q.summary.strip(),
                answers[q.id].strip(),
                q.applies_to,
                q.last_reviewed.isoformat(),
                site.absolute(q.src_uri),
            ]
        )
    return out.getvalue()


def short_answers(catalog: Catalog) -> dict[str, str]:
    """The short answer of every question, read from its page."""
    return {q.id: short_answer(parse_page(q.path)) for q in catalog.questions}


# --------------------------------------------------------------------------
# Generated pages
# --------------------------------------------------------------------------


#: Where ``print_html`` goes on the printable page (raw HTML, kept as is).
PRINT_SLOT = '<div class="hb-print-slot"></div>'


def print_markdown(catalog: Catalog) -> str:
    """The printable page's Markdown: title, introduction and a slot.

    The questions themselves are filled in by ``fill_print_page`` from the
    HTML rendered for each question page, once all pages are rendered. The
    page stays out of the search index.
    """
    return (
        "\n\n".join(
            [
                "---\nsearch:\n  exclude: true\nhide:\n  - toc\n---",
                "# The whole question bank",
                f"All {len(catalog.questions)} questions with their answers on"
                " one page, easiest first, ready to print or save as PDF from"
                " the browser's print dialog. Navigation is left out of the"
                " print and every answer is expanded.\n"
                '{ .hb-print-intro data-print-bank="" }',
                PRINT_SLOT,
            ]
        )
        + "\n"
    )


def print_html(question: Question, rendered: str) -> str:
    """One question's rendered page as a section of the printable page.

    ``rendered`` is the page's content (Markdown converted, before the
    theme's template). The page's title (its ``<h1>``) becomes
    ``<h2 id="<question id>">``; every other heading goes one level down
    (at most ``<h6>``); every id,
    label target, radio-group name, ARIA reference and same-page link gets
    the prefix ``<question id>--``, so that pages put together do not
    collide. Code is HTML-escaped by then, so it is left alone.

    Raises:
        ExportError: if ``html`` has no ``<h1>`` title.
    """
    title = _TITLE.search(rendered)
    if title is None:
        raise ExportError(f"{question.path}: rendered page has no <h1> title")
    body = rendered[title.end() :]
    body = _ID_OR_FRAGMENT.sub(rf"\g<1>{question.id}--", body)
    body = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", body)
    heading = (
        f'<h2 class="hb-print-question" id="{question.id}">'
        f"{html.escape(question.title, quote=False)}"
        f'<a class="headerlink" href="#{question.id}" title="Permanent link">'
        "&para;</a></h2>"
    )
    return f"{heading}\n{body.strip()}\n"


def fill_print_page(content: str, questions: list[tuple[Question, str]]) -> str:
    """The printable page's HTML with every question in its slot.

    Raises:
        ExportError: if the page has lost its slot.
    """
    if content.count(PRINT_SLOT) != 1:
        raise ExportError(f"{PRINT_URI}: the page must hold {PRINT_SLOT} once")
    sections = "\n".join(print_html(q, page) for q, page in questions)
    return content.replace(PRINT_SLOT, sections)


def recent(catalog: Catalog, limit: int = RECENT_LIMIT) -> list[Question]:
    """Questions by ``last_reviewed``, newest first (then by title)."""
    by_title = sorted(catalog.questions, key=lambda q: q.title.casefold())
    ordered = sorted(by_title, key=lambda q: q.last_reviewed, reverse=True)
    return ordered[:limit]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (one line, no bare pipe)."""
    return " ".join(text.split()).replace("|", "\\|")


def with_whats_new(nav: list[NavItem]) -> list[NavItem]:
    """``nav`` with "What's new" right after the entry of the question
    index (the navigation generated by scripts/hooks/catalog.py, whatever
    that entry's title); unchanged if it has no such entry or already lists
    the page."""
    if any(item == {WHATS_NEW_TITLE: WHATS_NEW_URI} for item in nav):
        return nav
    for i, item in enumerate(nav):
        if isinstance(item, dict) and INDEX_URI in item.values():
            return [
                *nav[: i + 1],
                {WHATS_NEW_TITLE: WHATS_NEW_URI},
                *nav[i + 1 :],
            ]
    return nav


def whats_new_markdown(catalog: Catalog, use_directory_urls: bool) -> str:
    """The "What's new" page: recently added or reviewed questions."""
    root = to_root(WHATS_NEW_URI, use_directory_urls)
    listed = recent(catalog)
    lines = [
        "# What's new",
        "",
        "The questions most recently added or reviewed, newest first"
        f" ({len(listed)} of {len(catalog.questions)}), by the date each"
        " answer was last checked against the documentation. Every question"
        " page shows that date and the versions the answer applies to."
        f' Follow the changes in a feed reader: <a href="{root}{FEED_PATH}"'
        ' type="application/atom+xml">Atom feed</a>.',
        "",
    ]
    if not listed:
        return "\n".join([*lines, "No question has been written yet.", ""])
    lines += [
        "| Reviewed | Question | Type | Topics |",
        "|---|---|---|---|",
    ]
    for q in listed:
        link = posixpath.relpath(q.src_uri, posixpath.dirname(WHATS_NEW_URI))
        title = _cell(q.title).replace("[", "\\[").replace("]", "\\]")
        topics = ", ".join(catalog.topic_label(t) for t in q.topics)
        lines.append(
            f"| {q.last_reviewed.isoformat()} | [{title}]({link})<br>"
            f"{_cell(q.summary)} | {type_label(q.type)} | {_cell(topics)} |"
        )
    return "\n".join(lines) + "\n"


def downloads_markdown(src_uri: str, use_directory_urls: bool) -> str:
    """Links to the exports and generated pages, for the page ``src_uri``.

    Pages get Markdown links (MkDocs checks them); the files get raw HTML
    links, relative to the page's URL: MkDocs does not know them, they are
    written after the pages.
    """
    root = to_root(src_uri, use_directory_urls)
    here = posixpath.dirname(src_uri)

    def page(uri: str) -> str:
        return posixpath.relpath(uri, here or ".")

    return (
        "**Practise away from the site:** "
        f'<a href="{root}{APKG_PATH}" download>flashcards for Anki</a> (one'
        " card per question), "
        f'<a href="{root}{CSV_PATH}" download>all questions as CSV</a>,'
        f" [the whole bank on one printable page]({page(PRINT_URI)})."
        f" [What's new]({page(WHATS_NEW_URI)}) lists the questions added or"
        f' reviewed lately, also as an <a href="{root}{FEED_PATH}"'
        ' type="application/atom+xml">Atom feed</a>.\n'
    )


OFFLINE_ZIP = "downloads/handbook-offline.zip"


def offline_markdown(offline: bool, site_url: str) -> str:
    """The home page's word on the offline copy: where to get it, or, in
    the offline build (which cannot hold its own zip), where the site is."""
    if offline:
        return (
            "You are reading the offline copy, which works from disk with"
            " search and diagrams. The site, and a newer copy of this zip,"
            f" are at <{site_url}>.\n"
        )
    return (
        "The whole handbook, search and diagrams included, is available as"
        f' a zip that works from disk: <a href="{OFFLINE_ZIP}">download the'
        " offline handbook</a>, unzip it and open `handbook/index.html`.\n"
    )


# --------------------------------------------------------------------------
# Atom feed
# --------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
#: Namespace of the feed's and entries' ids (urn:uuid, independent of where
#: the site is published).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "stream-processing-interview")


def _atom_id(name: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, name).urn


def _rfc3339(day: date) -> str:
    return _midnight(day).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(
    parent: ElementTree.Element, tag: str, text: str = "", **attrs: str
) -> ElementTree.Element:
    child = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text:
        child.text = text
    return child


def atom_feed(catalog: Catalog, site: Site, title: str) -> bytes:
    """An Atom feed (RFC 4287) of the recently added or reviewed questions.

    Links are absolute (``site.url``); ids are ``urn:uuid`` names derived
    from the question ids, so a reviewed question updates its entry.
    """
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _element(feed, "id", _atom_id("feed"))
    _element(feed, "title", f"{title}: new and reviewed questions")
    _element(feed, "updated", _rfc3339(newest(catalog)))
    _element(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=urljoin(site.url, FEED_PATH),
    )
    _element(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=site.absolute(WHATS_NEW_URI),
    )
    _element(_element(feed, "author"), "name", title)
    for q in recent(catalog):
        entry = _element(feed, "entry")
        _element(entry, "id", _atom_id(f"question/{q.id}"))
        _element(entry, "title", q.title)
        _element(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=site.absolute(q.src_uri),
        )
        _element(entry, "updated", _rfc3339(q.last_reviewed))
        _element(entry, "summary", " ".join(q.summary.split()))
        for term in _categories(q):
            _element(entry, "category", term=term)
    ElementTree.indent(feed)
    body: bytes = ElementTree.tostring(
        feed, encoding="utf-8", xml_declaration=True
    )
    return body + b"\n"


def _categories(question: Question) -> Iterable[str]:
    yield question.difficulty
    yield question.type
    yield from question.topics


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so
    that a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes it private; the site is public
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
