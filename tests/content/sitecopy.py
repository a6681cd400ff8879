"""A throwaway copy of the repository with synthetic pages, to build.

The real docs/ is being written by many people at once; the build tests of
the catalog use a copy of the code (scripts/, snippets/, mkdocs.yml, the
site's assets and the catalog format page) with the valid fixture pages as
their only questions and topics. Imported as ``sitecopy`` by the tests of
this folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "content" / "fixtures"
VALID = FIXTURES / "valid"
HOME = "# Home\n\nThe handbook in numbers:\n\n<!-- catalog:counts -->\n"


def make_site_copy(dest: Path) -> Path:
    """Copy the code and assets to ``dest``; add the valid fixture pages."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("scripts", "snippets", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    reference = dest / "docs" / "reference"
    reference.mkdir(parents=True)
    shutil.copy2(ROOT / "docs/reference/catalog-format.md", reference)
    shutil.copytree(
        FIXTURES / "snippets", dest / "tests/content/fixtures/snippets"
    )
    for kind in ("questions", "topics"):
        shutil.copytree(VALID / kind, dest / "docs" / kind)
    (dest / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def run(
    root: Path, *args: str, offline: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` in ``root`` (e.g. ``-m mkdocs build``)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    if offline:
        env["OFFLINE"] = "true"
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def build(
    root: Path, site: Path, *, offline: bool = False
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the copy at ``root`` into ``site``."""
    return run(
        root,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        str(site),
        offline=offline,
    )
