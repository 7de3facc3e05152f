"""Consent activity: checked at send time, never only at journey entry."""

from __future__ import annotations

from temporalio import activity

from activities.types import CheckConsentInput, ConsentDecision, RecordConsentInput
from switchboard.db.consent import current_consent, record_consent
from switchboard.db.engine import Database


class ConsentActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="consent.check")
    async def check(self, input: CheckConsentInput) -> ConsentDecision:
        """Allowed only with a recorded opt-in in force for the channel and purpose."""
        async with self._db.session() as s:
            consent = await current_consent(
                s, customer_e164=input.customer, channel=input.channel.value, purpose=input.purpose
            )
        if consent is None:
            return ConsentDecision(
                allowed=False, reason=f"no {input.channel.value} opt-in recorded"
            )
        if consent.status != "opted_in":
            return ConsentDecision(
                allowed=False,
                reason=f"{input.channel.value} {consent.status} ({consent.source})",
            )
        return ConsentDecision(allowed=True, reason=f"opted in via {consent.source}")

    @activity.defn(name="consent.record")
    async def record(self, input: RecordConsentInput) -> None:
        """Append an opt-in/opt-out to the ledger. A retry may append the same decision twice,
        which is harmless: the latest row is the one in force."""
        async with self._db.session() as s:
            await record_consent(
                s,
                customer_e164=input.customer,
                channel=input.channel.value,
                purpose=input.purpose,
                status=input.status,
                source=input.source,
            )
