"""No inbound message is refused for its number's metadata (issue 11, item 3): webhooks check
the E.164 *form* (libphonenumber's "possible number"), not the library's allocation data. A
message from a number that data does not list — here Ofcom's drama range, +44 7700 900xxx,
reserved for fiction and so never "valid" — is recorded, answered, and the number flagged."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from switchboard.db.models import Customer, InboundEvent, Message
from switchboard.identity import UNKNOWN_RANGE
from tests.conftest import Harness
from tests.inbox.test_relay import replies_to, whatsapp_form
from tests.polling import eventually

DRAMA = "+447700900123"


async def customer(h: Harness, e164: str) -> Customer | None:
    async with h.db.session() as s:
        return await s.get(Customer, e164)


async def test_a_message_from_an_unlisted_range_is_recorded_answered_and_flagged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="switchboard.api.inbound")
    first = await harness.post_twilio("/twilio/whatsapp", whatsapp_form("SMdrama1", "Hi", DRAMA))
    assert first.status_code == 200, first.text
    await eventually(lambda: replies_to(harness, DRAMA), lambda r: len(r) == 1)
    form = whatsapp_form("SMdrama2", "What are your opening hours?", DRAMA)
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    await eventually(
        lambda: replies_to(harness, DRAMA), lambda r: any("opening" in str(m["body"]) for m in r)
    )
    found = await customer(harness, DRAMA)
    assert found is not None and found.number_flag == UNKNOWN_RANGE
    async with harness.db.session() as s:
        recorded = (await s.exec(select(InboundEvent.sid))).all()
        logged = (
            await s.exec(select(Message.provider_sid).where(Message.direction == "inbound"))
        ).all()
    assert sorted(recorded) == ["SMdrama1", "SMdrama2"]
    assert sorted(sid or "" for sid in logged) == ["SMdrama1", "SMdrama2"]
    warnings = [r for r in caplog.records if "does not list as allocated" in r.getMessage()]
    assert len(warnings) == 1, "warned when flagged, not at every message"
    assert "7700900123" not in warnings[0].getMessage(), "the number is redacted in logs"


async def test_an_ordinary_number_is_not_flagged(harness: Harness) -> None:
    ordinary = "+33612345678"
    form = whatsapp_form("SMplain", "Hi there", ordinary)
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    await eventually(lambda: replies_to(harness, ordinary), lambda r: len(r) == 1)
    found = await customer(harness, ordinary)
    assert found is not None and found.number_flag is None


async def test_a_call_from_an_unlisted_range_is_answered_and_flagged(harness: Harness) -> None:
    form = {
        "CallSid": "CA" + "7" * 32,
        "AccountSid": harness.settings.twilio_account_sid,
        "From": DRAMA,
        "To": harness.settings.twilio_voice_from,
        "Direction": "inbound",
        "CallStatus": "ringing",
    }
    response = await harness.post_twilio("/twilio/voice/incoming", form)
    assert response.status_code == 200, response.text
    assert "<Say" in response.text
    found = await customer(harness, DRAMA)
    assert found is not None and found.number_flag == UNKNOWN_RANGE


async def test_a_number_of_an_impossible_length_is_still_refused(harness: Harness) -> None:
    form = whatsapp_form("SMshort", "hello", "+4477009")  # too short for any UK number
    response = await harness.post_twilio("/twilio/whatsapp", form)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["From"]
