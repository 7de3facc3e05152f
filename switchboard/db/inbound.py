"""Inbound webhook events, recorded once per Twilio SID."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import InboundEvent


async def record_inbound(
    session: AsyncSession,
    *,
    sid: str,
    kind: str,
    customer_e164: str | None,
    payload: dict[str, Any],
) -> bool:
    """Insert the event; True if it is new, False if this SID was already recorded."""
    result = await session.exec(
        insert(InboundEvent)
        .values(sid=sid, kind=kind, customer_e164=customer_e164, payload=payload)
        .on_conflict_do_nothing(index_elements=["sid"])
        .returning(col(InboundEvent.sid))
    )
    return result.first() is not None
