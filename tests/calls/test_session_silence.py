"""The call session around the caller's words, on its own (real VAD on espeak speech, stand-ins
for STT, TTS, the agent, the workflow and the database) so the interleaving is exact: a slow
decision is not taken for a silent caller, and a reply the caller hung up on before it began to
play is logged as not heard."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import Any

import numpy as np
import pytest

from operations.calls import session as session_module
from operations.calls.session import STILL_THERE, CallSession
from switchboard.media_streams import pcm16_to_mulaw
from switchboard.providers.streaming import SpokenChunk
from tests.calls.test_session_barge_in import Context, SlowAgent, standalone_session
from tests.polling import eventually, within
from tests.voice.speech import frames, silence, spoken
from workflows.types import CallTurnInput, CallView, TurnResult


class Voice:
    """TTS stand-in: 200 ms of μ-law silence per reply; remembers what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[str] = []

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        self.said.append(text)
        yield SpokenChunk(mulaw=b"\xff" * 1600, text=text)


class Workflow:
    """The customer workflow's stand-in: the call is open; each Update waits for ``release``
    and is recorded; ``cut`` records the reply rows cut in the log."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.received = asyncio.Event()
        self.turns: list[CallTurnInput] = []
        self.cut: list[tuple[str, str]] = []
        self.logged: list[dict[str, Any]] = []


@pytest.fixture
def workflow(monkeypatch: pytest.MonkeyPatch) -> Workflow:
    stand_in = Workflow()

    async def call_view(*_: object, **__: object) -> CallView:
        return CallView(open=True)

    async def call_turn(
        _client: object, _e164: str, turn: CallTurnInput, **_: object
    ) -> TurnResult:
        stand_in.turns.append(turn)
        stand_in.received.set()
        await stand_in.release.wait()
        return TurnResult(reply=turn.decision.reply if turn.decision else "sorry")

    async def load_context(_db: object, request: Any, **_: object) -> Any:
        return Context(request.message)

    async def no_bookings(*_: object, **__: object) -> list[object]:
        return []

    async def cut_reply(_session: object, *, key: str, heard: str) -> bool:
        stand_in.cut.append((key, heard))
        return True

    async def log_message(_session: object, **row: Any) -> None:
        stand_in.logged.append(row)

    monkeypatch.setattr(session_module, "call_view", call_view)
    monkeypatch.setattr(session_module, "call_turn", call_turn)
    monkeypatch.setattr(session_module, "load_context", load_context)
    monkeypatch.setattr(session_module, "bookings_for", no_bookings)
    monkeypatch.setattr(session_module, "cut_reply", cut_reply)
    monkeypatch.setattr(session_module, "log_message", log_message)
    return stand_in


async def open_session(agent: Any, voice: Voice, *, prompt_s: float) -> CallSession:
    """A session whose marks come back as soon as they are sent (Twilio played the audio),
    asking a silent caller after ``prompt_s`` s of silence."""
    session: CallSession | None = None

    async def send(text: str) -> None:
        message = json.loads(text)
        if message["event"] == "mark" and session is not None:
            await session.on_mark(message["mark"]["name"])

    session = standalone_session(send, tts=voice, agent=agent)
    session._engines.silence_prompt_s = prompt_s
    await session.open(None, "Hello.")
    return session


async def play(session: CallSession, samples: np.ndarray) -> None:
    for frame in frames(samples):
        await session.on_media(pcm16_to_mulaw(frame))
        await asyncio.sleep(0)  # let the session's tasks run between frames


async def test_a_slow_decision_is_not_taken_for_a_silent_caller(workflow: Workflow) -> None:
    workflow.release.set()
    agent = SlowAgent()
    voice = Voice()
    session = await open_session(agent, voice, prompt_s=1.0)
    try:
        await play(session, np.concatenate([await spoken("Book my cat."), silence(800)]))
        await within(agent.first_started.wait(), "the decision to start")
        await play(session, silence(3000))  # 3 s of line silence while the agent decides

        assert STILL_THERE not in voice.said, voice.said
        agent.release.set()
        await eventually(lambda: _said(voice), lambda said: "about part" in " ".join(said))
        await play(session, silence(1500))  # the reply has played: now the caller is silent
        await eventually(lambda: _said(voice), lambda said: STILL_THERE in said)
        assert [row["text"] for row in workflow.logged] == [STILL_THERE]
    finally:
        await session.close()


async def test_a_reply_hung_up_on_before_it_played_is_logged_as_not_heard(
    workflow: Workflow,
) -> None:
    agent = SlowAgent()
    agent.release.set()
    session = await open_session(agent, Voice(), prompt_s=30.0)
    await play(session, np.concatenate([await spoken("Book my cat."), silence(800)]))
    await within(workflow.received.wait(), "the turn's Update")

    # The caller hangs up while the workflow carries the turn out (Twilio's stop).
    closing = asyncio.create_task(session.close())
    await asyncio.sleep(0.1)
    workflow.release.set()
    await within(closing, "the session to close")

    (turn,) = workflow.turns
    assert workflow.cut == [(f"reply/{turn.sid}", "")]


async def _said(voice: Voice) -> list[str]:
    return list(voice.said)
