"""A call's start and end as the customer workflow sees them: open and close the call in
``CustomerState.calls``, log the greeting and the outcome, and tell the journeys.

The turns of the call (what the caller says) are ordinary turns (``turn.py``); they read the
open call's goal and record a booking confirmed or a voicemail left during it.
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
    from workflows.types import CallEndedInput, CallStartedInput, CallState, JourneyEvent


class CallEvents:
    """Handles ``call_started`` and ``call_ended`` once the run loop reaches them."""

    def __init__(self, customer: CustomerContext, journeys: JourneyRouter) -> None:
        self._customer = customer
        self._journeys = journeys

    async def started(self, event: CallStartedInput) -> None:
        state = self._customer.state
        state.calls[event.call_sid] = CallState(goal=event.goal, after_hours=event.after_hours)
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
        self._journeys.later_event(
            JourneyEvent(
                kind="call_completed", data={"call_sid": event.call_sid, "status": event.status}
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
                "status": event.status,
                "booking_confirmed": "true" if call.booking_id else "false",
            }
            if call.booking_id:
                data["booking_id"] = call.booking_id
            self._journeys.later_trigger("call_ended", data)
        await self._journeys.flush()
