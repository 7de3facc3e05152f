"""Customer resources: the cross-channel conversation and consent. Requires ``X-API-Key``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel, Field

from api.deps import ApiKeyDep, DbDep, SettingsDep
from switchboard.db.consent import record_consent
from switchboard.db.conversation import timeline
from switchboard.db.customers import ensure_customer, get_customer
from switchboard.identity import InvalidPhoneNumber, normalize_e164, timezone_for

router = APIRouter(prefix="/customers", tags=["customers"], dependencies=[ApiKeyDep])


def _e164(raw: str) -> str:
    try:
        return normalize_e164(raw)
    except InvalidPhoneNumber as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"field": "e164", "message": str(exc)}],
        ) from exc


E164Path = Annotated[str, Path(description="E.164 number, e.g. +33612345678")]


class TimelineEntry(BaseModel):
    at: datetime  # UTC
    channel: str
    direction: str
    kind: str
    text: str
    status: str | None = None
    provider_sid: str | None = None


class Conversation(BaseModel):
    customer: str
    timezone: str
    entries: list[TimelineEntry]


@router.get("/{e164}/conversation")
async def conversation(e164: E164Path, db: DbDep) -> Conversation:
    """The cross-channel timeline, oldest first. 404 for an unknown customer."""
    number = _e164(e164)
    async with db.session() as s:
        customer = await get_customer(s, e164=number)
        if customer is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown customer")
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
            )
            for r in rows
        ],
    )


class ConsentIn(BaseModel):
    channel: Literal["whatsapp", "voice"]
    status: Literal["opted_in", "opted_out"]
    source: str = Field(min_length=1, max_length=64)
    purpose: Literal["service", "marketing"] = "service"


@router.post("/{e164}/consent", status_code=status.HTTP_201_CREATED)
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
