"""POST /twilio/whatsapp — Twilio's incoming-message webhook for the WhatsApp sender."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import (
    SignedWebhookRoute,
    checks_twilio_signature,
    signed_form_openapi,
    verified_form,
)
from api.twilio_forms import FormError, WhatsAppInbound, parse_form
from api.webhook_events import record_event
from operations.ingest import MalformedMessage, whatsapp_media
from operations.relay import InboxNotifier, InboxRelay
from switchboard.db.engine import Database
from switchboard.db.inbound import WHATSAPP_MESSAGE
from switchboard.identity import whatsapp_address
from switchboard.settings import Settings

# The one route of this router: called directly, without FastAPI's dependency solving.
router = APIRouter(prefix="/twilio", tags=["twilio"], route_class=SignedWebhookRoute)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

# What FastAPI would document from a ``Header()`` parameter and a form model, written out: the
# route reads both itself (below).
OPENAPI = signed_form_openapi(WhatsAppInbound)
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Recorded (or already recorded): empty TwiML",
        "content": {"text/xml": {}},
    },
    503: {"description": "Postgres unreachable: nothing recorded, retry"},
}


@router.post("/whatsapp", response_class=Response, responses=RESPONSES, openapi_extra=OPENAPI)
@checks_twilio_signature
async def whatsapp_inbound(request: Request) -> Response:
    """Record the message once (unique MessageSid) and answer 200 with empty TwiML as soon as
    it is committed: the inbox relay hands it to the customer's workflow (``operations.relay``),
    whether or not Temporal is reachable right now, and the reply is sent later through the
    REST API. 403 on a bad signature, 422 naming a malformed field; nothing is recorded then.
    503 when Postgres cannot be reached: nothing was recorded.

    The one route that takes the ``Request`` alone and reads its signed form, settings and
    database itself instead of through FastAPI dependencies: it runs for every inbound message,
    and the dependency solving cost more CPU than the work (issue 11)."""
    state = request.app.state
    settings: Settings = state.settings
    form = await verified_form(request, settings, request.headers.get("x-twilio-signature"))
    msg = parse_form(WhatsAppInbound, form)
    try:
        whatsapp_media(form)  # checked as the relay will build the message from it
    except MalformedMessage as exc:
        raise FormError([{"field": exc.field, "message": exc.message}]) from exc

    addresses = [whatsapp_address(msg.from_)]
    if msg.wa_id:
        addresses.append(f"wa_id:{msg.wa_id}")
    db: Database = state.db
    new = await record_event(
        db,
        settings,
        sid=msg.message_sid,
        kind=WHATSAPP_MESSAGE,
        e164=msg.from_,
        form=form,
        addresses=addresses,
        writer=state.inbox_writer,
    )
    inbox: InboxRelay | InboxNotifier | None = state.inbox
    if new and inbox is not None:
        inbox.committed(msg.from_)  # wake a relay now (the sweep would, within seconds)
    return Response(EMPTY_TWIML, media_type="text/xml")
