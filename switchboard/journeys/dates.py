"""Date expressions: when a ``wait: until: {date: …}`` step ends, computed from the event's data.

Syntax (one line, spaces optional around the signs)::

    <reference> [(+|-) <amount> <unit>]… [at HH:MM]

    booking.slot_start - 24h            the day before the appointment, same time
    trigger.visited_at + 1d at 10:00    the morning after the visit, 10:00 local
    trigger.visited_at + 11 months at 10:00

``reference`` is ``trigger.<field>`` (a date field of the trigger event, as it was at entry) or
``booking.slot_start`` (the run's booking as it is now: a ``booking_rescheduled`` event for it
moves the wait). Units: ``m``/``min``/``minutes``, ``h``/``hours`` — elapsed time, exact across a
DST change (``- 24h`` is 24 hours before) — and ``d``/``days``, ``w``/``weeks``, ``months``,
``y``/``years`` — calendar steps on the customer's local wall clock, by ``dateutil``'s
``relativedelta`` (31 January + 1 month is 28 or 29 February; 10:00 a day after a DST change is
10:00 again). ``at HH:MM`` then sets the local time of day (not allowed with hours or minutes:
"the day before at 18:00" is ``- 1d at 18:00``). A date without a time (``2026-03-10``) is the
local midnight that starts it. Wall times that do not exist or occur twice follow
``switchboard.business_calendar`` (end of the gap; first occurrence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from switchboard import business_calendar as calendar
from switchboard.journeys.events import parse_when

_REFERENCE = re.compile(r"^\s*(?P<ref>(?:trigger\.[a-z_][a-z0-9_]*)|booking\.slot_start)\s*")
_TERM = re.compile(r"\s*(?P<sign>[+-])\s*(?P<n>\d{1,4})\s*(?P<unit>[a-z]+)\s*")
_AT = re.compile(r"\s*at\s+(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\s*(?:local)?\s*$")
_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "week", "weeks"), "weeks"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("y", "year", "years"), "years"),
}
EXAMPLES = ["booking.slot_start - 24h", "trigger.visited_at + 1d at 10:00"]


@dataclass(frozen=True)
class DateExpression:
    """A parsed expression: ``reference`` (``trigger.<field>`` or ``booking.slot_start``),
    ``calendar`` steps (local wall clock), ``elapsed`` time (exact), and ``at`` (local time of
    day, or None)."""

    reference: str
    calendar: relativedelta
    elapsed: timedelta
    at: time | None

    @property
    def field(self) -> str:
        """The event field the reference reads (``slot_start`` for ``booking.slot_start``)."""
        return self.reference.split(".", 1)[1]

    def resolve(self, value: str, tz: str) -> datetime:
        """The instant (UTC) this expression gives for the reference's ``value`` (an ISO date
        or instant) in the customer's zone ``tz``. Raises ``ValueError`` for a value that is
        not an ISO date or instant."""
        base = parse_when(value)
        zone = ZoneInfo(tz)
        if isinstance(base, datetime):
            local = base.astimezone(zone).replace(tzinfo=None)
        else:
            local = datetime.combine(base, time(0))
        local = local + self.calendar
        wall = self.at if self.at is not None else local.time()
        return calendar.local_instant(local.date(), wall, tz) + self.elapsed


def parse_date_expression(text: str) -> DateExpression:
    """Parse ``text`` (module docstring). Raises ``ValueError`` saying what is wrong."""
    hint = f"expected e.g. {EXAMPLES[0]!r} or {EXAMPLES[1]!r}"
    match = _REFERENCE.match(text)
    if match is None:
        raise ValueError(
            f"not a date expression: {text!r}: start with trigger.<field> or "
            f"booking.slot_start ({hint})"
        )
    rest = text[match.end() :]
    at: time | None = None
    at_match = _AT.search(rest)
    if at_match is not None:
        at = time(int(at_match["h"]), int(at_match["m"]))
        rest = rest[: at_match.start()]
    amounts = {"minutes": 0, "hours": 0, "days": 0, "weeks": 0, "months": 0, "years": 0}
    position = 0
    while position < len(rest):
        term = _TERM.match(rest, position)
        if term is None:
            raise ValueError(f"cannot read {rest[position:].strip()!r} in {text!r} ({hint})")
        unit = _UNITS.get(term["unit"])
        if unit is None:
            raise ValueError(
                f"unknown unit {term['unit']!r} in {text!r}: use m, h, d, w, months or years"
            )
        amounts[unit] += int(term["n"]) * (1 if term["sign"] == "+" else -1)
        position = term.end()
    if at is not None and (amounts["hours"] or amounts["minutes"]):
        raise ValueError(
            f"{text!r}: 'at HH:MM' sets the time of day, so hours and minutes would be lost; "
            "step in days instead (e.g. '- 1d at 18:00')"
        )
    return DateExpression(
        reference=match["ref"],
        calendar=relativedelta(
            years=amounts["years"],
            months=amounts["months"],
            weeks=amounts["weeks"],
            days=amounts["days"],
        ),
        elapsed=timedelta(hours=amounts["hours"], minutes=amounts["minutes"]),
        at=at,
    )
