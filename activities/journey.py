"""Journey activities: the customer's time zone, the send gate (consent, frequency cap),
template rendering over customer/trigger/CRM data, CRM fields, handoffs, held slots, log lines,
and which journeys a trigger event starts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.journey_types import (
    CrmFieldInput,
    CustomerProfile,
    GateDecision,
    GateInput,
    HandoffInput,
    HeldSlot,
    HoldSlotInput,
    JourneyLogInput,
    JourneyStartRequest,
    MatchInput,
    ProfileInput,
    RenderInput,
    TriggerData,
)
from switchboard.agent_models import Channel
from switchboard.business import load_profile
from switchboard.db.consent import current_consent
from switchboard.db.conversation import log_message, recent_messages
from switchboard.db.crm import bookings_for
from switchboard.db.customers import ensure_customer, get_customer
from switchboard.db.engine import Database
from switchboard.db.frequency import journey_sends, lock_customer_sends, reserve_send
from switchboard.db.journey_pauses import paused_among
from switchboard.db.models import Booking, Handoff, Message, SlotHold
from switchboard.identity import timezone_for, whatsapp_address
from switchboard.journeys.events import matches_when
from switchboard.journeys.loader import Catalogue
from switchboard.journeys.rendering import RenderError, render_texts
from switchboard.journeys.send_gate import send_gate
from switchboard.slots import format_slot
from switchboard.timeline import speaker


class JourneyActivities:
    def __init__(
        self,
        db: Database,
        *,
        journeys_dir: Path,
        business: dict[str, str] | None = None,
        timezone: str | None = None,
    ) -> None:
        """``business``: what texts may say about the business (``BusinessProfile.facts``);
        ``timezone``: the business's IANA zone, the one the console shows times in (handoff
        summaries). None reads either from the default profile file."""
        self._db = db
        self._catalogue = Catalogue(journeys_dir)
        if business is None or timezone is None:
            profile = load_profile()
            business = business if business is not None else profile.facts()
            timezone = timezone if timezone is not None else profile.timezone
        self._business = business
        self._zone = ZoneInfo(timezone)

    @activity.defn(name="journey.match")
    async def match(self, input: MatchInput) -> list[JourneyStartRequest]:
        """The journeys whose trigger is ``input.event`` and whose ``when`` filters all match
        ``input.data`` (a list matches any of its values). Definitions are as the files are now
        (re-read when one changes) and pinned in the result; invalid files never start (they
        are reported by ``switchboard journeys validate``). The trigger key is the event's
        (``switchboard.journeys.events.trigger_key``; under ``one_at_a_time`` one per customer:
        ``Trigger.run_key``); an event without one starts nothing. A journey paused now
        (``journey_pause``) is asked for ``paused``: its run starts paused and waits for the
        journey's resume."""
        journeys, _problems = self._catalogue.current()
        starts = []
        for definition in journeys.values():
            trigger = definition.trigger
            if trigger.event != input.event:
                continue
            if not matches_when(input.data, trigger.when):
                continue
            key = trigger.run_key(input.data)
            if not key:
                activity.logger.warning(
                    "trigger without a key: not started",
                    extra={"journey": definition.name, "event": input.event},
                )
                continue
            starts.append(
                JourneyStartRequest(
                    definition=definition,
                    version=definition.version,
                    trigger=TriggerData(event=input.event, key=key, data=input.data),
                )
            )
        if starts:
            async with self._db.session() as s:
                held = await paused_among(s, [r.definition.name for r in starts])
            for request in starts:
                request.paused = request.definition.name in held
        return starts

    @activity.defn(name="journey.profile")
    async def profile(self, input: ProfileInput) -> CustomerProfile:
        """Time zone: the customer's profile, else the E.164 number's country, else the
        journey's default.

        A customer first met through a journey (an audience member who never wrote or called)
        gets a profile here: the journey's log lines, held slots and call contexts belong to a
        customer row, and without it every one of them would fail (and retry) forever.

        With ``input.gate`` (the run's first step is a consent branch) the result also carries
        that gate's decision (``gate``), read after the profile exists: one local activity
        before a first wait instead of two (bench suite 3), in the profile's transaction: one
        session per new run, not two (~1 ms of the worker's CPU each, bench suite 3)."""
        async with self._db.session() as s:
            profile = CustomerProfile(timezone=await self._timezone(s, input))
            if input.gate is not None:
                profile.gate = await self._gate(s, input.gate)
        return profile

    async def _timezone(self, s: AsyncSession, input: ProfileInput) -> str:
        customer = await get_customer(s, e164=input.customer)
        if customer is None:
            timezone = timezone_for(input.customer, input.default_timezone)
            await ensure_customer(s, e164=input.customer, timezone=timezone)
            return timezone
        return customer.timezone or timezone_for(input.customer, input.default_timezone)

    @activity.defn(name="journey.gate")
    async def gate(self, input: GateInput) -> GateDecision:
        """May this step contact the customer now? Reads the facts and leaves the decision to
        ``switchboard.journeys.send_gate``: the consent in force for the channel and the
        journey's purpose (for a call, the voice ``service`` consent too) and, with a frequency
        cap, the journey sends (messages and calls) to the customer across all journeys.

        The cap's window is measured on the database clock, the clock that stamped the outbox
        rows it counts: comparing them with the worker's or Temporal's clock would widen or
        narrow the window by whatever the clocks disagree.

        With a cap, the count and the decision are atomic (``switchboard.db.frequency``): the
        customer's send lock is held from the count to the commit, and a step that may send
        reserves its send in the same transaction, so two journeys gating one customer at the
        same moment cannot both pass."""
        async with self._db.session() as s:
            return await self._gate(s, input)

    async def _gate(self, s: AsyncSession, input: GateInput) -> GateDecision:
        """``gate`` in transaction ``s`` (the cap's lock is held until it commits)."""
        consent = await current_consent(
            s, customer_e164=input.customer, channel=input.channel.value, purpose=input.purpose
        )
        service = (
            await current_consent(
                s, customer_e164=input.customer, channel=Channel.VOICE.value, purpose="service"
            )
            if input.channel is Channel.VOICE
            else None
        )
        cap = input.frequency_cap
        sent = 0
        if cap is not None:
            await lock_customer_sends(s, input.customer)
            sent = await journey_sends(
                s,
                customer=input.customer,
                recipients=[input.customer, whatsapp_address(input.customer)],
                key_prefix=input.key_prefix,
                per=cap.per,
            )
        verdict = send_gate(
            channel=input.channel,
            purpose=input.purpose,
            consent=consent.status if consent is not None else None,
            service_consent=service.status if service is not None else None,
            cap=cap,
            recent_sends=sent,
        )
        if cap is not None and verdict.allowed:
            await reserve_send(
                s, key=input.key_prefix, customer=input.customer, channel=input.channel.value
            )
        return GateDecision(
            allowed=verdict.allowed, reason=verdict.reason, opted_out=verdict.opted_out
        )

    @activity.defn(name="journey.render")
    async def render(self, input: RenderInput) -> dict[str, str]:
        """Render each text (Jinja, sandboxed, unknown names are errors) over ``customer``,
        ``trigger``, ``vars`` and CRM data: ``booking`` (the trigger's booking, else the latest)
        with ``subject``, ``when`` (the slot in the customer's words) and ``status``.

        Raises non-retryable ``ApplicationError`` (type ``TemplateError``) naming the text."""
        context = await self._context(input)
        try:
            return render_texts(input.texts, context)
        except RenderError as exc:
            raise ApplicationError(str(exc), type="TemplateError", non_retryable=True) from exc

    async def _context(self, input: RenderInput) -> dict[str, Any]:
        async with self._db.session() as s:
            bookings = await bookings_for(s, customer_e164=input.customer)
        return render_context(input, bookings, self._business)

    @activity.defn(name="journey.crm_field")
    async def crm_field(self, input: CrmFieldInput) -> str:
        """A CRM value for a branch: ``draft_status``/``booking_status`` (the trigger's booking:
        draft, confirmed, declined; ``none`` without one)."""
        if input.field in ("draft_status", "booking_status"):
            booking_id = input.trigger.get("booking_id")
            async with self._db.session() as s:
                booking = await s.get(Booking, booking_id) if booking_id else None
            return booking.status if booking is not None else "none"
        raise ApplicationError(f"unknown CRM field {input.field!r}", non_retryable=True)

    @activity.defn(name="journey.handoff")
    async def handoff(self, input: HandoffInput) -> None:
        """Open a handoff to a human queue with a summary of the latest conversation."""
        async with self._db.session() as s:
            rows = await recent_messages(s, customer_e164=input.customer, limit=10)
            summary = "\n".join(summary_line(r, self._zone) for r in rows)
            await s.exec(
                insert(Handoff)
                .values(
                    key=input.key,
                    customer_e164=input.customer,
                    queue=input.queue,
                    note=input.note,
                    summary=summary,
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
            # On the channel the customer was last heard on: a caller's handoff is the call's.
            heard = [r.channel for r in rows if r.direction == "inbound"]
            await log_message(
                s,
                key=input.key,
                customer_e164=input.customer,
                channel=heard[-1] if heard else "whatsapp",
                direction="outbound",
                kind="event",
                text=f"handed off to {input.queue}" + (f": {input.note}" if input.note else ""),
            )

    @activity.defn(name="journey.hold_slot")
    async def hold_slot(self, input: HoldSlotInput) -> HeldSlot:
        """Hold ``slot_start`` for the customer (idempotent on ``key``)."""
        async with self._db.session() as s:
            await s.exec(
                insert(SlotHold)
                .values(
                    key=input.key,
                    customer_e164=input.customer,
                    slot_start=input.slot_start,
                    purpose=input.purpose,
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
            held = await s.get(SlotHold, input.key)
        assert held is not None
        # Said in the zone the journey computed the slot in (the customer's, from `profile`).
        return HeldSlot(
            slot_start=held.slot_start, slot_text=format_slot(held.slot_start, input.timezone)
        )

    @activity.defn(name="journey.log")
    async def log(self, input: JourneyLogInput) -> None:
        """A journey's own line in the conversation log (skips, outcomes), once per key."""
        async with self._db.session() as s:
            await log_message(
                s,
                key=input.key,
                customer_e164=input.customer,
                channel="whatsapp",
                direction="outbound",
                kind="event",
                text=input.text,
            )


def render_context(
    input: RenderInput, bookings: list[Booking], business: dict[str, str]
) -> dict[str, Any]:
    """What ``journey.render`` renders over, given the customer's ``bookings`` (soonest slot
    first, ``crm.bookings_for``) and the ``business`` facts (``BusinessProfile.facts``):
    ``customer``, ``trigger``, ``vars``, ``business`` and ``booking``."""
    wanted = input.trigger.get("booking_id")
    booking = next((b for b in bookings if b.id == wanted), None) or (
        max(bookings, key=lambda b: b.created_at) if bookings else None
    )
    context: dict[str, Any] = {
        "customer": {"e164": input.customer, "timezone": input.timezone},
        "trigger": {"event": input.trigger_event, **input.trigger},
        "vars": dict(input.variables),
        "business": business,
    }
    if booking is not None:
        context["booking"] = {
            "id": booking.id,
            "subject": booking.subject,
            "status": booking.status,
            "when": format_slot(booking.slot_start, input.timezone),
        }
    # A booking event carries its slot (kept current by the run when the booking moves):
    # it wins over the CRM, and stands in for a booking the CRM does not hold (one made in
    # the business's own system, POST /events).
    # Not the customer's latest booking when the event names another: a no-show at the desk
    # for a booking the CRM does not hold would otherwise say "we missed you" with the date
    # of an appointment still to come.
    slot = input.trigger.get("slot_start")
    if wanted and slot:
        try:
            when = format_slot(datetime.fromisoformat(slot), input.timezone)
        except ValueError:
            return context
        same = booking if booking is not None and booking.id == wanted else None
        context["booking"] = {
            "id": wanted,
            "subject": input.trigger.get("subject") or (same.subject if same else ""),
            "status": same.status if same is not None else "confirmed",
            "when": when,
        }
    return context


def summary_line(row: Message, zone: ZoneInfo) -> str:
    """One line of a handoff's summary: ``Wed 02 Dec 14:05 CET whatsapp customer: <text>``.
    The time is in ``zone`` (the business's: the console's pages show times there) with its
    abbreviation, so an hour that occurs twice at the end of summer time is still one moment;
    who spoke is ``customer``, ``agent``, ``team`` (a person) or ``event`` (the log's own
    lines, which nobody said to the customer); a non-text row names its kind."""
    local = row.created_at.astimezone(zone)
    who = "event" if row.kind == "event" else speaker(row.direction, row.key)
    kind = "" if row.kind in ("text", "speech", "event") else f"[{row.kind}] "
    return f"{local:%a %d %b %H:%M} {local.tzname()} {row.channel} {who}: {kind}{row.text}"
