"""Twilio's status callbacks applied to the conversation log and the outbox, in whatever order
they arrive — including before the send's SID is stored.

A status callback can reach the API before the send activity has stored the SID Twilio
returned (the callback and the create response race; a crashed attempt's SID is only adopted
later by reconciliation). Such a callback finds no row to update, but its event is kept
(``inbound_event``, SID ``<MessageSid>/<MessageStatus>``), so the activity applies it when it
stores the SID (``catch_up``). Both sides take the same per-message advisory lock for their
transaction, so whichever commits second sees the other's work: no status is lost between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard import delivery
from switchboard.db import outbox
from switchboard.db.conversation import set_status_by_sid
from switchboard.db.models import InboundEvent


def status_event_sid(message_sid: str, status: str) -> str:
    """The ``inbound_event`` SID of one status callback: a duplicate callback is one event."""
    return f"{message_sid}/{status}"


async def lock_message(session: AsyncSession, *, provider_sid: str) -> None:
    """Hold the message's advisory lock until the transaction ends (re-entrant)."""
    key = func.hashtextextended(f"delivery:{provider_sid}", 0)
    await session.exec(select(func.pg_advisory_xact_lock(key)))


@dataclass(frozen=True)
class DeliveryUpdate:
    """What one status callback changed. ``key``/``recipient``: the outbox row owning the SID
    (None when none does yet); ``advanced``: the outbox's delivery state moved to ``status``
    (False for a duplicate, a late earlier status, or an unknown SID)."""

    key: str | None
    recipient: str | None
    status: str
    error_code: str | None
    advanced: bool


async def record_status(
    session: AsyncSession, *, provider_sid: str, status: str, error_code: str | None
) -> DeliveryUpdate:
    """Apply one callback to the log rows and the outbox row with ``provider_sid``."""
    await lock_message(session, provider_sid=provider_sid)
    await set_status_by_sid(
        session, provider_sid=provider_sid, status=status, error_code=error_code
    )
    found = await outbox.record_delivery(
        session, provider_sid=provider_sid, status=status, error_code=error_code
    )
    if found is None:
        return DeliveryUpdate(None, None, status, error_code, advanced=False)
    row, advanced = found
    return DeliveryUpdate(row.key, row.recipient, status, error_code, advanced=advanced)


async def parked_statuses(
    session: AsyncSession, *, provider_sid: str
) -> list[tuple[str, str | None]]:
    """``(MessageStatus, ErrorCode)`` of every callback recorded for ``provider_sid``."""
    sids = [status_event_sid(provider_sid, status) for status in delivery.STATUSES]
    rows = await session.exec(select(InboundEvent).where(col(InboundEvent.sid).in_(sids)))
    found = []
    for event in rows.all():
        status = str(event.payload.get("MessageStatus", ""))
        code = event.payload.get("ErrorCode")
        found.append((status, str(code) if code else None))
    return found


async def catch_up(session: AsyncSession, *, provider_sid: str) -> tuple[str | None, str | None]:
    """Once a send's SID is stored (outbox and log rows, this transaction): apply the callbacks
    that arrived before it. Returns the outbox row's ``(delivery_status, error_code)``."""
    await lock_message(session, provider_sid=provider_sid)
    state: tuple[str | None, str | None] = (None, None)
    for status, code in await parked_statuses(session, provider_sid=provider_sid):
        await set_status_by_sid(session, provider_sid=provider_sid, status=status, error_code=code)
        await outbox.record_delivery(
            session, provider_sid=provider_sid, status=status, error_code=code
        )
    row = (
        await session.exec(select(outbox.Outbox).where(outbox.Outbox.provider_sid == provider_sid))
    ).first()
    if row is not None:
        state = (row.delivery_status, row.error_code)
    return state
