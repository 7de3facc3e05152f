"""Two pets' appointments swapped on one yes (issue 9, "several pets in one message"): each
booking moves to the other's slot even when another customer takes the slot's other place, so
that the calendar is full until the second booking leaves it. Real Temporal, Postgres, the
rules agent and the fake Twilio; messages arrive through the signed WhatsApp webhook."""

from __future__ import annotations

from tests.conftest import Harness
from tests.workflows.test_several_changes import (
    CUSTOMER,
    add_confirmed,
    at,
    bookings,
    open_weekday,
    says,
)


async def test_a_swap_at_a_full_calendar_moves_both(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    await add_confirmed(harness, CUSTOMER, "Max", at(day, 10))
    await add_confirmed(harness, CUSTOMER, "Luna", at(day, 15))
    # The clinic sees two at a time: with these, both slots are full.
    await add_confirmed(harness, "+33611111111", "Rex", at(day, 10))
    await add_confirmed(harness, "+33622222222", "Nala", at(day, 15))

    asked = await says(harness, "could we swap max and luna around?", replies=1)
    assert "Max" in asked and "Luna" in asked and "15:00" in asked and "10:00" in asked, asked

    done = await says(harness, "yes", replies=2)
    assert "Sorry" not in done, done
    assert await bookings(harness) == {
        ("Max", at(day, 15)): "confirmed",
        ("Luna", at(day, 10)): "confirmed",
    }
