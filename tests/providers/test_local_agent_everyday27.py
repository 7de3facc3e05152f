"""The local agent on the twenty-seventh held-out set (issue 9, evals/scenarios/everyday27.yaml):
one pet of two proposed kept ("actually just Sushi for now": the other was booked too, a wrong
action; now a yes to Sushi's booking alone), "did that go through?", unnamed kittens, a name in
an all-capitals complaint, an English yes with Italian thanks, and "the only day I'm not
working". Decisions only (the set's times and typos:
tests/providers/test_local_agent_everyday27_text.py).

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction, PendingChange
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, pending, proposed

BOTH_ASKED = [
    "Could Mochi and Sushi both have their vaccinations this Saturday at 10?",
    "I can book Mochi and Sushi for Saturday 12 December at 10:00. Reply YES to confirm.",
]


def both_pending() -> PendingAction:
    return PendingAction(
        id="act-1",
        kind="several",
        slot_start=at(12, 10),
        subject="Mochi and Sushi",
        expires_at=NOW + timedelta(minutes=10),
        changes=[
            PendingChange(
                id=f"c-{n}", kind="book", subject=pet, slot_start=at(12, 10), service="vaccination"
            )
            for n, pet in enumerate(["Mochi", "Sushi"])
        ],
    )


@pytest.mark.parametrize(
    "message",
    [
        "actually just Sushi for now please, Mochi's still on antibiotics so the vet said to "
        "wait. I'll book her separately",
        "just sushi please",
        "yes, just sushi",
        "yes for sushi",
        "yes for sushi but not mochi",
    ],
)
async def test_one_pet_kept_of_two_by_name_is_confirmed_alone(message: str) -> None:
    decision = await decide(message, pending=both_pending(), history=BOTH_ASKED)

    assert decision.intent is Intent.CONFIRM
    assert decision.action_id == "act-1"
    assert decision.confirmed == ["c-1"]  # Sushi's change only: Mochi's is dropped
    assert decision.reply == "Done: Sushi is booked for Saturday 12 December at 10:00."


@pytest.mark.parametrize("message", ["leave mochi out", "no mochi isn't ready"])
async def test_one_pet_only_dropped_leaves_the_other_proposed_alone(message: str) -> None:
    decision = await decide(message, pending=both_pending(), history=BOTH_ASKED)

    assert decision.intent is Intent.PROPOSE_BOOKING  # no yes said: a yes of its own
    assert proposed(decision) == [("Sushi", at(12, 10))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


@pytest.mark.parametrize("message", ["yes", "yes both", "just sushi and mochi please"])
async def test_both_kept_is_no_narrowing(message: str) -> None:
    decision = await decide(message, pending=both_pending(), history=BOTH_ASKED)

    assert decision.intent is not Intent.PROPOSE_BOOKING


@pytest.mark.parametrize("message", ["yes for sushi and mochi", "yes please, both sushi and mochi"])
async def test_a_yes_naming_them_all_confirms_them_all(message: str) -> None:
    decision = await decide(message, pending=both_pending(), history=BOTH_ASKED)

    assert decision.intent is Intent.CONFIRM


async def test_a_yes_with_a_remark_about_one_is_no_narrowing() -> None:
    decision = await decide(
        "yes please mochi is booked in for surgery later so that's fine",
        pending=both_pending(),
        history=BOTH_ASKED,
    )

    assert decision.intent is not Intent.PROPOSE_BOOKING


async def test_did_that_go_through_reads_the_booking_back() -> None:
    decision = await decide(
        "sorry did that go through? my phone died right after I said yes",
        bookings=[booked("Max", at(9, 11))],
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "Wednesday 9 December at 11:00" in decision.reply


async def test_unnamed_kittens_are_booked_as_the_kittens() -> None:
    decision = await decide(
        "hello! I've got 2 kittens who need their first vaccinations, can I bring them both in "
        "on wednesday at 10?"
    )

    assert proposed(decision) == [("your kittens", at(9, 10))]


async def test_a_yes_said_last_after_a_remark_confirms() -> None:
    decision = await decide(
        "they haven't got names yet 😂 just put kittens. yes please book them both",
        pending=pending(slot=at(9, 10), subject="your kittens"),
    )

    assert decision.intent is Intent.CONFIRM


async def test_a_yes_said_last_after_a_refusal_is_no_yes() -> None:
    decision = await decide(
        "hmm I'd rather not. yes I know it's short notice",
        pending=pending(slot=at(8, 10), subject="your cat"),
    )

    assert decision.intent is not Intent.CONFIRM


async def test_a_name_in_capitals_where_a_pet_goes() -> None:
    decision = await decide(
        "I HAVE RUNG THREE TIMES SINCE YOU OPENED AND NOBODY PICKS UP!!! THIS IS RIDICULOUS. I "
        "NEED BRUNO SEEN TOMORROW AT 11, HIS EAR IS ALL RED AND HE WON'T STOP SHAKING HIS HEAD. "
        "CAN YOU DO IT OR NOT"
    )

    assert proposed(decision) == [("Bruno", at(8, 11))]


async def test_an_english_yes_with_italian_thanks_confirms() -> None:
    decision = await decide(
        "yes perfetto, grazie!", pending=pending(slot=at(10, 16), subject="Pippo")
    )

    assert decision.intent is Intent.CONFIRM


async def test_the_only_day_not_working_is_a_request_for_it() -> None:
    decision = await decide(
        "is there any chance of sunday at 11 for Bailey? it's the only day I'm not working"
    )

    assert decision.intent is Intent.CLARIFY
    assert "closed on Sundays" in decision.reply
