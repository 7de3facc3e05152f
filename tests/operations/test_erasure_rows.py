"""Erasure leaves no webhook form with the customer's number: not even Twilio's status
callbacks that reached the API before the send stored its SID, which were recorded with no
customer (``switchboard.db.delivery.apply_status``). Real Postgres."""

from __future__ import annotations

from functools import partial

from sqlalchemy import text

from operations.erasure import erase_rows
from switchboard.db import outbox
from switchboard.db.customers import ensure_customer
from switchboard.db.delivery import apply_status
from switchboard.db.engine import Database

CUSTOMER = "+33612345602"
OTHER = "+33612345603"


async def events_naming(db: Database, e164: str) -> int:
    """``inbound_event`` rows that carry the number anywhere (column or form)."""
    async with db.session() as s:
        conn = await s.connection()
        found = await conn.execute(
            text("SELECT count(*) FROM inbound_event WHERE CAST(inbound_event AS text) LIKE :n"),
            {"n": f"%{e164.removeprefix('+')}%"},
        )
        return int(found.scalar_one())


async def callback(db: Database, *, sid: str, to: str, status: str) -> None:
    form = {"MessageSid": sid, "MessageStatus": status, "To": f"whatsapp:{to}"}
    await db.idempotent(
        partial(apply_status, provider_sid=sid, status=status, error_code=None, payload=form)
    )


async def test_erasure_deletes_status_callbacks_that_beat_the_sid(db: Database) -> None:
    async with db.session() as s:
        for number in (CUSTOMER, OTHER):
            await ensure_customer(s, e164=number, timezone="Europe/Paris")
        await outbox.claim(
            s, key="reply-1", kind="whatsapp", recipient=f"whatsapp:{CUSTOMER}", body="See you!"
        )
    # Twilio's callbacks arrive first (no outbox row has the SID yet), then the SID is stored.
    await callback(db, sid="SM1", to=CUSTOMER, status="sent")
    await callback(db, sid="SM1", to=CUSTOMER, status="delivered")
    async with db.session() as s:
        await outbox.mark_sent(s, key="reply-1", provider_sid="SM1")
    # Another customer's early callback stays.
    await callback(db, sid="SM2", to=OTHER, status="sent")
    assert await events_naming(db, CUSTOMER) == 2

    rows = await erase_rows(db, e164=CUSTOMER)

    assert rows["inbound_event"] == 2
    assert await events_naming(db, CUSTOMER) == 0, "the number is gone from the webhook forms"
    assert await events_naming(db, OTHER) == 1
