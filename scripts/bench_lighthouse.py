"""Lighthouse scores of the key pages, mobile and desktop, median of runs.

Builds the site (online variant) into a temporary folder with ``SITE_URL``
set to the local address, serves it the way a real host does (gzip for text
responses, ``Cache-Control``, the site's 404 page), and runs Lighthouse
(``tools/lighthouse``, installed by ``make bench-lighthouse``) with Debian's
Chromium on each page, for each form factor, ``--runs`` times. It prints the
median of the four category scores and of the cumulative layout shift, and
checks them against the budgets:

* performance >= 95 on pages without diagrams, >= 90 on pages with them;
* cumulative layout shift < 0.1 everywhere;
* accessibility, best practices and SEO 100 everywhere.

The practice view (a question page with practice mode on) is a page whose
reader has a setting in localStorage: for each of its runs, a fresh Chromium
profile gets the setting (for the bench server's origin, without loading any
page of the site), and Lighthouse runs in that profile without clearing its
storage (``--disable-storage-reset``), so the page's scripts see the setting
from the start, as a returning reader's would. The part of the path after
``?`` only names the view; the server ignores it.

    python scripts/bench_lighthouse.py --runs 3

Scores depend on the machine: Lighthouse simulates a slow phone (mobile) or
a desktop from timings measured here.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools/lighthouse/node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The pages of the quality gates: path -> whether it draws diagrams.
PAGES: dict[str, bool] = {
    "": False,
    "questions/": False,
    "topics/time-semantics/": True,
    "questions/message-queue-vs-commit-log-for-ml-ingestion/": True,
    "reference/streamlab/joins/": False,
    "questions/kinesis-vs-kafka-concepts/?practice": False,
}
#: Pages seen with a reader's settings: path -> localStorage entries.
STORAGE: dict[str, dict[str, str]] = {
    "questions/kinesis-vs-kafka-concepts/?practice": {
        "handbook.practice": '{"fold": true, "hideDifficulty": true}',
    },
}
FORM_FACTORS = ("mobile", "desktop")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
COMPRESSIBLE = ("text/", "application/javascript", "application/json")
COMPRESSIBLE_SUFFIXES = (".svg", ".xml", ".js", ".css", ".json", ".html")


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """Serve a built site as a static host would: gzip, cache, 404 page."""

    root: Path
    cache: dict[tuple[str, bool], tuple[int, str, bytes, bool]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def resolve(self) -> tuple[int, Path]:
        path = self.path.split("?")[0].split("#")[0]
        target = (self.root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if self.root not in target.parents or not target.is_file():
            return 404, self.root / "404.html"
        return 200, target

    def respond(self, body: bool) -> None:
        gz = "gzip" in self.headers.get("Accept-Encoding", "")
        key = (self.path, gz)
        if key not in self.cache:
            status, file = self.resolve()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet"
            data = file.read_bytes()
            packed = gz and (
                kind.startswith(COMPRESSIBLE)
                or file.suffix in COMPRESSIBLE_SUFFIXES
            )
            if packed:
                data = gzip.compress(data, compresslevel=6, mtime=0)
            self.cache[key] = (status, kind, data, packed)
        status, kind, data, packed = self.cache[key]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self.respond(body=True)

    def do_HEAD(self) -> None:
        self.respond(body=False)


@contextmanager
def serve(root: Path) -> Iterator[http.server.ThreadingHTTPServer]:
    handler = type(
        "SiteHandler", (GzipHandler,), {"root": root.resolve(), "cache": {}}
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def build_site(site: Path, url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url)
    env.pop("OFFLINE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    done = subprocess.run(
        [*command, "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr}")


@dataclass(frozen=True)
class Scores:
    """One Lighthouse run: category scores (0-100) and layout shift."""

    categories: dict[str, float]
    cls: float


def parse_report(report: dict[str, object]) -> Scores:
    categories = report["categories"]
    audits = report["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    return Scores(
        {name: 100 * float(categories[name]["score"]) for name in CATEGORIES},
        float(audits["cumulative-layout-shift"]["numericValue"]),
    )


def seed_profile(
    profile: Path, origin: str, storage: dict[str, str], chrome: str
) -> None:
    """Write ``storage`` into the localStorage of ``origin`` (``http://host:
    port/``) in a new Chromium profile at ``profile``. The origin's page is
    an empty document made up here: nothing of the site is fetched or
    cached."""
    from playwright.sync_api import sync_playwright

    seed = origin + "__seed__"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chrome,
            headless=True,
            args=CHROME_FLAGS.split()[1:],
        )
        try:
            context.route(
                seed,
                lambda route: route.fulfill(
                    body="<!doctype html><title>seed</title>",
                    content_type="text/html",
                ),
            )
            page = context.new_page()
            page.goto(seed)
            page.evaluate(
                "entries => Object.entries(entries).forEach("
                "([key, value]) => localStorage.setItem(key, value))",
                storage,
            )
        finally:
            context.close()


def lighthouse(
    url: str, form: str, chrome: str, out: Path, profile: Path | None = None
) -> Scores:
    """One Lighthouse run; with ``profile``, in that Chromium profile and
    without clearing its storage."""
    flags = CHROME_FLAGS
    if profile is not None:
        flags += f" --user-data-dir={profile}"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    if form == "desktop":
        command.append("--preset=desktop")
    if profile is not None:
        command.append("--disable-storage-reset")
    env = dict(os.environ, CHROME_PATH=chrome)
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr}")
    scores = parse_report(json.loads(out.read_text(encoding="utf-8")))
    out.unlink()
    return scores


def median(runs: list[Scores]) -> Scores:
    return Scores(
        {
            name: statistics.median(r.categories[name] for r in runs)
            for name in CATEGORIES
        },
        statistics.median(r.cls for r in runs),
    )


def misses(scores: Scores, diagrams: bool) -> list[str]:
    """The budgets these (median) scores do not meet."""
    floor = 90 if diagrams else 95
    found = []
    if scores.categories["performance"] < floor:
        found.append(f"performance < {floor}")
    if scores.cls >= 0.1:
        found.append("CLS >= 0.1")
    found += [
        f"{name} < 100"
        for name in CATEGORIES[1:]
        if scores.categories[name] < 100
    ]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pages", nargs="+", default=list(PAGES), help="paths below the root"
    )
    parser.add_argument("--form-factors", nargs="+", default=FORM_FACTORS)
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not LIGHTHOUSE.is_file() or not chrome:
        print(
            f"needs {LIGHTHOUSE.relative_to(ROOT)} (make bench-lighthouse"
            " installs it) and Chromium (CHROME_PATH or chromium on PATH)",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as temp:
        site = Path(temp) / "site"
        with serve(site) as server:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            build_site(site, base)
            print(f"runs={args.runs} (median) gzip on, Lighthouse 12.2.3")
            print(
                f"{'page':<58}{'form':<9}{'perf':>5}{'a11y':>5}{'bp':>5}"
                f"{'seo':>5}{'CLS':>7}  budgets"
            )
            failed = 0
            for path in args.pages:
                for form in args.form_factors:
                    runs = []
                    for run in range(args.runs):
                        profile = None
                        if path in STORAGE:
                            profile = Path(temp) / f"profile-{run}-{form}"
                            seed_profile(profile, base, STORAGE[path], chrome)
                        runs.append(
                            lighthouse(
                                base + path,
                                form,
                                chrome,
                                Path(temp) / "r.json",
                                profile,
                            )
                        )
                        if profile is not None:
                            shutil.rmtree(profile, ignore_errors=True)
                    scores = median(runs)
                    missed = misses(scores, PAGES.get(path, True))
                    failed += bool(missed)
                    c = scores.categories
                    print(
                        f"{'/' + path:<58}{form:<9}"
                        f"{c['performance']:>5.0f}{c['accessibility']:>5.0f}"
                        f"{c['best-practices']:>5.0f}{c['seo']:>5.0f}"
                        f"{scores.cls:>7.3f}  "
                        + (
                            "met"
                            if not missed
                            else "MISSED: " + ", ".join(missed)
                        )
                    )
            print(f"budgets missed on {failed} page/form pair(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
