"""Whisper's other readings of a turn (its N-best list, ``Transcript.alternatives``): when the
agent makes no sense of the first reading, the session tries the others in order and the turn
goes to the workflow as the first one the agent makes an action to read back, an answer, a
handoff (or, with an action waiting, a yes or a no) of, without reading the audio again. An
alternative too unsure to act on is skipped; one that names another day or time than the
first reading is not guessed at: the caller is asked. The readings below are tiny.en's, recorded
offline on the calls eval's turns (espeak, 8 kHz). Real VAD on espeak speech, stand-ins for STT,
the agent and the workflow (``test_session_barge_in``)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from switchboard.agent_models import AgentDecision, Intent
from switchboard.providers.base import Transcript
from tests.calls.test_session_barge_in import caller_says
from tests.calls.test_session_barge_in import workflow as workflow  # the fixture
from tests.polling import eventually, within
from workflows.types import CallTurnInput


class Readings:
    """An STT stand-in whose turn is ``first`` with ``others`` as its alternatives, each
    (text, confidence); its second readings (yes/no, within words) give nothing and are
    counted."""

    def __init__(self, first: tuple[str, float], *others: tuple[str, float]) -> None:
        self.first = first
        self.others = others
        self.reread_asked = 0
        self.words_asked = 0

    def open_stream(self) -> Readings:
        return self

    async def warm(self) -> None:
        return None

    async def feed(self, pcm16: bytes) -> None:
        return None

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        return Transcript(
            text=self.first[0],
            confidence=self.first[1],
            alternatives=tuple(Transcript(text=t, confidence=c) for t, c in self.others),
        )

    async def reread(
        self, phrases: Sequence[str], *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript | None:
        self.reread_asked += 1
        return None

    async def reread_words(self, words: Sequence[str], *, context: str = "") -> Transcript | None:
        self.words_asked += 1
        return None

    async def discard_turn(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


_DAY = r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"


class Agent:
    """The agent: a weekday and "at" an hour make a proposal, a weekday alone a question, "a
    real person" a handoff, a yes or a no an answer; anything else the menu."""

    async def decide(self, context: Any) -> AgentDecision:
        said = context.message.lower()
        day = re.search(_DAY, said)
        if day and re.search(r"\bat \d", said):
            return AgentDecision(
                reply=f"I can book {day[1]}. Shall I confirm?", intent=Intent.PROPOSE_BOOKING
            )
        if day:
            return AgentDecision(reply=f"What time on {day[1]}?", intent=Intent.CLARIFY)
        if "real person" in said:
            return AgentDecision(reply="I'll pass you to the team.", intent=Intent.HANDOFF)
        if said.startswith(("yes", "yeah")):
            return AgentDecision(reply="Done.", intent=Intent.CONFIRM, action_id="a1")
        return AgentDecision(reply="Sorry, what would you like to do?", intent=Intent.OTHER)


class Context:
    """The agent's context reduced to what the session reads."""

    def __init__(self, message: str, pending: object | None) -> None:
        self.message = message
        self.pending = pending
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday
        self.timezone = "Europe/Paris"

    def model_copy(self, *, update: dict[str, str]) -> Context:
        return Context(update.get("message", self.message), self.pending)


async def _turn(
    monkeypatch: pytest.MonkeyPatch,
    workflow: list[CallTurnInput],
    stt: Readings,
    *,
    pending: bool = False,
) -> CallTurnInput:
    """One caller turn through the session; what reached the workflow."""
    session = await caller_says(
        monkeypatch,
        stt=stt,
        agent=Agent(),
        greeting="Hello, this is the clinic. How can I help you today?",
        said="I want to speak to a real person.",
        context=lambda message: Context(message, object() if pending else None),
    )
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()
    (turn,) = workflow
    return turn


async def test_the_first_alternative_the_agent_acts_on_is_the_turn(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Readings(
        ("I want to speak to a real portion.", 0.65),
        ("I want to speak to a real person.", 0.64),
        ("I want to speak to Maria's portion.", 0.56),
    )
    turn = await _turn(monkeypatch, workflow, stt)

    assert turn.transcript == "I want to speak to a real person."
    assert not turn.unsure
    assert turn.decision is not None and turn.decision.intent is Intent.HANDOFF
    assert stt.words_asked == 0  # no second decode of the audio


async def test_with_an_action_waiting_an_alternative_yes_confirms(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Readings(("You have to leave.", 0.59), ("Yes, please.", 0.49))
    turn = await _turn(monkeypatch, workflow, stt, pending=True)

    assert turn.transcript == "Yes, please."
    assert turn.decision is not None and turn.decision.intent is Intent.CONFIRM
    assert stt.reread_asked == 0


async def test_an_alternative_too_unsure_to_act_on_is_skipped(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Readings(
        ("I want to speak to a real portion.", 0.65), ("I want to speak to a real person.", 0.2)
    )
    turn = await _turn(monkeypatch, workflow, stt)

    assert turn.transcript == "I want to speak to a real portion."
    assert turn.decision is not None and turn.decision.intent is Intent.OTHER
    assert stt.words_asked == 1  # the reading within the booking words, as without alternatives


async def test_readings_that_disagree_on_the_day_ask_rather_than_guess(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Readings(
        ("Book my dog for Thursday, I'm nine.", 0.55), ("Book my dog for Tuesday at 9am.", 0.5)
    )
    turn = await _turn(monkeypatch, workflow, stt)

    assert turn.transcript == "Book my dog for Thursday, I'm nine."
    assert turn.decision is not None and turn.decision.intent is Intent.CLARIFY
    assert stt.words_asked == 0  # asked, not read again into a guess


async def test_readings_that_agree_on_the_day_give_the_proposal(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Readings(
        ("Book my dog for Tuesday, I'm mine.", 0.55), ("Book my dog for Tuesday at 9am.", 0.5)
    )
    turn = await _turn(monkeypatch, workflow, stt)

    assert turn.transcript == "Book my dog for Tuesday at 9am."
    assert turn.decision is not None and turn.decision.intent is Intent.PROPOSE_BOOKING
    # the proposal is read back: nothing is booked before the caller's yes
    assert "Shall I confirm?" in turn.decision.reply


async def _count(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
