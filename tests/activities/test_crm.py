"""CRM activities against a real Postgres: a booking is committed only while the calendar has
room, moved bookings free their old slot, and nobody changes another customer's booking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError

from activities.crm import CrmActivities
from activities.types import (
    CancelBookingInput,
    ConfirmBookingInput,
    MoveBookingInput,
    SaveDraftInput,
)
from switchboard.agent_models import Channel
from switchboard.business import BusinessProfile, load_profile
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import Booking

ANN, BOB, CAT = "+33611111111", "+33622222222", "+33633333333"


@pytest.fixture
def profile() -> BusinessProfile:
    return load_profile()


def next_open_tuesday(profile: BusinessProfile) -> datetime:
    """10:00 Paris on a Tuesday at least two days ahead that is not a holiday (UTC)."""
    day = datetime.now(UTC).astimezone(profile.zone).date() + timedelta(days=2)
    while day.weekday() != 1 or profile.holiday(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=profile.zone).astimezone(UTC)


async def draft(
    crm: CrmActivities,
    db: Database,
    booking_id: str,
    e164: str,
    at: datetime,
    subject: str = "Felix",
) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=e164, timezone="Europe/Paris")
    await crm.save_draft(
        SaveDraftInput(
            booking_id=booking_id,
            customer=e164,
            slot_start=at,
            subject=subject,
            channel=Channel.WHATSAPP,
            service="consultation",
        )
    )


async def status(db: Database, booking_id: str) -> tuple[str, datetime]:
    async with db.session() as s:
        booking = (await s.exec(select(Booking).where(Booking.id == booking_id))).one()
        return booking.status, booking.slot_start


async def test_the_last_place_goes_to_one_customer_the_other_hears_alternatives(
    db: Database, profile: BusinessProfile
) -> None:
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    for booking_id, e164 in (("b-ann", ANN), ("b-bob", BOB), ("b-cat", CAT)):
        await draft(crm, db, booking_id, e164, slot)

    # Capacity 2: three customers say yes at the same moment.
    results = await asyncio.gather(
        *(
            crm.confirm_booking(ConfirmBookingInput(booking_id=b, customer=c, now=now))
            for b, c in (("b-ann", ANN), ("b-bob", BOB), ("b-cat", CAT))
        )
    )

    assert sorted(r.ok for r in results) == [False, True, True]
    [refused] = [r for r in results if not r.ok]
    assert refused.reason == "full"
    assert "isn't available" in refused.message and "I can offer" in refused.message
    statuses = [(await status(db, b))[0] for b in ("b-ann", "b-bob", "b-cat")]
    assert sorted(statuses) == ["confirmed", "confirmed", "draft"]


async def test_a_moved_booking_frees_its_old_slot(db: Database, profile: BusinessProfile) -> None:
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    await draft(crm, db, "b-ann", ANN, slot)
    await draft(crm, db, "b-bob", BOB, slot)
    await draft(crm, db, "b-cat", CAT, slot + timedelta(hours=1))
    for b, c in (("b-ann", ANN), ("b-bob", BOB), ("b-cat", CAT)):
        assert (
            await crm.confirm_booking(ConfirmBookingInput(booking_id=b, customer=c, now=now))
        ).ok

    # Full at 10:00; Ann moves to 11:00 (one place taken there), then Cat can move to 10:00.
    moved = await crm.move_booking(
        MoveBookingInput(
            booking_id="b-ann", customer=ANN, slot_start=slot + timedelta(hours=1), now=now
        )
    )
    assert moved.ok
    assert await status(db, "b-ann") == ("confirmed", slot + timedelta(hours=1))
    back = await crm.move_booking(
        MoveBookingInput(booking_id="b-cat", customer=CAT, slot_start=slot, now=now)
    )
    assert back.ok, back.message
    assert await status(db, "b-cat") == ("confirmed", slot)


async def test_a_service_changes_at_its_slot_only_if_its_new_length_fits(
    db: Database, profile: BusinessProfile
) -> None:
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    await draft(crm, db, "b-ann", ANN, slot)  # a 30-minute consultation at 10:00
    await draft(crm, db, "b-bob", BOB, slot + timedelta(minutes=30))
    await draft(crm, db, "b-cat", CAT, slot + timedelta(minutes=30))
    for b, c in (("b-ann", ANN), ("b-bob", BOB), ("b-cat", CAT)):
        assert (
            await crm.confirm_booking(ConfirmBookingInput(booking_id=b, customer=c, now=now))
        ).ok

    def as_(service: str) -> MoveBookingInput:
        return MoveBookingInput(
            booking_id="b-ann", customer=ANN, slot_start=slot, now=now, service=service
        )

    # A dental cleaning (60 min) would run into 10:30, where both places are taken.
    refused = await crm.move_booking(as_("dental"))
    assert not refused.ok and refused.reason == "full"
    async with db.session() as s:
        ann = (await s.exec(select(Booking).where(Booking.id == "b-ann"))).one()
        assert (ann.service, ann.duration_minutes) == ("consultation", 30)

    # A vaccination (15 min) fits: same slot, new service and length; asked twice, done once.
    for _ in range(2):
        changed = await crm.move_booking(as_("vaccination"))
        assert changed.ok and changed.booking is not None
        assert changed.booking.service == "vaccination"
    async with db.session() as s:
        ann = (await s.exec(select(Booking).where(Booking.id == "b-ann"))).one()
        assert (ann.slot_start, ann.service, ann.duration_minutes) == (slot, "vaccination", 15)

    # A later move that names no service keeps the new one.
    later = await crm.move_booking(
        MoveBookingInput(
            booking_id="b-ann", customer=ANN, slot_start=slot + timedelta(hours=2), now=now
        )
    )
    assert later.ok and later.booking is not None and later.booking.service == "vaccination"


async def test_a_closed_day_is_refused_and_nothing_moves(
    db: Database, profile: BusinessProfile
) -> None:
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    await draft(crm, db, "b-ann", ANN, slot)
    await crm.confirm_booking(ConfirmBookingInput(booking_id="b-ann", customer=ANN, now=now))

    sunday = slot + timedelta(days=5)
    refused = await crm.move_booking(
        MoveBookingInput(booking_id="b-ann", customer=ANN, slot_start=sunday, now=now)
    )

    assert not refused.ok and refused.reason == "closed_day"
    assert "closed on Sundays" in refused.message
    assert await status(db, "b-ann") == ("confirmed", slot)


async def test_nobody_cancels_or_moves_another_customers_booking(
    db: Database, profile: BusinessProfile
) -> None:
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    await draft(crm, db, "b-ann", ANN, slot)
    await crm.confirm_booking(ConfirmBookingInput(booking_id="b-ann", customer=ANN, now=now))

    with pytest.raises(ApplicationError) as cancelled:
        await crm.cancel_booking(CancelBookingInput(booking_id="b-ann", customer=BOB))
    with pytest.raises(ApplicationError):
        await crm.move_booking(
            MoveBookingInput(booking_id="b-ann", customer=BOB, slot_start=slot, now=now)
        )

    assert cancelled.value.type == "NotFound" and cancelled.value.non_retryable
    assert await status(db, "b-ann") == ("confirmed", slot)
    done = await crm.cancel_booking(CancelBookingInput(booking_id="b-ann", customer=ANN))
    again = await crm.cancel_booking(CancelBookingInput(booking_id="b-ann", customer=ANN))
    assert done.ok and again.ok, "cancelling twice is one cancellation"
    assert (await status(db, "b-ann"))[0] == "cancelled"


async def test_a_pet_booked_meanwhile_is_not_booked_twice_at_once(
    db: Database, profile: BusinessProfile
) -> None:
    """Felix was proposed 10:00 on WhatsApp; before the yes he was booked 10:15 on a call. The
    yes must not put him in two overlapping appointments: the customer hears which one he has.
    Another pet of the same customer at the same time is booked."""
    crm = CrmActivities(db, profile)
    slot = next_open_tuesday(profile)
    now = datetime.now(UTC)
    await draft(crm, db, "b-call", ANN, slot + timedelta(minutes=15), subject="felix")
    await draft(crm, db, "b-chat", ANN, slot)
    await draft(crm, db, "b-luna", ANN, slot, subject="Luna")
    assert (
        await crm.confirm_booking(ConfirmBookingInput(booking_id="b-call", customer=ANN, now=now))
    ).ok

    refused = await crm.confirm_booking(
        ConfirmBookingInput(booking_id="b-chat", customer=ANN, now=now)
    )
    luna = await crm.confirm_booking(
        ConfirmBookingInput(booking_id="b-luna", customer=ANN, now=now)
    )

    assert not refused.ok and refused.reason == "pet_booked"
    assert refused.message.startswith("Felix is already booked for Tuesday"), refused.message
    assert "at 10:15, so 10:00 would overlap it" in refused.message
    assert (await status(db, "b-chat"))[0] == "draft"
    assert luna.ok

    # Moving the 10:15 booking onto Felix's other time is refused too, unless that one moves
    # away in the same change ("swap"), which the vacating list says.
    await draft(crm, db, "b-later", ANN, slot + timedelta(hours=4))
    assert (
        await crm.confirm_booking(ConfirmBookingInput(booking_id="b-later", customer=ANN, now=now))
    ).ok
    onto = MoveBookingInput(
        booking_id="b-call", customer=ANN, slot_start=slot + timedelta(hours=4), now=now
    )
    moved = await crm.move_booking(onto)
    assert not moved.ok and moved.reason == "pet_booked"
    assert await status(db, "b-call") == ("confirmed", slot + timedelta(minutes=15))
    swapped = await crm.move_booking(onto.model_copy(update={"vacating": ["b-later"]}))
    assert swapped.ok, swapped.message
