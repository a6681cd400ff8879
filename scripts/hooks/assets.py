"""Serve the npm-installed browser assets from the site itself.

Three jobs, all on MkDocs' public event API:

* ``on_files`` adds the vendored files (the mermaid bundle, the iframe-worker
  shim) from ``node_modules/`` to the build, so no page fetches them from a CDN.
* ``on_files`` also serves the handbook's own scripts
  (``docs/assets/javascripts/*.js``) minified by terser (pinned in
  package.json), which keeps every page's JS within 10% of Material's own
  (tests/site/test_page_weight.py). Results are cached by content in
  ``node_modules/.cache/handbook-minify/``, so only a changed script costs a
  run of terser.
* ``on_config`` prepares the offline variant: when Material's offline plugin is
  enabled it lists the local iframe-worker shim as a polyfill (before the plugin
  would add a CDN copy) and turns instant navigation off, which does not work
  from ``file://``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]

#: Path in the built site -> path below ``node_modules/``.
VENDOR: dict[str, str] = {
    "assets/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "assets/vendor/iframe-worker-shim.js": "iframe-worker/shim/index.js",
}
SHIM = "assets/vendor/iframe-worker-shim.js"
#: The handbook's own scripts, below ``docs/``, served minified.
OWN_SCRIPTS = "assets/javascripts/"
TERSER = "terser/bin/terser"
CACHE = ".cache/handbook-minify"
OFFLINE_PLUGIN = "material/offline"


def offline_enabled(config: MkDocsConfig) -> bool:
    """Tell whether Material's offline plugin is configured and enabled."""
    plugin = config.plugins.get(OFFLINE_PLUGIN)
    return bool(plugin is not None and plugin.config.enabled)


@event_priority(100)  # before the offline plugin appends its CDN shim
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if offline_enabled(config):
        polyfills = [p for p in config.extra.get("polyfills", []) if p != SHIM]
        config.extra["polyfills"] = [SHIM, *polyfills]
        features = config.theme.get("features") or []
        config.theme["features"] = [
            f for f in features if not f.startswith("navigation.instant")
        ]
    return config


def vendor_files(config: MkDocsConfig, node_modules: Path) -> list[File]:
    """Build ``File`` objects for the vendored assets, or fail with the fix."""
    files = []
    for dest, src in VENDOR.items():
        path = node_modules / src
        if not path.is_file():
            raise PluginError(
                f"{path}: vendored asset missing (run `make setup` or `npm ci`"
                " to install the pinned browser assets)"
            )
        files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files


def minify(source: str, node_modules: Path, name: str = "<script>") -> str:
    """``source`` (the file ``name``) compressed and mangled by terser,
    cached by content.

    Raises:
        PluginError: if terser is missing or refuses the script.
    """
    terser = node_modules / TERSER
    if not terser.is_file():
        raise PluginError(
            f"{terser}: terser missing (run `make setup` or `npm ci` to"
            " install the pinned build tools)"
        )
    version = (node_modules / "terser/package.json").read_bytes()
    key = hashlib.sha256(version + b"\0" + source.encode("utf-8")).hexdigest()
    cached = node_modules / CACHE / f"{key}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    try:
        done = subprocess.run(
            ["node", str(terser), "--compress", "--mangle"],
            input=source,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise PluginError(
            "node is not on PATH: install Node.js (the set-up needs it too)"
        ) from None
    if done.returncode != 0:
        # terser prints "Parse error at 0:LINE,COLUMN", the line, a caret and
        # the error, then its own stack: keep the part about the script.
        report = [
            line
            for line in done.stderr.strip().splitlines()
            if not line.lstrip().startswith("at ")
        ]
        raise PluginError(
            f"{name}: terser cannot minify it (fix the JavaScript):\n"
            + "\n".join(report)
        )
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(done.stdout, encoding="utf-8")
    partial.replace(cached)
    return done.stdout


def minified_scripts(
    files: Files, config: MkDocsConfig, node_modules: Path
) -> list[tuple[File, File]]:
    """Each own script, paired with its minified replacement (the theme's
    files are Material's and left alone)."""
    docs = Path(config.docs_dir).resolve()
    pairs = []
    for file in files:
        uri, source = file.src_uri, file.abs_src_path
        own = source is not None and Path(source).resolve().is_relative_to(docs)
        if own and uri.startswith(OWN_SCRIPTS) and uri.endswith(".js"):
            small = minify(file.content_string, node_modules, f"docs/{uri}")
            pairs.append((file, File.generated(config, uri, content=small)))
    return pairs


def on_files(files: Files, config: MkDocsConfig) -> Files:
    node_modules = ROOT / "node_modules"
    for original, small in minified_scripts(files, config, node_modules):
        files.remove(original)
        files.append(small)
    for file in vendor_files(config, node_modules):
        files.append(file)
    return files
