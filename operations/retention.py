"""The retention Schedule: Temporal starts ``RetentionWorkflow`` every ``retention_every_s``
(daily by default). Created idempotently by the worker at start.

Overlap policy SKIP: a run still going when the next is due (a large backlog) is not joined by
a second one. A schedule that exists already is updated to the configured interval and task
queue, so changing ``SWITCHBOARD_RETENTION_EVERY_S`` and restarting the worker is enough.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.client import ScheduleOverlapPolicy as Overlap

from workflows.retention import RetentionInput, RetentionWorkflow

SCHEDULE_ID = "switchboard-retention"
WORKFLOW_ID = "retention"  # each run's ID is this plus the scheduled time


def _schedule(task_queue: str, every: timedelta) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            RetentionWorkflow.run,
            RetentionInput(),
            id=WORKFLOW_ID,
            task_queue=task_queue,
            execution_timeout=timedelta(hours=6),
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        policy=SchedulePolicy(overlap=Overlap.SKIP),
    )


async def ensure_schedule(client: Client, *, task_queue: str, every: timedelta) -> None:
    """Create the retention Schedule, or bring an existing one to ``task_queue``/``every``."""
    schedule = _schedule(task_queue, every)
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(SCHEDULE_ID).update(replace)
