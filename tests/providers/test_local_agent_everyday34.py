"""Held-out set 34 (evals/scenarios/everyday34.yaml): longer conversations that go on after a
booking is done, and the general rules their failures showed. Reference moment: Monday 7
December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

TOBY_MOVED = [
    "morning, can toby come in friday at 9 for a check up",
    "I can book Friday 11 December at 09:00 for Toby. Reply YES to confirm.",
    "yes",
    "Done: you're booked for Friday 11 December at 09:00 for Toby.",
    "actually can we do 11 instead",
    "I can move the appointment for Toby from Friday 11 December at 09:00 to Friday 11 December "
    "at 11:00. Reply YES to confirm.",
    "yes",
    "Done: the appointment for Toby is moved to Friday 11 December at 11:00.",
]


@pytest.mark.parametrize(
    "message",
    [
        "argh no sorry 9 was right after all, can you put it back?? 🤦‍♀️",
        "argh no sorry, can you put it back??",
        "can you change it back",
    ],
)
async def test_a_move_just_done_is_taken_back_to_where_it_was(message: str) -> None:
    decision = await decide(message, bookings=[booked("Toby", at(11, 11))], history=TOBY_MOVED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Toby", at(11, 9))]


async def test_a_time_answering_our_refusal_of_a_change_moves_that_booking() -> None:
    """It made a second booking for "you" at 12:15 and kept Pip's at 11:00."""
    decision = await decide(
        "ok 12.15 then",
        bookings=[booked("Pip", at(12, 11), "grooming")],
        history=[
            "could we make it a bit later, like 12.30?",
            "Sorry, Saturday 12 December at 12:30 isn't possible: that's outside our opening "
            "hours. I can offer Saturday 12 December at 11:45, Saturday 12 December at 12:00 or "
            "Saturday 12 December at 12:15. Which would suit you?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Pip", at(12, 12, 15))]


async def test_a_booking_said_as_news_is_joined_at_the_same_time() -> None:
    decision = await decide(
        "coco's already in on saturday at 10, can max come at the same time? just a check up",
        bookings=[booked("Coco", at(12, 10))],
    )

    assert proposed(decision) == [("Max", at(12, 10))]


async def test_a_third_pet_too_joins_the_booking_just_made() -> None:
    decision = await decide(
        "oh and bella too? same time? 🙈",
        bookings=[booked("Coco", at(12, 10)), booked("Max", at(12, 10))],
        history=[
            "coco's already in on saturday at 10, can max come at the same time?",
            "I can book Saturday 12 December at 10:00 for Max. Reply YES to confirm.",
            "yes",
            "Done: you're booked for Saturday 12 December at 10:00 for Max.",
        ],
    )

    assert proposed(decision) == [("Bella", at(12, 10))]


async def test_a_time_answering_our_offer_books_the_pet_refused() -> None:
    decision = await decide(
        "ok 10.30 for her then",
        history=[
            "oh and bella too? same time? 🙈",
            "Sorry, Saturday 12 December at 10:00 isn't possible: that time is fully booked. I "
            "can offer Saturday 12 December at 09:15, Saturday 12 December at 09:30 or Saturday "
            "12 December at 10:30. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Bella", at(12, 10, 30))]


async def test_the_price_for_the_two_is_said_with_the_pet_joining() -> None:
    decision = await decide(
        "oh can luna come too\nsame time, she needs her jab as well\nhow much for the two?",
        bookings=[booked("Nala", at(10, 17), "vaccination")],
        history=[
            "can nala have her jab thursday at 5pm",
            "I can book Thursday 10 December at 17:00 for Nala (vaccination). Reply YES to "
            "confirm.",
            "yes",
            "Done: you're booked for Thursday 10 December at 17:00 for Nala.",
        ],
    )

    assert proposed(decision) == [("Luna", at(10, 17))]
    assert decision.reply.startswith(
        "That's €110 in total: a vaccination for Nala (€55) and a vaccination for Luna (€55)."
    )


async def test_the_price_for_the_two_is_said_when_the_burst_is_answered_in_two_turns() -> None:
    """On the stack the first message of the burst is proposed alone; the rest, with the
    price asked, then corrects that proposal."""
    decision = await decide(
        "same time, she needs her jab as well\nhow much for the two?",
        pending=pending("book", at(10, 17), subject="Luna", service="vaccination"),
        bookings=[booked("Nala", at(10, 17), "vaccination")],
        history=["oh can luna come too", "I can book Thursday 10 December at 17:00 for Luna."],
    )

    assert proposed(decision) == [("Luna", at(10, 17))]
    assert "€110 in total" in decision.reply


async def test_groomed_names_the_grooming() -> None:
    decision = await decide("hi could milo get groomed saturday at 11.30")

    assert decision.proposal is not None and decision.proposal.service == "grooming"


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        (
            "and its the groom not the vet yeah?",
            "Yes: the appointment for Milo on Saturday 12 December at 11:30 is a grooming.",
        ),
        (
            "it's a check up, right?",
            "No: the appointment for Milo on Saturday 12 December at 11:30 is a grooming. Would "
            "you like it changed to a consultation?",
        ),
    ],
)
async def test_a_bookings_service_checked_is_said(message: str, reply: str) -> None:
    decision = await decide(message, bookings=[booked("Milo", at(12, 11, 30), "grooming")])

    assert decision.intent is Intent.ASK_BOOKING
    assert decision.reply == reply


async def test_what_is_left_on_my_account_after_a_cancellation_lists_the_bookings() -> None:
    decision = await decide(
        "ok so what's left on my account now?", bookings=[booked("Bella", at(9, 11), "grooming")]
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "Wednesday 9 December at 11:00" in decision.reply


async def test_he_is_the_pet_talked_about_last_not_the_only_one_on_record() -> None:
    """It booked Bella: "he" was Max, cancelled a few messages before."""
    decision = await decide(
        "and actually if he's still scratching next week could he come monday at 6pm?",
        bookings=[booked("Bella", at(9, 11), "grooming")],
        history=[
            "can you cancel max tomorrow, he seems fine now",
            "I can cancel the appointment for Max on Tuesday 8 December at 18:00. Reply YES to "
            "confirm.",
            "yes",
            "Done: the appointment for Max on Tuesday 8 December at 18:00 is cancelled.",
            "ok so what's left on my account now?",
            "Your appointment for Bella is on Wednesday 9 December at 11:00.",
        ],
    )

    assert proposed(decision) == [("Max", at(14, 18))]


async def test_a_length_asked_between_keeps_the_service_of_the_request() -> None:
    decision = await decide(
        "ok thursday at 4 then",
        history=[
            "teddy needs a groom this week if you have space",
            "What time on Monday 7 December would you like for Teddy? I have 10:00 or 14:00.",
            "how long does it take?",
            "A grooming takes 45 minutes (€35).",
        ],
    )

    assert proposed(decision) == [("Teddy", at(10, 16))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_the_total_of_the_bookings_just_made_is_added_up() -> None:
    decision = await decide(
        "thanks, whats the total?",
        bookings=[booked("Daisy", at(9, 10), "grooming"), booked("Daisy", at(9, 10, 45))],
        history=[
            "yes both please",
            "Done: Daisy is booked for a grooming on Wednesday 9 December at 10:00 and a "
            "consultation on Wednesday 9 December at 10:45.",
        ],
    )

    assert decision.reply == (
        "That's €80 in total: a grooming for Daisy (€35) and a consultation for Daisy (€45)."
    )


@pytest.mark.parametrize("message", ["to next week sometime", "whenever suits, i'm flexible"])
async def test_when_without_which_one_asks_which_again(message: str) -> None:
    maxes = [booked("Max", at(9, 9, 15)), booked("Max", at(11, 9, 15))]
    maxes[1] = maxes[1].model_copy(update={"id": "b-Max-2"})

    decision = await decide(
        message,
        bookings=maxes,
        history=[
            "hi can you move max's appointment",
            "Which appointment should I move: Max on Wednesday 9 December at 09:15 or Max on "
            "Friday 11 December at 09:15?",
        ],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("Sure, but first: which appointment should I move")


async def test_a_vet_asked_for_beside_a_groom_kept_is_a_consultation() -> None:
    decision = await decide(
        "4pm if you can",
        bookings=[booked("Luna", at(9, 15), "grooming")],
        history=[
            "can luna have a groom wednesday at 3",
            "I can book Wednesday 9 December at 15:00 for Luna (grooming). Reply YES to confirm.",
            "yes",
            "Done: you're booked for Wednesday 9 December at 15:00 for Luna.",
            "oh also she's been limping since last night 😟 could a vet see her today as well? "
            "keep the groom",
            "What time on Monday 7 December would you like for Luna? I have 10:00, 14:00 or 16:15.",
        ],
    )

    assert proposed(decision) == [("Luna", at(7, 16))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"
