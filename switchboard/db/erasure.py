"""Erasure (GDPR art. 17): every row about one customer, deleted in one transaction, except a
hashed opt-out so a STOP stays honoured (``opt_out_hash``; ``switchboard.db.consent
.current_consent`` reads it when the number has no consent row of its own).

The customer's Temporal payload data key (``payload_key``) is deleted with the rows: the
histories of their workflows (terminated by ``operations.erasure``), which the Temporal server
keeps until the namespace's retention period ends, are encrypted under it and can no longer be
read (crypto-shredding, ``switchboard.payload_codec``). What stays readable there: workflow
IDs and the ``CustomerPhone`` search attribute (the number itself, not encrypted by Temporal
codecs) until retention removes the histories.

Kept on purpose: the audit log (who read or erased whom: the controller's own accountability,
art. 5(2)).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.payload_keys import ERASED_CHANNEL, PAYLOAD_KEY_LOCK
from switchboard.db.retention import RECORDING_SID

# Domain-separated so the hash is Switchboard's own. A hash of a phone number is a pseudonym,
# not anonymous data (the number space is small enough to enumerate): it is kept only for the
# legal duty to honour the objection, and holds nothing else.
_DOMAIN = b"switchboard/opt-out/v1:"


def number_hash(e164: str) -> str:
    """SHA-256 (hex) of the E.164 number under Switchboard's opt-out domain."""
    return hashlib.sha256(_DOMAIN + e164.encode()).hexdigest()


_KEEP_OPT_OUTS = text(
    """
    INSERT INTO opt_out_hash (number_hash, channel, purpose)
    SELECT :hash, channel, purpose FROM (
        SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consent
        WHERE customer_e164 = :e164 ORDER BY channel, purpose, recorded_at DESC, id DESC
    ) latest
    WHERE status = 'opted_out'
    ON CONFLICT DO NOTHING
    """
)
_OUTBOX = "recipient IN (CAST(:e164 AS text), 'whatsapp:' || CAST(:e164 AS text))"
# A status callback that beat its send's SID was recorded with no customer
# (``switchboard.db.delivery.apply_status``) and keeps none: it is the customer's by the number
# Twilio posted (``To``) or by the SID of one of their outbox rows (deleted after this).
_INBOUND_EVENT = f"""customer_e164 = :e164 OR (
    customer_e164 IS NULL AND kind = 'message_status' AND (
        payload->>'To' IN (CAST(:e164 AS text), 'whatsapp:' || CAST(:e164 AS text))
        OR split_part(sid, '/', 1) IN (
            SELECT provider_sid FROM outbox WHERE {_OUTBOX} AND provider_sid IS NOT NULL
        )
    )
)"""
# Children before the customer row (foreign keys); table → the condition naming the customer.
_DELETES: tuple[tuple[str, str], ...] = (
    ("message", "customer_e164 = :e164"),
    ("media_blob", "customer_e164 = :e164"),
    ("booking", "customer_e164 = :e164"),
    ("consent", "customer_e164 = :e164"),
    ("handoff", "customer_e164 = :e164"),
    ("slot_hold", "customer_e164 = :e164"),
    ("call_context", "customer_e164 = :e164"),
    ("send_reservation", "customer_e164 = :e164"),
    ("campaign_member", "e164 = :e164"),  # a broadcast campaign's audience (no foreign key)
    ("inbound_event", _INBOUND_EVENT),  # before the outbox: it reads the customer's SIDs
    ("outbox", _OUTBOX),
    ("channel_address", "customer_e164 = :e164"),
    ("customer", "e164 = :e164"),
    ("payload_key", "scope = :e164"),  # crypto-shredding: the Temporal histories' data key
)
_LOCK_PAYLOAD_KEY = text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:e164))")
_NOTIFY_ERASED = text("SELECT pg_notify(:channel, :e164)")


async def _execute(session: AsyncSession, statement: TextClause, **params: object) -> int:
    conn = await session.connection()
    return int((await conn.execute(statement, params)).rowcount or 0)


async def customer_recordings(session: AsyncSession, *, e164: str) -> list[str]:
    """SIDs of the customer's recordings still held at Twilio (downloaded, not yet DELETEd)."""
    conn = await session.connection()
    rows = await conn.execute(
        text(
            "SELECT source_url FROM media_blob WHERE customer_e164 = :e164"
            " AND source_url LIKE '%/Recordings/%' AND remote_deleted_at IS NULL"
        ),
        {"e164": e164},
    )
    return sorted({m.group(1) for (url,) in rows if (m := RECORDING_SID.search(url))})


async def erase_customer(session: AsyncSession, *, e164: str) -> dict[str, int]:
    """Keep the customer's opt-outs in force as hashes, then delete every row about them.
    Returns rows deleted per table (``opt_out_hash``: hashes kept). Idempotent.

    Locks are taken in the order the send path takes them, so the two wait instead of
    deadlocking: the customer's outbox rows first (a send still finishing for a terminated
    workflow locks its outbox row, then inserts its log row), then the customer row. Holding the
    customer row makes an activity that inserts a row about the customer (a log row, a delivery
    status) wait for this transaction and then fail on the missing customer, instead of
    inserting between our DELETEs and failing the erasure on the foreign key. Other orders are
    possible (a status callback locks log rows, then the outbox row): a deadlock Postgres
    breaks is retried by the caller (``operations.erasure``). Last, the lock that key creation
    takes (``switchboard.db.payload_keys``): a data key being created for the customer now is
    either deleted here or created after this commits, for whoever writes next."""
    await _execute(session, text(f"SELECT 1 FROM outbox WHERE {_OUTBOX} FOR UPDATE"), e164=e164)
    await _execute(session, text("SELECT 1 FROM customer WHERE e164 = :e164 FOR UPDATE"), e164=e164)
    await _execute(session, _LOCK_PAYLOAD_KEY, namespace=PAYLOAD_KEY_LOCK, e164=e164)
    counts = {
        "opt_out_hash": await _execute(session, _KEEP_OPT_OUTS, e164=e164, hash=number_hash(e164))
    }
    for table, where in _DELETES:
        counts[table] = await _execute(
            session, text(f"DELETE FROM {table} WHERE {where}"), e164=e164
        )
    # Delivered once this commits: every process's key store forgets the key at once.
    await _execute(session, _NOTIFY_ERASED, channel=ERASED_CHANNEL, e164=e164)
    return counts


async def hashed_opt_out(session: AsyncSession, *, e164: str, channel: str, purpose: str) -> bool:
    """Whether an erased customer with this number had opted out of ``channel``/``purpose``."""
    conn = await session.connection()
    row = await conn.execute(
        text(
            "SELECT 1 FROM opt_out_hash WHERE number_hash = :hash AND channel = :channel"
            " AND purpose = :purpose"
        ),
        {"hash": number_hash(e164), "channel": channel, "purpose": purpose},
    )
    return row.first() is not None
