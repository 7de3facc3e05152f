"""SQLModel tables. Times are ``timestamptz`` in UTC.

Uniqueness carries the exactly-once guarantees: ``inbound_event.sid`` (a webhook delivered
twice is recorded once), ``message.key`` (a log write retried is written once), ``outbox.key``
(a send retried is sent once), ``booking.id`` (the pending action's ID).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    LargeBinary,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
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
    # Why the number is suspicious though its messages are accepted (``switchboard.identity
    # .number_flag``: e.g. a range libphonenumber's data does not know); None: ordinary.
    number_flag: str | None = Field(default=None, max_length=64)


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
    """Every accepted webhook, once, keyed by Twilio's SID (MessageSid, RecordingSid, …).

    WhatsApp messages are also the transactional inbox (``operations.relay``): the webhook
    answers once the row is committed, and the relay hands the customer's pending rows to its
    workflow in ``seq`` order, then stamps ``handed_over_at``. A failed hand-over counts
    ``relay_attempts``, keeps ``relay_error`` and, unless Temporal was merely unreachable,
    waits until ``relay_after`` (the customer's later events wait behind it)."""

    __tablename__ = "inbound_event"
    # What the relay reads: the pending WhatsApp messages, per customer, oldest first.
    __table_args__ = (
        Index(
            "ix_inbound_event_relay_pending",
            "customer_e164",
            "seq",
            postgresql_where=text("handed_over_at IS NULL AND kind = 'whatsapp_message'"),
        ),
    )

    sid: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=32)
    customer_e164: str | None = Field(default=None, index=True, max_length=16)
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = _ts(index=True)  # the retention sweep reads by age
    # Assigned at insert, under the customer's inbox lock: one customer's commit order.
    seq: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=False), nullable=False),
    )
    handed_over_at: datetime | None = _ts(nullable=True)
    relay_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    relay_error: str | None = None
    relay_after: datetime | None = _ts(nullable=True)


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
    # Every media item of a message that carried several, in Twilio's order (``media_id`` is
    # the first); None with one or none, and on rows logged before migration 0014: readers
    # take ``media_ids or [media_id]``.
    media_ids: list[str] | None = Field(
        default=None, sa_column=Column(ARRAY(String(80)), nullable=True)
    )
    provider_sid: str | None = Field(default=None, max_length=64, index=True)
    call_sid: str | None = Field(default=None, max_length=64)
    # An outbound message's delivery state (``switchboard.delivery``: queued → sent →
    # delivered → read, or failed/undelivered with ``error_code``, Twilio's ErrorCode);
    # ``interrupted`` on a spoken reply cut by the caller.
    status: str | None = Field(default=None, max_length=32)
    error_code: str | None = Field(default=None, max_length=16)
    # The agent's intent (``switchboard.agent_models.Intent``) for the reply this row holds;
    # None on every other row (analytics: handoffs by intent class).
    intent: str | None = Field(default=None, max_length=32)
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
    created_at: datetime = _ts(index=True)
    # When the source (a call recording) was DELETEd at Twilio; None: not yet, or not a
    # recording (``switchboard.db.retention``).
    remote_deleted_at: datetime | None = _ts(nullable=True)


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
    status: str = Field(max_length=16)  # pending | sent | failed (our side of the send)
    provider_sid: str | None = Field(default=None, max_length=64, index=True)
    attempts: int = 0
    error: str | None = None
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    # What Twilio's status callbacks said (``switchboard.delivery``), None until the first.
    delivery_status: str | None = Field(default=None, max_length=32)
    error_code: str | None = Field(default=None, max_length=16)


class SendReservation(SQLModel, table=True):
    """A journey step that passed the frequency cap (``key``: the step's send key prefix),
    written in the gate's transaction under the customer's lock, so two journeys gating at the
    same moment cannot both pass. The cap counts it until the step's outbox row exists."""

    __tablename__ = "send_reservation"
    __table_args__ = (Index("ix_send_reservation_customer_created", "customer_e164", "created_at"),)

    key: str = Field(primary_key=True, max_length=200)
    customer_e164: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    created_at: datetime = _ts()


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


class ApiKey(SQLModel, table=True):
    """A person's API key (``switchboard.access``): only the SHA-256 of the token is kept.
    A revoked key stays listed (who had access, and until when)."""

    __tablename__ = "api_key"
    id: str = Field(primary_key=True, max_length=12)  # public: in lists, revocations, the audit
    person: str = Field(max_length=120)
    role: str = Field(max_length=16)  # admin | marketer | agent | engineer
    token_hash: str = Field(unique=True, max_length=64)
    created_by: str = Field(max_length=120)
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)


class AuditEntry(SQLModel, table=True):
    """Who did what, append-only: a journey launched or paused, a conversation read, a key
    created or revoked, a customer erased. ``key_id`` is None for the bootstrap key."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(index=True)
    person: str = Field(max_length=120)
    role: str = Field(max_length=16)
    key_id: str | None = Field(default=None, max_length=12)
    action: str = Field(max_length=64)  # e.g. journey.launch, conversation.read, key.revoke
    target: str = Field(max_length=200)  # a journey name, a customer's E.164, a key ID
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))


class OptOutHash(SQLModel, table=True):
    """A STOP that outlives an erased customer: the SHA-256 of the E.164 (``switchboard.db
    .erasure.number_hash``), so the send gate still refuses the number while nothing else
    about the person is kept (GDPR art. 17(3)(b): a legal obligation to honour the objection)."""

    __tablename__ = "opt_out_hash"
    number_hash: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=16)
    purpose: str = Field(primary_key=True, max_length=32)
    recorded_at: datetime = _ts()


class PayloadKey(SQLModel, table=True):
    """A data key of the Temporal payload codec (``switchboard.db.payload_keys``): ``scope`` is
    the customer's E.164, or ``system``; ``wrapped`` is the key encrypted under the master key
    (nonce ‖ AES-256-GCM). Erasing the customer deletes the row: crypto-shredding."""

    __tablename__ = "payload_key"
    id: str = Field(primary_key=True, max_length=32)  # random; in every payload's metadata
    scope: str = Field(unique=True, max_length=16)
    wrapped: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = _ts()


class CampaignMember(SQLModel, table=True):
    """One member of a broadcast campaign (``workflows/campaign.py``): the audience kept here,
    not in workflow history. ``state``: ``pending`` → ``sent`` | ``skipped`` (not sent, the
    journey ended for them) | ``handed_over`` (their own journey run took them on) |
    ``deferred`` (quiet hours: ``due_at``); a journey that waits before its send has them
    ``waiting_to_send`` (from ``enrolled_at`` until ``due_at``) first, and ``replied`` or
    ``skipped`` (``note`` ``stop``) when their run would have exited during that wait; after
    the wait that follows the send, ``sent`` → ``replied`` | ``handed_over``. Erasing the
    customer deletes their rows."""

    __tablename__ = "campaign_member"
    __table_args__ = (Index("ix_campaign_member_state", "campaign_id", "state"),)

    campaign_id: str = Field(primary_key=True, max_length=200)  # campaign/<journey>/<id>
    e164: str = Field(primary_key=True, max_length=16, index=True)
    variables: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONB))
    state: str = Field(default="pending", max_length=16)
    due_at: datetime | None = _ts(nullable=True)  # deferred (quiet hours) or waiting until
    sent_at: datetime | None = _ts(nullable=True)  # when its message went out
    enrolled_at: datetime | None = _ts(nullable=True)  # entered the wait before the send
    note: str | None = None  # why skipped, or the step it was handed over at
    created_at: datetime = _ts()


class JourneyPause(SQLModel, table=True):
    """A journey paused by a person (``operations.manage.pause``): its runs that start while
    the row exists start paused, as its running ones were told to pause. Resuming deletes the
    row; the audit log keeps the history."""

    __tablename__ = "journey_pause"
    journey: str = Field(primary_key=True, max_length=63)  # the journey's name (its file stem)
    paused_by: str = Field(max_length=120)  # the person, as the audit log names them
    paused_at: datetime = _ts()
