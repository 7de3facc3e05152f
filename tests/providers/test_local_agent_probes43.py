"""Conversations played turn by turn in session 43 (held-out sets 143–150 left open before it,
151 onwards written blind in it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of

# -- a cancellation beside another ask -------------------------------------------------------


async def test_which_booking_to_cancel_is_asked_not_taken_from_the_new_bookings_day() -> None:
    toffee = booking_of("Toffee", at(10, 10), "consultation", "b1")
    pumpkin = booking_of("Pumpkin", at(11, 15, 30), "grooming", "b2")
    ask = "can you cancel my appointment and book fudge in for a check-up friday instead?"
    first = await decide(ask, bookings=[toffee, pumpkin], busy=busy_of(toffee, pumpkin))
    assert first.intent is not Intent.PROPOSE_CANCEL, first.reply
    assert "Toffee" in first.reply and "Pumpkin" in first.reply and "?" in first.reply
    decision = await decide(
        "toffee's on thursday. and 2.45 for fudge if you can",
        bookings=[toffee, pumpkin],
        busy=busy_of(toffee, pumpkin),
        history=[ask, first.reply],
    )
    assert sorted(proposed(decision)) == [("Fudge", at(11, 14, 45)), ("Toffee", at(10, 10))]
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Fudge": "book", "Toffee": "cancel"}, decision.reply


# -- look-ups ------------------------------------------------------------------------------------


async def test_a_calendar_and_nothing_else_is_no_pet() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "which of mine is on friday? I've just put 'vet' in my calendar and nothing else 🙄",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
    )
    assert "Calendar" not in decision.reply
    assert "Otis" in decision.reply and "09:30" in decision.reply


async def test_a_pets_one_is_when_is_looked_up() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "ah the groom, right. and juniper's is when then?",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
        history=[
            "which of mine is on friday?",
            "Your appointment for Otis is on Friday 11 December at 09:30.",
        ],
    )
    assert decision.intent is not Intent.PROPOSE_BOOKING, decision.reply
    assert "Thursday 10 December" in decision.reply and "15:00" in decision.reply


# -- questions about the clinic ------------------------------------------------------------------


async def test_open_day_and_night_asked_gets_the_hours_and_the_night_service() -> None:
    decision = await decide(
        "do you take amex? also what do I do if something happens in the night, are you 24h?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply  # the night service
    assert "08:30" in decision.reply  # our hours: no, not day and night


async def test_a_day_without_food_is_no_question_of_our_hours() -> None:
    decision = await decide("she hasn't eaten in 24 hours, can I bring her tomorrow at 10")
    assert "opening hours" not in decision.reply and "99 00" not in decision.reply
    assert proposed(decision) == [("you", at(8, 10))]


async def test_the_emergency_number_asked_is_answered_without_an_alarm() -> None:
    decision = await decide("is there an emergency number?")
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply


async def test_the_emergency_number_asked_beside_bleeding_raises_the_alarm() -> None:
    decision = await decide("my dog is bleeding badly, is there an emergency number?")
    assert decision.intent is Intent.HANDOFF, decision.reply


# -- messy typing ------------------------------------------------------------------------------


async def test_a_pets_name_put_right_after_autocorrect_is_booked() -> None:
    decision = await decide("can pickles have her jab tues at 4\nPICKLE. not pickles. stupid phone")
    assert proposed(decision) == [("Pickle", at(8, 16))]


async def test_a_pet_who_been_scratching_is_named() -> None:
    decision = await decide(
        "max been scratching his ear all wk\ncan u fit him in asap\ntmrw 9am ok??"
    )
    assert proposed(decision) == [("Max", at(8, 9))]


async def test_a_time_starred_after_is_the_time_put_right() -> None:
    decision = await decide("can i book jasper for a checkup tue at 5\n4*** sorry fat fingers")
    assert proposed(decision) == [("Jasper", at(8, 16))]
