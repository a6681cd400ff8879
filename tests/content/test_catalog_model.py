"""The content model: taxonomy, front matter parsing, typed records."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from catalog import (
    DIFFICULTIES,
    MODELS,
    ROOT,
    CatalogError,
    PageError,
    Question,
    TaxonomyError,
    Topic,
    describe,
    display,
    load_catalog,
    load_taxonomy,
    page_kind,
    parse_page,
    required_sections,
)

FIXTURES = Path(__file__).with_name("fixtures")
VALID = FIXTURES / "valid"


#: The taxonomy as the design document lists it (the test's oracle).
DESIGN_TAXONOMY = {
    "foundations": """event-driven-architecture, batch-vs-streaming,
        event-sourcing, cdc-and-outbox, streaming-for-ml""",
    "messaging": """queues-vs-logs, partitioning, consumer-groups, ordering,
        retention-and-compaction, deduplication,
        serialization-and-schema-evolution, error-handling-and-dlq""",
    "processing": """stream-processing-engines, stateful-processing,
        checkpointing-and-recovery, delivery-guarantees, idempotence,
        time-semantics, watermarks, windowing, late-and-out-of-order-events,
        joins""",
    "operations": """backpressure-and-flow-control, scaling,
        latency-vs-throughput, resource-isolation, monitoring-and-lag,
        testing-streaming-pipelines, state-and-checkpoint-storage""",
}


def test_taxonomy_has_four_sections_and_thirty_topics() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.section_ids == (
        "foundations",
        "messaging",
        "processing",
        "operations",
    )
    assert [s.title for s in taxonomy.sections] == [
        "Foundations",
        "Messaging",
        "Processing",
        "Operations",
    ]
    assert len(taxonomy.topic_ids) == 30
    assert len(set(taxonomy.topic_ids)) == 30
    assert taxonomy.section_of("watermarks") == "processing"
    assert taxonomy.section_of("no-such-topic") is None


def test_taxonomy_matches_design() -> None:
    taxonomy = load_taxonomy()
    expected = {
        k: v.replace(",", " ").split() for k, v in DESIGN_TAXONOMY.items()
    }
    assert {s.id: list(s.topics) for s in taxonomy.sections} == expected


@pytest.mark.parametrize(
    "text",
    [
        "sections: []\n",
        "- a\n",
        "sections:\n  - id: x\n    title: X\n    topics: []\n",
        "sections:\n  - id: Bad Id\n    title: X\n    topics: [a]\n",
        "sections:\n  - id: x\n    topics: [a]\n",
        "sections:\n  - id: x\n    title: X\n    topics: [a, a]\n",
        "sections:\n  - x\n",
    ],
)
def test_malformed_taxonomy_is_rejected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError):
        load_taxonomy(path)


def test_parse_page_keeps_field_and_item_lines() -> None:
    page = parse_page(VALID / "questions/valid-coding-question.md")
    assert page.kind == "question"
    assert page.field_lines["id"] == 2
    assert page.field_lines["difficulty"] == 6
    assert page.item_lines["sources"] == (15,)
    assert page.line_of("missing") == 1
    assert page.item_line("sources", 5) == page.line_of("sources")
    assert page.body_start == 17
    # Dates stay text, to be checked as text.
    assert page.meta["last_reviewed"] == "2026-01-15"
    assert page.field_at(5) == "prompt"
    assert page.field_at(page.body_start) is None


def test_parse_page_errors_carry_line_and_place(tmp_path: Path) -> None:
    cases = {
        "": (1, "front matter"),
        "---\n---\n": (1, "front matter"),
        "---\nid: [unclosed\n---\n": (2, "front matter"),
        "---\nid: a\ntitle: b: c\n---\n": (3, "front matter"),
        "---\njust text\n---\n": (2, "front matter"),
    }
    for text, (line, where) in cases.items():
        path = tmp_path / "questions" / "page.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PageError) as info:
            parse_page(path)
        assert (info.value.line, info.value.where) == (line, where), text
    path.write_bytes(b"---\nid: \xff\n---\n")
    with pytest.raises(PageError, match="not UTF-8"):
        parse_page(path)


def test_page_kind_comes_from_the_nearest_folder() -> None:
    assert page_kind(Path("docs/questions/a.md")) == "question"
    assert page_kind(Path("docs/topics/a.md")) == "topic"
    assert page_kind(Path("x/topics/questions/dup/a.md")) == "question"
    assert page_kind(Path("docs/reference/a.md")) is None


def test_describe_and_display() -> None:
    values: list[object] = [None, True, 3, [], {}, "x"]
    assert [describe(v) for v in values] == [
        "nothing",
        "true/false",
        "a number",
        "a list",
        "a mapping",
        "text",
    ]
    assert display(ROOT / "docs" / "index.md") == "docs/index.md"
    assert display(Path("/elsewhere/x.md")) == "/elsewhere/x.md"


def test_required_sections_depend_on_type() -> None:
    model = MODELS["question"]
    coding = required_sections(model, "coding")
    technical = required_sections(model, "technical")
    assert "Solution" in coding and "Complexity" in coding
    assert "Solution" not in technical and "Trade-offs" not in technical
    assert required_sections(MODELS["topic"], None) == [
        "Overview",
        "How it works",
        "In the engines",
        "Pitfalls",
        "Further reading",
    ]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(VALID / "questions", docs / "questions")
    shutil.copytree(VALID / "topics", docs / "topics")
    return docs


def test_load_catalog_builds_typed_records(docs: Path) -> None:
    catalog = load_catalog(docs)
    coding = catalog.question("valid-coding-question")
    assert isinstance(coding, Question)
    assert coding.topics == ("partitioning", "deduplication")
    assert coding.related == ("valid-system-design",)
    assert coding.last_reviewed == date(2026, 1, 15)
    assert coding.src_uri == "questions/valid-coding-question.md"
    assert coding.url == "questions/valid-coding-question/"
    design = catalog.question("valid-system-design")
    assert design is not None and design.related == ()
    topic = catalog.topic("partitioning")
    assert isinstance(topic, Topic)
    assert (topic.section, topic.url) == ("messaging", "topics/partitioning/")
    assert catalog.page("topics/partitioning.md") == topic
    assert catalog.page("index.md") is None
    assert catalog.questions_on("partitioning") == (coding,)
    assert catalog.topic_label("partitioning") == "Partitioning"
    assert catalog.topic_label("joins") == "joins"
    assert catalog.question("nope") is None


def test_urls_follow_use_directory_urls(docs: Path) -> None:
    catalog = load_catalog(docs, use_directory_urls=False)
    urls = [q.url for q in catalog.questions] + [t.url for t in catalog.topics]
    assert urls == [
        "questions/valid-coding-question.html",
        "questions/valid-system-design.html",
        "topics/partitioning.html",
    ]


def test_questions_sort_by_difficulty_then_title(docs: Path) -> None:
    template = (VALID / "questions/valid-system-design.md").read_text()
    for qid, difficulty, title in [
        ("b-medium", "medium", "beta"),
        ("a-medium", "medium", "Alpha"),
        ("z-easy", "easy", "zeta"),
    ]:
        text = template.replace("id: valid-system-design", f"id: {qid}")
        text = text.replace("difficulty: hard", f"difficulty: {difficulty}")
        text = re.sub(r"(?m)^title: .*$", f"title: {title}", text)
        (docs / "questions" / f"{qid}.md").write_text(text)
    catalog = load_catalog(docs)
    keys = [(q.difficulty, q.title) for q in catalog.questions]
    assert keys == sorted(
        keys, key=lambda k: (DIFFICULTIES.index(k[0]), k[1].casefold())
    )
    assert [q.id for q in catalog.questions][:3] == [
        "valid-coding-question",
        "z-easy",
        "a-medium",
    ]


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("difficulty: easy", "difficulty: [easy]", "difficulty"),
        ("last_reviewed: 2026-01-15", "last_reviewed: 2026-13-01", "last_"),
        ("topics: [partitioning", "topics: [not-a-topic", "taxonomy"),
        ("id: valid-coding-question", "id: other", "file name"),
        ("---\nid:", "--\nid:", "front matter"),
    ],
)
def test_load_catalog_rejects_invalid_pages(
    docs: Path, old: str, new: str, match: str
) -> None:
    page = docs / "questions" / "valid-coding-question.md"
    page.write_text(page.read_text().replace(old, new, 1))
    with pytest.raises(CatalogError, match=match):
        load_catalog(docs)


def test_parse_page_sees_a_changed_file(tmp_path: Path) -> None:
    # Pages are parsed once per process and text: ``mkdocs serve`` must
    # still see an edit, even one that keeps the size.
    path = tmp_path / "page.md"
    path.write_text("---\nid: one\n---\nBody.\n", encoding="utf-8")
    first = parse_page(path)
    assert parse_page(path) is first
    path.write_text("---\nid: two\n---\nBody.\n", encoding="utf-8")
    assert parse_page(path).meta["id"] == "two"


def test_yaml_errors_are_worded_by_the_pure_loader(tmp_path: Path) -> None:
    # LibYAML refuses the text first; the message must still be PyYAML's.
    path = tmp_path / "page.md"
    path.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(PageError) as error:
        parse_page(path)
    assert "invalid YAML: expected ',' or ']'" in str(error.value)
