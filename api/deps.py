"""FastAPI dependencies: settings, database, Temporal client, signed Twilio forms, the roles a
route admits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl, urlparse

from fastapi import Depends, Header, HTTPException, Request, Response, Security, status
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from multidict import MultiDict
from pydantic import BaseModel
from temporalio.client import Client
from twilio.request_validator import RequestValidator, add_port, compare, remove_port

from switchboard.access import Principal, Role
from switchboard.business import BusinessProfile, load_profile
from switchboard.db.access import identify
from switchboard.db.engine import Database
from switchboard.settings import Settings


class TemporalUnavailable(Exception):
    """Temporal could not be reached (raised by the apps' lazily connecting client)."""


ACCESS_DECLARATIONS: set[Callable[..., Any]] = set()
D = TypeVar("D", bound=Callable[..., Any])


@lru_cache(maxsize=4)
def business_profile(path: Path) -> BusinessProfile:
    """The business profile file, read once per process (a change needs a restart, as for the
    worker and the media process). Raises as ``load_profile``."""
    return load_profile(path)


def access_declaration(dependency: D) -> D:
    """Mark a dependency as a route's declaration of who may call it without an API key
    (Twilio's signature, a signed media URL, a public page). A route that declares neither
    this nor ``require(...)`` is admin-only (``api.access``)."""
    ACCESS_DECLARATIONS.add(dependency)
    return dependency


# The dependencies below do no I/O yet are ``async def``: FastAPI runs a plain ``def``
# dependency in its thread pool, a hand-off to a worker thread and back for every request,
# which cost ~0.6 ms of the API's CPU per dependency per webhook (issue 11, measured).


# Endpoints that check ``X-Twilio-Signature`` themselves (``verified_form``, first thing),
# and the dependency that does it for the others: both answer 403 on a bad signature.
TWILIO_SIGNED: set[Callable[..., Any]] = set()


def checks_twilio_signature(endpoint: D) -> D:
    """Mark an endpoint that calls ``verified_form`` before anything else, as its declaration
    of who may call it (Twilio): for the hottest webhook, where FastAPI's dependency solving
    for ``TwilioFormDep`` and its sub-dependencies cost more CPU than the check itself
    (issue 11). Its tests must show the 403."""
    ACCESS_DECLARATIONS.add(endpoint)
    TWILIO_SIGNED.add(endpoint)
    return endpoint


class SignedWebhookRoute(APIRoute):
    """The route class of a hot Twilio webhook whose endpoint takes the ``Request`` alone and
    checks ``X-Twilio-Signature`` itself, first (``checks_twilio_signature``): FastAPI calls
    the endpoint directly, without solving dependencies or handling the response, which cost
    ~0.1-0.2 ms of the API's CPU per webhook, a tenth of the whole (issue 11, profiled). The
    app's exception handlers still answer what it raises (403, 422, 503). App-wide
    dependencies do not run for it: ``admin_unless_declared`` lets such an endpoint through
    anyway, as it declares who may call it. Raises ``TypeError`` when the route is built for
    an endpoint not marked ``checks_twilio_signature``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        if self.endpoint not in TWILIO_SIGNED:
            raise TypeError(f"{self.endpoint} does not check Twilio's signature itself")
        handler: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return handler


def signed_form_openapi(form: type[BaseModel]) -> dict[str, Any]:
    """The ``openapi_extra`` of a ``SignedWebhookRoute`` endpoint, which reads its signed form
    itself: what FastAPI would document from an ``X-Twilio-Signature`` ``Header()`` parameter
    and ``form`` as the form body."""
    return {
        "parameters": [
            {
                "name": "x-twilio-signature",
                "in": "header",
                "required": False,
                "description": "Twilio's signature of the public URL and the form; missing or "
                "wrong: 403",
                "schema": {"type": "string"},
            }
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": form.model_json_schema(by_alias=True)
                }
            },
        },
    }


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
    """The webhook's form fields, after checking ``X-Twilio-Signature`` (``verified_form``).

    Raises HTTP 403 on a missing or wrong signature, before anything is recorded.
    """
    return await verified_form(request, settings, x_twilio_signature)


TWILIO_SIGNED.add(signed_twilio_form)


async def verified_form(
    request: Request, settings: Settings, signature: str | None
) -> dict[str, str]:
    """The webhook's form fields (name → value; a repeated name keeps its last value, as
    Starlette's form did), after checking ``signature`` (the ``X-Twilio-Signature`` header).

    The signature covers the exact public URL Twilio called plus the sorted POST parameters
    (Twilio docs, "Webhooks security", https://www.twilio.com/docs/usage/webhooks/webhooks-security),
    so the URL is rebuilt from ``public_base_url``: behind a proxy, the Host and scheme this
    process sees are not the ones Twilio signed. The checks are the twilio SDK's
    (``RequestValidator.compute_signature``, its URL variants with and without the port and
    its constant-time ``compare``), stopping at the first variant that matches: the SDK's
    ``validate`` always computes both (~30 µs of HMAC and string building each per webhook).

    Raises HTTP 403 on a missing or wrong signature and 400 for a form of more than
    ``MAX_FORM_FIELDS`` fields, before anything is recorded.
    """
    form = await read_form(request)
    url = settings.public_base_url.rstrip("/") + _signed_path(request)
    token = settings.twilio_auth_token.get_secret_value()
    if not signature or not _signature_matches(token, url, form, signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid or missing X-Twilio-Signature")
    return form


# Starlette's own bound for a form (``Request.form(max_fields=1000)``).
MAX_FORM_FIELDS = 1000
_URLENCODED = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> dict[str, str]:
    """A form's text fields. Twilio posts ``application/x-www-form-urlencoded``: parsed with
    the standard library's ``parse_qsl`` (decoded as Starlette's form parser decodes it,
    latin-1 bytes then UTF-8 percent-escapes), a third of the CPU of Starlette's
    python-multipart callbacks; any other type goes through ``Request.form()``. Raises HTTP 400
    over ``MAX_FORM_FIELDS`` fields."""
    content_type = request.headers.get("content-type", "")
    if content_type.partition(";")[0].strip().lower() != _URLENCODED:
        return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    body = await request.body()
    try:
        pairs = parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError as exc:  # more fields than max_num_fields
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
    return dict(pairs)


# Characters Starlette's ``Request.url`` escapes in the path (``starlette.datastructures.URL``).
_ESCAPED_IN_URL = ("?", "#", "\\")


def _signed_path(request: Request) -> str:
    """The path and query of the URL Twilio signed, as ``request.url`` gives them. A webhook's
    path is plain and it has no query: then the ASGI scope's path is that already, without
    building Starlette's ``URL`` (a parse of the Host header and a URL split and join: ~0.03 ms
    of the API's CPU per webhook, issue 11)."""
    path: str = request.scope["path"]
    if request.scope.get("query_string") or any(c in path for c in _ESCAPED_IN_URL):
        url = request.url
        return url.path + ("?" + url.query if url.query else "")
    return path


@lru_cache(maxsize=64)
def _url_variants(url: str) -> tuple[str, ...]:
    # What the SDK's ``validate`` tries: the URL without its port, then with the default one.
    parsed = urlparse(url)
    return tuple(dict.fromkeys((remove_port(parsed), add_port(parsed))))


@lru_cache(maxsize=8)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def _signature_matches(token: str, url: str, form: dict[str, str], signature: str) -> bool:
    validator = _validator(token)
    # The SDK reads each parameter's values with ``getall`` (aiohttp's ``MultiDict``), then
    # ``getlist``, then ``[]``, each miss an AttributeError raised and caught: with a dict
    # that was two exceptions per parameter, half of the check's CPU (56 µs against 13 µs
    # per webhook, measured). The same values either way: one per name.
    params = MultiDict(form)
    return any(
        compare(validator.compute_signature(variant, params), signature)
        for variant in _url_variants(url)
    )


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
