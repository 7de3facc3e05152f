"""A booking's service changed at its own time, end to end (issue 9, "the business's actions"):
"can Max's checkup be a vaccination instead?" is read back with the new service and its price,
and the yes changes the service and its length in the CRM, at the same slot; nothing else is
booked, moved or cancelled. Real Temporal, Postgres, the rules agent and the fake Twilio;
messages arrive through the signed WhatsApp webhook."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from switchboard.db.customers import ensure_customer
from switchboard.db.models import Booking
from tests.conftest import Harness
from tests.workflows.test_several_changes import CUSTOMER, at, open_weekday, said, says


async def test_a_checkup_becomes_a_vaccination_at_the_same_time(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    async with harness.db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        s.add(
            Booking(
                id="bk-max",
                customer_e164=CUSTOMER,
                slot_start=at(day, 10),
                subject="Max",
                status="confirmed",
                channel="whatsapp",
                confirmed_at=datetime.now(UTC),
                service="consultation",
                duration_minutes=30,
            )
        )

    asked = await says(harness, "can max's checkup be a vaccination instead?", replies=1)
    assert "vaccination" in asked and "€55" in asked, asked
    assert f"{said(day)} at 10:00" in asked, asked

    done = await says(harness, "yes please", replies=2)
    assert "now a vaccination" in done, done
    async with harness.db.session() as s:
        rows = (await s.exec(select(Booking).where(Booking.customer_e164 == CUSTOMER))).all()
    assert [
        (b.id, b.slot_start.astimezone(UTC), b.status, b.service, b.duration_minutes) for b in rows
    ] == [("bk-max", at(day, 10), "confirmed", "vaccination", 15)]
