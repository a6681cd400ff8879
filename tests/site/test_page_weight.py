"""Page weight: the JS and CSS every page references, against Material's own.

Material's baseline is the same ``mkdocs.yml`` built over the same pages
without what the handbook adds: no ``extra_css``, no ``extra_javascript``,
no hooks (theme, palette, features, plugins and Markdown extensions stay).
For every page, the bytes of the scripts and of the stylesheets it
references must each stay within ``BUDGET`` of the baseline page's.

The mermaid bundle is not referenced by any page: the stand-in
``assets/javascripts/mermaid-loader.js`` (1.6 KB with its code-block part)
fetches it when Material draws the first diagram. The tests below check
that nothing else names it; the browser tests check that no page without a
diagram fetches it
(test_csp.py visits every such page, and three pages with diagrams, which
must fetch it; test_accessibility.py the key pages).
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import ROOT, Build

BUDGET = 1.10
MERMAID_BUNDLE = "assets/vendor/mermaid.min.js"
MERMAID_LOADER = "assets/javascripts/mermaid-loader.js"

BASELINE_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

build(load_config(
    config_file="mkdocs.yml", site_dir=sys.argv[1], strict=False,
    extra_css=[], extra_javascript=[], hooks=[],
))
"""


class AssetScanner(HTMLParser):
    """The scripts and stylesheets a page references, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        found = {name: value or "" for name, value in attrs}
        rels = set(found.get("rel", "").lower().split())
        if tag == "script" and found.get("src"):
            self.scripts.append(found["src"])
        elif tag == "link" and "stylesheet" in rels:
            self.styles.append(found.get("href", ""))
        elif tag == "link" and rels & {"preload", "modulepreload"}:
            self.scripts.append(found.get("href", ""))


def assets_of(html: str) -> AssetScanner:
    scanner = AssetScanner()
    scanner.feed(html)
    return scanner


def asset_path(page: str, url: str) -> str:
    """The site path of ``url`` referenced by ``page`` (site-relative)."""
    url = url.split("#")[0].split("?")[0]
    if url.startswith("/"):
        return url.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url))


def weight(site: Path, page: str) -> tuple[int, int]:
    """Bytes of the (scripts, stylesheets) that ``page`` references."""
    found = assets_of((site / page).read_text(encoding="utf-8"))
    return (
        sum((site / asset_path(page, u)).stat().st_size for u in found.scripts),
        sum((site / asset_path(page, u)).stat().st_size for u in found.styles),
    )


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("material-baseline") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    result = subprocess.run(
        [sys.executable, "-c", BASELINE_BUILD, str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"baseline build failed:\n{result.stderr}", pytrace=False)
    return site


def over_budget(site: Path, baseline: Path, kind: str) -> list[str]:
    """Pages whose scripts (``kind`` "JS") or stylesheets ("CSS") exceed
    the baseline's by more than ``BUDGET``, with the figures."""
    index = ("JS", "CSS").index(kind)
    fallback = weight(baseline, "index.html")
    found = []
    for page in pages_of(site):
        base = (
            weight(baseline, page) if (baseline / page).is_file() else fallback
        )
        ours, theirs = weight(site, page)[index], base[index]
        if ours > BUDGET * theirs:
            found.append(
                f"{page}: {kind} {ours} bytes, Material's {theirs}"
                f" (x{ours / theirs:.3f} > x{BUDGET})"
            )
    return found


def test_css_stays_within_budget_of_material(
    online_build: Build, baseline: Path
) -> None:
    assert len(pages_of(online_build.site)) >= 10
    assert over_budget(online_build.site, baseline, "CSS") == []


def test_js_stays_within_budget_of_material(
    online_build: Build, baseline: Path
) -> None:
    # The handbook's scripts are served minified (scripts/hooks/assets.py).
    assert over_budget(online_build.site, baseline, "JS") == []


def test_own_scripts_are_served_minified(online_build: Build) -> None:
    for source in sorted((ROOT / "docs/assets/javascripts").glob("*.js")):
        served = online_build.site / "assets/javascripts" / source.name
        text = served.read_text(encoding="utf-8")
        assert len(text) < 0.8 * source.stat().st_size, source.name
        assert "/*" not in text and "\n  " not in text, source.name


def test_budget_check_catches_a_heavy_page(tmp_path: Path) -> None:
    for name, scripts in (("base", 100), ("ours", 111)):
        site = tmp_path / name
        (site / "a").mkdir(parents=True)
        (site / "a/app.js").write_bytes(b"x" * scripts)
        (site / "style.css").write_bytes(b"y" * 50)
        (site / "a/index.html").write_text(
            '<script src="app.js"></script>'
            "<link rel=stylesheet href=/style.css>",
            encoding="utf-8",
        )
        (site / "index.html").write_text(
            '<script src="a/app.js?v=1"></script>', encoding="utf-8"
        )
    assert weight(tmp_path / "ours", "a/index.html") == (111, 50)
    assert over_budget(tmp_path / "ours", tmp_path / "base", "JS") == [
        "a/index.html: JS 111 bytes, Material's 100 (x1.110 > x1.1)",
        "index.html: JS 111 bytes, Material's 100 (x1.110 > x1.1)",
    ]
    assert over_budget(tmp_path / "ours", tmp_path / "base", "CSS") == []


@pytest.mark.parametrize("which", ["online_build", "offline_build"])
def test_no_page_references_the_mermaid_bundle(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which).site
    referencing = [
        page
        for page in pages_of(site)
        if any(
            asset_path(page, url) == MERMAID_BUNDLE
            for url in assets_of(
                (site / page).read_text(encoding="utf-8")
            ).scripts
        )
        or "mermaid.min.js" in (site / page).read_text(encoding="utf-8")
    ]
    assert referencing == []


def test_only_the_loader_names_the_local_bundle(online_build: Build) -> None:
    site = online_build.site
    naming = [
        script.relative_to(site).as_posix()
        for script in sorted(site.rglob("*.js"))
        if script.name != "mermaid.min.js"
        and "vendor/mermaid.min.js" in script.read_text(encoding="utf-8")
    ]
    assert naming == [MERMAID_LOADER]
