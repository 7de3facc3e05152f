"""Counts of a journey's runs per version and split branch: how many runs, how many met the
goal, and where they are (or ended). Read from Temporal's visibility store (the search
attributes ``JourneyVersion``, ``JourneyBranch``, ``JourneyGoal``, ``JourneyStep``), not from a
second copy of the data; eventually consistent, and as complete as the list it is given."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

CONVERTED = "converted"  # JourneyGoal's value once a run met its goal


class RunLike(Protocol):
    @property
    def version(self) -> str | None: ...
    @property
    def branch(self) -> str | None: ...
    @property
    def goal(self) -> str | None: ...
    @property
    def step(self) -> str | None: ...


@dataclass
class RunGroup:
    """The runs of one version and split branch (``branch`` None: no split reached)."""

    version: str
    branch: str | None
    runs: int = 0
    converted: int = 0
    steps: dict[str, int] = field(default_factory=dict)  # current or last step → runs

    @property
    def rate(self) -> float:
        """Conversions per run, 0.0 to 1.0."""
        return self.converted / self.runs if self.runs else 0.0


def group_runs(runs: Iterable[RunLike]) -> list[RunGroup]:
    """One group per (version, branch), sorted by version then branch."""
    groups: dict[tuple[str, str | None], RunGroup] = {}
    steps: dict[tuple[str, str | None], Counter[str]] = {}
    for run in runs:
        key = (run.version or "?", run.branch)
        group = groups.setdefault(key, RunGroup(version=key[0], branch=key[1]))
        group.runs += 1
        group.converted += run.goal == CONVERTED
        steps.setdefault(key, Counter())[run.step or "?"] += 1
    for key, group in groups.items():
        group.steps = dict(sorted(steps[key].items()))
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1] or ""))]
