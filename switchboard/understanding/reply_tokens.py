"""Replies to what the business just sent: a token its last message defined, read as the action.

Marketers write their own templates (journeys/templates.yaml): "Reply YES to confirm, ... or
CANCEL to cancel", "Reply BOOK to choose a time, or STOP to opt out", and as easily "Reply C to
cancel, R to reschedule", "Reply 1 to confirm, 2 to change", "Send N for a new time", "Reply 👍 to
keep it". A customer's whole message that is one such token ("C", "2", "👎") means the action the
token was defined for. ``token_meaning`` returns that action as a plain request the agent reads
like any other ("cancel the appointment"), so the usual confirmation still comes before anything
changes. Nothing here acts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from switchboard.agent_models import Direction, HistoryTurn

# A message asks for a reply token only if it says how to answer ("Reply ...", "Text ...").
_ASKS_REPLY_RE = re.compile(r"\b(?:reply|respond|answer|text|send|type|press)\b", re.IGNORECASE)
# Clauses of the instruction: "Reply C to cancel, R to reschedule" / "... or CANCEL to cancel".
_CLAUSE_SPLIT_RE = re.compile(r"[,;:.!?\n()]+|\s+(?:or|and|/)\s+|\s+-\s+", re.IGNORECASE)
# One clause: an optional verb, the token (quoted or not), "to"/"for"/"if", the action.
_DEFINES_RE = re.compile(
    r"^\s*(?:(?P<verb>reply|respond|answer|text|send|type|press)\s+(?:with\s+)?)?"
    r"[\"'“‘*]?(?P<token>[^\s\"'”’*]{1,12})[\"'”’*]?"
    r"\s+(?:to|for|if)\s+(?P<action>\S.*)$",
    re.IGNORECASE,
)
# Words that stand where a token would but are no token ("Reply here to ...", "Reply now to").
_NOT_TOKENS = frozenset(
    {"here", "now", "back", "us", "me", "it", "this", "that", "anytime", "today", "reply"}
)
# Variation selectors and skin tones, so "👍🏽" is "👍" and "❤️" is "❤".
_EMOJI_NOISE_RE = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u200d]")

# What the action the token names is, as a request the agent already reads; first match wins,
# so "cancel" beats "change" in "to cancel or change".
_ACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:stop|opt(?:\s|-)?out|unsubscribe)\b", re.I), "STOP"),
    (re.compile(r"\bcancel", re.I), "cancel {what}"),
    (
        re.compile(
            r"\b(?:re-?schedul\w*|re-?book\w*|change|move|amend|another|new\s+(?:day|time|date))",
            re.I,
        ),
        "I need to move {what}",
    ),
    (
        re.compile(r"\b(?:confirm\w*|keep\w*|yes|attend\w*|coming|see\s+you|still\s+on)\b", re.I),
        "yes",
    ),
    (
        re.compile(r"\b(?:book\w*|choose|pick|schedule|arrange|make\s+an?\s+appointment)\b", re.I),
        "I'd like to book an appointment",
    ),
    (
        re.compile(r"\b(?:call|speak|talk|person|human|someone|team)\b", re.I),
        "can I speak to someone please",
    ),
)


def token_meaning(
    message: str, history: Sequence[HistoryTurn], *, subject: str | None = None
) -> str | None:
    """The request a whole-message reply token stands for, or None.

    ``message`` is the customer's message as written; ``history`` the conversation oldest
    first (``AgentContext.history``), whose latest outbound turn is the business's last message.
    ``subject`` names the booking that message was about (a pet's name), put into the request
    ("cancel Max's appointment"); None says "the appointment". A token counts only when the
    message is that token alone (case, quotes and trailing punctuation aside) and that outbound
    message defined it ("Reply X to <action>", "X to <action>", "Send X for <action>").
    """
    token, rest = _token_of(message), ""
    if token is None:
        # "yes please!! the earlier the better, she's still scratching like mad": a yes said
        # first, then only words around it (no day, time or other ask of its own)
        lead = _YES_LEAD_RE.match(message)
        if lead is None or re.search(r"\d", message[lead.end() :]):
            return None
        token, rest = "yes", message[lead.end() :].strip()
    last = next((t for t in reversed(history) if t.direction is Direction.OUTBOUND), None)
    if last is None or not last.text:
        return None
    action = defined_tokens(last.text).get(token)
    if action is None:
        return None
    what = f"{subject}'s appointment" if subject else "the appointment"
    if _TAKE_IT_RE.search(action):
        # "Reply YES to take it": the move or the booking the message offered
        action = "move" if re.search(r"\bmove\b", last.text, re.IGNORECASE) else "book"
    for pattern, request in _ACTIONS:
        if pattern.search(action):
            if rest and request == "yes":
                return None  # a yes with more said ("yes for sushi"): read as written
            if rest and pattern.search(rest):
                rest = ""  # ("yes cancel please": the action said again, nothing more)
            meant = request.format(what=what)
            # the time the message offered, if it offered one: "a slot has come up on Wednesday
            # 9 December at 15:00 … Would you like to move Ruby to it? Reply YES to move" (moved
            # there, not asked where to); "… we now have Saturday 12 December at 11:30. Would
            # you like it? Reply YES to book" (booked then)
            offered = _offered_slot(last.text)
            if offered and request.startswith("I need to move"):
                meant = f"{meant} to {offered}"
            elif offered and request.startswith("I'd like to book"):
                meant = f"{meant} on {offered}"
            return f"{meant}. {rest}" if rest else meant
    return action  # an action we have no name for, read as the customer's own words


# An action that takes what was offered: "Reply YES to take it", "… to accept".
_TAKE_IT_RE = re.compile(r"\b(?:take|accept|grab|claim)\b", re.IGNORECASE)
# A yes opening a longer reply: "yes please!! …", "Yes, …", "yep 👍 …".
_YES_LEAD_RE = re.compile(
    r"^\s*(?:yes\s+please|yes\s+pls|yes|yeah|yep|yup|ok(?:ay)?\s+yes)\b[\s!.,👍🙂😊]*(?=\S)",
    re.IGNORECASE,
)
# A day and time written out, as our messages write them: "Wednesday 9 December at 15:00".
_WRITTEN_SLOT_RE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+\d{1,2}\s+[A-Z][a-z]+"
    r"(?:\s+\d{4})?,?\s+at\s+\d{2}:\d{2}\b"
)
# Words before a written slot that make it a booking's own, not the one offered.
_BOOKING_OWN_RE = re.compile(r"\b(?:appointment|booking|booked|visit)\s+(?:is\s+)?on\s+$", re.I)


def _offered_slot(text: str) -> str | None:
    """The one day and time ``text`` offers ("a slot has come up on Wednesday 9 December at
    15:00, earlier than Ruby's appointment on Friday 11 December at 16:00": the Wednesday), as
    written; None when it writes none, or several besides a booking's own."""
    offered = [
        m.group(0)
        for sentence in re.split(r"(?<=[.!?])\s+", text)
        if _OFFERING_RE.search(sentence)
        for m in _WRITTEN_SLOT_RE.finditer(sentence)
        if not _BOOKING_OWN_RE.search(sentence[max(0, m.start() - 30) : m.start()])
    ]
    return offered[0] if len(offered) == 1 else None


# A sentence offering a time, not telling the booking's own ("Luna has a consultation on
# Wednesday 9 December at 11:00" offers nothing).
_OFFERING_RE = re.compile(
    r"\b(?:slot|space|opening|spot|gap|cancellation|come\s+up|came\s+up|available|free|freed"
    r"|earlier|sooner)\b",
    re.IGNORECASE,
)


def defined_tokens(text: str) -> dict[str, str]:
    """``{token: action}`` for every reply token ``text`` defines, tokens folded as
    ``_token_of`` folds a reply ("Reply C to cancel, R to reschedule" -> ``{"c": "cancel",
    "r": "reschedule"}``); empty when the text asks for no reply token."""
    if not _ASKS_REPLY_RE.search(text):
        return {}
    found: dict[str, str] = {}
    for clause in _CLAUSE_SPLIT_RE.split(text):
        match = _DEFINES_RE.match(clause)
        if match is None:
            continue
        written = match["token"]
        # Without "Reply" in its own clause ("..., R to reschedule"), a token is written as one:
        # capitals, a digit, one letter or a symbol; "time to move it" defines no "time".
        if not match["verb"] and written.isalpha() and len(written) > 1 and not written.isupper():
            continue
        token = _fold(written)
        if token and token not in _NOT_TOKENS and token not in found:
            found[token] = match["action"].strip()
    return found


def _token_of(message: str) -> str | None:
    """The message as one folded token, or None when it is more than one word or empty."""
    stripped = message.strip().strip(".!?,;:\"'“”‘’*").strip()
    if not stripped or len(stripped) > 12 or re.search(r"\s", stripped):
        return None
    return _fold(stripped) or None


def _fold(token: str) -> str:
    token = _EMOJI_NOISE_RE.sub("", unicodedata.normalize("NFKC", token))
    return token.strip(".!?,;:\"'“”‘’*").casefold()
