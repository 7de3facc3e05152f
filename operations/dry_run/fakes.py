"""What a dry run makes up: the customer's data, a stand-in for their customer workflow, and the
activities ``JourneyWorkflow`` calls, in memory, registered under the real activity names.

The fakes hold data, not policy: whether free text may go out (WhatsApp's 24-hour window) and
whether a step may contact the customer (consent, frequency cap) are decided by the functions the
real activities call (``switchboard.whatsapp_policy``, ``switchboard.journeys.send_gate``), from
this dry run's made-up facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from google.protobuf.empty_pb2 import Empty
from pydantic import BaseModel
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

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
from activities.whatsapp import refusal_error
from operations.dry_run.types import EntryKind, TimelineEntry
from switchboard import business_calendar as calendar
from switchboard.agent_models import Channel
from switchboard.business import load_profile
from switchboard.journeys.events import EVENTS, trigger_key
from switchboard.journeys.rendering import RenderError, render_texts
from switchboard.journeys.schema import JourneyDefinition
from switchboard.journeys.send_gate import send_gate
from switchboard.message_templates import Template
from switchboard.slots import format_slot
from switchboard.whatsapp_policy import ContentRefused, choose_content
from workflows.journey import JourneyWorkflow
from workflows.types import JourneyEvent, OfferInput

FIRST_NAME = "Alex"
PET_NAME = "Felix"
VOICEMAIL = "I'd like to move my appointment"


# -- made-up data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MadeUpBooking:
    id: str
    subject: str
    slot_start: datetime  # UTC
    status: str


def made_up_booking(
    start_utc: datetime, tz: str, *, confirmed: bool, missed: bool = False
) -> MadeUpBooking:
    """A booking for Felix on the first Tuesday at 10:00 local at least two days after the
    start (a Saturday start gives the Tuesday after it); ``missed`` (a ``visit_no_show``
    trigger): the hour before the start, the appointment the customer did not come to."""
    slot = (
        start_utc - MISSED_BEFORE
        if missed
        else calendar.next_local_time(
            start_utc,
            tz,
            time(10, 0),
            hours=calendar.BusinessHours(days=("tue",)),
            not_before=timedelta(days=2),
        )
    )
    return MadeUpBooking(
        id="bk-dry-run",
        subject=PET_NAME,
        slot_start=slot,
        status="confirmed" if confirmed else "draft",
    )


# A made-up no-show's appointment was this long before the dry run's start.
MISSED_BEFORE = timedelta(hours=1)
# Trigger events after which the made-up booking is confirmed (not a draft).
CONFIRMED_BY = {"call_ended", "booking_confirmed", "booking_rescheduled", "visit_no_show"}


def made_up_trigger(
    definition: JourneyDefinition,
    *,
    run_id: str,
    booking: MadeUpBooking | None = None,
    start: datetime | None = None,
) -> TriggerData:
    """Plausible data for the journey's trigger event, ``when`` filters satisfied. ``run_id``
    makes the trigger key (and so the workflow ID) unique. Events of the catalogue
    (``switchboard.journeys.events``) about a booking describe ``booking``; a visit took place
    at ``start``."""
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
    elif event != "audience":
        data = _catalogue_data(event, run_id=run_id, booking=booking, start=start)
        key = f"{trigger_key(event, data) or event}-{run_id}"
    else:  # audience
        key = f"dry-run-{run_id}"
        data = {"first_name": FIRST_NAME, "pet_name": PET_NAME, "campaign_id": key}
    if event != "audience":  # the customer workflow passes the event's key along with its data
        data["key"] = key
        data.setdefault("at", (start or datetime.now(UTC)).astimezone(UTC).isoformat())
    for name, wanted in definition.trigger.when.items():  # a list filter: its first value
        data[name] = wanted[0] if isinstance(wanted, list) else wanted
    return TriggerData(event=event, key=key, data=data)


def _catalogue_data(
    event: str, *, run_id: str, booking: MadeUpBooking | None, start: datetime | None
) -> dict[str, str]:
    """Made-up values for every field of a catalogue event (the booking's, a visit at
    ``start``, Twilio-like SIDs)."""
    now = (start or datetime.now(UTC)).astimezone(UTC)
    known = {
        "booking_id": booking.id if booking else "bk-dry-run",
        "slot_start": (booking.slot_start if booking else now + timedelta(days=3)).isoformat(),
        "subject": booking.subject if booking else PET_NAME,
        "channel": "whatsapp",
        "visit_id": f"visit-dry-run-{run_id}",
        "visited_at": now.isoformat(),
        "handoff_id": f"handoff-dry-run-{run_id}",
        "queue": "default",
        "outcome": "resolved",
        "message_sid": f"SMdryrun{run_id}",
        "error_code": "63016",
        "purpose": "service",
        "source": "dry run",
    }
    data = {name: known[name] for name in EVENTS[event].fields if name in known}
    data["at"] = now.isoformat()
    return data


# -- the customer workflow stub --------------------------------------------------------------------


class HeldOffer(BaseModel):
    at: datetime  # UTC
    summary: str
    ttl_s: int


# Outside the sandbox: the stub has no logic to keep deterministic, and a sandboxed workflow's
# module (with its package, this whole dry-run package) would be re-imported in the sandbox.
@workflow.defn(name="CustomerWorkflow", sandboxed=False)
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
class Outbound:
    """A message or call the journey sent (the dry run's outbox)."""

    at: datetime  # UTC
    key: str


@dataclass
class FakeJourneyActivities:
    """The activities ``JourneyWorkflow`` calls, in memory: each side effect becomes a
    ``TimelineEntry`` at ``activity.info().current_attempt_scheduled_time``.

    The made-up facts: WhatsApp consent for the journey's purpose is ``opted_in`` (calls are
    never revoked); the frequency cap counts this dry run's own sends (``outbound``); the
    customer last wrote on WhatsApp at ``last_whatsapp_inbound`` (the driver moves it when a
    scripted reply comes)."""

    client: Client
    journey_id: str
    timezone: str
    opted_in: bool
    answer_calls: bool
    booking: MadeUpBooking
    templates: dict[str, Template]
    last_whatsapp_inbound: datetime | None  # UTC
    entries: list[TimelineEntry] = field(default_factory=list)
    outbound: list[Outbound] = field(default_factory=list)

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
        gate = await self.gate(input.gate) if input.gate is not None else None
        return CustomerProfile(timezone=self.timezone, gate=gate)

    @activity.defn(name="journey.gate")
    async def gate(self, input: GateInput) -> GateDecision:
        whatsapp_opt_in = input.channel is Channel.WHATSAPP and self.opted_in
        cap = input.frequency_cap
        sent = 0
        if cap is not None:  # as the real gate counts: other steps' sends within the cap's window
            since = self._now() - cap.per
            sent = sum(
                1 for o in self.outbound if o.at >= since and not o.key.startswith(input.key_prefix)
            )
        verdict = send_gate(
            channel=input.channel,
            purpose=input.purpose,
            consent="opted_in" if whatsapp_opt_in else None,
            cap=cap,
            recent_sends=sent,
        )
        return GateDecision(
            allowed=verdict.allowed, reason=verdict.reason, opted_out=verdict.opted_out
        )

    @activity.defn(name="journey.render")
    async def render(self, input: RenderInput) -> dict[str, str]:
        context: dict[str, Any] = {
            "customer": {"e164": input.customer, "timezone": input.timezone},
            "trigger": {"event": input.trigger_event, **input.trigger},
            "vars": dict(input.variables),
            "business": load_profile().facts(),
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
        # A local activity's scheduled time is the worker's real clock, not the test server's:
        # ask the server for its (skipped) time.
        now = await self.client.test_service.get_current_time(Empty())
        self.record("note", f"log: {input.text}", at=now.time.ToDatetime(tzinfo=UTC))

    @activity.defn(name="whatsapp.send")
    async def send_whatsapp(self, input: SendWhatsAppInput) -> SendResult:
        now = self._now()
        try:
            content = choose_content(
                body=input.body,
                template=input.template,
                templates=self.templates,
                last_inbound=self.last_whatsapp_inbound,
                now=now,
            )
        except ContentRefused as exc:
            raise refusal_error(exc) from exc.__cause__
        label = ""
        if content.template is not None and input.template is not None:
            label = f" (template {input.template.name})"
        self.outbound.append(Outbound(at=now, key=input.key))
        self.record("whatsapp", f'WhatsApp → "{content.text}"{label}')
        return SendResult(sid=f"SMdryrun{len(self.outbound)}", used_template=bool(label))

    @activity.defn(name="voice.place_call")
    async def place_call(self, input: PlaceCallInput) -> CallPlaced:
        now = self._now()
        self.outbound.append(Outbound(at=now, key=input.key))
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
