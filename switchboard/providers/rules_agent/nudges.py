"""A nudge about a message nobody answered: "hello?", "did you get my message about pumpkin?",
"anyone there? 🙂" (set 198).

The customer workflow answers every message, but a message can still sit unanswered in the log:
one written while a person held the conversation and handed it back, one the agent was down
for. A nudge then asks for that message to be answered, so the agent reads it as if it had just
been sent, and says sorry for the wait.
"""

from __future__ import annotations

import re

from switchboard.agent_models import AgentContext, AgentDecision, Direction

__all__ = ["SORRY_FOR_THE_WAIT", "sorry_for_the_wait", "unanswered_taken_up"]

SORRY_FOR_THE_WAIT = "Sorry for the slow reply."
# A line that only asks whether we are there or saw the message before.
_NUDGE_LINE_RE = re.compile(
    r"^(?:(?:hello|helo|hi|hey|hiya|yo|excuse\s+me|sorry|(?:good\s+)?(?:morning|afternoon"
    r"|evening))\b\W*"
    r"|(?:is\s+)?(?:any\s?one|anybody|somebody|someone)\s+(?:there|around|about|reading\s+this)\b\W*"
    r"|did\s+(?:you|u|anyone)\s+(?:get|see|receive|read)\s+my\s+(?:last\s+|previous\s+|earlier\s+)?"
    r"(?:message|msg|text|request|question)s?\b[^\n]*"
    r"|(?:any\s+)?(?:news|update|reply|answer)\b\W*|still\s+waiting\b[^\n]*|\?+\W*)+$",
    re.IGNORECASE,
)
# Emoji and other pictographs, which say nothing here.
_PICTOGRAPHS_RE = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]")


def _is_nudge(message: str) -> bool:
    lines = [_PICTOGRAPHS_RE.sub("", line).strip() for line in message.splitlines()]
    lines = [line for line in lines if line]
    return bool(lines) and all(_NUDGE_LINE_RE.match(line) for line in lines)


def unanswered_taken_up(context: AgentContext) -> AgentContext | None:
    """``context`` with the customer's last message read again as the message, when it was
    never answered (the last row of the history is theirs) and ``context.message`` only nudges
    about it; None otherwise. ``context.history`` has its bursts joined already
    (``steps.bursts_joined``): the unanswered row is the whole burst."""
    history = context.history
    if not history or not _is_nudge(context.message):
        return None
    last = history[-1]
    if last.direction is not Direction.INBOUND or not last.text.strip():
        return None
    if _is_nudge(last.text):
        return None  # "hello?" / "hello??": nothing asked yet
    return context.model_copy(update={"message": last.text, "history": history[:-1]})


def sorry_for_the_wait(decision: AgentDecision) -> AgentDecision:
    """``decision`` with its reply opened by ``SORRY_FOR_THE_WAIT``."""
    return decision.model_copy(update={"reply": f"{SORRY_FOR_THE_WAIT} {decision.reply}"})
