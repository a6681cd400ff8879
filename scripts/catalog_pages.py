"""Generated Markdown and data of the catalog, as pure functions.

The build hook (``scripts/hooks/catalog.py``) calls these with the loaded
``Catalog``; they return Markdown (with relative ``.md`` links, which MkDocs
resolves and validates for either value of ``use_directory_urls``), the
navigation, or the ``catalog.json`` document. Nothing here touches files.

Links are written relative to where the pages live: question pages in
``questions/``, topic pages in ``topics/``, the home page at the root.
"""

from __future__ import annotations

import html
import posixpath
from typing import Any, TypeAlias

from catalog import (
    DIFFICULTIES,
    TYPES,
    Catalog,
    Question,
    Topic,
)

#: The generated question index, below ``docs/``.
INDEX_URI = "questions/index.md"
#: Marker on the home page replaced by the counts table.
COUNTS_MARKER = "<!-- catalog:counts -->"
#: Marker on the home page replaced by the reader's progress per topic.
PROGRESS_MARKER = "<!-- catalog:progress -->"
#: Reference pages listed first in the nav, in this order, when they exist.
REFERENCE_PAGES = ("reference/streamlab.md", "reference/catalog-format.md")
#: The API overview and the folder of its per-module pages.
API_PAGE = "reference/streamlab.md"
API_DIR = "reference/streamlab/"
#: Pages for contributors (how the handbook is built...), listed last.
CONTRIBUTING_DIR = "contributing"
CATALOG_VERSION = 1

NavItem: TypeAlias = "str | dict[str, str | list[NavItem]]"

TYPE_LABELS = {
    "technical": "Technical",
    "system-design": "System design",
    "coding": "Coding",
}
#: Values of the index's progress filter (the marks progress.js keeps).
PROGRESS_LABELS = {
    "practiced": "Practiced",
    "review": "Review again",
    "none": "Not marked",
}


def difficulty_label(difficulty: str) -> str:
    return difficulty.capitalize()


def type_label(page_type: str) -> str:
    return TYPE_LABELS.get(page_type, page_type)


def _link_text(text: str) -> str:
    """Text safe inside ``[...]`` of a Markdown link."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _topic_link(catalog: Catalog, topic_id: str, prefix: str) -> str:
    """A badge for a topic: a link to its page, or plain text without one."""
    topic = catalog.topic(topic_id)
    if topic is None:
        return (
            f'<span class="hb-badge hb-badge--topic">{_attr(topic_id)}</span>'
        )
    return (
        f"[{_link_text(topic.title)}]({prefix}{topic.src_uri})"
        "{ .hb-badge .hb-badge--topic }"
    )


def _indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(
        pad + line if line.strip() else "" for line in text.split("\n")
    )


# --------------------------------------------------------------------------
# Question pages
# --------------------------------------------------------------------------


def question_header(question: Question, catalog: Catalog) -> str:
    """Markdown put before the body of a question page.

    The title (H1), labels (difficulty, type, topics linked to their pages),
    the prompt in a ``question`` admonition, the versions and review date,
    and links to related questions.
    """
    badges = [
        f'<span class="hb-badge hb-badge--{_attr(question.difficulty)}"'
        f' title="Difficulty">{difficulty_label(question.difficulty)}</span>',
        f'<span class="hb-badge hb-badge--type" title="Type">'
        f"{type_label(question.type)}</span>",
        *(_topic_link(catalog, t, "../") for t in question.topics),
    ]
    meta = [
        f"Applies to: {question.applies_to}",
        f"Last reviewed: {question.last_reviewed.isoformat()}",
    ]
    parts = [
        f"# {question.title}",
        " ".join(badges) + "\n{ .hb-badges }",
        '!!! question "The question"\n\n' + _indent(question.prompt.strip()),
        # data-question marks a question page for practice.js/progress.js.
        " · ".join(meta)
        + f'\n{{ .hb-meta data-question="{_attr(question.id)}" }}',
    ]
    related = [catalog.question(r) for r in question.related]
    links = [
        f"[{_link_text(r.title)}]({r.id}.md)" for r in related if r is not None
    ]
    if links:
        parts.append(
            "Related questions: " + " · ".join(links) + "\n{ .hb-meta }"
        )
    return "\n\n".join(parts) + "\n\n"


# --------------------------------------------------------------------------
# Topic pages
# --------------------------------------------------------------------------


def topic_questions(topic: Topic, catalog: Catalog) -> str:
    """The ``## Questions on this topic`` section appended to a topic page."""
    questions = catalog.questions_on(topic.id)
    lines = ["## Questions on this topic", ""]
    if not questions:
        lines.append("No question on this topic yet.")
        return "\n".join(lines) + "\n"
    for difficulty in DIFFICULTIES:
        group = [q for q in questions if q.difficulty == difficulty]
        if not group:
            continue
        lines += [f"### {difficulty_label(difficulty)}", ""]
        lines += [
            f"- [{_link_text(q.title)}](../{q.src_uri}) ({type_label(q.type)}):"
            f" {q.summary}"
            for q in group
        ]
        lines.append("")
    lines += [_progress_summary(questions), ""]
    lines.append(
        "[Open the question index filtered on this topic]"
        f"(../{INDEX_URI}?topic={topic.id})"
    )
    return "\n".join(lines) + "\n"


def _progress_summary(
    questions: tuple[Question, ...], element: str = "p", hidden: bool = True
) -> str:
    """An empty element that progress.js fills with the reader's marks on
    ``questions`` (``hidden`` until then, so that nothing shows without
    JavaScript)."""
    ids = _attr(" ".join(q.id for q in questions))
    return (
        f'<{element} class="hb-progress-summary"'
        f' data-progress-questions="{ids}"{" hidden" if hidden else ""}>'
        f"</{element}>"
    )


# --------------------------------------------------------------------------
# Home page
# --------------------------------------------------------------------------


def counts_table(catalog: Catalog) -> str:
    """Questions by type and difficulty, and how many topics have a page."""
    head = ["Type", *map(difficulty_label, DIFFICULTIES), "All"]
    rows = [
        "| " + " | ".join(head) + " |",
        "|---" + "|--:" * (len(head) - 1) + "|",
    ]
    for page_type in TYPES:
        counts = [
            sum(
                1
                for q in catalog.questions
                if (q.type, q.difficulty) == (page_type, d)
            )
            for d in DIFFICULTIES
        ]
        cells = [type_label(page_type), *map(str, counts), str(sum(counts))]
        rows.append("| " + " | ".join(cells) + " |")
    totals = [
        sum(1 for q in catalog.questions if q.difficulty == d)
        for d in DIFFICULTIES
    ]
    cells = ["**All**", *map(str, totals), f"**{sum(totals)}**"]
    rows.append("| " + " | ".join(cells) + " |")
    topics = len(catalog.taxonomy.topic_ids)
    return (
        "\n".join(rows)
        + f"\n\n{len(catalog.topics)} of {topics} topics have a page."
        + f" [Browse the questions]({INDEX_URI}).\n"
    )


def topic_progress(catalog: Catalog) -> str:
    """The reader's progress per topic, for the home page.

    A table of the topics that have questions, whose last cells progress.js
    fills from the marks kept in the browser; the whole block stays hidden
    without JavaScript. Empty when there is no question.
    """
    used = [t for t in catalog.taxonomy.topic_ids if catalog.questions_on(t)]
    if not used:
        return ""
    rows = ["| Topic | Questions | Your progress |", "|---|--:|---|"]
    for topic_id in used:
        questions = catalog.questions_on(topic_id)
        topic = catalog.topic(topic_id)
        label = (
            f"[{_link_text(topic.title)}]({topic.src_uri})"
            if topic is not None
            else html.escape(topic_id)
        )
        cell = _progress_summary(questions, "span", hidden=False)
        rows.append(
            f"| {label.replace('|', '&#124;')} | {len(questions)} | {cell} |"
        )
    everything = _progress_summary(catalog.questions, "span", hidden=False)
    rows.append(
        f"| **All questions** | {len(catalog.questions)} | {everything} |"
    )
    return "\n".join(
        [
            '<div class="hb-progress-topics" data-progress-block hidden'
            " markdown>",
            "",
            "Your progress per topic, from the marks kept in this browser:",
            "",
            *rows,
            "",
            "</div>",
        ]
    )


# --------------------------------------------------------------------------
# The question index
# --------------------------------------------------------------------------


def _options(pairs: list[tuple[str, str]]) -> str:
    return "".join(
        f'<option value="{_attr(v)}">{html.escape(label)}</option>'
        for v, label in pairs
    )


def _topic_options(catalog: Catalog) -> str:
    """Topics used by at least one question, grouped by section."""
    used = {t for q in catalog.questions for t in q.topics}
    groups = []
    for section in catalog.taxonomy.sections:
        pairs = [
            (t, catalog.topic_label(t)) for t in section.topics if t in used
        ]
        if pairs:
            groups.append(
                f'<optgroup label="{_attr(section.title)}">'
                f"{_options(pairs)}</optgroup>"
            )
    return "".join(groups)


def _filters(catalog: Catalog) -> str:
    total = len(catalog.questions)
    any_option = '<option value="">Any</option>'
    difficulties = _options([(d, difficulty_label(d)) for d in DIFFICULTIES])
    types = _options([(t, type_label(t)) for t in TYPES])
    return "\n".join(
        [
            '<div class="hb-filters" id="question-filters" role="search"'
            ' aria-label="Filter the questions" hidden>',
            '<label>Difficulty <select id="filter-difficulty">'
            f"{any_option}{difficulties}</select></label>",
            f'<label>Type <select id="filter-type">{any_option}{types}'
            "</select></label>",
            '<label>Topic <select id="filter-topic">'
            f"{any_option}{_topic_options(catalog)}</select></label>",
            '<label>Text <input type="search" id="filter-text"'
            ' placeholder="Words in title or summary"></label>',
            '<label>Progress <select id="filter-progress">'
            f"{any_option}{_options(list(PROGRESS_LABELS.items()))}"
            "</select></label>",
            '<button type="button" id="filter-reset" class="md-button">'
            "Reset</button>",
            '<button type="button" id="random-question" class="md-button">'
            "Random question</button>",
            f'<span id="question-count" aria-live="polite">{total} of'
            f" {total} question{'' if total == 1 else 's'}</span>",
            "</div>",
        ]
    )


def _index_href(url: str) -> str:
    """Link from the question index (``questions/``) to the page at ``url``
    (relative to the site root, as MkDocs gives it)."""
    relative = posixpath.relpath(url, posixpath.dirname(INDEX_URI))
    return relative + "/" if url.endswith("/") else relative


def _row(question: Question, catalog: Catalog) -> str:
    """One row of the index, in HTML: the table is raw HTML, which Markdown
    passes through as it is (a thousand rows of Markdown in HTML cost more
    to convert than the rest of the page)."""
    badges = []
    for topic_id in question.topics:
        topic = catalog.topic(topic_id)
        if topic is None:
            badges.append(_topic_link(catalog, topic_id, ""))
        else:
            badges.append(
                '<a class="hb-badge hb-badge--topic"'
                f' href="{_attr(_index_href(topic.url))}">'
                f"{html.escape(topic.title, quote=False)}</a>"
            )
    return "\n".join(
        [
            f'<tr data-difficulty="{_attr(question.difficulty)}"'
            f' data-id="{_attr(question.id)}"'
            f' data-topics="{_attr(" ".join(question.topics))}"'
            f' data-type="{_attr(question.type)}">',
            f'<td><a href="{_attr(_index_href(question.url))}">'
            f"{html.escape(question.title, quote=False)}</a><br>"
            '<span class="hb-summary">'
            f"{html.escape(question.summary.strip(), quote=False)}</span></td>",
            '<td class="hb-difficulty">'
            f"{difficulty_label(question.difficulty)}</td>",
            f"<td>{type_label(question.type)}</td>",
            f"<td>{' '.join(badges)}</td>",
            "</tr>",
        ]
    )


def index_markdown(catalog: Catalog) -> str:
    """The question index page: intro, filter controls, one row a question.

    Without JavaScript the filter form stays hidden and the table lists every
    question; ``question-index.js`` shows the form and filters the rows.
    """
    total = len(catalog.questions)
    intro = (
        f"All {total} questions of the handbook, easiest first. Filter them by"
        " difficulty, type, topic or words of the title and summary; the"
        " address keeps the filter, so a filtered view can be shared."
        if total
        else "No question has been written yet."
    )
    rows = "\n".join(_row(q, catalog) for q in catalog.questions)
    table = "\n".join(
        [
            # Already in Material's table containers, with a class: Material's
            # script then leaves the table where it is instead of moving it
            # into new ones at load (one style and layout pass of a long
            # table fewer on a phone); question-index.css styles it.
            '<div class="md-typeset__scrollwrap">'
            '<div class="md-typeset__table">',
            '<table id="question-index" class="hb-index">',
            "<thead>",
            '<tr><th>Question</th><th class="hb-difficulty">Difficulty</th>'
            "<th>Type</th>"
            "<th>Topics</th></tr>",
            "</thead>",
            "<tbody>",
            rows,
            "</tbody>",
            "</table>",
            "</div></div>",
        ]
    )
    empty = (
        '<p id="question-none" hidden>No question matches these filters.'
        " Reset them to see all.</p>"
    )
    parts = ["# Questions", intro, _filters(catalog), table, empty]
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Navigation and catalog.json
# --------------------------------------------------------------------------


def navigation(catalog: Catalog, existing: set[str]) -> list[NavItem]:
    """The site navigation, from the taxonomy and the pages that exist.

    ``existing``: source paths (below ``docs/``) of the files on disk; only
    those get an entry (the question index is always generated).
    """
    nav: list[NavItem] = []
    if "index.md" in existing:
        nav.append({"Home": "index.md"})
    nav.append({"Questions": INDEX_URI})
    sections: list[NavItem] = []
    for section in catalog.taxonomy.sections:
        pages: list[NavItem] = [
            {t.title: t.src_uri}
            for t in catalog.topics
            if t.section == section.id
        ]
        if pages:
            sections.append({section.title: pages})
    if sections:
        nav.append({"Topics": sections})
    others = sorted(
        p
        for p in existing
        if p.startswith("reference/")
        and p.endswith(".md")
        and p not in REFERENCE_PAGES
        and not p.startswith(API_DIR)
    )
    modules = sorted(
        p for p in existing if p.startswith(API_DIR) and p.endswith(".md")
    )
    reference: list[NavItem] = []
    for p in [*REFERENCE_PAGES, *others]:
        if p == API_PAGE and modules:
            # The API overview, then one page per module, as one group.
            group: list[NavItem] = [p] if p in existing else []
            group += modules
            reference.append({"streamlab API": group})
        elif p in existing:
            reference.append(p)
    if reference:
        nav.append({"Reference": reference})
    contributing: list[NavItem] = [
        p
        for p in sorted(existing)
        if p.startswith(f"{CONTRIBUTING_DIR}/") and p.endswith(".md")
    ]
    if contributing:
        nav.append({"Contributing": contributing})
    return nav


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """The ``catalog.json`` document (see docs/reference/catalog-format.md)."""
    return {
        "version": CATALOG_VERSION,
        "questions": [
            {
                "id": q.id,
                "title": q.title,
                "prompt": q.prompt,
                "difficulty": q.difficulty,
                "type": q.type,
                "topics": list(q.topics),
                "origin": q.origin,
                "url": q.url,
                "summary": q.summary,
                "last_reviewed": q.last_reviewed.isoformat(),
            }
            for q in catalog.questions
        ],
        "topics": [
            _topic_entry(catalog, t) for t in catalog.taxonomy.topic_ids
        ],
    }


def _topic_entry(catalog: Catalog, topic_id: str) -> dict[str, Any]:
    topic = catalog.topic(topic_id)
    return {
        "id": topic_id,
        "title": topic.title if topic else None,
        "section": catalog.taxonomy.section_of(topic_id),
        "summary": topic.summary if topic else None,
        "question_count": len(catalog.questions_on(topic_id)),
        "url": topic.url if topic else None,
    }
