"""The Content-Security-Policy (overrides/main.html) holds, and nothing
on the site breaks it.

Static: every page of both builds carries one policy in its <head>; the
script allowances are hashes only, and they are exactly the inline scripts
the page runs after the tag (the one script before it is Material's
``__md_scope`` set-up, see overrides/main.html).

In Chromium: every page of the online build without a diagram and the
first pages with one, instant navigation, search, and the offline build over
file:// (search runs in the iframe-worker shim there) are visited while
every ``securitypolicyviolation`` event and every console report of a
violation (from any frame) is recorded: there must be none. The same visit
checks that the mermaid bundle is fetched by exactly the pages that draw a
diagram (the page weight rule of test_page_weight.py).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from browsing import CAPTURE_SHADOW_ROOTS, reveal_diagrams
from helpers import Build

EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
BEFORE_POLICY = "__md_scope="  # Material's set-up script, see main.html
MERMAID_BUNDLE = "assets/vendor/mermaid.min.js"
DRAW_ON = 3  # pages with diagrams visited by the crawl

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI} in ${e.sourceFile}`
  );
});
"""
SVG_DRAWN = """
(count) => (window.__shadowRoots || [])
  .filter(root => root.querySelector("svg")).length >= count
"""
BUNDLE_REQUESTED = f"""
() => document.querySelector('script[src$="{MERMAID_BUNDLE}"]') !== null
"""


def sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class PolicyScanner(HTMLParser):
    """The page's CSP meta tags and its inline scripts, around the tag."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.policy_in_head = False
        self.in_head = False
        self.before: list[str] = []
        self.after: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "meta" and (
            found.get("http-equiv", "").lower() == "content-security-policy"
        ):
            self.policies.append(found.get("content", ""))
            self.policy_in_head = self.in_head
        elif (
            tag == "script"
            and "src" not in found
            and found.get("type", "").lower() in EXECUTABLE_TYPES
        ):
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            (self.after if self.policies else self.before).append(text)
            self._script = None


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def policy_problems(html: str) -> list[str]:
    """What is wrong with a page's policy, or [] if it holds."""
    scanned = PolicyScanner()
    scanned.feed(html)
    if len(scanned.policies) != 1 or not scanned.policy_in_head:
        return [f"{len(scanned.policies)} policies, in <head>: no"]
    policy = directives(scanned.policies[0])
    scripts = policy.get("script-src", [])
    problems = [
        f"script-src allows {word}"
        for word in scripts
        if word not in ("'self'",) and not word.startswith("'sha256-")
    ]
    if policy.get("default-src") != ["'none'"]:
        problems.append(f"default-src is {policy.get('default-src')}")
    problems += [
        f"inline script before the policy: {text[:40]}"
        for text in scanned.before
        if not text.startswith(BEFORE_POLICY)
    ]
    problems += [
        f"inline script without its hash {sha256(text)}: {text[:40]}"
        for text in scanned.after
        if sha256(text) not in scripts
    ]
    return problems


def page_policy(html: str) -> dict[str, list[str]]:
    scanned = PolicyScanner()
    scanned.feed(html)
    return directives(scanned.policies[0])


def used_hashes(site: Path) -> set[str]:
    used = set()
    for page in site.rglob("*.html"):
        scanned = PolicyScanner()
        scanned.feed(page.read_text(encoding="utf-8"))
        used |= {sha256(text) for text in scanned.after}
    return used


@pytest.mark.parametrize("which", ["online_build", "offline_build"])
def test_every_page_carries_the_policy(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which).site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    found = {
        str(page.relative_to(site)): policy_problems(
            page.read_text(encoding="utf-8")
        )
        for page in pages
    }
    assert {page: found for page, found in found.items() if found} == {}


def test_online_hashes_are_all_in_use(online_build: Build) -> None:
    policy = page_policy(
        (online_build.site / "index.html").read_text(encoding="utf-8")
    )
    hashes = {w for w in policy["script-src"] if w.startswith("'sha256-")}
    assert hashes == used_hashes(online_build.site), "stale hash in main.html"


def test_policy_check_catches_what_it_must() -> None:
    meta = ('<meta http-equiv="Content-Security-Policy" content="{}">').format
    ok = "default-src 'none'; script-src 'self' " + sha256("go()")
    assert (
        policy_problems(f"<head>{meta(ok)}</head><script>go()</script>") == []
    )
    assert policy_problems(
        "<head><script>evil()</script>"
        + meta(ok.replace("'self'", "'self' 'unsafe-inline'"))
        + '</head><script>x()</script><script type="application/json">'
        "{}</script>"
    ) == [
        "script-src allows 'unsafe-inline'",
        "inline script before the policy: evil()",
        f"inline script without its hash {sha256('x()')}: x()",
    ]
    assert policy_problems("<body>" + meta(ok) + "</body>") == [
        "1 policies, in <head>: no"
    ]
    assert policy_problems(
        "<head>" + meta("default-src 'self'") + "</head>"
    ) == ["default-src is [\"'self'\"]"]


# ---------------------------------------------------------------- browser


@pytest.fixture
def strict_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page that records every CSP violation, in any frame."""
    context = browser.new_context()
    context.add_init_script(CAPTURE_SHADOW_ROOTS)
    context.add_init_script(RECORD_VIOLATIONS)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    reports: list[str] = []
    opened.on(
        "console",
        lambda message: (
            reports.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened, reports
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def violations(page: Any, reports: list[str]) -> list[str]:
    events: list[str] = page.evaluate("window.__cspViolations || []")
    return events + reports


def draw(page: Any) -> int:
    """Wait until every diagram on the page is drawn; return their count."""
    count: int = page.locator(".mermaid").count()
    if count:
        reveal_diagrams(page)
        page.wait_for_function(SVG_DRAWN, arg=count)
    return count


def search(page: Any, query: str) -> None:
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item")


@pytest.mark.browser
def test_recorder_sees_a_violation(strict_page: tuple[Any, list[str]]) -> None:
    """The recording can fail: a page whose policy refuses its script."""
    page, reports = strict_page
    page.goto(
        "data:text/html,<meta http-equiv='Content-Security-Policy'"
        " content=\"script-src 'none'\"><script>1</script>"
    )
    # (wait_for_function would evaluate a string, which this policy
    # refuses too: poll from outside the page instead)
    for _ in range(50):
        found = violations(page, reports)
        if len(found) >= 2:
            break
        page.wait_for_timeout(100)
    assert any(v.startswith("script-src-elem blocked inline") for v in found)
    assert any("Content Security Policy" in v for v in found)


@pytest.mark.browser
def test_no_violation_on_online_pages(
    strict_page: tuple[Any, list[str]], online_build: Build, site_url: str
) -> None:
    """Every page without a diagram, and the first DRAW_ON pages with one
    (drawing is alike on every page; each takes a second on two cores)."""
    page, reports = strict_page
    found: dict[str, list[str]] = {}
    bundle_wrong: list[str] = []
    drawn = 0
    for file in sorted(online_build.site.rglob("*.html")):
        diagrams = 'class="mermaid"' in file.read_text(encoding="utf-8")
        if diagrams and drawn == DRAW_ON:
            continue
        path = file.relative_to(online_build.site).as_posix()
        page.goto(site_url + path.removesuffix("index.html"), wait_until="load")
        drawn += draw(page) > 0
        if page.evaluate(BUNDLE_REQUESTED) != diagrams:
            bundle_wrong.append(path)
        if problems := violations(page, reports):
            found[path] = problems
        reports.clear()
    assert drawn == DRAW_ON
    assert found == {}
    assert bundle_wrong == [], "mermaid bundle fetched iff the page draws"


@pytest.mark.browser
def test_no_violation_with_instant_navigation_and_search(
    strict_page: tuple[Any, list[str]], site_url: str
) -> None:
    page, reports = strict_page
    page.goto(site_url, wait_until="networkidle")
    page.click("article a[href$='topics/time-semantics/']")
    page.wait_for_url("**/topics/time-semantics/")
    draw(page)
    search(page, "watermark")
    assert violations(page, reports) == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["index.html", "topics/time-semantics.html"])
def test_no_violation_offline(
    strict_page: tuple[Any, list[str]], offline_root: Path, path: str
) -> None:
    page, reports = strict_page
    page.goto((offline_root / path).as_uri(), wait_until="load")
    draw(page)
    search(page, "watermark")
    assert violations(page, reports) == []
    # Search ran in the shim's iframe, whose inline script is allowed by
    # one of the offline hashes in overrides/main.html.
    shim = [frame for frame in page.frames if frame != page.main_frame]
    assert len(shim) == 1
    inline = shim[0].evaluate(
        "[...document.scripts].filter(s => !s.src).map(s => s.textContent)"
    )
    policy = page_policy(page.content())
    assert len(inline) == 1
    missing = [
        sha256(t) for t in inline if sha256(t) not in policy["script-src"]
    ]
    assert missing == [], "add this hash to overrides/main.html"
