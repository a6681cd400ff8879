"""Every diagram on the site is valid Mermaid for the pinned bundle.

Material draws a diagram only when its page is open, and a syntax error
shows up there as an error box. Visiting every page with a diagram would
load the 3.6 MB bundle dozens of times; instead, one page loads the site's
own bundle once and asks it to parse each diagram's source, taken from the
built pages. A failure names the page and the error.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import Build

pytestmark = pytest.mark.browser

DIAGRAM = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
PARSE_ALL = """
async (diagrams) => {
  const failures = [];
  for (const [where, text] of diagrams) {
    try {
      await window.mermaid.parse(text);
    } catch (error) {
      const lines = String(error.message || error).split("\\n");
      failures.push(`${where}: ${lines.slice(0, 3).join(" ")}`);
    }
  }
  return failures;
}
"""


def diagrams_of(site: Path) -> list[tuple[str, str]]:
    """(page and diagram number, Mermaid source) of every diagram built."""
    found = []
    for page in sorted(site.rglob("*.html")):
        where = page.relative_to(site).as_posix()
        if where.startswith("questions/print"):
            continue  # the same diagrams as the question pages
        text = page.read_text(encoding="utf-8")
        for number, source in enumerate(DIAGRAM.findall(text), start=1):
            found.append((f"{where} #{number}", html.unescape(source)))
    return found


def test_diagrams_are_found_in_the_pages() -> None:
    built = '<pre class="mermaid"><code>graph LR\n  A --&gt; B</code></pre>'
    assert DIAGRAM.findall(built) == ["graph LR\n  A --&gt; B"]


def test_every_diagram_parses(
    online_build: Build, site_url: str, page: Any
) -> None:
    diagrams = diagrams_of(online_build.site)
    assert len(diagrams) >= 40  # every system-design question has one
    page.goto(f"{site_url}404.html")
    page.add_script_tag(url=f"{site_url}assets/vendor/mermaid.min.js")
    # The bundle itself must reject a broken diagram, or the check is void.
    broken = [("broken", "sequenceDiagram\n  A->>B: one; two")]
    assert page.evaluate(PARSE_ALL, broken) != []
    assert page.evaluate(PARSE_ALL, diagrams) == []
