"""Streaming text-to-speech for live calls on the local engine: eSpeak NG, sentence by sentence,
as 8 kHz μ-law ready for Twilio Media Streams.

Each sentence is synthesised on its own (``EspeakTTS``, in a worker thread), resampled to 8 kHz
by FFmpeg (``switchboard.audio.decode_pcm``) and μ-law encoded (``switchboard.media_streams``).
While one sentence's chunk is being played the next is already being synthesised. eSpeak ends a
sentence with only ~10 ms of silence when it is synthesised alone, but pauses 350-410 ms between
sentences of one text (160 wpm), so every chunk but the last carries ``SENTENCE_PAUSE_MS`` of
silence at its end.

Measured on the project's 2-core machine: the first chunk of a two-sentence reply ("I've got Max
on Tuesday at ten for a haircut. Shall I confirm?", 2.7 s of audio) is ready 13 ms after
``stream`` is called (median of 20; at most 15 ms; espeak ~3 ms, resampling and encoding the
rest), the whole reply in 20 ms; the greeting (3.8 s) pre-renders in 15 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import OrderedDict
from collections.abc import AsyncGenerator
from typing import Final

import numpy as np

from switchboard.audio import decode_pcm
from switchboard.media_streams import MULAW_SILENCE, pcm16_to_mulaw
from switchboard.providers.base import ProviderRejected
from switchboard.providers.local_tts import EspeakTTS
from switchboard.providers.streaming import PHONE_RATE, SpokenChunk

SENTENCE_PAUSE_MS: Final = 350
_PAUSE: Final = bytes([MULAW_SILENCE]) * (SENTENCE_PAUSE_MS * PHONE_RATE // 1000)

# Sentence ends: ., ! or ? (runs of them, and "…"), closing quotes or brackets, then space and a
# capital, a digit or an opening quote; or a line break. No sentence splitter is installed
# (nltk, pysbd, blingfire are not dependencies) and the text is the agent's own: one or two
# short sentences (switchboard/providers/openai_agent.py, rules_agent/), with times as "10:30"
# or "10.30" (no space after the dot, so not split). Titles before a name are not ends.
_SENTENCE_END = re.compile(
    r"""(?:(?<=[.!?…])|(?<=[.!?…]["'”’)\]]))\s+(?=["'“‘(]?[A-Z0-9])|\s*\n\s*"""
)
_TITLES = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Prof)\.$")

# Pre-rendered phrases (the greeting, "Sorry, I didn't catch that"), shared by every call in
# the process. A handful of fixed lines at ~8 KB a second of speech; the oldest go past this.
_CACHE_ENTRIES: Final = 64
_prerendered: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences, whitespace trimmed, blanks dropped."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _TITLES.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


class LocalSpeechSynthesis:
    """``SpeechSynthesis`` with eSpeak NG for one or many calls (it holds no per-call state).

    ``voice`` and ``rate_wpm`` as in ``EspeakTTS``. eSpeak is one synthesiser per process
    (``switchboard/providers/local_tts.py``), so concurrent calls take turns for a few ms each.
    """

    def __init__(self, voice: str = "en-us", *, rate_wpm: int = 160) -> None:
        self._tts = EspeakTTS(voice, rate_wpm=rate_wpm)

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        """One ``SpokenChunk`` per sentence of ``text``: its μ-law 8 kHz audio (with the pause
        that follows it, but the last) and the sentence. Raises ``ProviderRejected`` for text
        without words or that espeak refuses, ``ProviderUnavailable`` when espeak cannot load.
        """
        sentences = split_sentences(text)
        if not sentences:
            raise ProviderRejected("nothing to say: the text is empty")
        upcoming = asyncio.create_task(self._render(sentences[0]))
        try:
            for index, sentence in enumerate(sentences):
                mulaw = await upcoming
                last = index + 1 == len(sentences)
                if not last:
                    # Synthesised while this chunk is played (or sent).
                    upcoming = asyncio.create_task(self._render(sentences[index + 1]))
                yield SpokenChunk(mulaw if last else mulaw + _PAUSE, text=sentence)
        finally:
            # The caller stopped early (barge-in) or a sentence failed: drop the one in flight.
            if not upcoming.done():
                upcoming.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await upcoming

    async def prerender(self, text: str) -> bytes:
        """All of ``text`` as μ-law 8 kHz, in one espeak pass (its own pauses between
        sentences); cached per process by (voice, rate, text), so a greeting rendered before
        the call is free when the call starts. Raises as ``stream``."""
        key = (self._tts.voice, self._tts.rate_wpm, text)
        cached = _prerendered.get(key)
        if cached is not None:
            _prerendered.move_to_end(key)
            return cached
        mulaw = await self._render(text)
        _prerendered[key] = mulaw
        while len(_prerendered) > _CACHE_ENTRIES:
            _prerendered.popitem(last=False)
        return mulaw

    async def _render(self, text: str) -> bytes:
        media = await self._tts.synthesize(text)
        return await asyncio.to_thread(_wav_to_mulaw, media.data)


def _wav_to_mulaw(wav: bytes) -> bytes:
    """espeak's 22.05 kHz PCM16 WAV → 8 kHz μ-law bytes (no header, what Twilio plays)."""
    samples = decode_pcm(wav, sample_rate=PHONE_RATE)
    # decode_pcm divides FFmpeg's s16 output by 32768: this multiplication is exact.
    pcm16 = np.clip(samples * 32768.0, -32768, 32767).astype("<i2").tobytes()
    return pcm16_to_mulaw(pcm16)
