"""Journeys (marketer, engineer, admin): every journey with version, trigger and policies, the
problems of files that did not load, and one journey's page — a diagram of its steps drawn
from the YAML (``api.console.diagram``), the funnel of its runs (entered, at each step now,
completed, exited, cancelled) from Temporal's visibility store, runs per version and split
branch, and, for marketers and admins, pause / resume / cancel of every running run
(``operations.manage``, audited like the API's). Editing, dry runs and launches have their own
modules (``journey_editor``, ``journey_dry_run``, ``campaigns``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from temporalio.client import RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from api.console.charts import bars
from api.console.diagram import journey_svg
from api.console.render import render
from api.console.session import page
from api.deps import DbDep, SettingsDep, TemporalUnavailable, get_temporal
from operations import manage
from switchboard.access import Principal, Role
from switchboard.db.access import audit
from switchboard.journeys.funnel import Funnel, funnel
from switchboard.journeys.loader import NOT_JOURNEYS, Problem, load_all
from switchboard.journeys.schema import NAME, JourneyDefinition
from switchboard.journeys.stats import RunGroup, group_runs

log = logging.getLogger("switchboard.console")
router = APIRouter(prefix="/console/journeys", include_in_schema=False)
JourneysPage = Annotated[Principal, page(Role.MARKETER, Role.ENGINEER, Role.ADMIN)]
JourneyActor = Annotated[Principal, page(Role.MARKETER, Role.ADMIN)]
NamePath = Annotated[str, Path(pattern=NAME.pattern)]
ACTORS = frozenset({Role.MARKETER, Role.ADMIN})
RUNS_LIMIT = 1000
Action = Literal["pause", "resume", "cancel"]


@dataclass(frozen=True)
class StepView:
    name: str
    kind: str
    targets: list[tuple[str, str]]  # (how, step): ("next", "wait_reply"), ("on_timeout", "call")
    runs: int  # running runs at this step now


def policies_of(definition: JourneyDefinition) -> dict[str, Any]:
    """The policies as people read them (unset ones left out)."""
    return definition.policies.model_dump(mode="json", exclude_none=True)


def step_order(definition: JourneyDefinition) -> list[str]:
    """Steps in the order a run meets them: breadth-first from ``start``."""
    order, seen = [definition.start], {definition.start}
    for name in order:
        for target in definition.steps[name].targets():
            if target not in seen:
                seen.add(target)
                order.append(target)
    return order + sorted(set(definition.steps) - seen)


def steps_of(definition: JourneyDefinition, at_step: dict[str, int]) -> list[StepView]:
    """Each step (in ``step_order``) with where it leads, named by the YAML field."""
    views = []
    for name in step_order(definition):
        step = definition.steps[name]
        fields = step.model_dump(exclude_none=True)
        targets: list[tuple[str, str]] = []
        for how in ("next", "on_skip", "on_failed", "on_no_answer", "on_past", "on_timeout"):
            if isinstance(to := fields.get(how), str):
                targets.append((how, to))
        for how, word in (("cases", "case"), ("outcomes", "outcome"), ("branches", "branch")):
            for label, to in (fields.get(how) or {}).items():
                targets.append((f"{word} {label}", str(to)))
        if isinstance(default := fields.get("default"), str):
            targets.append(("default", default))
        views.append(
            StepView(name=name, kind=step.kind, targets=targets, runs=at_step.get(name, 0))
        )
    return views


def funnel_rows(definition: JourneyDefinition, counts: Funnel) -> list[tuple[str, int]]:
    """(label, runs) from entry to the ends: the steps in order, then how runs ended."""
    rows = [("entered", counts.entered)]
    rows += [(f"at {name}", counts.at_step.get(name, 0)) for name in step_order(definition)]
    if definition.goal is not None:
        rows.append(("awaiting goal", counts.awaiting_goal))
    rows += [
        ("completed", counts.completed),
        ("exited", counts.exited),
        ("cancelled", counts.cancelled),
        ("failed", counts.failed),
    ]
    if definition.goal is not None:
        rows.append(("converted", counts.converted))
    return rows


@router.get("")
async def journeys(request: Request, settings: SettingsDep, by: JourneysPage) -> HTMLResponse:
    loaded, problems = load_all(settings.journeys_dir)
    rows = [(d, policies_of(d)) for _, d in sorted(loaded.items())]
    return render(
        request,
        "journeys/list.html",
        {"journeys": rows, "problems": problems, "can_create": by.role in ACTORS},
        principal=by,
    )


def unknown_journey(
    request: Request, by: Principal, name: str, problems: list[Problem] | None = None
) -> HTMLResponse:
    """404: no valid journey ``name``, with its file's ``problems`` (and the editor to fix
    them, for those who may edit) when the file exists but does not load."""
    own = problems or []
    return render(
        request,
        "journeys/unknown.html",
        {"name": name, "problems": own, "can_edit": by.role in ACTORS and bool(own)},
        principal=by,
        status_code=404,
    )


def new_form(
    request: Request,
    by: Principal,
    settings: SettingsDep,
    *,
    name: str = "",
    copy_of: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The "New journey" form: a name and a starting point (blank, or a copy of a journey
    file); ``error`` says why the last attempt was refused. Posts to ``journey_editor``."""
    sources = sorted(
        p.stem for p in settings.journeys_dir.glob("*.yaml") if p.name not in NOT_JOURNEYS
    )
    return render(
        request,
        "journeys/new.html",
        {
            "name": name,
            "copy_of": copy_of,
            "sources": sources,
            "error": error,
            "pattern": NAME.pattern,
        },
        principal=by,
        status_code=status_code,
    )


# Registered before ``/{name}``: "new" is the form, never a journey (creating one named "new"
# is refused).
@router.get("/new", response_model=None)
async def new_journey(request: Request, settings: SettingsDep, by: JourneyActor) -> HTMLResponse:
    return new_form(request, by, settings)


@router.get("/{name}", response_model=None)
async def journey(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    by: JourneysPage,
    done: Annotated[Action | None, Query()] = None,
    runs: Annotated[int | None, Query(ge=0)] = None,
    saved: Annotated[str | None, Query(pattern=r"^[0-9a-f]{12}$")] = None,
) -> HTMLResponse:
    loaded, problems = load_all(settings.journeys_dir)
    definition = loaded.get(name)
    if definition is None:
        own = [p for p in problems if p.file.stem == name]
        return unknown_journey(request, by, name, own)
    groups: list[RunGroup] | None
    counts: Funnel | None
    try:
        client = await get_temporal(request)
        found = await manage.list_runs(client, name, status="all", limit=RUNS_LIMIT)
        groups, counts = group_runs(found), funnel(found)
    except (RPCError, RPCTimeoutOrCancelledError, TemporalUnavailable) as exc:
        log.warning("journey runs unavailable: %s", exc)
        groups, counts = None, None  # the page still shows the definition
    at_step = dict(counts.at_step) if counts is not None else {}
    rows = funnel_rows(definition, counts) if counts is not None else []
    return render(
        request,
        "journeys/detail.html",
        {
            "journey": definition,
            "policies": policies_of(definition),
            "steps": steps_of(definition, at_step),
            "diagram": journey_svg(definition, at_step if counts is not None else None),
            "funnel": counts,
            "funnel_rows": rows,
            "funnel_chart": bars(f"Runs of {name}", rows) if counts is not None else None,
            "groups": groups,
            "limit": RUNS_LIMIT,
            "can_act": by.role in ACTORS,
            "done": done,
            "done_runs": runs,
            "saved": saved,
        },
        principal=by,
    )


async def _act(
    request: Request, name: str, action: Action, db: DbDep, by: Principal
) -> RedirectResponse:
    """Pause, resume or cancel every running run (``operations.manage``); audited as
    ``journey.<action>`` like the API's routes. Back to the journey page, which says how many
    runs it reached."""
    client = await get_temporal(request)
    steer = {"pause": manage.pause, "resume": manage.resume, "cancel": manage.cancel}[action]
    reached = await steer(client, name)
    async with db.session() as s:
        await audit(s, by=by, action=f"journey.{action}", target=name, detail={"runs": reached})
    return RedirectResponse(
        f"/console/journeys/{name}?done={action}&runs={reached}#actions", status_code=303
    )


@router.post("/{name}/pause")
async def pause(request: Request, name: NamePath, db: DbDep, by: JourneyActor) -> RedirectResponse:
    return await _act(request, name, "pause", db, by)


@router.post("/{name}/resume")
async def resume(request: Request, name: NamePath, db: DbDep, by: JourneyActor) -> RedirectResponse:
    return await _act(request, name, "resume", db, by)


@router.post("/{name}/cancel")
async def cancel(request: Request, name: NamePath, db: DbDep, by: JourneyActor) -> RedirectResponse:
    return await _act(request, name, "cancel", db, by)
