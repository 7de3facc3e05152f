"""Who may call which route, and the error answers every route shares, in the OpenAPI schema.

Every route declares who may call it: ``require(Role…)`` (an API key with one of those roles),
Twilio's signature (``signed_twilio_form``, or an endpoint marked ``checks_twilio_signature``),
a signed media URL, or ``PUBLIC`` (``api.deps``). A route that declares none of them — a new one
someone forgot — is admin-only: ``admin_unless_declared`` runs before every route and lets only
declared routes through without an admin key (fail closed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.utils import create_model_field
from pydantic import BaseModel, ConfigDict
from starlette.routing import BaseRoute

from api.deps import ACCESS_DECLARATIONS, TWILIO_SIGNED, RoleGuard, caller
from switchboard.access import Role

log = logging.getLogger("switchboard.api")


class ErrorOut(BaseModel):
    """An error answer: ``{"detail": "what went wrong"}``."""

    detail: str


class FieldProblem(BaseModel):
    """One bad field, as Switchboard names it (``phone``, ``[2].phone``, Twilio's ``From``)."""

    field: str
    message: str


class SchemaProblem(BaseModel):
    """One bad field, as FastAPI's request validation names it."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int]
    msg: str
    type: str


class Unprocessable(BaseModel):
    """422: every bad field of the request."""

    detail: list[FieldProblem | SchemaProblem]


def _error(description: str, model: type[BaseModel] = ErrorOut) -> dict[str, Any]:
    return {"model": model, "description": description}


UNAUTHORIZED = _error("Missing, unknown or revoked X-API-Key")
FORBIDDEN_ROLE = _error("The key's role may not do this")
FORBIDDEN_SIGNATURE = _error("Missing or wrong X-Twilio-Signature")
MALFORMED = _error("The body cannot be parsed (not UTF-8 JSON)")
UNPROCESSABLE = _error("Bad input: every offending field", Unprocessable)
TOO_LARGE = _error("Request body over the limit (refused before it is read)")
TOO_MANY = _error("Rate limit for this source exceeded; see Retry-After")


def dependencies(dependant: Dependant) -> Iterator[Any]:
    """Every dependency callable of a route, sub-dependencies included."""
    for sub in dependant.dependencies:
        yield sub.call
        yield from dependencies(sub)


def role_guards(route: APIRoute) -> list[RoleGuard]:
    return [call for call in dependencies(route.dependant) if isinstance(call, RoleGuard)]


def declared(route: APIRoute) -> bool:
    """Whether the route says who may call it (roles, a signature, or public)."""
    return route.endpoint in ACCESS_DECLARATIONS or any(
        isinstance(call, RoleGuard) or call in ACCESS_DECLARATIONS
        for call in dependencies(route.dependant)
    )


async def admin_unless_declared(request: Request) -> None:
    """App-wide dependency: a route that declares no access is admin-only. Raises HTTP 401
    without a valid key, 403 for another role."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        cache: dict[int, bool] = request.app.state.declared_routes
        known = cache.get(id(route))
        if known is None:
            known = cache[id(route)] = declared(route)
        if known:
            return
    principal = await caller(request, request.headers.get("x-api-key"))
    if principal.role is not Role.ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route is admin-only (undeclared)")


def document_responses(app: FastAPI) -> None:
    """Add the shared error answers to every route's OpenAPI entry (what the role checks, the
    signature check, the body and rate limits and request validation can answer), and warn
    about routes that declare no access (they are admin-only)."""
    app.state.declared_routes = {}
    for route in api_routes(app.routes):
        guarded = bool(role_guards(route))
        if not declared(route):
            log.warning("route %s %s declares no access: admin-only", route.methods, route.path)
            guarded = True
        shared: dict[int, dict[str, Any]] = {422: UNPROCESSABLE, 429: TOO_MANY}
        if guarded:
            shared |= {401: UNAUTHORIZED, 403: FORBIDDEN_ROLE}
        if route.endpoint in TWILIO_SIGNED or any(
            call in TWILIO_SIGNED for call in dependencies(route.dependant)
        ):
            shared[403] = FORBIDDEN_SIGNATURE
        if (route.methods or set()) & {"POST", "PUT", "PATCH"}:
            shared[413] = TOO_LARGE
        if route.body_field is not None:  # FastAPI parses it: bytes that are not JSON text
            shared[400] = MALFORMED
        for code, answer in shared.items():
            if code in route.responses:  # the route's own description wins
                continue
            route.responses[code] = answer
            # What APIRoute.__init__ does for the responses it is given: the model's schema.
            route.response_fields[code] = create_model_field(
                name=f"Response_{code}_{route.unique_id}",
                type_=answer["model"],
                mode="serialization",
            )


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every route as declared (what ``scope["route"]`` is at request time), also inside the
    routers FastAPI includes lazily."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # FastAPI's _IncludedRouter
        if included is not None:
            yield from api_routes(included.routes)
