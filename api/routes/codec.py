"""The codec server: lets engineers read encrypted Temporal payloads in the Temporal UI and CLI.

Temporal's Codec Server protocol ("Codec Server - Temporal Platform feature guide",
https://docs.temporal.io/production-deployment/data-encryption#codec-server-setup):
``POST /codec/decode`` and ``POST /codec/encode`` take and answer ``{"payloads": [...]}``, each
payload in protobuf JSON (``metadata`` values and ``data`` in base64). The UI calls them from
the browser, so these two routes answer CORS requests from the Temporal UI's origins
(``Settings.codec_origins``) with the headers the protocol sends (``Content-Type``,
``X-Namespace``, ``Authorization``); the rest of the API answers no other origin.

Admits the ``engineer`` and ``admin`` roles, with the key in ``X-API-Key`` or in
``Authorization: Bearer <key>`` (the Temporal CLI's ``--codec-auth "Bearer <key>"``), or, for
the Temporal UI in a browser, the console's session: an engineer or admin who signed in at
``/console`` holds a second, ``/codec``-scoped copy of the session cookie
(``api.console.session.CODEC_COOKIE``, same signature, expiry and key checks), which the UI
sends when its Codec Server setting has "Include cross-origin credentials" ticked: it then
fetches with ``credentials: "include"`` (temporalio/ui, ``src/lib/services/data-encoder.ts``;
"Codec Server", https://docs.temporal.io/production-deployment/data-encryption). The UI's own
"Pass access token" sends the UI's OIDC token instead, which Switchboard cannot verify. CORS
answers with ``Access-Control-Allow-Credentials: true`` to the configured origins only, never
``*``, and a cookie is accepted only from those origins (or with no ``Origin``: not a browser).
A key in a header wins over the cookie.

Every decode, refused or not, is in the audit log (``payloads.decode``: by whom, whose payloads,
how many, the outcome, ``via`` key or console session). A payload whose customer was erased
answers 410 naming its key: that is crypto-shredding working (``switchboard.payload_codec``).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from google.protobuf import json_format
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.common.v1 import Payloads

from api.access import ErrorOut
from api.console.session import CODEC, codec_session
from api.deps import API_KEY_HEADER, DbDep, RoleGuard, caller
from switchboard.access import Principal
from switchboard.db.access import audit
from switchboard.payload_codec import (
    SYSTEM,
    EncryptionCodec,
    KeyStore,
    PayloadKeyErased,
    PayloadUndecryptable,
)
from switchboard.settings import Settings

log = logging.getLogger("switchboard.api")
PREFIX = "/codec"
router = APIRouter(prefix=PREFIX, tags=["codec"])

BEARER = HTTPBearer(
    auto_error=False,
    description="A person's key as a bearer token (the Temporal CLI's --codec-auth).",
)


class CodecGuard(RoleGuard):
    """``RoleGuard`` that also takes the key from ``Authorization: Bearer``, else the
    console's session from the codec cookie. Raises HTTP 401 when neither names anyone
    (forged, expired, revoked), 403 for another role, or for a cookie sent from an origin
    the codec server does not answer."""

    async def __call__(
        self,
        request: Request,
        x_api_key: Annotated[str | None, Security(API_KEY_HEADER)] = None,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
    ) -> Principal:
        token = x_api_key or (bearer.credentials if bearer is not None else None)
        if token:
            principal = await caller(request, token)
            request.state.codec_via = "key"
        else:
            principal = await self._session(request)
        if principal.role not in self.roles:
            allowed = ", ".join(sorted(self.roles))
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {principal.role} may not do this ({allowed})"
            )
        return principal

    @staticmethod
    async def _session(request: Request) -> Principal:
        settings: Settings = request.app.state.settings
        origin = request.headers.get("origin")
        if origin is not None and origin not in settings.codec_origins:
            # CORS already keeps such a page from reading the answer; this keeps the decode
            # (and its audit entry) from happening at all.
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"origin {origin} may not use a session")
        principal = await codec_session(request)
        if principal is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing, unknown or revoked key, and no console session: sign in at /console",
            )
        request.state.principal = principal
        request.state.codec_via = "console session"
        return principal


EngineerDep = Annotated[Principal, Depends(CodecGuard(CODEC))]


class PayloadJson(BaseModel):
    """One Temporal ``Payload`` in protobuf JSON."""

    metadata: dict[str, str] = Field(default_factory=dict, description="Values in base64")
    data: str = Field(default="", description="Base64")


class PayloadsJson(BaseModel):
    payloads: list[PayloadJson]


def _payloads(body: PayloadsJson) -> Payloads:
    try:
        return json_format.ParseDict(body.model_dump(), Payloads())
    except json_format.ParseError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"not Temporal payloads: {exc}") from exc


def _json(payloads: Payloads) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(payloads)
    out.setdefault("payloads", [])
    return out


def _codec(request: Request) -> EncryptionCodec:
    keys: KeyStore = request.app.state.payload_keys
    return EncryptionCodec(keys)


GONE = {"model": ErrorOut, "description": "A payload's data key was deleted: customer erased"}
# 400, not 422: FastAPI's request validation owns 422's documented shape.
UNREADABLE = {"model": ErrorOut, "description": "Not payloads, or a payload its key won't open"}


@router.post("/decode", response_model=PayloadsJson, responses={400: UNREADABLE, 410: GONE})
async def decode(
    body: PayloadsJson,
    request: Request,
    db: DbDep,
    by: EngineerDep,
    x_namespace: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Decrypt payloads (the Temporal UI's and CLI's "codec endpoint"). Unencrypted payloads
    come back as they are. Raises 410 naming the key when a payload's customer was erased,
    400 when a payload is malformed or does not open; each attempt is audited."""
    payloads = _payloads(body)
    codec = _codec(request)
    detail: dict[str, Any] = {
        "payloads": len(payloads.payloads),
        "namespace": x_namespace,
        "via": request.state.codec_via,
    }
    scopes: set[str] = set()
    failure: HTTPException | None = None
    try:
        decoded = await codec.decode(payloads.payloads)
        for payload in payloads.payloads:
            key_id = payload.metadata.get("switchboard-key-id")
            if key_id:
                scopes.add((await codec.keys.by_id(key_id.decode())).scope)
        detail["outcome"] = "decoded"
    except PayloadKeyErased as exc:
        detail |= {"outcome": "key_erased", "key": exc.key_id}
        failure = HTTPException(status.HTTP_410_GONE, str(exc))
    except PayloadUndecryptable as exc:
        detail["outcome"] = "undecryptable"
        failure = HTTPException(status.HTTP_400_BAD_REQUEST, str(exc))
    target = ", ".join(sorted(scopes, key=lambda s: (s == SYSTEM, s))) or "-"
    async with db.session() as s:
        await audit(s, by=by, action="payloads.decode", target=target[:200], detail=detail)
    if failure is not None:
        raise failure
    return _json(Payloads(payloads=decoded))


@router.post("/encode", response_model=PayloadsJson, responses={400: UNREADABLE})
async def encode(body: PayloadsJson, request: Request, by: EngineerDep) -> dict[str, Any]:
    """Encrypt payloads (what the Temporal UI does with an input typed to start or signal a
    workflow). The protocol carries no workflow ID, so they are encrypted under the ``system``
    key, which erasing a customer does not delete."""
    payloads = _payloads(body)
    return _json(Payloads(payloads=await _codec(request).encode(payloads.payloads)))


class CodecCORS:
    """Starlette's ``CORSMiddleware`` for the codec routes only (preflights included, answered
    before any key check, as browsers send them without credentials). Raises ``ValueError``
    for a ``*`` origin: with credentials allowed, Starlette would echo any origin back."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        if "*" in origins:
            raise ValueError("codec CORS origins must be listed: '*' with credentials is refused")
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Namespace", "X-API-Key"],
            allow_credentials=True,  # the UI's "Include cross-origin credentials"
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
