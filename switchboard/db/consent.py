"""Consent ledger: opt-in / opt-out per channel and purpose."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.erasure import hashed_opt_out
from switchboard.db.models import Consent, Message


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


async def whatsapp_stopped(session: AsyncSession, *, customer_e164: str) -> Consent | None:
    """The customer's WhatsApp opt-out when nothing they wrote since answers it: the latest
    ``whatsapp``/``service`` decision is ``opted_out`` and no inbound WhatsApp message came
    after it (the STOP itself is logged before its decision). None when a person may write to
    them: never opted out, opted in again, or they wrote again since (a conversation they
    started: WhatsApp's Business Messaging Policy asks for opt-in before the *business*
    starts one, https://business.whatsapp.com/policy, and a customer who writes counts as a
    temporary opt-in, https://developers.sinch.com/docs/whatsapp-opt-in-and-outs)."""
    decision = await current_consent(
        session, customer_e164=customer_e164, channel="whatsapp", purpose="service"
    )
    if decision is None or decision.status != "opted_out":
        return None
    since = await session.exec(
        select(Message.id)
        .where(
            Message.customer_e164 == customer_e164,
            Message.channel == "whatsapp",
            Message.direction == "inbound",
            col(Message.created_at) > decision.recorded_at,
            Message.text != "",
        )
        .limit(1)
    )
    return None if since.first() is not None else decision
