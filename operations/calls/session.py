"""One real-time call over a Twilio Media Stream (docs/architecture.md, "A real-time call").

The caller's audio goes through the VAD and turn detector, each finished turn through streaming
STT and the agent, and the agent's decision to the customer workflow as the ``call_turn`` Update
(ID ``<CallSid>/<StreamSid>/<n>``): the workflow logs the turn, carries out any side effect and
returns the reply, which is spoken sentence by sentence with a mark each. STT, the agent and TTS
run here, never through Temporal per audio chunk.

Preemptive turns: when a pause inside the caller's speech lasts ``early_transcript_ms``, the engine
transcribes what was said so far and the agent decides on it, and the reply's first chunk is
synthesised — none of it a side effect. If the pause ends the turn, the turn starts from that
prepared decision and only the Update and the audio are left; if the caller goes on, it is
dropped.

Barge-in: caller speech while the agent speaks or thinks clears Twilio's buffer and cancels
the turn in flight. Before its Update is sent nothing of it has happened — the interrupted
decision is dropped and its words are carried into the caller's next turn; once sent it is
carried out exactly once, and only its spoken reply is cut (the log keeps what was heard).
A caller who hangs up mid-reply gets the same cut in the log; a turn interrupted (barge-in or
hang-up) while the workflow carries it out has its reply's row cut to nothing heard once the
workflow answers.

Silence: a caller who says nothing (the line quiet, the agent silent, no turn in flight) is asked
``STILL_THERE`` after ``CallEngines.silence_prompt_s``; still nothing after
``silence_hangup_s`` more, the workflow is told (a ``call_turn`` with ``silent``: it logs that
and marks the call ended by the agent, so the stream is not reopened) and its goodbye is said
before the stream is closed. Silence is counted in the caller's own 20 ms frames, Twilio's clock
(Twilio streams ``media`` continuously, silence included: "Media Streams - WebSocket Messages",
https://www.twilio.com/docs/voice/media-streams/websocket-messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from activities.stt import ANIMAL_WORDS, vocabulary
from operations.calls.speaker import Speaker
from operations.ingest import call_turn, call_view
from switchboard.agent_context import ContextRequest, load_context
from switchboard.agent_models import AgentContext, AgentDecision, Channel, Direction, Intent
from switchboard.business import BusinessProfile
from switchboard.db.conversation import cut_reply, log_message
from switchboard.db.crm import bookings_for
from switchboard.db.engine import Database
from switchboard.media_streams import mulaw_to_pcm16
from switchboard.providers.base import Agent, ProviderError, ProviderRejected, Transcript
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.providers.streaming import (
    FRAME_MS,
    PreviewableSpeechStream,
    RereadableSpeechStream,
    SpeechStream,
    SpeechSynthesis,
    SpokenChunk,
    StreamingSpeechToText,
    WordRereadableSpeechStream,
)
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when
from switchboard.verification import Trust, guarded_decide
from switchboard.voice.names import asks_name, unheard_name, unsure_words
from switchboard.voice.turns import SpeechStarted, TurnDetector, TurnEnded
from workflows.turn_ingest import MIN_CONFIDENCE
from workflows.types import CallTurnInput, CallView, TurnResult

log = structlog.get_logger("switchboard.calls")

# Audio kept from before the VAD is sure someone speaks, so the first syllable is not lost.
PREROLL_FRAMES = 30  # 600 ms
# A pause this long inside a turn starts an early transcript (when the engine can preview):
# if the pause ends the turn (END_SILENCE_MS later), the transcript is ready or nearly.
# The default of ``Settings.call_early_transcript_ms``.
EARLY_STT_MS = 250
# A reply's last sentence is allowed this long past its audio to come back played (s).
PLAYED_SLACK_S = 3.0
RESUMED = "Sorry, we were cut off."
# A caller who says nothing: asked once after SILENCE_PROMPT_S of silence on the line (the agent
# not speaking, no turn in flight), told goodbye and hung up on after SILENCE_HANGUP_S more.
STILL_THERE = "Are you still there?"
SILENCE_PROMPT_S = 8.0
SILENCE_HANGUP_S = 8.0
# How long a caller's turn may wait for Temporal (a restart, a worker reconnecting) before they
# hear UNREACHABLE instead of silence. Twilio keeps the stream open meanwhile.
TURN_RETRY_S = 8.0
UNREACHABLE = (
    "Sorry, I'm having trouble right now and couldn't do that. Please try again in a few "
    "minutes, or write to us on WhatsApp."
)
_UNREACHABLE_ERRORS = (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError)
# What a caller answers to "Shall I confirm?", for a second, closed reading of a turn the agent
# made no sense of while an action waits for a yes (``RereadableSpeechStream``). Only yes and no
# wordings that start with a yes or a no: replayed offline, "That's right", "Okay", "Sure",
# "Go ahead" or "That's fine" alone were what forced readings of questions and requests ("How
# much will that be?", "What is your address?") came back as, and "No, thank you" allowed
# "you", which turned "You're clean" (a misheard "Yes please") into "You, please."
CONFIRM_ANSWERS = (
    "Yes.",
    "Yes, please.",
    "Yes, thanks.",
    "Yeah.",
    "Yep.",
    "Yes, that's right.",
    "Yeah, that's right.",
    "Yes, go ahead.",
    "No.",
    "No, thanks.",
    "Nope.",
)
# The words a caller of a booking line uses, for reading again a request the open transcript
# made no sense of (``WordRereadableSpeechStream``), with the business's own words and the
# customer's pets added per call (``activities.stt.vocabulary``): the words of asking for,
# moving, cancelling and checking an appointment, of questions about the business and of asking
# for a person, numbers and times. Chosen by kind, not sentence by sentence; a word missing here
# cannot be heard on that reading, a word too many lets more requests be forced into it.
_REQUEST_WORDS = """
    I I'd I'm I'll you we my our your it it's is are am be can could would will do does have
    need want like to for on at in of from the a an this next that and or not no yes please
    thanks thank hi hello actually instead
    book booking appointment see get come bring make move change reschedule cancel check free
    available open closed
    what when where how much which time cost price address
    speak talk human person someone
    today tomorrow morning afternoon evening noon half past quarter o'clock am pm
    one two three four five six seven eight nine ten eleven twelve fifteen thirty forty
    0 1 2 3 4 5 6 7 8 9 10 11 12 15 30 45
"""
REQUEST_WORDS: tuple[str, ...] = tuple(_REQUEST_WORDS.split())
# What an answer to a pending action's read-back may be, read again or taken from another reading.
_ANSWER_INTENTS = (Intent.CONFIRM, Intent.DECLINE)
# What a reading within REQUEST_WORDS may turn into: an action read back before it happens, a
# question answered, a person asked for; never a yes, a no, a greeting, a goodbye or an opt-out,
# nor another "which?" (the open reading's question stands then).
_REREAD_REQUEST_INTENTS = frozenset(
    {
        Intent.PROPOSE_BOOKING,
        Intent.PROPOSE_RESCHEDULE,
        Intent.PROPOSE_CANCEL,
        Intent.PROPOSE_CHANGES,
        Intent.CHECK_AVAILABILITY,
        Intent.ASK_BOOKING,
        Intent.ANSWER,
        Intent.HANDOFF,
    }
)


async def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CallEngines:
    """What a call needs, built once per media process. ``clock`` gives the current time, UTC
    (the eval passes its time-skipping server's, which the workflows also run on)."""

    stt: StreamingSpeechToText
    tts: SpeechSynthesis
    agent: Agent
    profile: BusinessProfile
    window: int
    default_timezone: str
    clock: Callable[[], Awaitable[datetime]] = utc_now
    early_transcript_ms: int = EARLY_STT_MS  # pause (ms) that starts a preemptive turn
    silence_prompt_s: float = SILENCE_PROMPT_S  # a silent caller is asked STILL_THERE (s)
    silence_hangup_s: float = SILENCE_HANGUP_S  # ... then told goodbye this long after (s)


@dataclass
class CallIdentity:
    """Who is on the line (from the stream's ``start``; checked against the workflow)."""

    customer: str
    call_sid: str
    stream_sid: str
    resumed: bool = False


@dataclass
class TurnFigures:
    """Measured per caller turn (logged as ``call turn``), ms from the end of the turn (the VAD's
    ``TurnEnded``): the transcript ready (``stt_ms``), the decision made (``decided_ms``), the
    workflow's answer (``answered_ms``) and the reply's first audio frame sent
    (``to_first_audio_ms``)."""

    turn: int
    stt_ms: float = 0.0
    decided_ms: float = 0.0
    answered_ms: float = 0.0
    to_first_audio_ms: float | None = None
    early_transcript: bool = False
    preempted: bool = False  # the decision was made during the pause that ended the turn


@dataclass
class _Prepared:
    """A turn's decision made during the caller's pause, before the VAD ended the turn: the
    words it was made on (the carried-over words and the early transcript) and the reply's
    first chunk, being synthesised."""

    text: str
    unsure: bool
    decision: AgentDecision | None
    unavailable: bool
    audio: asyncio.Task[_Prefetched] | None
    # The words the decision was made on when not ``text``: a closed reading (``_reread``).
    read_as: str | None = None


@dataclass
class _Early:
    """What a pause inside a turn started: its early transcript and the decision on it."""

    pause_start_ms: int
    transcript: asyncio.Task[Transcript]
    prepared: asyncio.Task[_Prepared]

    def drop(self) -> None:
        """The caller went on (or the call ended): nothing of it is used. The transcript's
        thread finishes; its result and the reply's audio are thrown away."""
        self.transcript.cancel()
        self.prepared.cancel()
        self.prepared.add_done_callback(_close_prepared)


@dataclass
class _Pending:
    """The transcript of an interrupted turn, carried into the caller's next turn."""

    texts: list[str] = field(default_factory=list)


class CallSession:
    """Drives one stream. Feed it the stream's events; ``hang_up`` is called when the agent
    ended the call and its goodbye has played (the route closes the WebSocket)."""

    def __init__(
        self,
        *,
        send: Callable[[str], Awaitable[None]],
        hang_up: Callable[[], Awaitable[None]],
        temporal: Client,
        db: Database,
        engines: CallEngines,
        who: CallIdentity,
    ) -> None:
        self._temporal = temporal
        self._db = db
        self._engines = engines
        self._who = who
        self._hang_up = hang_up
        self.speaker = Speaker(send, who.stream_sid)
        self._detector = TurnDetector()
        self._stt: SpeechStream = engines.stt.open_stream()
        self._preroll: deque[bytes] = deque(maxlen=PREROLL_FRAMES)
        self._capturing = False
        self._turns = 0
        self._task: asyncio.Task[None] | None = None
        self._carry = _Pending()
        self._last_said = ""
        self._subjects: list[str] = []
        # The caller's identity as the workflow last said (``call_view``); None: no checks.
        self._identity: Trust | None = None
        # The early transcript and decision of the current pause.
        self._early: _Early | None = None
        # The caller's frames since the line went quiet (``_watch_silence``), and whether they
        # were asked STILL_THERE since they last spoke.
        self._quiet_frames = 0
        self._prompted = False
        # Replies of turns interrupted (barge-in, hang-up) while the workflow carried them out,
        # whose log rows are being cut to "nothing heard" (``_unheard``).
        self._unheard_replies: set[asyncio.Task[None]] = set()

    # -- start -------------------------------------------------------------------------------

    async def open(self, greeting: bytes | None, greeting_text: str) -> CallView:
        """Check the call with the workflow, then start greeting (in the background: the caller
        may talk over it). ``greeting`` is pre-rendered μ-law (None: synthesised now). A
        resumed stream does not greet again: it says it was cut off and where the conversation
        was, and logs that line. Raises ``CallNotOpen`` for a call the customer's workflow
        does not hold open (ended, or not this customer's); ``RPCError`` when Temporal is
        unreachable."""
        try:
            view = await call_view(self._temporal, self._who.customer, self._who.call_sid)
        except RPCError as exc:
            # No such workflow, or one that is closed (a query then finds no worker).
            if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise CallNotOpen(self._who.call_sid) from exc
            raise
        if not view.open:
            raise CallNotOpen(self._who.call_sid)
        if self._who.resumed:
            greeting_text = f"{RESUMED} {self._resume_line(view)}".strip()
            greeting = None
            await self._log_said(
                f"call/{self._who.call_sid}/resumed/{self._who.stream_sid}", greeting_text
            )
        self._last_said = greeting_text
        self._task = asyncio.create_task(self._greet(greeting, greeting_text))
        async with self._db.session() as s:
            bookings = await bookings_for(s, customer_e164=self._who.customer)
        self._subjects = [b.subject for b in sorted(bookings, key=lambda b: b.slot_start)][::-1]
        return view

    async def _greet(self, greeting: bytes | None, text: str) -> None:
        if greeting is None:
            await self._speak_text(text, key="")
            return
        self.speaker.begin("")
        await self.speaker.say(greeting, text)

    def _resume_line(self, view: CallView) -> str:
        pending = view.pending
        if pending is None or pending.slot_start is None:
            return "How can I help?"
        zone = self._engines.profile.zone
        when = pending.slot_start.astimezone(zone).strftime("%A %d %B at %H:%M")
        doing = {"reschedule": "moving", "cancel": "cancelling"}.get(pending.kind, "booking")
        return f"You were {doing} {when} for {pending.subject}. Shall I confirm?"

    # -- caller audio ------------------------------------------------------------------------

    async def on_media(self, mulaw: bytes) -> None:
        """One 20 ms frame of the caller's audio."""
        pcm = mulaw_to_pcm16(mulaw)
        self._preroll.append(pcm)
        ended: TurnEnded | None = None
        for event in self._detector.push(pcm):
            if isinstance(event, SpeechStarted):
                await self._caller_started()
            elif isinstance(event, TurnEnded):
                ended = event
        if self._capturing:
            await self._stt.feed(pcm)
        if ended is not None:
            self._caller_finished(ended)
        else:
            self._maybe_transcribe_early()
        self._watch_silence()

    def _maybe_transcribe_early(self) -> None:
        """While the caller pauses mid-turn, transcribe what they said so far; a pause that
        breaks (they go on) drops it."""
        pause_start = self._detector.pause_started_ms
        if self._early is not None and self._early.pause_start_ms != pause_start:
            self._early.drop()
            self._early = None
        stream = self._stt
        if (
            self._early is None
            and pause_start is not None
            and self._detector.pause_ms >= self._engines.early_transcript_ms
            and isinstance(stream, PreviewableSpeechStream)
        ):
            preview = stream.preview(vocabulary=self._vocabulary(), context=self._last_said)
            task = asyncio.create_task(preview)
            task.add_done_callback(_retrieved)  # a dropped preview's error is nobody's
            prepared = asyncio.create_task(self._prepare(task))
            prepared.add_done_callback(_retrieved)
            self._early = _Early(pause_start, task, prepared)

    async def _caller_started(self) -> None:
        if self.speaker.speaking or (self._task is not None and not self._task.done()):
            await self._barge_in()
        self._capturing = True
        self._prompted = False
        # The frame just appended is fed by on_media; the pre-roll before it is fed here.
        preroll = list(self._preroll)[:-1]
        for frame in preroll:
            await self._stt.feed(frame)

    def _caller_finished(self, ended: TurnEnded) -> None:
        self._capturing = False
        ended_at = time.monotonic()
        self._turns += 1
        early = None
        if self._early is not None and self._early.pause_start_ms == ended.speech_end_ms:
            early = self._early  # nothing was said since it started: it is the turn
        elif self._early is not None:
            self._early.drop()
        self._early = None
        self._task = asyncio.create_task(self._turn(self._turns, ended_at, early))
        self._task.add_done_callback(self._turn_done)

    def _turn_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            # The caller hears silence and can speak again; what failed is in the log.
            log.error(
                "call turn failed",
                call_sid=self._who.call_sid,
                error=repr(task.exception()),
            )

    async def on_mark(self, name: str) -> None:
        self.speaker.on_mark(name)

    # -- a silent caller ---------------------------------------------------------------------

    def _watch_silence(self) -> None:
        """Count one more frame of the caller's silence, unless someone speaks or a turn (or
        the greeting, or a prompt) is in flight; at ``silence_prompt_s`` ask STILL_THERE, at
        ``silence_hangup_s`` after that say goodbye and hang up (``_give_up``)."""
        busy = self._task is not None and not self._task.done()
        if busy or self._capturing or self.speaker.speaking:
            self._quiet_frames = 0
            return
        self._quiet_frames += 1
        engines = self._engines
        limit_s = engines.silence_hangup_s if self._prompted else engines.silence_prompt_s
        if self._quiet_frames * FRAME_MS < limit_s * 1000:
            return
        self._quiet_frames = 0
        if self._prompted:
            self._task = asyncio.create_task(self._give_up())
        else:
            self._prompted = True
            self._task = asyncio.create_task(self._still_there())
        self._task.add_done_callback(self._turn_done)

    async def _still_there(self) -> None:
        """Ask a silent caller whether they are there, logged like any line the agent says
        (cut like a reply if they talk over it)."""
        key = f"call/{self._who.call_sid}/still-there/{self._who.stream_sid[-8:]}/{self._turns}"
        await self._log_said(key, STILL_THERE, at=await self._engines.clock())
        self._last_said = STILL_THERE
        await self._speak_text(STILL_THERE, key=key)

    async def _log_said(self, key: str, text: str, *, at: datetime | None = None) -> None:
        """Log a line the session itself says to the caller (not a workflow's reply) under
        ``key``; ``at``: its time (None: the database's now)."""
        async with self._db.session() as s:
            await log_message(
                s,
                key=key,
                customer_e164=self._who.customer,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="speech",
                text=text,
                call_sid=self._who.call_sid,
                at=at,
            )

    async def _give_up(self) -> None:
        """The caller stayed silent after STILL_THERE: the workflow logs it, marks the call
        ended by the agent and answers its goodbye, which is said before the stream is closed.
        When the workflow cannot be reached the line stays open (asked again later)."""
        turn = CallTurnInput(
            sid=f"{self._who.call_sid}/{self._who.stream_sid[-8:]}/silent",
            call_sid=self._who.call_sid,
            silent=True,
            received_at=await self._engines.clock(),
        )
        result = await asyncio.shield(self._committed(turn))
        if result is None:
            return
        log.info("silent caller", call_sid=self._who.call_sid, hangup=result.hangup)
        self._last_said = result.reply
        await self._speak_text(result.reply, key=f"reply/{turn.sid}")
        if result.hangup:
            await self.speaker.wait_played(self.speaker.seconds_queued() + PLAYED_SLACK_S)
            await self._hang_up()

    # -- barge-in ----------------------------------------------------------------------------

    async def _barge_in(self) -> None:
        """The caller speaks over the agent: stop the audio, cancel the turn in flight."""
        cut = await self.speaker.interrupt()
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if cut is not None and cut.key:
            async with self._db.session() as s:
                await cut_reply(s, key=cut.key, heard=cut.heard)
            log.info("barge-in", call_sid=self._who.call_sid, heard_chars=len(cut.heard))

    # -- a turn ------------------------------------------------------------------------------

    async def _turn(self, n: int, ended_at: float, early: _Early | None = None) -> None:
        # Unique per stream (a resumed call starts counting again) and short: it is the log
        # row's provider SID, at most 64 characters (34 + 1 + 8 + 1 + n).
        sid = f"{self._who.call_sid}/{self._who.stream_sid[-8:]}/{n}"
        figures = TurnFigures(turn=n, early_transcript=early is not None)
        # The customer's context is read while the transcript is made (it does not depend on
        # the words); the agent gets it with the words filled in. A turn prepared during the
        # pause read it then.
        context = self._start_context() if early is None else None
        try:
            await self._hear_and_answer(sid, ended_at, early, figures, context)
        finally:
            if context is not None:
                context.cancel()
            if early is not None:
                early.drop()  # used or not, nothing of it is needed past the turn

    async def _hear_and_answer(
        self,
        sid: str,
        ended_at: float,
        early: _Early | None,
        figures: TurnFigures,
        context: asyncio.Task[AgentContext] | None,
    ) -> None:
        stt: asyncio.Future[Transcript]
        if early is not None:
            stt = early.transcript
            await self._stt.discard_turn()  # the early transcript covers it
        else:
            stt = asyncio.ensure_future(
                self._stt.finish_turn(vocabulary=self._vocabulary(), context=self._last_said)
            )
        try:
            transcript: Transcript | None = await asyncio.shield(stt)
        except asyncio.CancelledError:
            # Interrupted while transcribing: the words still count, in the next turn.
            stt.add_done_callback(self._carry_over)
            raise
        except ProviderRejected as exc:
            if exc.code == "no_speech":
                return  # a cough or a click the VAD took for speech: nothing to answer
            log.warning("caller audio not transcribable: %s", exc)
            transcript = None
        except ProviderError as exc:
            log.warning("STT failed during a call: %s", exc)
            transcript = None
        figures.stt_ms = _since(ended_at)
        heard, unsure = self._read(transcript)
        text = " ".join([*self._carry.texts, heard]).strip()
        early_audio: asyncio.Task[_Prefetched] | None = None
        try:
            prepared = await self._prepared(early, text, unsure)
            if prepared is not None:
                decision, unavailable = prepared.decision, prepared.unavailable
                early_audio, prepared.audio = prepared.audio, None  # this turn closes it now
                figures.preempted = True
                if prepared.read_as is not None:
                    text, unsure = prepared.read_as, False
            else:
                if context is None:
                    context = self._start_context()
                decision, unavailable = await self._decide(
                    text, unsure, context, _doubted(transcript)
                )
                reread = await self._reread(decision, unavailable, context, transcript)
                if reread is not None:
                    text, decision = reread
                    unsure = False
        except asyncio.CancelledError:
            # Interrupted while deciding: the decision is dropped, the words are not.
            self._carry = _Pending(texts=[text] if text else [])
            raise
        figures.decided_ms = _since(ended_at)
        # Point of no return: from here the turn happens once, even if the caller interrupts.
        self._carry = _Pending()
        # Most replies are the agent's own words: their audio is started while the workflow
        # carries the turn out, and used if the workflow answers with the same words.
        if early_audio is None and decision is not None:
            early_audio = asyncio.create_task(self._first_chunk(decision.reply))
        try:
            await self._commit_and_speak(
                sid, text, unsure, decision, unavailable, figures, ended_at, early_audio
            )
        finally:
            if early_audio is not None:
                await _discard(early_audio)

    async def _commit_and_speak(
        self,
        sid: str,
        text: str,
        unsure: bool,
        decision: AgentDecision | None,
        unavailable: bool,
        figures: TurnFigures,
        ended_at: float,
        early_audio: asyncio.Task[_Prefetched] | None,
    ) -> None:
        turn = CallTurnInput(
            sid=sid,
            call_sid=self._who.call_sid,
            transcript=text,
            unsure=unsure,
            decision=decision,
            agent_unavailable=unavailable,
            received_at=await self._engines.clock(),
        )
        committed = asyncio.ensure_future(self._committed(turn))
        try:
            result = await asyncio.shield(committed)
        except asyncio.CancelledError:
            # Interrupted while the workflow carries the turn out: it completes and logs its
            # reply, of which the caller heard nothing.
            unheard = asyncio.create_task(self._unheard(turn.sid, committed))
            self._unheard_replies.add(unheard)
            unheard.add_done_callback(self._unheard_replies.discard)
            raise
        if result is None:
            await self._unreachable(turn, figures, ended_at)
            return
        figures.answered_ms = _since(ended_at)
        self._last_said = result.reply
        prefetched = None
        if early_audio is not None and decision is not None and result.reply == decision.reply:
            with contextlib.suppress(ProviderError):  # synthesised again below
                prefetched = await early_audio
        await self._speak_text(
            result.reply,
            key=f"reply/{sid}",
            figures=figures,
            since=ended_at,
            prefetched=prefetched,
        )
        log.info(
            "call turn",
            call_sid=self._who.call_sid,
            turn=figures.turn,
            stt_ms=round(figures.stt_ms),
            decided_ms=round(figures.decided_ms),
            answered_ms=round(figures.answered_ms),
            first_audio_ms=round(figures.to_first_audio_ms or 0),
            early_transcript=figures.early_transcript,
            preempted=figures.preempted,
        )
        if result.hangup:
            await self.speaker.wait_played(self.speaker.seconds_queued() + PLAYED_SLACK_S)
            await self._hang_up()

    async def _unheard(self, sid: str, committed: asyncio.Future[TurnResult | None]) -> None:
        """Once the workflow has answered turn ``sid``, cut its reply's log row to nothing heard
        ("…", ``interrupted``), as a barge-in cuts a reply being spoken."""
        try:
            result = await committed
            if result is None or not result.reply:
                return
            async with self._db.session() as s:
                await cut_reply(s, key=f"reply/{sid}", heard="")
        except Exception as exc:  # noqa: BLE001 - the row stays whole; nothing else to do
            log.warning("could not mark an unheard reply", turn=sid, error=repr(exc))
        else:
            log.info("reply not heard", call_sid=self._who.call_sid, turn=sid)

    async def _committed(self, turn: CallTurnInput) -> TurnResult | None:
        """The workflow's result for ``turn``, retried while Temporal is out of reach (a server
        restarting, no worker polling) for ``TURN_RETRY_S`` in all — the Update's fixed ID
        makes a retry the same turn; None past that."""
        deadline = time.monotonic() + TURN_RETRY_S
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(_UNREACHABLE_ERRORS),
                stop=stop_after_delay(TURN_RETRY_S),
                wait=wait_exponential(multiplier=0.25, max=2.0),
                reraise=True,
            ):
                with attempt:
                    left = max(deadline - time.monotonic(), 0.5)
                    return await call_turn(
                        self._temporal,
                        self._who.customer,
                        turn,
                        rpc_timeout=timedelta(seconds=left),
                    )
        except _UNREACHABLE_ERRORS as exc:
            log.warning(
                "call turn not taken by the workflow",
                call_sid=self._who.call_sid,
                turn=turn.sid,
                error=repr(exc),
            )
        return None

    async def _unreachable(
        self, turn: CallTurnInput, figures: TurnFigures, ended_at: float
    ) -> None:
        """The workflow did not take the turn: what the caller said goes in the conversation
        log (nothing silently dropped), and they hear why nothing happened rather than
        silence."""
        async with self._db.session() as s:
            await log_message(
                s,
                key=f"call/{turn.sid}/unanswered",
                customer_e164=self._who.customer,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="speech",
                text=turn.transcript,
                call_sid=self._who.call_sid,
            )
        self._last_said = UNREACHABLE
        await self._speak_text(
            UNREACHABLE, key=f"reply/{turn.sid}/unreachable", figures=figures, since=ended_at
        )

    async def _prepare(self, preview: asyncio.Task[Transcript]) -> _Prepared:
        """Decide on the early transcript while the caller pauses (context read meanwhile),
        and start synthesising the reply's first chunk: what ``_hear_and_answer`` would do
        once the turn ended, minus the Update. Raises what the transcript or the context
        raised; the turn then takes its ordinary path."""
        context = self._start_context()
        try:
            transcript = await asyncio.shield(preview)
            heard, unsure = self._read(transcript)
            text = " ".join([*self._carry.texts, heard]).strip()
            decision, unavailable = await self._decide(text, unsure, context, _doubted(transcript))
            reread = await self._reread(decision, unavailable, context, transcript)
        finally:
            context.cancel()
        read_as = None
        if reread is not None:
            read_as, decision = reread
        audio = asyncio.create_task(self._first_chunk(decision.reply)) if decision else None
        return _Prepared(text, unsure, decision, unavailable, audio, read_as)

    async def _prepared(self, early: _Early | None, text: str, unsure: bool) -> _Prepared | None:
        """The decision prepared during the pause that ended the turn, when it was made on
        exactly these words; None otherwise (no such pause, or its preparation failed)."""
        if early is None:
            return None
        try:
            prepared = await asyncio.shield(early.prepared)
        except asyncio.CancelledError:
            if early.prepared.cancelled():
                return None  # dropped (by the call's close): decide as usual
            raise  # this turn was interrupted
        except Exception:  # noqa: BLE001 - the ordinary path meets the error and handles it
            return None
        if (prepared.text, prepared.unsure) != (text, unsure):
            return None
        return prepared

    def _carry_over(self, stt: asyncio.Future[Transcript]) -> None:
        if stt.cancelled() or stt.exception() is not None:
            return
        heard, _ = self._read(stt.result())
        if heard:
            self._carry.texts.append(heard)

    def _read(self, transcript: Transcript | None) -> tuple[str, bool]:
        if transcript is None:
            return "", False
        text = transcript.text.strip()
        low = transcript.confidence is not None and transcript.confidence < MIN_CONFIDENCE
        return text, bool(text) and low

    def _start_context(self) -> asyncio.Task[AgentContext]:
        """Read the customer's context in the background (``_context``); an error reaches
        whoever awaits it, or nobody."""
        context = asyncio.create_task(self._context())
        context.add_done_callback(_retrieved)
        return context

    async def _context(self) -> AgentContext:
        """The customer's context for the agent (both channels' history, CRM, the pending
        action and the call's goal), without the turn's words."""
        view = await call_view(self._temporal, self._who.customer, self._who.call_sid)
        self._identity = view.identity
        return await load_context(
            self._db,
            ContextRequest(
                customer=self._who.customer,
                channel=Channel.VOICE,
                message="",
                now=await self._engines.clock(),
                pending=view.pending,
                goal=view.goal,
            ),
            window=self._engines.window,
            default_timezone=self._engines.default_timezone,
            profile=self._engines.profile,
        )

    async def _decide(
        self,
        text: str,
        unsure: bool,
        context: asyncio.Task[AgentContext],
        doubted: frozenset[str] = frozenset(),
    ) -> tuple[AgentDecision | None, bool]:
        """The agent's decision on ``text`` with the customer's whole context; (None, False)
        when the transcript is too unsure to act on, (None, True) when the agent failed. A new
        booking for a pet whose name is among ``doubted`` (the words the STT was unsure of)
        asks the name again instead, whichever agent decided (``switchboard.voice.names``)."""
        if unsure or not text:
            return None, False
        ready = (await context).model_copy(update={"message": text})
        agent = self._engines.agent
        try:
            # An unverified caller's context leaves out what they may not hear, and the
            # decision says when the turn needs an identity check (switchboard/verification.py).
            decision = await guarded_decide(
                agent,
                ready,
                self._identity,
                self._engines.profile.identity_checks,
                on_file=False,
                in_process=isinstance(agent, RuleBasedAgent),
            )
        except ProviderError as exc:
            log.warning("agent failed during a call: %s", exc)
            return None, True
        asked = unheard_name(decision, ready, doubted)
        if asked is not None:
            log.info(
                "pet's name asked again",
                call_sid=self._who.call_sid,
                heard=text,
                unsure=sorted(doubted),
                proposed=decision.reply,
            )
            return asked, False
        return decision, False

    async def _reread(
        self,
        decision: AgentDecision | None,
        unavailable: bool,
        context: asyncio.Task[AgentContext],
        transcript: Transcript | None = None,
    ) -> tuple[str, AgentDecision] | None:
        """When the agent made no sense of the turn (no decision on unsure words, or a
        clarifying question), first the engine's other readings of it (``transcript``'s
        ``alternatives``, ``_alternative``), then, while an action waits for the caller's yes,
        the turn read again as one of ``CONFIRM_ANSWERS`` (``RereadableSpeechStream``) and the
        agent's decision on that: (the answer, the decision) if it is a yes or a no to the
        pending action, else None. Also None with words carried over from an interrupted turn
        (the readings cover the last turn only) or when the engine cannot read again. The
        reading again costs one more decode of the turn (about as much as its transcript), only
        on turns that would otherwise be asked again and that no alternative served. With no
        action waiting, the turn is read as a request instead (``_reread_request``)."""
        stream = self._stt
        alternatives = transcript.alternatives if transcript is not None else ()
        if (
            unavailable
            or self._carry.texts
            or not (alternatives or isinstance(stream, RereadableSpeechStream))
            or (decision is not None and decision.intent not in (Intent.CLARIFY, Intent.OTHER))
            # the name asked on purpose: another reading's name would be no surer
            or (decision is not None and asks_name(decision.reply))
        ):
            return None
        try:
            pending = (await context).pending
        except Exception:  # noqa: BLE001 - the turn's own path meets and logs the context's error
            return None
        if transcript is not None:
            intents = _REREAD_REQUEST_INTENTS if pending is None else _ANSWER_INTENTS
            chosen, disagree = await self._alternative(transcript, intents, context)
            if chosen is not None or disagree:
                return chosen
        if not isinstance(stream, RereadableSpeechStream):
            return None
        if pending is None:
            return await self._reread_request(context)
        try:
            # No vocabulary: the business's words in the prompt pulled the closed reading off
            # the answer ("You have to leave." read as "please." with it, "Yes, please." without).
            closed = await stream.reread(CONFIRM_ANSWERS, context=self._last_said)
        except ProviderError as exc:
            log.warning("closed reading failed: %s", exc)
            return None
        return await self._decided_reading(closed, _ANSWER_INTENTS, "closed reading", context)

    async def _alternative(
        self,
        transcript: Transcript,
        intents: Collection[Intent],
        context: asyncio.Task[AgentContext],
    ) -> tuple[tuple[str, AgentDecision] | None, bool]:
        """The first of ``transcript``'s alternatives (most likely first) that the agent decides
        on with one of ``intents``, skipping those too unsure to act on (``MIN_CONFIDENCE``):
        ((the alternative, the decision), False). When that alternative names another day or
        another time than one of the other readings does (``_disagree``), it is not taken and
        the caller is asked: (None, True), no further reading. (None, False) when no
        alternative serves. Costs one agent decision per alternative tried (the rules agent:
        about 8 ms of CPU), no decode: the alternatives come from the transcript's own beam
        search."""
        readings = [transcript.text, *(a.text for a in transcript.alternatives)]
        for alternative in transcript.alternatives:
            text, unsure = self._read(alternative)
            if unsure or not text:
                continue
            decision, _ = await self._decide(text, False, context)
            if decision is None or decision.intent not in intents:
                continue
            others = [r for r in readings if r != alternative.text]
            if _disagree(text, others, await context):
                log.info(
                    "alternatives disagree",
                    call_sid=self._who.call_sid,
                    heard=transcript.text,
                    alternative=text,
                    intent=decision.intent.value,
                )
                return None, True
            log.info(
                "alternative hypothesis",
                call_sid=self._who.call_sid,
                heard=text,
                first=transcript.text,
                intent=decision.intent.value,
                confidence=alternative.confidence,
            )
            return (text, decision), False
        return None, False

    async def _reread_request(
        self, context: asyncio.Task[AgentContext]
    ) -> tuple[str, AgentDecision] | None:
        """With no action waiting, a turn the agent made no sense of read again within the
        words of a booking line (``REQUEST_WORDS``, the business's and the customer's pets,
        ``WordRereadableSpeechStream``) and the agent's decision on that: (the reading, the
        decision) when the decision is one of ``_REREAD_REQUEST_INTENTS``, else None. Every
        change it leads to is read back and waits for a yes, as on any turn (a handoff is
        opened at once, as on any turn); a name not on record can only come back pieced
        together from the words' tokens. Costs one more decode of the turn, on such turns
        only."""
        stream = self._stt
        if not isinstance(stream, WordRereadableSpeechStream):
            return None
        words = [
            *REQUEST_WORDS,
            *ANIMAL_WORDS,
            *(w for term in self._vocabulary() for w in term.split()),
        ]
        try:
            read = await stream.reread_words(words, context=self._last_said)
        except ProviderError as exc:
            log.warning("reading within the request words failed: %s", exc)
            return None
        return await self._decided_reading(
            read, _REREAD_REQUEST_INTENTS, "request read again", context
        )

    async def _decided_reading(
        self,
        read: Transcript | None,
        intents: Collection[Intent],
        event: str,
        context: asyncio.Task[AgentContext],
    ) -> tuple[str, AgentDecision] | None:
        """The agent's decision on a second reading of the turn: (the reading, the decision)
        when there is a reading and the decision is one of ``intents`` (logged as ``event``),
        else None."""
        if read is None:
            return None
        decision, _ = await self._decide(read.text, False, context)
        if decision is None or decision.intent not in intents:
            return None
        log.info(
            event,
            call_sid=self._who.call_sid,
            heard=read.text,
            intent=decision.intent.value,
            confidence=read.confidence,
        )
        return read.text, decision

    async def _first_chunk(self, text: str) -> _Prefetched:
        """Start speaking ``text``: the stream and its first chunk (None when it has none)."""
        stream = self._engines.tts.stream(text)
        try:
            return stream, await anext(stream)
        except StopAsyncIteration:
            return stream, None
        except BaseException:
            await stream.aclose()
            raise

    def _vocabulary(self) -> list[str]:
        return vocabulary(self._engines.profile, self._subjects)

    async def _speak_text(
        self,
        text: str,
        *,
        key: str,
        figures: TurnFigures | None = None,
        since: float | None = None,
        prefetched: _Prefetched | None = None,
    ) -> None:
        self.speaker.begin(key)

        async def play(chunk: SpokenChunk) -> None:
            if figures is not None and figures.to_first_audio_ms is None and since:
                figures.to_first_audio_ms = _since(since)
            await self.speaker.say(chunk.mulaw, chunk.text)

        stream, first = prefetched if prefetched else (self._engines.tts.stream(text), None)
        try:
            # aclosing: a barge-in stops the engine's work at once (no sentence fetched after).
            async with contextlib.aclosing(stream) as chunks:
                if first is not None:
                    await play(first)
                async for chunk in chunks:
                    await play(chunk)
        except ProviderError as exc:
            # The reply is in the log; the caller hears an apology they can answer.
            log.warning("TTS failed during a call: %s", exc)
        self.speaker.finish()

    # -- end ---------------------------------------------------------------------------------

    async def close(self) -> None:
        """The stream stopped: cancel what is in flight (an Update already sent completes in
        the workflow), cut the log row of a reply the caller hung up on to what they heard
        (as a barge-in does), and close the STT stream."""
        if self._early is not None:
            self._early.drop()
            self._early = None
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._unheard_replies:
            # Bounded: each waits at most for its Update's retries (TURN_RETRY_S).
            await asyncio.gather(*self._unheard_replies, return_exceptions=True)
        reply = self.speaker.current
        if reply is not None and reply.key and reply.cut_short:
            try:
                async with self._db.session() as s:
                    await cut_reply(s, key=reply.key, heard=reply.heard)
            except Exception as exc:  # noqa: BLE001 - the call is over; the row stays whole
                log.warning("could not cut the reply hung up on", key=reply.key, error=repr(exc))
            else:
                log.info("hung up mid-reply", call_sid=self._who.call_sid, heard=reply.heard)
        with contextlib.suppress(ProviderError):
            await self._stt.aclose()


_Prefetched = tuple[AsyncGenerator[SpokenChunk, None], SpokenChunk | None]


def _doubted(transcript: Transcript | None) -> frozenset[str]:
    """The words of ``transcript`` the STT was unsure of (``switchboard.voice.names``)."""
    return unsure_words(transcript) if transcript is not None else frozenset()


def _disagree(reading: str, others: Collection[str], context: AgentContext) -> bool:
    """Whether another reading of the same turn names another day or another time than
    ``reading`` (each read as the agent reads them, relative to ``context``'s now in the
    customer's time zone): a guess between them could be read back and agreed to wrongly, so
    the caller is asked instead. A reading that names no day (or no time) disagrees with
    none on it."""
    now = context.now.astimezone(ZoneInfo(context.timezone))
    mine = read_when(normalise(reading), now=now)
    for other in others:
        theirs = read_when(normalise(other), now=now)
        if mine.day is not None and theirs.day is not None and mine.day != theirs.day:
            return True
        if mine.clock is not None and theirs.clock is not None and mine.clock != theirs.clock:
            return True
    return False


async def _discard(early_audio: asyncio.Task[_Prefetched]) -> None:
    """Close an early start of a reply's audio that was not played (or was played: closing a
    finished stream does nothing)."""
    if not early_audio.done():
        early_audio.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await early_audio
        return
    if not early_audio.cancelled() and early_audio.exception() is None:
        with contextlib.suppress(Exception):
            await early_audio.result()[0].aclose()


def _close_prepared(task: asyncio.Task[_Prepared]) -> None:
    """A dropped preparation: close the reply audio it started, unless a turn took it."""
    if task.cancelled() or task.exception() is not None:
        return
    audio = task.result().audio
    if audio is not None:
        task.result().audio = None
        closing = asyncio.ensure_future(_discard(audio))
        _CLOSING.add(closing)
        closing.add_done_callback(_CLOSING.discard)


# Closings in flight: the event loop holds tasks weakly.
_CLOSING: set[asyncio.Future[None]] = set()


def _retrieved(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


def _since(start: float) -> float:
    """ms from ``start`` (``time.monotonic()``) to now."""
    return (time.monotonic() - start) * 1000


class CallNotOpen(Exception):
    """A stream for a call the customer's workflow does not hold open."""
