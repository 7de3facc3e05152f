"""CRM: bookings (drafts proposed by the agent, confirmed, moved, cancelled).

Commits that take room in the calendar (confirm, move) run under one transaction-scoped advisory
lock, re-checking availability inside it: two customers saying "yes" to the last free slot at the
same moment get one booking and one "sorry, just taken" (docs/architecture.md, "The business
profile").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.availability import Busy, SlotCheck, check_slot
from switchboard.business import BusinessProfile, Service
from switchboard.db.models import Booking, utcnow

# Any constant works: one lock for every booking commit (bookings are few per second).
_CALENDAR_LOCK = 7_316_042


async def upsert_draft(
    session: AsyncSession,
    *,
    booking_id: str,
    customer_e164: str,
    slot_start: datetime,
    subject: str,
    channel: str,
    call_sid: str | None,
    service: str | None = None,
    duration_minutes: int | None = None,
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
            service=service,
            duration_minutes=duration_minutes,
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


async def subjects_direct(conn: psycopg.AsyncConnection[Any], *, customer_e164: str) -> list[str]:
    """The subjects of the customer's bookings, latest slot first (the pets the customer talks
    about now), in one statement on psycopg's own connection (``Database.autocommit``): the
    voice note's transcription reads them on every turn (issue 14). Raises ``psycopg.Error``."""
    cursor = await conn.execute(
        "SELECT subject FROM booking WHERE customer_e164 = %s ORDER BY slot_start DESC",
        (customer_e164,),
    )
    return [subject for (subject,) in await cursor.fetchall()]


# No appointment is longer: bounds the index range scan of the bookings that overlap a time.
_LONGEST_VISIT = timedelta(hours=12)


async def busy_between(
    session: AsyncSession, *, start: datetime, end: datetime, default_minutes: int
) -> list[Busy]:
    """Confirmed bookings (every customer's) overlapping ``[start, end)`` (UTC). A booking with
    no recorded length counts ``default_minutes``."""
    rows = await session.exec(
        select(Booking).where(
            Booking.status == "confirmed",
            col(Booking.slot_start) < end,
            col(Booking.slot_start) > start - _LONGEST_VISIT,
        )
    )
    out = []
    for b in rows.all():
        stop = b.slot_start + timedelta(minutes=b.duration_minutes or default_minutes)
        if stop > start:
            out.append(Busy(booking_id=b.id, start=b.slot_start, end=stop))
    return out


@dataclass(frozen=True)
class Commit:
    """The outcome of a booking commit: ``booking`` as it now stands, and when the calendar
    refused, ``check`` says why (``check.free`` is False); when the pet was refused instead,
    ``clash`` is its own confirmed booking the change would overlap."""

    booking: Booking
    check: SlotCheck | None = None
    clash: Booking | None = None

    @property
    def ok(self) -> bool:
        return self.clash is None and (self.check is None or self.check.free)


async def _lock_calendar(session: AsyncSession) -> None:
    await session.exec(text(f"SELECT pg_advisory_xact_lock({_CALENDAR_LOCK})"))  # type: ignore[call-overload]


async def _own_booking(session: AsyncSession, booking_id: str, customer_e164: str) -> Booking:
    booking = await session.get(Booking, booking_id, with_for_update=True)
    if booking is None or booking.customer_e164 != customer_e164:
        # Another customer's booking is as unknown as a missing one: never act on it.
        raise LookupError(f"no booking {booking_id} for this customer")
    return booking


def service_of(booking: Booking, profile: BusinessProfile) -> Service:
    """The booking's service as booked: its length is the one recorded on the booking (a price
    list edited later does not stretch existing bookings); the default service for bookings made
    before services existed."""
    service = profile.service(booking.service) if booking.service else profile.service()
    minutes = booking.duration_minutes or service.duration_minutes
    return service.model_copy(update={"duration_minutes": minutes})


async def _room_for(
    session: AsyncSession,
    booking: Booking,
    start: datetime,
    profile: BusinessProfile,
    now: datetime,
    *,
    service: Service | None = None,
    vacating: Sequence[str] = (),
) -> SlotCheck:
    """Whether ``booking`` fits at ``start``, as booked or as ``service`` (a changed service
    may run longer), the booking itself and the bookings in ``vacating`` not counting
    against it."""
    service = service or service_of(booking, profile)
    busy = await busy_between(
        session,
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        default_minutes=profile.service().duration_minutes,
    )
    busy = [b for b in busy if b.booking_id not in vacating]
    return check_slot(profile, busy, start, service, now=now, ignore_booking=booking.id)


async def _pet_clash(
    session: AsyncSession,
    booking: Booking,
    start: datetime,
    minutes: int,
    *,
    default_minutes: int,
    vacating: Sequence[str] = (),
) -> Booking | None:
    """The same pet's other confirmed booking that ``booking`` at ``start`` for ``minutes``
    would overlap (one pet is not in two appointments at once), None when there is none. The
    agent checks this when it proposes (``switchboard.agent_models.pet_booked_over``); this is
    the same rule at commit, for a booking made meanwhile (on a call while a WhatsApp proposal
    waited). The pet is the booking's subject, the same customer's, without regard to case;
    "you" (nobody named) clashes with nothing."""
    if booking.subject.strip().lower() in ("", "you"):
        return None
    end = start + timedelta(minutes=minutes)
    rows = await session.exec(
        select(Booking).where(
            Booking.customer_e164 == booking.customer_e164,
            Booking.status == "confirmed",
            Booking.id != booking.id,
            col(Booking.slot_start) < end,
            col(Booking.slot_start) > start - _LONGEST_VISIT,
        )
    )
    for other in rows.all():
        if other.id in vacating or other.subject.lower() != booking.subject.lower():
            continue
        if other.slot_start + timedelta(minutes=other.duration_minutes or default_minutes) > start:
            return other
    return None


async def confirm_booking(
    session: AsyncSession,
    *,
    booking_id: str,
    customer_e164: str,
    profile: BusinessProfile,
    now: datetime,
) -> Commit:
    """Confirm a draft if its slot is still free and the pet has no other booking then
    (idempotent: a confirmed booking stays so). Raises ``LookupError`` when the booking is not
    this customer's."""
    await _lock_calendar(session)
    booking = await _own_booking(session, booking_id, customer_e164)
    if booking.status == "confirmed":
        return Commit(booking)
    check = await _room_for(session, booking, booking.slot_start, profile, now)
    if not check.free:
        return Commit(booking, check)
    clash = await _pet_clash(
        session,
        booking,
        booking.slot_start,
        service_of(booking, profile).duration_minutes,
        default_minutes=profile.service().duration_minutes,
    )
    if clash is not None:
        return Commit(booking, clash=clash)
    booking.status = "confirmed"
    booking.confirmed_at = utcnow()
    session.add(booking)
    return Commit(booking)


async def move_booking(
    session: AsyncSession,
    *,
    booking_id: str,
    customer_e164: str,
    slot_start: datetime,
    profile: BusinessProfile,
    now: datetime,
    service: str | None = None,
    vacating: Sequence[str] = (),
) -> Commit:
    """Move a confirmed booking to ``slot_start`` (UTC) if that slot is free and the pet has no
    other booking then; its old slot is freed by the same write. ``service`` (a key of the
    profile) other than the booking's own changes its service and length too ("can Max's
    checkup be a dental instead?"), at the same slot or a new one, if the calendar has room for
    the new length. ``vacating``: the same
    customer's bookings that the same confirmed proposal moves or cancels next ("swap max and
    luna"), which do not count against the new slot. Idempotent: a booking
    already there, as that service, is left alone. Raises ``LookupError`` when the booking is
    not this customer's confirmed booking, ``KeyError`` for a service the profile lacks."""
    await _lock_calendar(session)
    booking = await _own_booking(session, booking_id, customer_e164)
    if booking.status != "confirmed":
        raise LookupError(f"booking {booking_id} is {booking.status}, not confirmed")
    current = service_of(booking, profile)
    wanted = profile.service(service) if service else current
    if wanted.key == current.key:
        wanted = current  # its recorded length, not today's price list's
    if booking.slot_start == slot_start and wanted is current:
        return Commit(booking)
    check = await _room_for(
        session, booking, slot_start, profile, now, service=wanted, vacating=vacating
    )
    if not check.free:
        return Commit(booking, check)
    clash = await _pet_clash(
        session,
        booking,
        slot_start,
        wanted.duration_minutes,
        default_minutes=profile.service().duration_minutes,
        vacating=vacating,
    )
    if clash is not None:
        return Commit(booking, clash=clash)
    booking.slot_start = slot_start
    if wanted is not current:
        booking.service = wanted.key
        booking.duration_minutes = wanted.duration_minutes
    session.add(booking)
    return Commit(booking)


async def cancel_booking(session: AsyncSession, *, booking_id: str, customer_e164: str) -> Booking:
    """Cancel a confirmed booking (idempotent). Raises ``LookupError`` when it is not this
    customer's, or is neither confirmed nor cancelled."""
    booking = await _own_booking(session, booking_id, customer_e164)
    if booking.status == "cancelled":
        return booking
    if booking.status != "confirmed":
        raise LookupError(f"booking {booking_id} is {booking.status}, not confirmed")
    booking.status = "cancelled"
    booking.cancelled_at = utcnow()
    session.add(booking)
    return booking
