"""Routes what happens in the customer's conversation to journeys.

Two kinds of traffic, both held back until the customer's reply is out (``flush``), so a journey
never delays a reply:

- events (``JourneyEvent``: ``reply``, ``yes``, ``stop``, …) are signalled to one running
  journey or to every running one (``CustomerState.journeys``);
- triggers (``customer_replied``, ``call_ended``, …) are matched against the journey
  definitions, and each match starts a child ``JourneyWorkflow``.

Business events (``switchboard.journeys.events``: a booking confirmed, moved or cancelled, an
opt-out…) are triggers too: those the workflow records itself (``business_event``, from the
patch ``business-event-triggers`` on; earlier runs started journeys only on the original
triggers) and those the business's own systems send (``POST /events``: ``from_business``, which
also forwards them to the running journeys, e.g. a booking moved at the desk).
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from workflows.customer_context import CustomerContext
from workflows.policies import db_activity

with workflow.unsafe.imports_passed_through():
    from activities.journey import JourneyActivities
    from activities.journey_types import JourneyStartRequest, MatchInput
    from switchboard.temporal import journey_workflow_id
    from workflows.journey import JourneyWorkflow
    from workflows.types import BusinessEventInput, JourneyEvent, JourneyInput

# Runs recorded before business events started journeys emitted none of these triggers.
BUSINESS_EVENTS_PATCH = "business-event-triggers"
# From this patch on every trigger carries ``at`` (now, UTC), as the event catalogue says: a
# win-back waits ``trigger.at + 6 months`` from the customer's last message.
TRIGGER_AT_PATCH = "trigger-at"


class JourneyRouter:
    """Journey events and triggers of one customer, queued until ``flush``."""

    def __init__(self, customer: CustomerContext) -> None:
        self._customer = customer
        self._events_out: list[tuple[str | None, JourneyEvent]] = []
        self._triggers_out: list[tuple[str, dict[str, str]]] = []

    def later_event(self, event: JourneyEvent, *, journey_id: str | None = None) -> None:
        """Forward ``event`` to one journey, or to every running one, after the reply is out."""
        self._events_out.append((journey_id, event))

    def later_trigger(self, event: str, data: dict[str, str]) -> None:
        """Start the journeys this event triggers, after the reply is out. The data gets
        ``at`` (now, UTC) unless it has one."""
        if workflow.patched(TRIGGER_AT_PATCH):
            data = {"at": workflow.now().isoformat(), **data}
        self._triggers_out.append((event, data))

    def business_event(self, event: str, data: dict[str, str]) -> None:
        """Start the journeys business event ``event`` triggers (with ``at``, now in UTC),
        after the reply is out. A no-op in runs recorded before the patch."""
        if workflow.patched(BUSINESS_EVENTS_PATCH):
            self.later_trigger(event, {"at": workflow.now().isoformat(), **data})

    async def from_business(self, event: BusinessEventInput) -> None:
        """An event from the business's systems: to every running journey, then as a
        trigger."""
        self.later_event(JourneyEvent(kind=event.event, data=event.data))
        self.later_trigger(event.event, event.data)
        await self.flush()

    async def flush(self) -> None:
        """Send the queued events, then start the journeys the queued triggers match."""
        state = self._customer.state
        events, self._events_out = self._events_out, []
        triggers, self._triggers_out = self._triggers_out, []
        for journey_id, event in events:
            for target in [journey_id] if journey_id else list(state.journeys):
                await self._signal_journey(target, event)
        for event_name, data in triggers:
            starts = await db_activity(
                JourneyActivities.match,
                MatchInput(event=event_name, data=data),
                local=self._customer.local_db,
            )
            for request in starts:
                await self.start_journey(request)

    async def start_journey(self, request: JourneyStartRequest) -> None:
        """Start one run per journey × customer × trigger key (a duplicate trigger is a no-op,
        even after the earlier run finished)."""
        e164 = self._customer.e164
        name = request.definition.name
        journey_id = journey_workflow_id(name, e164, request.trigger.key)
        try:
            await workflow.start_child_workflow(
                JourneyWorkflow.run,
                JourneyInput(
                    definition=request.definition,
                    version=request.version,
                    customer=e164,
                    trigger=request.trigger,
                ),
                id=journey_id,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                static_summary=f"{name} v{request.version} for {e164}",
                static_details=request.definition.description,
            )
        except WorkflowAlreadyStartedError:
            return
        state = self._customer.state
        state.journeys = [*state.journeys, journey_id]

    async def tell(self, journey_id: str, event: JourneyEvent) -> None:
        """Signal ``event`` to one journey now (not held back until ``flush``): what Twilio
        reports of a journey's own message is not part of a turn."""
        await self._signal_journey(journey_id, event)

    async def _signal_journey(self, journey_id: str, event: JourneyEvent) -> None:
        try:
            await workflow.get_external_workflow_handle_for(JourneyWorkflow.run, journey_id).signal(
                JourneyWorkflow.event, event
            )
        except Exception:  # noqa: BLE001 - a finished journey cannot take signals: forget it
            workflow.logger.info("journey no longer running", extra={"journey_id": journey_id})
            state = self._customer.state
            state.journeys = [j for j in state.journeys if j != journey_id]
