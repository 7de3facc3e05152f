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

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard import delivery
from switchboard.db import outbox
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


async def apply_status(
    conn: psycopg.AsyncConnection[Any],
    *,
    provider_sid: str,
    status: str,
    error_code: str | None,
    payload: dict[str, str],
) -> DeliveryUpdate:
    """Apply one status callback to the log rows and the outbox row with ``provider_sid`` and
    record it once (``inbound_event``, kind ``message_status``, SID ``status_event_sid``, the
    outbox recipient's E.164), in one transaction on psycopg's connection
    (``Database.autocommit``): the status callback route's whole write. Returns what moved.

    Two statements: the message's advisory lock, then one that records the event and moves
    the log rows and the outbox row (psycopg's pipeline mode would save round trips but cost
    more CPU: 1.05 ms against 0.75 ms per callback, measured on the benchmark machine). The
    lock must be its own statement: a statement's snapshot is taken when it starts, so the
    move has to start after the lock is held to see a SID that ``catch_up`` (which holds the
    same lock) committed meanwhile. Each row moves only forward (``delivery.replaceable`` in
    the ``WHERE``: re-checked on the row's newest version when another callback moved it
    first). Through SQLAlchemy's ORM the same work took five statements and several times
    the CPU (the route runs three times per message sent)."""
    movable = delivery.known(status)
    params = {
        "lock": f"delivery:{provider_sid}",
        "sid": provider_sid,
        "event_sid": status_event_sid(provider_sid, status),
        "payload": json.dumps(payload),
        "status": status,
        "code": error_code if status in delivery.FAILED else None,
        "movable": movable,
        "statuses": list(delivery.STATUSES),
        "below": sorted(delivery.replaceable(status)) if movable else [],
    }
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%(lock)s, 0))", params)
        cursor = await conn.execute(_APPLY_STATUS, params)
        row = await cursor.fetchone()
    if row is None:
        return DeliveryUpdate(None, None, status, error_code, advanced=False)
    key, recipient, advanced = row
    return DeliveryUpdate(key, recipient, status, error_code, advanced=bool(advanced))


# A row may move when it has no status, one Twilio does not document, or one ``status``
# replaces (``switchboard.delivery.advances``).
_MOVES = """%(movable)s AND ({column} IS NULL OR NOT {column} = ANY(%(statuses)s)
    OR {column} = ANY(%(below)s))"""
_APPLY_STATUS = f"""
    WITH owner AS (
        SELECT key, recipient FROM outbox WHERE provider_sid = %(sid)s LIMIT 1
    ), event AS (
        INSERT INTO inbound_event (sid, kind, customer_e164, payload)
        VALUES (
            %(event_sid)s,
            'message_status',
            (SELECT regexp_replace(recipient, '^whatsapp:', '') FROM owner),
            CAST(%(payload)s AS jsonb)
        )
        ON CONFLICT (sid) DO NOTHING
    ), log_rows AS (
        UPDATE message SET status = %(status)s, error_code = %(code)s
        WHERE provider_sid = %(sid)s AND {_MOVES.format(column="status")}
    ), moved AS (
        UPDATE outbox SET delivery_status = %(status)s, error_code = %(code)s
        WHERE provider_sid = %(sid)s AND {_MOVES.format(column="delivery_status")}
        RETURNING key
    )
    SELECT key, recipient, EXISTS (SELECT 1 FROM moved) FROM owner
    """


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


async def catch_up(
    session: AsyncSession,
    *,
    provider_sid: str,
    stored: tuple[str | None, str | None] | None = None,
) -> tuple[str | None, str | None]:
    """Once a send's SID is stored (outbox and log rows, this transaction): apply the callbacks
    that arrived before it. Returns the outbox row's ``(delivery_status, error_code)``.

    ``stored``: the row's ``(delivery_status, error_code)`` as this transaction stored the SID
    (``outbox.mark_sent``), returned as it is when no callback was parked: the row is locked by
    that write, so only the callbacks applied here could have moved it since."""
    await lock_message(session, provider_sid=provider_sid)
    state: tuple[str | None, str | None] = (None, None)
    parked = await parked_statuses(session, provider_sid=provider_sid)
    if not parked and stored is not None:
        return stored
    # Where they end, in one statement per table (as ``catch_up_many``), not two per callback:
    # a fast vendor's callbacks (sent, delivered, read) often all beat the SID (issue 14).
    await _apply_parked(session, {provider_sid: parked})
    row = (
        await session.exec(
            select(col(outbox.Outbox.delivery_status), col(outbox.Outbox.error_code)).where(
                outbox.Outbox.provider_sid == provider_sid
            )
        )
    ).first()
    if row is not None:
        state = (row[0], row[1])
    return state


@dataclass(frozen=True)
class SentLine:
    """The conversation log row of one send (``record_sent``): ``kind`` ``text`` or
    ``voice_note``; ``intent`` the agent's, on a reply."""

    key: str
    customer_e164: str
    channel: str
    kind: str
    text: str
    media_id: str | None = None
    intent: str | None = None


async def record_sent(
    conn: psycopg.AsyncConnection[Any], *, provider_sid: str, sent_at: datetime, line: SentLine
) -> tuple[str | None, str | None]:
    """Store a send's SID on its outbox row (``line.key``: status ``sent``, ``sent_at``), log
    it (``status`` ``queued``, Twilio's first), and apply the callbacks that beat the SID
    (``catch_up``'s work), in one transaction on psycopg's connection
    (``Database.autocommit``). Returns the outbox row's ``(delivery_status, error_code)``.
    Idempotent: run again (a retry after the commit), the rows stay as they are but for a
    later status.

    Three statements where ``outbox.mark_sent``, ``log_message`` and ``catch_up`` took four to
    seven through the ORM (issue 14: they were 8% of the worker's CPU per voice-note turn):
    the message's advisory lock first (the status route's order: lock, then rows), so the
    read of the parked callbacks, a statement started after it, sees every callback that
    committed before; then one statement writes the outbox row and the log row where those
    callbacks end (``delivery.latest``, each row moving only forward, as ``_apply_parked``).
    Raises ``LookupError`` when no outbox row has ``line.key``."""
    params: dict[str, Any] = {
        "lock": f"delivery:{provider_sid}",
        "events": [status_event_sid(provider_sid, st) for st in delivery.STATUSES],
    }
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%(lock)s, 0))", params)
        cursor = await conn.execute(_PARKED, params)
        parked = [
            (str(st or ""), str(code) if code else None) for st, code in await cursor.fetchall()
        ]
        last = delivery.latest([st for st, _ in parked])
        code = next(c for st, c in parked if st == last) if last is not None else None
        # The log row's status: "queued", then the callbacks' (``log_message`` then
        # ``catch_up``: statuses only move forward, so applying where they end is the same).
        logged = last if last is not None and delivery.advances("queued", last) else "queued"
        params |= {
            "key": line.key,
            "sid": provider_sid,
            "sent_at": sent_at,
            "statuses": list(delivery.STATUSES),
            "last": last,
            "code": code if last in delivery.FAILED else None,
            "below": sorted(delivery.replaceable(last)) if last is not None else [],
            "logged": logged,
            "logged_code": code if logged in delivery.FAILED else None,
            "logged_below": sorted(delivery.replaceable(logged)),
            "customer": line.customer_e164,
            "channel": line.channel,
            "kind": line.kind,
            "text": line.text,
            "media_id": line.media_id,
            "intent": line.intent,
        }
        cursor = await conn.execute(_RECORD_SENT, params)
        row = await cursor.fetchone()
        if row is None:  # raised inside: the log row is rolled back with the rest
            raise LookupError(f"no outbox row {line.key}")
    return row[0], row[1]


_PARKED = """
    SELECT payload->>'MessageStatus', payload->>'ErrorCode' FROM inbound_event
    WHERE sid = ANY(%(events)s)
    """
_ROW_MOVES = """({column} IS NULL OR NOT {column} = ANY(%(statuses)s)
    OR {column} = ANY(%({below})s))"""
_RECORD_SENT = f"""
    WITH logged AS (
        INSERT INTO message AS m (key, customer_e164, channel, direction, kind, text, media_id,
                                  provider_sid, status, error_code, intent)
        VALUES (%(key)s, %(customer)s, %(channel)s, 'outbound', %(kind)s, %(text)s,
                %(media_id)s, %(sid)s, %(logged)s, %(logged_code)s, %(intent)s)
        ON CONFLICT (key) DO UPDATE SET
            provider_sid = EXCLUDED.provider_sid,
            status = CASE WHEN {_ROW_MOVES.format(column="m.status", below="logged_below")}
                THEN EXCLUDED.status ELSE m.status END,
            error_code = CASE WHEN {_ROW_MOVES.format(column="m.status", below="logged_below")}
                THEN EXCLUDED.error_code ELSE m.error_code END
    )
    UPDATE outbox SET status = 'sent', provider_sid = %(sid)s, sent_at = %(sent_at)s,
        delivery_status = CASE WHEN %(last)s::varchar IS NOT NULL
            AND {_ROW_MOVES.format(column="delivery_status", below="below")}
            THEN %(last)s ELSE delivery_status END,
        error_code = CASE WHEN %(last)s::varchar IS NOT NULL
            AND {_ROW_MOVES.format(column="delivery_status", below="below")}
            THEN %(code)s ELSE error_code END
    WHERE key = %(key)s
    RETURNING delivery_status, error_code
    """


async def lock_messages(session: AsyncSession, provider_sids: list[str]) -> None:
    """``lock_message`` for each SID, in SID order (no deadlock with another holder of
    several; the status route holds one)."""
    conn = await session.connection()
    await conn.execute(
        text(
            """
            SELECT pg_advisory_xact_lock(hashtextextended('delivery:' || sid, 0))
            FROM (SELECT DISTINCT sid FROM unnest(CAST(:sids AS varchar[])) AS sid
                  ORDER BY sid) AS ordered
            """
        ),
        {"sids": provider_sids},
    )


async def catch_up_many(session: AsyncSession, provider_sids: list[str]) -> None:
    """``catch_up`` for many sends whose SIDs this transaction stored, after ``lock_messages``
    (taken before the SIDs were stored: a callback's route then either committed its event
    before, and it is read here, or waits and finds the SID). The callbacks of each message
    are applied as ``latest`` orders them; a row only moves forward."""
    if not provider_sids:
        return
    events = [status_event_sid(s, status) for s in provider_sids for status in delivery.STATUSES]
    parked = await session.exec(select(InboundEvent).where(col(InboundEvent.sid).in_(events)))
    by_message: dict[str, list[tuple[str, str | None]]] = {}
    for event in parked.all():
        sid, _, status = event.sid.rpartition("/")
        code = event.payload.get("ErrorCode")
        by_message.setdefault(sid, []).append((status, str(code) if code else None))
    await _apply_parked(session, by_message)


async def _apply_parked(
    session: AsyncSession, by_message: dict[str, list[tuple[str, str | None]]]
) -> None:
    """Move the outbox and log rows of each message SID in ``by_message`` to where its parked
    ``(status, error code)`` callbacks end (``delivery.latest``), never backwards."""
    # One UPDATE per final status (a handful), not one per message and callback.
    final: dict[str, list[tuple[str, str | None]]] = {}
    for sid, seen in by_message.items():
        last = delivery.latest([s for s, _ in seen])
        if last is not None:
            code = next(c for s, c in seen if s == last)
            final.setdefault(last, []).append((sid, code if last in delivery.FAILED else None))
    conn = await session.connection()
    for status, moves in final.items():
        params = {
            "status": status,
            "sids": [sid for sid, _ in moves],
            "codes": [code for _, code in moves],
            "statuses": list(delivery.STATUSES),
            "below": sorted(delivery.replaceable(status)),
        }
        for table, column in (("outbox", "delivery_status"), ("message", "status")):
            await conn.execute(text(_CATCH_UP.format(table=table, column=column)), params)


_CATCH_UP = """
    UPDATE {table} AS t SET {column} = :status, error_code = m.code
    FROM unnest(CAST(:sids AS varchar[]), CAST(:codes AS varchar[])) AS m(sid, code)
    WHERE t.provider_sid = m.sid
      AND (t.{column} IS NULL OR NOT t.{column} = ANY(CAST(:statuses AS varchar[]))
           OR t.{column} = ANY(CAST(:below AS varchar[])))
    """
