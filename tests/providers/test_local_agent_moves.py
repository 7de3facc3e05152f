"""The local agent moving a booking to a part of a day without a time (issue 9: a call's "move
Milo to Friday at 11 am" heard as "... to Friday, afternoon" was read back as Friday at Milo's
old 15:00, confirmed, and moved there), and a yes with nothing waiting for one.

``NOW`` is Monday 7 December 2026, 09:00 in Paris; the profile is business/profile.yaml
(Mon-Fri 08:30-12:30 and 14:00-19:00, Saturday morning, closed on Sunday).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
)
from switchboard.providers.rules_agent import RuleBasedAgent

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS).astimezone(UTC)
# Milo is booked on Wednesday 9 December at 15:00.
MILO = BookingView(
    id="bk-milo",
    slot_start=datetime(2026, 12, 9, 15, 0, tzinfo=PARIS).astimezone(UTC),
    subject="Milo",
    status="confirmed",
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026, Paris wall time, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


async def decide(message: str, history: list[str] | None = None) -> AgentDecision:
    turns = [
        HistoryTurn(
            channel=Channel.VOICE,
            direction=Direction.INBOUND if i % 2 == 0 else Direction.OUTBOUND,
            text=text,
            at=NOW - timedelta(minutes=1),
        )
        for i, text in enumerate(history or [])
    ]
    context = AgentContext(
        customer="+33612345678",
        channel=Channel.VOICE,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        bookings=[MILO],
        history=turns,
    )
    return await RuleBasedAgent().decide(context)


def listed_times(reply: str) -> list[str]:
    return [t for t in reply.replace(",", " ").replace(".", " ").split() if ":" in t]


@pytest.mark.parametrize(
    ("message", "part"),
    [
        ("Please change my loner appointment to Friday, afternoon.", "afternoon"),
        ("Please change Milo's appointment to Friday afternoon.", "afternoon"),
        ("can you move Milo to friday morning", "morning"),
    ],
)
async def test_a_move_to_a_part_of_a_day_asks_the_time_instead_of_keeping_the_old_one(
    message: str, part: str
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert decision.reply.startswith(
        "What time on Friday 11 December would you like the appointment for Milo moved to?"
    )
    times = listed_times(decision.reply)
    assert times
    hours = [int(t.split(":")[0]) for t in times]
    assert all(h < 12 for h in hours) if part == "morning" else all(h >= 12 for h in hours)


@pytest.mark.parametrize(
    "message",
    ["Please change my loner appointment to Friday, afternoon.", "Move Milo to Friday afternoon."],
)
async def test_a_move_to_an_afternoon_offers_times_after_lunch_as_a_booking_does(
    message: str,
) -> None:
    # On a call the move's offer started at 12:00 ("I have 12:00, 14:45, ...") where a booking
    # for the same afternoon starts after the lunch break.
    moved = await decide(message)
    booked = await decide("what have you got friday afternoon for Rocky?")

    moved_times = listed_times(moved.reply)
    assert moved_times and "12:00" not in moved_times
    assert all(int(t.split(":")[0]) >= 13 for t in moved_times)
    assert moved_times[0] == listed_times(booked.reply)[0]


async def test_a_move_at_lunchtime_still_offers_noon() -> None:
    decision = await decide("Can Milo come at lunchtime on Friday instead?")

    assert "12:00" in listed_times(decision.reply)


async def test_the_time_answering_that_question_moves_the_booking() -> None:
    said = "Please change my loner appointment to Friday, afternoon."
    asked = await decide(said)

    decision = await decide("11 am please", history=[said, asked.reply])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.booking_id == MILO.id
    assert decision.proposal.slot_start == at(11, 11)
    assert "Friday 11 December at 11:00" in decision.reply


async def test_a_bare_hour_answering_it_moves_the_booking_too() -> None:
    said = "Move Milo to Friday afternoon."
    asked = await decide(said)

    decision = await decide("4 o'clock", history=[said, asked.reply])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.booking_id == MILO.id
    assert decision.proposal.slot_start == at(11, 16)


@pytest.mark.parametrize(
    ("message", "hour"),
    [
        ("Move Milo to Friday afternoon, same time.", 15),  # the old time is what they said
        ("Move Milo to Friday at 11 am.", 11),
        ("Move Milo to Friday.", 15),  # a day alone keeps the time, as before
    ],
)
async def test_a_move_with_a_time_or_same_time_is_proposed_at_once(message: str, hour: int) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(11, hour)


async def test_a_yes_to_a_turn_not_understood_asks_for_the_request() -> None:
    decision = await decide(
        "Yes.",
        history=[
            "Welcome to the fourth right of the next 10am, please.",
            "Sorry, I didn't catch that. How can I help you today?",
        ],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.action_id is None
    assert decision.reply == "Sorry, what would you like to book or change?"
