"""The local agent on the twentieth held-out set's failures (issue 9,
evals/scenarios/everyday20.yaml): "cancel all our appointments except Max's" (a wrong action:
Max's was cancelled), the service changed while a booking waits for a yes, "affirmative" and
"I'll pass", a pet's name of two words on file ("Lady Grey"), "how early should I get there?",
and thanks for a visit just made; each tried on wording beyond the scenario's own, negatives
included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

THREE = [booked("Max", at(8, 9, 15)), booked("Luna", at(9, 9, 15)), booked("Rex", at(10, 9, 15))]


@pytest.mark.parametrize(
    "message",
    [
        "please cancel all our appointments except Max's",
        "cancel everything apart from Max",
        "cancel all of them but not max",
    ],
)
async def test_cancel_all_except_one_keeps_that_one(message: str) -> None:
    decision = await decide(message, bookings=THREE)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {p.subject for p in decision.proposals} == {"Luna", "Rex"}
    assert {p.kind for p in decision.proposals} == {"cancel"}


async def test_cancel_all_still_cancels_all() -> None:
    decision = await decide("cancel all our appointments please", bookings=THREE)

    assert {p.subject for p in decision.proposals} == {"Max", "Luna", "Rex"}


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("actually can you make it a teeth clean instead", "dental"),
        ("sorry I meant her nails not a checkup", "grooming"),
        ("oh wait it's for his jab", "vaccination"),
    ],
)
async def test_another_service_for_the_waiting_booking_keeps_the_slot(
    message: str, service: str
) -> None:
    decision = await decide(
        message, pending=pending(slot=at(10, 9), subject="Rocky", service="consultation")
    )

    assert proposed(decision) == [("Rocky", at(10, 9))]
    assert decision.proposal is not None and decision.proposal.service == service


async def test_affirmative_is_a_yes() -> None:
    decision = await decide("affirmative", pending=pending(slot=at(10, 16, 15), subject="Milo"))

    assert decision.intent is Intent.CONFIRM


@pytest.mark.parametrize("message", ["hmm I'll pass actually", "I'll pass", "not for me then"])
async def test_ill_pass_is_a_no(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(9, 17, 45), subject="Max"))

    assert decision.intent is Intent.DECLINE


def test_a_known_name_of_two_words_is_one_pet() -> None:
    found = subjects_in(
        "Could Lady Grey's appointment move to Friday?", known=["Lady Grey"], transcript=False
    )

    assert found == ["Lady Grey"]


async def test_a_two_word_pet_is_moved() -> None:
    decision = await decide(
        "Could Lady Grey's appointment move to Friday, same time?",
        bookings=[booked("Lady Grey", at(10, 14, 15))],
    )

    assert proposed(decision) == [("Lady Grey", at(11, 14, 15))]


async def test_how_early_to_arrive_says_the_booking() -> None:
    decision = await decide(
        "how early should I get there for Max's appointment?",
        bookings=[booked("Max", at(9, 10, 15))],
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "10:15" in decision.reply


@pytest.mark.parametrize(
    "message",
    ["thanks for today, Max was a star. see you friday!", "thank you so much for this morning"],
)
async def test_thanks_for_a_visit_just_made_books_nothing(message: str) -> None:
    decision = await decide(message, bookings=[booked("Max", at(11, 15, 45))])

    assert decision.proposal is None
    assert "What time" not in decision.reply
