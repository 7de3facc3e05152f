"""The shipped journeys on visits and silence, end to end in Temporal's time-skipping test
server: the no-show follow-up, the review request, the annual recall and the win-back. Visits
come from the practice's own system (``POST /events``), as in production; replies go through the
customer workflow and the rule-based agent. Assertions are on what the customer got (the fake
Twilio), when (the run's history) and how each run ended.

With SWITCHBOARD_RECORD_HISTORIES=1 the runs' histories are saved for the replay tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from switchboard.db.engine import Database
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.journeys.schema import ONE_AT_A_TIME_KEY
from switchboard.journeys.split import choose_branch
from switchboard.settings import Settings
from switchboard.temporal import JOURNEY_BRANCH, JOURNEY_GOAL
from tests.journeys.test_appointment_reminder import record
from tests.journeys.test_journeys_e2e import (
    BOOK_FELIX,
    CUSTOMER,
    FRIDAY,
    PARIS,
    due,
    next_local,
    paris,
)
from tests.journeys.timeskip import JourneyStack, journey_stack, time_skipping_server
from tests.polling import eventually


@pytest.fixture
async def stack(db: Database, settings: Settings) -> AsyncIterator[JourneyStack]:
    env: WorkflowEnvironment
    async with time_skipping_server() as env:
        shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
        async with journey_stack(env, db, shipped) as s:
            yield s


async def post_event(stack: JourneyStack, event: str, data: dict[str, str], key: str) -> None:
    """``POST /events`` as the practice's system sends it."""
    response = await stack.api.post(
        "/events",
        json={"event": event, "customer": CUSTOMER, "data": data},
        headers={
            "X-API-Key": stack.settings.api_key.get_secret_value(),
            "Idempotency-Key": key,
        },
    )
    assert response.status_code == 202, response.text


async def friday_afternoon(stack: JourneyStack) -> datetime:
    """The next Friday 15:00 in Paris, the clock moved there (UTC)."""
    friday = next_local(await stack.now(), FRIDAY, time(15, 0))
    await stack.skip_to(friday)
    return friday


async def test_a_no_show_is_offered_to_rebook_and_rebooks_by_reply(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    friday = await friday_afternoon(stack)
    missed = paris(friday, 0, time(10, 0))
    data = {"booking_id": "desk-7", "slot_start": missed.isoformat(), "subject": "Felix"}
    await post_event(stack, "visit_no_show", data, "desk-7-no-show")
    run = await stack.started(stack.journey("no-show-followup", CUSTOMER, "desk-7"))

    [offer] = await stack.wait_messages(CUSTOMER, 1)
    assert "We missed Felix on Friday" in str(offer["body"]) and "rebook" in str(offer["body"])
    assert offer.get("content_sid") == "HX00000000000000000000000000000007"  # never wrote

    proposal = await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    assert "Tuesday" in proposal.reply
    await stack.whatsapp(CUSTOMER, "Yes")
    outcome = await stack.outcome(run)
    assert outcome.status == "completed"
    assert outcome.trail == ["offer", "rebooked", "done"]  # no handoff
    # The journey's goal (a booking within 7 days of the offer), counted in `journeys runs`.
    assert outcome.converted_at == "rebooked"
    attributes = (await run.describe()).typed_search_attributes
    assert attributes.get(JOURNEY_GOAL) == "converted"
    await record(run)


async def test_a_no_show_who_does_not_rebook_goes_to_a_person(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    friday = await friday_afternoon(stack)
    data = {"booking_id": "desk-8", "slot_start": paris(friday, 0, time(9, 0)).isoformat()}
    await post_event(stack, "visit_no_show", data, "desk-8-no-show")
    run = await stack.started(stack.journey("no-show-followup", CUSTOMER, "desk-8"))
    await stack.wait_messages(CUSTOMER, 1)
    await stack.skip(timedelta(days=3, minutes=1))
    await stack.at_step(run, "goal")  # after the handoff, listening for a booking until day 7
    await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    await stack.whatsapp(CUSTOMER, "Yes")
    outcome = await stack.outcome(run)
    assert outcome.trail == ["offer", "rebooked", "human", "done"]
    assert outcome.converted_at == "done"  # booked after the person's call: still counted
    assert due(await stack.scheduled_at(run, "journey.handoff"), friday + timedelta(days=3))


async def test_the_review_request_comes_the_morning_after_the_visit(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    friday = await friday_afternoon(stack)
    visit = {"visit_id": "v-1", "visited_at": friday.isoformat(), "subject": "Felix"}
    await post_event(stack, "visit_completed", visit, "v-1")
    run = await stack.started(stack.journey("review-request", CUSTOMER, "v-1"))

    saturday_10 = paris(friday, 1, time(10, 0))
    await stack.skip_to(saturday_10 - timedelta(minutes=5))
    assert await stack.messages(CUSTOMER) == []
    await stack.skip_to(saturday_10 + timedelta(minutes=1))
    [ask] = await stack.wait_messages(CUSTOMER, 1)
    assert "Thank you for coming in with Felix yesterday" in str(ask["body"])
    assert due(await stack.scheduled_at(run, "whatsapp.send"), saturday_10)
    assert (await stack.outcome(run)).trail == ["wait", "ask", "done"]
    await record(run)


async def test_the_recall_is_dated_from_the_last_vaccination(stack: JourneyStack) -> None:
    """Two vaccinations two months apart: the first recall ends (superseded), the second
    comes 11 months after the later visit, at 10:00; a nail trim in between changes nothing."""
    await stack.consent(CUSTOMER)
    friday = await friday_afternoon(stack)
    first = {"visit_id": "v-10", "visited_at": friday.date().isoformat(), "subject": "Felix"}
    await post_event(stack, "visit_completed", {**first, "service": "vaccination"}, "v-10")
    old = await stack.started(stack.journey("annual-recall", CUSTOMER, "v-10"))

    trim_day = friday + timedelta(days=30)
    await stack.skip_to(trim_day)
    trim = {"visit_id": "v-11", "visited_at": trim_day.isoformat(), "service": "nails"}
    await post_event(stack, "visit_completed", {**trim, "subject": "Felix"}, "v-11")
    rex = {"visit_id": "v-12", "visited_at": trim_day.isoformat(), "subject": "Rex"}
    await post_event(stack, "visit_completed", {**rex, "service": "vaccination"}, "v-12")
    await stack.started(stack.journey("annual-recall", CUSTOMER, "v-12"))
    assert await stack.step(old) == "wait"  # another service, another pet: still waiting

    later = friday + timedelta(days=61)
    await stack.skip_to(later)
    second = {"visit_id": "v-13", "visited_at": later.isoformat(), "subject": "Felix"}
    await post_event(stack, "visit_completed", {**second, "service": "checkup"}, "v-13")
    new = await stack.started(stack.journey("annual-recall", CUSTOMER, "v-13"))
    await stack.at_step(old, "exited")  # the clock stands still meanwhile

    due_at = months_later_at_10(later, 11)
    await stack.skip_to(due_at + timedelta(minutes=1))
    felix = [m for m in await stack.messages(CUSTOMER) if "Felix's last" in str(m["body"])]
    assert len(felix) == 1 and "Felix's last checkup" in str(felix[0]["body"])
    assert due(await stack.scheduled_at(new, "whatsapp.send"), due_at)
    outcome = await stack.outcome(old)
    assert outcome.status == "exited" and outcome.reason.startswith("superseded")
    await record(new)


def months_later_at_10(instant: datetime, months: int) -> datetime:
    """10:00 in Paris on the local date ``months`` calendar months after ``instant``'s (UTC)."""
    local_day = instant.astimezone(PARIS).date() + relativedelta(months=months)
    return datetime.combine(local_day, time(10, 0), tzinfo=PARIS).astimezone(UTC)


async def test_the_win_back_comes_six_months_after_the_last_message(stack: JourneyStack) -> None:
    """Three messages a day apart: one run, whose wait moves to six months after the last one
    (10:00 local), and one invitation. The customer workflow starts the run once and signals it
    once per later message: no child per message, no ``reply`` for a run that ignores it. A
    message after the invitation starts the next run (the run continues as new once its goal
    window has closed), and a message after that run has ended starts another."""
    await stack.consent(CUSTOMER, purpose="marketing")
    friday = await friday_afternoon(stack)
    await stack.whatsapp(CUSTOMER, "Hello, are you open on Saturdays?")
    run = await stack.started(stack.journey("win-back", CUSTOMER, ONE_AT_A_TIME_KEY))
    first_run = (await run.describe()).run_id
    for day in (1, 2):
        await stack.skip_to(friday + timedelta(days=day))
        await stack.whatsapp(CUSTOMER, "Hello again, what are your opening hours?")
    last = friday + timedelta(days=2)

    customer = stack.customer(CUSTOMER)
    assert await win_back_children(stack) == 1  # the 2nd and 3rd message started nothing
    # Told from a local activity (patch journeys-told-locally): counted where they land.
    signals = await stack.history(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
    to_run = [
        e for e in signals if e.workflow_execution_signaled_event_attributes.signal_name == "event"
    ]
    assert len(to_run) == 2  # one per later message (customer_replied); no `reply` events

    before = len(await stack.messages(CUSTOMER))
    await stack.skip_to(months_later_at_10(friday, 6) + timedelta(minutes=1))  # the first's date
    assert len(await stack.messages(CUSTOMER)) == before
    due_at = months_later_at_10(last, 6)
    await stack.skip_to(due_at - timedelta(minutes=5))
    assert len(await stack.messages(CUSTOMER)) == before
    await stack.skip_to(due_at + timedelta(minutes=1))
    messages = await stack.wait_messages(CUSTOMER, before + 1)
    # The split: this customer always gets the same one of the two texts.
    branch = choose_branch("win-back", "texts", CUSTOMER, ["visit", "checkup"], None)
    invite, sid = {
        "visit": ("invite", "HX00000000000000000000000000000010"),
        "checkup": ("invite_checkup", "HX00000000000000000000000000000011"),
    }[branch]
    assert messages[-1].get("content_sid") == sid
    assert due(await stack.scheduled_at(run, "whatsapp.send"), due_at)
    assert (await run.describe()).typed_search_attributes.get(JOURNEY_BRANCH) == f"texts:{branch}"

    # A message after the invitation: the run keeps listening for its goal (14 days), then
    # continues as new, waiting six months from that message.
    await stack.skip(timedelta(days=1))
    replied = await stack.now()
    await stack.whatsapp(CUSTOMER, "Thanks, what are your opening hours?")
    await stack.skip(timedelta(days=14))
    await eventually(lambda: run.describe(), lambda d: d.run_id != first_run)
    first = stack.client.get_workflow_handle(run.id, run_id=first_run)
    assert (await first.describe()).status == WorkflowExecutionStatus.CONTINUED_AS_NEW
    assert len(await invitations(stack)) == 1
    assert await win_back_children(stack) == 1

    again_at = months_later_at_10(replied, 6)
    await stack.skip_to(again_at + timedelta(minutes=1))
    await eventually(lambda: invitations(stack), lambda sent: len(sent) == 2)
    assert due(await stack.scheduled_at(run, "whatsapp.send"), again_at)
    result = await stack.outcome(run)  # no booking within the goal's 14 days
    assert result.trail == ["wait", "texts", invite, "done"]
    assert result.branch == f"texts:{branch}" and result.converted_at is None
    second_run = (await run.describe()).run_id

    # The run has ended: the customer's next message starts a new one (same workflow ID).
    await stack.whatsapp(CUSTOMER, "Hello, are you open on Saturdays?")
    assert await win_back_children(stack) == 2
    third = await run.describe()
    assert third.run_id != second_run and third.status == WorkflowExecutionStatus.RUNNING
    await record(first, stack.client.get_workflow_handle(run.id, run_id=second_run), customer)


async def invitations(stack: JourneyStack) -> list[dict[str, object]]:
    """The win-back invitations the customer got (either text of the split)."""
    templates = {"HX00000000000000000000000000000010", "HX00000000000000000000000000000011"}
    return [m for m in await stack.messages(CUSTOMER) if m.get("content_sid") in templates]


async def win_back_children(stack: JourneyStack) -> int:
    """How many win-back runs the customer workflow started."""
    started = await stack.history(
        stack.customer(CUSTOMER), EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
    )
    return sum(
        e.start_child_workflow_execution_initiated_event_attributes.workflow_id.startswith(
            "journey/win-back/"
        )
        for e in started
    )
