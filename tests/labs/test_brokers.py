"""scripts/brokers.py without real brokers: fake servers stand in for them."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import brokers
import helpers
import pytest

# A fake server: listens on the port given as argv[1] and prints a line.
LISTEN = (
    "import socket, sys, time\n"
    "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))\n"
    "s.listen(); print('listening', flush=True)\n"
    "while True: time.sleep(1)\n"
)


def fake(name: str, workdir: Path, code: str = LISTEN) -> brokers.Server:
    port = brokers.free_port()
    argv = [sys.executable, "-c", code, str(port)]
    return brokers.launch(name, argv, workdir, port, f"fake://{port}")


def gone(pid: int) -> bool:
    """The process has exited (a zombie waiting to be reaped counts)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def test_free_ports_are_distinct_and_can_be_bound() -> None:
    ports = [*brokers.free_ports(3), brokers.free_port()]
    assert len(set(ports[:3])) == 3
    for port in ports:
        with socket.socket() as sock:
            sock.bind((brokers.HOST, port))


def test_start_wait_and_stop_a_server(tmp_path: Path) -> None:
    server = fake("fake", tmp_path)
    brokers.wait_ready(server, brokers.tcp_ready, timeout=10)
    assert "listening" in server.log.read_text()
    brokers.stop(server)
    assert server.process.returncode == -signal.SIGTERM
    assert not brokers.tcp_ready(server.port)


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    code = "print('bad config: no such port'); raise SystemExit(3)"
    server = fake("fake", tmp_path, code)
    with pytest.raises(brokers.BrokerError) as error:
        brokers.wait_ready(server, brokers.tcp_ready, timeout=10)
    assert "fake exited with code 3 before it answered" in str(error.value)
    assert "bad config: no such port" in str(error.value)


def test_a_silent_server_times_out_clearly(tmp_path: Path) -> None:
    server = fake("fake", tmp_path, "import time; time.sleep(60)")
    try:
        with pytest.raises(brokers.BrokerError, match=r"within 0.3 s"):
            brokers.wait_ready(server, brokers.tcp_ready, timeout=0.3)
    finally:
        brokers.stop(server)
    assert server.process.returncode is not None


def test_stop_kills_what_ignores_sigterm_and_its_children(
    tmp_path: Path,
) -> None:
    code = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    server = fake("stubborn", tmp_path, code)
    deadline = time.monotonic() + 10
    while not server.log.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(server.log.read_text().split()[0])
    brokers.stop(server, timeout=0.5)
    assert server.process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(child)


def test_stop_is_quiet_for_a_server_already_gone(tmp_path: Path) -> None:
    server = fake("gone", tmp_path, "pass")
    server.process.wait(10)
    brokers.stop(server)
    assert server.process.returncode == 0


@pytest.fixture
def fake_starters(monkeypatch: pytest.MonkeyPatch) -> list[brokers.Server]:
    started: list[brokers.Server] = []

    def starter(name: str) -> object:
        def start(workdir: Path, timeout: float) -> brokers.Server:
            if name == "broken":
                raise brokers.BrokerError("broken did not start")
            server = fake(name, workdir)
            brokers.wait_ready(server, brokers.tcp_ready, timeout)
            started.append(server)
            return server

        return start

    for name in ("one", "two", "broken"):
        monkeypatch.setitem(brokers.STARTERS, name, starter(name))
    return started


def test_running_stops_everything_when_the_body_fails(
    tmp_path: Path, fake_starters: list[brokers.Server]
) -> None:
    with (
        pytest.raises(RuntimeError, match="a test failed"),
        brokers.running(["one", "two"], tmp_path) as servers,
    ):
        assert set(servers) == {"one", "two"}
        raise RuntimeError("a test failed")
    assert [s.process.returncode for s in fake_starters] == [-15, -15]
    assert all(s.log.exists() for s in fake_starters)  # logs kept


def test_running_stops_earlier_servers_when_a_start_fails(
    tmp_path: Path, fake_starters: list[brokers.Server]
) -> None:
    with (
        pytest.raises(brokers.BrokerError, match="broken did not start"),
        brokers.running(["one", "broken"], tmp_path),
    ):
        pytest.fail("the body must not run")
    assert fake_starters[0].process.returncode == -signal.SIGTERM


def test_running_removes_the_data_after_a_clean_run(
    tmp_path: Path, fake_starters: list[brokers.Server]
) -> None:
    with brokers.running(["one"], tmp_path) as servers:
        workdir = servers["one"].workdir
        assert workdir.parent == tmp_path and workdir.is_dir()
        assert servers["one"].start_seconds > 0
    assert not workdir.exists()


def test_start_rejects_an_unknown_server(tmp_path: Path) -> None:
    with pytest.raises(brokers.BrokerError, match="unknown server 'kafka'"):
        brokers.start("kafka", tmp_path)


def test_rabbitmq_lives_in_its_workdir_on_loopback(tmp_path: Path) -> None:
    env = brokers.rabbitmq_env(tmp_path, 5001, 5002, 5003)
    paths = [
        env[key]
        for key in env
        if key.startswith("RABBITMQ_") and key.endswith(("_FILE", "_BASE"))
    ]
    assert len(paths) >= 6
    assert all(Path(p).parent == tmp_path for p in paths)
    assert env["HOME"] == str(tmp_path)
    assert env["RABBITMQ_NODE_IP_ADDRESS"] == env["ERL_EPMD_ADDRESS"]
    assert env["RABBITMQ_NODE_IP_ADDRESS"] == "127.0.0.1"
    assert "{127,0,0,1}" in env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"]
    assert env["RABBITMQ_NODENAME"] == "lab5001@localhost"
    ports = ("RABBITMQ_NODE_PORT", "RABBITMQ_DIST_PORT", "ERL_EPMD_PORT")
    assert [env[key] for key in ports] == ["5001", "5002", "5003"]


@pytest.fixture
def answer(request: pytest.FixtureRequest) -> Iterator[int]:
    """A one-shot server that sends ``request.param`` to its client."""
    listener = socket.create_server((brokers.HOST, 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            connection.sendall(request.param)
            while connection.recv(1024):  # until the client hangs up
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    thread.join(5)
    listener.close()


@pytest.mark.parametrize(
    ("answer", "check", "ready"),
    [
        (b"\x01\x00\x00\x00\x00\x01\xf4", brokers.amqp_ready, True),
        (b"AMQP\x00\x00\x09\x01", brokers.amqp_ready, False),
        (b"+PONG\r\n", brokers.redis_ready, True),
        (b"-LOADING\r\n", brokers.redis_ready, False),
        (b'INFO {"jetstream":true,"port":1}\r\n', brokers.nats_ready, True),
        (b'INFO {"port":1}\r\n', brokers.nats_ready, False),
    ],
    indirect=["answer"],
)
def test_readiness_checks_read_the_protocol(
    answer: int, check: object, ready: bool
) -> None:
    assert callable(check)
    assert check(answer) is ready


@pytest.mark.parametrize(
    "check",
    [brokers.amqp_ready, brokers.redis_ready, brokers.nats_ready],
)
def test_readiness_checks_are_false_on_a_closed_port(check: object) -> None:
    assert callable(check)
    assert check(brokers.free_port()) is False


def test_missing_servers_name_their_debian_packages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(brokers, "find_executable", lambda name: None)
    assert brokers.missing(["redis", "nats"]) == ["redis", "nats"]
    assert brokers.main(["--servers", "redis,nats", "labs"]) == 2
    assert capsys.readouterr().err == (
        "not installed: apt-get install redis-server nats-server"
        " (Debian packages)\n"
    )
    assert brokers.main(["missing"]) == 0
    assert capsys.readouterr().out == (
        "rabbitmq-server redis-server nats-server\n"
    )


def test_run_passes_the_urls_and_the_exit_code(
    tmp_path: Path,
    fake_starters: list[brokers.Server],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(brokers.URL_VARIABLES, "one", "LAB_ONE_URL")
    monkeypatch.setattr(brokers, "find_executable", lambda name: "/bin/true")
    code = (
        "import os, sys\n"
        "sys.exit(7 if os.environ['LAB_ONE_URL'].startswith('fake://') else 1)"
    )
    argv = ["--servers", "one", "--base", str(tmp_path), "run", "--"]
    assert brokers.main([*argv, sys.executable, "-c", code]) == 7
    assert fake_starters[0].process.returncode == -signal.SIGTERM


def test_run_needs_a_command() -> None:
    with pytest.raises(SystemExit):
        brokers.main(["run"])


def test_every_lab_is_found() -> None:
    assert [p.name for p in brokers.lab_files()] == [
        "nats_jetstream.py",
        "rabbitmq_queue.py",
        "redis_streams.py",
    ]


def test_rabbitmq_is_started_from_its_real_script() -> None:
    path = brokers.find_executable("rabbitmq")
    if path is not None:  # Debian's wrapper would switch user
        assert "rabbitmq-script-wrapper" not in os.path.realpath(path)


def test_launch_starts_a_new_process_group(tmp_path: Path) -> None:
    server = fake("fake", tmp_path)
    try:
        assert os.getpgid(server.pid) == server.pid
    finally:
        brokers.stop(server)


def lab_conftest() -> ModuleType:
    path = Path(__file__).with_name("conftest.py")
    spec = importlib.util.spec_from_file_location("labs_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("in_ci", [False, True])
def test_a_missing_server_skips_loudly_or_fails_in_ci(
    in_ci: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    monkeypatch.setattr(brokers, "find_executable", lambda name: None)
    monkeypatch.setattr(helpers, "IN_CI", in_ci)
    monkeypatch.setattr(helpers, "MISSING", {})
    outcome = pytest.fail.Exception if in_ci else pytest.skip.Exception
    with pytest.raises(outcome) as raised:
        next(lab_conftest().serve("redis", tmp_path_factory))
    assert "apt-get install redis-server" in str(raised.value)
    assert bool(helpers.MISSING) is not in_ci
