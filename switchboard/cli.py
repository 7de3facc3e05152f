"""The ``switchboard`` command: run the stack, simulate customers, read conversations, demo."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import Annotated

import typer

from switchboard.settings import get_settings

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
    from switchboard.logs import configure_logging
    from switchboard.stack import Stack, StackError

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
            print(f"Temporal UI    {settings.temporal_ui_url}")
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
    from switchboard.simulate import TwilioSimulator

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
    from switchboard.simulate import CallLog, TwilioSimulator

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
    from switchboard.api_client import SwitchboardClient
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
    from switchboard.api_client import SwitchboardClient

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
    from switchboard.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    raise typer.Exit(run_demo(keep_running=keep_running))


if __name__ == "__main__":
    app()
