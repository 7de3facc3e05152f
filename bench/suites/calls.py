"""Suite 5, real-time calls: voice-to-voice latency over Twilio Media Streams.

A call is played as Twilio plays it (``devtools.simulate.TwilioSimulator.stream_call``): the
signed incoming-call webhook, the ``<Connect><Stream>`` WebSocket to the media process
(``devtools/stream_caller.py``: 20 ms μ-law frames in real time, marks echoed when played,
``clear`` honoured), the ``<Redirect>`` when the stream ends, the ``completed`` status callback.
The caller says the lines of ``bench.call_fakes.SCRIPT`` (a booking, "yes please", a question
about opening hours, goodbye; smoke: the first two), spoken by espeak
(``switchboard.providers.local_tts.EspeakTTS``) with the silence at both ends trimmed, so that
"end of speech" is the end of the last sound; ``stream_caller`` converts them as a phone line
does (8 kHz μ-law).

**Voice-to-voice latency** is ``stream_caller``'s figure: from the caller's last speech frame
sent to the first agent ``media`` frame received, per caller turn. Measured for:

- **fake vendors** (``bench.media:app``, ``bench/call_fakes.py``): streaming STT final 350 ms
  after ``finish_turn``, agent 375 ms (LLM time to first token; the fake then gives the real
  rule-based agent's decision), TTS first byte 100 ms, log-normal (σ 0.2). Baseline: the
  **vendor critical path** = VAD end-of-turn + STT + LLM + TTS, where the VAD end-of-turn is the
  product's own ``TurnDetector`` run offline on the same frames (the silence it waits for,
  ``END_SILENCE_MS`` = 600, before anything is sent to STT) and the vendors are the same
  distributions (Monte Carlo, 200,000 draws). Target: p50 ≤ 1.05 × that path.
- **local engines** (the product's ``api.media_main:app``: Silero VAD, Whisper tiny.en, the
  rule-based agent, espeak). Target: p50 ≤ 1.2 s.
- **record path** (``SWITCHBOARD_CALL_MODE=record``, the same lines as ``<Record>`` turns),
  the baseline: from posting the recording webhook to the first byte of the ``<Play>`` audio
  its TwiML names (what Twilio fetches before the caller hears anything). With the fake
  vendors (``bench.call_worker``: recording fetch 150 ms, STT 350, agent 375, TTS 100 as the
  whole synthesis) and with the local engines (the product's worker). Not included: Twilio's
  ``<Record timeout="2">`` — two seconds of silence before Twilio ends the recording — and its
  recording upload; "as heard" adds the 2 s.

Also: the greeting's first frame after ``start`` (target p95 ≤ 300 ms); a concurrency ramp (1,
2, 4, 8 … callers, each placing calls back to back) until the turn p95 exceeds 1.5 × the
one-call p95 or the cap; CPU per call-minute per process (``CpuMeter``); with the fake vendors,
where a turn's time goes (the fakes' timeline from ``GET /bench/call-events``, the ``call_turn``
Updates' accepted / completed times from the customer workflows' histories); with the local
engines, Whisper and espeak timed offline in the bench process on the same audio.

The processes are swapped by restarting them on the suite's stack (``BenchStack.restart``);
a smoke run, which shares its stack with the other suites, restores them at the end.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import time
import uuid
import wave
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import numpy as np

from bench.call_fakes import CALL_LATENCY_ENV, CALL_SCRIPT_ENV, SCRIPT, CallLatency
from bench.context import Bench
from bench.fakes import LATENCY_ENV, LatencyProfile
from bench.history import fetch_events
from bench.loadgen import customer_number
from bench.report import fact, figure
from bench.stack import MEDIA_FACTORY, BenchStack, CpuMeter
from bench.stats import summary
from devtools.simulate import SimulationError, TwilioSimulator, parse_twiml
from devtools.stream_caller import StreamCallError
from switchboard.settings import Settings
from switchboard.temporal import TASK_QUEUE, customer_workflow_id

SUITE = "5 calls"
OFFSET = 5_000_000  # customer numbers of this suite
CALL_TIMEOUT_S = 240.0  # one whole call, every reply included
WORKER_READY_S = 120.0
HOLD_FACTOR = 1.5  # a ramp level holds while its turn p95 ≤ this × the one-call p95
OVERHEAD_TARGET = 1.05  # fake vendors: p50 ≤ this × the vendor critical path
LOCAL_TARGET_MS = 1200.0
GREETING_TARGET_MS = 300.0
# api/call_twiml.py record_turn: <Record timeout="2">, seconds of silence that end a recording.
RECORD_SILENCE_MS = 2000.0
TRIM_LEVEL = 100  # |PCM16| below this (−50 dBFS) at either end of a line is silence
ENGINES = ("fake", "local")
# The suite's modes, in the order they run (``--call-mode`` picks a subset).
MODES = ("stream local", "stream fake", "record fake", "record local", "offline local")
ENGINE_NAME = {"fake": "fake vendors", "local": "local engines"}
RECORD_STAGES = ["media_fetch", "stt", "agent", "tts"]


# -- the caller's lines ---------------------------------------------------------------------------


@dataclass
class CallerLine:
    """One line of the script as the caller says it. Times in ms of audio."""

    text: str
    wav: bytes  # espeak's PCM16 WAV, trimmed to the sound
    phone_wav: bytes  # as a Twilio recording: 8 kHz μ-law WAV
    speech_ms: float  # length as streamed (whole 20 ms frames)
    vad_ms: float  # TurnDetector: end of speech → TurnEnded


def _trim(wav: bytes) -> bytes:
    """``wav`` (PCM16 mono) without the quiet samples at both ends."""
    with wave.open(io.BytesIO(wav)) as src:
        rate = src.getframerate()
        samples = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) >= TRIM_LEVEL)
    if loud.size:
        samples = samples[loud[0] : loud[-1] + 1]
    out = io.BytesIO()
    with wave.open(out, "wb") as dst:
        dst.setnchannels(1)
        dst.setsampwidth(2)
        dst.setframerate(rate)
        dst.writeframes(samples.tobytes())
    return out.getvalue()


def phone_mulaw(wav: bytes) -> bytes:
    """What ``stream_caller`` sends for ``wav``: 8 kHz μ-law, the same conversion."""
    from switchboard import audio
    from switchboard.media_streams import pcm16_to_mulaw

    samples = audio.decode_pcm(wav, sample_rate=8000)
    pcm16 = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    return pcm16_to_mulaw(pcm16.tobytes())


def vad_end_of_turn_ms(mulaw: bytes, *, lead_ms: int = 1000, max_tail_ms: int = 5000) -> float:
    """The product's ``TurnDetector`` on ``mulaw`` as the media process receives it (20 ms
    frames decoded to PCM16, after ``lead_ms`` of line silence): ms from the end of the last
    speech frame to the frame that completes ``TurnEnded`` — how long the caller waits before
    STT is asked for the transcript. The frame that completes it is sent that long after the
    caller's last speech frame, so it adds one for one to ``stream_caller``'s figure. Raises
    ``RuntimeError`` when no turn ends within ``max_tail_ms`` of silence."""
    from switchboard.media_streams import MULAW_SILENCE, frames, mulaw_to_pcm16
    from switchboard.voice.turns import TurnDetector, TurnEnded

    detector = TurnDetector()
    silence = bytes([MULAW_SILENCE]) * 160
    pushed = 0
    for _ in range(lead_ms // 20):
        detector.push(mulaw_to_pcm16(silence))
        pushed += 20
    for frame in frames(mulaw):
        detector.push(mulaw_to_pcm16(frame))
        pushed += 20
    speech_end = pushed
    while pushed - speech_end < max_tail_ms:
        events = detector.push(mulaw_to_pcm16(silence))
        pushed += 20
        if any(isinstance(e, TurnEnded) for e in events):
            return float(pushed - speech_end)
    raise RuntimeError(f"no end of turn within {max_tail_ms} ms of silence")


async def caller_lines(texts: tuple[str, ...]) -> list[CallerLine]:
    from switchboard import audio
    from switchboard.providers.local_tts import EspeakTTS

    tts = EspeakTTS()
    lines: list[CallerLine] = []
    for text in texts:
        wav = _trim((await tts.synthesize(text)).data)
        mulaw = phone_mulaw(wav)
        lines.append(
            CallerLine(
                text=text,
                wav=wav,
                phone_wav=audio.to_phone_wav(wav),
                speech_ms=float(-(-len(mulaw) // 160) * 20),
                vad_ms=await asyncio.to_thread(vad_end_of_turn_ms, mulaw),
            )
        )
    return lines


# -- what is measured ------------------------------------------------------------------------------


@dataclass
class CallResult:
    """One streamed call, as the caller measured it (ms)."""

    customer: str
    call_sid: str = ""
    stream_sid: str = ""
    turns_ms: list[float] = field(default_factory=list)  # end of speech → first agent frame
    greeting_ms: float | None = None  # `start` sent → first agent frame
    duration_s: float = 0.0  # the stream(s), connect → end
    streams: int = 0
    error: str | None = None


@dataclass
class Level:
    """Calls placed by ``callers`` concurrent callers; ``cpu`` is ``CpuMeter.usage``."""

    callers: int
    calls: list[CallResult] = field(default_factory=list)
    cpu: dict[str, Any] = field(default_factory=dict)

    def turns(self) -> list[float]:
        return [t for c in self.calls for t in c.turns_ms]

    def greetings(self) -> list[float]:
        return [c.greeting_ms for c in self.calls if c.greeting_ms is not None]

    def errors(self) -> list[str]:
        return [c.error for c in self.calls if c.error]

    def call_minutes(self) -> float:
        return sum(c.duration_s for c in self.calls) / 60.0

    def cpu_s_per_call_minute(self) -> dict[str, float]:
        """CPU seconds per minute of call, per process group; ``total`` leaves out ``bench``
        (the callers: Twilio's side)."""
        minutes = self.call_minutes()
        if not self.cpu or minutes <= 0:
            return {}
        span = self.cpu["span_s"]
        out = {k: round(v * span / minutes, 2) for k, v in self.cpu["ours_cores"].items()}
        out["total"] = round(sum(v for k, v in out.items() if k != "bench"), 2)
        return out


@dataclass
class StreamRun:
    single: Level
    ramp: list[Level] = field(default_factory=list)
    stages: dict[str, Any] | None = None  # fake vendors: where a turn's time goes


@dataclass
class RecordTurn:
    webhook_ms: float  # recording webhook posted → TwiML received
    first_byte_ms: float | None  # → first byte of the <Play> audio (None: answered <Say>)


@dataclass
class RecordRun:
    turns: list[RecordTurn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Measured:
    lines: list[dict[str, Any]]  # text, speech_ms, vad_ms
    stream: dict[str, StreamRun] = field(default_factory=dict)
    record: dict[str, RecordRun] = field(default_factory=dict)
    offline: dict[str, Any] = field(default_factory=dict)  # local engines timed offline
    mode_errors: dict[str, str] = field(default_factory=dict)

    def turn_vad_ms(self, level: Level) -> list[float]:
        """The offline VAD end-of-turn of each measured turn of ``level`` (by its line)."""
        return [self.lines[i]["vad_ms"] for c in level.calls for i in range(len(c.turns_ms))]


@dataclass(frozen=True)
class Plan:
    lines: int  # script lines per call
    single_calls: int  # calls of a one-caller run
    ramp: dict[str, tuple[int, ...]]  # concurrent callers tried after one, per engine
    ramp_calls: int  # at least this many calls per ramp level (callers place them back to back)
    record_calls: int
    stagger_s: float = 3.0  # callers of a ramp level start within this

    def calls_each(self, callers: int) -> int:
        return max(1, self.ramp_calls // callers)


# Smoke: one call per mode, two turns, no ramp (the ramp runs the same code with more callers).
SMOKE = Plan(lines=2, single_calls=1, ramp={"fake": (), "local": ()}, ramp_calls=1, record_calls=1)
FULL = Plan(
    lines=4,
    single_calls=5,
    ramp={"fake": (2, 4, 8, 16, 32), "local": (2, 4, 8, 16)},
    ramp_calls=4,
    record_calls=5,
)


# -- streamed calls --------------------------------------------------------------------------------


async def stream_call(sim: TwilioSimulator, customer: str, lines: list[CallerLine]) -> CallResult:
    """One streamed call (bounded by ``CALL_TIMEOUT_S``); failures are recorded, not raised."""
    result = CallResult(customer=customer)
    try:
        async with asyncio.timeout(CALL_TIMEOUT_S):
            log = await sim.stream_call(customer, [line.wav for line in lines])
    except (StreamCallError, SimulationError, httpx.HTTPError, TimeoutError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
        return result
    result.call_sid = log.call_sid
    result.streams = len(log.streams)
    if log.streams:
        result.stream_sid = log.streams[0].stream_sid
        result.greeting_ms = log.streams[0].greeting_first_frame_ms
    result.duration_s = sum(s.duration_ms for s in log.streams) / 1000
    result.turns_ms = [round(t.end_of_speech_to_first_audio_ms, 1) for t in log.turns]
    if len(log.turns) != len(lines) or result.streams != 1:
        result.error = f"{len(log.turns)}/{len(lines)} turns answered in {result.streams} stream(s)"
    return result


async def run_level(
    sim: TwilioSimulator,
    stack: BenchStack,
    lines: list[CallerLine],
    *,
    callers: int,
    calls_each: int,
    offset: int,
    stagger_s: float,
) -> Level:
    """``callers`` concurrent callers, each placing ``calls_each`` calls back to back (a new
    customer each); all but a lone caller start at a random time within ``stagger_s``."""
    rng = random.Random(offset)
    starts = [rng.uniform(0, stagger_s) if callers > 1 else 0.0 for _ in range(callers)]

    async def caller(i: int) -> list[CallResult]:
        await asyncio.sleep(starts[i])
        return [
            await stream_call(sim, customer_number(offset + i * calls_each + k), lines)
            for k in range(calls_each)
        ]

    level = Level(callers=callers)
    with CpuMeter(stack.pids()) as cpu:
        for calls in await asyncio.gather(*(caller(i) for i in range(callers))):
            level.calls += calls
    level.cpu = cpu.usage
    return level


def _log_level(bench: Bench, engine: str, level: Level) -> None:
    s = summary(level.turns())
    bench.log(
        f"calls {engine}, {level.callers} caller(s): {len(level.calls)} calls, "
        f"{len(level.turns())} turns, p50/p95 {s['p50']}/{s['p95']} ms, "
        f"{len(level.errors())} errors, other load {level.cpu.get('foreign_cores')} cores"
    )


async def stream_engine(
    bench: Bench, stack: BenchStack, engine: str, lines: list[CallerLine], plan: Plan, base: int
) -> StreamRun:
    """Warm up (one unmeasured call of the shortest line: connections, the turn's code paths,
    the first Whisper inference), one caller's calls, then the ramp."""
    sim = TwilioSimulator(stack.settings, timeout_s=30)
    events_url = f"http://{stack.settings.api_host}:{stack.settings.media_port}/bench/call-events"
    shortest = min(lines, key=lambda line: line.speech_ms)
    try:
        warm = await stream_call(sim, customer_number(base), [shortest])
        if warm.error:
            raise RuntimeError(f"warm-up call failed: {warm.error}")
        if engine == "fake":
            await _call_events(events_url)  # forget the warm-up's
        single = await run_level(
            sim,
            stack,
            lines,
            callers=1,
            calls_each=plan.single_calls,
            offset=base + 10,
            stagger_s=0,
        )
        _log_level(bench, engine, single)
        run = StreamRun(single=single)
        if engine == "fake":
            run.stages = await fake_stages(
                bench, await _call_events(events_url), single, [line.vad_ms for line in lines]
            )
        reference = summary(single.turns())["p95"]
        for n, callers in enumerate(plan.ramp[engine]):
            level = await run_level(
                sim,
                stack,
                lines,
                callers=callers,
                calls_each=plan.calls_each(callers),
                offset=base + 1000 * (n + 1),
                stagger_s=plan.stagger_s,
            )
            _log_level(bench, engine, level)
            run.ramp.append(level)
            if not holds(level, reference):
                break
        return run
    finally:
        await sim.aclose()


def holds(level: Level, reference_p95: float | None) -> bool:
    """Every call completed and the turn p95 is within ``HOLD_FACTOR`` × the one-call p95."""
    p95 = summary(level.turns())["p95"]
    return (
        not level.errors()
        and p95 is not None
        and reference_p95 is not None
        and p95 <= HOLD_FACTOR * reference_p95
    )


async def _call_events(url: str) -> list[dict[str, Any]]:
    """The bench media process's timeline, emptied."""
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(url, params={"clear": "true"})
        response.raise_for_status()
        events: list[dict[str, Any]] = response.json()["events"]
        return events


# -- where a turn's time goes (fake vendors) -----------------------------------------------------

OWN_TIME = "Switchboard's own time: total − VAD − STT − agent − TTS"
STAGE_ROWS: list[tuple[str, str | None]] = [
    ("caller's end of speech → first agent frame (caller's figure)", None),
    ("VAD end-of-turn (TurnDetector offline, same frames)", "vad"),
    ("STT finish_turn → final transcript", "stt_final"),
    ("agent decision", "agent_ttft"),
    ("TTS first chunk", "tts_ttfb"),
    (OWN_TIME, None),
    ("· transcript → agent called (call_view query, context from Postgres)", None),
    ("· agent → reply back from the call_turn Update (Temporal, logs, actions)", None),
    ("·· of which agent → Update accepted in history", None),
    ("·· of which accepted → completed in history", None),
    ("·· of which completed → reply back in the media process", None),
    ("· the rest: frames in, VAD processing lag, first frame out", None),
]


def turn_stages(
    events: list[dict[str, Any]],
    turns_ms: Sequence[float],
    vad_ms: Sequence[float],
    updates: Sequence[tuple[float, float] | None],
) -> dict[str, list[float]] | None:
    """Per turn, the stages of ``STAGE_ROWS`` (ms), from the fakes' timeline (one caller, so
    the k-th ``stt_start`` is the k-th measured turn), the caller's figure, the offline VAD of
    each turn's line and the Update's (accepted, completed) wall-clock times from its history
    (None: not found). The rest is the caller's figure minus the VAD and the media process's
    span from ``finish_turn`` to the first chunk. None when the timeline does not have one turn
    per measured turn.

    In the history, a turn whose logs and actions run as local activities is accepted and
    completed by one workflow task: both events are written when it ends, so the split between
    them says little; the sum (agent → reply back) is measured in the media process."""
    turns: list[dict[str, float]] = []
    for event in events:
        name, t = str(event["event"]), float(event["t"])
        if name == "stt_start":
            turns.append({name: t})
        elif turns and name not in turns[-1]:
            turns[-1][name] = t
    needed = ("stt_start", "stt_end", "agent_start", "agent_end", "tts_start", "tts_first")
    if len(turns) != len(turns_ms) or not all(all(k in t for k in needed) for t in turns):
        return None
    rows: dict[str, list[float]] = {name: [] for name, _ in STAGE_ROWS}
    names = [name for name, _ in STAGE_ROWS]
    nan = float("nan")
    for turn, total, vad, update in zip(turns, turns_ms, vad_ms, updates, strict=True):
        stt = (turn["stt_end"] - turn["stt_start"]) * 1000
        agent = (turn["agent_end"] - turn["agent_start"]) * 1000
        tts = (turn["tts_first"] - turn["tts_start"]) * 1000
        inside = (turn["tts_first"] - turn["stt_start"]) * 1000
        accepted, completed = update if update is not None else (nan, nan)
        values = [
            total,
            vad,
            stt,
            agent,
            tts,
            total - vad - stt - agent - tts,
            (turn["agent_start"] - turn["stt_end"]) * 1000,
            (turn["tts_start"] - turn["agent_end"]) * 1000,
            (accepted - turn["agent_end"]) * 1000,
            (completed - accepted) * 1000,
            (turn["tts_start"] - completed) * 1000,
            total - inside - vad,
        ]
        for name, value in zip(names, values, strict=True):
            if not np.isnan(value):
                rows[name].append(round(value, 1))
    return rows


def update_times(events: list[Any]) -> dict[str, tuple[float, float]]:
    """(accepted, completed) wall-clock s of each Update in a workflow history, by update ID."""
    from temporalio.api.enums.v1 import EventType

    accepted: dict[str, float] = {}
    out: dict[str, tuple[float, float]] = {}
    for event in events:
        at = event.event_time.seconds + event.event_time.nanos / 1e9
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            attrs = event.workflow_execution_update_accepted_event_attributes
            accepted[attrs.accepted_request.meta.update_id] = at
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            update_id = event.workflow_execution_update_completed_event_attributes.meta.update_id
            if update_id in accepted:
                out[update_id] = (accepted[update_id], at)
    return out


async def fake_stages(
    bench: Bench, events: list[dict[str, Any]], single: Level, line_vad_ms: list[float]
) -> dict[str, Any] | None:
    """``turn_stages`` of a one-caller run, summarised per stage."""
    client = await bench.client()
    updates: list[tuple[float, float] | None] = []
    turns: list[float] = []
    vads: list[float] = []
    for call in single.calls:
        found = update_times(await fetch_events(client, customer_workflow_id(call.customer)))
        for n, total in enumerate(call.turns_ms, start=1):
            # The session's Update ID: <CallSid>/<last 8 of StreamSid>/<n>
            updates.append(found.get(f"{call.call_sid}/{call.stream_sid[-8:]}/{n}"))
            turns.append(total)
            vads.append(line_vad_ms[n - 1])
    rows = turn_stages(events, turns, vads, updates)
    if rows is None:
        bench.log("calls: the fakes' timeline does not match the measured turns; no breakdown")
        return None
    return {name: summary(values) | {"values": values} for name, values in rows.items()}


# -- recorded calls (the baseline) ---------------------------------------------------------------


async def record_call(
    sim: TwilioSimulator,
    http: httpx.AsyncClient,
    settings: Settings,
    customer: str,
    lines: list[CallerLine],
) -> RecordRun:
    """One call with ``<Record>`` turns: per turn, the recording (uploaded to the fake Twilio
    before the clock starts: Twilio has it when it posts) → webhook → TwiML → the first byte
    of the ``<Play>`` audio. Failures are recorded, not raised."""
    out = RecordRun()
    base = {
        "CallSid": "CA" + uuid.uuid4().hex,
        "AccountSid": settings.twilio_account_sid,
        "From": customer,
        "To": settings.twilio_voice_from,
        "Direction": "inbound",
    }
    try:
        async with asyncio.timeout(CALL_TIMEOUT_S):
            answer = await sim.post_webhook(
                "/twilio/voice/incoming", base | {"CallStatus": "ringing"}
            )
            action = parse_twiml(answer.text).record_action
            if action is None:
                raise SimulationError("no <Record> in the greeting (is call_mode record?)")
            for line in lines:
                url = await sim.upload(line.phone_wav, "audio/wav", kind="recording")
                form = base | {
                    "CallStatus": "in-progress",
                    "RecordingSid": "RE" + uuid.uuid4().hex,
                    "RecordingUrl": url,
                    "RecordingDuration": str(max(1, round(line.speech_ms / 1000))),
                }
                began = time.monotonic()
                response = await sim.post_webhook(action, form)
                answered = time.monotonic()
                if response.status_code != 200:
                    raise SimulationError(f"recording webhook answered {response.status_code}")
                reply = parse_twiml(response.text)
                first_byte: float | None = None
                if reply.play_urls:
                    async with http.stream("GET", reply.play_urls[0]) as audio:
                        audio.raise_for_status()
                        async for chunk in audio.aiter_raw():
                            if chunk:
                                break
                    first_byte = (time.monotonic() - began) * 1000
                out.turns.append(RecordTurn(round((answered - began) * 1000, 1), first_byte))
                if reply.hangup or reply.record_action is None:
                    break
                action = reply.record_action
            await sim.post_webhook("/twilio/voice/status", base | {"CallStatus": "completed"})
    except (SimulationError, httpx.HTTPError, TimeoutError) as exc:
        out.errors.append(f"{type(exc).__name__}: {exc}"[:300])
    return out


async def record_engine(
    bench: Bench, stack: BenchStack, engine: str, lines: list[CallerLine], plan: Plan, base: int
) -> RecordRun:
    sim = TwilioSimulator(stack.settings, timeout_s=30)
    run = RecordRun()
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            warm = await record_call(sim, http, stack.settings, customer_number(base), lines[:1])
            if warm.errors:
                raise RuntimeError(f"warm-up call failed: {warm.errors[0]}")
            for k in range(plan.record_calls):
                number = customer_number(base + 10 + k)
                call = await record_call(sim, http, stack.settings, number, lines)
                run.turns += call.turns
                run.errors += call.errors
    finally:
        await sim.aclose()
    s = summary([t.first_byte_ms for t in run.turns if t.first_byte_ms is not None])
    bench.log(f"calls record {engine}: {len(run.turns)} turns, p50/p95 {s['p50']}/{s['p95']} ms")
    return run


async def wait_worker(bench: Bench, pid: int, timeout_s: float = WORKER_READY_S) -> None:
    """Until the worker of ``pid`` polls the task queue (its identity is ``<pid>@<host>``).
    Raises ``TimeoutError``."""
    from temporalio.api.enums.v1 import TaskQueueType
    from temporalio.api.taskqueue.v1 import TaskQueue
    from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

    client = await bench.client()
    deadline = time.monotonic() + timeout_s
    kinds = (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
    while True:
        polling = 0
        for kind in kinds:
            found = await client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=client.namespace,
                    task_queue=TaskQueue(name=TASK_QUEUE),
                    task_queue_type=kind,
                )
            )
            polling += any(p.identity.startswith(f"{pid}@") for p in found.pollers)
        if polling == len(kinds):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"worker {pid} not polling after {timeout_s:.0f} s")
        await asyncio.sleep(0.5)


# -- local engines, offline -----------------------------------------------------------------------


async def local_offline(lines: list[CallerLine], *, repeats: int = 3) -> dict[str, Any]:
    """Whisper (tiny.en, loaded first) on each line's phone audio and espeak's first chunk of a
    typical reply, timed in this process (ms, median of ``repeats``): what the local engines
    cost on this machine outside a call."""
    from switchboard.media_streams import mulaw_to_pcm16
    from switchboard.providers.local_stt import WhisperSTT
    from switchboard.voice.local_stream_stt import upsample_for_whisper
    from switchboard.voice.local_stream_tts import LocalSpeechSynthesis

    whisper = WhisperSTT()
    await asyncio.to_thread(whisper.load)
    out: dict[str, Any] = {"whisper_ms": {}, "heard": {}}
    for line in lines:
        samples = upsample_for_whisper(mulaw_to_pcm16(phone_mulaw(line.wav)))
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            heard = await whisper.transcribe_pcm(samples, fitted_window=True)  # as on a call
            times.append((time.perf_counter() - began) * 1000)
        out["whisper_ms"][line.text] = round(float(np.median(times)), 1)
        out["heard"][line.text] = heard.text
    tts = LocalSpeechSynthesis()
    reply = "I've got your cat on Tuesday at 10:00. Shall I confirm?"
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        async for _chunk in tts.stream(reply):
            times.append((time.perf_counter() - began) * 1000)
            break
    out["espeak_first_chunk_ms"] = round(float(np.median(times)), 1)
    return out


# -- the suite ------------------------------------------------------------------------------------


async def _mode(
    measured: Measured, bench: Bench, name: str, step: Callable[[], Awaitable[None]]
) -> None:
    """Run one mode; a mode that fails is reported and the next one runs."""
    began = time.monotonic()
    try:
        await step()
    except Exception as exc:  # noqa: BLE001 - report it, run the other modes
        measured.mode_errors[name] = f"{type(exc).__name__}: {exc}"[:500]
        bench.log(f"calls {name}: failed: {measured.mode_errors[name]}")
    bench.log(f"calls {name}: {time.monotonic() - began:.0f} s")


async def run(bench: Bench) -> dict[str, Any]:
    plan = SMOKE if bench.config.smoke else FULL
    latency = CallLatency.from_env()
    # The record path's worker: the same vendor budget, the recording fetch from bench.fakes.
    record_latency = bench.config.latency.with_overrides(
        {
            "stt": (latency.stt_final.median_ms, latency.stt_final.sigma),
            "agent": (latency.agent_ttft.median_ms, latency.agent_ttft.sigma),
            "tts": (latency.tts_ttfb.median_ms, latency.tts_ttfb.sigma),
        }
    )
    lines = await caller_lines(SCRIPT[: plan.lines])
    measured = Measured(
        lines=[{"text": x.text, "speech_ms": x.speech_ms, "vad_ms": x.vad_ms} for x in lines]
    )
    bench.log(
        "calls: VAD end-of-turn per line (ms): " + ", ".join(f"{x.vad_ms:.0f}" for x in lines)
    )

    stack = await bench.stack("calls")
    api_env, worker_env = stack.launch_env("api"), stack.launch_env("worker")
    worker_module = stack.worker_module

    async def restart(name: str, env: dict[str, str] | None = None) -> int:
        return await asyncio.to_thread(stack.restart, name, env=env)

    async def local_stream() -> None:
        if stack.media_factory != MEDIA_FACTORY:
            stack.media_factory = MEDIA_FACTORY
            await restart("media")
        measured.stream["local"] = await stream_engine(
            bench, stack, "local", lines, plan, OFFSET + 100_000
        )

    async def fake_stream() -> None:
        stack.media_factory = "bench.media:app"
        await restart("media", {CALL_LATENCY_ENV: latency.to_json()})
        measured.stream["fake"] = await stream_engine(
            bench, stack, "fake", lines, plan, OFFSET + 200_000
        )

    async def record_mode() -> None:
        if stack.launch_env("api").get("SWITCHBOARD_CALL_MODE") != "record":
            await restart("api", {"SWITCHBOARD_CALL_MODE": "record"})

    async def record_fake() -> None:
        await record_mode()
        stack.worker_module = "bench.call_worker"
        lengths = {x.text: round(x.speech_ms) for x in lines}
        pid = await restart(
            "worker", {LATENCY_ENV: record_latency.to_json(), CALL_SCRIPT_ENV: json.dumps(lengths)}
        )
        await wait_worker(bench, pid)
        measured.record["fake"] = await record_engine(
            bench, stack, "fake", lines, plan, OFFSET + 300_000
        )

    async def record_local() -> None:
        await record_mode()
        stack.worker_module = None  # the product's worker.py: Whisper, espeak, rules
        await wait_worker(bench, await restart("worker"))
        measured.record["local"] = await record_engine(
            bench, stack, "local", lines, plan, OFFSET + 400_000
        )

    async def offline() -> None:
        measured.offline = await local_offline(lines)

    try:
        modes = (local_stream, fake_stream, record_fake, record_local, offline)
        steps = dict(zip(MODES, modes, strict=True))
        for name, step in steps.items():
            if not bench.config.call_modes or name in bench.config.call_modes:
                await _mode(measured, bench, name, step)
    finally:
        if bench.config.smoke:  # the stack is shared with the other suites: put it back
            bench.log("calls: restoring the stack's processes")
            stack.media_factory = MEDIA_FACTORY
            stack.worker_module = worker_module
            await restart("media")
            await restart("api", {"SWITCHBOARD_CALL_MODE": api_env["SWITCHBOARD_CALL_MODE"]})
            await wait_worker(
                bench, await restart("worker", {LATENCY_ENV: worker_env[LATENCY_ENV]})
            )
    return report(measured, latency, record_latency)


# -- the report -----------------------------------------------------------------------------------


def critical_path(
    latency: CallLatency, vad_ms: list[float], *, n: int = 200_000, seed: int = 1
) -> dict[str, Any]:
    """VAD end-of-turn (drawn from the measured turns' lines) + STT + LLM + TTS, ms."""
    rng = np.random.default_rng(seed)
    vad = rng.choice(np.asarray(vad_ms, dtype=float), n) if vad_ms else np.zeros(n)
    return summary(vad + latency.samples_ms(n=n, seed=seed + 1))


def _cpu_note(per_minute: dict[str, float]) -> str:
    return ", ".join(f"{k} {v}" for k, v in per_minute.items() if k not in ("total",))


def report(
    measured: Measured, latency: CallLatency, record_latency: LatencyProfile
) -> dict[str, Any]:
    """Figures, facts and tables of the suite (see the module docstring)."""
    figures: list[dict[str, Any]] = []
    tables: dict[str, list[str]] = {}
    record = {
        engine: summary([t.first_byte_ms for t in r.turns if t.first_byte_ms is not None])
        for engine, r in measured.record.items()
    }
    heard = {
        engine: summary(
            [t.first_byte_ms + RECORD_SILENCE_MS for t in r.turns if t.first_byte_ms is not None]
        )
        for engine, r in measured.record.items()
    }
    vendor_sum = sum(getattr(latency, s).median_ms for s in ("stt_final", "agent_ttft", "tts_ttfb"))

    for engine in ENGINES:
        run = measured.stream.get(engine)
        if run is None:
            continue
        label = ENGINE_NAME[engine]
        single = run.single
        value = summary(single.turns())
        note = f"{len(single.calls)} call(s), {len(single.errors())} failed"
        if engine == "fake":
            path = critical_path(latency, measured.turn_vad_ms(single))
            met = value["p50"] is not None and value["p50"] <= OVERHEAD_TARGET * path["p50"]
            figures.append(
                figure(
                    SUITE,
                    f"voice-to-voice, {label}, 1 call",
                    value,
                    baseline=path,
                    baseline_name=f"vendor critical path (VAD + {vendor_sum:g} ms vendors)",
                    target=f"p50 ≤ {OVERHEAD_TARGET:g} × critical path",
                    met=met if value["p50"] is not None else None,
                    note=note,
                )
            )
            vad = summary(measured.turn_vad_ms(single))
            figures.append(
                figure(
                    SUITE,
                    "VAD end-of-turn wait (product TurnDetector offline, same frames)",
                    vad,
                    note="600 ms silence rule; in the critical path, before STT is asked",
                )
            )
            own = (run.stages or {}).get(OWN_TIME)
            if own and own["p50"] is not None and path["p50"]:
                budget = (OVERHEAD_TARGET - 1) * path["p50"]
                figures.append(
                    figure(
                        SUITE,
                        "Switchboard's own time per turn, fake vendors "
                        "(total − VAD − STT − agent − TTS, per turn)",
                        {k: v for k, v in own.items() if k != "values"},
                        target=f"p50 ≤ {budget:.0f} ms (5 % of the critical path)",
                        met=own["p50"] <= budget,
                    )
                )
        else:
            figures.append(
                figure(
                    SUITE,
                    f"voice-to-voice, {label}, 1 call",
                    value,
                    baseline=heard.get(engine),
                    baseline_name=f"record path as heard, {label} (+ Twilio's 2 s silence)",
                    target=f"p50 ≤ {LOCAL_TARGET_MS / 1000:g} s",
                    met=None if value["p50"] is None else value["p50"] <= LOCAL_TARGET_MS,
                    note=note,
                )
            )
        if engine == "fake" and engine in heard:
            figures.append(
                figure(
                    SUITE,
                    f"voice-to-voice, {label}, 1 call, vs record path as heard",
                    value,
                    baseline=heard[engine],
                    baseline_name=f"record path as heard, {label} (+ Twilio's 2 s silence)",
                )
            )
        if engine in record:
            figures.append(
                figure(
                    SUITE,
                    f"voice-to-voice, {label}, 1 call, vs record path (as defined)",
                    value,
                    baseline=record[engine],
                    baseline_name=f"record path, {label}: webhook → <Play> first byte",
                    note="the record figure leaves out Twilio's 2 s silence; this one has the VAD",
                )
            )
        # The one-caller calls and the first ramp level's (2 callers): more greetings, little load.
        greeted = [single, *run.ramp[:1]]
        greetings = summary([g for lv in greeted for g in lv.greetings()])
        figures.append(
            figure(
                SUITE,
                f"greeting first frame after start, {label}",
                greetings,
                target=f"p95 ≤ {GREETING_TARGET_MS:g} ms",
                met=None if greetings["p95"] is None else greetings["p95"] <= GREETING_TARGET_MS,
                note="calls of " + " and ".join(str(lv.callers) for lv in greeted) + " caller(s)",
            )
        )
        reference = value["p95"]
        held = 1 if single.turns() and not single.errors() else 0
        counting = held > 0  # the first level that does not hold ends the count
        for level in run.ramp:
            counting = counting and holds(level, reference)
            if counting:
                held = level.callers
            lv = summary(level.turns())
            figures.append(
                figure(
                    SUITE,
                    f"voice-to-voice, {label}, {level.callers} concurrent calls",
                    lv,
                    baseline=value,
                    baseline_name="1 call",
                    note=f"{len(level.calls)} calls, {len(level.errors())} failed",
                )
            )
        tried = max([1] + [lv.callers for lv in run.ramp])
        figures.append(
            fact(
                SUITE,
                f"concurrent calls held (turn p95 ≤ {HOLD_FACTOR:g} × 1-call p95), {label}",
                held,
                "calls",
                note=(f"ramp 1…{tried}" if run.ramp else "no ramp (smoke)")
                + ("" if tried > held or not run.ramp else "; the cap, not the limit")
                + f"; 1-call p95 {reference} ms",
            )
        )
        per_minute = single.cpu_s_per_call_minute()
        if per_minute:
            figures.append(
                fact(
                    SUITE,
                    f"CPU per call-minute, {label}, 1 call",
                    per_minute["total"],
                    "CPU-s",
                    note=_cpu_note(per_minute)
                    + f"; other programs {single.cpu.get('foreign_cores')} cores",
                )
            )
        tables[f"Calls: concurrency ramp, {label}"] = _ramp_table(run, reference)

    for engine, r in measured.record.items():
        label = ENGINE_NAME[engine]
        said = sum(1 for t in r.turns if t.first_byte_ms is None)
        baseline = (
            summary(record_latency.path_samples_ms(RECORD_STAGES)) if engine == "fake" else None
        )
        figures.append(
            figure(
                SUITE,
                f"record path, {label}: recording webhook → <Play> first byte",
                record[engine],
                baseline=baseline,
                baseline_name="vendors: fetch + STT + agent + TTS" if baseline else None,
                note=f"{len(r.turns)} turns, {said} answered with <Say>, "
                f"{len(r.errors)} errors; Twilio's 2 s silence wait not included",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"record path, {label}: recording webhook → TwiML",
                summary([t.webhook_ms for t in r.turns]),
            )
        )
    if measured.stream.get("fake") and measured.stream["fake"].stages:
        tables["Calls: where a turn's time goes, fake vendors, 1 call"] = _stage_table(
            measured.stream["fake"].stages, latency
        )
    if measured.offline:
        tables["Calls: local engines timed offline (bench process, model loaded)"] = _offline_table(
            measured
        )
    for name, error in measured.mode_errors.items():
        figures.append(fact(SUITE, f"mode failed: {name}", error, target="runs", met=False))
    return {"figures": figures, "tables": tables, "details": {"measured": asdict(measured)}}


def _ramp_table(run: StreamRun, reference: float | None) -> list[str]:
    table = [
        "| callers | calls | turns | failed | p50 ms | p95 ms | p99 ms | p95 ÷ 1-call p95 "
        "| greeting p95 ms | CPU-s per call-minute (total; media, api, worker, temporal, "
        "postgres, callers) | other load cores |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for level in [run.single, *run.ramp]:
        s = summary(level.turns())
        g = summary(level.greetings())
        cpu = level.cpu_s_per_call_minute()
        ratio = f"{s['p95'] / reference:.2f}" if s["p95"] is not None and reference else "–"
        per_process = "; ".join(
            str(cpu.get(k, "–"))
            for k in ("media", "api", "worker", "temporal", "postgres", "bench")
        )
        table.append(
            f"| {level.callers} | {len(level.calls)} | {s['n']} | {len(level.errors())} "
            f"| {s['p50']} | {s['p95']} | {s['p99']} | {ratio} | {g['p95']} "
            f"| {cpu.get('total', '–')} ({per_process}) | {level.cpu.get('foreign_cores', '–')} |"
        )
    return table


def _stage_table(stages: dict[str, Any], latency: CallLatency) -> list[str]:
    table = [
        "| stage | n | p50 ms | p95 ms | vendor median ms | p50 − vendor ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, vendor in STAGE_ROWS:
        s = stages.get(name)
        if not s or not s["n"]:
            continue
        median = getattr(latency, vendor).median_ms if vendor and vendor != "vad" else None
        over = "" if median is None or s["p50"] is None else f"{s['p50'] - median:.0f}"
        table.append(
            f"| {name} | {s['n']} | {s['p50']} | {s['p95']} | {'' if median is None else median:} "
            f"| {over} |"
        )
    return table


def _offline_table(measured: Measured) -> list[str]:
    off = measured.offline
    table = [
        "| line | speech ms | VAD end-of-turn ms | Whisper tiny.en ms | heard |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for line in measured.lines:
        text = line["text"]
        table.append(
            f"| {text} | {line['speech_ms']:.0f} | {line['vad_ms']:.0f} "
            f"| {off['whisper_ms'].get(text, '–')} | {off['heard'].get(text, '')} |"
        )
    table += [
        "",
        f"espeak (LocalSpeechSynthesis), first chunk of a two-sentence reply: "
        f"{off['espeak_first_chunk_ms']} ms.",
    ]
    return table
