"""The HTTP API: Twilio webhooks, customer resources, synthesised audio.

Run with ``uvicorn api.main:app`` (``switchboard up`` does it for you).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from api.deps import TemporalUnavailable
from api.routes import (
    customers,
    journeys,
    media,
    twilio_amd,
    twilio_status,
    twilio_voice,
    twilio_whatsapp,
)
from api.twilio_forms import FormError
from switchboard.db.engine import Database
from switchboard.logs import configure_logging
from switchboard.settings import Settings, get_settings
from switchboard.temporal import TASK_QUEUE, connect

log = logging.getLogger("switchboard.api")


def lazy_temporal(settings: Settings) -> Callable[[], Awaitable[Client]]:
    """Connect on first use and reuse the client; a Temporal outage then fails the request
    (Twilio retries) instead of the API's start-up."""
    client: Client | None = None
    lock = asyncio.Lock()

    async def get() -> Client:
        nonlocal client
        async with lock:
            if client is None:
                try:
                    client = await connect(settings.temporal_address, settings.temporal_namespace)
                except RuntimeError as exc:  # the SDK's "Failed client connect"
                    raise TemporalUnavailable(str(exc)) from exc
        return client

    return get


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    temporal: Client | None = None,
    task_queue: str = TASK_QUEUE,
) -> FastAPI:
    """Build the app. Tests pass their own settings, database and Temporal client (then the
    app owns nothing and the lifespan has nothing to open or close)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if db is not None:
            yield
            return
        cfg = app.state.settings
        if cfg.database_url is None:
            raise RuntimeError("no database URL: set DATABASE_URL or run `switchboard up`")
        app.state.db = Database(cfg.database_url)
        try:
            yield
        finally:
            await app.state.db.dispose()

    cfg = settings or get_settings()
    app = FastAPI(title="Switchboard", lifespan=lifespan)
    app.state.settings = cfg
    app.state.task_queue = task_queue
    if db is not None:
        app.state.db = db
    app.state.temporal = given_client(temporal) if temporal is not None else lazy_temporal(cfg)

    @app.exception_handler(FormError)
    async def form_error(_: Request, exc: FormError) -> JSONResponse:
        return JSONResponse({"detail": exc.errors}, status_code=422)

    async def temporal_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Temporal unreachable, too slow, or the customer's workflow briefly unable to take an
        # Update (its worker just died): the event is already recorded; 503 makes Twilio retry.
        log.warning("temporal unavailable for %s: %s", request.url.path, exc)
        return JSONResponse(
            {"detail": "temporarily unavailable, retry"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    app.add_exception_handler(RPCError, temporal_unavailable)
    app.add_exception_handler(TemporalUnavailable, temporal_unavailable)
    app.add_exception_handler(RPCTimeoutOrCancelledError, temporal_unavailable)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    for module in (
        twilio_whatsapp,
        twilio_voice,
        twilio_amd,
        twilio_status,
        customers,
        media,
        journeys,
    ):
        app.include_router(module.router)
    return app


def given_client(client: Client) -> Callable[[], Awaitable[Client]]:
    async def get() -> Client:
        return client

    return get


def app() -> FastAPI:
    """Factory for ``uvicorn --factory api.main:app``."""
    configure_logging()
    return create_app()
