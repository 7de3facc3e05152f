"""The chaos suite's loss and duplicate checks, as pure functions of what was observed.

The runner gathers the observations after the run (the fake Twilio's own records, the outbox,
what its Twilio stand-in saw accepted) and hands them here, so that each check can also be fed a
crafted bad outcome in a unit test (``tests/chaos/test_checks.py``) and seen to fire: a check
that cannot fire proves nothing.

Each function returns the offending items (so the report can name them); the table shows
their count, and every one must be 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# Two messages with the same text to the same customer this close together, under different
# outbox keys, are one intended message sent twice (issue 11: "within a minute").
LOGICAL_DUPLICATE_WINDOW = timedelta(minutes=1)
# Sends the product never resolved: still pending after the run settled, or given up.
UNRESOLVED = {"pending", "failed"}


@dataclass(frozen=True)
class Delivered:
    """One message the fake Twilio accepted (``GET /_fake/messages``)."""

    sid: str
    to: str  # "whatsapp:+E164"
    text: str  # the body, or a template's rendered text
    has_media: bool
    created_at: datetime


@dataclass(frozen=True)
class Intended:
    """One outbox row: a send the product decided on (``outbox``)."""

    key: str
    kind: str  # whatsapp | call
    recipient: str
    status: str  # pending | sent | failed
    provider_sid: str | None
    created_at: datetime


@dataclass(frozen=True)
class Accepted:
    """An inbound WhatsApp message the API acknowledged (2xx), as Twilio's side saw it."""

    sid: str
    e164: str
    accepted_at: datetime


def sids_owned_twice(intended: Iterable[Intended]) -> list[str]:
    """Provider SIDs that more than one outbox row claims: a reconciliation attributed one send
    to two keys, so one of the two intended sends never went out."""
    owners = Counter(row.provider_sid for row in intended if row.provider_sid)
    return sorted(sid for sid, count in owners.items() if count > 1)


def intended_not_arrived(
    intended: Iterable[Intended], arrived_sids: set[str]
) -> list[tuple[str, str]]:
    """Outbox rows whose send never reached the fake Twilio, as ``(key, why)``: a row still
    pending or given up after the run settled, or one marked sent whose SID the fake never
    saw (a wrong reconciliation adopted a SID that is not this send)."""
    missing: list[tuple[str, str]] = []
    for row in intended:
        if row.status in UNRESOLVED:
            missing.append((row.key, f"outbox row {row.status}"))
        elif row.provider_sid is None:
            missing.append((row.key, "outbox row sent without a provider SID"))
        elif row.provider_sid not in arrived_sids:
            missing.append((row.key, f"SID {row.provider_sid} unknown to Twilio"))
    return missing


def logical_duplicates(
    delivered: Iterable[Delivered], key_of: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """Pairs of messages to one customer with the same text (and both with or both without
    media) within ``LOGICAL_DUPLICATE_WINDOW``, owned by different outbox keys (``key_of``:
    provider SID → key; a SID no row owns is counted by the runner's "owned by no outbox row"
    check, and here under its own SID): ``(recipient, first SID, second SID)``. Each message
    is compared with the previous one of the same text, so three copies are two duplicates."""
    groups: dict[tuple[str, str, bool], list[Delivered]] = defaultdict(list)
    for message in delivered:
        groups[(message.to, message.text.strip(), message.has_media)].append(message)
    found: list[tuple[str, str, str]] = []
    for (to, _, _), messages in groups.items():
        messages.sort(key=lambda m: m.created_at)
        for before, after in zip(messages, messages[1:], strict=False):
            close = after.created_at - before.created_at <= LOGICAL_DUPLICATE_WINDOW
            if close and key_of.get(before.sid, before.sid) != key_of.get(after.sid, after.sid):
                found.append((to, before.sid, after.sid))
    return found


def never_answered(
    during_outage: Iterable[Accepted], intended: Iterable[Intended]
) -> list[Accepted]:
    """Inbound messages accepted during an outage that no reply answered. A message is
    answered by a reply sent to its customer (an outbox row ``reply/…``, status sent) keyed
    on it, or created after it was accepted: the customer workflow takes a customer's
    messages in order and may answer several queued ones with one reply keyed on the first
    (``workflows/turn.py``), so a later reply means this message was taken too."""
    replies: dict[str, list[Intended]] = defaultdict(list)
    for row in intended:
        if row.key.startswith("reply/") and row.status == "sent":
            replies[row.recipient].append(row)
    unanswered = []
    for message in during_outage:
        mine = [*replies.get(f"whatsapp:{message.e164}", []), *replies.get(message.e164, [])]
        if not any(
            row.key == f"reply/{message.sid}" or row.created_at >= message.accepted_at
            for row in mine
        ):
            unanswered.append(message)
    return unanswered


def in_windows(
    accepted: Iterable[Accepted], windows: Iterable[tuple[datetime, datetime]]
) -> list[Accepted]:
    """The messages accepted inside any of ``windows`` (start, end), ends included."""
    spans = list(windows)
    return [m for m in accepted if any(start <= m.accepted_at <= end for start, end in spans)]
