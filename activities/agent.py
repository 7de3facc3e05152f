"""Agent activity: build the cross-channel context from Postgres, ask the agent to decide."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity

from activities.errors import application_error
from activities.types import DecideInput
from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
)
from switchboard.business import BusinessProfile
from switchboard.db.conversation import count_before, recent_messages
from switchboard.db.crm import bookings_for, busy_between
from switchboard.db.customers import get_customer
from switchboard.db.engine import Database
from switchboard.providers.base import Agent, ProviderError


class AgentActivities:
    def __init__(
        self,
        db: Database,
        agent: Agent,
        *,
        window: int,
        default_timezone: str,
        profile: BusinessProfile,
    ) -> None:
        self._db = db
        self._agent = agent
        self._window = window
        self._default_timezone = default_timezone
        self._profile = profile

    async def context_for(self, input: DecideInput) -> AgentContext:
        """The agent's view of the customer: the latest ``window`` log rows across both channels
        (the current message excluded), a one-line note on older rows, and live CRM state."""
        async with self._db.session() as s:
            customer = await get_customer(s, e164=input.customer)
            rows = [
                r
                for r in await recent_messages(
                    s, customer_e164=input.customer, limit=self._window + len(input.exclude_keys)
                )
                if r.key not in input.exclude_keys and r.text
            ][-self._window :]
            older = 0
            if rows and rows[0].id is not None:
                older = await count_before(s, customer_e164=input.customer, before_id=rows[0].id)
            bookings = await bookings_for(s, customer_e164=input.customer)
            busy = await busy_between(
                s,
                start=input.now,
                end=input.now + timedelta(days=self._profile.horizon_days),
                default_minutes=self._profile.service().duration_minutes,
            )
        return AgentContext(
            customer=input.customer,
            channel=input.channel,
            message=input.message,
            now=input.now,
            timezone=customer.timezone if customer else self._default_timezone,
            history=[
                HistoryTurn(
                    channel=Channel(r.channel),
                    direction=Direction(r.direction),
                    text=r.text,
                    at=r.created_at,
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
                )
                for b in bookings
            ],
            pending=input.pending,
            goal=input.goal,
            business=self._profile,
            busy=busy,
        )

    @activity.defn(name="agent.decide")
    async def decide(self, input: DecideInput) -> AgentDecision:
        """One agent decision for one turn. No side effect: the workflow acts on the result."""
        context = await self.context_for(input)
        try:
            return await self._agent.decide(context)
        except ProviderError as exc:
            raise application_error(exc) from exc
