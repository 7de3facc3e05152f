"""What a dry run takes and gives: its options, the customer's scripted replies, and the
timeline."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, cast, get_args

from pytimeparse import parse as parse_timespan

from switchboard.journeys.schema import EventKind
from workflows.types import JourneyOutcome

DEFAULT_CUSTOMER = "+33612345678"
# A run still going this long after its start is stuck (e.g. a workflow task failing on a bug,
# retried forever): the dry run stops there and says so.
# 400 days: an annual recall (11 months after the visit) still ends within it.
HORIZON = timedelta(days=400)
_REPLY = re.compile(r"^\s*(?P<event>[a-z_]+)\s*@\s*(?P<after>.+?)\s*$")

EntryKind = Literal["whatsapp", "call", "reply", "slot", "offer", "handoff", "note", "outcome"]


class DryRunError(ValueError):
    """Bad dry-run options (a start in the past, an unknown reply event)."""


@dataclass(frozen=True)
class ScriptedReply:
    """The customer's scripted event ``event`` (a ``JourneyEvent`` kind), ``after`` the
    journey's previous outbound message (see the package docstring for the exact rule)."""

    event: EventKind
    after: timedelta

    @classmethod
    def parse(cls, text: str) -> ScriptedReply:
        """``"yes@2h"``, ``"reply@30m"``, ``"draft_confirmed@3h"`` (durations as in journey
        files: pytimeparse). Raises ``DryRunError`` naming what is wrong."""
        match = _REPLY.match(text)
        if match is None:
            raise DryRunError(f"expected EVENT@DURATION (e.g. yes@2h), got {text!r}")
        event = match["event"]
        kinds: tuple[str, ...] = get_args(EventKind)
        if event not in kinds or event == "call_completed":
            allowed = ", ".join(k for k in kinds if k != "call_completed")
            raise DryRunError(f"unknown reply event {event!r}: one of {allowed}")
        seconds = parse_timespan(match["after"])
        if seconds is None or seconds < 0:
            raise DryRunError(f"not a duration: {match['after']!r} (try '30m', '2h', '1d')")
        return cls(event=cast(EventKind, event), after=timedelta(seconds=seconds))

    def __str__(self) -> str:
        return f"{self.event}@{duration_text(self.after)}"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing the customer would see or hear (or the journey would do), at ``at``: an aware
    datetime in the customer's time zone."""

    at: datetime
    kind: EntryKind
    text: str


@dataclass
class DryRun:
    """The timeline of one dry run, oldest first, and how the journey ended
    (``outcome.status``: ``completed``, ``exited``, ``failed`` with the error as reason, or
    ``stuck`` when it was still running ``DryRunOptions.horizon`` after the start)."""

    journey: str
    version: str
    customer: str
    timezone: str
    start: datetime  # aware, customer's local time
    opted_in: bool
    replies: list[ScriptedReply]
    entries: list[TimelineEntry]
    outcome: JourneyOutcome
    answer_calls: bool = True


@dataclass
class DryRunOptions:
    """``start``: aware instant (naive means UTC) at or after now; None: now. ``horizon``: how
    long after the start a run still going is reported ``stuck``. ``trigger_data``: values of
    the trigger's data (``trigger.<name>``; an audience's CSV columns) that replace or add to
    the made-up ones."""

    opted_in: bool = True
    replies: Sequence[ScriptedReply] = ()
    answer_calls: bool = True
    start: datetime | None = None
    customer: str = DEFAULT_CUSTOMER
    horizon: timedelta = HORIZON
    trigger_data: Mapping[str, str] = field(default_factory=dict)


def parse_trigger_data(items: Iterable[str]) -> dict[str, str]:
    """``["due_at=2026-12-20", "pet_name=Rex"]`` → ``{"due_at": "2026-12-20", …}`` (the value
    is everything after the first ``=``). Raises ``DryRunError`` naming the first bad item."""
    data: dict[str, str] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise DryRunError(f"expected NAME=VALUE (e.g. due_at=2026-12-20), got {item!r}")
        data[name.strip()] = value.strip()
    return data


def duration_text(delta: timedelta) -> str:
    """``2h``, ``1d12h``, ``30m``, ``0m``: whole days, hours and minutes (seconds dropped)."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (mins, "m")) if n)
    return text or "0m"
