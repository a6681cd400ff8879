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
FILES = snippet_files(SNIPPETS)


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
    assert out.getvalue() == expected_output(path.read_text(encoding="utf-8"))


def test_expected_output_reads_marks() -> None:
    source = (
        "print(1)\n# > 1\nx = 2  # not output\n    # > indented\n# >\n"
        "#> old style\n# >not a mark\n"
    )
    assert expected_output(source) == "1\nindented\n\nold style\n"
