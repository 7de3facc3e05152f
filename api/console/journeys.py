"""Journeys (marketer, engineer, admin): every journey with version, trigger and policies, the
problems of files that did not load, and one journey's page — a diagram of its steps drawn
from the YAML (``api.console.diagram``), the funnel of its runs (entered, at each step now,
completed, exited, cancelled) from Temporal's visibility store, runs per version and split
branch, who its messages and calls reached or failed to reach (the outbox's delivery states,
per customer), runs of erased customers without their number, whether it is paused (since when,
by whom) and, for marketers and admins, pause / resume of the journey (its running runs and
those that start meanwhile) and cancel of every running run (``operations.manage``, audited
like the API's).
Editing, dry runs and launches have their own modules (``journey_editor``, ``journey_dry_run``,
``campaigns``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
from switchboard.business_calendar import WEEKDAYS, BusinessHours
from switchboard.db import journey_pauses
from switchboard.db.access import audit, erasures
from switchboard.db.analytics import journey_reach
from switchboard.journeys.funnel import Funnel, funnel
from switchboard.journeys.loader import NOT_JOURNEYS, Problem, load_all
from switchboard.journeys.schema import NAME, JourneyDefinition, SendWhatsApp
from switchboard.journeys.stats import RunGroup, group_runs

log = logging.getLogger("switchboard.console")
router = APIRouter(prefix="/console/journeys", include_in_schema=False)
JourneysPage = Annotated[Principal, page(Role.MARKETER, Role.ENGINEER, Role.ADMIN)]
JourneyActor = Annotated[Principal, page(Role.MARKETER, Role.ADMIN)]
NamePath = Annotated[str, Path(pattern=NAME.pattern)]
ACTORS = frozenset({Role.MARKETER, Role.ADMIN})
# The runs listed one by one (who, where, since when): enough to see a launch progress.
LATEST_RUNS = 20
REACH_DAYS = 30  # who the journey's sends reached: a month of the outbox, not all of it
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


def same_trigger(
    definition: JourneyDefinition, journeys: dict[str, JourneyDefinition]
) -> list[str]:
    """The other journeys started by the same event (an audience launch aside): a customer
    enters each of them, so a "variant" saved under a new name runs beside the original,
    it does not replace it. ``when`` filters are not compared: they may or may not overlap."""
    event = definition.trigger.event
    if event == "audience":
        return []
    return sorted(
        name
        for name, other in journeys.items()
        if name != definition.name and other.trigger.event == event
    )


def free_text_only(definition: JourneyDefinition) -> list[str]:
    """Notes on the WhatsApp steps without a ``template``: they send only within 24 hours of
    the customer's last message (WhatsApp's rule) and are skipped otherwise, which a file
    does not show (a reminder two hours before a booking made days ago never goes out)."""
    return [
        f"{name}: free text only — sent within 24 hours of the customer's last message, "
        f"else skipped{' (then ' + step.on_skip + ')' if step.on_skip else ''}; give it an "
        "approved template to reach them after that"
        for name, step in definition.steps.items()
        if isinstance(step, SendWhatsApp) and step.template is None
    ]


def policy_lines(definition: JourneyDefinition) -> list[tuple[str, str]]:
    """The policies in words, as the journey page lists them: (label, text). Business hours
    read from the profile (``business_hours: profile``, or the default) say so, with the
    opening hours they stand for, not the dozens of holiday dates they expand to."""
    p = definition.policies
    quiet = p.quiet_hours
    lines = [
        ("purpose", p.purpose),
        (
            "quiet hours",
            f"{quiet.start:%H:%M}–{quiet.end:%H:%M}, the customer's time" if quiet else "none",
        ),
        ("business hours (calls)", hours_text(p.business_hours)),
        ("time zone", f"{p.timezone}, when neither the customer nor the number tells"),
    ]
    if p.frequency_cap is not None:
        cap = p.frequency_cap
        per = _duration_text(cap.per.total_seconds())
        lines.append(("frequency cap", f"{cap.max_sends} per {per}, across all journeys"))
    lines.append(("exit on", ", ".join(p.exit_on)))
    if p.rate_limited:
        lines.append(("rate limited", "yes: sends paced on the outreach queue"))
    return lines


def hours_text(hours: BusinessHours) -> str:
    """``the business profile's: Mon–Fri 08:30–12:30, 14:00–19:00; Sat 09:00–13:00
    (Europe/Paris); closed on 33 dates (public holidays and closures)``."""
    spans: dict[str, str] = {}
    for day in WEEKDAYS:
        if hours.windows is not None:
            day_spans = sorted((s.open, s.close) for s in hours.windows.get(day, ()))
        else:
            day_spans = [(hours.open, hours.close)] if day in hours.days else []
        if day_spans:
            spans[day] = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in day_spans)
    groups: list[tuple[list[str], str]] = []
    for day in WEEKDAYS:  # consecutive days with the same hours: "Mon–Fri"
        text = spans.get(day)
        if text is None:
            continue
        previous = WEEKDAYS[WEEKDAYS.index(day) - 1] if day != WEEKDAYS[0] else None
        if groups and groups[-1][1] == text and previous == groups[-1][0][-1]:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    week = "; ".join(
        f"{d[0].title()}{'–' + d[-1].title() if len(d) > 1 else ''} {text}" for d, text in groups
    )
    where = hours.timezone or "the customer's time zone"
    source = "the business profile's: " if hours.from_profile else ""
    n = len(hours.holidays)
    closed = f"; closed on {n} dates" if n else ""
    if n and hours.from_profile:
        closed += " (public holidays and closures)"
    return f"{source}{week or 'never open'} ({where}){closed}"


def _duration_text(seconds: float) -> str:
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return f"{int(seconds)} s"


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
    db: DbDep,
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
    latest: list[manage.JourneyRun] = []
    try:
        client = await get_temporal(request)
        found = await manage.list_runs(client, name, status="all", limit=RUNS_LIMIT)
        groups, counts = group_runs(found), funnel(found)
        latest = found[:LATEST_RUNS]  # newest first, as listed
    except (RPCError, RPCTimeoutOrCancelledError, TemporalUnavailable) as exc:
        log.warning("journey runs unavailable: %s", exc)
        groups, counts = None, None  # the page still shows the definition
    async with db.session() as s:
        gone = await erasures(s, numbers={r.customer for r in latest if r.customer})
        since = datetime.now(UTC) - timedelta(days=REACH_DAYS)
        reach = await journey_reach(s, name=name, since=since)
        held = await journey_pauses.paused(s, journey=name)
    # Their number stays in Temporal's visibility store until retention removes the runs
    # (README, "Erasure"): the page does not show it again as if nothing had happened.
    erased = {
        r.workflow_id for r in latest if r.customer in gone and r.started_at <= gone[r.customer]
    }
    at_step = dict(counts.at_step) if counts is not None else {}
    rows = funnel_rows(definition, counts) if counts is not None else []
    return render(
        request,
        "journeys/detail.html",
        {
            "journey": definition,
            "policies": policy_lines(definition),
            "same_trigger": same_trigger(definition, loaded),
            "free_text_only": free_text_only(definition),
            "latest": latest,
            "erased": erased,
            "reach": reach,
            "reach_days": REACH_DAYS,
            "zone": definition.policies.timezone,
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
            "paused": held,
        },
        principal=by,
    )


async def _act(
    request: Request, name: str, action: Action, db: DbDep, by: Principal, *, has_file: bool = True
) -> RedirectResponse:
    """Pause or resume the journey (its running runs, and those that start meanwhile), or
    cancel every running run (``operations.manage``); audited as ``journey.<action>`` like the
    API's routes. Back to the journey page, which says how many runs it reached."""
    client = await get_temporal(request)
    if action == "pause":
        # A name without a file is nobody's journey: no pause recorded for a later one of it.
        reached = await manage.pause(client, name, db=db if has_file else None, by=by.person)
    elif action == "resume":
        reached = await manage.resume(client, name, db=db)
    else:
        reached = await manage.cancel(client, name)
    async with db.session() as s:
        await audit(s, by=by, action=f"journey.{action}", target=name, detail={"runs": reached})
    return RedirectResponse(
        f"/console/journeys/{name}?done={action}&runs={reached}#actions", status_code=303
    )


@router.post("/{name}/pause")
async def pause(
    request: Request, name: NamePath, db: DbDep, settings: SettingsDep, by: JourneyActor
) -> RedirectResponse:
    has_file = (settings.journeys_dir / f"{name}.yaml").is_file()
    return await _act(request, name, "pause", db, by, has_file=has_file)


@router.post("/{name}/resume")
async def resume(request: Request, name: NamePath, db: DbDep, by: JourneyActor) -> RedirectResponse:
    return await _act(request, name, "resume", db, by)


@router.post("/{name}/cancel")
async def cancel(request: Request, name: NamePath, db: DbDep, by: JourneyActor) -> RedirectResponse:
    return await _act(request, name, "cancel", db, by)
