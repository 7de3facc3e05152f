"""The local agent on a question about the business asked before a booking request of its own
(issue 9): "r u open on Christmas Day? if not we'll just do this sat at 11 for ginger's booster"
took the holiday as the day to book; "what time do you shut on saturdays? … 12 ok?" ignored the
question and the time. The question is answered with its own day, the request proposed with
its own; a condition on the answer ("if not", "if so") says which day the request is for.
Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the clinic shuts at 13:00 on Saturdays and is closed on Christmas Day.
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, pending, proposed


async def test_a_holiday_asked_about_is_answered_and_the_fallback_day_proposed() -> None:
    message = "r u open on Christmas Day? if not we'll just do this sat at 11 for ginger's booster"
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert "closed on Friday 25 December (Christmas Day)" in decision.reply
    assert proposed(decision) == [("Ginger", at(12, 11))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"
    assert decision.reply.endswith("Reply YES to confirm.")

    slot = at(12, 11)
    confirmed = await decide(
        "yes",
        history=[message, decision.reply],
        pending=pending(slot=slot, subject="Ginger", service="vaccination"),
    )
    assert confirmed.intent is Intent.CONFIRM, confirmed.reply


@pytest.mark.parametrize(
    "message",
    [
        "Are you open Sunday? If not Saturday at 10 for Luna's jab",
        "open on sunday?? otherwise saturday 10am for luna, jab",
        "are you open this sunday? if you're closed then saturday at 10 for luna's vaccine",
    ],
)
async def test_if_not_books_the_day_after_it_when_the_asked_day_is_closed(message: str) -> None:
    decision = await decide(message)

    assert "closed on Sunday" in decision.reply
    assert proposed(decision) == [("Luna", at(12, 10))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_if_so_books_the_day_asked_about_when_it_is_open() -> None:
    decision = await decide("are you open on the 24th? if so can Max come at 5pm then")

    assert decision.reply.startswith("Yes, we're open on Thursday 24 December")
    assert proposed(decision) == [("Max", at(24, 17))]


async def test_if_so_on_a_closed_day_gets_the_answer_and_other_times() -> None:
    decision = await decide("are you open on Christmas Day? if so can Max come at 11")

    assert decision.proposal is None
    assert "closed on Christmas Day" in decision.reply
    assert "I can offer" in decision.reply


async def test_closing_time_asked_with_a_bare_hour_before_it() -> None:
    message = (
        "what time do you shut on saturdays? want to squeeze peanut in for a groom before "
        "then, 12 ok?"
    )
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert "close at 13:00" in decision.reply
    assert proposed(decision) == [("Peanut", at(12, 12))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"

    confirmed = await decide(
        "perfect ta",
        history=[message, decision.reply],
        pending=pending(slot=at(12, 12), subject="Peanut", service="grooming"),
    )
    assert confirmed.intent is Intent.CONFIRM, confirmed.reply


async def test_closing_time_of_a_day_asked_with_a_time_that_day() -> None:
    decision = await decide("when do you close on friday? could we come at 6")

    assert "close at 19:00" in decision.reply
    assert proposed(decision) == [("you", at(11, 18))]


async def test_opening_time_asked() -> None:
    decision = await decide("what time do you open on saturday?")

    assert decision.intent is Intent.ANSWER
    assert "open at 09:00" in decision.reply


@pytest.mark.parametrize(
    ("message", "said", "subject", "slot", "service"),
    [
        (
            "how much is a dental? and can shadow have one thursday at 2",
            "€120",
            "Shadow",
            at(10, 14),
            "dental",
        ),
        (
            "do you do nail trims? if so bella friday at 10 pls",
            "Yes, we do grooming",
            "Bella",
            at(11, 10),
            "grooming",
        ),
    ],
)
async def test_a_service_asked_about_then_booked(
    message: str, said: str, subject: str, slot: object, service: str
) -> None:
    decision = await decide(message)

    assert said in decision.reply
    assert proposed(decision) == [(subject, slot)]
    assert decision.proposal is not None and decision.proposal.service == service


async def test_a_service_the_request_names_is_the_one_booked_not_the_one_asked_about() -> None:
    decision = await decide("how much is a dental? ok then a checkup for shadow thursday at 2")

    assert "€120" in decision.reply
    assert proposed(decision) == [("Shadow", at(10, 14))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"


async def test_a_pet_brought_on_a_day_after_a_question() -> None:
    decision = await decide("is there parking? need to bring max friday at 3")

    assert "parking" in decision.reply
    assert proposed(decision) == [("Max", at(11, 15))]


async def test_closing_time_is_answered_when_the_request_still_needs_a_time() -> None:
    decision = await decide("what time do you close today? can I bring luna in before then")

    assert decision.intent is Intent.CLARIFY
    assert "close at 19:00" in decision.reply
    assert "for Luna" in decision.reply


@pytest.mark.parametrize(
    "message",
    ["Can I bring luna in on friday at 10?", "Hi. Can luna come friday at 10"],
)
async def test_capitals_a_phone_adds_do_not_hide_a_lower_case_name(message: str) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Luna", at(11, 10))]
