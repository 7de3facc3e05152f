"""FastAPI dependencies: settings, database, Temporal client, signed Twilio forms, the roles a
route admits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader
from temporalio.client import Client
from twilio.request_validator import RequestValidator

from switchboard.access import Principal, Role
from switchboard.db.access import identify
from switchboard.db.engine import Database
from switchboard.settings import Settings


class TemporalUnavailable(Exception):
    """Temporal could not be reached (raised by the apps' lazily connecting client)."""


ACCESS_DECLARATIONS: set[Callable[..., Any]] = set()
D = TypeVar("D", bound=Callable[..., Any])


def access_declaration(dependency: D) -> D:
    """Mark a dependency as a route's declaration of who may call it without an API key
    (Twilio's signature, a signed media URL, a public page). A route that declares neither
    this nor ``require(...)`` is admin-only (``api.access``)."""
    ACCESS_DECLARATIONS.add(dependency)
    return dependency


# The dependencies below do no I/O yet are ``async def``: FastAPI runs a plain ``def``
# dependency in its thread pool, a hand-off to a worker thread and back for every request,
# which cost ~0.6 ms of the API's CPU per dependency per webhook (issue 11, measured).


@access_declaration
async def public() -> None:
    """Declares a route open to anyone (health checks, the API docs)."""


PUBLIC = Depends(public)


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_temporal(request: Request) -> Client:
    client: Client = await request.app.state.temporal()
    return client


async def get_task_queue(request: Request) -> str:
    queue: str = request.app.state.task_queue
    return queue


async def get_temporal_later(request: Request) -> Callable[[], Awaitable[Client]]:
    """The client, connected when first awaited: webhooks record the event *before* asking
    Temporal, so a Temporal outage never loses an accepted message."""
    getter: Callable[[], Awaitable[Client]] = request.app.state.temporal
    return getter


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
TaskQueueDep = Annotated[str, Depends(get_task_queue)]
DbDep = Annotated[Database, Depends(get_db)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
TemporalLaterDep = Annotated[Callable[[], Awaitable[Client]], Depends(get_temporal_later)]


@access_declaration
async def signed_twilio_form(
    request: Request,
    settings: SettingsDep,
    x_twilio_signature: Annotated[str | None, Header()] = None,
) -> dict[str, str]:
    """The webhook's form fields, after checking ``X-Twilio-Signature``.

    The signature covers the exact public URL Twilio called plus the sorted POST parameters
    (Twilio docs, "Webhooks security"), so the URL is rebuilt from ``public_base_url``: behind a
    proxy, the Host and scheme this process sees are not the ones Twilio signed.

    Raises HTTP 403 on a missing or wrong signature, before anything is read or recorded.
    """
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not x_twilio_signature or not validator.validate(url, form, x_twilio_signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid or missing X-Twilio-Signature")
    return form


TwilioFormDep = Annotated[dict[str, str], Depends(signed_twilio_form)]


# -- who may call what ---------------------------------------------------------------------------

API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="A person's key (`switchboard keys create`), or the shared bootstrap "
    "SWITCHBOARD_API_KEY (role admin).",
)


class RoleGuard:
    """The roles a route admits: checks ``X-API-Key`` and returns the caller's
    ``Principal``. Raises HTTP 401 for a missing, unknown or revoked key and 403 for a key
    whose role is not admitted."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(
        self,
        request: Request,
        x_api_key: Annotated[str | None, Security(API_KEY_HEADER)] = None,
    ) -> Principal:
        principal = await caller(request, x_api_key)
        if principal.role not in self.roles:
            allowed = ", ".join(sorted(self.roles))
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {principal.role} may not do this ({allowed})"
            )
        return principal


async def caller(request: Request, token: str | None) -> Principal:
    """Who ``token`` names (``switchboard.db.access.identify``), remembered on the request.
    Raises HTTP 401 when it names nobody."""
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    principal: Principal | None = None
    if token:
        async with db.session() as s:
            principal = await identify(s, token, bootstrap_key=settings.api_key.get_secret_value())
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing, unknown or revoked X-API-Key")
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Any:
    """A route's roles, as a dependency: ``dependencies=[require(Role.MARKETER, Role.ADMIN)]``,
    or ``by: Annotated[Principal, require(...)]`` to get the caller (for the audit log)."""
    return Depends(RoleGuard(frozenset(roles)))


# Existing routes and helpers that asked for "the API key" now ask for an admin.
ApiKeyDep = require(Role.ADMIN)
