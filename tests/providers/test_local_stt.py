"""WhisperSTT on real speech (jfk.flac) with the bundled tiny.en model."""

from __future__ import annotations

import asyncio
import re
from typing import Any

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
    real_model = local_stt.WhisperModel

    def counting_model(path: str, **kwargs: Any) -> Any:
        loads.append(path)
        return real_model(path, **kwargs)

    monkeypatch.setattr(local_stt, "WhisperModel", counting_model)
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
