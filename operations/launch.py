"""Launch a journey on an audience (a marketer's campaign).

A journey with a broadcast shape (``switchboard.journeys.broadcast``, e.g.
``journeys/outreach.yaml``), launched with the database at hand, is one ``CampaignWorkflow``
(``campaign/<name>/<campaign id>``): the members are inserted in ``campaign_member`` (a member
already there is left as it is) and the workflow is signal-with-started (``members_added``),
so a relaunch is the same campaign. The workflow sends in paced batches and starts a member's
own journey run only where the journey takes them past the broadcast (``workflows/campaign.py``).

Any other journey (or a launch without the database): the member's customer workflow is told
(signal-with-start ``journey_started``), so it forwards the run the customer's replies and STOP,
and the run ``journey/<name>/<E164>/<campaign id>`` is started here (reuse rejected). A journey
whose trigger is ``one_at_a_time`` is handed to the customer workflow instead (signal-with-start
``start_journey``), which starts the run itself or gives the trigger to the customer's running
run. Launching twice with the same campaign ID starts nobody twice. Launch speed is not the
send rate: sends are rate-limited when they happen, on the outreach task queue.

Started here rather than as the customer workflow's child, a run costs the customer workflow
one workflow task at launch instead of two (the start request, then the child's start), the
server no child start, and the run's end no child-completion event in the customer's history
(bench suite 3, 2026-12-01).

Members are enrolled a slice at a time, a few at once (``concurrency``): each start encrypts its
payload under the member's own data key (``switchboard.payload_codec``), whose first use creates
the key in Postgres on the key store's small pool; 50 at once held that pool past its 30 s
timeout under load and a 10,000-number launch died part-way (bench suite 4, 2026-12-01).
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.journey_types import JourneyStartRequest, TriggerData
from switchboard.db import campaigns
from switchboard.db.engine import Database
from switchboard.identity import InvalidPhoneNumber, normalize_e164
from switchboard.journeys.broadcast import broadcast_shape
from switchboard.journeys.schema import JourneyDefinition
from switchboard.temporal import campaign_workflow_id, customer_workflow_id, journey_workflow_id
from workflows.campaign import CampaignInput, CampaignWorkflow
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow
from workflows.journey_listens import listened_events
from workflows.types import CustomerInput, JourneyInput, JourneyRunInput


@dataclass(frozen=True)
class AudienceMember:
    """One row of an audience: an E.164 number and template variables (``trigger.<name>``)."""

    e164: str
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class LaunchReport:
    campaign_id: str
    enrolled: int = 0
    broadcast: bool = False  # one CampaignWorkflow, not a run per member
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


def parse_audience(text: str) -> tuple[list[AudienceMember], list[tuple[int, str]]]:
    """CSV with a header; the ``phone`` (or ``e164``) column is required, every other column is
    a variable. Returns the members and the rejected rows (1-based data row, reason); a number
    listed twice is enrolled once."""
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    column = next((c for c in ("phone", "e164") if c in fields), None)
    if column is None:
        return [], [(0, "the header needs a 'phone' column")]
    members: dict[str, AudienceMember] = {}
    rejected: list[tuple[int, str]] = []
    for row_number, row in enumerate(reader, start=1):
        try:
            e164 = normalize_e164(row.get(column) or "")
        except InvalidPhoneNumber as exc:
            rejected.append((row_number, str(exc)))
            continue
        variables = {k: v for k, v in row.items() if k != column and k and v is not None}
        members.setdefault(e164, AudienceMember(e164=e164, variables=variables))
    return list(members.values()), rejected


async def launch(
    client: Client,
    definition: JourneyDefinition,
    audience: list[AudienceMember],
    *,
    campaign_id: str,
    task_queue: str,
    concurrency: int = 8,
    slice_size: int = 500,
    db: Database | None = None,
) -> LaunchReport:
    """Enrol every member: as one broadcast campaign when the journey has a broadcast shape
    and ``db`` is given (module docstring), else ``slice_size`` at a time with at most
    ``concurrency`` starts in flight (keep it at or below the key store's pool, 12
    connections). Raises ``ValueError`` if the journey is not an audience journey."""
    if definition.trigger.event != "audience":
        raise ValueError(
            f"{definition.name} is triggered by {definition.trigger.event}, not an audience"
        )
    report = LaunchReport(campaign_id=campaign_id)
    if db is not None and broadcast_shape(definition) is not None:
        await _broadcast(client, db, definition, audience, campaign_id, task_queue)
        report.enrolled, report.broadcast = len(audience), True
        return report
    gate = asyncio.Semaphore(concurrency)

    async def enrol(member: AudienceMember) -> None:
        request = JourneyStartRequest(
            definition=definition,
            version=definition.version,
            trigger=TriggerData(
                event="audience",
                key=campaign_id,
                data={**member.variables, "campaign_id": campaign_id},
            ),
        )
        async with gate:
            if definition.trigger.one_at_a_time:
                await enrol_member(client, member.e164, request, task_queue)
            else:
                await start_member_run(client, member.e164, request, task_queue)
        report.enrolled += 1

    # Slices keep the coroutines in flight (and the memory they hold) bounded by the slice, not
    # the audience.
    for start in range(0, len(audience), slice_size):
        await asyncio.gather(*(enrol(m) for m in audience[start : start + slice_size]))
    return report


async def enrol_member(
    client: Client, e164: str, request: JourneyStartRequest, task_queue: str
) -> None:
    """Hand ``request`` to the member's customer workflow (signal-with-start
    ``start_journey``), which starts the run once per journey × customer × trigger key."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal="start_journey",
        start_signal_args=[request],
    )


async def start_member_run(
    client: Client, e164: str, request: JourneyStartRequest, task_queue: str
) -> None:
    """Tell the member's customer workflow about their run (signal-with-start
    ``journey_started``), then start the run ``journey/<name>/<E164>/<trigger key>`` (reuse
    rejected: once per journey × customer × trigger key, even after it ended). In this order
    the customer workflow exists before the run's first step, so a question the run asks at
    once (``offer``) has a workflow to hold it, as when the customer workflow started the run.
    A relaunch finds the run started: one still running is told about again (a launch that
    stopped between the two calls is completed), one that ended is taken back
    (``journey_ended``)."""
    definition = request.definition
    journey_id = journey_workflow_id(definition.name, e164, request.trigger.key)
    customer = await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal="journey_started",
        start_signal_args=[
            JourneyRunInput(journey_id=journey_id, listens=listened_events(definition))
        ],
    )
    try:
        await client.start_workflow(
            JourneyWorkflow.run,
            JourneyInput(
                definition=definition,
                version=request.version,
                customer=e164,
                trigger=request.trigger,
                start_at=request.start_at,
            ),
            id=journey_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            static_summary=f"{definition.name} v{request.version} for {e164}",
            static_details=definition.description,
        )
    except WorkflowAlreadyStartedError:
        described = await client.get_workflow_handle(journey_id).describe()
        if described.status != WorkflowExecutionStatus.RUNNING:
            await customer.signal(CustomerWorkflow.journey_ended, journey_id)


async def _broadcast(
    client: Client,
    db: Database,
    definition: JourneyDefinition,
    audience: list[AudienceMember],
    campaign_id: str,
    task_queue: str,
) -> None:
    """The members into ``campaign_member``, then the campaign's workflow told (started if
    it is not running: a finished campaign relaunched sends to the members it has not sent
    to, and to nobody twice)."""
    workflow_id = campaign_workflow_id(definition.name, campaign_id)
    async with db.session() as s:
        await campaigns.add_members(
            s, campaign_id=workflow_id, members=[(m.e164, m.variables) for m in audience]
        )
    await client.start_workflow(
        CampaignWorkflow.run,
        CampaignInput(definition=definition, version=definition.version, campaign_id=campaign_id),
        id=workflow_id,
        task_queue=task_queue,
        start_signal="members_added",
        static_summary=f"campaign {campaign_id}: {definition.name} v{definition.version}",
    )
