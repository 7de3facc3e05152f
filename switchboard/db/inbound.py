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

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import psycopg
from sqlalchemy import and_, func, or_, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.engine import Database
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

# -- group commit: the webhooks' messages, many to a statement ----------------------------------


@dataclass(frozen=True)
class InboxRow:
    """One WhatsApp message for ``record_messages``: what ``record_with_customer`` takes."""

    sid: str
    e164: str
    timezone: str
    addresses: tuple[str, ...]
    payload: dict[str, Any]


async def record_messages(conn: psycopg.AsyncConnection[Any], rows: Sequence[InboxRow]) -> set[str]:
    """Record many WhatsApp messages and their customers in one statement (autocommit: one
    transaction, one commit); returns the SIDs that are new. Per row it does what
    ``record_with_customer`` does: the customer created with its timezone and addresses if
    new, the row queued for the relay, its ``seq`` drawn under the customer's inbox lock.

    Rows are inserted in the order given, so one customer's messages get their ``seq`` in
    arrival order; a SID given twice is recorded once. The inbox locks are taken in the order
    of their key (``hashtext``), as every batch takes them, so two batches sharing customers
    wait for each other instead of deadlocking. Raises what psycopg raises; then nothing was
    recorded."""
    unique = list({row.sid: row for row in reversed(rows)}.values())[::-1]  # first of each SID
    # The batch goes as one JSON document, not as arrays: psycopg dumps a list parameter an
    # element at a time in Python, escaping each payload's quotes with a regular expression,
    # which cost more of the API's CPU than the rest of the statement (issue 11, profiled).
    batch = [
        {
            "ord": i,
            "sid": r.sid,
            "e164": r.e164,
            "timezone": r.timezone,
            "payload": r.payload,
            "addresses": r.addresses,
        }
        for i, r in enumerate(unique)
    ]
    cursor = await conn.execute(
        _RECORD_MESSAGES,
        {"namespace": INBOX_ORDER_LOCK, "kind": WHATSAPP_MESSAGE, "batch": json.dumps(batch)},
    )
    return {sid for (sid,) in await cursor.fetchall()}


_RECORD_MESSAGES = """
    WITH batch AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset(CAST(%(batch)s AS jsonb))
            AS b(ord int, sid varchar, e164 varchar, timezone varchar, payload jsonb,
                 addresses jsonb)
    ), customer_row AS (
        INSERT INTO customer (e164, timezone)
        SELECT DISTINCT ON (e164) e164, timezone FROM batch ORDER BY e164, ord
        ON CONFLICT (e164) DO NOTHING
    ), address_rows AS (
        INSERT INTO channel_address (address, customer_e164)
        SELECT DISTINCT ON (address) address, b.e164
        FROM batch AS b, jsonb_array_elements_text(b.addresses) AS address
        ORDER BY address, b.ord
        ON CONFLICT (address) DO NOTHING
    ), locked AS MATERIALIZED (
        SELECT count(pg_advisory_xact_lock(%(namespace)s, key)) AS n
        FROM (SELECT DISTINCT hashtext(e164) AS key FROM batch ORDER BY key) AS keys
    ), recorded AS (
        INSERT INTO inbound_event (sid, kind, customer_e164, payload)
        SELECT b.sid, %(kind)s, b.e164, b.payload FROM locked, batch AS b ORDER BY b.ord
        ON CONFLICT (sid) DO NOTHING
        RETURNING sid
    )
    SELECT sid FROM recorded
    """


# Statements of ``InboxWriter`` under way at once: the connections of the API's acknowledgement
# pool (``Database(ack_pool_size=...)``).
INBOX_IN_FLIGHT = 2


class InboxWriter:
    """Group commit for the WhatsApp webhook: each message is acknowledged once its own row is
    committed, but the messages that arrive while a statement is under way are committed
    together by the next one (``record_messages``), up to ``max_batch`` a statement and
    ``in_flight`` statements at once on ``db``'s acknowledgements' pool (``Database``'s
    ``ack_pool_size``, ``in_flight`` connections; its statement pool where it has none).

    Alone, a message is written at once (a batch of one, no added wait); under a burst the
    batches grow with the queue. Per message, a statement of one row cost ~0.6 ms of the API's
    CPU and ~0.6 ms of Postgres' (a pool checkout, a round trip, a commit and its WAL flush);
    16 to a statement, ~0.17 and ~0.16 ms (measured on the benchmark machine, shared at the
    time, 3,000 messages each way, issue 11): on a 2-core machine, CPU the acknowledgements
    wait for.

    ``record`` raises what ``Database.idempotent`` raises for the batch
    (``psycopg.OperationalError`` when Postgres is out of reach: nothing was recorded). A batch
    Postgres refuses for another reason (one message's data) is written again a message at a
    time, so only that message fails; one picked as a deadlock victim (another process's
    batch, or a voice webhook, creating the same new customer) is tried once more."""

    def __init__(
        self, db: Database, *, max_batch: int = 100, in_flight: int = INBOX_IN_FLIGHT
    ) -> None:
        self._db = db
        self._max_batch = max_batch
        self._in_flight = in_flight
        self._queue: list[tuple[InboxRow, asyncio.Future[bool]]] = []
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.statements = 0  # batches written, and the messages in them
        self.rows = 0

    async def record(self, row: InboxRow) -> bool:
        """Commit ``row`` (with whatever else is queued); True when its SID is new."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((row, done))
        self._start()
        return await done

    def _start(self) -> None:
        while self._queue and self._running < self._in_flight:
            self._running += 1
            task = asyncio.create_task(self._flush(), name="inbox group commit")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        try:
            # Taken when the task runs, not when it was started: the messages read by the
            # event loop in between go in the same statement.
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            if batch:
                await self._commit(batch)
        finally:
            self._running -= 1
            self._start()

    async def _commit(self, batch: list[tuple[InboxRow, asyncio.Future[bool]]]) -> None:
        rows = [row for row, _ in batch]
        self.statements += 1
        self.rows += len(rows)
        try:
            try:
                new = await self._db.idempotent(partial(record_messages, rows=rows), acks=True)
            except psycopg.errors.TransactionRollback:  # a deadlock victim: nothing recorded
                new = await self._db.idempotent(partial(record_messages, rows=rows), acks=True)
        except psycopg.OperationalError as exc:  # Postgres out of reach: every one fails
            for _, done in batch:
                _settle(done, exc=exc)
            return
        except asyncio.CancelledError:  # shutting down: their requests must not wait forever
            for _, done in batch:
                done.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - one message's data: find which
            if len(batch) == 1:
                _settle(batch[0][1], exc=exc)
                return
            await asyncio.gather(*(self._commit([item]) for item in batch))
            return
        for row, done in batch:
            _settle(done, result=row.sid in new)
            new.discard(row.sid)  # the same SID twice: only the first is new


def _settle(
    done: asyncio.Future[bool], *, result: bool = False, exc: BaseException | None = None
) -> None:
    if done.done():  # its request went away (cancelled); the row is committed all the same
        return
    if exc is not None:
        done.set_exception(exc)
    else:
        done.set_result(result)


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
