"""The outbox: a row per provider side effect, written before the provider is called.

Twilio's Messages and Calls APIs take no idempotency key (twilio 9.13 ``messages.create``,
``calls.create``), so the row is what makes a retried send safe: a row with a provider SID was
sent; a pending row with no SID may have been sent by a crashed attempt and must be reconciled
against Twilio before sending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard import delivery
from switchboard.db.models import Outbox, utcnow


async def claim(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    recipient: str,
    body: str | None,
    content_sid: str | None = None,
    content_variables: dict[str, str] | None = None,
) -> Outbox:
    """Create the row if new and count this attempt; returns the row as it now stands, locked
    until the transaction ends. The first attempt's content wins: a retry sends exactly what
    the first attempt meant to."""
    # One statement (as ``claim_many``): an insert, a SELECT … FOR UPDATE and the attempt's
    # UPDATE were three round trips through the ORM on every send (issue 14).
    result = await session.exec(
        insert(Outbox)
        .values(
            key=key,
            kind=kind,
            recipient=recipient,
            body=body,
            content_sid=content_sid,
            content_variables=content_variables,
            status="pending",
            attempts=1,
        )
        .on_conflict_do_update(index_elements=["key"], set_={"attempts": col(Outbox.attempts) + 1})
        .returning(Outbox)
        .execution_options(populate_existing=True)
    )
    return result.scalars().one()


async def claim_direct(
    conn: psycopg.AsyncConnection[Any],
    *,
    key: str,
    kind: str,
    recipient: str,
    body: str | None,
    content_sid: str | None = None,
    content_variables: dict[str, str] | None = None,
) -> Outbox:
    """``claim`` as one statement on psycopg's own connection (``Database.autocommit``),
    without the ORM's execution layer (issue 14: a send's claim and window read took ~4% of
    the worker's CPU per voice-note turn through it). Returns the row as it now stands (not
    attached to a session; the row lock ends with the statement, before the send, as it ended
    with ``claim``'s transaction)."""
    cursor = conn.cursor(row_factory=dict_row)
    await cursor.execute(
        _CLAIM,
        {
            "key": key,
            "kind": kind,
            "recipient": recipient,
            "body": body,
            "content_sid": content_sid,
            "content_variables": None if content_variables is None else Jsonb(content_variables),
        },
    )
    row = await cursor.fetchone()
    assert row is not None  # an upsert's RETURNING always has its row
    return Outbox(**row)


_CLAIM = """
    INSERT INTO outbox (key, kind, recipient, body, content_sid, content_variables, status,
                        attempts)
    VALUES (%(key)s, %(kind)s, %(recipient)s, %(body)s, %(content_sid)s,
            %(content_variables)s, 'pending', 1)
    ON CONFLICT (key) DO UPDATE SET attempts = outbox.attempts + 1
    RETURNING *
    """


@dataclass(frozen=True)
class Claim:
    """One send to claim (``claim_many``): what ``claim`` takes."""

    key: str
    recipient: str
    body: str | None
    content_sid: str | None = None
    content_variables: dict[str, str] | None = None


async def claim_many(session: AsyncSession, claims: list[Claim], *, kind: str) -> list[Outbox]:
    """``claim`` for many sends in one statement: each row created if new, this attempt
    counted; returns the rows as they now stand, locked until the transaction ends (the first
    attempt's content wins)."""
    if not claims:
        return []
    result = await session.exec(
        insert(Outbox)
        .values(
            [
                {
                    "key": c.key,
                    "kind": kind,
                    "recipient": c.recipient,
                    "body": c.body,
                    "content_sid": c.content_sid,
                    "content_variables": c.content_variables,
                    "status": "pending",
                    "attempts": 1,
                }
                for c in claims
            ]
        )
        .on_conflict_do_update(index_elements=["key"], set_={"attempts": col(Outbox.attempts) + 1})
        .returning(Outbox)
    )
    return list(result.scalars().all())


async def mark_sent_many(session: AsyncSession, sids: dict[str, str]) -> None:
    """``mark_sent`` for each ``key → provider SID``."""
    if not sids:
        return
    keys = sorted(sids)
    conn = await session.connection()
    await conn.execute(
        text(
            """
            UPDATE outbox SET status = 'sent', provider_sid = s.sid, sent_at = now()
            FROM unnest(CAST(:keys AS varchar[]), CAST(:sids AS varchar[])) AS s(key, sid)
            WHERE outbox.key = s.key
            """
        ),
        {"keys": keys, "sids": [sids[k] for k in keys]},
    )


async def mark_sent(
    session: AsyncSession, *, key: str, provider_sid: str
) -> tuple[str | None, str | None]:
    """Store the send's SID on row ``key`` (status ``sent``), locked until the transaction
    ends. Returns the row's ``(delivery_status, error_code)`` as it then stands. Raises
    ``LookupError`` when there is no such row."""
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.key) == key)
        .values(status="sent", provider_sid=provider_sid, sent_at=utcnow())
        .returning(col(Outbox.delivery_status), col(Outbox.error_code))
    )
    row = result.first()
    if row is None:
        raise LookupError(f"no outbox row {key}")
    return row[0], row[1]


async def switch_content(
    session: AsyncSession,
    *,
    key: str,
    body: str,
    content_sid: str,
    content_variables: dict[str, str],
) -> None:
    """Replace a pending row's content with a template's (the free text was refused, unsent)."""
    row = await session.get(Outbox, key, with_for_update=True)
    if row is None:
        raise LookupError(f"no outbox row {key}")
    row.body, row.content_sid, row.content_variables = body, content_sid, content_variables
    session.add(row)


async def mark_failed(session: AsyncSession, *, key: str, error: str) -> None:
    row = await session.get(Outbox, key, with_for_update=True)
    if row is None:
        raise LookupError(f"no outbox row {key}")
    row.status = "failed"
    row.error = error[:500]
    session.add(row)


async def sids_owned_elsewhere(session: AsyncSession, *, sids: list[str], key: str) -> set[str]:
    """Which of ``sids`` another outbox row already owns (reconciliation must not adopt them)."""
    if not sids:
        return set()
    rows = await session.exec(
        select(Outbox.provider_sid).where(col(Outbox.provider_sid).in_(sids), Outbox.key != key)
    )
    return {sid for sid in rows.all() if sid}


async def record_delivery(
    session: AsyncSession, *, provider_sid: str, status: str, error_code: str | None = None
) -> tuple[Outbox, bool] | None:
    """Apply a status callback to the row that owns ``provider_sid``: ``(row, advanced)``, with
    ``advanced`` False when the row already had this status or a later one
    (``switchboard.delivery.advances``); None when no row has the SID (yet). ``error_code``
    (Twilio's ``ErrorCode``) is kept with ``failed``/``undelivered``. The row is locked."""
    row = (
        await session.exec(
            select(Outbox).where(Outbox.provider_sid == provider_sid).with_for_update()
        )
    ).first()
    if row is None:
        return None
    if not delivery.advances(row.delivery_status, status):
        return row, False
    row.delivery_status = status
    row.error_code = error_code if status in delivery.FAILED else None
    session.add(row)
    return row, True
