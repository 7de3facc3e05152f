"""Journeys (marketer, engineer, admin): every journey with version, trigger and policies, the
problems of files that did not load, and one journey's steps in order (from ``start``,
following each step's targets) with its runs per step from Temporal's visibility store (the
same query and counts as ``GET /journeys/{name}/runs``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from temporalio.client import RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from api.console.render import render
from api.console.session import page
from api.deps import SettingsDep, TemporalUnavailable, get_temporal
from operations import manage
from switchboard.access import Principal, Role
from switchboard.journeys.loader import load_all
from switchboard.journeys.schema import NAME, JourneyDefinition
from switchboard.journeys.stats import RunGroup, group_runs

log = logging.getLogger("switchboard.console")
router = APIRouter(prefix="/console/journeys", include_in_schema=False)
JourneysPage = Annotated[Principal, page(Role.MARKETER, Role.ENGINEER, Role.ADMIN)]
RUNS_LIMIT = 1000


@dataclass(frozen=True)
class StepView:
    name: str
    kind: str
    targets: list[tuple[str, str]]  # (how, step): ("next", "wait_reply"), ("on_timeout", "call")
    runs: int  # runs at (or ended at) this step, over every version and branch listed


def policies_of(definition: JourneyDefinition) -> dict[str, Any]:
    """The policies as people read them (unset ones left out)."""
    return definition.policies.model_dump(mode="json", exclude_none=True)


def steps_of(definition: JourneyDefinition, groups: list[RunGroup]) -> list[StepView]:
    """Steps in the order a run meets them: breadth-first from ``start``."""
    at: dict[str, int] = {}
    for group in groups:
        for step_name, runs in group.steps.items():
            at[step_name] = at.get(step_name, 0) + runs
    order, seen = [definition.start], {definition.start}
    for name in order:
        for target in definition.steps[name].targets():
            if target not in seen:
                seen.add(target)
                order.append(target)
    order += sorted(set(definition.steps) - seen)
    views = []
    for name in order:
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
        views.append(StepView(name=name, kind=step.kind, targets=targets, runs=at.get(name, 0)))
    return views


@router.get("")
async def journeys(request: Request, settings: SettingsDep, by: JourneysPage) -> HTMLResponse:
    loaded, problems = load_all(settings.journeys_dir)
    rows = [(d, policies_of(d)) for _, d in sorted(loaded.items())]
    return render(
        request, "journeys/list.html", {"journeys": rows, "problems": problems}, principal=by
    )


@router.get("/{name}", response_model=None)
async def journey(
    request: Request,
    name: Annotated[str, Path(pattern=NAME.pattern)],
    settings: SettingsDep,
    by: JourneysPage,
) -> HTMLResponse:
    loaded, _ = load_all(settings.journeys_dir)
    definition = loaded.get(name)
    if definition is None:
        return render(
            request, "journeys/unknown.html", {"name": name}, principal=by, status_code=404
        )
    groups: list[RunGroup] | None
    try:
        client = await get_temporal(request)
        groups = group_runs(await manage.list_runs(client, name, status="all", limit=RUNS_LIMIT))
    except (RPCError, RPCTimeoutOrCancelledError, TemporalUnavailable) as exc:
        log.warning("journey runs unavailable: %s", exc)
        groups = None  # the page still shows the definition
    return render(
        request,
        "journeys/detail.html",
        {
            "journey": definition,
            "policies": policies_of(definition),
            "steps": steps_of(definition, groups or []),
            "groups": groups,
            "limit": RUNS_LIMIT,
        },
        principal=by,
    )
