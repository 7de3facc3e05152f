"""The local agent on the twenty-first held-out set's wrong action (issue 9,
evals/scenarios/everyday21.yaml): "can daisy have another one same as tuesday's but on saturday
at 10" proposed Tuesday, the day of the booking referred to, not the Saturday asked for.
Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, booking, decide, proposed

DAISY = [booked("Daisy", at(8, 10, 0), "grooming")]


@pytest.mark.parametrize(
    "message",
    [
        "can daisy have another one same as tuesday's but on saturday at 10",
        "book Daisy again like tuesday's, saturday at 10 this time",
    ],
)
async def test_a_day_owning_a_booking_is_not_the_day_asked_for(message: str) -> None:
    decision = await decide(message, bookings=DAISY)

    assert proposed(decision) == [("Daisy", at(12, 10, 0))], decision.reply


async def test_the_owned_day_alone_still_names_the_booking() -> None:
    decision = await decide("what time is tuesday's appointment?", bookings=DAISY)

    assert decision.proposal is None, decision.reply
    assert "10:00" in decision.reply


CHARLIE = [booking("Charlie", at(11, 10, 0), "b-charlie")]


@pytest.mark.parametrize(
    "message",
    [
        "my neighbour wants to cancel her dog's appointment, can I do it for her?",
        "can I move my mum's cat's booking to friday?",
        "my friend needs to cancel his appointment for his puppy",
    ],
)
async def test_another_persons_booking_touches_none_of_ours(message: str) -> None:
    decision = await decide(message, bookings=CHARLIE)

    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "Charlie" not in decision.reply
    assert "this number" in decision.reply


async def test_our_own_pet_named_with_a_relative_is_still_ours() -> None:
    decision = await decide(
        "my mum says we need to cancel Charlie's appointment, her car broke down",
        bookings=CHARLIE,
    )

    assert proposed(decision) == [("Charlie", at(11, 10, 0))], decision.reply


LUNA = [booking("Luna", at(8, 14, 30), "b-luna")]
REMINDERS = [
    "Reminder: Luna is booked for Tuesday 8 December at 14:30. Reply YES to confirm, tell us a "
    "new day and time to move it, or CANCEL to cancel.",
    # a marketer's own wording (journeys are theirs to write)
    "Reminder: Luna has a consultation tomorrow (Tuesday 8 December) at 14:30. Reply to confirm, "
    "move or cancel.",
]


@pytest.mark.parametrize("reminder", REMINDERS)
@pytest.mark.parametrize("message", ["yes we'll be there 👍", "yep see you then", "YES"])
async def test_a_yes_to_a_reminder_keeps_the_booking(reminder: str, message: str) -> None:
    decision = await decide(message, bookings=LUNA, history=["hi", reminder])

    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "confirmed" in decision.reply and "14:30" in decision.reply


async def test_we_will_be_there_without_a_reminder_books_nothing() -> None:
    decision = await decide("we'll be there", bookings=LUNA)

    assert decision.proposal is None and not decision.proposals, decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "can I drop Luna off in the morning and pick her up after work?",
        "what happens if we're a bit late?",
        "is there a lift up to the clinic for my elderly dog?",
    ],
)
async def test_a_question_the_profile_cannot_answer_goes_to_the_team(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.note is not None and message in decision.note
    assert "passed your question to the team" in decision.reply


async def test_gibberish_still_gets_the_menu() -> None:
    decision = await decide("asdf qwer?")

    assert decision.intent is not Intent.HANDOFF, decision.reply
