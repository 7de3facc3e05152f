"""Outbound calls: exactly once through the outbox, with the call's purpose stored for when the
customer answers."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from activities.errors import application_error
from activities.journey_types import CallPlaced, PlaceCallInput
from activities.whatsapp import RECONCILE_SLACK
from switchboard.db import outbox
from switchboard.db.engine import Database
from switchboard.db.models import CallContext
from switchboard.journeys.schema import DEFAULT_VOICEMAIL
from switchboard.providers.base import ProviderError, Telephony


class VoiceActivities:
    def __init__(self, db: Database, telephony: Telephony, *, public_base_url: str) -> None:
        self._db = db
        self._telephony = telephony
        self._public = public_base_url.rstrip("/")

    @activity.defn(name="voice.place_call")
    async def place_call(self, input: PlaceCallInput) -> CallPlaced:
        """Place the call once per ``input.key``.

        The call context (opening, goal, a draft to confirm, the voicemail: the journey's or
        ``DEFAULT_VOICEMAIL``) is stored first; Twilio fetches
        ``/twilio/voice/outbound?context=<key>`` when the customer answers, reports who
        answered (answering machine detection, in the background) to ``/twilio/voice/amd``,
        which leaves the voicemail on a machine, and reports the outcome to
        ``/twilio/voice/status``. Twilio's Calls API takes no idempotency key, so the
        outbox row decides: a stored SID is returned without calling again, and a pending row
        left by an earlier attempt (which may have reached Twilio before crashing) is first
        reconciled against Twilio's call list: a call to this customer since the row was
        written that no other outbox row owns is taken as ours. Limit: Twilio's call list does
        not show the TwiML URL that would name our key, so two journeys that both crashed while
        calling the same customer in the same minutes could swap SIDs (never call twice).
        """
        async with self._db.session() as s:
            await s.exec(
                insert(CallContext)
                .values(
                    key=input.key,
                    customer_e164=input.customer,
                    opening=input.opening,
                    goal=input.goal,
                    journey_id=input.journey_id,
                    pending_booking_id=input.pending_booking_id,
                    voicemail=input.voicemail or DEFAULT_VOICEMAIL,
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
            row = await outbox.claim(
                s, key=input.key, kind="call", recipient=input.customer, body=input.goal
            )
            stored_sid, attempts, created_at = row.provider_sid, row.attempts, row.created_at
        if stored_sid:
            return CallPlaced(call_sid=stored_sid)
        if attempts > 1:
            earlier = await self._reconcile(input.key, input.customer, since=created_at)
            if earlier is not None:
                await self._record(input.key, earlier)
                return CallPlaced(call_sid=earlier)
        try:
            call_sid = await self._telephony.place_call(
                to=input.customer,
                url=f"{self._public}/twilio/voice/outbound?context={quote(input.key, safe='')}",
                status_callback=f"{self._public}/twilio/voice/status",
                amd_status_callback=f"{self._public}/twilio/voice/amd",
            )
        except ProviderError as exc:
            if not exc.retryable:  # Twilio refused the call itself: no attempt will do better
                async with self._db.session() as s:
                    await outbox.mark_failed(s, key=input.key, error=str(exc))
            raise application_error(exc) from exc
        await self._record(input.key, call_sid)
        return CallPlaced(call_sid=call_sid)

    async def _record(self, key: str, call_sid: str) -> None:
        async with self._db.session() as s:
            await outbox.mark_sent(s, key=key, provider_sid=call_sid)
            context = await s.get(CallContext, key)
            if context is not None:
                context.call_sid = call_sid
                s.add(context)

    async def _reconcile(self, key: str, customer: str, *, since: datetime) -> str | None:
        """The oldest call to ``customer`` since ``since`` that no other outbox row owns."""
        try:
            sids = await self._telephony.list_calls(
                to=customer, created_after=since - RECONCILE_SLACK
            )
        except ProviderError as exc:
            raise application_error(exc) from exc
        async with self._db.session() as s:
            taken = await outbox.sids_owned_elsewhere(s, sids=sids, key=key)
        free = [sid for sid in sids if sid not in taken]
        if free:
            activity.logger.info("call reconciled with an earlier attempt", extra={"sid": free[-1]})
        return free[-1] if free else None  # listed newest first
