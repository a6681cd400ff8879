"""Nothing in the built site is fetched from outside the site.

HTML: every attribute a browser loads from (script, stylesheet, preload,
icon, manifest, image, srcset, iframe, media, object, inline style url()).
CSS: url() and @import. JS: absolute URLs of loadable resources (scripts,
styles, fonts, images, API endpoints). Third-party bundles contain a few such
URLs in code paths this site never takes; each is allowed below with the
reason, and an allowance that no longer matches anything fails the test, so
the list cannot go stale. The browser tests prove the same at run time.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import Build

LOADING_LINK_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")  # url() form: CSS_URL
JS_RESOURCE = re.compile(
    r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}/[^\s"'`)]*"""
    r"""(?:\.(?:m?js|css|woff2?|ttf|otf|png|jpe?g|gif|svg|webp|json)\b"""
    r"""|/shim\b)"""
    r"""|https?://(?:fonts\.googleapis\.com|fonts\.gstatic\.com"""
    r"""|api\.github\.com|unpkg\.com|cdn\.jsdelivr\.net"""
    r"""|cdnjs\.cloudflare\.com)[^\s"'`)]*"""
)

#: (file name pattern, URL prefix) -> why the URL is never fetched here.
JS_ALLOWED: dict[tuple[str, str], str] = {
    (
        "bundle.*.min.js",
        "https://unpkg.com/mermaid@",
    ): "Material loads it only when no global `mermaid` exists; "
    "assets/javascripts/mermaid-loader.js defines one on every page",
    (
        "bundle.*.min.js",
        "https://unpkg.com/resize-observer-polyfill",
    ): "Material loads it only in browsers without ResizeObserver",
    (
        "bundle.*.min.js",
        "https://api.github.com/",
    ): "Material asks GitHub for star counts only when repo_url points at "
    "GitHub; the handbook sets no such repo_url",
    (
        "lunr/*.js",
        "https://github.com/",
    ): "links to source code inside comments of lunr's language plugins",
}


def is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


class LoadScanner(HTMLParser):
    """Collect every URL an HTML page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "link":
            rels = set(found.get("rel", "").lower().split())
            if rels & LOADING_LINK_RELS:
                self.loads.append(found.get("href", ""))
        for name in ("src", "poster", "data"):
            if name in found and tag != "a":
                self.loads.append(found[name])
        if "srcset" in found:
            self.loads += [
                part.split()[0] for part in found["srcset"].split(",") if part
            ]
        if "style" in found:
            self.loads += CSS_URL.findall(found["style"])
        if tag == "meta" and found.get("http-equiv", "").lower() == "refresh":
            self.loads.append(found.get("content", "").partition("url=")[2])

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style":
            self.loads += CSS_URL.findall(data) + CSS_IMPORT.findall(data)


def external_loads_in_html(html: str) -> list[str]:
    scanner = LoadScanner()
    scanner.feed(html)
    return [url for url in scanner.loads if is_external(url)]


def external_loads_in_css(css: str) -> list[str]:
    urls = CSS_URL.findall(css) + CSS_IMPORT.findall(css)
    return [url for url in urls if is_external(url)]


def js_resources(js: str) -> list[str]:
    return JS_RESOURCE.findall(js)


def allowed(path: Path, url: str) -> tuple[str, str] | None:
    for pattern, prefix in JS_ALLOWED:
        if path.match(pattern) and url.startswith(prefix):
            return (pattern, prefix)
    return None


@pytest.fixture(
    params=["online_build", "offline_build"], ids=["online", "offline"]
)
def build(request: pytest.FixtureRequest) -> Build:
    built: Build = request.getfixturevalue(request.param)
    return built


def test_html_loads_nothing_external(build: Build) -> None:
    pages = sorted(build.site.rglob("*.html"))
    assert len(pages) >= 3
    found = {
        str(page.relative_to(build.site)): external_loads_in_html(
            page.read_text(encoding="utf-8")
        )
        for page in pages
    }
    assert {page: urls for page, urls in found.items() if urls} == {}


def test_css_loads_nothing_external(build: Build) -> None:
    sheets = sorted(build.site.rglob("*.css"))
    assert sheets
    found = {
        str(s.relative_to(build.site)): external_loads_in_css(
            s.read_text(encoding="utf-8")
        )
        for s in sheets
    }
    assert {sheet: urls for sheet, urls in found.items() if urls} == {}


def test_js_references_only_allowed_unused_urls(build: Build) -> None:
    unexplained: dict[str, list[str]] = {}
    used: set[tuple[str, str]] = set()
    for script in sorted(build.site.rglob("*.js")):
        if script.name == "mermaid.min.js":
            continue  # checked separately below
        for url in js_resources(script.read_text(encoding="utf-8")):
            key = allowed(script, url)
            if key is None:
                unexplained.setdefault(str(script), []).append(url)
            else:
                used.add(key)
    assert unexplained == {}
    assert used == set(JS_ALLOWED), "stale allowance in JS_ALLOWED"


def test_mermaid_bundle_fetches_nothing(build: Build) -> None:
    bundle = (build.site / "assets/vendor/mermaid.min.js").read_text(
        encoding="utf-8"
    )
    # What remains are links to source files inside license comments.
    loads = [
        url
        for url in js_resources(bundle)
        if not url.startswith("https://github.com/")
    ]
    assert loads == []


def test_scanner_finds_what_it_must() -> None:
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="canonical" href="https://example.org/">'
        '<script src="//cdn.example/x.js"></script>'
        '<img srcset="a.png 1x, https://img.example/b.png 2x">'
        '<a href="https://example.org/">a link is not a load</a>'
        "<style>@import url('https://fonts.example/f.css');</style>"
        '<div style="background:url(https://img.example/c.png)"></div>'
        '<script src="assets/local.js"></script>'
    )
    assert external_loads_in_html(html) == [
        "https://cdn.example/x.css",
        "//cdn.example/x.js",
        "https://img.example/b.png",
        "https://fonts.example/f.css",
        "https://img.example/c.png",
    ]
    assert external_loads_in_css("a{background:url(//x.example/a.png)}") == [
        "//x.example/a.png"
    ]
    assert js_resources('load("https://cdn.example/lib.min.js")') == [
        "https://cdn.example/lib.min.js"
    ]
