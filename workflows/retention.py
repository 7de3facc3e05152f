"""The retention workflow: deletes what Switchboard no longer needs, kind by kind, in bounded
batches, and logs (and returns) how many rows it deleted per kind.

Started daily by a Temporal Schedule (``operations.retention.ensure_schedule``). The order
matters: recordings are DELETEd at Twilio before raw audio is deleted (the blob holds the
recording's URL), and the conversation log before the media it refers to. Each kind stops
after ``max_batches`` batches; what is left waits for the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from temporalio import workflow

from workflows.policies import DB_RETRY

with workflow.unsafe.imports_passed_through():
    from activities.retention import RetentionActivities, RetentionSweepInput

# The sweeps, in run order (see the module docstring).
KINDS = ("recordings", "raw_audio", "tts_audio", "inbound_events", "messages", "media")
SWEEP_TIMEOUT = timedelta(minutes=2)  # one batch (recordings: one DELETE per row at Twilio)


class RetentionInput(BaseModel):
    max_batches: int = Field(default=200, gt=0)  # per kind and run
    now: datetime | None = None  # None: the workflow's start time (tests pass one)


class RetentionReport(BaseModel):
    deleted: dict[str, int]  # rows deleted per kind (``KINDS``)
    complete: bool  # False when a kind hit ``max_batches`` (the next run goes on)


@workflow.defn
class RetentionWorkflow:
    @workflow.run
    async def run(self, input: RetentionInput) -> RetentionReport:
        sweep = RetentionSweepInput(now=input.now or workflow.now())
        sweeps = {
            "recordings": RetentionActivities.recordings,
            "raw_audio": RetentionActivities.raw_audio,
            "tts_audio": RetentionActivities.tts_audio,
            "inbound_events": RetentionActivities.inbound_events,
            "messages": RetentionActivities.messages,
            "media": RetentionActivities.media,
        }
        deleted: dict[str, int] = {}
        complete = True
        for kind in KINDS:
            total = 0
            for _ in range(input.max_batches):
                count = await workflow.execute_activity_method(
                    sweeps[kind],
                    sweep,
                    start_to_close_timeout=SWEEP_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                total += count
                if count == 0:
                    break
            else:
                complete = False
            deleted[kind] = total
        workflow.logger.info(
            "retention run", extra={"deleted": deleted, "complete": complete, "now": sweep.now}
        )
        return RetentionReport(deleted=deleted, complete=complete)
