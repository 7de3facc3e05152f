"""Follow and steer the runs of a journey through the Temporal client: list them by search
attributes, pause, resume or cancel every running one.

Runs are found in Temporal's visibility store with the search attributes ``JourneyWorkflow``
sets (``JourneyName``, ``CustomerPhone``, ``JourneyVersion``, ``JourneyStep``, ``Channel``), e.g.
``JourneyName = "outreach" AND ExecutionStatus = "Running"``. Visibility is eventually
consistent: a run started a moment ago may not be listed yet.

Pause and resume are the workflow's ``pause``/``resume`` signals: a paused run finishes the step
it is in (a wait keeps waiting, a send already due goes out) and stops before the next one until
resumed; exit events still end it. Given the database, pause also records the journey paused
(``journey_pause``, who and since when): the runs that start while it is paused (a trigger, an
audience launch, a broadcast) start paused and wait before their first step; resume forgets it
and signals every running run, those started paused included. Cancel is a Temporal cancellation
request: the run stops at once, wherever it is waiting, and closes as ``CANCELED``.

The state is written before the running runs are signalled, but visibility lags (about a
second): a run whose trigger was matched just before the pause was recorded and that is not
listed yet runs on, unpaused; one started paused just before a resume and not listed yet stays
paused until the next resume (resuming again reaches it: it signals every running run).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from temporalio.client import Client, WorkflowExecution
from temporalio.service import RPCError, RPCStatusCode

from switchboard.db import journey_pauses
from switchboard.db.engine import Database
from switchboard.journeys.schema import NAME
from switchboard.temporal import (
    CHANNEL,
    CUSTOMER_PHONE,
    JOURNEY_BRANCH,
    JOURNEY_GOAL,
    JOURNEY_NAME,
    JOURNEY_STEP,
    JOURNEY_VERSION,
)
from workflows.journey import JourneyWorkflow

RunStatus = Literal["running", "completed", "failed", "canceled", "terminated", "timed_out", "all"]

# Visibility query values of ExecutionStatus (Temporal docs, "List Filter").
_STATUS_QUERY: dict[str, str] = {
    "running": "Running",
    "completed": "Completed",
    "failed": "Failed",
    "canceled": "Canceled",
    "terminated": "Terminated",
    "timed_out": "TimedOut",
}
CONCURRENCY = 50  # signals or cancellations in flight at once


class InvalidJourneyName(ValueError):
    """Not a journey slug (``^[a-z0-9][a-z0-9-]{1,62}$``); never put in a query."""


@dataclass(frozen=True)
class JourneyRun:
    """One run, as the visibility store lists it. ``status`` is Temporal's
    (``RUNNING``, ``COMPLETED``, ``CANCELED``…); times are aware UTC; search attributes the run
    has not set yet are None."""

    workflow_id: str
    run_id: str
    status: str
    customer: str | None
    version: str | None
    step: str | None
    channel: str | None
    started_at: datetime
    closed_at: datetime | None
    goal: str | None = None  # "converted" once the run met its goal
    branch: str | None = None  # "<split step>:<branch>" of its last split


def runs_query(name: str, *, status: RunStatus = "running", customer: str | None = None) -> str:
    """The visibility query for ``name``'s runs, e.g.
    ``JourneyName = "outreach" AND ExecutionStatus = "Running"``. ``customer`` must be E.164
    (``+`` and digits). Raises ``InvalidJourneyName`` or ``ValueError`` (bad status or number)."""
    if not NAME.match(name):
        raise InvalidJourneyName(f"not a journey name: {name!r}")
    parts = [f'{JOURNEY_NAME.name} = "{name}"']
    if status != "all":
        if status not in _STATUS_QUERY:
            raise ValueError(f"unknown status {status!r}: one of {', '.join(_STATUS_QUERY)}, all")
        parts.append(f'ExecutionStatus = "{_STATUS_QUERY[status]}"')
    if customer is not None:
        if not (customer.startswith("+") and customer[1:].isdigit()):
            raise ValueError(f"not an E.164 number: {customer!r}")
        parts.append(f'{CUSTOMER_PHONE.name} = "{customer}"')
    return " AND ".join(parts)


async def list_runs(
    client: Client,
    name: str,
    *,
    status: RunStatus = "running",
    customer: str | None = None,
    limit: int = 1000,
) -> list[JourneyRun]:
    """Runs of journey ``name`` (newest first, at most ``limit``). Raises as ``runs_query``,
    and ``temporalio.service.RPCError`` if Temporal is unreachable or lacks the search
    attributes."""
    query = runs_query(name, status=status, customer=customer)
    runs: list[JourneyRun] = []
    async for execution in client.list_workflows(query, limit=limit):
        runs.append(_run_of(execution))
    return runs


async def pause(client: Client, name: str, *, db: Database | None = None, by: str = "") -> int:
    """Record ``name`` paused by ``by`` (a person) when ``db`` is given, so that its runs that
    start from now on start paused; then signal ``pause`` to every running run. Returns how
    many were signalled. Without ``db`` only the running runs pause (a journey without a
    file, whose runs no trigger starts any more). Raises as ``list_runs``."""
    if db is not None:
        if not NAME.match(name):
            raise InvalidJourneyName(f"not a journey name: {name!r}")
        async with db.session() as s:
            await journey_pauses.pause(s, journey=name, by=by)
    return await _each_running(client, name, "pause")


async def resume(client: Client, name: str, *, db: Database | None = None) -> int:
    """Forget ``name``'s pause when ``db`` is given, then signal ``resume`` to every running
    run (those started paused included); returns how many were signalled."""
    if db is not None:
        async with db.session() as s:
            await journey_pauses.resume(s, journey=name)
    return await _each_running(client, name, "resume")


async def cancel(client: Client, name: str) -> int:
    """Request cancellation of every running run of ``name``; returns how many."""
    return await _each_running(client, name, "cancel")


async def _each_running(
    client: Client, name: str, action: Literal["pause", "resume", "cancel"]
) -> int:
    runs = await list_runs(client, name, status="running")
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(run: JourneyRun) -> bool:
        handle = client.get_workflow_handle(run.workflow_id)
        async with gate:
            try:
                if action == "pause":
                    await handle.signal(JourneyWorkflow.pause)
                elif action == "resume":
                    await handle.signal(JourneyWorkflow.resume)
                else:
                    await handle.cancel()
            except RPCError as exc:
                if exc.status is RPCStatusCode.NOT_FOUND:  # closed since it was listed
                    return False
                raise
        return True

    done = await asyncio.gather(*(one(r) for r in runs))
    return sum(done)


def _run_of(execution: WorkflowExecution) -> JourneyRun:
    attributes = execution.typed_search_attributes
    return JourneyRun(
        workflow_id=execution.id,
        run_id=execution.run_id,
        status=execution.status.name if execution.status is not None else "UNKNOWN",
        customer=attributes.get(CUSTOMER_PHONE),
        version=attributes.get(JOURNEY_VERSION),
        step=attributes.get(JOURNEY_STEP),
        channel=attributes.get(CHANNEL),
        started_at=execution.start_time,
        closed_at=execution.close_time,
        goal=attributes.get(JOURNEY_GOAL),
        branch=attributes.get(JOURNEY_BRANCH),
    )
