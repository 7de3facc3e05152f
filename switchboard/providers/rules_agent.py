"""A local, deterministic, rule-based agent for the embedded default stack.

No model, no network: keyword and regex rules pick an ``Intent``, ``switchboard.slots`` reads the
slot, and templates write the reply. Replies are one or two short sentences because on a call they
are spoken. Every time is read and said in ``context.timezone``, relative to ``context.now`` (UTC),
never the machine clock, so the same context always gives the same decision.

Like any ``Agent`` it only decides: a ``CONFIRM``/``DECLINE`` carries the pending action's ID and
the customer workflow checks it before acting ("Confirm before acting", DESIGN.md).

Rules, first match wins:

1. Whole-message yes/no with a live pending action → ``CONFIRM``/``DECLINE`` with its ID. A yes
   with no pending action, or an expired one, → ``CLARIFY`` (never a confirmation).
2. "Talk to a person", "human please" → ``HANDOFF``.
3. A question about the booking ("what day was it again?") → ``ASK_BOOKING``.
4. A slot (day and time) with a booking word ("book", "appointment", "visit"…; Whisper may turn
   "book" into "welcome", so any one of them is enough), or during a booking exchange (a pending
   action or a booking word in the last turns) → ``PROPOSE_BOOKING``. A booking word without a
   slot → ``CLARIFY`` for the day and time; "cancel my appointment" → ``HANDOFF`` (no cancel
   intent yet).
5. A greeting alone → ``GREETING``; bye / that's all → ``GOODBYE``; anything else → ``OTHER``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingProposal,
    BookingView,
    Channel,
    Intent,
    PendingAction,
)
from switchboard.slots import format_slot, parse_slot

__all__ = ["RuleBasedAgent"]

# How many recent turns count as "still talking about a booking" for a bare "Tuesday at 10".
_BOOKING_CONTEXT_TURNS = 4

# Whole-message yes/no. Fillers may surround the answer ("Yes, please.", "OK thanks").
_FILLERS = r"(?:please|thanks|thank\s+you|go\s+ahead|do\s+it|that's\s+fine|great|perfect|then)"
_YES = (
    r"(?:yes|yeah|yea|yep|yup|sure|ok|okay|confirm|confirmed|correct|right|that's\s+right"
    r"|that\s+is\s+right|absolutely|definitely|sounds\s+good|book\s+it|please\s+do)"
)
_NO = (
    r"(?:no|nope|nah|cancel|cancel\s+(?:it|that)|not\s+now|no\s+thanks|don't|do\s+not|never\s+mind"
    r"|not\s+really)"
)
_YES_RE = re.compile(rf"^(?:{_FILLERS}\s*)*(?:{_YES}\s*)+(?:{_FILLERS}\s*)*$")
_NO_RE = re.compile(rf"^(?:{_NO}\s*)+(?:{_FILLERS}\s*)*$")

_HANDOFF_RE = re.compile(
    r"\b(?:human|real\s+person|operator|representative|receptionist)\b"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|some)?\s*"
    r"(?:person|someone|somebody|agent|staff|people|member\s+of\s+staff)\b"
    r"|^(?:an?\s+)?agent(?:\s+please)?$"
)
_QUESTION_RE = re.compile(r"\bwhen\b|\bwhat\s+(?:day|time|date)\b|\bwhich\s+(?:day|time|date)\b")
_ABOUT_BOOKING_RE = re.compile(
    r"\b(?:my|the|our)\s+(?:appointment|booking|visit|slot|reservation)\b"
    r"|\bagain\b|\b(?:is|was)\s+it\b|\bdid\s+(?:i|we)\s+book\b"
)
_HAVE_BOOKING_RE = re.compile(
    r"\b(?:do|did)\s+(?:i|we)\s+have\s+(?:an?\s+)?(?:appointment|booking)"
)
_BOOKING_WORD_RE = re.compile(
    r"\b(?:book|booking|appointment|appt|reserve|reservation|schedule|slot|visit|check-?up"
    r"|consultation|come\s+in)\b|\bsee\s+(?:the|a)\s+(?:vet|doctor)\b"
)
_CANCEL_RE = re.compile(r"\bcancel\b")
_GREETING_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|there|again)\s*)+$"
)
_GOODBYE_RE = re.compile(
    r"\b(?:bye|goodbye|see\s+you|that's\s+all|that\s+is\s+all|that's\s+it|nothing\s+else)\b"
    r"|^(?:thanks|thank\s+you)(?:\s+(?:very\s+much|so\s+much|a\s+lot))?$"
)

# "for my cat" → "your cat"; "for my cat Felix" / "for Felix" → "Felix". Case is read from the
# original text: a capital is the only sign that "for Felix" names someone.
# Only the name part is case-sensitive (scoped (?i:...)), else "for my cat on Tuesday" names "on".
_FOR_MY_RE = re.compile(
    r"(?i:\bfor\s+(?:my|our)\s+(?:little\s+|old\s+|young\s+)?([a-z]+))(?:,?\s+([A-Z][a-z]+))?"
)
_FOR_NAME_RE = re.compile(r"(?i:\bfor)\s+([A-Z][a-z]+)\b")
_NOT_A_NAME = {
    "appointment",
    "booking",
    "visit",
    "checkup",
    "me",
    "myself",
    "us",
    "today",
    "tomorrow",
    "next",
    "this",
    "the",
    "a",
    "an",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}


class RuleBasedAgent:
    """The embedded stack's agent: keyword/regex intents and templated replies.

    Stateless and deterministic; it needs nothing but the ``AgentContext`` of the turn and raises
    nothing of its own (an unknown ``context.timezone`` raises ``ZoneInfoNotFoundError``).
    """

    async def decide(self, context: AgentContext) -> AgentDecision:
        """Choose the reply and intent for one turn; see the module docstring for the rules."""
        now = _as_utc(context.now)
        text = _plain(context.message)

        if _YES_RE.match(text):
            return _confirm(context, now)
        if _NO_RE.match(text):
            return _decline(context, now)
        if _HANDOFF_RE.search(text):
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply="Of course. I'll pass you to a member of the team.",
            )

        slot = parse_slot(context.message, now_utc=now, timezone=context.timezone)
        if slot is None and _asks_about_booking(text):
            return _answer_booking(context, now)
        if slot is not None and _booking_talk(context, text):
            return _propose(context, slot, now)
        if _CANCEL_RE.search(text):
            # There is no cancel intent yet; a person does it rather than a wrong guess.
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply="I can't cancel bookings myself yet, so I'll pass you to the team.",
            )
        if _BOOKING_WORD_RE.search(text):
            return AgentDecision(
                intent=Intent.CLARIFY,
                reply="Sure. Which day and time would you like for the appointment?",
            )
        if _GREETING_RE.match(text):
            return AgentDecision(intent=Intent.GREETING, reply="Hi! How can I help you today?")
        if _GOODBYE_RE.search(text):
            return AgentDecision(intent=Intent.GOODBYE, reply="You're welcome. Goodbye!")
        return AgentDecision(
            intent=Intent.OTHER,
            reply="I can book, change or check an appointment. What would you like to do?",
        )


def _confirm(context: AgentContext, now: datetime) -> AgentDecision:
    """A whole-message yes: confirm the live pending action, else ask what to confirm."""
    pending = context.pending
    if pending is None:
        return AgentDecision(intent=Intent.CLARIFY, reply="What would you like me to confirm?")
    if pending.slot_start is None:  # a journey's yes/no question, e.g. "shall we call you?"
        if _as_utc(pending.expires_at) <= now:
            return AgentDecision(
                intent=Intent.CLARIFY, reply="Sorry, that offer has expired. How can I help?"
            )
        return AgentDecision(
            intent=Intent.CONFIRM, action_id=pending.id, reply=f"Great: {pending.subject}."
        )
    if _as_utc(pending.expires_at) <= now:
        # No action_id: the workflow must not act on an offer the customer saw expire.
        when = format_slot(_as_utc(pending.slot_start), context.timezone)
        return AgentDecision(
            intent=Intent.CLARIFY,
            reply=(
                f"Sorry, the offer for {when} has expired, so nothing is booked. "
                "Tell me the day and time again and I'll propose it afresh."
            ),
        )
    when = format_slot(_as_utc(pending.slot_start), context.timezone)
    return AgentDecision(
        intent=Intent.CONFIRM,
        action_id=pending.id,
        reply=f"Done: you're booked for {when}{_for_subject(pending.subject)}.",
    )


def _decline(context: AgentContext, now: datetime) -> AgentDecision:
    """A whole-message no: decline the live pending action, else just acknowledge."""
    pending = _live_pending(context, now)
    if pending is None:
        return AgentDecision(
            intent=Intent.OTHER, reply="No problem. Is there anything else I can help with?"
        )
    if pending.slot_start is None:
        return AgentDecision(
            intent=Intent.DECLINE,
            action_id=pending.id,
            reply="No problem, thanks for letting me know.",
        )
    return AgentDecision(
        intent=Intent.DECLINE,
        action_id=pending.id,
        reply="OK, I haven't booked it. Would another day or time suit you?",
    )


def _propose(context: AgentContext, slot: datetime, now: datetime) -> AgentDecision:
    """Read the slot back in one sentence and ask for a yes tied to the coming pending action."""
    pending = _live_booking(context, now)
    # A new time during a pending offer ("no, Wednesday at 11") keeps the subject already named.
    subject = _subject(context.message) or (pending.subject if pending else "you")
    ask = "Reply YES to confirm." if context.channel is Channel.WHATSAPP else "Shall I confirm?"
    when = format_slot(slot, context.timezone)
    return AgentDecision(
        intent=Intent.PROPOSE_BOOKING,
        proposal=BookingProposal(slot_start=slot, subject=subject),
        reply=f"I can book {when}{_for_subject(subject)}. {ask}",
    )


def _answer_booking(context: AgentContext, now: datetime) -> AgentDecision:
    """Answer "when is my appointment?" from the CRM bookings and the pending offer.

    Says the soonest confirmed booking still ahead (with how many there are when several), then
    any live pending offer, flagged as not confirmed: right after a proposal, "what day was it?"
    is about the offer.
    """
    upcoming = sorted(
        (b for b in context.bookings if b.status == "confirmed" and _as_utc(b.slot_start) > now),
        key=lambda b: _as_utc(b.slot_start),
    )
    pending = _live_booking(context, now)
    parts: list[str] = []
    if upcoming:
        parts.append(_booking_sentence(upcoming[0], len(upcoming), context.timezone))
    if pending is not None and pending.slot_start is not None:
        when = format_slot(_as_utc(pending.slot_start), context.timezone)
        parts.append(
            f"{when}{_for_subject(pending.subject)} is not confirmed yet. Shall I confirm it?"
        )
    if not parts:
        parts.append("I can't find an upcoming appointment. Would you like to book one?")
    return AgentDecision(intent=Intent.ASK_BOOKING, reply=" ".join(parts))


def _booking_sentence(booking: BookingView, count: int, timezone: str) -> str:
    """Say one booking: "Your appointment for your cat is on Tuesday 24 November at 10:00."

    With ``count`` > 1 it is "Your next appointment…; you have 3 coming up."
    """
    when = format_slot(_as_utc(booking.slot_start), timezone)
    who = _for_subject(booking.subject)
    if count == 1:
        return f"Your appointment{who} is on {when}."
    return f"Your next appointment{who} is on {when}; you have {count} coming up."


def _asks_about_booking(text: str) -> bool:
    """A question about an existing booking, not a request for a new one.

    "when is my appointment?", "what day was it again?", a bare "what time?"; but not "what time
    can I book on Tuesday?" (no "my appointment", "again" or "is it").
    """
    if _HAVE_BOOKING_RE.search(text):
        return True
    if not _QUESTION_RE.search(text):
        return False
    return bool(_ABOUT_BOOKING_RE.search(text)) or len(text.split()) <= 3


def _booking_talk(context: AgentContext, text: str) -> bool:
    """Whether a slot in this message is a booking request.

    True with a booking word here, with a live or expired pending offer, or with a booking word in
    the last few turns (our own "Which day and time would you like for the appointment?" counts),
    so a bare "Tuesday at 10" answers that question; but "I'm away Tuesday at 10" out of the blue
    does not propose.
    """
    if _BOOKING_WORD_RE.search(text) or context.pending is not None:
        return True
    recent = context.history[-_BOOKING_CONTEXT_TURNS:]
    return any(_BOOKING_WORD_RE.search(_plain(turn.text)) for turn in recent)


def _subject(message: str) -> str | None:
    """Who the booking is for, as said back: "your cat", "Felix"; None if not named."""
    for_my = _FOR_MY_RE.search(message)
    if for_my:
        relation, name = for_my.group(1).lower(), for_my.group(2)
        if name and name.lower() not in _NOT_A_NAME:
            return name
        if relation not in _NOT_A_NAME:
            return f"your {relation}"
    for_name = _FOR_NAME_RE.search(message)
    if for_name and for_name.group(1).lower() not in _NOT_A_NAME:
        return for_name.group(1)
    return None


def _for_subject(subject: str) -> str:
    """The reply's tail naming the subject: ``" for your cat"``, ``" for Felix"``.

    Empty for "you" (say "you're booked for Tuesday", not "…for you") and for an empty subject.
    """
    return "" if subject.strip().lower() in {"", "you", "yourself"} else f" for {subject}"


def _live_pending(context: AgentContext, now: datetime) -> PendingAction | None:
    """The pending action if it has not expired at ``now`` (UTC)."""
    pending = context.pending
    if pending is None or _as_utc(pending.expires_at) <= now:
        return None
    return pending


def _live_booking(context: AgentContext, now: datetime) -> PendingAction | None:
    """The live pending action if it is a booking (not a journey's yes/no question)."""
    pending = _live_pending(context, now)
    return pending if pending is not None and pending.slot_start is not None else None


def _plain(message: str) -> str:
    """Lower-case words with punctuation dropped (Whisper's "Yes." / "Yes, please."), apostrophes
    kept ("that's", "don't"), curly quotes straightened and whitespace collapsed."""
    text = message.lower().replace("\u2019", "'")
    text = re.sub(r"[^\w\s':/-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC, as the context models document."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
