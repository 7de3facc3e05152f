"""POST /twilio/whatsapp — Twilio's incoming-message webhook for the WhatsApp sender."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import DbDep, SettingsDep, TwilioFormDep
from api.twilio_forms import FormError, WhatsAppInbound, parse_form
from api.webhook_events import record_event
from operations.ingest import MalformedMessage, whatsapp_message
from operations.relay import InboxNotifier, InboxRelay
from switchboard.db.inbound import WHATSAPP_MESSAGE
from switchboard.db.models import utcnow
from switchboard.identity import whatsapp_address

router = APIRouter(prefix="/twilio", tags=["twilio"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


@router.post("/whatsapp")
async def whatsapp_inbound(
    request: Request, form: TwilioFormDep, db: DbDep, settings: SettingsDep
) -> Response:
    """Record the message once (unique MessageSid) and answer 200 with empty TwiML as soon as
    it is committed: the inbox relay hands it to the customer's workflow (``operations.relay``),
    whether or not Temporal is reachable right now, and the reply is sent later through the
    REST API. 403 on a bad signature, 422 naming a malformed field; nothing is recorded then."""
    msg = parse_form(WhatsAppInbound, form)
    try:
        whatsapp_message(msg.message_sid, form, utcnow())  # the relay builds it again
    except MalformedMessage as exc:
        raise FormError([{"field": exc.field, "message": exc.message}]) from exc

    addresses = [whatsapp_address(msg.from_)]
    if msg.wa_id:
        addresses.append(f"wa_id:{msg.wa_id}")
    new = await record_event(
        db,
        settings,
        sid=msg.message_sid,
        kind=WHATSAPP_MESSAGE,
        e164=msg.from_,
        form=form,
        addresses=addresses,
    )
    inbox: InboxRelay | InboxNotifier | None = request.app.state.inbox
    if new and inbox is not None:
        inbox.committed(msg.from_)  # wake a relay now (the sweep would, within seconds)
    return Response(EMPTY_TWIML, media_type="text/xml")
