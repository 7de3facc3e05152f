"""One customer turn: ingest (media → STT, ``turn_ingest.py``) → agent → apply the intent →
respond, then hand the journey events and triggers of the turn to the router.

The agent only proposes: its intent is checked here against workflow state before any side
effect runs (docs/architecture.md, "Confirm before acting"). Every failure has a product answer
(a question to repeat, a hand-off to a person, a reply spoken with ``<Say>``), counted in the
``switchboard_fallbacks`` metric.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.customer_context import CustomerContext
from workflows.customer_texts import (
    AGENT_UNAVAILABLE,
    BOOKING_NOT_FOUND,
    RESTARTED,
    STALE_CONFIRMATION,
    START_WORDS,
    STOP_WORDS,
    STOPPED,
    UNHEARD_CALLER,
    UNREADABLE_VOICE_NOTE,
    UNSURE,
    VOICEMAIL_THANKS,
)
from workflows.journey_router import JourneyRouter
from workflows.policies import DB_RETRY, DB_TIMEOUT, VENDOR_RETRY
from workflows.turn_ingest import ingest
from workflows.unsent_replies import UnsentReplies

with workflow.unsafe.imports_passed_through():
    from activities.agent import AgentActivities
    from activities.consent import ConsentActivities
    from activities.crm import CrmActivities
    from activities.journey import JourneyActivities
    from activities.journey_types import HandoffInput
    from activities.tts import TtsActivities
    from activities.types import (
        CancelBookingInput,
        ConfirmBookingInput,
        DecideInput,
        LogMessageInput,
        MoveBookingInput,
        RecordConsentInput,
        SaveDraftInput,
        SendWhatsAppInput,
        SetBookingStatusInput,
        SynthesizeInput,
    )
    from switchboard.agent_models import (
        AgentDecision,
        Channel,
        Direction,
        Intent,
        PendingAction,
    )
    from switchboard.temporal import CHANNEL
    from workflows.types import CallState, InboundInput, JourneyEvent, TurnResult

# Twilio waits 15 s for TwiML on a voice webhook (Twilio docs, "Webhook timeouts"), so a caller
# turn has a tighter budget than a WhatsApp turn.
VOICE_BUDGET = timedelta(seconds=10)
WHATSAPP_BUDGET = timedelta(seconds=60)

PENDING_ACTION_TTL = timedelta(minutes=15)


class TurnPipeline:
    """Runs turns for one customer; replies go out through ``unsent`` (WhatsApp) or back to the
    voice webhook (calls), journey traffic through ``journeys``."""

    def __init__(
        self, customer: CustomerContext, journeys: JourneyRouter, unsent: UnsentReplies
    ) -> None:
        self._customer = customer
        self._journeys = journeys
        self._unsent = unsent

    async def run(self, batch: list[InboundInput]) -> TurnResult:
        """One turn for ``batch``: one caller turn, or WhatsApp messages that are one thought
        (answered with one reply to the first)."""
        first = batch[0]
        channel = first.channel
        workflow.upsert_search_attributes([CHANNEL.value_set(channel.value)])
        budget = VOICE_BUDGET if channel is Channel.VOICE else WHATSAPP_BUDGET

        texts: list[str] = []
        keys: list[str] = []
        unsure = False
        for msg in batch:
            text, kind, media_id, msg_unsure = await ingest(self._customer, msg, budget)
            if kind == "image" and media_id is not None:
                self._journeys.later_trigger(
                    "media_received", {"key": msg.sid, "media_id": media_id, "kind": "image"}
                )
            key = f"in/{msg.sid}"
            await self._customer.log(
                LogMessageInput(
                    key=key,
                    customer=self._customer.e164,
                    channel=channel,
                    direction=Direction.INBOUND,
                    kind=kind,
                    text=text,
                    media_id=media_id,
                    provider_sid=msg.sid,
                    call_sid=msg.call_sid,
                    at=msg.received_at,
                )
            )
            keys.append(key)
            if msg_unsure:
                unsure = True
            elif text:
                texts.append(text)

        message = " ".join(texts)
        calls = self._customer.state.calls
        call = calls.get(first.call_sid) if first.call_sid else None
        if first.voicemail:
            if call is not None:
                call.voicemail = message
            return TurnResult(reply=VOICEMAIL_THANKS, hangup=True)

        hangup = False
        keyword = " ".join(message.lower().strip(" .!").split())
        if not texts and unsure:
            reply = UNSURE
            await self._fallback(first, "low-confidence transcript: asked to repeat")
        elif not texts:
            reply = UNHEARD_CALLER if channel is Channel.VOICE else UNREADABLE_VOICE_NOTE
            await self._fallback(first, "no usable speech: asked to resend or type")
        elif channel is Channel.WHATSAPP and keyword in STOP_WORDS:
            reply = await self._set_whatsapp_consent("opted_out", "STOP keyword")
            self._journeys.later_event(JourneyEvent(kind="stop"))
        elif channel is Channel.WHATSAPP and keyword in START_WORDS:
            reply = await self._set_whatsapp_consent("opted_in", "START keyword")
        else:
            decision = await self._decide(
                channel, message, keys, budget, goal=call.goal if call else None
            )
            if decision is None:
                reply = AGENT_UNAVAILABLE
                await self._hand_off(first, "the agent was unavailable for this message")
            else:
                reply = await self._apply(decision, first)
                hangup = decision.intent is Intent.GOODBYE and channel is Channel.VOICE
                self._journeys.later_event(
                    JourneyEvent(
                        kind="reply", data={"intent": decision.intent.value, "channel": channel}
                    )
                )
            if channel is Channel.WHATSAPP:
                self._journeys.later_trigger("customer_replied", {"key": first.sid})
        voice_note = any(m.channel is Channel.WHATSAPP and m.media for m in batch) and any(
            i.content_type.startswith("audio/") for m in batch for i in m.media
        )
        result = await self._respond(reply, first, hangup, voice_note=voice_note and bool(texts))
        await self._journeys.flush()
        return result

    # -- deciding ----------------------------------------------------------------------------

    async def _set_whatsapp_consent(self, status: str, source: str) -> str:
        """STOP revokes WhatsApp for every purpose; START restores it."""
        for purpose in ("service", "marketing"):
            await workflow.execute_activity_method(
                ConsentActivities.record,
                RecordConsentInput(
                    customer=self._customer.e164,
                    channel=Channel.WHATSAPP,
                    purpose=purpose,
                    status=status,
                    source=source,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
        return STOPPED if status == "opted_out" else RESTARTED

    async def _decide(
        self,
        channel: Channel,
        message: str,
        keys: list[str],
        budget: timedelta,
        *,
        goal: str | None = None,
    ) -> AgentDecision | None:
        try:
            return await workflow.execute_activity_method(
                AgentActivities.decide,
                DecideInput(
                    customer=self._customer.e164,
                    channel=channel,
                    message=message,
                    now=workflow.now(),
                    pending=self._live_pending(),
                    exclude_keys=keys,
                    goal=goal,
                ),
                schedule_to_close_timeout=budget,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("agent unavailable; safe reply sent")
            return None

    def _live_pending(self) -> PendingAction | None:
        state = self._customer.state
        pending = state.pending
        if pending is not None and pending.expires_at <= workflow.now():
            state.pending = pending = None
        return pending

    async def _apply(self, decision: AgentDecision, first: InboundInput) -> str:
        """Validate the agent's intent against workflow state and run its side effects.

        Risky actions are two-step (docs/architecture.md, "Confirm before acting"): a proposal
        becomes the pending action (ID from ``workflow.uuid4()``); only a confirmation naming
        that ID, before it expires, commits it. A late or mismatched "yes" changes nothing, and
        the calendar re-checks a slot when it is committed."""
        state = self._customer.state
        channel, call_sid = first.channel, first.call_sid
        proposal = decision.proposal
        if decision.intent is Intent.PROPOSE_BOOKING and proposal is not None:
            action = PendingAction(
                id=str(workflow.uuid4()),
                slot_start=proposal.slot_start,
                subject=proposal.subject,
                expires_at=workflow.now() + PENDING_ACTION_TTL,
                service=proposal.service,
            )
            await workflow.execute_activity_method(
                CrmActivities.save_draft,
                SaveDraftInput(
                    booking_id=action.id,
                    customer=self._customer.e164,
                    slot_start=proposal.slot_start,
                    subject=action.subject,
                    channel=channel,
                    call_sid=call_sid,
                    service=proposal.service,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            state.pending = action
            if channel is Channel.WHATSAPP:
                self._journeys.later_trigger(
                    "draft_created", {"key": action.id, "booking_id": action.id}
                )
            return decision.reply

        if (
            decision.intent in (Intent.PROPOSE_RESCHEDULE, Intent.PROPOSE_CANCEL)
            and proposal is not None
            and proposal.booking_id
        ):
            # Nothing is written until the yes: the booking itself is the record.
            state.pending = PendingAction(
                id=str(workflow.uuid4()),
                kind="reschedule" if decision.intent is Intent.PROPOSE_RESCHEDULE else "cancel",
                slot_start=proposal.slot_start,
                subject=proposal.subject,
                expires_at=workflow.now() + PENDING_ACTION_TTL,
                booking_id=proposal.booking_id,
                service=proposal.service,
            )
            return decision.reply

        # Before this patch the agent's own hand-off decision opened no record: a person was
        # promised and nobody was told (issue 9).
        if decision.intent is Intent.HANDOFF and workflow.patched("agent-handoff"):
            note = decision.note or f"The customer asked for a person: {first.text!r}"
            await self._open_handoff(first, note)
            return decision.reply

        if decision.intent in (Intent.OPT_OUT, Intent.OPT_IN) and channel is Channel.WHATSAPP:
            if decision.intent is Intent.OPT_OUT:
                self._journeys.later_event(JourneyEvent(kind="stop"))
                return await self._set_whatsapp_consent("opted_out", "asked the agent")
            return await self._set_whatsapp_consent("opted_in", "asked the agent")

        if decision.intent in (Intent.CONFIRM, Intent.DECLINE):
            pending = self._live_pending()
            if pending is None or decision.action_id != pending.id:
                return STALE_CONFIRMATION
            confirmed = decision.intent is Intent.CONFIRM
            state.pending = None
            if pending.kind == "offer":
                # A journey's question: the journey acts on the answer.
                answer = JourneyEvent(kind="yes" if confirmed else "no")
                self._journeys.later_event(answer, journey_id=pending.journey_id)
                return decision.reply
            if pending.kind in ("reschedule", "cancel"):
                return (
                    await self._change_booking(pending, decision) if confirmed else (decision.reply)
                )
            if confirmed and workflow.patched("booking-availability"):
                return await self._confirm_booking(pending, decision, call_sid)
            await workflow.execute_activity_method(
                CrmActivities.set_booking_status,
                SetBookingStatusInput(
                    booking_id=pending.id, status="confirmed" if confirmed else "declined"
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            if confirmed:
                self._booked(pending.id, call_sid)
        return decision.reply

    async def _confirm_booking(
        self, pending: PendingAction, decision: AgentDecision, call_sid: str | None
    ) -> str:
        """Commit a new booking; the calendar may refuse a slot taken since it was offered."""
        commit = await workflow.execute_activity_method(
            CrmActivities.confirm_booking,
            ConfirmBookingInput(
                booking_id=pending.id, customer=self._customer.e164, now=workflow.now()
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        if not commit.ok:
            return commit.message
        self._booked(pending.id, call_sid)
        return decision.reply

    def _booked(self, booking_id: str, call_sid: str | None) -> None:
        booked = {"booking_id": booking_id}
        self._journeys.later_event(JourneyEvent(kind="booking_confirmed", data=booked))
        self._journeys.later_event(JourneyEvent(kind="draft_confirmed", data=booked))
        if call_sid is not None:
            self._customer.state.calls.setdefault(call_sid, CallState()).booking_id = booking_id

    async def _change_booking(self, pending: PendingAction, decision: AgentDecision) -> str:
        """Move or cancel the booking the customer said yes about. One that is no longer
        theirs to change (cancelled meanwhile, not found) changes nothing and says so."""
        booking_id = pending.booking_id or ""
        try:
            if pending.kind == "reschedule" and pending.slot_start is not None:
                commit = await workflow.execute_activity_method(
                    CrmActivities.move_booking,
                    MoveBookingInput(
                        booking_id=booking_id,
                        customer=self._customer.e164,
                        slot_start=pending.slot_start,
                        now=workflow.now(),
                    ),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_rescheduled"
            else:
                commit = await workflow.execute_activity_method(
                    CrmActivities.cancel_booking,
                    CancelBookingInput(booking_id=booking_id, customer=self._customer.e164),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_cancelled"
        except ActivityError:
            workflow.logger.warning("booking change refused", extra={"booking_id": booking_id})
            return BOOKING_NOT_FOUND
        if not commit.ok:
            return commit.message
        self._journeys.later_event(JourneyEvent(kind=event, data={"booking_id": booking_id}))
        return decision.reply

    # -- responding --------------------------------------------------------------------------

    async def _respond(
        self, reply: str, first: InboundInput, hangup: bool, *, voice_note: bool = False
    ) -> TurnResult:
        e164 = self._customer.e164
        if first.channel is Channel.WHATSAPP:
            sent = await self._unsent.send(
                SendWhatsAppInput(key=f"reply/{first.sid}", customer=e164, body=reply)
            )
            if sent and voice_note:
                # The customer spoke: the text goes first (nothing waits for TTS), then the
                # same reply as a voice note.
                await self._send_voice_note(first.sid, reply)
            return TurnResult(reply=reply)

        await self._customer.log(
            LogMessageInput(
                key=f"reply/{first.sid}",
                customer=e164,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="speech",
                text=reply,
                call_sid=first.call_sid,
            )
        )
        audio_id: str | None = None
        try:
            clip = await workflow.execute_activity_method(
                TtsActivities.synthesize,
                SynthesizeInput(key=f"tts/{first.sid}", customer=e164, text=reply),
                schedule_to_close_timeout=timedelta(seconds=6),
                start_to_close_timeout=timedelta(seconds=5),
                retry_policy=VENDOR_RETRY,
            )
            audio_id = clip.media_id
        except ActivityError:
            workflow.logger.warning("TTS failed; the reply is spoken with <Say>")
            await self._fallback(first, "speech synthesis failed: reply spoken with <Say>")
        return TurnResult(reply=reply, audio_media_id=audio_id, hangup=hangup)

    async def _send_voice_note(self, sid: str, reply: str) -> None:
        e164 = self._customer.e164
        try:
            clip = await workflow.execute_activity_method(
                TtsActivities.synthesize,
                SynthesizeInput(key=f"tts/{sid}", customer=e164, text=reply, format="ogg"),
                start_to_close_timeout=timedelta(seconds=20),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("TTS failed; the reply went out as text only")
            self._count_fallback("tts_voice_note")
            return
        await self._unsent.send(
            SendWhatsAppInput(
                key=f"reply-audio/{sid}", customer=e164, body=reply, media_id=clip.media_id
            )
        )

    # -- fallbacks ---------------------------------------------------------------------------

    async def _fallback(self, first: InboundInput, what: str) -> None:
        """Make a fallback visible: a log row in the conversation and a metric."""
        self._count_fallback(what.split(":", 1)[0])
        await self._customer.log(
            LogMessageInput(
                key=f"fallback/{first.sid}",
                customer=self._customer.e164,
                channel=first.channel,
                direction=Direction.OUTBOUND,
                kind="event",
                text=f"fallback: {what}",
                call_sid=first.call_sid,
            )
        )

    async def _hand_off(self, first: InboundInput, note: str) -> None:
        """A person takes over (the agent is down), with a summary of the conversation."""
        self._count_fallback("agent_unavailable")
        await self._open_handoff(first, note)

    async def _open_handoff(self, first: InboundInput, note: str) -> None:
        """A handoff record for the team's queue, with a summary of the conversation (one per
        inbound message: a retried activity or turn opens it once)."""
        await workflow.execute_activity_method(
            JourneyActivities.handoff,
            HandoffInput(
                key=f"handoff/{first.sid}", customer=self._customer.e164, queue="agent", note=note
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )

    def _count_fallback(self, kind: str) -> None:
        workflow.metric_meter().create_counter(
            "switchboard_fallbacks", "Fallbacks taken in customer turns"
        ).add(1, {"kind": kind})
