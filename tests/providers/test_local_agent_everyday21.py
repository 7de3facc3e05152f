"""The local agent on the twenty-first held-out set's wrong action (issue 9,
evals/scenarios/everyday21.yaml): "can daisy have another one same as tuesday's but on saturday
at 10" proposed Tuesday, the day of the booking referred to, not the Saturday asked for.
Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import BookingView
from tests.providers.test_local_agent_everyday import at, decide, proposed

DAISY = [
    BookingView(
        id="b-daisy",
        slot_start=at(8, 10, 0),
        subject="Daisy",
        status="confirmed",
        service="grooming",
    )
]


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
