"""Rules of check_content beyond the fixture corpus, on synthetic pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_content import (
    Problem,
    SnippetFiles,
    check_all,
    check_paths,
    expand_paths,
    include_problem,
)

VALID = Path(__file__).with_name("fixtures") / "valid"
CODING = (VALID / "questions/valid-coding-question.md").read_text()
DESIGN = (VALID / "questions/valid-system-design.md").read_text()
TOPIC = (VALID / "topics/partitioning.md").read_text()


def messages(
    tmp_path: Path, text: str, *, kind: str = "questions", name: str = ""
) -> list[str]:
    """Check ``text`` as a page; return ``line: where: message`` lines."""
    name = (
        name
        or {
            "questions": "valid-coding-question",
            "topics": "partitioning",
        }[kind]
    )
    path = tmp_path / "docs" / kind / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    related = tmp_path / "docs/questions/valid-system-design.md"
    if not related.exists():
        related.parent.mkdir(exist_ok=True)
        related.write_text(DESIGN, encoding="utf-8")
    problems = check_paths([path], docs_dir=tmp_path / "docs")
    return [f"{p.line}: {p.where}: {p.message}" for p in problems]


def edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_valid_pages_pass(tmp_path: Path) -> None:
    assert messages(tmp_path, CODING) == []
    assert messages(tmp_path, TOPIC, kind="topics") == []


def test_setext_heading_is_a_section(tmp_path: Path) -> None:
    text = edit(
        CODING, "## Pitfalls", "Gotchas\n-------\n\nText.\n\n## Pitfalls"
    )
    [message] = messages(tmp_path, text)
    assert message.startswith("45: Gotchas: not a section of a question page")


def test_setext_h1_is_reported(tmp_path: Path) -> None:
    text = edit(CODING, "## Short answer", "Title\n=====\n\n## Short answer")
    assert messages(tmp_path, text) == [
        "18: body: H1 heading 'Title' (the build renders the title from the"
        " front matter; remove it or use ##)"
    ]


def test_heading_attributes_and_closing_hashes_are_ignored(
    tmp_path: Path,
) -> None:
    text = edit(CODING, "## Pitfalls", "## Pitfalls { #traps }")
    assert messages(tmp_path, text) == []
    text = edit(CODING, "## Pitfalls", "## Pitfalls ##")
    assert messages(tmp_path, text) == []


def test_indented_heading_is_not_a_section(tmp_path: Path) -> None:
    text = edit(CODING, "## Pitfalls", "!!! note\n    ## Inside\n\n## Pitfalls")
    assert messages(tmp_path, text) == []


def test_extra_topic_section_before_overview(tmp_path: Path) -> None:
    text = edit(TOPIC, "## Overview", "## Intro\n\nText.\n\n## Overview")
    assert messages(tmp_path, text, kind="topics") == [
        "12: Intro: out of order (move it after '## Overview')"
    ]


def test_mermaid_in_tilde_fence_counts(tmp_path: Path) -> None:
    text = DESIGN.replace("```mermaid", "~~~~ mermaid").replace(
        "C[counts]\n```", "C[counts]\n~~~~"
    )
    assert messages(tmp_path, text, name="valid-system-design") == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "last_reviewed: 2026-01-15",
            "last_reviewed: 20260115",
            "13: last_reviewed: '20260115' is not an ISO date (write"
            " YYYY-MM-DD)",
        ),
        (
            "last_reviewed: 2026-01-15",
            "last_reviewed: 15/01/2026",
            "13: last_reviewed: '15/01/2026' is not an ISO date (write"
            " YYYY-MM-DD)",
        ),
        (
            "summary: A well-formed coding question used as a positive"
            " control.",
            "summary:",
            "9: summary: is empty (write a value)",
        ),
        (
            "title: A valid coding question",
            "title: 42",
            "3: title: must be text, got a number (quote the value)",
        ),
        (
            "sources:\n  - https://kafka.apache.org/documentation/",
            "sources: []",
            "14: sources: is empty (list at least one value)",
        ),
        (
            "related: [valid-system-design]",
            "related: [valid-coding-question]",
            "11: related: 'valid-coding-question' is this question (remove it)",
        ),
        (
            "origin: original",
            "origin: original\nzzz: 1",
            "11: zzz: unknown field (allowed: id, title, prompt, difficulty,"
            " type, topics, summary, origin, related, applies_to,"
            " last_reviewed, sources)",
        ),
        (
            "  - https://kafka.apache.org/documentation/",
            "  - kafka.apache.org/documentation/",
            "15: sources: 'kafka.apache.org/documentation/' is not an https"
            " URL (link the https page)",
        ),
        (
            "type: coding",
            "type: design",
            "7: type: 'design' is not allowed (did you mean 'system-design'?"
            " allowed: technical, system-design, coding)",
        ),
    ],
)
def test_field_rules(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert messages(tmp_path, edit(CODING, old, new)) == [expected]


def test_empty_related_is_fine(tmp_path: Path) -> None:
    text = edit(CODING, "related: [valid-system-design]", "related: []")
    assert messages(tmp_path, text) == []


def test_topic_section_must_exist(tmp_path: Path) -> None:
    text = edit(TOPIC, "section: messaging", "section: messages")
    assert messages(tmp_path, text, kind="topics") == [
        "4: section: 'messages' is not allowed (did you mean 'messaging'?"
        " allowed: foundations, messaging, processing, operations)"
    ]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        # Whole line forms pymdownx accepts, and the escape it honours.
        (';--8<-- "missing.py"', []),
        (
            "--8<--\nmissing.py\n--8<--",
            [
                "39: Solution: snippet file 'missing.py' not found (paths are"
                " relative to snippets/ or the repository root)"
            ],
        ),
        (
            "--8<-- '../../../../etc/passwd'",
            [
                "38: Solution: snippet file '../../../../etc/passwd' not found"
                " (paths are relative to snippets/ or the repository root)"
            ],
        ),
        (
            '--8<-- "tests/content/fixtures/snippets/demo.py"',
            [
                "38: Solution: snippet"
                " 'tests/content/fixtures/snippets/demo.py' includes a whole"
                " file that has named sections (include one section, e.g."
                " 'tests/content/fixtures/snippets/demo.py:core')"
            ],
        ),
    ],
)
def test_snippet_include_forms(
    tmp_path: Path, snippet: str, expected: list[str]
) -> None:
    text = edit(
        CODING,
        '--8<-- "tests/content/fixtures/snippets/demo.py:core"',
        snippet,
    )
    assert messages(tmp_path, text) == expected


def test_include_problem_with_own_bases(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print(1)\n")
    (tmp_path / "half.py").write_text("# --8<-- [end:x]\n")
    files = SnippetFiles([tmp_path])
    assert include_problem("plain.py", files) is None
    message = include_problem("half.py:x", files)
    assert message is not None and "no '[start:x]' marker" in message
    missing = include_problem("gone.py", files)
    assert missing is not None and "'gone.py' not found" in missing


def test_snippet_files_look_up_bases_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for base in (first, second):
        base.mkdir()
    (second / "x.py").write_text("# --8<-- [start:s]\n# --8<-- [end:s]\n")
    (first / "x.py").write_text("print(1)\n")
    (second / "only.py").write_text("print(2)\n")
    files = SnippetFiles([first, second])
    assert files.find("x.py") == (first / "x.py").resolve()
    assert files.find("only.py") == (second / "only.py").resolve()
    (tmp_path / "outside.py").write_text("print(3)\n")
    assert files.find("../outside.py") is None  # not below a base
    assert files.marks((second / "x.py").resolve()) == [
        ("start", "s"),
        ("end", "s"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('<img src="x.png" onerror="alert(1)">', "'onerror='"),
        ('<a href="javascript:alert(1)">x</a>', "'javascript:'"),
        ("[x]: javascript:alert(1)", "'javascript:'"),
        ('<EMBED src="x.swf">', "raw <embed>"),
        ('<object data="x"></object>', "raw <object>"),
        ("<iframe src='https://example.com'></iframe>", "raw <iframe>"),
    ],
)
def test_unsafe_html_is_found(tmp_path: Path, line: str, expected: str) -> None:
    text = edit(CODING, "Multiply by two.", line)
    found = messages(tmp_path, text)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].startswith("26: Explanation: ")


@pytest.mark.parametrize(
    "line",
    [
        "JavaScript: the language, not a URL.",
        "Onboarding = three days; rely on=nothing.",
        "Write `<script>` in inline code, or ``onclick=`` in double ticks.",
        "A set {on, off} = two states.",
    ],
)
def test_harmless_text_is_not_flagged(tmp_path: Path, line: str) -> None:
    text = edit(CODING, "Multiply by two.", line)
    assert messages(tmp_path, text) == []


def test_markers_are_found_in_front_matter_and_code(tmp_path: Path) -> None:
    text = edit(CODING, "Write a function", "TBD: write a function")
    text = edit(text, "# Not an H1 either", "# FIXME later")
    assert messages(tmp_path, text) == [
        "5: prompt: 'TBD' marker left in the page (finish the text and"
        " remove the marker)",
        "32: Explanation: 'FIXME' marker left in the page (finish the text"
        " and remove the marker)",
    ]


def test_duplicate_section_and_generated_heading(tmp_path: Path) -> None:
    text = CODING + "\n## Further reading\n\nAgain.\n"
    assert messages(tmp_path, text) == [
        "57: Further reading: section appears twice (first on line 53;"
        " merge them)"
    ]


def test_files_that_are_not_pages(tmp_path: Path) -> None:
    other = tmp_path / "reference" / "page.md"
    other.parent.mkdir()
    other.write_text(CODING)
    text_file = tmp_path / "questions" / "notes.txt"
    text_file.parent.mkdir()
    text_file.write_text("x")
    problems = check_paths(
        [tmp_path / "nowhere.md", other, text_file], docs_dir=tmp_path
    )
    assert [(p.line, p.where, p.message) for p in problems] == [
        (1, "file", "no such file (check the path)"),
        (1, "file", "not a Markdown page (give a .md file)"),
        (
            1,
            "file",
            "not a question or topic page (put it under a questions/ or"
            " topics/ folder)",
        ),
    ]


def test_folders_expand_to_their_pages(tmp_path: Path) -> None:
    for rel in [
        "questions/a.md",
        "questions/index.md",
        "topics/b.md",
        "reference/c.md",
        "index.md",
    ]:
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("")
    assert expand_paths([tmp_path]) == [
        tmp_path / "questions/a.md",
        tmp_path / "topics/b.md",
    ]


def test_check_all_reports_files_that_do_not_belong(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "questions" / "nested").mkdir(parents=True)
    (docs / "topics").mkdir()
    (docs / "questions" / "index.md").write_text("# Index\n")
    (docs / "questions" / "nested" / "deep.md").write_text(CODING)
    problems = [
        (p.path.rsplit("docs/", 1)[1], p.message) for p in check_all(docs)
    ]
    assert problems == [
        (
            "questions/index.md",
            "the question index is generated by the build (delete this file)",
        ),
        (
            "questions/nested/deep.md",
            "pages live directly in docs/questions/ (move it there;"
            " subfolders are not part of the catalog)",
        ),
    ]


def test_problem_prints_as_one_line() -> None:
    problem = Problem("docs/questions/a.md", 3, "title", "is empty (fix)")
    assert str(problem) == "docs/questions/a.md:3: title: is empty (fix)"


def test_dashes_under_a_paragraph_line_are_a_rule_not_a_heading(
    tmp_path: Path,
) -> None:
    text = edit(CODING, "O(1) time and space.", "O(1) time\nand space.\n---")
    assert messages(tmp_path, text) == []
