"""A journey's funnel: how many runs entered, how many are at each step now, and how the others
ended (completed, exited, cancelled, failed) — read from Temporal's visibility store (the run's
status and its ``JourneyStep`` and ``JourneyGoal`` search attributes), not from a second copy of
the data. A run's ``JourneyStep`` is its current step, and its last one once it closed
(``done``, ``exited``, ``cancelled``, ``goal`` while it listens for the goal after its last
step), so "at each step" counts running runs; which steps a closed run passed through is in its
history, not in visibility."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from switchboard.journeys.stats import CONVERTED

# JourneyStep values that are not steps of the definition.
AFTER_LAST_STEP = "goal"
EXITED = "exited"
CANCELLED = "cancelled"


class RunState(Protocol):
    @property
    def status(self) -> str: ...  # Temporal's: RUNNING, COMPLETED, CANCELED, FAILED…
    @property
    def step(self) -> str | None: ...
    @property
    def goal(self) -> str | None: ...


@dataclass
class Funnel:
    entered: int = 0
    at_step: Counter[str] = field(default_factory=Counter)  # running runs per current step
    awaiting_goal: int = 0  # past their last step, listening for the goal
    completed: int = 0
    exited: int = 0  # an exit event (reply, booking, STOP…) ended them
    cancelled: int = 0
    failed: int = 0  # failed, terminated or timed out
    converted: int = 0  # met the journey's goal (running or closed)

    @property
    def running(self) -> int:
        return sum(self.at_step.values()) + self.awaiting_goal


def funnel(runs: Iterable[RunState]) -> Funnel:
    """Count ``runs`` (typically ``operations.manage.list_runs(..., status="all")``)."""
    result = Funnel()
    for run in runs:
        result.entered += 1
        result.converted += run.goal == CONVERTED
        if run.status == "RUNNING":
            if run.step == AFTER_LAST_STEP:
                result.awaiting_goal += 1
            else:
                result.at_step[run.step or "?"] += 1
        elif run.status == "CANCELED" or run.step == CANCELLED:
            result.cancelled += 1
        elif run.status == "COMPLETED":
            if run.step == EXITED:
                result.exited += 1
            else:
                result.completed += 1
        else:
            result.failed += 1
    return result
