"""EspeakTTS from the espeakng-loader wheel, heard back through WhisperSTT."""

from __future__ import annotations

import io
import re
import wave

import pytest

from switchboard.audio import to_phone_wav
from switchboard.providers.base import Media, ProviderRejected
from switchboard.providers.local_stt import WhisperSTT
from switchboard.providers.local_tts import EspeakTTS

APPOINTMENT = "Your appointment is on Tuesday at ten"
BOOKING = "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am"


def words(text: str) -> str:
    """Lower case, punctuation dropped, single spaces: what a keyword match sees."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def tts() -> EspeakTTS:
    return EspeakTTS()


@pytest.fixture(scope="module")
def stt() -> WhisperSTT:
    return WhisperSTT()


async def hear(stt: WhisperSTT, audio: bytes) -> str:
    return words((await stt.transcribe(Media(data=audio, content_type="audio/wav"))).text)


async def test_synthesizes_a_wav_twilio_can_play(tts: EspeakTTS) -> None:
    media = await tts.synthesize(APPOINTMENT)

    assert media.content_type == "audio/wav"
    with wave.open(io.BytesIO(media.data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.getnframes() / wav.getframerate() > 0.5


async def test_speech_is_understood_by_whisper(tts: EspeakTTS, stt: WhisperSTT) -> None:
    heard = await hear(stt, (await tts.synthesize(APPOINTMENT)).data)

    assert "appointment" in heard
    assert "tuesday" in heard


async def test_booking_request_survives_a_phone_line(tts: EspeakTTS, stt: WhisperSTT) -> None:
    """At 8 kHz μ-law tiny.en hears espeak's "book" as "welcome" (at 22 kHz, now and then); the
    words that carry the booking (appointment, cat, day, hour) come through."""
    heard = await hear(stt, to_phone_wav((await tts.synthesize(BOOKING)).data))

    for word in ("appointment", "cat", "tuesday", "10"):
        assert re.search(rf"\b{word}", heard), heard


async def test_yes_survives_a_phone_line(tts: EspeakTTS, stt: WhisperSTT) -> None:
    heard = await hear(stt, to_phone_wav((await tts.synthesize("yes")).data))

    assert heard == "yes"


async def test_rate_changes_the_speaking_speed() -> None:
    slow = await EspeakTTS(rate_wpm=100).synthesize(APPOINTMENT)
    fast = await EspeakTTS(rate_wpm=300).synthesize(APPOINTMENT)

    assert len(slow.data) > 2 * len(fast.data)


@pytest.mark.parametrize("text", ["", "   \n"])
async def test_empty_text_is_rejected(tts: EspeakTTS, text: str) -> None:
    with pytest.raises(ProviderRejected):
        await tts.synthesize(text)


async def test_unknown_voice_is_rejected() -> None:
    with pytest.raises(ProviderRejected, match="xx-nonexistent"):
        await EspeakTTS("xx-nonexistent").synthesize("hello")


def test_rate_outside_espeaks_range_is_refused() -> None:
    with pytest.raises(ValueError, match="rate_wpm"):
        EspeakTTS(rate_wpm=20)
