"""Events the product observes itself start journeys without ``POST /events``: a person handing
a conversation back in the console (``handoff_closed``) and a message Twilio could not deliver
(``message_failed``, from the status callback). Time-skipping Temporal, real Postgres, the
fake Twilio, the rule-based agent (docs/journey-events.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from operations.handoff import close, hand_back
from operations.product_events import connected, hand_over, journeys_use
from switchboard.db.engine import Database
from switchboard.db.models import Handoff
from switchboard.settings import Settings
from tests.journeys.timeskip import JourneyStack, journey_stack, time_skipping_server
from tests.polling import eventually

CUSTOMER = "+33612340077"
AFTER_HANDOFF = """
name: after-handoff
description: Once a person has dealt with the customer, check the question was sorted.
trigger:
  event: handoff_closed
policies:
  purpose: service
start: ask
steps:
  ask:
    kind: send_whatsapp
    text: "Was everything sorted with {{ trigger.queue }}? Reply here any time."
    next: done
  done:
    kind: end
"""
UNREACHABLE = """
name: unreachable
description: A message that never reached the customer goes to the front desk.
trigger:
  event: message_failed
  when: {error_code: ["30003", "30008"]}
policies:
  purpose: service
start: desk
steps:
  desk:
    kind: handoff
    queue: unreachable
    note: "WhatsApp message {{ trigger.message_sid }} failed ({{ trigger.error_code }})"
    next: done
  done:
    kind: end
"""


@pytest.fixture
async def stack(db: Database, settings: Settings, tmp_path: Path) -> AsyncIterator[JourneyStack]:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "after-handoff.yaml").write_text(AFTER_HANDOFF)
    (journeys / "unreachable.yaml").write_text(UNREACHABLE)
    env: WorkflowEnvironment
    async with (
        time_skipping_server() as env,
        journey_stack(env, db, settings.model_copy(update={"journeys_dir": journeys})) as s,
    ):
        yield s


async def handoffs(stack: JourneyStack, queue: str) -> list[Handoff]:
    async with stack.db.session() as s:
        rows = await s.exec(
            select(Handoff).where(Handoff.customer_e164 == CUSTOMER, Handoff.queue == queue)
        )
        return list(rows.all())


async def test_handing_a_conversation_back_starts_the_follow_up_once(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    await stack.whatsapp(CUSTOMER, "I want to talk to a real person")
    [opened] = await eventually(lambda: handoffs(stack, "agent"), lambda rows: len(rows) == 1)

    await hand_back(stack.client, CUSTOMER, "Ana", stack.task_queue)
    assert await close(stack.client, stack.db, CUSTOMER, stack.task_queue) == [opened.key]
    run = await stack.started(stack.journey("after-handoff", CUSTOMER, opened.key))
    assert (await stack.outcome(run)).status == "completed"
    bodies = [str(m["body"]) for m in await stack.messages(CUSTOMER)]
    assert sum("Was everything sorted with agent?" in b for b in bodies) == 1

    # Handing back again closes nothing and follows up on nothing.
    assert await close(stack.client, stack.db, CUSTOMER, stack.task_queue) == []
    again = [str(m["body"]) for m in await stack.messages(CUSTOMER)]
    assert sum("Was everything sorted" in b for b in again) == 1


async def test_an_undelivered_message_goes_to_the_front_desk(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    await stack.whatsapp(CUSTOMER, "how much is a checkup?")
    [reply] = await stack.messages(CUSTOMER)
    callback = {
        "MessageSid": str(reply["sid"]),
        "MessageStatus": "undelivered",
        "ErrorCode": "30008",
        "To": f"whatsapp:{CUSTOMER}",
    }

    for _ in range(2):  # Twilio may call twice: the repeat changes nothing
        answered = await stack.sim.post_webhook("/twilio/status/message", callback)
        assert answered.status_code == 204, answered.text
    run = await stack.started(stack.journey("unreachable", CUSTOMER, str(reply["sid"])))
    assert (await stack.outcome(run)).status == "completed"
    # The same report handed over again (a retried hand-over): one event, no second run.
    data = {"message_sid": str(reply["sid"]), "error_code": "30008"}
    assert await hand_over(
        connected(stack.client),
        stack.task_queue,
        customer=CUSTOMER,
        event="message_failed",
        about=str(reply["sid"]),
        data=data,
    )
    await stack.whatsapp(CUSTOMER, "thanks")  # a turn after it: the event was processed

    [desk] = await handoffs(stack, "unreachable")
    assert f"WhatsApp message {reply['sid']} failed (30008)" in desk.note


def test_delivery_reports_are_handed_over_only_when_a_journey_reads_them(tmp_path: Path) -> None:
    (tmp_path / "unreachable.yaml").write_text(UNREACHABLE)
    assert journeys_use(tmp_path, "message_failed")
    assert not journeys_use(tmp_path, "message_delivered")
    (tmp_path / "seen.yaml").write_text(
        UNREACHABLE.replace("name: unreachable", "name: seen")
        .replace("event: message_failed", "event: message_delivered")
        .replace('  when: {error_code: ["30003", "30008"]}\n', "")
        .replace(" ({{ trigger.error_code }})", "")
    )
    assert journeys_use(tmp_path, "message_delivered")  # a new file is read at once
