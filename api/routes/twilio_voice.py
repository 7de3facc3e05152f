"""Twilio voice webhooks: incoming and outbound calls, the end of a Media Stream, per-turn
recordings (``<Record action>``), call status.

With ``call_mode=stream`` (the default) a call is handed to the media process as a Media Stream
(docs/architecture.md, "A real-time call"); when the stream ends, Twilio follows the
``<Redirect>`` to ``/stream-ended``, which hangs up after the agent's goodbye or reopens the
stream after a drop. With ``call_mode=record`` (and for voicemails, and when a stream cannot be
kept up) each caller turn is a ``<Record>``; its action callback runs the turn through the
customer workflow as an Update and answers ``<Play>`` of the synthesised reply, or ``<Say>``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.service import RPCError
from twilio.twiml.voice_response import VoiceResponse

from api.call_twiml import (
    LINE_TROUBLE,
    MAX_STREAM_ATTEMPTS,
    NO_CONTEXT,
    REPROMPT,
    TOO_LATE,
    closed_greeting,
    connect_stream,
    greeting,
    record_turn,
    twiml,
)
from api.deps import (
    DbDep,
    SettingsDep,
    TaskQueueDep,
    TemporalLaterDep,
    TemporalUnavailable,
    TwilioFormDep,
    business_profile,
)
from api.twilio_forms import CallStatus, VoiceCall, VoiceRecording, parse_form
from api.webhook_events import record_event
from operations.ingest import call_ended, call_started, call_view, run_turn
from switchboard.agent_models import Channel, Direction
from switchboard.business_calendar import is_open
from switchboard.db.conversation import log_message
from switchboard.db.engine import Database
from switchboard.db.models import CallContext, utcnow
from switchboard.media_urls import MediaUrlSigner
from switchboard.settings import Settings
from switchboard.verification import FULL_ATTESTATION
from workflows.types import CallEndedInput, CallStartedInput, InboundInput, MediaItem

router = APIRouter(prefix="/twilio/voice", tags=["twilio"])
log = logging.getLogger("switchboard.api.voice")

# Twilio's terminal call statuses (Twilio docs, "Call status values").
TERMINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}


async def _begin_call(
    db: Database,
    settings: Settings,
    temporal: Callable[[], Awaitable[Client]],
    task_queue: str,
    call: VoiceCall,
    form: dict[str, str],
    started: CallStartedInput,
) -> None:
    """Record the call once (its CallSid), then tell the customer's workflow it started."""
    await record_event(
        db,
        settings,
        sid=call.call_sid,
        kind="voice_call",
        e164=call.customer,
        form=form,
        addresses=[f"tel:{call.customer}"],
    )
    await call_started(await temporal(), call.customer, started, task_queue)


def _greeting(settings: Settings) -> tuple[str, bool]:
    """``(first words, after hours)`` of an inbound call now (``Settings.business_hours``)."""
    profile = business_profile(settings.business_profile)
    now = utcnow()
    hours = settings.business_hours
    if hours == "profile":
        open_now = profile.open_at(now)
    else:
        open_now = hours is None or is_open(now, settings.business_timezone, hours)
    return (greeting(profile), False) if open_now else (closed_greeting(profile, now), True)


@router.post("/incoming")
async def incoming_call(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    task_queue: TaskQueueDep,
) -> Response:
    """Greet at once with ``<Say>`` (no model or TTS on the path to the first word), tell the
    customer workflow the call started, and start listening. Outside business hours: a closing
    message and a voicemail, which the after-hours journey follows up.

    The caller ID counts as verified only with Twilio's ``StirVerstat`` of
    ``TN-Validation-Passed-A`` (full SHAKEN/STIR attestation; Twilio docs, "Trusted Calling with
    SHAKEN/STIR", https://www.twilio.com/docs/voice/trusted-calling-with-shakenstir): otherwise
    bookings are read out, moved or cancelled only after an identity check
    (``switchboard/verification.py``)."""
    call = parse_form(VoiceCall, form)
    first_words, after_hours = _greeting(settings)
    await _begin_call(
        db,
        settings,
        temporal,
        task_queue,
        call,
        form,
        CallStartedInput(
            call_sid=call.call_sid,
            greeting=first_words,
            received_at=utcnow(),
            after_hours=after_hours,
            attested=call.stir_verstat == FULL_ATTESTATION,
        ),
    )
    response = VoiceResponse()
    if settings.call_mode == "stream" and not after_hours:
        # The media process greets (pre-rendered audio, first frame at once) and converses.
        connect_stream(response, settings, customer=call.customer, kind="inbound")
        return twiml(response)
    response.say(first_words)
    record_turn(response, settings, voicemail=after_hours)
    if after_hours:
        response.hangup()
    return twiml(response)


@router.post("/outbound")
async def outbound_call(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    task_queue: TaskQueueDep,
    context: str = "",
) -> Response:
    """TwiML for a call Switchboard placed, fetched by Twilio when the customer answers: the
    agent opens with the journey's words and pursues its goal."""
    call = parse_form(VoiceCall, form)
    response = VoiceResponse()
    async with db.session() as s:
        placed = await s.get(CallContext, context) if context else None
    if placed is None or placed.customer_e164 != call.customer:
        response.say(NO_CONTEXT)
        response.hangup()
        return twiml(response)
    await _begin_call(
        db,
        settings,
        temporal,
        task_queue,
        call,
        form,
        CallStartedInput(
            call_sid=call.call_sid,
            greeting=placed.opening,
            received_at=utcnow(),
            goal=placed.goal,
            pending_booking_id=placed.pending_booking_id,
            attested=True,  # Switchboard dialled the number on file
        ),
    )
    if settings.call_mode == "stream":
        connect_stream(response, settings, customer=call.customer, kind="outbound", context=context)
        return twiml(response)
    response.say(placed.opening)
    record_turn(response, settings)
    return twiml(response)


@router.post("/recording")
async def recording(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    task_queue: TaskQueueDep,
    voicemail: str = "",
) -> Response:
    """One caller turn: transcribe, decide, speak. Answers with the reply and listens again,
    or hangs up after a goodbye."""
    turn = parse_form(VoiceRecording, form)
    response = VoiceResponse()
    if not turn.recording_sid or not turn.recording_url or turn.recording_duration == 0:
        if voicemail == "1":  # an empty voicemail: nothing to follow up
            response.hangup()
            return twiml(response)
        response.say(REPROMPT)
        record_turn(response, settings)
        return twiml(response)

    await record_event(
        db, settings, sid=turn.recording_sid, kind="voice_recording", e164=turn.customer, form=form
    )
    deadline = asyncio.timeout(settings.voice_turn_deadline_s)
    try:
        async with deadline:
            result = await run_turn(
                await temporal(),
                turn.customer,
                InboundInput(
                    sid=turn.recording_sid,
                    channel=Channel.VOICE,
                    media=[MediaItem(url=turn.recording_url, content_type="audio/wav")],
                    call_sid=turn.call_sid,
                    received_at=utcnow(),
                    voicemail=voicemail == "1",
                ),
                task_queue,
            )
    except (TimeoutError, RPCTimeoutOrCancelledError):
        # The SDK reports a call cancelled by the deadline as its own error, not TimeoutError.
        if not deadline.expired():
            raise
        # The turn goes on in the workflow (its reply is logged); the caller is not left in
        # silence until Twilio gives up on the webhook.
        budget = settings.voice_turn_deadline_s
        log.warning("recorded turn over its deadline", extra={"deadline_s": budget})
        async with db.session() as s:
            await log_message(
                s,
                key=f"late/{turn.recording_sid}",
                customer_e164=turn.customer,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="event",
                text=f"fallback: the turn took over {budget:g} s; the caller was asked again",
                call_sid=turn.call_sid,
            )
        response.say(TOO_LATE)
        record_turn(response, settings)
        return twiml(response)
    if result.audio_media_id:
        response.play(MediaUrlSigner.from_settings(settings).url(result.audio_media_id))
    elif result.reply:
        response.say(result.reply)
    if result.hangup:
        response.hangup()
    else:
        record_turn(response, settings)
    return twiml(response)


@router.post("/stream-ended")
async def stream_ended(
    form: TwilioFormDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    attempt: int = 1,
) -> Response:
    """Twilio left a call's Media Stream and follows the ``<Redirect>``: hang up when the
    agent ended the call (or the call is over); otherwise the media process went away
    mid-call, so the stream is reopened and picks the conversation up from the log and the
    workflow (``kind=resume``: no second greeting). After ``MAX_STREAM_ATTEMPTS`` the call
    carries on with ``<Record>`` turns."""
    call = parse_form(VoiceCall, form)
    response = VoiceResponse()
    try:
        view = await call_view(await temporal(), call.customer, call.call_sid)
    except (RPCError, RPCTimeoutOrCancelledError, TemporalUnavailable) as exc:
        log.warning("call state unavailable after a stream ended: %s", exc)
        response.say(LINE_TROUBLE)
        record_turn(response, settings)
        return twiml(response)
    if not view.open or view.hung_up:
        response.hangup()
    elif attempt >= MAX_STREAM_ATTEMPTS:
        log.warning("stream dropped %s times; recorded turns from now on", attempt)
        response.say(LINE_TROUBLE)
        record_turn(response, settings)
    else:
        connect_stream(
            response, settings, customer=call.customer, kind="resume", attempt=attempt + 1
        )
    return twiml(response)


@router.post("/status")
async def call_status(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    task_queue: TaskQueueDep,
) -> Response:
    """Call status callback: a terminal status closes the call in the log (and may start the
    call → WhatsApp confirmation journey)."""
    status = parse_form(CallStatus, form)
    if status.call_status in TERMINAL_STATUSES:
        await record_event(
            db,
            settings,
            sid=f"{status.call_sid}/{status.call_status}",
            kind="call_status",
            e164=status.customer,
            form=form,
        )
        await call_ended(
            await temporal(),
            status.customer,
            CallEndedInput(
                call_sid=status.call_sid,
                status=status.call_status,
                duration_s=status.call_duration,
                received_at=utcnow(),
            ),
            task_queue,
        )
    return Response(status_code=204)
