"""Inbound webhook events, recorded once per Twilio SID; WhatsApp messages are also the
transactional inbox that ``operations.relay`` hands to the customer workflows.

Two per-customer advisory locks (transaction-scoped, ``pg_advisory_xact_lock(namespace,
hashtext(e164))``; a hash collision between two customers only serialises them):

- ``INBOX_ORDER_LOCK``, taken by the webhook's insert: one customer's events get their ``seq``
  in commit order, so the relay can never see a later event committed while an earlier one is
  still in flight (it would hand them over reversed).
- ``RELAY_LOCK``, taken by a relay for the customer it drains (``try_lock_customer``): one relay
  at a time per customer, whatever the number of API and relay processes. Webhooks never wait
  on it, so a hand-over stuck on Temporal never slows an acknowledgement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import and_, func, or_, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import InboundEvent

# The kind of event the relay hands over (others are handed over by their own webhook, which
# must answer with TwiML or needs the workflow's answer).
WHATSAPP_MESSAGE = "whatsapp_message"
# LISTEN/NOTIFY channel; the payload is the customer's E.164.
NOTIFY_CHANNEL = "switchboard_inbox"
INBOX_ORDER_LOCK = 1101
RELAY_LOCK = 1102


async def record_inbound(
    session: AsyncSession,
    *,
    sid: str,
    kind: str,
    customer_e164: str | None,
    payload: dict[str, Any],
) -> bool:
    """Insert the event; True if it is new, False if this SID was already recorded (business
    events' path; the webhooks use ``record_with_customer``, the status callbacks
    ``delivery.apply_status``)."""
    if kind == WHATSAPP_MESSAGE and customer_e164 is not None:
        raise ValueError("a WhatsApp message is recorded with record_with_customer")
    result = await session.exec(
        insert(InboundEvent)
        .values(sid=sid, kind=kind, customer_e164=customer_e164, payload=payload)
        .on_conflict_do_nothing(index_elements=["sid"])
        .returning(col(InboundEvent.sid))
    )
    return result.first() is not None


async def record_with_customer(
    conn: psycopg.AsyncConnection[Any],
    *,
    sid: str,
    kind: str,
    e164: str,
    timezone: str,
    addresses: Sequence[str],
    payload: dict[str, Any],
) -> bool:
    """Record the event and its customer (created with ``timezone`` and its channel addresses
    if new) in one statement; True if the event is new, False if this SID was already recorded.

    A new WhatsApp message is queued for the relay: the customer's inbox lock, then the row
    (its ``seq`` drawn under the lock). One statement, one round trip: the webhook's
    acknowledgement waits for it and the commit, nothing else. No NOTIFY here: Postgres holds
    one database-wide lock from a notifying transaction's commit until its WAL is flushed, so a
    NOTIFY in every webhook's transaction would serialise all their commits, each through its
    WAL flush (PostgreSQL's ``async.c``, ``PreCommit_Notify``); relays are woken after the
    commit (``operations.relay``).

    ``conn`` is psycopg's connection (``Database.autocommit``, or the driver connection of a
    SQLAlchemy transaction): this runs on every webhook's acknowledgement path, where
    SQLAlchemy's execution layer cost more CPU than the statement (issue 11)."""
    statement = _RECORD_MESSAGE if kind == WHATSAPP_MESSAGE else _RECORD_EVENT
    cursor = await conn.execute(
        statement,
        {
            "namespace": INBOX_ORDER_LOCK,
            "sid": sid,
            "kind": kind,
            "e164": e164,
            "timezone": timezone,
            "addresses": list(addresses),
            "payload": json.dumps(payload),
        },
    )
    return await cursor.fetchone() is not None


# psycopg's parameter style (``record_with_customer`` runs on psycopg's connection).
_CUSTOMER = """
    customer_row AS (
        INSERT INTO customer (e164, timezone) VALUES (%(e164)s, %(timezone)s)
        ON CONFLICT (e164) DO NOTHING
    ), address_rows AS (
        INSERT INTO channel_address (address, customer_e164)
        SELECT address, %(e164)s FROM unnest(CAST(%(addresses)s AS varchar[])) AS address
        ON CONFLICT (address) DO NOTHING
    )"""
_RECORD_EVENT = f"""
    WITH {_CUSTOMER}, recorded AS (
        INSERT INTO inbound_event (sid, kind, customer_e164, payload)
        VALUES (%(sid)s, %(kind)s, %(e164)s, CAST(%(payload)s AS jsonb))
        ON CONFLICT (sid) DO NOTHING
        RETURNING sid
    )
    SELECT sid FROM recorded
    """
_RECORD_MESSAGE = f"""
    WITH {_CUSTOMER}, locked AS MATERIALIZED (
        SELECT pg_advisory_xact_lock(%(namespace)s, hashtext(%(e164)s))
    ), recorded AS (
        INSERT INTO inbound_event (sid, kind, customer_e164, payload)
        SELECT %(sid)s, %(kind)s, %(e164)s, CAST(%(payload)s AS jsonb) FROM locked
        ON CONFLICT (sid) DO NOTHING
        RETURNING sid
    )
    SELECT sid FROM recorded
    """


# -- the relay's side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingEvent:
    sid: str
    seq: int
    customer_e164: str
    payload: dict[str, Any]
    received_at: datetime
    relay_attempts: int
    relay_after: datetime | None
    waiting: bool = False  # relay_after is still ahead: not before then


def _pending() -> Any:
    """The partial index's predicate (``ix_inbound_event_relay_pending``), word for word."""
    return and_(
        col(InboundEvent.handed_over_at).is_(None), col(InboundEvent.kind) == WHATSAPP_MESSAGE
    )


async def due_customers(session: AsyncSession, *, limit: int) -> list[str]:
    """Customers with pending messages that may be handed over now, the customer with the
    oldest pending message first. A customer waits while its oldest pending message waits out
    a failure's ``relay_after`` (only the oldest ever has one: a drain stops at the first
    failure, and a success clears it)."""
    wait = func.max(col(InboundEvent.relay_after))
    rows = await session.exec(
        select(col(InboundEvent.customer_e164))
        .where(_pending())
        .group_by(col(InboundEvent.customer_e164))
        .having(or_(wait.is_(None), wait <= func.now()))
        .order_by(func.min(col(InboundEvent.seq)))
        .limit(limit)
    )
    return [e164 for e164 in rows.all() if e164]


async def try_lock_customer(session: AsyncSession, e164: str) -> bool:
    """Take the customer's relay lock for this transaction; False when another relay holds it
    (that relay hands the customer's events over; it re-reads before it lets go)."""
    got = await session.exec(
        select(func.pg_try_advisory_xact_lock(RELAY_LOCK, func.hashtext(e164)))
    )
    return bool(got.one())


async def claim_pending(conn: AsyncConnection, e164: str, *, limit: int) -> list[PendingEvent]:
    """In one statement: take the customer's relay lock for this transaction and read its
    pending messages, oldest first, locked (``FOR UPDATE``, never ``SKIP LOCKED``: skipping a
    row would hand a later one over before it). Empty when another relay holds the customer or
    nothing is pending."""
    rows = await conn.execute(
        _CLAIM, {"namespace": RELAY_LOCK, "e164": e164, "limit": limit, "kind": WHATSAPP_MESSAGE}
    )
    return [
        PendingEvent(
            sid=sid,
            seq=seq,
            customer_e164=e164,
            payload=payload,
            received_at=received_at,
            relay_attempts=attempts,
            relay_after=after,
            waiting=waiting,
        )
        for sid, seq, payload, received_at, attempts, after, waiting in rows.all()
    ]


_CLAIM = text(
    """
    WITH locked AS MATERIALIZED (
        SELECT pg_try_advisory_xact_lock(:namespace, hashtext(:e164)) AS got
    )
    SELECT e.sid, e.seq, e.payload, e.received_at, e.relay_attempts, e.relay_after,
           coalesce(e.relay_after > now(), false)
    FROM locked, inbound_event AS e
    WHERE locked.got
      AND e.customer_e164 = :e164 AND e.handed_over_at IS NULL AND e.kind = :kind
    ORDER BY e.seq
    LIMIT :limit
    FOR UPDATE OF e
    """
)


async def mark_handed_over(conn: AsyncConnection, sids: list[str]) -> None:
    if sids:
        await conn.execute(
            update(InboundEvent)
            .where(col(InboundEvent.sid).in_(sids))
            .values(
                handed_over_at=func.now(),
                relay_attempts=InboundEvent.relay_attempts + 1,
                relay_after=None,
            )
        )


async def mark_relay_failed(
    conn: AsyncConnection, sid: str, *, error: str, retry_in: timedelta | None
) -> None:
    """Count a failed hand-over and keep its error; ``retry_in``: not before then (None: as
    soon as the relay tries again, e.g. after Temporal comes back)."""
    await conn.execute(
        update(InboundEvent)
        .where(col(InboundEvent.sid) == sid)
        .values(
            relay_attempts=InboundEvent.relay_attempts + 1,
            relay_error=error[:500],
            relay_after=None if retry_in is None else func.now() + retry_in,
        )
    )


async def pending_count(session: AsyncSession) -> int:
    """How many WhatsApp messages are committed and not handed over yet (the backlog)."""
    return int((await session.exec(select(func.count()).where(_pending()))).one())
