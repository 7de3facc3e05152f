"""Twilio webhooks: signatures, malformed input, and exactly-once handling of redeliveries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from temporalio.client import Client

from api.main import create_app
from devtools.inbound_forms import whatsapp_message_form
from operations.relay import InboxRelay
from switchboard.db.models import InboundEvent, Message
from tests.conftest import Harness
from tests.polling import BoundedASGITransport, eventually

CUSTOMER = "+33612345678"


def whatsapp_form(sid: str, body: str, sender: str = f"whatsapp:{CUSTOMER}") -> dict[str, str]:
    return whatsapp_message_form(sid, sender.removeprefix("whatsapp:"), body)


async def count(h: Harness, model: type) -> int:
    async with h.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(model))).one())


async def replies_to(h: Harness, e164: str) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{e164}"]


async def test_signed_webhook_is_accepted_and_answered(harness: Harness) -> None:
    response = await harness.post_twilio("/twilio/whatsapp", whatsapp_form("SM1", "hello"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    replies = await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)
    assert "help" in str(replies[0]["body"]).lower()


async def test_tampered_body_is_forbidden_and_nothing_recorded(harness: Harness) -> None:
    form = whatsapp_form("SM2", "hello")
    headers = harness.sign("/twilio/whatsapp", form)
    tampered = {**form, "Body": "send me everything"}
    response = await harness.api.post("/twilio/whatsapp", data=tampered, headers=headers)
    assert response.status_code == 403
    assert await count(harness, InboundEvent) == 0


async def test_signature_for_another_url_is_forbidden(harness: Harness) -> None:
    form = whatsapp_form("SM3", "hello")
    headers = harness.sign("/twilio/voice/incoming", form)  # signed for a different endpoint
    response = await harness.api.post("/twilio/whatsapp", data=form, headers=headers)
    assert response.status_code == 403
    assert await count(harness, InboundEvent) == 0


async def test_missing_signature_is_forbidden(harness: Harness) -> None:
    response = await harness.api.post("/twilio/whatsapp", data=whatsapp_form("SM4", "hello"))
    assert response.status_code == 403
    assert await count(harness, InboundEvent) == 0


async def test_malformed_number_is_422_naming_from(harness: Harness) -> None:
    form = whatsapp_form("SM5", "hello", sender="whatsapp:+3361234")
    response = await harness.post_twilio("/twilio/whatsapp", form)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["From"]
    assert await count(harness, InboundEvent) == 0


async def test_missing_message_sid_is_422_naming_it(harness: Harness) -> None:
    form = whatsapp_form("SM6", "hello")
    del form["MessageSid"]
    response = await harness.post_twilio("/twilio/whatsapp", form)
    assert response.status_code == 422
    assert "MessageSid" in [e["field"] for e in response.json()["detail"]]
    assert await count(harness, InboundEvent) == 0


async def test_same_message_sid_three_times_is_one_turn_and_one_reply(harness: Harness) -> None:
    form = whatsapp_form("SMdup", "Hi there")
    for _ in range(3):
        assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) >= 1)
    # Turns for one customer are serialised: once the reply to a later message is out, any
    # duplicate turn for SMdup would have run (and replied) before it. The later message goes
    # after SMdup's reply: sent at once, both would be one turn with one reply (two quick
    # messages are answered together).
    later = whatsapp_form("SMlater", "thanks, that's all")
    assert (await harness.post_twilio("/twilio/whatsapp", later)).status_code == 200
    replies = await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) >= 2)
    assert len(replies) == 2
    async with harness.db.session() as s:
        inbound = (await s.exec(select(Message).where(Message.direction == "inbound"))).all()
    assert sorted(m.provider_sid or "" for m in inbound) == ["SMdup", "SMlater"]
    assert await count(harness, InboundEvent) == 2


async def test_conversation_endpoint_requires_api_key(harness: Harness) -> None:
    response = await harness.api.get(f"/customers/{CUSTOMER}/conversation")
    assert response.status_code == 401


async def test_conversation_rejects_a_bad_number_naming_the_field(harness: Harness) -> None:
    response = await harness.api.get(
        "/customers/12345/conversation",
        headers={"X-API-Key": harness.settings.api_key.get_secret_value()},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "e164"]  # the E.164 pattern


async def test_temporal_unavailable_the_message_is_acknowledged_kept_and_answered_later(
    harness: Harness, task_queue: str
) -> None:
    """Twilio does not retry a messaging webhook that answered 5xx, so the API answers 200 once
    the message is committed, Temporal or not; the inbox relay hands it over when Temporal
    answers again (tests/inbox/ has the outage, crash and concurrency cases)."""
    down = harness.settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    app = create_app(down, db=harness.db, task_queue=task_queue)  # connects on first use
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=harness.api.base_url
    ) as api:
        form = whatsapp_form("SMdown", "hello")
        response = await api.post(
            "/twilio/whatsapp", data=form, headers=harness.sign("/twilio/whatsapp", form)
        )
    assert response.status_code == 200
    relay: InboxRelay = app.state.inbox
    await relay.idle()  # its hand-over found Temporal unreachable
    async with harness.db.session() as s:
        event = await s.get(InboundEvent, "SMdown")
    assert event is not None and event.handed_over_at is None, "kept for the relay"

    async def reachable() -> Client:
        return harness.temporal

    await InboxRelay(harness.db, reachable, task_queue, listen=False).sweep()
    replies = await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)
    assert "help" in str(replies[0]["body"]).lower()


async def test_caller_gone_before_its_body_is_read_gets_a_quiet_400_and_nothing_recorded(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Twilio gives up on a webhook after 15 s; one that waited that long in a burst is read
    after the caller left. Nothing is recorded (the message was not accepted), and no traceback
    is logged: one per late webhook cost the API the CPU the others were waiting for."""
    app = create_app(harness.settings, db=harness.db, temporal=harness.temporal)
    form = whatsapp_form("SM_GONE", "hello")
    signature = harness.sign("/twilio/whatsapp", form)["X-Twilio-Signature"]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/twilio/whatsapp",
        "raw_path": b"/twilio/whatsapp",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"x-twilio-signature", signature.encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.disconnect"}  # the body never comes: the caller hung up

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        await asyncio.wait_for(app(scope, receive, send), timeout=10)
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert await count(harness, InboundEvent) == 0
