"""The local agent on the twenty-sixth held-out set (issue 9, evals/scenarios/everyday26.yaml):
a long message that mentions a neighbour and a house move beside its request, a cancellation
with "is there any charge for doing so?", the pet corrected while a booking or a move waits for
a yes, free times asked with a price, a newcomer's service in a message that cancels another
service, and "one" meaning the service we just priced. Decisions only (the date and time
readings of the set: tests/providers/test_local_agent_everyday26_when.py).

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import (
    at,
    booked,
    clock_times,
    decide,
    pending,
    proposed,
)

CANCEL_FREE = "Appointments can be moved or cancelled free of charge up to 24 hours before."


async def test_a_neighbour_and_a_house_move_told_in_passing_are_no_change_for_someone_else() -> (
    None
):
    decision = await decide(
        "So we finally moved into the new flat last weekend, the cat has been hiding under the "
        "bed, my neighbour says her cat did the same when they moved. Anyway I found Pixel's "
        "vaccination booklet and she's overdue for her booster, so I wondered if I could bring "
        "her in on Thursday, ideally at 2:30 in the afternoon."
    )

    assert proposed(decision) == [("Pixel", at(10, 14, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_change_for_a_neighbour_is_still_refused() -> None:
    decision = await decide(
        "my neighbour wants to cancel her dog's appointment, can I do it for her?",
        bookings=[booked("Max", at(10, 10))],
    )

    assert decision.intent is Intent.ANSWER
    assert "only change appointments booked from this number" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "Cancel Max, is there a fee?",
        "please cancel max's appointment. is there any charge?",
        "I would be most obliged if you could cancel Max's appointment. Would you kindly also let "
        "me know whether there is any charge for doing so.",
    ],
)
async def test_a_cancellation_asked_with_its_cost_is_proposed_and_the_policy_said(
    message: str,
) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.PROPOSE_CANCEL
    assert proposed(decision) == [("Max", at(10, 10))]
    assert decision.reply.startswith(CANCEL_FREE)  # not the price list


@pytest.mark.parametrize(
    "message",
    [
        "if I have to cancel Max on thursday do I get charged?",
        "will I be charged for cancelling?",
        "is there a fee if we move it",
    ],
)
async def test_the_cost_of_a_change_only_supposed_is_answered_and_nothing_proposed(
    message: str,
) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.ANSWER
    assert decision.reply.startswith(CANCEL_FREE)
    # what the policy means for his booking, three days away (session 39)
    assert decision.reply.endswith("is more than 24 hours away, so there's no charge.")


async def test_the_pet_corrected_keeps_the_service_asked_for() -> None:
    decision = await decide(
        "sorry not Max, I meant Milo 🙈 Max had his last month",
        pending=pending(slot=at(9, 9, 45), subject="Max", service="vaccination"),
        history=[
            "hi can I book Max in for his vaccine on wednesday at 9:45?",
            "I can book Wednesday 9 December at 09:45 for Max (vaccination). Reply YES to confirm.",
        ],
    )

    assert proposed(decision) == [("Milo", at(9, 9, 45))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


MOVES = [booked("Max", at(10, 11)), booked("Milo", at(11, 11))]
MOVE_ASKED = [
    "hi can you move max's appointment to saturday at 9:30?",
    "I can move the appointment for Max from Thursday 10 December at 11:00 to Saturday 12 "
    "December at 09:30. Reply YES to confirm.",
]


def max_moving() -> PendingAction:
    return pending(kind="reschedule", slot=at(12, 9, 30), subject="Max", booking_id="b-Max")


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # the day said is the one Max keeps, not a new one for the move (was: Max to Thursday
        # 09:30, a wrong action)
        ("sorry not max, I meant milo!! max's thursday one stays as it is", at(12, 9, 30)),
        ("sorry not max, I meant milo", at(12, 9, 30)),
        # a day said for the pet meant is where that pet goes
        ("no, I meant milo, on thursday", at(10, 9, 30)),
        ("no I meant milo at 10", at(12, 10)),
    ],
)
async def test_the_pet_corrected_while_a_move_waits_moves_that_pets_booking(
    message: str, slot: datetime
) -> None:
    decision = await decide(message, bookings=MOVES, pending=max_moving(), history=MOVE_ASKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b-Milo"
    assert proposed(decision) == [("Milo", slot)]


async def test_free_times_asked_with_a_price_get_both() -> None:
    decision = await decide(
        "hiya what times have you got on saturday morning for a groom for Fifi? and how much is it?"
    )

    assert decision.intent is Intent.CLARIFY
    assert "€35" in decision.reply
    assert clock_times(decision.reply)  # Saturday morning's free times, to choose from
    assert "Saturday 12 December" in decision.reply


async def test_free_times_asked_in_a_week_are_offered() -> None:
    decision = await decide(
        "what times have you got for max this week?", bookings=[booked("Max", at(1, 10))]
    )

    assert decision.intent is Intent.CLARIFY
    assert clock_times(decision.reply)


async def test_a_newcomers_service_is_the_one_its_own_clause_names() -> None:
    decision = await decide(
        "hi, can you cancel oscar's grooming on wednesday please, we managed to do it at home 😅 "
        "and while I'm here could you book kiki in for her vaccine on thursday at 3pm",
        bookings=[booked("Oscar", at(9, 11), "grooming")],
    )

    services = {(p.kind, p.subject): p.service for p in decision.proposals}
    assert services == {("book", "Kiki"): "vaccination", ("cancel", "Oscar"): "grooming"}


async def test_a_newcomer_without_a_service_gets_the_usual_not_the_cancelled_ones() -> None:
    decision = await decide(
        "cancel oscar's grooming and book kiki in for friday at 3",
        bookings=[booked("Oscar", at(9, 11), "grooming")],
    )

    services = {(p.kind, p.subject): p.service for p in decision.proposals}
    assert services[("book", "Kiki")] == "consultation"


async def test_one_after_a_price_told_is_that_service() -> None:
    decision = await decide(
        "ok that's fine. can he have one on friday at 2pm?",
        history=[
            "hi how much is a dental cleaning and how long does it take? thinking of getting one "
            "for Rocky",
            "A dental cleaning is €120 (60 minutes).",
        ],
    )

    assert proposed(decision) == [("Rocky", at(11, 14))]
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_a_move_asked_with_its_cost_is_proposed_and_the_policy_said() -> None:
    decision = await decide(
        "can you move max to friday at 3? will I be charged?",
        bookings=[booked("Max", at(10, 10))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Max", at(11, 15))]
    assert decision.reply.startswith(CANCEL_FREE)


async def test_christmas_eve_is_a_day_not_a_pet() -> None:
    decision = await decide("Could Max come on Christmas Eve at 10?")

    assert proposed(decision) == [("Max", at(24, 10))]


async def test_a_pet_called_eve_is_still_one() -> None:
    decision = await decide("can Eve come in on friday at 10?")

    assert proposed(decision) == [("Eve", at(11, 10))]


@pytest.mark.parametrize("message", ["Can we do Thursday?", "could we make friday instead?"])
async def test_a_day_proposed_with_can_we_do_asks_its_times(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("What time on")
    assert clock_times(decision.reply)


async def test_can_we_do_something_else_on_a_day_is_no_request() -> None:
    decision = await decide("can we do the payment on thursday?")

    assert decision.intent is Intent.ANSWER


@pytest.mark.parametrize(
    "message",
    [
        "what time have you got us booked in for on thursday?",
        "what time have you got max down for?",
    ],
)
async def test_the_time_the_clinic_has_us_down_for_is_the_booking(message: str) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.ASK_BOOKING
    assert "Thursday 10 December at 10:00" in decision.reply


@pytest.mark.parametrize(
    "message", ["what times have you got on friday?", "what times do you have free on monday?"]
)
async def test_free_times_asked_on_a_day_are_offered(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("What time on")
    assert clock_times(decision.reply)
