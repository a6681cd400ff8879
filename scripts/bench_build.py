"""Time the handbook's build against plain Material over the same pages.

For each N in ``--pages``, a temporary copy of the sources receives N
synthetic question pages (copies of the real question pages, cycled, each
with its own id and title, so every one passes the content checks). Then,
``--runs`` times and interleaved so that drift hits both alike, it times
``mkdocs build`` of:

* handbook: ``mkdocs.yml`` as it is (hooks, plugins, extra CSS and JS,
  template overrides, strict);
* material: the same file with only Material's part of it: the theme
  (palette, features, navigation.prune included), the Markdown extensions
  and the search plugin; no hooks, no other plugin, no extra CSS or JS, no
  template overrides, not strict (links to generated pages do not resolve
  without the hooks). Its ``nav:`` is the navigation the handbook's hook
  generates (minus the generated pages), so both sites have the same one;
  left to MkDocs, every question page would list all N questions.

It prints the median build time of each, their ratio (budget: <= 1.3), the
size of each site, the HTML bytes per page, mean and median (budget: flat
as N grows; ``navigation.prune`` keeps the navigation out of every page),
and the largest page, since a page that lists every question grows with N.

    python scripts/bench_build.py --pages 100 1000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from catalog import load_catalog
from catalog_pages import NavItem, navigation

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("mkdocs.yml", "docs", "snippets", "scripts", "overrides")
RATIO_BUDGET = 1.3
#: Material's part of mkdocs.yml; everything else is the handbook's.
MATERIAL_ONLY = """\
INHERIT: mkdocs.yml
strict: false
theme:
  custom_dir: no-overrides
plugins:
  - search
hooks: []
extra_css: []
extra_javascript: []
"""
FRONT_ID = re.compile(r"^id: .*$", re.MULTILINE)
FRONT_TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Result:
    """The figures of one configuration at one N."""

    seconds: float
    site_bytes: int
    html_sizes: dict[str, int]  # page -> bytes

    @property
    def html_per_page(self) -> float:
        return sum(self.html_sizes.values()) / len(self.html_sizes)

    @property
    def html_median(self) -> float:
        return statistics.median(self.html_sizes.values())

    @property
    def largest(self) -> tuple[str, int]:
        return max(self.html_sizes.items(), key=lambda item: item[1])


def copy_sources(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    (dest / "no-overrides").mkdir()  # INHERIT cannot unset custom_dir


def existing_only(nav: list[NavItem], existing: set[str]) -> list[NavItem]:
    """``nav`` without the entries whose page is not in ``existing``."""
    kept: list[NavItem] = []
    for item in nav:
        if isinstance(item, str):
            if item in existing:
                kept.append(item)
            continue
        for title, target in item.items():
            if isinstance(target, str):
                if target in existing:
                    kept.append({title: target})
            elif children := existing_only(target, existing):
                kept.append({title: children})
    return kept


def write_material_config(work: Path) -> None:
    """``material.yml``: Material's part of mkdocs.yml and the same nav."""
    docs = work / "docs"
    existing = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    nav = navigation(load_catalog(docs), existing)
    text = MATERIAL_ONLY + yaml.safe_dump(
        {"nav": existing_only(nav, existing)}, sort_keys=False
    )
    (work / "material.yml").write_text(text, encoding="utf-8")


def add_pages(docs: Path, count: int) -> None:
    """Write ``count`` synthetic question pages into ``docs/questions``."""
    questions = docs / "questions"
    templates = sorted(p for p in questions.glob("*.md") if p.stem != "index")
    if not templates:
        raise SystemExit(f"{questions}: no question page to copy")
    texts = [p.read_text(encoding="utf-8") for p in templates]
    for i in range(count):
        text = texts[i % len(texts)]
        page_id = f"bench-{i:05d}-{templates[i % len(templates)].stem}"
        text = FRONT_ID.sub(f"id: {page_id}", text, count=1)
        title = FRONT_TITLE.search(text)
        if title is not None:
            # JSON strings are YAML scalars: safe whatever the title holds
            new = json.dumps(f"{yaml.safe_load(title[1])} (variant {i})")
            text = f"{text[: title.start()]}title: {new}{text[title.end() :]}"
        (questions / f"{page_id}.md").write_text(text, encoding="utf-8")


def build(work: Path, config: str, site: Path) -> float:
    """Run ``mkdocs build`` of ``config`` in ``work``; return seconds."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--quiet"]
    command += ["-f", config, "--site-dir", str(site)]
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build -f {config} failed:\n{done.stderr}")
    return seconds


def measure(site: Path, seconds: list[float]) -> Result:
    files = [p for p in site.rglob("*") if p.is_file()]
    return Result(
        seconds=statistics.median(seconds),
        site_bytes=sum(p.stat().st_size for p in files),
        html_sizes={
            p.relative_to(site).as_posix(): p.stat().st_size
            for p in files
            if p.suffix == ".html"
        },
    )


def bench(pages: int, runs: int) -> dict[str, Result]:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as temp:
        work = Path(temp)
        copy_sources(work)
        add_pages(work / "docs", pages)
        write_material_config(work)
        configs = {"handbook": "mkdocs.yml", "material": "material.yml"}
        times: dict[str, list[float]] = {name: [] for name in configs}
        for _ in range(runs):
            for name, config in configs.items():
                times[name].append(build(work, config, work / f"site-{name}"))
        return {
            name: measure(work / f"site-{name}", times[name])
            for name in configs
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the handbook's build against plain Material."
    )
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    per_page: dict[int, tuple[float, float]] = {}
    for pages in args.pages:
        results = bench(pages, args.runs)
        print(f"synthetic pages={pages} runs={args.runs} (median)")
        print(
            f"  {'config':<10}{'build s':>9}{'site MB':>9}{'pages':>7}"
            f"{'html B/page':>13}{'median':>9}  largest page"
        )
        for name, r in results.items():
            page, size = r.largest
            print(
                f"  {name:<10}{r.seconds:>9.2f}{r.site_bytes / 1e6:>9.1f}"
                f"{len(r.html_sizes):>7}{r.html_per_page:>13,.0f}"
                f"{r.html_median:>9,.0f}  {page} ({size:,} B)"
            )
        ratio = results["handbook"].seconds / results["material"].seconds
        verdict = "met" if ratio <= RATIO_BUDGET else "NOT MET"
        print(
            f"  ratio handbook/material: {ratio:.2f}"
            f" (budget <= {RATIO_BUDGET}: {verdict})"
        )
        ours = results["handbook"]
        per_page[pages] = (ours.html_per_page, ours.html_median)
    if len(per_page) > 1:
        first, last = min(per_page), max(per_page)
        for i, label in enumerate(("mean", "median")):
            a, b = per_page[first][i], per_page[last][i]
            print(
                f"handbook html bytes/page ({label}): {a:,.0f} at N={first},"
                f" {b:,.0f} at N={last} ({(b / a - 1):+.1%})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
