"""``stt.transcribe_media`` picks what the STT engine hears: a vendor that reads any container
(``AnyContainerSpeechToText``, AssemblyAI) gets the voice note as WhatsApp sent it, once the
worker has checked it whole; any other engine (the local Whisper) a 16 kHz WAV. A damaged
voice note reaches neither. Either is told the customer's pets. Real Postgres."""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

import numpy as np
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.media import MediaActivities
from activities.stt import SttActivities
from activities.types import TranscribeMediaInput, TranscriptResult
from switchboard.audio import to_ogg_opus
from switchboard.business import load_profile
from switchboard.db.crm import upsert_draft
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.media import put_media
from switchboard.providers.base import Media, Telephony, Transcript

CUSTOMER = "+33612345678"
NOTE = TranscribeMediaInput(media_id="MMnote/0", url="https://unused.example/", customer=CUSTOMER)


class Heard:
    """An STT engine that records what it was given; ``reads_any_container`` as asked."""

    def __init__(self, *, reads_any_container: bool) -> None:
        self.reads_any_container = reads_any_container
        self.audio: list[Media] = []
        self.vocabularies: list[list[str]] = []

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        self.audio.append(audio)
        self.vocabularies.append(list(vocabulary))
        return Transcript(text="Book Max on Tuesday.", confidence=0.9)


def voice_note() -> bytes:
    """One second of 220 Hz, as WhatsApp sends a voice note (Ogg/Opus)."""
    t = np.arange(16000) / 16000
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())
    return to_ogg_opus(out.getvalue())


async def transcribe(db: Database, engine: Heard, data: bytes) -> TranscriptResult:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await put_media(s, media_id=NOTE.media_id, data=data, content_type="audio/ogg")
    # No telephony: the note is stored already, nothing is downloaded.
    media = MediaActivities(db, cast(Telephony, object()), max_bytes=1_000_000)
    stt = SttActivities(db, engine, load_profile(), media=media)
    return await ActivityEnvironment().run(stt.transcribe_media, NOTE)


@pytest.mark.parametrize(
    ("reads_any_container", "sent"),
    [(True, "audio/ogg"), (False, "audio/wav")],
    ids=["vendor-gets-the-note", "whisper-gets-wav"],
)
async def test_the_engine_hears_the_note_as_sent_or_as_wav(
    db: Database, reads_any_container: bool, sent: str
) -> None:
    note = voice_note()
    engine = Heard(reads_any_container=reads_any_container)

    result = await transcribe(db, engine, note)

    assert result.text == "Book Max on Tuesday."
    [heard] = engine.audio
    assert heard.content_type == sent
    assert (heard.data == note) is reads_any_container


@pytest.mark.parametrize("reads_any_container", [True, False], ids=["vendor", "whisper"])
async def test_a_voice_note_cut_short_is_refused_before_any_engine_hears_it(
    db: Database, reads_any_container: bool
) -> None:
    note = voice_note()
    engine = Heard(reads_any_container=reads_any_container)

    with pytest.raises(ApplicationError) as refused:
        await transcribe(db, engine, note[:-10])

    assert (refused.value.type, refused.value.non_retryable) == ("AudioTruncated", True)
    assert engine.audio == []


async def test_the_engine_is_told_the_customers_pets_latest_booking_first(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        for booking_id, subject, day in (("b1", "Max", 3), ("b2", "Bella", 9), ("b3", "Rex", 6)):
            await upsert_draft(
                s,
                booking_id=booking_id,
                customer_e164=CUSTOMER,
                slot_start=datetime(2026, 12, day, 9, tzinfo=UTC),
                subject=subject,
                channel="whatsapp",
                call_sid=None,
            )
    engine = Heard(reads_any_container=True)

    await transcribe(db, engine, voice_note())

    [vocabulary] = engine.vocabularies
    assert vocabulary[:3] == ["Bella", "Rex", "Max"]
