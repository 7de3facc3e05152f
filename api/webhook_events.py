"""Record an inbound webhook once, and the customer it belongs to."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from api.deps import Database
from switchboard.db.customers import flag_number
from switchboard.db.inbound import record_with_customer
from switchboard.identity import number_flag, redact, timezone_for
from switchboard.settings import Settings

log = logging.getLogger("switchboard.api.inbound")


async def record_event(
    db: Database,
    settings: Settings,
    *,
    sid: str,
    kind: str,
    e164: str,
    form: dict[str, str],
    addresses: Sequence[str] = (),
) -> bool:
    """Store the raw webhook under its SID, in one transaction with its customer; True when it
    is new. Committed when this returns: for a WhatsApp message that is the acceptance (the
    inbox relay hands it to the workflow, ``operations.relay``); the other webhooks hand their
    event over themselves, after this.

    A number in E.164 form that libphonenumber's data does not list as allocated (a newer
    range, Ofcom's drama range) is accepted like any other and flagged on the customer
    (``customer.number_flag``), with a warning the first time."""
    flag = number_flag(e164)
    async with db.engine.begin() as conn:
        new = await record_with_customer(
            conn,
            sid=sid,
            kind=kind,
            e164=e164,
            timezone=timezone_for(e164, settings.default_timezone),
            addresses=addresses,
            payload=form,
        )
        if flag is not None and await flag_number(conn, e164=e164, flag=flag):
            log.warning(
                "accepted %s from %s, a number libphonenumber does not list as allocated "
                "(flagged %s)",
                kind,
                redact(e164),
                flag,
            )
    return new
