"""Every question and topic page of docs/ passes the content checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog import DOCS, ROOT, load_catalog
from check_content import all_pages, check_all, check_paths

PAGES = all_pages(DOCS)


@pytest.mark.parametrize(
    "page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES]
)
def test_page_passes(page: Path) -> None:
    problems = [str(p) for p in check_paths([page])]
    assert problems == []


def test_docs_pass_as_a_whole() -> None:
    """Cross-page rules too: unique ids, no stray files, no index.md."""
    assert [str(p) for p in check_all(DOCS)] == []


def test_catalog_loads_every_page() -> None:
    catalog = load_catalog(DOCS)
    assert len(catalog.questions) + len(catalog.topics) == len(PAGES)
