"""A campaign launched on an audience, as its members live it. ``journeys/outreach.yaml`` as
shipped has a broadcast shape, so a launch with the database (as the API and the console launch)
is one ``CampaignWorkflow``: each opted-in member gets the campaign's message exactly once
(launched in slices, launched twice, a number listed twice), a member who opts out after the
launch but before their message gets none (consent is read at send time), nobody is messaged
during quiet hours (deferred, then sent when they end), a member without an opt-in is called
by a run of their own, and after the 48 h wait a member who replied is left to the
conversation while one who did not is called. A journey without the shape still gets a run per
member. In Temporal's time-skipping test server with the real worker, activities, Postgres and
the fake Twilio."""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from operations.launch import AudienceMember, launch, parse_audience
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.journeys.loader import load_file
from switchboard.journeys.schema import Goal
from switchboard.message_templates import load_templates
from switchboard.payload_codec import decode_json
from switchboard.settings import Settings
from switchboard.temporal import campaign_workflow_id
from tests.conftest import HISTORIES
from tests.journeys.timeskip import JourneyStack, journey_stack, time_skipping_server
from tests.polling import eventually
from workflows.campaign import CampaignWorkflow
from workflows.customer import CustomerWorkflow

OUTREACH = load_file(JOURNEYS_DIR / "outreach.yaml")
CHECKUP = load_templates()["checkup_reminder"].content_sid
PARIS = ZoneInfo("Europe/Paris")
TUESDAY = 1
# Activities before a send (gate, render) run in real time while the clock stands still.
SLACK = timedelta(seconds=30)


@pytest.fixture
async def stack(db: Database, settings: Settings) -> AsyncIterator[JourneyStack]:
    shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
    async with time_skipping_server() as env, journey_stack(env, db, shipped) as s:
        yield s


def tuesday_at(after: datetime, at: time) -> datetime:
    """The first Tuesday ``at`` (Paris) after ``after``, in UTC."""
    day = after.astimezone(PARIS).date()
    for offset in range(8):
        candidate = datetime.combine(day + timedelta(days=offset), at, tzinfo=PARIS)
        if candidate.weekday() == TUESDAY and candidate > after:
            return candidate.astimezone(UTC)
    raise AssertionError("unreachable: a weekday recurs within 8 days")


async def all_sent(stack: JourneyStack, numbers: list[str]) -> dict[str, int]:
    """Messages the fake Twilio accepted per member."""
    return {e164: len(await stack.messages(e164)) for e164 in numbers}


def campaign(stack: JourneyStack, campaign_id: str) -> WorkflowHandle[CampaignWorkflow, object]:
    return stack.client.get_workflow_handle_for(
        CampaignWorkflow.run, campaign_workflow_id("outreach", campaign_id)
    )


async def members(stack: JourneyStack, campaign_id: str) -> dict[str, CampaignMember]:
    """The campaign's members as Postgres holds them, by number."""
    async with stack.db.session() as s:
        rows = await s.exec(
            select(CampaignMember).where(
                col(CampaignMember.campaign_id) == campaign_workflow_id("outreach", campaign_id)
            )
        )
        return {m.e164: m for m in rows.all()}


async def record(stack: JourneyStack, handle: WorkflowHandle[Any, Any]) -> None:
    """Save the workflow's history, decrypted, for tests/replay when
    SWITCHBOARD_RECORD_HISTORIES is set (this server is the test's own, which the conftest's
    recorder does not see)."""
    if not os.environ.get("SWITCHBOARD_RECORD_HISTORIES"):
        return
    codec = stack.client.data_converter.payload_codec
    assert codec is not None
    description = await handle.describe()
    readable = json.loads((await handle.fetch_history()).to_json())
    await decode_json(codec, readable)
    kind = description.workflow_type
    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{kind}-{handle.id}-{description.run_id}")
    (HISTORIES / f"{name.strip('-')}.json").write_text(json.dumps(readable))


async def launch_outreach(
    stack: JourneyStack, audience: list[AudienceMember], campaign_id: str, **kwargs: int
) -> None:
    report = await launch(
        stack.client,
        OUTREACH,
        audience,
        campaign_id=campaign_id,
        task_queue=stack.task_queue,
        db=stack.db,
        **kwargs,
    )
    assert report.broadcast, "outreach.yaml goes as one broadcast"


async def test_each_member_gets_the_message_once_even_launched_twice(
    stack: JourneyStack,
) -> None:
    numbers = [f"+3361234{i:04d}" for i in range(7)]
    for e164 in numbers:
        await stack.consent(e164, purpose="marketing")
    await stack.skip_to(tuesday_at(await stack.now(), time(10, 0)))
    # A CSV that lists one number twice, in another spelling: one member.
    csv = (
        "phone,first_name\n" + "\n".join(f"{n},Ana" for n in numbers) + "\n+33 6 12 34 00 00,Ana\n"
    )
    audience, rejected = parse_audience(csv)
    assert rejected == [] and len(audience) == len(numbers)

    await launch_outreach(stack, audience, "autumn")
    # Launched again, with a row listed twice as the launch receives it: still one member each.
    await launch_outreach(stack, [*audience, audience[0]], "autumn")

    await eventually(lambda: all_sent(stack, numbers), lambda s: all(n >= 1 for n in s.values()))
    found = await eventually(
        lambda: members(stack, "autumn"),
        lambda m: all(r.state == "sent" for r in m.values()),
    )
    assert sorted(found) == sorted(numbers)
    assert await all_sent(stack, numbers) == {n: 1 for n in numbers}, "exactly one message each"
    for e164 in numbers:
        [message] = await stack.messages(e164)
        assert message["content_sid"] == CHECKUP
    await eventually(
        lambda: campaign(stack, "autumn").query(CampaignWorkflow.progress),
        lambda p: p == {"sent": len(numbers), "waiting": len(numbers)},
    )
    # No workflow per member: nobody's own journey run was started.
    for e164 in numbers:
        with pytest.raises(RPCError) as missing:
            await stack.journey("outreach", e164, "autumn").describe()
        assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_quiet_hours_defer_the_send_and_a_member_who_opts_out_meanwhile_gets_nothing(
    stack: JourneyStack,
) -> None:
    stays, leaves = "+33612350001", "+33612350002"
    for e164 in (stays, leaves):
        await stack.consent(e164, purpose="marketing")
    launched_at = tuesday_at(await stack.now(), time(22, 0))  # quiet hours: 21:00-08:00
    await stack.skip_to(launched_at)
    audience = [AudienceMember(e164, {"first_name": "Ana"}) for e164 in (stays, leaves)]
    await launch_outreach(stack, audience, "night")
    deferred = await eventually(
        lambda: members(stack, "night"),
        lambda m: len(m) == 2 and all(r.state == "deferred" for r in m.values()),
    )
    morning = launched_at + timedelta(hours=10)  # 08:00 Paris the next day
    assert {r.due_at for r in deferred.values()} == {morning}
    assert await stack.messages(stays) == [] and await stack.messages(leaves) == []

    await stack.consent(leaves, purpose="marketing", status="opted_out")
    await stack.skip_to(launched_at + timedelta(hours=10, minutes=30))  # 08:30 Wednesday

    [message] = await stack.wait_messages(stays, 1)
    assert message["content_sid"] == CHECKUP
    after = await eventually(
        lambda: members(stack, "night"), lambda m: m[leaves].state != "deferred"
    )
    sent_at = after[stays].sent_at
    assert sent_at is not None and morning <= sent_at < morning + SLACK, "held until 08:00"
    assert after[leaves].state == "skipped", "the opt-out is read at send time"
    assert await stack.messages(leaves) == []
    batches = await stack.history(
        campaign(stack, "night"), EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    )
    assert len(batches) >= 2, "one batch at launch, one when quiet hours ended"


async def test_after_the_wait_who_replied_is_left_alone_and_the_others_are_called(
    stack: JourneyStack,
) -> None:
    replies, silent, never_opted_in = "+33612360001", "+33612360002", "+33612360003"
    for e164 in (replies, silent):
        await stack.consent(e164, purpose="marketing")
    launched_at = tuesday_at(await stack.now(), time(10, 0))
    await stack.skip_to(launched_at)
    audience = [AudienceMember(e, {"pet_name": "Rex"}) for e in (replies, silent, never_opted_in)]
    await launch_outreach(stack, audience, "spring")

    await stack.wait_messages(replies, 1)
    await stack.wait_messages(silent, 1)
    # No WhatsApp opt-in: the journey's branch calls them instead, in a run of their own.
    await stack.wait_calls(never_opted_in, 1)
    await stack.started(stack.journey("outreach", never_opted_in, "spring"))

    await stack.skip(timedelta(hours=1))
    await stack.whatsapp(replies, "Thanks, I'll think about it")
    await stack.skip_to(launched_at + timedelta(hours=48, minutes=5))  # Thursday 10:05

    [call] = await stack.wait_calls(silent, 1)
    assert call["to"] == silent
    run = await stack.started(stack.journey("outreach", silent, "spring"))
    [placed_at] = await stack.scheduled_at(run, "voice.place_call")
    assert placed_at >= launched_at + timedelta(hours=48), "called once the 48 h were over"
    states = await eventually(
        lambda: members(stack, "spring"), lambda m: m[replies].state == "replied"
    )
    assert states[silent].state == "handed_over" and states[silent].note == "call"
    assert states[never_opted_in].state == "handed_over"
    assert await stack.calls(replies) == [], "a member who replied is not called"
    assert len(await stack.messages(silent)) == 1
    # The workflow counts once the follow-up activity has returned.
    await eventually(
        lambda: campaign(stack, "spring").query(CampaignWorkflow.progress),
        lambda p: p == {"sent": 2, "handed_over": 1, "replied": 1, "followed_up": 1, "waiting": 0},
    )
    await record(stack, campaign(stack, "spring"))


async def test_a_journey_without_the_broadcast_shape_runs_per_member(
    stack: JourneyStack,
) -> None:
    e164 = "+33612370001"
    await stack.consent(e164, purpose="marketing")
    await stack.skip_to(tuesday_at(await stack.now(), time(10, 0)))
    # With a goal: not a broadcast (conversions are counted per run).
    goal = Goal(event="booking_confirmed", within=timedelta(days=7))
    definition = OUTREACH.model_copy(update={"goal": goal})
    report = await launch(
        stack.client,
        definition,
        [AudienceMember(e164, {})],
        campaign_id="plain",
        task_queue=stack.task_queue,
        db=stack.db,
    )
    assert not report.broadcast
    run = await stack.started(stack.journey("outreach", e164, "plain"))
    await stack.at_step(run, "wait_reply")
    assert len(await stack.messages(e164)) == 1
    assert await members(stack, "plain") == {}
    # The launch started the run itself (no child of the customer workflow) and told the
    # customer workflow, which forwards the reply: the conversation takes over.
    parent = (await run.describe()).raw_description.workflow_execution_info.parent_execution
    assert parent.workflow_id == ""
    assert run.id in await stack.customer(e164).query(CustomerWorkflow.running_journeys)
    await stack.whatsapp(e164, "Tuesday works for me")
    outcome = await stack.outcome(run)
    assert (outcome.status, outcome.reason) == ("exited", "replied (reply)")
    await eventually(
        lambda: stack.customer(e164).query(CustomerWorkflow.running_journeys),
        lambda running: run.id not in running,
    )
    await record(stack, stack.customer(e164))
