"""``switchboard conversation`` and ``switchboard consent``: a customer's timeline and consent,
through the running stack's API."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.output import switchboard_api

E164Arg = Annotated[str, typer.Argument(help="E.164 number")]


def conversation(e164: E164Arg) -> None:
    """Print a customer's cross-channel timeline."""
    from switchboard.timeline import render

    with switchboard_api() as api:
        print(render(api.conversation(e164)))


def consent(
    e164: E164Arg,
    channel: Annotated[str, typer.Option(help="whatsapp or voice")] = "whatsapp",
    status: Annotated[str, typer.Option(help="opted_in or opted_out")] = "opted_in",
    source: Annotated[str, typer.Option(help="Where the consent was given")] = "cli",
    purpose: Annotated[str, typer.Option(help="service or marketing")] = "service",
) -> None:
    """Record an opt-in or opt-out."""
    with switchboard_api() as api:
        api.record_consent(e164, channel=channel, status=status, source=source, purpose=purpose)
    print(f"recorded {channel} {status} for {e164}")
