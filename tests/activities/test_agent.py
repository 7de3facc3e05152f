"""``AgentActivities.on_file``: whether a WhatsApp party's address is on file (then it is not
asked to prove who it is, ``switchboard/verification.py``), read in one statement
(``switchboard.db.identity.whatsapp_on_file``) for each way an address comes to be on file, or
not. Real Postgres."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import cast

import pytest

from activities.agent import AgentActivities
from switchboard.agent_models import Channel
from switchboard.business import load_profile
from switchboard.db.consent import record_consent
from switchboard.db.engine import Database
from switchboard.db.models import Booking, Customer
from switchboard.providers.base import Agent
from switchboard.verification import Trust

CUSTOMER = "+33612345678"
SLOT = datetime(2026, 12, 10, 9, tzinfo=UTC)


async def consent(db: Database, *, status: str, source: str, channel: str = "whatsapp") -> None:
    async with db.session() as s:
        await record_consent(
            s,
            customer_e164=CUSTOMER,
            channel=channel,
            purpose="service",
            status=status,
            source=source,
        )


async def booking(db: Database, *, channel: str, confirmed: bool) -> None:
    async with db.session() as s:
        s.add(
            Booking(
                id=f"b-{channel}-{confirmed}",
                customer_e164=CUSTOMER,
                slot_start=SLOT,
                subject="Max",
                status="confirmed" if confirmed else "draft",
                channel=channel,
                confirmed_at=SLOT if confirmed else None,
            )
        )


async def nothing(db: Database) -> None:
    return None


CASES: dict[str, tuple[Callable[[Database], Awaitable[None]], bool]] = {
    "nothing on file": (nothing, False),
    "opted in on a web form": (lambda db: consent(db, status="opted_in", source="web_form"), True),
    "opted in from the chat itself": (
        lambda db: consent(db, status="opted_in", source="START keyword"),
        False,
    ),
    "opted in for calls only": (
        lambda db: consent(db, status="opted_in", source="web_form", channel="voice"),
        False,
    ),
    "opted out": (lambda db: consent(db, status="opted_out", source="web_form"), False),
    "a booking confirmed on WhatsApp": (
        lambda db: booking(db, channel="whatsapp", confirmed=True),
        True,
    ),
    "a draft on WhatsApp": (lambda db: booking(db, channel="whatsapp", confirmed=False), False),
    "a booking confirmed on a call": (
        lambda db: booking(db, channel="voice", confirmed=True),
        False,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_whatsapp_address_is_on_file_as_the_crm_says(db: Database, case: str) -> None:
    async with db.session() as s:
        s.add(Customer(e164=CUSTOMER, timezone="Europe/Paris"))
    given, expected = CASES[case]
    await given(db)
    # No agent: the address is read before anyone decides anything.
    activities = AgentActivities(
        db,
        cast(Agent, object()),
        window=10,
        default_timezone="Europe/Paris",
        profile=load_profile(),
    )

    on_file = await activities.on_file(CUSTOMER, Trust(channel=Channel.WHATSAPP))

    assert on_file is expected
