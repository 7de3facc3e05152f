"""Streaming speech-to-text for live calls on the local engine: Whisper on each buffered turn.

Whisper is not a streaming model, so ``LocalSpeechStream`` only buffers the caller's PCM16 until
the pipeline's VAD says the turn ended (``switchboard/voice/turns.py``); ``finish_turn`` then
upsamples the turn to Whisper's 16 kHz with FFmpeg's resampler (PyAV), filters out the rumble
below the voice band, and transcribes it with ``WhisperSTT.transcribe_pcm`` in a worker thread.
The latency a caller feels is that one transcription, on top of the VAD's end-of-turn silence: on
the project's 2-core machine, 0.6-0.7 s of CPU for a 2-5 s espeak utterance (tiny.en, int8, beam
2, model loaded) with Whisper's 30 s window, about 0.4 s with the 20 s window
``local_stt.MIN_WINDOW_S`` sets; the upsampling and filtering take 7.5-20 ms per 10 s of audio
(best and median of 20, the machine shared with other jobs).

``reread`` reads the last turn again as one of a few phrases (a yes/no question's answers), for
the call session when the agent made no sense of the open transcript while an action waits for a
yes; it costs about one more transcription of the turn, on those turns only.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Final

import av
import numpy as np
import numpy.typing as npt

from switchboard.providers.base import ProviderRejected, Transcript
from switchboard.providers.local_stt import WHISPER_SAMPLE_RATE, WhisperSTT
from switchboard.providers.streaming import PHONE_RATE

# Below this the line carries no speech worth hearing (a phone channel passes 300-3400 Hz), only
# rumble: traffic, a car, wind, mains hum. FFmpeg's ``highpass`` (2 poles) removes it before
# Whisper. Measured with tiny.en on espeak phone-line turns (8 kHz, eight accents, half with white
# or brown noise at 15 dB SNR): word error rate 0.383 -> 0.366 on the 28 turns of
# evals/scenarios/calls.yaml and 0.517 -> 0.483 on 18 other sentences (same voices and noises),
# replayed offline through this path; in the eval "on Saturday at 11am" and "your address" were
# then heard ("on Saturday, I'll be late with him", "your land red" before).
# Tried since and not adopted (issue 9; the calls eval's 45 turns as the call session hands
# them to STT, tiny.en, WER on the 18 main / 10 held-out calls against 0.33 / 0.56 here): noise
# suppression first, always or only on noisy turns (noisereduce spectral gating 0.71 / 0.77,
# gated 0.44 / 0.66; RNNoise via pyrnnoise 0.53 / 0.55; FFmpeg afftdn 0.36 / 0.70), a telephone
# band-pass (+ lowpass 3400 Hz 0.37 / 0.56; 300-3400 Hz 0.35 / 0.65; highpass 100 or 300 Hz
# instead 0.33 / 0.62, 0.34 / 0.52) and soxr's HQ resampler (0.37 / 0.57); nothing was better on
# both sets. tiny.en is fragile to any change of the audio: each variant turned a few turns
# better and as many worse (and the held-out figures move by +-0.15 between runs of one setting,
# from the temperature fallback's sampling; see ``WhisperSTT._run``).
HIGHPASS_HZ: Final = 200
# A turn longer than this keeps only its last MAX_TURN_S: the VAD ends real turns long before,
# so a turn this long is a line left open on noise, and its start is the least useful part.
MAX_TURN_S: Final = 60
_MAX_TURN_BYTES: Final = MAX_TURN_S * PHONE_RATE * 2
# A closed reading (``reread``) less sure than this is none. Offline (``WhisperSTT.
# transcribe_closed``), the yeses and noes read right scored 0.52-0.92 and the one question read
# as a yes ("Can I talk to a human please?" as "Yes, please.") 0.43: a narrow margin, measured on
# 74 espeak turns only.
MIN_CLOSED_CONFIDENCE: Final = 0.5
# Readings of a turn Whisper's beam search gives (``WhisperSTT.transcribe_pcm``): the first is
# the transcript, the others its ``alternatives``, for the call session to try when the agent
# makes no sense of the first. Two is all the open reading's beam (2) holds. Measured offline on
# the calls eval's 45 turns, as the media process hands them over (tiny.en, the calls' prompt
# and context): the second reading was the words said where the first was not in "Can I talk
# to a human please?" ("... a human clean?"), "I want to speak to a real person." ("... real
# portion."), "When is my next appointment?" ("Where is ...") and "Yes please." ("Yes, leave.");
# the best of the two against the first, WER 0.314 / 0.602 against 0.331 / 0.718 (main /
# held-out calls), the first reading's WER unchanged (asking for two changed it on 2 turns of
# 45), CPU per turn the same (822 against 827 ms, 135 decodes each, interleaved). Replayed
# through the rules agent, the second reading served 2 of the 19 turns it made no sense of
# (both yeses the closed reading also reads); in the eval, 1 turn of 45. Three and five (beam 3
# and 5, which also change the first reading) gave oracle WER 0.286 / 0.563 and 0.257 / 0.447,
# for 0-20 % more CPU per turn, and one more turn (of 45) with the right day, time, answer or
# pet among them but not first: none of the eval's failing calls has its meaning in any of five.
HYPOTHESES: Final = 2


class LocalSpeechStream:
    """``SpeechStream`` over ``WhisperSTT`` for one call: buffers PCM16 LE 8 kHz mono, transcribes
    it when the turn ends. Not thread-safe: fed and finished from one task (the call's loop); a
    ``feed`` while ``finish_turn`` awaits Whisper goes to the next turn."""

    def __init__(self, stt: WhisperSTT) -> None:
        self._stt = stt
        self._buffer = bytearray()
        self._closed = False
        # The audio (16 kHz) of the last transcript given, for ``reread``.
        self._last: npt.NDArray[np.float32] | None = None

    async def feed(self, pcm16: bytes) -> None:
        """Append caller audio. Raises ``ValueError`` for an odd number of bytes and
        ``RuntimeError`` after ``aclose``."""
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        if len(pcm16) % 2:
            raise ValueError(f"PCM16 audio of {len(pcm16)} bytes: not whole samples")
        self._buffer += pcm16
        if len(self._buffer) > _MAX_TURN_BYTES:
            del self._buffer[: len(self._buffer) - _MAX_TURN_BYTES]

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        """Transcribe the audio fed since the last turn, then forget it. ``duration_ms`` is that
        audio's length; ``alternatives`` Whisper's other readings of it (``HYPOTHESES``);
        ``words`` its words, each with how sure Whisper is of it (``switchboard.voice.names``).
        Raises ``ProviderRejected(code="no_speech")`` when nothing was fed or the VAD hears no
        voice in it, ``ProviderUnavailable`` when the model cannot load, ``RuntimeError`` after
        ``aclose``."""
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        # Taken before the first await, so audio fed meanwhile starts the next turn.
        turn = bytes(self._buffer)
        self._buffer.clear()
        if not turn:
            raise ProviderRejected("no audio fed since the last turn", code="no_speech")
        return await self._transcribe(turn, vocabulary, context)

    async def preview(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        """Transcribe the audio fed since the last turn *without* forgetting it: an early
        transcript while the caller pauses, used if the pause turns out to end the turn (then
        ``discard_turn``), thrown away if they go on. Raises as ``finish_turn``."""
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        turn = bytes(self._buffer)
        if not turn:
            raise ProviderRejected("no audio fed since the last turn", code="no_speech")
        return await self._transcribe(turn, vocabulary, context)

    async def reread(
        self, phrases: Sequence[str], *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript | None:
        """The audio of the last transcript given (by ``finish_turn`` or ``preview``) read again
        as one of ``phrases`` only (``WhisperSTT.transcribe_closed``): the answer to a closed
        question that the open reading made no sense of. None when there is no such audio or
        the closed reading is none of ``phrases`` or below ``MIN_CLOSED_CONFIDENCE``.
        Raises ``ProviderUnavailable`` when the model cannot load, ``RuntimeError`` after
        ``aclose``.

        Not gated on the open reading's confidence: of the misheard answers replayed offline,
        "Yes, not right." (0.77) and "You're clean." (0.44) had open readings as confident as
        their closed ones ("Yes, that's right.", 0.48; "Yes, please.", 0.53)."""
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        if self._last is None:
            return None
        closed = await self._stt.transcribe_closed(
            self._last, phrases, vocabulary=vocabulary, context=context
        )
        if closed.confidence is None or closed.confidence < MIN_CLOSED_CONFIDENCE:
            return None
        return closed

    async def reread_words(self, words: Sequence[str], *, context: str = "") -> Transcript | None:
        """The audio of the last transcript given read again with only ``words`` allowed
        (``WhisperSTT.transcribe_words``): a request the open reading made no sense of. None
        when there is no such audio, nothing came back, or the reading is below
        ``MIN_CLOSED_CONFIDENCE``. Raises ``ProviderUnavailable`` when the model cannot load,
        ``RuntimeError`` after ``aclose``."""
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        if self._last is None:
            return None
        read = await self._stt.transcribe_words(self._last, words, context=context)
        if read.confidence is None or read.confidence < MIN_CLOSED_CONFIDENCE:
            return None
        return read

    async def _transcribe(self, turn: bytes, vocabulary: Sequence[str], context: str) -> Transcript:
        samples = upsample_for_whisper(turn)
        transcript = await self._stt.transcribe_pcm(
            samples,
            vocabulary=vocabulary,
            context=context,
            fitted_window=True,
            hypotheses=HYPOTHESES,
            words=True,
        )
        self._last = samples
        return transcript

    async def discard_turn(self) -> None:
        """Forget the audio fed since the last turn."""
        self._buffer.clear()

    async def aclose(self) -> None:
        """Drop the buffer; the stream cannot be used afterwards. Idempotent."""
        self._closed = True
        self._buffer.clear()
        self._last = None


class LocalStreamingSTT:
    """``StreamingSpeechToText`` on the local Whisper engine; one ``WhisperSTT`` (one loaded
    model, about 0.75 s to load on first use) is shared by every call's stream."""

    def __init__(self, stt: WhisperSTT | None = None) -> None:
        self.stt = stt if stt is not None else WhisperSTT()

    def open_stream(self) -> LocalSpeechStream:
        return LocalSpeechStream(self.stt)

    async def warm(self) -> None:
        """Load the model now (in a thread), so that no caller's first turn waits for it.
        Raises ``ProviderUnavailable`` when it cannot be loaded."""
        await asyncio.to_thread(self.stt.load)


def upsample_for_whisper(pcm16: bytes) -> npt.NDArray[np.float32]:
    """PCM16 LE 8 kHz mono to float32 samples in [-1, 1] at 16 kHz, shape about ``(2n,)`` (the
    resampler's delay trims a few samples), with the rumble below ``HIGHPASS_HZ`` filtered out.

    FFmpeg's swresample (band-limited, as ``switchboard.audio.decode_pcm`` uses) rather than
    repeating or interpolating samples, whose images above 4 kHz Whisper would hear as hiss.
    Through s16 and / 32768 like ``decode_pcm``, so Whisper sees the same levels either way.
    """
    samples = np.frombuffer(pcm16, dtype="<i2").astype(np.int16)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = PHONE_RATE
    frame.pts = 0
    graph = av.filter.Graph()
    chain = [
        graph.add_abuffer(
            format="s16", sample_rate=PHONE_RATE, layout="mono", time_base=Fraction(1, PHONE_RATE)
        ),
        graph.add("aresample", str(WHISPER_SAMPLE_RATE)),
        graph.add("highpass", f"f={HIGHPASS_HZ}"),
        graph.add("aformat", "sample_fmts=s16:channel_layouts=mono"),
        graph.add("abuffersink"),
    ]
    for source, sink in itertools.pairwise(chain):
        source.link_to(sink)
    graph.configure()
    graph.push(frame)
    graph.push(None)  # end of stream: the filters hand over the tail they held back
    chunks: list[npt.NDArray[np.generic]] = []
    while True:
        try:
            chunks.append(graph.pull().to_ndarray().reshape(-1))
        except (av.BlockingIOError, av.EOFError):
            break
    return np.concatenate(chunks).astype(np.float32) / 32768.0
