"""Launching a journey on an audience CSV (marketer, admin): upload, preview, confirm.

The preview (``operations.audience_preview``) reads the CSV with the launch's own parser and
says how many rows there are, which numbers are invalid (by row), how many members have the
WhatsApp opt-in the journey's purpose needs, and for how many it is quiet hours right now
(their sends wait until morning). Nobody is enrolled until the marketer confirms; the
confirmation carries the CSV back with its SHA-256 and the journey's version, and is refused
(409, with a fresh preview) if either changed, so what is launched is what was previewed.
The launch itself is ``operations.launch.launch`` — the same operation as
``POST /journeys/{name}/launch`` and ``switchboard journeys launch`` — audited as
``journey.launch``. An upload is bounded by the API's body limit
(``SWITCHBOARD_REQUEST_MAX_BYTES``, 1 MiB: about 40,000 rows); larger audiences go through the
API route, whose limit is ``SWITCHBOARD_UPLOAD_MAX_BYTES``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from api.console.journeys import JourneyActor, NamePath
from api.console.render import render
from api.deps import DbDep, SettingsDep, TaskQueueDep, business_profile, get_temporal
from api.routes.journeys import CAMPAIGN_ID as CAMPAIGN_ID_PATTERN
from operations.audience_preview import AudiencePreview, digest, normalise, preview
from operations.journey_edit import journey_path
from operations.launch import launch
from switchboard.access import Principal
from switchboard.db.access import audit
from switchboard.journeys.loader import JourneyFileError, load_file
from switchboard.journeys.schema import JourneyDefinition

router = APIRouter(prefix="/console/journeys", include_in_schema=False)
CAMPAIGN_ID = re.compile(CAMPAIGN_ID_PATTERN)  # as POST /journeys/{name}/launch
MAX_CSV_CHARS = 1_100_000
SHOWN_INVALID = 50


def _launchable(
    request: Request, by: Principal, directory: Path, name: str, campaign_id: str
) -> JourneyDefinition | HTMLResponse:
    """The journey in force, or the launch form again: 409 when it cannot be launched, 422 for
    a malformed campaign ID."""
    definition = _definition(directory, name)
    if isinstance(definition, str):
        return _form(request, by, name, error=definition, status_code=409)
    if not CAMPAIGN_ID.match(campaign_id):
        error = "The campaign ID is letters, digits, '.', '_' or '-' (up to 64)."
        return _form(request, by, name, error=error, campaign_id=campaign_id, status_code=422)
    return definition


def _definition(directory: Path, name: str) -> JourneyDefinition | str:
    """The journey in force, or why it cannot be launched."""
    path = journey_path(directory, name)
    if not path.is_file():
        return f"No journey file {name}.yaml."
    try:
        definition = load_file(path)
    except JourneyFileError:
        return f"{name}.yaml has problems: fix them in the editor first."
    if definition.trigger.event != "audience":
        return (
            f"{name} starts on {definition.trigger.event}, not on an audience: "
            "only audience journeys are launched."
        )
    return definition


def _default_campaign(name: str) -> str:
    return f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"


def _form(
    request: Request,
    by: Principal,
    name: str,
    *,
    error: str | None = None,
    campaign_id: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "journeys/launch.html",
        {"name": name, "error": error, "campaign_id": campaign_id or _default_campaign(name)},
        principal=by,
        status_code=status_code,
    )


def _preview_page(
    request: Request,
    by: Principal,
    found: AudiencePreview,
    text: str,
    campaign_id: str,
    *,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "journeys/launch_preview.html",
        {
            "p": found,
            "text": text,
            "campaign_id": campaign_id,
            "shown_invalid": found.invalid[:SHOWN_INVALID],
            "zones": found.zones.most_common(5),
            "notice": notice,
        },
        principal=by,
        status_code=status_code,
    )


@router.get("/{name}/launch", response_model=None)
async def launch_form(
    request: Request, name: NamePath, settings: SettingsDep, by: JourneyActor
) -> HTMLResponse:
    definition = _definition(settings.journeys_dir, name)
    if isinstance(definition, str):
        return _form(request, by, name, error=definition, status_code=409)
    return _form(request, by, name)


@router.post("/{name}/launch/preview", response_model=None)
async def launch_preview(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    db: DbDep,
    by: JourneyActor,
    campaign_id: Annotated[str, Form(max_length=64)],
    audience: UploadFile | None = None,
    pasted: Annotated[str, Form(max_length=MAX_CSV_CHARS)] = "",
) -> HTMLResponse:
    """The preview of the uploaded (or pasted) CSV; the form again (422) when there is none,
    it is not UTF-8, or the campaign ID is malformed."""
    definition = _launchable(request, by, settings.journeys_dir, name, campaign_id)
    if isinstance(definition, HTMLResponse):
        return definition
    raw = await audience.read() if audience is not None and audience.filename else b""
    try:
        text = raw.decode() if raw else pasted
    except UnicodeDecodeError:
        error = "The file is not UTF-8 text: export the CSV as UTF-8."
        return _form(request, by, name, error=error, campaign_id=campaign_id, status_code=422)
    text = normalise(text)
    if not text.strip():
        error = "Choose a CSV file, or paste the rows."
        return _form(request, by, name, error=error, campaign_id=campaign_id, status_code=422)
    region = business_profile(settings.business_profile).region
    found = await preview(db, definition, text, region=region)
    return _preview_page(request, by, found, text, campaign_id)


@router.post("/{name}/launch/confirm", response_model=None)
async def launch_confirm(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    db: DbDep,
    by: JourneyActor,
    task_queue: TaskQueueDep,
    text: Annotated[str, Form(max_length=MAX_CSV_CHARS)],
    sha256: Annotated[str, Form(pattern=r"^[0-9a-f]{64}$")],
    version: Annotated[str, Form(pattern=r"^[0-9a-f]{12}$")],
    campaign_id: Annotated[str, Form(max_length=64)],
) -> HTMLResponse:
    """Enrol the previewed audience and show how many were enrolled."""
    definition = _launchable(request, by, settings.journeys_dir, name, campaign_id)
    if isinstance(definition, HTMLResponse):
        return definition
    text = normalise(text)
    region = business_profile(settings.business_profile).region
    found = await preview(db, definition, text, region=region)
    if digest(text) != sha256 or definition.version != version:
        notice = (
            "The journey or the audience changed since the preview: check this one and "
            "confirm again."
        )
        return _preview_page(request, by, found, text, campaign_id, notice=notice, status_code=409)
    if not found.members:
        return _preview_page(
            request,
            by,
            found,
            text,
            campaign_id,
            notice="No valid number to enrol.",
            status_code=422,
        )
    client = await get_temporal(request)  # only now: a refused confirmation needs no Temporal
    report = await launch(
        client, definition, found.members, campaign_id=campaign_id, task_queue=task_queue, db=db
    )
    async with db.session() as s:
        detail = {
            "campaign_id": campaign_id,
            "version": definition.version,
            "enrolled": report.enrolled,
            "rejected": len(found.invalid),
            "from": "console",
        }
        await audit(s, by=by, action="journey.launch", target=name, detail=detail)
    return render(
        request,
        "journeys/launched.html",
        {"p": found, "campaign_id": campaign_id, "enrolled": report.enrolled},
        principal=by,
    )
