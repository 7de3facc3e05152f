"""Rendering console pages: one Jinja2 environment (autoescaped), the navigation by role."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.console.session import ANALYTICS, CONVERSATIONS, JOURNEYS
from switchboard.access import Principal

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def local_time(at: datetime | None, zone: str = "UTC") -> str:
    """``Mon 02 Jun 14:05`` in ``zone``; an empty string for None."""
    if at is None:
        return ""
    return at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M")


templates.env.filters["local_time"] = local_time


def nav(principal: Principal | None) -> list[tuple[str, str]]:
    """(label, path) of the pages the person's role admits."""
    if principal is None:
        return []
    links = []
    if principal.role in CONVERSATIONS:
        links += [("Handoffs", "/console/handoffs"), ("Customers", "/console/customers")]
    if principal.role in JOURNEYS:
        links.append(("Journeys", "/console/journeys"))
    if principal.role in ANALYTICS:
        links.append(("Analytics", "/console/analytics"))
    return links


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    principal: Principal | None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page ``name`` with the navigation for ``principal``."""
    return templates.TemplateResponse(
        request,
        name,
        {**context, "principal": principal, "nav": nav(principal), "path": request.url.path},
        status_code=status_code,
    )
