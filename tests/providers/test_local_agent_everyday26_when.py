"""The local agent on the twenty-sixth held-out set (issue 9, evals/scenarios/everyday26.yaml),
reading days and times: a date written year first ("2026-12-11"), dictation's "choose day" for
Tuesday (with "two book" / "four my dog"). Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from switchboard.understanding.text import normalise
from tests.providers.test_local_agent_everyday import at, decide, proposed

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
