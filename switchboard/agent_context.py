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
from switchboard.db.conversation import count_before, recent_messages
from switchboard.db.crm import bookings_for, busy_between
from switchboard.db.customers import get_customer
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
    slots over the profile's horizon. Raises SQLAlchemy errors when Postgres is unreachable."""
    async with db.session() as s:
        customer = await get_customer(s, e164=request.customer)
        rows = [
            r
            for r in await recent_messages(
                s, customer_e164=request.customer, limit=window + len(request.exclude_keys)
            )
            if r.key not in request.exclude_keys and r.text
        ][-window:]
        older = 0
        if rows and rows[0].id is not None:
            older = await count_before(s, customer_e164=request.customer, before_id=rows[0].id)
        bookings = await bookings_for(s, customer_e164=request.customer)
        busy = await busy_between(
            s,
            start=request.now,
            end=request.now + timedelta(days=profile.horizon_days),
            default_minutes=profile.service().duration_minutes,
        )
    return AgentContext(
        customer=request.customer,
        channel=request.channel,
        message=request.message,
        now=request.now,
        timezone=customer.timezone if customer else default_timezone,
        history=[
            HistoryTurn(
                channel=Channel(r.channel),
                direction=Direction(r.direction),
                text=r.text,
                at=r.created_at,
                call_sid=r.call_sid,
            )
            for r in rows
        ],
        summary=f"{older} earlier messages are not shown." if older else "",
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
            for b in bookings
        ],
        pending=request.pending,
        goal=request.goal,
        business=profile,
        busy=busy,
    )
