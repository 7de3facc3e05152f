"""Streaming forms of the speech capabilities, for real-time calls over Twilio Media Streams
(docs/architecture.md, "A real-time call").

Audio on a phone line is 8 kHz mono G.711 μ-law (Twilio docs, "Media Streams — WebSocket
Messages": ``audio/x-mulaw``, sample rate 8000, one channel). Inside Switchboard the caller's
audio travels as 16-bit little-endian signed PCM at 8 kHz (``PCM16``); what the agent says goes
out as μ-law bytes at 8 kHz, which Twilio plays as they are (no resampling on the way out).

One ``SpeechStream`` and one ``SpeechSynthesis`` per call. The pipeline decides where a caller's
turn ends (its own VAD), so every engine is told: ``finish_turn`` asks for the final transcript
of what was fed since the previous turn (AssemblyAI Universal-Streaming: a ``ForceEndpoint``;
the local engine: Whisper on the buffered utterance).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from switchboard.providers.base import Transcript

PHONE_RATE = 8000  # Hz
FRAME_MS = 20  # Twilio sends 20 ms of audio per ``media`` message
FRAME_SAMPLES = PHONE_RATE * FRAME_MS // 1000  # 160 samples: 160 μ-law bytes, 320 PCM16 bytes


class SpeechStream(Protocol):
    """The caller's audio of one call, transcribed turn by turn."""

    async def feed(self, pcm16: bytes) -> None:
        """Append caller audio: PCM16 at 8 kHz mono, any whole number of samples."""
        ...

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        """The caller has stopped speaking: the final transcript of the audio fed since the last
        call (then forgotten). ``vocabulary`` biases the engine as in ``SpeechToText``;
        ``context`` is what the agent said last (e.g. "Shall I confirm?"), which an engine that
        takes a prompt is given. Raises ``ProviderError``; ``ProviderRejected(code="no_speech")``
        when there was no speech in it."""
        ...

    async def discard_turn(self) -> None:
        """Forget the audio fed since the last turn without transcribing it."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class PreviewableSpeechStream(SpeechStream, Protocol):
    """A stream that can transcribe the turn so far without ending it (the local engine): the
    pipeline asks while the caller pauses, and saves that time when the pause ends the turn."""

    async def preview(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        """The transcript of the audio fed since the last turn, which stays fed. Raises as
        ``finish_turn``."""
        ...


@runtime_checkable
class RereadableSpeechStream(SpeechStream, Protocol):
    """A stream that can read its last turn again as one of a few phrases (the local engine):
    the pipeline asks when the open transcript made no sense as the answer to a yes/no
    question."""

    async def reread(
        self, phrases: Sequence[str], *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript | None:
        """The last transcribed turn as one of ``phrases``, or None when it is none of them."""
        ...


@runtime_checkable
class WordRereadableSpeechStream(SpeechStream, Protocol):
    """A stream that can read its last turn again with only some words allowed (the local
    engine): the pipeline asks when the open transcript of a request made no sense."""

    async def reread_words(self, words: Sequence[str], *, context: str = "") -> Transcript | None:
        """The last transcribed turn read with only ``words``, or None when that gave nothing
        usable."""
        ...


class StreamingSpeechToText(Protocol):
    def open_stream(self) -> SpeechStream:
        """A new stream for one call (connections are opened lazily, on the first ``feed``)."""
        ...

    async def warm(self) -> None:
        """Get ready before the first call (a local engine loads its model). Raises
        ``ProviderError``."""
        ...


@dataclass(frozen=True)
class SpokenChunk:
    """Part of a reply as it is ready to play: μ-law bytes at 8 kHz mono and the text they say
    (the sentence; several chunks of one sentence carry it on the first only)."""

    mulaw: bytes
    text: str = ""


class SpeechSynthesis(Protocol):
    def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        """Speak ``text`` sentence by sentence; the first chunk comes as soon as the engine has
        it. Raises ``ProviderError`` (before the first chunk, or mid-way)."""
        ...


async def render(tts: SpeechSynthesis, text: str) -> bytes:
    """All of ``text`` as one μ-law 8 kHz clip (a phrase said at the start of every call is
    rendered once, before any call). Raises ``ProviderError``."""
    return b"".join([chunk.mulaw async for chunk in tts.stream(text)])
