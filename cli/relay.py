"""``switchboard relay``: the inbox relay as a process of its own.

The API process runs one already (``SWITCHBOARD_INBOX_RELAY``, default true); run this where the
API's should be off, or beside it: any number of relays can run at once (``operations.relay``).
"""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from switchboard.settings import Settings, get_settings


def relay(
    concurrency: Annotated[int, typer.Option(help="Customers drained at once")] = 8,
    sweep_s: Annotated[
        float | None, typer.Option(help="Seconds between sweeps [SWITCHBOARD_INBOX_SWEEP_S]")
    ] = None,
) -> None:
    """Hand committed WhatsApp messages to the customer workflows (LISTEN/NOTIFY + sweep)."""
    from switchboard.logs import configure_logging

    configure_logging()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    settings = get_settings()
    if settings.database_url is None:
        print("error: no database URL: set DATABASE_URL")
        raise typer.Exit(1)
    try:
        asyncio.run(_run(settings, concurrency, sweep_s or settings.inbox_sweep_s))
    except KeyboardInterrupt:
        print("stopped")


async def _run(settings: Settings, concurrency: int, sweep_s: float) -> None:
    from api.main import lazy_temporal
    from operations.relay import InboxRelay
    from switchboard.db.engine import RELAY_CONNECTIONS, Database
    from switchboard.temporal import TASK_QUEUE

    assert settings.database_url is not None
    db = Database(
        settings.database_url, pool_size=concurrency + 2, application_name=RELAY_CONNECTIONS
    )
    try:
        # A process of its own: the webhooks' event loop is elsewhere, and the operating system
        # defers this process where it shares CPUs with the API (``operations.relay``).
        inbox = InboxRelay(
            db,
            lazy_temporal(settings),
            TASK_QUEUE,
            sweep_s=sweep_s,
            concurrency=concurrency,
            yield_to_acks=False,
        )
        await inbox.run()
    finally:
        await db.dispose()
