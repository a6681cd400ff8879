"""The catalog hook's events, called directly with stand-in objects.

The full builds are in test_catalog_build.py; these check each event's
contract quickly. The stand-ins carry only what the hook reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hooks import catalog as hook
from mkdocs.exceptions import PluginError

VALID = Path(__file__).with_name("fixtures") / "valid"
ROOT = Path(__file__).resolve().parents[2]


def config(docs: Path, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "docs_dir": str(docs),
        "config_file_path": str(ROOT / "mkdocs.yml"),
        "mdx_configs": {"pymdownx.snippets": {"base_path": ["snippets", "."]}},
        "nav": None,
        "use_directory_urls": True,
    }
    values.update(changes)
    return SimpleNamespace(**values)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(VALID / "questions", docs / "questions")
    shutil.copytree(VALID / "topics", docs / "topics")
    (docs / "index.md").write_text("# Home\n\n<!-- catalog:counts -->\n")
    return docs


def test_snippet_bases_follow_the_config() -> None:
    assert hook.snippet_bases(config(ROOT / "docs")) == [
        ROOT / "snippets",
        ROOT,
    ]
    single = config(ROOT, mdx_configs={"pymdownx.snippets": {"base_path": "x"}})
    assert hook.snippet_bases(single) == [ROOT / "x"]
    assert hook.snippet_bases(config(ROOT, mdx_configs={})) == [ROOT]


def test_on_config_builds_the_nav(docs: Path) -> None:
    cfg = hook.on_config(config(docs))
    assert cfg.nav == [
        {"Home": "index.md"},
        {"Questions": "questions/index.md"},
        {
            "Topics": [
                {"Messaging": [{"Partitioning": "topics/partitioning.md"}]}
            ]
        },
    ]


def test_on_config_lists_every_problem(docs: Path) -> None:
    page = docs / "questions/valid-system-design.md"
    page.write_text(page.read_text().replace("type: system-design", "type: x"))
    (docs / "questions/index.md").write_text("# Hand-written\n")
    with pytest.raises(PluginError) as info:
        hook.on_config(config(docs))
    message = str(info.value)
    assert message.startswith("content check failed with 2 problem(s):\n")
    assert "valid-system-design.md:6: type: 'x' is not allowed" in message
    assert "questions/index.md:1: file: the question index is generated" in (
        message
    )


def test_on_config_refuses_a_written_nav(docs: Path) -> None:
    with pytest.raises(PluginError, match="remove `nav:`"):
        hook.on_config(config(docs, nav=["index.md"]))


def page(src_uri: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta={})


def test_on_page_markdown(docs: Path) -> None:
    cfg = hook.on_config(config(docs))
    files: Any = None
    question = page("questions/valid-coding-question.md")
    text = hook.on_page_markdown("## Short answer\n", question, cfg, files)
    assert text.startswith("# A valid coding question\n")
    assert text.endswith("\n\n## Short answer\n")
    assert question.meta["description"].startswith("A well-formed coding")
    topic = hook.on_page_markdown(
        "Body.\n\n", page("topics/partitioning.md"), cfg, files
    )
    assert topic.startswith("Body.\n\n## Questions on this topic\n")
    home = hook.on_page_markdown(
        "A\n<!-- catalog:counts -->\nB\n", page("index.md"), cfg, files
    )
    assert "| Coding | 1 | 0 | 0 | 1 |" in home and "catalog:counts" not in home
    other = page("reference/catalog-format.md")
    assert hook.on_page_markdown("Same.\n", other, cfg, files) == "Same.\n"
    assert other.meta == {}
