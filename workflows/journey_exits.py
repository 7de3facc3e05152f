"""When an event ends a journey run: the ``exit_on`` policies (``switchboard.journeys.schema``).

``replied`` (any answer; the run never sees one to a message received before it started:
``JourneyWorkflow._before_the_run``), ``booked`` (a booking confirmed), ``stop`` (always on),
``booking_cancelled`` (the run's own booking only: ``booking_id`` of the trigger) and
``superseded``: a newer event that would start this journey for the customer (the same trigger
event, its ``when`` filters met, another trigger key and, when the trigger names a ``subject``,
the same subject). A later check-up ends the recall dated from the earlier one; a check-up for
another pet of the same customer does not.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.journey_types import TriggerData
    from switchboard.journeys.events import matches_when, trigger_key
    from switchboard.journeys.schema import ExitOn, Trigger
    from workflows.journey_timing import same_booking
    from workflows.types import JourneyEvent

EXIT_EVENTS: dict[ExitOn, set[str]] = {
    "replied": {"reply", "yes", "no"},
    "booked": {"booking_confirmed"},
    "stop": {"stop"},
    "booking_cancelled": {"booking_cancelled"},
    "superseded": set(),  # the trigger's own event (supersedes)
}


def supersedes(event: JourneyEvent, trigger: TriggerData, journey: Trigger) -> bool:
    """Would ``event`` start this journey again for the customer, about the same subject, with
    another trigger key (module docstring)?"""
    if event.kind != trigger.event or not matches_when(event.data, journey.when):
        return False
    subject = trigger.data.get("subject")
    if subject and event.data.get("subject") != subject:
        return False
    key = trigger_key(event.kind, event.data, journey.key)
    return bool(key) and key != trigger.key


def exit_reason(
    event: JourneyEvent, exit_on: list[ExitOn], trigger: TriggerData, journey: Trigger
) -> str | None:
    """``"<policy> (<event kind>)"`` when ``event`` ends the run under one of ``exit_on``, else
    None."""
    for policy in exit_on:
        if policy == "booking_cancelled" and not same_booking(event, trigger.data):
            continue  # another booking of the customer's
        if policy == "superseded":
            if supersedes(event, trigger, journey):
                newer = trigger_key(event.kind, event.data, journey.key)
                return f"superseded ({event.kind} {newer})"
            continue
        if event.kind in EXIT_EVENTS[policy]:
            return f"{policy} ({event.kind})"
    return None
