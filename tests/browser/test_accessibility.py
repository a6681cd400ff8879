"""axe-core finds no serious or critical violation on the site's key pages.

axe-core is the pinned npm package (package.json); it is injected into each
page by the test and never served by the site. The page is loaded in a
context that bypasses the Content-Security-Policy, which would rightly
refuse axe's injected script; the policy itself is tested in test_csp.py.
Each page is checked in the light and the dark colour scheme, once every
diagram on it has been drawn, with axe's default rules plus target-size
(WCAG 2.2, off by default in axe, on in Lighthouse). Moderate and minor
findings are not gates.

The fixes live in docs/assets/stylesheets/extra.css (contrast, underlined
links) and overrides/partials/search.html (the search dialog's name).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import pytest
from browsing import open_page, reveal_diagrams
from helpers import ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"
MATERIAL_TEMPLATES = (
    ROOT / ".venv/lib/python3.11/site-packages/material/templates"
)
GATED_IMPACTS = {"serious", "critical"}
MERMAID_BUNDLE = "assets/vendor/mermaid.min.js"

#: The pages every release must keep accessible: (id, path, draws diagrams).
PAGES = [
    pytest.param("", False, id="home"),
    pytest.param("questions/", False, id="question-index"),
    pytest.param("topics/time-semantics/", True, id="topic"),
    pytest.param(
        "questions/message-queue-vs-commit-log-for-ml-ingestion/",
        True,
        id="question-with-diagram",
    ),
    pytest.param("reference/streamlab/joins/", False, id="api-reference"),
    # The practice view: a question page with practice mode on (answers
    # folded behind Reveal buttons, difficulty hidden); see PRACTICE_ON.
    pytest.param(
        "questions/kinesis-vs-kafka-concepts/?practice", False, id="practice"
    ),
]
#: Turns practice mode on before the page's scripts run (practice.js).
PRACTICE_ON = """
localStorage.setItem(
  "handbook.practice", JSON.stringify({fold: true, hideDifficulty: true})
);
"""

RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"target-size": {enabled: true}},  // off by default; Lighthouse
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    count: v.nodes.length,
  }));
}
"""
DIAGRAMS_DRAWN = """
(count) => (window.__shadowRoots || [])
  .filter(root => root.querySelector("svg")).length >= count
"""


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def axe_page(
    browser: Any, scheme: str, page_requests: list[str]
) -> Iterator[Any]:
    with open_page(
        browser, page_requests, bypass_csp=True, color_scheme=scheme
    ) as opened:
        yield opened


def serious(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['impact']} {v['id']} ({v['help']}) x{v['count']}: "
        + ", ".join(v["targets"])
        for v in violations
        if v["impact"] in GATED_IMPACTS
    ]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "diagrams"), PAGES)
def test_no_serious_accessibility_violation(
    axe_page: Any,
    page_requests: list[str],
    site_url: str,
    scheme: str,
    path: str,
    diagrams: bool,
) -> None:
    if path.endswith("?practice"):
        path = path.removesuffix("?practice")
        axe_page.context.add_init_script(PRACTICE_ON)
        axe_page.goto(site_url + path, wait_until="networkidle")
        assert axe_page.locator(".hb-reveal").count() >= 5, "nothing folded"
    else:
        axe_page.goto(site_url + path, wait_until="networkidle")
    drawn = axe_page.locator(".mermaid").count()
    assert (drawn > 0) is diagrams, "PAGES says otherwise about diagrams"
    if diagrams:
        reveal_diagrams(axe_page)
        axe_page.wait_for_function(DIAGRAMS_DRAWN, arg=drawn)
    # The mermaid bundle is fetched by exactly the pages that draw.
    assert any(MERMAID_BUNDLE in url for url in page_requests) is diagrams
    axe_page.add_script_tag(path=str(AXE))
    scheme_in_use = axe_page.evaluate("document.body.dataset.mdColorScheme")
    assert scheme_in_use == {"light": "default", "dark": "slate"}[scheme]
    assert serious(axe_page.evaluate(RUN_AXE)) == []


@pytest.mark.browser
def test_axe_reports_a_serious_violation(axe_page: Any) -> None:
    """The gate can fail: a page with a nameless button and faint text."""
    axe_page.set_content(
        '<html lang="en"><title>t</title><main><button></button>'
        '<p style="color:#bbb;background:#fff">faint</p></main></html>'
    )
    axe_page.add_script_tag(path=str(AXE))
    found = serious(axe_page.evaluate(RUN_AXE))
    assert [line.split(" (")[0] for line in found] == [
        "critical button-name",
        "serious color-contrast",
    ]


def test_search_partial_differs_from_material_only_by_its_label() -> None:
    """overrides/partials/search.html is Material's partial plus one
    attribute; when Material changes its partial, this test says so."""
    ours = (ROOT / "overrides/partials/search.html").read_text("utf-8")
    stock = (MATERIAL_TEMPLATES / "partials/search.html").read_text("utf-8")
    changed = [
        line
        for line in difflib.unified_diff(
            stock.split("-#}\n", 1)[1].splitlines(),
            ours.split("-#}\n", 1)[1].splitlines(),
            lineterm="",
            n=0,
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        '-<div class="md-search" data-md-component="search" role="dialog">',
        '+<div class="md-search" data-md-component="search" role="dialog"'
        " aria-label=\"{{ lang.t('search') }}\">",
    ]
