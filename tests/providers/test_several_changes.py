"""Several changes in one message, confirmed by one yes (issue 9, "several pets in one
message"): what the local agent proposes and how it reads the answers, and the same contract
held by the OpenAI adapter's checks. Decisions only: tests/workflows/test_several_changes.py
commits them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from switchboard.agent_models import (
    AgentDecision,
    Intent,
    PendingAction,
    PendingChange,
    change_id,
    pending_changes,
)
from switchboard.availability import Busy
from switchboard.providers.openai_agent import OpenAIAgent, render_context
from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import serve
from tests.providers import test_local_agent_everyday as local
from tests.providers import test_openai_agent as openai

MAX_WED, BELLA_THU = local.at(9, 10), local.at(10, 15)
BOOKED = [local.booking("Max", MAX_WED, "bk-max"), local.booking("Bella", BELLA_THU, "bk-bella")]


def changes_of(decision: AgentDecision) -> list[tuple[str | None, str, object]]:
    return [(p.kind, p.subject, p.slot_start) for p in decision.proposals]


def pending_of(decision: AgentDecision, action_id: str = "act-1") -> PendingAction:
    """The pending action the workflow makes of a ``PROPOSE_CHANGES`` decision."""
    changes = pending_changes(action_id, decision.proposals)
    return PendingAction(
        id=action_id,
        kind="several",
        slot_start=changes[0].slot_start,
        subject="Max, Bella",
        expires_at=local.NOW + timedelta(minutes=10),
        changes=changes,
    )


# -- the local agent: proposals ----------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    ["book Max and Bella for tuesday at 10", "Max and Bella both need a checkup, tuesday 10am?"],
)
async def test_two_pets_at_one_time_get_a_booking_each(message: str) -> None:
    decision = await local.decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert changes_of(decision) == [
        ("book", "Max", local.at(8, 10)),
        ("book", "Bella", local.at(8, 10)),
    ]
    assert "Max and Bella for Tuesday 8 December at 10:00" in decision.reply


async def test_two_pets_at_one_time_without_room_for_both_are_offered_other_times() -> None:
    # The profile sees two at once; someone else already has one place at 10:00.
    taken = Busy(booking_id="other", start=local.at(8, 10), end=local.at(8, 10, 30))

    decision = await local.decide("book Max and Bella for tuesday at 10", busy=[taken])

    assert decision.intent is Intent.CLARIFY and not decision.proposals
    assert decision.reply.startswith("For Bella: Sorry, Tuesday 8 December at 10:00")
    assert "I can offer" in decision.reply


async def test_two_pets_at_two_times_are_read_back_in_one_message() -> None:
    decision = await local.decide("book Max at 10 and Bella at 11 on Friday")

    assert changes_of(decision) == [
        ("book", "Max", local.at(11, 10)),
        ("book", "Bella", local.at(11, 11)),
    ]
    assert decision.reply == (
        "I can book Max for Friday 11 December at 10:00 and Bella for Friday 11 December at "
        "11:00. Reply YES to confirm."
    )


@pytest.mark.parametrize(
    "message",
    ["cancel both", "please cancel all my appointments", "cancel Max and Bella's appointments"],
)
async def test_cancel_both_proposes_every_booking_meant(message: str) -> None:
    decision = await local.decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.booking_id) for p in decision.proposals] == [
        ("cancel", "bk-max"),
        ("cancel", "bk-bella"),
    ]


async def test_cancel_without_saying_which_still_asks() -> None:
    decision = await local.decide("I need to cancel my appointment", bookings=BOOKED)

    assert decision.intent is Intent.CLARIFY and not decision.proposals


async def test_move_both_to_friday_keeps_each_time() -> None:
    decision = await local.decide("can we move both to friday?", bookings=BOOKED)

    assert [(p.kind, p.booking_id, p.slot_start) for p in decision.proposals] == [
        ("reschedule", "bk-max", local.at(11, 10)),
        ("reschedule", "bk-bella", local.at(11, 15)),
    ]


async def test_more_than_four_changes_are_not_proposed_at_once() -> None:
    pets = ["Max", "Bella", "Rex", "Nala", "Kovu"]
    booked = [local.booking(p, local.at(9 + i, 10), f"bk-{p}") for i, p in enumerate(pets)]

    decision = await local.decide("cancel all of them", bookings=booked)

    assert decision.intent is Intent.CLARIFY and not decision.proposals


# -- the local agent: answers to a proposal of several ------------------------------------------


@pytest.fixture
async def two_times() -> PendingAction:
    return pending_of(await local.decide("book Max at 10 and Bella at 11 on Friday"))


@pytest.mark.parametrize("message", ["yes", "yes both", "👍"])
async def test_one_yes_confirms_every_change(two_times: PendingAction, message: str) -> None:
    decision = await local.decide(message, pending=two_times)

    assert (decision.intent, decision.action_id) == (Intent.CONFIRM, "act-1")
    assert decision.reply == (
        "Done: Max is booked for Friday 11 December at 10:00 and Bella is booked for Friday 11 "
        "December at 11:00."
    )


async def test_no_declines_the_whole_proposal(two_times: PendingAction) -> None:
    decision = await local.decide("no", pending=two_times)

    assert (decision.intent, decision.action_id) == (Intent.DECLINE, "act-1")


async def test_a_correction_naming_one_pet_changes_only_its_time(two_times: PendingAction) -> None:
    decision = await local.decide("no, Bella at 12", pending=two_times)

    assert changes_of(decision) == [
        ("book", "Max", local.at(11, 10)),
        ("book", "Bella", local.at(11, 12)),
    ]


async def test_a_new_day_for_all_keeps_each_time(two_times: PendingAction) -> None:
    decision = await local.decide("actually can we do saturday instead", pending=two_times)

    assert changes_of(decision) == [
        ("book", "Max", local.at(12, 10)),
        ("book", "Bella", local.at(12, 11)),
    ]


async def test_a_new_time_for_one_of_two_times_asks_which(two_times: PendingAction) -> None:
    decision = await local.decide("make it 5pm instead", pending=two_times)

    assert decision.intent is Intent.CLARIFY and not decision.proposals
    assert "Max" in decision.reply and "Bella" in decision.reply


# -- the OpenAI adapter: the same contract --------------------------------------------------------


def change(kind: str, slot_start: str, subject: str, booking_id: str | None = None) -> dict:
    return {
        "kind": kind,
        "slot_start": slot_start,
        "subject": subject,
        "service": None,
        "booking_id": booking_id,
    }


@pytest.fixture
def fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI(api_key=openai.KEY)
    with serve(fake.app) as url:
        yield fake, url


async def test_openai_expresses_several_changes_through_its_schema(
    fake_openai: tuple[FakeOpenAI, str],
) -> None:
    server, url = fake_openai
    server.reply_with(
        openai.decision(
            "propose_changes",
            "I can cancel Felix's vaccination and book Tom at 11:00. Reply YES to confirm.",
            proposals=[
                change("cancel", "2025-03-11T10:00:00+01:00", "Felix", "bk_2"),
                change("book", "2025-03-11T11:00:00+01:00", "Tom"),
            ],
        )
    )
    agent = OpenAIAgent(openai.KEY, model=openai.MODEL, base_url=f"{url}/v1", timeout_s=30)

    result = await agent.decide(openai.context(message="cancel Felix's jab and book Tom at 11"))
    await agent.aclose()

    assert result.intent is Intent.PROPOSE_CHANGES
    assert [(p.kind, p.booking_id, p.slot_start) for p in result.proposals] == [
        ("cancel", "bk_2", openai.TUESDAY_10),
        ("book", None, datetime(2025, 3, 11, 10, 0, tzinfo=UTC)),
    ]


def test_openai_changes_are_checked_and_read_back() -> None:
    raw = openai.decision(
        "propose_changes",
        "I can book Felix at 11:00 and Tom at 11:30. Reply YES to confirm.",
        proposals=[
            change("book", "2025-03-11T11:00:00+01:00", "Felix"),
            change("book", "2025-03-11T11:30:00+01:00", "Tom"),
        ],
    )

    result = openai.checked(raw)

    assert result.intent is Intent.PROPOSE_CHANGES and result.proposal is None
    assert [(p.kind, p.subject, p.service, p.said) for p in result.proposals] == [
        ("book", "Felix", "consultation", "Tuesday 11 March at 11:00"),
        ("book", "Tom", "consultation", "Tuesday 11 March at 11:30"),
    ]


def test_openai_two_pets_at_one_time_need_room_for_both() -> None:
    # The test profile sees one at a time.
    raw = openai.decision(
        "propose_changes",
        proposals=[
            change("book", "2025-03-11T11:00:00+01:00", "Felix"),
            change("book", "2025-03-11T11:00:00+01:00", "Tom"),
        ],
    )

    result = openai.checked(raw)

    assert result.intent is Intent.CLARIFY and not result.proposals
    assert result.reply.startswith("For Tom: Sorry, Tuesday 11 March at 11:00 isn't possible")


@pytest.mark.parametrize(
    "proposals",
    [
        [change("cancel", "2025-03-11T10:00:00+01:00", "Felix", "bk_2")],  # only one
        [  # one booking changed twice
            change("cancel", "2025-03-11T10:00:00+01:00", "Felix", "bk_2"),
            change("reschedule", "2025-03-12T10:00:00+01:00", "Felix", "bk_2"),
        ],
        [  # a booking that is not one of the customer's upcoming ones
            change("cancel", "2025-03-11T10:00:00+01:00", "Felix", "bk_2"),
            change("cancel", "2025-02-20T10:00:00+01:00", "Felix", "bk_1"),
        ],
    ],
)
def test_openai_changes_that_do_not_fit_become_clarify(proposals: list[dict]) -> None:
    result = openai.checked(openai.decision("propose_changes", proposals=proposals))

    assert result.intent is Intent.CLARIFY and not result.proposals


def test_openai_stray_changes_of_a_single_proposal_are_dropped() -> None:
    raw = {**openai.PROPOSAL, "proposals": [change("book", "2025-03-11T11:00:00+01:00", "Tom")]}

    result = openai.checked(raw)

    assert result.intent is Intent.PROPOSE_BOOKING and result.proposals == []


def test_openai_sees_each_change_of_a_pending_proposal() -> None:
    pending = PendingAction(
        id="act-9",
        kind="several",
        slot_start=openai.TUESDAY_10,
        subject="Felix, Tom",
        expires_at=openai.NOW + timedelta(minutes=10),
        changes=[
            PendingChange(
                id=change_id("act-9", 0),
                kind="cancel",
                slot_start=openai.TUESDAY_10,
                subject="Felix",
                booking_id="bk_2",
            ),
            PendingChange(
                id=change_id("act-9", 1),
                kind="book",
                slot_start=openai.TUESDAY_10 + timedelta(hours=1),
                subject="Tom",
            ),
        ],
    )

    sent = json.loads(render_context(openai.context(pending=pending)))

    assert [(c["kind"], c["subject"], c["slot_start"]) for c in sent["pending"]["changes"]] == [
        ("cancel", "Felix", "2025-03-11T10:00+01:00"),
        ("book", "Tom", "2025-03-11T11:00+01:00"),
    ]


def test_a_single_change_pending_action_from_before_still_loads() -> None:
    # Workflow state carried across continue-as-new by a run from before several changes.
    old = PendingAction.model_validate(
        {"id": "a", "subject": "Max", "expires_at": "2026-12-07T09:00:00Z", "kind": "book"}
    )
    assert old.changes == []
