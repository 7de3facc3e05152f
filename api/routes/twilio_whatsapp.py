"""POST /twilio/whatsapp — Twilio's incoming-message webhook for the WhatsApp sender."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import DbDep, SettingsDep, TaskQueueDep, TemporalLaterDep, TwilioFormDep
from api.twilio_forms import FormError, WhatsAppInbound, parse_form
from api.webhook_events import record_event
from operations.ingest import accept_message
from switchboard.agent_models import Channel
from switchboard.db.models import utcnow
from switchboard.identity import whatsapp_address
from workflows.types import InboundInput, MediaItem

router = APIRouter(prefix="/twilio", tags=["twilio"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


@router.post("/whatsapp")
async def whatsapp_inbound(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    task_queue: TaskQueueDep,
) -> Response:
    """Record the message once (unique MessageSid), hand it to the customer's workflow and
    answer 200 with empty TwiML: the reply is sent later through the REST API."""
    msg = parse_form(WhatsAppInbound, form)
    media: list[MediaItem] = []
    for i in range(msg.num_media):
        url, content_type = form.get(f"MediaUrl{i}"), form.get(f"MediaContentType{i}")
        if not url or not content_type:
            raise FormError([{"field": f"MediaUrl{i}", "message": "missing media URL or type"}])
        media.append(MediaItem(url=url, content_type=content_type))
    if not msg.body.strip() and not media:
        raise FormError([{"field": "Body", "message": "empty message with no media"}])

    addresses = [whatsapp_address(msg.from_)]
    if msg.wa_id:
        addresses.append(f"wa_id:{msg.wa_id}")
    await record_event(
        db,
        settings,
        sid=msg.message_sid,
        kind="whatsapp_message",
        e164=msg.from_,
        form=form,
        addresses=addresses,
    )
    await accept_message(
        await temporal(),
        msg.from_,
        InboundInput(
            sid=msg.message_sid,
            channel=Channel.WHATSAPP,
            text=msg.body,
            media=media,
            received_at=utcnow(),
        ),
        task_queue,
    )
    return Response(EMPTY_TWIML, media_type="text/xml")
