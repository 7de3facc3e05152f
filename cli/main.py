"""The ``switchboard`` command: run the stack, simulate customers, read conversations, demo."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from switchboard.settings import get_settings

if TYPE_CHECKING:
    from switchboard.journeys.schema import JourneyDefinition

app = typer.Typer(
    help="Switchboard: one agent, phone and WhatsApp, one memory.", no_args_is_help=True
)
simulate_app = typer.Typer(help="Send webhooks exactly as Twilio would.", no_args_is_help=True)
app.add_typer(simulate_app, name="simulate")

FromOpt = Annotated[str, typer.Option("--from", help="Customer's E.164 number, e.g. +33612345678")]


@app.command()
def up(
    data_dir: Annotated[
        Path | None, typer.Option(help="Where Postgres and Temporal keep data")
    ] = None,
) -> None:
    """Run the embedded stack in the foreground (Temporal, Postgres, sandbox, worker, API)."""
    from devtools.stack import Stack, StackError
    from switchboard.logs import configure_logging

    configure_logging()
    # Ctrl-C and `kill` both stop the stack cleanly, even where SIGINT starts out ignored
    # (background jobs, some process managers).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    settings = get_settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    try:
        with Stack(settings) as stack:
            print(f"API            {settings.api_url}  (public URL {settings.public_base_url})")
            print(f"Temporal UI    {settings.ui_url}")
            print(f"Twilio sandbox {settings.twilio_api_base_url}")
            print(f"Postgres       {stack.database_url}")
            print(f"Logs           {stack.log_dir}")
            print("Ctrl-C to stop.")
            stack.wait()
    except KeyboardInterrupt:
        print("stopped")
    except StackError as exc:
        print(f"error: {exc}")
        raise typer.Exit(1) from exc


@simulate_app.command("whatsapp")
def simulate_whatsapp(
    sender: FromOpt,
    text: Annotated[str, typer.Option(help="Message text")] = "",
    audio: Annotated[
        Path | None, typer.Option(help="Voice note (any audio; sent as OGG/Opus)")
    ] = None,
    image: Annotated[Path | None, typer.Option(help="Photo (JPEG/PNG)")] = None,
) -> None:
    """Send an inbound WhatsApp message (text, voice note or photo)."""
    from devtools.simulate import TwilioSimulator

    if not text and audio is None and image is None:
        raise typer.BadParameter("give --text, --audio or --image")

    async def send() -> str:
        sim = TwilioSimulator(get_settings())
        try:
            return await sim.whatsapp(sender, text=text, audio_file=audio, image_file=image)
        finally:
            await sim.aclose()

    sid = asyncio.run(send())
    print(
        f"sent {sid}; the reply arrives in the sandbox and in `switchboard conversation {sender}`"
    )


@simulate_app.command("call")
def simulate_call(
    sender: FromOpt,
    audio: Annotated[list[Path], typer.Option(help="One caller turn per file, in order")],
) -> None:
    """Place an inbound call: one recorded turn per --audio file, then hang up."""
    from devtools.simulate import CallLog, TwilioSimulator

    async def place() -> CallLog:
        sim = TwilioSimulator(get_settings())
        try:
            return await sim.call(sender, list(audio))
        finally:
            await sim.aclose()

    log = asyncio.run(place())
    print(f"call {log.call_sid}")
    print(f"  agent: {' '.join(log.greeting.says)}")
    for sid, reply in log.turns:
        heard = " ".join(reply.says) or ", ".join(reply.play_urls)
        print(f"  caller turn {sid} → agent: {heard}{' (hung up)' if reply.hangup else ''}")


@app.command()
def conversation(e164: Annotated[str, typer.Argument(help="E.164 number")]) -> None:
    """Print a customer's cross-channel timeline."""
    from operations.api_client import SwitchboardClient
    from switchboard.timeline import render

    client = SwitchboardClient(get_settings())
    try:
        print(render(client.conversation(e164)))
    finally:
        client.close()


@app.command()
def consent(
    e164: Annotated[str, typer.Argument(help="E.164 number")],
    channel: Annotated[str, typer.Option(help="whatsapp or voice")] = "whatsapp",
    status: Annotated[str, typer.Option(help="opted_in or opted_out")] = "opted_in",
    source: Annotated[str, typer.Option(help="Where the consent was given")] = "cli",
    purpose: Annotated[str, typer.Option(help="service or marketing")] = "service",
) -> None:
    """Record an opt-in or opt-out."""
    from operations.api_client import SwitchboardClient

    client = SwitchboardClient(get_settings())
    try:
        client.record_consent(e164, channel=channel, status=status, source=source, purpose=purpose)
    finally:
        client.close()
    print(f"recorded {channel} {status} for {e164}")


@app.command()
def demo(
    keep_running: Annotated[bool, typer.Option(help="Keep the stack up to browse the UI")] = False,
) -> None:
    """The main job: a call books an appointment, WhatsApp confirms it and answers from it."""
    from devtools.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    raise typer.Exit(run_demo(keep_running=keep_running))


# -- journeys ------------------------------------------------------------------------------------

journeys_app = typer.Typer(
    help="Journey definitions (list, validate, schema, dry-run) and runs (launch, runs, pause, "
    "resume, cancel: through the running stack's API).",
    no_args_is_help=True,
)
app.add_typer(journeys_app, name="journeys")

JourneyArg = Annotated[str, typer.Argument(help="Journey name (its file is journeys/<name>.yaml)")]
SCHEMA_FILE = "journey.schema.json"


def journey_schema_text() -> str:
    """The JSON Schema of a journey file (``JourneyDefinition``), as checked in at
    ``journeys/journey.schema.json``: 2-space indented JSON with a final newline.

    Pydantic describes durations as ISO 8601 (``format: duration``, default ``PT30M``) and
    times as RFC 3339 (``format: time``, ``09:00:00``), which is not what journey files say:
    the loader reads durations with pytimeparse (``"30m"``, ``"24h"``, ``"2d"``; ISO is
    refused) and times as ``"HH:MM"``. Those two are rewritten so an editor checks a file the
    way the loader does."""
    import json

    from switchboard.journeys.schema import JourneyDefinition

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **JourneyDefinition.model_json_schema(),
    }
    return json.dumps(_as_written(schema), indent=2, ensure_ascii=False) + "\n"


_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _as_written(node: Any) -> Any:
    """``node`` with ``format: duration``/``format: time`` schemas (and their defaults) in the
    notation of journey files; see ``journey_schema_text``."""
    from pydantic import TypeAdapter

    if isinstance(node, list):
        return [_as_written(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_written(value) for key, value in node.items()}
    if out.get("format") == "duration":
        del out["format"]
        out["examples"] = ["30m", "24h", "2d", "1h30m"]
        if isinstance(out.get("default"), str):
            delta = TypeAdapter(timedelta).validate_python(out["default"])  # ISO 8601
            minutes = int(delta.total_seconds()) // 60
            out["default"] = f"{minutes // 60}h" if minutes % 60 == 0 and minutes else f"{minutes}m"
    elif out.get("format") == "time":
        del out["format"]
        out["pattern"] = _TIME_PATTERN
        out["examples"] = ["09:00", "18:30"]
        if isinstance(out.get("default"), str):
            out["default"] = out["default"].removesuffix(":00")
    return out


@journeys_app.command("list")
def journeys_list() -> None:
    """Every journey (name, version, trigger, steps), then the problems of invalid files."""
    from switchboard.journeys.loader import load_all

    journeys, problems = load_all(get_settings().journeys_dir)
    rows = [
        (d.name, d.version, d.trigger.event, str(len(d.steps))) for _, d in sorted(journeys.items())
    ]
    print(_table(("NAME", "VERSION", "TRIGGER", "STEPS"), rows))
    if problems:
        print(f"\n{len(problems)} problem(s) in invalid journey files:")
        for problem in problems:
            print(f"  {problem}")


@journeys_app.command("validate")
def journeys_validate(
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
            load_file(file)
        except JourneyFileError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem)
    if failed:
        print(f"{failed} of {len(files)} journey file(s) invalid")
        raise typer.Exit(1)
    print(f"{len(files)} journey file(s) valid")


@journeys_app.command("schema")
def journeys_schema(
    write: Annotated[
        bool, typer.Option("--write", help=f"Write journeys/{SCHEMA_FILE} instead of printing")
    ] = False,
) -> None:
    """The JSON Schema of a journey file, for editors (checked in: journeys/journey.schema.json)."""
    text = journey_schema_text()
    if not write:
        print(text, end="")
        return
    target = get_settings().journeys_dir / SCHEMA_FILE
    target.write_text(text)
    print(f"wrote {target}")


@journeys_app.command(
    "dry-run",
    epilog="The real journey workflow runs in Temporal's time-skipping test server with "
    "in-memory activities: nothing is sent and days pass in a second. The customer is "
    "+33612345678 (Europe/Paris); calls are answered unless --no-answer.",
)
def journeys_dry_run(
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
            "booking_confirmed) DURATION after the journey's previous message; repeatable",
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
) -> None:
    """Run the journey for a made-up customer; print what they would see and hear, when."""
    from datetime import UTC, datetime

    from operations.dry_run import (
        DryRunError,
        DryRunOptions,
        ScriptedReply,
        dry_run,
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
    options = DryRunOptions(
        opted_in=opted_in, replies=replies, answer_calls=not no_answer, start=start_at
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


def _exit_now(code: int) -> NoReturn:
    """Exit without interpreter teardown. The Temporal SDK's Rust threads can outlive the event
    loop and abort a finalizing interpreter ("PyGILState_Release: thread state … must be
    current", temporalio/sdk-python#300): about one dry run in four ended with SIGABRT (134)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@journeys_app.command("launch")
def journeys_launch(
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
    params = {"campaign_id": campaign_id} if campaign_id else {}
    body = _api_call(
        "POST",
        f"/journeys/{name}/launch",
        params=params,
        content=audience.read_bytes(),
        headers={"Content-Type": "text/csv"},
    )
    print(
        f"{name} v{body['version']}: campaign {body['campaign_id']}, "
        f"{body['enrolled']} enrolled, {len(body['rejected'])} rejected"
    )
    for row in body["rejected"]:
        print(f"  row {row['row']}: {row['reason']}")


@journeys_app.command("runs")
def journeys_runs(
    name: JourneyArg,
    status: Annotated[
        str,
        typer.Option(help="running, completed, failed, canceled, terminated, timed_out or all"),
    ] = "running",
    customer: Annotated[str | None, typer.Option(help="Only this E.164 number")] = None,
) -> None:
    """List the journey's runs: customer, version, current step, channel, status."""
    params = {"status": status, **({"customer": customer} if customer else {})}
    body = _api_call("GET", f"/journeys/{name}/runs", params=params)
    rows = [
        (
            r["customer"] or "?",
            r["version"] or "?",
            r["step"] or "?",
            r["channel"] or "-",
            r["status"],
            r["started_at"][:19].replace("T", " "),
        )
        for r in body["runs"]
    ]
    print(_table(("CUSTOMER", "VERSION", "STEP", "CHANNEL", "STATUS", "STARTED (UTC)"), rows))
    print(f"{len(rows)} run(s)")


def _run_action(name: str, action: str, done: str) -> None:
    body = _api_call("POST", f"/journeys/{name}/{action}")
    print(f"{done} {body['runs']} running run(s) of {name}")


@journeys_app.command("pause")
def journeys_pause(name: JourneyArg) -> None:
    """Pause every running run (each stops before its next step)."""
    _run_action(name, "pause", "paused")


@journeys_app.command("resume")
def journeys_resume(name: JourneyArg) -> None:
    """Resume every running run."""
    _run_action(name, "resume", "resumed")


@journeys_app.command("cancel")
def journeys_cancel(name: JourneyArg) -> None:
    """Cancel every running run."""
    _run_action(name, "cancel", "cancelled")


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
        return load_file(path)
    except JourneyFileError as exc:
        for problem in exc.problems:
            print(problem)
        raise typer.Exit(1) from exc


def _api_call(
    method: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """Call the running stack's API with its key; returns the JSON body. Prints the API's error
    and exits 1 on an error status or when the API cannot be reached."""
    import httpx

    settings = get_settings()
    try:
        response = httpx.request(
            method,
            settings.api_url + path,
            params=params,
            content=content,
            headers={"X-API-Key": settings.api_key.get_secret_value(), **(headers or {})},
            timeout=120,
        )
    except httpx.TransportError as exc:
        print(f"error: cannot reach the API at {settings.api_url} ({exc}); is the stack up?")
        raise typer.Exit(1) from exc
    if response.is_error:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        print(f"error: {response.status_code}: {detail}")
        raise typer.Exit(1)
    return response.json()


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces, header first."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=False)]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


if __name__ == "__main__":
    app()
