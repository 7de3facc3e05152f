"""CustomerWorkflow: one per customer (``customer/<E164>``), serialising turns across channels.

Inbound messages arrive as Updates (``inbound``, Update ID = Twilio SID), call events as
signals. A single loop processes them in arrival order, so a WhatsApp message and a caller turn
for the same customer never race; WhatsApp messages that queue up while a turn runs are merged
into one turn with one reply. Workflow state holds IDs, the pending action and open calls; the
conversation itself lives in Postgres.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError

from workflows.policies import DB_RETRY, DB_TIMEOUT, db_activity

with workflow.unsafe.imports_passed_through():
    from activities.agent import AgentActivities
    from activities.consent import ConsentActivities
    from activities.conversation import ConversationActivities
    from activities.crm import CrmActivities
    from activities.journey import JourneyActivities
    from activities.journey_types import HandoffInput, JourneyStartRequest, MatchInput
    from activities.media import MediaActivities
    from activities.stt import SttActivities
    from activities.tts import TtsActivities
    from activities.types import (
        DecideInput,
        FetchMediaInput,
        GetBookingInput,
        LogMessageInput,
        NormaliseAudioInput,
        RecordConsentInput,
        SaveDraftInput,
        SendWhatsAppInput,
        SetBookingStatusInput,
        SynthesizeInput,
        TranscribeInput,
        TranscriptResult,
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
    from workflows.journey import JourneyWorkflow
    from workflows.types import (
        CallEndedInput,
        CallStartedInput,
        CallState,
        CustomerInput,
        CustomerState,
        InboundInput,
        JourneyEvent,
        JourneyInput,
        OfferInput,
        TurnResult,
    )

# Retry policies, named by what they protect. Vendor calls retry a few times, then the turn falls
# back (a polite reply) rather than leaving the customer in silence.
VENDOR_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=4,
)
# Short on purpose: a longer outage is handled by the workflow's own queue of unsent replies
# (retried every minute, in order), so one customer's turns are not held up for minutes.
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=4,
)

# Twilio waits 15 s for TwiML on a voice webhook (Twilio docs, "Webhook timeouts"), so a caller
# turn has a tighter budget than a WhatsApp turn.
VOICE_BUDGET = timedelta(seconds=10)
WHATSAPP_BUDGET = timedelta(seconds=60)

PENDING_ACTION_TTL = timedelta(minutes=15)
UNSENT_RETRY_EVERY = timedelta(minutes=1)
RECENT_RESULTS = 50

UNREADABLE_VOICE_NOTE = (
    "Sorry, I couldn't listen to that voice note. Could you resend it, or type your message?"
)
UNHEARD_CALLER = "Sorry, I didn't catch that. Could you say it again?"
UNSURE = "Sorry, I'm not sure I understood. Could you say that again, or type it?"
# Below this STT confidence a transcript is logged but not acted on: a short question beats a
# wrong booking. Whisper tiny.en scores espeak's "Yes." on 8 kHz phone audio about 0.45.
MIN_CONFIDENCE = 0.3
AGENT_UNAVAILABLE = "Sorry, I'm having trouble right now. A colleague will get back to you shortly."
STOPPED = "You're unsubscribed and won't get more messages from us. Reply START to opt back in."
RESTARTED = "Welcome back: you'll get our messages on WhatsApp again. Reply STOP at any time."
VOICEMAIL_THANKS = "Thank you, we'll get back to you. Goodbye."
# Opt-out keywords handled by the app: Twilio's automatic STOP filtering is documented for SMS,
# not WhatsApp (DESIGN.md).
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel all", "end", "quit", "opt out", "opt-out"}
START_WORDS = {"start", "unstop", "subscribe"}
STALE_CONFIRMATION = (
    "Sorry, that offer is no longer open. Tell me the day and time you'd like and I'll "
    "propose it again."
)


def _non_retryable(exc: ActivityError) -> bool:
    cause = exc.cause
    return isinstance(cause, ApplicationError) and cause.non_retryable


_Event = InboundInput | CallStartedInput | CallEndedInput | JourneyStartRequest


@workflow.defn
class CustomerWorkflow:
    @workflow.init
    def __init__(self, input: CustomerInput) -> None:
        self._e164 = input.e164
        self._local_db = False  # set in run()
        self._state: CustomerState = input.state
        self._queue: list[_Event] = []
        self._queued: set[str] = set()
        self._results: dict[str, TurnResult] = {}
        self._events_out: list[tuple[str | None, JourneyEvent]] = []
        self._triggers_out: list[tuple[str, dict[str, str]]] = []

    @workflow.run
    async def run(self, input: CustomerInput) -> None:
        # Log lines, journey matches, booking reads and audio normalisation (a few ms of Postgres
        # or CPU each) run as local activities: an ordinary activity's two server round trips
        # cost more than the work and sat on every turn's critical path (bench suite 2).
        # Runs recorded before this kept ordinary activities.
        self._local_db = workflow.patched("customer-local-db")
        workflow.upsert_search_attributes([CUSTOMER_PHONE.value_set(self._e164)])
        while True:
            try:
                await workflow.wait_condition(
                    lambda: bool(self._queue) or workflow.info().is_continue_as_new_suggested(),
                    timeout=UNSENT_RETRY_EVERY if self._state.unsent else None,
                    timeout_summary="retry unsent replies",
                )
            except TimeoutError:
                await self._drain_unsent()
                continue
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
    def message(self, msg: InboundInput) -> None:
        """A WhatsApp message handed over without waiting for its turn: the webhook answers as
        soon as Temporal has it. Redeliveries of a SID already queued or handled are ignored
        (the SID is also unique in Postgres)."""
        if msg.sid in self._results or msg.sid in self._state.recent_sids:
            return
        if msg.sid not in self._queued:
            self._queued.add(msg.sid)
            self._queue.append(msg)

    @workflow.signal
    def call_started(self, event: CallStartedInput) -> None:
        self._enqueue(f"start/{event.call_sid}", event)

    @workflow.signal
    def call_ended(self, event: CallEndedInput) -> None:
        self._enqueue(f"end/{event.call_sid}", event)

    @workflow.signal
    def start_journey(self, request: JourneyStartRequest) -> None:
        """Put the customer into a journey (audience launches come this way)."""
        self._enqueue(f"journey/{request.definition.name}/{request.trigger.key}", request)

    @workflow.signal
    def offer(self, offer: OfferInput) -> None:
        """A journey asks a yes/no question; the answer is forwarded to it."""
        self._state.pending = PendingAction(
            id=str(workflow.uuid4()),
            kind="offer",
            subject=offer.summary,
            expires_at=workflow.now() + timedelta(seconds=offer.ttl_s),
            journey_id=offer.journey_id,
        )

    @workflow.signal
    def journey_ended(self, journey_id: str) -> None:
        self._state.journeys = [j for j in self._state.journeys if j != journey_id]
        # A finished journey's question is closed: a later "yes" must not be promised a call.
        self.withdraw_offer(journey_id)

    @workflow.signal
    def withdraw_offer(self, journey_id: str) -> None:
        """The journey's question was never asked (its message could not be sent)."""
        pending = self._state.pending
        if pending is not None and pending.kind == "offer" and pending.journey_id == journey_id:
            self._state.pending = None

    @workflow.query
    def pending_action(self) -> PendingAction | None:
        return self._state.pending

    @workflow.query
    def running_journeys(self) -> list[str]:
        return list(self._state.journeys)

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
        elif isinstance(head, JourneyStartRequest):
            await self._start_journey(head)
            self._remember(f"journey/{head.definition.name}/{head.trigger.key}")
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
        unsure = False
        for msg in batch:
            text, kind, media_id, msg_unsure = await self._ingest(msg, budget)
            if kind == "image" and media_id is not None:
                self._later_trigger(
                    "media_received", {"key": msg.sid, "media_id": media_id, "kind": "image"}
                )
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
            if msg_unsure:
                unsure = True
            elif text:
                texts.append(text)

        message = " ".join(texts)
        call = self._state.calls.get(first.call_sid) if first.call_sid else None
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
            self._later_event(JourneyEvent(kind="stop"))
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
                reply = await self._apply(decision, channel, first.call_sid)
                hangup = decision.intent is Intent.GOODBYE and channel is Channel.VOICE
                self._later_event(
                    JourneyEvent(
                        kind="reply", data={"intent": decision.intent.value, "channel": channel}
                    )
                )
            if channel is Channel.WHATSAPP:
                self._later_trigger("customer_replied", {"key": first.sid})
        voice_note = any(m.channel is Channel.WHATSAPP and m.media for m in batch) and any(
            i.content_type.startswith("audio/") for m in batch for i in m.media
        )
        result = await self._respond(reply, first, hangup, voice_note=voice_note and bool(texts))
        await self._flush_later()
        return result

    async def _set_whatsapp_consent(self, status: str, source: str) -> str:
        """STOP revokes WhatsApp for every purpose; START restores it."""
        for purpose in ("service", "marketing"):
            await workflow.execute_activity_method(
                ConsentActivities.record,
                RecordConsentInput(
                    customer=self._e164,
                    channel=Channel.WHATSAPP,
                    purpose=purpose,
                    status=status,
                    source=source,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
        return STOPPED if status == "opted_out" else RESTARTED

    async def _ingest(
        self, msg: InboundInput, budget: timedelta
    ) -> tuple[str, str, str | None, bool]:
        """(text, kind, media_id, unsure) for one message; audio is transcribed. An unreadable
        voice note yields no text (the customer is asked to resend) but is still logged; a
        low-confidence transcript is logged but flagged ``unsure``."""
        parts = [msg.text.strip()] if msg.text.strip() else []
        kind = "speech" if msg.channel is Channel.VOICE else "text"
        media_id: str | None = None
        unsure = False
        for index, item in enumerate(msg.media):
            media_id = f"{msg.sid}/{index}"
            if item.content_type.startswith("audio/"):
                kind = "speech" if msg.channel is Channel.VOICE else "voice_note"
                transcript = await self._transcribe(media_id, item.url, budget)
                if transcript is not None and transcript.text:
                    parts.append(transcript.text)
                    confidence = transcript.confidence
                    unsure = unsure or (confidence is not None and confidence < MIN_CONFIDENCE)
            else:
                kind = "image" if item.content_type.startswith("image/") else "media"
                try:
                    await self._fetch(media_id, item.url, budget)
                except ActivityError:
                    workflow.logger.warning("media fetch failed", extra={"media_id": media_id})
                parts.append(f"[sent {'a photo' if kind == 'image' else 'a file'}]")
        return " ".join(parts), kind, media_id, unsure

    async def _fetch(self, media_id: str, url: str, budget: timedelta) -> None:
        await workflow.execute_activity_method(
            MediaActivities.fetch,
            FetchMediaInput(media_id=media_id, url=url, customer=self._e164),
            schedule_to_close_timeout=budget,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=VENDOR_RETRY,
        )

    async def _transcribe(
        self, media_id: str, url: str, budget: timedelta
    ) -> TranscriptResult | None:
        try:
            await self._fetch(media_id, url, budget)
            wav = await (
                workflow.execute_local_activity_method
                if self._local_db
                else workflow.execute_activity_method
            )(
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
                heartbeat_timeout=timedelta(seconds=6),
                retry_policy=VENDOR_RETRY,
            )
        except (ActivityError, ApplicationError):  # local normalise_audio: see application_failure
            workflow.logger.warning("voice note unreadable", extra={"media_id": media_id})
            return None
        return transcript

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
                    customer=self._e164,
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
            if channel is Channel.WHATSAPP:
                self._later_trigger("draft_created", {"key": action.id, "booking_id": action.id})
            return decision.reply

        if decision.intent in (Intent.CONFIRM, Intent.DECLINE):
            pending = self._live_pending()
            if pending is None or decision.action_id != pending.id:
                return STALE_CONFIRMATION
            confirmed = decision.intent is Intent.CONFIRM
            self._state.pending = None
            if pending.kind == "offer":
                # A journey's question: the journey acts on the answer.
                answer = JourneyEvent(kind="yes" if confirmed else "no")
                self._later_event(answer, journey_id=pending.journey_id)
                return decision.reply
            await workflow.execute_activity_method(
                CrmActivities.set_booking_status,
                SetBookingStatusInput(
                    booking_id=pending.id, status="confirmed" if confirmed else "declined"
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            if confirmed:
                booked = {"booking_id": pending.id}
                self._later_event(JourneyEvent(kind="booking_confirmed", data=booked))
                self._later_event(JourneyEvent(kind="draft_confirmed", data=booked))
                if call_sid is not None:
                    self._state.calls.setdefault(call_sid, CallState()).booking_id = pending.id
        return decision.reply

    async def _respond(
        self, reply: str, first: InboundInput, hangup: bool, *, voice_note: bool = False
    ) -> TurnResult:
        if first.channel is Channel.WHATSAPP:
            sent = await self._send_whatsapp(
                SendWhatsAppInput(key=f"reply/{first.sid}", customer=self._e164, body=reply)
            )
            if sent and voice_note:
                # The customer spoke: the text goes first (nothing waits for TTS), then the
                # same reply as a voice note.
                await self._send_voice_note(first.sid, reply)
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
            await self._fallback(first, "speech synthesis failed: reply spoken with <Say>")
        return TurnResult(reply=reply, audio_media_id=audio_id, hangup=hangup)

    async def _send_whatsapp(self, message: SendWhatsAppInput) -> bool:
        """Send now, or queue behind replies still waiting for Twilio. True when sent."""
        if self._state.unsent:
            self._state.unsent = [*self._state.unsent, message]
            return False
        if await self._try_send(message):
            return True
        self._state.unsent = [message]
        return False

    async def _try_send(self, message: SendWhatsAppInput) -> bool:
        try:
            await workflow.execute_activity_method(
                WhatsAppActivities.send,
                message,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as exc:
            if _non_retryable(exc):
                # Twilio refused this message itself (e.g. a bad number): waiting won't help.
                workflow.logger.error("WhatsApp reply refused", extra={"key": message.key})
                return True
            workflow.logger.warning(
                "WhatsApp unavailable; reply queued", extra={"key": message.key}
            )
            return False
        return True

    async def _drain_unsent(self) -> None:
        """Send queued replies in order; stop at the first that still cannot go (the outbox
        key makes a retried send of one that did reach Twilio a no-op)."""
        while self._state.unsent:
            if not await self._try_send(self._state.unsent[0]):
                return
            self._state.unsent = self._state.unsent[1:]

    async def _send_voice_note(self, sid: str, reply: str) -> None:
        try:
            clip = await workflow.execute_activity_method(
                TtsActivities.synthesize,
                SynthesizeInput(key=f"tts/{sid}", customer=self._e164, text=reply, format="ogg"),
                start_to_close_timeout=timedelta(seconds=20),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("TTS failed; the reply went out as text only")
            self._count_fallback("tts_voice_note")
            return
        await self._send_whatsapp(
            SendWhatsAppInput(
                key=f"reply-audio/{sid}", customer=self._e164, body=reply, media_id=clip.media_id
            )
        )

    async def _fallback(self, first: InboundInput, what: str) -> None:
        """Make a fallback visible: a log row in the conversation and a metric."""
        self._count_fallback(what.split(":", 1)[0])
        await self._log(
            LogMessageInput(
                key=f"fallback/{first.sid}",
                customer=self._e164,
                channel=first.channel,
                direction=Direction.OUTBOUND,
                kind="event",
                text=f"fallback: {what}",
                call_sid=first.call_sid,
            )
        )

    async def _hand_off(self, first: InboundInput, note: str) -> None:
        """A person takes over, with a summary of the conversation."""
        self._count_fallback("agent_unavailable")
        await workflow.execute_activity_method(
            JourneyActivities.handoff,
            HandoffInput(key=f"handoff/{first.sid}", customer=self._e164, queue="agent", note=note),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )

    def _count_fallback(self, kind: str) -> None:
        workflow.metric_meter().create_counter(
            "switchboard_fallbacks", "Fallbacks taken in customer turns"
        ).add(1, {"kind": kind})

    # -- calls -------------------------------------------------------------------------------

    async def _on_call_started(self, event: CallStartedInput) -> None:
        self._state.calls[event.call_sid] = CallState(
            goal=event.goal, after_hours=event.after_hours
        )
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
        if event.pending_booking_id:
            # A call about a draft ("you were about to book…"): the customer's yes on this call
            # confirms that draft, so it becomes the pending action again, with a fresh expiry.
            details = await db_activity(
                CrmActivities.get_booking,
                GetBookingInput(booking_id=event.pending_booking_id),
                local=self._local_db,
            )
            if details.booking.status == "draft":
                self._state.pending = PendingAction(
                    id=details.booking.id,
                    slot_start=details.booking.slot_start,
                    subject=details.booking.subject,
                    expires_at=workflow.now() + PENDING_ACTION_TTL,
                )

    async def _on_call_ended(self, event: CallEndedInput) -> None:
        call = self._state.calls.pop(event.call_sid, CallState())
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
        self._later_event(
            JourneyEvent(
                kind="call_completed", data={"call_sid": event.call_sid, "status": event.status}
            )
        )
        if call.after_hours:
            self._later_trigger(
                "after_hours_call",
                {"key": event.call_sid, "call_sid": event.call_sid, "voicemail": call.voicemail},
            )
        else:
            data = {
                "key": event.call_sid,
                "call_sid": event.call_sid,
                "status": event.status,
                "booking_confirmed": "true" if call.booking_id else "false",
            }
            if call.booking_id:
                data["booking_id"] = call.booking_id
            self._later_trigger("call_ended", data)
        await self._flush_later()

    # -- journeys ----------------------------------------------------------------------------

    def _later_event(self, event: JourneyEvent, *, journey_id: str | None = None) -> None:
        """Forward ``event`` to one journey, or to every running one, after the reply is out."""
        self._events_out.append((journey_id, event))

    def _later_trigger(self, event: str, data: dict[str, str]) -> None:
        """Start the journeys this event triggers, after the reply is out."""
        self._triggers_out.append((event, data))

    async def _flush_later(self) -> None:
        events, self._events_out = self._events_out, []
        triggers, self._triggers_out = self._triggers_out, []
        for journey_id, event in events:
            for target in [journey_id] if journey_id else list(self._state.journeys):
                await self._signal_journey(target, event)
        for event_name, data in triggers:
            starts = await db_activity(
                JourneyActivities.match,
                MatchInput(event=event_name, data=data),
                local=self._local_db,
            )
            for request in starts:
                await self._start_journey(request)

    async def _signal_journey(self, journey_id: str, event: JourneyEvent) -> None:
        try:
            await workflow.get_external_workflow_handle_for(JourneyWorkflow.run, journey_id).signal(
                JourneyWorkflow.event, event
            )
        except Exception:  # noqa: BLE001 - a finished journey cannot take signals: forget it
            workflow.logger.info("journey no longer running", extra={"journey_id": journey_id})
            self._state.journeys = [j for j in self._state.journeys if j != journey_id]

    async def _start_journey(self, request: JourneyStartRequest) -> None:
        """Start one run per journey × customer × trigger key (a duplicate trigger is a no-op,
        even after the earlier run finished)."""
        name = request.definition.name
        journey_id = journey_workflow_id(name, self._e164, request.trigger.key)
        try:
            await workflow.start_child_workflow(
                JourneyWorkflow.run,
                JourneyInput(
                    definition=request.definition,
                    version=request.version,
                    customer=self._e164,
                    trigger=request.trigger,
                ),
                id=journey_id,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                static_summary=f"{name} v{request.version} for {self._e164}",
                static_details=request.definition.description,
            )
        except WorkflowAlreadyStartedError:
            return
        self._state.journeys = [*self._state.journeys, journey_id]

    # -- helpers -----------------------------------------------------------------------------

    async def _log(self, entry: LogMessageInput) -> None:
        await db_activity(
            ConversationActivities.log,
            entry,
            local=self._local_db,
        )
