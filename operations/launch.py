"""Launch a journey on an audience (a marketer's campaign).

A journey with a broadcast shape (``switchboard.journeys.broadcast``, e.g.
``journeys/outreach.yaml``, or ``bench/journeys/bench-outreach-wait.yaml`` whose members wait a
day before their message), launched with the database at hand, is one ``CampaignWorkflow``
(``campaign/<name>/<campaign id>``): the members are inserted in ``campaign_member`` (a member
already there is left as it is) and the workflow is signal-with-started (``members_added``),
so a relaunch is the same campaign. The workflow sends in paced batches and starts a member's
own journey run only where the journey takes them past the broadcast (``workflows/campaign.py``).

Any other journey (or a launch without the database): the run ``journey/<name>/<E164>/<campaign
id>`` is started here (reuse rejected), its search attributes set on the start, and the member's
customer workflow is told (``journey_started``) only if it is running: after each slice's starts
one visibility query per 100 members finds the running ones, where a signal per member was a
round trip to Temporal for a NOT_FOUND from nearly all of them. A journey whose trigger is
``one_at_a_time`` is handed to the customer workflow instead (signal-with-start
``start_journey``), which starts the run itself or gives the trigger to the customer's running
run. Launching twice with the same campaign ID starts nobody twice. Launch speed is not the send
rate: sends are rate-limited when they happen, on the outreach task queue.

No customer workflow per member: one started per member (signal-with-start) cost a workflow
start, a workflow task and 10 history events for a workflow with nothing to do until the
customer writes. Without it, and with the run's search attributes set on its start, a member
costs one workflow start, one workflow task and 10 events (22 before) up to a 24 h timer, and
122 ms of CPU across Temporal (51) and the worker (68), against 194 ms (85, 104) (bench suite 3,
2,000 runs, 2026-12-01, on a loaded machine). With the first consent branch read with the
profile (one local activity, ``workflows/journey.py``): 9 events, and 100 ms (Temporal 46,
worker 54) against 112 (47, 66) in the same conditions. A customer workflow that starts later
reads the customer's running runs from Temporal's visibility before it first forwards an event
(``workflows/journey_router.py``); a run starts the customer workflow itself before its first
question or call (``activities/customer_link.py``). The limit: a customer workflow started by a
message within the visibility store's indexing delay after the run's start (milliseconds on the
dev server, about a second on Elasticsearch) does not see that run, which then does not hear
that message. A Temporal service that cannot list workflows (the time-skipping test server) gets
the customer workflow told first, as before (``start_member_run``). The run's input lists the
journey workflow's patches (``JourneyInput.patches``), so it records no marker for them: 7
events up to the timer, not 9.

Members are enrolled a slice at a time, a few at once (``concurrency``): each start encrypts its
payload under the member's own data key (``switchboard.payload_codec``), read or created for
``2 × concurrency`` members at a time in one transaction just before their starts
(``KeyStore.prepare``). One per member, on the key store's pool of two connections, cost a
transaction or a locked read each and timed out under load (50 at once past its 30 s, bench
suite 4; 8 at once past 5 s on a loaded machine, suite 3, 2026-12-01).
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from activities.journey_types import (
    AskCustomerInput,
    JoinCustomerInput,
    JourneyStartRequest,
    TriggerData,
)
from switchboard.db import campaigns, journey_pauses
from switchboard.db.engine import Database
from switchboard.identity import InvalidPhoneNumber, read_typed_number
from switchboard.journeys.broadcast import broadcast_shape
from switchboard.journeys.schema import JourneyDefinition
from switchboard.payload_codec import EncryptionCodec
from switchboard.temporal import (
    CUSTOMER_PHONE,
    campaign_workflow_id,
    customer_workflow_id,
    journey_search_attributes,
    journey_workflow_id,
)
from workflows.campaign import CampaignInput, CampaignWorkflow
from workflows.customer import CustomerWorkflow
from workflows.journey import JOURNEY_PATCHES, JourneyWorkflow
from workflows.journey_listens import listened_events
from workflows.types import CustomerInput, JourneyInput, JourneyRunInput, OfferInput


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


@dataclass(frozen=True)
class HeaderProblem:
    """Why an audience's header refuses the whole CSV: ``column`` is the one it lacks
    (``phone``, or a column the journey cannot run without), ``reason`` says so in words."""

    column: str
    reason: str


def read_audience(text: str) -> csv.DictReader[str]:
    """The CSV's rows as dicts, read as spreadsheets write it: a leading BOM (Excel's "CSV
    UTF-8") dropped, and the delimiter of its header line (``,``, ``;`` — Excel's in locales
    whose decimal mark is a comma, as in France — or a tab), found by ``csv.Sniffer``."""
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:  # one column, or nothing to tell by
        delimiter = ","
    # Only the delimiter is taken from the sniff: its quoting guesses, from a header with no
    # quotes, would misread a quoted value's "" (Excel's way to write a quote).
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def phone_column(fields: Sequence[str]) -> str | None:
    """The header's number column: ``phone`` (or ``e164``), in any case, spaces around."""
    by_name = {f.strip().lower(): f for f in fields if f}
    return next((by_name[c] for c in ("phone", "e164") if c in by_name), None)


def header_problem(fields: Sequence[str], needs: Mapping[str, str] | None) -> HeaderProblem | None:
    """What the header lacks (``parse_audience``'s rules), or None when it has it all."""
    if phone_column(fields) is None:
        return HeaderProblem("phone", "the header needs a 'phone' column")
    for needed, why in (needs or {}).items():
        if needed not in fields:
            return HeaderProblem(needed, header_needs(needed, why))
    return None


def parse_audience(
    text: str, needs: Mapping[str, str] | None = None, *, region: str | None = None
) -> tuple[list[AudienceMember], list[tuple[int, str]]]:
    """CSV with a header (``read_audience``); the ``phone`` (or ``e164``) column is required,
    every other column is a variable. ``needs``: the columns the journey cannot run without,
    each with why (``switchboard.journeys.trigger_checks.audience_columns``): missing from the
    header, the whole CSV is refused; empty in a row, that row is rejected. ``region``: the
    country a number without ``+`` is read in (``switchboard.identity.read_typed_number``;
    None: every number needs its ``+`` country code). Returns the members and the rejected
    rows (1-based data row, reason; a header problem is row 0, alone, ``header_problem``
    says which column); a number listed twice is enrolled once."""
    reader = read_audience(text)
    fields = reader.fieldnames or []
    problem = header_problem(fields, needs)
    if problem is not None:
        return [], [(0, problem.reason)]
    column = phone_column(fields)
    members: dict[str, AudienceMember] = {}
    rejected: list[tuple[int, str]] = []
    for row_number, row in enumerate(reader, start=1):
        try:
            e164 = read_typed_number(row.get(column or "") or "", region)
        except InvalidPhoneNumber as exc:
            rejected.append((row_number, str(exc)))
            continue
        variables = {k: v for k, v in row.items() if k != column and k and v is not None}
        missing = missing_variable(variables, needs)
        if missing is not None:
            rejected.append((row_number, missing))
            continue
        members.setdefault(e164, AudienceMember(e164=e164, variables=variables))
    return list(members.values()), rejected


def header_needs(column: str, why: str) -> str:
    """The reason a CSV without ``column`` is refused."""
    return f"the header needs a {column!r} column ({why})"


def missing_variable(variables: Mapping[str, str], needs: Mapping[str, str] | None) -> str | None:
    """Why a member without one of the needed values cannot be enrolled; None when it has all
    of them. A run without them would end or fail at that step, having sent nothing."""
    for needed, why in (needs or {}).items():
        if not (variables.get(needed) or "").strip():
            return f"no {needed} ({why})"
    return None


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
    connections). With ``db``, a journey paused now (``journey_pause``) enrols every member
    paused: their runs (or the campaign) wait until the journey is resumed. Raises
    ``ValueError`` if the journey is not an audience journey."""
    if definition.trigger.event != "audience":
        raise ValueError(
            f"{definition.name} is triggered by {definition.trigger.event}, not an audience"
        )
    report = LaunchReport(campaign_id=campaign_id)
    if not audience:  # every row rejected: a campaign workflow of nobody would be a stray run
        return report
    held = False
    if db is not None:
        async with db.session() as s:
            held = await journey_pauses.paused(s, journey=definition.name) is not None
    if db is not None and broadcast_shape(definition) is not None:
        await _broadcast(client, db, definition, audience, campaign_id, task_queue, paused=held)
        report.enrolled, report.broadcast = len(audience), True
        return report
    gate = asyncio.Semaphore(concurrency)
    lists_runs = await lists_workflows(client)
    listens = listened_events(definition)

    # The members' payload keys, read or created a few at a time just before their starts
    # (``_prepare_keys``): a key read more than a second earlier would be read again.
    prepared: dict[int, asyncio.Task[None]] = {}
    batch = 2 * concurrency

    async def keys_ready(members: list[AudienceMember], index: int) -> None:
        first = index - index % batch
        if first not in prepared:
            chunk = members[first : first + batch]
            prepared[first] = asyncio.ensure_future(_prepare_keys(client, chunk))
        await prepared[first]

    async def enrol(member: AudienceMember, ready: Awaitable[None]) -> str | None:
        """The member enrolled; their run's ID when it is new and the customer workflows that
        may have to hear of it are found by listing (``_tell_running_customers``)."""
        request = JourneyStartRequest(
            definition=definition,
            version=definition.version,
            trigger=TriggerData(
                event="audience",
                key=campaign_id,
                data={**member.variables, "campaign_id": campaign_id},
            ),
            paused=held,
        )
        started = None
        async with gate:
            await ready
            if definition.trigger.one_at_a_time:
                await enrol_member(client, member.e164, request, task_queue)
            elif lists_runs:
                started = await start_member_run(
                    client, member.e164, request, task_queue, tell_running=False
                )
            else:
                await start_member_run(
                    client, member.e164, request, task_queue, customer_finds_it=False
                )
        report.enrolled += 1
        return started

    # Slices keep the coroutines in flight (and the memory they hold) bounded by the slice, not
    # the audience.
    for start in range(0, len(audience), slice_size):
        members = audience[start : start + slice_size]
        prepared.clear()
        ids = await asyncio.gather(
            *(enrol(m, keys_ready(members, i)) for i, m in enumerate(members))
        )
        new = {m.e164: i for m, i in zip(members, ids, strict=True) if i is not None}
        await _tell_running_customers(client, new, listens, gate)
    return report


async def _prepare_keys(client: Client, members: list[AudienceMember]) -> None:
    """The members' payload data keys read or created in one go (``KeyStore.prepare``): each
    start encrypts its input under its member's key, which cost a transaction or a locked
    read per member (module docstring). Kept for ``SWITCHBOARD_PAYLOAD_KEY_RECHECK_S`` (1 s),
    so prepared a few members ahead. A client without Switchboard's codec needs none."""
    codec = client.data_converter.payload_codec
    if isinstance(codec, EncryptionCodec):
        await codec.keys.prepare([m.e164 for m in members])


# Workflow IDs per visibility query: a few KB of query text, well under the service's limits.
_LIST_CHUNK = 100


async def _tell_running_customers(
    client: Client, runs: dict[str, str], listens: list[str], gate: asyncio.Semaphore
) -> None:
    """Tell the running customer workflows among ``runs`` (E.164 → the run just started for
    them) about their run (``journey_started``), found with one visibility query per
    ``_LIST_CHUNK`` members instead of a signal per member: on a launch most members have no
    customer workflow, and each of those signals was a round trip to Temporal for a NOT_FOUND
    (module docstring). Listed after the runs started, so a customer workflow that is not
    listed started after its run did and finds it itself (``workflows/journey_router.py``),
    except one started within the visibility store's indexing delay before the list that had
    already forwarded an event before the run started. Raises ``RPCError`` as
    ``start_member_run`` does."""
    numbers = list(runs)
    for start in range(0, len(numbers), _LIST_CHUNK):
        chunk = numbers[start : start + _LIST_CHUNK]
        ids = ", ".join(f"'{customer_workflow_id(e164)}'" for e164 in chunk)
        query = (
            f"WorkflowType = 'CustomerWorkflow' AND ExecutionStatus = 'Running'"
            f" AND WorkflowId IN ({ids})"
        )
        running = [wf.id async for wf in client.list_workflows(query)]

        async def tell(workflow_id: str) -> None:
            e164 = workflow_id.removeprefix("customer/")
            async with gate:
                await _signal_customer(
                    client, e164, JourneyRunInput(journey_id=runs[e164], listens=listens)
                )

        await asyncio.gather(*(tell(w) for w in running if w.removeprefix("customer/") in runs))


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
    client: Client,
    e164: str,
    request: JourneyStartRequest,
    task_queue: str,
    *,
    customer_finds_it: bool = True,
    tell_running: bool = True,
) -> str | None:
    """Start the run ``journey/<name>/<E164>/<trigger key>`` (reuse rejected: once per
    journey × customer × trigger key, even after it ended) with its search attributes set on
    the start, then tell the member's customer workflow if it is running (``journey_started``,
    or ``journey_ended`` for a run a relaunch finds ended). No customer workflow is started
    here: one that starts later reads the customer's running runs before it first forwards an
    event, and the run starts it with its first question (``activities/customer_link.py``).
    With ``customer_finds_it`` False (a Temporal service that cannot list workflows, such as the
    time-skipping test server) the customer workflow is started and told first
    (signal-with-start), as before. With ``tell_running`` False a run started here is not
    announced: the caller tells the running customer workflows (``launch`` lists them per
    slice); one a relaunch finds is, as above. Returns the ID of the run started here and not
    announced, else None. Raises ``RPCError`` when Temporal refuses a call (other than "no such
    workflow")."""
    definition = request.definition
    journey_id = journey_workflow_id(definition.name, e164, request.trigger.key)
    listens = listened_events(definition)
    if not customer_finds_it:
        await client.start_workflow(
            CustomerWorkflow.run,
            CustomerInput(e164=e164),
            id=customer_workflow_id(e164),
            task_queue=task_queue,
            start_signal="journey_started",
            start_signal_args=[JourneyRunInput(journey_id=journey_id, listens=listens)],
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
                attributes_at_start=True,
                paused=request.paused,
                patches=list(JOURNEY_PATCHES),
            ),
            id=journey_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=journey_search_attributes(
                e164, definition.name, request.version, request.start_at or definition.start
            ),
            static_summary=f"{definition.name} v{request.version} for {e164}",
            static_details=definition.description,
        )
        if not tell_running and customer_finds_it:
            return journey_id
        running = True
    except WorkflowAlreadyStartedError:
        described = await client.get_workflow_handle(journey_id).describe()
        running = described.status == WorkflowExecutionStatus.RUNNING
    if running and not customer_finds_it:
        return None  # told first, above
    told = JourneyRunInput(journey_id=journey_id, listens=listens) if running else journey_id
    await _signal_customer(client, e164, told)
    return None


async def _signal_customer(client: Client, e164: str, run: JourneyRunInput | str) -> None:
    """``journey_started`` (a ``JourneyRunInput``) or ``journey_ended`` (a run's ID) to the
    customer's workflow, if it is running: one that is not learns when it starts. Raises
    ``RPCError`` for any refusal but "no such workflow"."""
    customer = client.get_workflow_handle(customer_workflow_id(e164))
    try:
        if isinstance(run, JourneyRunInput):
            await customer.signal(CustomerWorkflow.journey_started, run)
        else:
            await customer.signal(CustomerWorkflow.journey_ended, run)
    except RPCError as exc:
        if exc.status is not RPCStatusCode.NOT_FOUND:
            raise


async def running_journey_runs(client: Client, e164: str) -> list[str]:
    """IDs of the customer's running journey runs, from Temporal's visibility
    (``CustomerPhone``, set on every launched run's start); none from a service that cannot
    list workflows (launches there tell every customer workflow: ``start_member_run``)."""
    query = (
        f"WorkflowType = 'JourneyWorkflow' AND ExecutionStatus = 'Running'"
        f" AND {CUSTOMER_PHONE.name} = '{e164}'"
    )
    try:
        return [wf.id async for wf in client.list_workflows(query)]
    except RPCError as exc:
        if exc.status is RPCStatusCode.UNIMPLEMENTED:
            return []
        raise


async def lists_workflows(client: Client) -> bool:
    """Whether the Temporal service lists workflows (the time-skipping test server does not)."""
    try:
        async for _ in client.list_workflows(
            "WorkflowType = 'JourneyWorkflow'", limit=1, page_size=1
        ):
            break
    except RPCError as exc:
        if exc.status is RPCStatusCode.UNIMPLEMENTED:
            return False
        raise
    return True


async def ask_customer(client: Client, question: AskCustomerInput, task_queue: str) -> None:
    """Give the customer workflow a run's question (``offer``), starting it if it is not
    running (signal-with-start)."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=question.customer),
        id=customer_workflow_id(question.customer),
        task_queue=task_queue,
        start_signal="offer",
        start_signal_args=[
            OfferInput(
                journey_id=question.journey_id, summary=question.summary, ttl_s=question.ttl_s
            )
        ],
    )


async def _broadcast(
    client: Client,
    db: Database,
    definition: JourneyDefinition,
    audience: list[AudienceMember],
    campaign_id: str,
    task_queue: str,
    *,
    paused: bool = False,
) -> None:
    """The members into ``campaign_member``, then the campaign's workflow told (started if
    it is not running: a finished campaign relaunched sends to the members it has not sent
    to, and to nobody twice). ``paused``: the journey is paused, a campaign started now
    starts paused (a running one was signalled when the journey was paused)."""
    workflow_id = campaign_workflow_id(definition.name, campaign_id)
    async with db.session() as s:
        await campaigns.add_members(
            s, campaign_id=workflow_id, members=[(m.e164, m.variables) for m in audience]
        )
    await client.start_workflow(
        CampaignWorkflow.run,
        CampaignInput(
            definition=definition,
            version=definition.version,
            campaign_id=campaign_id,
            paused=paused,
        ),
        id=workflow_id,
        task_queue=task_queue,
        start_signal="members_added",
        static_summary=f"campaign {campaign_id}: {definition.name} v{definition.version}",
    )


async def join_customer(client: Client, run: JoinCustomerInput, task_queue: str) -> None:
    """Tell the customer workflow about a run (``journey_started``), starting it if it is not
    running (signal-with-start)."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=run.customer),
        id=customer_workflow_id(run.customer),
        task_queue=task_queue,
        start_signal="journey_started",
        start_signal_args=[JourneyRunInput(journey_id=run.journey_id, listens=run.listens)],
    )
