"""Editing a journey in the browser (marketer, admin): the file in a text area, checked as you
type, the change reviewed as a diff against the file in force, then saved.

Checking runs the loader's own validation on the draft (``operations.journey_edit``: YAML,
schema, trigger data, template names, the file name), so the editor reports exactly what the
worker would refuse, with line and field. ``static/journey-editor.js`` posts the text to
``check`` a moment after each keystroke and lists the problems; without script the "Check and
review" button does the same on the server. Saving writes ``journeys/<name>.yaml`` (where and
why: ``operations.journey_edit``) and is audited as ``journey.edit`` with both versions.

A new journey (``POST /console/journeys/new``, from the form of ``api.console.journeys``) opens
the same editor on a first draft — a skeleton or a copy of another journey with the name
replaced — whose base is ``NEW_FILE``: the review shows every line as added, and saving, audited
as ``journey.create``, is refused if a file of that name appeared meanwhile.

``check`` answers JSON for the editor's script and, like the pages, is signed in by the console
cookie, so it is left out of the OpenAPI schema with them; the API's documented equivalent is
``POST /journeys/validate``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from api.console.journeys import (
    JourneyActor,
    NamePath,
    free_text_only,
    new_form,
    policy_lines,
    same_trigger,
    unknown_journey,
)
from api.console.render import render
from api.deps import DbDep, SettingsDep
from operations.journey_edit import (
    NEW_FILE,
    DraftRefused,
    check_draft,
    diff,
    journey_path,
    moved_on,
    new_draft,
    save,
    text_hash,
)
from switchboard.access import Principal
from switchboard.db.access import audit
from switchboard.journeys.loader import Problem, load_all
from switchboard.journeys.schema import NAME

router = APIRouter(prefix="/console/journeys", include_in_schema=False)
MAX_CHARS = 200_000  # a journey file is a few kB; the body limit (1 MiB) is the real bound
HASH = r"^[0-9a-f]{64}$"
RESERVED = frozenset({"new"})  # ``/console/journeys/new`` is the form, not a journey


def problem_json(problem: Problem) -> dict[str, object]:
    return {"line": problem.line, "field": problem.field, "message": problem.message}


def _editor(
    request: Request,
    by: Principal,
    name: str,
    text: str,
    base_hash: str,
    problems: list[Problem],
    *,
    version: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "journeys/edit.html",
        {
            "name": name,
            "text": text,
            "base_hash": base_hash,
            "problems": problems,
            "version": version,
            "max_chars": MAX_CHARS,
            "new": base_hash == NEW_FILE,
        },
        principal=by,
        status_code=status_code,
    )


@router.post("/new", response_model=None)
async def create(
    request: Request,
    settings: SettingsDep,
    by: JourneyActor,
    name: Annotated[str, Form(max_length=100)],
    copy_of: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    """The editor on the first draft of journey ``name`` (nothing is written until saved);
    the form again (422) when the name is not a journey slug, is taken, or the copy's source
    has no file."""
    name = name.strip()

    def refused(error: str) -> HTMLResponse:
        return new_form(
            request, by, settings, name=name, copy_of=copy_of, error=error, status_code=422
        )

    if not NAME.match(name) or name in RESERVED:
        return refused(
            f"{name!r} cannot name a journey: use 2 to 63 lower-case letters, digits and "
            "hyphens, starting with a letter or digit"
            + (" (and not “new”)" if name in RESERVED else "")
        )
    if copy_of and not NAME.match(copy_of):
        return refused(f"no journey {copy_of!r} to copy")
    try:
        text = new_draft(settings.journeys_dir, name, copy_of=copy_of or None)
    except DraftRefused as exc:
        return refused("; ".join(p.message for p in exc.problems))
    checked = check_draft(settings.journeys_dir, name, text)
    version = checked.definition.version if checked.definition else None
    return _editor(request, by, name, text, NEW_FILE, checked.problems, version=version)


@router.get("/{name}/edit", response_model=None)
async def edit(
    request: Request, name: NamePath, settings: SettingsDep, by: JourneyActor
) -> HTMLResponse:
    path = journey_path(settings.journeys_dir, name)
    if not path.is_file():
        return unknown_journey(request, by, name)
    text = path.read_text()
    checked = check_draft(settings.journeys_dir, name, text)
    version = checked.definition.version if checked.definition else None
    return _editor(request, by, name, text, text_hash(text), checked.problems, version=version)


@router.post("/{name}/edit", response_model=None)
async def edit_draft(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    by: JourneyActor,
    text: Annotated[str, Form(max_length=MAX_CHARS)],
    base_hash: Annotated[str, Form(pattern=HASH)],
) -> HTMLResponse:
    """The editor again with a draft (back from the review), checked."""
    text = _unix(text)
    checked = check_draft(settings.journeys_dir, name, text)
    version = checked.definition.version if checked.definition else None
    return _editor(request, by, name, text, base_hash, checked.problems, version=version)


@router.post("/{name}/check")
async def check(
    request: Request, name: NamePath, settings: SettingsDep, by: JourneyActor
) -> JSONResponse:
    """The draft (raw body, UTF-8) checked as the loader would: ``{"valid", "version",
    "problems": [{"line", "field", "message"}]}``; 422 when the body is not UTF-8."""
    try:
        text = (await request.body()).decode()
    except UnicodeDecodeError:
        return JSONResponse({"detail": "the draft is not UTF-8 text"}, status_code=422)
    checked = check_draft(settings.journeys_dir, name, text)
    return JSONResponse(
        {
            "valid": checked.definition is not None,
            "version": checked.definition.version if checked.definition else None,
            "problems": [problem_json(p) for p in checked.problems],
        }
    )


@router.post("/{name}/review", response_model=None)
async def review(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    by: JourneyActor,
    text: Annotated[str, Form(max_length=MAX_CHARS)],
    base_hash: Annotated[str, Form(pattern=HASH)],
) -> HTMLResponse:
    """The draft's problems (the editor again, 422), or its diff against the file in force
    with the button that saves it."""
    text = _unix(text)
    checked = check_draft(settings.journeys_dir, name, text)
    if checked.definition is None:
        return _editor(
            request, by, name, text, base_hash, checked.problems, version=None, status_code=422
        )
    path = journey_path(settings.journeys_dir, name)
    current = path.read_text() if path.is_file() else ""
    others, _ = load_all(settings.journeys_dir)
    return render(
        request,
        "journeys/review.html",
        {
            "name": name,
            "text": text,
            "base_hash": base_hash,
            "diff": diff(current, text, name=name),
            # What the draft will obey, defaults included (the file need not write them: the
            # profile's business hours, quiet hours), and who else starts on its trigger.
            "policies": policy_lines(checked.definition),
            "same_trigger": same_trigger(checked.definition, others),
            "free_text_only": free_text_only(checked.definition),
            "version": checked.definition.version,
            "stale": moved_on(path, base_hash),
            "new": base_hash == NEW_FILE,
        },
        principal=by,
    )


@router.post("/{name}/save", response_model=None)
async def save_draft(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    db: DbDep,
    by: JourneyActor,
    text: Annotated[str, Form(max_length=MAX_CHARS)],
    base_hash: Annotated[str, Form(pattern=HASH)],
) -> HTMLResponse | RedirectResponse:
    """Write the file (``operations.journey_edit.save``) and show the journey; the editor
    again with the reason (409) when the draft is invalid or the file moved on."""
    text = _unix(text)
    path = journey_path(settings.journeys_dir, name)
    before = check_draft(settings.journeys_dir, name, path.read_text()) if path.is_file() else None
    try:
        saved = save(settings.journeys_dir, name, text, base_hash=base_hash)
    except DraftRefused as exc:
        return _editor(
            request, by, name, text, base_hash, exc.problems, version=None, status_code=409
        )
    old = before.definition.version if before and before.definition else None
    created = base_hash == NEW_FILE
    async with db.session() as s:
        await audit(
            s,
            by=by,
            action="journey.create" if created else "journey.edit",
            target=name,
            detail={"from_version": old, "to_version": saved.version},
        )
    return RedirectResponse(f"/console/journeys/{name}?saved={saved.version}", status_code=303)


def _unix(text: str) -> str:
    """Browsers send a text area's lines with CRLF; the files use LF."""
    return text.replace("\r\n", "\n")
