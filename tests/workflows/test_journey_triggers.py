"""Journeys started from the conversation on the real stack: a WhatsApp photo starts the
photo-call journey; a call outside business hours takes a voicemail and starts the after-hours
journey with its transcript. (Their later steps are covered in the time-skipping suite.)"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from switchboard.business_calendar import BusinessHours
from switchboard.providers.local_tts import EspeakTTS
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import eventually

CUSTOMER = "+33612345678"


async def journeys_of(client: Client, name: str) -> list[str]:
    query = f"JourneyName = '{name}' AND CustomerPhone = '{CUSTOMER}'"
    return [wf.id async for wf in client.list_workflows(query)]


async def test_a_photo_starts_the_photo_call_journey(harness: Harness, tmp_path: Path) -> None:
    await harness.opt_in(CUSTOMER)
    photo = tmp_path / "prescription.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    await harness.sim.whatsapp(CUSTOMER, image_file=photo)

    [run] = await eventually(lambda: journeys_of(harness.temporal, "photo-call"), bool)
    assert run.startswith(f"journey/photo-call/{CUSTOMER}/MM")
    messages = await eventually(
        harness.sandbox_messages,
        lambda ms: any("call you" in str(m["body"]) for m in ms),
    )
    assert any("photo" in str(m["body"]) for m in messages)


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
