"""Run a command at background CPU priority: ``python -m devtools.background CMD [ARG...]``.

The embedded stack (``devtools.stack.Stack`` with ``deferred_priority``) starts the processes
whose work may lag behind a burst of webhooks — the inbox relay, the worker, the Temporal dev
server — through this launcher, so that on one machine they never take the CPU the API's
acknowledgements wait for. Twilio waits 15 s in all for a webhook's answer and does not retry
a messaging webhook that timed out unless the URL asks it to (Twilio error 11205,
https://www.twilio.com/docs/errors/11205; connection overrides,
https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides): a late
acknowledgement is a lost message, a late reply is only late. In production the same holds
between containers (``cpu_shares`` in docker-compose.yml).

What it sets, on this process before ``exec`` (so every thread and child of the command
inherits it; Linux only, each step skipped where the system has no such thing):

- the scheduling policy ``SCHED_IDLE`` (Linux ``sched(7)``): such a thread runs only on CPU no
  normal thread wants, and a normal thread that wakes up preempts it at once;
- the nice value ``NICE`` (for systems without ``SCHED_IDLE``; ignored under it);
- the nice value of its autogroup (``/proc/self/autogroup``, ``sched(7)``, "The autogroup
  feature"): with autogroups on (the default on most desktop and server kernels), the CPU is
  shared between sessions before thread priorities count, and the stack starts each process in
  a session of its own, so without this the relay, worker and Temporal would each weigh as
  much as the API.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

# The largest nice value (the lowest priority) Linux and macOS accept.
NICE = 19


def lower_priority(nice: int = NICE) -> list[str]:
    """Lower this process's CPU priority as the module docstring says; returns what was set
    (``"SCHED_IDLE"``, ``"nice"``, ``"autogroup"``), in that order, for a log line."""
    done: list[str] = []
    policy = getattr(os, "SCHED_IDLE", None)
    if policy is not None and hasattr(os, "sched_setscheduler"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, policy, os.sched_param(0))
            done.append("SCHED_IDLE")
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        done.append("nice")
    with contextlib.suppress(OSError):  # no autogroups (other kernels, or turned off)
        Path("/proc/self/autogroup").write_text(str(nice))
        done.append("autogroup")
    return done


def lower_priority_of(pid: int, nice: int = NICE, *, autogroup: bool = True) -> list[str]:
    """Lower a running process's CPU priority as ``lower_priority`` does its own: every thread
    it has now (``/proc/<pid>/task``; a thread it starts later inherits its creator's policy
    and nice value, ``sched(7)``, ``pthread_create(3)``) and its autogroup. For a process that
    must first start at full speed: the Temporal dev server gives its services a deadline to
    start and misses it when it starts at background priority on a busy machine. Returns what
    was set; a thread that exits meanwhile is skipped. ``autogroup=False`` leaves the autogroup
    alone: for one process of a session whose others keep their priority (a Postgres backend,
    ``devtools.backend_priority``)."""
    done: list[str] = []
    policy = getattr(os, "SCHED_IDLE", None)
    tasks = Path(f"/proc/{pid}/task")
    threads = [int(t.name) for t in tasks.iterdir()] if tasks.is_dir() else [pid]
    for tid in threads:
        if policy is not None and hasattr(os, "sched_setscheduler"):
            with contextlib.suppress(OSError):
                os.sched_setscheduler(tid, policy, os.sched_param(0))
                if "SCHED_IDLE" not in done:
                    done.append("SCHED_IDLE")
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, tid, nice)
            if "nice" not in done:
                done.append("nice")
    if autogroup:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/autogroup").write_text(str(nice))
            done.append("autogroup")
    return done


def main(argv: list[str]) -> None:
    """Lower the priority and ``exec`` ``argv`` (searched on ``PATH``). Exits 1 with a usage
    line without one."""
    if not argv:
        raise SystemExit("usage: python -m devtools.background CMD [ARG...]")
    lower_priority()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
