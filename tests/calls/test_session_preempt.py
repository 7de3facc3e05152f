"""Preemptive turns on a live call: the agent decides during the caller's pause, before the VAD
ends the turn, so only the Update and the audio are left when it does. A pause the caller
breaks by going on drops that decision: it never reaches the workflow, and the turn is decided
again on all the words. The session runs on its own with real VAD on espeak speech and
stand-ins for the engines and the workflow (``test_session_barge_in``), so the order is exact."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from operations.calls import session as session_module
from switchboard.agent_models import AgentDecision, Intent
from switchboard.media_streams import pcm16_to_mulaw
from switchboard.providers.base import Transcript
from switchboard.voice.turns import TurnDetector, TurnEnded
from tests.calls.test_session_barge_in import Voice, standalone_session
from tests.calls.test_session_barge_in import workflow as workflow  # the fixture
from tests.polling import eventually, within
from tests.voice.speech import frames, silence, spoken
from workflows.types import CallTurnInput


class Counted:
    """A previewable STT stand-in (the local engine's shape): a transcript names how many
    frames of the turn it covers, so a decision shows which words it was made on."""

    def __init__(self) -> None:
        self.fed = 0

    def open_stream(self) -> Counted:
        return self

    async def warm(self) -> None:
        return None

    async def feed(self, pcm16: bytes) -> None:
        self.fed += 1

    async def preview(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        return Transcript(text=f"{self.fed} frames", confidence=0.9)

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        heard = await self.preview()
        self.fed = 0
        return heard

    async def discard_turn(self) -> None:
        self.fed = 0

    async def aclose(self) -> None:
        return None


class Clocked:
    """The agent: answers at once, noting the frame the caller's audio had reached."""

    def __init__(self) -> None:
        self.frame = 0
        self.asked: list[tuple[str, int]] = []

    async def decide(self, context: Any) -> AgentDecision:
        self.asked.append((context.message, self.frame))
        return AgentDecision(reply=f"about {context.message}", intent=Intent.ANSWER)


async def _call(
    monkeypatch: pytest.MonkeyPatch, audio: npt.NDArray[np.int16]
) -> tuple[Clocked, Any]:
    async def no_bookings(*_: object, **__: object) -> list[object]:
        return []

    monkeypatch.setattr(session_module, "bookings_for", no_bookings)

    async def send(text: str) -> None:
        json.loads(text)

    agent = Clocked()
    session = standalone_session(send, tts=Voice(), agent=agent)
    session._engines.stt = Counted()
    session._stt = session._engines.stt.open_stream()
    await session.open(None, "Hello.")
    for frame in frames(audio):
        agent.frame += 1
        await session.on_media(pcm16_to_mulaw(frame))
        await asyncio.sleep(0)  # let the session's tasks run between frames
    return agent, session


def _turn_end_frame(audio: npt.NDArray[np.int16]) -> int:
    """The frame (1-based) on which the product's VAD ends the turn, found offline."""
    detector = TurnDetector()
    for n, frame in enumerate(frames(audio), start=1):
        if any(isinstance(e, TurnEnded) for e in detector.push(frame)):
            return n
    raise AssertionError("the turn never ended")


async def test_a_pause_that_ends_the_turn_was_decided_before_it_ended(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = np.concatenate([await spoken("Book my cat for Tuesday."), silence(1000)])
    agent, session = await _call(monkeypatch, audio)
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()

    (turn,) = workflow
    ((words, at_frame),) = agent.asked  # decided once, on the early transcript
    assert turn.transcript == words
    assert turn.decision is not None and turn.decision.reply == f"about {words}"
    assert at_frame < _turn_end_frame(audio)  # before the VAD ended the turn


async def test_a_pause_the_caller_breaks_never_acts_and_the_turn_has_all_the_words(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await spoken("Book my cat for Tuesday.")
    then = await spoken("No, make it Wednesday.")
    # A 450 ms pause: long enough for a preview and a decision, too short to end the turn.
    audio = np.concatenate([first, silence(450), then, silence(1000)])
    agent, session = await _call(monkeypatch, audio)
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()

    (turn,) = workflow  # one Update, on the whole turn
    assert len(agent.asked) >= 2, "the pause should have been decided on, then again"
    dropped, (final, _) = agent.asked[0][0], agent.asked[-1]
    assert turn.transcript == final != dropped
    assert int(final.split()[0]) > int(dropped.split()[0])  # the later words are in it
    assert turn.decision is not None and turn.decision.reply == f"about {final}"


async def _count(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
