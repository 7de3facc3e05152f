"""CRM: bookings (drafts proposed by the agent, confirmed ones)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import Booking, utcnow


async def upsert_draft(
    session: AsyncSession,
    *,
    booking_id: str,
    customer_e164: str,
    slot_start: datetime,
    subject: str,
    channel: str,
    call_sid: str | None,
) -> None:
    """Record a proposed booking as a draft; a retry with the same ID changes nothing."""
    await session.exec(
        insert(Booking)
        .values(
            id=booking_id,
            customer_e164=customer_e164,
            slot_start=slot_start,
            subject=subject,
            status="draft",
            channel=channel,
            call_sid=call_sid,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )


async def set_booking_status(session: AsyncSession, *, booking_id: str, status: str) -> Booking:
    """Move a booking to ``status`` (confirmed/declined/expired). Idempotent.

    Raises ``LookupError`` when the booking does not exist.
    """
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise LookupError(f"no booking {booking_id}")
    if booking.status != status:
        booking.status = status
        if status == "confirmed":
            booking.confirmed_at = utcnow()
        session.add(booking)
    return booking


async def bookings_for(session: AsyncSession, *, customer_e164: str) -> list[Booking]:
    """The customer's bookings, soonest slot first."""
    rows = await session.exec(
        select(Booking)
        .where(Booking.customer_e164 == customer_e164)
        .order_by(col(Booking.slot_start))
    )
    return list(rows.all())
