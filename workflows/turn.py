"""One customer turn: ingest (media → STT, ``turn_ingest.py``) → agent → apply the intent →
respond, then hand the journey events and triggers of the turn to the router.

The agent only proposes: its intent is checked here against workflow state before any side
effect runs (docs/architecture.md, "Confirm before acting"). Every failure has a product answer
(a question to repeat, a hand-off to a person, a reply spoken with ``<Say>``), counted in the
``switchboard_fallbacks`` metric.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.actions import Actions
from workflows.customer_context import CustomerContext
from workflows.customer_texts import (
    AGENT_UNAVAILABLE,
    SILENT_CALLER_GOODBYE,
    START_WORDS,
    STOP_WORDS,
    UNHEARD_CALLER,
    UNREADABLE_VOICE_NOTE,
    UNSURE,
    VOICEMAIL_THANKS,
    keyword_of,
)
from workflows.identity import IDENTITY_PATCH, VERIFIED, IdentityChecks
from workflows.journey_router import JourneyRouter
from workflows.policies import VENDOR_RETRY, application_failure, turn_activity
from workflows.turn_ingest import ingest
from workflows.unsent_replies import SEND_RETRY, UnsentReplies

with workflow.unsafe.imports_passed_through():
    from activities.agent import AgentActivities
    from activities.tts import SYNTHESIS_FAILED, TEXT_NOT_SENT, TtsActivities
    from activities.types import (
        DecideInput,
        LogMessageInput,
        SendWhatsAppInput,
        SynthesizeInput,
        VoiceNoteInput,
    )
    from switchboard.agent_models import (
        AgentDecision,
        Channel,
        Direction,
        Intent,
        PendingAction,
    )
    from switchboard.verification import Trust
    from workflows.types import CallTurnInput, InboundInput, JourneyEvent, TurnResult

# Twilio waits 15 s for TwiML on a voice webhook (Twilio docs, "Webhook timeouts"), so a caller
# turn has a tighter budget than a WhatsApp turn.
VOICE_BUDGET = timedelta(seconds=10)
# A real-time call's caller who said nothing even when asked (``CallTurnInput.silent``).
SILENT_CALLER_PATCH = "silent-caller"
WHATSAPP_BUDGET = timedelta(seconds=60)


class TurnPipeline:
    """Runs turns for one customer; replies go out through ``unsent`` (WhatsApp) or back to the
    voice webhook (calls), journey traffic through ``journeys``."""

    def __init__(
        self, customer: CustomerContext, journeys: JourneyRouter, unsent: UnsentReplies
    ) -> None:
        self._customer = customer
        self._journeys = journeys
        self._unsent = unsent
        self._actions = Actions(customer, journeys)
        self.identity = IdentityChecks(customer)

    def live_pending(self) -> PendingAction | None:
        """The proposal waiting for the customer's answer, if it has not expired
        (``Actions.live_pending``)."""
        return self._actions.live_pending()

    async def run(self, batch: list[InboundInput]) -> TurnResult:
        """One turn for ``batch``: one caller turn, or WhatsApp messages that are one thought
        (answered with one reply to the first)."""
        first = batch[0]
        channel = first.channel
        self._customer.show_channel(channel)
        budget = VOICE_BUDGET if channel is Channel.VOICE else WHATSAPP_BUDGET

        texts: list[str] = []
        keys: list[str] = []
        unsure = False
        ahead = self._ahead(batch)
        heard: AgentDecision | None = None  # the agent's decision made with the transcript
        for msg in batch:
            read = await ingest(self._customer, msg, budget, ahead=ahead)
            text, heard = read.text, read.decision
            if read.photo_id is not None:
                self._journeys.later_trigger(
                    "media_received", {"key": msg.sid, "media_id": read.photo_id, "kind": "image"}
                )
            key = f"in/{msg.sid}"
            await self._customer.log(
                LogMessageInput(
                    key=key,
                    customer=self._customer.e164,
                    channel=channel,
                    direction=Direction.INBOUND,
                    kind=read.kind,
                    text=text,
                    media_id=read.media_id,
                    media_ids=read.media_ids,
                    provider_sid=msg.sid,
                    call_sid=msg.call_sid,
                    at=msg.received_at,
                )
            )
            keys.append(key)
            if read.unsure:
                unsure = True
            elif text:
                texts.append(text)

        # Each message on a line of its own, as typed: "4pm" / "*5pm sorry" stays a correction.
        message = "\n".join(texts)
        # The journey events of this turn say when its latest message came: a run started
        # after that ignores them (JourneyEvent.received_before), a run started before it
        # hears the customer's answer even if earlier messages of the batch predate it.
        heard_at = max(m.received_at for m in batch)
        calls = self._customer.state.calls
        call = calls.get(first.call_sid) if first.call_sid else None
        if first.voicemail:
            if call is not None:
                call.voicemail = message
            return TurnResult(reply=VOICEMAIL_THANKS, hangup=True)

        hangup = False
        intent: Intent | None = None  # the agent's, logged with its reply (analytics)
        keyword = keyword_of(message)
        if (
            channel is Channel.WHATSAPP
            and self._customer.state.held_by is not None
            and keyword not in STOP_WORDS | START_WORDS
        ):
            # A person holds the conversation (workflows/human_replies.py): the message is
            # logged above for them, and the agent says nothing. STOP and START still work.
            await self._journeys.flush()
            return TurnResult(reply="")
        if not texts and unsure:
            reply = UNSURE
            await self._fallback(first, "low-confidence transcript: asked to repeat")
        elif not texts:
            reply = UNHEARD_CALLER if channel is Channel.VOICE else UNREADABLE_VOICE_NOTE
            await self._fallback(first, "no usable speech: asked to resend or type")
        elif channel is Channel.WHATSAPP and keyword in STOP_WORDS:
            reply = await self._actions.set_whatsapp_consent("opted_out", "STOP keyword")
            self._journeys.later_event(JourneyEvent(kind="stop"))
        elif channel is Channel.WHATSAPP and keyword in START_WORDS:
            reply = await self._actions.set_whatsapp_consent("opted_in", "START keyword")
        elif workflow.patched(IDENTITY_PATCH):
            reply, hangup, intent = await self._checked_turn(
                first,
                message,
                keys,
                budget,
                heard_at=heard_at,
                goal=call.goal if call else None,
                ahead=(ahead, heard) if ahead is not None and heard is not None else None,
            )
            if channel is Channel.WHATSAPP:
                self._journeys.later_trigger("customer_replied", {"key": first.sid})
        else:
            decision = await self._decide(
                channel, message, keys, budget, goal=call.goal if call else None
            )
            if decision is None:
                reply = AGENT_UNAVAILABLE
                await self._hand_off(first, "the agent was unavailable for this message")
            else:
                reply = await self._actions.apply(decision, first, heard_at=heard_at)
                intent = decision.intent
                hangup = decision.intent is Intent.GOODBYE and channel is Channel.VOICE
                self._journeys.later_event(
                    JourneyEvent.from_message(
                        "reply", heard_at, {"intent": decision.intent.value, "channel": channel}
                    )
                )
            if channel is Channel.WHATSAPP:
                self._journeys.later_trigger("customer_replied", {"key": first.sid})
        voice_note = any(m.channel is Channel.WHATSAPP and m.media for m in batch) and any(
            i.content_type.startswith("audio/") for m in batch for i in m.media
        )
        result = await self._respond(
            reply, first, hangup, voice_note=voice_note and bool(texts), intent=intent
        )
        await self._journeys.flush()
        return result

    async def run_call_turn(self, turn: CallTurnInput) -> TurnResult:
        """One caller turn of a real-time call: heard and decided in the media process, logged
        and carried out here (docs/architecture.md, "A real-time call"). Returns the reply for
        the media process to speak; no TTS runs here."""
        self._customer.show_channel(Channel.VOICE)
        # Checked only on a silent turn: no history of an ordinary turn gets the marker.
        if turn.silent and workflow.patched(SILENT_CALLER_PATCH):
            return await self._silent_caller(turn)
        msg = InboundInput(
            sid=turn.sid,
            channel=Channel.VOICE,
            text=turn.transcript,
            call_sid=turn.call_sid,
            received_at=turn.received_at,
        )
        e164 = self._customer.e164
        await self._customer.log(
            LogMessageInput(
                key=f"in/{turn.sid}",
                customer=e164,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="speech",
                text=turn.transcript,
                provider_sid=turn.sid,
                call_sid=turn.call_sid,
                at=turn.received_at,
            )
        )
        hangup = False
        intent: Intent | None = None
        if turn.agent_unavailable:
            reply = AGENT_UNAVAILABLE
            await self._hand_off(msg, "the agent was unavailable during a call")
        elif turn.decision is None:
            reply = UNHEARD_CALLER
            cause = "low-confidence transcript" if turn.unsure else "no usable speech"
            await self._fallback(msg, f"{cause}: asked to repeat")
        elif workflow.patched(IDENTITY_PATCH):
            call = self._customer.state.calls.get(turn.call_sid)
            reply, hangup, intent = await self._checked_turn(
                msg,
                turn.transcript,
                [f"in/{turn.sid}"],
                VOICE_BUDGET,
                heard_at=turn.received_at,
                goal=call.goal if call else None,
                decided=turn.decision,
            )
        else:
            reply = await self._actions.apply(turn.decision, msg, heard_at=turn.received_at)
            intent = turn.decision.intent
            hangup = turn.decision.intent is Intent.GOODBYE
            self._journeys.later_event(
                JourneyEvent.from_message(
                    "reply",
                    turn.received_at,
                    {"intent": turn.decision.intent.value, "channel": Channel.VOICE},
                )
            )
        await self._log_spoken_reply(turn.sid, reply, turn.call_sid, intent, turn.received_at)
        await self._journeys.flush()
        return TurnResult(reply=reply, hangup=hangup)

    async def _silent_caller(self, turn: CallTurnInput) -> TurnResult:
        """The caller said nothing, even asked whether they were there: logged as an event
        (not as words), the agent's goodbye logged as its reply, and the call ends (the
        customer workflow marks it hung up, so the stream is not reopened). A pending action
        stays as it is and expires as usual."""
        await self._customer.log(
            LogMessageInput(
                key=f"in/{turn.sid}",
                customer=self._customer.e164,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="event",
                text="caller silent: no answer to 'are you still there?'",
                provider_sid=turn.sid,
                call_sid=turn.call_sid,
                at=turn.received_at,
            )
        )
        await self._log_spoken_reply(
            turn.sid, SILENT_CALLER_GOODBYE, turn.call_sid, None, turn.received_at
        )
        return TurnResult(reply=SILENT_CALLER_GOODBYE, hangup=True)

    # -- deciding ----------------------------------------------------------------------------

    async def _checked_turn(
        self,
        first: InboundInput,
        message: str,
        keys: list[str],
        budget: timedelta,
        *,
        heard_at: datetime,
        goal: str | None,
        decided: AgentDecision | None = None,
        ahead: tuple[DecideInput, AgentDecision] | None = None,
    ) -> tuple[str, bool, Intent | None]:
        """The agent's turn with identity checks (``workflows/identity.py``): an answer to an
        open check is checked first (once passed, the request that needed it is decided again
        and answered); a decision that would read, move or cancel a booking for a party not
        verified yet opens a check instead of being carried out. ``decided``: the media
        process's decision on a real-time call (decided here when None). ``ahead``: the agent's
        input sent with a voice note's transcription and its decision (``_decide``).
        ``heard_at``: when the turn's latest message was received (UTC), for its journey
        events (``JourneyEvent.from_message``). (reply, hang up, the agent's intent for the
        reply: None when no decision was carried out)."""
        channel = first.channel
        answered = await self.identity.answer(first, message)
        if answered is not None and not answered.passed:
            return answered.reply, False, None
        request = answered.request if answered is not None else message
        trust = self.identity.trust(channel, first.call_sid)
        decision = decided if answered is None else None
        if decision is None:
            decision = await self._decide(
                channel, request, keys, budget, goal=goal, identity=trust, ahead=ahead
            )
        if decision is None:
            await self._hand_off(first, "the agent was unavailable for this message")
            return AGENT_UNAVAILABLE, False, None
        if decision.verify_for is not None:
            return await self.identity.ask(first, decision.verify_for, request), False, None
        reply = await self._actions.apply(decision, first, heard_at=heard_at)
        if answered is not None:
            reply = f"{VERIFIED} {reply}"
        self._journeys.later_event(
            JourneyEvent.from_message(
                "reply", heard_at, {"intent": decision.intent.value, "channel": channel}
            )
        )
        hangup = decision.intent is Intent.GOODBYE and channel is Channel.VOICE
        return reply, hangup, decision.intent

    async def _decide(
        self,
        channel: Channel,
        message: str,
        keys: list[str],
        budget: timedelta,
        *,
        goal: str | None = None,
        identity: Trust | None = None,
        ahead: tuple[DecideInput, AgentDecision] | None = None,
    ) -> AgentDecision | None:
        """The agent's decision on ``message``; None when the agent is unavailable. ``ahead``
        (patch ``decide-with-transcript``): the input sent with the voice note's transcription
        (its message empty) and the decision made there, used when the input built now is
        that one with the transcript as its message (the time aside): nothing the decision
        depends on changed meanwhile (a pending action expired or offered, a check passed);
        otherwise the agent is asked again."""
        asked = self._decide_input(channel, message, keys, goal=goal, identity=identity)
        if ahead is not None:
            sent, decision = ahead
            if asked.model_copy(update={"now": sent.now}) == sent.model_copy(
                update={"message": message}
            ):
                return decision
        try:
            return await workflow.execute_activity_method(
                AgentActivities.decide,
                asked,
                schedule_to_close_timeout=budget,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("agent unavailable; safe reply sent")
            return None

    def _decide_input(
        self,
        channel: Channel,
        message: str,
        keys: list[str],
        *,
        goal: str | None,
        identity: Trust | None,
    ) -> DecideInput:
        return DecideInput(
            customer=self._customer.e164,
            channel=channel,
            message=message,
            now=workflow.now(),
            pending=self._actions.live_pending(),
            exclude_keys=keys,
            goal=goal,
            identity=identity,
        )

    def _ahead(self, batch: list[InboundInput]) -> DecideInput | None:
        """The agent's input to send with the transcription (patch ``decide-with-transcript``),
        its message left empty: for a turn of one WhatsApp voice note and nothing else, that
        the agent would be asked about as things stand (nobody holds the conversation, no
        identity check is open); None otherwise."""
        if not self._customer.decide_with_transcript or len(batch) != 1:
            return None
        msg = batch[0]
        state = self._customer.state
        if (
            msg.channel is not Channel.WHATSAPP
            or msg.text.strip()
            or msg.voicemail
            or len(msg.media) != 1
            or not msg.media[0].content_type.startswith("audio/")
            or state.held_by is not None
            or state.identity.challenge is not None
        ):
            return None
        trust = self.identity.trust(msg.channel, msg.call_sid)
        return self._decide_input(msg.channel, "", [f"in/{msg.sid}"], goal=None, identity=trust)

    # -- responding --------------------------------------------------------------------------

    async def _respond(
        self,
        reply: str,
        first: InboundInput,
        hangup: bool,
        *,
        voice_note: bool = False,
        intent: Intent | None = None,
    ) -> TurnResult:
        e164 = self._customer.e164
        if first.channel is Channel.WHATSAPP:
            text = SendWhatsAppInput(
                key=f"reply/{first.sid}",
                customer=e164,
                body=reply,
                intent=intent.value if intent is not None else None,
            )
            if voice_note and self._customer.voice_reply_in_one and not self._unsent.waiting:
                await self._text_and_voice_note(first.sid, text)
                return TurnResult(reply=reply)
            sent = await self._unsent.send(text)
            if sent and voice_note:
                # The customer spoke: the text goes first (nothing waits for TTS), then the
                # same reply as a voice note.
                await self._send_voice_note(first.sid, reply)
            return TurnResult(reply=reply)

        await self._log_spoken_reply(first.sid, reply, first.call_sid, intent, first.received_at)
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

    async def _log_spoken_reply(
        self,
        sid: str,
        reply: str,
        call_sid: str | None,
        intent: Intent | None,
        heard_at: datetime,
    ) -> None:
        """Log the reply to the turn heard at ``heard_at`` (UTC, the inbound row's time),
        stamped no earlier than it: the inbound row is stamped by the media process's clock,
        and a reply stamped by another clock that runs behind would sort before the words it
        answers, so the agent's next context would end on the caller's turn and lose the
        question it had asked ("What time on Wednesday?")."""
        await self._customer.log(
            LogMessageInput(
                key=f"reply/{sid}",
                customer=self._customer.e164,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="speech",
                text=reply,
                call_sid=call_sid,
                intent=intent.value if intent is not None else None,
                at=max(workflow.now(), heard_at),
            )
        )

    async def _send_voice_note(self, sid: str, reply: str) -> None:
        e164 = self._customer.e164
        if self._customer.lean_turns:
            await self._voice_note_in_one(sid, reply)
            return
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

    async def _voice_note_in_one(self, sid: str, reply: str) -> None:
        """``_send_voice_note`` as one activity (synthesis, then the send: one round trip
        instead of two), with the same outcomes: a synthesis that fails (or never ends) leaves
        the text only; a send that fails is queued with the other unsent replies."""
        e164 = self._customer.e164
        note = SendWhatsAppInput(
            key=f"reply-audio/{sid}", customer=e164, body=reply, media_id=f"tts/{sid}"
        )
        try:
            await workflow.execute_activity_method(
                TtsActivities.voice_note,
                VoiceNoteInput(key=note.key, audio_key=f"tts/{sid}", customer=e164, text=reply),
                start_to_close_timeout=timedelta(seconds=35),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as exc:
            failure = application_failure(exc)
            if failure is None or failure.type == SYNTHESIS_FAILED:
                # A timeout counts as the synthesis's: a send of audio that may not exist
                # would fail at Twilio instead.
                workflow.logger.warning("TTS failed; the reply went out as text only")
                self._count_fallback("tts_voice_note")
                return
            self._unsent.failed(note, exc)

    async def _text_and_voice_note(self, sid: str, text: SendWhatsAppInput) -> None:
        """``_respond``'s text, then ``_voice_note_in_one``, as one activity (patch
        ``voice-reply-in-one``: one round trip and one workflow task instead of two), with the
        same outcomes: a text that fails is queued with the other unsent replies and no voice
        note follows; a synthesis that fails leaves the text only; a voice note's send that
        fails is queued. A timeout says nothing of which part went: the text is queued (its
        outbox key makes the retry a no-op if it had gone) and the voice note given up, as a
        synthesis that never ended. From the patch ``turn-local-activities`` on, a local
        activity (``turn_activity``): a retry after the worker died finds the text, the audio
        and the voice note in the outbox and the media store, so each still goes out once."""
        note = SendWhatsAppInput(
            key=f"reply-audio/{sid}", customer=text.customer, body=text.body, media_id=f"tts/{sid}"
        )
        try:
            await turn_activity(
                TtsActivities.voice_note,
                VoiceNoteInput(
                    key=note.key,
                    audio_key=f"tts/{sid}",
                    customer=text.customer,
                    text=text.body,
                    text_first=text,
                ),
                local=self._customer.turn_local,
                # The text's 15 s (``UnsentReplies``), then the voice note's 35 s.
                start_to_close=timedelta(seconds=50),
                retry_policy=SEND_RETRY,
            )
        except (ActivityError, ApplicationError) as exc:  # a local activity's: see policies
            failure = application_failure(exc)
            if failure is not None and failure.type == SYNTHESIS_FAILED:
                workflow.logger.warning("TTS failed; the reply went out as text only")
                self._count_fallback("tts_voice_note")
            elif failure is None or failure.type == TEXT_NOT_SENT:
                self._unsent.failed(text, exc)
                if failure is None:
                    self._count_fallback("tts_voice_note")
            else:
                self._unsent.failed(note, exc)

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
        await self._actions.open_handoff(first, note)

    def _count_fallback(self, kind: str) -> None:
        workflow.metric_meter().create_counter(
            "switchboard_fallbacks", "Fallbacks taken in customer turns"
        ).add(1, {"kind": kind})
