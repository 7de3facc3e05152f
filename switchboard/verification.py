"""Identity checks before sensitive actions: who may hear, move or cancel a booking.

A channel identity is **verified** when the channel itself vouches for it:

- a call whose caller ID has full SHAKEN/STIR attestation: Twilio's incoming-call webhook sends
  ``StirVerstat=TN-Validation-Passed-A`` ("the carrier that originated the call both knows the
  identity of the caller and knows the caller has the right to use the phone number"; the
  parameter is present only for calls with a SHAKEN PASSporT, i.e. in the United States —
  Twilio docs, "Trusted Calling with SHAKEN/STIR",
  https://www.twilio.com/docs/voice/trusted-calling-with-shakenstir, and changelog "Twilio
  performs SHAKEN/STIR verification on incoming calls to your phone numbers"); any other value,
  or none, is unverified;
- a call Switchboard placed (it dialled the number on file);
- a WhatsApp address on file for the customer (``switchboard.db.identity.whatsapp_on_file``:
  an opt-in the business recorded, or a booking confirmed on WhatsApp);

or when the customer passed a check in this session (this call; on WhatsApp, for good).

Before reading out, moving or cancelling a booking from an unverified identity, the customer
proves who they are with the first method of the action's list (``IdentityPolicy``, in the
business profile) that can be used:

- ``code``: a one-time code sent on WhatsApp to the number on file, read back on the call
  (only for a caller: on WhatsApp the "other channel" would be the same phone);
- ``question``: the name of a pet on their bookings.

The agent never sees what an unverified party may not hear: its context keeps only what this
session already showed (the call's own turns and bookings; the WhatsApp thread itself), and
``guarded_decide`` tells the workflow, through ``AgentDecision.verify_for``, when the turn
needs a check. The customer workflow then holds the reply back and asks for the code or the
answer (``workflows/identity.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from pydantic import BaseModel, Field
from text_to_num import alpha2digit

from switchboard.agent_models import AgentContext, AgentDecision, Channel, Intent
from switchboard.identity_checks import Action, IdentityPolicy, Method
from switchboard.providers.base import Agent

# Twilio's StirVerstat for a call with full (A) attestation that verified (module docstring).
FULL_ATTESTATION = "TN-Validation-Passed-A"
CODE_DIGITS = 6

# The intents whose reply depends on the customer's bookings, and the action each one is.
_INTENT_ACTION: dict[Intent, Action] = {
    Intent.ASK_BOOKING: "read_booking",
    Intent.PROPOSE_RESCHEDULE: "reschedule",
    Intent.PROPOSE_CANCEL: "cancel",
}


class Trust(BaseModel):
    """What the customer workflow knows of this turn's identity (``DecideInput.identity``,
    ``CallView.identity``). ``attested``: the channel vouches for the party (a fully attested or
    placed call: True; an unattested call: False; WhatsApp: None, decided from the database);
    ``passed``: the methods this session passed; ``locked``: too many wrong answers, no check is
    offered again in this session; ``call_sid``: the call this turn belongs to."""

    channel: Channel
    attested: bool | None = None
    passed: list[Method] = Field(default_factory=list)
    locked: bool = False
    call_sid: str | None = None

    def verified(self, on_file: bool) -> bool:
        """The channel vouches for the party (``on_file``: the WhatsApp address is)."""
        return bool(self.attested) or (self.channel is Channel.WHATSAPP and on_file)

    def allows(self, action: Action, policy: IdentityPolicy, *, on_file: bool) -> bool:
        methods = policy.methods(action)
        if not methods or self.verified(on_file):
            return True
        return any(m in self.passed for m in methods)


def private_view(context: AgentContext, trust: Trust) -> tuple[AgentContext, bool]:
    """``context`` as an unverified party may see it, and whether any booking was withheld.

    Kept: on a call, the call's own turns and the bookings made on it; on WhatsApp, the
    WhatsApp thread (the party sees it on their phone) and the bookings made in it. Withheld:
    everything else (other channels' turns, the older summary, the other bookings)."""
    if trust.channel is Channel.VOICE:
        history = [t for t in context.history if t.call_sid and t.call_sid == trust.call_sid]
        bookings = [b for b in context.bookings if b.call_sid and b.call_sid == trust.call_sid]
    else:
        history = [t for t in context.history if t.channel is Channel.WHATSAPP]
        bookings = [b for b in context.bookings if b.channel is Channel.WHATSAPP]
    withheld = len(bookings) < len(context.bookings)
    view = context.model_copy(update={"history": history, "bookings": bookings, "summary": ""})
    return view, withheld


async def guarded_decide(
    agent: Agent,
    context: AgentContext,
    trust: Trust | None,
    policy: IdentityPolicy,
    *,
    on_file: bool,
    in_process: bool,
) -> AgentDecision:
    """The agent's decision for ``context``, with ``verify_for`` set when the turn needs an
    identity check first (the workflow then asks for it instead of replying).

    ``trust`` None: no checks (a workflow recorded before them). When reading bookings needs a
    check, the agent decides on ``private_view``; ``in_process`` agents (no vendor sees the
    context) also decide on the whole context, and a turn whose reply the bookings changed
    needs the check — so "when is my appointment?" and "which one should I cancel, Max's or
    Bella's?" are both held back, and "what are your hours?" is not. A vendor's model never
    gets the withheld part. Raises what ``agent.decide`` raises."""
    if trust is None:
        return await agent.decide(context)
    if not trust.allows("read_booking", policy, on_file=on_file):
        view, withheld = private_view(context, trust)
        decision = (await agent.decide(view)).model_copy(update={"verify_for": None})
        if not withheld:
            return decision
        action = _INTENT_ACTION.get(decision.intent)
        if in_process:
            whole = await agent.decide(context)
            if whole.intent in _INTENT_ACTION or whole.reply != decision.reply:
                action = _INTENT_ACTION.get(whole.intent, "read_booking")
        if action is None:
            return decision
        if trust.allows(action, policy, on_file=on_file):
            action = "read_booking"
        return decision.model_copy(update={"verify_for": action})
    decision = (await agent.decide(context)).model_copy(update={"verify_for": None})
    action = _INTENT_ACTION.get(decision.intent)
    if action is not None and not trust.allows(action, policy, on_file=on_file):
        return decision.model_copy(update={"verify_for": action})
    return decision


# -- one-time codes and answers -----------------------------------------------------------------


def one_time_code(key: bytes, challenge_id: str) -> str:
    """The challenge's code: ``CODE_DIGITS`` digits of HMAC-SHA256(key, challenge ID). Derived,
    never stored: a retried send sends the same code, and neither the code nor a hash of it is in
    the workflow's history (the key never leaves the worker)."""
    digest = hmac.new(key, f"identity-code/{challenge_id}".encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def code_key(secret: bytes) -> bytes:
    """The code key, derived from a worker secret (the Twilio auth token) with a fixed label: it
    says nothing about the secret."""
    return hmac.new(secret, b"switchboard identity codes v1", hashlib.sha256).digest()


_OH = re.compile(r"\b(?:oh|o)\b", re.IGNORECASE)


def digits_said(text: str) -> str:
    """The digits in an answer, written or spoken: "4 7 1, 9 3 2", "four seven one nine three
    two" and "oh one two..." all count (number words read by ``text2num``)."""
    spoken = alpha2digit(_OH.sub("0", text), "en")
    return "".join(ch for ch in spoken if ch.isdigit())


def looks_like_code(text: str) -> bool:
    """Whether a message during a code check is an attempt at it (four digits or more)."""
    return len(digits_said(text)) >= 4


# Longer messages during a question check are something else (the customer moved on).
ANSWER_MAX_WORDS = 5


def looks_like_answer(text: str) -> bool:
    """Whether a message during a question check is an attempt at it: a few words, no
    question of its own."""
    return "?" not in text and 0 < len(text.split()) <= ANSWER_MAX_WORDS


def code_matches(key: bytes, challenge_id: str, text: str) -> bool:
    """The code in ``text`` is the challenge's (compared in constant time)."""
    return hmac.compare_digest(digits_said(text)[-CODE_DIGITS:], one_time_code(key, challenge_id))


def names_match(text: str, names: list[str]) -> bool:
    """``text`` names one of ``names`` (a pet's name on file), whole words, any case."""
    said = {w for w in re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text.casefold())}
    return any(all(part in said for part in name.casefold().split()) for name in names if name)


def expired(expires_at: datetime, now: datetime) -> bool:
    return expires_at <= now


# -- the workflow's record of checks ------------------------------------------------------------


class Challenge(BaseModel):
    """An identity check waiting for its answer. ``id`` from ``workflow.uuid4()`` (the code is
    derived from it); ``request`` the customer's words that needed it, decided again once it is
    passed; ``expires_at`` UTC."""

    id: str
    action: Action
    method: Method
    channel: Channel
    call_sid: str | None = None
    request: str
    attempts: int = 0
    max_attempts: int = 3
    lockout_minutes: int = 60
    expires_at: datetime


class IdentityState(BaseModel):
    """What survives continue-as-new: the open check, and WhatsApp's record (checks passed
    there verify the address for good; ``whatsapp_locked_until`` UTC after too many wrong
    answers). A call's record is on its ``CallState``."""

    challenge: Challenge | None = None
    whatsapp_passed: list[Method] = Field(default_factory=list)
    whatsapp_locked_until: datetime | None = None
