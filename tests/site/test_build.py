"""The strict builds succeed, print no warning and contain what they must."""

from __future__ import annotations

import zipfile
from pathlib import Path

from helpers import ROOT, Build
from make_zip import make_zip


def warnings_in(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line.startswith(("WARNING", "ERROR"))
    ]


def test_online_build_is_clean(online_build: Build) -> None:
    assert warnings_in(online_build.output) == []
    assert (online_build.site / "index.html").is_file()
    assert (online_build.site / "topics/time-semantics/index.html").is_file()


def test_offline_build_is_clean(offline_build: Build) -> None:
    assert warnings_in(offline_build.output) == []
    # The offline plugin turns directory URLs off so links work from disk.
    assert (offline_build.site / "topics/time-semantics.html").is_file()
    assert (offline_build.site / "search/search_index.js").is_file()


def test_vendored_assets_are_the_pinned_npm_files(online_build: Build) -> None:
    pairs = {
        "assets/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
        "assets/vendor/iframe-worker-shim.js": "iframe-worker/shim/index.js",
    }
    for built, source in pairs.items():
        assert (online_build.site / built).read_bytes() == (
            ROOT / "node_modules" / source
        ).read_bytes()


def test_offline_build_lists_local_shim_and_drops_instant(
    offline_build: Build, online_build: Build
) -> None:
    offline = (offline_build.site / "index.html").read_text(encoding="utf-8")
    online = (online_build.site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/vendor/iframe-worker-shim.js"' in offline
    assert "iframe-worker-shim" not in online
    assert '"navigation.instant"' in online
    assert '"navigation.instant"' not in offline


def test_api_reference_is_rendered(online_build: Build) -> None:
    html = (
        online_build.site / "reference/streamlab/windows/index.html"
    ).read_text(encoding="utf-8")
    assert 'id="streamlab.windows.tumbling"' in html
    assert "Return the tumbling window" in html


def test_every_streamlab_module_has_a_reference_page() -> None:
    # One page per module keeps each page small; the overview links them.
    modules = sorted(
        p.stem
        for p in (ROOT / "snippets/streamlab").glob("*.py")
        if p.stem != "__init__"
    )
    overview = (ROOT / "docs/reference/streamlab.md").read_text("utf-8")
    for module in modules:
        page = ROOT / f"docs/reference/streamlab/{module}.md"
        assert page.is_file(), f"{page}: missing (add `::: streamlab.{module}`)"
        assert f"::: streamlab.{module}\n" in page.read_text("utf-8")
        assert f"](streamlab/{module}.md)" in overview, module
    pages = sorted(p.stem for p in page.parent.glob("*.md"))
    assert pages == modules


def test_included_snippet_is_on_the_page(online_build: Build) -> None:
    html = (online_build.site / "topics/time-semantics/index.html").read_text(
        encoding="utf-8"
    )
    assert "by_event_time" in html
    # Section markers are stripped; the asserted output stays visible.
    assert "--8&lt;--" not in html and "[start:" not in html
    assert "# &gt; event time:      [3, 4, 1]" in html


def test_offline_zip_is_deterministic_and_complete(
    offline_build: Build, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    count = make_zip(offline_build.site, first)
    make_zip(offline_build.site, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_mode & 0o777 == 0o644
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
    assert len(names) == count
    assert "handbook/index.html" in names
    assert "handbook/search/search_index.js" in names
    assert all(name.startswith("handbook/") for name in names)


def test_make_zip_refuses_a_missing_build(tmp_path: Path) -> None:
    from make_zip import main

    target = tmp_path / "out.zip"
    assert main([str(tmp_path / "nothing"), str(target)]) == 1
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))
