"""Start and stop real brokers on 127.0.0.1 for the labs (snippets/labs).

RabbitMQ, Redis and NATS (with JetStream) run as child processes of this
module: each binds to loopback only, on a free port, with a fresh data
directory under a base directory the caller chooses (a pytest temporary
directory, or ``build/labs`` for ``make labs``), never the system ones. A
server counts as ready when it answers its own protocol (the AMQP handshake,
Redis ``PING``, the NATS ``INFO`` line), within a timeout; a server that exits
or stays silent raises :class:`BrokerError` with the end of its log. Servers
are stopped by process id: ``SIGTERM``, then ``SIGKILL`` for the process
group the server leads if it has not exited in time.

Command line (used by ``make labs``)::

    python scripts/brokers.py labs            # start all, run every lab
    python scripts/brokers.py run -- CMD ...  # start all, run CMD
    python scripts/brokers.py --servers redis --base DIR labs
    python scripts/brokers.py missing         # Debian packages to install

Labs find the servers through ``LAB_RABBITMQ_URL``, ``LAB_REDIS_URL`` and
``LAB_NATS_URL``.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from snippet_output import expected_output

ROOT = Path(__file__).resolve().parents[1]
LABS = ROOT / "snippets" / "labs"
HOST = "127.0.0.1"
#: The servers this module can start, in start order (slowest first).
NAMES = ("rabbitmq", "redis", "nats")
#: Debian package that provides each server.
PACKAGES = {
    "rabbitmq": "rabbitmq-server",
    "redis": "redis-server",
    "nats": "nats-server",
}
#: Environment variable through which the labs find each server.
URL_VARIABLES = {
    "rabbitmq": "LAB_RABBITMQ_URL",
    "redis": "LAB_REDIS_URL",
    "nats": "LAB_NATS_URL",
}
#: Seconds to wait for a server to answer (RabbitMQ needs 3-10 s).
START_TIMEOUT = 60.0
#: Seconds a server gets to exit after SIGTERM before SIGKILL.
STOP_TIMEOUT = 15.0
# The real start script: Debian's /usr/sbin/rabbitmq-server switches to the
# rabbitmq user (as root), which could not write our data directory.
RABBITMQ_SCRIPTS = (
    "/usr/lib/rabbitmq/bin/rabbitmq-server",
    "/usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server",
)
EPMD_PATHS = ("/usr/lib/erlang/erts-*/bin/epmd",)


class BrokerError(RuntimeError):
    """A server is missing, did not start, or did not answer in time."""


@dataclass
class Server:
    """A running server: its child process and where it keeps its files.

    ``helpers`` are processes started for it (RabbitMQ's epmd), stopped
    after it.
    """

    name: str
    port: int
    url: str
    process: subprocess.Popen[bytes]
    workdir: Path
    log: Path
    helpers: list[Server] = field(default_factory=list)
    start_seconds: float = 0.0  # from launch to the first good answer

    @property
    def pid(self) -> int:
        """The process id of the server (the one :func:`stop` signals)."""
        return self.process.pid


def find_executable(name: str) -> str | None:
    """Path of the server program for ``name``, or ``None`` if missing."""
    if name == "rabbitmq":
        return _first_match(RABBITMQ_SCRIPTS) or shutil.which("rabbitmq-server")
    if name == "epmd":
        return shutil.which("epmd") or _first_match(EPMD_PATHS)
    program = {"redis": "redis-server", "nats": "nats-server"}[name]
    return shutil.which(program) or _first_match((f"/usr/sbin/{program}",))


def _first_match(patterns: Sequence[str]) -> str | None:
    for pattern in patterns:
        for path in sorted(glob.glob(pattern)):
            if os.access(path, os.X_OK):
                return path
    return None


def missing(names: Sequence[str] = NAMES) -> list[str]:
    """The servers among ``names`` that are not installed."""
    return [name for name in names if find_executable(name) is None]


def install_hint(names: Sequence[str]) -> str:
    """What to install for ``names``, as one command line."""
    packages = " ".join(PACKAGES[name] for name in names)
    return f"apt-get install {packages} (Debian packages)"


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on 127.0.0.1 that nothing listens on."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket())
            sock.bind((HOST, 0))  # held until all are chosen: no repeats
            ports.append(int(sock.getsockname()[1]))
        return ports


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    return free_ports(1)[0]


def _exchange(port: int, greeting: bytes, timeout: float = 1.0) -> bytes:
    """Connect, send ``greeting`` (if any) and return the first bytes read."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        if greeting:
            sock.sendall(greeting)
        return sock.recv(1024)


def amqp_ready(port: int) -> bool:
    """True when an AMQP 0-9-1 server answers the protocol header.

    The answer to the header is a method frame (type 1): Connection.Start.
    """
    with contextlib.suppress(OSError):
        return _exchange(port, b"AMQP\x00\x00\x09\x01")[:1] == b"\x01"
    return False


def redis_ready(port: int) -> bool:
    """True when a Redis server answers ``PING`` with ``+PONG``."""
    with contextlib.suppress(OSError):
        return _exchange(port, b"PING\r\n").startswith(b"+PONG")
    return False


def nats_ready(port: int) -> bool:
    """True when a NATS server with JetStream sends its ``INFO`` line."""
    with contextlib.suppress(OSError):
        info = _exchange(port, b"")
        return info.startswith(b"INFO ") and b'"jetstream":true' in info
    return False


def tcp_ready(port: int) -> bool:
    """True when something accepts TCP connections on the port."""
    with (
        contextlib.suppress(OSError),
        socket.create_connection((HOST, port), timeout=1.0),
    ):
        return True
    return False


def log_tail(log: Path, lines: int = 20) -> str:
    """The last ``lines`` lines of a log file ('' if there is none)."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_ready(
    server: Server, ready: Callable[[int], bool], timeout: float
) -> None:
    """Poll ``ready(port)`` until it holds; raise if the server dies first.

    Raises:
        BrokerError: the server exited, or was not ready after ``timeout``
            seconds; the message names it and quotes the end of its log.
    """
    deadline = time.monotonic() + timeout
    while not ready(server.port):
        code = server.process.poll()
        if code is not None:
            raise BrokerError(
                f"{server.name} exited with code {code} before it answered"
                f" on {HOST}:{server.port}; end of {server.log}:\n"
                + log_tail(server.log)
            )
        if time.monotonic() > deadline:
            raise BrokerError(
                f"{server.name} did not answer on {HOST}:{server.port}"
                f" within {timeout:g} s; end of {server.log}:\n"
                + log_tail(server.log)
            )
        time.sleep(0.05)


def launch(
    name: str,
    argv: Sequence[str],
    workdir: Path,
    port: int,
    url: str,
    env: Mapping[str, str] | None = None,
) -> Server:
    """Start ``argv`` in ``workdir`` as the leader of a new process group.

    Standard output and error go to ``workdir/<name>.log``.
    """
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv),
            cwd=workdir,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, port, url, process, workdir, log)


def stop(server: Server, timeout: float = STOP_TIMEOUT) -> None:
    """Stop a server by its pid, then its helpers; never raises for a
    server that is already gone.

    ``SIGTERM`` first (RabbitMQ's start script forwards it to the Erlang VM,
    which shuts down cleanly); after ``timeout`` seconds ``SIGKILL`` to the
    process group the server leads. Left-over children in that group (an
    Erlang VM's port programs) are killed as well.
    """
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            process.wait(timeout)
    _kill_group(process.pid)
    for helper in reversed(server.helpers):
        stop(helper, timeout)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _require(name: str) -> str:
    path = find_executable(name)
    if path is None:
        package = PACKAGES.get(name, "erlang-base")
        raise BrokerError(f"{name} is not installed: apt-get install {package}")
    return path


def rabbitmq_env(
    workdir: Path, port: int, dist_port: int, epmd_port: int
) -> dict[str, str]:
    """Environment for a fresh RabbitMQ node living entirely in ``workdir``.

    Its own node name, ports bound to 127.0.0.1 (AMQP, Erlang
    distribution, epmd), data, logs, configuration files and Erlang cookie
    (``HOME``) under ``workdir``; no plugins. Nothing under /etc or /var.
    """
    files = {
        "RABBITMQ_CONF_ENV_FILE": "rabbitmq-env.conf",
        "RABBITMQ_CONFIG_FILE": "rabbitmq",  # rabbitmq.conf
        "RABBITMQ_ADVANCED_CONFIG_FILE": "advanced.config",
        "RABBITMQ_ENABLED_PLUGINS_FILE": "enabled_plugins",
        "RABBITMQ_PLUGINS_EXPAND_DIR": "plugins",
        "RABBITMQ_MNESIA_BASE": "mnesia",
        "RABBITMQ_LOG_BASE": "log",
        "RABBITMQ_PID_FILE": "rabbitmq.pid",
    }
    env = dict(os.environ)
    env.update({key: str(workdir / value) for key, value in files.items()})
    env.update(
        {
            "HOME": str(workdir),  # .erlang.cookie goes here
            "RABBITMQ_NODENAME": f"lab{port}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": HOST,
            "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(dist_port),
            "RABBITMQ_LOGS": "-",  # to standard output: our log file
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": (
                "-kernel inet_dist_use_interface {127,0,0,1}"
            ),
            "ERL_EPMD_PORT": str(epmd_port),
            "ERL_EPMD_ADDRESS": HOST,
        }
    )
    return env


def start_rabbitmq(workdir: Path, timeout: float = START_TIMEOUT) -> Server:
    """Start epmd and a RabbitMQ node on free loopback ports."""
    script, epmd = _require("rabbitmq"), _require("epmd")
    port, dist_port, epmd_port = free_ports(3)
    env = rabbitmq_env(workdir, port, dist_port, epmd_port)
    (workdir / "rabbitmq-env.conf").write_text("", encoding="utf-8")
    (workdir / "enabled_plugins").write_text("[].\n", encoding="utf-8")
    # Our own epmd, so that RabbitMQ does not leave a daemon behind.
    name_server = launch(
        "epmd",
        [epmd, "-port", str(epmd_port), "-address", HOST],
        workdir,
        epmd_port,
        f"epmd://{HOST}:{epmd_port}",
        env,
    )
    try:
        wait_ready(name_server, tcp_ready, timeout)
        server = launch(
            "rabbitmq",
            [script],
            workdir,
            port,
            f"amqp://guest:guest@{HOST}:{port}/%2F",
            env,
        )
    except BaseException:
        stop(name_server)
        raise
    server.helpers.append(name_server)
    _wait_or_stop(server, amqp_ready, timeout)
    return server


def start_redis(workdir: Path, timeout: float = START_TIMEOUT) -> Server:
    """Start a Redis server without persistence on a free loopback port."""
    port = free_port()
    argv = [
        _require("redis"),
        "--bind",
        HOST,
        "--port",
        str(port),
        "--dir",
        str(workdir),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
    ]
    server = launch("redis", argv, workdir, port, f"redis://{HOST}:{port}/0")
    _wait_or_stop(server, redis_ready, timeout)
    return server


def start_nats(workdir: Path, timeout: float = START_TIMEOUT) -> Server:
    """Start a NATS server with JetStream on a free loopback port."""
    port = free_port()
    store = workdir / "jetstream"
    argv = [
        _require("nats"),
        "--addr",
        HOST,
        "--port",
        str(port),
        "--jetstream",
        "--store_dir",
        str(store),
        "--name",
        f"lab{port}",
    ]
    server = launch("nats", argv, workdir, port, f"nats://{HOST}:{port}")
    _wait_or_stop(server, nats_ready, timeout)
    return server


def _wait_or_stop(
    server: Server, ready: Callable[[int], bool], timeout: float
) -> None:
    try:
        wait_ready(server, ready, timeout)
    except BaseException:
        stop(server)
        raise


STARTERS: dict[str, Callable[[Path, float], Server]] = {
    "rabbitmq": start_rabbitmq,
    "redis": start_redis,
    "nats": start_nats,
}


def start(name: str, base: Path, timeout: float = START_TIMEOUT) -> Server:
    """Start server ``name`` with a fresh data directory under ``base``."""
    if name not in STARTERS:
        raise BrokerError(f"unknown server {name!r}; known: {NAMES}")
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
    began = time.monotonic()
    server = STARTERS[name](workdir, timeout)
    server.start_seconds = time.monotonic() - began
    return server


@contextlib.contextmanager
def running(
    names: Sequence[str], base: Path, timeout: float = START_TIMEOUT
) -> Iterator[dict[str, Server]]:
    """Start the servers, yield them by name, and always stop them all.

    They are stopped even when the body or a later start raises; their
    data directories are removed after a clean exit and kept (with the
    logs) otherwise.
    """
    servers: dict[str, Server] = {}
    ok = False
    try:
        for name in names:
            servers[name] = start(name, base, timeout)
        yield servers
        ok = True
    finally:
        for server in reversed(list(servers.values())):
            stop(server)
            if ok:  # keep the logs of a failed run
                shutil.rmtree(server.workdir, ignore_errors=True)


def lab_env(servers: Mapping[str, Server]) -> dict[str, str]:
    """The environment for a lab: the URL variables plus ``PYTHONPATH``."""
    env = dict(os.environ)
    env.update({URL_VARIABLES[n]: s.url for n, s in servers.items()})
    paths = [str(ROOT / "snippets"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def lab_files() -> list[Path]:
    """The runnable labs: snippets/labs/*.py that show output (``# >``)."""
    return sorted(
        path
        for path in LABS.glob("*.py")
        if expected_output(path.read_text(encoding="utf-8"))
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``labs`` or ``run -- CMD``; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["labs", "run", "missing"])
    parser.add_argument(
        "argv", nargs=argparse.REMAINDER, help="with run: -- the command"
    )
    parser.add_argument(
        "--base",
        type=Path,
        default=ROOT / "build" / "labs",
        help="parent of the fresh data directories (default: build/labs)",
    )
    parser.add_argument(
        "--servers", default=",".join(NAMES), help="comma-separated names"
    )
    args = parser.parse_args(argv)
    command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if (args.command == "run") != bool(command):
        parser.error("give a command after run, and only after run")
    names = [n for n in args.servers.split(",") if n]
    absent = missing(names)
    if args.command == "missing":  # for `make broker-deps`
        print(" ".join(PACKAGES[name] for name in absent))
        return 0
    if absent:
        print(f"not installed: {install_hint(absent)}", file=sys.stderr)
        return 2
    with running(names, args.base) as servers:
        for server in servers.values():
            print(
                f"started {server.name} (pid {server.pid}, port"
                f" {server.port}) in {server.start_seconds:.1f} s",
                file=sys.stderr,
            )
        env = lab_env(servers)
        if args.command == "run":
            return subprocess.run(command, env=env, check=False).returncode
        failed = 0
        for lab in lab_files():
            print(f"\n=== {lab.relative_to(ROOT)}", flush=True)
            result = subprocess.run(
                [sys.executable, str(lab)], env=env, check=False
            )
            failed += result.returncode != 0
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
