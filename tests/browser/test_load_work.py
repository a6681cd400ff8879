"""What keeps page loads light on a phone, and what it must not break.

* Code blocks skip style and layout while off screen (content-visibility,
  extra.css): anchors to headings and to code lines still land, find in
  page still reaches them, printing draws them all.
* The question index keeps room for its filter bar and practice toolbar
  until its scripts show them, so the table does not move (layout shift);
  without JavaScript the bar takes no room; its table looks like every other
  table whether or not Material wraps it at load.
* The Lighthouse bench's practice view: a profile seeded with the reader's
  setting (scripts/bench_lighthouse.py) opens a question in practice mode.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bench_lighthouse
import pytest
from browsing import open_page
from helpers import ROOT

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 412, "height": 823},
    "is_mobile": True,
    "has_touch": True,
}
CODE_PAGE = "questions/message-queue-vs-commit-log-for-ml-ingestion/"
#: Code blocks of the page that are shown (not in a closed <details> nor
#: in a tab not selected).
CODE = """
[...document.querySelectorAll(".highlight > pre > code")]
  .filter(el => el.parentElement.checkVisibility())
"""
#: How many of them are skipped (content-visibility: auto, off screen):
#: the code element is drawn, what it holds is not.
SKIPPED = f"""
() => {CODE}.filter(
  el => !el.firstElementChild.checkVisibility({{contentVisibilityAuto: true}})
).length
"""
IN_VIEW = """
id => {
  const el = document.getElementById(id);
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= innerHeight
    && el.checkVisibility({contentVisibilityAuto: true});
}
"""


@pytest.fixture
def code_page(browser: Any, site_url: str) -> Iterator[Any]:
    """CODE_PAGE opened on a phone-sized screen, loaded."""
    with open_page(browser, [], **PHONE) as page:
        page.goto(site_url + CODE_PAGE, wait_until="networkidle")
        yield page


def test_code_off_screen_is_skipped_until_near(code_page: Any) -> None:
    total = code_page.evaluate(f"{CODE}.length")
    assert total >= 8
    skipped = code_page.evaluate(SKIPPED)
    assert skipped > 0, "code below the first screen is skipped"
    code_page.evaluate(f"{CODE}.at(-1).scrollIntoView()")
    code_page.wait_for_timeout(300)
    assert code_page.evaluate(SKIPPED) < skipped
    assert code_page.evaluate(
        f"{CODE}.at(-1).firstElementChild"
        ".checkVisibility({contentVisibilityAuto: true})"
    ), "code on screen is drawn"


def test_anchors_land_past_skipped_code(code_page: Any, site_url: str) -> None:
    headings: list[str] = code_page.evaluate(
        "[...document.querySelectorAll('article h2[id]')].map(h => h.id)"
    )
    lines: list[str] = code_page.evaluate(
        f"{CODE}.flatMap(code => [...code.querySelectorAll("
        "'[id^=__codelineno-]')].map(a => a.id))"
    )
    # The last section and a line of the last code block: every code
    # block above them is still skipped when the page opens there.
    for target in (headings[-1], lines[-3]):
        code_page.goto(f"{site_url}{CODE_PAGE}#{target}")
        code_page.wait_for_load_state("networkidle")
        code_page.wait_for_timeout(300)
        assert code_page.evaluate(IN_VIEW, target), target


def test_find_in_page_and_print_reach_skipped_code(code_page: Any) -> None:
    last = code_page.evaluate_handle(f"{CODE}.at(-1)")
    assert not last.evaluate(
        "el => el.firstElementChild"
        ".checkVisibility({contentVisibilityAuto: true})"
    )
    # Skipped content stays in the document for search and copying.
    assert len(last.evaluate("el => el.textContent")) > 20
    code_page.emulate_media(media="print")
    assert (
        last.evaluate("el => getComputedStyle(el).contentVisibility")
        == "visible"
    )


TABLE_TOP = """
() => document.getElementById("question-index").getBoundingClientRect().top
"""


@pytest.mark.parametrize(
    "viewport", [(412, 823), (1280, 720)], ids=["phone", "desktop"]
)
def test_index_keeps_room_for_its_bars(
    browser: Any, site_url: str, viewport: tuple[int, int]
) -> None:
    width, height = viewport
    with open_page(
        browser, [], viewport={"width": width, "height": height}
    ) as page:
        page.goto(site_url + "questions/", wait_until="networkidle")
        shown = page.evaluate(TABLE_TOP)
        assert page.locator("#question-filters").is_visible()
        assert page.locator("#question-filters + .hb-practice").count() == 1
        # As first drawn, before the scripts: bar hidden, no toolbar.
        page.evaluate(
            "document.querySelector('.hb-practice').remove();"
            "document.getElementById('question-filters').hidden = true"
        )
        assert page.evaluate(TABLE_TOP) == shown


def test_index_without_javascript_has_no_empty_bar(
    browser: Any, site_url: str
) -> None:
    with open_page(browser, [], java_script_enabled=False) as page:
        page.goto(site_url + "questions/")
        assert (
            page.evaluate(
                "getComputedStyle(document.getElementById('question-filters'))"
                ".display"
            )
            == "none"
        )
        assert page.locator("#question-index tbody tr").count() > 10


TABLE_LOOK = """
table => {
  const cell = table.querySelector("td"), head = table.querySelector("th");
  const pick = (el, names) => names.map(n => getComputedStyle(el)[n]);
  return [
    pick(table, ["display", "fontSize", "borderTopWidth", "borderRadius",
                 "overflowX", "backgroundColor"]),
    pick(head, ["paddingLeft", "fontWeight", "verticalAlign", "minWidth"]),
    pick(cell, ["paddingTop", "borderTopWidth", "verticalAlign",
                "textAlign"]),
    [table.parentElement.className,
     table.parentElement.parentElement.className],
  ];
}
"""


def test_index_table_looks_like_other_tables(page: Any, site_url: str) -> None:
    page.goto(site_url + "questions/kinesis-vs-kafka-concepts/")
    other = page.locator("article table").first.evaluate(TABLE_LOOK)
    page.goto(site_url + "questions/", wait_until="networkidle")
    index = page.locator("#question-index").evaluate(TABLE_LOOK)
    assert index == other
    assert page.locator(".md-typeset__scrollwrap #question-index").count() == 1


def test_bench_profile_opens_the_practice_view(
    browser: Any, site_url: str, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium is not None
    path = "questions/kinesis-vs-kafka-concepts/?practice"
    profile = tmp_path / "profile"
    # The bench seeds its profiles with Playwright of its own: here in a
    # process of its own, beside this session's.
    seed = (
        "import sys, json, bench_lighthouse as b;"
        "b.seed_profile(*sys.argv[1:3], json.loads(sys.argv[3]), sys.argv[4])"
    )
    storage = json.dumps(bench_lighthouse.STORAGE[path])
    subprocess.run(
        [sys.executable, "-c", seed, str(profile), site_url, storage, chromium],
        env=dict(os.environ, PYTHONPATH=str(ROOT / "scripts")),
        check=True,
        timeout=120,
    )
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=chromium,
        headless=True,
        args=["--no-sandbox"],
    )
    try:
        page = context.new_page()
        page.goto(site_url + path, wait_until="networkidle")
        assert page.is_checked("#practice-fold")
        assert page.locator(".hb-fold[hidden]").count() >= 3
        assert page.evaluate(
            "document.documentElement.classList.contains('hb-hide-difficulty')"
        )
    finally:
        context.close()


#: The page's layout shifts so far (none: [] after a short wait).
SHIFTS = """
() => new Promise(resolve => {
  const found = [];
  new PerformanceObserver(list => {
    found.push(...list.getEntries().map(e => e.value));
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(found), 500);
})
"""


@pytest.mark.parametrize(
    "viewport", [(412, 823), (1350, 940)], ids=["phone", "desktop"]
)
def test_practice_view_folds_before_it_is_shown(
    browser: Any, site_url: str, viewport: tuple[int, int]
) -> None:
    """With practice mode remembered, the answers are not drawn unfolded
    first: nothing on the page moves while it loads (layout shift)."""
    width, height = viewport
    with open_page(
        browser, [], viewport={"width": width, "height": height}
    ) as page:
        page.add_init_script(
            'localStorage.setItem("handbook.practice",'
            " JSON.stringify({fold: true, hideDifficulty: true}));"
        )
        page.goto(
            site_url + "questions/kinesis-vs-kafka-concepts/",
            wait_until="networkidle",
        )
        page.wait_for_timeout(1000)
        assert page.locator(".hb-fold[hidden]").count() >= 3
        assert not page.evaluate(
            "document.documentElement.classList.contains('hb-folding')"
        )
        assert page.locator("h2#explanation").is_visible()
        assert sum(page.evaluate(SHIFTS)) < 0.005
