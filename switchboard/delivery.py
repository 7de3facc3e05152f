"""Twilio's delivery states of an outbound message, and which way they may move.

Sources (Twilio docs):

- "Message resource" (https://www.twilio.com/docs/messaging/api/message-resource): a message's
  ``status`` is one of ``queued``, ``sending``, ``sent``, ``failed``, ``delivered``,
  ``undelivered``, ``receiving``, ``received``, ``accepted``, ``scheduled``, ``read``,
  ``partially_delivered``, ``canceled``.
- "Outbound Message Status in Status Callbacks"
  (https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks): a
  message created without a Messaging Service starts ``queued`` (``accepted``/``scheduled``
  with one), and *no callback is sent for that initial status*; callbacks follow each later
  change: ``sending`` → ``sent`` → ``delivered`` → ``read`` (read receipts: WhatsApp), or
  ``failed`` / ``undelivered``.
- "Track the Message Status of Outbound Messages"
  (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status): each callback
  is a separate signed POST carrying ``MessageSid``, ``MessageStatus`` and, on a failure,
  ``ErrorCode``; the set of parameters grows without notice. Callbacks are independent HTTP
  requests: they can arrive late, out of order, or twice, so the state only moves forward.

For WhatsApp, "outside the allowed window" (63016, https://www.twilio.com/docs/api/errors/63016)
and most delivery failures come this way, as ``failed``/``undelivered`` with an ``ErrorCode``,
not as an error from ``messages.create``.
"""

from __future__ import annotations

from functools import cache

# Progress of an outbound message, lowest first. A status may replace the stored one only if it
# ranks higher: a late ``sent`` never undoes ``delivered``. The final states share the top
# rank: the first one recorded stays (``read`` after ``undelivered`` does not happen; a
# ``failed`` seen after ``delivered`` is not believed over it either).
_RANK: dict[str, int] = {
    "scheduled": 0,
    "accepted": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "partially_delivered": 5,
    "delivered": 6,
    "read": 7,
    "undelivered": 8,
    "failed": 8,
    "canceled": 8,
}
FAILED = frozenset({"failed", "undelivered"})
# Every status Twilio documents for an outbound message, in rank order.
STATUSES: tuple[str, ...] = tuple(sorted(_RANK, key=_RANK.__getitem__))
OUTSIDE_WINDOW = "63016"  # "Failed to send freeform message because you are outside the
# allowed window" (Twilio error dictionary)


def known(status: str) -> bool:
    """Whether ``status`` is one Twilio documents for outbound messages."""
    return status in _RANK


def advances(current: str | None, new: str) -> bool:
    """Whether ``new`` may replace ``current`` (None: nothing recorded yet). Unknown statuses
    (Twilio adds values without notice) never replace anything; a final state is never left,
    and ``read`` may follow ``delivered`` but nothing goes back."""
    if new not in _RANK:
        return False
    if current is None or current not in _RANK:
        return True
    if _RANK[current] == _RANK["failed"]:
        return False
    return _RANK[new] > _RANK[current]


@cache
def replaceable(new: str) -> frozenset[str]:
    """The known statuses ``new`` may replace (``advances``), for a statement that moves rows
    itself: a row moves when its status is None, unknown, or one of these. Empty for an
    unknown ``new`` (which replaces nothing, not even None: check ``known`` first)."""
    return frozenset(s for s in _RANK if advances(s, new))


def latest(statuses: list[str]) -> str | None:
    """The status a message ends in after ``statuses`` arrived in any order (``advances``
    applied one by one; the first final state wins over a later one)."""
    current: str | None = None
    for status in statuses:
        if advances(current, status):
            current = status
    return current
