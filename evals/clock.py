"""The eval's own calendar: the fixed moment the scenarios are played at, and the relative day
and slot expressions scenarios are written in, resolved here and never by the product's parser.

The reference moment is the next Monday 09:00 Europe/Paris whose week (Monday to Saturday) has
no French public holiday (``holidays`` library), so "tomorrow 15:00" is always an open Tuesday
afternoon. Day expressions, relative to that Monday:

- ``mon`` … ``sun``: that day of the reference week (``mon`` is the reference day itself);
- ``today``, ``tomorrow``, ``day_after``;
- ``+N`` / ``-N``: N days after / before the reference day;
- ``next-mon`` … ``next-sun``: that day of the following week;
- ``holiday``: the next French public holiday on a Monday–Saturday within the booking horizon;
- ``<expr>+Nm``: N calendar months after ``<expr>``'s date (``tue+1m``: "same time next month";
  a day past the month's end is clamped to it, as ``dateutil.relativedelta`` does);
- ``first-mon+Nm`` … ``first-sun+Nm``: the first such weekday of the month N months after the
  reference month ("the first Monday of next month").

A slot is a day expression and a local time: ``"tue 15:00"``. The time may instead be read from
the clock at the moment the scenario starts (``EvalClock.now``), for what a customer says
relative to it ("this time next week", "asap"): ``now`` is that moment rounded up to the
15-minute grid, ``now-`` rounded down, ``now+N`` N minutes later rounded up (``"+7 now"``). The
clock runs on at the wall clock's pace through a run (``evals/harness.py``), so a scenario played
35 minutes in says "this time" at 09:35, not 09:00. Scenario text may embed a day as
``{expr|format}`` (``{tue|dm}`` → ``1 December``; formats in ``FORMATS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
HORIZON_DAYS = 90  # business/profile.yaml: latest booking this many days ahead

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NAMED = {"today": 0, "tomorrow": 1, "day_after": 2}
_MONTHS_RE = re.compile(r"^(?P<base>.+?)\+(?P<n>\d{1,2})m$")
_SLOT_RE = re.compile(r"^\s*(?P<day>\S+)\s+(?P<time>\d{1,2}:\d{2}|now(?:-|\+\d{1,4})?)\s*$")
_CLOCK_TIME_RE = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
_NOW_RE = re.compile(r"^now(?:(?P<down>-)|\+(?P<plus>\d{1,4}))?$")
GRID_MINUTES = 15  # business/profile.yaml: slots start on a 15-minute grid
_TEMPLATE_RE = re.compile(r"\{(?P<expr>[^{}|]+)\|(?P<fmt>\w+)\}")


class NoHoliday(LookupError):
    """No French public holiday falls on a Monday–Saturday within the horizon."""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


FORMATS: dict[str, Callable[[date], str]] = {
    "weekday": lambda d: d.strftime("%A"),  # Tuesday
    "wd": lambda d: d.strftime("%a"),  # Tue
    "dm": lambda d: f"{d.day} {d.strftime('%B')}",  # 1 December
    "md": lambda d: f"{d.strftime('%B')} {d.day}",  # December 1
    "wdm": lambda d: f"{d.strftime('%A')} {d.day} {d.strftime('%B')}",  # Tuesday 1 December
    "ord": lambda d: _ordinal(d.day),  # 1st
    "day": lambda d: str(d.day),  # 1
    "month": lambda d: d.strftime("%B"),  # December
    "dmy": lambda d: d.strftime("%d/%m/%Y"),  # 01/12/2026
    "dmn": lambda d: f"{d.day}/{d.month}",  # 1/12, as people type it
    "mab": lambda d: d.strftime("%b"),  # Dec
    "prevyear": lambda d: str(d.year - 1),  # 2025: a year typed wrong, for past-date questions
    "iso": lambda d: d.isoformat(),  # 2026-12-01
}


def french_holidays(years: set[int]) -> dict[date, str]:
    return dict(holidays.country_holidays(COUNTRY, years=sorted(years), language="en_US"))


def reference_moment(now: datetime) -> datetime:
    """The first Monday 09:00 Europe/Paris strictly after ``now`` (aware) that is not a French
    public holiday and whose Monday–Saturday holds none. Returned aware, in Europe/Paris."""
    local = now.astimezone(PARIS)
    monday = local.date() + timedelta(days=(7 - local.weekday()) % 7)
    for _ in range(60):
        candidate = datetime.combine(monday, time(9, 0), tzinfo=PARIS)
        week = [monday + timedelta(days=i) for i in range(6)]
        closed = french_holidays({d.year for d in week})
        if candidate > now and not any(d in closed for d in week):
            return candidate
        monday += timedelta(days=7)
    raise RuntimeError("no holiday-free week in 60 weeks")  # cannot happen in France


@dataclass(frozen=True)
class EvalClock:
    """Resolves day and slot expressions against ``reference`` (aware, Europe/Paris); ``now``
    (aware) is the moment a scenario starts, for slot times said relative to it (module
    docstring), and is the reference moment when not given."""

    reference: datetime
    now: datetime | None = None

    @property
    def today(self) -> date:
        return self.reference.astimezone(PARIS).date()

    def day(self, expr: str) -> date:
        """The date of a day expression (module docstring). Raises ``ValueError`` for an
        unknown expression, ``NoHoliday`` for ``holiday`` when none is in the horizon."""
        e = expr.strip().lower()
        if e in _NAMED:
            return self.today + timedelta(days=_NAMED[e])
        if e in WEEKDAYS:
            return self.today + timedelta(days=WEEKDAYS.index(e))
        if e.startswith("next-") and e[5:] in WEEKDAYS:
            return self.today + timedelta(days=7 + WEEKDAYS.index(e[5:]))
        if re.fullmatch(r"[+-]\d{1,3}", e):
            return self.today + timedelta(days=int(e))
        if e == "holiday":
            return self.next_holiday()
        months = _MONTHS_RE.match(e)
        if months is not None:
            n, base = int(months["n"]), months["base"]
            if base.startswith("first-") and base[6:] in WEEKDAYS:
                first = self.today.replace(day=1) + relativedelta(months=n)
                return first + timedelta(days=(WEEKDAYS.index(base[6:]) - first.weekday()) % 7)
            return self.day(base) + relativedelta(months=n)
        raise ValueError(f"unknown day expression {expr!r}")

    def next_holiday(self) -> date:
        """The next French public holiday on a Monday–Saturday (a day the clinic would otherwise
        open) within the booking horizon. Raises ``NoHoliday``."""
        last = self.today + timedelta(days=HORIZON_DAYS - 1)
        found = french_holidays({self.today.year, last.year})
        for d in sorted(found):
            if self.today < d <= last and d.weekday() < 6:
                return d
        raise NoHoliday(f"no French public holiday on Mon–Sat between {self.today} and {last}")

    def holiday_name(self) -> str:
        d = self.next_holiday()
        return french_holidays({d.year})[d]

    def time_of(self, expr: str) -> time:
        """``"15:00"`` → 15:00; ``"now"``, ``"now-"``, ``"now+60"`` → the local time of day read
        from ``now`` on the 15-minute grid (module docstring). Raises ``ValueError``."""
        e = expr.strip().lower()
        clock = _CLOCK_TIME_RE.match(e)
        if clock is not None:
            return time(int(clock["h"]), int(clock["m"]))
        m = _NOW_RE.match(e)
        if m is None:
            raise ValueError(f"not a time (HH:MM, now, now-, now+N): {expr!r}")
        at = self.local(self.now or self.reference) + timedelta(minutes=int(m["plus"] or 0))
        midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
        step = timedelta(minutes=GRID_MINUTES)
        down = midnight + (at - midnight) // step * step
        rounded = down if m["down"] or down == at else down + step
        if rounded.date() != at.date():
            raise ValueError(f"{expr!r} rounds past midnight")
        return rounded.time()

    def slot(self, expr: str) -> datetime:
        """``"tue 15:00"`` (or ``"+7 now"``) → that local time as an aware UTC datetime. Raises
        ``ValueError``."""
        m = _SLOT_RE.match(expr)
        if m is None:
            raise ValueError(f"not a slot expression (day HH:MM or day now…): {expr!r}")
        local = datetime.combine(self.day(m["day"]), self.time_of(m["time"]), tzinfo=PARIS)
        return local.astimezone(UTC)

    def render(self, text: str) -> str:
        """Replace every ``{expr|format}`` in ``text`` (``{tue|dm}`` → ``1 December``;
        ``{holiday|name}`` → the holiday's English name). Raises ``ValueError`` or
        ``NoHoliday``."""

        def one(m: re.Match[str]) -> str:
            expr, fmt = m["expr"].strip(), m["fmt"]
            if fmt == "name":
                if expr != "holiday":
                    raise ValueError(f"{{{expr}|name}}: only holidays have names")
                return self.holiday_name()
            if fmt not in FORMATS:
                raise ValueError(f"unknown date format {fmt!r} in {text!r}")
            return FORMATS[fmt](self.day(expr))

        return _TEMPLATE_RE.sub(one, text)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(PARIS)

    def describe(self, instant: datetime) -> str:
        """``Tue 1 Dec 15:00`` (local), for reasons and reports."""
        t = self.local(instant)
        return f"{t:%a} {t.day} {t:%b %H:%M}"


# -- how a reply may say a day or a time ----------------------------------------------------------

_HOUR_WORDS = (
    *("twelve", "one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)


def time_pattern(hour: int, minute: int) -> str:
    """A regex for the ways a reply may say ``hour:minute``: ``15:00``, ``15h00``, ``15h``,
    ``3pm``, ``3 p.m.``, ``3:00 PM``, ``3.30pm``, ``half past three``, ``noon``…"""
    mm = f"{minute:02d}"
    h12 = hour % 12 or 12
    ampm = "a" if hour < 12 else "p"
    word = _HOUR_WORDS[h12]
    options = [rf"(?<![\d:.]){hour}\s?[:h.]\s?{mm}(?!\d)"]
    if hour < 10:
        options.append(rf"(?<![\d:.])0{hour}[:h.]{mm}(?!\d)")
    minutes = rf"[:.]{mm}" if minute else rf"(?:[:.]{mm})?"
    options.append(rf"(?<![\d:.]){h12}{minutes}\s?{ampm}\.?\s?m\b")
    if minute == 0:
        options.append(rf"(?<![\d:.]){hour}h(?!\d)")
        options.append(rf"\b{word}\s+o'?\s?clock\b")
        options.append(rf"\b{word}\s+(?:in\s+the\s+)?(?:morning|afternoon|evening)\b")
        if hour == 12:
            options.append(r"\bnoon\b|\bmidday\b")
    elif minute == 30:
        options.append(rf"\bhalf\s+(?:past\s+)?{word}\b")
    elif minute == 15:
        options.append(rf"\bquarter\s+past\s+{word}\b")
    elif minute == 45:
        options.append(rf"\bquarter\s+to\s+{_HOUR_WORDS[h12 % 12 + 1]}\b")
    return "|".join(f"(?:{o})" for o in options)


def day_pattern(day: date, today: date) -> str:
    """A regex for the ways a reply may name ``day``: ``Tuesday``/``Tue``, ``1 December``,
    ``December 1st``, ``1/12``, ``2026-12-01``, and ``today``/``tomorrow`` when it is."""
    month = day.strftime("%B")
    mon = day.strftime("%b")
    d = day.day
    suffix = r"(?:st|nd|rd|th)?"
    options = [
        rf"\b{day.strftime('%A')}\b",
        rf"\b{day.strftime('%a')}\b\.?",
        rf"\b{d}{suffix}\s+(?:of\s+)?(?:{month}|{mon})\b",
        rf"\b(?:{month}|{mon})\.?\s+(?:the\s+)?{d}{suffix}\b",
        rf"(?<!\d)0?{d}/0?{day.month}(?!\d)",
        day.isoformat(),
    ]
    if day == today:
        options.append(r"\btoday\b|\bthis\s+(?:morning|afternoon|evening)\b")
    if day == today + timedelta(days=1):
        options.append(r"\btomorrow\b|\btmrw\b")
    return "|".join(f"(?:{o})" for o in options)
