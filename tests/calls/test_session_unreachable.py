"""A caller's turn while Temporal is out of reach (a server restarting, no worker polling): the
session retries the turn's Update for a bounded time; if the workflow never takes it, the caller
hears that something went wrong instead of silence, and what they said is in the conversation
log. The session runs on its own with real VAD on espeak speech and stand-ins for the engines
and the workflow (as in test_session_barge_in)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncGenerator
from typing import Any

import numpy as np
import pytest
from temporalio.service import RPCError, RPCStatusCode

from operations.calls import session as session_module
from operations.calls.session import UNREACHABLE
from switchboard.agent_models import AgentDecision, Intent
from switchboard.media_streams import pcm16_to_mulaw
from switchboard.providers.streaming import SpokenChunk
from tests.calls.test_session_barge_in import Context, standalone_session
from tests.polling import eventually
from tests.voice.speech import frames, silence, spoken
from workflows.types import CallTurnInput, CallView, TurnResult


class SaidVoice:
    """TTS stand-in whose audio names its text: each text gets its own byte value, so what
    reached Twilio tells what the caller heard (a reply synthesised early but never played
    does not count)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        if text not in self.texts:
            self.texts.append(text)
        yield SpokenChunk(mulaw=bytes([self.texts.index(text)]) * 1600, text=text)

    def heard(self, sent: list[dict[str, Any]]) -> list[str]:
        out: list[str] = []
        for event in sent:
            if event.get("event") == "media":
                text = self.texts[base64.b64decode(event["media"]["payload"])[0]]
                if not out or out[-1] != text:
                    out.append(text)
        return out


class Agent:
    async def decide(self, context: Any) -> AgentDecision:
        return AgentDecision(reply="Your appointment is on Tuesday.", intent=Intent.ASK_BOOKING)


@pytest.mark.parametrize("comes_back", [False, True])
async def test_a_turn_temporal_does_not_take_is_retried_then_answered_not_left_silent(
    monkeypatch: pytest.MonkeyPatch, comes_back: bool
) -> None:
    attempts: list[CallTurnInput] = []
    logged: list[dict[str, Any]] = []

    async def call_view(*_: object, **__: object) -> CallView:
        return CallView(open=True)

    async def call_turn(_c: object, _e: str, turn: CallTurnInput, **_: object) -> TurnResult:
        attempts.append(turn)
        if comes_back and len(attempts) >= 3:  # Temporal is back after two failed attempts
            return TurnResult(reply=turn.decision.reply if turn.decision else "")
        raise RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b"")

    async def load_context(_db: object, request: Any, **_: object) -> Context:
        return Context(request.message)

    async def no_bookings(*_: object, **__: object) -> list[object]:
        return []

    async def log_message(_s: object, **row: Any) -> None:
        logged.append(row)

    monkeypatch.setattr(session_module, "call_view", call_view)
    monkeypatch.setattr(session_module, "call_turn", call_turn)
    monkeypatch.setattr(session_module, "load_context", load_context)
    monkeypatch.setattr(session_module, "bookings_for", no_bookings)
    monkeypatch.setattr(session_module, "log_message", log_message)
    monkeypatch.setattr(session_module, "TURN_RETRY_S", 2.0)

    sent: list[dict[str, Any]] = []

    async def send(text: str) -> None:
        sent.append(json.loads(text))

    voice = SaidVoice()
    session = standalone_session(send, tts=voice, agent=Agent())
    await session.open(None, "Hello.")
    speech = await spoken("When is my appointment?")
    for frame in frames(np.concatenate([speech, silence(800)])):
        await session.on_media(pcm16_to_mulaw(frame))
        await asyncio.sleep(0)

    async def replies() -> list[str]:
        return [t for t in voice.heard(sent) if t != "Hello."]

    heard = await eventually(replies, lambda said: len(said) >= 1, timeout_s=15)
    await session.close()

    assert len({a.sid for a in attempts}) == 1, "every retry is the same turn (one Update ID)"
    if comes_back:
        assert heard == ["Your appointment is on Tuesday."] and len(attempts) == 3
        assert not logged
    else:
        assert heard == [UNREACHABLE] and len(attempts) >= 2
        [row] = logged
        assert row["text"] == "part 1" and row["direction"] == "inbound"
