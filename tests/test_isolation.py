"""Tests share one Temporal dev server and reuse phone numbers (``customer/+33612345678``), so
each test must leave no workflow running behind it (issue 15: a survivor kept its dead test's
task queue and the next test's messages waited forever)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from temporalio import workflow
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.conftest import stop_workflows
from tests.polling import eventually


@workflow.defn(sandboxed=False)
class Chain:
    """Continues-as-new when poked, as a customer workflow does once its history is long."""

    def __init__(self) -> None:
        self._poked = False

    @workflow.run
    async def run(self, generation: int) -> None:
        await workflow.wait_condition(lambda: self._poked)
        workflow.continue_as_new(generation + 1)

    @workflow.signal
    def poke(self) -> None:
        self._poked = True


async def test_a_workflow_that_continued_as_new_after_the_test_looked_is_still_stopped(
    temporal_env: WorkflowEnvironment,
) -> None:
    client = temporal_env.client
    since = datetime.now(UTC)
    queue = f"isolation-{uuid.uuid4()}"
    workflow_id = f"customer/isolation-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[Chain]):
        handle = await client.start_workflow(Chain.run, 0, id=workflow_id, task_queue=queue)
        first_run = (await handle.describe()).run_id
        # The run a listing shows now is not the one running at the end of the test:
        await handle.signal(Chain.poke)
        await eventually(handle.describe, lambda d: d.run_id != first_run)

    await stop_workflows(client, since=since)

    latest = await client.get_workflow_handle(workflow_id).describe()
    assert latest.run_id != first_run
    assert latest.status is WorkflowExecutionStatus.TERMINATED
