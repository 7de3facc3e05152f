"""A caller who talks while the agent is still deciding: the decision in flight is dropped
before it reaches the workflow (an interrupted generation never acts), and what the caller said
in both breaths becomes one turn. The session runs on its own with real VAD on espeak speech
and stand-ins for the engines and the workflow, so the interleaving is exact."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import Any

import numpy as np
import pytest

from operations.calls import session as session_module
from operations.calls.session import CallEngines, CallIdentity, CallSession
from switchboard.agent_models import AgentDecision, Intent
from switchboard.business import load_profile
from switchboard.media_streams import pcm16_to_mulaw
from switchboard.providers.base import Transcript
from switchboard.providers.streaming import SpokenChunk
from tests.polling import eventually, within
from tests.voice.speech import frames, silence, spoken
from workflows.types import CallTurnInput, CallView, TurnResult


class Words:
    """STT stand-in: the n-th turn says "part n"."""

    def __init__(self) -> None:
        self.turns = 0

    def open_stream(self) -> Words:
        return self

    async def warm(self) -> None:
        return None

    async def feed(self, pcm16: bytes) -> None:
        return None

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        self.turns += 1
        return Transcript(text=f"part {self.turns}", confidence=0.9)

    async def discard_turn(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


class Voice:
    """TTS stand-in: 200 ms of μ-law silence per reply."""

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        yield SpokenChunk(mulaw=b"\xff" * 1600, text=text)


class SlowAgent:
    """The agent's first decision waits until released (a slow LLM); later ones are at once."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.asked: list[str] = []
        self.first_started = asyncio.Event()

    async def decide(self, context: Any) -> AgentDecision:
        self.asked.append(context.message)
        if len(self.asked) == 1:
            self.first_started.set()
            await self.release.wait()
        return AgentDecision(reply=f"about {context.message}", intent=Intent.ANSWER)


class Context:
    """The agent's context, reduced to what this test reads (the session fills in the words)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def model_copy(self, *, update: dict[str, str]) -> Context:
        return Context(update.get("message", self.message))


@pytest.fixture
def workflow(monkeypatch: pytest.MonkeyPatch) -> list[CallTurnInput]:
    """The customer workflow's stand-in: the call is open; each Update is recorded."""
    sent: list[CallTurnInput] = []

    async def call_view(*_: object, **__: object) -> CallView:
        return CallView(open=True)

    async def call_turn(
        _client: object, _e164: str, turn: CallTurnInput, **_: object
    ) -> TurnResult:
        sent.append(turn)
        return TurnResult(reply=turn.decision.reply if turn.decision else "sorry")

    async def load_context(_db: object, request: Any, **_: object) -> Context:
        return Context(request.message)

    monkeypatch.setattr(session_module, "call_view", call_view)
    monkeypatch.setattr(session_module, "call_turn", call_turn)
    monkeypatch.setattr(session_module, "load_context", load_context)
    return sent


class NoDb:
    """The session reads bookings (for STT vocabulary) and writes nothing in this test."""

    def session(self) -> Any:
        class Session:
            async def __aenter__(self) -> Session:
                return self

            async def __aexit__(self, *_: object) -> None:
                return None

        return Session()


def standalone_session(
    send: Callable[[str], Awaitable[None]], *, tts: Any, agent: Any
) -> CallSession:
    """A call session with stand-ins for Temporal, the database and STT (``Words``)."""

    async def hang_up() -> None:
        return None

    return CallSession(
        send=send,
        hang_up=hang_up,
        temporal=None,  # type: ignore[arg-type]
        db=NoDb(),  # type: ignore[arg-type]
        engines=CallEngines(
            stt=Words(),
            tts=tts,
            agent=agent,
            profile=load_profile(),
            window=10,
            default_timezone="UTC",
        ),
        who=CallIdentity(
            customer="+33612345678", call_sid="CA" + "1" * 32, stream_sid="MZ" + "2" * 32
        ),
    )


async def caller_says(
    monkeypatch: pytest.MonkeyPatch,
    *,
    stt: Any,
    agent: Any,
    greeting: str,
    said: str,
    context: Callable[[str], Any],
    bookings: Sequence[Any] = (),
) -> CallSession:
    """A ``standalone_session`` with ``stt`` and ``agent`` that greets with ``greeting`` and
    hears the caller say ``said`` once, then a second of silence; the session's
    ``load_context`` answers ``context(message)`` and its ``bookings_for`` ``bookings``.
    Returns the session, to close."""

    async def bookings_for(*_: object, **__: object) -> list[Any]:
        return list(bookings)

    async def load_context(_db: object, request: Any, **_: object) -> Any:
        return context(request.message)

    monkeypatch.setattr(session_module, "bookings_for", bookings_for)
    monkeypatch.setattr(session_module, "load_context", load_context)

    async def send(text: str) -> None:
        json.loads(text)

    session = standalone_session(send, tts=Voice(), agent=agent)
    session._engines.stt = stt
    session._stt = stt
    await session.open(None, greeting)
    for frame in frames(await spoken(said)):
        await session.on_media(pcm16_to_mulaw(frame))
        await asyncio.sleep(0)
    for frame in frames(silence(1000)):
        await session.on_media(pcm16_to_mulaw(frame))
        await asyncio.sleep(0)
    return session


async def test_speech_during_the_decision_drops_it_and_joins_the_words(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_bookings(*_: object, **__: object) -> list[object]:
        return []

    monkeypatch.setattr(session_module, "bookings_for", no_bookings)
    sent_to_twilio: list[dict[str, Any]] = []

    async def send(text: str) -> None:
        sent_to_twilio.append(json.loads(text))

    agent = SlowAgent()
    session = standalone_session(send, tts=Voice(), agent=agent)
    await session.open(None, "Hello.")
    speech = await spoken("Book my cat for Tuesday.")

    async def say(samples: np.ndarray) -> None:
        for frame in frames(samples):
            await session.on_media(pcm16_to_mulaw(frame))
            await asyncio.sleep(0)  # let the session's tasks run between frames

    await say(np.concatenate([speech, silence(800)]))  # turn 1 ends; the agent is deciding
    await within(agent.first_started.wait(), "the first decision to start")
    await say(np.concatenate([speech, silence(800)]))  # the caller goes on: barge-in
    agent.release.set()

    await eventually(lambda: _ready(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")  # none must come
    await session.close()

    (turn,) = workflow  # one Update: the interrupted decision never reached the workflow
    assert turn.transcript == "part 1 part 2"  # both breaths, one turn
    assert agent.asked == ["part 1", "part 1 part 2"]


async def _ready(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
