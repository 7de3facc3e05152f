"""The local agent on the twenty-third held-out set (issue 9, evals/scenarios/everyday23.yaml)
and the probes around it: a time picked from the times offered instead of a move. Decisions
only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from switchboard.agent_models import BookingView, Intent
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import PARIS, at, booked, decide, proposed

MAX = booked("Max", at(10, 10))  # a consultation, Thursday 10 December at 10:00
# Both places taken on Friday 11 December from 10:00 to 11:00.
FRIDAY_TEN_FULL = [Busy(booking_id=f"other-{n}", start=at(11, 10), end=at(11, 11)) for n in (1, 2)]


@pytest.mark.parametrize(
    ("answer", "slot"),
    [
        ("9:30", at(11, 9, 30)),
        ("ok 9.30 please", at(11, 9, 30)),
        ("half 9", at(11, 9, 30)),
        ("the second one", at(11, 9, 15)),
        ("what about saturday at 10", at(12, 10)),
    ],
)
async def test_a_time_picked_after_a_move_was_turned_down_moves_the_booking(
    answer: str, slot: datetime
) -> None:
    first = "move max to friday at 10"
    refused = await decide(first, bookings=[MAX], busy=FRIDAY_TEN_FULL)
    assert refused.intent is Intent.CLARIFY and "I can offer" in refused.reply

    picked = await decide(
        answer, bookings=[MAX], busy=FRIDAY_TEN_FULL, history=[first, refused.reply]
    )

    assert picked.intent is Intent.PROPOSE_RESCHEDULE, picked.reply
    assert proposed(picked) == [("Max", slot)]
    assert picked.proposal is not None and picked.proposal.booking_id == MAX.id


WED_MAX = booked("Max", at(9, 10))
THU_LUNA = booked("Luna", at(10, 15))


@pytest.mark.parametrize(
    "message",
    [
        "could we swap max and luna around?",
        "is it possible to swap max and luna's appointments",
        "can you switch them round",
        "can max and luna swap? so max on thursday at 3 and luna on wednesday at 10",
    ],
)
async def test_two_bookings_swapped_each_take_the_others_slot(message: str) -> None:
    # Another customer holds the other place of each slot: the swap still fits.
    others = [
        Busy(booking_id="o1", start=at(9, 10), end=at(9, 10, 30)),
        Busy(booking_id="o2", start=at(10, 15), end=at(10, 15, 30)),
        Busy(booking_id=WED_MAX.id, start=at(9, 10), end=at(9, 10, 30)),
        Busy(booking_id=THU_LUNA.id, start=at(10, 15), end=at(10, 15, 30)),
    ]
    decision = await decide(message, bookings=[WED_MAX, THU_LUNA], busy=others)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Luna", at(9, 10)), ("Max", at(10, 15))]
    assert {p.kind for p in decision.proposals} == {"reschedule"}


@pytest.mark.parametrize(
    "message",
    [
        "is bella booked in for her nails or a full check up on friday? can't remember what i "
        "asked for 🙈",
        "what's bella's appointment for again?",
    ],
)
async def test_the_service_of_a_booking_asked_is_said(message: str) -> None:
    decision = await decide(message, bookings=[booked("Bella", at(11, 11), "grooming")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "grooming" in decision.reply and "Friday 11 December at 11:00" in decision.reply


@pytest.mark.parametrize(
    ("message", "booked_pet", "newcomer", "slot", "service"),
    [
        (
            "what time is rex in on thursday again? and could his brother bruno have his jabs at "
            "the same time so we only do the one trip",
            booked("Rex", at(10, 11)),
            "Bruno",
            at(10, 11),
            "vaccination",
        ),
        (
            "just checking poppy's still on for saturday? and can i book her sister daisy in for "
            "a groom on friday at quarter to 4",
            booked("Poppy", at(12, 10, 30)),
            "Daisy",
            at(11, 15, 45),
            "grooming",
        ),
    ],
)
async def test_a_booking_asked_about_is_said_and_another_pets_booked(
    message: str, booked_pet: BookingView, newcomer: str, slot: datetime, service: str
) -> None:
    decision = await decide(message, bookings=[booked_pet])

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [(newcomer, slot)]
    assert decision.proposal is not None and decision.proposal.service == service
    local = booked_pet.slot_start.astimezone(PARIS)
    assert decision.reply.startswith(f"Your appointment for {booked_pet.subject} is on")
    assert local.strftime("%A %-d %B at %H:%M") in decision.reply.split(".")[0]
