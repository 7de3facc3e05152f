"""The calls suite's worker for the record path with fake vendors: ``bench.worker``'s fakes
(``BENCH_LATENCY``), but the STT answers the caller's script line that matches the recording
(``bench.call_fakes.ScriptedSTT``, lengths from ``BENCH_CALL_SCRIPT``), so a recorded call has
the same conversation as a streamed one.

``python -m bench.call_worker``; the calls suite swaps it in (``BenchStack.worker_module``).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bench.call_fakes import ScriptedSTT
from bench.fakes import FakeVendors, LatencyProfile
from switchboard.logs import configure_logging
from switchboard.settings import Settings, get_settings
from worker import Providers, run


def scripted_providers(settings: Settings) -> Providers:
    profile = LatencyProfile.from_env()
    providers: Providers = FakeVendors.build(settings, profile).providers()
    return replace(providers, stt=ScriptedSTT(profile.stt, ScriptedSTT.lengths_from_env()))


async def main() -> None:
    configure_logging()
    await run(get_settings(), scripted_providers)


if __name__ == "__main__":
    asyncio.run(main())
