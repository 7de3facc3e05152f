"""The agent's view of a customer for one turn: the latest log rows across both channels, a note
on older ones, and live CRM state (docs/architecture.md, "Shared memory"). Used by the agent
activity (WhatsApp and recorded calls) and by the media process (real-time calls)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from switchboard.agent_models import (
    AgentContext,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    PendingAction,
)
from switchboard.business import BusinessProfile
from switchboard.db.context import context_rows_direct
from switchboard.db.engine import Database


@dataclass(frozen=True)
class ContextRequest:
    """Whose context, for which message. ``now`` is UTC (the workflow's clock in a workflow);
    ``exclude_keys`` are the log rows that make up ``message`` (kept out of the history)."""

    customer: str
    channel: Channel
    message: str
    now: datetime
    pending: PendingAction | None = None
    exclude_keys: list[str] = field(default_factory=list)
    goal: str | None = None


async def load_context(
    db: Database,
    request: ContextRequest,
    *,
    window: int,
    default_timezone: str,
    profile: BusinessProfile,
) -> AgentContext:
    """The latest ``window`` log rows with text across both channels (the current message
    excluded), a one-line note on older rows, the customer's bookings and the calendar's busy
    slots over the profile's horizon, read in one statement (``switchboard.db.context``).
    Raises ``psycopg.Error`` (or SQLAlchemy's, checking out the connection) when Postgres is
    unreachable."""
    async with db.autocommit() as conn:
        rows = await context_rows_direct(
            conn,
            customer_e164=request.customer,
            window=window,
            exclude_keys=request.exclude_keys,
            start=request.now,
            end=request.now + timedelta(days=profile.horizon_days),
            default_minutes=profile.service().duration_minutes,
        )
    return AgentContext(
        customer=request.customer,
        channel=request.channel,
        message=request.message,
        now=request.now,
        timezone=default_timezone if rows.timezone is None else rows.timezone,
        history=[
            HistoryTurn(
                channel=Channel(r.channel),
                direction=Direction(r.direction),
                text=r.text,
                at=r.at,
                call_sid=r.call_sid,
            )
            for r in rows.history
        ],
        summary=f"{rows.older} earlier messages are not shown." if rows.older else "",
        bookings=[
            BookingView(
                id=b.id,
                slot_start=b.slot_start,
                subject=b.subject,
                status=b.status,
                service=b.service,
                call_sid=b.call_sid,
                channel=Channel(b.channel) if b.channel in set(Channel) else None,
            )
            for b in rows.bookings
        ],
        pending=request.pending,
        goal=request.goal,
        business=profile,
        busy=rows.busy,
    )
