"""Record an inbound webhook once, and the customer it belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from api.deps import Database
from switchboard.db.customers import ensure_customer
from switchboard.db.inbound import record_inbound
from switchboard.identity import timezone_for
from switchboard.settings import Settings


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
    """Store the raw webhook under its SID; True when it is new. Runs before the workflow sees
    it, so an accepted message is never lost even if Temporal is briefly unreachable."""
    async with db.session() as s:
        await ensure_customer(
            s,
            e164=e164,
            timezone=timezone_for(e164, settings.default_timezone),
            addresses=tuple(addresses),
        )
        return await record_inbound(s, sid=sid, kind=kind, customer_e164=e164, payload=form)
