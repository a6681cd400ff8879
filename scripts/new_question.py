"""Scaffold a question page with every required section.

Usage::

    python scripts/new_question.py ID --title TITLE --difficulty easy \\
        --type coding --topics deduplication,idempotence [--docs DIR]

Writes ``docs/questions/ID.md`` with the full front matter and the sections
its type needs, each holding a ``TODO`` marker, so ``check_content.py`` fails
until every one is replaced. A coding question also gets its demo file,
``snippets/questions/<id_with_underscores>.py`` (next to ``DIR``), with a
``solution`` section that the page includes. Refuses (exit 2, nothing
written) a malformed or existing id, an unknown topic, a bad difficulty or
type.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import yaml
from catalog import (
    DIFFICULTIES,
    DIRECTORIES,
    DOCS,
    ID_RE,
    MODELS,
    TYPES,
    load_taxonomy,
    needs_diagram,
    required_sections,
)

#: What each section should hold, shown after its TODO marker.
HINTS = {
    "Short answer": "2-5 sentences a candidate could say in the first"
    " 30 seconds.",
    "Explanation": "the full answer: mechanisms, configs with their defaults"
    " and versions, the reasoning an interviewer listens for.",
    "Solution": "explain the code (Material code annotations welcome) and"
    " show its printed output as `#>` lines in the snippet.",
    "Complexity": "time and space complexity, and what breaks at scale.",
    "Trade-offs": "a table of the real choices (delete this section if there"
    " are none).",
    "Pitfalls": "what weak answers get wrong.",
    "Follow-up questions": "2-4 likely follow-ups, linked to their pages"
    " where they exist.",
    "Further reading": "official documentation first; the same pages as"
    " `sources`.",
}


def _scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar (quoted only when needed)."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").strip()


def snippet_name(question_id: str) -> str:
    """Demo file of a question, relative to the snippets base path."""
    return f"questions/{question_id.replace('-', '_')}.py"


def page_text(
    question_id: str,
    title: str,
    difficulty: str,
    page_type: str,
    topics: Sequence[str],
    reviewed: date,
) -> str:
    """The scaffolded page: front matter, then the sections with TODOs."""
    front = [
        "---",
        f"id: {question_id}",
        f"title: {_scalar(title)}",
        "prompt: >-",
        "  TODO: the question exactly as an interviewer asks it.",
        f"difficulty: {difficulty}",
        f"type: {page_type}",
        f"topics: [{', '.join(topics)}]",
        'summary: "TODO: one sentence for the index and search results."',
        "origin: original",
        "related: []",
        'applies_to: "TODO: versions checked, e.g. Kafka 3.x-4.x, Flink'
        ' 1.18-2.x"',
        f"last_reviewed: {reviewed.isoformat()}",
        "sources:",
        "  - https://TODO.invalid/official-documentation-page",
        "---",
    ]
    model = MODELS["question"]
    wanted = set(required_sections(model, page_type)) | {"Trade-offs"}
    body: list[str] = []
    for rule in model.sections:
        if rule.title not in wanted:
            continue
        body += ["", f"## {rule.title}", ""]
        if rule.title == "Explanation" and needs_diagram("question", page_type):
            body += [
                "```mermaid",
                "flowchart LR",
                '  source["TODO: source"] --> sink["TODO: sink"]',
                "```",
                "",
            ]
        if rule.title == "Solution":
            body += [
                "```python",
                f'--8<-- "{snippet_name(question_id)}:solution"',
                "```",
                "",
            ]
        body.append(f"TODO: {HINTS[rule.title]}")
    return "\n".join(front + body) + "\n"


def snippet_text(title: str) -> str:
    """The scaffolded demo file of a coding question."""
    return "\n".join(
        [
            f'"""Demo for the question page: {title}."""',
            "",
            "# --8<-- [start:solution]",
            "# TODO: write the solution. Put each printed line right under",
            "# its print as a `#>` comment; the test suite checks them.",
            "# --8<-- [end:solution]",
            "",
        ]
    )


def _closest(value: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Scaffold docs/questions/ID.md with every section."
    )
    parser.add_argument("id", help="kebab-case id, also the file name")
    parser.add_argument("--title", required=True)
    parser.add_argument(
        "--difficulty", required=True, help=", ".join(DIFFICULTIES)
    )
    parser.add_argument("--type", required=True, help=", ".join(TYPES))
    parser.add_argument(
        "--topics", required=True, help="comma-separated topic ids"
    )
    parser.add_argument(
        "--docs", type=Path, default=DOCS, help="docs folder (default: docs/)"
    )
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy()
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    question_id: str = args.id
    if not ID_RE.fullmatch(question_id):
        parser.error(
            f"id {question_id!r} is not kebab-case (lowercase letters, digits"
            " and single hyphens, e.g. kafka-consumer-lag)"
        )
    if not args.title.strip():
        parser.error("--title is empty")
    if args.difficulty not in DIFFICULTIES:
        close = _closest(args.difficulty, DIFFICULTIES)
        parser.error(
            f"difficulty {args.difficulty!r} is not one of"
            f" {', '.join(DIFFICULTIES)}{close}"
        )
    if args.type not in TYPES:
        parser.error(
            f"type {args.type!r} is not one of {', '.join(TYPES)}"
            f"{_closest(args.type, TYPES)}"
        )
    if not topics:
        parser.error("--topics lists no topic id")
    for topic in topics:
        if topic not in taxonomy.topic_ids:
            parser.error(
                f"unknown topic {topic!r}{_closest(topic, taxonomy.topic_ids)};"
                " topic ids are listed in scripts/taxonomy.yml"
            )
    page = args.docs / DIRECTORIES["question"] / f"{question_id}.md"
    snippet = (
        args.docs.resolve().parent / "snippets" / snippet_name(question_id)
    )
    coding = args.type == "coding"
    for path in [page, snippet] if coding else [page]:
        if path.exists():
            parser.error(f"{path} already exists; choose another id")
    text = page_text(
        question_id,
        args.title.strip(),
        args.difficulty,
        args.type,
        topics,
        date.today(),
    )
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    created = [page]
    if coding:
        snippet.parent.mkdir(parents=True, exist_ok=True)
        snippet.write_text(snippet_text(args.title.strip()), encoding="utf-8")
        created.append(snippet)
    for path in created:
        print(f"created {path}")
    print(
        f"Replace every TODO, then run: python scripts/check_content.py {page}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
