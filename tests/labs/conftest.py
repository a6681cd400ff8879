"""Session fixtures: real brokers on 127.0.0.1, started once per test run.

Each server starts on first use with a fresh data directory under pytest's
temporary directory and is stopped by pid at the end of the session, also
when tests fail. A server that is not installed fails the test in CI and
skips it elsewhere, with one loud line in the summary (``helpers.require``).
"""

from __future__ import annotations

from collections.abc import Iterator

import brokers
import pytest
from helpers import require


def serve(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[brokers.Server]:
    require(
        f"the {name} server",
        brokers.find_executable(name) is not None,
        f"install it with `{brokers.install_hint([name])}`; with CI=true"
        " `make test` installs it",
    )
    server = brokers.start(name, tmp_path_factory.mktemp(name))
    try:
        yield server
    finally:
        brokers.stop(server)


@pytest.fixture(scope="session")
def rabbitmq(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[brokers.Server]:
    yield from serve("rabbitmq", tmp_path_factory)


@pytest.fixture(scope="session")
def redis_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[brokers.Server]:
    yield from serve("redis", tmp_path_factory)


@pytest.fixture(scope="session")
def nats_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[brokers.Server]:
    yield from serve("nats", tmp_path_factory)
