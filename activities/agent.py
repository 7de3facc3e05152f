"""Agent activity: build the cross-channel context from Postgres, ask the agent to decide."""

from __future__ import annotations

from temporalio import activity

from activities.errors import application_error
from activities.types import DecideInput
from switchboard.agent_context import ContextRequest, load_context
from switchboard.agent_models import AgentContext, AgentDecision
from switchboard.business import BusinessProfile
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
        """The agent's view of the customer (``switchboard/agent_context.py``)."""
        return await load_context(
            self._db,
            ContextRequest(
                customer=input.customer,
                channel=input.channel,
                message=input.message,
                now=input.now,
                pending=input.pending,
                exclude_keys=input.exclude_keys,
                goal=input.goal,
            ),
            window=self._window,
            default_timezone=self._default_timezone,
            profile=self._profile,
        )

    @activity.defn(name="agent.decide")
    async def decide(self, input: DecideInput) -> AgentDecision:
        """One agent decision for one turn. No side effect: the workflow acts on the result."""
        context = await self.context_for(input)
        try:
            return await self._agent.decide(context)
        except ProviderError as exc:
            raise application_error(exc) from exc
