"""Held-out set 36 (evals/scenarios/everyday36.yaml): missed visits rebooked, the time before
the pet, households moved or cancelled at once, new pets, corrections of a name, holidays, "same
day next week", recurring visits, and the general rules their failures showed. Reference moment:
Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, proposed


async def test_another_visit_the_same_day_next_week_is_a_new_booking_not_a_move() -> None:
    """It moved Bella's Wednesday grooming to the week after: a wrong action."""
    decision = await decide(
        "hi bella's got her groom on wednesday, can she have another one same day next week? "
        "same time as well. she's a shedding nightmare 😂",
        bookings=[booked("Bella", at(9, 10, 30), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bella", at(16, 10, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"
