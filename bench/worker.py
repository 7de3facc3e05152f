"""The benchmark's worker: the product's workers (``build_worker``, ``build_outreach_worker``)
with the latency-injecting fake vendors of ``bench.fakes`` instead of the configured ones.

``python -m bench.worker``; the bench stack starts it in place of ``worker.py``. It mirrors
``worker.main`` line for line except for where the providers come from.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from bench.fakes import FakeVendors, LatencyProfile
from switchboard.db.engine import Database
from switchboard.logs import configure_logging
from switchboard.settings import get_settings
from switchboard.temporal import OUTREACH_TASK_QUEUE, TASK_QUEUE, connect
from worker import build_outreach_worker, build_worker

log = logging.getLogger("bench.worker")


async def main() -> None:
    configure_logging()
    settings = get_settings()
    if settings.database_url is None:
        raise SystemExit("no database URL")
    client = await connect(settings.temporal_address, settings.temporal_namespace)
    db = Database(settings.database_url)
    providers = FakeVendors.build(settings, LatencyProfile.from_env()).providers()
    worker = build_worker(client, db, providers, settings, task_queue=TASK_QUEUE)
    outreach = build_outreach_worker(
        client, db, providers, settings, task_queue=OUTREACH_TASK_QUEUE
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks: list[asyncio.Future[Any]] = [
        asyncio.ensure_future(worker.run()),
        asyncio.ensure_future(outreach.run()),
        asyncio.ensure_future(stop.wait()),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(worker.shutdown(), outreach.shutdown()), 10)
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
