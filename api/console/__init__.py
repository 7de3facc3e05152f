"""The web console under ``/console``: server-rendered pages (Jinja2 templates, one router and
one template folder per page), a small CSS file, charts and diagrams as server-side SVG, and
one small script of our own (the journey editor's check-as-you-type, which the page does not
need to work), so it works offline and with the keyboard alone. Signed in with a person's API
key (``api.console.session``); each page admits the roles that may see it.

Pages: sign-in/out, the handoff inbox (agent, admin), customers and a customer's timeline with
the reply form (agent, admin), journeys with their diagram, funnel and pause / resume / cancel
(marketer, engineer, admin; steering, editing and launching: marketer, admin), the journey
editor, dry runs, campaign launches, analytics (marketer, engineer, admin). Console routes are
left out of the OpenAPI schema (HTML pages, and the editor's JSON check, all signed in by the
console's cookie); the data comes from the same operations and query modules the API routes
use.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.console.render import render
from api.console.session import NotAdmitted, SignedOut

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Mount the console's pages, static files and error pages on ``app``."""
    from api.console import (
        analytics,
        campaigns,
        customers,
        handoffs,
        journey_dry_run,
        journey_editor,
        journeys,
        signin,
    )

    for module in (
        signin,
        handoffs,
        customers,
        journeys,
        journey_editor,
        journey_dry_run,
        campaigns,
        analytics,
    ):
        app.include_router(module.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    @app.exception_handler(SignedOut)
    async def signed_out(request: Request, _: SignedOut) -> HTMLResponse | RedirectResponse:
        return await signin.signed_out_page(request)

    @app.exception_handler(NotAdmitted)
    async def not_admitted(request: Request, exc: NotAdmitted) -> HTMLResponse:
        return render(
            request,
            "forbidden.html",
            {"principal": exc.principal, "roles": sorted(exc.roles)},
            principal=exc.principal,
            status_code=403,
        )
