"""CustomerWorkflow in Temporal's time-skipping test server with fake activities registered
under the real names: confirm-before-acting rules that depend on time and on the agent."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.journey_types import JourneyStartRequest, MatchInput, RunningJourneysInput
from activities.types import (
    BookingCommit,
    BookingDetails,
    ConfirmBookingInput,
    DecideInput,
    LogMessageInput,
    SaveDraftInput,
    SendResult,
    SendWhatsAppInput,
    SetBookingStatusInput,
)
from switchboard.agent_models import AgentDecision, BookingProposal, BookingView, Channel, Intent
from switchboard.engines import start_time_skipping_server
from tests.polling import within
from workflows.actions import PENDING_ACTION_TTL
from workflows.customer import CustomerWorkflow
from workflows.customer_texts import STALE_CONFIRMATION
from workflows.journey import JourneyWorkflow
from workflows.types import CustomerInput, InboundInput, TurnResult
from workflows.unsent_replies import UNSENT_RETRY_EVERY

CUSTOMER = "+33612345678"
SLOT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_time_skipping_server(quiet=False)
    yield env
    await env.shutdown()


class FakeActivities:
    """Records every side effect; the agent proposes on "book", and on "yes" confirms the
    action ID it last saw (as a confused model might, after the offer expired)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.twilio_down = False
        self.refused_attempts = 0
        self.statuses: list[SetBookingStatusInput] = []
        self.last_seen_action: str | None = None
        self.intents: list[tuple[str, str | None]] = []  # (reply, intent) as sent and logged

    @activity.defn(name="conversation.log")
    async def log(self, input: LogMessageInput) -> int:
        return 1

    @activity.defn(name="agent.decide")
    async def decide(self, input: DecideInput) -> AgentDecision:
        if input.pending is not None:
            self.last_seen_action = input.pending.id
        if input.message.startswith("say "):
            return AgentDecision(reply=input.message.removeprefix("say "), intent=Intent.OTHER)
        if "book" in input.message:
            return AgentDecision(
                reply="I can book Tuesday 10:00. Reply YES to confirm.",
                intent=Intent.PROPOSE_BOOKING,
                proposal=BookingProposal(slot_start=SLOT, subject="your cat"),
            )
        return AgentDecision(
            reply="Done: booked.", intent=Intent.CONFIRM, action_id=self.last_seen_action
        )

    @activity.defn(name="crm.save_draft")
    async def save_draft(self, input: SaveDraftInput) -> None:
        return None

    @activity.defn(name="crm.set_booking_status")
    async def set_booking_status(self, input: SetBookingStatusInput) -> BookingView:
        self.statuses.append(input)
        return BookingView(id=input.booking_id, slot_start=SLOT, subject="cat", status=input.status)

    @activity.defn(name="crm.confirm_booking")
    async def confirm_booking(self, input: ConfirmBookingInput) -> BookingCommit:
        self.statuses.append(SetBookingStatusInput(booking_id=input.booking_id, status="confirmed"))
        return BookingCommit(ok=True)

    @activity.defn(name="crm.get_booking")
    async def get_booking(self, input: object) -> BookingDetails:
        raise AssertionError("no journey expected")

    @activity.defn(name="journey.match")
    async def match(self, input: MatchInput) -> list[JourneyStartRequest]:
        return []  # no journey files in this test

    @activity.defn(name="customer.running_journeys")
    async def running_journeys(self, input: RunningJourneysInput) -> list[str]:
        return []  # no audience launches in this test

    @activity.defn(name="whatsapp.send")
    async def send(self, input: SendWhatsAppInput) -> SendResult:
        if self.twilio_down:
            self.refused_attempts += 1
            raise ApplicationError("Twilio 503", type="ProviderUnavailable")
        self.sent.append(input.body)
        self.intents.append((input.body, input.intent))
        return SendResult(sid=f"SM{len(self.sent)}")


def message(text: str) -> InboundInput:
    return InboundInput(
        sid=f"SM{uuid.uuid4().hex}",
        channel=Channel.WHATSAPP,
        text=text,
        received_at=datetime.now(UTC),
    )


@asynccontextmanager
async def run_customer(
    client: Client, fakes: FakeActivities
) -> AsyncIterator[WorkflowHandle[CustomerWorkflow, None]]:
    queue = f"test-{uuid.uuid4()}"
    async with Worker(
        client,
        task_queue=queue,
        workflows=[CustomerWorkflow, JourneyWorkflow],
        activities=[
            fakes.log,
            fakes.decide,
            fakes.save_draft,
            fakes.set_booking_status,
            fakes.confirm_booking,
            fakes.get_booking,
            fakes.send,
            fakes.match,
            fakes.running_journeys,
        ],
    ):
        handle = await client.start_workflow(
            CustomerWorkflow.run,
            CustomerInput(e164=CUSTOMER),
            id=f"customer/{CUSTOMER}/{uuid.uuid4()}",
            task_queue=queue,
        )
        yield handle
        await handle.terminate("test over")


async def turn(handle: WorkflowHandle[CustomerWorkflow, None], msg: InboundInput) -> TurnResult:
    """One inbound turn through the Update, bounded."""
    return await within(handle.execute_update(CustomerWorkflow.inbound, msg), f"turn {msg.text!r}")


async def test_yes_after_the_offer_expired_books_nothing(skipping_env: WorkflowEnvironment) -> None:
    fakes = FakeActivities()
    async with run_customer(skipping_env.client, fakes) as handle:
        proposal = await turn(handle, message("book tuesday"))
        assert "YES" in proposal.reply
        pending = await handle.query(CustomerWorkflow.pending_action)
        assert pending is not None
        fakes.last_seen_action = pending.id

        await skipping_env.sleep(PENDING_ACTION_TTL + timedelta(minutes=1))
        late = await turn(handle, message("yes"))

        assert late.reply == STALE_CONFIRMATION
        assert fakes.statuses == [], "nothing may be committed on an expired offer"


async def test_yes_in_time_confirms_exactly_that_action(skipping_env: WorkflowEnvironment) -> None:
    fakes = FakeActivities()
    async with run_customer(skipping_env.client, fakes) as handle:
        await turn(handle, message("book tuesday"))
        pending = await handle.query(CustomerWorkflow.pending_action)
        assert pending is not None

        await skipping_env.sleep(PENDING_ACTION_TTL - timedelta(minutes=1))
        done = await turn(handle, message("yes"))

        assert done.reply == "Done: booked."
        assert [(s.booking_id, s.status) for s in fakes.statuses] == [(pending.id, "confirmed")]


async def test_replies_wait_out_a_twilio_outage_and_go_out_in_order(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = FakeActivities()
    fakes.twilio_down = True
    async with run_customer(skipping_env.client, fakes) as handle:
        # Each turn ends once its send has exhausted the activity's retries: the reply queues.
        await turn(handle, message("say first"))
        await turn(handle, message("say second"))
        assert fakes.sent == []
        assert fakes.refused_attempts >= 2

        fakes.twilio_down = False
        await skipping_env.sleep(UNSENT_RETRY_EVERY * 2)
        await turn(handle, message("say third"))

        assert fakes.sent == ["first", "second", "third"], "each once, in order"


async def test_each_reply_goes_out_with_the_agents_intent_for_the_log(
    skipping_env: WorkflowEnvironment,
) -> None:
    """The send activity logs the reply with this intent (``message.intent``): analytics
    classify handoffs by the agent's last intent."""
    fakes = FakeActivities()
    async with run_customer(skipping_env.client, fakes) as handle:
        await turn(handle, message("book tuesday"))
        await turn(handle, message("yes"))

    assert fakes.intents == [
        ("I can book Tuesday 10:00. Reply YES to confirm.", "propose_booking"),
        ("Done: booked.", "confirm"),
    ]
