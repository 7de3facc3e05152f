"""The handoff inbox (agent, admin): open handoffs, newest first, with the note and summary the
agent wrote, the channel the customer asked on, what is booked now (upcoming bookings and
drafts awaiting a yes), who of the team is already on it (opened or
replied since it was opened: two people answering one customer contradict each other), and a
warning where the customer has since opted out of WhatsApp; each opens the customer's
timeline, where a person replies and hands back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.console.render import render
from api.console.session import page
from api.deps import DbDep, SettingsDep, business_profile
from switchboard.access import Principal, Role
from switchboard.db.consent import whatsapp_stopped
from switchboard.db.handoffs import bookings_of, handoff_channels, open_handoffs, staff_on
from switchboard.db.models import Booking

router = APIRouter(prefix="/console/handoffs", include_in_schema=False)
AgentPage = Annotated[Principal, page(Role.AGENT, Role.ADMIN)]


@router.get("")
async def inbox(request: Request, db: DbDep, by: AgentPage, settings: SettingsDep) -> HTMLResponse:
    async with db.session() as s:
        handoffs = await open_handoffs(s)
        since: dict[str, datetime] = {}
        for h in handoffs:  # newest first: the oldest open handoff of each customer wins
            since[h.customer_e164] = h.created_at
        on_it = await staff_on(s, since=since)
        channels = await handoff_channels(s, keys=[h.key for h in handoffs])
        opted_out = {}
        booked: dict[str, list[Booking]] = {}
        now = datetime.now(UTC)
        for e164 in since:
            # What is booked now, not what the summary said when the agent handed off.
            booked[e164] = [
                b
                for b in await bookings_of(s, customer_e164=e164)
                if b.status in ("confirmed", "draft") and b.slot_start >= now
            ]
            # The same rule the reply route refuses by: an opt-out nothing written since lifts.
            stopped = await whatsapp_stopped(s, customer_e164=e164)
            if stopped is not None:
                opted_out[e164] = stopped
    # The business's own clock: the team reads the inbox where it works, not in UTC.
    zone = business_profile(settings.business_profile).timezone
    context = {
        "handoffs": handoffs,
        "zone": zone,
        "on_it": on_it,
        "channels": channels,
        "opted_out": opted_out,
        "booked": booked,
    }
    return render(request, "handoffs/inbox.html", context, principal=by)
