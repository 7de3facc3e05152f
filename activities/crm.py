"""CRM activities: booking drafts and their confirmation. Upserts keyed on the booking ID."""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.types import BookingDetails, GetBookingInput, SaveDraftInput, SetBookingStatusInput
from switchboard.agent_models import BookingView
from switchboard.db import crm
from switchboard.db.customers import get_customer
from switchboard.db.engine import Database
from switchboard.db.models import Booking
from switchboard.slots import format_slot


def _view(b: Booking) -> BookingView:
    return BookingView(id=b.id, slot_start=b.slot_start, subject=b.subject, status=b.status)


class CrmActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="crm.save_draft")
    async def save_draft(self, input: SaveDraftInput) -> None:
        """Record a proposed booking as a draft (visible to the agent as live CRM state)."""
        async with self._db.session() as s:
            await crm.upsert_draft(
                s,
                booking_id=input.booking_id,
                customer_e164=input.customer,
                slot_start=input.slot_start,
                subject=input.subject,
                channel=input.channel.value,
                call_sid=input.call_sid,
            )

    @activity.defn(name="crm.set_booking_status")
    async def set_booking_status(self, input: SetBookingStatusInput) -> BookingView:
        """Confirm or decline a booking. Raises non-retryable ``ApplicationError`` if unknown."""
        async with self._db.session() as s:
            try:
                booking = await crm.set_booking_status(
                    s, booking_id=input.booking_id, status=input.status
                )
            except LookupError as exc:
                raise ApplicationError(str(exc), type="NotFound", non_retryable=True) from exc
            return _view(booking)

    @activity.defn(name="crm.get_booking")
    async def get_booking(self, input: GetBookingInput) -> BookingDetails:
        """A booking with its slot written out in the customer's time zone."""
        async with self._db.session() as s:
            booking = await s.get(Booking, input.booking_id)
            if booking is None:
                raise ApplicationError(
                    f"no booking {input.booking_id}", type="NotFound", non_retryable=True
                )
            customer = await get_customer(s, e164=booking.customer_e164)
        timezone = customer.timezone if customer else "UTC"
        return BookingDetails(
            booking=_view(booking), slot_text=format_slot(booking.slot_start, timezone)
        )
