"""CRM activities: booking drafts, confirmation, moves and cancellations. Upserts keyed on the
booking ID; confirm and move re-check availability against the business profile under a lock
(``switchboard.db.crm``), so a slot taken meanwhile is refused, never double-booked."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.types import (
    BookingCommit,
    BookingDetails,
    CancelBookingInput,
    ConfirmBookingInput,
    GetBookingInput,
    MoveBookingInput,
    SaveDraftInput,
    SetBookingStatusInput,
)
from switchboard.agent_models import BookingView, booked_over_reply
from switchboard.availability import alternatives, describe_reason
from switchboard.business import BusinessProfile
from switchboard.db import crm
from switchboard.db.customers import get_customer
from switchboard.db.engine import Database
from switchboard.db.models import Booking
from switchboard.slots import format_slot


def _view(b: Booking) -> BookingView:
    return BookingView(
        id=b.id, slot_start=b.slot_start, subject=b.subject, status=b.status, service=b.service
    )


def _not_found(exc: LookupError) -> ApplicationError:
    return ApplicationError(str(exc), type="NotFound", non_retryable=True)


class CrmActivities:
    def __init__(self, db: Database, profile: BusinessProfile) -> None:
        self._db = db
        self._profile = profile

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
                service=input.service,
                duration_minutes=(
                    self._profile.service(input.service).duration_minutes if input.service else None
                ),
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
                raise _not_found(exc) from exc
            return _view(booking)

    @activity.defn(name="crm.confirm_booking")
    async def confirm_booking(self, input: ConfirmBookingInput) -> BookingCommit:
        """Confirm a draft if its slot is still free. Raises non-retryable ``ApplicationError``
        (``NotFound``) when the booking is not this customer's."""
        async with self._db.session() as s:
            try:
                commit = await crm.confirm_booking(
                    s,
                    booking_id=input.booking_id,
                    customer_e164=input.customer,
                    profile=self._profile,
                    now=input.now,
                )
            except LookupError as exc:
                raise _not_found(exc) from exc
            return await self._outcome(s, commit, input.now)

    @activity.defn(name="crm.move_booking")
    async def move_booking(self, input: MoveBookingInput) -> BookingCommit:
        """Move a confirmed booking to a free slot, as ``input.service`` when that is set (the
        calendar checked for its length); the old slot is freed. Raises non-retryable
        ``ApplicationError`` (``NotFound``) when the booking is not this customer's confirmed
        booking or the service is not the profile's."""
        async with self._db.session() as s:
            try:
                commit = await crm.move_booking(
                    s,
                    booking_id=input.booking_id,
                    customer_e164=input.customer,
                    slot_start=input.slot_start,
                    profile=self._profile,
                    now=input.now,
                    service=input.service,
                    vacating=input.vacating,
                )
            except LookupError as exc:
                raise _not_found(exc) from exc
            return await self._outcome(s, commit, input.now, wanted=input.slot_start)

    @activity.defn(name="crm.cancel_booking")
    async def cancel_booking(self, input: CancelBookingInput) -> BookingCommit:
        """Cancel a confirmed booking (idempotent). Raises non-retryable ``ApplicationError``
        (``NotFound``) when it is not this customer's."""
        async with self._db.session() as s:
            try:
                booking = await crm.cancel_booking(
                    s, booking_id=input.booking_id, customer_e164=input.customer
                )
            except LookupError as exc:
                raise _not_found(exc) from exc
            return BookingCommit(ok=True, booking=_view(booking))

    async def _outcome(
        self,
        s: AsyncSession,
        commit: crm.Commit,
        now: datetime,
        *,
        wanted: datetime | None = None,
    ) -> BookingCommit:
        """The commit as the workflow sees it; a refusal says why, with the nearest free
        times in the customer's zone."""
        booking = commit.booking
        if commit.clash is not None:
            return await self._clash(s, commit.booking, commit.clash, wanted)
        if commit.ok or commit.check is None:
            return BookingCommit(ok=True, booking=_view(booking))
        start = wanted or booking.slot_start
        # Alternatives are searched up to two weeks either side of the slot, never before now.
        busy = await crm.busy_between(
            s,
            start=min(now, start),
            end=start + timedelta(days=15),
            default_minutes=self._profile.service().duration_minutes,
        )
        options = alternatives(
            self._profile,
            busy,
            start,
            crm.service_of(booking, self._profile),
            now=now,
            ignore_booking=booking.id,
        )
        zone = await self._zone_of(s, booking)
        when = format_slot(start, zone)
        message = f"Sorry, {when} isn't available: {describe_reason(commit.check, self._profile)}."
        if options:
            said = [format_slot(o, zone) for o in options]
            listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} or {said[-1]}"
            message += f" I can offer {listed}. Which would suit you?"
        else:
            message += " Which other day would suit you?"
        return BookingCommit(
            ok=False, booking=_view(booking), reason=commit.check.reason, message=message
        )

    async def _clash(
        self, s: AsyncSession, booking: Booking, clash: Booking, wanted: datetime | None
    ) -> BookingCommit:
        """The pet's own booking in the way, told as the agent tells it when it proposes
        (``booked_over_reply``): "Max is already booked for Thursday 10 December at 15:00 …"."""
        zone = await self._zone_of(s, booking)
        start = wanted or booking.slot_start
        new_time = None
        if start != clash.slot_start:
            new_time = start.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        message = booked_over_reply(booking.subject, format_slot(clash.slot_start, zone), new_time)
        return BookingCommit(ok=False, booking=_view(booking), reason="pet_booked", message=message)

    async def _zone_of(self, s: AsyncSession, booking: Booking) -> str:
        """The IANA zone a refusal is said in: the customer's, else the business's."""
        customer = await get_customer(s, e164=booking.customer_e164)
        return customer.timezone if customer else self._profile.timezone

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
