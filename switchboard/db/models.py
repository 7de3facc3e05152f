"""SQLModel tables. Times are ``timestamptz`` in UTC.

Uniqueness carries the exactly-once guarantees: ``inbound_event.sid`` (a webhook delivered
twice is recorded once), ``message.key`` (a log write retried is written once), ``outbox.key``
(a send retried is sent once), ``booking.id`` (the pending action's ID).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    """A ``timestamptz`` column. Non-null ones default to ``now()`` in the database, so core
    ``INSERT … ON CONFLICT`` upserts (which skip Python-side defaults) get a time too."""
    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(
        default_factory=utcnow,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, index=index, server_default=func.now()
        ),
    )


class Customer(SQLModel, table=True):
    e164: str = Field(primary_key=True, max_length=16)
    timezone: str = Field(max_length=64)
    created_at: datetime = _ts()


class ChannelAddress(SQLModel, table=True):
    """Maps a channel address (``whatsapp:+E164``, ``wa_id:336…``, ``tel:+E164``) to a customer:
    WhatsApp can identify a user by WaId alone, so E.164 is not the only key we see."""

    __tablename__ = "channel_address"
    address: str = Field(primary_key=True, max_length=64)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    created_at: datetime = _ts()


class Consent(SQLModel, table=True):
    """Append-only consent ledger; the latest row per (customer, channel, purpose) is in force."""

    id: int | None = Field(default=None, primary_key=True)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    channel: str = Field(max_length=16)  # whatsapp | voice
    purpose: str = Field(max_length=32)  # service | marketing
    status: str = Field(max_length=16)  # opted_in | opted_out
    source: str = Field(max_length=64)  # e.g. web_form, voice_call, STOP keyword
    recorded_at: datetime = _ts()


class InboundEvent(SQLModel, table=True):
    """Every accepted webhook, once, keyed by Twilio's SID (MessageSid, RecordingSid, …)."""

    __tablename__ = "inbound_event"
    sid: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=32)
    customer_e164: str | None = Field(default=None, index=True, max_length=16)
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = _ts()


class Message(SQLModel, table=True):
    """One row of the conversation log: a WhatsApp message, a voice turn's transcript, a reply,
    or a call event, with channel, direction and time."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)  # idempotency key
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    channel: str = Field(max_length=16)
    direction: str = Field(max_length=16)
    kind: str = Field(max_length=16)  # text | voice_note | image | speech | event
    text: str = ""
    media_id: str | None = Field(default=None, max_length=80)
    provider_sid: str | None = Field(default=None, max_length=64, index=True)
    call_sid: str | None = Field(default=None, max_length=64)
    status: str | None = Field(default=None, max_length=32)
    created_at: datetime = _ts(index=True)


class MediaBlob(SQLModel, table=True):
    """Media bytes kept with the conversation (voice notes, photos, synthesised replies). Only the
    ID travels through Temporal history, never the bytes."""

    __tablename__ = "media_blob"
    id: str = Field(primary_key=True, max_length=80)
    customer_e164: str | None = Field(default=None, max_length=16)
    content_type: str = Field(max_length=100)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    source_url: str | None = None
    created_at: datetime = _ts()


class Booking(SQLModel, table=True):
    """CRM booking. ``id`` is the pending action's ID (``workflow.uuid4()``)."""

    # Availability reads every confirmed booking in a time range.
    __table_args__ = (Index("ix_booking_status_slot", "status", "slot_start"),)

    id: str = Field(primary_key=True, max_length=64)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    slot_start: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    subject: str = Field(max_length=120)
    status: str = Field(max_length=16)  # draft | confirmed | declined | expired | cancelled
    channel: str = Field(max_length=16)
    call_sid: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    confirmed_at: datetime | None = _ts(nullable=True)
    # A key of the business profile's services and its length, fixed when booked (a price list
    # edited later does not move existing bookings). None: booked before services existed.
    service: str | None = Field(default=None, max_length=64)
    duration_minutes: int | None = None
    cancelled_at: datetime | None = _ts(nullable=True)


class Outbox(SQLModel, table=True):
    """One row per outbound side effect at a provider, written before the provider is called."""

    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(max_length=16)  # whatsapp | call
    recipient: str = Field(max_length=64)
    body: str | None = None
    content_sid: str | None = Field(default=None, max_length=64)
    content_variables: dict[str, str] | None = Field(default=None, sa_column=Column(JSONB))
    status: str = Field(max_length=16)  # pending | sent | failed
    provider_sid: str | None = Field(default=None, max_length=64)
    attempts: int = 0
    error: str | None = None
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)


class Handoff(SQLModel, table=True):
    """A customer handed to a human queue, with a summary of the conversation."""

    key: str = Field(primary_key=True, max_length=200)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    queue: str = Field(max_length=64)
    note: str = ""
    summary: str = ""
    status: str = Field(default="open", max_length=16)
    created_at: datetime = _ts()


class SlotHold(SQLModel, table=True):
    """A slot held for a customer (e.g. a callback tomorrow morning), keyed by the journey step."""

    __tablename__ = "slot_hold"
    key: str = Field(primary_key=True, max_length=200)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    slot_start: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    purpose: str = Field(max_length=32)
    status: str = Field(default="held", max_length=16)
    created_at: datetime = _ts()


class CallContext(SQLModel, table=True):
    """Why Switchboard placed a call: read when the customer answers (Twilio fetches the call's
    TwiML URL, which names this row's key), and by ``call_sid`` when Twilio's answering machine
    detection reports an answering machine (``voicemail`` is then left; None on rows written
    before the column existed: the default message, ``switchboard.journeys.schema``)."""

    __tablename__ = "call_context"
    key: str = Field(primary_key=True, max_length=200)
    customer_e164: str = Field(foreign_key="customer.e164", index=True, max_length=16)
    call_sid: str | None = Field(default=None, max_length=64, unique=True)
    opening: str
    goal: str
    voicemail: str | None = None
    journey_id: str = Field(max_length=200)
    pending_booking_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
