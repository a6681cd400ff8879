"""Run the engine scripts of snippets/engines with .venv-engines.

The engines (Apache Beam, Flink SQL through PyFlink, bytewax) live in their
own environment, never in .venv: each test module sends all its cases to
its engine script in one subprocess call (JSON in, JSON out), so that Flink
starts once per session and Beam's start-up is paid once. Without Java or
.venv-engines the tests fail in CI and skip elsewhere, with one loud line
in the summary (``helpers.require``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, require

ENGINES_PY = ROOT / ".venv-engines" / "bin" / "python"
SCRIPTS = ROOT / "snippets" / "engines"
WHAT = "the engine environment of tests/engines"


@pytest.fixture(scope="session")
def engines_python() -> Path:
    """The interpreter of .venv-engines, after checking Java is there."""
    require(
        WHAT,
        shutil.which("java") is not None,
        "no `java` on PATH: install Java 17, then `make test-engines`",
    )
    require(
        WHAT,
        ENGINES_PY.exists(),
        "no .venv-engines: run `make test-engines` (needs Java 17)",
    )
    return ENGINES_PY


def run_engine(python: Path, script: str, payload: Any) -> Any:
    """Run ``snippets/engines/<script> --cases`` on ``payload``; its JSON."""
    result = subprocess.run(
        [str(python), str(SCRIPTS / script), "--cases"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{script} failed ({result.returncode}):\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return json.loads(result.stdout)
