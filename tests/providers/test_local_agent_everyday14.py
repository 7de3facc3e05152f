"""The local agent on the fourteenth held-out set's failures (issue 9,
evals/scenarios/everyday14.yaml): the general rules behind them, each tried on wording beyond the
scenario's own, negatives included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (weekdays 08:30-12:30 and 14:00-19:00, Saturday
09:00-13:00, Europe/Paris; cancellations free up to 24 hours before).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.language import foreign_language
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when, ruled_out_weekdays
from tests.providers.test_local_agent_everyday import (
    PARIS,
    at,
    booking,
    clock_times,
    decide,
    pending,
    proposed,
)

PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


# -- a weekday counted in a month; an ordinal before a weekday or a slot is no date ---------------


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("the first Monday of next month at 9am", date(2027, 1, 4)),
        ("1st thursday in january", date(2027, 1, 7)),
        ("the second tuesday of january", date(2027, 1, 12)),
        ("the last friday of the month", date(2026, 12, 25)),
        ("last thursday of next month at 3", date(2027, 1, 28)),
    ],
)
def test_a_weekday_counted_in_a_month_is_that_date(message: str, day: date) -> None:
    assert read_when(normalise(message), now=PARIS_NOW).day == day


async def test_the_first_monday_of_next_month_is_never_a_monday_the_first() -> None:
    # The first run booked Monday 1 February 2027: "first" read as the 1st, on a Monday.
    decision = await decide("could we do the first Monday of next month at 9am for Coco?")

    assert proposed(decision) == [("Coco", datetime(2027, 1, 4, 9, 0, tzinfo=PARIS))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("could Ginger have the first slot on saturday?", at(12, 9)),
        ("first available slot on friday for Ginger", at(11, 8, 30)),
    ],
)
async def test_the_first_slot_on_a_day_is_its_opening(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Ginger", slot)]


# -- times in words before the day; "before lunch" -------------------------------------------------


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("nine thirty on friday for Pepper's booster?", time(9, 30)),
        ("ten fifteen tomorrow please", time(10, 15)),
        ("eleven forty five on thursday", time(11, 45)),
    ],
)
def test_hour_and_minutes_in_words_before_a_day_are_a_time(message: str, clock: time) -> None:
    assert read_when(normalise(message), now=PARIS_NOW).clock == clock


def test_numbers_before_a_day_that_are_no_time_stay_unread() -> None:
    assert read_when(normalise("we have 2 dogs on friday"), now=PARIS_NOW).clock is None


async def test_earlier_before_lunch_offers_that_mornings_times() -> None:
    decision = await decide(
        "anything earlier? like before lunch", pending=pending(slot=at(11, 17), subject="Max")
    )

    assert decision.intent is Intent.DECLINE and decision.proposal is None
    times = clock_times(decision.reply.split("haven't booked 17:00")[-1])
    assert times and all(t < "12:30" for t in times), decision.reply


async def test_another_part_of_the_day_is_not_the_proposed_time_again() -> None:
    decision = await decide(
        "could it be in the morning instead?", pending=pending(slot=at(11, 17), subject="Max")
    )

    assert decision.proposal is None, decision.reply
    assert clock_times(decision.reply) and all(t < "12:30" for t in clock_times(decision.reply))


# -- days ruled out --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "weekdays"),
    [
        ("any morning this week, just not monday", {0}),
        ("any day but friday, afternoons only", {4}),
        ("anything except wednesday", {2}),
        ("apart from thursday we're free", {3}),
        ("can Max come friday", set()),
    ],
)
def test_days_ruled_out_are_read(message: str, weekdays: set[int]) -> None:
    assert ruled_out_weekdays(normalise(message)) == weekdays


@pytest.mark.parametrize(
    ("message", "forbidden"),
    [
        ("any morning this week for Toby's jabs, just not monday", "Monday"),
        ("a grooming slot for Fifi this week, any day but monday, afternoons only", "Monday"),
    ],
)
async def test_a_day_ruled_out_is_never_offered(message: str, forbidden: str) -> None:
    decision = await decide(message)

    assert decision.proposal is None and clock_times(decision.reply), decision.reply
    assert forbidden not in decision.reply


async def test_any_day_but_friday_is_no_request_for_friday() -> None:
    decision = await decide("i need a slot for Fifi this week, any day but friday")

    assert "Friday" not in decision.reply, decision.reply


# -- English with a foreign courtesy; emoji -------------------------------------------------------


@pytest.mark.parametrize("message", ["sí yes", "danke, yes", "ok merci", "ja bitte", "oui ok"])
def test_a_foreign_courtesy_with_english_is_not_another_language(message: str) -> None:
    assert foreign_language(message) is None


@pytest.mark.parametrize(
    ("message", "code"),
    [("je voudrais un rendez-vous demain", "fr"), ("quiero una cita para mi perro", "es")],
)
def test_a_foreign_sentence_is_still_told_apart(message: str, code: str) -> None:
    assert foreign_language(message) == code


@pytest.mark.parametrize("message", ["sí yes", "danke, yes", "ok merci", "ja", "🙌"])
async def test_a_yes_in_a_word_of_another_language_confirms(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(9, 15), subject="Luna"))

    assert decision.intent is Intent.CONFIRM, decision.reply


# -- a booking of theirs, looked up ----------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["when is my earliest appointment?", "what's our soonest booking"]
)
async def test_my_earliest_appointment_is_a_lookup(message: str) -> None:
    bookings = [booking("Max", at(11, 15), "bk-2"), booking("Max", at(9, 10), "bk-1")]

    decision = await decide(message, bookings=bookings)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 10:00" in decision.reply


async def test_the_earliest_appointment_without_my_is_free_times() -> None:
    decision = await decide("what's the earliest appointment you have?")

    assert decision.intent is not Intent.ASK_BOOKING


# -- the cancellation policy asked about -----------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "is it too late to cancel tomorrow's appointment?",
        "am I too late to move it?",
        "is it already too late to reschedule?",
    ],
)
async def test_too_late_to_cancel_is_the_policy_and_cancels_nothing(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(8, 10), "bk-1")])

    assert decision.intent is Intent.ANSWER and decision.proposal is None, decision.reply
    assert "24 hours" in decision.reply


async def test_cancel_it_is_too_late_for_me_still_cancels() -> None:
    decision = await decide(
        "please cancel tomorrow's, it's too late for me", bookings=[booking("Max", at(8, 10), "b")]
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


# -- a grievance with a whole request; a person asked for ----------------------------------------


async def test_a_grievance_with_a_day_and_time_is_served() -> None:
    decision = await decide(
        "your website is useless and nobody answers the phone. I need Rocky seen friday at 11. "
        "can you manage that or not"
    )

    assert proposed(decision) == [("Rocky", at(11, 11))]


@pytest.mark.parametrize(
    "message",
    [
        "this is ridiculous i want a person",
        "useless. friday at 11 for Rocky, or put me through to a human",
        "this is ridiculous",
    ],
)
async def test_a_person_or_a_grievance_alone_still_goes_to_the_team(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF, decision.reply


# -- a vet asked for by name -----------------------------------------------------------------------


async def test_a_named_vet_is_not_promised_and_the_time_is_proposed() -> None:
    decision = await decide(
        "Is Dr Laurent working on Thursday? I'd like Nala to see her at 11 if so"
    )

    assert proposed(decision) == [("Nala", at(10, 11))]
    assert "don't name a vet" in decision.reply


async def test_working_said_of_the_customer_is_still_no_request() -> None:
    decision = await decide("I'm working on thursday at 11 so can't come")

    assert decision.proposal is None


# -- months and weeks on from a booking; a weekly series -------------------------------------------


async def test_same_time_next_month_books_that_date_next_month() -> None:
    decision = await decide(
        "perfect thanks. can we put him in for the same time next month as well?",
        bookings=[booking("Rocky", at(8, 14, 30), "bk-1")],
        history=["tuesday 14:30 for Rocky", "Done: Rocky on Tuesday 8 December at 14:30."],
    )

    assert proposed(decision) == [("Rocky", datetime(2027, 1, 8, 14, 30, tzinfo=PARIS))]


@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("can Biscuit come every tuesday at 10am for the next 3 weeks?", [8, 15, 22]),
        ("weekly for Biscuit for 2 weeks, thursdays at 10", [10, 17]),
        ("the next 2 fridays at 10am for Biscuit", [11, 18]),
    ],
)
async def test_a_weekly_series_is_proposed_whole(message: str, days: list[int]) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Biscuit", at(d, 10)) for d in days]


async def test_every_four_weeks_is_no_weekly_series() -> None:
    decision = await decide("grooming for Biscuit on Friday at 2pm, and then every 4 weeks")

    assert proposed(decision) == [("Biscuit", at(11, 14))]


# -- another pet: joining a booking, or the booking said to be for another ------------------------


async def test_a_new_pet_at_the_same_time_as_a_booked_one_joins_it() -> None:
    decision = await decide(
        "we've also got a new puppy, Pip. can he come in at the same time as Rex on thursday?",
        bookings=[booking("Rex", at(10, 10), "bk-rex")],
    )

    assert proposed(decision) == [("Pip", at(10, 10))]


async def test_a_booking_said_to_be_for_another_pet_is_given_to_it() -> None:
    decision = await decide(
        "sorry the booking on wednesday should be for Coco not Bella, wrong dog!",
        bookings=[booking("Bella", at(9, 10), "bk-1")],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    changes = [(p.kind, p.subject, p.slot_start, p.booking_id) for p in decision.proposals]
    assert changes == [("cancel", "Bella", at(9, 10), "bk-1"), ("book", "Coco", at(9, 10), None)]
    assert "Coco" in decision.reply and "Bella" in decision.reply


async def test_a_booking_for_another_pet_already_booked_there_goes_to_the_team() -> None:
    decision = await decide(
        "sorry the booking on wednesday should be for Coco not Bella, wrong dog!",
        bookings=[booking("Bella", at(9, 10), "bk-1"), booking("Coco", at(9, 10), "bk-2")],
    )

    assert decision.intent is Intent.HANDOFF and decision.proposal is None, decision.reply
    assert decision.note is not None and "Coco" in decision.note and "Bella" in decision.note


async def test_a_species_correction_is_no_relabel() -> None:
    decision = await decide(
        "just so you know Tigger is a rabbit, not a cat!",
        bookings=[booking("Tigger", at(10, 14), "bk-1")],
    )

    assert decision.intent is not Intent.HANDOFF


# -- a part of the day in the plural, or ruled out -------------------------------------------------


@pytest.mark.parametrize(
    ("message", "part"),
    [
        ("afternoons only", "afternoon"),
        ("mornings are best for us", "morning"),
        ("I can't do mornings, anything friday afternoon", "afternoon"),
        ("no, afternoon please", "afternoon"),
        # the part left when the other is ruled out (everyday15: "busy in the morning")
        ("not in the morning please, friday", "afternoon"),
        ("anything earlier? like before lunch", "morning"),
    ],
)
def test_the_part_of_the_day_wanted_is_read(message: str, part: str | None) -> None:
    assert read_when(normalise(message), now=PARIS_NOW).part == part
