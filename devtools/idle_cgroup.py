"""An idle CPU cgroup for the embedded stack's deferred processes (relay, worker, Temporal).

``devtools.background`` runs the deferred processes (the inbox relay, the worker, Temporal) under
the ``SCHED_IDLE`` policy, and ``devtools.backend_priority`` their Postgres backends. A task's
``SCHED_IDLE`` is only relative to the tasks it shares a run queue with, though: the kernel
decides a wake-up preemption between the *matching* scheduling entities of the woken and the
running task, and with autogroups on (``sched(7)``, "The autogroup feature") every session is an
entity of its own. An API process (or its Postgres backend) waking up beside a busy worker of
another session therefore waits for the CPU like any normal task would, up to the scheduler's
slice, instead of preempting it at once. Measured on the benchmark machine at 200 webhooks/s
(2026-12-02, issue 11): the API waited 0.8 ms for a CPU per acknowledged webhook and its event
loop lagged 7 ms at p99, while the floor (the same API, signature only, nothing else running)
waited 0.1 ms.

A CPU cgroup with ``cpu.idle`` set to 1 is ``SCHED_IDLE`` as a whole (Linux 5.15, commit
304000390f88 "sched: Cgroup SCHED_IDLE support",
https://git.kernel.org/torvalds/c/304000390f88d049c85e9a0958ac5567f38816ee; the interface:
https://www.alibabacloud.com/help/en/alinux/user-guide/cgroup-sched-idle-feature): "the
non-idle subtree will dominate competition vs the idle subtree", and every task outside it
preempts the tasks inside at once on wake-up, whatever their sessions. ``IdleCgroup`` creates
one such group next to this process's own (cgroup v2, or v1's ``cpu`` hierarchy) and moves
processes into it; tasks in a cgroup other than the root one are outside autogroups, so the
nice values ``devtools.background`` sets still order them among themselves.

Where there is no writable CPU hierarchy (no privilege to create a cgroup, or no ``cpu.idle``
before Linux 5.15) ``IdleCgroup.create`` returns ``None`` and the stack keeps the per-task
priorities alone.

The deferred processes' Postgres backends stay out of the group (``devtools.backend_priority``
lowers them per task only): a backend in an idle group is preempted by anything, also while it
holds a lock every commit needs, and the API's commits then waited on it. Quiet, 200 webhooks/s,
2026-12-02: ack p50 / p95 / p99 3.79 / 9.52 / 25.12 ms with the backends in the group, 2.78 /
4.86 / 8.99 ms with them only lowered; the floor's p99 2.6 and 2.7 ms.

In production the deferred work runs in containers of its own (``cpu_shares`` in
docker-compose.yml): this is the one-machine stand-in, as ``devtools.background`` is.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("devtools.idle_cgroup")

CGROUP_ROOT = Path("/sys/fs/cgroup")
# How long ``remove`` waits for the tasks of stopped processes to leave the group (s).
REMOVE_WAIT_S = 5.0


def cpu_hierarchy(
    proc_cgroup: str | None = None, root: Path = CGROUP_ROOT
) -> tuple[Path, str] | None:
    """This process's directory in the hierarchy that holds the ``cpu`` controller, and which
    version that is (``"v2"`` or ``"v1"``); ``None`` where there is none. ``proc_cgroup`` is
    the text of ``/proc/self/cgroup`` (``cgroups(7)``: ``ID:CONTROLLERS:PATH`` per line; the
    v2 line is ``0::PATH``), read when not given."""
    text = proc_cgroup if proc_cgroup is not None else Path("/proc/self/cgroup").read_text()
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):  # v1: its own mount, /sys/fs/cgroup/cpu[,cpuacct]
            for name in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
                mount = root / name
                if (mount / "cpu.idle").exists():
                    return mount / path.lstrip("/"), "v1"
    for line in text.splitlines():
        if line.startswith("0::"):
            path = line[3:].strip("/")
            # A v2 process lives in a leaf ("no internal processes"): its group's siblings go
            # beside it, under a parent that hands the cpu controller down.
            parent = (root / path).parent if path else root
            with contextlib.suppress(OSError):
                if "cpu" in (parent / "cgroup.subtree_control").read_text().split():
                    return parent, "v2"
    return None


@dataclass
class IdleCgroup:
    """A ``cpu.idle`` cgroup (module docstring): ``path`` is its directory. ``add(pid)`` moves
    a whole process (every thread) in; ``remove()`` deletes the group once its processes have
    ended. Nothing here raises ``OSError`` after ``create``: a process that ended meanwhile, or a
    hierarchy that refuses it, is logged and left where it is."""

    path: Path

    @classmethod
    def create(cls, name: str, root: Path = CGROUP_ROOT) -> IdleCgroup | None:
        """Create the group ``name`` (a directory name, e.g. ``switchboard-deferred-<pid>``) next
        to this process's cgroup and set ``cpu.idle`` to 1; ``None`` (logged) where that cannot
        be done."""
        found = cpu_hierarchy(root=root)
        if found is None:
            log.info("no CPU cgroup hierarchy: deferred processes keep per-task priority only")
            return None
        parent, version = found
        path = parent / name
        try:
            path.mkdir(exist_ok=True)
            (path / "cpu.idle").write_text("1")
        except OSError as exc:
            log.info("no idle cgroup (%s): deferred processes keep per-task priority only", exc)
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        log.info("idle CPU cgroup %s (cgroup %s)", path, version)
        return cls(path)

    def add(self, pid: int) -> bool:
        """Move process ``pid`` with all its threads into the group; whether it moved."""
        try:
            (self.path / "cgroup.procs").write_text(str(pid))
        except OSError as exc:  # ended meanwhile, or refused
            log.debug("pid %s not moved to %s: %s", pid, self.path, exc)
            return False
        return True

    def members(self) -> set[int]:
        """The processes in the group now."""
        with contextlib.suppress(OSError):
            text = (self.path / "cgroup.procs").read_text()
            return {int(pid) for pid in text.split()}
        return set()

    def remove(self, wait_s: float = REMOVE_WAIT_S) -> bool:
        """Delete the group once it is empty, waiting up to ``wait_s`` for ended processes to
        leave it; whether it is gone. A process still alive in it is moved out to the parent
        group first (a stack stopped while something it started lives on)."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                self.path.rmdir()
                return True
            except FileNotFoundError:
                return True
            except OSError:
                if time.monotonic() > deadline:
                    for pid in self.members():
                        with contextlib.suppress(OSError):
                            (self.path.parent / "cgroup.procs").write_text(str(pid))
                    with contextlib.suppress(OSError):
                        self.path.rmdir()
                        return True
                    log.warning("idle cgroup %s left behind", self.path)
                    return False
                time.sleep(0.05)


def default_name() -> str:
    """The group's name for the stack of this process."""
    return f"switchboard-deferred-{os.getpid()}"
