"""Sign in with a person's API key, sign out, and the console's home (the first page the
role admits)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.console.render import nav, render
from api.console.session import clear_session, set_session, signed_in
from api.deps import PUBLIC, DbDep, SettingsDep
from switchboard.db.access import audit, identify

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", dependencies=[PUBLIC])
@router.get("/", dependencies=[PUBLIC])
async def home(request: Request) -> RedirectResponse:
    principal = await signed_in(request)
    links = nav(principal)
    return RedirectResponse(links[0][1] if links else "/console/sign-in", status_code=303)


@router.get("/sign-in", dependencies=[PUBLIC])
async def sign_in_form(request: Request) -> HTMLResponse:
    return render(request, "signin/form.html", {"error": None}, principal=None)


@router.post("/sign-in", dependencies=[PUBLIC], response_model=None)
async def sign_in(
    request: Request, key: Annotated[str, Form(max_length=200)], db: DbDep, settings: SettingsDep
) -> HTMLResponse | RedirectResponse:
    """Check the key (the API's own lookup); 401 with the form again when it names nobody."""
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
            {"error": "That key is unknown or revoked."},
            principal=None,
            status_code=401,
        )
    links = nav(principal)
    response = RedirectResponse(links[0][1] if links else "/console/", status_code=303)
    set_session(response, request, principal)
    return response


@router.post("/sign-out", dependencies=[PUBLIC])
async def sign_out(request: Request) -> RedirectResponse:
    response = RedirectResponse("/console/sign-in", status_code=303)
    clear_session(response)
    return response
