"""POST /events — an event from the business's own systems (a visit completed, a booking made
at the desk, a handoff closed…), which can start journeys and reaches the customer's running
ones (a booking moved at the desk re-targets its reminder).

The event is recorded once per ``Idempotency-Key`` header (in ``inbound_event``, as
``event/<key>``) before the customer's workflow is told; a retry with the same key and the same
body is told again (the workflow ignores a key it has seen) and answers 200 with
``duplicate: true``; the same key with another body is refused (409). Temporal unreachable: 503,
retry with the same key. Admin keys only (``api.deps.require``); the catalogue
(``GET /events/catalogue``) is also for the roles that write journeys.

Errors: 401/403 (key); 409 (key reused for another event); 422 with
``[{"field": …, "message": …}]`` for an unknown event, a field the event does not carry, a
missing required field, a date that is not ISO 8601, or a bad phone number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Response, status
from pydantic import BaseModel, Field

from api.deps import DbDep, SettingsDep, TaskQueueDep, TemporalDep, require
from operations.ingest import business_event
from switchboard.access import Role
from switchboard.db.customers import ensure_customer
from switchboard.db.inbound import record_inbound
from switchboard.db.models import InboundEvent
from switchboard.identity import InvalidPhoneNumber, normalize_e164, timezone_for
from switchboard.journeys.events import EVENTS, EventDataError, check_data
from workflows.types import BusinessEventInput

router = APIRouter(tags=["events"])

BUSINESS_EVENT = "business_event"  # inbound_event.kind
IDEMPOTENCY_KEY = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,57}$"  # inbound_event.sid is 64 characters


class EventIn(BaseModel):
    """``event``: a name of the catalogue (``GET /events/catalogue``); ``customer``: E.164;
    ``data``: the event's fields, as strings (dates ISO 8601); ``at``: when it happened
    (default: when it was first received)."""

    event: str = Field(examples=["visit_completed"])
    customer: str = Field(examples=["+33612345678"])
    data: dict[str, str] = Field(default_factory=dict)
    at: datetime | None = None


class EventAccepted(BaseModel):
    event: str
    customer: str
    idempotency_key: str
    duplicate: bool  # this key was recorded before: the event was not recorded again


class EventFieldOut(BaseModel):
    name: str
    description: str
    required: bool
    date: bool


class EventOut(BaseModel):
    name: str
    description: str
    source: str  # product | api | both | launch
    key: list[str]
    fields: list[EventFieldOut]


def _unprocessable(problems: list[tuple[str, str]]) -> HTTPException:
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        [{"field": field, "message": message} for field, message in problems],
    )


# The catalogue is the reference journey files are written against (``trigger.event``,
# ``when``, ``trigger.<field>``): whoever may read or write journeys may read it.
@router.get("/events/catalogue", dependencies=[require(Role.MARKETER, Role.ENGINEER, Role.ADMIN)])
async def catalogue() -> list[EventOut]:
    """Every event a journey can start on, with its fields (what ``POST /events`` accepts).
    Roles marketer, engineer, admin."""
    return [
        EventOut(
            name=name,
            description=spec.description,
            source=spec.source,
            key=list(spec.key),
            fields=[
                EventFieldOut(
                    name=field,
                    description=text,
                    required=field in spec.required,
                    date=field in spec.dates,
                )
                for field, text in spec.fields.items()
            ],
        )
        for name, spec in EVENTS.items()
    ]


@router.post("/events", status_code=status.HTTP_202_ACCEPTED, dependencies=[require(Role.ADMIN)])
async def post_event(
    body: EventIn,
    response: Response,
    db: DbDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    task_queue: TaskQueueDep,
    idempotency_key: Annotated[str, Header(pattern=IDEMPOTENCY_KEY)],
) -> EventAccepted:
    """Record the event once per ``Idempotency-Key`` and hand it to the customer's workflow
    (module docstring): 202 when new, 200 for a repeat of the same request."""
    if body.event not in EVENTS or EVENTS[body.event].source in ("product", "launch"):
        accepted = sorted(n for n, s in EVENTS.items() if s.source in ("api", "both"))
        raise _unprocessable([("event", f"unknown event {body.event!r}: one of {accepted}")])
    try:
        e164 = normalize_e164(body.customer)
    except InvalidPhoneNumber as exc:
        raise _unprocessable([("customer", str(exc))]) from exc
    try:
        check_data(body.event, body.data)
    except EventDataError as exc:
        raise _unprocessable([(f"data.{f}", m) for f, m in exc.problems]) from exc
    if body.at is not None and (body.at.tzinfo is None or body.at.utcoffset() is None):
        raise _unprocessable([("at", "needs its UTC offset (e.g. 2026-03-10T09:00:00Z)")])

    sid = f"event/{idempotency_key}"
    payload: dict[str, Any] = body.model_dump(mode="json")
    payload["customer"] = e164
    async with db.session() as s:
        await ensure_customer(s, e164=e164, timezone=timezone_for(e164, settings.default_timezone))
        new = await record_inbound(
            s, sid=sid, kind=BUSINESS_EVENT, customer_e164=e164, payload=payload
        )
        row = await s.get(InboundEvent, sid)
    assert row is not None
    if not new and row.payload != payload:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"Idempotency-Key {idempotency_key!r} was used for another event",
        )
    data = {"at": _iso(body.at or row.received_at), **body.data}
    await business_event(
        temporal,
        e164,
        BusinessEventInput(event=body.event, idempotency_key=idempotency_key, data=data),
        task_queue,
    )
    if not new:
        response.status_code = status.HTTP_200_OK
    return EventAccepted(
        event=body.event, customer=e164, idempotency_key=idempotency_key, duplicate=not new
    )


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()
