"""Read the expected output written in a snippet file.

A snippet shows its printed output as ``# >`` comment lines right under the
code that prints it::

    print(count)
    # > 3

``expected_output`` collects those lines in file order; the test suite runs the
file and compares its standard output with them, so no output on a page is
pasted by hand. ``# >`` alone stands for an empty output line. ``#>`` is read
the same way; ``ruff format`` rewrites it to ``# >``.
"""

from __future__ import annotations

from pathlib import Path

MARKS = ("# >", "#>")


def expected_output(source: str) -> str:
    """Return the text the ``#>`` lines of ``source`` say will be printed."""
    lines = []
    for raw in source.splitlines():
        stripped = raw.strip()
        for mark in MARKS:
            if stripped == mark:
                lines.append("")
                break
            if stripped.startswith(mark + " "):
                lines.append(stripped[len(mark) + 1 :])
                break
    return "".join(line + "\n" for line in lines)


def snippet_files(root: Path) -> list[Path]:
    """Every runnable snippet below ``root`` (packages are imported)."""
    return sorted(
        p
        for p in root.rglob("*.py")
        if "streamlab" not in p.relative_to(root).parts
        and p.name != "__init__.py"
    )
