"""Playwright fixtures: Debian's Chromium against the built site.

Every page opened through ``page`` logs every request it makes; tests read
``page_requests`` to prove that nothing leaves the site.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import open_page
from helpers import Build, require
from make_zip import make_zip

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
]


def chromium_executable() -> str | None:
    override = os.environ.get("CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_executable()
    require(
        "Chromium",
        executable is not None,
        "install Debian's chromium (apt-get install chromium) to run the"
        " browser tests",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(online_build: Build) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(online_build.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def offline_root(
    offline_build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The offline zip, made and unpacked as a reader would."""
    work = tmp_path_factory.mktemp("offline-zip")
    archive = work / "handbook-offline.zip"
    make_zip(offline_build.site, archive)
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(work / "unpacked")
    return work / "unpacked" / "handbook"


@pytest.fixture
def page_requests() -> list[str]:
    return []


@pytest.fixture
def page(browser: Any, page_requests: list[str]) -> Iterator[Any]:
    with open_page(browser, page_requests) as opened:
        yield opened
