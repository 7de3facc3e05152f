"""Customers (agent, admin): search by number; one customer's cross-channel timeline (WhatsApp
and call turns with delivery states, events, bookings), their handoffs, the reply form and the
hand back. Each timeline read and each reply is in the audit log."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import WorkflowUpdateFailedError

from api.console.render import render
from api.console.session import page
from api.deps import DbDep, TaskQueueDep, TemporalDep
from operations.handoff import close as close_handoffs_of
from operations.handoff import hand_back, human_reply
from switchboard.access import Principal, Role
from switchboard.db.access import audit
from switchboard.db.conversation import timeline
from switchboard.db.customers import get_customer
from switchboard.db.handoffs import bookings_of, find_customers, handoffs_of
from switchboard.db.models import Customer
from switchboard.identity import E164_PATTERN
from workflows.human_replies import MAX_REPLY_CHARS, validate_reply
from workflows.types import HumanReplyInput

router = APIRouter(prefix="/console/customers", include_in_schema=False)
AgentPage = Annotated[Principal, page(Role.AGENT, Role.ADMIN)]
E164Path = Annotated[str, Path(pattern=E164_PATTERN)]


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a conversation row or a booking."""

    at: datetime
    channel: str  # whatsapp | voice | booking
    who: str  # customer | agent | team | system
    kind: str
    text: str
    status: str | None = None
    error_code: str | None = None


@router.get("")
async def search(
    request: Request,
    db: DbDep,
    by: AgentPage,
    q: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    digits = re.sub(r"\D", "", q)
    async with db.session() as s:
        found = await find_customers(s, digits=digits)
    return render(request, "customers/search.html", {"q": q, "found": found}, principal=by)


@router.get("/{e164}", response_model=None)
async def customer_page(request: Request, e164: E164Path, db: DbDep, by: AgentPage) -> HTMLResponse:
    return await _page(request, db, by, e164)


async def _page(
    request: Request,
    db: DbDep,
    by: Principal,
    e164: str,
    *,
    error: str | None = None,
    draft: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    async with db.session() as s:
        customer = await get_customer(s, e164=e164)
        if customer is None:
            return render(
                request, "customers/unknown.html", {"e164": e164}, principal=by, status_code=404
            )
        await audit(s, by=by, action="conversation.read", target=e164)
        entries = await _timeline(s, customer)
        handoffs = await handoffs_of(s, customer_e164=e164)
    return render(
        request,
        "customers/timeline.html",
        {
            "customer": customer,
            "entries": entries,
            "handoffs": handoffs,
            "open_handoffs": [h for h in handoffs if h.status == "open"],
            "reply_id": uuid.uuid4().hex,
            "max_chars": MAX_REPLY_CHARS,
            "error": error,
            "draft": draft,
        },
        principal=by,
        status_code=status_code,
    )


async def _timeline(s: AsyncSession, customer: Customer) -> list[Entry]:
    rows = await timeline(s, customer_e164=customer.e164)
    entries = [
        Entry(
            at=r.created_at,
            channel=r.channel,
            who=_who(r.direction, r.key, r.kind),
            kind=r.kind,
            text=r.text,
            status=r.status,
            error_code=r.error_code,
        )
        for r in rows
    ]
    for b in await bookings_of(s, customer_e164=customer.e164):
        entries.append(
            Entry(
                at=b.created_at,
                channel="booking",
                who="system",
                kind="booking",
                text=f"{b.subject} at {b.slot_start:%Y-%m-%d %H:%M} UTC",
                status=b.status,
            )
        )
    return sorted(entries, key=lambda e: e.at)


def _who(direction: str, key: str, kind: str) -> str:
    if kind == "event":
        return "system"
    if direction == "inbound":
        return "customer"
    return "team" if key.startswith("human/") else "agent"


@router.post("/{e164}/reply", response_model=None)
async def reply(
    request: Request,
    e164: E164Path,
    db: DbDep,
    by: AgentPage,
    client: TemporalDep,
    task_queue: TaskQueueDep,
    text: Annotated[str, Form(max_length=MAX_REPLY_CHARS * 2)],
    reply_id: Annotated[str, Form(pattern=r"^[0-9a-f]{32}$")],
) -> HTMLResponse | RedirectResponse:
    """Send the person's reply through the customer's workflow (Update ``human_reply``, ID =
    the form's one-time ``reply_id``: a double submit sends once), then show the timeline."""
    message = HumanReplyInput(id=reply_id, person=by.person, text=text.strip())
    try:
        validate_reply(message)
        async with db.session() as s:
            if await get_customer(s, e164=e164) is None:
                raise ValueError("unknown customer")
        result = await human_reply(client, e164, message, task_queue)
    except (ValueError, WorkflowUpdateFailedError) as exc:
        return await _page(request, db, by, e164, error=str(exc), draft=text, status_code=422)
    async with db.session() as s:
        await audit(
            s,
            by=by,
            action="conversation.reply",
            target=e164,
            detail={"key": result.key, "sent": result.sent},
        )
    return RedirectResponse(f"/console/customers/{e164}#timeline", status_code=303)


@router.post("/{e164}/hand-back")
async def hand_back_to_agent(
    e164: E164Path,
    db: DbDep,
    by: AgentPage,
    client: TemporalDep,
    task_queue: TaskQueueDep,
) -> RedirectResponse:
    """The agent answers again: the workflow first (so the agent is not silenced by a
    conversation nobody holds), then the open handoffs close."""
    await hand_back(client, e164, by.person, task_queue)
    closed = await close_handoffs_of(client, db, e164, task_queue)
    async with db.session() as s:
        await audit(
            s, by=by, action="handoff.hand_back", target=e164, detail={"closed": len(closed)}
        )
    return RedirectResponse("/console/handoffs", status_code=303)
