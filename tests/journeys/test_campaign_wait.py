"""An audience journey that waits before its one message, launched as a marketer launches it:
one ``CampaignWorkflow`` holds every member's wait in Postgres (no run, no timer per member).
Nobody is messaged before their wait ends; then each opted-in member gets the message once
(launched twice), a member who wrote during the wait gets none (``exit_on: replied``), nor one
who opted out meanwhile (consent read at send time); a member without an opt-in is called by a
run of their own at once; a wait until a local time ends at that time in the member's zone;
a paused campaign sends nothing when waits end until resumed. In Temporal's time-skipping test
server with the real worker, activities, Postgres and the fake Twilio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlmodel import col, select
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from operations.launch import AudienceMember, launch
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.journeys.loader import JourneyYamlLoader
from switchboard.journeys.schema import JourneyDefinition
from switchboard.message_templates import load_templates
from switchboard.settings import Settings
from switchboard.temporal import campaign_workflow_id
from tests.journeys.test_campaign_launch import record, tuesday_at
from tests.journeys.timeskip import JourneyStack, journey_stack, time_skipping_server
from tests.polling import eventually
from workflows.campaign import CampaignWorkflow

PARIS = ZoneInfo("Europe/Paris")
CHECKUP = load_templates()["checkup_reminder"].content_sid
# As bench/journeys/bench-outreach-wait.yaml, but members without an opt-in are called.
REMINDER = """
name: checkup-wait
description: Opt-in-gated check-up reminder a day after the launch.
trigger:
  event: audience
policies:
  purpose: marketing
  quiet_hours: null
  exit_on: [replied, stop]
start: opted_in
steps:
  opted_in:
    kind: branch
    on: consent.whatsapp
    cases:
      "yes": wait
      "no": call
      opted_out: done
  wait:
    kind: wait
    duration: 24h
    next: message
  message:
    kind: send_whatsapp
    text: "Hi {{ trigger.first_name | default('there') }}, your pet is due a check-up."
    template:
      name: checkup_reminder
      variables:
        "1": "{{ trigger.first_name | default('there') }}"
        "2": "your pet"
    on_skip: done
    next: done
  call:
    kind: place_call
    opening: "Hello, this is {{ business.name }}. Your pet is due a check-up."
    goal: "Offer a check-up appointment."
    on_skip: done
    next: done
  done:
    kind: end
"""
WAITING = "waiting_to_send"


def reminder(**wait: object) -> JourneyDefinition:
    raw = yaml.load(REMINDER, Loader=JourneyYamlLoader)  # noqa: S506 - a SafeLoader subclass
    if wait:
        raw["steps"]["wait"] = {"kind": "wait", "next": "message", **wait}
    return JourneyDefinition.model_validate(raw)


@pytest.fixture
async def stack(db: Database, settings: Settings) -> AsyncIterator[JourneyStack]:
    shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
    async with time_skipping_server() as env, journey_stack(env, db, shipped) as s:
        yield s


async def launch_reminder(
    stack: JourneyStack, definition: JourneyDefinition, numbers: list[str], campaign_id: str
) -> None:
    report = await launch(
        stack.client,
        definition,
        [AudienceMember(e164, {"first_name": "Ana"}) for e164 in numbers],
        campaign_id=campaign_id,
        task_queue=stack.task_queue,
        db=stack.db,
    )
    assert report.broadcast, "a wait then one message goes as one broadcast"


def campaign(
    stack: JourneyStack, definition: JourneyDefinition, campaign_id: str
) -> WorkflowHandle[CampaignWorkflow, object]:
    return stack.client.get_workflow_handle_for(
        CampaignWorkflow.run, campaign_workflow_id(definition.name, campaign_id)
    )


async def members(
    stack: JourneyStack, definition: JourneyDefinition, campaign_id: str
) -> dict[str, CampaignMember]:
    async with stack.db.session() as s:
        rows = await s.exec(
            select(CampaignMember).where(
                col(CampaignMember.campaign_id)
                == campaign_workflow_id(definition.name, campaign_id)
            )
        )
        return {m.e164: m for m in rows.all()}


async def reminders(stack: JourneyStack, numbers: list[str]) -> dict[str, int]:
    """The campaign's messages per member (not the agent's replies to a member who wrote)."""
    found = {}
    for e164 in numbers:
        sent = await stack.messages(e164)
        found[e164] = sum(
            1 for m in sent if m["content_sid"] == CHECKUP or "check-up" in str(m["body"] or "")
        )
    return found


async def test_members_wait_together_and_only_those_still_in_get_the_message(
    stack: JourneyStack,
) -> None:
    silent, replies, leaves, never_opted_in = (f"+3361238000{i}" for i in range(1, 5))
    opted_in = [silent, replies, leaves]
    everyone = [*opted_in, never_opted_in]
    for e164 in opted_in:
        await stack.consent(e164, purpose="marketing")
    definition = reminder()
    launched_at = tuesday_at(await stack.now(), time(10, 0))  # the call goes in opening hours
    await stack.skip_to(launched_at)
    await launch_reminder(stack, definition, everyone, "day")
    await launch_reminder(stack, definition, everyone, "day")  # launched twice: one campaign

    waiting = await eventually(
        lambda: members(stack, definition, "day"),
        lambda m: all(m[n].state == WAITING for n in opted_in),
    )
    for e164 in opted_in:
        due = waiting[e164].due_at
        assert due is not None and launched_at + timedelta(hours=24) <= due
        assert due < launched_at + timedelta(hours=24) + timedelta(minutes=5)
    # No opt-in: the branch calls them now, in a journey run of their own.
    await stack.wait_calls(never_opted_in, 1)
    await stack.started(stack.journey(definition.name, never_opted_in, "day"))
    await eventually(
        lambda: campaign(stack, definition, "day").query(CampaignWorkflow.progress),
        lambda p: p == {WAITING: 3, "handed_over": 1},
    )

    await stack.skip(timedelta(hours=1))
    await stack.whatsapp(replies, "Is Tuesday possible?")
    await stack.consent(leaves, purpose="marketing", status="opted_out")
    await stack.skip_to(launched_at + timedelta(hours=23, minutes=55))
    assert await reminders(stack, everyone) == dict.fromkeys(everyone, 0), "nobody before 24 h"

    await stack.skip_to(launched_at + timedelta(hours=24, minutes=10))
    [message] = await stack.wait_messages(silent, 1)
    assert message["content_sid"] == CHECKUP
    after = await eventually(
        lambda: members(stack, definition, "day"),
        lambda m: all(m[n].state != WAITING for n in opted_in),
    )
    sent_at, due = after[silent].sent_at, waiting[silent].due_at
    assert after[silent].state == "sent" and sent_at is not None and due is not None
    assert sent_at >= due, "not sent before the wait ended"
    assert (after[replies].state, after[replies].note) == ("replied", "replied")
    assert after[leaves].state == "skipped", "the opt-out is read at send time"
    await eventually(
        lambda: campaign(stack, definition, "day").query(CampaignWorkflow.progress),
        lambda p: p == {WAITING: 0, "handed_over": 1, "sent": 1, "exited": 1, "skipped": 1},
    )
    await campaign(stack, definition, "day").result()
    await record(stack, campaign(stack, definition, "day"))

    await launch_reminder(stack, definition, everyone, "day")  # relaunched after it ended
    await eventually(
        lambda: campaign(stack, definition, "day").query(CampaignWorkflow.progress),
        lambda p: p.get(WAITING) == 0,
    )
    assert await reminders(stack, everyone) == {
        silent: 1,
        replies: 0,
        leaves: 0,
        never_opted_in: 0,
    }, "exactly one message, to the one member still in"
    for e164 in opted_in:  # their waits were rows, not runs
        with pytest.raises(RPCError) as missing:
            await stack.journey(definition.name, e164, "day").describe()
        assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_a_wait_until_a_local_time_ends_then_and_a_paused_campaign_waits_for_resume(
    stack: JourneyStack,
) -> None:
    paris, new_york = "+33612381001", "+12125550101"
    for e164 in (paris, new_york):
        await stack.consent(e164, purpose="marketing")
    definition = reminder(until={"time": "09:30", "business_day": False})
    now = await stack.now()
    await launch_reminder(stack, definition, [paris, new_york], "morning")
    waiting = await eventually(
        lambda: members(stack, definition, "morning"),
        lambda m: len(m) == 2 and all(r.state == WAITING for r in m.values()),
    )
    for e164, zone in ((paris, PARIS), (new_york, ZoneInfo("America/New_York"))):
        due = waiting[e164].due_at
        assert due is not None and now < due <= now + timedelta(days=1, minutes=5)
        assert due.astimezone(zone).time() == time(9, 30), "09:30 where the member lives"
    first = min(r.due_at for r in waiting.values() if r.due_at is not None)
    second = max(r.due_at for r in waiting.values() if r.due_at is not None)

    handle = campaign(stack, definition, "morning")
    await handle.signal(CampaignWorkflow.pause)
    await stack.skip_to(first + timedelta(minutes=1))
    assert await reminders(stack, [paris, new_york]) == {paris: 0, new_york: 0}, "paused"
    await handle.signal(CampaignWorkflow.resume)
    early = paris if waiting[paris].due_at == first else new_york
    await stack.wait_messages(early, 1)
    late = new_york if early == paris else paris
    assert await reminders(stack, [late]) == {late: 0}, "the other wait is not over"
    await stack.skip_to(max(second, await stack.now()) + timedelta(minutes=1))
    await stack.wait_messages(late, 1)
    found = await eventually(
        lambda: members(stack, definition, "morning"),
        lambda m: all(r.state == "sent" for r in m.values()),
    )
    for e164, row in found.items():
        assert row.sent_at is not None and row.due_at is None
        assert row.sent_at >= waiting[e164].due_at.astimezone(UTC), e164  # type: ignore[union-attr]
    assert await reminders(stack, [paris, new_york]) == {paris: 1, new_york: 1}
