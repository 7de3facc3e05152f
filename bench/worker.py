"""The benchmark's worker: the product's worker (``worker.run``) with the latency-injecting
fake vendors of ``bench.fakes`` instead of the configured ones.

``python -m bench.worker``; the bench stack starts it in place of ``worker.py``.
"""

from __future__ import annotations

import asyncio

from bench.fakes import FakeVendors, LatencyProfile
from switchboard.logs import configure_logging
from switchboard.settings import Settings, get_settings
from worker import Providers, run


def fake_providers(settings: Settings) -> Providers:
    return FakeVendors.build(settings, LatencyProfile.from_env()).providers()


async def main() -> None:
    configure_logging()
    await run(get_settings(), fake_providers)


if __name__ == "__main__":
    asyncio.run(main())
