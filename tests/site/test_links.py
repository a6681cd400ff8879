"""Every local link and resource in the built site resolves, anchors included.

For every HTML page of the online and the offline build: each ``href``
(``a``, ``area``, ``link``), ``src``, ``poster`` and ``srcset`` entry that
stays on the site is resolved against the page, the file it names must
exist (a folder URL means its ``index.html``), and a ``#fragment`` must be
the ``id`` (or an ``a`` element's ``name``) of an element of the target
page, or of the page itself for ``#fragment`` alone. Links to other hosts,
``mailto:``, ``data:`` and the like are the business of
``make check-external-links``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import Build

URL_ATTRS = {"href", "src", "poster"}
HREF_TAGS = {"a", "area", "link"}


class PageScanner(HTMLParser):
    """Collect the URLs a page points at and the anchors it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in URL_ATTRS and (name != "href" or tag in HREF_TAGS):
                self.urls.append(value.strip())
            elif name == "srcset":
                self.urls += [
                    part.split()[0] for part in value.split(",") if part.strip()
                ]


def scan(html: str) -> PageScanner:
    scanner = PageScanner()
    scanner.feed(html)
    scanner.close()
    return scanner


def is_local(url: str) -> bool:
    """Tell whether ``url`` stays on the site (no scheme, no host)."""
    split = urlsplit(url)
    return not split.scheme and not split.netloc and not url.startswith("//")


@dataclass(frozen=True)
class Target:
    """Where a local URL leads: a path below the site root and a fragment."""

    path: str | None  # None: the URL climbs above the site root
    fragment: str


def resolve(page: str, url: str) -> Target:
    """Resolve ``url`` found on ``page`` (both relative to the site root).

    An absolute path starts at the site root; a folder URL ends in
    ``index.html``; an empty path is the page itself.
    """
    split = urlsplit(url)
    fragment = unquote(split.fragment)
    if not split.path:
        return Target(page, fragment)
    if split.path.startswith("/"):
        parts: list[str] = []
    else:
        parts = page.split("/")[:-1]
    for segment in unquote(split.path).split("/"):
        if segment == "..":
            if not parts:
                return Target(None, fragment)
            parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    path = "/".join(parts)
    if split.path.endswith("/") or not parts:
        path = f"{path}/index.html".lstrip("/")
    return Target(path, fragment)


class Site:
    """A built site on disk, with each page's anchors read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._anchors: dict[str, set[str]] = {}

    def anchors(self, path: str) -> set[str]:
        if path not in self._anchors:
            html = (self.root / path).read_text(encoding="utf-8")
            self._anchors[path] = scan(html).anchors
        return self._anchors[path]

    def problem(self, page: str, url: str) -> str | None:
        """Why ``url`` on ``page`` does not resolve, or ``None``."""
        target = resolve(page, url)
        if target.path is None:
            return "leads above the site root"
        path = target.path
        if (self.root / path).is_dir():
            path = f"{path}/index.html"
        if not (self.root / path).is_file():
            return f"no file {path}"
        if (
            target.fragment
            and path.endswith(".html")
            and target.fragment not in self.anchors(path)
        ):
            return f"no anchor #{target.fragment} in {path}"
        return None


def broken_links(root: Path) -> list[str]:
    """Every local URL of every page under ``root`` that does not resolve."""
    site = Site(root)
    found = []
    for file in sorted(root.rglob("*.html")):
        page = file.relative_to(root).as_posix()
        for url in scan(file.read_text(encoding="utf-8")).urls:
            if not url or not is_local(url):
                continue
            problem = site.problem(page, url)
            if problem is not None:
                found.append(f"{page}: {url} ({problem})")
    return found


def local_urls(root: Path) -> list[str]:
    return [
        url
        for file in root.rglob("*.html")
        for url in scan(file.read_text(encoding="utf-8")).urls
        if url and is_local(url)
    ]


#: (build, broken link as reported) -> why it is allowed. An allowance that
#: no longer matches anything fails the test, so the list cannot go stale.
ALLOWED: dict[tuple[str, str], str] = {
    (
        "online",
        "index.html: downloads/handbook-offline.zip"
        " (no file downloads/handbook-offline.zip)",
    ): "scripts/make_zip.py writes the zip into site/ after the build"
    " (make site)",
}


@pytest.fixture(
    params=["online_build", "offline_build"], ids=["online", "offline"]
)
def build(request: pytest.FixtureRequest) -> tuple[str, Build]:
    built: Build = request.getfixturevalue(request.param)
    return request.param.removesuffix("_build"), built


def test_every_local_link_and_anchor_resolves(build: tuple[str, Build]) -> None:
    name, built = build
    urls = local_urls(built.site)
    # The scan sees the links, same-page anchors (tables of contents) too.
    assert len(urls) > 500
    assert sum(url.startswith("#") for url in urls) > 100
    broken = broken_links(built.site)
    allowed = {link for kind, link in ALLOWED if kind == name}
    assert [link for link in broken if link not in allowed] == []
    assert allowed <= set(broken), "stale allowance in ALLOWED"


def test_resolve() -> None:
    assert resolve("a/b/index.html", "../c/") == Target("a/c/index.html", "")
    assert resolve("a/b/index.html", "") == Target("a/b/index.html", "")
    assert resolve("a/index.html", "#x%20y") == Target("a/index.html", "x y")
    assert resolve("a/index.html", "/s.css?v=1") == Target("s.css", "")
    assert resolve("a/index.html", "..") == Target("index.html", "")
    assert resolve("a/index.html", "../..") == Target(None, "")
    assert resolve("p.html", "q.html#top") == Target("q.html", "top")
    assert resolve("a/p.html", "./b%20c.html") == Target("a/b c.html", "")


def test_checker_finds_every_kind_of_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "img.png").write_bytes(b"")
    (tmp_path / "style.css").write_text("", encoding="utf-8")
    (tmp_path / "a/index.html").write_text(
        '<h2 id="sec">S</h2><a name="old"></a>', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="a/">fine</a> <a href="a">folder</a>'
        ' <a href="a/#sec">anchor</a> <a href="a/index.html#old">name</a>'
        ' <a href="#top">self</a> <a href="https://example.org/#x">out</a>'
        ' <a href="mailto:x@example.org">mail</a>'
        '<link rel="stylesheet" href="style.css?v=1">'
        '<img src="img.png" srcset="img.png 1x, gone.png 2x">'
        ' <a href="a/#nope">bad anchor</a> <a href="missing.html">missing</a>'
        ' <a href="#gone">bad self</a> <a href="../up.html">escape</a>'
        '<script src="js/app.js"></script></p>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == [
        "index.html: gone.png (no file gone.png)",
        "index.html: a/#nope (no anchor #nope in a/index.html)",
        "index.html: missing.html (no file missing.html)",
        "index.html: #gone (no anchor #gone in index.html)",
        "index.html: ../up.html (leads above the site root)",
        "index.html: js/app.js (no file js/app.js)",
    ]
