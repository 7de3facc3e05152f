"""The business events a journey can start on: their names, their data, their trigger keys.

Every event the product records (a booking proposed, confirmed, moved or cancelled; an opt-in or
opt-out; a call that ended; a photo received; a reply) and every event the business's own systems
send (``POST /events``: a visit completed or missed, a handoff closed, a booking made at the
desk) is one entry of ``EVENTS``. The catalogue is what a journey file is checked against at load:
an unknown event name, a ``when`` filter on a field the event does not carry, or a template that
reads ``trigger.<field>`` the event does not have is an error with its line. ``POST /events``
checks the data it accepts against the same entries.

Event data is a flat ``dict[str, str]`` (it travels in workflow history and is rendered in
templates as ``trigger.<field>``). Dates and instants are ISO 8601 strings: ``2026-03-10`` (a
local date) or ``2026-03-10T09:00:00Z`` (an instant, with its offset); the ``date`` fields of an
entry are the ones a ``wait: until: {date: …}`` expression may start from.

Trigger key: one run per journey × customer × key, the key being the values of the entry's
``key`` fields joined with ``/`` (``booking_id`` for booking events: one reminder per booking),
unless the journey names its own ``trigger.key`` field. Events the product recorded before this
catalogue carried their key as a ``key`` field (a message SID, a call SID); it still wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal, get_args

TriggerEvent = Literal[
    # recorded by the product (the customer's workflow)
    "booking_proposed",
    "booking_confirmed",
    "booking_rescheduled",
    "booking_cancelled",
    "opted_in",
    "opted_out",
    "call_ended",
    "after_hours_call",
    "draft_created",
    "media_received",
    "customer_replied",
    # from the business's own systems (POST /events); booking and consent events come this way too
    "visit_completed",
    "visit_no_show",
    "handoff_closed",
    "message_delivered",
    "message_failed",
    # a marketer's audience launch (CSV columns are the data)
    "audience",
]

Source = Literal["product", "api", "both", "launch"]


@dataclass(frozen=True)
class EventSpec:
    """One event of the catalogue.

    ``fields``: name → what it holds (every field the event may carry; all strings).
    ``required``: fields ``POST /events`` refuses to accept the event without.
    ``key``: fields whose values, joined with ``/``, make the trigger key.
    ``dates``: fields holding an ISO date or instant (usable in ``until.date``).
    ``open``: any further field is allowed (an audience's CSV columns).
    ``source``: who records it: the product, the business's systems (``api``), both, or a launch.
    """

    description: str
    fields: dict[str, str]
    key: tuple[str, ...]
    required: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    open: bool = False
    source: Source = "both"
    example: dict[str, str] = field(default_factory=dict)


_BOOKING = {
    "booking_id": "the booking's ID",
    "slot_start": "the appointment's start, ISO 8601 instant (UTC)",
    "subject": "who the appointment is for (e.g. the pet's name)",
    "service": "a service key of the business profile",
}

EVENTS: dict[str, EventSpec] = {
    "booking_proposed": EventSpec(
        "the agent proposed a booking (a draft waiting for the customer's yes), any channel",
        {**_BOOKING, "channel": "whatsapp or voice"},
        key=("booking_id",),
        required=("booking_id", "slot_start"),
        dates=("slot_start",),
        source="product",
    ),
    "booking_confirmed": EventSpec(
        "a booking was confirmed (by the customer's yes, or at the desk through POST /events)",
        _BOOKING,
        key=("booking_id",),
        required=("booking_id", "slot_start"),
        dates=("slot_start",),
    ),
    "booking_rescheduled": EventSpec(
        "a confirmed booking moved to a new slot (``slot_start`` is the new one); running "
        "journeys of that booking re-target their date waits",
        _BOOKING,
        key=("booking_id", "slot_start"),
        required=("booking_id", "slot_start"),
        dates=("slot_start",),
    ),
    "booking_cancelled": EventSpec(
        "a booking was cancelled; journeys with ``exit_on: [booking_cancelled]`` for it end",
        _BOOKING,
        key=("booking_id",),
        required=("booking_id",),
        dates=("slot_start",),
    ),
    "visit_completed": EventSpec(
        "the customer came to their appointment (from the practice's own system)",
        {
            "visit_id": "the visit's ID in the business's system",
            "visited_at": "when the visit took place, ISO 8601 date or instant",
            "booking_id": "the booking it fulfilled, if any",
            "subject": "who was seen (e.g. the pet's name)",
            "service": "what was done (a service key, or the business's own code)",
        },
        key=("visit_id",),
        required=("visit_id", "visited_at"),
        dates=("visited_at",),
        source="api",
    ),
    "visit_no_show": EventSpec(
        "the customer did not come to their appointment (from the practice's own system)",
        _BOOKING,
        key=("booking_id",),
        required=("booking_id", "slot_start"),
        dates=("slot_start",),
        source="api",
    ),
    "opted_in": EventSpec(
        "the customer opted in to a channel (START on WhatsApp, or a form through POST /events)",
        {"channel": "whatsapp or voice", "purpose": "service or marketing", "source": "how"},
        key=("channel", "at"),
        required=("channel",),
    ),
    "opted_out": EventSpec(
        "the customer opted out of a channel (STOP on WhatsApp, or through POST /events)",
        {"channel": "whatsapp or voice", "purpose": "service or marketing", "source": "how"},
        key=("channel", "at"),
        required=("channel",),
    ),
    "call_ended": EventSpec(
        "a call with the customer ended",
        {
            "call_sid": "Twilio's CallSid",
            "status": "Twilio's final CallStatus (no-answer when a machine picked up)",
            "booking_confirmed": "true when a booking was confirmed on the call",
            "booking_id": "the booking confirmed on the call",
            "answered_by": "answering machine detection's verdict, calls Switchboard placed",
        },
        key=("call_sid",),
        source="product",
    ),
    "after_hours_call": EventSpec(
        "a call outside business hours ended (the caller heard the closing message)",
        {"call_sid": "Twilio's CallSid", "voicemail": "the voicemail's transcript"},
        key=("call_sid",),
        source="product",
    ),
    "draft_created": EventSpec(
        "the agent proposed a booking on WhatsApp (kept for the journeys written before "
        "``booking_proposed``)",
        {"booking_id": "the draft booking's ID"},
        key=("booking_id",),
        source="product",
    ),
    "media_received": EventSpec(
        "the customer sent a photo on WhatsApp",
        {"media_id": "the stored media's ID", "kind": "image"},
        key=("media_id",),
        source="product",
    ),
    "customer_replied": EventSpec(
        "the customer wrote on WhatsApp (every message the agent answered)",
        {},
        key=(),
        source="product",
    ),
    "handoff_closed": EventSpec(
        "a person closed a handoff (handed back in the console, or from the business's helpdesk)",
        {
            "handoff_id": "the handoff's key",
            "queue": "the queue it was in",
            "outcome": "how it ended: handed_back from the console, else the helpdesk's words",
        },
        key=("handoff_id",),
        required=("handoff_id",),
        source="both",
    ),
    "message_delivered": EventSpec(
        "a WhatsApp message reached the customer's phone (Twilio's status callback)",
        {"message_sid": "Twilio's MessageSid"},
        key=("message_sid",),
        required=("message_sid",),
        source="both",
    ),
    "message_failed": EventSpec(
        "a WhatsApp message could not be delivered (Twilio's status callback)",
        {"message_sid": "Twilio's MessageSid", "error_code": "Twilio's ErrorCode"},
        key=("message_sid",),
        required=("message_sid",),
        source="both",
    ),
    "audience": EventSpec(
        "a marketer launched the journey on an audience (the CSV's columns are the data)",
        {"campaign_id": "the launch's campaign ID"},
        key=("campaign_id",),
        open=True,
        source="launch",
    ),
}

# Every event carries these: the instant it happened (ISO 8601, UTC) and, for events recorded
# before the catalogue, its trigger key.
COMMON_FIELDS = {"at": "when the event happened, ISO 8601 instant (UTC)", "key": "trigger key"}

assert set(EVENTS) == set(get_args(TriggerEvent)), "EVENTS and TriggerEvent must list the same"


def fields_of(event: str) -> set[str] | None:
    """Every field ``event`` may carry; None when any field is allowed (an audience)."""
    spec = EVENTS[event]
    return None if spec.open else {*spec.fields, *COMMON_FIELDS}


def trigger_key(event: str, data: dict[str, str], field_name: str | None = None) -> str:
    """The trigger key of ``event`` with ``data``: ``data[field_name]`` when a journey names
    its key field, else the recorded ``key`` field, else the catalogue's key fields joined with
    ``/`` (missing ones skipped). Empty when none is there."""
    if field_name:
        return data.get(field_name, "")
    if data.get("key"):
        return data["key"]
    return "/".join(data[f] for f in EVENTS[event].key if data.get(f))


def matches_when(data: dict[str, str], when: dict[str, str | list[str]]) -> bool:
    """Does event ``data`` pass a trigger's ``when`` filters? Every filter must match: the
    value equals the string, or one of the list's values."""
    return all(
        data.get(name) in wanted if isinstance(wanted, list) else data.get(name) == wanted
        for name, wanted in when.items()
    )


class EventDataError(ValueError):
    """Event data that does not fit the catalogue; ``problems`` is ``[(field, message)]``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def check_data(event: str, data: dict[str, str]) -> None:
    """Check ``data`` for ``event`` as ``POST /events`` accepts it: required fields present,
    no unknown field, dates parse. Raises ``KeyError`` for an unknown event and
    ``EventDataError`` naming every bad field."""
    spec = EVENTS[event]
    problems: list[tuple[str, str]] = []
    allowed = fields_of(event)
    for name in sorted(data):
        if allowed is not None and name not in allowed:
            problems.append(
                (name, f"not a field of {event} (fields: {', '.join(sorted(allowed))})")
            )
    for name in spec.required:
        if not data.get(name):
            problems.append((name, f"required for {event}"))
    for name in (*spec.dates, "at"):
        if data.get(name):
            try:
                parse_when(data[name])
            except ValueError as exc:
                problems.append((name, str(exc)))
    if problems:
        raise EventDataError(problems)


def parse_when(value: str) -> date | datetime:
    """An event's ISO 8601 date (``2026-03-10``: a local calendar date) or instant
    (``2026-03-10T09:00:00Z``, returned in UTC). Raises ``ValueError`` for anything else,
    including an instant without an offset (whose zone would be a guess)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        instant = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            f"not an ISO 8601 date or instant: {value!r} (e.g. 2026-03-10 or 2026-03-10T09:00:00Z)"
        ) from exc
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"an instant needs its UTC offset: {value!r} (e.g. …T09:00:00Z)")
    return instant.astimezone(UTC)
