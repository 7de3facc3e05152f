"""Conversations played turn by turn in session 32: a formal letter's "Kindly cancel it", a date
the customer worked out themselves, a question asked beside a move with "and".
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, proposed

OSCAR_FRIDAY = [booked("Oscar", at(11, 9, 30))]


@pytest.mark.parametrize(
    "message",
    [
        "Dear Sir or Madam, I regret to inform you that I shall be unable to attend my "
        "appointment on Friday for Oscar owing to a family matter. Kindly cancel it. Yours "
        "faithfully, Margaret Hughes",
        "Sadly we can't come on Friday. Kindly cancel Oscar's appointment.",
    ],
)
async def test_an_adverb_opening_a_sentence_is_no_pet(message: str) -> None:
    """ "Kindly" was read as a pet's name: "I can't find an upcoming appointment for Oscar to
    cancel", with Oscar booked on Friday."""
    decision = await decide(message, bookings=OSCAR_FRIDAY)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(11, 9, 30)


async def test_a_pet_named_like_an_adverb_is_still_a_pet() -> None:
    decision = await decide("can Holly and Jolly come thursday at 10 for their jabs?")

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {subject for subject, _ in proposed(decision)} == {"Holly", "Jolly"}


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # 2 weeks after the 1st of December is the 15th, as the customer says
        ("hi can i book my dog in 2 weeks after the 1st, so the 15th? at 10", at(15, 10)),
        ("in a fortnight, i.e. the 21st, at 10 for rex", at(21, 10)),
        ("next thursday, that's the 17th, at 3 for rex", at(17, 15)),
    ],
)
async def test_the_date_the_customer_worked_out_is_the_one_booked(
    message: str, slot: object
) -> None:
    """ "… 2 weeks after the 1st, so the 15th? at 10" proposed Monday 21 December (two weeks
    from today), and a yes booked it."""
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == slot


async def test_a_worked_out_date_on_another_weekday_is_asked_about() -> None:
    decision = await decide("can rex come next thursday, that's the 18th, at 3")

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Friday 18 December" in decision.reply and "Thursday 17 December" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "tell me the address and move max to thursday at 11 please",
        "move max to thursday at 11 please and send me your address",
    ],
)
async def test_the_address_asked_beside_a_move_is_given(message: str) -> None:
    """The move alone was proposed: the address asked for was dropped."""
    decision = await decide(message, bookings=[booked("Max", at(9, 10))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 11)
    assert "rue des Lilas" in decision.reply
