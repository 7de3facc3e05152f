"""CampaignWorkflow: a launch of a journey with a broadcast shape
(``switchboard.journeys.broadcast``), one workflow for the whole audience.

ID ``campaign/<journey>/<campaign id>``: a launch signal-with-starts it, so launching twice
(or adding members while it runs) is one campaign. The audience is in Postgres
(``campaign_member``), not in this history. The workflow sends in batches on the outreach task
queue (``CampaignActivities.send_batch``, paced at the outreach limit in messages per second),
sleeps until the earliest deferred member (quiet hours) is due. When the journey waits before its
send, its members wait in Postgres (``waiting_to_send``, each with the wait's end) and the workflow
sleeps until the earliest wait ends: one timer for the campaign, none per member. When the journey
waits for a reply after its send, it wakes when waits end (``CampaignActivities.follow_up``):
members who replied are done, the others go on in a journey run of their own at the wait's
``on_timeout`` step.

Engineers follow it in the Temporal UI: ``JourneyName``, ``JourneyVersion``, ``JourneyStep``
(``sending``, ``waiting_to_send``, ``waiting``, ``done``; ``cancelled``), its current details
(members per outcome so far) and the ``progress`` query. ``pause``/``resume`` as a journey run's
(``operations.manage`` signals every running workflow of the journey): a paused campaign finishes
the batch it is in and sends nothing more until resumed; one launched while its journey is
paused (``journey_pause``) starts paused. Long campaigns continue as new (the
counts are carried over).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.policies import DB_RETRY

with workflow.unsafe.imports_passed_through():
    from activities.campaign import CampaignActivities
    from activities.campaign_types import FollowUpInput, SendBatchInput
    from switchboard.journeys.broadcast import broadcast_shape
    from switchboard.journeys.schema import JourneyDefinition
    from switchboard.temporal import JOURNEY_NAME, JOURNEY_STEP, JOURNEY_VERSION, outreach_queue

# A batch is retried until it goes through: every member's send is idempotent (outbox key) and
# a retry starts from the members' rows. The heartbeat notices a worker that died mid-batch.
BATCH_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
)
BATCH_TIMEOUT = timedelta(hours=1)
BATCH_HEARTBEAT = timedelta(minutes=1)
# Members sent within this long after the earliest of them are followed up together: one wake
# per minute of sends, not one per second, a minute late at most after a 48 h wait.
FOLLOW_UP_GRACE = timedelta(minutes=1)
# The campaign's step while members sit in the journey's wait before the send; the patch marks
# histories that may set it (a journey with that shape was not a broadcast before).
WAITING_TO_SEND = "waiting_to_send"
WAIT_BEFORE_SEND = "campaign-wait-before-send"


class CampaignInput(BaseModel):
    """``campaign_id`` is the marketer's (the trigger key of every member's journey);
    ``counts`` carries the members per outcome across continue-as-new."""

    definition: JourneyDefinition
    version: str
    campaign_id: str
    counts: dict[str, int] = Field(default_factory=dict)
    # Launched while the journey was paused (``operations.launch``): sends nothing until
    # resumed. Absent from every earlier input: they start sending, as they did.
    paused: bool = False


@workflow.defn
class CampaignWorkflow:
    @workflow.init
    def __init__(self, input: CampaignInput) -> None:
        self._counts: Counter[str] = Counter(input.counts)
        self._paused = input.paused
        self._more = False  # members were added (a relaunch) since the last batch began
        self._step = "sending"
        self._waits = False  # the journey waits for a reply after the send

    @workflow.signal
    def members_added(self) -> None:
        """The launch added members (a relaunch, more of the audience): send to them too."""
        self._more = True

    @workflow.signal
    def pause(self) -> None:
        self._paused = True

    @workflow.signal
    def resume(self) -> None:
        self._paused = False

    @workflow.query
    def progress(self) -> dict[str, int]:
        """Members per outcome so far: ``sent``, ``skipped``, ``deferred`` (each time one was
        deferred), ``handed_over`` (at a branch or ``on_skip``), ``failed``; after the wait
        ``replied``, ``followed_up`` (their own run at ``on_timeout``), ``no_reply`` (the
        journey ended); and ``waiting`` (sent, wait not over) when the journey waits. When it
        waits before the send: ``waiting_to_send`` (in that wait, as of the last batch) and
        ``exited`` (their run would have exited during it: ``exit_on``)."""
        counts = dict(self._counts)
        if self._waits:
            over = sum(counts.get(k, 0) for k in ("replied", "followed_up", "no_reply"))
            counts["waiting"] = counts.get("sent", 0) - over
        return counts

    @workflow.run
    async def run(self, input: CampaignInput) -> dict[str, int]:
        d = input.definition
        shape = broadcast_shape(d)
        if shape is None:  # the launch checks; a definition edited by hand could still come
            raise ApplicationError(
                f"{d.name} has no broadcast shape", type="NotBroadcast", non_retryable=True
            )
        self._waits = shape.wait is not None
        workflow.upsert_search_attributes(
            [
                JOURNEY_NAME.value_set(d.name),
                JOURNEY_VERSION.value_set(input.version),
                JOURNEY_STEP.value_set(self._step),
            ]
        )
        info = workflow.info()
        batch = SendBatchInput(
            campaign_id=info.workflow_id,
            trigger_key=input.campaign_id,
            definition=d,
            version=input.version,
            task_queue=info.task_queue,
        )
        try:
            while True:
                await self._unpaused()
                self._more = False
                sent = await workflow.execute_activity_method(
                    CampaignActivities.send_batch,
                    batch,
                    task_queue=outreach_queue(info.task_queue),
                    start_to_close_timeout=BATCH_TIMEOUT,
                    heartbeat_timeout=BATCH_HEARTBEAT,
                    retry_policy=BATCH_RETRY,
                )
                self._add(sent.counts, waiting=sent.waiting)
                if sent.remaining or self._more:
                    self._continue_if_long(input)
                    continue
                wakes: list[datetime] = [sent.next_due] if sent.next_due else []
                if shape.wait is not None:
                    assert shape.timeout is not None
                    due = await self._follow_up(batch, shape.timeout, shape.on_timeout)
                    if due is not None:
                        wakes.append(due + FOLLOW_UP_GRACE)
                if not wakes:
                    break
                if sent.waiting and workflow.patched(WAIT_BEFORE_SEND):
                    self._set_step(WAITING_TO_SEND)
                else:
                    self._set_step("waiting" if shape.wait is not None else "sending")
                delay = max(min(wakes) - workflow.now(), timedelta(0))
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(
                        lambda: self._more, timeout=delay, timeout_summary="next members due"
                    )
                self._continue_if_long(input)
        except asyncio.CancelledError:
            self._set_step("cancelled")
            raise
        self._set_step("done")
        return self.progress()

    async def _follow_up(
        self, batch: SendBatchInput, timeout: timedelta, on_timeout: str | None
    ) -> datetime | None:
        """Follow up every member whose wait is over; returns when the next wait ends."""
        while True:
            result = await workflow.execute_activity_method(
                CampaignActivities.follow_up,
                FollowUpInput(
                    campaign_id=batch.campaign_id,
                    trigger_key=batch.trigger_key,
                    definition=batch.definition,
                    version=batch.version,
                    task_queue=batch.task_queue,
                    timeout=timeout,
                    on_timeout=on_timeout,
                    now=workflow.now(),
                ),
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=DB_RETRY,
            )
            self._add(result.counts)
            if not result.more:
                return result.next_due

    async def _unpaused(self) -> None:
        if self._paused:
            await workflow.wait_condition(lambda: not self._paused)

    def _add(self, counts: dict[str, int], *, waiting: int | None = None) -> None:
        self._counts.update(counts)
        if waiting is not None:  # a number now, not a count to add up
            self._counts[WAITING_TO_SEND] = waiting
        workflow.set_current_details(
            ", ".join(f"{state} {n:,}" for state, n in sorted(self.progress().items()))
        )

    def _set_step(self, step: str) -> None:
        if step != self._step:
            self._step = step
            workflow.upsert_search_attributes([JOURNEY_STEP.value_set(step)])

    def _continue_if_long(self, input: CampaignInput) -> None:
        if workflow.info().is_continue_as_new_suggested():
            workflow.continue_as_new(
                CampaignInput(
                    definition=input.definition,
                    version=input.version,
                    campaign_id=input.campaign_id,
                    counts=dict(self._counts),
                    paused=self._paused,
                )
            )
