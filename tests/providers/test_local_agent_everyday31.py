"""Held-out set 31 (evals/scenarios/everyday31.yaml): the general rules its failures and weak
passes showed. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

REX_ASKED = [
    "can rex come in wed at 4 for a check up",
    "I can book Wednesday 9 December at 16:00 for Rex. Reply YES to confirm.",
]
REX_PENDING = pending("book", at(9, 16), subject="Rex")


async def test_an_hour_corrected_with_the_one_it_replaces_is_read() -> None:
    answered = await decide("sorry 5 not 4!", pending=REX_PENDING, history=REX_ASKED)
    together = await decide("can rex come in wed at 4 for a check up\nsorry 5 not 4!")

    assert proposed(answered) == [("Rex", at(9, 17))]
    assert proposed(together) == [("Rex", at(9, 17))]


async def test_the_latest_start_is_the_last_at_which_the_service_ends_by_closing() -> None:
    decision = await decide(
        "what's the latest you can fit Teddy in on friday for a groom? I finish work at 6"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Teddy", at(11, 18, 15))]  # 45 minutes, closing at 19:00


async def test_what_am_i_down_for_this_week_lists_the_bookings() -> None:
    bookings = [booked("Max", at(10, 9)), booked("Luna", at(12, 11, 15), "grooming")]

    decision = await decide(
        "what am I down for this week? 🙈 completely lost track", bookings=bookings
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "Max on Thursday 10 December at 09:00" in decision.reply
    assert "Luna on Saturday 12 December at 11:15" in decision.reply


async def test_same_time_on_another_day_after_a_closed_day_is_the_time_asked_first() -> None:
    history = [
        "can rocky come in sunday at 10?",
        "Sorry, Sunday 13 December at 10:00 isn't possible: we're closed on Sundays. I can offer "
        "Saturday 12 December at 12:00, Saturday 12 December at 12:15 or Saturday 12 December at "
        "12:30. Which would suit you?",
    ]

    decision = await decide("ok monday then, same time", history=history)

    assert proposed(decision) == [("Rocky", at(14, 10))]


async def test_the_pets_name_after_its_age_and_kind_is_read() -> None:
    decision = await decide(
        "my 14 year old cat smudge has been drinking loads of water since last week and she's "
        "down to 4kg, could she come in thursday at 9.45?"
    )

    assert proposed(decision) == [("Smudge", at(10, 9, 45))]


async def test_leave_it_as_it_is_with_thanks_keeps_the_booking() -> None:
    decision = await decide(
        "oh wait no, don't! my husband can take him after all. leave it as it is 🙏",
        pending=pending("cancel", at(10, 10, 30), subject="Max", booking_id="b-Max"),
        bookings=[booked("Max", at(10, 10, 30))],
        history=[
            "need to cancel max on thursday sorry 😞",
            "I can cancel the appointment for Max on Thursday 10 December at 10:30. Reply YES to "
            "confirm.",
        ],
    )

    assert decision.intent is Intent.DECLINE
    assert decision.reply == "OK, I haven't cancelled it: the appointment stays as it is."


@pytest.mark.parametrize(
    "message", ["hi its sophie", "hello, this is Mark Jones", "hi it's me again"]
)
async def test_a_greeting_with_the_writers_name_is_a_greeting(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.GREETING


@pytest.mark.parametrize(
    "later",
    [
        "ok all good, can you put Nala in for a check up at that time?",
        "yes please book it for Nala",
    ],
)
async def test_a_slot_asked_about_before_booking_is_answered_then_booked_when_asked(
    later: str,
) -> None:
    first = "hi is friday at 11 free? not booking yet, just need to check with work first"
    answered = await decide(first)

    assert answered.proposal is None
    assert answered.reply == (
        "Yes, Friday 11 December at 11:00 is free at the moment. Would you like to book it when "
        "you're ready?"
    )
    booked_later = await decide(later, history=[first, answered.reply])
    assert proposed(booked_later) == [("Nala", at(11, 11))]


async def test_no_thanks_with_a_proposal_waiting_declines_and_asks_nothing() -> None:
    decision = await decide(
        "hmm actually no thanks, that's all for now. I'll leave it",
        pending=REX_PENDING,
        history=REX_ASKED,
    )

    assert decision.intent is Intent.DECLINE
    assert decision.reply.endswith("Just message us here if you need anything else.")


async def test_a_date_after_for_is_no_hour() -> None:
    decision = await decide(
        "can I book Bella's annual booster for 6 April? it's due then and I like to get things in "
        "the diary early"
    )

    assert "18:00" not in decision.reply
    assert "only take bookings up to 90 days ahead" in decision.reply


async def test_a_complaint_beside_a_request_is_apologised_for_and_the_request_served() -> None:
    decision = await decide(
        "honestly not happy. I was promised a call back yesterday and nobody rang. Max is STILL "
        "limping on his back leg. can he be seen this afternoon at 2 or not??"
    )

    assert decision.reply.startswith("I'm sorry about that. I can book Monday 7 December at 14:00")
    assert proposed(decision) == [("Max", at(7, 14))]
