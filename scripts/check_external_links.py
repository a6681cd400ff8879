"""Check every outbound link of the built site and report the broken ones.

Usage::

    python scripts/check_external_links.py [SITE_DIR] [--timeout SECONDS]
        [--max-links N] [--workers N]

Reads every HTML page below ``SITE_DIR`` (default ``site/``, built by
``make site``), collects the ``href`` of each link to another host (http or
https), drops the fragment and de-duplicates, then asks each address once: a
HEAD request, and a GET when HEAD does not succeed (some servers refuse
HEAD). It needs the network, so it is not part of ``make test``; run it with
``make check-external-links``, which builds the site first.

Not checked: the "edit this page" and "view source" buttons, which point at
the handbook's own repository (the test suite checks their paths).

Each address ends up:

* ``ok``: a 2xx or 3xx answer (redirects are followed);
* ``blocked``: 401, 403 or 429, a server that turns automated clients away;
  reported, not counted as broken;
* ``broken``: any other 4xx or 5xx answer, or no answer at all (unknown
  host, refused connection, timeout).

At most two requests per address (plus the redirects urllib follows, ten at
most), and at most ``--max-links`` addresses: when the site links to more,
nothing is requested and the run fails, so that no link goes unchecked
silently. Exit status 1 when a link is broken or the limit is exceeded, 2 when
the site is missing, 0 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import urldefrag, urlsplit

#: Material's "edit this page" and "view source" buttons carry this class.
SKIPPED_CLASS = "md-content__button"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
BLOCKED = frozenset({401, 403, 429})
USER_AGENT = "stream-processing-handbook-link-check/1.0"

Outcome = Literal["ok", "blocked", "broken"]
#: ``fetch(method, url, timeout)``: the final HTTP status of one request;
#: raises ``OSError`` (``urllib.error.URLError``, ``TimeoutError``...),
#: ``http.client.HTTPException`` or ``ValueError`` when there is no answer.
Fetch = Callable[[str, str, float], int]


class LinkCollector(HTMLParser):
    """The ``href`` of every ``<a>`` of a page, buttons to the source apart."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        if tag != "a":
            return
        found = {name: value or "" for name, value in attrs}
        if SKIPPED_CLASS in found.get("class", "").split():
            return
        if found.get("href"):
            self.hrefs.append(found["href"].strip())


def external_address(href: str) -> str | None:
    """The address to check for ``href`` (no fragment), or None when the link
    stays on the site (relative, ``mailto:``, loopback...)."""
    if href.startswith("//"):
        href = "https:" + href
    parts = urlsplit(href)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if parts.hostname.lower() in LOCAL_HOSTS:
        return None
    return urldefrag(href).url


def external_links(site: Path) -> dict[str, list[str]]:
    """Each outbound address of the site, with the pages that link to it.

    Addresses are sorted; so are the pages (paths relative to ``site``).
    """
    found: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        collector = LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        for href in collector.hrefs:
            address = external_address(href)
            if address is not None:
                found.setdefault(address, set()).add(name)
    return {url: sorted(found[url]) for url in sorted(found)}


@dataclass(frozen=True)
class Result:
    """What one address answered: its outcome and why."""

    url: str
    outcome: Outcome
    detail: str  # "200", "404", "timed out"...


def classify(status: int) -> Outcome:
    """The outcome of a final HTTP status."""
    if status < 400:
        return "ok"
    if status in BLOCKED:
        return "blocked"
    return "broken"


def _ask(fetch: Fetch, method: str, url: str, timeout: float) -> Result:
    try:
        status = fetch(method, url, timeout)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        return Result(url, "broken", f"no answer ({reason})")
    return Result(url, classify(status), str(status))


def check(url: str, fetch: Fetch, timeout: float) -> Result:
    """HEAD ``url``; when that does not succeed, GET it and keep that."""
    first = _ask(fetch, "HEAD", url, timeout)
    if first.outcome == "ok":
        return first
    return _ask(fetch, "GET", url, timeout)


def check_all(
    urls: Iterable[str], fetch: Fetch, timeout: float, workers: int
) -> list[Result]:
    """Check ``urls`` with ``workers`` threads; results in ``urls`` order."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda url: check(url, fetch, timeout), urls))


def report(
    results: Sequence[Result], pages: dict[str, list[str]]
) -> tuple[list[str], int]:
    """The lines to print (problems first, then a summary) and the exit code."""
    lines = []
    for outcome in ("broken", "blocked"):
        for result in results:
            if result.outcome != outcome:
                continue
            on = ", ".join(pages.get(result.url, []))
            lines.append(
                f"{outcome.upper()}: {result.url} -> {result.detail}"
                f" (linked from {on})"
            )
    counts = {
        outcome: sum(1 for r in results if r.outcome == outcome)
        for outcome in ("ok", "blocked", "broken")
    }
    lines.append(
        f"check_external_links: {len(results)} address(es) checked:"
        f" {counts['ok']} ok, {counts['blocked']} blocked,"
        f" {counts['broken']} broken"
    )
    return lines, 1 if counts["broken"] else 0


def urllib_fetch(method: str, url: str, timeout: float) -> int:
    """One request with urllib; the final status (redirects followed)."""
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def main(argv: Sequence[str] | None = None, fetch: Fetch = urllib_fetch) -> int:
    parser = argparse.ArgumentParser(
        description="Check the outbound links of the built site (needs the"
        " network)."
    )
    parser.add_argument(
        "site", nargs="?", type=Path, default=Path("site"), help="built site"
    )
    parser.add_argument(
        "--timeout", type=float, default=15.0, help="seconds per request"
    )
    parser.add_argument(
        "--max-links",
        type=int,
        default=1000,
        help="fail without a request when the site links to more addresses",
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="requests in flight at once"
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(
            f"check_external_links: no built site in {args.site} (run"
            " `make site` first)",
            file=sys.stderr,
        )
        return 2
    pages = external_links(args.site)
    if len(pages) > args.max_links:
        print(
            f"check_external_links: the site links to {len(pages)} addresses,"
            f" more than --max-links {args.max_links}; nothing was checked"
            " (raise the limit)",
            file=sys.stderr,
        )
        return 1
    results = check_all(pages, fetch, args.timeout, args.workers)
    lines, status = report(results, pages)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
