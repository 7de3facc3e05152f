"""A person holds the conversation: replies typed in the web console go out on WhatsApp
through the same outbox and queue of unsent replies as the agent's, and the agent stays silent
until the person hands the conversation back.

Who holds it is ``CustomerState.held_by`` (it survives continue-as-new): set when the agent
opens a handoff (``Actions.open_handoff``, from the ``human-handoff-hold`` patch on) or when a
person replies, cleared by ``hand_back``. Only WhatsApp turns go silent: a caller still gets
the agent (a call with nobody speaking is worse than the agent; the console has no voice yet).
"""

from __future__ import annotations

from temporalio import workflow

from workflows.customer_context import CustomerContext
from workflows.unsent_replies import UnsentReplies

with workflow.unsafe.imports_passed_through():
    from switchboard.timeline import HUMAN_KEY_PREFIX

with workflow.unsafe.imports_passed_through():
    from activities.types import LogMessageInput, SendWhatsAppInput, WhatsAppTemplate
    from switchboard.agent_models import Channel, Direction
    from workflows.types import HandBackInput, HumanReplyInput, HumanReplyResult

# The change that makes a handoff opened by the agent hold the conversation for a person.
# Runs recorded before it kept the agent answering after its handoff.
HUMAN_HOLD_PATCH = "human-handoff-hold"
# The approved template a person's reply becomes outside the 24-hour window
# (journeys/templates.yaml; {{1}}: the person's name).
HUMAN_TEMPLATE = "human_followup"
MAX_REPLY_CHARS = 1600  # Twilio's limit for one WhatsApp message body


def reply_key(reply_id: str) -> str:
    """The outbox and conversation log key of a person's reply."""
    return f"{HUMAN_KEY_PREFIX}{reply_id}"


class HumanReplies:
    """Sends a person's replies for one customer and tracks who holds the conversation."""

    def __init__(self, customer: CustomerContext, unsent: UnsentReplies) -> None:
        self._customer = customer
        self._unsent = unsent

    @property
    def held(self) -> bool:
        """True while a person (or the handoff queue) holds the conversation."""
        return self._customer.state.held_by is not None

    def hold(self, holder: str) -> None:
        self._customer.state.held_by = holder

    async def reply(self, reply: HumanReplyInput) -> HumanReplyResult:
        """Send ``reply`` like the agent's replies: once per key through the outbox, in order
        behind any reply still waiting for Twilio. The send activity chooses free text or the
        template from the customer's last message (``switchboard.whatsapp_policy``)."""
        self.hold(reply.person)
        key = reply_key(reply.id)
        sent = await self._unsent.send(
            SendWhatsAppInput(
                key=key,
                customer=self._customer.e164,
                body=reply.text,
                template=WhatsAppTemplate(name=HUMAN_TEMPLATE, variables={"1": reply.person}),
            )
        )
        return HumanReplyResult(key=key, sent=sent)

    async def hand_back(self, event: HandBackInput) -> None:
        """The agent answers again; a log row says who handed it back."""
        self._customer.state.held_by = None
        await self._customer.log(
            LogMessageInput(
                key=f"hand-back/{workflow.uuid4()}",
                customer=self._customer.e164,
                channel=Channel.WHATSAPP,
                direction=Direction.OUTBOUND,
                kind="event",
                text=f"handed back to the agent by {event.person}",
            )
        )


def validate_reply(reply: HumanReplyInput) -> None:
    """Reject before anything reaches history. Raises ``ValueError``."""
    if not reply.id or len(reply.id) > 64:
        raise ValueError("id is required (at most 64 characters)")
    if not reply.text.strip():
        raise ValueError("a reply needs text")
    if len(reply.text) > MAX_REPLY_CHARS:
        raise ValueError(f"a reply is at most {MAX_REPLY_CHARS} characters")
    if not reply.person.strip():
        raise ValueError("person is required")
