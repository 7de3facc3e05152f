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
session already showed (the call's own turns, bookings and proposal; the WhatsApp thread
itself), and ``guarded_decide`` tells the workflow, through ``AgentDecision.verify_for``, when
the turn needs a check. A "yes" to a move or cancel counts as that action: it needs the same
check (a cancel asked for on WhatsApp is not confirmed by an unattested caller). The customer
workflow then holds the reply back and asks for the code or the answer
(``workflows/identity.py``).

A code check counts a message with four digits or more as an attempt; a question check counts
a message of a few words without a question mark that names exactly one pet
(``names_given``). One naming several ("Max Bella Luna Charlie Rocky") is not checked: the
customer is asked for one name, and nothing is counted. Everyday words ("ok", "thanks", "yes",
"sorry what") name nobody: they are no attempt, and the turn goes on as usual.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from pydantic import BaseModel, Field
from stop_words import get_stop_words
from text_to_num import alpha2digit

from switchboard.agent_models import AgentContext, AgentDecision, Channel, Intent, PendingAction
from switchboard.identity_checks import Action, IdentityPolicy, Method
from switchboard.providers.base import Agent
from switchboard.understanding.subjects import ANIMALS
from switchboard.understanding.text import normalise, words

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
    placed call: True; an unattested or unknown call: False; WhatsApp: None, decided from the
    database); ``passed``: the methods this session passed; ``locked``: too many wrong answers,
    no check is offered now; ``call_sid``: the call this turn belongs to."""

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


def asked_here(pending: PendingAction, trust: Trust) -> bool:
    """The pending action was asked in this session: on this call, or on WhatsApp for a
    WhatsApp party. One not recorded (``channel`` None: asked before it was) was not."""
    if pending.channel is not trust.channel:
        return False
    return trust.channel is Channel.WHATSAPP or (
        pending.call_sid is not None and pending.call_sid == trust.call_sid
    )


def private_view(context: AgentContext, trust: Trust) -> tuple[AgentContext, bool]:
    """``context`` as an unverified party may see it, and whether anything about a booking
    (a booking, the pending action) was withheld.

    Kept: on a call, the call's own turns, the bookings made and the action proposed on it; on
    WhatsApp, the WhatsApp thread (the party sees it on their phone) and the bookings made and
    actions proposed in it. Withheld: everything else (other channels' turns, the older
    summary, the other bookings, a proposal made elsewhere: its "yes" would move or cancel a
    booking for whoever says it)."""
    if trust.channel is Channel.VOICE:
        history = [t for t in context.history if t.call_sid and t.call_sid == trust.call_sid]
        bookings = [b for b in context.bookings if b.call_sid and b.call_sid == trust.call_sid]
    else:
        history = [t for t in context.history if t.channel is Channel.WHATSAPP]
        bookings = [b for b in context.bookings if b.channel is Channel.WHATSAPP]
    pending = context.pending
    if pending is not None and not asked_here(pending, trust):
        pending = None
    withheld = len(bookings) < len(context.bookings) or pending != context.pending
    view = context.model_copy(
        update={"history": history, "bookings": bookings, "summary": "", "pending": pending}
    )
    return view, withheld


def action_of(decision: AgentDecision, context: AgentContext) -> Action | None:
    """The sensitive action a decision is: asking about a booking, proposing a move or a
    cancel, or saying yes to the pending move or cancel (the yes is what changes it)."""
    pending = context.pending
    if (
        decision.intent is Intent.CONFIRM
        and pending is not None
        and decision.action_id == pending.id
        and pending.kind in ("reschedule", "cancel")
    ):
        return "reschedule" if pending.kind == "reschedule" else "cancel"
    # Several changes at once: the most sensitive of them (a cancel, then a move).
    if decision.intent is Intent.PROPOSE_CHANGES:
        kinds = {p.kind for p in decision.proposals}
    elif (
        decision.intent is Intent.CONFIRM
        and pending is not None
        and decision.action_id == pending.id
        and pending.changes
    ):
        kinds = {c.kind for c in pending.changes}
    else:
        return _INTENT_ACTION.get(decision.intent)
    if "cancel" in kinds:
        return "cancel"
    return "reschedule" if "reschedule" in kinds else None


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
        action = action_of(decision, view)
        if not withheld and (action is None or trust.allows(action, policy, on_file=on_file)):
            return decision
        if withheld and in_process:
            whole = await agent.decide(context)
            if action_of(whole, context) is not None or whole.reply != decision.reply:
                action = action_of(whole, context) or "read_booking"
        if action is None:
            return decision
        if trust.allows(action, policy, on_file=on_file):
            action = "read_booking"  # what its reply reads out needs the check
        return decision.model_copy(update={"verify_for": action})
    decision = (await agent.decide(context)).model_copy(update={"verify_for": None})
    action = action_of(decision, context)
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

# Words that name nobody: English stop words (the ``stop-words`` package's list, which has
# "ok", "yes", "no", "thanks", "sorry", "what"), the animals ("my dog"), and what people say
# around an answer or instead of one that the list lacks.
_NOT_A_NAME = (
    set(get_stop_words("en"))
    | set(ANIMALS)
    | {
        *("yeah", "yep", "yup", "nope", "nah", "hmm", "hm", "um", "umm", "uh", "er", "erm"),
        *("huh", "pardon", "cheers", "lol", "cool", "perfect", "lovely", "brilliant", "fine"),
        *("awesome", "bye", "goodbye", "wait", "hang", "hold", "sec", "moment", "minute"),
        *("called", "named", "names", "pet's", "appointment", "appointments", "booking"),
        *("bookings", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday"),
        *("friday", "saturday", "sunday", "code", "question", "dunno", "forgot", "remember"),
        *("idea", "repeat", "mate", "alright", "correct", "true", "hey", "morning"),
        *("afternoon", "evening", "night", "vet", "again", "answer"),
    }
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def looks_like_answer(text: str) -> bool:
    """Whether a message during a question check may be an answer to it: a few words, no
    question of its own (``names_given`` then says whether it names anyone)."""
    return "?" not in text and 0 < len(text.split()) <= ANSWER_MAX_WORDS


def names_given(text: str, known: list[str]) -> list[str]:
    """The names ``text`` gives, in order: the pet names on file it says (``known``, whole
    words, any case; a name of several words counts once), then every other word that is not
    an everyday word (``_NOT_A_NAME``, after ``normalise``: "ty" is "thanks"). "ok thanks" →
    []; "It's Max" → ["Max"]; "Max Bella Luna" → ["Max", "bella", "luna"] for Max on file."""
    said = [w.removesuffix("'s") for w in _WORD_RE.findall(text.casefold())]
    hits = [n for n in known if n and all(part in said for part in n.casefold().split())]
    covered = {part for name in hits for part in name.casefold().split()}
    others: list[str] = []
    for word in said:
        if word in covered or word in others:
            continue
        plain = [w for w in words(normalise(word)) if not w.isdigit()]
        if any(w.removesuffix("'s") not in _NOT_A_NAME for w in plain):
            others.append(word)
    return [*hits, *others]


def code_matches(key: bytes, challenge_id: str, text: str) -> bool:
    """The code in ``text`` is the challenge's (compared in constant time)."""
    return hmac.compare_digest(digits_said(text)[-CODE_DIGITS:], one_time_code(key, challenge_id))


def expired(expires_at: datetime, now: datetime) -> bool:
    return expires_at <= now


# -- the workflow's record of checks ------------------------------------------------------------


class Challenge(BaseModel):
    """An identity check waiting for its answer. ``id`` from ``workflow.uuid4()`` (the code is
    derived from it); ``request`` the customer's words that needed it, decided again once it is
    passed; ``expires_at`` UTC. Wrong answers are counted on ``IdentityState``, not here: a
    new check does not start the count again."""

    id: str
    action: Action
    method: Method
    channel: Channel
    call_sid: str | None = None
    request: str
    max_attempts: int = 3
    lockout_minutes: int = 60
    expires_at: datetime


class IdentityState(BaseModel):
    """What survives continue-as-new, for the customer whatever the channel: the open check;
    ``failures``, the wrong answers since the last check passed or the last lockout (a new
    check, a new call or a question in between do not reset it); ``locked_until`` (UTC), set
    when ``failures`` reaches the policy's ``max_attempts``: until then no check is offered, on
    WhatsApp or on any call; WhatsApp's checks passed (they verify the address for good). A
    call's own record (checks passed, closed for the call) is on its ``CallState``."""

    challenge: Challenge | None = None
    whatsapp_passed: list[Method] = Field(default_factory=list)
    failures: int = 0
    locked_until: datetime | None = None
