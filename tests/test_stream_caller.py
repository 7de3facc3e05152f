"""The fake Twilio's caller (devtools/stream_caller.py) against a scripted agent: a small
websockets server that checks the handshake signature, reads what the caller sends with
Switchboard's own parser, and answers with media, marks and clears as a Stream server would.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import math
import time
import wave
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import numpy as np
import pytest
from websockets.asyncio.server import Request, Response, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from devtools.stream_caller import StreamCallError, call
from switchboard.media_streams import (
    SIGNATURE_HEADER,
    Connected,
    InboundMessage,
    Mark,
    Media,
    Start,
    Stop,
    clear_message,
    mark_message,
    media_message,
    parse_message,
    pcm16_to_mulaw,
    signature_ok,
)

TOKEN = "test-auth-token-0123456789abcdef"
PARAMETERS = {"from": "+4915112345678", "to": "+4930123456"}
SILENT_PAYLOAD = b"\xff" * 160
SLACK_S = 0.35  # the machine is shared: timings may run late by this much, never early


def _tone_wav(seconds: float, *, rate: int = 16000) -> bytes:
    """A 440 Hz tone as a 16 kHz PCM16 WAV: the caller's "speech"."""
    t = np.arange(int(rate * seconds)) / rate
    samples = np.round(0.3 * 32767 * np.sin(2 * math.pi * 440 * t)).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def _agent_audio(seconds: float) -> bytes:
    """What the agent says: μ-law 8 kHz, 8000 bytes a second."""
    t = np.arange(int(8000 * seconds)) / 8000
    return pcm16_to_mulaw(
        np.round(0.3 * 32767 * np.sin(2 * math.pi * 330 * t)).astype("<i2").tobytes()
    )


@dataclass
class Agent:
    """The Stream server's side of one call, as the script sees it."""

    connection: ServerConnection
    signature: str | None
    received: list[tuple[float, InboundMessage]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    sent_at: dict[str, float] = field(default_factory=dict)  # what the agent sent, when

    @property
    def stream_sid(self) -> str:
        return self.start.stream_sid

    @property
    def start(self) -> Start:
        starts = [m for _, m in self.received if isinstance(m, Start)]
        assert starts, "no start yet"
        return starts[0]

    def speech(self) -> list[tuple[float, Media]]:
        return [
            (at, m)
            for at, m in self.received
            if isinstance(m, Media) and m.payload != SILENT_PAYLOAD
        ]

    def echoed(self, name: str) -> float | None:
        for at, m in self.received:
            if isinstance(m, Mark) and m.name == name:
                return at
        return None

    def stopped(self) -> bool:
        return any(isinstance(m, Stop) for _, m in self.received)

    async def read(self) -> None:
        try:
            async for raw in self.connection:
                assert isinstance(raw, str)
                self.received.append((time.monotonic(), parse_message(raw)))
                self.changed.set()
        except ConnectionClosed:
            pass
        finally:
            self.changed.set()

    async def until(self, ready: Callable[[], object], *, within: float = 5.0) -> None:
        async with asyncio.timeout(within):
            while not ready():
                self.changed.clear()
                await self.changed.wait()

    async def speech_ended(self, turn: int) -> None:
        """Until ``turn`` (1-based) has been spoken: a silent frame after its speech."""

        def ended() -> bool:
            speaking = False
            turns = 0
            for _, m in self.received:
                if isinstance(m, Media):
                    if m.payload != SILENT_PAYLOAD:
                        speaking = True
                    elif speaking:
                        speaking = False
                        turns += 1
            return turns >= turn

        await self.until(ended)

    async def say(self, seconds: float, *, mark: str) -> None:
        """Send ``seconds`` of audio at once (Twilio buffers it), then a mark."""
        await self.connection.send(media_message(self.stream_sid, _agent_audio(seconds)))
        await self.connection.send(mark_message(self.stream_sid, mark))
        self.sent_at[mark] = time.monotonic()


Script = Callable[[Agent], Awaitable[None]]


@asynccontextmanager
async def scripted_agent(script: Script) -> AsyncIterator[tuple[str, list[Agent]]]:
    """A Media Streams server on a free port that plays ``script`` on each call; yields its
    ``ws://`` URL and the calls it took. The handshake is refused (403) unless signed for
    that URL with ``TOKEN``, as Switchboard's endpoint does."""
    agents: list[Agent] = []
    url = ""

    def check_signature(connection: ServerConnection, request: Request) -> Response | None:
        if not signature_ok(url, request.headers.get(SIGNATURE_HEADER), TOKEN):
            return connection.respond(HTTPStatus.FORBIDDEN, "bad signature\n")
        return None

    async def handle(connection: ServerConnection) -> None:
        assert connection.request is not None  # the handshake is done before the handler
        agent = Agent(connection, connection.request.headers.get(SIGNATURE_HEADER))
        agents.append(agent)
        reader = asyncio.create_task(agent.read())
        await agent.until(lambda: any(isinstance(m, Start) for _, m in agent.received))
        await script(agent)
        await agent.until(lambda: agent.stopped() or reader.done(), within=30)
        await reader

    async with serve(handle, "127.0.0.1", 0, process_request=check_signature) as server:
        port = server.sockets[0].getsockname()[1]
        url = f"ws://127.0.0.1:{port}/twilio/voice/stream"
        yield url, agents


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as recorded:
        assert (recorded.getframerate(), recorded.getnchannels(), recorded.getsampwidth()) == (
            8000,
            1,
            2,
        )
        return recorded.getnframes() / 8000


async def test_call_opens_and_ends_the_way_twilio_does(tmp_path: Path) -> None:
    async def greet(agent: Agent) -> None:
        await agent.say(0.2, mark="greeting")

    async with scripted_agent(greet) as (url, agents):
        recording = await call(
            url,
            auth_token=TOKEN,
            parameters=PARAMETERS,
            turns=[],
            call_sid="CA" + "1" * 32,
            quiet_s=0.2,
            record_to=tmp_path / "call.wav",
        )
    (agent,) = agents
    assert agent.signature is not None and signature_ok(url, agent.signature, TOKEN)

    messages = [m for _, m in agent.received]
    assert messages[0] == Connected(event="connected", protocol="Call", version="1.0.0")
    start = messages[1]
    assert isinstance(start, Start)
    assert start.custom_parameters == PARAMETERS
    assert start.call_sid == "CA" + "1" * 32 == recording.call_sid
    assert start.stream_sid.startswith("MZ") and len(start.stream_sid) == 34
    assert start.account_sid.startswith("AC") and len(start.account_sid) == 34
    assert start.tracks == ["inbound"]
    assert (start.media_format.encoding, start.media_format.sample_rate) == ("audio/x-mulaw", 8000)
    assert start.media_format.channels == 1
    stop = messages[-1]
    assert isinstance(stop, Stop) and stop.call_sid == recording.call_sid

    # One numbering for every message after `connected`; media chunks and timestamps run on.
    numbered = [m for m in messages[1:] if not isinstance(m, Connected)]
    assert len(numbered) == len(messages) - 1
    assert [m.sequence_number for m in numbered] == list(range(1, len(numbered) + 1))
    media = [m for m in messages if isinstance(m, Media)]
    assert len(media) >= 10  # silence streamed while the greeting played and after it
    assert [m.chunk for m in media] == list(range(1, len(media) + 1))
    assert [m.timestamp_ms for m in media] == [20 * (m.chunk - 1) for m in media]
    assert {(m.track, len(m.payload)) for m in media} == {("inbound", 160)}
    assert {m.stream_sid for m in numbered} == {start.stream_sid}

    assert recording.greeting.marks_echoed == ("greeting",)
    assert not recording.greeting.cleared
    assert recording.greeting_first_frame_ms is not None
    assert recording.greeting_first_frame_ms < 1000
    assert recording.agent_audio_bytes == recording.heard_audio_bytes == 1600
    assert _wav_seconds(tmp_path / "call.wav") == pytest.approx(0.2)


async def test_a_turn_is_spoken_in_real_time_and_the_reply_awaited() -> None:
    think_s = 0.25

    async def answer(agent: Agent) -> None:
        await agent.say(0.1, mark="greeting")
        await agent.speech_ended(1)
        await asyncio.sleep(think_s)  # the agent's own latency, which the caller must measure
        await agent.say(0.4, mark="reply-1")

    async with scripted_agent(answer) as (url, agents):
        recording = await call(
            url, auth_token=TOKEN, parameters=PARAMETERS, turns=[_tone_wav(1.0)], quiet_s=0.3
        )
    (agent,) = agents

    # 1 s of speech is 50 frames of 20 ms, sent over ~1 s (49 intervals), not in a burst.
    speech = agent.speech()
    assert len(speech) == 50
    assert speech[-1][0] - speech[0][0] >= 0.9
    # The line was live before the turn (silence while the greeting played) and after it.
    media_before = [m for at, m in agent.received if isinstance(m, Media) and at < speech[0][0]]
    assert len(media_before) >= 10 and all(m.payload == SILENT_PAYLOAD for m in media_before)

    # The caller spoke only after the greeting's mark came back (its reply was awaited).
    greeting_echo = agent.echoed("greeting")
    assert greeting_echo is not None and greeting_echo < speech[0][0]

    # Twilio plays the 0.4 s reply in real time: its mark comes back when it has played.
    echo = agent.echoed("reply-1")
    assert echo is not None
    assert 0.38 <= echo - agent.sent_at["reply-1"] <= 0.4 + SLACK_S
    # ... and the caller hangs up only after that, once the line has been quiet for 0.3 s.
    stop_at = next(at for at, m in agent.received if isinstance(m, Stop))
    assert stop_at - echo >= 0.28

    (turn,) = recording.turns
    # End of speech → first reply audio: the agent's thinking time, plus the one silent frame
    # it waited for to know the turn was over.
    assert think_s * 1000 <= turn.end_of_speech_to_first_audio_ms <= (think_s + SLACK_S) * 1000
    assert turn.marks_echoed == ("reply-1",)
    assert turn.agent_audio_bytes == 3200
    assert not turn.cleared
    assert recording.heard_audio_bytes == 800 + 3200


async def test_a_turn_given_lazily_is_asked_for_once_the_reply_before_it_has_played() -> None:
    """A caller whose next words depend on the reply (asked to repeat, they say it again):
    each turn is asked for only when the reply before it is over, then spoken; None hangs up."""
    asked: list[tuple[int, float]] = []

    async def answer(agent: Agent) -> None:
        await agent.say(0.2, mark="greeting")
        await agent.speech_ended(1)
        await agent.say(0.4, mark="reply-1")
        await agent.speech_ended(2)
        await agent.say(0.1, mark="reply-2")

    async def next_turn(spoken: int) -> bytes | None:
        asked.append((spoken, time.monotonic()))
        return _tone_wav(0.3) if spoken < 2 else None

    async with scripted_agent(answer) as (url, agents):
        recording = await call(
            url, auth_token=TOKEN, parameters=PARAMETERS, turns=next_turn, quiet_s=0.2
        )
    (agent,) = agents

    assert [spoken for spoken, _ in asked] == [0, 1, 2]
    assert len(recording.turns) == 2
    assert len(agent.speech()) == 2 * 15  # two turns of 0.3 s, 20 ms frames
    # Each turn was asked for after the reply before it had played (its mark came back), and
    # the caller hung up once the last was refused.
    for (_, at), mark in zip(asked, ("greeting", "reply-1", "reply-2"), strict=True):
        echo = agent.echoed(mark)
        assert echo is not None and at >= echo
    stop_at = next(at for at, m in agent.received if isinstance(m, Stop))
    assert stop_at >= asked[-1][1]


async def test_barge_in_and_clear_cut_the_reply_and_echo_its_marks_at_once(
    tmp_path: Path,
) -> None:
    clear_at: list[float] = []

    async def interrupted(agent: Agent) -> None:
        await agent.say(2.0, mark="greeting")  # a long greeting the caller talks over
        await agent.until(lambda: agent.speech())
        await agent.connection.send(clear_message(agent.stream_sid))
        clear_at.append(time.monotonic())
        await agent.speech_ended(1)
        await agent.say(0.2, mark="reply-1")

    async with scripted_agent(interrupted) as (url, agents):
        recording = await call(
            url,
            auth_token=TOKEN,
            parameters=PARAMETERS,
            turns=[_tone_wav(0.4)],
            barge_in_ms=300,
            quiet_s=0.2,
            record_to=tmp_path / "call.wav",
        )
    (agent,) = agents

    # The caller started talking 300 ms into the greeting, not after its 2 s.
    first_speech = agent.speech()[0][0]
    assert 0.3 <= first_speech - agent.sent_at["greeting"] <= 0.3 + SLACK_S

    # The clear dropped the rest and the greeting's mark came back at once, not at 2 s.
    echo = agent.echoed("greeting")
    assert echo is not None and echo - clear_at[0] < SLACK_S
    assert recording.greeting.cleared
    assert recording.greeting.marks_echoed == ("greeting",)
    assert recording.greeting.agent_audio_bytes == 16000  # sent, though not all heard

    (turn,) = recording.turns
    assert not turn.cleared and turn.marks_echoed == ("reply-1",)

    # Heard: the greeting up to the clear (~0.3 s and the time to notice the speech), then the
    # whole reply. The recording is exactly that.
    greeting_heard = recording.heard_audio_bytes - 1600
    assert 0.3 * 8000 <= greeting_heard <= (0.3 + 2 * SLACK_S) * 8000
    assert _wav_seconds(tmp_path / "call.wav") == pytest.approx(recording.heard_audio_bytes / 8000)


async def test_an_agent_that_never_speaks_fails_the_call_in_time() -> None:
    async def silent(agent: Agent) -> None:
        return None

    async with scripted_agent(silent) as (url, _):
        began = time.monotonic()
        with pytest.raises(StreamCallError, match="no agent audio for the greeting within 0.5 s"):
            await call(url, auth_token=TOKEN, parameters={}, turns=[], answer_timeout_s=0.5)
        assert time.monotonic() - began < 0.5 + SLACK_S + 1  # + closing the socket


async def test_a_wrong_signature_is_refused_at_the_handshake() -> None:
    async def unreachable(agent: Agent) -> None:
        raise AssertionError("the handshake should have been refused")

    async with scripted_agent(unreachable) as (url, agents):
        with pytest.raises(StreamCallError, match="HTTP 403"):
            await call(url, auth_token="not-the-token", parameters={}, turns=[])
    assert agents == []


async def test_an_agent_breaking_the_protocol_fails_the_call_by_name() -> None:
    wav = _tone_wav(0.1, rate=8000)

    async def sends_a_wav_file(agent: Agent) -> None:
        payload = base64.b64encode(wav).decode()
        message = {"event": "media", "streamSid": agent.stream_sid, "media": {"payload": payload}}
        await agent.connection.send(json.dumps(message))

    async with scripted_agent(sends_a_wav_file) as (url, _):
        with pytest.raises(StreamCallError, match=r"31924.*header"):
            await call(url, auth_token=TOKEN, parameters={}, turns=[], answer_timeout_s=5)
