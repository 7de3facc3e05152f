"""Hand inbound events to the customer's workflow (update-with-start / signal-with-start)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from switchboard import media_notes
from switchboard.agent_models import Channel
from switchboard.temporal import customer_workflow_id
from workflows.customer import CustomerWorkflow
from workflows.types import (
    BusinessEventInput,
    CallEndedInput,
    CallStartedInput,
    CallTurnInput,
    CallView,
    CustomerInput,
    InboundInput,
    MediaItem,
    MessageFailedInput,
    TurnResult,
)

# A call's state is read before each caller turn: a slow answer is a silent caller.
QUERY_TIMEOUT = timedelta(seconds=5)


class MalformedMessage(ValueError):
    """A WhatsApp webhook's form cannot make a message; ``field`` is Twilio's parameter name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def whatsapp_media(form: Mapping[str, str]) -> list[tuple[str, str]]:
    """The ``(url, content type)`` of each media item of a WhatsApp webhook's form (Twilio's
    "Messaging webhook request parameters": ``Body``, ``NumMedia``,
    ``MediaUrl{i}``/``MediaContentType{i}``), checked as ``whatsapp_message`` checks them: the
    webhook's check before it records the form, without building the message (its models cost
    the API ~0.03-0.06 ms of CPU per webhook, 3-6% of the acknowledgement's, issue 11).

    Raises ``MalformedMessage`` for a missing media URL or type. A message with neither text
    nor media is not malformed: a location pin, a button tap or a kind Switchboard does not
    know arrives so, and is recorded like any other (``whatsapp_text``)."""
    media: list[tuple[str, str]] = []
    for i in range(int(form.get("NumMedia") or 0)):
        url, content_type = form.get(f"MediaUrl{i}"), form.get(f"MediaContentType{i}")
        if not url or not content_type:
            raise MalformedMessage(f"MediaUrl{i}", "missing media URL or type")
        media.append((url, content_type))
    return media


def whatsapp_text(form: Mapping[str, str]) -> str:
    """The text of a WhatsApp webhook's form as the customer's workflow reads it: ``Body``,
    else what the form carries in its place, so that every message reaches the agent and the
    conversation log as a well-defined line of text (never empty):

    - a quick-reply button tap: ``Body`` is the button's text; without it, ``ButtonText``
      (``ButtonPayload``, the template's id for the button, is kept in the recorded form);
    - a location pin: ``Body`` is empty and ``Latitude``/``Longitude`` (with ``Label`` and
      ``Address`` for a named place) carry it: ``[shared a location: Label, Address (lat,
      lon)]``, after the text when there is one;
    - anything else without text or media (a kind Twilio forwards that Switchboard does not
      know, named by ``MessageType`` when present): ``[sent a <type> message with no text]``.

    A message with media and no text is ``""`` (its media are described by the workflow).
    Source: Twilio docs, "Messaging webhook request parameters", WhatsApp parameters
    (https://www.twilio.com/docs/messaging/guides/webhook-request): ``ButtonText``,
    ``Latitude``, ``Longitude``, ``Address``, ``Label``, ``MessageType``; ``ButtonPayload``
    from Twilio's "Using buttons in WhatsApp" (https://www.twilio.com/docs/whatsapp/buttons)."""
    text = (form.get("Body") or "").strip() or (form.get("ButtonText") or "").strip()
    latitude, longitude = form.get("Latitude"), form.get("Longitude")
    if latitude and longitude:
        place = ", ".join(
            part
            for part in ((form.get("Label") or "").strip(), (form.get("Address") or "").strip())
            if part
        )
        where = f"{place + ' ' if place else ''}({latitude}, {longitude})"
        pin = f"{media_notes.LOCATION_PREFIX} {where}]"
        text = f"{text} {pin}" if text else pin
    if text or int(form.get("NumMedia") or 0):
        return text
    kind = (form.get("MessageType") or "").strip()
    return media_notes.no_text(kind)


def whatsapp_message(sid: str, form: Mapping[str, str], received_at: datetime) -> InboundInput:
    """The message a WhatsApp webhook's form carries (``whatsapp_media``); the relay builds it
    from the recorded form.

    Raises ``MalformedMessage`` for a missing media URL or type."""
    media = [MediaItem(url=url, content_type=kind) for url, kind in whatsapp_media(form)]
    return InboundInput(
        sid=sid,
        channel=Channel.WHATSAPP,
        text=whatsapp_text(form),
        media=media,
        received_at=received_at,
    )


def start_customer(
    e164: str, task_queue: str
) -> WithStartWorkflowOperation[CustomerWorkflow, None]:
    """Start the customer's workflow with an Update, or use the running one."""
    return WithStartWorkflowOperation(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        task_queue=task_queue,
    )


async def _signal_with_start(
    client: Client,
    e164: str,
    signal: str,
    arg: object,
    task_queue: str,
    *,
    rpc_timeout: timedelta | None = None,
) -> None:
    """Signal the customer's workflow, starting it if needed; durable on the Temporal server
    when this returns, without waiting for any worker."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal=signal,
        start_signal_args=[arg],
        rpc_timeout=rpc_timeout,
    )


async def accept_message(
    client: Client,
    e164: str,
    msg: InboundInput,
    task_queue: str,
    *,
    rpc_timeout: timedelta | None = None,
) -> None:
    """Hand a WhatsApp message to the customer's workflow and return without waiting for any
    worker. The inbox relay (``operations.relay``) calls it for each committed message, in the
    customer's order; a message handed over twice (a relay that crashed before marking it) is
    deduplicated by the workflow, which remembers the latest SIDs."""
    await _signal_with_start(client, e164, "message", msg, task_queue, rpc_timeout=rpc_timeout)


async def run_turn(client: Client, e164: str, msg: InboundInput, task_queue: str) -> TurnResult:
    """Run a caller turn to completion and return the reply (voice needs it for TwiML)."""
    return await client.execute_update_with_start_workflow(
        CustomerWorkflow.inbound,
        msg,
        id=msg.sid,
        start_workflow_operation=start_customer(e164, task_queue),
    )


async def call_started(client: Client, e164: str, event: CallStartedInput, task_queue: str) -> None:
    await _signal_with_start(client, e164, "call_started", event, task_queue)


async def call_ended(client: Client, e164: str, event: CallEndedInput, task_queue: str) -> None:
    await _signal_with_start(client, e164, "call_ended", event, task_queue)


async def message_failed(
    client: Client, e164: str, event: MessageFailedInput, task_queue: str
) -> None:
    """Hand a journey message's delivery failure (a status callback) to the customer's
    workflow, which forwards it to the journey that sent it."""
    await _signal_with_start(client, e164, "message_failed", event, task_queue)


async def business_event(
    client: Client, e164: str, event: BusinessEventInput, task_queue: str
) -> None:
    """Hand an event from the business's systems to the customer's workflow (durable when this
    returns); the workflow ignores an idempotency key it has seen."""
    await _signal_with_start(client, e164, "business_event", event, task_queue)


async def call_turn(
    client: Client, e164: str, turn: CallTurnInput, *, rpc_timeout: timedelta | None = None
) -> TurnResult:
    """Carry out one caller turn of a real-time call and return the reply to speak. The Update
    ID is ``turn.sid`` (``<CallSid>/<turn>``): sent twice, it runs once and both get the result.
    The customer's workflow exists already (the call's start signal started it). Raises
    ``RPCError`` when Temporal cannot be reached, and ``WorkflowUpdateRPCTimeoutOrCancelledError``
    past ``rpc_timeout`` (no worker took the turn in time)."""
    handle = client.get_workflow_handle(customer_workflow_id(e164))
    return await handle.execute_update(
        CustomerWorkflow.call_turn, turn, id=turn.sid, rpc_timeout=rpc_timeout
    )


async def call_view(
    client: Client, e164: str, call_sid: str, *, timeout: timedelta = QUERY_TIMEOUT
) -> CallView:
    """The call as the customer's workflow holds it (open, goal, pending action). A customer
    without a running workflow has no open call (a query to a closed run would wait for a
    worker of its old task queue). Raises ``RPCError`` when Temporal does not answer within
    ``timeout``."""
    handle = client.get_workflow_handle(customer_workflow_id(e164))
    # Both asked at once: the answer is one round trip away, not two (a call's greeting waits
    # for it, issue 10); the query is dropped when the run turns out not to be running.
    query = asyncio.ensure_future(
        handle.query(CustomerWorkflow.call_view, call_sid, rpc_timeout=timeout)
    )
    try:
        described = await handle.describe(rpc_timeout=timeout)
    except BaseException as exc:
        await _drop(query)
        if isinstance(exc, RPCError) and exc.status is RPCStatusCode.NOT_FOUND:
            return CallView(open=False)
        raise
    if described.status is not WorkflowExecutionStatus.RUNNING:
        await _drop(query)
        return CallView(open=False)
    return await query


async def _drop(task: asyncio.Future[CallView]) -> None:
    """Cancel ``task`` and wait for it to end, whatever it ends with (its error is nobody's)."""
    task.cancel()
    await asyncio.wait([task])
    if not task.cancelled():
        task.exception()
