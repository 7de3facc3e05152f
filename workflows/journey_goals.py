"""Conversion goals and A/B splits of a journey run (``goal:`` and ``kind: split``).

A goal is met once, when its event reaches the run within ``goal.within`` of the run's first
message or call (workflow time, UTC): the run's ``JourneyGoal`` becomes ``converted`` and its
outcome says at which step. A run that never contacted the customer cannot convert (a run that
exited before its first message counts nothing), and the answer to a message received before
the run started never reaches it (``JourneyWorkflow._before_the_run``). After its last step a
run with an open goal keeps listening until the window closes (``JourneyStep`` ``goal``), so a
booking made three days after a message sent on day one still counts. A split sends the
customer down the branch ``switchboard.journeys.split`` picks (a hash of journey, step and
customer: the same branch every time) and sets ``JourneyBranch``. Both are counted per version
and branch by ``switchboard.journeys.stats.group_runs`` (``journeys runs``,
``GET /journeys/{name}/runs``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from switchboard.journeys.schema import Goal, Split
    from switchboard.journeys.split import choose_branch
    from switchboard.temporal import JOURNEY_BRANCH, JOURNEY_GOAL, JOURNEY_STEP
    from workflows.types import JourneyEvent

# The events the customer workflow forwards for each goal event.
GOAL_KINDS = {"customer_replied": {"reply", "yes", "no"}}
GOALS_PATCH = "journey-goals"


class GoalsAndSplits:
    """The goal and split state of one run (``goal``: None when the journey declares none)."""

    def __init__(self, journey: str, customer: str, goal: Goal | None) -> None:
        self._journey = journey
        self._customer = customer
        self._goal = goal
        self.step = ""  # the step the run is in (set by the run loop)
        self.converted_at: str | None = None  # the step the run was in when it converted
        self.branch: str | None = None  # "<split step>:<branch>" of the last split
        self._contacted: datetime | None = None  # the run's first message or call (UTC)

    def contacted(self) -> None:
        """The run sent a message or placed a call: the goal's window opens (the first time)."""
        if self._contacted is None:
            self._contacted = workflow.now()

    @property
    def has_contacted(self) -> bool:
        """Has the run sent a message or placed a call?"""
        return self._contacted is not None

    def _deadline(self) -> datetime | None:
        if self._goal is None or self._contacted is None:
            return None
        return self._contacted + self._goal.within

    def observe(self, event: JourneyEvent) -> None:
        """Count ``event`` if it meets the goal (first time, within the window)."""
        goal, deadline = self._goal, self._deadline()
        if goal is None or deadline is None or self.converted_at is not None:
            return
        if event.kind not in GOAL_KINDS.get(goal.event, {goal.event}):
            return
        if workflow.now() > deadline:
            return
        self.converted_at = self.step or "start"
        workflow.upsert_search_attributes([JOURNEY_GOAL.value_set("converted")])

    async def linger(self, withdraw_question: Callable[[], Awaitable[None]]) -> None:
        """After the last step: wait for the goal until its window closes (no-op without an
        open goal, and in runs recorded before goals). The run's question, if one is still
        pending, is withdrawn first: nobody is left to act on its answer."""
        deadline = self._deadline()
        if deadline is None or self.converted_at is not None or workflow.now() >= deadline:
            return
        if not workflow.patched(GOALS_PATCH):
            return
        workflow.upsert_search_attributes([JOURNEY_STEP.value_set("goal")])
        await withdraw_question()
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: self.converted_at is not None,
                timeout=deadline - workflow.now(),
                timeout_summary=f"goal {self._goal.event if self._goal else ''}",
            )

    def split(self, name: str, step: Split) -> str:
        """The step this customer's branch of split ``name`` leads to (module docstring)."""
        branch = choose_branch(
            self._journey, name, self._customer, list(step.branches), step.weights
        )
        self.branch = f"{name}:{branch}"
        workflow.upsert_search_attributes([JOURNEY_BRANCH.value_set(self.branch)])
        return step.branches[branch]
