"""The assets hook's minifier: terser's output, cached, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT
from hooks import assets
from mkdocs.exceptions import PluginError

NODE_MODULES = ROOT / "node_modules"
SOURCE = """function add(first, second) {
  // a comment
  return first + second;
}
window.add = add;
"""


def copy_of_terser(tmp_path: Path) -> Path:
    """The installed packages (linked), with an empty cache of its own."""
    node_modules = tmp_path / "node_modules"
    node_modules.mkdir()
    for entry in NODE_MODULES.iterdir():
        if entry.name != ".cache":
            (node_modules / entry.name).symlink_to(entry)
    return node_modules


def test_minify_compresses_and_caches(tmp_path: Path) -> None:
    node_modules = copy_of_terser(tmp_path)
    small = assets.minify(SOURCE, node_modules)
    assert "comment" not in small and "first" not in small
    assert small == "function add(d,n){return d+n}window.add=add;\n"
    cached = list((node_modules / assets.CACHE).glob("*.js"))
    assert [p.read_text(encoding="utf-8") for p in cached] == [small]
    # A cached result is used as it is: terser does not run again.
    cached[0].write_text("/* from the cache */", encoding="utf-8")
    assert assets.minify(SOURCE, node_modules) == "/* from the cache */"


def test_minify_names_the_fix_when_terser_is_missing(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"terser missing \(run `make setup`"):
        assets.minify(SOURCE, tmp_path)


def test_minify_reports_a_syntax_error(tmp_path: Path) -> None:
    node_modules = copy_of_terser(tmp_path)
    with pytest.raises(PluginError) as error:
        assets.minify("x = 1;\nfunction (", node_modules, "docs/a.js")
    assert str(error.value).splitlines()[:2] == [
        "docs/a.js: terser cannot minify it (fix the JavaScript):",
        "Parse error at 0:2,9",
    ]
    assert "Unexpected token" in str(error.value)
    assert "bundle.min.js" not in str(error.value)  # no stack of terser's
    assert not list((node_modules / assets.CACHE).glob("*"))


def test_minify_names_the_fix_when_node_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    node_modules = copy_of_terser(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PluginError, match="node is not on PATH"):
        assets.minify("var a = 1;", node_modules)
