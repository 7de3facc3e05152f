"""Customers (agent, admin): search by number or name; one customer's cross-channel timeline
(WhatsApp and call turns with delivery states, events, bookings) with audio players for voice
notes, spoken replies and call recordings, links to the customer's workflows in the Temporal
UI, their handoffs, the reply form and the hand back. Each timeline read and each reply is in
the audit log.

Customers have no name of their own: a search with letters matches the names on their
bookings (the pet's, the subject). Media are served to the signed-in person through
``/console/customers/<e164>/media/<id>``, behind the console session and only for media of
that customer — not through the signed ``/media/`` URLs, which are bearer links for Twilio
and serve synthesised audio only."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.service import RPCError

from api.console.render import local_time, render
from api.console.session import page
from api.deps import (
    DbDep,
    SettingsDep,
    TaskQueueDep,
    TemporalDep,
    TemporalLaterDep,
    TemporalUnavailable,
    business_profile,
    get_temporal,
)
from operations.handoff import close as close_handoffs_of
from operations.handoff import hand_back, human_reply
from switchboard.access import Principal, Role
from switchboard.db.access import audit, erasures
from switchboard.db.consent import current_consent, record_consent, whatsapp_stopped
from switchboard.db.conversation import timeline
from switchboard.db.customer_search import customer_media, find_by_booking_name, media_types
from switchboard.db.customers import get_customer
from switchboard.db.handoffs import bookings_of, find_customers, handoffs_of
from switchboard.db.models import Consent, Customer, Message
from switchboard.identity import E164_PATTERN, InvalidPhoneNumber, read_typed_number
from switchboard.settings import Settings
from switchboard.temporal import CUSTOMER_PHONE, customer_workflow_id
from switchboard.timeline import speaker
from workflows.human_replies import MAX_REPLY_CHARS, validate_reply
from workflows.types import HumanReplyInput

log = logging.getLogger("switchboard.console")
router = APIRouter(prefix="/console/customers", include_in_schema=False)
WORKFLOWS_LIMIT = 50
# Fewer digits than this are the end of a number someone remembers ("56 78"), not a whole one.
MIN_WHOLE_NUMBER_DIGITS = 8
AgentPage = Annotated[Principal, page(Role.AGENT, Role.ADMIN)]
E164Path = Annotated[str, Path(pattern=E164_PATTERN)]


@dataclass(frozen=True)
class Attachment:
    """One medium of a timeline line: its ID, content type, and what its link calls it."""

    media_id: str
    media_type: str
    name: str  # "voice note", "photo"…: "Open the photo"


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
    media: tuple[Attachment, ...] = ()  # the row's media still kept, in the message's order


@dataclass(frozen=True)
class WorkflowLink:
    """One of the customer's workflows, as the Temporal UI shows it."""

    workflow_id: str
    status: str
    started_at: datetime
    url: str


@router.get("")
async def search(
    request: Request,
    db: DbDep,
    by: AgentPage,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """Anything with letters matches a name on a booking. A whole number, however it is
    typed (``06 12 34 56 78`` in the business's country, ``+33 6 12…``, ``0033…``), matches
    that number; other digits (the last few) match numbers containing them."""
    name = q.strip()
    async with db.session() as s:
        if re.search(r"[^\W\d_]", name):
            found = await find_by_booking_name(s, name=name)
        else:
            found = await find_customers(s, digits=_number_digits(name, settings))
    return render(request, "customers/search.html", {"q": q, "found": found}, principal=by)


def _number_digits(typed: str, settings: Settings) -> str:
    """The digits to look for: the E.164 number's when ``typed`` reads as a whole number in
    the business's country (``switchboard.identity.read_typed_number``), else ``typed``'s own
    digits (a national ``06…`` form's leading 0 is in no stored number)."""
    digits = re.sub(r"\D", "", typed)
    if len(digits) < MIN_WHOLE_NUMBER_DIGITS:
        return digits
    try:
        region = business_profile(settings.business_profile).region
        return read_typed_number(typed, region).removeprefix("+")
    except InvalidPhoneNumber:
        return digits


@router.get("/{e164}/media/{media_id:path}", response_model=None)
async def media(e164: E164Path, media_id: str, db: DbDep, by: AgentPage) -> Response:
    """A voice note, spoken reply or recording of this customer (404 for anyone else's)."""
    async with db.session() as s:
        blob = await customer_media(s, customer_e164=e164, media_id=media_id)
    if blob is None:
        return Response("no such media", status_code=404, media_type="text/plain")
    headers = {
        "Cache-Control": "private, max-age=300",
        "X-Content-Type-Options": "nosniff",
        # Whatever a customer sent must not run on the console's origin.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    kind = blob.content_type.split(";")[0].strip().lower()
    if kind.startswith("audio/") or kind in _INLINE_TYPES:
        return Response(blob.data, media_type=kind, headers=headers)
    # Anything else a customer can send (an HTML or SVG "document") is downloaded, never shown.
    headers["Content-Disposition"] = "attachment"
    return Response(blob.data, media_type="application/octet-stream", headers=headers)


# Shown in the browser: audio, photos and PDFs. SVG is an image that can carry script.
_INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})


def temporal_ui_link(settings: Settings, workflow_id: str) -> str:
    """The workflow's page in the Temporal UI (``settings.ui_url``)."""
    namespace = quote(settings.temporal_namespace, safe="")
    workflow = quote(workflow_id, safe="")
    return f"{settings.ui_url.rstrip('/')}/namespaces/{namespace}/workflows/{workflow}"


def temporal_ui_query(settings: Settings, e164: str) -> str:
    """The Temporal UI's list of the customer's workflows (``CustomerPhone = "<e164>"``)."""
    namespace = quote(settings.temporal_namespace, safe="")
    query = quote(f'{CUSTOMER_PHONE.name}="{e164}"', safe="")
    return f"{settings.ui_url.rstrip('/')}/namespaces/{namespace}/workflows?query={query}"


async def _workflows(request: Request, settings: Settings, e164: str) -> list[WorkflowLink] | None:
    """The customer's workflows from the visibility store (their customer workflow and journey
    runs), newest first; None when Temporal does not answer (the page still shows)."""
    try:
        client = await get_temporal(request)
        links: list[WorkflowLink] = []
        query = f'{CUSTOMER_PHONE.name} = "{e164}"'
        async for execution in client.list_workflows(query, limit=WORKFLOWS_LIMIT):
            links.append(
                WorkflowLink(
                    workflow_id=execution.id,
                    status=execution.status.name if execution.status else "UNKNOWN",
                    started_at=execution.start_time,
                    url=temporal_ui_link(settings, execution.id),
                )
            )
    except (RPCError, RPCTimeoutOrCancelledError, TemporalUnavailable) as exc:
        log.warning("customer workflows unavailable: %s", exc)
        return None
    return links


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
            erased = (await erasures(s, numbers=[e164])).get(e164)
            return render(
                request,
                "customers/unknown.html",
                {"e164": e164, "erased_at": erased, "error": error, "draft": draft},
                principal=by,
                status_code=404,
            )
        await audit(s, by=by, action="conversation.read", target=e164)
        entries = await _timeline(s, customer)
        handoffs = await handoffs_of(s, customer_e164=e164)
        consents = await _consents(s, e164)
        stopped = await whatsapp_stopped(s, customer_e164=e164)
    settings: Settings = request.app.state.settings
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
            "workflows": await _workflows(request, settings, e164),
            "customer_workflow": temporal_ui_link(settings, customer_workflow_id(e164)),
            "all_workflows": temporal_ui_query(settings, e164),
            "consents": consents,
            "stopped": stopped_text(stopped, customer.timezone) if stopped else None,
        },
        principal=by,
        status_code=status_code,
    )


async def _timeline(s: AsyncSession, customer: Customer) -> list[Entry]:
    rows = await timeline(s, customer_e164=customer.e164)
    kinds = await media_types(
        s, customer_e164=customer.e164, media_ids=[i for r in rows for i in _media_ids(r)]
    )
    entries = [
        Entry(
            at=r.created_at,
            channel=r.channel,
            who=_who(r.direction, r.key, r.kind),
            kind=r.kind,
            text=r.text,
            status=r.status,
            error_code=r.error_code,
            media=_attachments(r, kinds),
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
                # In the page's time zone, as the agent said it: not UTC beside local times.
                text=f"{b.subject} on {local_time(b.slot_start, customer.timezone)}",
                status=b.status,
            )
        )
    return sorted(entries, key=lambda e: e.at)


def _media_ids(row: Message) -> list[str]:
    """Every medium the row names: a message with several media lists them all
    (``media_ids``, migration 0014), other rows name one or none (``media_id``)."""
    return row.media_ids or ([row.media_id] if row.media_id else [])


def _attachments(row: Message, kinds: dict[str, str]) -> tuple[Attachment, ...]:
    """The row's media still kept (retention deletes raw audio once transcribed). One medium
    is named by the row's kind ("Open the image"), as before several were listed; each of
    several by its own content type ("Open the file (1 of 2)", "Open the photo (2 of 2)")."""
    ids = _media_ids(row)
    if len(ids) == 1:
        kept = kinds.get(ids[0])
        return () if kept is None else (Attachment(ids[0], kept, row.kind.replace("_", " ")),)
    return tuple(
        Attachment(i, kinds[i], f"{_medium_name(kinds[i])} ({n} of {len(ids)})")
        for n, i in enumerate(ids, start=1)
        if i in kinds
    )


def _medium_name(content_type: str) -> str:
    if content_type.startswith("audio/"):
        return "voice note"
    if content_type.startswith("image/"):
        return "photo"
    return "file"


def _who(direction: str, key: str, kind: str) -> str:
    if kind == "event":
        return "system"
    return speaker(direction, key)


@router.post("/{e164}/reply", response_model=None)
async def reply(
    request: Request,
    e164: E164Path,
    db: DbDep,
    by: AgentPage,
    temporal: TemporalLaterDep,
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
            customer = await get_customer(s, e164=e164)
            if customer is None:
                raise ValueError("unknown customer")
            stopped = await whatsapp_stopped(s, customer_e164=e164)
        if stopped is not None:
            raise ValueError(stopped_text(stopped, customer.timezone))
        # Asked for only now: the checks above stand whether or not Temporal answers.
        result = await human_reply(await temporal(), e164, message, task_queue)
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


def stopped_text(decision: Consent, timezone: str) -> str:
    """Why a person's reply was not sent to a customer who opted out of WhatsApp and has not
    written since (``switchboard.db.consent.whatsapp_stopped``), and what to do instead."""
    return (
        f"Not sent: the customer opted out of WhatsApp on "
        f"{local_time(decision.recorded_at, timezone)} ({decision.source}) and has not written "
        "since. Call them, or record their opt-in below if they asked you to write."
    )


CONSENT_KINDS = [(c, p) for c in ("whatsapp", "voice") for p in ("service", "marketing")]


async def _consents(s: AsyncSession, e164: str) -> list[tuple[str, str, Consent | None]]:
    """The decision in force per channel and purpose (None: never asked), as the send gates
    read it (``current_consent``)."""
    return [
        (
            channel,
            purpose,
            await current_consent(s, customer_e164=e164, channel=channel, purpose=purpose),
        )
        for channel, purpose in CONSENT_KINDS
    ]


@router.post("/{e164}/consent")
async def consent(
    e164: E164Path,
    db: DbDep,
    by: AgentPage,
    channel: Annotated[Literal["whatsapp", "voice"], Form()],
    purpose: Annotated[Literal["service", "marketing"], Form()],
    status: Annotated[Literal["opted_in", "opted_out"], Form()],
) -> RedirectResponse:
    """Record an opt-in or opt-out the customer gave a person (on the phone, at the desk), as
    ``POST /customers/{e164}/consent`` does, with the person as its source; audited
    (``consent.record``). Every later send checks it; runs already waiting are not ended here
    (a customer's STOP on WhatsApp ends them)."""
    async with db.session() as s:
        if await get_customer(s, e164=e164) is None:
            return RedirectResponse(f"/console/customers/{e164}", status_code=303)  # its 404
        await record_consent(
            s,
            customer_e164=e164,
            channel=channel,
            purpose=purpose,
            status=status,
            source=f"console: {by.person}"[:64],
        )
        detail = {"channel": channel, "purpose": purpose, "status": status}
        await audit(s, by=by, action="consent.record", target=e164, detail=detail)
    return RedirectResponse(f"/console/customers/{e164}#consent", status_code=303)


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
