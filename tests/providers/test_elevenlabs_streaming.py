"""ElevenLabsSpeechSynthesis through the real ``elevenlabs`` SDK against a fake streaming
text-to-speech endpoint that takes its time, as the real one does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing

import pytest

from switchboard.providers.base import ProviderAuthError, ProviderRejected, ProviderUnavailable
from switchboard.providers.elevenlabs_streaming import ElevenLabsSpeechSynthesis, split_sentences
from switchboard.providers.streaming import SpeechSynthesis, SpokenChunk
from tests.fakes.elevenlabs import HttpFailure
from tests.fakes.server import free_port, serve
from tests.providers.fake_elevenlabs_stream import FakeElevenLabsStream, audio_for

KEY = "xi-test-key"
VOICE = "21m00Tcm4TlvDq8ikWAM"
MODEL = "eleven_flash_v2_5"
FIRST = "I can book Tuesday at 10:00 for Felix."
SECOND = "Shall I confirm?"
REPLY = f"{FIRST} {SECOND}"


@pytest.fixture
def fake() -> Iterator[tuple[FakeElevenLabsStream, str]]:
    fake = FakeElevenLabsStream(api_key=KEY)
    with serve(fake.app) as url:
        yield fake, url


def make_tts(url: str, *, key: str = KEY, timeout_s: float = 5.0) -> ElevenLabsSpeechSynthesis:
    return ElevenLabsSpeechSynthesis(
        key, base_url=url, voice_id=VOICE, model_id=MODEL, timeout_s=timeout_s
    )


@pytest.fixture
async def tts(fake: tuple[FakeElevenLabsStream, str]) -> AsyncIterator[ElevenLabsSpeechSynthesis]:
    tts = make_tts(fake[1])
    yield tts
    await tts.aclose()


async def collect(tts: ElevenLabsSpeechSynthesis, text: str) -> list[SpokenChunk]:
    return [chunk async for chunk in tts.stream(text)]


async def test_each_sentence_is_one_streamed_request_in_ulaw(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake

    chunks = await collect(tts, REPLY)

    first, second = server.requests
    for request in (first, second):
        assert (request.method, request.path) == ("POST", f"/v1/text-to-speech/{VOICE}/stream")
        assert request.query == {"output_format": "ulaw_8000"}  # no deprecated latency knob
        assert request.headers["xi-api-key"] == KEY
        assert "authorization" not in request.headers
    assert first.json == {
        "text": FIRST,
        "model_id": MODEL,
        "previous_text": None,
        "next_text": SECOND,
    }
    assert second.json == {
        "text": SECOND,
        "model_id": MODEL,
        "previous_text": FIRST,
        "next_text": None,
    }
    # The audio of each sentence, in order, whole; its first chunk says which sentence it is.
    assert [c.text for c in chunks if c.text] == [FIRST, SECOND]
    starts = [i for i, c in enumerate(chunks) if c.text] + [len(chunks)]
    spoken = [
        b"".join(c.mulaw for c in chunks[a:b]) for a, b in zip(starts, starts[1:], strict=False)
    ]
    assert spoken == [audio_for(FIRST), audio_for(SECOND)]


async def test_the_first_chunk_comes_when_the_first_bytes_do_not_the_whole_audio(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.first_byte_delay_s = 0.3
    server.chunk_size = 160
    server.chunk_delay_s = 0.05  # FIRST is 1520 bytes: its last chunk comes 0.45 s after the first

    started = time.monotonic()
    async with aclosing(tts.stream(REPLY)) as chunks:
        first = await anext(chunks)
        first_after = time.monotonic() - started
        rest = [chunk async for chunk in chunks]
    total_after = time.monotonic() - started

    assert first.text == FIRST
    assert 0 < len(first.mulaw) <= 160
    assert 0.3 <= first_after < 0.3 + 0.4  # the model's delay, not the whole sentence's
    assert total_after >= 0.3 + 0.45
    assert b"".join(c.mulaw for c in [first, *rest]) == audio_for(FIRST) + audio_for(SECOND)


async def test_the_next_sentence_is_fetched_while_the_listener_is_still_busy(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    """Playback is paced to real time; the next sentence must not wait for it."""
    server, _ = fake
    async with aclosing(tts.stream(REPLY)) as chunks:
        first = await anext(chunks)
        assert first.text == FIRST
        await asyncio.sleep(0.5)  # the caller is still listening to the first sentence
        asked_for_more = time.monotonic()
        rest = [chunk async for chunk in chunks]
    assert len(server.requests) == 2
    assert server.first_byte_at[1] < asked_for_more  # already here when wanted
    # What piled up meanwhile comes back joined, not in the SDK's 160-byte pieces.
    assert rest[0].mulaw == audio_for(FIRST)[len(first.mulaw) :]
    assert rest[1] == SpokenChunk(mulaw=audio_for(SECOND), text=SECOND)


async def test_stopping_early_does_not_request_the_sentences_not_heard(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.chunk_size = 160
    server.chunk_delay_s = 0.05
    async with aclosing(tts.stream(REPLY)) as chunks:
        await anext(chunks)  # barge-in after the first chunk
    await asyncio.sleep(0.3)
    assert len(server.requests) == 1


async def test_wrong_key_is_an_auth_error_before_any_audio(
    fake: tuple[FakeElevenLabsStream, str],
) -> None:
    server, url = fake
    tts = make_tts(url, key="wrong")
    with pytest.raises(ProviderAuthError) as caught:
        await collect(tts, REPLY)
    await tts.aclose()
    assert caught.value.code == "invalid_api_key"
    assert len(server.requests) == 1


async def test_rate_limit_is_unavailable_with_retry_after(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.failures[0] = HttpFailure(
        429,
        {
            "status": "too_many_concurrent_requests",
            "message": "Too many concurrent requests for your subscription.",
        },
        headers={"Retry-After": "2"},
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await collect(tts, REPLY)
    assert caught.value.code == "too_many_concurrent_requests"
    assert caught.value.retry_after_s == pytest.approx(2)
    assert len(server.requests) == 1  # the SDK does not retry


async def test_unknown_voice_is_rejected(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.failures[0] = HttpFailure(
        404, {"status": "voice_not_found", "message": "A voice with that ID was not found."}
    )
    with pytest.raises(ProviderRejected) as caught:
        await collect(tts, REPLY)
    assert caught.value.code == "voice_not_found"


async def test_a_failure_on_a_later_sentence_comes_after_the_audio_that_arrived(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.failures[1] = HttpFailure(500)
    received: list[SpokenChunk] = []
    with pytest.raises(ProviderUnavailable) as caught:
        async for chunk in tts.stream(REPLY):
            received.append(chunk)
    assert caught.value.retryable
    assert b"".join(c.mulaw for c in received) == audio_for(FIRST)


async def test_a_connection_cut_mid_stream_is_unavailable(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    server.drop_after[0] = 800
    received: list[SpokenChunk] = []
    with pytest.raises(ProviderUnavailable) as caught:
        async for chunk in tts.stream(REPLY):
            received.append(chunk)
    assert caught.value.code == "connection"
    assert b"".join(c.mulaw for c in received) == audio_for(FIRST)[:800]
    assert len(server.requests) == 1


async def test_no_first_byte_within_the_timeout_is_unavailable(
    fake: tuple[FakeElevenLabsStream, str],
) -> None:
    server, url = fake
    server.first_byte_delay_s = 1.0
    tts = make_tts(url, timeout_s=0.3)
    with pytest.raises(ProviderUnavailable) as caught:
        await collect(tts, REPLY)
    await tts.aclose()
    assert caught.value.code == "timeout"


async def test_blank_text_is_rejected_without_a_request(
    fake: tuple[FakeElevenLabsStream, str], tts: ElevenLabsSpeechSynthesis
) -> None:
    server, _ = fake
    with pytest.raises(ProviderRejected) as caught:
        await collect(tts, " \n ")
    assert caught.value.code == "empty_text"
    assert server.requests == []


async def test_connection_refused_is_unavailable() -> None:
    tts = make_tts(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderUnavailable) as caught:
        await collect(tts, REPLY)
    await tts.aclose()
    assert caught.value.code == "connection"


async def test_it_is_the_speech_synthesis_interface() -> None:
    tts: SpeechSynthesis = make_tts("http://127.0.0.1:1")
    assert isinstance(tts, ElevenLabsSpeechSynthesis)
    await tts.aclose()


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (REPLY, [FIRST, SECOND]),
        ("Yes. I can book Tuesday at 10:00.", ["Yes. I can book Tuesday at 10:00."]),
        ("Dr. Smith sees Felix at 10.30 today!", ["Dr. Smith sees Felix at 10.30 today!"]),
        ("Booked for Tuesday at ten. Bye!", ["Booked for Tuesday at ten. Bye!"]),
        ("  One  line\nwithout a stop  ", ["One line without a stop"]),
        ("Wait… Are you sure? Okay then, done.", ["Wait… Are you sure?", "Okay then, done."]),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
