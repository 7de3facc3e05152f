"""The embedded stack's supervision of a process that is several (``devtools.stack``): the API
with ``api_workers`` uvicorn worker processes behind one port."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil

from devtools.stack import Stack, port_open
from switchboard.settings import Settings
from tests.fakes.server import free_port


def _wait(condition: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_crashed_api_takes_its_worker_processes_and_frees_its_port(tmp_path: Path) -> None:
    """A SIGKILLed uvicorn supervisor leaves its workers running, listening on the port; the
    stack's crash (the chaos suite's) must take them too, or the API cannot start again."""
    port = free_port()
    stack = Stack(Settings(_env_file=None), log_dir=tmp_path)
    args = [
        *(sys.executable, "-m", "uvicorn", "--factory", "devtools.fake_twilio.main:app"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "2"),
        *("--log-level", "warning"),
    ]
    stack._spawn("api", args, stack.child_env())
    supervisor = psutil.Process(stack.processes[-1][1].pid)
    try:
        _wait(lambda: port_open("127.0.0.1", port), 120, "the API never listened")
        _wait(lambda: len(supervisor.children()) >= 2, 60, "no two worker processes")
        workers = supervisor.children()
        stack.crash("api")
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert alive == []
        assert not port_open("127.0.0.1", port)
    finally:
        stack.stop()
        for proc in supervisor.children(recursive=True) if supervisor.is_running() else []:
            proc.kill()
