"""The HTTP API: Twilio webhooks, customer resources, synthesised audio.

Run with ``uvicorn api.main:app`` (``switchboard up`` does it for you).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import psycopg
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.requests import ClientDisconnect
from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from api import console, docs
from api.access import admin_unless_declared, document_responses
from api.deps import PUBLIC, TemporalUnavailable
from api.limits import BodyLimit, RateLimit
from api.routes import (
    codec,
    customers,
    events,
    journeys,
    keys,
    media,
    twilio_amd,
    twilio_status,
    twilio_voice,
    twilio_whatsapp,
)
from api.twilio_forms import FormError
from operations.relay import InboxNotifier, InboxRelay
from switchboard.db.engine import Database
from switchboard.db.inbound import INBOX_IN_FLIGHT, InboxWriter
from switchboard.db.payload_keys import PostgresKeyStore
from switchboard.logs import configure_logging
from switchboard.payload_codec import KeyStore
from switchboard.settings import Settings, get_settings
from switchboard.temporal import TASK_QUEUE, connect, payload_keys_of

log = logging.getLogger("switchboard.api")

# Customers the API's inbox relay drains at once (each holds a connection of its own pool).
RELAY_CONCURRENCY = 8
# The webhooks' one-statement acknowledgements run on a pool of their own (psycopg's,
# ``Database(statement_pool_size=…)``), kept open, with no overflow: an overflow connection is
# opened for one webhook and closed after it (a Postgres backend forked and authenticated each
# time), which under a burst is exactly when every connection is in use (issue 11: backends
# "starting" all through a 200/s run with 20 + 10). The same 30 at most, all kept, shared
# by the API's processes (``settings.api_workers``; ``statement_pool_size``); besides them each
# process keeps ``INBOX_IN_FLIGHT`` for the WhatsApp acknowledgements alone
# (``Database(ack_pool_size=...)``), so a burst of other webhooks waiting on a lock cannot
# hold every connection an acknowledgement needs.
API_POOL_SIZE = 30
# How long a webhook waits for one of them before its 503. Twilio waits 15 s in all for a
# webhook's response and does not retry a 5xx by default
# (https://www.twilio.com/docs/api/errors/11205): a 503 sooner than that only turns a
# message that would have been acknowledged late into a lost one.
API_POOL_WAIT_S = 12.0
# Container objects allocated (net of those freed) between two young-generation collections of
# the API process; Python's default is 700 (``gc.set_threshold``,
# https://docs.python.org/3/library/gc.html#gc.set_threshold). A webhook leaves no cyclic
# garbage (every object it allocates is freed by reference counting: 0 objects found by
# ``gc.DEBUG_SAVEALL`` after 500 webhooks), so a collection finds nothing to free; but the
# requests in flight hold live objects between them, so at 700 the collector ran every ~180
# webhooks, each run walking every one of them while the event loop and every waiting webhook
# stood still. Measured in-process (the ASGI app on a real Postgres, 64 in
# flight, 6,000 webhooks, a loaded 2-core machine, issue 11): at 700, 5.5 collections per
# 1,000 webhooks and 87 ms of CPU in them; at 10,000, 0.3 and 17 ms. Memory stays bounded:
# what a collection would free (an error's traceback cycle) waits for at most 10,000
# allocations.
GC_YOUNG_THRESHOLD = 10_000
# SQLAlchemy's pool, for everything else (sessions: the API's resources, a flagged number's
# transaction): a few requests a second.
API_SESSION_POOL_SIZE = 5


def statement_pool_size(workers: int) -> int:
    """Connections of one API process's statement pool when ``workers`` processes share the
    API's port: ``API_POOL_SIZE`` split between them (at least 4 each), so that adding
    processes does not multiply the Postgres backends they keep open (each process opens all of
    its own at start-up; Postgres refuses connections past ``max_connections``, 100 by
    default, https://www.postgresql.org/docs/current/runtime-config-connection.html)."""
    return max(API_POOL_SIZE // max(workers, 1), 4)


def lazy_temporal(
    settings: Settings, keys: KeyStore | None = None
) -> Callable[[], Awaitable[Client]]:
    """Connect on first use and reuse the client; a Temporal outage then fails the request
    (the voice webhooks) or pauses the inbox relay, instead of the API's start-up. ``keys``:
    the payload codec's key store (default: the settings' database)."""
    client: Client | None = None
    lock = asyncio.Lock()
    store = keys if keys is not None else PostgresKeyStore.from_settings(settings)

    async def get() -> Client:
        nonlocal client
        async with lock:
            if client is None:
                try:
                    client = await connect(
                        settings.temporal_address, settings.temporal_namespace, keys=store
                    )
                except RuntimeError as exc:  # the SDK's "Failed client connect"
                    raise TemporalUnavailable(str(exc)) from exc
        return client

    return get


def retry_later() -> JSONResponse:
    """503 with ``Retry-After: 1`` (s): a dependency is out of reach and nothing was done."""
    return JSONResponse(
        {"detail": "temporarily unavailable, retry"}, status_code=503, headers={"Retry-After": "1"}
    )


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    temporal: Client | None = None,
    task_queue: str = TASK_QUEUE,
    inbox: InboxRelay | InboxNotifier | None = None,
) -> FastAPI:
    """Build the app. Tests pass their own settings, database and Temporal client (then the
    app owns nothing and the lifespan has nothing to open or close) and may pass the inbox
    relay; without one, each committed WhatsApp message is handed over at once in a task of
    its own (``InboxRelay.committed``), with no LISTEN and no sweep.

    Run for real (the lifespan), the app runs the inbox relay (``operations.relay``) unless
    ``settings.inbox_relay`` is false: in the API process so that every deployment that takes
    webhooks also hands them over (``switchboard up``, docker-compose), on a connection pool of
    its own so a slow Temporal never holds the webhooks' connections. Several API processes
    mean several relays, which is safe; ``switchboard relay`` runs one on its own (with
    ``inbox_relay`` false, the API wakes such relays with ``InboxNotifier``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if db is not None:
            yield
            return
        cfg = app.state.settings
        if cfg.database_url is None:
            raise RuntimeError("no database URL: set DATABASE_URL or run `switchboard up`")
        # Webhooks hold a connection for one statement and a commit; at hundreds a second a
        # pool of 5 (+ overflow connections opened and closed each time) churns connections.
        app.state.db = Database(
            cfg.database_url,
            pool_size=API_SESSION_POOL_SIZE,
            statement_pool_size=statement_pool_size(cfg.api_workers),
            statement_timeout_s=API_POOL_WAIT_S,
            ack_pool_size=INBOX_IN_FLIGHT,
        )
        await app.state.db.open()
        app.state.inbox_writer = InboxWriter(app.state.db)
        relay_db: Database | None = None
        relay_task: asyncio.Task[None] | None = None
        if not cfg.inbox_relay:  # relays run elsewhere (`switchboard relay`): wake them
            app.state.inbox = InboxNotifier(app.state.db)
            relay_task = asyncio.create_task(app.state.inbox.run(), name="inbox notify")
        else:
            relay_db = Database(cfg.database_url, pool_size=RELAY_CONCURRENCY + 2)
            app.state.inbox = InboxRelay(
                relay_db,
                app.state.temporal,
                task_queue,
                sweep_s=cfg.inbox_sweep_s,
                concurrency=RELAY_CONCURRENCY,
            )
            relay_task = asyncio.create_task(app.state.inbox.run(), name="inbox relay")
        # Everything alive now lives as long as the process (modules, the app, the pools):
        # out of the collector's sight, so that a full collection, which stops the event loop
        # and every webhook waiting on it, looks only at what came later. Measured on the
        # benchmark machine (loaded at the time): 248,000 objects tracked after start-up, a
        # full collection ~0.9 s before, ~0 ms after (issue 11).
        # https://docs.python.org/3/library/gc.html#gc.freeze
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)
            if relay_task is not None:
                relay_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await relay_task
            if relay_db is not None:
                await relay_db.dispose()
            await app.state.db.dispose()

    cfg = settings or get_settings()
    cfg.refuse_exposure(cfg.api_host)  # fail closed: no placeholder secrets off loopback
    app = FastAPI(
        title="Switchboard",
        lifespan=lifespan,
        docs_url=None,  # served by api.docs, without a CDN
        redoc_url=None,
        dependencies=[Depends(admin_unless_declared)],  # a route that declares nothing: admin
        # FastAPI's native OpenTelemetry (its ``telemetry`` parameter, on by default) asks the
        # global tracer, meter and logger providers on every request whether one was
        # configured; none is in Switchboard: ~0.03 ms of the API's CPU per webhook, ~4% of
        # the WhatsApp acknowledgement's in-process (8,000 webhooks, alternated, issue 11).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = cfg
    app.state.task_queue = task_queue
    # One key store per app, shared by its Temporal client and the codec server, so that an
    # erasure through this API empties the cache the codec server reads.
    if temporal is not None:
        app.state.payload_keys = payload_keys_of(temporal)
        app.state.temporal = given_client(temporal)
    else:
        app.state.payload_keys = PostgresKeyStore.from_settings(cfg)
        app.state.temporal = lazy_temporal(cfg, app.state.payload_keys)
    app.state.inbox = inbox
    # The WhatsApp webhook's group commit (``api.webhook_events.record_event``); set with the
    # database, by the lifespan when the app opens its own.
    app.state.inbox_writer = None
    if db is not None:
        app.state.db = db
        app.state.inbox_writer = InboxWriter(db)
        if inbox is None:
            app.state.inbox = InboxRelay(db, app.state.temporal, task_queue, listen=False)

    @app.exception_handler(FormError)
    async def form_error(_: Request, exc: FormError) -> JSONResponse:
        return JSONResponse({"detail": exc.errors}, status_code=422)

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, _: ClientDisconnect) -> Response:
        # The caller hung up before its body was read (Twilio gives up after 15 s): nothing was
        # read or recorded, and nobody reads this answer. Unhandled, each was logged with its
        # traceback through the redaction filter, ~1,000 of them in a 200/s burst the API was
        # behind on: CPU taken from the webhooks still waiting, when they were latest (issue 11).
        log.info("caller went away before %s was read", request.url.path)
        return Response(status_code=400)

    async def temporal_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Temporal unreachable, too slow, or the customer's workflow briefly unable to take an
        # Update (its worker just died): the event is already recorded; 503 makes Twilio retry.
        log.warning("temporal unavailable for %s: %s", request.url.path, exc)
        return retry_later()

    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Postgres down, or no connection free within the pool's timeout: nothing was
        # recorded, so nothing is acknowledged.
        log.warning("database unavailable for %s: %s", request.url.path, exc)
        return retry_later()

    app.add_exception_handler(psycopg.OperationalError, database_unavailable)
    app.add_exception_handler(RPCError, temporal_unavailable)
    app.add_exception_handler(TemporalUnavailable, temporal_unavailable)
    app.add_exception_handler(RPCTimeoutOrCancelledError, temporal_unavailable)

    @app.get("/healthz", dependencies=[PUBLIC])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    for module in (
        codec,
        twilio_whatsapp,
        twilio_voice,
        twilio_amd,
        twilio_status,
        customers,
        media,
        journeys,
        events,
    ):
        app.include_router(module.router)
    app.include_router(keys.router)
    console.install(app)  # the web console under /console (HTML, not in the OpenAPI schema)
    docs.install(app)
    document_responses(app)
    # Outermost last: the rate limit refuses before the body limit looks at a request.
    app.add_middleware(
        BodyLimit, max_bytes=cfg.request_max_bytes, upload_max_bytes=cfg.upload_max_bytes
    )
    app.add_middleware(
        RateLimit,
        twilio=cfg.rate_limit_twilio,
        api=cfg.rate_limit_api,
        storage_uri=cfg.rate_limit_storage,
    )
    # Outermost: the Temporal UI (another origin) reads the codec routes' answers, refusals too.
    app.add_middleware(codec.CodecCORS, origins=cfg.codec_origins)
    return app


def given_client(client: Client) -> Callable[[], Awaitable[Client]]:
    async def get() -> Client:
        return client

    return get


def app() -> FastAPI:
    """Factory for ``uvicorn --factory api.main:app``."""
    configure_logging()
    return create_app()
