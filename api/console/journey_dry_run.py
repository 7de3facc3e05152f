"""A journey's dry run in the browser (marketer, engineer, admin): the timeline a made-up
customer would see, with scripted replies — ``operations.dry_run``, the engine behind
``switchboard journeys dry-run``: the real ``JourneyWorkflow`` in Temporal's time-skipping test
server with in-memory activities, so nothing is sent and days pass in seconds.

The journey is the file in force, or a draft posted from the editor (checked first, so a dry
run never runs what the loader would refuse). One dry run at a time per API process (each
starts a test server, a second of CPU on a small machine), bounded by ``DRY_RUN_TIMEOUT_S``.
The test server is a development engine (the ``local`` extra): where it is not installed the
page says so instead of failing.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.console.journeys import JourneysPage, NamePath, unknown_journey
from api.console.render import render
from api.deps import SettingsDep
from operations.dry_run import (
    DryRun,
    DryRunError,
    DryRunOptions,
    ScriptedReply,
    dry_run,
    parse_trigger_data,
)
from operations.journey_edit import check_draft, journey_path
from switchboard.access import Principal
from switchboard.engines import EngineMissing
from switchboard.journeys.loader import JourneyFileError, Problem, load_file
from switchboard.journeys.schema import JourneyDefinition

log = logging.getLogger("switchboard.console")
router = APIRouter(prefix="/console/journeys", include_in_schema=False)
DRY_RUN_TIMEOUT_S = 120.0
MAX_DRAFT_CHARS = 200_000
# Every event a customer's side can script (``ScriptedReply``): a reminder's move and
# cancellation branches too (its ``wait_for_answer`` outcomes ``rescheduled``, ``cancelled``).
REPLY_EXAMPLES = (
    "yes@2h, reply@30m, no@1d, stop@10m, draft_confirmed@3h, booking_confirmed@1h, "
    "booking_rescheduled@1h (moved a week later), booking_cancelled@1h"
)


def _lock(request: Request) -> asyncio.Lock:
    """The process's one-at-a-time lock (made in the app's own event loop)."""
    state = request.app.state
    if getattr(state, "dry_run_lock", None) is None:
        state.dry_run_lock = asyncio.Lock()
    lock: asyncio.Lock = state.dry_run_lock
    return lock


def parse_replies(text: str) -> list[ScriptedReply]:
    """``"yes@2h, reply@30m"`` (commas, semicolons or new lines between). Raises
    ``DryRunError`` naming the first bad one."""
    return [ScriptedReply.parse(part) for part in re.split(r"[,;\n]+", text) if part.strip()]


def _page(
    request: Request,
    by: Principal,
    name: str,
    *,
    run: DryRun | None = None,
    error: str | None = None,
    problems: list[Problem] | None = None,
    replies: str = "",
    opted_in: bool = True,
    answer_calls: bool = True,
    draft: str | None = None,
    data: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "journeys/dry_run.html",
        {
            "name": name,
            "run": run,
            "error": error,
            "problems": problems or [],
            "replies": replies,
            "opted_in": opted_in,
            "answer_calls": answer_calls,
            "draft": draft,
            "data": data,
            "examples": REPLY_EXAMPLES,
        },
        principal=by,
        status_code=status_code,
    )


@router.get("/{name}/dry-run", response_model=None)
async def dry_run_form(
    request: Request, name: NamePath, settings: SettingsDep, by: JourneysPage
) -> HTMLResponse:
    if not journey_path(settings.journeys_dir, name).is_file():
        return unknown_journey(request, by, name)
    return _page(request, by, name)


@router.post("/{name}/dry-run", response_model=None)
async def run_dry_run(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    by: JourneysPage,
    replies: Annotated[str, Form(max_length=500)] = "",
    opted_in: Annotated[bool, Form()] = False,
    answer_calls: Annotated[bool, Form()] = False,
    text: Annotated[str | None, Form(max_length=MAX_DRAFT_CHARS)] = None,
    data: Annotated[str, Form(max_length=1000)] = "",
) -> HTMLResponse:
    """Run it and show the timeline; the form again with the reason (422) for bad replies,
    bad trigger data (``NAME=VALUE``, commas or new lines between: an audience's CSV columns)
    or a draft with problems, 503 when the test server is missing or the run took too long."""
    draft = text.replace("\r\n", "\n") if text is not None else None

    def again(error: str, status_code: int, problems: list[Problem] | None = None) -> HTMLResponse:
        return _page(
            request,
            by,
            name,
            error=error,
            problems=problems,
            replies=replies,
            opted_in=opted_in,
            answer_calls=answer_calls,
            draft=draft,
            data=data,
            status_code=status_code,
        )

    try:
        scripted = parse_replies(replies)
        trigger_data = parse_trigger_data(p for p in re.split(r"[,\n]+", data) if p.strip())
    except DryRunError as exc:
        return again(str(exc), 422)
    definition: JourneyDefinition | None
    if draft is not None:
        checked = check_draft(settings.journeys_dir, name, draft)
        definition, problems = checked.definition, checked.problems
    else:
        try:
            definition, problems = load_file(journey_path(settings.journeys_dir, name)), []
        except FileNotFoundError:
            definition, problems = None, []
        except JourneyFileError as exc:
            definition, problems = None, exc.problems
    if definition is None:
        error = "Fix these problems first." if problems else f"No journey file {name}.yaml."
        return again(error, 422, problems)
    options = DryRunOptions(
        opted_in=opted_in,
        replies=scripted,
        answer_calls=answer_calls,
        trigger_data=trigger_data,
    )
    try:
        async with _lock(request), asyncio.timeout(DRY_RUN_TIMEOUT_S):
            run = await dry_run(definition, options)
    except EngineMissing as exc:
        return again(f"Dry runs need Temporal's time-skipping test server here: {exc}", 503)
    except TimeoutError:
        return again(f"The dry run took longer than {DRY_RUN_TIMEOUT_S:.0f} s; try again.", 503)
    return _page(
        request,
        by,
        name,
        run=run,
        replies=replies,
        opted_in=opted_in,
        answer_calls=answer_calls,
        draft=draft,
        data=data,
    )
