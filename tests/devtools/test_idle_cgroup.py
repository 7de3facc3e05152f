"""The idle CPU group of the embedded stack's deferred work (``devtools.idle_cgroup``): a burst's
turns run only on CPU the API's acknowledgements do not want, whatever session each process
leads; where the machine has no such group the stack runs on with per-task priorities."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools.idle_cgroup import IdleCgroup, cpu_hierarchy
from devtools.stack import Stack
from switchboard.settings import Settings


def test_the_cpu_hierarchy_is_found_in_cgroup_v1_and_v2_layouts(tmp_path: Path) -> None:
    v1 = tmp_path / "v1"
    (v1 / "cpu" / "user.slice").mkdir(parents=True)
    (v1 / "cpu" / "cpu.idle").write_text("0")
    assert cpu_hierarchy("4:memory:/x\n1:cpu:/user.slice\n0::/", root=v1) == (
        v1 / "cpu" / "user.slice",
        "v1",
    )
    v2 = tmp_path / "v2"
    (v2 / "app.slice" / "me.scope").mkdir(parents=True)
    (v2 / "app.slice" / "cgroup.subtree_control").write_text("cpu memory pids\n")
    assert cpu_hierarchy("0::/app.slice/me.scope\n", root=v2) == (v2 / "app.slice", "v2")
    # The cpu controller not handed down to this process's siblings: no group to make there.
    (v2 / "app.slice" / "cgroup.subtree_control").write_text("memory pids\n")
    assert cpu_hierarchy("0::/app.slice/me.scope\n", root=v2) is None


def test_without_a_writable_hierarchy_there_is_no_group_and_nothing_fails(tmp_path: Path) -> None:
    assert IdleCgroup.create("switchboard-test", root=tmp_path) is None


def _idle_group(name: str) -> IdleCgroup:
    group = IdleCgroup.create(name)
    if group is None:
        pytest.skip("no writable CPU cgroup with cpu.idle on this machine")
    return group


SPIN = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end: pass\n"


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
def test_work_in_the_idle_group_yields_the_cpu_to_a_process_of_another_session() -> None:
    # The API and the worker, each leading its own session (as the stack starts them), on one
    # CPU: the worker's turns must not take the API's time.
    group = _idle_group(f"switchboard-test-{os.getpid()}")
    cpu = min(os.sched_getaffinity(0))
    spinners: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(2):
            proc = subprocess.Popen([sys.executable, "-c", SPIN], start_new_session=True)
            os.sched_setaffinity(proc.pid, {cpu})
            spinners.append(proc)
        api, worker = spinners
        assert group.add(worker.pid)
        time.sleep(0.3)  # both running
        api_before, worker_before = _cpu_s(api.pid), _cpu_s(worker.pid)
        time.sleep(1.5)
        api_used = _cpu_s(api.pid) - api_before
        worker_used = _cpu_s(worker.pid) - worker_before
    finally:
        for proc in spinners:
            proc.kill()
            proc.wait(timeout=10)
        assert group.remove()
    # Without the group the two share the CPU about evenly (autogroups of equal weight).
    assert api_used > 10 * max(worker_used, 0.01), (api_used, worker_used)
    assert not group.path.exists()


def test_the_stack_puts_only_its_deferred_processes_in_the_idle_group(tmp_path: Path) -> None:
    _idle_group(f"switchboard-probe-{os.getpid()}").remove()
    stack = Stack(Settings(_env_file=None), log_dir=tmp_path, deferred_priority=True)
    stack._idle = IdleCgroup.create(f"switchboard-stack-test-{os.getpid()}")
    assert stack._idle is not None
    group = stack._idle.path
    waiting = [sys.executable, "-c", "import time; time.sleep(60)"]
    try:
        for name in ("worker", "relay", "api", "media"):
            stack._spawn(name, waiting, dict(os.environ))
        members = stack._idle.members()
        pids = {name: proc.pid for name, proc in stack.processes}
        assert {pids["worker"], pids["relay"]} <= members
        assert not {pids["api"], pids["media"]} & members
    finally:
        for _, proc in stack.processes:
            proc.kill()
        stack.stop()
    assert not group.exists()
