"""Erasing a customer while a reply to them is still being recorded as sent: the erasure waits
for the send's transaction instead of deadlocking with it, and nothing about the customer is
left afterwards — including the log row the send wrote. Real Postgres."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from operations.erasure import erase_rows
from switchboard.db import outbox
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database

CUSTOMER = "+33612345601"


async def count(db: Database, table: str, where: str) -> int:
    async with db.session() as s:
        conn = await s.connection()
        return int(
            (
                await conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {where}"), {"e": CUSTOMER}
                )
            ).scalar_one()
        )


async def test_erasure_waits_for_a_send_finishing_and_leaves_nothing(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await outbox.claim(
            s, key="reply-1", kind="whatsapp", recipient=f"whatsapp:{CUSTOMER}", body="See you!"
        )
    send_holds_outbox = asyncio.Event()
    erasure_started = asyncio.Event()

    async def send_finishing() -> None:
        # The send path's order: the outbox row, then a log row that references the customer.
        async with db.session() as s:
            await outbox.mark_sent(s, key="reply-1", provider_sid="SM1")
            send_holds_outbox.set()
            await asyncio.wait_for(erasure_started.wait(), timeout=10)
            await asyncio.sleep(0.3)  # the erasure is now waiting on a lock
            await log_message(
                s,
                key="reply-1",
                customer_e164=CUSTOMER,
                channel="whatsapp",
                direction="outbound",
                kind="text",
                text="See you!",
                provider_sid="SM1",
            )

    async def erasure() -> dict[str, int]:
        await asyncio.wait_for(send_holds_outbox.wait(), timeout=10)
        erasure_started.set()
        return await erase_rows(db, e164=CUSTOMER)

    _, rows = await asyncio.wait_for(asyncio.gather(send_finishing(), erasure()), timeout=30)

    assert rows["customer"] == 1
    assert rows["message"] == 1  # the send's log row, written while the erasure waited
    assert await count(db, "message", "customer_e164 = :e") == 0
    assert await count(db, "outbox", "recipient = 'whatsapp:' || :e") == 0
    assert await count(db, "customer", "e164 = :e") == 0
