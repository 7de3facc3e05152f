"""POST /twilio/status/message — Twilio's message status callback (queued → sent → delivered)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import DbDep, TwilioFormDep
from api.twilio_forms import MessageStatus, parse_form
from switchboard.db.conversation import set_status_by_sid
from switchboard.db.inbound import record_inbound

router = APIRouter(prefix="/twilio/status", tags=["twilio"])


@router.post("/message")
async def message_status(form: TwilioFormDep, db: DbDep) -> Response:
    """Record the delivery status on the logged message (unknown SIDs are kept as events)."""
    update = parse_form(MessageStatus, form)
    async with db.session() as s:
        new = await record_inbound(
            s,
            sid=f"{update.message_sid}/{update.message_status}",
            kind="message_status",
            customer_e164=None,
            payload=form,
        )
        if new:
            await set_status_by_sid(
                s, provider_sid=update.message_sid, status=update.message_status
            )
    return Response(status_code=204)
