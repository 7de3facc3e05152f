"""A local database activity (``workflows.policies.db_activity``): Postgres unreachable is
retried until it answers; an error no retry fixes (a value the column cannot take:
``DataError``) is tried once and fails the workflow task, not the workflow, which Temporal
retries with backoff and no more history, so the run goes on once a fix is deployed. Retried as
an activity, it ran forever with its workflow task heartbeating the history longer every 8 s.
Real Postgres, the Temporal dev server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import psycopg
from sqlalchemy import text
from temporalio import activity, workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from switchboard.db.engine import Database
from tests.polling import eventually
from workflows.policies import db_activity


class Reads:
    """Database reads that fail as asked, counting their attempts."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.attempts = 0
        self.value = "not a number"  # until the fix: a value Postgres refuses (22P02)

    @activity.defn(name="test.read_number")
    async def read_number(self, _: str) -> int:
        """Postgres casts ``self.value``: a data exception, the same on every attempt."""
        self.attempts += 1
        async with self._db.session() as s:
            row = (await s.exec(text("SELECT CAST(:v AS integer)"), params={"v": self.value})).one()  # type: ignore[call-overload]
        return int(row[0])

    @activity.defn(name="test.outage_once")
    async def outage_once(self, value: str) -> int:
        """Postgres unreachable on the first attempt only."""
        self.attempts += 1
        if self.attempts == 1:
            raise psycopg.OperationalError("connection refused")
        return len(value)


@workflow.defn(sandboxed=False)
class ReadOnce:
    """One database read as a local activity, as the workflows run theirs."""

    @workflow.run
    async def run(self, name: str) -> int:
        read = Reads.read_number if name == "read_number" else Reads.outage_once
        return await db_activity(read, "x2", local=True)


async def events(handle: WorkflowHandle[ReadOnce, int]) -> list[EventType.ValueType]:
    return [e.event_type for e in (await handle.fetch_history()).events]


async def test_a_data_error_fails_the_task_not_the_run_which_goes_on_once_fixed(
    temporal: Client, db: Database
) -> None:
    reads = Reads(db)
    queue = f"db-retry-{uuid.uuid4()}"
    async with Worker(
        temporal, task_queue=queue, workflows=[ReadOnce], activities=[reads.read_number]
    ):
        handle = await temporal.start_workflow(
            ReadOnce.run,
            "read_number",
            id=f"db-retry-{uuid.uuid4()}",
            task_queue=queue,
            execution_timeout=timedelta(seconds=90),
        )
        failed = EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
        first = await eventually(lambda: events(handle), lambda e: failed in e, timeout_s=30)
        await asyncio.sleep(3)
        later = await events(handle)
        # No history while it waits (no heartbeats, no retry markers): the task's later
        # attempts are transient, only the one pending now is shown.
        assert later.count(failed) == 1
        assert len(later) <= len(first) + 2, later
        assert 1 <= reads.attempts <= 4, "tried once per workflow task attempt, backing off"

        reads.value = "42"  # the fix, deployed
        assert await asyncio.wait_for(handle.result(), timeout=60) == 42


async def test_an_outage_is_retried_until_the_database_answers(
    temporal: Client, db: Database
) -> None:
    reads = Reads(db)
    queue = f"db-retry-{uuid.uuid4()}"
    async with Worker(
        temporal, task_queue=queue, workflows=[ReadOnce], activities=[reads.outage_once]
    ):
        result = await temporal.execute_workflow(
            ReadOnce.run,
            "outage_once",
            id=f"db-retry-{uuid.uuid4()}",
            task_queue=queue,
            execution_timeout=timedelta(seconds=30),
        )
    assert (result, reads.attempts) == (2, 2)
