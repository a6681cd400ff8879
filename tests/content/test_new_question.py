"""The question scaffold: refusals, TODOs that fail the check, a clean build
once they are filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import require
from sitecopy import ROOT, build, make_site_copy, run

SCRIPT = ROOT / "scripts" / "new_question.py"


def new(
    root: Path,
    qid: str,
    *,
    difficulty: str = "medium",
    page_type: str = "coding",
    topics: str = "deduplication,partitioning",
    docs: Path | None = None,
) -> tuple[int, str, str]:
    result = run(
        root,
        str(SCRIPT),
        qid,
        "--title",
        "Exactly-once: what it means",
        "--difficulty",
        difficulty,
        "--type",
        page_type,
        "--topics",
        topics,
        *(["--docs", str(docs)] if docs else []),
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("qid", "options", "message"),
    [
        ("Bad_Id", {}, "id 'Bad_Id' is not kebab-case"),
        ("ok-id", {"difficulty": "hardest"}, "(did you mean 'hard'?)"),
        ("ok-id", {"page_type": "design"}, "type 'design' is not one of"),
        ("ok-id", {"topics": "watermark"}, "unknown topic 'watermark'"),
        ("ok-id", {"topics": " , "}, "--topics lists no topic id"),
        ("taken", {}, "taken.md already exists; choose another id"),
    ],
)
def test_refusals_write_nothing(
    tmp_path: Path, qid: str, options: dict[str, str], message: str
) -> None:
    docs = tmp_path / "docs"
    (docs / "questions").mkdir(parents=True)
    (docs / "questions/taken.md").write_text("x")
    code, out, err = new(ROOT, qid, docs=docs, **options)
    assert code == 2 and out == ""
    assert message in err
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "taken.md"
    ]


def test_existing_snippet_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    snippet = tmp_path / "snippets/questions/new_one.py"
    snippet.parent.mkdir(parents=True)
    snippet.write_text("")
    code, _, err = new(ROOT, "new-one", docs=docs)
    assert code == 2 and "new_one.py already exists" in err
    assert not (docs / "questions/new-one.md").exists()


def fill(text: str) -> str:
    """Replace every TODO the scaffold wrote with real-looking content."""
    text = re.sub(
        r"https://TODO\.invalid/\S*",
        "https://kafka.apache.org/documentation/",
        text,
    )
    return re.sub(r"TODO:[^\"\n]*", "Filled in.", text)


@pytest.mark.build
def test_scaffold_fails_the_check_until_filled_then_builds(
    tmp_path: Path,
) -> None:
    require(
        "node_modules",
        (ROOT / "node_modules" / "mermaid").is_dir(),
        "run `npm ci` to install the pinned browser assets",
    )
    copy = make_site_copy(tmp_path / "repo")
    docs = copy / "docs"
    for qid, page_type in [
        ("coding-q", "coding"),
        ("design-q", "system-design"),
    ]:
        result = run(
            copy,
            "scripts/new_question.py",
            qid,
            "--title",
            f"A {page_type} question",
            "--difficulty",
            "hard",
            "--type",
            page_type,
            "--topics",
            "partitioning",
            "--docs",
            str(docs),
        )
        assert result.returncode == 0, result.stderr
    page = docs / "questions/coding-q.md"
    snippet = copy / "snippets/questions/coding_q.py"
    assert '--8<-- "questions/coding_q.py:solution"' in page.read_text()
    assert "# --8<-- [start:solution]" in snippet.read_text()

    check = run(copy, "scripts/check_content.py")
    lines = check.stdout.splitlines()
    assert check.returncode == 1
    assert lines and all("marker left in the page" in line for line in lines)
    assert {line.split(":")[0] for line in lines} == {
        "docs/questions/coding-q.md",
        "docs/questions/design-q.md",
    }

    for path in docs.glob("questions/*-q.md"):
        path.write_text(fill(path.read_text()))
    snippet.write_text(
        snippet.read_text().replace(
            "# TODO: write the solution. Put each printed line right under\n"
            "# its print as a `#>` comment; the test suite checks them.\n",
            "print(6 * 7)\n#> 42\n",
        )
    )
    check = run(copy, "scripts/check_content.py")
    assert check.returncode == 0, check.stdout
    result = build(copy, copy / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (copy / "site/questions/coding-q/index.html").read_text()
    assert "A coding question" in html and "42" in html
