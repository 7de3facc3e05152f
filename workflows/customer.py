"""CustomerWorkflow: one per customer (``customer/<E164>``), serialising turns across channels.

Inbound messages arrive as Updates (``inbound``, Update ID = Twilio SID), call events as
signals. A single loop processes them in arrival order, so a WhatsApp message and a caller turn
for the same customer never race; WhatsApp messages that queue up while a turn runs are merged
into one turn with one reply. Workflow state holds IDs, the pending action and open calls; the
conversation itself lives in Postgres.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.agent import AgentActivities
    from activities.conversation import ConversationActivities
    from activities.crm import CrmActivities
    from activities.media import MediaActivities
    from activities.stt import SttActivities
    from activities.tts import TtsActivities
    from activities.types import (
        DecideInput,
        FetchMediaInput,
        LogMessageInput,
        NormaliseAudioInput,
        SaveDraftInput,
        SendWhatsAppInput,
        SetBookingStatusInput,
        SynthesizeInput,
        TranscribeInput,
    )
    from activities.whatsapp import WhatsAppActivities
    from switchboard.agent_models import (
        AgentDecision,
        Channel,
        Direction,
        Intent,
        PendingAction,
    )
    from switchboard.temporal import CHANNEL, CUSTOMER_PHONE, journey_workflow_id
    from workflows.call_confirmation import CallConfirmationWorkflow
    from workflows.types import (
        CallConfirmationInput,
        CallEndedInput,
        CallStartedInput,
        CallState,
        CustomerInput,
        CustomerState,
        InboundInput,
        TurnResult,
    )

# Retry policies, named by what they protect. Vendor calls retry a few times, then the turn falls
# back (a polite reply) rather than leaving the customer in silence.
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=5)
)
VENDOR_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=4,
)
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=8,
)

# Twilio waits 15 s for TwiML on a voice webhook (Twilio docs, "Webhook timeouts"), so a caller
# turn has a tighter budget than a WhatsApp turn.
VOICE_BUDGET = timedelta(seconds=10)
WHATSAPP_BUDGET = timedelta(seconds=60)
DB_TIMEOUT = timedelta(seconds=10)

PENDING_ACTION_TTL = timedelta(minutes=15)
RECENT_RESULTS = 50

UNREADABLE_VOICE_NOTE = (
    "Sorry, I couldn't listen to that voice note. Could you resend it, or type your message?"
)
UNHEARD_CALLER = "Sorry, I didn't catch that. Could you say it again?"
AGENT_UNAVAILABLE = "Sorry, I'm having trouble right now. A colleague will get back to you shortly."
STALE_CONFIRMATION = (
    "Sorry, that offer is no longer open. Tell me the day and time you'd like and I'll "
    "propose it again."
)

_Event = InboundInput | CallStartedInput | CallEndedInput


@workflow.defn
class CustomerWorkflow:
    @workflow.init
    def __init__(self, input: CustomerInput) -> None:
        self._e164 = input.e164
        self._state: CustomerState = input.state
        self._queue: list[_Event] = []
        self._queued: set[str] = set()
        self._results: dict[str, TurnResult] = {}

    @workflow.run
    async def run(self, input: CustomerInput) -> None:
        workflow.upsert_search_attributes([CUSTOMER_PHONE.value_set(self._e164)])
        while True:
            await workflow.wait_condition(
                lambda: bool(self._queue) or workflow.info().is_continue_as_new_suggested()
            )
            if self._queue:
                await self._process_next()
                continue
            # History is long: hand the small state to a fresh run once every Update handler
            # has returned its result (none is lost; queued work is drained first).
            await workflow.wait_condition(workflow.all_handlers_finished)
            if not self._queue:
                workflow.continue_as_new(CustomerInput(e164=self._e164, state=self._state))

    # -- message passing -------------------------------------------------------------------

    @workflow.update
    async def inbound(self, msg: InboundInput) -> TurnResult:
        """Run (or join) the turn for one inbound message and return the reply."""
        if msg.sid in self._results:
            return self._results[msg.sid]
        if msg.sid in self._state.recent_sids:
            # Seen before continue-as-new: the turn ran and its reply went out already.
            return TurnResult(reply="", hangup=False)
        if msg.sid not in self._queued:
            self._queued.add(msg.sid)
            self._queue.append(msg)
        await workflow.wait_condition(lambda: msg.sid in self._results)
        return self._results[msg.sid]

    @inbound.validator
    def validate_inbound(self, msg: InboundInput) -> None:
        if not msg.sid:
            raise ValueError("sid is required")
        if msg.channel is Channel.VOICE and not msg.call_sid:
            raise ValueError("call_sid is required for a voice turn")
        if not msg.text.strip() and not msg.media:
            raise ValueError("a message needs text or media")

    @workflow.signal
    def call_started(self, event: CallStartedInput) -> None:
        self._enqueue(f"start/{event.call_sid}", event)

    @workflow.signal
    def call_ended(self, event: CallEndedInput) -> None:
        self._enqueue(f"end/{event.call_sid}", event)

    @workflow.query
    def pending_action(self) -> PendingAction | None:
        return self._state.pending

    def _enqueue(self, key: str, event: _Event) -> None:
        if key in self._queued or key in self._state.recent_sids:
            return
        self._queued.add(key)
        self._queue.append(event)

    # -- the loop ----------------------------------------------------------------------------

    async def _process_next(self) -> None:
        head = self._queue.pop(0)
        if isinstance(head, CallStartedInput):
            await self._on_call_started(head)
            self._remember(f"start/{head.call_sid}")
        elif isinstance(head, CallEndedInput):
            await self._on_call_ended(head)
            self._remember(f"end/{head.call_sid}")
        else:
            batch = [head]
            # WhatsApp messages that arrived while the previous turn ran are one thought.
            while (
                head.channel is Channel.WHATSAPP
                and self._queue
                and isinstance(self._queue[0], InboundInput)
                and self._queue[0].channel is Channel.WHATSAPP
            ):
                nxt = self._queue.pop(0)
                assert isinstance(nxt, InboundInput)
                batch.append(nxt)
            result = await self._turn(batch)
            for msg in batch:
                self._results[msg.sid] = result
                self._remember(msg.sid)
            # Keep only the latest results; older duplicates are answered from recent_sids.
            for sid in list(self._results)[:-RECENT_RESULTS]:
                del self._results[sid]

    def _remember(self, key: str) -> None:
        self._queued.discard(key)
        self._state.recent_sids = [*self._state.recent_sids, key][-200:]

    # -- a turn ------------------------------------------------------------------------------

    async def _turn(self, batch: list[InboundInput]) -> TurnResult:
        first = batch[0]
        channel = first.channel
        workflow.upsert_search_attributes([CHANNEL.value_set(channel.value)])
        budget = VOICE_BUDGET if channel is Channel.VOICE else WHATSAPP_BUDGET

        texts: list[str] = []
        keys: list[str] = []
        for msg in batch:
            text, kind, media_id = await self._ingest(msg, budget)
            key = f"in/{msg.sid}"
            await self._log(
                LogMessageInput(
                    key=key,
                    customer=self._e164,
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
            if text:
                texts.append(text)

        hangup = False
        if not texts:
            reply = UNHEARD_CALLER if channel is Channel.VOICE else UNREADABLE_VOICE_NOTE
        else:
            decision = await self._decide(channel, " ".join(texts), keys, budget)
            if decision is None:
                reply = AGENT_UNAVAILABLE
            else:
                reply = await self._apply(decision, channel, first.call_sid)
                hangup = decision.intent is Intent.GOODBYE and channel is Channel.VOICE
        return await self._respond(reply, first, hangup)

    async def _ingest(self, msg: InboundInput, budget: timedelta) -> tuple[str, str, str | None]:
        """(text, kind, media_id) for one message; audio is transcribed. An unreadable voice
        note yields no text (the customer is asked to resend) but is still logged."""
        parts = [msg.text.strip()] if msg.text.strip() else []
        kind = "speech" if msg.channel is Channel.VOICE else "text"
        media_id: str | None = None
        for index, item in enumerate(msg.media):
            media_id = f"{msg.sid}/{index}"
            if item.content_type.startswith("audio/"):
                kind = "speech" if msg.channel is Channel.VOICE else "voice_note"
                transcript = await self._transcribe(media_id, item.url, budget)
                if transcript:
                    parts.append(transcript)
            else:
                kind = "image" if item.content_type.startswith("image/") else "media"
                try:
                    await self._fetch(media_id, item.url, budget)
                except ActivityError:
                    workflow.logger.warning("media fetch failed", extra={"media_id": media_id})
                parts.append(f"[sent {'a photo' if kind == 'image' else 'a file'}]")
        return " ".join(parts), kind, media_id

    async def _fetch(self, media_id: str, url: str, budget: timedelta) -> None:
        await workflow.execute_activity_method(
            MediaActivities.fetch,
            FetchMediaInput(media_id=media_id, url=url, customer=self._e164),
            schedule_to_close_timeout=budget,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=VENDOR_RETRY,
        )

    async def _transcribe(self, media_id: str, url: str, budget: timedelta) -> str:
        try:
            await self._fetch(media_id, url, budget)
            wav = await workflow.execute_activity_method(
                MediaActivities.normalise_audio,
                NormaliseAudioInput(media_id=media_id),
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=VENDOR_RETRY,
            )
            transcript = await workflow.execute_activity_method(
                SttActivities.transcribe,
                TranscribeInput(media_id=wav.media_id),
                schedule_to_close_timeout=budget,
                start_to_close_timeout=timedelta(seconds=20),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("voice note unreadable", extra={"media_id": media_id})
            return ""
        return transcript.text

    async def _decide(
        self, channel: Channel, message: str, keys: list[str], budget: timedelta
    ) -> AgentDecision | None:
        try:
            return await workflow.execute_activity_method(
                AgentActivities.decide,
                DecideInput(
                    customer=self._e164,
                    channel=channel,
                    message=message,
                    now=workflow.now(),
                    pending=self._live_pending(),
                    exclude_keys=keys,
                ),
                schedule_to_close_timeout=budget,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("agent unavailable; safe reply sent")
            return None

    def _live_pending(self) -> PendingAction | None:
        pending = self._state.pending
        if pending is not None and pending.expires_at <= workflow.now():
            self._state.pending = pending = None
        return pending

    async def _apply(self, decision: AgentDecision, channel: Channel, call_sid: str | None) -> str:
        """Validate the agent's intent against workflow state and run its side effects.

        Risky actions are two-step (DESIGN.md, "Confirm before acting"): a proposal becomes the
        pending action (ID from ``workflow.uuid4()``); only a confirmation naming that ID, before
        it expires, commits it. A late or mismatched "yes" changes nothing."""
        if decision.intent is Intent.PROPOSE_BOOKING and decision.proposal is not None:
            action = PendingAction(
                id=str(workflow.uuid4()),
                slot_start=decision.proposal.slot_start,
                subject=decision.proposal.subject,
                expires_at=workflow.now() + PENDING_ACTION_TTL,
            )
            await workflow.execute_activity_method(
                CrmActivities.save_draft,
                SaveDraftInput(
                    booking_id=action.id,
                    customer=self._e164,
                    slot_start=action.slot_start,
                    subject=action.subject,
                    channel=channel,
                    call_sid=call_sid,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            self._state.pending = action
            return decision.reply

        if decision.intent in (Intent.CONFIRM, Intent.DECLINE):
            pending = self._live_pending()
            if pending is None or decision.action_id != pending.id:
                return STALE_CONFIRMATION
            confirmed = decision.intent is Intent.CONFIRM
            await workflow.execute_activity_method(
                CrmActivities.set_booking_status,
                SetBookingStatusInput(
                    booking_id=pending.id, status="confirmed" if confirmed else "declined"
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            self._state.pending = None
            if confirmed and call_sid is not None:
                call = self._state.calls.setdefault(call_sid, CallState())
                call.booking_id = pending.id
                await self._maybe_start_confirmation(call_sid)
        return decision.reply

    async def _respond(self, reply: str, first: InboundInput, hangup: bool) -> TurnResult:
        if first.channel is Channel.WHATSAPP:
            try:
                await workflow.execute_activity_method(
                    WhatsAppActivities.send,
                    SendWhatsAppInput(key=f"reply/{first.sid}", customer=self._e164, body=reply),
                    start_to_close_timeout=timedelta(seconds=15),
                    retry_policy=SEND_RETRY,
                )
            except ActivityError:
                # The reply is in the outbox and the failure in the worker log; the inbound
                # message itself is already in the conversation log.
                workflow.logger.error("WhatsApp reply not sent", extra={"sid": first.sid})
            return TurnResult(reply=reply)

        await self._log(
            LogMessageInput(
                key=f"reply/{first.sid}",
                customer=self._e164,
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
                SynthesizeInput(key=f"tts/{first.sid}", customer=self._e164, text=reply),
                schedule_to_close_timeout=timedelta(seconds=6),
                start_to_close_timeout=timedelta(seconds=5),
                retry_policy=VENDOR_RETRY,
            )
            audio_id = clip.media_id
        except ActivityError:
            workflow.logger.warning("TTS failed; the reply is spoken with <Say>")
        return TurnResult(reply=reply, audio_media_id=audio_id, hangup=hangup)

    # -- calls -------------------------------------------------------------------------------

    async def _on_call_started(self, event: CallStartedInput) -> None:
        self._state.calls.setdefault(event.call_sid, CallState())
        workflow.upsert_search_attributes([CHANNEL.value_set(Channel.VOICE.value)])
        await self._log(
            LogMessageInput(
                key=f"call/{event.call_sid}/greeting",
                customer=self._e164,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="speech",
                text=event.greeting,
                call_sid=event.call_sid,
                at=event.received_at,
            )
        )

    async def _on_call_ended(self, event: CallEndedInput) -> None:
        call = self._state.calls.setdefault(event.call_sid, CallState())
        call.ended = True
        await self._log(
            LogMessageInput(
                key=f"call/{event.call_sid}/ended",
                customer=self._e164,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="event",
                text=f"call {event.status}"
                + (f" after {event.duration_s} s" if event.duration_s is not None else ""),
                call_sid=event.call_sid,
                at=event.received_at,
            )
        )
        await self._maybe_start_confirmation(event.call_sid)
        if not call.booking_id:
            del self._state.calls[event.call_sid]

    async def _maybe_start_confirmation(self, call_sid: str) -> None:
        """Start the call → WhatsApp confirmation journey once the call has ended with a
        confirmed booking (whichever of the two events comes last)."""
        call = self._state.calls[call_sid]
        if not (call.ended and call.booking_id) or call.journey_started:
            return
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                CallConfirmationWorkflow.run,
                CallConfirmationInput(
                    customer=self._e164, call_sid=call_sid, booking_id=call.booking_id
                ),
                id=journey_workflow_id("call-confirmation", self._e164, call_sid),
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        call.journey_started = True
        del self._state.calls[call_sid]

    # -- helpers -----------------------------------------------------------------------------

    async def _log(self, entry: LogMessageInput) -> None:
        await workflow.execute_activity_method(
            ConversationActivities.log,
            entry,
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
