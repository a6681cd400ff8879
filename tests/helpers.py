"""Helpers shared by the test packages (imported as ``helpers``).

The project's rule for missing dependencies lives here: when CI is set, a
test that needs something missing (Chromium, ...) fails with a message saying
what to install; outside CI it is skipped, and the run's summary ends with one
loud line per missing dependency (see ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
MISSING: dict[str, str] = {}


def require(what: str, available: bool, how: str) -> None:
    """Fail in CI, skip elsewhere, when ``what`` is not available."""
    if available:
        return
    message = f"{what} is not available: {how}"
    if IN_CI:
        pytest.fail(f"CI requires {message}", pytrace=False)
    MISSING[what] = message
    pytest.skip(message)


@dataclass(frozen=True)
class Build:
    """A finished ``mkdocs build`` and what it printed."""

    site: Path
    output: str


def mkdocs_build(site_dir: Path, *, offline: bool = False) -> Build:
    """Build the handbook into ``site_dir`` with ``--strict``; fail loudly."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    if offline:
        env["OFFLINE"] = "true"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--clean",
            "--site-dir",
            str(site_dir),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{output}", pytrace=False)
    return Build(site_dir, output)


def outside(requests: list[str], allowed_prefix: str) -> list[str]:
    """Requests that went anywhere but ``allowed_prefix`` (data: is local)."""
    return [
        url
        for url in requests
        if not url.startswith((allowed_prefix, "data:", "blob:", "about:"))
    ]
