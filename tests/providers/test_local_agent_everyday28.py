"""Held-out set 28 (evals/scenarios/everyday28.yaml), the general rules its failures showed:
a day given up in the answer to a proposal, or just after the booking it made; a message that
corrects its own day and time as it goes; the earliest free time asked for, on a day or in a
week. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import (
    at,
    booked,
    decide,
    pending,
    proposed,
)

PROPOSED = "I can book Saturday 12 December at 10:00 for Pablo (grooming). Reply YES to confirm."
ASKED = "could Pablo have a nail trim on saturday at 10?"


# -- a day given up -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "yes wait no, not saturday, he's at my mum's that weekend",  # "yes" and "wait no" together
        "wait no, not saturday, he's at my mum's that weekend",
        "can't do saturday after all",
        "not saturday, can we do 11?",  # a time, but not on the day given up
    ],
)
async def test_the_proposals_day_given_up_books_nothing_and_asks_another(message: str) -> None:
    decision = await decide(
        message,
        pending=pending("book", at(12, 10), subject="Pablo"),
        history=[ASKED, PROPOSED],
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert "haven't booked" in decision.reply and "instead" in decision.reply


async def test_another_day_said_with_the_day_given_up_is_proposed() -> None:
    decision = await decide(
        "not saturday, friday instead",
        pending=pending("book", at(12, 10), subject="Pablo"),
        history=[ASKED, PROPOSED],
    )

    assert proposed(decision) == [("Pablo", at(11, 10))]


async def test_the_day_just_booked_given_up_offers_to_cancel_or_move_it() -> None:
    decision = await decide(
        "wait no, not saturday, he's at my mum's that weekend",
        bookings=[booked("Pablo", at(12, 10), service="grooming")],
        history=[ASKED, PROPOSED, "yes", "Done: you're booked for Saturday 12 December at 10:00."],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "another day" in decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Pablo"


async def test_a_new_pet_on_any_day_but_a_booked_one_gives_nothing_up() -> None:
    decision = await decide(
        "can I book Bella any day but saturday?",
        bookings=[booked("Pablo", at(12, 10), service="grooming")],
    )

    assert decision.intent is not Intent.PROPOSE_CANCEL, decision.reply
    assert "Bella" in decision.reply


# -- a message correcting itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        (
            "can Simba come in thursday at 2 for a check up, no sorry 3, no wait actually "
            "friday at 3 is better",
            "Simba",
            at(11, 15),
        ),
        ("can Simba come in thursday at 2 for a check up, no sorry 3", "Simba", at(10, 15)),
        ("can simba come thursday at 2, actually friday at 3 is better", "Simba", at(11, 15)),
        ("book rex friday at 10 or rather 11", "Rex", at(11, 11)),
        ("can max come in tomorrow at 10? sorry I mean wednesday", "Max", at(9, 10)),
        # "actually" that corrects nothing
        ("I'm actually free thursday at 3 for max", "Max", at(10, 15)),
        ("thursday at 3 is actually best for max", "Max", at(10, 15)),
    ],
)
async def test_the_last_correction_in_a_message_wins(
    message: str, subject: str, slot: object
) -> None:
    decision = await decide(message)

    assert proposed(decision) == [(subject, slot)]


# -- the earliest ---------------------------------------------------------------------------------


async def test_a_move_to_the_earliest_tomorrow_takes_the_first_free_time() -> None:
    decision = await decide(
        "Max is limping a bit more than last week, could we bring his appointment forward to "
        "the earliest you've got tomorrow?",
        bookings=[booked("Max", at(11, 16))],
    )

    assert proposed(decision) == [("Max", at(8, 8, 30))]


async def test_the_earliest_next_week_is_that_weeks_first_time_for_a_yes() -> None:
    decision = await decide("what's the earliest you can see Pumpkin next week?")

    assert proposed(decision) == [("Pumpkin", at(14, 8, 30))]
    answer = await decide(
        "great, put him in for that please",
        pending=pending("book", at(14, 8, 30), subject="Pumpkin"),
        history=["what's the earliest you can see Pumpkin next week?", decision.reply],
    )
    assert answer.intent is Intent.CONFIRM, answer.reply


# -- a person asked for; an address and a breed in passing ---------------------------------------


async def test_a_quick_word_with_someone_is_a_handoff_not_a_booking_at_the_time_to_call() -> None:
    decision = await decide(
        "Could I have a quick word with someone about Pepper's stitches? They look a bit red "
        "today. I'm on 06 45 22 19 80, any time after 5 is best"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.proposal is None


async def test_a_street_and_a_breed_in_a_long_message_are_not_pets() -> None:
    decision = await decide(
        "Hello! my neighbour Madame Dupont upstairs (she's 84, doesn't do WhatsApp) has asked me "
        "to sort out her dog's vaccinations. His name is Caramel, a little Westie, very sweet. "
        "Could he come in on Wednesday at half past ten for his jabs? I'm in flat 3B at 18 rue "
        "Saint-Maur if that matters. Thanks a lot!"
    )

    assert proposed(decision) == [("Caramel", at(9, 10, 30))]


# -- the proposal asked for in booking words; an hour before its day ------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "book him in for that",
        "can you book that one?",
        "pop him in then please",
        "ok book Pablo in for that",
        "can you confirm the appointment please",
    ],
)
async def test_the_proposal_asked_for_in_booking_words_is_a_yes(message: str) -> None:
    decision = await decide(
        message, pending=pending("book", at(12, 10), subject="Pablo"), history=[ASKED, PROPOSED]
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "book rex in for that",  # another pet: a new proposal, not this one confirmed
        "book him in for tuesday",  # another day
        "book my cat in for that",
    ],
)
async def test_booking_words_with_something_new_are_no_yes(message: str) -> None:
    decision = await decide(
        message, pending=pending("book", at(12, 10), subject="Pablo"), history=[ASKED, PROPOSED]
    )

    assert decision.intent is not Intent.CONFIRM, decision.reply


async def test_an_hour_said_before_its_day_is_the_time_asked_for() -> None:
    decision = await decide(
        "saturday's no good, 11 on friday?",
        pending=pending("book", at(12, 10), subject="Pablo"),
        history=[ASKED, PROPOSED],
    )

    assert proposed(decision) == [("Pablo", at(11, 11))]


async def test_one_before_a_day_is_a_count_not_one_oclock() -> None:
    decision = await decide("how much is a dental and can i get one on friday")

    assert "13:00" not in decision.reply
    assert "What time on Friday 11 December" in decision.reply
