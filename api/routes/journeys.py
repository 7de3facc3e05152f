"""Journeys: the definitions in ``journeys/`` (with their problems), validation of a draft,
campaign launches, and the runs of a journey (list, pause, resume, cancel). Reading is for the
roles marketer, engineer and admin; launching, pausing, resuming and cancelling for marketer and
admin, each recorded in the audit log.

Errors: 401 without a valid key, 403 for another role; 404 for a journey with no file; 409 when
the journey cannot do what was asked (its file is invalid, or it is not an audience journey);
422 with ``[{"field": …, "message": …}]`` for bad input.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Annotated, Literal

import yaml
from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from api.access import ErrorOut
from api.deps import (
    DbDep,
    SettingsDep,
    TaskQueueDep,
    TemporalDep,
    business_profile,
    require,
)
from operations import manage
from operations.launch import (
    AudienceMember,
    header_problem,
    launch,
    missing_variable,
    parse_audience,
    read_audience,
)
from switchboard.access import Principal, Role
from switchboard.db import journey_pauses
from switchboard.db.access import audit
from switchboard.db.engine import Database
from switchboard.identity import (
    E164_PATTERN,
    InvalidPhoneNumber,
    normalize_e164,
    read_typed_number,
)
from switchboard.journeys.loader import (
    JourneyFileError,
    JourneyYamlLoader,
    Problem,
    load_all,
    load_file,
)
from switchboard.journeys.schema import NAME, JourneyDefinition
from switchboard.journeys.stats import group_runs
from switchboard.journeys.trigger_checks import audience_columns

router = APIRouter(prefix="/journeys", tags=["journeys"])

READ = require(Role.MARKETER, Role.ENGINEER, Role.ADMIN)
ActorDep = Annotated[Principal, require(Role.MARKETER, Role.ADMIN)]
NOT_FOUND = {"model": ErrorOut, "description": "No journey file of that name"}
CONFLICT = {"model": ErrorOut, "description": "The journey cannot do this (invalid file, trigger)"}

NamePath = Annotated[str, Path(pattern=NAME.pattern, description="Journey name, e.g. outreach")]
CAMPAIGN_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def _unprocessable(field: str, message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT, [{"field": field, "message": message}]
    )


# -- definitions -----------------------------------------------------------------------------------


class ProblemOut(BaseModel):
    """One problem of a journey file; ``line`` is 1-based, None when unknown."""

    file: str
    line: int | None
    field: str
    message: str

    @classmethod
    def of(cls, problem: Problem, file: str | None = None) -> ProblemOut:
        return cls(
            file=file or problem.file.name,
            line=problem.line,
            field=problem.field,
            message=problem.message,
        )


class JourneySummary(BaseModel):
    name: str
    version: str  # content hash of the definition (12 hex digits)
    description: str
    trigger: str  # the trigger event, e.g. "audience"
    when: dict[str, str | list[str]]  # a list matches any of its values
    purpose: str
    start: str
    steps: int
    # Paused by a person (``POST /journeys/{name}/pause``): since when (UTC) and by whom; its
    # runs that start meanwhile start paused. None while it runs.
    paused_at: datetime | None = None
    paused_by: str | None = None


class JourneyList(BaseModel):
    journeys: list[JourneySummary]
    problems: list[ProblemOut]  # of the files that did not load (those never start)


def summary_of(definition: JourneyDefinition) -> JourneySummary:
    return JourneySummary(
        name=definition.name,
        version=definition.version,
        description=definition.description,
        trigger=definition.trigger.event,
        when=definition.trigger.when,
        purpose=definition.policies.purpose,
        start=definition.start,
        steps=len(definition.steps),
    )


@router.get("", dependencies=[READ])
async def list_journeys(settings: SettingsDep, db: DbDep) -> JourneyList:
    """Every valid journey in the journeys directory, by name (a paused one with
    ``paused_at`` and ``paused_by``), and the problems of the others."""
    journeys, problems = load_all(settings.journeys_dir)
    async with db.session() as s:
        held = {p.journey: p for p in await journey_pauses.all_paused(s)}
    summaries = []
    for name, definition in sorted(journeys.items()):
        summary = summary_of(definition)
        if name in held:
            summary.paused_at, summary.paused_by = held[name].paused_at, held[name].paused_by
        summaries.append(summary)
    return JourneyList(journeys=summaries, problems=[ProblemOut.of(p) for p in problems])


class ValidationReport(BaseModel):
    valid: bool
    name: str | None = None
    version: str | None = None
    problems: list[ProblemOut]


@router.post("/validate", dependencies=[READ])
async def validate(
    request: Request,
    settings: SettingsDep,
    filename: Annotated[
        str | None,
        Query(
            pattern=r"^[a-z0-9][a-z0-9-]{1,62}\.yaml$",
            description="The file the text would be saved as (its name must match); "
            "default: the text's own `name` + .yaml",
        ),
    ] = None,
) -> ValidationReport:
    """Validate a journey definition sent as YAML text (the raw body, any content type): 200
    with ``valid`` and every problem with its line number, by the worker's rules (template
    names and variables against the journeys directory's ``templates.yaml``). 422 if the body
    is not UTF-8."""
    try:
        text = (await request.body()).decode()
    except UnicodeDecodeError as exc:
        raise _unprocessable("body", f"not UTF-8 text: {exc}") from exc
    shown = filename or f"{_declared_name(text) or 'journey'}.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        path = FilePath(tmp) / shown
        path.write_text(text)
        try:
            definition = load_file(path, templates_file=settings.journeys_dir / "templates.yaml")
        except JourneyFileError as exc:
            return ValidationReport(
                valid=False, problems=[ProblemOut.of(p, shown) for p in exc.problems]
            )
    return ValidationReport(
        valid=True, name=definition.name, version=definition.version, problems=[]
    )


def _declared_name(text: str) -> str | None:
    """The ``name`` the YAML declares, if it is a valid slug (so the file-name check passes
    when no file name was given); None when unreadable (the loader reports why)."""
    try:
        data = yaml.load(text, Loader=JourneyYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and NAME.match(name) else None


def _definition(settings_dir: FilePath, name: str) -> JourneyDefinition:
    """The journey's current definition. Raises HTTP 404 without a file, 409 if it is
    invalid."""
    path = settings_dir / f"{name}.yaml"
    if not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no journey named {name!r}")
    try:
        return load_file(path)
    except JourneyFileError as exc:
        problems = "; ".join(
            f"{p.file.name}:{p.line}: {p.field}: {p.message}" for p in exc.problems
        )
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"journey {name!r} has problems: {problems}"
        ) from exc


# -- launch ---------------------------------------------------------------------------------------


class AudienceRowIn(BaseModel):
    """One member in a JSON audience: a phone number (any format ``phonenumbers`` reads with a
    country code) and template variables (``trigger.<name>``)."""

    model_config = ConfigDict(extra="forbid")
    phone: str
    variables: dict[str, str] = Field(default_factory=dict)


_JSON_AUDIENCE = TypeAdapter(list[AudienceRowIn])


class RejectedRow(BaseModel):
    row: int  # 1-based data row (CSV, after the header) or list index + 1 (JSON)
    reason: str


class LaunchOut(BaseModel):
    journey: str
    version: str
    campaign_id: str
    enrolled: int
    rejected: list[RejectedRow]


@router.post(
    "/{name}/launch",
    status_code=status.HTTP_202_ACCEPTED,
    responses={404: NOT_FOUND, 409: CONFLICT},
)
async def launch_journey(
    name: NamePath,
    by: ActorDep,
    db: DbDep,
    request: Request,
    settings: SettingsDep,
    client: TemporalDep,
    task_queue: TaskQueueDep,
    campaign_id: Annotated[
        str | None,
        Query(
            pattern=CAMPAIGN_ID,
            description="Part of each run's workflow ID: launching twice with the same ID "
            "starts nobody twice. Default: <name>-<UTC timestamp>.",
        ),
    ] = None,
) -> LaunchOut:
    """Enrol an audience: the body is CSV with a header (a ``phone`` or ``e164`` column, every
    other column a variable; ``Content-Type: text/csv``; comma, semicolon or tab separated) or
    a JSON list of ``{"phone": …, "variables": {…}}`` (``application/json``). A number without
    ``+`` is read as dialled in the business profile's country. Rows whose number is invalid
    are rejected, the others enrolled (a number listed twice once). 202 with the counts; 404,
    409 (invalid file, or not an ``audience`` journey), 422 naming the field."""
    definition = _definition(settings.journeys_dir, name)
    if definition.trigger.event != "audience":
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"{name} is triggered by {definition.trigger.event}, not launched on an audience",
        )
    body = await request.body()
    if not body.strip():
        raise _unprocessable("body", "the audience is empty")
    needs = audience_columns(definition)
    region = business_profile(settings.business_profile).region
    if request.headers.get("content-type", "").startswith("application/json"):
        members, rejected = _json_audience(body, needs, region)
    else:
        try:
            text = body.decode()
        except UnicodeDecodeError as exc:
            raise _unprocessable("body", f"not UTF-8 text: {exc}") from exc
        problem = header_problem(read_audience(text).fieldnames or [], needs)
        if problem is not None:  # the header itself: the column it lacks
            raise _unprocessable(problem.column, problem.reason)
        members, rejected = parse_audience(text, needs, region=region)
    if not members and not rejected:
        raise _unprocessable("body", "the audience is empty")
    campaign = campaign_id or f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    report = await launch(
        client, definition, members, campaign_id=campaign, task_queue=task_queue, db=db
    )
    async with db.session() as s:
        detail = {"campaign_id": campaign, "version": definition.version}
        await audit(s, by=by, action="journey.launch", target=name, detail=detail)
    return LaunchOut(
        journey=name,
        version=definition.version,
        campaign_id=campaign,
        enrolled=report.enrolled,
        rejected=[RejectedRow(row=row, reason=reason) for row, reason in rejected],
    )


def _json_audience(
    body: bytes, needs: dict[str, str], region: str | None
) -> tuple[list[AudienceMember], list[tuple[int, str]]]:
    """Members and rejected rows (invalid numbers, or without a value in ``needs``) of a JSON
    audience; a number without ``+`` is read in ``region``. Raises HTTP 422 naming the field
    (``body``, ``[2].phone``, ``[0].variables.pet_name``) when it is malformed."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unprocessable("body", f"not JSON: {exc}") from exc
    try:
        rows = _JSON_AUDIENCE.validate_python(data)
    except ValidationError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [
                {"field": _field(err["loc"]) or "body", "message": err["msg"]}
                for err in exc.errors()
            ],
        ) from exc
    members: dict[str, AudienceMember] = {}
    rejected: list[tuple[int, str]] = []
    for number, row in enumerate(rows, start=1):
        try:
            e164 = read_typed_number(row.phone, region)
        except InvalidPhoneNumber as exc:
            rejected.append((number, str(exc)))
            continue
        missing = missing_variable(row.variables, needs)
        if missing is not None:
            rejected.append((number, missing))
            continue
        members.setdefault(e164, AudienceMember(e164=e164, variables=row.variables))
    return list(members.values()), rejected


def _field(loc: tuple[int | str, ...]) -> str:
    """``(2, "phone")`` → ``[2].phone``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


# -- runs -----------------------------------------------------------------------------------------


class RunOut(BaseModel):
    workflow_id: str
    run_id: str
    status: str  # Temporal's: RUNNING, COMPLETED, CANCELED, FAILED, TERMINATED…
    customer: str | None
    version: str | None
    step: str | None
    channel: str | None
    started_at: datetime  # UTC
    closed_at: datetime | None
    goal: str | None = None  # "converted" once the run met the journey's goal
    branch: str | None = None  # "<split step>:<branch>" of the run's last split


class RunGroupOut(BaseModel):
    """The listed runs of one version and split branch: how many, how many converted, and
    how many are at (or ended at) each step (``goal``: listening for the goal after the last
    step; ``done``, ``exited``, ``cancelled``)."""

    version: str
    branch: str | None
    runs: int
    converted: int
    steps: dict[str, int]


class RunsOut(BaseModel):
    journey: str
    runs: list[RunOut]
    summary: list[RunGroupOut] = Field(default_factory=list)


@router.get("/{name}/runs", dependencies=[READ])
async def runs(
    name: NamePath,
    client: TemporalDep,
    run_status: Annotated[
        Literal["running", "completed", "failed", "canceled", "terminated", "timed_out", "all"],
        Query(alias="status"),
    ] = "running",
    customer: Annotated[str | None, Query(pattern=E164_PATTERN, description="E.164 number")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> RunsOut:
    """The journey's runs from Temporal's visibility store (search attributes ``JourneyName``,
    ``CustomerPhone``; eventually consistent), newest first, and ``summary``: the listed runs
    per version and split branch (runs, goal conversions, runs per step)."""
    number = None
    if customer is not None:
        try:
            number = normalize_e164(customer)
        except InvalidPhoneNumber as exc:
            raise _unprocessable("customer", str(exc)) from exc
    found = await manage.list_runs(client, name, status=run_status, customer=number, limit=limit)
    return RunsOut(
        journey=name,
        runs=[
            RunOut(
                workflow_id=r.workflow_id,
                run_id=r.run_id,
                status=r.status,
                customer=r.customer,
                version=r.version,
                step=r.step,
                channel=r.channel,
                started_at=r.started_at,
                closed_at=r.closed_at,
                goal=r.goal,
                branch=r.branch,
            )
            for r in found
        ],
        summary=[
            RunGroupOut(
                version=g.version,
                branch=g.branch,
                runs=g.runs,
                converted=g.converted,
                steps=g.steps,
            )
            for g in group_runs(found)
        ],
    )


class ActionOut(BaseModel):
    journey: str
    action: Literal["pause", "resume", "cancel"]
    runs: int  # how many running runs were signalled or cancelled


@router.post("/{name}/pause", responses={404: NOT_FOUND})
async def pause(
    name: NamePath, client: TemporalDep, by: ActorDep, db: DbDep, settings: SettingsDep
) -> ActionOut:
    """Pause the journey: every running run stops before its next step until resumed, and the
    runs that start meanwhile (a trigger, a launch) start paused (``GET /journeys`` shows
    since when and by whom). ``runs``: the running runs signalled. 404 when no journey of that
    name has a file or a running run (a journey without a file only has its running runs
    paused: nothing starts new ones)."""
    has_file = (settings.journeys_dir / f"{name}.yaml").is_file()
    paused = await manage.pause(client, name, db=db if has_file else None, by=by.person)
    runs = _reached(settings.journeys_dir, name, paused)
    return await _audited(db, by, ActionOut(journey=name, action="pause", runs=runs))


@router.post("/{name}/resume", responses={404: NOT_FOUND})
async def resume(
    name: NamePath, client: TemporalDep, by: ActorDep, db: DbDep, settings: SettingsDep
) -> ActionOut:
    """Resume the journey: its runs that start from now on run, and every running run
    (those started paused included) goes on. 404 as ``pause``."""
    runs = _reached(settings.journeys_dir, name, await manage.resume(client, name, db=db))
    return await _audited(db, by, ActionOut(journey=name, action="resume", runs=runs))


@router.post("/{name}/cancel", responses={404: NOT_FOUND})
async def cancel(
    name: NamePath, client: TemporalDep, by: ActorDep, db: DbDep, settings: SettingsDep
) -> ActionOut:
    """Cancel every running run (closes as CANCELED). 404 as ``pause``."""
    runs = _reached(settings.journeys_dir, name, await manage.cancel(client, name))
    return await _audited(db, by, ActionOut(journey=name, action="cancel", runs=runs))


def _reached(directory: FilePath, name: str, runs: int) -> int:
    """``runs``, unless the name is nobody's: a misspelt journey would otherwise answer "0
    runs paused" as if it were paused. Runs of a journey whose file was removed still count.
    Raises HTTP 404."""
    if runs == 0 and not (directory / f"{name}.yaml").is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no journey named {name!r}")
    return runs


async def _audited(db: Database, by: Principal, done: ActionOut) -> ActionOut:
    """Record ``journey.<action>`` by ``by`` (with how many runs it reached); returns ``done``."""
    async with db.session() as s:
        detail = {"runs": done.runs}
        await audit(s, by=by, action=f"journey.{done.action}", target=done.journey, detail=detail)
    return done
