"""ElevenLabsTTS through the real ``elevenlabs`` SDK against a fake text-to-speech endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from switchboard import audio
from switchboard.providers.base import (
    ProviderAuthError,
    ProviderRejected,
    ProviderUnavailable,
    VoiceNoteSpeech,
)
from switchboard.providers.elevenlabs_tts import ElevenLabsTTS
from tests.fakes.elevenlabs import DEFAULT_AUDIO, FakeElevenLabs, HttpFailure
from tests.fakes.server import free_port, serve

KEY = "xi-test-key"
VOICE = "21m00Tcm4TlvDq8ikWAM"
MODEL = "eleven_flash_v2_5"
TEXT = "I can book Tuesday at 10:00 for Felix. Reply YES to confirm."


@pytest.fixture
def fake() -> Iterator[tuple[FakeElevenLabs, str]]:
    fake = FakeElevenLabs(api_key=KEY)
    with serve(fake.app) as url:
        yield fake, url


def make_tts(url: str, *, key: str = KEY, output_format: str = "mp3_44100_128") -> ElevenLabsTTS:
    return ElevenLabsTTS(
        key, base_url=url, voice_id=VOICE, model_id=MODEL, output_format=output_format
    )


@pytest.fixture
async def tts(fake: tuple[FakeElevenLabs, str]) -> AsyncIterator[ElevenLabsTTS]:
    tts = make_tts(fake[1])
    yield tts
    await tts.aclose()


async def test_synthesize_request_and_audio(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake

    media = await tts.synthesize(TEXT)

    assert media.data == DEFAULT_AUDIO  # reassembled from 1 KiB chunks
    assert media.content_type == "audio/mpeg"
    [request] = server.requests
    assert (request.method, request.path) == ("POST", f"/v1/text-to-speech/{VOICE}")
    assert request.query == {"output_format": "mp3_44100_128"}
    assert request.headers["xi-api-key"] == KEY
    assert "authorization" not in request.headers
    assert request.json == {"text": TEXT, "model_id": MODEL}


async def test_ulaw_for_twilio_media_streams(fake: tuple[FakeElevenLabs, str]) -> None:
    server, url = fake
    tts = make_tts(url, output_format="ulaw_8000")
    media = await tts.synthesize(TEXT)
    await tts.aclose()
    assert media.content_type == "audio/basic"
    assert server.requests[0].query == {"output_format": "ulaw_8000"}


async def test_a_voice_note_is_asked_for_as_ogg_opus_whatever_the_calls_use(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake

    note = await tts.synthesize_voice_note(TEXT)
    spoken = await tts.synthesize(TEXT)

    assert isinstance(tts, VoiceNoteSpeech)
    assert (note.content_type, spoken.content_type) == ("audio/ogg", "audio/mpeg")
    assert audio.is_ogg_opus(note.data), "sent to WhatsApp as it came: nothing to re-encode"
    assert [r.query["output_format"] for r in server.requests] == [
        "opus_48000_32",
        "mp3_44100_128",
    ]


def test_unplayable_output_format_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="pcm_16000"):
        make_tts("http://127.0.0.1:1", output_format="pcm_16000")


async def test_wrong_key_is_an_auth_error(fake: tuple[FakeElevenLabs, str]) -> None:
    server, url = fake
    tts = make_tts(url, key="wrong")
    with pytest.raises(ProviderAuthError) as caught:
        await tts.synthesize(TEXT)
    await tts.aclose()
    assert caught.value.code == "invalid_api_key"
    assert len(server.requests) == 1


async def test_exhausted_quota_is_rejected_not_auth(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    # ElevenLabs sends 401 for an exhausted character quota.
    server, _ = fake
    server.failure = HttpFailure(
        401,
        {
            "status": "quota_exceeded",
            "message": "This request exceeds your quota of 10000. You have 0 credits remaining.",
        },
    )
    with pytest.raises(ProviderRejected) as caught:
        await tts.synthesize(TEXT)
    assert caught.value.code == "quota_exceeded"
    assert not caught.value.retryable


async def test_server_error_is_unavailable_and_sent_once(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake
    server.failure = HttpFailure(500)
    with pytest.raises(ProviderUnavailable) as caught:
        await tts.synthesize(TEXT)
    assert caught.value.retryable
    assert len(server.requests) == 1


async def test_rate_limit_carries_retry_after(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake
    server.failure = HttpFailure(
        429,
        {
            "status": "too_many_concurrent_requests",
            "message": "Too many concurrent requests for your subscription.",
        },
        headers={"Retry-After": "3"},
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await tts.synthesize(TEXT)
    assert caught.value.retry_after_s == pytest.approx(3)
    assert caught.value.code == "too_many_concurrent_requests"
    assert len(server.requests) == 1


async def test_unknown_voice_is_rejected(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake
    server.failure = HttpFailure(
        404, {"status": "voice_not_found", "message": "A voice with that ID was not found."}
    )
    with pytest.raises(ProviderRejected) as caught:
        await tts.synthesize(TEXT)
    assert caught.value.code == "voice_not_found"


async def test_empty_text_is_rejected_without_a_request(
    fake: tuple[FakeElevenLabs, str], tts: ElevenLabsTTS
) -> None:
    server, _ = fake
    with pytest.raises(ProviderRejected) as caught:
        await tts.synthesize("  ")
    assert caught.value.code == "empty_text"
    assert server.requests == []


async def test_connection_refused_is_unavailable() -> None:
    tts = make_tts(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderUnavailable) as caught:
        await tts.synthesize(TEXT)
    await tts.aclose()
    assert caught.value.code == "connection"
