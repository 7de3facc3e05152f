"""The local agent on the twenty-third held-out set (issue 9, evals/scenarios/everyday23.yaml)
and the probes around it: a time picked from the times offered instead of a move. Decisions
only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import BookingView, Intent, PendingAction
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import (
    NOW,
    PARIS,
    at,
    booked,
    decide,
    pending,
    proposed,
)

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


@pytest.mark.parametrize("message", ["12 is perfect, yes please", "yes saturday at 12 is great"])
async def test_a_yes_that_repeats_the_proposed_time_confirms(message: str) -> None:
    decision = await decide(
        message, pending=pending(slot=at(12, 12), subject="Bean", service="grooming")
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


@pytest.mark.parametrize(
    "message", ["11 is fine but can it be 12 instead", "can it be 12 instead", "how about 12"]
)
async def test_an_hour_after_but_corrects_the_proposal(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(12, 11), subject="Bean"))

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bean", at(12, 12))]


@pytest.mark.parametrize(
    ("message", "pet"),
    [
        ("cna i book my dgo bailey in for his vacination on wendesday at 11", "Bailey"),
        ("hi so its about tilly, can she come wednesday at 3", "Tilly"),
        ("want to pop in with pip on my break wednesday at 12", "Pip"),
    ],
)
async def test_a_lower_case_name_said_in_passing_is_the_pet(message: str, pet: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == pet


@pytest.mark.parametrize(
    "message",
    [
        "it's about my dog, can he come wednesday at 3",
        "can i come in with my husband wednesday at 3",
    ],
)
async def test_no_name_is_made_of_a_common_word(message: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject in ("you", "your dog")


async def test_an_hour_said_after_the_part_of_the_day_is_the_time() -> None:
    decision = await decide(
        "hi yeah so its about tilly she's been scratching at her ear all week and i was "
        "wondering if she could come in the day after tomorrow maybe in the afternoon like 3 or "
        "something would that be ok thanks"
    )

    assert proposed(decision) == [("Tilly", at(9, 15))]


async def test_lunchtime_asked_with_a_visit_gets_the_break_and_the_times() -> None:
    decision = await decide(
        "are you open at lunchtime tomorrow? want to pop in with pip on my break"
    )

    # (session 48: the answer to "are you open …?" opens with its no)
    assert decision.reply.startswith(
        "No: on Tuesday 8 December we close for lunch from 12:30 to 14:00"
    ), decision.reply
    # the last time before the break proposed (a consultation ends 12:30)
    assert proposed(decision) == [("Pip", at(8, 12))], decision.reply


async def test_giving_a_day_a_miss_offers_the_cancellation() -> None:
    luna = booked("Luna", at(10, 11))
    decision = await decide(
        "we're going to have to give thursday a miss i'm afraid, luna's off to my sister's for "
        "the week",
        bookings=[luna],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == luna.id


@pytest.mark.parametrize(
    "message",
    ["yes cancel it please, we'll rebook when she's back", "yes please, she'll be glad"],
)
async def test_a_yes_then_an_aside_confirms(message: str) -> None:
    luna = booked("Luna", at(10, 11))
    pending = PendingAction(
        id="act-1",
        kind="cancel",
        slot_start=luna.slot_start,
        subject="Luna",
        booking_id=luna.id,
        expires_at=NOW + timedelta(minutes=10),
    )

    decision = await decide(message, bookings=[luna], pending=pending)

    assert decision.intent is Intent.CONFIRM, decision.reply


@pytest.mark.parametrize("message", ["yes please, and bella too", "yes, but can we make it 11"])
async def test_a_yes_with_more_asked_is_not_a_bare_yes(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(11, 10), subject="Luna"))

    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert decision.proposal is not None or decision.proposals, decision.reply


async def test_a_service_the_profile_does_not_list_gets_the_number_to_call() -> None:
    decision = await decide(
        "does the vet do home visits? my old boy can't really manage the car anymore"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "home visits" in decision.reply and "+33 1 84 88 12 34" in decision.reply
    assert decision.proposal is None


async def test_an_animal_said_before_the_question_is_answered_from_the_profile() -> None:
    decision = await decide(
        "my friend has a guinea pig, do you see those? she'll book herself, just asking for her"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "small pets" in decision.reply and decision.proposal is None


@pytest.mark.parametrize(
    "message",
    [
        "can i bring my 2 dogs rex and bella on friday at 10",
        "I need to bring both cats in, rex and bella, friday at 10",
    ],
)
async def test_pets_named_after_their_kind_are_booked_each(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Rex", at(11, 10)), ("Bella", at(11, 10))]


async def test_a_contraction_without_its_apostrophe_still_cancels() -> None:
    decision = await decide("luna doesnt need to come anymore", bookings=[THU_LUNA])

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_an_hour_after_earlier_and_a_day_is_the_time_moved_to() -> None:
    decision = await decide("can max come earlier on thursday, like 9?", bookings=[MAX])

    assert proposed(decision) == [("Max", at(10, 9))]


async def test_both_moved_a_week_on_at_the_same_times() -> None:
    decision = await decide("move both to next week same times", bookings=[MAX, THU_LUNA])

    assert sorted(proposed(decision)) == [("Luna", at(17, 15)), ("Max", at(17, 10))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [("book luna saturday morning 10", at(12, 10)), ("luna thursday afternoon, 4?", at(10, 16))],
)
async def test_a_bare_hour_after_the_part_of_the_day_is_the_time(
    message: str, slot: datetime
) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Luna", slot)]


async def test_the_afternoon_one_is_a_booking_asked_about_not_one_oclock() -> None:
    decision = await decide(
        "what time is the afternoon one again?",
        bookings=[booked("Max", at(8, 9, 30)), booked("Max", at(9, 16))],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 16:00" in decision.reply


@pytest.mark.parametrize(
    "message", ["can I swap to a different vet?", "is it possible to switch vets?"]
)
async def test_another_vet_asked_for_swaps_no_bookings(message: str) -> None:
    decision = await decide(message, bookings=[WED_MAX, THU_LUNA])

    assert decision.proposal is None and not decision.proposals, decision.reply
    assert decision.intent is Intent.HANDOFF, decision.reply
