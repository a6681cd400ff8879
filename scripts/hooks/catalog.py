"""Validate the content and generate the catalog pages, on MkDocs' event API.

* ``on_config`` runs ``check_content`` on every question and topic page and
  stops the build with every problem line if there is any; then it loads the
  catalog and builds the navigation from ``scripts/taxonomy.yml`` (do not
  write ``nav:`` in mkdocs.yml).
* ``on_files`` adds the question index, ``questions/index.md``, as a
  generated page (never written to ``docs/``).
* ``on_page_markdown`` puts the title, labels and prompt on top of question
  pages, appends the list of questions to topic pages, and replaces
  ``<!-- catalog:counts -->`` on the home page with the counts (and
  ``<!-- catalog:progress -->`` with the reader's progress per topic).
* ``on_post_build`` writes ``catalog.json`` at the site root, atomically.

The Markdown itself comes from ``scripts/catalog_pages.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

SCRIPTS = str(Path(__file__).resolve().parents[1])
# MkDocs puts this file's folder first on sys.path while loading it, where
# ``catalog`` would name this very module: look in scripts/ first.
sys.path.insert(0, SCRIPTS)
try:
    import catalog
    import catalog_pages as pages
    import check_content
    import exports
finally:
    sys.path.remove(SCRIPTS)

CATALOG_JSON = "catalog.json"
_state: dict[str, catalog.Catalog] = {}


def snippet_bases(config: MkDocsConfig) -> list[Path]:
    """The pymdownx.snippets base paths, relative to mkdocs.yml's folder."""
    root = Path(config.config_file_path or ".").resolve().parent
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    if isinstance(bases, str):
        bases = [bases]
    return [root / base for base in bases]


def _catalog() -> catalog.Catalog:
    if "catalog" not in _state:  # pragma: no cover - MkDocs calls on_config
        raise PluginError("catalog hook: on_config did not run")
    return _state["catalog"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    docs = Path(config.docs_dir)
    problems = check_content.check_all(
        docs, snippet_bases=snippet_bases(config)
    )
    if problems:
        lines = "\n".join(map(str, problems))
        raise PluginError(
            f"content check failed with {len(problems)} problem(s):\n{lines}"
        )
    if config.nav is not None:
        raise PluginError(
            "mkdocs.yml: remove `nav:`; the navigation is generated from"
            " scripts/taxonomy.yml by scripts/hooks/catalog.py"
        )
    loaded = catalog.load_catalog(
        docs, use_directory_urls=config.use_directory_urls
    )
    _state["catalog"] = loaded
    existing = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    config.nav = pages.navigation(loaded, existing)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    content = pages.index_markdown(_catalog())
    files.append(File.generated(config, pages.INDEX_URI, content=content))
    return files


def on_page_markdown(
    markdown: str, page: Page, config: MkDocsConfig, files: Files
) -> str:
    loaded = _catalog()
    uri = page.file.src_uri
    if uri == "index.md":
        return markdown.replace(
            pages.COUNTS_MARKER, pages.counts_table(loaded)
        ).replace(pages.PROGRESS_MARKER, pages.topic_progress(loaded))
    record = loaded.page(uri)
    if record is not None:
        page.meta.setdefault("description", record.summary)
    if isinstance(record, catalog.Question):
        return pages.question_header(record, loaded) + markdown
    if isinstance(record, catalog.Topic):
        return (
            markdown.rstrip("\n")
            + "\n\n"
            + pages.topic_questions(record, loaded)
        )
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    document = pages.catalog_document(_catalog())
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    exports.write_atomically(
        Path(config.site_dir) / CATALOG_JSON, text.encode("utf-8")
    )
