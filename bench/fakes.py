"""Latency-injecting fake vendors for the benchmarks.

Each capability sleeps for a latency drawn from a log-normal distribution (median and spread
configurable per stage), then answers:

- ``FakeSTT``: a fixed transcript (no audio decoding: the vendor's work is the sleep); like
  AssemblyAI it takes the voice note as WhatsApp sent it, so the worker only checks it whole.
- ``FakeTTS``: a small canned WAV; for a voice note the same speech already Ogg/Opus, as
  ElevenLabs answers ``output_format=opus_48000_32``.
- ``LatencyAgent``: the real ``RuleBasedAgent``'s decision (so the workflow acts on realistic
  intents), after the agent's latency.
- ``LatencyTelephony``: the real ``TwilioTelephony`` adapter (twilio SDK → the fake Twilio over
  HTTP), with the vendor's latency added before each media fetch, send and call.

The latency profile comes from ``BENCH_LATENCY`` (JSON, ``LatencyProfile``) so the worker and the
API processes the bench starts use the same one.
"""

from __future__ import annotations

import asyncio
import io
import json
import math
import os
import random
import wave
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any, Literal

import numpy as np

from switchboard.agent_models import AgentContext, AgentDecision
from switchboard.providers.base import (
    Agent,
    Media,
    MessageRecord,
    SentMessage,
    Telephony,
    Transcript,
)
from switchboard.providers.factory import make_telephony
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.settings import Settings

LATENCY_ENV = "BENCH_LATENCY"
# A neutral question: the rules agent answers it without proposing a booking, so every turn of a
# run does the same work (no drafts, no draft-follow-up journeys).
TRANSCRIPT = "Hello, what can you help me with?"


@dataclass(frozen=True)
class Latency:
    """Log-normal latency: ``median_ms`` and ``sigma`` (the log's standard deviation; 0.2 puts
    p95 at about 1.39 × the median and p99 at 1.59 ×)."""

    median_ms: float
    sigma: float = 0.2

    def sample_s(self, rng: random.Random) -> float:
        if self.median_ms <= 0:
            return 0.0
        return self.median_ms * math.exp(rng.gauss(0.0, self.sigma)) / 1000.0

    def samples_ms(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.median_ms <= 0:
            return np.zeros(n)
        return self.median_ms * np.exp(rng.normal(0.0, self.sigma, n))


@dataclass(frozen=True)
class LatencyProfile:
    """The issue's defaults: media fetch 150 ms, STT 300 ms, agent 600 ms, TTS 400 ms, Twilio
    send 150 ms, each with jitter."""

    media_fetch: Latency = field(default_factory=lambda: Latency(150))
    stt: Latency = field(default_factory=lambda: Latency(300))
    agent: Latency = field(default_factory=lambda: Latency(600))
    tts: Latency = field(default_factory=lambda: Latency(400))
    send: Latency = field(default_factory=lambda: Latency(150))

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> LatencyProfile:
        data = json.loads(raw)
        return cls(**{f.name: Latency(**data[f.name]) for f in fields(cls) if f.name in data})

    @classmethod
    def from_env(cls) -> LatencyProfile:
        raw = os.environ.get(LATENCY_ENV, "").strip()
        return cls.from_json(raw) if raw else cls()

    def with_overrides(self, overrides: dict[str, tuple[float, float | None]]) -> LatencyProfile:
        """``{"stt": (300, 0.2)}`` → a copy with those stages changed (sigma None: unchanged)."""
        values: dict[str, Latency] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, (median, sigma) in overrides.items():
            if name not in values:
                raise ValueError(f"unknown stage {name!r}; stages: {', '.join(values)}")
            values[name] = Latency(median, values[name].sigma if sigma is None else sigma)
        return LatencyProfile(**values)

    def path_samples_ms(self, stages: list[str], *, n: int = 200_000, seed: int = 1) -> np.ndarray:
        """Monte-Carlo distribution of the sum of ``stages``' latencies (independent draws)."""
        rng = np.random.default_rng(seed)
        total = np.zeros(n)
        for stage in stages:
            total += getattr(self, stage).samples_ms(rng, n)
        return total


class _Sleeper:
    def __init__(self, latency: Latency, seed: int | None) -> None:
        self._latency = latency
        self._rng = random.Random(seed)

    async def __call__(self) -> None:
        await asyncio.sleep(self._latency.sample_s(self._rng))


class FakeSTT:
    # Reads the voice note as WhatsApp sent it, as AssemblyAI does (``AnyContainerSpeechToText``).
    reads_any_container = True

    def __init__(self, latency: Latency, *, text: str = TRANSCRIPT, seed: int | None = None):
        self._sleep = _Sleeper(latency, seed)
        self._text = text

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        await self._sleep()
        return Transcript(text=self._text, confidence=0.9, duration_ms=3000)


class FakeTTS:
    def __init__(self, latency: Latency, *, seed: int | None = None) -> None:
        self._sleep = _Sleeper(latency, seed)

    async def synthesize(self, text: str) -> Media:
        await self._sleep()
        return Media(data=canned_wav(), content_type="audio/wav")

    async def synthesize_voice_note(self, text: str) -> Media:
        """What ElevenLabs answers to ``output_format=opus_48000_32`` (the product's
        ``VoiceNoteSpeech``): the same speech, already Ogg/Opus, encoded by the vendor."""
        await self._sleep()
        return Media(data=canned_voice_note(), content_type="audio/ogg")


class LatencyAgent:
    def __init__(self, latency: Latency, *, inner: Agent | None = None, seed: int | None = None):
        self._sleep = _Sleeper(latency, seed)
        self._inner = inner or RuleBasedAgent()

    async def decide(self, context: AgentContext) -> AgentDecision:
        await self._sleep()
        return await self._inner.decide(context)


class LatencyTelephony:
    """The real Twilio adapter plus the vendor's latency before each request."""

    def __init__(
        self, inner: Telephony, *, fetch: Latency, send: Latency, seed: int | None = None
    ) -> None:
        self._inner = inner
        self._fetch = _Sleeper(fetch, None if seed is None else seed + 1)
        self._send = _Sleeper(send, None if seed is None else seed + 2)

    async def send_whatsapp(
        self,
        *,
        to: str,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
        status_callback: str | None = None,
        media_url: str | None = None,
    ) -> SentMessage:
        await self._send()
        return await self._inner.send_whatsapp(
            to=to,
            body=body,
            content_sid=content_sid,
            content_variables=content_variables,
            status_callback=status_callback,
            media_url=media_url,
        )

    async def list_messages(self, *, to: str, sent_after: datetime) -> list[MessageRecord]:
        return await self._inner.list_messages(to=to, sent_after=sent_after)

    async def list_calls(self, *, to: str, created_after: datetime) -> list[str]:
        return await self._inner.list_calls(to=to, created_after=created_after)

    async def place_call(
        self,
        *,
        to: str,
        url: str,
        status_callback: str | None = None,
        amd_status_callback: str | None = None,
    ) -> str:
        await self._send()
        return await self._inner.place_call(
            to=to,
            url=url,
            status_callback=status_callback,
            amd_status_callback=amd_status_callback,
        )

    async def update_call(
        self,
        call_sid: str,
        *,
        twiml: str | None = None,
        status: Literal["completed", "canceled"] | None = None,
    ) -> str:
        await self._send()
        return await self._inner.update_call(call_sid, twiml=twiml, status=status)

    async def fetch_media(self, url: str, *, max_bytes: int) -> Media:
        await self._fetch()
        return await self._inner.fetch_media(url, max_bytes=max_bytes)


@dataclass
class FakeVendors:
    """One set of fakes; ``providers()`` gives the worker's ``Providers``."""

    stt: FakeSTT
    tts: FakeTTS
    agent: LatencyAgent
    telephony: LatencyTelephony

    @classmethod
    def build(
        cls, settings: Settings, profile: LatencyProfile, *, seed: int | None = None
    ) -> FakeVendors:
        def sub(n: int) -> int | None:
            return None if seed is None else seed * 10 + n

        return cls(
            stt=FakeSTT(profile.stt, seed=sub(1)),
            tts=FakeTTS(profile.tts, seed=sub(2)),
            agent=LatencyAgent(profile.agent, seed=sub(3)),
            telephony=LatencyTelephony(
                make_telephony(settings), fetch=profile.media_fetch, send=profile.send, seed=sub(4)
            ),
        )

    def providers(self) -> Any:
        from worker import Providers  # the worker module imports every activity: load it late

        return Providers(stt=self.stt, tts=self.tts, agent=self.agent, telephony=self.telephony)


@cache
def canned_wav() -> bytes:
    """1.5 s of a quiet 440 Hz tone, 8 kHz 16-bit mono WAV: what a TTS vendor hands back."""
    rate = 8000
    t = np.arange(int(rate * 1.5)) / rate
    samples = (0.1 * 32767 * np.sin(2 * math.pi * 440 * t)).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


@cache
def canned_voice_note() -> bytes:
    """``canned_wav`` as a TTS vendor encodes it for a WhatsApp voice note: Ogg/Opus, 48 kHz,
    32 kbit/s (made once, here, with the product's converter: the vendor's CPU, not the
    worker's)."""
    from switchboard import audio

    return audio.to_ogg_opus(canned_wav())


@cache
def voice_note() -> bytes:
    """A 3 s OGG/Opus voice note (what WhatsApp sends), made once with the product's own
    converter from a synthetic tone."""
    from switchboard import audio

    rate = 16000
    t = np.arange(rate * 3) / rate
    samples = (0.2 * 32767 * np.sin(2 * math.pi * 220 * t)).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return audio.to_ogg_opus(buffer.getvalue())
