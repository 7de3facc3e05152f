"""TwiML for calls: the real-time stream (``<Connect><Stream>``) and the record-and-play path
(``<Record>`` per caller turn), and the words Switchboard says before any agent turn."""

from __future__ import annotations

from datetime import datetime

from fastapi import Response
from twilio.twiml.voice_response import Connect, Stream, VoiceResponse

from switchboard.business import BusinessProfile
from switchboard.settings import Settings
from switchboard.slots import format_slot

NO_CONTEXT = "Sorry, this call can't be continued. Goodbye."
REPROMPT = "Sorry, I didn't hear anything. Please say that again."
LINE_TROUBLE = "Sorry, we're having trouble with this line. Please say that again after the tone."
TOO_LATE = "Sorry, that took me too long. Could you say it again?"

# How often a dropped stream is reopened before the call falls back to <Record> turns.
MAX_STREAM_ATTEMPTS = 3


def greeting(profile: BusinessProfile) -> str:
    """The first words of an inbound call, in the business's name (the profile's)."""
    return f"Hello, this is {profile.name}. How can I help you today?"


def closed_greeting(profile: BusinessProfile, now: datetime) -> str:
    """The first words of an inbound call outside opening hours (``BusinessProfile.open_at``):
    when the business opens again, from the profile's hours and holidays, and the voicemail
    offer. ``now``: aware."""
    opens = profile.next_opening(now)
    again = f" We open again on {format_slot(opens, profile.timezone)}." if opens else ""
    return (
        f"Hello, this is {profile.name}. We're closed right now.{again} Please leave a short "
        "message after the tone, and we'll send you a WhatsApp message to arrange a call back."
    )


def twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="text/xml")


def record_turn(response: VoiceResponse, settings: Settings, *, voicemail: bool = False) -> None:
    """Listen for the caller's next turn (or a voicemail); Twilio posts the recording to the
    action URL (Twilio docs, "TwiML Voice: <Record>")."""
    action = f"{settings.public_base_url.rstrip('/')}/twilio/voice/recording"
    response.record(
        action=action + ("?voicemail=1" if voicemail else ""),
        method="POST",
        max_length=120 if voicemail else 30,
        timeout=3 if voicemail else 2,  # seconds of silence that end the recording
        play_beep=voicemail,
        trim="trim-silence",
    )


def connect_stream(
    response: VoiceResponse,
    settings: Settings,
    *,
    customer: str,
    kind: str,
    context: str = "",
    attempt: int = 1,
) -> None:
    """Hand the call to the media process: ``<Connect><Stream>`` to ``media_stream_url`` with
    the call's context as ``<Parameter>``s (Twilio passes them in the ``start`` message's
    ``customParameters``), then a ``<Redirect>`` that Twilio follows when the stream ends —
    the agent hung up, or the media process went away (Twilio docs, "TwiML Voice: <Stream>":
    with ``<Connect>``, the next verb runs when the WebSocket closes).

    ``kind``: ``inbound`` (greet), ``outbound`` (the journey's opening, ``context`` = the
    CallContext ID) or ``resume`` (a stream reopened after a drop: no greeting)."""
    connect = Connect()
    stream = Stream(url=settings.media_stream_url)
    stream.parameter(name="customer", value=customer)
    stream.parameter(name="kind", value=kind)
    if context:
        stream.parameter(name="context", value=context)
    connect.append(stream)
    response.append(connect)
    base = settings.public_base_url.rstrip("/")
    response.redirect(f"{base}/twilio/voice/stream-ended?attempt={attempt}", method="POST")
