"""The conversation log: shared memory across voice and WhatsApp."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard import delivery
from switchboard.db.models import Message


async def log_message(
    session: AsyncSession,
    *,
    key: str,
    customer_e164: str,
    channel: str,
    direction: str,
    kind: str,
    text: str = "",
    media_id: str | None = None,
    media_ids: list[str] | None = None,
    provider_sid: str | None = None,
    call_sid: str | None = None,
    status: str | None = None,
    at: datetime | None = None,
    intent: str | None = None,
) -> Message:
    """Write one log row under idempotency ``key``; a retried write returns the first row.

    A later write with the same key may only fill in ``provider_sid``/``status`` (a send's SID
    arrives after the row exists); the text, time and ``intent`` (the agent's ``Intent`` value,
    on a row holding its reply) stay as first written. ``media_ids``: every item of a message
    with several media (``media_id`` the first), None otherwise.
    """
    values: dict[str, object] = dict(
        key=key,
        customer_e164=customer_e164,
        channel=channel,
        direction=direction,
        kind=kind,
        text=text,
        media_id=media_id,
        media_ids=media_ids,
        provider_sid=provider_sid,
        call_sid=call_sid,
        status=status,
        intent=intent,
    )
    if at is not None:
        values["created_at"] = at
    inserted = await session.exec(
        insert(Message)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Message)
        .execution_options(populate_existing=True)
    )
    row = inserted.scalars().first()
    if row is not None:  # the first write: nothing to fill in (one statement, issue 14)
        return row
    row = (await session.exec(select(Message).where(Message.key == key))).one()
    changed = False
    if provider_sid and row.provider_sid != provider_sid:
        row.provider_sid = provider_sid
        changed = True
    # A delivery status only moves forward: a status callback may have got here first.
    if (
        status
        and row.status != status
        and (not delivery.known(status) or delivery.advances(row.status, status))
    ):
        row.status = status
        changed = True
    if changed:
        session.add(row)
    return row


async def insert_message_direct(
    conn: psycopg.AsyncConnection[Any],
    *,
    key: str,
    customer_e164: str,
    channel: str,
    direction: str,
    kind: str,
    text: str = "",
    media_id: str | None = None,
    media_ids: list[str] | None = None,
    provider_sid: str | None = None,
    call_sid: str | None = None,
    at: datetime | None = None,
    intent: str | None = None,
) -> int | None:
    """``log_message``'s first write as one statement on psycopg's own connection
    (``Database.autocommit``), for a turn's inbound row (issue 14: through an ORM transaction
    it cost a BEGIN, a COMMIT and an entity loaded back). The new row's ID, or None when
    ``key`` is logged already: then ``log_message`` does what a later write may (fill in the
    SID and the status). ``at`` None: the database's time, as ``log_message``. Raises
    ``psycopg.Error``."""
    cursor = await conn.execute(
        "INSERT INTO message (key, customer_e164, channel, direction, kind, text, media_id,"
        " media_ids, provider_sid, call_sid, intent, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " coalesce(%s::timestamptz, now()))"
        " ON CONFLICT (key) DO NOTHING RETURNING id",
        (
            key,
            customer_e164,
            channel,
            direction,
            kind,
            text,
            media_id,
            media_ids,
            provider_sid,
            call_sid,
            intent,
            at,
        ),
    )
    row = await cursor.fetchone()
    return None if row is None else int(row[0])


async def cut_reply(session: AsyncSession, *, key: str, heard: str) -> bool:
    """A spoken reply the caller interrupted (barge-in): its row keeps only what was played
    before the interruption (``heard``, whole sentences, "" when nothing was) followed by "…",
    with status ``interrupted``, so the agent's next turn knows what the caller really heard.
    Returns False when no row has ``key``. Idempotent."""
    row = (await session.exec(select(Message).where(Message.key == key))).first()
    if row is None:
        return False
    if row.status != "interrupted":
        row.text = f"{heard} …".strip()
        row.status = "interrupted"
        session.add(row)
    return True


async def recent_messages(
    session: AsyncSession, *, customer_e164: str, limit: int
) -> list[Message]:
    """The latest ``limit`` rows, oldest first."""
    rows = await session.exec(
        select(Message)
        .where(Message.customer_e164 == customer_e164)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(limit)
    )
    return list(reversed(rows.all()))


async def timeline(session: AsyncSession, *, customer_e164: str) -> list[Message]:
    """Every row for the customer, oldest first."""
    rows = await session.exec(
        select(Message)
        .where(Message.customer_e164 == customer_e164)
        .order_by(col(Message.created_at), col(Message.id))
    )
    return list(rows.all())


async def count_before(session: AsyncSession, *, customer_e164: str, before_id: int) -> int:
    """How many rows precede ``before_id`` (the part of the history outside the window)."""
    result = await session.exec(
        select(func.count())
        .select_from(Message)
        .where(Message.customer_e164 == customer_e164, col(Message.id) < before_id)
    )
    return int(result.one())


async def set_status_by_sid(
    session: AsyncSession, *, provider_sid: str, status: str, error_code: str | None = None
) -> bool:
    """Record a delivery status from a status callback on the log rows with ``provider_sid``,
    never moving one backwards (``switchboard.delivery.advances``: a late ``sent`` leaves
    ``delivered`` alone, a final state stays). ``error_code`` (Twilio's ``ErrorCode``) is kept
    with ``failed``/``undelivered``. The rows are locked while read, so two callbacks for one
    message decide one after the other. False when no row has the SID (yet)."""
    rows = (
        await session.exec(
            select(Message).where(Message.provider_sid == provider_sid).with_for_update()
        )
    ).all()
    for row in rows:
        if delivery.advances(row.status, status):
            row.status = status
            row.error_code = error_code if status in delivery.FAILED else None
            session.add(row)
    return bool(rows)


async def last_inbound_at(
    session: AsyncSession, *, customer_e164: str, channel: str
) -> datetime | None:
    """When the customer last wrote on ``channel`` (UTC), or None if never."""
    result = await session.exec(
        select(func.max(Message.created_at)).where(
            Message.customer_e164 == customer_e164,
            Message.channel == channel,
            Message.direction == "inbound",
        )
    )
    return result.one()


async def last_inbound_at_direct(
    conn: psycopg.AsyncConnection[Any], *, customer_e164: str, channel: str
) -> datetime | None:
    """``last_inbound_at`` as one statement on psycopg's own connection (``Database.autocommit``),
    for the send's hot path (``outbox.claim_direct``)."""
    cursor = await conn.execute(
        "SELECT max(created_at) FROM message"
        " WHERE customer_e164 = %s AND channel = %s AND direction = 'inbound'",
        (customer_e164, channel),
    )
    row = await cursor.fetchone()
    return None if row is None else row[0]
