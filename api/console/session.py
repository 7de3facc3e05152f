"""Who is signed in to the console: a signed session cookie, and the roles each page admits.

Signing in posts a person's API key once; the key is checked with
``switchboard.db.access.identify`` (the API's own lookup) and never stored in the cookie. The
cookie carries the key's public ID, the person and the role, signed with ``itsdangerous``
(HMAC-SHA1 over the payload and a timestamp; ``URLSafeTimedSerializer``) and expiring after
``SESSION_TTL``. It is HttpOnly (no script reads it), SameSite=Strict (no other site's page
can make the browser send it, so a cross-site form cannot post a reply: the CSRF defence), and
Secure when the console is served over HTTPS. Every request looks the key up again: a revoked
key, or one whose role changed, signs its sessions out at once.

An engineer's or admin's sign-in also sets the same token as a second cookie scoped to the
codec server (``CODEC_COOKIE``, path ``/codec``, the same attributes), so the Temporal UI can
decode payloads with "Include cross-origin credentials" (``api.routes.codec``). A second cookie
rather than a wider path: the console's cookie stays on ``/console``, and the codec's goes to
``/codec`` only. Strict still lets it through from the Temporal UI's page on the same host name
(``http://localhost:8233`` fetching ``http://localhost:8000``): a site is the scheme and the
registrable domain or host, ports aside (MDN, "Site",
https://developer.mozilla.org/docs/Glossary/Site), so ``127.0.0.1`` and ``localhost`` are two
sites and the cookie is not sent from one to the other. Cookies ignore ports, so the path is
what keeps the codec's cookie from other servers on the same host (the Temporal UI's own).

The signing key is derived from the bootstrap key ``SWITCHBOARD_API_KEY`` (HMAC-SHA256 with a
purpose label), so there is no new secret to deploy, and rotating the bootstrap key signs
everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from api.deps import access_declaration
from switchboard.access import Principal, Role
from switchboard.db.engine import Database
from switchboard.db.models import ApiKey
from switchboard.settings import Settings

COOKIE = "switchboard_console"
CODEC_COOKIE = "switchboard_codec"
CODEC_PATH = "/codec"
SESSION_TTL_S = 8 * 3600  # a working day
SIGN_IN_PATH = "/console/sign-in"


class SignedOut(Exception):
    """No valid session: the page answers 303 to the sign-in form."""


class NotAdmitted(Exception):
    """The person's role may not see this page: 403 with a page that says so."""

    def __init__(self, principal: Principal, roles: frozenset[Role]) -> None:
        super().__init__(f"role {principal.role} may not see this page")
        self.principal = principal
        self.roles = roles


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    key = hmac.new(
        settings.api_key.get_secret_value().encode(),
        b"switchboard console session v1",
        hashlib.sha256,
    ).hexdigest()
    return URLSafeTimedSerializer(key, salt="console-session")


def set_session(response: Response, request: Request, principal: Principal) -> None:
    """Sign ``principal`` in on ``response``: the console's cookie, and the codec server's for
    the roles it admits (``CODEC``; anyone else's sign-in removes one left in the browser)."""
    settings: Settings = request.app.state.settings
    token = _serializer(settings).dumps(
        {"k": principal.key_id, "p": principal.person, "r": principal.role.value}
    )
    places = [(COOKIE, "/console")]
    if principal.role in CODEC:
        places.append((CODEC_COOKIE, CODEC_PATH))
    else:
        _delete(response, CODEC_COOKIE, CODEC_PATH)
    for name, path in places:
        response.set_cookie(
            name,
            token,
            max_age=SESSION_TTL_S,
            path=path,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


def _delete(response: Response, name: str, path: str) -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="strict")


def clear_session(response: Response) -> None:
    _delete(response, COOKIE, "/console")
    _delete(response, CODEC_COOKIE, CODEC_PATH)


async def _principal(request: Request, cookie: str = COOKIE) -> Principal | None:
    raw = request.cookies.get(cookie)
    if not raw:
        return None
    settings: Settings = request.app.state.settings
    try:
        data: dict[str, Any] = _serializer(settings).loads(raw, max_age=SESSION_TTL_S)
        principal = Principal(person=str(data["p"]), role=Role(data["r"]), key_id=data["k"])
    except (BadSignature, KeyError, ValueError, TypeError):
        return None
    if principal.key_id is None:
        # The bootstrap key: only rotating it (which changes the signing key) revokes it.
        return principal if principal.role is Role.ADMIN else None
    db: Database = request.app.state.db
    async with db.session() as s:
        row = await s.get(ApiKey, principal.key_id)
    if row is None or row.revoked_at is not None or row.role != principal.role.value:
        return None
    return principal


@access_declaration
async def console_user(request: Request) -> Principal:
    """The signed-in person (a console page's declaration of access). Raises ``SignedOut``."""
    principal = await _principal(request)
    if principal is None:
        raise SignedOut
    request.state.principal = principal
    return principal


async def signed_in(request: Request) -> Principal | None:
    """The signed-in person, or None (the sign-in page)."""
    return await _principal(request)


async def codec_session(request: Request) -> Principal | None:
    """Who the codec server's cookie (``CODEC_COOKIE``) names, with the console's checks
    (signature, ``SESSION_TTL_S``, the key neither revoked nor changed role), or None. The role
    is the caller's to check: a console cookie copied under this name carries its own role."""
    return await _principal(request, CODEC_COOKIE)


class PageGuard:
    """The roles a console page admits. Raises ``SignedOut`` or ``NotAdmitted``."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(self, principal: Annotated[Principal, Depends(console_user)]) -> Principal:
        if principal.role not in self.roles:
            raise NotAdmitted(principal, self.roles)
        return principal


def page(*roles: Role) -> Any:
    """``by: Annotated[Principal, page(Role.AGENT, Role.ADMIN)]``."""
    return Depends(PageGuard(frozenset(roles)))


# Which pages each role sees in the navigation, in order (the pages' own guards decide).
CONVERSATIONS = frozenset({Role.AGENT, Role.ADMIN})
JOURNEYS = frozenset({Role.MARKETER, Role.ENGINEER, Role.ADMIN})
ANALYTICS = frozenset({Role.MARKETER, Role.ENGINEER, Role.ADMIN})
# Who may read decrypted Temporal payloads (/codec, and its cookie at sign-in).
CODEC = frozenset({Role.ENGINEER, Role.ADMIN})
