"""Replies to a proposal that are neither yes nor no: thanks (🙏) and a question. Neither books
anything, and the proposal is put again, so the customer is never left thinking it is done.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, pending

ASKED = "can max come wednesday at 11?"
PROPOSED = "I can book Wednesday 9 December at 11:00 for Max. Reply YES to confirm."
WAITING = pending("book", at(9, 11), subject="Max", service="consultation")
AGAIN = "Shall I book Wednesday 9 December at 11:00 for Max?"


@pytest.mark.parametrize("message", ["thank you", "thanks!", "🙏"])
async def test_thanks_to_a_proposal_books_nothing_and_asks_again(message: str) -> None:
    decision = await decide(message, pending=WAITING, history=[ASKED, PROPOSED])

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply == f"You're welcome! {AGAIN}"


@pytest.mark.parametrize("message", ["🙏", "thank you 🙏"])
async def test_thanks_with_nothing_waiting_is_only_thanks(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.OTHER
    assert decision.reply.startswith("You're welcome!")


@pytest.mark.parametrize("message", ["that's fine but what's the price?", "yes but how much is it"])
async def test_a_question_about_the_proposal_is_answered_and_the_proposal_put_again(
    message: str,
) -> None:
    decision = await decide(message, pending=WAITING, history=[ASKED, PROPOSED])

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply == f"A consultation is €45 (30 minutes). {AGAIN}"


@pytest.mark.parametrize("message", ["bye", "thanks bye"])
async def test_a_goodbye_to_a_proposal_puts_it_once_more(message: str) -> None:
    decision = await decide(message, pending=WAITING, history=[ASKED, PROPOSED])

    assert decision.intent is Intent.CLARIFY
    assert decision.reply == "Before you go, shall I book Wednesday 9 December at 11:00 for Max?"


async def test_a_goodbye_with_nothing_waiting_says_goodbye() -> None:
    decision = await decide("thanks bye")

    assert decision.intent is Intent.GOODBYE
