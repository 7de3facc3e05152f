"""The local agent changes a booking's service: at its own time ("can Max's checkup be a dental
instead?"), with a move ("move max to friday at 3, and make it a dental"), and never when a
service is only named to say which booking moves. Decisions only; the CRM's side is in
tests/activities/test_crm.py and the workflow's in tests/workflows/test_service_change.py.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed

MAX = booked("Max", at(10, 10))  # a consultation, Thursday 10 December at 10:00
LUNA = booked("Luna", at(11, 15, 30), "grooming")


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("Can I change Max's appointment to a dental instead of a checkup?", "dental"),
        ("can max's checkup be a vaccination instead? he's due his booster", "vaccination"),
        ("could max have his jabs rather than a check up on thursday", "vaccination"),
        ("make max's thursday one a nail trim instead pls", "grooming"),
    ],
)
async def test_a_service_asked_instead_is_proposed_at_the_same_time(
    message: str, service: str
) -> None:
    decision = await decide(message, bookings=[MAX])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(10, 10))]
    assert decision.proposal is not None and decision.proposal.service == service
    assert decision.proposal.booking_id == MAX.id
    assert "Thursday 10 December at 10:00" in decision.reply


async def test_the_read_back_and_the_done_say_the_new_service() -> None:
    asked = await decide("can max's checkup be a dental instead?", bookings=[MAX])
    assert asked.proposal is not None
    assert "dental cleaning" in asked.reply and "€120" in asked.reply

    done = await decide(
        "yes please",
        bookings=[MAX],
        pending=PendingAction(
            id="act-1",
            kind="reschedule",
            slot_start=asked.proposal.slot_start,
            subject="Max",
            booking_id=MAX.id,
            service=asked.proposal.service,
            expires_at=NOW + timedelta(minutes=10),
        ),
    )

    assert done.intent is Intent.CONFIRM
    assert "is now a dental cleaning" in done.reply and "moved" not in done.reply


async def test_a_longer_service_that_does_not_fit_offers_other_times() -> None:
    # Both places are taken from 10:30: a 60-minute dental cannot start at 10:00.
    full = [Busy(booking_id=f"other-{n}", start=at(10, 10, 30), end=at(10, 11, 30)) for n in (1, 2)]
    first = "can max's checkup be a dental instead?"
    refused = await decide(first, bookings=[MAX], busy=full)

    assert refused.intent is Intent.CLARIFY and refused.proposal is None, refused.reply
    assert "fully booked" in refused.reply and "09:30" in refused.reply, refused.reply

    picked = await decide("9:30", bookings=[MAX], busy=full, history=[first, refused.reply])

    assert proposed(picked) == [("Max", at(10, 9, 30))], picked.reply
    assert picked.proposal is not None and picked.proposal.booking_id == MAX.id
    assert picked.proposal.service == "dental"


async def test_a_move_can_change_the_service_too() -> None:
    decision = await decide("move max to friday at 3, and make it a dental", bookings=[MAX])

    assert proposed(decision) == [("Max", at(11, 15))]
    assert decision.proposal is not None and decision.proposal.service == "dental"
    assert "dental cleaning" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "move luna's checkup to thursday at 2",  # Luna's booking is a groom: the word says which
        "can luna's appointment go to thursday at 2",
    ],
)
async def test_a_move_keeps_the_bookings_own_service(message: str) -> None:
    decision = await decide(message, bookings=[LUNA])

    assert proposed(decision) == [("Luna", at(10, 14))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"
    assert "as a" not in decision.reply


async def test_of_two_bookings_the_one_to_change_is_asked_then_changed() -> None:
    first = "can we do a dental instead?"
    asked = await decide(first, bookings=[MAX, LUNA])
    assert asked.intent is Intent.CLARIFY and "Max" in asked.reply and "Luna" in asked.reply

    chosen = await decide("Max", bookings=[MAX, LUNA], history=[first, asked.reply])

    assert proposed(chosen) == [("Max", at(10, 10))]
    assert chosen.proposal is not None and chosen.proposal.service == "dental"


async def test_a_service_instead_on_another_day_moves_it_there_as_that_service() -> None:
    decision = await decide("can max have a dental instead on saturday at 10?", bookings=[MAX])

    assert proposed(decision) == [("Max", at(12, 10))]
    assert decision.proposal is not None and decision.proposal.booking_id == MAX.id
    assert decision.proposal.service == "dental"


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("can I add a nail trim to max's appointment?", "grooming"),
        ("can max have his nails done at the same time as his checkup?", "grooming"),
        ("could max get his jabs while he's there?", "vaccination"),
    ],
)
async def test_another_service_on_the_same_visit_is_booked_straight_after(
    message: str, service: str
) -> None:
    decision = await decide(message, bookings=[MAX])

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Max", at(10, 10, 30))]  # his 30-minute consultation ends
    assert decision.proposal is not None and decision.proposal.service == service
    assert decision.proposal.booking_id is None  # a booking of its own; the first one stays


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("actually luna needs a dental not a groom", "dental"),
        ("can we change luna from a groom to her jabs please", "vaccination"),
    ],
)
async def test_other_ways_to_ask_for_another_service(message: str, service: str) -> None:
    decision = await decide(message, bookings=[LUNA])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Luna", at(11, 15, 30))]
    assert decision.proposal is not None and decision.proposal.service == service


async def test_a_service_asked_instead_that_is_the_booked_one_says_so() -> None:
    decision = await decide("can luna's groom be a bath instead", bookings=[LUNA])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "already a grooming" in decision.reply and decision.proposal is None


async def test_a_booked_day_turned_down_for_another_is_a_move() -> None:
    decision = await decide("can max come friday not thursday", bookings=[MAX])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(11, 10))]


async def test_a_cancellation_beside_another_service_asked_about_is_the_cancellation() -> None:
    thumper = booked("Thumper", at(11, 9, 30))
    decision = await decide(
        "we won't make Thumper's appointment on Friday, so please cancel that one. When we're "
        "back I'd like to get his nails clipped, do you do that for rabbits and how much is it?",
        bookings=[thumper],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == thumper.id
