"""Inputs of workflows, updates and signals: one model each; new fields get defaults so that
histories recorded before them still decode."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from switchboard.agent_models import Channel, PendingAction


class MediaItem(BaseModel):
    url: str
    content_type: str


class InboundInput(BaseModel):
    """One inbound customer message: a WhatsApp message or a recorded caller turn.

    ``sid`` is Twilio's MessageSid or RecordingSid (also the Update ID: a webhook delivered
    twice is one turn). ``received_at`` is when the webhook arrived, UTC.
    """

    sid: str
    channel: Channel
    text: str = ""
    media: list[MediaItem] = Field(default_factory=list)
    call_sid: str | None = None
    received_at: datetime


class TurnResult(BaseModel):
    """What the customer gets back for a turn. ``audio_media_id`` is set on calls when TTS
    succeeded (played with ``<Play>``); otherwise the reply is spoken with ``<Say>``."""

    reply: str
    audio_media_id: str | None = None
    hangup: bool = False


class CallStartedInput(BaseModel):
    call_sid: str
    greeting: str
    received_at: datetime


class CallEndedInput(BaseModel):
    call_sid: str
    status: str  # Twilio CallStatus: completed, busy, no-answer, failed, canceled
    duration_s: int | None = None
    received_at: datetime


class CallState(BaseModel):
    booking_id: str | None = None  # confirmed during this call
    ended: bool = False
    journey_started: bool = False


class CustomerState(BaseModel):
    """What survives continue-as-new. Kept small: IDs, the pending action, open calls."""

    pending: PendingAction | None = None
    calls: dict[str, CallState] = Field(default_factory=dict)
    recent_sids: list[str] = Field(default_factory=list)


class CustomerInput(BaseModel):
    e164: str
    state: CustomerState = Field(default_factory=CustomerState)


class CallConfirmationInput(BaseModel):
    """Trigger of the call → WhatsApp confirmation journey."""

    customer: str
    call_sid: str
    booking_id: str


class JourneyResult(BaseModel):
    status: str  # sent | skipped
    reason: str = ""
    message_sid: str | None = None
