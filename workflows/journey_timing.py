"""Date-relative waits of a journey run (``wait: until: {date: …}``), the run's booking, and
what the customer answered about it (``wait_for_answer``).

The time is computed in the workflow from the trigger event's data and the customer's time zone
(``switchboard.journeys.dates``: pure, deterministic). A run's booking is the trigger's
``booking_id``; its slot is the trigger's ``slot_start`` until a ``booking_rescheduled`` event
for the same booking arrives with a new one, which re-targets a waiting ``booking.slot_start``
timer (the wait starts over towards the new time). A cancelled booking ends the run through the
``exit_on: [booking_cancelled]`` policy (``JourneyWorkflow.event``). The same mechanism serves
``trigger.one_at_a_time``: a later trigger event replaces ``DateWaits.trigger`` before the run's
first contact, and a waiting ``trigger.<date>`` timer re-targets from it (silently: a win-back
moves with every message, which is no news for the conversation's log).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from switchboard.journeys.dates import DateExpression, parse_date_expression
    from switchboard.journeys.schema import AnswerOutcome, Wait
    from workflows.types import JourneyEvent


def same_booking(event: JourneyEvent, trigger: dict[str, str]) -> bool:
    """Is ``event`` about the run's booking (the trigger's ``booking_id``)?"""
    booking_id = trigger.get("booking_id")
    return bool(booking_id) and event.data.get("booking_id") == booking_id


def booking_slot(trigger: dict[str, str], events: Sequence[JourneyEvent]) -> str | None:
    """The run's booking slot (ISO instant) as the events tell it: the latest
    ``booking_rescheduled`` for it with a ``slot_start``, else the trigger's ``slot_start``."""
    slot = trigger.get("slot_start")
    for event in events:
        if event.kind == "booking_rescheduled" and same_booking(event, trigger):
            slot = event.data.get("slot_start") or slot
    return slot


def trigger_now(trigger: dict[str, str], events: Sequence[JourneyEvent]) -> dict[str, str]:
    """The trigger's data with the booking's current slot (texts say the new time after a
    move); the trigger's own data while the booking has not moved."""
    slot = booking_slot(trigger, events)
    return trigger if slot == trigger.get("slot_start") else {**trigger, "slot_start": slot or ""}


@dataclass
class DateWaits:
    """What a date wait needs from its run: the events so far, the trigger's data, the
    customer's zone, the run's interruptible wait (raises ``JourneyExited`` on an exit event)
    and its log line."""

    events: Callable[[], Sequence[JourneyEvent]]
    trigger: dict[str, str]
    timezone: Callable[[], str]
    wait_condition: Callable[[Callable[[], bool], timedelta, str], Awaitable[None]]
    log: Callable[[str], Awaitable[None]]

    def value(self, expression: DateExpression) -> str | None:
        if expression.reference == "booking.slot_start":
            return booking_slot(self.trigger, self.events())
        return self.trigger.get(expression.field)

    async def run(self, name: str, step: Wait) -> str | None:
        """Wait until the step's date; returns the next step: ``next`` when it comes,
        ``on_past`` (else ``next``) when it has already passed, None (the run ends) when the
        event carries no usable date. A moved booking re-targets the wait."""
        assert step.until is not None and step.until.date is not None
        expression = parse_date_expression(step.until.date)
        while True:
            value = self.value(expression)
            if not value:
                await self.log(f"{name}: no wait: the event has no {expression.reference}")
                return None
            try:
                target = expression.resolve(value, self.timezone())
            except ValueError as exc:
                await self.log(f"{name}: no wait: {expression.reference}: {exc}")
                return None
            now = workflow.now()
            if target <= now:
                if step.on_past is not None:
                    await self.log(f"{name}: {target.isoformat()} has passed")
                return step.on_past or step.next

            def moved(waited_for: str = value) -> bool:
                return self.value(expression) != waited_for

            await self.wait_condition(moved, target - now, f"{name}: until {target.isoformat()}")
            if not moved():
                return step.next
            if expression.reference == "booking.slot_start":
                await self.log(f"{name}: {expression.reference} moved to {self.value(expression)}")


def answer_outcome(events: Sequence[JourneyEvent], trigger: dict[str, str]) -> AnswerOutcome | None:
    """What the customer answered, from the events since the question (first one wins):
    ``confirmed`` (yes), ``declined`` (no), ``rescheduled``/``cancelled`` (the run's booking
    moved or cancelled), or None while nothing has."""
    for event in events:
        if event.kind == "yes":
            return "confirmed"
        if event.kind == "no":
            return "declined"
        if event.kind == "booking_rescheduled" and same_booking(event, trigger):
            return "rescheduled"
        if event.kind == "booking_cancelled" and same_booking(event, trigger):
            return "cancelled"
    return None
