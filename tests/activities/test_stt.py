"""``stt.transcribe`` with the real Whisper: biased towards the profile's services and the
customer's pets (from the CRM, real Postgres), and ``NoSpeech`` when nobody speaks."""

from __future__ import annotations

import io
import re
import wave
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.stt import SttActivities, pet_names, vocabulary
from activities.types import TranscribeInput
from switchboard.audio import to_ogg_opus, to_phone_wav
from switchboard.business import load_profile
from switchboard.db.crm import upsert_draft
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.media import put_media
from switchboard.providers.base import Media, Transcript
from switchboard.providers.local_stt import WhisperSTT
from switchboard.providers.local_tts import EspeakTTS

CUSTOMER = "+33612345678"
PROFILE = load_profile()


@pytest.fixture(scope="module")
def whisper() -> WhisperSTT:
    return WhisperSTT()


async def store(db: Database, data: bytes, *, media_id: str = "MM1/0") -> TranscribeInput:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await put_media(s, media_id=media_id, data=data, content_type="audio/wav")
    return TranscribeInput(media_id=media_id, customer=CUSTOMER)


async def book(db: Database, *subjects: str) -> None:
    """Drafts for ``subjects``, the first one latest."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        for index, subject in enumerate(subjects):
            await upsert_draft(
                s,
                booking_id=f"b{index}",
                customer_e164=CUSTOMER,
                slot_start=start - timedelta(days=index),
                subject=subject,
                channel="whatsapp",
                call_sid=None,
            )


def silence_note(seconds: float) -> bytes:
    """``seconds`` of digital silence as a WhatsApp voice note (OGG/Opus)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.zeros(int(16000 * seconds), dtype=np.int16).tobytes())
    return to_ogg_opus(buffer.getvalue())


def test_pet_names_are_the_names_among_booking_subjects() -> None:
    subjects = ["Biscuit", "your cat", "you", "Max and Bella", "Mr Whiskers", "Biscuit", "3 dogs"]
    assert pet_names(subjects) == ["Biscuit", "Max", "Bella", "Mr Whiskers"]


def test_vocabulary_puts_pets_first_then_services_days_and_times() -> None:
    words = vocabulary(PROFILE, ["Biscuit", "your dog"])

    assert words[:3] == ["Biscuit", "consultation", "vaccination"]
    assert {"dental cleaning", "nail trim", "booster", "Thursday", "half past"} <= set(words)
    assert len(words) == len(set(words))
    assert vocabulary(PROFILE, [])[0] == "consultation"


async def test_the_customers_pets_and_the_services_reach_whisper(
    db: Database, whisper: WhisperSTT, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spied on the real faster-whisper model: the vocabulary is its ``initial_prompt`` and its
    ``hotwords``; and Whisper tiny.en, which hears this phone-line audio as "We'll give you the
    Remaxination on Thursday" without it, hears the name."""
    await book(db, "Biscuit", "your cat", "Max and Bella")
    speech = await EspeakTTS().synthesize("Book Biscuit for a vaccination on Thursday")
    request = await store(db, to_phone_wav(speech.data))
    model = whisper._model_once()
    calls: list[dict[str, Any]] = []
    real = model.transcribe

    def spy(audio: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(audio, **kwargs)

    monkeypatch.setattr(model, "transcribe", spy)

    result = await ActivityEnvironment().run(
        SttActivities(db, whisper, PROFILE).transcribe, request
    )

    [kwargs] = calls
    assert kwargs["hotwords"].startswith("Biscuit, Max, Bella, consultation, vaccination")
    assert kwargs["initial_prompt"] == kwargs["hotwords"] + "."
    assert "Thursday" in kwargs["hotwords"]
    assert "biscuit" in result.text.lower()


async def test_without_a_customer_only_the_business_vocabulary_is_sent(
    db: Database, jfk_flac: bytes
) -> None:
    heard: list[Sequence[str]] = []

    class Recording:
        async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
            heard.append(vocabulary)
            return Transcript(text="Hello.")

    await book(db, "Biscuit")
    request = (await store(db, jfk_flac)).model_copy(update={"customer": None})

    await ActivityEnvironment().run(SttActivities(db, Recording(), PROFILE).transcribe, request)

    assert list(heard[0]) == vocabulary(PROFILE, [])


async def test_silence_is_no_speech(db: Database, whisper: WhisperSTT) -> None:
    """Five seconds of silence as a voice note: the VAD finds no speech, Whisper is not asked
    (it would make words up), and the activity fails for good with the cause as its type."""
    request = await store(db, silence_note(5.0))

    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(SttActivities(db, whisper, PROFILE).transcribe, request)

    assert caught.value.type == "NoSpeech"
    assert caught.value.non_retryable
    assert re.search(r"no speech in 5\.\d s", str(caught.value))


async def test_an_empty_transcript_is_no_speech(db: Database, jfk_flac: bytes) -> None:
    """Whatever the engine (a vendor that just returns no words): nothing heard is NoSpeech."""

    class Deaf:
        async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
            return Transcript(text="  ", confidence=None)

    request = await store(db, jfk_flac)

    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(SttActivities(db, Deaf(), PROFILE).transcribe, request)

    assert caught.value.type == "NoSpeech"
    assert caught.value.non_retryable


def test_a_first_callers_vocabulary_has_the_animals_a_known_customers_has_the_names() -> None:
    first = vocabulary(PROFILE, [])
    known = vocabulary(PROFILE, ["Biscuit"])

    assert "cat" in first and "dog" in first
    assert known[0] == "Biscuit" and "cat" not in known
