"""Postgres backends of the deferred processes at background CPU priority, on the embedded stack.

The embedded stack runs the processes whose work may lag behind a burst of webhooks (the inbox
relay, the worker, Temporal) at background CPU priority (``devtools.background``), but their
SQL runs in Postgres *backends*, one process per connection, forked by the postmaster at its
normal priority: during a burst the worker's and the relay's queries took the CPU the API's
inbox commits waited for. Measured on the benchmark machine at 200 webhooks/s (2026-12-02,
other programs loading it, one run, two stacks one after the other): ack p50 / p95 / p99
8.9 / 47.3 / 88.0 ms with those backends at normal priority, 5.5 / 15.5 / 22.7 ms with them
lowered, the floor (signature only) 1.4 / 6.3 / 24.4 ms; the backlog's hand-over rate was not
lower (23 and 44 messages/s). Issue 11.

``DeferredBackends`` is a thread of the stack's own process: every ``interval_s`` it reads
``pg_stat_activity`` for client backends named ``switchboard.db.engine.DEFERRED_CONNECTIONS``
(the worker's and the relay's ``application_name``) and lowers each new one as
``devtools.background.lower_priority_of`` lowers a process, *without* its autogroup: every
backend is in the postmaster's session, so the autogroup's nice value would lower the API's
backends too. Only for a Postgres on this machine whose backends this user may reprioritise
(the embedded one): lowering a process of one's own user needs no privilege (``sched(7)``,
``setpriority(2)``). A backend opened between two polls runs at normal priority until the
next; the pools keep their connections, so that is their first statements only.

In production the deferred work runs in containers of its own (``cpu_shares`` in
docker-compose.yml) and Postgres is shared: this is the one-machine stand-in, as
``devtools.background`` is.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

import psycopg

from devtools.background import lower_priority_of
from switchboard.db.engine import DEFERRED_CONNECTIONS

log = logging.getLogger("devtools.backend_priority")

# Long enough to cost nothing (one catalog read, ~0.2 ms of CPU), short enough that a new
# connection's first statements are the only ones at normal priority.
INTERVAL_S = 0.5
OWN_NAME = "switchboard-stack-priority"

_DEFERRED_BACKENDS = """
    SELECT pid FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND application_name = ANY(%(names)s)
    """


class DeferredBackends:
    """A daemon thread lowering the deferred processes' backends (module docstring).

    ``database_url``: libpq's form. ``start()`` / ``stop()``; ``lowered`` holds the pids
    lowered and still alive at the last poll. A Postgres that cannot
    be reached (restarting, in the chaos suite) is tried again at the next poll; nothing here
    raises."""

    def __init__(self, database_url: str, *, interval_s: float = INTERVAL_S) -> None:
        self._url = database_url
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lowered: set[int] = set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="deferred backends", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def poll(self, conn: psycopg.Connection[Any]) -> list[int]:
        """One pass on ``conn``: lower the deferred backends not lowered yet; returns their
        pids. A backend gone meanwhile is skipped (its pid may be reused by a later one, which
        is then seen as new)."""
        alive = {
            pid
            for (pid,) in conn.execute(_DEFERRED_BACKENDS, {"names": list(DEFERRED_CONNECTIONS)})
        }
        self.lowered &= alive
        new = sorted(alive - self.lowered)
        for pid in new:
            with contextlib.suppress(OSError):
                # Not into the stack's idle CPU group (devtools.idle_cgroup): a backend there,
                # preempted by anything while it holds a lock every commit needs (the WAL's),
                # made the API's commits wait on it. Quiet, 200/s: ack p99 25.1 ms with the
                # backends in the group, 9.0 ms with them only lowered (floor 2.6 / 2.7 ms).
                done = lower_priority_of(pid, autogroup=False)
                log.debug("backend %s at background priority: %s", pid, ", ".join(done))
            self.lowered.add(pid)
        return new

    def _run(self) -> None:
        conn: psycopg.Connection[Any] | None = None
        while not self._stop.is_set():
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(
                        self._url, autocommit=True, application_name=OWN_NAME, connect_timeout=2
                    )
                self.poll(conn)
            except psycopg.Error as exc:
                log.debug("deferred backends not read: %s", exc)
                if conn is not None:
                    with contextlib.suppress(psycopg.Error):
                        conn.close()
                conn = None
            self._stop.wait(self._interval_s)
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.close()
