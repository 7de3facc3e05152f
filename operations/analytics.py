"""The numbers to watch, over a period: the seeds' four — message volume by flow step,
integration failures by system, handoff rate by intent class (and handoffs by cause), errors
after a confirmation — plus containment, per-channel turn latency (p50/p95), fallbacks by
kind, sends by delivery state, and journey runs by outcome.

Computed on demand from the conversation log (``switchboard.db.analytics``: Postgres'
``message``, ``outbox``, ``handoff`` and ``booking`` tables) and from Temporal's visibility store
(``count_workflows`` over the ``JourneyWorkflow`` runs started in the period, grouped by
``ExecutionStatus``, and those whose ``JourneyGoal`` is ``converted``) — never from a second copy
of the data. Visibility is eventually consistent and kept for the namespace's retention; when
Temporal does not answer, the journey figures are None and the rest still shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from switchboard.db import analytics as q
from switchboard.db.engine import Database
from switchboard.journeys.stats import CONVERTED
from switchboard.temporal import JOURNEY_GOAL
from workflows.journey import JourneyWorkflow

log = logging.getLogger("switchboard.analytics")


@dataclass(frozen=True)
class JourneyRuns:
    """Journey runs started in the period, by Temporal's status (``Running``, ``Completed``…),
    and how many met their goal."""

    by_status: list[tuple[str, int]]
    converted: int

    @property
    def started(self) -> int:
        return sum(n for _, n in self.by_status)


@dataclass(frozen=True)
class Report:
    period: q.Period
    sends_by_step: list[tuple[str, str, int]]
    integration_failures: list[tuple[str, int]]
    conversations: q.Conversations
    handoffs_by_intent: q.HandoffsByIntent
    after_confirmation: q.AfterConfirmation
    latency: list[q.Latency]
    fallbacks: list[tuple[str, int]]
    sends_by_state: list[tuple[str, int]]
    journey_runs: JourneyRuns | None  # None: Temporal did not answer

    @property
    def containment(self) -> float | None:
        """Conversations resolved without a person, 0..1 (None without conversations)."""
        c = self.conversations
        return (c.conversations - c.handed_off) / c.conversations if c.conversations else None

    @property
    def handoff_rate(self) -> float | None:
        c = self.conversations
        return c.handed_off / c.conversations if c.conversations else None

    @property
    def error_rate_after_confirmation(self) -> float | None:
        a = self.after_confirmation
        return a.errors / a.confirmed if a.confirmed else None


def _instant(at: datetime) -> str:
    """An instant as visibility queries take it (RFC 3339, UTC)."""
    return at.astimezone(UTC).isoformat(timespec="seconds")


async def journey_runs(client: Client, period: q.Period) -> JourneyRuns:
    """Raises ``RPCError`` when Temporal cannot count (unreachable, no search attributes)."""
    started = (
        f'WorkflowType = "{JourneyWorkflow.__name__}" '
        f'AND StartTime >= "{_instant(period.since)}" AND StartTime < "{_instant(period.until)}"'
    )
    grouped = await client.count_workflows(f"{started} GROUP BY ExecutionStatus")
    by_status = sorted(
        ((str(g.group_values[0]), g.count) for g in grouped.groups if g.group_values),
        key=lambda item: (-item[1], item[0]),
    )
    converted = await client.count_workflows(f'{started} AND {JOURNEY_GOAL.name} = "{CONVERTED}"')
    return JourneyRuns(by_status=by_status, converted=converted.count)


async def report(db: Database, client: Client | None, period: q.Period) -> Report:
    """Every figure for ``period``; ``client`` None (or failing) leaves ``journey_runs`` None."""
    async with db.session() as s:
        sends = await q.sends_by_step(s, period)
        failures = await q.integration_failures(s, period)
        talked = await q.conversations(s, period)
        by_intent = await q.handoffs_by_intent(s, period)
        after = await q.after_confirmation(s, period)
        latency = await q.turn_latency(s, period)
        fallbacks = await q.fallbacks_by_kind(s, period)
        states = await q.sends_by_state(s, period)
    runs: JourneyRuns | None = None
    if client is not None:
        try:
            runs = await journey_runs(client, period)
        except (RPCError, RPCTimeoutOrCancelledError) as exc:
            log.warning("journey runs not counted: %s", exc)
    return Report(
        period=period,
        sends_by_step=sends,
        integration_failures=failures,
        conversations=talked,
        handoffs_by_intent=by_intent,
        after_confirmation=after,
        latency=latency,
        fallbacks=fallbacks,
        sends_by_state=states,
        journey_runs=runs,
    )
