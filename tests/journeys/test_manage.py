"""Journey runs through the Temporal client: found by their search attributes, paused, resumed
and cancelled. Real Temporal dev server, real activities (the harness)."""

from __future__ import annotations

import uuid

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from operations import manage
from operations.launch import AudienceMember, launch
from operations.manage import InvalidJourneyName, JourneyRun
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.temporal import campaign_workflow_id
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMERS = ("+33612345678", "+33698765432")
NEW_CUSTOMERS = ("+33611112222", "+33633334444")  # no earlier test's messages to them


async def launch_outreach(h: Harness, task_queue: str) -> str:
    """Launch outreach for both customers (opted in to marketing); returns the campaign ID."""
    for e164 in CUSTOMERS:
        await h.opt_in(e164, purpose="marketing")
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    report = await launch(
        h.temporal,
        load_file(DEFAULT_DIR / "outreach.yaml"),
        [AudienceMember(e164=e, variables={"first_name": "Alex"}) for e in CUSTOMERS],
        campaign_id=campaign,
        task_queue=task_queue,
    )
    assert report.enrolled == 2
    return campaign


async def campaign_runs(
    client: Client, campaign: str, status: manage.RunStatus = "running"
) -> list[JourneyRun]:
    runs = await manage.list_runs(client, "outreach", status=status)
    return [r for r in runs if r.workflow_id.endswith(f"/{campaign}")]


async def signals(client: Client, workflow_id: str) -> list[str]:
    names = []
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            names.append(event.workflow_execution_signaled_event_attributes.signal_name)
    return names


def test_the_query_names_the_journey_status_and_customer() -> None:
    assert manage.runs_query("outreach") == (
        'JourneyName = "outreach" AND ExecutionStatus = "Running"'
    )
    assert manage.runs_query("outreach", status="all", customer="+33612345678") == (
        'JourneyName = "outreach" AND CustomerPhone = "+33612345678"'
    )
    assert 'ExecutionStatus = "Canceled"' in manage.runs_query("outreach", status="canceled")


@pytest.mark.parametrize("name", ['x" OR 1=1', "Outreach", ""])
def test_a_name_that_is_not_a_slug_never_reaches_the_query(name: str) -> None:
    with pytest.raises(InvalidJourneyName):
        manage.runs_query(name)


def test_a_customer_that_is_not_e164_never_reaches_the_query() -> None:
    with pytest.raises(ValueError, match="E.164"):
        manage.runs_query("outreach", customer='+33" OR "1"="1')


async def test_runs_are_listed_by_search_attributes(harness: Harness, task_queue: str) -> None:
    definition = load_file(DEFAULT_DIR / "outreach.yaml")
    campaign = await launch_outreach(harness, task_queue)

    runs = await eventually(
        lambda: campaign_runs(harness.temporal, campaign),
        lambda r: len(r) == 2 and all(x.step not in (None, "opted_in") for x in r),
    )
    assert {r.customer for r in runs} == set(CUSTOMERS)
    for run in runs:
        assert run.version == definition.version
        assert run.status == "RUNNING"
        # The template goes out at once, or at 08:00 if this runs during quiet hours.
        assert run.step in ("message", "wait_reply")
        assert run.channel == "whatsapp"
        assert run.workflow_id == f"journey/outreach/{run.customer}/{campaign}"

    one = await manage.list_runs(harness.temporal, "outreach", customer=CUSTOMERS[1])
    assert [r.customer for r in one if r.workflow_id.endswith(campaign)] == [CUSTOMERS[1]]


async def test_pause_resume_and_cancel_reach_every_running_run(
    harness: Harness, task_queue: str
) -> None:
    campaign = await launch_outreach(harness, task_queue)
    runs = await eventually(
        lambda: campaign_runs(harness.temporal, campaign), lambda r: len(r) == 2
    )

    assert await manage.pause(harness.temporal, "outreach") == 2
    assert await manage.resume(harness.temporal, "outreach") == 2
    for run in runs:
        # A signal that arrives during a workflow task is written to history after it.
        workflow_id = run.workflow_id
        await eventually(
            lambda: signals(harness.temporal, workflow_id),  # noqa: B023 - awaited at once
            lambda s: s == ["pause", "resume"],
        )

    assert await manage.cancel(harness.temporal, "outreach") == 2
    cancelled = await eventually(
        lambda: campaign_runs(harness.temporal, campaign, "canceled"), lambda r: len(r) == 2
    )
    assert {r.status for r in cancelled} == {"CANCELED"}
    assert await campaign_runs(harness.temporal, campaign) == []
    assert await manage.pause(harness.temporal, "outreach") == 0


async def events_of(client: Client, workflow_id: str) -> list[EventType.ValueType]:
    return [
        e.event_type async for e in client.get_workflow_handle(workflow_id).fetch_history_events()
    ]


async def test_a_campaign_launched_while_its_journey_is_paused_sends_once_resumed(
    harness: Harness, task_queue: str
) -> None:
    h = harness
    await h.opt_in(*NEW_CUSTOMERS, purpose="marketing")
    # Earlier tests' runs of outreach may still run: counts are not asserted.
    await manage.pause(h.temporal, "outreach", db=h.db, by="Mia")
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    await launch(
        h.temporal,
        load_file(h.settings.journeys_dir / "outreach.yaml"),  # round the clock: sends at once
        [AudienceMember(e164=e, variables={"first_name": "Alex"}) for e in NEW_CUSTOMERS],
        campaign_id=campaign,
        task_queue=task_queue,
        db=h.db,
    )
    workflow_id = campaign_workflow_id("outreach", campaign)

    # Its first workflow task done: a campaign launched running schedules its first batch there.
    first = await eventually(
        lambda: events_of(h.temporal, workflow_id),
        lambda e: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED in e,
    )
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in first
    assert not [m for m in await h.sandbox_messages() if m["to"] in to_both()]

    # Resume reaches the runs visibility lists (a moment after their start).
    await eventually(
        lambda: manage.list_runs(h.temporal, "outreach"),
        lambda runs: workflow_id in {r.workflow_id for r in runs},
    )
    assert await manage.resume(h.temporal, "outreach", db=h.db) >= 1
    await eventually(h.sandbox_messages, lambda sent: {m["to"] for m in sent} >= to_both())


def to_both() -> set[str]:
    return {f"whatsapp:{e}" for e in NEW_CUSTOMERS}
