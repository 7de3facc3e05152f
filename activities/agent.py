"""Agent activity: build the cross-channel context from Postgres, ask the agent to decide,
holding back what an unverified party may not hear (``switchboard/verification.py``)."""

from __future__ import annotations

from temporalio import activity

from activities.errors import application_error
from activities.types import DecideInput
from switchboard.agent_context import ContextRequest, load_context
from switchboard.agent_models import AgentContext, AgentDecision, Channel
from switchboard.business import BusinessProfile
from switchboard.db.engine import Database
from switchboard.db.identity import whatsapp_on_file
from switchboard.providers.base import Agent, ProviderError
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.verification import Trust, guarded_decide


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
        """One agent decision for one turn. No side effect: the workflow acts on the result.
        With ``input.identity``, ``verify_for`` says when the turn needs an identity check
        first, and an unverified party's context leaves out what they may not hear
        (``switchboard.verification.guarded_decide``)."""
        context = await self.context_for(input)
        try:
            return await guarded_decide(
                self._agent,
                context,
                input.identity,
                self._profile.identity_checks,
                on_file=await self.on_file(input.customer, input.identity),
                in_process=isinstance(self._agent, RuleBasedAgent),
            )
        except ProviderError as exc:
            raise application_error(exc) from exc

    async def on_file(self, customer: str, trust: Trust | None) -> bool:
        """Whether the customer's WhatsApp address is on file (read only when it matters)."""
        if trust is None or trust.channel is not Channel.WHATSAPP or trust.passed:
            return False
        async with self._db.autocommit() as conn:
            return await whatsapp_on_file(conn, customer_e164=customer)
