"""Which forwarded events a journey run can act on, known from its definition.

The customer workflow forwards what happens in the conversation (``reply``, ``yes``,
``booking_confirmed``, ``call_completed``, …) to its running journeys. A run that cannot act on
an event should not cost a signal and a workflow task for it: a win-back waiting six months does
nothing with the agent's every ``reply``. ``listened_events`` lists the event kinds a run of
``definition`` reads (exit policies, goal, steps, its booking, its own trigger under
``one_at_a_time``); the customer workflow records it per run at start (``CustomerState.
journey_events``) and broadcasts an event only to the runs that listen to it. Events addressed to
one run (the answer to its question, its message's delivery failure) always reach it, and a run
with no record (started before the patch) hears everything, as before.

Pure and deterministic: called in workflow code.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from switchboard.journeys.events import fields_of
    from switchboard.journeys.schema import (
        Branch,
        JourneyDefinition,
        PlaceCall,
        SendWhatsApp,
        WaitFor,
        WaitForAnswer,
    )
    from workflows.journey_exits import EXIT_EVENTS
    from workflows.journey_goals import GOAL_KINDS

ANSWERS = {"yes", "no", "booking_rescheduled", "booking_cancelled"}  # journey_timing.answer_outcome
BOOKING_CHANGES = {"booking_rescheduled", "booking_cancelled"}  # a run's booking moves or ends


def listened_events(definition: JourneyDefinition) -> list[str]:
    """The event kinds a run of ``definition`` reads, sorted (module docstring)."""
    trigger = definition.trigger
    kinds = {"stop"}
    for policy in definition.policies.exit_on:
        kinds |= {trigger.event} if policy == "superseded" else EXIT_EVENTS[policy]
    if definition.goal is not None:
        kinds |= GOAL_KINDS.get(definition.goal.event, {definition.goal.event})
    if trigger.one_at_a_time:
        kinds.add(trigger.event)
    fields = fields_of(trigger.event)
    if fields is None or "booking_id" in fields:  # the run's booking (texts, date waits)
        kinds |= BOOKING_CHANGES
    for step in definition.steps.values():
        if isinstance(step, WaitFor):
            kinds |= {"yes", "no"} if step.event in ("yes", "no") else {step.event}
        elif isinstance(step, WaitForAnswer):
            kinds |= ANSWERS
        elif isinstance(step, PlaceCall):
            kinds.add("call_completed")
        elif isinstance(step, Branch) and step.on == "reply.intent":
            kinds |= {"reply", "yes", "no"}
        elif isinstance(step, SendWhatsApp):
            kinds.add("message_failed")
    return sorted(kinds)
