"""Erasure end to end (GDPR art. 17): a customer who wrote and then sent STOP is erased through
the admin API; their rows and workflows are gone, the audit log says who erased them, the send
gate still refuses the number (hashed opt-out), and a new message starts a fresh customer.
Real Postgres, the real Temporal dev server, the fake Twilio."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import ActivityEnvironment

from activities.consent import ConsentActivities
from activities.types import CheckConsentInput
from switchboard.agent_models import Channel
from switchboard.db.access import audit_entries
from switchboard.db.models import Message
from switchboard.temporal import customer_workflow_id
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMER = "+33612345679"
TABLES = ("message", "consent", "inbound_event", "media_blob", "channel_address", "booking")


async def inbound_texts(h: Harness) -> list[str]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == CUSTOMER, Message.direction == "inbound")
        )
        return [m.text for m in rows.all()]


async def rows_about_customer(h: Harness) -> dict[str, int]:
    counts = {}
    async with h.db.session() as s:
        conn = await s.connection()
        for table in TABLES:
            result = await conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE customer_e164 = :e"), {"e": CUSTOMER}
            )
            counts[table] = int(result.scalar_one())
        result = await conn.execute(
            text("SELECT count(*) FROM customer WHERE e164 = :e"), {"e": CUSTOMER}
        )
        counts["customer"] = int(result.scalar_one())
    return counts


async def test_erasure_removes_everything_but_a_hashed_stop(harness: Harness) -> None:
    h = harness
    admin = {"X-API-Key": h.settings.api_key.get_secret_value()}
    await h.opt_in(CUSTOMER)
    await h.sim.whatsapp(CUSTOMER, text="hello, I'd like to book a check-up")
    await eventually(lambda: inbound_texts(h), lambda texts: len(texts) >= 1)
    stop = await h.api.post(
        f"/customers/{CUSTOMER}/consent",
        json={"channel": "whatsapp", "status": "opted_out", "source": "STOP keyword"},
        headers=admin,
    )
    assert stop.status_code == 201, stop.text

    response = await h.api.delete(f"/customers/{CUSTOMER}", headers=admin)

    assert response.status_code == 200, response.text
    report = response.json()
    assert customer_workflow_id(CUSTOMER) in report["workflows_terminated"]
    assert report["rows"]["customer"] == 1
    assert report["rows"]["message"] >= 1
    assert report["rows"]["opt_out_hash"] == 1
    assert report["rows"]["payload_key"] == 1  # their Temporal histories: crypto-shredded
    assert await rows_about_customer(h) == {**dict.fromkeys(TABLES, 0), "customer": 0}
    described = await h.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER)).describe()
    assert described.status is WorkflowExecutionStatus.TERMINATED
    async with h.db.session() as s:
        [entry] = await audit_entries(s, action="customer.erase")
        conn = await s.connection()
        hashes = (await conn.execute(text("SELECT number_hash FROM opt_out_hash"))).all()
    assert entry.target == CUSTOMER
    assert len(hashes) == 1 and CUSTOMER.lstrip("+") not in hashes[0][0]

    # The send gate still refuses the erased number: STOP outlives the erasure.
    gate = ConsentActivities(h.db)
    decision = await ActivityEnvironment().run(
        gate.check, CheckConsentInput(customer=CUSTOMER, channel=Channel.WHATSAPP)
    )
    assert not decision.allowed
    assert "opted_out" in decision.reason

    # A new message from the number starts fresh: a new customer, only the new message.
    await h.sim.whatsapp(CUSTOMER, text="hi again")
    assert await eventually(lambda: inbound_texts(h), lambda texts: len(texts) >= 1) == ["hi again"]

    # Erasing an unknown number is not an error, and non-admins may not erase.
    again = await h.api.delete("/customers/+33612345670", headers=admin)
    assert again.status_code == 200 and again.json()["rows"]["customer"] == 0
