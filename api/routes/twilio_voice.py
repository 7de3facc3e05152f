"""Twilio voice webhooks: incoming call, per-turn recording (``<Record action>``), call status.

First version of calls (docs/architecture.md, "A call"): each caller turn is a ``<Record>``; its
action callback runs the turn through the customer workflow as an Update and answers with TwiML —
``<Play>`` of the synthesised reply served by ``/media``, or ``<Say>`` when synthesis failed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from temporalio.client import Client
from twilio.twiml.voice_response import VoiceResponse

from api.deps import DbDep, SettingsDep, TaskQueueDep, TemporalLaterDep, TwilioFormDep
from api.twilio_forms import CallStatus, VoiceCall, VoiceRecording, parse_form
from api.webhook_events import record_event
from operations.ingest import call_ended, call_started, run_turn
from switchboard.agent_models import Channel
from switchboard.business_calendar import is_open
from switchboard.db.engine import Database
from switchboard.db.models import CallContext, utcnow
from switchboard.settings import Settings
from workflows.types import CallEndedInput, CallStartedInput, InboundInput, MediaItem

router = APIRouter(prefix="/twilio/voice", tags=["twilio"])

GREETING = "Hello, this is Switchboard. How can I help you today?"
CLOSED = (
    "Hello, this is Switchboard. We're closed right now. Please leave a short message after "
    "the tone, and we'll send you a WhatsApp message to arrange a call back."
)
NO_CONTEXT = "Sorry, this call can't be continued. Goodbye."
REPROMPT = "Sorry, I didn't hear anything. Please say that again."
# Twilio's terminal call statuses (Twilio docs, "Call status values").
TERMINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="text/xml")


def _record(response: VoiceResponse, settings: Settings, *, voicemail: bool = False) -> None:
    """Listen for the caller's next turn (or a voicemail); Twilio posts the recording to the
    action URL."""
    action = f"{settings.public_base_url.rstrip('/')}/twilio/voice/recording"
    response.record(
        action=action + ("?voicemail=1" if voicemail else ""),
        method="POST",
        max_length=120 if voicemail else 30,
        timeout=3 if voicemail else 2,  # seconds of silence that end the recording
        play_beep=voicemail,
        trim="trim-silence",
    )


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


def _is_open(settings: Settings) -> bool:
    hours = settings.business_hours
    return hours is None or is_open(utcnow(), settings.business_timezone, hours)


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
    message and a voicemail, which the after-hours journey follows up."""
    call = parse_form(VoiceCall, form)
    after_hours = not _is_open(settings)
    greeting = CLOSED if after_hours else GREETING
    await _begin_call(
        db,
        settings,
        temporal,
        task_queue,
        call,
        form,
        CallStartedInput(
            call_sid=call.call_sid,
            greeting=greeting,
            received_at=utcnow(),
            after_hours=after_hours,
        ),
    )
    response = VoiceResponse()
    response.say(greeting)
    _record(response, settings, voicemail=after_hours)
    if after_hours:
        response.hangup()
    return _twiml(response)


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
        return _twiml(response)
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
        ),
    )
    response.say(placed.opening)
    _record(response, settings)
    return _twiml(response)


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
            return _twiml(response)
        response.say(REPROMPT)
        _record(response, settings)
        return _twiml(response)

    await record_event(
        db, settings, sid=turn.recording_sid, kind="voice_recording", e164=turn.customer, form=form
    )
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
    if result.audio_media_id:
        response.play(f"{settings.public_base_url.rstrip('/')}/media/{result.audio_media_id}")
    elif result.reply:
        response.say(result.reply)
    if result.hangup:
        response.hangup()
    else:
        _record(response, settings)
    return _twiml(response)


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
