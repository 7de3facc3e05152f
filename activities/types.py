"""Inputs and results of every activity: one model per activity, fields added only with defaults
so that running workflows keep working."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from switchboard.agent_models import (
    AgentDecision,
    BookingView,
    Channel,
    Direction,
    PendingAction,
)
from switchboard.verification import Trust


class MediaRef(BaseModel):
    """A stored media blob (bytes stay in Postgres; only this travels through history)."""

    media_id: str
    content_type: str
    size: int


class FetchMediaInput(BaseModel):
    media_id: str  # stable: derived from the message SID and media index
    url: str
    customer: str


class NormaliseAudioInput(BaseModel):
    media_id: str


class TranscribeInput(BaseModel):
    media_id: str
    customer: str | None = None  # E.164: their pets' names bias the STT (None: no names)


class TranscribeMediaInput(BaseModel):
    """One audio attachment to text in one activity (``stt.transcribe_media``)."""

    media_id: str  # stable: derived from the message SID and media index
    url: str  # Twilio's media URL
    customer: str  # E.164: the blob's owner, and their pets' names bias the STT


class TranscriptResult(BaseModel):
    text: str
    confidence: float | None = None
    duration_ms: int | None = None


class LogMessageInput(BaseModel):
    key: str  # idempotency key: a retried write is written once
    customer: str
    channel: Channel
    direction: Direction
    kind: str  # text | voice_note | image | speech | event
    text: str = ""
    media_id: str | None = None
    # Every item of a message with several media (``media_id``: the first); a default, so the
    # payloads of histories recorded before the patch ``several-media`` still decode.
    media_ids: list[str] = []
    provider_sid: str | None = None
    call_sid: str | None = None
    at: datetime | None = None  # UTC; defaults to the time of the write
    intent: str | None = None  # the agent's ``Intent`` value, on a row holding its reply


class DecideInput(BaseModel):
    customer: str
    channel: Channel
    message: str
    now: datetime  # workflow time, UTC
    pending: PendingAction | None = None
    exclude_keys: list[str] = []  # log rows that make up ``message`` (kept out of the history)
    goal: str | None = None  # on a call Switchboard placed: what the agent pursues
    # The identity of this turn as the workflow knows it (switchboard/verification.py); None:
    # no identity checks (a run recorded before them).
    identity: Trust | None = None


class HearAndDecideInput(BaseModel):
    """A voice note to text, then the agent's decision on that text, in one activity
    (``stt.transcribe_and_decide``)."""

    audio: TranscribeMediaInput
    # The agent's input as the workflow would build it after the transcript; its ``message``
    # is replaced by the transcript's text.
    decide: DecideInput
    # No decision for a transcript below this confidence (the workflow asks to repeat) or
    # whose normalised text is one of ``skip_words`` (STOP, START: the workflow's own).
    min_confidence: float
    skip_words: list[str] = []


class HeardDecision(BaseModel):
    transcript: TranscriptResult
    # None: not decided here (see ``HearAndDecideInput``), or the agent failed (the workflow
    # then asks it with ``agent.decide`` and that activity's retries).
    decision: AgentDecision | None = None


class TellJourneyInput(BaseModel):
    """A customer's event for one journey run (``customer.tell_journey``): the run's
    ``JourneyWorkflow.event`` signal, sent by the worker's Temporal client."""

    journey_id: str
    kind: str  # ``JourneyEvent.kind``
    data: dict[str, str] = {}  # ``JourneyEvent.data``
    # Temporal keeps a run's signal request IDs and takes each once: a retried activity (or a
    # replayed one) signals the run once. From the customer workflow's ``uuid4()``.
    request_id: str


class SaveDraftInput(BaseModel):
    booking_id: str
    customer: str
    slot_start: datetime
    subject: str
    channel: Channel
    call_sid: str | None = None
    service: str | None = None  # a key of the business profile's services; None: the default


class ConfirmBookingInput(BaseModel):
    """Confirm draft ``booking_id`` of ``customer`` if its slot is still free at ``now`` (UTC,
    the workflow's clock)."""

    booking_id: str
    customer: str
    now: datetime


class MoveBookingInput(BaseModel):
    """Move confirmed booking ``booking_id`` of ``customer`` to ``slot_start`` (UTC); with
    ``service`` (a key of the business profile) other than its own, as that service.
    ``vacating``: the customer's bookings the same confirmed proposal moves or cancels after
    this one (a swap), not counted against the new slot."""

    booking_id: str
    customer: str
    slot_start: datetime
    now: datetime
    service: str | None = None
    vacating: list[str] = []


class CancelBookingInput(BaseModel):
    booking_id: str
    customer: str


class BookingCommit(BaseModel):
    """What a confirm, move or cancel did. ``ok`` False: the calendar refused (``reason``, a
    ``SlotCheck`` reason such as ``full``, or ``pet_booked``: the pet's own booking is then),
    nothing changed, and ``message`` tells the customer why, with the nearest free times."""

    ok: bool
    booking: BookingView | None = None
    reason: str | None = None
    message: str = ""


class SetBookingStatusInput(BaseModel):
    booking_id: str
    status: str  # confirmed | declined


class GetBookingInput(BaseModel):
    booking_id: str


class BookingDetails(BaseModel):
    booking: BookingView
    slot_text: str  # the slot in the customer's time zone, e.g. "Tuesday 24 November at 10:00"


class SynthesizeInput(BaseModel):
    key: str  # idempotency key; also the media ID of the audio
    customer: str
    text: str
    # wav: played on a call (<Play>); ogg: OGG/Opus, what WhatsApp accepts as a voice note.
    format: Literal["wav", "ogg"] = "wav"


class WhatsAppTemplate(BaseModel):
    """An approved WhatsApp template by name (``journeys/templates.yaml``) with its variables."""

    name: str
    variables: dict[str, str]


class SendWhatsAppInput(BaseModel):
    """A WhatsApp send. Free text ``body`` is used inside the 24-hour customer service window;
    outside it, ``template`` is required (the send fails locally rather than at Twilio, 63016)."""

    key: str
    customer: str
    body: str
    template: WhatsAppTemplate | None = None
    purpose: str = "service"
    media_id: str | None = None  # stored audio (``tts/…``) sent as a voice note; body may be ""
    # The template even inside the window: Twilio refused the free text later (63016 in a
    # status callback), so the journey sends its template instead, under a key of its own.
    template_only: bool = False
    intent: str | None = None  # the agent's ``Intent`` value, on its reply (logged with it)


class VoiceNoteInput(BaseModel):
    """A reply sent as a WhatsApp voice note in one activity (``tts.voice_note``)."""

    key: str  # the send's outbox key (``reply-audio/<sid>``)
    audio_key: str  # the synthesised audio's key and media ID (``tts/<sid>``)
    customer: str
    text: str
    # The turn's text reply, sent first by the same activity (patch ``voice-reply-in-one``):
    # one round trip for both sends of a voice note's reply (issue 14).
    text_first: SendWhatsAppInput | None = None


class SendResult(BaseModel):
    """``delivery_status``/``error_code``: what Twilio's status callbacks had said by the time
    the SID was stored (usually None: they come later), e.g. ``failed`` with ``63016``."""

    sid: str
    used_template: bool = False
    delivery_status: str | None = None
    error_code: str | None = None


class CheckConsentInput(BaseModel):
    customer: str
    channel: Channel
    purpose: str = "service"


class ConsentDecision(BaseModel):
    allowed: bool
    reason: str


class RecordConsentInput(BaseModel):
    customer: str
    channel: Channel
    purpose: str
    status: str  # opted_in | opted_out
    source: str  # e.g. "STOP keyword", "web_form"


class StartCheckInput(BaseModel):
    """Open identity check ``challenge_id`` for ``action`` on ``channel``
    (``switchboard/verification.py``): choose the first usable method of the business's policy
    and, for a code, send it on WhatsApp (once per challenge)."""

    challenge_id: str
    customer: str
    channel: Channel
    action: Literal["read_booking", "reschedule", "cancel"]
    call_sid: str | None = None


class StartCheckResult(BaseModel):
    """``method`` None: no method can be used for this party (no WhatsApp on file for a code,
    no pet's name for the question)."""

    method: Literal["code", "question"] | None = None
    # The business's policy, for the workflow to apply (switchboard/identity_checks.py).
    max_attempts: int = 3
    ttl_minutes: int = 10
    lockout_minutes: int = 60


class CheckAnswerInput(BaseModel):
    challenge_id: str
    customer: str
    method: Literal["code", "question"]
    answer: str
    action: str = ""
    attempt: int = 1  # this answer's number, for the log


class CheckAnswerResult(BaseModel):
    """``attempt`` False: the message is no answer to the check (no digits for a code, no name
    for the question); ``several``: it names more than one pet, which is not checked (the
    customer is asked for one name)."""

    attempt: bool
    passed: bool = False
    several: bool = False
