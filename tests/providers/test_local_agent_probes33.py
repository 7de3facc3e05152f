"""Conversations played turn by turn in session 33: pets named like time words or by what they
did, a booking named by its time alone, a place asked to be dog friendly.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import at, booked, decide, proposed


def at_in(year: int, month: int, day: int, hour: int) -> datetime:
    """A Paris wall time, as UTC."""
    return datetime(year, month, day, hour, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


async def test_a_pet_called_midnight_is_booked_by_name() -> None:
    """ "can Midnight come in tomorrow at 3" was booked for nobody: midnight is a time word."""
    decision = await decide("can Midnight come in tomorrow at 3 for a check up")

    assert proposed(decision) == [("Midnight", at(8, 15))]


@pytest.mark.parametrize(
    "message", ["are you open till Midnight on fridays?", "can I come at Midnight lol"]
)
def test_midnight_after_a_word_of_time_is_no_pet(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == []


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Boots rolled in fox poo, can he come for a bath tomorrow at 10?", "Boots"),
        ("Pip swallowed a sock, can he come in today?", "Pip"),
    ],
)
def test_a_pet_named_by_what_it_did(message: str, name: str) -> None:
    """ "Boots rolled in fox poo, can he come for a bath" was booked for nobody."""
    assert subjects_in(message, known=[], transcript=False) == [name]


@pytest.mark.parametrize(
    "message",
    [
        "Sarah called, she wants to book Max",
        "Marie dropped him off yesterday, can Max come back friday?",
        "Vet said he needs a booster. Can Max come tomorrow?",
    ],
)
def test_a_person_who_did_something_is_no_pet(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == ["Max"]


async def test_a_booking_named_by_its_time_is_joined() -> None:
    """ "keep the 10 o'clock, but can bella come too?" asked which day: the 10 o'clock is
    Rex's Thursday booking, and Bella joins it."""
    decision = await decide(
        "keep the 10 o'clock, but can bella come too?", bookings=[booked("Rex", at(10, 10))]
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bella", at(10, 10))]


async def test_dog_friendly_is_no_pet() -> None:
    """ "this is a dog friendly place? can i bring my dog tomorrow at 2" was read back "for
    Friendly"."""
    decision = await decide("this is a dog friendly place? can i bring my dog tomorrow at 2")

    assert proposed(decision) == [("your dog", at(8, 14))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("her booster is due in february, can we do the 3rd at 10?", (2027, 2, 3)),
        ("she's due in january, the 12th at 10 ok?", (2027, 1, 12)),
    ],
)
async def test_a_day_of_the_month_said_after_the_month(
    message: str, slot: tuple[int, int, int]
) -> None:
    """ "due in february, can we do the 3rd at 10?" proposed Sunday 3 January."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at_in(*slot, 10), decision.reply


async def test_a_date_past_the_horizon_says_when_it_can_be_booked() -> None:
    """ "Truffle's due her booster in april, could we do the 12th?" asked what time on Saturday
    12 December; 12 April is past the 90 days: it can be booked from 12 January."""
    decision = await decide("Truffle's due her booster in april, could we do the 12th?")

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert "12 April 2027" in decision.reply
    assert "12 January 2027" in decision.reply
