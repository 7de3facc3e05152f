"""Record an inbound webhook once, and the customer it belongs to."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache, partial

from api.deps import Database
from switchboard.db.customers import flag_number
from switchboard.db.engine import driver_of
from switchboard.db.inbound import (
    WHATSAPP_MESSAGE,
    InboxRow,
    InboxWriter,
    record_with_customer,
)
from switchboard.identity import number_flag, redact, timezone_for
from switchboard.settings import Settings

log = logging.getLogger("switchboard.api.inbound")


@lru_cache(maxsize=65536)
def number_facts(e164: str, default_timezone: str) -> tuple[str | None, str]:
    """``(number_flag, timezone_for)`` of a number: libphonenumber's parse and lookups cost
    ~0.7 ms of CPU per webhook (measured on the benchmark machine), and a customer writes
    many times; its data only changes with the package version, i.e. with a restart."""
    return number_flag(e164), timezone_for(e164, default_timezone)


async def record_event(
    db: Database,
    settings: Settings,
    *,
    sid: str,
    kind: str,
    e164: str,
    form: dict[str, str],
    addresses: Sequence[str] = (),
    writer: InboxWriter | None = None,
) -> bool:
    """Store the raw webhook under its SID, in one transaction with its customer; True when it
    is new. Committed when this returns: for a WhatsApp message that is the acceptance (the
    inbox relay hands it to the workflow, ``operations.relay``); the other webhooks hand their
    event over themselves, after this.

    The event and its customer are one statement, run in autocommit: Postgres runs a single
    statement as its own transaction, so the acknowledgement waits for one round trip instead
    of three (BEGIN, the statement, COMMIT), each of which waits for a Postgres backend to be
    scheduled on a busy machine. It runs on psycopg's connection (``Database.autocommit``):
    through SQLAlchemy's execution layer it cost twice the CPU (issue 11). With the API's
    statement pool (``Database.idempotent``) a connection found dead is retried once on
    another: the insert is idempotent on the SID.

    Raises ``psycopg.OperationalError`` (``psycopg_pool.PoolTimeout`` among them) when Postgres
    cannot be reached: nothing was recorded, and the API answers 503.

    A number in E.164 form that libphonenumber's data does not list as allocated (a newer
    range, Ofcom's drama range) is accepted like any other and flagged on the customer
    (``customer.number_flag``), with a warning the first time: then the flag is written in
    the same transaction as the event.

    With ``writer`` (the API's, ``api.main``), a WhatsApp message of an unflagged number is
    committed by the writer's group commit, in one statement with the messages that arrive at
    the same moment (``switchboard.db.inbound.InboxWriter``): still acknowledged only once its
    own row is committed, with the same errors."""
    flag, timezone = number_facts(e164, settings.default_timezone)
    if flag is None and writer is not None and kind == WHATSAPP_MESSAGE:
        return await writer.record(
            InboxRow(
                sid=sid, e164=e164, timezone=timezone, addresses=tuple(addresses), payload=form
            )
        )
    if flag is None:
        return await db.idempotent(  # unique on the SID: a second run records nothing twice
            partial(
                record_with_customer,
                sid=sid,
                kind=kind,
                e164=e164,
                timezone=timezone,
                addresses=addresses,
                payload=form,
            )
        )
    async with db.engine.begin() as conn:
        new = await record_with_customer(
            await driver_of(conn),  # in this transaction
            sid=sid,
            kind=kind,
            e164=e164,
            timezone=timezone,
            addresses=addresses,
            payload=form,
        )
        if await flag_number(conn, e164=e164, flag=flag):
            log.warning(
                "accepted %s from %s, a number libphonenumber does not list as allocated "
                "(flagged %s)",
                kind,
                redact(e164),
                flag,
            )
    return new
