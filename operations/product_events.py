"""Events the product itself observes, handed to journeys: a message delivered or failed (from
Twilio's status callback) and a handoff closed (a person hands the conversation back in the
console). ``docs/journey-events.md`` lists them; ``POST /events`` can still send them too.

A delivery report arrives for every message Switchboard sends, so a ``message_delivered`` or
``message_failed`` event costs a signal and a workflow task only when a journey file reads it
(its trigger, a ``wait_for`` step or its goal): ``journeys_use``, over the files as they are now.
A handoff closing is rare and always handed over.

Each event's idempotency key is derived from what it is about (``message_delivered/<MessageSid>``,
``handoff_closed/<handoff key>``), so a duplicate callback or a retried hand-back is one event
in the customer's workflow, and the trigger key (``switchboard.journeys.events``) keeps one run
per journey × customer × message or handoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from temporalio.client import Client

from operations.ingest import business_event
from switchboard.journeys.loader import Catalogue
from switchboard.journeys.schema import JourneyDefinition, WaitFor
from workflows.types import BusinessEventInput

log = logging.getLogger("switchboard.operations.product_events")

# The hand-over must not hold up an ack (a status callback answers Twilio after it).
HAND_OVER_TIMEOUT_S = 2.0

_catalogues: dict[Path, Catalogue] = {}


def _reads(definition: JourneyDefinition, event: str) -> bool:
    if definition.trigger.event == event:
        return True
    if definition.goal is not None and definition.goal.event == event:
        return True
    return any(isinstance(s, WaitFor) and s.event == event for s in definition.steps.values())


def journeys_use(journeys_dir: Path, event: str) -> bool:
    """Whether a valid journey file in ``journeys_dir`` reads ``event`` (trigger, ``wait_for``
    or goal). The directory is re-read only when a file changed (``Catalogue``)."""
    catalogue = _catalogues.setdefault(journeys_dir, Catalogue(journeys_dir))
    journeys, _problems = catalogue.current()
    return any(_reads(d, event) for d in journeys.values())


def connected(client: Client) -> Callable[[], Awaitable[Client]]:
    """``client`` as the factory ``hand_over`` takes, for a caller that holds one already."""

    async def get() -> Client:
        return client

    return get


async def hand_over(
    temporal: Callable[[], Awaitable[Client]],
    task_queue: str,
    *,
    customer: str,
    event: str,
    about: str,
    data: dict[str, str],
) -> bool:
    """Give ``event`` about ``about`` (a MessageSid, a handoff key) to the customer's workflow
    (signal-with-start), with ``at`` = now (UTC) unless ``data`` has one. Bounded by
    ``HAND_OVER_TIMEOUT_S``; never raises: returns False (and logs why) when Temporal did not
    take it — the fact stays on its rows (outbox, handoff), only journeys miss it."""
    payload = {"at": datetime.now(UTC).isoformat(), **data}
    request = BusinessEventInput(event=event, idempotency_key=f"{event}/{about}", data=payload)

    async def give(client: Client) -> None:
        await business_event(client, customer, request, task_queue)

    return await bounded(temporal, give, what="event", extra={"event": event, "about": about})


async def bounded(
    temporal: Callable[[], Awaitable[Client]],
    give: Callable[[Client], Awaitable[None]],
    *,
    what: str,
    extra: dict[str, str | None],
) -> bool:
    """``give`` the client ``temporal()`` returns something, within ``HAND_OVER_TIMEOUT_S``
    (s), for a caller whose own answer (an ack to Twilio, a page) must not wait on Temporal.
    Never raises: False, and a warning naming ``what`` with ``extra``, when Temporal did not
    take it."""
    try:
        async with asyncio.timeout(HAND_OVER_TIMEOUT_S):
            await give(await temporal())
    except Exception as exc:  # noqa: BLE001 - the caller's answer must not depend on Temporal
        log.warning(
            "%s not handed to the workflow", what, extra={**extra, "error": type(exc).__name__}
        )
        return False
    return True
