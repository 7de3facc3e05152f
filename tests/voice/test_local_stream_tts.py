"""LocalSpeechSynthesis: replies spoken sentence by sentence by espeak-ng, as 8 kHz μ-law."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import numpy as np
import pytest

from switchboard.audio import duration_ms
from switchboard.media_streams import MULAW_SILENCE, mulaw_to_pcm16
from switchboard.providers.base import ProviderRejected
from switchboard.providers.local_tts import EspeakTTS
from switchboard.providers.streaming import PHONE_RATE, SpokenChunk
from switchboard.voice import local_stream_tts
from switchboard.voice.local_stream_tts import (
    SENTENCE_PAUSE_MS,
    LocalSpeechSynthesis,
    split_sentences,
)

REPLY = "I've got Max on Tuesday at ten for a haircut. Shall I confirm?"


async def collect(tts: LocalSpeechSynthesis, text: str) -> list[SpokenChunk]:
    return [chunk async for chunk in tts.stream(text)]


async def test_one_chunk_per_sentence_first_sentence_first() -> None:
    tts = LocalSpeechSynthesis()
    chunks = await collect(tts, REPLY)

    assert [c.text for c in chunks] == [
        "I've got Max on Tuesday at ten for a haircut.",
        "Shall I confirm?",
    ]
    # The pause between sentences closes the first chunk; the last ends with the speech.
    pause = SENTENCE_PAUSE_MS * PHONE_RATE // 1000
    assert chunks[0].mulaw[-pause:] == bytes([MULAW_SILENCE]) * pause
    assert chunks[1].mulaw[-pause:] != bytes([MULAW_SILENCE]) * pause


async def test_mulaw_at_8k_lasts_as_long_as_the_speech() -> None:
    """One μ-law byte a sample at 8 kHz: each chunk, less its pause, lasts as long as espeak's
    own WAV of that sentence (22.05 kHz); the whole reply as long as it rendered in one pass,
    give or take how espeak itself pauses between the sentences."""
    tts = LocalSpeechSynthesis()
    chunks = await collect(tts, REPLY)
    pause = SENTENCE_PAUSE_MS * PHONE_RATE // 1000

    for index, chunk in enumerate(chunks):
        speech = chunk.mulaw[:-pause] if index + 1 < len(chunks) else chunk.mulaw
        wav = (await EspeakTTS("en-us", rate_wpm=160).synthesize(chunk.text)).data
        assert abs(len(speech) * 1000 // PHONE_RATE - duration_ms(wav)) <= 20
        pcm = np.frombuffer(mulaw_to_pcm16(speech), dtype="<i2").astype(np.int32)
        assert np.sqrt(np.mean(pcm.astype(np.float64) ** 2)) > 1000  # speech, not silence

    streamed_ms = sum(len(c.mulaw) for c in chunks) * 1000 // PHONE_RATE
    whole_ms = len(await tts.prerender(REPLY)) * 1000 // PHONE_RATE
    assert 3000 <= streamed_ms <= 5000
    assert abs(streamed_ms - whole_ms) <= 150


async def test_the_next_sentence_is_synthesised_while_the_first_is_consumed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []
    tts = LocalSpeechSynthesis()
    real = tts._render

    async def spy(text: str) -> bytes:
        started.append(text)
        return await real(text)

    monkeypatch.setattr(tts, "_render", spy)
    stream = tts.stream(REPLY)
    assert isinstance(stream, AsyncGenerator)
    first = await anext(stream)
    await asyncio.sleep(0)  # the consumer is busy with the first chunk

    assert first.text == "I've got Max on Tuesday at ten for a haircut."
    assert started == [first.text, "Shall I confirm?"]
    await stream.aclose()  # a barge-in: the sentence in flight is dropped quietly


async def test_empty_text_is_rejected_before_any_chunk() -> None:
    with pytest.raises(ProviderRejected):
        await collect(LocalSpeechSynthesis(), "  \n ")


async def test_prerender_is_cached_per_voice_and_text(monkeypatch: pytest.MonkeyPatch) -> None:
    greeting = "Hello, you're through to Paws and Claws. How can I help?"
    rendered: list[str] = []
    real = local_stream_tts._wav_to_mulaw

    def counting(wav: bytes) -> bytes:
        rendered.append("x")
        return real(wav)

    monkeypatch.setattr(local_stream_tts, "_wav_to_mulaw", counting)
    monkeypatch.setattr(local_stream_tts, "_prerendered", type(local_stream_tts._prerendered)())

    first = await LocalSpeechSynthesis("en-us").prerender(greeting)
    again = await LocalSpeechSynthesis("en-us").prerender(greeting)  # another call, same process
    other_voice = await LocalSpeechSynthesis("en-gb-x-rp").prerender(greeting)

    assert again is first
    assert other_voice != first
    assert len(rendered) == 2
    assert abs(len(first) - 3800 * PHONE_RATE // 1000) < 1000  # ~3.8 s at 160 wpm


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Sure! See you at 10.30 on Friday.  Bye.",
            ["Sure!", "See you at 10.30 on Friday.", "Bye."],
        ),
        (
            "Dr. Patel sees Rex at 9 a.m. on Monday. Okay?",
            ["Dr. Patel sees Rex at 9 a.m. on Monday.", "Okay?"],
        ),
        ('She said "great." Then left.', ['She said "great."', "Then left."]),
        ("Wait... what? Yes!", ["Wait... what?", "Yes!"]),
        ("First line\nsecond line", ["First line", "second line"]),
        ("It's €45. 30 minutes.", ["It's €45.", "30 minutes."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
