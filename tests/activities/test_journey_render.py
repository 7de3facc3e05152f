"""What a journey's texts say about ``booking``: the booking the trigger event names, never
another of the customer's. A no-show reported by the practice's own system names a booking
Switchboard's CRM does not hold; the customer's next appointment must not stand in for it."""

from __future__ import annotations

from datetime import UTC, datetime

from activities.journey import render_context
from activities.journey_types import RenderInput
from switchboard.db.models import Booking

CUSTOMER = "+33612345678"
NEXT_WEEK = Booking(
    id="bk-next",
    customer_e164=CUSTOMER,
    slot_start=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),  # Monday 7 December, 10:00 in Paris
    subject="Mimi",
    status="confirmed",
    channel="whatsapp",
    created_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
)


def render_input(**trigger: str) -> RenderInput:
    return RenderInput(
        customer=CUSTOMER,
        timezone="Europe/Paris",
        trigger_event="visit_no_show",
        trigger=trigger,
        texts={},
    )


def test_an_event_about_a_booking_the_crm_does_not_hold_names_that_booking() -> None:
    missed = render_input(booking_id="bk-desk", slot_start="2026-12-02T08:00:00Z", subject="Mimi")
    booking = render_context(missed, [NEXT_WEEK], {})["booking"]
    assert booking["id"] == "bk-desk"
    assert "2 December" in booking["when"] and "09:00" in booking["when"], booking
    assert "7 December" not in booking["when"]


def test_the_crm_booking_the_event_names_keeps_its_subject_and_status() -> None:
    moved = render_input(booking_id="bk-next", slot_start="2026-12-08T09:00:00Z")
    booking = render_context(moved, [NEXT_WEEK], {})["booking"]
    assert (booking["id"], booking["subject"], booking["status"]) == (
        "bk-next",
        "Mimi",
        "confirmed",
    )
    assert "8 December" in booking["when"]


def test_without_a_booking_in_the_event_the_latest_booking_is_the_one() -> None:
    booking = render_context(render_input(), [NEXT_WEEK], {})["booking"]
    assert booking["id"] == "bk-next" and "7 December" in booking["when"]
