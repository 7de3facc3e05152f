"""The local agent on the twenty-fifth held-out set (issue 9, evals/scenarios/everyday25.yaml):
non-native phrasings ("5 of afternoon"), a pet corrected ("not oscar, it's simba"), a weekday
answering times we offered because theirs was shut, "next saturday" after this Saturday's times,
a date's number that is no time, a time corrected right after a yes, and insurance (the team's
to answer). Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed


async def test_an_hour_of_the_afternoon_said_the_spanish_way() -> None:
    decision = await decide(
        "Hello, I want to take appointment for my dog Bruno please. Is possible tomorrow at 5 of "
        "afternoon?"
    )

    assert proposed(decision) == [("Bruno", at(8, 17))]


async def test_the_pet_meant_said_anew_replaces_the_one_proposed() -> None:
    decision = await decide(
        "oh sorry, not oscar, it's simba who needs it! oscar's fine",
        pending=pending(slot=at(8, 14, 30), subject="Oscar"),
    )

    assert proposed(decision) == [("Simba", at(8, 14, 30))]


async def test_a_weekday_after_times_offered_for_a_shut_day_is_the_nearest() -> None:
    history = [
        "is sunday possible for kiwi? 11 in the morning",
        "Sorry, Sunday 13 December at 11:00 isn't possible: we're closed on Sundays. I can "
        "offer Monday 14 December at 08:30, Monday 14 December at 08:45 or Monday 14 December "
        "at 09:00. Which would suit you?",
    ]

    decision = await decide("ah ok, saturday at 11 then?", history=history)

    assert proposed(decision) == [("Kiwi", at(12, 11))]


async def test_next_saturday_after_this_saturdays_times_is_the_week_after() -> None:
    history = [
        "could milo have a groom saturday morning?",
        "What time on Saturday 12 December would you like for Milo? I have 09:00, 10:00, 10:45 "
        "or 11:45.",
    ]

    decision = await decide(
        "nope, none of those work sorry. what about next saturday at 11?", history=history
    )

    assert proposed(decision) == [("Milo", at(19, 11))]


async def test_a_day_given_for_a_passed_one_keeps_the_time_said() -> None:
    first = "I want to book check up for my cat Filemon on 4 December at 10. Is possible?"
    asked = await decide(first)
    assert asked.reply == "Friday 4 December has already passed. Which day would you like at 10:00?"

    decision = await decide(
        "oh sorry, I am mistaken, I mean this Friday, 11 December", history=[first, asked.reply]
    )

    assert proposed(decision) == [("Filemon", at(11, 10))]


async def test_a_time_corrected_right_after_the_yes_moves_the_booking_just_made() -> None:
    decision = await decide(
        "wait\nsorry can it be 4 instead of 3? school pickup",
        bookings=[booked("Rex", at(8, 15), "vaccination")],
        history=[
            "can rex come in tomorrow at 3 for his booster?",
            "Done: you're booked for Tuesday 8 December at 15:00 for Rex.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rex", at(8, 16))]


async def test_insurance_is_the_teams_to_answer() -> None:
    decision = await decide(
        "Kindly let me know whether you are accepting pet insurance, can you claim directly from "
        "my insurance company or I have to pay first?"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "cards" not in decision.reply


async def test_an_hour_turned_down_for_another_moves_the_booking_before_our_reply_is_logged() -> (
    None
):
    # Sent together with the yes: our "Done:" may not be in the log yet.
    decision = await decide(
        "wait sorry can it be 4 instead of 3? school pickup",
        bookings=[booked("Rex", at(8, 15), "vaccination")],
        history=[
            "can rex come in tomorrow at 3 for his booster?",
            "I can book Tuesday 8 December at 15:00 for Rex (vaccination). Reply YES to confirm.",
            "yes",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rex", at(8, 16))]
