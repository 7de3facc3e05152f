"""A pet's name the STT was unsure of is asked again, not read back (issue 9, item 3;
``switchboard.voice.names``): "my dog Rex" heard as "my dog reaction", with "reaction" scored
low, gets "Sorry, I didn't catch your dog's name. Could you say it again?" where the local agent
would have read back "I can book … for Reaction". The same words heard surely, or a name the
CRM has, are read back as before. Real VAD on espeak speech and the real rules agent; stand-ins
for the STT (its words scored as tiny.en scored them on the calls eval's line) and the workflow
(``test_session_barge_in``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import pytest

from switchboard.agent_models import AgentContext, BookingView, Channel, Intent
from switchboard.providers.base import HeardWord, Transcript
from switchboard.providers.rules_agent import RuleBasedAgent
from tests.calls.test_session_alternatives import Readings
from tests.calls.test_session_barge_in import caller_says
from tests.calls.test_session_barge_in import workflow as workflow  # the fixture
from tests.polling import eventually, within
from tests.providers.test_local_agent_everyday import NOW, PROFILE
from workflows.types import CallTurnInput

HEARD = "Can I bring my dog reaction in on Thursday at 3 pm?"


class Heard(Readings):
    """An STT stand-in whose turn is ``HEARD``, each word scored ``sure`` but "reaction",
    scored ``name``; its second readings give nothing (``Readings``)."""

    def __init__(self, name: float, sure: float = 0.9) -> None:
        super().__init__((HEARD, 0.7))
        self.words = tuple(
            HeardWord(text=w, probability=name if w == "reaction" else sure)
            for w in HEARD.rstrip("?").split()
        )

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        return Transcript(text=HEARD, confidence=0.7, words=self.words)


def context(message: str, bookings: list[BookingView]) -> AgentContext:
    return AgentContext(
        customer="+33612345678",
        channel=Channel.VOICE,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        bookings=bookings,
        business=PROFILE,
    )


async def _turn(
    monkeypatch: pytest.MonkeyPatch,
    workflow: list[CallTurnInput],
    stt: Heard,
    bookings: list[BookingView] | None = None,
) -> CallTurnInput:
    session = await caller_says(
        monkeypatch,
        stt=stt,
        agent=RuleBasedAgent(),
        greeting="Hello, this is the clinic. How can I help you today?",
        said="Can I bring my dog Rex in on Thursday at 3 pm?",
        context=lambda message: context(message, bookings or []),
    )
    await eventually(lambda: _count(workflow), lambda n: n >= 1)
    await within(asyncio.sleep(0.3), "a moment for a stray Update")
    await session.close()
    (turn,) = workflow
    return turn


async def test_a_name_heard_unsurely_is_asked_again_not_read_back(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    turn = await _turn(monkeypatch, workflow, Heard(name=0.12))

    assert turn.transcript == HEARD
    assert turn.decision is not None and turn.decision.intent is Intent.CLARIFY
    assert turn.decision.reply == "Sorry, I didn't catch your dog's name. Could you say it again?"
    assert turn.decision.proposal is None  # nothing waits for a yes


async def test_a_name_heard_surely_is_read_back(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    turn = await _turn(monkeypatch, workflow, Heard(name=0.85))

    assert turn.decision is not None and turn.decision.intent is Intent.PROPOSE_BOOKING
    assert turn.decision.proposal is not None
    assert turn.decision.proposal.subject == "Reaction"


async def test_a_name_the_crm_has_is_read_back_however_it_was_heard(
    workflow: list[CallTurnInput], monkeypatch: pytest.MonkeyPatch
) -> None:
    on_record = BookingView(
        id="b1",
        subject="Reaction",
        slot_start=NOW - timedelta(days=30),
        status="confirmed",
        service=PROFILE.default_service,
    )
    turn = await _turn(monkeypatch, workflow, Heard(name=0.12), bookings=[on_record])

    assert turn.decision is not None and turn.decision.intent is Intent.PROPOSE_BOOKING
    assert turn.decision.proposal is not None
    assert turn.decision.proposal.subject == "Reaction"


async def _count(workflow: list[CallTurnInput]) -> int:
    return len(workflow)
