"""A misheard answer to "Shall I confirm?": when the agent makes no sense of the transcript
while an action waits for a yes, the session has the turn read again as one of a few yes/no
answers, and the turn goes to the workflow as that answer. Without a pending action, or when the
closed reading is none of the answers, the turn is the open transcript, as before. The session
runs on its own with real VAD on espeak speech and stand-ins for STT, the agent and the workflow
(``test_session_barge_in``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from operations.calls.session import CONFIRM_ANSWERS
from switchboard.agent_models import AgentDecision, Intent
from switchboard.providers.base import Transcript
from tests.calls.test_session_barge_in import caller_says
from tests.calls.test_session_barge_in import workflow as workflow  # the fixture
from tests.polling import eventually, within
from workflows.types import CallTurnInput


class Misheard:
    """A rereadable STT stand-in: the open transcript is tiny.en's mishearing of "Yes please"
    on a phone line; the closed reading is ``closed`` (None: none of the answers)."""

    def __init__(self, closed: str | None) -> None:
        self.closed = closed
        self.asked: list[Sequence[str]] = []

    def open_stream(self) -> Misheard:
        return self

    async def warm(self) -> None:
        return None

    async def feed(self, pcm16: bytes) -> None:
        return None

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        return Transcript(text="You have to leave.", confidence=0.6)

    async def reread(
        self, phrases: Sequence[str], *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript | None:
        self.asked.append(phrases)
        return None if self.closed is None else Transcript(text=self.closed, confidence=0.7)

    async def discard_turn(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


class YesNo:
    """The agent: a yes or no confirms or declines, anything else is a clarifying question."""

    async def decide(self, context: Any) -> AgentDecision:
        said = context.message.lower()
        if said.startswith(("yes", "yeah")):
            return AgentDecision(reply="Done.", intent=Intent.CONFIRM, action_id="a1")
        if said.startswith("no"):
            return AgentDecision(reply="OK, I won't.", intent=Intent.DECLINE, action_id="a1")
        return AgentDecision(
            reply="Sorry, I didn't catch that. Please answer yes or no.", intent=Intent.CLARIFY
        )


class Pending:
    """The agent's context with a pending action (or none), reduced to what the session reads."""

    def __init__(self, message: str, pending: object | None) -> None:
        self.message = message
        self.pending = pending

    def model_copy(self, *, update: dict[str, str]) -> Pending:
        return Pending(update.get("message", self.message), self.pending)


async def _answer(monkeypatch: pytest.MonkeyPatch, stt: Misheard, *, pending: bool) -> Any:
    """A call whose caller says "Yes please" once; the session, to close."""
    return await caller_says(
        monkeypatch,
        stt=stt,
        agent=YesNo(),
        greeting="I can book Tuesday at 10:00 for your cat. Shall I confirm?",
        said="Yes please.",
        context=lambda message: Pending(message, object() if pending else None),
    )


async def test_a_misheard_yes_is_read_again_and_confirms(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Misheard("Yes, please.")
    session = await _answer(monkeypatch, stt, pending=True)
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()

    (turn,) = workflow
    assert stt.asked == [CONFIRM_ANSWERS]
    assert turn.transcript == "Yes, please."  # the words the decision was made on
    assert not turn.unsure
    assert turn.decision is not None and turn.decision.intent is Intent.CONFIRM


async def test_without_a_pending_action_the_open_transcript_stands(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Misheard("Yes, please.")
    session = await _answer(monkeypatch, stt, pending=False)
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()

    (turn,) = workflow
    assert stt.asked == []  # nothing waits for a yes: no second reading
    assert turn.transcript == "You have to leave."
    assert turn.decision is not None and turn.decision.intent is Intent.CLARIFY


async def test_a_closed_reading_that_is_no_answer_changes_nothing(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Misheard(None)
    session = await _answer(monkeypatch, stt, pending=True)
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()

    (turn,) = workflow
    assert stt.asked == [CONFIRM_ANSWERS]
    assert turn.transcript == "You have to leave."
    assert turn.decision is not None and turn.decision.intent is Intent.CLARIFY


async def _count(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
