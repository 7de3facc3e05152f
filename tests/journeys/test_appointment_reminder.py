"""The appointment reminder end to end, in Temporal's time-skipping test server: a booking
confirmed on WhatsApp (or sent by the business's own system, ``POST /events``) starts it; 24 hours
before the slot the customer gets the reminder and answers it; a booking moved meanwhile moves the
reminder, a cancelled one ends the run. The harness is ``tests/journeys/timeskip.py``; assertions
are on what the customer got (the fake Twilio) and when (the run's history).

With SWITCHBOARD_RECORD_HISTORIES=1 the reminder's history is saved for the replay tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import select
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from switchboard.db.engine import Database
from switchboard.db.models import Booking
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.settings import Settings
from tests.conftest import HISTORIES
from tests.journeys.test_journeys_e2e import (
    BOOK_FELIX,
    CUSTOMER,
    FRIDAY,
    PARIS,
    due,
    next_local,
    paris,
)
from tests.journeys.timeskip import JourneyHandle, JourneyStack, journey_stack, time_skipping_server

NAME = "appointment-reminder"


@pytest.fixture
async def server() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_server() as env:
        yield env


@pytest.fixture
async def stack(
    server: WorkflowEnvironment, db: Database, settings: Settings
) -> AsyncIterator[JourneyStack]:
    shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
    async with journey_stack(server, db, shipped) as s:
        yield s


async def booked_on_whatsapp(stack: JourneyStack) -> tuple[Booking, JourneyHandle, datetime]:
    """Friday 19:00 Paris: Felix is booked for Tuesday 10:00 on WhatsApp (opted in); returns
    the booking, its reminder run and the Friday instant."""
    await stack.consent(CUSTOMER)
    friday = next_local(await stack.now(), FRIDAY, time(19, 0))
    await stack.skip_to(friday)
    await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    confirmed = await stack.whatsapp(CUSTOMER, "Yes")
    assert "booked" in confirmed.reply
    async with stack.db.session() as s:
        booking = (await s.exec(select(Booking))).one()
    assert booking.status == "confirmed"
    run = await stack.started(stack.journey(NAME, CUSTOMER, booking.id))
    return booking, run, friday


async def record(*handles: WorkflowHandle[Any, Any]) -> None:
    """Save these workflows' histories for tests/replay when SWITCHBOARD_RECORD_HISTORIES is set
    (these tests run on their own time-skipping server, which the conftest's recorder does not
    see)."""
    if not os.environ.get("SWITCHBOARD_RECORD_HISTORIES"):
        return
    for handle in handles:
        description = await handle.describe()
        history = await handle.fetch_history()
        kind = description.workflow_type
        name = re.sub(r"[^A-Za-z0-9]+", "-", f"{kind}-{handle.id}-{description.run_id}")
        (HISTORIES / f"{name.strip('-')}.json").write_text(history.to_json())


async def test_the_reminder_comes_24_hours_before_and_a_yes_confirms(stack: JourneyStack) -> None:
    booking, run, friday = await booked_on_whatsapp(stack)
    monday_10 = paris(friday, 3, time(10, 0))
    assert booking.slot_start == paris(friday, 4, time(10, 0))

    await stack.skip_to(monday_10 - timedelta(minutes=5))
    assert await stack.step(run) == "wait"
    before = len(await stack.messages(CUSTOMER))

    await stack.skip_to(monday_10 + timedelta(minutes=1))
    messages = await stack.wait_messages(CUSTOMER, before + 1)
    reminder = str(messages[-1]["body"])
    assert "Felix is booked for Tuesday" in reminder and "10:00" in reminder
    # The customer last wrote on Friday: outside the 24-hour window, the approved template.
    assert messages[-1].get("content_sid") == "HX00000000000000000000000000000006"
    assert due(await stack.scheduled_at(run, "whatsapp.send"), monday_10)

    answer = await stack.whatsapp(CUSTOMER, "Yes")
    assert answer.reply  # the agent acknowledges
    outcome = await stack.outcome(run)
    assert outcome.status == "completed"
    assert outcome.trail == ["wait", "remind", "answer", "done"]
    await record(run, stack.customer(CUSTOMER))


async def test_a_moved_booking_moves_the_reminder(stack: JourneyStack) -> None:
    booking, run, friday = await booked_on_whatsapp(stack)
    move = "Can we move Felix's appointment to Wednesday at 11am?"
    proposal = await stack.whatsapp(CUSTOMER, move)
    assert "Wednesday" in proposal.reply, proposal.reply
    done = await stack.whatsapp(CUSTOMER, "Yes")
    assert "moved" in done.reply, done.reply
    before = len(await stack.messages(CUSTOMER))

    # Not on Monday any more: 24 hours before Wednesday 11:00.
    await stack.skip_to(paris(friday, 3, time(12, 0)))
    assert len(await stack.messages(CUSTOMER)) == before
    assert await stack.step(run) == "wait"
    tuesday_11 = paris(friday, 4, time(11, 0))
    await stack.skip_to(tuesday_11 + timedelta(minutes=1))
    messages = await stack.wait_messages(CUSTOMER, before + 1)
    assert "Wednesday" in str(messages[-1]["body"]) and "11:00" in str(messages[-1]["body"])
    assert due(await stack.scheduled_at(run, "whatsapp.send"), tuesday_11)


async def test_a_cancelled_booking_ends_the_reminder(stack: JourneyStack) -> None:
    _booking, run, _friday = await booked_on_whatsapp(stack)
    proposal = await stack.whatsapp(CUSTOMER, "Please cancel Felix's appointment")
    assert "cancel" in proposal.reply.lower(), proposal.reply
    await stack.whatsapp(CUSTOMER, "Yes")
    outcome = await stack.outcome(run)
    assert outcome.status == "exited"
    assert outcome.reason.startswith("booking_cancelled")
    assert outcome.trail == ["wait"]


async def test_a_booking_from_the_business_system_starts_a_reminder(stack: JourneyStack) -> None:
    """POST /events: a booking made at the desk; the same request again is one event."""
    await stack.consent(CUSTOMER)
    now = await stack.now()
    slot = (now + timedelta(days=3)).replace(microsecond=0)
    data = {
        "booking_id": "desk-42",
        "slot_start": slot.astimezone(UTC).isoformat(),
        "subject": "Rex",
    }
    body = {"event": "booking_confirmed", "customer": CUSTOMER, "data": data}
    headers = {
        "X-API-Key": stack.settings.api_key.get_secret_value(),
        "Idempotency-Key": "desk-42-confirmed",
    }
    first = await stack.api.post("/events", json=body, headers=headers)
    assert first.status_code == 202, first.text
    again = await stack.api.post("/events", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    other = await stack.api.post(
        "/events", json={**body, "data": {**data, "subject": "Tom"}}, headers=headers
    )
    assert other.status_code == 409

    run = await stack.started(stack.journey(NAME, CUSTOMER, "desk-42"))
    await stack.skip_to(_quiet_adjusted(slot) + timedelta(minutes=1))
    [message] = await stack.wait_messages(CUSTOMER, 1)
    assert "Rex is booked for" in str(message["body"])
    assert due(await stack.scheduled_at(run, "whatsapp.send"), _quiet_adjusted(slot))


def _quiet_adjusted(slot: datetime) -> datetime:
    """24 hours before ``slot``, or 08:00 Paris that day when that falls in quiet hours."""
    target = slot - timedelta(hours=24)
    local = target.astimezone(PARIS)
    if local.hour >= 21:
        return paris(target, 1, time(8, 0))
    if local.hour < 8:
        return paris(target, 0, time(8, 0))
    return target


async def test_post_events_refuses_what_the_catalogue_does_not_know(stack: JourneyStack) -> None:
    headers = {"X-API-Key": stack.settings.api_key.get_secret_value(), "Idempotency-Key": "k1"}
    unknown = await stack.api.post(
        "/events", json={"event": "booking_confimred", "customer": CUSTOMER}, headers=headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "event"
    bad = await stack.api.post(
        "/events",
        json={
            "event": "visit_completed",
            "customer": CUSTOMER,
            "data": {"visit_id": "v1", "visited_at": "yesterday", "colour": "red"},
        },
        headers=headers,
    )
    assert bad.status_code == 422
    fields = {p["field"] for p in bad.json()["detail"]}
    assert fields == {"data.visited_at", "data.colour"}
    no_key = await stack.api.post(
        "/events",
        json={"event": "visit_completed", "customer": CUSTOMER, "data": {}},
        headers={"X-API-Key": headers["X-API-Key"]},
    )
    assert no_key.status_code == 422
