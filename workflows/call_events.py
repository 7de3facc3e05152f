"""A call's start and end as the customer workflow sees them: open and close the call in
``CustomerState.calls``, log the greeting and the outcome, and tell the journeys.

The turns of the call (what the caller says) are ordinary turns (``turn.py``); they read the
open call's goal and record a booking confirmed or a voicemail left during it.

Calls Switchboard places ask Twilio's answering machine detection who picked up (in the
background: the agent is already talking when the result comes). The API acts on the result at
once (``api/routes/twilio_amd.py``: a voicemail on an answering machine, a hang-up on a fax or
when unsure) and signals it here (``call_answered_by``); the workflow logs it and, when the call
ends, reports a call a person did not answer as ``no-answer`` to the journeys, so that a
journey's ``retries``/``on_no_answer`` apply to a voicemail as to a call nobody picked up.
"""

from __future__ import annotations

from temporalio import workflow

from workflows.actions import PENDING_ACTION_TTL
from workflows.customer_context import CustomerContext
from workflows.journey_router import JourneyRouter
from workflows.policies import db_activity

with workflow.unsafe.imports_passed_through():
    from activities.crm import CrmActivities
    from activities.types import GetBookingInput, LogMessageInput
    from switchboard.agent_models import Channel, Direction, PendingAction
    from switchboard.temporal import CHANNEL
    from workflows.types import (
        AnsweredBy,
        CallAnsweredByInput,
        CallEndedInput,
        CallStartedInput,
        CallState,
        JourneyEvent,
    )

# The conversation log's line for each answering machine detection result, saying what the API
# did about it (``api/routes/twilio_amd.py``).
ANSWERED_BY_LOG: dict[AnsweredBy, str] = {
    "human": "answered by a person",
    "machine_end_beep": "answering machine: left a voicemail",
    "machine_end_silence": "answering machine: left a voicemail",
    "machine_end_other": "answering machine: left a voicemail",
    "machine_start": "answering machine: hung up",
    "fax": "fax machine: hung up",
    "unknown": "no one heard on the line (answering machine detection unsure): hung up",
}


class CallEvents:
    """Handles ``call_started`` and ``call_ended`` once the run loop reaches them, and
    ``call_answered_by`` as soon as it arrives."""

    def __init__(self, customer: CustomerContext, journeys: JourneyRouter) -> None:
        self._customer = customer
        self._journeys = journeys
        # Results that arrived while the call's start was still queued behind another turn.
        # Not carried over continue-as-new, which waits for an empty queue (the start included).
        self._early: dict[str, AnsweredBy] = {}
        # Calls whose end this run has begun to process (``recent_sids`` has them only once
        # that is done, and carries them over continue-as-new).
        self._ended: set[str] = set()

    async def answered(self, event: CallAnsweredByInput) -> None:
        """Record who answered (the first result wins: a redelivery changes nothing) and log
        it. Runs in the signal handler, not the loop: the result must be on the call before
        the call's end, which may already be queued behind a turn, is processed. A result for
        a call whose end was processed already is ignored (the journeys have its outcome)."""
        state = self._customer.state
        if event.call_sid in self._ended or f"end/{event.call_sid}" in state.recent_sids:
            workflow.logger.info("answering machine detection after the call ended")
            return
        call = state.calls.get(event.call_sid)
        known = self._early.get(event.call_sid) if call is None else call.answered_by
        if known is not None:
            return
        if call is None:
            self._early[event.call_sid] = event.answered_by
        else:
            call.answered_by = event.answered_by
        await self._customer.log(
            LogMessageInput(
                key=f"call/{event.call_sid}/answered-by",
                customer=self._customer.e164,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="event",
                text=ANSWERED_BY_LOG[event.answered_by],
                call_sid=event.call_sid,
                at=event.received_at,
            )
        )

    async def started(self, event: CallStartedInput) -> None:
        state = self._customer.state
        state.calls[event.call_sid] = CallState(
            goal=event.goal,
            after_hours=event.after_hours,
            answered_by=self._early.pop(event.call_sid, None),
            attested=event.attested,
        )
        workflow.upsert_search_attributes([CHANNEL.value_set(Channel.VOICE.value)])
        await self._customer.log(
            LogMessageInput(
                key=f"call/{event.call_sid}/greeting",
                customer=self._customer.e164,
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                kind="speech",
                text=event.greeting,
                call_sid=event.call_sid,
                at=event.received_at,
            )
        )
        if event.pending_booking_id:
            # A call about a draft ("you were about to book…"): the customer's yes on this call
            # confirms that draft, so it becomes the pending action again, with a fresh expiry.
            details = await db_activity(
                CrmActivities.get_booking,
                GetBookingInput(booking_id=event.pending_booking_id),
                local=self._customer.local_db,
            )
            if details.booking.status == "draft":
                state.pending = PendingAction(
                    id=details.booking.id,
                    slot_start=details.booking.slot_start,
                    subject=details.booking.subject,
                    expires_at=workflow.now() + PENDING_ACTION_TTL,
                )

    async def ended(self, event: CallEndedInput) -> None:
        call = self._customer.state.calls.pop(event.call_sid, CallState())
        self._ended.add(event.call_sid)
        await self._customer.log(
            LogMessageInput(
                key=f"call/{event.call_sid}/ended",
                customer=self._customer.e164,
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                kind="event",
                text=f"call {event.status}"
                + (f" after {event.duration_s} s" if event.duration_s is not None else ""),
                call_sid=event.call_sid,
                at=event.received_at,
            )
        )
        status, amd = event.status, call.answered_by
        detected: dict[str, str] = {} if amd is None else {"answered_by": amd}
        if amd is not None and amd != "human":
            # Twilio says "completed": the line was picked up. Nobody spoke with the agent, so
            # to the journeys this is a call that was not answered.
            status = "no-answer"
        self._journeys.later_event(
            JourneyEvent(
                kind="call_completed",
                data={"call_sid": event.call_sid, "status": status, **detected},
            )
        )
        if call.after_hours:
            self._journeys.later_trigger(
                "after_hours_call",
                {"key": event.call_sid, "call_sid": event.call_sid, "voicemail": call.voicemail},
            )
        else:
            data = {
                "key": event.call_sid,
                "call_sid": event.call_sid,
                "status": status,
                "booking_confirmed": "true" if call.booking_id else "false",
                **detected,
            }
            if call.booking_id:
                data["booking_id"] = call.booking_id
            self._journeys.later_trigger("call_ended", data)
        await self._journeys.flush()
