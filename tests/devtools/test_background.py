"""Background CPU priority for the embedded stack's deferred processes (``devtools.background``):
the inbox relay, the worker and Temporal run only on CPU the API does not want, so a burst of
webhooks is acknowledged before its turns are run; the API keeps its priority."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.stack import DEFERRED_PROCESSES, ROOT, Stack
from switchboard.settings import Settings

# What a process reports about its own scheduling, and that of a thread it starts.
REPORT = """
import json, os, threading
from pathlib import Path
seen = {}
def look(key):
    seen[key] = getattr(os, "sched_getscheduler", lambda pid: None)(0)
look("policy")
thread = threading.Thread(target=look, args=("thread_policy",))
thread.start()
thread.join()
group = Path("/proc/self/autogroup")
seen["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
seen["autogroup"] = group.read_text().strip() if group.exists() else None
print(json.dumps(seen), flush=True)
"""


def test_a_command_run_in_the_background_and_its_threads_yield_the_cpu() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devtools.background", sys.executable, "-c", REPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # as the stack starts it: an autogroup of its own
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["nice"] == 19
    if hasattr(os, "SCHED_IDLE"):
        assert seen["policy"] == seen["thread_policy"] == os.SCHED_IDLE
    if seen["autogroup"] is not None:
        assert seen["autogroup"].endswith("nice 19")


def test_the_launcher_without_a_command_says_how_to_use_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devtools.background"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "usage" in done.stderr


@pytest.mark.parametrize("deferred_priority", [True, False])
def test_the_stack_runs_only_the_deferred_processes_in_the_background(
    tmp_path: Path, deferred_priority: bool
) -> None:
    stack = Stack(Settings(_env_file=None), log_dir=tmp_path, deferred_priority=deferred_priority)
    names = [*DEFERRED_PROCESSES, "api", "media"]
    try:
        for name in names:
            stack._spawn(name, [sys.executable, "-c", REPORT], dict(os.environ))
        for _, proc in stack.processes:
            assert proc.wait(timeout=60) == 0
    finally:
        stack.stop()
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    nice = {name: json.loads((tmp_path / f"{name}.log").read_text())["nice"] for name in names}
    background = 19 if deferred_priority else ours
    assert nice == {
        "relay": background,
        "worker": background,
        # lowered only once it answers (next test): it must start at full speed
        "temporal": ours,
        "api": ours,
        "media": ours,
    }


# Reports, after it is told to go on (a line on stdin), the policy and nice value of a thread
# it starts then: a Go server like Temporal starts threads after it has been lowered.
LATE_THREAD = """
import json, os, sys, threading
sys.stdin.readline()
seen = {}
def look():
    seen["policy"] = getattr(os, "sched_getscheduler", lambda pid: None)(0)
    seen["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
thread = threading.Thread(target=look)
thread.start()
thread.join()
print(json.dumps(seen), flush=True)
"""


@pytest.mark.parametrize("deferred_priority", [True, False])
def test_temporal_is_lowered_once_it_answers_with_its_later_threads(
    tmp_path: Path, deferred_priority: bool
) -> None:
    stack = Stack(Settings(_env_file=None), log_dir=tmp_path, deferred_priority=deferred_priority)
    proc = subprocess.Popen(
        [sys.executable, "-c", LATE_THREAD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stack.processes.append(("temporal", proc))
        stack._lower_when_ready("temporal")
        out, _ = proc.communicate(b"go\n", timeout=60)
    finally:
        proc.kill()
    seen = json.loads(out)
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen["nice"] == (19 if deferred_priority else ours)
    if hasattr(os, "SCHED_IDLE") and deferred_priority:
        assert seen["policy"] == os.SCHED_IDLE


def _priority(pid: int) -> tuple[int | None, int]:
    policy = getattr(os, "sched_getscheduler", lambda pid: None)(pid)
    return policy, os.getpriority(os.PRIO_PROCESS, pid)


def test_the_worker_s_and_relay_s_sql_runs_at_background_priority_the_api_s_does_not(
    database_url: str,
) -> None:
    # A burst's acknowledgements commit through the API's backends while the worker's and the
    # relay's queries run in backends of their own: only the latter yield the CPU.
    import psycopg

    from devtools.backend_priority import DeferredBackends
    from switchboard.db.engine import (
        RELAY_CONNECTIONS,
        STATEMENT_POOL_NAME,
        WORKER_CONNECTIONS,
    )

    def backend(name: str) -> psycopg.Connection[tuple[int]]:
        return psycopg.connect(database_url, autocommit=True, application_name=name)

    with (
        backend(WORKER_CONNECTIONS) as worker,
        backend(RELAY_CONNECTIONS) as relay,
        backend(STATEMENT_POOL_NAME) as api,
        backend("switchboard-stack-test") as own,
    ):
        pids = {
            name: conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            for name, conn in (("worker", worker), ("relay", relay), ("api", api))
        }
        api_before = _priority(pids["api"])
        keeper = DeferredBackends(database_url)
        lowered = keeper.poll(own)
        assert sorted(lowered) == sorted([pids["worker"], pids["relay"]])
        for name in ("worker", "relay"):
            policy, nice = _priority(pids[name])
            assert nice == 19
            if hasattr(os, "SCHED_IDLE"):
                assert policy == os.SCHED_IDLE
        assert _priority(pids["api"]) == api_before
        # Each is lowered once; the worker's statements still run.
        assert keeper.poll(own) == []
        assert worker.execute("SELECT 1").fetchone() == (1,)


async def test_the_worker_s_direct_statements_run_at_background_priority_too(
    database_url: str,
) -> None:
    # The activities' one-statement paths have a pool of their own (``worker_database``): its
    # backends must be found as the worker's, or a burst's turns compete with its acks again.
    import psycopg

    from devtools.backend_priority import DeferredBackends
    from worker import worker_database

    db = worker_database(database_url)
    await db.open()
    try:
        async with db.autocommit() as conn:
            found = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
            assert found is not None
            with psycopg.connect(
                database_url, autocommit=True, application_name="switchboard-stack-test"
            ) as own:
                lowered = DeferredBackends(database_url).poll(own)
            assert found[0] in lowered
            assert _priority(found[0])[1] == 19
    finally:
        await db.dispose()
