"""The local agent on the twenty-sixth held-out set (issue 9, evals/scenarios/everyday26.yaml),
reading days and times: a date written year first ("2026-12-11"), dictation's "choose day" for
Tuesday (with "two book" / "four my dog"), a long message whose one asking sentence names the
day ("… before Christmas … on Wednesday … next week … Could we possibly do Friday instead?"),
and an hour corrected beside someone else's plans ("make it 11? I've got the plumber coming at
10", then "the plumber's moved to the afternoon, 10 is fine after all"). Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from switchboard.agent_models import AgentDecision, Intent, PendingAction
from switchboard.understanding.text import normalise
from tests.providers.test_local_agent_everyday import (
    at,
    booked,
    clock_times,
    decide,
    pending,
    proposed,
)


def pending_of(decision: AgentDecision) -> PendingAction:
    """The booking ``decision`` proposes, as the workflow keeps it pending for the next turn."""
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    return pending(slot=decision.proposal.slot_start, subject=decision.proposal.subject)


# -- a date written year first ----------------------------------------------------------------


async def test_an_iso_date_is_the_day() -> None:
    decision = await decide("Booking request: Bruno (dog), grooming, 2026-12-11 16:45. Thanks")

    assert proposed(decision) == [("Bruno", at(11, 16, 45))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("Can Luna come in on 2026/12/10 at 9:30?", at(10, 9, 30)),
        ("2026.12.11 at 10 for Luna please", at(11, 10)),
        # ISO 8601's date and time joined by "T", seconds and all
        ("Can Luna come 2026-12-11T16:45:00?", at(11, 16, 45)),
        # a phone number beside it is still left out, the date is not taken for one
        ("my number is 06 12 34 56 78, can Luna come 2026-12-11 at 10?", at(11, 10)),
    ],
)
async def test_other_dates_written_year_first(message: str, slot: datetime) -> None:
    assert proposed(await decide(message)) == [("Luna", slot)]


async def test_a_passed_date_written_year_first_is_asked_not_moved_a_year() -> None:
    decision = await decide("Booking request: Bruno (dog), grooming, 2025-12-11 16:45")

    assert decision.proposal is None
    assert decision.reply.startswith("Thursday 11 December has already passed."), decision.reply


async def test_a_weekday_beside_a_date_written_year_first_that_disagrees_is_asked() -> None:
    decision = await decide("Thursday 2026-12-11 at 10 for Max")

    assert decision.proposal is None
    assert "Friday 11 December or Thursday 10 December" in decision.reply, decision.reply


# -- dictation: "choose day", "two book", "four my dog" ----------------------------------------


async def test_choose_day_dictated_is_tuesday() -> None:
    decision = await decide(
        "hi there I would like two book an appointment four my dog buster on choose day at four "
        "thirty in the afternoon if you have it thank you"
    )

    assert proposed(decision) == [("Buster", at(8, 16, 30))]


async def test_two_book_and_four_my_dog_are_no_times() -> None:
    decision = await decide(
        "hi I would like two book an appointment four my dog buster on choose day please"
    )

    assert decision.proposal is None
    assert decision.reply.startswith("What time on Tuesday 8 December would you like for Buster?")


async def test_choose_day_capitalised_is_no_pet() -> None:
    decision = await decide("Can Rex come Choose Day afternoon?")

    assert decision.reply.startswith("What time on Tuesday 8 December would you like for Rex?")


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("on choose day at 10", "on tuesday at 10"),
        ("are you open on choose days?", "are you open on tuesdays"),
        ("next choose day morning", "next tuesday morning"),
        # choosing, not a day
        ("can you choose a day for me", "can you choose a day for me"),
        ("you choose the day", "you choose the day"),
        ("let me choose day and time later", "let me choose day and time later"),
        ("can you choose day please", "can you choose day please"),
        # numbers that are numbers
        ("I have two dogs", "i have 2 dogs"),
        ("book four of my cats", "book 4 of my cats"),
        ("at four my time", "at 4 my time"),
        ("we want two see the vet four our cat", "we want to see the vet for our cat"),
    ],
)
def test_dictations_homophones_read_only_where_they_fit(message: str, read: str) -> None:
    assert normalise(message) == read


# -- the one sentence that asks ----------------------------------------------------------------

_BISCUIT = (
    "Morning! Hope you're all well and not too rushed off your feet before Christmas. So my "
    "daughter has decided, with about two days' notice, to have her birthday party on Wednesday "
    "because half her class is off skiing next week, which means I'll be up to my eyes in "
    "balloons and sausage rolls all morning, so Wednesday morning is out for Biscuit's "
    "appointment I'm afraid. Could we possibly do Friday instead, at the same time? He's fine by "
    "the way, still limping a tiny bit on the front left but eating like a horse. The weather "
    "hasn't helped, he hates the rain and refuses to go out. Anyway thanks a million!"
)


async def test_the_day_asked_for_is_the_asking_sentences_not_a_holiday_or_next_week() -> None:
    decision = await decide(_BISCUIT, bookings=[booked("Biscuit", at(9, 10))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Biscuit", at(11, 10))]


async def test_a_holiday_said_as_a_bound_is_no_day() -> None:
    decision = await decide(
        "Could Biscuit come Friday instead, before Christmas?",
        bookings=[booked("Biscuit", at(9, 10))],
    )

    assert proposed(decision) == [("Biscuit", at(11, 10))]


async def test_a_weekday_before_a_holiday_is_counted_from_it() -> None:
    decision = await decide("can we get max in the friday before christmas at 10?")

    assert proposed(decision) == [("Max", at(18, 10))]


async def test_opening_asked_over_a_holiday_is_that_day() -> None:
    decision = await decide("are you open over christmas?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "closed on Friday 25 December" in decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # a date due, then the day asked for
        ("Luna has her jabs due on the 15th. Could she come in Friday at 10?", at(11, 10)),
        # the morning is Saturday's, not the 3's
        ("Is Friday at 3 free for Luna? Otherwise Saturday morning.", at(11, 15)),
        # the plumber's 10, in a sentence of its own
        ("the plumber's coming at 10 tomorrow. could luna come at 2 instead?", at(8, 14)),
        # kept: the day in one sentence and its time in the one that asks
        ("Hi. Could you book Luna in for Friday? At 3 if possible.", at(11, 15)),
        ("Could we possibly do next week for Luna? Tuesday at 10 would be ideal.", at(15, 10)),
        ("Can Luna come Tuesday? If not, Wednesday at 10.", at(8, 10)),
        ("Tuesday next week at 10 please, for Luna", at(15, 10)),
    ],
)
async def test_sentences_that_ask_and_those_that_tell(message: str, slot: datetime) -> None:
    assert proposed(await decide(message)) == [("Luna", slot)]


async def test_a_part_of_the_day_said_with_the_day_before_is_the_hours() -> None:
    # "at 8" of a Friday evening is 20:00 (closed then), never 08:00
    decision = await decide("Friday evening. Could Max come at 8?")

    assert "Friday 11 December at 20:00 isn't possible" in decision.reply, decision.reply


# -- an hour corrected beside someone else's plans ---------------------------------------------


async def test_an_hour_corrected_for_the_plumber_and_back() -> None:
    first = "can simba have a check up tomorrow at 10?"
    asked = await decide(first)
    assert proposed(asked) == [("Simba", at(8, 10))]

    second = "actually can we make it 11? I've got the plumber coming at 10"
    moved = await decide(second, history=[first, asked.reply], pending=pending_of(asked))
    assert proposed(moved) == [("Simba", at(8, 11))]

    back = await decide(
        "oh no wait, the plumber's just moved to the afternoon, 10 is fine after all, sorry!",
        history=[first, asked.reply, second, moved.reply],
        pending=pending_of(moved),
    )
    assert proposed(back) == [("Simba", at(8, 10))]


@pytest.mark.parametrize(
    ("message", "was", "slot"),
    [
        # the plumber's hour in the same sentence
        ("can we make it 11 as I've got the plumber coming at 10", at(8, 10), at(8, 11)),
        ("make it 11, I've got the plumber coming at 10", at(8, 10), at(8, 11)),
        # the part of the day is the builders'
        ("the builders have moved to the evening, 11 works after all", at(8, 14), at(8, 11)),
        # kept: an hour after "but" corrects
        ("11 is fine but can it be 12 instead", at(8, 11), at(8, 12)),
    ],
)
async def test_hours_of_other_plans_correct_nothing(
    message: str, was: datetime, slot: datetime
) -> None:
    decision = await decide(message, pending=pending(slot=was, subject="Simba"))

    assert proposed(decision) == [("Simba", slot)]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # someone coming with the pet: their time is the visit's when no other is said
        ("my husband is coming at 10 with rex tomorrow, is that ok?", at(8, 10)),
        # the builders' morning does not make the 3 a 3 am
        ("we have the builders round in the morning, could rex come tomorrow at 3?", at(8, 15)),
    ],
)
async def test_other_peoples_plans_beside_a_request(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


async def test_a_sentence_naming_the_day_narrows_the_week_the_asking_one_said() -> None:
    """The asking sentence gives only a week ("in two weeks"); the next one its day."""
    decision = await decide(
        "can Bear come back in two weeks for his stitches to be checked? the wednesday, late "
        "afternoon if poss"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert "Wednesday 23 December" in decision.reply
    assert all("16:00" <= t < "18:00" for t in clock_times(decision.reply)), decision.reply
