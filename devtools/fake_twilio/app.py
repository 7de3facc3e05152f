"""The fake Twilio: the parts of Twilio's REST API (2010-04-01) Switchboard uses, as a FastAPI
app, with the fake's own routes for tests and tools under ``/_fake``.

One module per resource, each with its router and the Twilio doc page it follows:

- ``messages``: Messages (create, list, fetch), template rendering; ``delivery``: the
  asynchronous lifecycle after the create (signed status callbacks, 63016, undelivered, out of
  order and duplicated on demand).
- ``calls``: Calls (create with answering machine detection, list, update), and the fake's
  ``/_fake/calls/{sid}/answer`` (the callee picks up: Twilio's signed requests follow).
- ``media``: message Media and Recordings (307 to a short-lived CDN URL), and the fake's
  ``/_fake/media`` upload and ``/_fake/cdn`` routes.
- ``admin``: ``/_fake/messages``, ``/_fake/calls``, ``/_fake/faults``, ``/_fake/stats``,
  ``/_fake/reset``.

Beneath them: ``wire`` (Twilio's auth, error JSON, SIDs and paging), ``store`` (what was
accepted, and the journal), ``faults`` (failure injection) and ``connection_reset`` (the
``reset_after_accept`` fault, the one place that reaches into uvicorn). ``main`` is the ASGI
factory ``switchboard up`` runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from twilio.request_validator import RequestValidator

from devtools.fake_twilio import admin, calls, media, messages
from devtools.fake_twilio.connection_reset import FakeTwilioApp
from devtools.fake_twilio.delivery import Delivery, DeliveryConfig
from devtools.fake_twilio.deps import FakeTwilio
from devtools.fake_twilio.faults import (
    EdgeTimeout,
    FaultConfig,
    FaultInjector,
    edge_timeout_response,
)
from devtools.fake_twilio.store import Store
from devtools.fake_twilio.wire import TwilioError, twilio_error_response


def create_fake_twilio_app(
    *,
    account_sid: str,
    auth_token: str,
    public_url: str,
    journal_path: Path | None = None,
    templates: dict[str, str] | None = None,
    faults: FaultConfig | None = None,
    delivery: DeliveryConfig | None = None,
) -> FastAPI:
    """Build the fake Twilio (the module docstrings list the routes).

    ``account_sid``/``auth_token``: the only credentials accepted, also the key signing status
    callbacks. ``public_url``: this server's base URL as clients reach it, used in media URLs and
    CDN redirects. ``journal_path``: optional JSON-lines record of sends, replayed at start.
    ``templates``: approved template bodies by content SID (``HX…`` → ``"Hi {{1}}"``); None
    accepts any ``ContentSid`` without rendering it. ``faults``: the failure injection to start
    with (also what ``POST /_fake/reset`` returns to); None injects nothing. ``delivery``: how
    accepted messages are delivered (``delivery.DeliveryConfig``; None: in order, at once).
    """
    store = Store(journal_path=journal_path)
    store.load()
    deliveries = Delivery(delivery or DeliveryConfig())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await deliveries.aclose()

    app = FakeTwilioApp(title="Switchboard fake Twilio", lifespan=lifespan)
    app.state.fake_twilio = FakeTwilio(
        account_sid=account_sid,
        auth_token=auth_token,
        public_url=public_url.rstrip("/"),
        templates=templates,
        store=store,
        faults=FaultInjector(faults or FaultConfig()),
        validator=RequestValidator(auth_token),
        delivery=deliveries,
    )
    app.exception_handler(TwilioError)(twilio_error_response)
    app.exception_handler(EdgeTimeout)(edge_timeout_response)
    routers = (
        messages.router,
        calls.router,
        calls.fake_router,
        media.router,
        media.cdn_router,
        admin.router,
    )
    for router in routers:
        app.include_router(router)
    return app
