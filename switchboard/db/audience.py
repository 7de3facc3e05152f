"""What the database knows about an audience before a launch: each number's WhatsApp consent in
force for a purpose, and its time zone if it is already a customer. Read in batches (one query
per 1,000 numbers), for the console's launch preview."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.erasure import number_hash
from switchboard.db.models import Customer, OptOutHash

BATCH = 1000


def _batches(numbers: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(numbers), BATCH):
        yield list(numbers[i : i + BATCH])


async def whatsapp_consent(
    session: AsyncSession, *, numbers: Sequence[str], purpose: str
) -> dict[str, str]:
    """E.164 → ``opted_in`` / ``opted_out``: the latest WhatsApp decision for ``purpose`` of
    each number that has one (as ``switchboard.db.consent.current_consent`` reads it, an erased
    customer's hashed opt-out included); numbers with none are left out."""
    found: dict[str, str] = {}
    latest = text(
        "SELECT DISTINCT ON (customer_e164) customer_e164, status FROM consent "
        "WHERE channel = 'whatsapp' AND purpose = :purpose AND customer_e164 = ANY(:numbers) "
        "ORDER BY customer_e164, recorded_at DESC, id DESC"
    )
    for batch in _batches(numbers):
        rows = await session.exec(latest.bindparams(purpose=purpose, numbers=batch))  # type: ignore[call-overload]
        found.update({e164: status for e164, status in rows.all()})
        unknown = {number_hash(n): n for n in batch if n not in found}
        if unknown:
            hashed = await session.exec(
                select(OptOutHash.number_hash).where(  # type: ignore[call-overload]
                    col(OptOutHash.number_hash).in_(list(unknown)),
                    OptOutHash.channel == "whatsapp",
                    OptOutHash.purpose == purpose,
                )
            )
            found.update({unknown[h]: "opted_out" for (h,) in hashed.all()})
    return found


async def known_timezones(session: AsyncSession, *, numbers: Sequence[str]) -> dict[str, str]:
    """E.164 → the time zone on the customer's profile, for the numbers that are customers."""
    zones: dict[str, str] = {}
    for batch in _batches(numbers):
        rows = await session.exec(
            select(Customer.e164, Customer.timezone).where(  # type: ignore[call-overload]
                col(Customer.e164).in_(batch)
            )
        )
        zones.update({e164: tz for e164, tz in rows.all() if tz})
    return zones
