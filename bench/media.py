"""The benchmark's media process with fake streaming vendors: the product's
``api.media_main.create_media_app`` (the Media Stream route, ``CallSession``, VAD, speaker,
the ``call_turn`` Update, all unchanged) with the engines of ``bench.call_fakes`` instead of
the configured ones, plus one read-only route:

- ``GET /bench/call-events?clear=true``: what the fake STT, agent and TTS did and when
  (``Timeline`` rows, wall-clock s), oldest first; ``clear`` empties the list after reading.

``uvicorn --factory bench.media:app``; the calls suite swaps it in for ``api.media_main:app``
(``BenchStack.media_factory``). Latencies come from ``BENCH_CALL_LATENCY``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request

from api.media_main import create_media_app
from bench.call_fakes import CallLatency, Timeline, fake_call_engines
from switchboard.logs import configure_logging
from switchboard.settings import get_settings

router = APIRouter(prefix="/bench", tags=["bench"])


@router.get("/call-events")
async def call_events(request: Request, clear: bool = False) -> dict[str, Any]:
    timeline: Timeline = request.app.state.bench_timeline
    events = timeline.drain() if clear else list(timeline.events)
    return {"events": events}


def app() -> FastAPI:
    configure_logging()
    settings = get_settings()
    timeline = Timeline()
    application = create_media_app(
        settings, engines=fake_call_engines(settings, CallLatency.from_env(), timeline)
    )
    application.state.bench_timeline = timeline
    application.include_router(router)
    return application
