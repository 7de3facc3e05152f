"""What the customer reads on WhatsApp or hears on a call when the workflow itself answers
(fallbacks, opt-out/opt-in, stale confirmations), and the keywords it listens for.

Everything else the customer gets is the agent's own reply. Kept in one place so the wording can
be reviewed without reading workflow code; tests import these to assert on what the customer
got.
"""

from __future__ import annotations

UNREADABLE_VOICE_NOTE = (
    "Sorry, I couldn't listen to that voice note. Could you resend it, or type your message?"
)
UNHEARD_CALLER = "Sorry, I didn't catch that. Could you say it again?"
UNSURE = "Sorry, I'm not sure I understood. Could you say that again, or type it?"
AGENT_UNAVAILABLE = "Sorry, I'm having trouble right now. A colleague will get back to you shortly."
STOPPED = "You're unsubscribed and won't get more messages from us. Reply START to opt back in."
RESTARTED = "Welcome back: you'll get our messages on WhatsApp again. Reply STOP at any time."
VOICEMAIL_THANKS = "Thank you, we'll get back to you. Goodbye."
# A caller who said nothing, even when asked if they were still there (operations/calls/session.py).
SILENT_CALLER_GOODBYE = (
    "I can't hear anyone on the line, so I'll hang up now. Please call us back. Goodbye."
)
STALE_CONFIRMATION = (
    "Sorry, that offer is no longer open. Tell me the day and time you'd like and I'll "
    "propose it again."
)

# Opt-out keywords handled by the app: Twilio's automatic STOP filtering is documented for SMS,
# not WhatsApp (docs/architecture.md, "Consent and the customer service window at send time").
# Matched against the whole message, lower-cased, without surrounding spaces, dots or
# exclamation marks.
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel all", "end", "quit", "opt out", "opt-out"}
START_WORDS = {"start", "unstop", "subscribe"}


def keyword_of(message: str) -> str:
    """``message`` as the opt-out and opt-in keywords are matched: lower-cased, spaces
    collapsed, surrounding spaces, dots and exclamation marks dropped."""
    return " ".join(message.lower().strip(" .!").split())


def is_consent_keyword(message: str) -> bool:
    """Whether ``message`` is, as a whole, one of ``STOP_WORDS`` or ``START_WORDS``."""
    return keyword_of(message) in STOP_WORDS | START_WORDS


# A proposal of several changes (workflows/actions.py): what was done when not all of it could
# be, in the customer's words; ``{who}`` is the pet, ``{when}`` the slot as the read-back said it.
CHANGE_DONE = {
    "book": "{who} is booked for {when}",
    "reschedule": "{who} is moved to {when}",
    "cancel": "{who}'s appointment on {when} is cancelled",
}
CHANGE_NOT_DONE = {
    "book": "I couldn't book {who}:",
    "reschedule": "I couldn't move {who}'s appointment:",
    "cancel": "I couldn't cancel {who}'s appointment:",
}
CHANGE_GONE = "I can't find {who}'s appointment any more, so it is unchanged."
CHANGES_REFUSED = (
    "Sorry, I couldn't put all of that together. Could we take it one appointment at a time?"
)
BOOKING_NOT_FOUND = (
    "Sorry, I can't find that booking any more, so nothing has changed. Shall I check your "
    "appointments?"
)
