"""Session fixtures shared by all tests, and the missing-dependency summary."""

from __future__ import annotations

import pytest
from helpers import MISSING, Build, mkdocs_build


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for message in MISSING.values():
        terminalreporter.write_line(
            f"!!! NOT RUN: {message} !!!", red=True, bold=True
        )


@pytest.fixture(scope="session")
def online_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return mkdocs_build(tmp_path_factory.mktemp("online") / "site")


@pytest.fixture(scope="session")
def offline_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return mkdocs_build(
        tmp_path_factory.mktemp("offline") / "site", offline=True
    )
