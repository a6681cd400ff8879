"""The site in a real browser: no outside requests, diagrams, offline zip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browsing import reveal_diagrams
from helpers import outside

pytestmark = pytest.mark.browser

DIAGRAM_PAGE = "topics/time-semantics/"
SVG_IN_SHADOW = """
() => (window.__shadowRoots || []).some(r => r.querySelector("svg"))
"""
MERMAID_BUNDLE = "assets/vendor/mermaid.min.js"


def test_pages_request_nothing_outside_the_site(
    page: Any, page_requests: list[str], site_url: str
) -> None:
    for path in ["", DIAGRAM_PAGE, "reference/streamlab/joins/"]:
        page.goto(site_url + path, wait_until="networkidle")
    # Instant navigation: follow an internal link by clicking it.
    page.goto(site_url, wait_until="networkidle")
    page.click("article a[href$='topics/time-semantics/']")
    reveal_diagrams(page)
    page.wait_for_function(SVG_IN_SHADOW)
    assert page_requests, "no requests were recorded"
    assert outside(page_requests, site_url) == []


PLACE_DIAGRAM = """
screens => {
  const diagram = document.querySelector(".mermaid");
  scrollBy(0, diagram.getBoundingClientRect().top - screens * innerHeight);
  return diagram.getBoundingClientRect().top / innerHeight;
}
"""


def place_first_diagram(page: Any, screens: float) -> float:
    """Scroll until the page's first diagram starts ``screens`` viewport
    heights below the top of the viewport (blocks drawn on the way may move
    it: place it again until it stays); return where it is."""
    depth = 0.0
    for _ in range(5):
        depth = float(page.evaluate(PLACE_DIAGRAM, screens))
        page.wait_for_timeout(200)
        if abs(depth - screens) < 0.02:
            break
    return depth


def test_diagram_renders_and_bundle_loads_only_when_needed(
    page: Any, page_requests: list[str], site_url: str
) -> None:
    page.goto(site_url, wait_until="networkidle")
    assert not any(MERMAID_BUNDLE in url for url in page_requests)
    # A short screen: the page's first diagram is more than two screens
    # down, so nothing is fetched until the reader scrolls near it.
    page.set_viewport_size({"width": 800, "height": 400})
    page.goto(site_url + DIAGRAM_PAGE, wait_until="networkidle")
    depth = page.evaluate(
        "document.querySelector('.mermaid').getBoundingClientRect().top"
        " / innerHeight"
    )
    assert depth > 2, f"first diagram only {depth:.1f} screens down"
    page.wait_for_timeout(500)
    assert not any(MERMAID_BUNDLE in url for url in page_requests)
    # Half a screen below the viewport: still nothing (a quarter is near).
    assert place_first_diagram(page, 1.5) > 1.3
    page.wait_for_timeout(500)
    assert not any(MERMAID_BUNDLE in url for url in page_requests)
    # A tenth of a screen below it: fetched and drawn.
    place_first_diagram(page, 1.1)
    page.wait_for_function(SVG_IN_SHADOW)
    assert any(MERMAID_BUNDLE in url for url in page_requests)
    text = page.evaluate(
        "() => window.__shadowRoots.map(r => r.textContent).join(' ')"
    )
    assert "Streaming job" in text


def search(page: Any, query: str) -> str:
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item")
    return str(page.inner_text(".md-search-result"))


def test_search_finds_a_page(page: Any, site_url: str) -> None:
    page.goto(site_url, wait_until="networkidle")
    assert "Event time and processing time" in search(page, "watermark")


def test_offline_zip_works_from_disk(
    page: Any, page_requests: list[str], offline_root: Path
) -> None:
    index = offline_root / "index.html"
    page.goto(index.as_uri(), wait_until="load")
    assert "Event time and processing time" in search(page, "watermark")
    page.goto((offline_root / "topics/time-semantics.html").as_uri())
    reveal_diagrams(page)
    page.wait_for_function(SVG_IN_SHADOW)
    assert outside(page_requests, offline_root.parent.as_uri()) == []
