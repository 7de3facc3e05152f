"""Consent ledger: opt-in / opt-out per channel and purpose."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.erasure import hashed_opt_out
from switchboard.db.models import Consent


async def record_consent(
    session: AsyncSession,
    *,
    customer_e164: str,
    channel: str,
    purpose: str,
    status: str,
    source: str,
) -> None:
    """Append a consent decision (``status`` is ``opted_in`` or ``opted_out``)."""
    session.add(
        Consent(
            customer_e164=customer_e164,
            channel=channel,
            purpose=purpose,
            status=status,
            source=source,
        )
    )


async def current_consent(
    session: AsyncSession, *, customer_e164: str, channel: str, purpose: str
) -> Consent | None:
    """The latest decision in force, or None when none was ever recorded. A number with no
    row of its own whose erased customer had opted out (``opt_out_hash``) gets an unsaved
    ``opted_out`` decision (source ``erased_opt_out``): the send gates keep honouring STOP."""
    rows = await session.exec(
        select(Consent)
        .where(
            Consent.customer_e164 == customer_e164,
            Consent.channel == channel,
            Consent.purpose == purpose,
        )
        .order_by(col(Consent.recorded_at).desc(), col(Consent.id).desc())
        .limit(1)
    )
    latest = rows.first()
    if latest is None and await hashed_opt_out(
        session, e164=customer_e164, channel=channel, purpose=purpose
    ):
        return Consent(
            customer_e164=customer_e164,
            channel=channel,
            purpose=purpose,
            status="opted_out",
            source="erased_opt_out",
        )
    return latest
