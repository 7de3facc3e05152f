"""Outbound calls: exactly once through the outbox, with the call's purpose stored for when the
customer answers."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from activities.errors import application_error
from activities.journey_types import CallPlaced, PlaceCallInput
from switchboard.db import outbox
from switchboard.db.engine import Database
from switchboard.db.models import CallContext
from switchboard.providers.base import ProviderError, Telephony


class VoiceActivities:
    def __init__(self, db: Database, telephony: Telephony, *, public_base_url: str) -> None:
        self._db = db
        self._telephony = telephony
        self._public = public_base_url.rstrip("/")

    @activity.defn(name="voice.place_call")
    async def place_call(self, input: PlaceCallInput) -> CallPlaced:
        """Place the call once per ``input.key``.

        The call context (opening, goal, a draft to confirm) is stored first; Twilio fetches
        ``/twilio/voice/outbound?context=<key>`` when the customer answers, and reports the
        outcome to ``/twilio/voice/status``. Twilio's Calls API takes no idempotency key, so the
        outbox row decides: a stored SID is returned without calling again. Known limit: a
        pending row left by an attempt that crashed after Twilio accepted the call is not yet
        reconciled against Twilio's call list, so that one case can call twice.
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
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
            row = await outbox.claim(
                s, key=input.key, kind="call", recipient=input.customer, body=input.goal
            )
            stored_sid = row.provider_sid
        if stored_sid:
            return CallPlaced(call_sid=stored_sid)
        try:
            call_sid = await self._telephony.place_call(
                to=input.customer,
                url=f"{self._public}/twilio/voice/outbound?context={quote(input.key, safe='')}",
                status_callback=f"{self._public}/twilio/voice/status",
            )
        except ProviderError as exc:
            if not exc.retryable:  # Twilio refused the call itself: no attempt will do better
                async with self._db.session() as s:
                    await outbox.mark_failed(s, key=input.key, error=str(exc))
            raise application_error(exc) from exc
        async with self._db.session() as s:
            await outbox.mark_sent(s, key=input.key, provider_sid=call_sid)
            context = await s.get(CallContext, input.key)
            if context is not None:
                context.call_sid = call_sid
                s.add(context)
        return CallPlaced(call_sid=call_sid)
