"""``switchboard journeys``: the definitions in ``journeys/`` (list, validate, schema, dry-run)
and the runs of a journey (launch, runs, pause, resume, cancel: through the running stack's
API)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from cli.output import print_table, switchboard_api
from switchboard.settings import get_settings

if TYPE_CHECKING:
    from switchboard.journeys.schema import JourneyDefinition

app = typer.Typer(
    help="Journey definitions (list, validate, schema, dry-run) and runs (launch, runs, pause, "
    "resume, cancel: through the running stack's API).",
    no_args_is_help=True,
)

JourneyArg = Annotated[str, typer.Argument(help="Journey name (its file is journeys/<name>.yaml)")]

# A journey launch starts one workflow per audience row before the API answers.
API_TIMEOUT_S = 120


# -- definitions ---------------------------------------------------------------------------------


@app.command("list")
def list_journeys() -> None:
    """Every journey (name, version, trigger, steps), then the problems of invalid files."""
    from switchboard.journeys.loader import load_all

    journeys, problems = load_all(get_settings().journeys_dir)
    print_table(
        ("NAME", "VERSION", "TRIGGER", "STEPS"),
        [
            (d.name, d.version, d.trigger.event, str(len(d.steps)))
            for _, d in sorted(journeys.items())
        ],
    )
    if problems:
        print(f"\n{len(problems)} problem(s) in invalid journey files:")
        for problem in problems:
            print(f"  {problem}")


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Journey files or directories (default: every file in journeys/)"),
    ] = None,
) -> None:
    """Check journey files; prints every problem as file:line: field: message, exit 1 if any."""
    from switchboard.journeys.loader import NOT_JOURNEYS, JourneyFileError, load_file

    files: list[Path] = []
    for path in paths or [get_settings().journeys_dir]:
        if path.is_dir():
            files += [p for p in sorted(path.glob("*.yaml")) if p.name not in NOT_JOURNEYS]
        elif path.is_file():
            files.append(path)
        else:
            print(f"{path}: no such file or directory")
            raise typer.Exit(1)
    failed = 0
    for file in files:
        try:
            load_file(file, templates_file=_templates_for(file))
        except JourneyFileError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem)
    if failed:
        print(f"{failed} of {len(files)} journey file(s) invalid")
        raise typer.Exit(1)
    print(f"{len(files)} journey file(s) valid")


@app.command("schema")
def schema(
    write: Annotated[
        bool, typer.Option("--write", help="Write journeys/journey.schema.json instead of printing")
    ] = False,
) -> None:
    """The JSON Schema of a journey file, for editors (checked in: journeys/journey.schema.json)."""
    from switchboard.journeys.json_schema import SCHEMA_FILE, journey_schema_text

    text = journey_schema_text()
    if not write:
        print(text, end="")
        return
    target = get_settings().journeys_dir / SCHEMA_FILE
    target.write_text(text)
    print(f"wrote {target}")


@app.command(
    "dry-run",
    epilog="The real journey workflow runs in Temporal's time-skipping test server with "
    "in-memory activities: nothing is sent and days pass in a second. The customer is "
    "+33612345678 (Europe/Paris); calls are answered unless --no-answer.",
)
def dry_run_journey(
    name: Annotated[str, typer.Argument(help="Journey name, or the path of a journey file")],
    opted_in: Annotated[
        bool,
        typer.Option("--opted-in/--no-opt-in", help="Whether the customer opted in to WhatsApp"),
    ] = True,
    reply: Annotated[
        list[str] | None,
        typer.Option(
            "--reply",
            help="EVENT@DURATION: the customer's event (yes, no, reply, stop, draft_confirmed, "
            "booking_confirmed, booking_rescheduled: a week later, booking_cancelled) DURATION "
            "after the journey's previous message; repeatable",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            help="Start instant, ISO 8601 (UTC unless it has an offset), now or later; default: now"
        ),
    ] = None,
    no_answer: Annotated[
        bool, typer.Option("--no-answer", help="The customer answers no call")
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            help="NAME=VALUE: the trigger's trigger.NAME (an audience's CSV column, e.g. "
            "due_at=2026-12-20); repeatable; replaces the made-up value",
        ),
    ] = None,
) -> None:
    """Run the journey for a made-up customer; print what they would see and hear, when."""
    from datetime import UTC, datetime

    from operations.dry_run import (
        DryRunError,
        DryRunOptions,
        ScriptedReply,
        dry_run,
        parse_trigger_data,
        render,
    )

    definition = _load_journey(name)
    try:
        replies = [ScriptedReply.parse(r) for r in reply or []]
    except DryRunError as exc:
        raise typer.BadParameter(str(exc), param_hint="--reply") from exc
    start_at = None
    if start is not None:
        try:
            start_at = datetime.fromisoformat(start)
        except ValueError as exc:
            raise typer.BadParameter(
                f"not an ISO 8601 instant: {start!r}", param_hint="--start"
            ) from exc
        if start_at.tzinfo is None:
            start_at = start_at.replace(tzinfo=UTC)
    try:
        trigger_data = parse_trigger_data(data or [])
    except DryRunError as exc:
        raise typer.BadParameter(str(exc), param_hint="--data") from exc
    options = DryRunOptions(
        opted_in=opted_in,
        replies=replies,
        answer_calls=not no_answer,
        start=start_at,
        trigger_data=trigger_data,
    )
    # An activity that fails on purpose (a template that does not render) is the dry run's
    # finding, reported in the timeline: keep the SDK's warning and traceback off the console.
    logging.getLogger("temporalio").setLevel(logging.ERROR)
    try:
        run = asyncio.run(dry_run(definition, options))
    except DryRunError as exc:
        print(f"error: {exc}")
        _exit_now(1)
    print(render(run))
    _exit_now(0)


def _load_journey(name: str) -> JourneyDefinition:
    """A journey by name (journeys/<name>.yaml) or by file path; prints its problems and exits 1
    if it does not load."""
    from switchboard.journeys.loader import JourneyFileError, load_file

    path = (
        Path(name)
        if name.endswith((".yaml", ".yml"))
        else get_settings().journeys_dir / f"{name}.yaml"
    )
    if not path.is_file():
        print(f"no journey file {path}")
        raise typer.Exit(1)
    try:
        return load_file(path, templates_file=_templates_for(path))
    except JourneyFileError as exc:
        for problem in exc.problems:
            print(problem)
        raise typer.Exit(1) from exc


def _templates_for(path: Path) -> Path:
    """The approved templates a file's template names are checked against: ``templates.yaml``
    beside it, else the journeys directory's (a draft kept elsewhere is checked against the
    templates it will run with, not passed unchecked)."""
    beside = path.parent / "templates.yaml"
    return beside if beside.is_file() else get_settings().journeys_dir / "templates.yaml"


def _exit_now(code: int) -> NoReturn:
    """Exit without interpreter teardown. The Temporal SDK's Rust threads can outlive the event
    loop and abort a finalizing interpreter ("PyGILState_Release: thread state … must be
    current", temporalio/sdk-python#300): about one dry run in four ended with SIGABRT (134)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


# -- runs (through the API) ----------------------------------------------------------------------


@app.command("launch")
def launch(
    name: JourneyArg,
    audience: Annotated[
        Path, typer.Option(help="CSV with a header: a phone column, other columns are variables")
    ],
    campaign_id: Annotated[
        str | None,
        typer.Option(help="Campaign ID (part of each run's ID); default: <name>-<UTC time>"),
    ] = None,
) -> None:
    """Launch an audience journey on a CSV audience, through the running stack's API."""
    with switchboard_api(timeout_s=API_TIMEOUT_S) as api:
        report = api.launch_journey(name, audience.read_bytes(), campaign_id=campaign_id)
    print(
        f"{name} v{report.version}: campaign {report.campaign_id}, "
        f"{report.enrolled} enrolled, {len(report.rejected)} rejected"
    )
    for row in report.rejected:
        print(f"  row {row.row}: {row.reason}")


@app.command("runs")
def runs(
    name: JourneyArg,
    status: Annotated[
        str,
        typer.Option(help="running, completed, failed, canceled, terminated, timed_out or all"),
    ] = "running",
    customer: Annotated[str | None, typer.Option(help="Only this E.164 number")] = None,
) -> None:
    """List the journey's runs: customer, version, current step, channel, status, split
    branch, goal; then per version and branch: runs, conversions, runs per step."""
    from switchboard.journeys.stats import group_runs

    with switchboard_api(timeout_s=API_TIMEOUT_S) as api:
        found = api.journey_runs(name, status=status, customer=customer)
    print_table(
        ("CUSTOMER", "VERSION", "STEP", "CHANNEL", "STATUS", "BRANCH", "GOAL", "STARTED (UTC)"),
        [
            (
                r.customer or "?",
                r.version or "?",
                r.step or "?",
                r.channel or "-",
                r.status,
                r.branch or "-",
                r.goal or "-",
                f"{r.started_at:%Y-%m-%d %H:%M:%S}",
            )
            for r in found
        ],
    )
    print(f"{len(found)} run(s)\n")
    print_table(
        ("VERSION", "BRANCH", "RUNS", "CONVERTED", "STEPS"),
        [
            (
                g.version,
                g.branch or "-",
                str(g.runs),
                f"{g.converted} ({g.rate:.0%})",
                ", ".join(f"{step} {n}" for step, n in g.steps.items()),
            )
            for g in group_runs(found)
        ],
    )


@app.command("pause")
def pause(name: JourneyArg) -> None:
    """Pause every running run (each stops before its next step)."""
    with switchboard_api(timeout_s=API_TIMEOUT_S) as api:
        count = api.pause_journey(name)
    print(f"paused {count} running run(s) of {name}")


@app.command("resume")
def resume(name: JourneyArg) -> None:
    """Resume every running run."""
    with switchboard_api(timeout_s=API_TIMEOUT_S) as api:
        count = api.resume_journey(name)
    print(f"resumed {count} running run(s) of {name}")


@app.command("cancel")
def cancel(name: JourneyArg) -> None:
    """Cancel every running run."""
    with switchboard_api(timeout_s=API_TIMEOUT_S) as api:
        count = api.cancel_journey(name)
    print(f"cancelled {count} running run(s) of {name}")
