"""How a journey run and the customer's workflow find each other without a workflow per member.

An audience launch starts each member's run and tells the member's customer workflow only if it
is running (``operations/launch.py``): no customer workflow is started per member. A customer
workflow that starts later reads the customer's running runs here (``running_journeys``) before
it first forwards an event; a run that asks a question starts the customer workflow with it
(``ask``), so the answer has a workflow to reach it, and one that places a call starts it first
(``join``), so what Twilio reports of the call has a workflow to reach
(``workflows/journey_router.py``, ``workflows/journey.py``).

The customer workflow also forwards its events to the runs here (``tell``, from the patch
``journeys-told-locally`` on: a local activity, where a signal from the workflow cost a workflow
task of its own per message, issue 14).

All are Temporal client calls, given to this class by the worker (``worker.py``): the calls
themselves name the workflows, which this layer may not import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.journey_types import AskCustomerInput, JoinCustomerInput, RunningJourneysInput
from activities.types import TellJourneyInput

FindRuns = Callable[[str], Awaitable[list[str]]]  # customer E.164 → running journey run IDs
Ask = Callable[[AskCustomerInput, str], Awaitable[None]]  # the question, the task queue
Join = Callable[[JoinCustomerInput, str], Awaitable[None]]  # the run, the task queue
Tell = Callable[[TellJourneyInput], Awaitable[bool]]  # the event → False: the run has ended


class CustomerLinkActivities:
    def __init__(
        self, *, find_runs: FindRuns, ask: Ask, join: Join, tell: Tell | None = None
    ) -> None:
        """``tell`` signals a run (without it ``tell`` fails, non-retryable ``NoTell``)."""
        self._find_runs = find_runs
        self._ask = ask
        self._join = join
        self._tell = tell

    @activity.defn(name="customer.running_journeys")
    async def running_journeys(self, input: RunningJourneysInput) -> list[str]:
        """Workflow IDs of the customer's running journey runs (Temporal's visibility, so a run
        started within the store's indexing delay — milliseconds on the dev server's SQLite,
        about a second on Elasticsearch — may be missing)."""
        return await self._find_runs(input.customer)

    @activity.defn(name="journey.ask_customer")
    async def ask(self, input: AskCustomerInput) -> None:
        """Give the customer workflow the run's question (signal-with-start ``offer``) on this
        activity's task queue. At least once, like any activity: a retry gives the same
        question again, which replaces the pending action with itself."""
        await self._ask(input, activity.info().task_queue)

    @activity.defn(name="journey.join_customer")
    async def join(self, input: JoinCustomerInput) -> None:
        """Make sure the customer workflow runs and forwards events to the run (signal-with-start
        ``journey_started`` on this activity's task queue), before the run places a call whose
        events (who answered, the call's end) go through it. Idempotent."""
        await self._join(input, activity.info().task_queue)

    @activity.defn(name="customer.tell_journey")
    async def tell(self, input: TellJourneyInput) -> bool:
        """Signal ``input``'s event to the journey run ``input.journey_id``; False when no run
        of that ID is running (it ended: the customer workflow forgets it). A retry signals
        the run once (``input.request_id``). Raises non-retryable ``ApplicationError`` type
        ``NoTell`` when the worker gave no client call; Temporal's errors otherwise."""
        if self._tell is None:
            raise ApplicationError(
                "no journey signaller configured", type="NoTell", non_retryable=True
            )
        return await self._tell(input)
