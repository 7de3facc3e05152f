"""A message of several lines that corrects itself as it goes, read in steps.

WhatsApp messages typed one after the other reach the agent as one message, a line each
(docs/architecture.md, "Turn order"): "can bonbon have a check up tuesday at 6?" / "sorry
wednesday!! not tuesday", "Can I book Ducky in thursday at 2.45" / "*Dusty sorry autocorrect",
"can i book pepper in … wednesday at 10:30" / "oh and salt too". A later line that starts by
taking back or adding to what came before is read as the customer meant it: as the answer to
the proposal the lines before it would have got, had they been sent alone. Nothing is
proposed in between: the decision returned is the one for the whole burst.
"""

from __future__ import annotations

import re
from datetime import timedelta

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
    pending_changes,
)
from switchboard.providers.rules_agent.patterns import CANCEL_RE
from switchboard.understanding.text import normalise

__all__ = [
    "PROPOSING",
    "bursts_joined",
    "correcting_split",
    "pending_of",
    "with_step",
    "withdrawn_split",
]

PROPOSING = frozenset(
    {
        Intent.PROPOSE_BOOKING,
        Intent.PROPOSE_RESCHEDULE,
        Intent.PROPOSE_CANCEL,
        Intent.PROPOSE_CHANGES,
    }
)
# A line that takes back or adds to the lines before it: "*Dusty", "sorry wednesday", "no
# wait 9.30", "actually make it 5", "oh and salt too", "other way round", "not tuesday".
_CORRECTING_LINE_RE = re.compile(
    r"^[^\w*+]*(?:[*+]|(?:sorry|oops|wait|actually|correction|scratch\s+that|my\s+bad"
    r"|i\s+mean(?:t)?|no\s+(?:wait|sorry)|not|oh\s+and|and\s+also|also|plus"
    r"|other\s+way\s+round|make\s+(?:it|that)|change\s+(?:it|that))\b)",
    re.IGNORECASE,
)
# How long the proposal the first lines would have got is taken to wait, as the workflow's
# would (its own TTL is longer; only "still pending" matters to the reading).
_STEP_TTL = timedelta(minutes=10)


# A later line that only asks ("oh and what time is ruby's groom on saturday? 🐶"): no
# correction of the lines before ("oh and what about 4?" is one).
_ASKS_ONLY_RE = re.compile(
    r"^\W*(?:(?:oh|and|also|btw|ps|actually|sorry)\W+)*(?:what(?!\s+about\b)|when|where|how|who)"
    r"\b[^\n]*\?\W*$",
    re.IGNORECASE,
)


def correcting_split(message: str) -> tuple[str, str] | None:
    """``(the lines before, the rest)`` at the first line, after the first, that corrects or
    adds to the ones before it; None when none does. Lines only: a sentence starting "sorry"
    or "no" inside a line is as often an aside ("… 2 cats, my brain", "no need for a separate
    appointment") as a correction, and the message's own reading takes those."""
    lines = [line.strip() for line in message.split("\n") if line.strip()]
    for index in range(1, len(lines)):
        if _CORRECTING_LINE_RE.match(lines[index]) and not _ASKS_ONLY_RE.match(lines[index]):
            return "\n".join(lines[:index]), "\n".join(lines[index:])
    return None


# A line taking back the lines before it: "actually scrap that, can you just cancel it",
# "ignore my last message", "forget that".
_WITHDRAWN_RE = re.compile(
    r"^(?:(?:actually|ok|okay|oh|sorry|wait|no|hmm|um)[,!.\s]+)*"
    r"(?:(?:scrap|forget|ignore|disregard)\s+(?:that|this|all\s+that|my\s+last(?:\s+(?:message|msg))?"
    r"|the\s+above|what\s+i\s+(?:just\s+)?said)|never\s*mind(?:\s+that)?)\b[\s,.!\-]*",
    re.IGNORECASE,
)


def withdrawn_split(message: str) -> str | None:
    """What a message still asks when a later line takes back the ones before it for a
    cancellation ("can rascal's dental be moved to friday morning?" / "9 if poss" / "actually
    scrap that, can you just cancel it", set 214): that line's rest and the lines after it.
    None when no line after the first takes the earlier ones back for a cancellation ("…
    actually scrap that it's her booster she needs" corrects a detail: read whole)."""
    lines = [line.strip() for line in message.split("\n") if line.strip()]
    for index in range(len(lines) - 1, 0, -1):
        found = _WITHDRAWN_RE.match(lines[index])
        if found is None:
            continue
        rest = "\n".join([lines[index][found.end() :], *lines[index + 1 :]]).strip()
        return rest if CANCEL_RE.search(normalise(rest)) else None
    return None


def pending_of(
    decision: AgentDecision, context: AgentContext, action_id: str = "step"
) -> PendingAction | None:
    """The pending action ``decision`` would leave, as the customer workflow builds it
    (``workflows/actions.py``), with ``action_id`` for its ID; None when it proposes nothing."""
    expires = context.now + _STEP_TTL
    proposal = decision.proposal
    if decision.intent is Intent.PROPOSE_CHANGES and len(decision.proposals) > 1:
        offered = decision.proposals
        return PendingAction(
            id=action_id,
            kind="several",
            slot_start=offered[0].slot_start,
            subject=", ".join(dict.fromkeys(p.subject for p in offered)),
            expires_at=expires,
            changes=pending_changes(action_id, offered),
        )
    if proposal is None or decision.intent not in PROPOSING:
        return None
    kind = {
        Intent.PROPOSE_RESCHEDULE: "reschedule",
        Intent.PROPOSE_CANCEL: "cancel",
    }.get(decision.intent, proposal.kind or "book")
    if kind != "book" and not proposal.booking_id:
        return None
    return PendingAction(
        id=action_id,
        kind=kind,
        slot_start=proposal.slot_start,
        subject=proposal.subject,
        expires_at=expires,
        booking_id=proposal.booking_id,
        service=proposal.service,
    )


def with_step(
    context: AgentContext, before: str, reply: str, pending: PendingAction, rest: str
) -> AgentContext:
    """``context`` for ``rest``: ``before`` and our ``reply`` to it in the history, and the
    proposal it would have left pending."""
    said = [
        HistoryTurn(channel=context.channel, direction=way, text=text, at=context.now)
        for way, text in ((Direction.INBOUND, before), (Direction.OUTBOUND, reply))
    ]
    return context.model_copy(
        update={"message": rest, "pending": pending, "history": [*context.history, *said]}
    )


def bursts_joined(context: AgentContext) -> AgentContext:
    """``context`` with each run of WhatsApp messages the customer sent one after the other, with
    no reply between them, as one message, a line each: what the agent read as one turn
    (docs/architecture.md, "Turn order"), so "the request before our reply" is the whole burst
    ("can shadow's saturday appointment move to sunday" / "same time"), not its last line."""
    joined: list[HistoryTurn] = []
    for turn in context.history:
        last = joined[-1] if joined else None
        if (
            last is not None
            and turn.direction is Direction.INBOUND
            and last.direction is Direction.INBOUND
            and turn.channel is Channel.WHATSAPP
            and last.channel is Channel.WHATSAPP
            and turn.text
            and last.text
        ):
            text = f"{last.text}\n{turn.text}"
            joined[-1] = last.model_copy(update={"text": text, "at": turn.at})
        else:
            joined.append(turn)
    if len(joined) == len(context.history):
        return context
    return context.model_copy(update={"history": joined})
