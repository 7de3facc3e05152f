"""What the agent sees on a turn and what it may decide.

The agent never acts: it returns an ``AgentDecision`` (a reply and an intent). The customer
workflow validates the intent against its own state (e.g. a confirmation must name the pending
action's ID) and runs the activities that do the side effects.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Channel(StrEnum):
    VOICE = "voice"
    WHATSAPP = "whatsapp"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Intent(StrEnum):
    PROPOSE_BOOKING = (
        "propose_booking"  # the customer asked for a slot: read it back, ask to confirm
    )
    CONFIRM = "confirm"  # "yes" to the pending action named by ``action_id``
    DECLINE = "decline"  # "no" to the pending action
    ASK_BOOKING = "ask_booking"  # a question about an existing booking ("what day was it?")
    GREETING = "greeting"
    GOODBYE = "goodbye"
    HANDOFF = "handoff"  # the customer wants a human
    CLARIFY = "clarify"  # not enough to act on: ask a short question
    OTHER = "other"


class HistoryTurn(BaseModel):
    """One row of the conversation log as the agent sees it. ``at`` is UTC."""

    channel: Channel
    direction: Direction
    text: str
    at: datetime


class BookingView(BaseModel):
    """A booking from the CRM. ``slot_start`` is UTC; ``status`` is draft/confirmed/cancelled."""

    id: str
    slot_start: datetime
    subject: str
    status: str


class PendingAction(BaseModel):
    """A proposed action waiting for the customer's yes or no.

    ``kind`` is ``book`` (a booking: ``slot_start`` UTC and ``subject`` are set) or ``offer``
    (a journey's question, e.g. "shall we call you?": ``subject`` says what a yes means and
    ``journey_id`` which journey asked). ``id`` comes from ``workflow.uuid4()``; ``expires_at``
    is UTC.
    """

    id: str
    kind: str = "book"
    slot_start: datetime | None = None
    subject: str
    expires_at: datetime
    journey_id: str | None = None


class AgentContext(BaseModel):
    """Everything the agent gets for one turn.

    ``now`` is UTC; ``timezone`` is the customer's IANA zone, used to read and say times.
    ``history`` is the latest turns across both channels, oldest first, excluding ``message``.
    """

    customer: str  # E.164
    channel: Channel
    message: str
    now: datetime
    timezone: str
    history: list[HistoryTurn] = Field(default_factory=list)
    summary: str = ""  # short summary of turns older than the window
    bookings: list[BookingView] = Field(default_factory=list)
    pending: PendingAction | None = None
    goal: str | None = None  # on a call Switchboard placed: what the agent should achieve


class BookingProposal(BaseModel):
    """A slot the agent wants to propose. ``slot_start`` is UTC."""

    slot_start: datetime
    subject: str


class AgentDecision(BaseModel):
    """The agent's answer for one turn: what to say and what it understood.

    ``proposal`` is set with ``PROPOSE_BOOKING``; ``action_id`` is set with ``CONFIRM`` and
    ``DECLINE`` and must equal the pending action's ID for the workflow to act on it.
    """

    reply: str
    intent: Intent
    proposal: BookingProposal | None = None
    action_id: str | None = None
