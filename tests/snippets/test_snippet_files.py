"""Every snippet file runs, and prints exactly what its ``#>`` lines show."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
from pathlib import Path

import pytest
from snippet_output import expected_output, snippet_files

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
# The labs need live brokers: tests/labs runs them and checks their output.
# The engine files need .venv-engines: tests/engines runs them.
FILES = [
    p
    for p in snippet_files(SNIPPETS)
    if p.parent.name not in {"labs", "engines"}
]


def test_there_are_snippets() -> None:
    assert FILES, "no snippet files found under snippets/"


@pytest.mark.parametrize(
    "path", FILES, ids=[str(p.relative_to(SNIPPETS)) for p in FILES]
)
def test_snippet_runs_and_prints_what_it_shows(path: Path) -> None:
    out = io.StringIO()
    argv = sys.argv
    sys.argv = [str(path)]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
    mismatch = first_difference(
        out.getvalue(), expected_output(path.read_text(encoding="utf-8"))
    )
    if mismatch:
        # A short message of our own: pytest's diff of long texts can take
        # minutes.
        pytest.fail(f"{path.relative_to(ROOT)}: {mismatch}", pytrace=False)


def first_difference(printed: str, shown: str) -> str:
    """Describe the first line where the output and the marks differ."""
    got, want = printed.splitlines(), shown.splitlines()
    for number, (line, mark) in enumerate(zip(got, want, strict=False), 1):
        if line != mark:
            return (
                f"output line {number} is {line!r} but the page shows"
                f" {mark!r} (fix the '# >' line or the code)"
            )
    if len(got) != len(want):
        return (
            f"the code prints {len(got)} lines but the page shows"
            f" {len(want)} '# >' lines"
        )
    return ""


def test_first_difference_names_the_line() -> None:
    assert first_difference("a\nb\n", "a\nb\n") == ""
    assert first_difference("a\nb\n", "a\nc\n") == (
        "output line 2 is 'b' but the page shows 'c'"
        " (fix the '# >' line or the code)"
    )
    assert first_difference("a\n", "a\nb\n") == (
        "the code prints 1 lines but the page shows 2 '# >' lines"
    )


def test_expected_output_reads_marks() -> None:
    source = (
        "print(1)\n# > 1\nx = 2  # not output\n    # > indented\n# >\n"
        "#> old style\n# >not a mark\n"
    )
    assert expected_output(source) == "1\nindented\n\nold style\n"
