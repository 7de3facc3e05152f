"""``switchboard simulate``: inbound WhatsApp messages and calls, sent to the running stack as
Twilio's webhooks. Needs ``devtools`` (development only), imported inside the commands."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from switchboard.settings import get_settings

if TYPE_CHECKING:
    from devtools.simulate import CallLog, StreamCallLog

app = typer.Typer(help="Send webhooks exactly as Twilio would.", no_args_is_help=True)

FromOpt = Annotated[str, typer.Option("--from", help="Customer's E.164 number, e.g. +33612345678")]


@app.command("whatsapp")
def whatsapp(
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


@app.command("call")
def call(
    sender: FromOpt,
    audio: Annotated[list[Path], typer.Option(help="One caller turn per file, in order")],
    barge_in: Annotated[
        int | None,
        typer.Option(help="Talk over each reply this many ms after it starts playing"),
    ] = None,
    record_to: Annotated[
        Path | None, typer.Option(help="Write what the caller heard to this WAV")
    ] = None,
) -> None:
    """Place an inbound call, one caller turn per --audio file, then hang up. With
    SWITCHBOARD_CALL_MODE=stream (the default) the call is a Media Stream played in real time
    (20 ms frames, marks, clear) and each turn's latency is measured; with ``record``, one
    recorded turn per file."""
    from devtools.simulate import TwilioSimulator

    settings = get_settings()
    if settings.call_mode == "record":
        if barge_in is not None or record_to is not None:
            raise typer.BadParameter("--barge-in and --record-to need SWITCHBOARD_CALL_MODE=stream")

        async def place() -> CallLog:
            sim = TwilioSimulator(settings)
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
        return

    async def stream() -> StreamCallLog:
        sim = TwilioSimulator(settings)
        try:
            return await sim.stream_call(
                sender,
                [path.read_bytes() for path in audio],
                barge_in_ms=barge_in,
                record_to=record_to,
            )
        finally:
            await sim.aclose()

    streamed = asyncio.run(stream())
    print(f"call {streamed.call_sid} (Media Stream)")
    for line in streamed.figures():
        print(f"  {line}")
    print(f"what was said: `switchboard conversation {sender}`")
