"""Customer resources: the cross-channel conversation (roles agent, admin; each read is in
the audit log), consent (agent, marketer, admin) and erasure (admin, audit-logged)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel, Field

from api.access import ErrorOut
from api.deps import DbDep, SettingsDep, TemporalDep, require
from operations import erasure
from switchboard.access import Principal, Role
from switchboard.db.access import audit
from switchboard.db.consent import record_consent
from switchboard.db.conversation import timeline
from switchboard.db.customers import ensure_customer, get_customer
from switchboard.identity import E164_PATTERN, InvalidPhoneNumber, normalize_e164, timezone_for
from switchboard.providers.factory import make_twilio
from switchboard.timeline import speaker

router = APIRouter(prefix="/customers", tags=["customers"])


def _e164(raw: str) -> str:
    try:
        return normalize_e164(raw)
    except InvalidPhoneNumber as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"field": "e164", "message": str(exc)}],
        ) from exc


E164Path = Annotated[str, Path(pattern=E164_PATTERN, description="E.164 number, e.g. +33612345678")]


class TimelineEntry(BaseModel):
    at: datetime  # UTC
    channel: str
    direction: str
    kind: str
    text: str
    status: str | None = None
    provider_sid: str | None = None
    by: str = ""  # customer, agent, or team (a person's reply): ``switchboard.timeline.speaker``


class Conversation(BaseModel):
    customer: str
    timezone: str
    entries: list[TimelineEntry]


@router.get(
    "/{e164}/conversation",
    responses={404: {"model": ErrorOut, "description": "Unknown customer"}},
)
async def conversation(
    e164: E164Path, db: DbDep, by: Annotated[Principal, require(Role.AGENT, Role.ADMIN)]
) -> Conversation:
    """The cross-channel timeline, oldest first. 404 for an unknown customer. The read is
    recorded in the audit log (``conversation.read``)."""
    number = _e164(e164)
    async with db.session() as s:
        customer = await get_customer(s, e164=number)
        if customer is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown customer")
        await audit(s, by=by, action="conversation.read", target=number)
        rows = await timeline(s, customer_e164=number)
    return Conversation(
        customer=number,
        timezone=customer.timezone,
        entries=[
            TimelineEntry(
                at=r.created_at,
                channel=r.channel,
                direction=r.direction,
                kind=r.kind,
                text=r.text,
                status=r.status,
                provider_sid=r.provider_sid,
                by=speaker(r.direction, r.key),
            )
            for r in rows
        ],
    )


PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


class ConsentIn(BaseModel):
    channel: Literal["whatsapp", "voice"]
    status: Literal["opted_in", "opted_out"]
    # Printable text: PostgreSQL text cannot hold NUL, and a control character has no place in
    # a consent record (found by `make fuzz`: a NUL here was a 500).
    source: str = Field(min_length=1, max_length=64, pattern=PRINTABLE)
    purpose: Literal["service", "marketing"] = "service"


@router.post(
    "/{e164}/consent",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.AGENT, Role.MARKETER, Role.ADMIN)],
)
async def consent(e164: E164Path, body: ConsentIn, db: DbDep, settings: SettingsDep) -> ConsentIn:
    """Record an opt-in or opt-out (status, source, purpose; the time is now, UTC)."""
    number = _e164(e164)
    async with db.session() as s:
        await ensure_customer(
            s, e164=number, timezone=timezone_for(number, settings.default_timezone)
        )
        await record_consent(
            s,
            customer_e164=number,
            channel=body.channel,
            purpose=body.purpose,
            status=body.status,
            source=body.source,
        )
    return body


class ErasureOut(BaseModel):
    customer: str
    workflows_terminated: list[str]  # workflow IDs
    recordings_deleted: int  # at Twilio
    rows: dict[str, int]  # deleted per table; ``opt_out_hash``: opt-outs kept as hashes


@router.delete("/{e164}")
async def erase(
    e164: E164Path,
    db: DbDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    by: Annotated[Principal, require(Role.ADMIN)],
) -> ErasureOut:
    """Erase the customer (GDPR art. 17): their workflows are terminated, recordings deleted
    at Twilio, and every row about them deleted except a hashed opt-out, so STOP stays
    honoured. Idempotent (an unknown number erases nothing). Audit-logged (``customer.erase``)
    before it runs, so a failed erasure is on record too."""
    number = _e164(e164)
    async with db.session() as s:
        await audit(s, by=by, action="customer.erase", target=number)
    report = await erasure.erase(temporal, db, make_twilio(settings), e164=number)
    return ErasureOut(
        customer=report.customer,
        workflows_terminated=report.workflows_terminated,
        recordings_deleted=report.recordings_deleted,
        rows=report.rows,
    )
