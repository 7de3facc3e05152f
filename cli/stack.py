"""``switchboard up`` and ``switchboard demo``: the embedded development stack.

Both need ``devtools`` (development only; its engines may be absent where the CLI ships), so it
is imported inside the commands: ``import cli.main`` works without it.
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Annotated

import typer

from switchboard.settings import ExposedWithPlaceholders, get_settings


def up(
    data_dir: Annotated[
        Path | None, typer.Option(help="Where Postgres and Temporal keep data")
    ] = None,
) -> None:
    """Run the embedded stack in the foreground (Temporal, Postgres, sandbox, worker, inbox
    relay, API, media process)."""
    try:
        # Fail closed before starting anything: the API and media processes would refuse too.
        get_settings().refuse_exposure(get_settings().api_host)
    except ExposedWithPlaceholders as exc:
        print(f"error: {exc}")
        raise typer.Exit(1) from exc
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
        # The relay, worker and Temporal at background CPU priority: on one machine a burst
        # of webhooks is acknowledged first, its turns run after (devtools.background).
        with Stack(settings, deferred_priority=True) as stack:
            print(f"API            {settings.api_url}  (public URL {settings.public_base_url})")
            # localhost, as the Temporal UI: the console's cookie then goes with its codec calls.
            print(f"Console        {settings.local_api_url}/console  (sign in with a person's key)")
            print(f"Temporal UI    {settings.ui_url}")
            print(
                f"  payloads: sign in at the console as an engineer or admin, then in the UI's "
                f"Codec Server settings, once per browser: 'Use my browser setting', endpoint "
                f"{settings.local_api_url}/codec, 'Include cross-origin credentials'"
            )
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


def demo(
    keep_running: Annotated[bool, typer.Option(help="Keep the stack up to browse the UI")] = False,
) -> None:
    """The main job: a call books an appointment, WhatsApp confirms it and answers from it."""
    from devtools.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    raise typer.Exit(run_demo(keep_running=keep_running))
