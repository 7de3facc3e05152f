"""Handoffs to people and what the console reads beside them: the open handoffs, a customer's
bookings, customers found by number.

A handoff row is opened by the ``journey.handoff`` activity (the agent's own handoff, a journey's
``handoff`` step, the agent being unavailable) and closed when a person hands the conversation
back from the console.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import Booking, Customer, Handoff, Message

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
