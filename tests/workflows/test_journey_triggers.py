"""Journeys started from the conversation on the real stack: a WhatsApp photo starts the
photo-call journey, a sticker does not; a call outside business hours takes a voicemail and
starts the after-hours journey with its transcript. (Their later steps are covered in the
time-skipping suite.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from devtools.inbound_forms import whatsapp_message_form
from switchboard.business_calendar import BusinessHours
from switchboard.db.models import Message
from switchboard.providers.local_tts import EspeakTTS
from switchboard.settings import Settings
from switchboard.temporal import journey_workflow_id
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import eventually

CUSTOMER = "+33612345678"


async def journeys_of(client: Client, name: str) -> list[str]:
    query = f"JourneyName = '{name}' AND CustomerPhone = '{CUSTOMER}'"
    return [wf.id async for wf in client.list_workflows(query)]


async def started(client: Client, workflow_id: str) -> bool:
    """Whether a run with this ID was ever started, as the server itself has it. Not a listing:
    visibility lags, and a run that has not yet run its first task has no ``JourneyName`` to be
    listed by, yet it holds its ID (journeys start with reject-duplicate)."""
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def test_a_photo_starts_the_photo_call_journey(harness: Harness, tmp_path: Path) -> None:
    await harness.opt_in(CUSTOMER)
    photo = tmp_path / "prescription.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    sid = await harness.sim.whatsapp(CUSTOMER, image_file=photo)

    # By its ID: the session's server lists earlier tests' photo-call runs for this number too.
    run = journey_workflow_id("photo-call", CUSTOMER, sid)
    assert await eventually(lambda: started(harness.temporal, run), bool)
    messages = await eventually(
        harness.sandbox_messages,
        lambda ms: any("call you" in str(m["body"]) for m in ms),
    )
    assert any("photo" in str(m["body"]) for m in messages)


async def test_a_sticker_is_logged_as_one_and_starts_no_photo_journey(harness: Harness) -> None:
    """Patch ``media-kinds``: WhatsApp sends a sticker as ``image/webp``; before, it was logged
    as a photo and got the photo journey's "…call you…? Reply YES.". A photo sent after
    it bounds the wait: the customer's turns run in order and a turn has started its journeys
    before the next one begins, so once the photo's journey has started, a journey of the
    sticker's would have too. (With SWITCHBOARD_RECORD_HISTORIES=1 this is the replay history
    of the patch.)"""
    # Fresh SIDs, as Twilio's are. A journey run's ID is journey × number × message SID, started
    # with reject-duplicate, and the session's Temporal server keeps every earlier test's runs.
    # With a fixed "MMphoto" an earlier test's photo journey for that SID (in
    # test_whatsapp_message_kinds.py) either took the ID, so this photo's journey was refused
    # (CI D: that run was terminated at its test's teardown before its first task, so it was not
    # listed either), or was listed at once, before this sticker's turn was even logged.
    sticker_sid, photo_sid = f"MM{uuid.uuid4().hex}", f"MM{uuid.uuid4().hex}"

    async def offers_of_a_call() -> list[dict[str, object]]:
        return [m for m in await harness.sandbox_messages() if "us to call you" in str(m["body"])]

    await harness.opt_in(CUSTOMER)
    sticker = await harness.sim.upload(b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(64), "image/webp")
    form = whatsapp_message_form(sticker_sid, CUSTOMER, "", media=[(sticker, "image/webp")])
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    photo = await harness.sim.upload(b"\xff\xd8\xff\xe0" + bytes(64), "image/jpeg")
    form = whatsapp_message_form(photo_sid, CUSTOMER, "", media=[(photo, "image/jpeg")])
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200

    # What the customer sees: the photo journey's offer of a call (not the agent's own reply to
    # a photo, "Thanks for the photo"). Then the runs by ID, not by a listing (started).
    await eventually(offers_of_a_call, bool)
    photo_run = journey_workflow_id("photo-call", CUSTOMER, photo_sid)
    assert await eventually(lambda: started(harness.temporal, photo_run), bool)
    sticker_run = journey_workflow_id("photo-call", CUSTOMER, sticker_sid)
    assert not await started(harness.temporal, sticker_run)
    offers = await offers_of_a_call()
    assert len(offers) == 1, offers
    async with harness.db.session() as s:
        line = (
            await s.exec(
                select(Message).where(
                    Message.provider_sid == sticker_sid, Message.direction == "inbound"
                )
            )
        ).one()
    assert (line.kind, line.text, line.media_id) == (
        "sticker",
        "[sent a sticker]",
        f"{sticker_sid}/0",
    )


class TestAfterHours:
    @pytest.fixture
    def settings(self, fake_twilio_url: str, round_the_clock_dir: Path) -> Settings:
        today = datetime.now(UTC).date()
        closed = BusinessHours(  # closed today and tomorrow, whatever the hour the test runs
            open=time(9, 0),
            close=time(18, 0),
            holidays=(today - timedelta(days=1), today, today + timedelta(days=1)),
        )
        return Settings(
            public_base_url=PUBLIC_URL,
            twilio_api_base_url=fake_twilio_url,
            business_hours=closed,
            journeys_dir=round_the_clock_dir,  # the journey itself must not wait for the morning
        )

    async def test_a_voicemail_starts_the_after_hours_journey(self, harness: Harness) -> None:
        await harness.opt_in(CUSTOMER)
        message = (await EspeakTTS().synthesize("Please call me back about my dog")).data
        call = await harness.sim.call(CUSTOMER, [message])

        assert "closed" in " ".join(call.greeting.says)
        assert call.turns and call.turns[0][1].hangup, "one voicemail, then goodbye"
        [run] = await eventually(
            lambda: journeys_of(harness.temporal, "after-hours-callback"), bool
        )
        assert run == f"journey/after-hours-callback/{CUSTOMER}/{call.call_sid}"
        offer = await eventually(
            harness.sandbox_messages, lambda ms: any("call you back" in str(m["body"]) for m in ms)
        )
        assert offer
