"""``tts.voice_note`` as a turn runs it from the patch ``turn-local-activities``: a local
activity. A worker that dies in one leaves no result in the history, so the workflow task's
next worker runs it again from its first attempt; the text reply, the audio and the voice note
still go out once each (the outbox, the stored audio: docs/architecture.md, "Side effects
exactly once"). Real Postgres, the served fake Twilio (real SDK, real HTTP).
"""

from __future__ import annotations

import dataclasses
import io
import wave
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from temporalio.testing import ActivityEnvironment

from activities.tts import TtsActivities
from activities.types import SendResult, SendWhatsAppInput, SynthesizeInput, VoiceNoteInput
from activities.whatsapp import WhatsAppActivities
from switchboard import audio
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.media import get_media
from switchboard.media_urls import MediaUrlSigner
from switchboard.providers.base import Media, SentMessage, Telephony
from switchboard.providers.factory import make_telephony
from switchboard.settings import Settings
from tests.activities.test_whatsapp import (
    CUSTOMER,
    TEMPLATES,
    TO,
    customer_wrote,
    fake_get,
    fake_twilio,
    outbox_row,
)

__all__ = ["fake_twilio"]  # the fixture, shared with the WhatsApp tests

REPLY = "We're open until 6pm."
TEXT = SendWhatsAppInput(key="reply/MM1", customer=CUSTOMER, body=REPLY)
NOTE = VoiceNoteInput(
    key="reply-audio/MM1", audio_key="tts/MM1", customer=CUSTOMER, text=REPLY, text_first=TEXT
)


class WorkerDied(BaseException):
    """The worker process ends: nothing after it runs (not an error the activity could see)."""


class DiesAfterSend:
    """The real Twilio adapter; the worker dies right after Twilio took send number ``n``
    (before the outbox stores its SID: the narrowest window)."""

    def __init__(self, inner: Telephony, n: int) -> None:
        self._inner = inner
        self._n = n
        self.sends = 0

    async def send_whatsapp(self, **kwargs: Any) -> SentMessage:
        sent = await self._inner.send_whatsapp(**kwargs)
        self.sends += 1
        if self.sends == self._n:
            raise WorkerDied
        return sent

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Tone:
    """A text-to-speech engine that speaks half a second of 440 Hz (a WAV, as espeak's)."""

    def __init__(self) -> None:
        self.spoken = 0

    async def synthesize(self, text: str) -> Media:
        self.spoken += 1
        t = np.arange(8000) / 16000
        pcm = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2")
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(pcm.tobytes())
        return Media(data=out.getvalue(), content_type="audio/wav")


async def run_locally(tts: TtsActivities) -> SendResult:
    """One run of the local activity: attempt 1, as after a replay on the task's next worker."""
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info,
        activity_type="tts.voice_note",
        is_local=True,
        attempt=1,
        current_attempt_scheduled_time=datetime.now(UTC),
        workflow_id=f"customer/{CUSTOMER}",
    )
    return await env.run(tts.voice_note, NOTE)


@pytest.mark.parametrize("dies_after", [1, 2], ids=["the-text", "the-voice-note"])
async def test_a_local_voice_note_run_again_after_the_worker_died_sends_each_once(
    db: Database, fake_twilio: str, dies_after: int
) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    await customer_wrote(db)
    settings = Settings(twilio_api_base_url=fake_twilio)
    twilio = make_telephony(settings)
    speech = Tone()

    def worker(telephony: Telephony) -> TtsActivities:
        whatsapp = WhatsAppActivities(
            db,
            telephony,
            templates=TEMPLATES,
            status_callback_url=None,
            media_urls=MediaUrlSigner.from_settings(settings),
        )
        return TtsActivities(db, speech, whatsapp=whatsapp)

    with pytest.raises(WorkerDied):
        await run_locally(worker(DiesAfterSend(twilio, dies_after)))
    result = await run_locally(worker(twilio))  # the next worker, from the first attempt

    messages = fake_get(fake_twilio, "/_fake/messages")
    assert [(m["body"], len(m["media_urls"])) for m in messages] == [(REPLY, 0), ("", 1)], (
        "the text, then the voice note, once each"
    )
    assert result.sid == messages[1]["sid"]
    assert fake_get(fake_twilio, "/_fake/stats")["operations"]["messages_create"]["requests"] == 2
    assert speech.spoken == 1, "the audio synthesised once (a rerun finds it stored)"
    for key in (TEXT.key, NOTE.key):
        row = await outbox_row(db, key)
        assert row is not None
        assert row.status == "sent"


class VendorOpus(Tone):
    """A vendor that can answer in a voice note's format (``VoiceNoteSpeech``), as ElevenLabs'
    ``opus_48000_32``; ``answer`` is what it sends back for one."""

    def __init__(self, answer: bytes) -> None:
        super().__init__()
        self.answer = answer
        self.voice_notes = 0

    async def synthesize_voice_note(self, text: str) -> Media:
        self.voice_notes += 1
        return Media(data=self.answer, content_type="audio/ogg")


async def stored_voice_note(db: Database, speech: Any) -> bytes:
    """Synthesise ``REPLY`` as a voice note with ``speech``; the audio stored for WhatsApp."""
    await ActivityEnvironment().run(
        TtsActivities(db, speech).synthesize,
        SynthesizeInput(key="tts/MM9", customer=CUSTOMER, text=REPLY, format="ogg"),
    )
    async with db.session() as s:
        blob = await get_media(s, media_id="tts/MM9")
    assert blob is not None and blob.content_type == "audio/ogg"
    return blob.data


async def test_a_vendors_ogg_opus_voice_note_is_stored_as_it_came(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    vendor = VendorOpus(audio.to_ogg_opus((await Tone().synthesize(REPLY)).data))

    stored = await stored_voice_note(db, vendor)

    assert stored == vendor.answer, "not decoded and encoded again"
    assert (vendor.voice_notes, vendor.spoken) == (1, 0)


@pytest.mark.parametrize("engine", ["local", "vendor-not-ogg"])
async def test_audio_not_already_ogg_opus_is_converted_for_whatsapp(
    db: Database, engine: str
) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    wav = (await Tone().synthesize(REPLY)).data
    speech = Tone() if engine == "local" else VendorOpus(wav)

    stored = await stored_voice_note(db, speech)

    assert audio.is_ogg_opus(stored)
    assert audio.duration_ms(stored) >= 490, "the whole half second of speech"
