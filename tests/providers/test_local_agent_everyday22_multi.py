"""The local agent on several changes asked in one message: pets listed each with a service and a
time of their own ("bring biscuit for his booster and pepper for a nail trim on sat? biscuit at
10 and pepper 10:30"), names written in lower case included, and a move said with "same time"
beside a new booking for another pet at a time of its own ("rufus to thursday same time, and
could his sister daisy have a check up straight after him at half 3?"). The time said beside
one pet is that pet's. Decisions only: the workflow commits.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (Saturday 09:00-13:00; consultation 30 min, vaccination
15 min, grooming 45 min, "nail trim" and "groom" are grooming, "booster" and "jab" vaccination).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import AgentDecision, Intent, PendingAction, pending_changes
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide


def changes(decision: AgentDecision) -> list[tuple[str, str, datetime, str | None]]:
    """(kind, pet, slot, service) of each change ``decision`` proposes together."""
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    return [(p.kind or "book", p.subject, p.slot_start, p.service) for p in decision.proposals]


def waiting(decision: AgentDecision) -> PendingAction:
    """The pending action the workflow holds for ``decision``'s proposals."""
    return PendingAction(
        id="act-1",
        kind="several",
        slot_start=decision.proposals[0].slot_start,
        subject=", ".join(p.subject for p in decision.proposals),
        expires_at=NOW + timedelta(minutes=10),
        changes=pending_changes("act-1", decision.proposals),
    )


# -- pets listed each with a service and a time of their own ---------------------------------------

BISCUIT_AND_PEPPER = [
    ("book", "Biscuit", at(12, 10), "vaccination"),
    ("book", "Pepper", at(12, 10, 30), "grooming"),
]


@pytest.mark.parametrize(
    "message",
    [
        "can i bring biscuit for his booster and pepper for a nail trim on sat? biscuit at 10 and "
        "pepper 10:30 if poss",
        "Can I bring Biscuit for his booster and Pepper for a nail trim on Sat? Biscuit at 10 and "
        "Pepper 10:30 if poss",
        "can i bring biscuit for his booster and pepper for a nail trim on sat? at 10 for biscuit "
        "and 10:30 for pepper",
        "biscuit for his booster at 10 and pepper for a nail trim at 10:30, saturday pls",
    ],
)
async def test_each_pet_is_booked_for_its_own_service_at_its_own_time(message: str) -> None:
    decision = await decide(message)

    assert changes(decision) == BISCUIT_AND_PEPPER
    assert "Biscuit (vaccination) for Saturday 12 December at 10:00" in decision.reply
    assert "Pepper (grooming) for Saturday 12 December at 10:30" in decision.reply


async def test_one_yes_books_both_pets() -> None:
    message = (
        "can i bring biscuit for his booster and pepper for a nail trim on sat? biscuit at 10 and "
        "pepper 10:30 if poss"
    )
    proposed = await decide(message)

    decision = await decide(
        "yes both pls", pending=waiting(proposed), history=[message, proposed.reply]
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert "Biscuit" in decision.reply and "Pepper" in decision.reply


async def test_pets_on_record_listed_in_lower_case_are_read_the_same() -> None:
    decision = await decide(
        "can i bring biscuit for his booster and pepper for a nail trim on sat? biscuit at 10 and "
        "pepper 10:30 if poss",
        bookings=[booked("Biscuit", at(1, 10)), booked("Pepper", at(2, 11), "grooming")],
    )

    assert changes(decision) == BISCUIT_AND_PEPPER


async def test_a_new_time_for_one_pet_of_the_proposal_in_lower_case_is_that_pets() -> None:
    message = "can i bring biscuit for his booster and pepper for a nail trim on sat at 10?"
    proposed = await decide(message)
    assert changes(proposed) == [
        ("book", "Biscuit", at(12, 10), "vaccination"),
        ("book", "Pepper", at(12, 10), "grooming"),
    ]

    decision = await decide(
        "no pepper at 11", pending=waiting(proposed), history=[message, proposed.reply]
    )

    assert changes(decision) == [
        ("book", "Biscuit", at(12, 10), "vaccination"),
        ("book", "Pepper", at(12, 11), "grooming"),
    ]


@pytest.mark.parametrize(
    "message",
    [
        "Max for his jab at 9 and Bella for a groom at 11 on friday",
        "max for his jab at 9 and bella for a groom at 11 on friday",
    ],
)
async def test_a_jab_and_a_groom_each_at_its_time(message: str) -> None:
    decision = await decide(message)

    assert changes(decision) == [
        ("book", "Max", at(11, 9), "vaccination"),
        ("book", "Bella", at(11, 11), "grooming"),
    ]


async def test_lower_case_pets_each_at_a_time_of_their_own() -> None:
    decision = await decide("rex at 10 and bella at 10:30 on friday")

    assert [(c[1], c[2]) for c in changes(decision)] == [
        ("Rex", at(11, 10)),
        ("Bella", at(11, 10, 30)),
    ]


@pytest.mark.parametrize(
    "message",
    [
        # words of English, of time or of booking where a listed pet goes are no pets
        "he's due for his booster, can i book friday at 10",
        "friday at 10 and saturday at 11",
        "book in for a checkup friday at 10 and then at 11",
        "and around 10 or say 11 on friday",
        # one word before a time is no list of pets
        "luna at 3",
        # the customer's sister brings the pet; she is no pet
        "my sister will bring him friday at 10",
    ],
)
def test_no_pet_is_read_where_none_is_named(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == []


# -- a move said with "same time" beside another pet's new booking ---------------------------------

RUFUS = booked("Rufus", at(9, 15))


@pytest.mark.parametrize(
    "message",
    [
        "rufus needs moving to thursday same time pls, and could his sister daisy have a check up "
        "straight after him at half 3?",
        "Rufus needs moving to Thursday same time please, and could his sister Daisy have a "
        "check-up straight after him at half 3?",
        "rufus needs moving to thursday same time pls, and could his sister daisy have a check up "
        "straight after him?",
        "could you move rufus to thursday, same time, and fit his sister daisy in right after?",
        "rufus to thursday same time please; daisy at half 3 for a check up",
        "rufus needs moving to thursday same time pls. his sister daisy needs a check up, half 3 "
        "if poss",
    ],
)
async def test_a_move_at_the_same_time_and_a_sister_booked_after_him(message: str) -> None:
    decision = await decide(message, bookings=[RUFUS])

    assert changes(decision) == [
        ("reschedule", "Rufus", at(10, 15), "consultation"),
        ("book", "Daisy", at(10, 15, 30), "consultation"),
    ]
    assert "Rufus's appointment to Thursday 10 December at 15:00" in decision.reply
    assert "Daisy for Thursday 10 December at 15:30" in decision.reply


async def test_straight_after_a_shorter_visit_is_when_it_ends() -> None:
    decision = await decide(
        "rufus needs moving to thursday same time pls, and could his sister daisy have a check up "
        "straight after him?",
        bookings=[booked("Rufus", at(9, 15), "vaccination")],
    )

    assert changes(decision)[1] == ("book", "Daisy", at(10, 15, 15), "consultation")


async def test_one_yep_confirms_the_move_and_the_new_booking() -> None:
    message = (
        "rufus needs moving to thursday same time pls, and could his sister daisy have a check up "
        "straight after him at half 3?"
    )
    proposed = await decide(message, bookings=[RUFUS])

    decision = await decide(
        "yep", pending=waiting(proposed), bookings=[RUFUS], history=[message, proposed.reply]
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert "Rufus is moved to Thursday 10 December at 15:00" in decision.reply
    assert "Daisy is booked for Thursday 10 December at 15:30" in decision.reply


async def test_the_new_pets_own_service_is_kept() -> None:
    decision = await decide(
        "can you move rufus to thursday at 3 and book daisy in at 4 for her jabs",
        bookings=[RUFUS],
    )

    assert changes(decision) == [
        ("reschedule", "Rufus", at(10, 15), "consultation"),
        ("book", "Daisy", at(10, 16), "vaccination"),
    ]


async def test_the_move_alone_keeps_its_own_time() -> None:
    decision = await decide("rufus needs moving to thursday same time pls", bookings=[RUFUS])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(10, 15)


async def test_a_pet_only_talked_about_is_not_booked() -> None:
    decision = await decide(
        "move rufus to thursday at 3, his sister daisy had her jab last week", bookings=[RUFUS]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Rufus", at(10, 15))


async def test_a_time_after_both_requests_is_for_both() -> None:
    decision = await decide(
        "move rufus to thursday, and book daisy in, at 4 please", bookings=[RUFUS]
    )

    assert [(c[0], c[1], c[2]) for c in changes(decision)] == [
        ("reschedule", "Rufus", at(10, 16)),
        ("book", "Daisy", at(10, 16)),
    ]
