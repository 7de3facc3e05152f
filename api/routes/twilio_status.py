"""``POST /twilio/status/message`` — Twilio's message status callback.

What Twilio sends (Twilio docs, "Track the Message Status of Outbound Messages",
https://www.twilio.com/docs/messaging/guides/track-outbound-message-status, and "Outbound
Message Status in Status Callbacks",
https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks): one
signed form POST per status change after creation (none for the initial ``queued``), with
``MessageSid``, ``MessageStatus`` (``sent``, ``delivered``, ``read``, ``failed``,
``undelivered``…) and, on a failure, ``ErrorCode``; more parameters may appear without notice.
Each callback is its own HTTP request: late, out of order or twice, so the state only moves
forward (``switchboard.delivery``).

What this route does, in one transaction: the callback is recorded once (``inbound_event``, SID
``<MessageSid>/<MessageStatus>``), and the message's delivery state and error code are updated
on its conversation log row and its outbox row (``switchboard.db.delivery.apply_status``, on
psycopg's own connection: the route runs about three times per message sent). A callback for a
SID not stored yet is kept and applied when the send stores it. The answer is 204 once that is
committed, whatever Temporal does.

A journey's message that moved to ``failed``/``undelivered`` is then handed to the customer's
workflow (``message_failed`` signal-with-start), which forwards it to the journey: 63016 makes
the journey send its approved template instead, any other failure takes the step's
``on_failed``. The hand-over is a direct signal bounded by
``operations.product_events.HAND_OVER_TIMEOUT_S``: when Temporal
is down the failure stays recorded on the rows and in the log (and is answered 204), but the
journey does not hear of it — the transactional inbox's relay re-drives WhatsApp messages only.
Failures of the customer workflow's own replies are logged and left on the rows (a reply has no
template to fall back on).

Any message's delivery (``delivered``, or ``read`` first) or failure is also the business event
``message_delivered`` / ``message_failed`` for journeys — handed over only when a journey file
reads it (``operations.product_events``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from temporalio.client import Client

from api.deps import (
    SignedWebhookRoute,
    checks_twilio_signature,
    signed_form_openapi,
    verified_form,
)
from api.twilio_forms import MessageStatus, parse_form
from operations.ingest import message_failed
from operations.product_events import bounded, hand_over, journeys_use
from switchboard import delivery
from switchboard.db.delivery import DeliveryUpdate, apply_status
from switchboard.db.engine import Database
from switchboard.db.models import utcnow
from switchboard.settings import Settings
from workflows.types import MessageFailedInput

# The one route of this router: called directly, without FastAPI's dependency solving, as the
# WhatsApp webhook (``api.routes.twilio_whatsapp``): it runs about three times per message sent,
# and solving its five dependencies was a third of its CPU besides the database (issue 14).
router = APIRouter(prefix="/twilio/status", tags=["twilio"], route_class=SignedWebhookRoute)
log = logging.getLogger("switchboard.api.status")

JOURNEY_KEY_PREFIX = "journey/"

OPENAPI = signed_form_openapi(MessageStatus)
RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Recorded (or already recorded)"},
    503: {"description": "Postgres unreachable: nothing recorded, Twilio does not resend"},
}


@router.post(
    "/message",
    status_code=204,
    response_class=Response,
    responses=RESPONSES,
    openapi_extra=OPENAPI,
)
@checks_twilio_signature
async def message_status(request: Request) -> Response:
    """Record the status (422 naming a missing ``MessageSid``/``MessageStatus``; statuses
    Twilio adds later are kept as events and change nothing) and answer 204; 403 on a bad
    signature, before anything is recorded.

    Takes the ``Request`` alone and reads its signed form, settings, database and Temporal
    client itself (``SignedWebhookRoute``)."""
    state = request.app.state
    settings: Settings = state.settings
    form = await verified_form(request, settings, request.headers.get("x-twilio-signature"))
    db: Database = state.db
    temporal: Callable[[], Awaitable[Client]] = state.temporal
    task_queue: str = state.task_queue
    update = parse_form(MessageStatus, form)
    code = update.error_code or None
    # psycopg's own connection, one short transaction (``apply_status``): the ack costs
    # about what a webhook's does, not an ORM session's five statements. Retried once on a
    # connection found dead after a Postgres restart (``Database.idempotent``): the event is
    # unique and the rows only move forward, so a second run changes nothing twice; a 503
    # would lose the callback, as Twilio retries only connection failures and timeouts, and
    # only when the URL asks it to
    # (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides).
    change = await db.idempotent(
        partial(
            apply_status,
            provider_sid=update.message_sid,
            status=update.message_status,
            error_code=code,
            payload=form,
        )
    )
    if change.advanced and change.status in delivery.FAILED:
        log.warning(
            "message not delivered",
            extra={
                "sid": update.message_sid,
                "key": change.key,
                "status": change.status,
                "error_code": code,
            },
        )
        await _hand_over(temporal, task_queue, change, update.message_sid)
    event = _journey_event(change)
    e164 = _customer(change.recipient)
    if event is not None and e164 is not None and journeys_use(settings.journeys_dir, event):
        data = {"message_sid": update.message_sid}
        if event == "message_failed" and code:
            data["error_code"] = code
        await hand_over(
            temporal, task_queue, customer=e164, event=event, about=update.message_sid, data=data
        )
    return Response(status_code=204)


def _journey_event(change: DeliveryUpdate) -> str | None:
    """The business event a status change is (``switchboard.journeys.events``): a ``read``
    that overtook its ``delivered`` callback is a delivery too (both carry the one key)."""
    if not change.advanced:
        return None
    if change.status in ("delivered", "read"):
        return "message_delivered"
    return "message_failed" if change.status in delivery.FAILED else None


def _customer(recipient: str | None) -> str | None:
    """The customer's E.164 from an outbox recipient (``whatsapp:+E164`` or ``+E164``)."""
    return recipient.removeprefix("whatsapp:") if recipient else None


async def _hand_over(
    temporal: Callable[[], Awaitable[Client]], task_queue: str, change: DeliveryUpdate, sid: str
) -> None:
    """Signal a journey message's failure to the customer's workflow; never raises."""
    e164 = _customer(change.recipient)
    if change.key is None or e164 is None or not change.key.startswith(JOURNEY_KEY_PREFIX):
        return
    event = MessageFailedInput(
        key=change.key,
        sid=sid,
        status=change.status,
        error_code=change.error_code,
        received_at=utcnow(),
    )

    async def give(client: Client) -> None:
        await message_failed(client, e164, event, task_queue)

    await bounded(temporal, give, what="message failure", extra={"sid": sid, "key": change.key})
