"""A misheard request with nothing waiting for a yes: when the agent makes no sense of the open
transcript, the session has the turn read again within the words of a booking line (its own,
the business's, the customer's pets on record), and the turn goes to the workflow as that
reading when the agent makes an action to read back, an answer or a handoff of it. Otherwise
(the reading is another "which?", a goodbye, or nothing) the open transcript stands, and a turn
the agent understood is not read again. Real VAD on espeak speech, stand-ins for STT, the agent
and the workflow (``test_session_barge_in``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from operations.calls.session import REQUEST_WORDS
from switchboard.agent_models import AgentDecision, Intent
from switchboard.providers.base import Transcript
from tests.calls.test_session_barge_in import caller_says
from tests.calls.test_session_barge_in import workflow as workflow  # the fixture
from tests.calls.test_session_reread import Pending
from tests.polling import eventually, within
from workflows.types import CallTurnInput

MISHEARD = "Welcome to the fourth right minute, 10am, please."  # tiny.en, "Book Bella for..."


class Rereading:
    """An STT stand-in whose open transcript is ``heard`` and whose reading within the words
    it is given is ``within`` (None: nothing usable)."""

    def __init__(self, heard: str, within: str | None) -> None:
        self.heard = heard
        self.within = within
        self.asked: list[Sequence[str]] = []

    def open_stream(self) -> Rereading:
        return self

    async def warm(self) -> None:
        return None

    async def feed(self, pcm16: bytes) -> None:
        return None

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        return Transcript(text=self.heard, confidence=0.45)

    async def reread(
        self, phrases: Sequence[str], *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript | None:
        raise AssertionError("no action waits for a yes: no yes/no reading")

    async def reread_words(self, words: Sequence[str], *, context: str = "") -> Transcript | None:
        self.asked.append(words)
        return None if self.within is None else Transcript(text=self.within, confidence=0.6)

    async def discard_turn(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


class Booker:
    """The agent: a day and a time make a proposal, "bye" a goodbye, "friday" alone a
    question; anything else the menu."""

    async def decide(self, context: Any) -> AgentDecision:
        said = context.message.lower()
        if "friday" in said and "10" in said:
            return AgentDecision(
                reply="I can book Friday at 10:00. Shall I confirm?",
                intent=Intent.PROPOSE_BOOKING,
            )
        if "bye" in said:
            return AgentDecision(reply="Goodbye!", intent=Intent.GOODBYE)
        if "friday" in said:
            return AgentDecision(reply="What time on Friday?", intent=Intent.CLARIFY)
        return AgentDecision(reply="Sorry, what would you like to do?", intent=Intent.OTHER)


async def _call(monkeypatch: pytest.MonkeyPatch, stt: Rereading, *, subjects: list[str]) -> Any:
    """A call whose caller says one request, no action pending; the session, to close."""
    return await caller_says(
        monkeypatch,
        stt=stt,
        agent=Booker(),
        greeting="Hello, this is the clinic. How can I help you today?",
        said="Book Bella for Friday at 10 am please.",
        context=lambda message: Pending(message, None),
        bookings=[
            SimpleNamespace(subject=s, slot_start=datetime(2026, 12, 9, tzinfo=UTC))
            for s in subjects
        ],
    )


async def _turn(session: Any, workflow: list[CallTurnInput]) -> CallTurnInput:
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()
    (turn,) = workflow
    return turn


async def test_a_misheard_request_is_read_again_within_the_booking_words(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Rereading(MISHEARD, "Book Bella for Friday at 10am please.")
    session = await _call(monkeypatch, stt, subjects=["Bella"])
    turn = await _turn(session, workflow)

    (words,) = stt.asked
    assert set(REQUEST_WORDS) <= set(words)
    # the business's words and the pet on record may be heard; nobody else's name
    assert {"Friday", "vaccination", "Bella"} <= set(words)
    assert turn.transcript == "Book Bella for Friday at 10am please."
    assert not turn.unsure
    assert turn.decision is not None and turn.decision.intent is Intent.PROPOSE_BOOKING


@pytest.mark.parametrize("within_words", [None, "Bye.", "Friday, please."])
async def test_a_reading_that_makes_no_action_leaves_the_open_transcript(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch, within_words: str | None
) -> None:
    stt = Rereading(MISHEARD, within_words)
    session = await _call(monkeypatch, stt, subjects=[])
    turn = await _turn(session, workflow)

    assert len(stt.asked) == 1
    assert turn.transcript == MISHEARD
    assert turn.decision is not None and turn.decision.intent is Intent.OTHER


async def test_an_understood_request_is_not_read_again(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    stt = Rereading("Book Bella for Friday at 10 am please.", "Bye.")
    session = await _call(monkeypatch, stt, subjects=[])
    turn = await _turn(session, workflow)

    assert stt.asked == []
    assert turn.transcript == "Book Bella for Friday at 10 am please."
    assert turn.decision is not None and turn.decision.intent is Intent.PROPOSE_BOOKING


async def _count(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
