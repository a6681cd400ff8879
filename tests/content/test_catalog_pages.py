"""Generated Markdown, navigation and catalog.json, from a small catalog."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest
from catalog import DIFFICULTIES, TYPES, Catalog, load_catalog
from catalog_pages import (
    COUNTS_MARKER,
    INDEX_URI,
    catalog_document,
    counts_table,
    index_markdown,
    navigation,
    question_header,
    topic_questions,
)

VALID = Path(__file__).with_name("fixtures") / "valid"
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables"]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    docs = tmp_path / "docs"
    shutil.copytree(VALID / "questions", docs / "questions")
    shutil.copytree(VALID / "topics", docs / "topics")
    # A third question whose title needs escaping in a link.
    text = (VALID / "questions/valid-system-design.md").read_text()
    text = text.replace("id: valid-system-design", "id: brackets")
    text = text.replace(
        "title: A valid system-design question", "title: '[Odd] title'"
    )
    text = text.replace("difficulty: hard", "difficulty: medium")
    text = text.replace("topics: [windowing]", "topics: [partitioning]")
    (docs / "questions/brackets.md").write_text(text)
    return load_catalog(docs)


def html_of(text: str) -> str:
    html: str = markdown.markdown(text, extensions=EXTENSIONS)
    return html


class Rows(HTMLParser):
    """Collect the attributes of <tr> and the hrefs of each row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.links: list[list[str]] = []
        self.ids: dict[str, dict[str, str | None]] = {}

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] = found
        if tag == "tr" and "data-difficulty" in found:
            self.rows.append(found)
            self.links.append([])
        elif tag == "a" and self.links:
            self.links[-1].append(str(found.get("href")))


def test_index_has_one_row_per_question_with_attributes(
    catalog: Catalog,
) -> None:
    parser = Rows()
    parser.feed(html_of(index_markdown(catalog)))
    assert [r["data-difficulty"] for r in parser.rows] == [
        "easy",
        "medium",
        "hard",
    ]
    assert [r["data-type"] for r in parser.rows] == [
        "coding",
        "system-design",
        "system-design",
    ]
    assert [r["data-topics"] for r in parser.rows] == [
        "partitioning deduplication",
        "partitioning",
        "windowing",
    ]
    # Raw HTML, so the links are the pages' URLs (MkDocs rewrites .md links
    # in Markdown only).
    assert parser.links == [
        ["valid-coding-question/", "../topics/partitioning/"],
        ["brackets/", "../topics/partitioning/"],
        ["valid-system-design/"],
    ]


def test_index_links_follow_the_url_style(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(VALID / "questions", docs / "questions")
    shutil.copytree(VALID / "topics", docs / "topics")
    flat = load_catalog(docs, use_directory_urls=False)
    parser = Rows()
    parser.feed(html_of(index_markdown(flat)))
    assert parser.links[0] == [
        "valid-coding-question.html",
        "../topics/partitioning.html",
    ]


def test_index_has_the_controls_the_script_uses(catalog: Catalog) -> None:
    parser = Rows()
    page = html_of(index_markdown(catalog))
    parser.feed(page)
    for control in [
        "question-filters",
        "filter-difficulty",
        "filter-type",
        "filter-topic",
        "filter-text",
        "filter-reset",
        "question-count",
        "question-index",
    ]:
        assert control in parser.ids, control
    # Hidden without JavaScript: the table alone is the page then.
    assert "hidden" in parser.ids["question-filters"]
    assert "3 of 3 questions" in page
    assert page.startswith("<h1>Questions</h1>")
    # Topic filter: used topics only, by section, titled from their page.
    assert '<option value="partitioning">Partitioning</option>' in page
    assert '<option value="windowing">windowing</option>' in page
    assert 'value="joins"' not in page
    assert page.index('label="Messaging"') < page.index('label="Processing"')
    assert "\\[Odd\\]" not in page and "[Odd] title</a>" in page


def test_empty_index_says_so(tmp_path: Path) -> None:
    empty = load_catalog(tmp_path)
    text = index_markdown(empty)
    assert "No question has been written yet." in text
    assert "0 of 0 questions" in text


def test_question_header(catalog: Catalog) -> None:
    question = catalog.question("valid-coding-question")
    assert question is not None
    text = question_header(question, catalog)
    assert text.startswith("# A valid coding question\n\n")
    page = html_of(text)
    assert '<p class="hb-badges">' in page
    assert 'class="hb-badge hb-badge--easy"' in page
    assert ">Coding</span>" in page
    assert (
        '<a class="hb-badge hb-badge--topic" href="../topics/partitioning.md">'
        "Partitioning</a>"
    ) in page
    # No page yet: a label without a link.
    assert '<span class="hb-badge hb-badge--topic">deduplication</span>' in (
        page
    )
    assert '<div class="admonition question">' in page
    assert "Write a function that doubles a number" in page
    assert "Applies to: Kafka 3.x-4.x · Last reviewed: 2026-01-15" in page
    assert (
        'Related questions: <a href="valid-system-design.md">'
        "A valid system-design question</a>"
    ) in page


def test_header_without_related_has_no_related_line(catalog: Catalog) -> None:
    question = catalog.question("valid-system-design")
    assert question is not None
    assert "Related questions" not in question_header(question, catalog)


def test_topic_questions_grouped_by_difficulty(catalog: Catalog) -> None:
    topic = catalog.topic("partitioning")
    assert topic is not None
    text = topic_questions(topic, catalog)
    assert text.splitlines()[0] == "## Questions on this topic"
    easy, medium = text.index("### Easy"), text.index("### Medium")
    assert easy < text.index("(../questions/valid-coding-question.md)") < medium
    assert medium < text.index("(../questions/brackets.md)")
    assert "### Hard" not in text
    assert f"(../{INDEX_URI}?topic=partitioning)" in text


def test_topic_without_questions_says_so(catalog: Catalog) -> None:
    topic = catalog.topic("partitioning")
    assert topic is not None
    empty = Catalog(catalog.taxonomy, (), catalog.topics)
    assert topic_questions(topic, empty) == (
        "## Questions on this topic\n\nNo question on this topic yet.\n"
    )


def test_counts_table_matches_a_plain_count(catalog: Catalog) -> None:
    page = html_of(counts_table(catalog))
    rows = [
        row.split("</td>")[:-1]
        for row in page.split("<tbody>")[1].split("</tr>")[:-1]
    ]
    cells = [[re.sub("<[^>]+>", "", c).strip() for c in row] for row in rows]
    for row, page_type in zip(cells, TYPES, strict=False):
        expected = [
            len(
                [
                    q
                    for q in catalog.questions
                    if q.type == page_type and q.difficulty == d
                ]
            )
            for d in DIFFICULTIES
        ]
        assert row[1:] == [str(n) for n in [*expected, sum(expected)]]
    assert cells[-1][-1] == str(len(catalog.questions))
    assert "1 of 30 topics have a page." in page
    assert COUNTS_MARKER not in page


def test_navigation(catalog: Catalog) -> None:
    existing = {
        "index.md",
        "topics/partitioning.md",
        "reference/catalog-format.md",
        "reference/streamlab.md",
        "reference/zz-extra.md",
        "reference/streamlab/windows.md",
        "reference/streamlab/dedup.md",
        "questions/valid-coding-question.md",
        "contributing/how-this-handbook-is-built.md",
        "contributing/a-first-page.md",
        "contributing/images/not-a-page.png",
    }
    assert navigation(catalog, existing) == [
        {"Home": "index.md"},
        {"Questions": INDEX_URI},
        {
            "Topics": [
                {"Messaging": [{"Partitioning": "topics/partitioning.md"}]}
            ]
        },
        {
            "Reference": [
                {
                    "streamlab API": [
                        "reference/streamlab.md",
                        "reference/streamlab/dedup.md",
                        "reference/streamlab/windows.md",
                    ]
                },
                "reference/catalog-format.md",
                "reference/zz-extra.md",
            ]
        },
        {
            "Contributing": [
                "contributing/a-first-page.md",
                "contributing/how-this-handbook-is-built.md",
            ]
        },
    ]
    bare = Catalog(catalog.taxonomy, catalog.questions, ())
    assert navigation(bare, set()) == [{"Questions": INDEX_URI}]


def test_catalog_document(catalog: Catalog) -> None:
    document = catalog_document(catalog)
    assert document["version"] == 1
    assert [q["id"] for q in document["questions"]] == [
        "valid-coding-question",
        "brackets",
        "valid-system-design",
    ]
    first = document["questions"][0]
    assert set(first) == {
        "id",
        "title",
        "prompt",
        "difficulty",
        "type",
        "topics",
        "origin",
        "url",
        "summary",
        "last_reviewed",
    }
    assert first["last_reviewed"] == "2026-01-15"
    assert first["url"] == "questions/valid-coding-question/"
    topics = {t["id"]: t for t in document["topics"]}
    assert len(topics) == 30
    assert topics["partitioning"] == {
        "id": "partitioning",
        "title": "Partitioning",
        "section": "messaging",
        "summary": (
            "How a log is split into partitions and what that does to ordering."
        ),
        "question_count": 2,
        "url": "topics/partitioning/",
    }
    assert topics["joins"]["url"] is None and topics["joins"]["title"] is None
    assert topics["windowing"]["question_count"] == 1
