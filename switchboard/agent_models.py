"""What the agent sees on a turn and what it may decide.

The agent never acts: it returns an ``AgentDecision`` (a reply and an intent). The customer
workflow validates the intent against its own state (e.g. a confirmation must name the pending
action's ID) and runs the activities that do the side effects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from switchboard.availability import Busy
from switchboard.business import BusinessProfile


class Channel(StrEnum):
    VOICE = "voice"
    WHATSAPP = "whatsapp"


# What one change of a proposal does (``BookingProposal.kind``, ``PendingChange.kind``).
ChangeKind = Literal["book", "reschedule", "cancel"]
# The most changes one proposal may hold: enough for a household's pets, few enough to read
# back in one message (and to say on a call).
MAX_CHANGES = 4
# Every agent's answer to a yes with nothing waiting for one: most often a yes to a turn that was
# not understood ("Sorry, I didn't catch that. How can I help you today?" / "Yes."), so the
# request is asked for rather than "What would you like me to confirm?", which asks about an offer
# the customer was never made.
NOTHING_TO_CONFIRM = "Sorry, what would you like to book or change?"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Intent(StrEnum):
    """What the agent understood. The ``PROPOSE_*`` intents change something only once the
    customer confirms (``CONFIRM`` naming the pending action); the workflow runs them."""

    PROPOSE_BOOKING = (
        "propose_booking"  # the customer asked for a slot: read it back, ask to confirm
    )
    PROPOSE_RESCHEDULE = "propose_reschedule"  # move ``proposal.booking_id`` to a new slot
    PROPOSE_CANCEL = "propose_cancel"  # cancel ``proposal.booking_id``
    # Several changes (``proposals``, each with its ``kind``) read back together and committed
    # on one yes: "book Max at 10 and Bella at 11", "cancel both".
    PROPOSE_CHANGES = "propose_changes"
    CHECK_AVAILABILITY = "check_availability"  # "is wed 2pm free?": answered, nothing held
    CONFIRM = "confirm"  # "yes" to the pending action named by ``action_id``
    DECLINE = "decline"  # "no" to the pending action
    ASK_BOOKING = "ask_booking"  # a question about an existing booking ("what day was it?")
    ANSWER = "answer"  # a question about the business, answered from the profile
    GREETING = "greeting"
    GOODBYE = "goodbye"
    HANDOFF = "handoff"  # the customer wants a human: the workflow opens a handoff record
    OPT_OUT = "opt_out"  # stop messages on WhatsApp
    OPT_IN = "opt_in"  # messages on WhatsApp again
    CLARIFY = "clarify"  # not enough to act on: ask a short question
    OTHER = "other"


class HistoryTurn(BaseModel):
    """One row of the conversation log as the agent sees it. ``at`` is UTC."""

    channel: Channel
    direction: Direction
    text: str
    at: datetime
    call_sid: str | None = None  # the call it was said on (identity checks keep a call's own)


class BookingView(BaseModel):
    """A booking from the CRM. ``slot_start`` is UTC; ``status`` is draft, confirmed,
    declined, expired or cancelled; ``service`` is a key of the business profile (None for
    bookings made before services existed)."""

    id: str
    slot_start: datetime
    subject: str
    status: str
    service: str | None = None
    call_sid: str | None = None  # the call it was made on, if any
    channel: Channel | None = None  # where it was made (None: not known)


class PendingChange(BaseModel):
    """One change of a pending action that holds several (``PendingAction.changes``).

    ``id`` is the change's own key, derived from the action's ID (``change_id``): a ``book``'s
    draft booking has this ID, and every commit of the change is keyed by it, so a retried or
    replayed yes commits each change once. ``slot_start`` (UTC) is the new slot of a ``book``
    or ``reschedule`` and the current slot of a ``cancel``; ``booking_id`` the booking a
    reschedule or cancel changes. ``said`` is the slot as the read-back said it ("Friday 11
    December at 10:00"), used when the workflow reports which changes were done.
    """

    id: str
    kind: ChangeKind
    slot_start: datetime
    subject: str
    booking_id: str | None = None
    service: str | None = None
    said: str = ""


def pet_booked_over(
    bookings: list[BookingView],
    subject: str,
    start: datetime,
    end: datetime,
    profile: BusinessProfile,
) -> BookingView | None:
    """The pet's own confirmed booking that a new one from ``start`` to ``end`` (aware, UTC)
    would overlap, since one pet is not in two appointments at once; None when there is none.
    ``subject`` matches without regard to case; "you" (nobody named) matches nothing. A
    booking lasts its service's ``duration_minutes`` (the default service's when unknown)."""
    if subject.strip().lower() in ("", "you"):
        return None
    for booking in bookings:
        if booking.status != "confirmed" or booking.subject.lower() != subject.lower():
            continue
        begins = booking.slot_start
        begins = begins if begins.tzinfo else begins.replace(tzinfo=UTC)
        try:
            service = profile.service(booking.service)
        except KeyError:
            service = profile.service()
        if begins < end and start < begins + timedelta(minutes=service.duration_minutes):
            return booking
    return None


def booked_over_reply(subject: str, booked_said: str, new_time: str | None) -> str:
    """What the customer is told when ``pet_booked_over`` finds the pet's own booking, said as
    ``booked_said`` ("Thursday 10 December at 15:00"); ``new_time`` ("15:15") when the new one
    would start at another time, None when at the same."""
    who = subject[:1].upper() + subject[1:]
    if new_time is None:
        return (
            f"{who} is already booked for {booked_said}. Would you like to change that "
            "appointment, or book another time?"
        )
    return (
        f"{who} is already booked for {booked_said}, so {new_time} would overlap it. Would you "
        "like another time, or to move that appointment?"
    )


def change_id(action_id: str, index: int) -> str:
    """The key of change ``index`` (0-based) of pending action ``action_id``: ``<id>-<n>``
    (at most 40 characters for a UUID action ID; booking IDs hold 64)."""
    return f"{action_id}-{index + 1}"


def pending_changes(action_id: str, proposals: list[BookingProposal]) -> list[PendingChange]:
    """The changes of pending action ``action_id``, one per proposal, keyed by ``change_id``
    (a proposal without a ``kind`` is a booking)."""
    return [
        PendingChange(
            id=change_id(action_id, i),
            kind=p.kind or "book",
            slot_start=p.slot_start,
            subject=p.subject,
            booking_id=p.booking_id,
            service=p.service,
            said=p.said,
        )
        for i, p in enumerate(proposals)
    ]


class PendingAction(BaseModel):
    """A proposed action waiting for the customer's yes or no.

    ``kind`` is ``book`` (a new booking: ``slot_start`` UTC and ``subject`` are set; ``id`` is
    the draft booking's ID), ``reschedule`` (move booking ``booking_id`` to ``slot_start``),
    ``cancel`` (cancel booking ``booking_id``; ``slot_start`` is its current slot) or ``offer``
    (a journey's question, e.g. "shall we call you?": ``subject`` says what a yes means and
    ``journey_id`` which journey asked). ``id`` comes from ``workflow.uuid4()``; ``expires_at``
    is UTC.

    ``kind`` ``several``: ``changes`` holds 2 to ``MAX_CHANGES`` changes confirmed by one yes
    (``slot_start`` is the first change's, ``subject`` names them all).

    ``channel`` and ``call_sid`` say where it was asked (a journey's question: WhatsApp); None:
    not recorded (asked before they were). An unverified party is shown only one asked in their
    own session (``switchboard.verification.private_view``).
    """

    id: str
    kind: str = "book"
    slot_start: datetime | None = None
    subject: str
    expires_at: datetime
    journey_id: str | None = None
    booking_id: str | None = None
    service: str | None = None
    channel: Channel | None = None
    call_sid: str | None = None
    changes: list[PendingChange] = Field(default_factory=list)


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
    # The business profile (hours, services, prices, policies) and the calendar's confirmed
    # bookings from now to the profile's horizon, every customer's (``busy``): availability and
    # answers come from these, never from the model.
    business: BusinessProfile | None = None
    busy: list[Busy] = Field(default_factory=list)


class BookingProposal(BaseModel):
    """A slot the agent wants to propose. ``slot_start`` is UTC. ``service`` is a key of the
    business profile. ``booking_id`` names the existing booking a reschedule or cancel is for
    (for a cancel, ``slot_start`` is that booking's current slot). ``kind`` says what the
    change is in a ``PROPOSE_CHANGES`` decision (None: the intent says it); ``said`` is the slot
    as the reply said it."""

    slot_start: datetime
    subject: str
    service: str | None = None
    booking_id: str | None = None
    kind: ChangeKind | None = None
    said: str = ""


class AgentDecision(BaseModel):
    """The agent's answer for one turn: what to say and what it understood.

    ``proposal`` is set with the ``PROPOSE_*`` intents but ``PROPOSE_CHANGES``, which sets
    ``proposals`` (2 to ``MAX_CHANGES``, each with its ``kind``) instead; ``action_id`` is set
    with ``CONFIRM`` and ``DECLINE`` and must equal the pending action's ID for the workflow to
    act on it.
    ``note`` is the summary a person gets with a ``HANDOFF``.
    ``confirmed`` is set with ``CONFIRM`` on a pending action of several changes when the yes
    keeps only some of them ("just Max for now"): their ``PendingChange.id``s; the others are
    dropped. Empty: all of them.

    ``verify_for`` is Switchboard's, never the agent's (``switchboard.verification``): the
    turn reads, moves or cancels a booking for a party whose identity is not verified yet, so
    the workflow asks for a check instead of replying.
    """

    reply: str
    intent: Intent
    proposal: BookingProposal | None = None
    proposals: list[BookingProposal] = Field(default_factory=list)
    action_id: str | None = None
    confirmed: list[str] = Field(default_factory=list)
    note: str = ""
    verify_for: Literal["read_booking", "reschedule", "cancel"] | None = None
