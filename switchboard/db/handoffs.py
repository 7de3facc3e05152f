"""Handoffs to people and what the console reads beside them: the open handoffs, a customer's
bookings, customers found by number.

A handoff row is opened by the ``journey.handoff`` activity (the agent's own handoff, a journey's
``handoff`` step, the agent being unavailable) and closed when a person hands the conversation
back from the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.access import BOOTSTRAP_PERSON
from switchboard.db.models import AuditEntry, Booking, Customer, Handoff, Message

OPEN = "open"
CLOSED = "closed"


async def open_handoffs(session: AsyncSession, *, limit: int = 200) -> list[Handoff]:
    """Open handoffs, newest first (at most ``limit``)."""
    query = (
        select(Handoff)
        .where(Handoff.status == OPEN)
        .order_by(col(Handoff.created_at).desc(), col(Handoff.key))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class StaffOnIt:
    """A person who has been in a customer's conversation in the console since a time: when
    they last opened it and last replied (None: not since then), from the audit log
    (``conversation.read``, ``conversation.reply``)."""

    person: str
    opened_at: datetime | None
    replied_at: datetime | None


async def staff_on(
    session: AsyncSession, *, since: dict[str, datetime]
) -> dict[str, list[StaffOnIt]]:
    """Per customer (E.164 → the time to look from, e.g. their oldest open handoff's), the
    people who opened or replied to their conversation since then, latest first; customers
    nobody looked at are absent. Reads with the shared bootstrap key do not count."""
    if not since:
        return {}
    reply, read = "conversation.reply", "conversation.read"
    query = (
        select(
            AuditEntry.target,
            AuditEntry.person,
            func.max(AuditEntry.at).filter(col(AuditEntry.action) == read),
            func.max(AuditEntry.at).filter(col(AuditEntry.action) == reply),
        )
        .where(
            col(AuditEntry.action).in_((read, reply)),
            col(AuditEntry.target).in_(list(since)),
            col(AuditEntry.at) >= min(since.values()),
            # The shared bootstrap key is scripts' (the demo, evals, `switchboard conversation`
            # run by an engineer), not someone who will answer the customer.
            col(AuditEntry.person) != BOOTSTRAP_PERSON,
        )
        .group_by(col(AuditEntry.target), col(AuditEntry.person))
    )
    found: dict[str, list[StaffOnIt]] = {}
    for target, person, opened_at, replied_at in (await session.exec(query)).all():
        start = since[target]
        on_it = StaffOnIt(
            person=person,
            opened_at=opened_at if opened_at is not None and opened_at >= start else None,
            replied_at=replied_at if replied_at is not None and replied_at >= start else None,
        )
        if on_it.opened_at or on_it.replied_at:
            found.setdefault(target, []).append(on_it)
    for people in found.values():
        people.sort(key=lambda p: max(t for t in (p.opened_at, p.replied_at) if t), reverse=True)
    return found


async def handoff_channels(session: AsyncSession, *, keys: list[str]) -> dict[str, str]:
    """The channel each handoff was logged on (its conversation row has the handoff's key):
    ``voice`` for a caller's, ``whatsapp`` otherwise."""
    if not keys:
        return {}
    query = select(Message.key, Message.channel).where(col(Message.key).in_(keys))
    return {key: channel for key, channel in (await session.exec(query)).all()}


async def handoffs_of(session: AsyncSession, *, customer_e164: str) -> list[Handoff]:
    """The customer's handoffs, open or closed, newest first."""
    query = (
        select(Handoff)
        .where(Handoff.customer_e164 == customer_e164)
        .order_by(col(Handoff.created_at).desc(), col(Handoff.key))
    )
    return list((await session.exec(query)).all())


async def close_handoffs(session: AsyncSession, *, customer_e164: str) -> list[tuple[str, str]]:
    """Close every open handoff of the customer; returns the ``(key, queue)`` of those that
    were open (none when called again)."""
    result = await session.exec(
        update(Handoff)
        .where(col(Handoff.customer_e164) == customer_e164, col(Handoff.status) == OPEN)
        .values(status=CLOSED)
        .returning(col(Handoff.key), col(Handoff.queue))
    )
    return [(str(key), str(queue)) for key, queue in result.all()]


async def bookings_of(session: AsyncSession, *, customer_e164: str) -> list[Booking]:
    """The customer's bookings, by slot (drafts, declined and cancelled ones too)."""
    query = (
        select(Booking)
        .where(Booking.customer_e164 == customer_e164)
        .order_by(col(Booking.slot_start), col(Booking.id))
    )
    return list((await session.exec(query)).all())


async def find_customers(
    session: AsyncSession, *, digits: str, limit: int = 50
) -> list[tuple[Customer, datetime | None]]:
    """Customers whose number contains ``digits`` (digits only; empty: everyone), each with
    the time of their latest conversation row, most recently active first."""
    latest = (
        select(Message.customer_e164, func.max(Message.created_at).label("last_at"))
        .group_by(col(Message.customer_e164))
        .subquery()
    )
    query = select(Customer, latest.c.last_at).outerjoin(
        latest, latest.c.customer_e164 == Customer.e164
    )
    if digits:
        query = query.where(col(Customer.e164).contains(digits))
    query = query.order_by(latest.c.last_at.desc().nulls_last(), col(Customer.e164)).limit(limit)
    rows = (await session.exec(query)).all()
    return [(customer, last_at) for customer, last_at in rows]
