"""A journey run and the customer's answers to messages received before it started: the
customer workflow forwards a turn's ``reply`` (``yes``, ``no``) only once the agent's answer is
out, so a run launched meanwhile gets the answer to a "Hello" written before it existed (the
race CI caught in ``test_launched_runs``). Such an answer neither ends the run under
``exit_on: replied``, nor answers its ``wait_for``, nor meets its goal; the customer's next
message does (``JourneyWorkflow._before_the_run``).

The real ``JourneyWorkflow`` on a time-skipping test server with the dry run's in-memory
activities (``operations/dry_run/fakes.py``), signalled the events the customer workflow builds
(``JourneyEvent.from_message``), so the message's time is set exactly, before or after the run's
start as Temporal recorded it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from operations.dry_run import start_environment
from operations.dry_run.fakes import FakeJourneyActivities, made_up_booking, made_up_trigger
from switchboard.journeys.schema import JourneyDefinition
from switchboard.message_templates import load_templates
from switchboard.temporal import JOURNEY_GOAL, JOURNEY_STEP, journey_workflow_id, outreach_queue
from tests.polling import eventually
from workflows.journey import JOURNEY_PATCHES, REPLIES_SINCE_START_PATCH, JourneyWorkflow
from workflows.types import JourneyEvent, JourneyInput, JourneyOutcome

CUSTOMER = "+33612345678"
TIMEZONE = "Europe/Paris"


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_environment()
    yield environment
    await environment.shutdown()


@dataclass
class Run:
    handle: WorkflowHandle[JourneyWorkflow, JourneyOutcome]
    started: datetime  # the run's start, as Temporal recorded it (UTC)
    fakes: FakeJourneyActivities


@asynccontextmanager
async def running(env: WorkflowEnvironment, definition: JourneyDefinition) -> AsyncIterator[Run]:
    """A run of ``definition`` for ``CUSTOMER`` (opted in, who wrote on WhatsApp just now), on
    its own task queue, as ``operations/dry_run/driver.py`` starts one."""
    now = await env.get_current_time()
    trigger = made_up_trigger(definition, run_id=uuid.uuid4().hex[:8], start=now)
    journey_id = journey_workflow_id(definition.name, CUSTOMER, trigger.key)
    fakes = FakeJourneyActivities(
        client=env.client,
        journey_id=journey_id,
        timezone=TIMEZONE,
        opted_in=True,
        answer_calls=True,
        booking=made_up_booking(now, TIMEZONE, confirmed=True),
        templates=load_templates(),
        last_whatsapp_inbound=now,
    )
    queue = f"replies-{uuid.uuid4()}"
    async with (
        Worker(
            env.client,
            task_queue=queue,
            workflows=[JourneyWorkflow],
            activities=fakes.activities(),
            # A bug in the workflow code fails the run here, instead of retrying its task.
            workflow_failure_exception_types=[Exception],
        ),
        Worker(env.client, task_queue=outreach_queue(queue), activities=fakes.activities()),
    ):
        handle = await env.client.start_workflow(
            JourneyWorkflow.run,
            JourneyInput(
                definition=definition,
                version=definition.version,
                customer=CUSTOMER,
                trigger=trigger,
                # As an audience launch starts it: no marker for these (operations/launch.py).
                patches=list(JOURNEY_PATCHES),
            ),
            id=journey_id,
            task_queue=queue,
        )
        started = (await handle.describe()).start_time
        assert started is not None
        yield Run(handle=handle, started=started, fakes=fakes)


def journey(
    name: str,
    steps: Mapping[str, object],
    *,
    start: str,
    exit_on: list[str],
    goal: Mapping[str, str] | None = None,
) -> JourneyDefinition:
    return JourneyDefinition.model_validate(
        {
            "name": name,
            "trigger": {"event": "audience"},
            "policies": {"quiet_hours": None, "exit_on": exit_on},
            "start": start,
            "steps": steps,
            **({"goal": goal} if goal is not None else {}),
        }
    )


def answer(kind: str, received_at: datetime) -> JourneyEvent:
    """The event a customer's turn forwards for a message received at ``received_at``."""
    data = {"intent": "other", "channel": "whatsapp"} if kind == "reply" else {}
    return JourneyEvent.from_message(kind, received_at, data)


async def step(run: Run) -> str | None:
    return (await run.handle.describe()).typed_search_attributes.get(JOURNEY_STEP)


async def patch_markers(env: WorkflowEnvironment, run: Run) -> list[str]:
    """The patch IDs of the run's recorded patch markers (``{"id": …, "deprecated": …}``)."""
    history = await run.handle.fetch_history()
    ids: list[str] = []
    for e in history.events:
        marker = e.marker_recorded_event_attributes
        if (
            e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
            and marker.marker_name == "core_patch"
        ):
            [data] = await env.client.data_converter.decode(marker.details["patch-data"].payloads)
            ids.append(data["id"])
    return ids


WAIT_A_DAY = journey(
    "wait-a-day",
    {
        "wait": {"kind": "wait", "duration": "24h", "next": "message"},
        "message": {"kind": "send_whatsapp", "text": "Hello again", "next": "done"},
        "done": {"kind": "end"},
    },
    start="wait",
    exit_on=["replied", "stop"],
)


@pytest.mark.parametrize("kind", ["reply", "yes", "no"])
async def test_an_answer_to_a_message_received_before_the_run_does_not_end_it(
    env: WorkflowEnvironment, kind: str
) -> None:
    async with running(env, WAIT_A_DAY) as run:
        await run.handle.signal(
            JourneyWorkflow.event, answer(kind, run.started - timedelta(seconds=1))
        )
        await env.sleep(timedelta(hours=1))
        described = await run.handle.describe()
        assert described.status == WorkflowExecutionStatus.RUNNING, "ended by an earlier message"
        assert await step(run) == "wait"

        # The customer writes again, after the run started: that one is an answer to it.
        await run.handle.signal(JourneyWorkflow.event, answer(kind, await env.get_current_time()))
        outcome = await run.handle.result()

        assert (outcome.status, outcome.reason) == ("exited", f"replied ({kind})")
        assert outcome.trail == ["wait"] and run.fakes.outbound == []
        assert await patch_markers(env, run) == [REPLIES_SINCE_START_PATCH]
        # The new side replays: the marker and the ignored signal in the same places.
        replayer = Replayer(workflows=[JourneyWorkflow], data_converter=env.client.data_converter)
        await replayer.replay_workflow(await run.handle.fetch_history())


async def test_an_answer_at_the_runs_start_and_after_it_counts_without_a_patch_marker(
    env: WorkflowEnvironment,
) -> None:
    async with running(env, WAIT_A_DAY) as run:
        await run.handle.signal(JourneyWorkflow.event, answer("reply", run.started))
        outcome = await run.handle.result()

        assert (outcome.status, outcome.reason) == ("exited", "replied (reply)")
        assert await patch_markers(env, run) == [], "a run that ignores nothing records no marker"


async def test_an_answer_to_a_message_received_before_the_run_answers_nothing_in_it(
    env: WorkflowEnvironment,
) -> None:
    """A run that writes at once, then waits for a reply, branches on its intent and counts a
    reply as its goal: the earlier message's reply, forwarded after the run's message went out,
    is no reply to it; the customer's next message is."""
    definition = journey(
        "ask-at-once",
        {
            "message": {"kind": "send_whatsapp", "text": "Hello again", "next": "wait_reply"},
            "wait_reply": {
                "kind": "wait_for",
                "event": "reply",
                "timeout": "1h",
                "next": "intent",
                "on_timeout": "no_reply",
            },
            "intent": {
                "kind": "branch",
                "on": "reply.intent",
                "cases": {"other": "answered"},
                "default": "no_reply",
            },
            "answered": {"kind": "end"},
            "no_reply": {"kind": "end"},
        },
        start="message",
        exit_on=["stop"],
        goal={"event": "customer_replied", "within": "7d"},
    )
    async with running(env, definition) as run:
        await eventually(lambda: step(run), lambda s: s == "wait_reply")
        assert len(run.fakes.outbound) == 1

        await run.handle.signal(
            JourneyWorkflow.event, answer("reply", run.started - timedelta(seconds=1))
        )
        await env.sleep(timedelta(minutes=30))
        assert await step(run) == "wait_reply", "answered by a message from before the run"
        goal = (await run.handle.describe()).typed_search_attributes.get(JOURNEY_GOAL)
        assert goal is None, "converted by a message from before the run"

        await run.handle.signal(
            JourneyWorkflow.event, answer("reply", await env.get_current_time())
        )
        outcome = await run.handle.result()

        assert outcome.status == "completed"
        assert outcome.trail == ["message", "wait_reply", "intent", "answered"]
        assert outcome.converted_at == "wait_reply"
