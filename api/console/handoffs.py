"""The handoff inbox (agent, admin): open handoffs, newest first, with the note and summary the
agent wrote; each opens the customer's timeline, where a person replies and hands back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.console.render import render
from api.console.session import page
from api.deps import DbDep, SettingsDep, business_profile
from switchboard.access import Principal, Role
from switchboard.db.handoffs import open_handoffs

router = APIRouter(prefix="/console/handoffs", include_in_schema=False)
AgentPage = Annotated[Principal, page(Role.AGENT, Role.ADMIN)]


@router.get("")
async def inbox(request: Request, db: DbDep, by: AgentPage, settings: SettingsDep) -> HTMLResponse:
    async with db.session() as s:
        handoffs = await open_handoffs(s)
    # The business's own clock: the team reads the inbox where it works, not in UTC.
    zone = business_profile(settings.business_profile).timezone
    context = {"handoffs": handoffs, "zone": zone}
    return render(request, "handoffs/inbox.html", context, principal=by)
