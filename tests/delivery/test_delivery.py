"""Twilio's delivery semantics end to end: the fake Twilio accepts a message (201, ``queued``)
and reports its fate later in signed status callbacks — out of order, twice, 63016 outside the
WhatsApp window, ``undelivered`` with an error code — to the API served on a loopback port;
the conversation log, the outbox and the journeys follow. Real Postgres, the Temporal dev
server, the real activities."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text
from sqlmodel import col, select
from temporalio.testing import ActivityEnvironment

from activities.types import SendWhatsAppInput
from activities.whatsapp import WhatsAppActivities
from api.main import create_app
from operations.launch import AudienceMember, launch
from switchboard.db import outbox
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.delivery import catch_up
from switchboard.db.engine import STATEMENT_POOL_NAME, Database
from switchboard.db.models import Handoff, InboundEvent, Message, Outbox
from switchboard.journeys.schema import JourneyDefinition
from switchboard.message_templates import load_templates
from switchboard.providers.factory import make_telephony
from switchboard.temporal import journey_workflow_id
from tests.api.test_twilio_amd import served_api
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import BoundedASGITransport, eventually, within
from workflows.types import JourneyOutcome

__all__ = ["served_api"]  # the fixture, shared with the API tests

CUSTOMER = "+33612345678"
ADDRESS = f"whatsapp:{CUSTOMER}"
STATUS_PATH = "/twilio/status/message"
TEMPLATE = load_templates()["checkup_reminder"]


def status_form(sid: str, status: str, code: str | None = None) -> dict[str, str]:
    form = {
        "AccountSid": "AC00000000000000000000000000000000",
        "MessageSid": sid,
        "MessageStatus": status,
        "SmsSid": sid,
        "SmsStatus": status,
        "To": ADDRESS,
        "From": "whatsapp:+14155238886",
        "ApiVersion": "2010-04-01",
    }
    if code is not None:
        form["ErrorCode"] = code
    return form


async def sent_row(h: Harness, key: str, sid: str) -> None:
    """An outbox row and its log row as the send activity leaves them."""
    async with h.db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await outbox.claim(s, key=key, kind="whatsapp", recipient=ADDRESS, body="Hello")
        await outbox.mark_sent(s, key=key, provider_sid=sid)
        await log_message(
            s,
            key=key,
            customer_e164=CUSTOMER,
            channel="whatsapp",
            direction="outbound",
            kind="text",
            text="Hello",
            provider_sid=sid,
            status="queued",
        )


async def states(h: Harness, key: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(log status, log error code, outbox delivery status, outbox error code)."""
    async with h.db.session() as s:
        message = (await s.exec(select(Message).where(Message.key == key))).one()
        row = await s.get(Outbox, key)
        assert row is not None
        return message.status, message.error_code, row.delivery_status, row.error_code


# -- the status route ---------------------------------------------------------------------------


async def test_callbacks_out_of_order_and_twice_end_in_the_latest_state(harness: Harness) -> None:
    await sent_row(harness, "reply/SMin1", "SMread")
    await sent_row(harness, "reply/SMin2", "SMundelivered")

    for status in ("delivered", "sent", "read", "delivered", "sent", "read"):
        response = await harness.post_twilio(STATUS_PATH, status_form("SMread", status))
        assert response.status_code == 204
    for status, code in (("undelivered", "63024"), ("sent", None), ("undelivered", "63024")):
        response = await harness.post_twilio(
            STATUS_PATH, status_form("SMundelivered", status, code)
        )
        assert response.status_code == 204
    # A later "delivered" does not take back a final failure.
    await harness.post_twilio(STATUS_PATH, status_form("SMundelivered", "delivered"))

    assert await states(harness, "reply/SMin1") == ("read", None, "read", None)
    assert await states(harness, "reply/SMin2") == ("undelivered", "63024", "undelivered", "63024")


async def test_an_unsigned_or_missigned_callback_is_refused_and_changes_nothing(
    harness: Harness,
) -> None:
    # The route checks X-Twilio-Signature itself (no FastAPI dependency does it for it).
    await sent_row(harness, "reply/SMin4", "SMforged")
    form = status_form("SMforged", "failed", "63016")
    forged = {
        "X-Twilio-Signature": harness.sign(STATUS_PATH, status_form("SMforged", "read"))[
            "X-Twilio-Signature"
        ]
    }

    assert (await harness.api.post(STATUS_PATH, data=form)).status_code == 403
    assert (await harness.api.post(STATUS_PATH, data=form, headers=forged)).status_code == 403
    assert await states(harness, "reply/SMin4") == ("queued", None, None, None)
    async with harness.db.session() as s:
        sids = await s.exec(
            select(InboundEvent.sid).where(col(InboundEvent.sid).like("SMforged/%"))
        )
        assert sids.all() == []


async def test_a_callback_before_the_sid_is_stored_is_applied_when_it_is(harness: Harness) -> None:
    # Twilio's callback beat the send activity, which had not stored the SID yet.
    response = await harness.post_twilio(STATUS_PATH, status_form("SMearly", "failed", "63016"))
    assert response.status_code == 204
    await sent_row(harness, "reply/SMin3", "SMearly")
    async with harness.db.session() as s:
        assert await catch_up(s, provider_sid="SMearly") == ("failed", "63016")

    assert await states(harness, "reply/SMin3") == ("failed", "63016", "failed", "63016")


async def test_a_status_callback_is_answered_when_temporal_is_unreachable(
    harness: Harness,
) -> None:
    """The ack never waits on Temporal: a journey message's failure is recorded and answered
    204 even when the hand-over to the workflow cannot happen."""
    key = f"journey/x/{CUSTOMER}/k/ask/1"
    await sent_row(harness, key, "SMjourney")

    async def unreachable() -> None:
        raise RuntimeError("Temporal is down")

    harness.api._transport.app.state.temporal = unreachable  # type: ignore[attr-defined]
    response = await harness.post_twilio(STATUS_PATH, status_form("SMjourney", "failed", "63032"))

    assert response.status_code == 204
    assert await states(harness, key) == ("failed", "63032", "failed", "63032")


async def test_a_callback_on_a_connection_postgres_dropped_is_retried_and_applied(
    harness: Harness, database_url: str
) -> None:
    """After a Postgres restart the API's kept-open connections are dead; the first callback
    on one is run again on a fresh one instead of answered 503 (Twilio would not resend it)."""
    key = "reply/SMin4"
    await sent_row(harness, key, "SMrestart")
    statements = Database(database_url, statement_pool_size=1, statement_timeout_s=5)
    await statements.open()
    app = create_app(harness.settings, db=statements)

    async def callback(status: str) -> int:
        form = status_form("SMrestart", status)
        async with httpx.AsyncClient(
            transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
        ) as client:
            response = await client.post(
                STATUS_PATH, data=form, headers=harness.sign(STATUS_PATH, form)
            )
        return response.status_code

    try:
        assert await callback("sent") == 204  # the pool's connection is open and in use
        async with harness.db.session() as s:  # what a restart does to it
            await s.exec(  # type: ignore[call-overload]
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ).bindparams(name=STATEMENT_POOL_NAME)
            )
        assert await callback("delivered") == 204
    finally:
        await statements.dispose()
    assert await states(harness, key) == ("delivered", None, "delivered", None)


# -- the fake Twilio delivering asynchronously --------------------------------------------------


async def configure_delivery(h: Harness, **config: object) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{h.fake_twilio_url}/_fake/delivery", json=config)
    response.raise_for_status()


async def fake_messages(h: Harness) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == ADDRESS]


async def test_shuffled_and_duplicated_callbacks_from_the_fake_end_read(
    harness: Harness, served_api: str
) -> None:
    await configure_delivery(harness, seed=11, shuffle=1, duplicate=1, webhook_base_url=served_api)
    await customer_wrote(harness, ago=timedelta(hours=1))
    activities = WhatsAppActivities(
        harness.db,
        make_telephony(harness.settings),
        templates=load_templates(),
        status_callback_url=f"{PUBLIC_URL}{STATUS_PATH}",
    )
    sent = await ActivityEnvironment().run(
        activities.send, SendWhatsAppInput(key="reply/SMin4", customer=CUSTOMER, body="Hello")
    )

    await eventually(lambda: states(harness, "reply/SMin4"), lambda s: s[0] == s[2] == "read")
    async with harness.db.session() as s:
        events = (await s.exec(select(Message).where(Message.provider_sid == sent.sid))).all()
    assert len(events) == 1


# -- journeys -----------------------------------------------------------------------------------


async def customer_wrote(h: Harness, *, ago: timedelta) -> None:
    """The customer's last WhatsApp message, as our conversation log has it (set-up)."""
    await h.opt_in(CUSTOMER)
    async with h.db.session() as s:
        await log_message(
            s,
            key=f"in/{uuid.uuid4().hex}",
            customer_e164=CUSTOMER,
            channel="whatsapp",
            direction="inbound",
            kind="text",
            text="Hi",
            at=datetime.now(UTC) - ago,
        )


def checkup(*, on_failed: bool, pause: str) -> JourneyDefinition:
    ask: dict[str, object] = {
        "kind": "send_whatsapp",
        "text": "Hi Ana, Felix is due a check-up. Shall we book it?",
        "template": {"name": "checkup_reminder", "variables": {"1": "Ana", "2": "Felix"}},
        "next": "pause",
    }
    if on_failed:
        ask["on_failed"] = "person"
    steps: dict[str, object] = {
        "ask": ask,
        "pause": {"kind": "wait", "duration": pause, "next": "done"},
        "done": {"kind": "end"},
    }
    if on_failed:
        steps["person"] = {"kind": "handoff", "note": "WhatsApp did not reach them", "next": "done"}
    return JourneyDefinition.model_validate(
        {
            "name": "delivery-check",
            "trigger": {"event": "audience"},
            "policies": {"quiet_hours": None, "timezone": "UTC"},
            "start": "ask",
            "steps": steps,
        }
    )


async def run_journey(h: Harness, definition: JourneyDefinition, task_queue: str) -> JourneyOutcome:
    campaign = uuid.uuid4().hex[:8]
    await launch(
        h.temporal,
        definition,
        [AudienceMember(CUSTOMER, {})],
        campaign_id=campaign,
        task_queue=task_queue,
    )
    workflow_id = journey_workflow_id(definition.name, CUSTOMER, campaign)
    await eventually(lambda: _started(h, workflow_id), bool)
    handle = h.temporal.get_workflow_handle(workflow_id, result_type=JourneyOutcome)
    return await within(handle.result(), "the journey's outcome")


async def _started(h: Harness, workflow_id: str) -> bool:
    try:
        await h.temporal.get_workflow_handle(workflow_id).describe()
    except Exception:  # noqa: BLE001 - not started yet
        return False
    return True


async def test_63016_reported_later_sends_the_journeys_template_exactly_once(
    harness: Harness, served_api: str, task_queue: str
) -> None:
    # We saw the customer write an hour ago; Twilio did not (the window is closed on its side),
    # so the free text is accepted, then fails with 63016 — each callback delivered twice.
    await customer_wrote(harness, ago=timedelta(hours=1))
    await configure_delivery(
        harness, seed=3, enforce_window=True, duplicate=1, webhook_base_url=served_api
    )

    outcome = await run_journey(harness, checkup(on_failed=False, pause="10s"), task_queue)

    assert (outcome.trail, outcome.undelivered) == (["ask", "pause", "done"], 0)
    sent = await fake_messages(harness)
    assert [(m["content_sid"], m["status"], m["error_code"]) for m in sent] == [
        (None, "failed", "63016"),
        (TEMPLATE.content_sid, "read", None),
    ], "the free text failed, then the template went out once"
    async with harness.db.session() as s:
        rows = (await s.exec(select(Outbox).order_by(col(Outbox.created_at)))).all()
    assert [(r.key.rsplit("/ask/", 1)[1], r.delivery_status, r.error_code) for r in rows] == [
        ("1", "failed", "63016"),
        ("1/template", "read", None),
    ]


async def test_an_undelivered_journey_message_takes_on_failed_and_is_counted(
    harness: Harness, served_api: str, task_queue: str
) -> None:
    await customer_wrote(harness, ago=timedelta(hours=1))
    await configure_delivery(
        harness, seed=5, undelivered={ADDRESS: "63024"}, webhook_base_url=served_api
    )

    outcome = await run_journey(harness, checkup(on_failed=True, pause="60s"), task_queue)

    assert outcome.trail == ["ask", "pause", "person", "done"]
    assert outcome.undelivered == 1
    async with harness.db.session() as s:
        [handoff] = (await s.exec(select(Handoff))).all()
        lines = (
            await s.exec(select(Message.text).where(col(Message.text).contains("undelivered")))
        ).all()
    assert handoff.note == "WhatsApp did not reach them"
    assert "ask: WhatsApp message undelivered (Twilio error 63024)" in lines
    [message] = await fake_messages(harness)
    assert (message["status"], message["error_code"]) == ("undelivered", "63024")
