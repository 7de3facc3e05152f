"""The small pure functions and the one type (``Plan``) the local agent's parts share: wording,
lists, holidays, times."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import holidays

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingProposal,
    BookingView,
    ChangeKind,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
)
from switchboard.business import BusinessProfile
from switchboard.providers.rules_agent.patterns import (
    ANOTHER_ASK_RE,
    CLAUSE_RE,
    MOVE_RE,
    REBOOK_LATER_RE,
    RELOCATING_RE,
    YES_RE,
)
from switchboard.understanding.reply_tokens import token_meaning
from switchboard.understanding.subjects import ANIMALS, is_name
from switchboard.understanding.text import normalise, respelt
from switchboard.understanding.when import When


@dataclass(frozen=True)
class Plan:
    """One change of several, before it is checked: ``slot`` (UTC) is the new slot of a book or
    move and the booked slot of a cancel; ``booking`` the booking a move or cancel changes."""

    kind: ChangeKind
    subject: str
    slot: datetime
    service: str | None
    booking: BookingView | None = None


def numbers_looped(text: str) -> bool:
    """Whether ``text`` (a call transcript) says one number four times or more ("15, 15, 15,
    15."): speech recognition looping, not a time anyone says."""
    numbers = re.findall(r"\d+", text)
    return bool(numbers) and Counter(numbers).most_common(1)[0][1] >= 4


def answered_only(reply: str) -> bool:
    """Whether our ``reply`` only answered (no question of ours, nothing proposed)."""
    return "?" not in reply and "YES" not in reply and "confirm" not in reply.lower()


def visit_word_of(missed: re.Match[str]) -> str:
    """A visit missed (``MISSED_RE``) reduced to the word saying what it was ("missed bella and
    coco's jabs on saturday" → " jabs "), so its service stays said and its day does not."""
    words = re.findall(
        r"\b(?:check-?ups?|jabs?|vaccinations?|groom\w*)\b", missed.group(0), re.IGNORECASE
    )
    return f" {words[-1]} " if words else " "


def ask_clauses(message: str) -> list[str]:
    """``message`` (as written) cut into clauses, each further ask its own ("… and cancel
    bella", "and book luna in"); a message of several lines is several clauses ("move bruno
    to thursday 5pm pls" / "oh and cancel lulu's groom"). Empty pieces may be among them."""
    # ("… and cancl maples groom": the slip put right, so that the ask is seen)
    return CLAUSE_RE.split(ANOTHER_ASK_RE.sub(",", respelt(message).replace("\n", ", ")))


# A move taken back: "forget moving it", "never mind changing it", "no need to move him".
_MOVE_WITHDRAWN_RE = re.compile(
    r"\b(?:forget(?:\s+about)?|never\s*mind(?:\s+about)?|don't\s+bother|no\s+need\s+to)\s+"
    r"(?:moving|changing|rescheduling|move|change|reschedule)(?:\s+(?:it|that|him|her|them))?\b"
)


# A cancellation asked instead of anything else: "can you just cancel it", "cancel it altogether".
_JUST_CANCEL_RE = re.compile(
    r"\b(?:just|simply)\s+cancel\b|\bcancel\s+(?:it|that|them)\s+(?:instead|altogether)\b"
)


def asks_move(text: str) -> bool:
    """Does normalised ``text`` ask to move a booking: a move word, not of moving house ("we're
    moving to Lyon") nor of a booking put off to later ("I'll be in touch to rebook")?"""
    # ("forget moving it, just cancel it altogether": the move taken back, set 145)
    text = _MOVE_WITHDRAWN_RE.sub(" ", text)
    if _JUST_CANCEL_RE.search(text):
        return False  # "if it's 3 that clashes with the school run. can you just cancel it"
    return bool(MOVE_RE.search(REBOOK_LATER_RE.sub(" ", RELOCATING_RE.sub(" ", text))))


def handed_over(*, reply: str, note: str) -> AgentDecision:
    """A handoff to the team: ``reply`` told the customer, ``note`` (what they asked) kept on the
    handoff record."""
    return AgentDecision(intent=Intent.HANDOFF, reply=reply, note=note)


def reply_as(intent: Intent, reply: str) -> AgentDecision:
    return AgentDecision(intent=intent, reply=reply)


def a_an(name: str) -> str:
    """ "a grooming", "an examination": a service's name with its article (by its first letter,
    enough for the names a profile gives its services)."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def and_listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def for_(subject: str) -> str:
    """The reply's tail naming the subject: ``" for your cat"``, ``" for Felix"``; empty for
    "you" (say "you're booked for Tuesday", not "…for you") and for an empty subject."""
    said = subject.strip()
    if said.lower() in {"", "you", "yourself"}:
        return ""
    if said.lower() in ANIMALS:  # a booking made by staff as "cat": "for your cat"
        return f" for your {said.lower()}"
    return f" for {said}"


def holidays_ahead(profile: BusinessProfile, today: date) -> dict[date, str]:
    """The public holidays of the profile's country (and subdivision), this year's and the
    next (date → name, from the ``holidays`` library), for reading "Christmas Day" as a date;
    empty when the profile has no holiday calendar."""
    if profile.holidays is None:
        return {}
    return public_holidays(profile.holidays.country, profile.holidays.subdivision, today.year)


@lru_cache(maxsize=16)
def public_holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """``year``'s and the next year's public holidays (date → English name), built once: the
    library computes a calendar on each call (Easter and its feasts move)."""
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=(year, year + 1))
    return {day: str(name) for day, name in calendar.items()}


def weekday_asked(when: When) -> int | None:
    return when.day.weekday() if when.day is not None else None


def names_part_only(wanted: When) -> bool:
    """Whether a move asks for a part of a day ("Friday afternoon") without a time, a shift or
    "same time": the booked time must not be carried into it unasked (``ask_move_time``)."""
    return (
        wanted.part is not None
        and wanted.clock is None
        and wanted.shift is None
        and not wanted.same_time
    )


def part_of_day(hour: int) -> str:
    return "morning" if hour < 12 else ("afternoon" if hour < 17 else "evening")


def customer_before_last(history: list[HistoryTurn]) -> int | None:
    """The index in ``history`` of the customer's last message before its last entry (our
    question, when the caller has checked it is ours); None when there is none."""
    return next(
        (i for i in range(len(history) - 2, -1, -1) if history[i].direction is Direction.INBOUND),
        None,
    )


def or_listed(items: list[str]) -> str:
    """ "10:00", "10:00 or 11:00", "09:00, 10:00 or 11:00" (``items`` not empty)."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def spread_over(items: list[str], count: int) -> list[str]:
    """Up to ``count`` items spread over the list (first, last and between)."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def reply_token_read(context: AgentContext) -> AgentContext:
    """``context`` with a reply token the business's last message defined ("Reply C to cancel",
    then "C") replaced by the request it stands for ("cancel Max's appointment"), read from there
    like any message, so a cancel or move is still read back and confirmed; else ``context``."""
    last = next((t for t in reversed(context.history) if t.direction is Direction.OUTBOUND), None)
    if last is None:
        return context
    now = as_utc(context.now)
    if live_pending(context.pending, now) is not None and YES_RE.match(normalise(context.message)):
        # "Would you like me to cancel …? Reply YES to cancel it" / "yes": the yes confirms what
        # waits, it is no new request to read back again
        return context
    said = {w.casefold() for w in re.findall(r"[^\W\d_]+", last.text)}
    # the booking that message was about: the upcoming one whose pet it names, when only one is
    named = {
        b.subject
        for b in context.bookings
        if b.status == "confirmed"
        and as_utc(b.slot_start) > now
        and is_name(b.subject)
        and b.subject.casefold() in said
    }
    meaning = token_meaning(
        context.message, context.history, subject=named.pop() if len(named) == 1 else None
    )
    if meaning is None:
        return context
    return context.model_copy(update={"message": meaning})


def live_pending(pending: PendingAction | None, now: datetime) -> PendingAction | None:
    if pending is None or as_utc(pending.expires_at) <= now:
        return None
    return pending


def cancel_read_back(booking: BookingView, reply: str) -> AgentDecision:
    """The cancellation of ``booking`` proposed with ``reply`` (the read-back asking a yes)."""
    return AgentDecision(
        intent=Intent.PROPOSE_CANCEL,
        proposal=BookingProposal(
            slot_start=as_utc(booking.slot_start),
            subject=booking.subject,
            service=booking.service,
            booking_id=booking.id,
        ),
        reply=reply,
    )


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC, as the context models document."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
