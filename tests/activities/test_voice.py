"""``voice.place_call`` exactly once: a retry after Twilio accepted the call but the answer was
lost reconciles against Twilio's call list instead of calling the customer again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.journey_types import CallPlaced, PlaceCallInput
from activities.voice import VoiceActivities
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import CallContext, Outbox
from switchboard.providers.factory import make_telephony
from switchboard.settings import Settings
from tests.activities.test_whatsapp import CUSTOMER, fake_get, fake_twilio, set_faults

__all__ = ["fake_twilio"]  # the fixture, shared with the WhatsApp tests

CALL = PlaceCallInput(
    key="journey/photo-call/+33612345678/MM1/call/1/0",
    customer=CUSTOMER,
    opening="Hello, this is Switchboard, about your photo.",
    goal="Discuss the photo.",
    journey_id="journey/photo-call/+33612345678/MM1",
)


@pytest.fixture
async def voice(db: Database, fake_twilio: str) -> VoiceActivities:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
    telephony = make_telephony(Settings(twilio_api_base_url=fake_twilio))
    return VoiceActivities(db, telephony, public_base_url="https://switchboard.example.test")


async def place(voice: VoiceActivities, call: PlaceCallInput, *, attempt: int) -> CallPlaced:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info,
        activity_type="voice.place_call",
        attempt=attempt,
        current_attempt_scheduled_time=datetime.now(UTC),
    )
    return await env.run(voice.place_call, call)


async def test_a_retry_after_an_accepted_call_reconciles_instead_of_calling_again(
    db: Database, fake_twilio: str, voice: VoiceActivities
) -> None:
    set_faults(fake_twilio, {"calls_create": {"reset_after_accept": 1}})
    with pytest.raises(ApplicationError) as first:
        await place(voice, CALL, attempt=1)
    assert not first.value.non_retryable
    [accepted] = fake_get(fake_twilio, "/_fake/calls")  # Twilio did place it

    httpx.delete(f"{fake_twilio}/_fake/faults").raise_for_status()
    placed = await place(voice, CALL, attempt=2)

    assert placed.call_sid == accepted["sid"]
    assert [c["sid"] for c in fake_get(fake_twilio, "/_fake/calls")] == [accepted["sid"]]
    async with db.session() as s:
        row = await s.get(Outbox, CALL.key)
        context = await s.get(CallContext, CALL.key)
    assert row is not None and (row.status, row.provider_sid) == ("sent", accepted["sid"])
    assert context is not None and context.call_sid == accepted["sid"]


async def test_another_journeys_call_is_not_adopted(
    db: Database, fake_twilio: str, voice: VoiceActivities
) -> None:
    """A call to the same customer that another outbox key owns is not ours: the retry calls."""
    other = CALL.model_copy(update={"key": "journey/outreach/+33612345678/c1/call/1/0"})
    owned = await place(voice, other, attempt=1)
    set_faults(fake_twilio, {"calls_create": {"error_500": 1}})
    with pytest.raises(ApplicationError):
        await place(voice, CALL, attempt=1)  # refused outright: nothing placed
    httpx.delete(f"{fake_twilio}/_fake/faults").raise_for_status()

    placed = await place(voice, CALL, attempt=2)

    assert placed.call_sid != owned.call_sid
    assert len(fake_get(fake_twilio, "/_fake/calls")) == 2
