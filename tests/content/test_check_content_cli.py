"""The command line of check_content: output lines and exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from catalog import ROOT

SCRIPT = ROOT / "scripts" / "check_content.py"
FIXTURES = "tests/content/fixtures"
LINE = re.compile(r"^[^:\n]+:\d+: [^:\n]+: .+ \(.+\)$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_valid_pages_exit_0_with_an_ok_line() -> None:
    result = run(f"{FIXTURES}/valid")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "check_content: OK, 3 page(s) checked\n"


def test_a_bad_page_exits_1_with_its_line() -> None:
    page = f"{FIXTURES}/questions/bad-date.md"
    result = run(page)
    assert result.returncode == 1
    assert result.stdout == (
        f"{page}:12: last_reviewed: '2026-02-30' is not a real date (write"
        " YYYY-MM-DD)\n"
    )
    assert result.stderr == "check_content: 1 problem(s) in 1 file(s)\n"


def test_paths_are_shown_from_the_repository_root(tmp_path: Path) -> None:
    result = run(str(ROOT / FIXTURES / "questions/bad-date.md"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{FIXTURES}/questions/bad-date.md:12: ")


def test_a_missing_file_is_a_problem_not_a_traceback() -> None:
    result = run("no/such/page.md")
    assert result.returncode == 1
    assert (
        result.stdout
        == "no/such/page.md:1: file: no such file (check the path)\n"
    )
    assert "Traceback" not in result.stderr


def test_every_fixture_problem_is_one_well_formed_line() -> None:
    result = run(FIXTURES)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) >= 18
    assert all(LINE.match(line) for line in lines), lines
    assert "Traceback" not in result.stderr


def test_no_argument_checks_docs() -> None:
    result = run()
    lines = result.stdout.splitlines()
    if result.returncode == 0:
        assert len(lines) == 1 and lines[0].startswith("check_content: OK")
    else:
        assert result.returncode == 1
        assert lines and all(LINE.match(line) for line in lines), lines
        assert all(line.startswith("docs/") for line in lines)
