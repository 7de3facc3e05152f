"""Conversations played turn by turn in session 34: a booking named by another's service or
pet as the day or time to copy, a booking said back with thanks, a household of pets each
wanting something different.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import at_in, booking_of


async def test_the_same_day_as_the_dental_names_the_day_not_the_booking() -> None:
    """ "the tuesday one, can that go to the same day as the dental instead? in the morning,
    about 10" moved the dental: the dental is only the day to copy."""
    checkup = booking_of("Pebble", at(8, 11), "consultation", "b1")
    dental = booking_of("Pebble", at_in(2026, 12, 17, 14), "dental", "b2")
    decision = await decide(
        "the tuesday one, can that go to the same day as the dental instead? in the morning, "
        "about 10",
        bookings=[checkup, dental],
        history=["when are Pebble's appointments?", "You have 2 appointments coming up: …"],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at_in(2026, 12, 17, 10)


async def test_a_pet_come_with_another_takes_its_time() -> None:
    """ "can Sage come tomorrow with Fig instead, at the same time?" took Sage's own 16:15."""
    fig = booking_of("Fig", at(8, 8) + timedelta(minutes=45), "vaccination", "b1")
    sage = booking_of("Sage", at_in(2026, 12, 9, 16) + timedelta(minutes=15), "consultation", "b2")
    decision = await decide(
        "ah ok. can Sage come tomorrow with Fig instead, at the same time?", bookings=[fig, sage]
    )

    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b2"
    assert proposed(decision) == [("Sage", fig.slot_start)]


async def test_only_one_tomorrow_names_the_other_pets_booking() -> None:
    """ "is that the only one tomorrow? I thought Sage was coming in too" was told "Nothing is
    booked on Tuesday 8 December" while Fig is in that morning."""
    fig = booking_of("Fig", at(8, 9), "vaccination", "b1")
    sage = booking_of("Sage", at_in(2026, 12, 9, 16), "consultation", "b2")
    decision = await decide(
        "thanks! is that the only one tomorrow? I thought Sage was coming in too",
        bookings=[fig, sage],
    )

    assert "Nothing is booked on Tuesday" not in decision.reply
    assert "Fig at 09:00" in decision.reply
    assert "Wednesday 9 December at 16:00" in decision.reply


async def test_a_booking_said_back_with_thanks_books_nothing() -> None:
    """ "friday, great, that works. thanks!" after we named Luna's Friday booking asked which
    time to book on Friday."""
    luna = booking_of("Luna", at(11, 11), "vaccination", "b1")
    decision = await decide(
        "friday, great, that works. thanks!",
        bookings=[luna],
        history=[
            "did I book Luna for thursday or friday? can't remember",
            "Nothing is booked for Luna on Thursday 10 December. Your appointment for Luna is on "
            "Friday 11 December at 11:00.",
        ],
    )

    assert decision.proposal is None and not decision.proposals
    assert "Friday 11 December at 11:00" in decision.reply
