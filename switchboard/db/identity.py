"""What the CRM says about a customer's identity: whether their WhatsApp address is on file,
and the answers to the identity question (``switchboard/verification.py``)."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import Booking, Message

# Opt-ins the customer gave from the WhatsApp chat itself (``workflows/actions.py``): they say
# only that someone wrote from that address, not that the business knows it is the customer's.
IN_CHAT_SOURCES = ("START keyword", "asked the agent")
# Generic subjects (``switchboard.understanding.subjects``: "your cat"), which are no answer.
_GENERIC_PREFIXES = ("your ", "my ", "the ", "a ", "an ")


async def whatsapp_on_file(conn: psycopg.AsyncConnection[Any], *, customer_e164: str) -> bool:
    """The customer's WhatsApp address is on file: the business recorded a WhatsApp opt-in for
    them (a web form, the console, the API, a call — anything but the chat's own START), or a
    booking was confirmed on WhatsApp (they used this number with us before).

    One statement on psycopg's own connection (``Database.autocommit``): the agent asks it on
    every WhatsApp turn of a party not verified yet, and through an ORM transaction its two
    queries cost more than the answer (issue 14). Raises ``psycopg.Error``."""
    cursor = await conn.execute(
        "SELECT EXISTS (SELECT FROM consent WHERE customer_e164 = %(customer)s"
        " AND channel = 'whatsapp' AND status = 'opted_in'"
        " AND source <> ALL(%(in_chat)s::text[]))"
        " OR EXISTS (SELECT FROM booking WHERE customer_e164 = %(customer)s"
        " AND channel = 'whatsapp' AND confirmed_at IS NOT NULL)",
        {"customer": customer_e164, "in_chat": list(IN_CHAT_SOURCES)},
    )
    row = await cursor.fetchone()
    return bool(row and row[0])


async def pet_names(session: AsyncSession, *, customer_e164: str) -> list[str]:
    """The names on the customer's bookings, any status ("Max", "Bella"), without generic
    subjects ("your cat"): the answers to "what is your pet's name?"."""
    rows = await session.exec(
        select(Booking.subject).where(Booking.customer_e164 == customer_e164).distinct()
    )
    names: list[str] = []
    for subject in rows.all():
        for part in subject.replace(" and ", ",").split(","):
            name = part.strip()
            if name and not name.lower().startswith(_GENERIC_PREFIXES) and name[0].isupper():
                names.append(name)
    return sorted(set(names))


async def mask_logged_text(session: AsyncSession, *, key: str, text: str) -> None:
    """Replace the text of log row ``key`` (a sent one-time code: the team reading the
    conversation does not need the code)."""
    await session.exec(update(Message).where(col(Message.key) == key).values(text=text))
