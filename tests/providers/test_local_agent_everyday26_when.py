"""The local agent on the twenty-sixth held-out set (issue 9, evals/scenarios/everyday26.yaml),
reading days and times: a date written year first ("2026-12-11"). Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest

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
