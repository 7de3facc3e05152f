"""Routes what happens in the customer's conversation to journeys.

Two kinds of traffic, both held back until the customer's reply is out (``flush``), so a journey
never delays a reply (a run may start meanwhile: the turn's ``reply``, ``yes`` or ``no`` says
when its message came, ``JourneyEvent.from_message``, and a run started after that ignores it):

- events (``JourneyEvent``: ``reply``, ``yes``, ``stop``, …) are signalled to one running
  journey or to every running one (``CustomerState.journeys``) that listens to them (from the
  patch ``journey-listens`` on: ``workflows/journey_listens.py``; before, to every one);
- triggers (``customer_replied``, ``call_ended``, …) are matched against the journey
  definitions, and each match starts a child ``JourneyWorkflow``; under ``trigger.one_at_a_time``
  (patch ``one-at-a-time``) a match whose run is running is signalled to it instead (one run per
  customer at a time: a message costs a signal, not a start and an exit).

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
from workflows.policies import DB_RETRY, DB_TIMEOUT, db_activity

with workflow.unsafe.imports_passed_through():
    from activities.customer_link import CustomerLinkActivities
    from activities.journey import JourneyActivities
    from activities.journey_types import JourneyStartRequest, MatchInput, RunningJourneysInput
    from activities.types import TellJourneyInput
    from switchboard.temporal import journey_workflow_id
    from workflows.journey import JourneyWorkflow
    from workflows.journey_listens import listened_events
    from workflows.types import BusinessEventInput, JourneyEvent, JourneyInput

# Runs recorded before business events started journeys emitted none of these triggers.
BUSINESS_EVENTS_PATCH = "business-event-triggers"
# From this patch on every trigger carries ``at`` (now, UTC), as the event catalogue says: a
# win-back waits ``trigger.at + 6 months`` from the customer's last message.
TRIGGER_AT_PATCH = "trigger-at"
# From this patch on each run started records the events it listens to, and broadcast events go
# only to the runs that listen to them (runs without a record hear everything).
LISTENS_PATCH = "journey-listens"
# From this patch on a ``one_at_a_time`` trigger reaches the customer's running run, if any.
ONE_AT_A_TIME_PATCH = "one-at-a-time"
# From this patch on the workflow reads the customer's running runs before it first forwards an
# event: an audience launch no longer starts a customer workflow per member.
LAUNCHED_RUNS_PATCH = "launched-runs"


class JourneyRouter:
    """Journey events and triggers of one customer, queued until ``flush``."""

    def __init__(self, customer: CustomerContext) -> None:
        self._customer = customer
        self._events_out: list[tuple[str | None, JourneyEvent]] = []
        self._triggers_out: list[tuple[str, dict[str, str]]] = []
        self._learning: str | None = None  # None, "reading", "done": learn_launched()

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
        if events:
            await self.learn_launched()
        for journey_id, event in events:
            for target in [journey_id] if journey_id else list(state.journeys):
                if journey_id or self._listens(target, event.kind):
                    await self._signal_journey(target, event)
        for event_name, data in triggers:
            starts = await db_activity(
                JourneyActivities.match,
                MatchInput(event=event_name, data=data),
                local=self._customer.local_db,
            )
            for request in starts:
                await self.start_journey(request)

    async def learn_launched(self) -> None:
        """Once per customer (the mark survives continue-as-new), before the first event is
        forwarded: add the customer's running journey runs, as Temporal's visibility lists
        them, to those this workflow forwards events to. An audience launch tells only a
        running customer workflow about the runs it starts (``operations/launch.py``); these
        get every event (no record of what they listen to), as runs did before the patch
        ``journey-listens``. Runs recorded before the patch ``launched-runs`` read nothing."""
        if self._learning == "done":
            return
        if self._learning == "reading":  # a signal handler and the loop both got here
            await workflow.wait_condition(lambda: self._learning == "done")
            return
        state = self._customer.state
        self._learning = "reading"
        try:
            if state.launched_runs_read or not workflow.patched(LAUNCHED_RUNS_PATCH):
                return
            running = await workflow.execute_local_activity_method(
                CustomerLinkActivities.running_journeys,
                RunningJourneysInput(customer=self._customer.e164),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            state.journeys = [*state.journeys, *(j for j in running if j not in state.journeys)]
            state.launched_runs_read = True
        finally:
            self._learning = "done"

    def _listens(self, journey_id: str, kind: str) -> bool:
        kinds = self._customer.state.journey_events.get(journey_id)
        return kinds is None or kind in kinds

    async def start_journey(self, request: JourneyStartRequest) -> None:
        """Start one run per journey × customer × trigger key (a duplicate trigger is a no-op,
        even after the earlier run finished). Under ``trigger.one_at_a_time`` the key is the
        customer's (``Trigger.run_key``): the trigger goes to the run while it runs, and starts
        a new one (same workflow ID) once it has ended."""
        e164 = self._customer.e164
        name = request.definition.name
        journey_id = journey_workflow_id(name, e164, request.trigger.key)
        one_at_a_time = request.definition.trigger.one_at_a_time and workflow.patched(
            ONE_AT_A_TIME_PATCH
        )
        if one_at_a_time:
            # Its run (if known to be running) takes the trigger; else, or if it has just ended,
            # a new run starts. A run that runs unknown to this workflow takes it too.
            if journey_id in self._customer.state.journeys and await self._hand_over(
                journey_id, request
            ):
                return
            for _ in range(2):
                if await self._start(journey_id, request, WorkflowIDReusePolicy.ALLOW_DUPLICATE):
                    return
                if await self._hand_over(journey_id, request):
                    return
            workflow.logger.warning("one-at-a-time trigger dropped", extra={"id": journey_id})
            return
        if not await self._start(journey_id, request, WorkflowIDReusePolicy.REJECT_DUPLICATE):
            # The same trigger key came again (a Twilio retry of one message): the run it
            # started, or has run, stands. Said in the log, as a dropped start is otherwise
            # invisible (no command: replays are unchanged).
            workflow.logger.info(
                "journey already started for this trigger", extra={"id": journey_id}
            )

    async def _hand_over(self, journey_id: str, request: JourneyStartRequest) -> bool:
        """Signal a ``one_at_a_time`` trigger to its running run (``JourneyWorkflow.event``);
        False when the run is no longer running."""
        trigger = request.trigger
        if not await self._signal_journey(
            journey_id, JourneyEvent(kind=trigger.event, data=trigger.data)
        ):
            return False
        self._track(journey_id, request)
        return True

    def follow(self, journey_id: str, listens: list[str]) -> None:
        """Forward events to a run started elsewhere (an audience launch), those in
        ``listens`` when broadcast. No command: a signal handler may call it."""
        state = self._customer.state
        if journey_id not in state.journeys:
            state.journeys = [*state.journeys, journey_id]
        state.journey_events[journey_id] = list(listens)

    def _track(self, journey_id: str, request: JourneyStartRequest) -> None:
        """Forward events to this run from now on (only those it listens to, from the patch)."""
        state = self._customer.state
        if journey_id not in state.journeys:
            state.journeys = [*state.journeys, journey_id]
        if workflow.patched(LISTENS_PATCH):
            state.journey_events[journey_id] = listened_events(request.definition)

    async def _start(
        self, journey_id: str, request: JourneyStartRequest, policy: WorkflowIDReusePolicy
    ) -> bool:
        """Start the run; False when a run with this ID is running (or, with reject-duplicate,
        ever ran)."""
        e164 = self._customer.e164
        name = request.definition.name
        try:
            await workflow.start_child_workflow(
                JourneyWorkflow.run,
                JourneyInput(
                    definition=request.definition,
                    version=request.version,
                    customer=e164,
                    trigger=request.trigger,
                    start_at=request.start_at,
                    paused=request.paused,
                ),
                id=journey_id,
                id_reuse_policy=policy,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                static_summary=f"{name} v{request.version} for {e164}",
                static_details=request.definition.description,
            )
        except WorkflowAlreadyStartedError:
            return False
        self._track(journey_id, request)
        return True

    async def tell(self, journey_id: str, event: JourneyEvent) -> None:
        """Signal ``event`` to one journey now (not held back until ``flush``): what Twilio
        reports of a journey's own message is not part of a turn."""
        await self._signal_journey(journey_id, event)

    async def _signal_journey(self, journey_id: str, event: JourneyEvent) -> bool:
        """Signal ``event`` to the run; False (and the run forgotten) when it has ended. From
        the patch ``journeys-told-locally`` on, by a local activity (``customer.tell_journey``:
        a marker in this history, where the signal command cost two events and a workflow task
        of its own; Temporal takes the signal once per request ID, as it does the command's)."""
        if self._customer.journeys_told_locally:
            try:
                told = await workflow.execute_local_activity_method(
                    CustomerLinkActivities.tell,
                    TellJourneyInput(
                        journey_id=journey_id,
                        kind=event.kind,
                        data=event.data,
                        request_id=str(workflow.uuid4()),
                    ),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
            except Exception:  # noqa: BLE001 - as a failed signal below: forget the run
                told = False
            if not told:
                self._forget(journey_id)
            return told
        try:
            await workflow.get_external_workflow_handle_for(JourneyWorkflow.run, journey_id).signal(
                JourneyWorkflow.event, event
            )
        except Exception:  # noqa: BLE001 - a finished journey cannot take signals: forget it
            self._forget(journey_id)
            return False
        return True

    def _forget(self, journey_id: str) -> None:
        workflow.logger.info("journey no longer running", extra={"journey_id": journey_id})
        state = self._customer.state
        state.journeys = [j for j in state.journeys if j != journey_id]
        state.journey_events.pop(journey_id, None)
