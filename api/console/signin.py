"""Sign in with a person's API key, sign out, and the console's home (the first page the
role admits)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.console.render import nav, render
from api.console.session import (
    COOKIE,
    SESSION_TTL_S,
    SIGN_IN_PATH,
    clear_session,
    set_session,
    signed_in,
)
from api.deps import PUBLIC, DbDep, SettingsDep
from switchboard.db.access import audit, identify

router = APIRouter(prefix="/console", include_in_schema=False)

SESSION_ENDED = (
    f"Your session has ended (it lasts {SESSION_TTL_S // 3600} hours, and ends at once if your "
    "key is revoked or its role changes): sign in again."
)
# The console's text areas (a reply, a journey draft, a pasted audience): what a form whose
# session ended carried is shown back, so nobody loses a long text to an expired cookie.
KEPT_FIELDS = ("text", "pasted")


def _console_path(value: str | None) -> str | None:
    """``value`` when it is a console page of this site (path and query), else None: a
    sign-in never sends anyone to another site."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/"):
        return None
    if parts.path.startswith(SIGN_IN_PATH) or "\\" in value:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def signed_out_page(request: Request) -> HTMLResponse | RedirectResponse:
    """What a console request without a valid session gets. A page (GET): 303 to the sign-in
    form, which brings the person back to it (``next``) and says when their session ended (a
    console cookie came, but is expired, revoked or forged). A form (POST): the sign-in form
    at once (401), with the text it carried shown back to copy, and the page it was sent from
    (``Referer``, this site's only) to return to."""
    ended = COOKIE in request.cookies
    if request.method in ("GET", "HEAD"):
        query = {"next": _console_path(str(request.url.path) + f"?{request.url.query}")}
        if ended:
            query["expired"] = "1"
        target = urlencode({k: v for k, v in query.items() if v})
        return RedirectResponse(f"{SIGN_IN_PATH}?{target}", status_code=303)
    form = await request.form()
    kept = next(
        (
            str(form[f])
            for f in KEPT_FIELDS
            if isinstance(form.get(f), str) and str(form[f]).strip()
        ),
        "",
    )
    referer = urlsplit(request.headers.get("referer", ""))
    back = None
    if referer.netloc in ("", request.url.netloc):
        back = _console_path(referer.path + (f"?{referer.query}" if referer.query else ""))
    return render(
        request,
        "signin/form.html",
        {
            "error": SESSION_ENDED if ended else "Sign in first.",
            "kept": kept,
            "next": back,
        },
        principal=None,
        status_code=401,
    )


@router.get("", dependencies=[PUBLIC])
@router.get("/", dependencies=[PUBLIC])
async def home(request: Request) -> RedirectResponse:
    principal = await signed_in(request)
    links = nav(principal)
    return RedirectResponse(links[0][1] if links else "/console/sign-in", status_code=303)


@router.get("/sign-in", dependencies=[PUBLIC])
async def sign_in_form(
    request: Request,
    next_page: Annotated[str, Query(alias="next", max_length=2000)] = "",
    expired: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """The form; ``next``: the console page to return to; ``expired``: say the session ended."""
    context = {"error": SESSION_ENDED if expired else None, "next": _console_path(next_page)}
    return render(request, "signin/form.html", context, principal=None)


@router.post("/sign-in", dependencies=[PUBLIC], response_model=None)
async def sign_in(
    request: Request,
    key: Annotated[str, Form(max_length=200)],
    db: DbDep,
    settings: SettingsDep,
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    """Check the key (the API's own lookup); 401 with the form again when it names nobody.
    Signed in: 303 to ``next`` (a console page of this site), else the role's first page."""
    async with db.session() as s:
        principal = await identify(
            s, key.strip(), bootstrap_key=settings.api_key.get_secret_value()
        )
        if principal is not None:
            await audit(s, by=principal, action="console.sign_in", target=principal.person)
    if principal is None:
        return render(
            request,
            "signin/form.html",
            {"error": "That key is unknown or revoked.", "next": _console_path(next_page)},
            principal=None,
            status_code=401,
        )
    links = nav(principal)
    target = _console_path(next_page) or (links[0][1] if links else "/console/")
    response = RedirectResponse(target, status_code=303)
    set_session(response, request, principal)
    return response


@router.post("/sign-out", dependencies=[PUBLIC])
async def sign_out(request: Request) -> RedirectResponse:
    response = RedirectResponse("/console/sign-in", status_code=303)
    clear_session(response)
    return response
