"""Fake streaming vendors for the calls suite (``bench/suites/calls.py``), at the latency budget
of Twilio's voice-agent guide: STT final transcript 350 ms after the turn is finished, LLM time
to first token 375 ms, TTS time to first byte 100 ms (each log-normal around that median,
``bench.fakes.Latency``).

- ``FakeStreamingSTT``: one ``FakeSpeechStream`` per call; ``finish_turn`` answers after the
  STT latency with the caller's line of the bench script (``SCRIPT``), in order — the k-th
  finished turn of a stream is the k-th line — so the real rule-based agent hears what the
  caller said without any audio decoding (the vendor's work is the sleep).
- ``TimedAgent`` over ``bench.fakes.LatencyAgent``: the agent's latency, then the real
  ``RuleBasedAgent``'s decision. The product's ``Agent`` returns a whole decision, not tokens, so
  the fake's "time to first token" is its time to the whole decision: what a real LLM would add
  after its first token is not modelled (see the suite's report).
- ``FakeSpeechSynthesis``: per sentence, the TTS latency, then a canned tone of the sentence's
  spoken length (``MS_PER_CHARACTER``) as 8 kHz μ-law.
- ``ScriptedSTT``: the record path's (batch) STT for the bench worker: the STT latency, then the
  script line whose audio length is nearest the recording's (the lines differ by ≥ 250 ms).

Every fake writes what it did and when (wall clock, ``time.time()`` s) to a ``Timeline``; the
bench media process serves it at ``GET /bench/call-events`` (``bench/media.py``), which is how
the suite splits a turn's latency into stages.

Latencies travel to the media process as JSON in ``BENCH_CALL_LATENCY`` (``CallLatency``), the
record path's script lengths to the bench worker in ``BENCH_CALL_SCRIPT``.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.fakes import Latency, LatencyAgent
from switchboard.agent_models import AgentContext, AgentDecision
from switchboard.providers.base import Agent, Media, ProviderRejected, Transcript
from switchboard.providers.streaming import PHONE_RATE, SpokenChunk

if TYPE_CHECKING:
    from operations.calls.session import CallEngines
    from switchboard.settings import Settings

CALL_LATENCY_ENV = "BENCH_CALL_LATENCY"
CALL_SCRIPT_ENV = "BENCH_CALL_SCRIPT"

# What the caller says, in order: a booking, its confirmation, a question, goodbye (the agent
# then hangs up). Smoke calls say the first two. Spoken by espeak on the bench side.
SCRIPT: tuple[str, ...] = (
    "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am.",
    "Yes please.",
    "What are your opening hours?",
    "Thank you so much for your help, that's all. Goodbye.",
)
# Spoken length of the fake TTS's audio: eSpeak at 160 wpm says the agent's replies at 45-70 ms
# a character, pauses included.
MS_PER_CHARACTER = 60
MULAW_BYTES_PER_MS = PHONE_RATE // 1000  # μ-law: one byte a sample


@dataclass(frozen=True)
class CallLatency:
    """The streaming vendors' latencies (median ms, log-normal sigma): Twilio's voice-agent
    budget by default."""

    stt_final: Latency = field(default_factory=lambda: Latency(350))
    agent_ttft: Latency = field(default_factory=lambda: Latency(375))
    tts_ttfb: Latency = field(default_factory=lambda: Latency(100))

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> CallLatency:
        data = json.loads(raw)
        return cls(**{f.name: Latency(**data[f.name]) for f in fields(cls) if f.name in data})

    @classmethod
    def from_env(cls) -> CallLatency:
        raw = os.environ.get(CALL_LATENCY_ENV, "").strip()
        return cls.from_json(raw) if raw else cls()

    def with_overrides(self, overrides: dict[str, tuple[float, float | None]]) -> CallLatency:
        """``{"stt_final": (300, 0.2)}`` → a copy with those stages changed (sigma None:
        unchanged). Raises ``ValueError`` for an unknown stage."""
        values: dict[str, Latency] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, (median, sigma) in overrides.items():
            if name not in values:
                raise ValueError(f"unknown call stage {name!r}; stages: {', '.join(values)}")
            values[name] = Latency(median, values[name].sigma if sigma is None else sigma)
        return CallLatency(**values)

    def describe(self) -> dict[str, dict[str, float]]:
        return {
            f.name: {
                "median": getattr(self, f.name).median_ms,
                "sigma": getattr(self, f.name).sigma,
            }
            for f in fields(self)
        }

    def samples_ms(self, *, n: int = 200_000, seed: int = 1) -> np.ndarray:
        """Monte-Carlo distribution (ms, shape ``(n,)``) of STT + agent + TTS, independent."""
        rng = np.random.default_rng(seed)
        total = np.zeros(n)
        for f in fields(self):
            total += getattr(self, f.name).samples_ms(rng, n)
        return total


class Timeline:
    """What the fakes did, in order: ``{"event", "t" (wall-clock s), "stream"}`` rows."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def mark(self, event: str, stream: int | None = None) -> None:
        self.events.append({"event": event, "t": time.time(), "stream": stream})

    def drain(self) -> list[dict[str, Any]]:
        out, self.events = self.events, []
        return out


async def _sleep(latency: Latency, rng: random.Random) -> None:
    await asyncio.sleep(latency.sample_s(rng))


class FakeSpeechStream:
    """``SpeechStream`` for one call: counts the audio fed; each ``finish_turn`` answers the next
    line of ``lines`` (wrapping) after the latency. Raises ``ProviderRejected("no_speech")`` when
    nothing was fed since the last turn, as the local engine does."""

    def __init__(
        self,
        number: int,
        latency: Latency,
        timeline: Timeline,
        rng: random.Random,
        lines: Sequence[str] = SCRIPT,
    ) -> None:
        self.number = number
        self._latency = latency
        self._timeline = timeline
        self._rng = rng
        self._lines = lines
        self._fed = 0  # bytes of PCM16 since the last turn
        self._turns = 0

    async def feed(self, pcm16: bytes) -> None:
        self._fed += len(pcm16)

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        fed, self._fed = self._fed, 0
        if not fed:
            raise ProviderRejected("no audio fed since the last turn", code="no_speech")
        self._timeline.mark("stt_start", self.number)
        await _sleep(self._latency, self._rng)
        text = self._lines[self._turns % len(self._lines)]
        self._turns += 1
        self._timeline.mark("stt_end", self.number)
        return Transcript(text=text, confidence=0.9, duration_ms=fed * 1000 // (2 * PHONE_RATE))

    async def discard_turn(self) -> None:
        self._fed = 0

    async def aclose(self) -> None:
        self._fed = 0


class FakeStreamingSTT:
    """``StreamingSpeechToText``: a ``FakeSpeechStream`` per call, numbered from 1."""

    def __init__(self, latency: Latency, timeline: Timeline, *, seed: int | None = None) -> None:
        self._latency = latency
        self._timeline = timeline
        self._rng = random.Random(seed)
        self._opened = 0

    async def warm(self) -> None:
        """Nothing to load."""

    def open_stream(self) -> FakeSpeechStream:
        self._opened += 1
        return FakeSpeechStream(self._opened, self._latency, self._timeline, self._rng)


class TimedAgent:
    """An ``Agent`` whose calls are written to the timeline (``agent_start``, ``agent_end``)."""

    def __init__(self, inner: Agent, timeline: Timeline) -> None:
        self._inner = inner
        self._timeline = timeline

    async def decide(self, context: AgentContext) -> AgentDecision:
        self._timeline.mark("agent_start")
        try:
            return await self._inner.decide(context)
        finally:
            self._timeline.mark("agent_end")


class FakeSpeechSynthesis:
    """``SpeechSynthesis``: each sentence after the TTS latency, as a tone of its spoken length
    (``MS_PER_CHARACTER``). Timeline: ``tts_start``, ``tts_first`` (the first chunk is ready)."""

    def __init__(self, latency: Latency, timeline: Timeline, *, seed: int | None = None) -> None:
        self._latency = latency
        self._timeline = timeline
        self._rng = random.Random(seed)

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        from switchboard.voice.local_stream_tts import split_sentences  # numpy/PyAV: load late

        sentences = split_sentences(text)
        if not sentences:
            raise ProviderRejected("nothing to say: the text is empty")
        self._timeline.mark("tts_start")
        for index, sentence in enumerate(sentences):
            await _sleep(self._latency, self._rng)
            if index == 0:
                self._timeline.mark("tts_first")
            yield SpokenChunk(tone_mulaw(len(sentence) * MS_PER_CHARACTER), text=sentence)


@cache
def tone_mulaw(duration_ms: int) -> bytes:
    """``duration_ms`` of a quiet 440 Hz tone as 8 kHz μ-law (what a TTS vendor streams)."""
    from switchboard.media_streams import pcm16_to_mulaw

    t = np.arange(duration_ms * MULAW_BYTES_PER_MS) / PHONE_RATE
    samples = (0.1 * 32767 * np.sin(2 * math.pi * 440 * t)).astype("<i2")
    return pcm16_to_mulaw(samples.tobytes())


class ScriptedSTT:
    """``SpeechToText`` for the record path: after the latency, the line of ``lengths_ms``
    (line → its recording's length, ms) nearest the recording's length; a recording that does
    not decode gets the first line."""

    def __init__(
        self, latency: Latency, lengths_ms: dict[str, int], *, seed: int | None = None
    ) -> None:
        if not lengths_ms:
            raise ValueError("no script lines")
        self._latency = latency
        self._lengths = lengths_ms
        self._rng = random.Random(seed)

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        from switchboard import audio as codec

        await _sleep(self._latency, self._rng)
        try:
            length = codec.duration_ms(audio.data)
        except codec.AudioDecodeError:
            return Transcript(text=next(iter(self._lengths)), confidence=0.9, duration_ms=0)
        text = min(self._lengths, key=lambda line: abs(self._lengths[line] - length))
        return Transcript(text=text, confidence=0.9, duration_ms=length)

    @staticmethod
    def lengths_from_env() -> dict[str, int]:
        raw = os.environ.get(CALL_SCRIPT_ENV, "").strip()
        return {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}


def fake_call_engines(settings: Settings, latency: CallLatency, timeline: Timeline) -> CallEngines:
    """The media process's ``CallEngines`` with the fakes above."""
    from operations.calls.session import CallEngines  # temporalio, PyAV, Silero: load late
    from switchboard.business import load_profile

    return CallEngines(
        stt=FakeStreamingSTT(latency.stt_final, timeline),
        tts=FakeSpeechSynthesis(latency.tts_ttfb, timeline),
        agent=TimedAgent(LatencyAgent(latency.agent_ttft), timeline),
        profile=load_profile(settings.business_profile),
        window=settings.conversation_window,
        default_timezone=settings.default_timezone,
    )
