"""Several changes confirmed by one yes (issue 9, "several pets in one message"): two pets booked
at two times, a yes to one of them only ("just max for now"), one pet's booking moved and
another pet booked, both bookings cancelled, one pet's time corrected before the yes, and a yes
that finds one slot taken meanwhile (the other pet is still booked, and the customer is told
which one was not and what is free instead). Real Temporal, Postgres, the rules agent and the
fake Twilio; messages arrive through the signed WhatsApp webhook."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from switchboard.agent_models import AgentContext, AgentDecision, BookingProposal, Intent
from switchboard.business import load_profile
from switchboard.db.customers import ensure_customer
from switchboard.db.models import Booking
from switchboard.providers.rules_agent import RuleBasedAgent
from tests.conftest import Harness
from tests.polling import eventually
from worker import Providers
from workflows.customer_texts import CHANGES_REFUSED

CUSTOMER = "+33612345679"
PARIS = ZoneInfo("Europe/Paris")


class FaultyAgent:
    """The rules agent, except that a message starting "[faulty]" gets a proposal of several
    changes that does not fit the customer's state (a move naming no booking, and a new
    booking), as a confused model might write it."""

    def __init__(self) -> None:
        self._rules = RuleBasedAgent()

    async def decide(self, context: AgentContext) -> AgentDecision:
        if not context.message.startswith("[faulty]"):
            return await self._rules.decide(context)
        slot = at(open_weekday(), 10)
        return AgentDecision(
            intent=Intent.PROPOSE_CHANGES,
            reply="I can move Max and book Bella. Reply YES to confirm.",
            proposals=[
                BookingProposal(slot_start=slot, subject="Max", kind="reschedule"),
                BookingProposal(slot_start=slot, subject="Bella", kind="book"),
            ],
        )


@pytest.fixture
def providers(providers: Providers) -> Providers:
    return dataclasses.replace(providers, agent=FaultyAgent())


def open_weekday() -> date:
    """A weekday at least three days ahead that the profile does not close (a holiday)."""
    profile = load_profile()
    day = datetime.now(PARIS).date() + timedelta(days=3)
    while day.weekday() >= 5 or profile.holiday(day) is not None:
        day += timedelta(days=1)
    return day


def said(day: date) -> str:
    """ "Monday 14 December", as a customer writes it and as the agent says it."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


async def says(h: Harness, text: str, *, replies: int) -> str:
    """One WhatsApp message from CUSTOMER; returns the body of reply number ``replies``."""
    await h.sim.whatsapp(CUSTOMER, text=text)
    sent = await eventually(lambda: _sent_to(h), lambda m: len(m) >= replies)
    return str(sent[replies - 1]["body"])


async def _sent_to(h: Harness) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{CUSTOMER}"]


async def bookings(h: Harness, customer: str = CUSTOMER) -> dict[tuple[str, datetime], str]:
    """(subject, slot in UTC) → status, of every booking of ``customer``."""
    async with h.db.session() as s:
        rows = (await s.exec(select(Booking).where(Booking.customer_e164 == customer))).all()
    return {(b.subject, b.slot_start.astimezone(UTC)): b.status for b in rows}


async def add_confirmed(h: Harness, customer: str, subject: str, slot: datetime) -> None:
    async with h.db.session() as s:
        await ensure_customer(s, e164=customer, timezone="Europe/Paris")
        s.add(
            Booking(
                id=f"bk-{uuid.uuid4().hex[:8]}",
                customer_e164=customer,
                slot_start=slot,
                subject=subject,
                status="confirmed",
                channel="whatsapp",
                confirmed_at=datetime.now(UTC),
            )
        )


async def test_two_pets_at_two_times_are_booked_on_one_yes(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()

    proposed = await says(harness, f"book Max at 10 and Bella at 11 on {said(day)}", replies=1)
    assert "Max" in proposed and "Bella" in proposed, proposed
    assert "10:00" in proposed and "11:00" in proposed, proposed
    assert await bookings(harness) == {
        ("Max", at(day, 10)): "draft",
        ("Bella", at(day, 11)): "draft",
    }

    done = await says(harness, "yes", replies=2)
    assert "Max" in done and "Bella" in done, done
    assert await bookings(harness) == {
        ("Max", at(day, 10)): "confirmed",
        ("Bella", at(day, 11)): "confirmed",
    }


async def test_a_yes_to_one_pet_of_two_books_that_one_and_drops_the_other(
    harness: Harness,
) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    await says(harness, f"book Max at 10 and Bella at 11 on {said(day)}", replies=1)

    done = await says(harness, "actually just max for now please", replies=2)

    assert done == f"Done: Max is booked for {said(day)} at 10:00.", done
    assert await bookings(harness) == {
        ("Max", at(day, 10)): "confirmed",
        ("Bella", at(day, 11)): "declined",
    }


async def test_one_slot_taken_before_the_yes_books_the_other_and_offers_times(
    harness: Harness,
) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    await says(harness, f"book Max at 10 and Bella at 11 on {said(day)}", replies=1)
    # Two other customers fill 11:00 (the profile sees 2 at once) before the yes.
    for other in ("+33611111111", "+33622222222"):
        await add_confirmed(harness, other, "Rex", at(day, 11))

    reply = await says(harness, "yes", replies=2)

    assert await bookings(harness) == {
        ("Max", at(day, 10)): "confirmed",
        ("Bella", at(day, 11)): "draft",
    }
    assert "Max is booked" in reply, reply
    assert "couldn't book Bella" in reply and "I can offer" in reply, reply


async def test_a_correction_of_one_pet_changes_only_that_booking(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    await says(harness, f"book Max at 10 and Bella at 11 on {said(day)}", replies=1)

    corrected = await says(harness, "no, Bella at 12", replies=2)
    assert "12:00" in corrected and "10:00" in corrected, corrected
    await says(harness, "yes", replies=3)

    confirmed = {k for k, status in (await bookings(harness)).items() if status == "confirmed"}
    assert confirmed == {("Max", at(day, 10)), ("Bella", at(day, 12))}


async def test_a_move_and_a_new_booking_are_both_made_on_one_yes(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    later = day + timedelta(days=1)
    while later.weekday() >= 5 or load_profile().holiday(later) is not None:
        later += timedelta(days=1)
    await add_confirmed(harness, CUSTOMER, "Rufus", at(day, 10))

    proposed = await says(
        harness, f"can you move Rufus to {said(later)} at 10 and book Daisy in at 11", replies=1
    )
    assert "Rufus" in proposed and "Daisy" in proposed, proposed
    assert (await bookings(harness))[("Rufus", at(day, 10))] == "confirmed"

    done = await says(harness, "yes", replies=2)
    assert "Rufus is moved" in done and "Daisy is booked" in done, done
    # the move frees Rufus's old slot: his booking is the one at the new time
    assert await bookings(harness) == {
        ("Rufus", at(later, 10)): "confirmed",
        ("Daisy", at(later, 11)): "confirmed",
    }


async def test_cancel_both_cancels_both_on_one_yes(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    await add_confirmed(harness, CUSTOMER, "Kiki", at(day, 9))
    await add_confirmed(harness, CUSTOMER, "Momo", at(day + timedelta(days=1), 10))

    proposed = await says(harness, "please cancel both our appointments", replies=1)
    assert "Kiki" in proposed and "Momo" in proposed, proposed
    assert set((await bookings(harness)).values()) == {"confirmed"}

    await says(harness, "yes", replies=2)
    assert set((await bookings(harness)).values()) == {"cancelled"}


async def test_changes_that_do_not_fit_are_refused_and_a_yes_then_does_nothing(
    harness: Harness,
) -> None:
    await harness.opt_in(CUSTOMER)

    refused = await says(harness, "[faulty] move Max and book Bella", replies=1)
    assert refused == CHANGES_REFUSED
    assert await bookings(harness) == {}  # no draft either

    answer = await says(harness, "yes", replies=2)
    assert answer == "Sorry, what would you like to book or change?"
    assert await bookings(harness) == {}
