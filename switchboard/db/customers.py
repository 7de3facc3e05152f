"""Customers and the channel addresses that point at them."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import ChannelAddress, Customer


async def ensure_customer(
    session: AsyncSession, *, e164: str, timezone: str, addresses: tuple[str, ...] = ()
) -> None:
    """Create the customer and its channel addresses if they are new (idempotent upsert)."""
    await session.exec(
        insert(Customer).values(e164=e164, timezone=timezone).on_conflict_do_nothing()
    )
    for address in addresses:
        await session.exec(
            insert(ChannelAddress)
            .values(address=address, customer_e164=e164)
            .on_conflict_do_nothing()
        )


async def get_customer(session: AsyncSession, *, e164: str) -> Customer | None:
    return await session.get(Customer, e164)


async def flag_number(conn: AsyncConnection, *, e164: str, flag: str) -> bool:
    """Record why the customer's number is suspicious (``switchboard.identity.number_flag``);
    True when the flag is new for this customer."""
    result = await conn.execute(
        update(Customer)
        .where(col(Customer.e164) == e164, col(Customer.number_flag).is_distinct_from(flag))
        .values(number_flag=flag)
        .returning(col(Customer.e164))
    )
    return result.first() is not None
