"""Running a dry run: the time-skipping test server, a worker with the fake activities, the
clock moved on to each scripted reply and to the journey's end, and the timeline built from
what the fakes recorded (rules: the package docstring)."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.journey_types import TriggerData
from operations.dry_run.fakes import (
    CONFIRMED_BY,
    DryRunCustomerWorkflow,
    FakeJourneyActivities,
    made_up_booking,
    made_up_trigger,
)
from operations.dry_run.types import (
    DryRun,
    DryRunError,
    DryRunOptions,
    ScriptedReply,
    duration_text,
)
from switchboard.identity import timezone_for
from switchboard.journeys.schema import JourneyDefinition
from switchboard.message_templates import load_templates
from switchboard.slots import format_slot
from switchboard.temporal import (
    customer_workflow_id,
    journey_workflow_id,
    outreach_queue,
)
from workflows.journey import JourneyWorkflow
from workflows.types import JourneyEvent, JourneyInput, JourneyOutcome

# Events a customer sends in answer to a message (they need a message to answer); moving or
# cancelling the booking is a yes to the agent's proposal in the conversation.
ANSWERS = {"reply", "yes", "no", "stop", "booking_rescheduled", "booking_cancelled"}
# Events that reach the journey as WhatsApp messages from the customer (they open the window).
WHATSAPP_INBOUND = ANSWERS
# A scripted booking_rescheduled moves the made-up booking this much later.
MOVED_BY = timedelta(days=7)
# Trigger events that are WhatsApp messages from the customer.
WHATSAPP_TRIGGERS = {"media_received", "customer_replied", "draft_created"}
CLOSE_POLL = timedelta(hours=1)  # how far the clock moves between checks that the run ended
# After a week, a day at a time: a recall waits 11 months. The run's close time is exact however
# far one skip goes (describe's close_time); timers inside a skip fire at their own instants.
LONG_POLL, LONG_AFTER = timedelta(days=1), timedelta(days=7)


async def start_environment(*, quiet: bool = True) -> WorkflowEnvironment:
    """The time-skipping test server with Switchboard's search attributes
    (``switchboard.engines.start_time_skipping_server``). Shut it down with
    ``await env.shutdown()``. Raises ``switchboard.engines.EngineMissing`` if the binary is
    missing."""
    from switchboard.engines import start_time_skipping_server

    return await start_time_skipping_server(quiet=quiet)


async def dry_run(
    definition: JourneyDefinition,
    options: DryRunOptions | None = None,
    *,
    env: WorkflowEnvironment | None = None,
) -> DryRun:
    """Run ``definition`` for one made-up customer and return its timeline.

    ``env``: a time-skipping environment to reuse (``start_environment``; runs on one
    environment must not overlap, its clock is shared); None starts and stops one (about a
    second). Raises ``DryRunError`` for a ``start`` before the environment's now. A journey that
    fails (a template that does not render, an unknown WhatsApp template) is not an exception:
    the outcome says ``failed`` with the error.
    """
    opts = options or DryRunOptions()
    own_env = env is None
    environment = env if env is not None else await start_environment()
    try:
        # Time moves only when the dry run says so (env.sleep): awaiting a result would let the
        # server skip to the next deadline anywhere, e.g. the stub's 10-year execution timeout.
        with environment.auto_time_skipping_disabled():
            return await _run(definition, opts, environment)
    finally:
        if own_env:
            await environment.shutdown()


async def _run(
    definition: JourneyDefinition, opts: DryRunOptions, env: WorkflowEnvironment
) -> DryRun:
    client = env.client
    tz = timezone_for(opts.customer, definition.policies.timezone)
    now = await env.get_current_time()
    if opts.start is not None:
        start = opts.start if opts.start.tzinfo else opts.start.replace(tzinfo=UTC)
        if start < now - timedelta(seconds=1):
            raise DryRunError(
                f"start {start.isoformat()} is in the past: the test server's clock starts at "
                f"the real now ({now.isoformat(timespec='seconds')}) and only moves forward"
            )
        if start > now:
            await env.sleep(start - now)
    start_at = await env.get_current_time()

    run_id = uuid.uuid4().hex[:8]
    event = definition.trigger.event
    booking = made_up_booking(
        start_at, tz, confirmed=event in CONFIRMED_BY, missed=event == "visit_no_show"
    )
    trigger = made_up_trigger(definition, run_id=run_id, booking=booking, start=start_at)
    if opts.trigger_data:
        trigger = trigger.model_copy(update={"data": {**trigger.data, **opts.trigger_data}})
    journey_id = journey_workflow_id(definition.name, opts.customer, trigger.key)
    fakes = FakeJourneyActivities(
        client=client,
        journey_id=journey_id,
        timezone=tz,
        opted_in=opts.opted_in,
        answer_calls=opts.answer_calls,
        booking=booking,
        templates=load_templates(),
        last_whatsapp_inbound=start_at if trigger.event in WHATSAPP_TRIGGERS else None,
    )
    queue = f"dry-run-{run_id}"
    async with (
        Worker(
            client,
            task_queue=queue,
            workflows=[JourneyWorkflow, DryRunCustomerWorkflow],
            activities=fakes.activities(),
            # An exception in workflow code fails the run here, so the dry run can say what went
            # wrong; a production worker retries the workflow task, and the run is stuck.
            workflow_failure_exception_types=[Exception],
        ),
        Worker(client, task_queue=outreach_queue(queue), activities=fakes.activities()),
    ):
        stub = await client.start_workflow(
            DryRunCustomerWorkflow.run, id=customer_workflow_id(opts.customer), task_queue=queue
        )
        handle = await client.start_workflow(
            JourneyWorkflow.run,
            JourneyInput(
                definition=definition,
                version=definition.version,
                customer=opts.customer,
                trigger=trigger,
            ),
            id=journey_id,
            task_queue=queue,
        )
        deadline = start_at + opts.horizon
        try:
            for reply in opts.replies:
                if not await _advance_to(reply, env, handle.id, fakes, start_at, deadline):
                    fakes.record(
                        "note",
                        f"scripted {reply} not sent: the journey had already ended",
                        at=await env.get_current_time(),
                    )
                    break
                at = await env.get_current_time()
                if reply.event in WHATSAPP_INBOUND:
                    fakes.last_whatsapp_inbound = at
                if reply.event == "booking_rescheduled":
                    fakes.booking = replace(
                        fakes.booking, slot_start=fakes.booking.slot_start + MOVED_BY
                    )
                    moved = format_slot(fakes.booking.slot_start, tz)
                    fakes.record("reply", f"customer → booking_rescheduled to {moved}", at=at)
                else:
                    fakes.record("reply", f"customer → {reply.event}", at=at)
                event_data = _event_for(reply, trigger)
                if reply.event in ("booking_rescheduled", "booking_cancelled"):
                    event_data.data.update(
                        booking_id=fakes.booking.id,
                        slot_start=fakes.booking.slot_start.isoformat(),
                    )
                await handle.signal(JourneyWorkflow.event, event_data)
            end_at = await _until_closed(env, handle.id, deadline)
            if end_at is None:
                end_at = await env.get_current_time()
                outcome = JourneyOutcome(
                    status="stuck",
                    reason=f"still running {duration_text(opts.horizon)} after the start",
                )
            else:
                try:
                    outcome = await handle.result()
                except WorkflowFailureError as exc:
                    outcome = JourneyOutcome(status="failed", reason=_root_cause(exc))
            offers = await stub.query(DryRunCustomerWorkflow.offers)
        finally:
            # Leave nothing running: a shared environment's next dry run reuses these IDs.
            for leftover in (handle, stub):
                with contextlib.suppress(RPCError):
                    await leftover.terminate("dry run over")

    for offer in offers:
        fakes.record(
            "offer",
            f'awaiting yes: "{offer.summary}" '
            f"(open {duration_text(timedelta(seconds=offer.ttl_s))})",
            at=offer.at,
        )
    trail = " → ".join(outcome.trail)
    summary = {
        "completed": "journey completed",
        "exited": f"journey exited on {outcome.reason}",
        "failed": f"journey failed: {outcome.reason}",
        "stuck": f"journey stuck: {outcome.reason}",
    }.get(outcome.status, f"journey {outcome.status} {outcome.reason}".strip())
    if outcome.branch:  # a split step: the branch this customer takes
        summary += f" (split {outcome.branch})"
    if outcome.converted_at and definition.goal is not None:
        summary += f", goal {definition.goal.event} met at {outcome.converted_at}"
    fakes.record("outcome", summary + (f": steps {trail}" if trail else ""), at=end_at)
    entries = sorted(fakes.entries, key=lambda e: e.at)  # stable: same-instant order kept
    return DryRun(
        journey=definition.name,
        version=definition.version,
        customer=opts.customer,
        timezone=tz,
        start=start_at.astimezone(ZoneInfo(tz)),
        opted_in=opts.opted_in,
        replies=list(opts.replies),
        entries=entries,
        outcome=outcome,
        answer_calls=opts.answer_calls,
    )


async def _until_closed(
    env: WorkflowEnvironment, workflow_id: str, deadline: datetime
) -> datetime | None:
    """Skip the clock an hour at a time until the workflow has closed; returns when it closed
    (UTC), or None if it is still running at ``deadline``. Timers inside each hour fire at
    their own instants."""
    handle = env.client.get_workflow_handle(workflow_id)
    since = await env.get_current_time()
    while True:
        description = await handle.describe()
        if description.status != WorkflowExecutionStatus.RUNNING:
            return description.close_time or await env.get_current_time()
        now = await env.get_current_time()
        if now >= deadline:
            return None
        step = LONG_POLL if now - since >= LONG_AFTER else CLOSE_POLL
        await env.sleep(min(step, deadline - now))


def _root_cause(exc: BaseException) -> str:
    """The message of the first ``ApplicationError`` under the workflow's and the activity's
    wrappers (e.g. the render activity's "cannot render 'text': …"), else the innermost error."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, ApplicationError):
            if current.type in (None, "TemplateError"):
                return current.message
            return f"{current.type}: {current.message}"
        exc, current = current, current.__cause__
    return str(exc)


def _event_for(reply: ScriptedReply, trigger: TriggerData) -> JourneyEvent:
    if reply.event == "reply":
        return JourneyEvent(kind="reply", data={"intent": "other", "channel": "whatsapp"})
    if reply.event in ("booking_confirmed", "draft_confirmed"):
        return JourneyEvent(
            kind=reply.event, data={"booking_id": trigger.data.get("booking_id", "bk-dry-run")}
        )
    return JourneyEvent(kind=reply.event)


async def _advance_to(
    reply: ScriptedReply,
    env: WorkflowEnvironment,
    journey_id: str,
    fakes: FakeJourneyActivities,
    start: datetime,
    deadline: datetime,
) -> bool:
    """Skip the clock to when ``reply`` is due (package docstring). False if the journey ended
    first (or is still going at ``deadline``)."""
    handle = env.client.get_workflow_handle(journey_id)
    # While waiting for a message to answer, skip in steps no longer than the reply's delay,
    # so that a message sent mid-step is still answered on time.
    step = max(reply.after, timedelta(minutes=1))
    while True:
        if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
            return False
        now = await env.get_current_time()
        if now >= deadline:
            return False
        anchor = fakes.outbound[-1].at if fakes.outbound else None
        if anchor is None and reply.event not in ANSWERS:
            anchor = start
        if anchor is None:
            await env.sleep(step)
            continue
        due = anchor + reply.after
        if now >= due:
            return True
        await env.sleep(due - now)


def render(run: DryRun) -> str:
    """The timeline as text, one line per entry: ``Sat 21 Nov 10:00  WhatsApp → "…"``."""
    consent = "opted in" if run.opted_in else "no WhatsApp opt-in"
    script = ", ".join(str(r) for r in run.replies) or "no replies"
    calls = "" if run.answer_calls else "; calls not answered"
    lines = [
        f"Dry run of {run.journey} (version {run.version}) for {run.customer}, "
        f"times in {run.timezone}; {consent}; {script}{calls}",
        f"{_when(run.start)}  start",
    ]
    lines += [f"{_when(e.at)}  {e.text}" for e in run.entries]
    return "\n".join(lines)


def _when(at: datetime) -> str:
    return at.strftime("%a %d %b %H:%M")
