"""WhisperSTT on real speech (jfk.flac) with the bundled tiny.en model."""

from __future__ import annotations

import asyncio
import io
import re
import wave
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from switchboard.audio import to_ogg_opus, to_phone_wav
from switchboard.providers import local_stt
from switchboard.providers.base import Media, ProviderRejected
from switchboard.providers.local_stt import WhisperSTT


def words(text: str) -> str:
    """Lower case, punctuation dropped, single spaces: what a keyword match sees."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def stt() -> WhisperSTT:
    """One model per module: loading tiny.en takes about a second."""
    return WhisperSTT()


async def test_transcribes_real_speech(stt: WhisperSTT, jfk_flac: bytes) -> None:
    transcript = await stt.transcribe(Media(data=jfk_flac, content_type="audio/flac"))

    assert "ask not what your country can do for you" in words(transcript.text)
    assert "what you can do for your country" in words(transcript.text)
    assert transcript.confidence is not None
    assert 0.0 <= transcript.confidence <= 1.0
    assert transcript.duration_ms is not None
    assert abs(transcript.duration_ms - 11_000) <= 50


async def test_transcribes_phone_audio(stt: WhisperSTT, jfk_flac: bytes) -> None:
    """What a Twilio call delivers: 8 kHz μ-law."""
    transcript = await stt.transcribe(Media(data=to_phone_wav(jfk_flac), content_type="audio/wav"))

    assert "ask not what your country" in words(transcript.text)
    assert transcript.confidence is not None
    assert 0.0 <= transcript.confidence <= 1.0


async def test_transcribes_whatsapp_voice_note(stt: WhisperSTT, jfk_flac: bytes) -> None:
    transcript = await stt.transcribe(Media(data=to_ogg_opus(jfk_flac), content_type="audio/ogg"))

    assert "ask not what your country" in words(transcript.text)
    assert transcript.duration_ms is not None
    assert abs(transcript.duration_ms - 11_000) <= 50


async def test_model_loads_lazily_once_under_concurrent_calls(
    jfk_flac: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two calls at once on a cold instance (two activities of one worker): one model load."""
    loads: list[str] = []
    real_model = local_stt._FittedWindowWhisper

    def counting_model(path: str, **kwargs: Any) -> Any:
        loads.append(path)
        return real_model(path, **kwargs)

    monkeypatch.setattr(local_stt, "_FittedWindowWhisper", counting_model)
    cold = WhisperSTT()
    assert loads == []

    results = await asyncio.gather(
        cold.transcribe(Media(data=jfk_flac, content_type="audio/flac")),
        cold.transcribe(Media(data=to_phone_wav(jfk_flac), content_type="audio/wav")),
    )

    assert len(loads) == 1
    assert all("your country" in words(r.text) for r in results)


@pytest.mark.parametrize("data", [b"", b"definitely not audio" * 50])
async def test_unreadable_audio_is_rejected(stt: WhisperSTT, data: bytes) -> None:
    with pytest.raises(ProviderRejected) as caught:
        await stt.transcribe(Media(data=data, content_type="audio/ogg"))
    assert not caught.value.retryable


def wav_of(samples: npt.NDArray[np.float32]) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((samples * 32767).astype(np.int16).tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize(
    "samples",
    [
        np.zeros(16000 * 5, dtype=np.float32),
        (np.random.default_rng(0).standard_normal(16000 * 5) * 0.1).astype(np.float32),
    ],
    ids=["silence", "white-noise"],
)
async def test_no_speech_is_rejected_before_whisper_makes_words_up(
    stt: WhisperSTT, samples: npt.NDArray[np.float32]
) -> None:
    """Silence, and noise loud enough that a level test would call it sound: the VAD finds no
    voice, with or without a vocabulary Whisper could recite."""
    note = to_ogg_opus(wav_of(samples))
    with pytest.raises(ProviderRejected) as caught:
        await stt.transcribe(Media(data=note, content_type="audio/ogg"), vocabulary=["Biscuit"])
    assert caught.value.code == "no_speech"
    assert not caught.value.retryable


async def test_a_vocabulary_too_long_for_whisper_is_cut_to_whole_terms(
    stt: WhisperSTT, jfk_flac: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whisper's decoder holds 448 tokens, prompt included: 600 names must not overflow it."""
    names = [f"Pet{n}" for n in range(600)]
    model = stt._model_once()
    calls: list[dict[str, Any]] = []
    real = model.transcribe

    def spy(audio: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(audio, **kwargs)

    monkeypatch.setattr(model, "transcribe", spy)

    transcript = await stt.transcribe(
        Media(data=jfk_flac, content_type="audio/flac"), vocabulary=names
    )

    assert "your country" in words(transcript.text)
    sent = calls[0]["hotwords"].split(", ")
    assert sent == names[: len(sent)] and 10 < len(sent) < 600
    assert len(model.hf_tokenizer.encode(" " + calls[0]["initial_prompt"]).ids) <= (
        local_stt.VOCABULARY_TOKENS
    )


def test_the_encoder_window_fits_the_audio() -> None:
    """A turn is encoded on its own length plus a margin, never under 20 s (shorter windows made
    words up on short answers), and audio that does not fit in one window keeps Whisper's 30 s
    windows."""
    rate = local_stt.WHISPER_SAMPLE_RATE
    assert local_stt.encoder_frames(rate * 1) == 2000
    assert local_stt.encoder_frames(rate * 21) == 2200
    assert local_stt.encoder_frames(rate * 29) == 3000
    assert local_stt.encoder_frames(rate * 29 + 1) is None
    assert local_stt.encoder_frames(rate * 45) is None
    assert all((local_stt.encoder_frames(n) or 1) % 2 == 0 for n in range(0, rate * 29, 997))


async def test_a_voice_note_longer_than_one_window_is_transcribed_to_the_end(
    stt: WhisperSTT, jfk_flac: bytes
) -> None:
    """Three JFK quotes back to back (33 s): the fitted window stays out of the way of
    Whisper's 30 s windows, and the last sentence is heard."""
    one = local_stt.decode_pcm(jfk_flac, sample_rate=local_stt.WHISPER_SAMPLE_RATE)
    samples = np.concatenate([one, one, one])

    transcript = await stt.transcribe_pcm(samples)

    assert words(transcript.text).count("ask not what your country") >= 2
    assert words(transcript.text).endswith("what you can do for your country")


async def test_only_a_live_turn_is_encoded_on_a_fitted_window(
    stt: WhisperSTT, jfk_flac: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call's turn (``fitted_window``) costs the encoder 20 s of frames for 11 s of speech; a
    voice note keeps Whisper's 30 s window. Both hear the words."""
    seen: list[int] = []
    real = local_stt.WhisperModel.encode

    def spy(self: Any, features: npt.NDArray[np.float32]) -> Any:
        seen.append(features.shape[-1])
        return real(self, features)

    monkeypatch.setattr(local_stt.WhisperModel, "encode", spy)
    samples = local_stt.decode_pcm(jfk_flac, sample_rate=local_stt.WHISPER_SAMPLE_RATE)

    live = await stt.transcribe_pcm(samples, fitted_window=True)
    note = await stt.transcribe_pcm(samples)

    assert seen == [2000, 3000]
    assert "ask not what your country" in words(live.text)
    assert "ask not what your country" in words(note.text)
