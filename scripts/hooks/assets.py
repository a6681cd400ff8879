"""Serve the npm-installed browser assets from the site itself.

Two jobs, both on MkDocs' public event API:

* ``on_files`` adds the vendored files (the mermaid bundle, the iframe-worker
  shim) from ``node_modules/`` to the build, so no page fetches them from a CDN.
* ``on_config`` prepares the offline variant: when Material's offline plugin is
  enabled it lists the local iframe-worker shim as a polyfill (before the plugin
  would add a CDN copy) and turns instant navigation off, which does not work
  from ``file://``.
"""

from __future__ import annotations

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


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in vendor_files(config, ROOT / "node_modules"):
        files.append(file)
    return files
