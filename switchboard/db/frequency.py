"""The frequency cap's facts, read and reserved atomically.

Checking the cap and then sending is a race: two journeys gating one customer at the same
moment both count N - 1 sends and both go. So the gate (``activities.journey``) does all of it
in one transaction: it takes the customer's send lock (``pg_advisory_xact_lock``, released at
commit), counts, and when the step may send, reserves the send (``send_reservation``, keyed by
the step) before it commits. The next gate for that customer waits for the lock and counts the
reservation. A reservation counts until its send's outbox row exists (then the row counts, once
per message or call as before), for the cap's window: a step that passed the gate and then did
not send (its text could not be rendered) still counts, which can only make the cap stricter.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import exists, func, or_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import Outbox, SendReservation

# pg_advisory_xact_lock(FREQUENCY_LOCK, hashtext(e164)); 1101 and 1102 are the inbox's.
FREQUENCY_LOCK = 1103
JOURNEY_KEYS = "journey/"


async def lock_customer_sends(session: AsyncSession, e164: str) -> None:
    """Serialise the gates of one customer until this transaction ends."""
    await session.exec(select(func.pg_advisory_xact_lock(FREQUENCY_LOCK, func.hashtext(e164))))


def _own(key: Any, prefix: str) -> Any:
    """``key`` is the step's own (``prefix`` itself, or ``prefix/<attempt>``)."""
    return or_(key == prefix, func.starts_with(key, prefix + "/"))


async def journey_sends(
    session: AsyncSession,
    *,
    customer: str,
    recipients: list[str],
    key_prefix: str,
    per: timedelta,
) -> int:
    """Journey messages and calls to the customer within ``per`` of the database's now, other
    than the step ``key_prefix``'s: outbox rows (one per message or call placed), plus the
    steps that passed the gate and have no outbox row yet (``send_reservation``)."""
    sent = (
        await session.exec(
            select(func.count())
            .select_from(Outbox)
            .where(
                col(Outbox.recipient).in_(recipients),
                col(Outbox.key).startswith(JOURNEY_KEYS),
                ~_own(col(Outbox.key), key_prefix),
                col(Outbox.created_at) >= func.now() - per,
            )
        )
    ).one()
    has_row = exists().where(
        or_(
            col(Outbox.key) == col(SendReservation.key),
            func.starts_with(col(Outbox.key), col(SendReservation.key) + "/"),
        )
    )
    reserved = (
        await session.exec(
            select(func.count())
            .select_from(SendReservation)
            .where(
                col(SendReservation.customer_e164) == customer,
                ~_own(col(SendReservation.key), key_prefix),
                col(SendReservation.created_at) >= func.now() - per,
                ~has_row,
            )
        )
    ).one()
    return int(sent) + int(reserved)


async def reserve_send(session: AsyncSession, *, key: str, customer: str, channel: str) -> None:
    """The step ``key`` passed the cap: count it from now on (once, however often it is gated
    again: retries, the next attempt of a call)."""
    await session.exec(
        insert(SendReservation)
        .values(key=key, customer_e164=customer, channel=channel)
        .on_conflict_do_nothing(index_elements=["key"])
    )
