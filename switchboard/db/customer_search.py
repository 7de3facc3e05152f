"""What the console's customer pages read beside the timeline: customers found by a name
(customers have no name field of their own: the names Switchboard knows are the pets' and
subjects' on their bookings), and the kind of each medium a timeline shows (audio gets a
player), without loading the bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import Booking, Customer, MediaBlob, Message


async def find_by_booking_name(
    session: AsyncSession, *, name: str, limit: int = 50
) -> list[tuple[Customer, datetime | None]]:
    """Customers with a booking whose subject contains ``name`` (case-insensitive; ``%`` and
    ``_`` match themselves), each with the time of their latest conversation row, most
    recently active first."""
    pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matching = (
        select(Booking.customer_e164)
        .where(col(Booking.subject).ilike(pattern, escape="\\"))
        .distinct()
        .subquery()
    )
    latest = (
        select(Message.customer_e164, func.max(Message.created_at).label("last_at"))
        .group_by(col(Message.customer_e164))
        .subquery()
    )
    query = (
        select(Customer, latest.c.last_at)
        .join(matching, matching.c.customer_e164 == Customer.e164)
        .outerjoin(latest, latest.c.customer_e164 == Customer.e164)
        .order_by(latest.c.last_at.desc().nulls_last(), col(Customer.e164))
        .limit(limit)
    )
    rows = (await session.exec(query)).all()
    return [(customer, last_at) for customer, last_at in rows]


async def media_types(
    session: AsyncSession, *, customer_e164: str, media_ids: Sequence[str]
) -> dict[str, str]:
    """media ID → content type for ``media_ids`` (the IDs the customer's own log rows name; a
    medium that is gone — retention deletes raw audio once transcribed — is left out).
    ``customer_e164`` is the owner the IDs were read for (a medium of another customer is
    left out)."""
    if not media_ids:
        return {}
    rows = await session.exec(
        select(MediaBlob.id, MediaBlob.content_type).where(
            col(MediaBlob.id).in_(list(media_ids)),
            col(MediaBlob.customer_e164).is_(None) | (MediaBlob.customer_e164 == customer_e164),
        )
    )
    return dict(rows.all())


async def customer_media(
    session: AsyncSession, *, customer_e164: str, media_id: str
) -> MediaBlob | None:
    """The medium if it belongs to the customer (its row says so, or a log row of theirs
    names it, as its ``media_id`` or among its ``media_ids``); None otherwise."""
    blob = await session.get(MediaBlob, media_id)
    if blob is None:
        return None
    if blob.customer_e164 == customer_e164:
        return blob
    named = await session.exec(
        select(Message.id).where(
            Message.customer_e164 == customer_e164,
            or_(col(Message.media_id) == media_id, col(Message.media_ids).contains([media_id])),
        )
    )
    return blob if named.first() is not None else None
