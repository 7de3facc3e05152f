"""The media process: real-time calls over Twilio Media Streams (docs/architecture.md, "A
real-time call"). Its own process so that calls never compete with webhook acks, and several
can run side by side behind one URL.

Run with ``uvicorn --factory api.media_main:app --port <media_port>`` (``switchboard up`` does
it for you).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from temporalio.client import Client

from api.call_twiml import greeting
from api.main import given_client, lazy_temporal
from api.routes import twilio_stream
from operations.calls.session import CallEngines
from switchboard.business import load_profile
from switchboard.db.engine import Database
from switchboard.logs import configure_logging
from switchboard.providers.factory import make_agent, make_speech_synthesis, make_streaming_stt
from switchboard.providers.streaming import render
from switchboard.settings import Settings, get_settings

log = logging.getLogger("switchboard.media")


def make_engines(settings: Settings) -> CallEngines:
    """The engines a call uses, per settings (local or vendors)."""
    return CallEngines(
        stt=make_streaming_stt(settings),
        tts=make_speech_synthesis(settings),
        agent=make_agent(settings),
        profile=load_profile(settings.business_profile),
        window=settings.conversation_window,
        default_timezone=settings.default_timezone,
        early_transcript_ms=settings.call_early_transcript_ms,
    )


def create_media_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    temporal: Client | None = None,
    engines: CallEngines | None = None,
) -> FastAPI:
    """Build the app. Tests pass their own settings, database, Temporal client and engines."""
    cfg = settings or get_settings()
    cfg.refuse_exposure(cfg.api_host)  # fail closed: no placeholder secrets off loopback

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned: Database | None = None
        if db is None:
            if cfg.database_url is None:
                raise RuntimeError("no database URL: set DATABASE_URL or run `switchboard up`")
            owned = app.state.db = Database(cfg.database_url)
        app.state.engines = engines or make_engines(cfg)
        # Ready before the first call: the model loaded, the greeting's first frame at once.
        await app.state.engines.stt.warm()
        app.state.greeting_text = greeting(app.state.engines.profile)
        app.state.greeting = await render(app.state.engines.tts, app.state.greeting_text)
        try:
            yield
        finally:
            if owned is not None:
                await owned.dispose()

    app = FastAPI(title="Switchboard media", lifespan=lifespan)
    app.state.settings = cfg
    if db is not None:
        app.state.db = db
    getter: Callable[[], Awaitable[Client]] = (
        given_client(temporal) if temporal is not None else lazy_temporal(cfg)
    )
    app.state.temporal = getter

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(twilio_stream.router)
    return app


def app() -> FastAPI:
    """Factory for ``uvicorn --factory api.media_main:app``."""
    configure_logging()
    return create_media_app()
