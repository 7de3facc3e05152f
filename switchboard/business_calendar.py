"""When may a journey act? Business hours, quiet hours and local wall-clock times, in UTC.

Every function takes the current instant as an aware ``datetime`` (pass ``workflow.now()`` from
workflow code) and returns aware UTC ``datetime`` values; configuration (``BusinessHours``,
``QuietHours``, the ``at`` argument) is in the customer's *local* wall-clock time — except
``BusinessHours`` that name their own ``timezone`` (the business profile's) — and ``tz`` is an
IANA zone name such as ``"Europe/Paris"``. Nothing here reads the machine clock or does I/O beyond
``zoneinfo`` loading tz data, so the same inputs always give the same outputs, as Temporal workflow
code requires.

Local time rules come from the IANA tz database through ``zoneinfo.ZoneInfo`` (the host's
``/usr/share/zoneinfo`` if present, else the ``tzdata`` package). A wall time on a given local date
always denotes exactly one instant:

- a wall time that does not exist (the spring-forward gap, e.g. 02:30 on 2026-03-29 in
  Europe/Paris) is the first instant after the gap, i.e. the transition itself (03:00 local,
  01:00 UTC);
- a wall time that occurs twice (the fall-back overlap, e.g. 02:30 on 2026-10-25 in Europe/Paris)
  is its first occurrence (``fold=0``: 02:30 CEST, 00:30 UTC); the second occurrence is never
  chosen.

Intervals (an opening window, a quiet night) are half-open ``[start, end)`` between such instants,
and all comparisons are made in UTC: Python compares two datetimes that share a ``ZoneInfo`` by
wall time alone, ignoring ``fold``, which is wrong across a fall-back.

Replay caveat: results depend on the tz database version on the worker. A rule change between
versions (a country dropping DST) can change an answer on replay; such changes are rare and come
with months of notice, but workers of one deployment should share a tz database.

YAML caveat: YAML 1.1 (PyYAML) reads an unquoted ``18:00`` as the base-60 integer 1080, which
pydantic would accept as 00:18. The models here refuse numbers for times; quote them (``"18:00"``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
)

__all__ = [
    "WEEKDAYS",
    "BusinessHours",
    "LocalTime",
    "OpeningSpan",
    "QuietHours",
    "Weekday",
    "in_quiet_hours",
    "is_open",
    "local_instant",
    "next_local_time",
    "next_open",
    "quiet_hours_end",
    "send_time",
]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names indexed by ``date.weekday()`` (Monday is 0)."""

# Longest stretch of local dates scanned for an opening or a wall time: a full (leap) year, so a
# configuration whose only open days are all holidays fails fast instead of looping.
_MAX_SCAN_DAYS = 366


def _refuse_number(value: Any) -> Any:
    # bool is an int subclass, so this also refuses `open: yes`.
    if isinstance(value, int | float):
        raise ValueError(
            f"expected a time like '09:00', got the number {value!r}: YAML reads an unquoted "
            "H:MM as a base-60 integer (18:00 is 1080), so quote times in journey files"
        )
    return value


def _refuse_zone(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("expected a local wall-clock time without a UTC offset or zone")
    return value


LocalTime = Annotated[time, BeforeValidator(_refuse_number), AfterValidator(_refuse_zone)]
"""A naive wall-clock time of day in the customer's zone, parsed from ``"HH:MM[:SS]"``."""


def _after_open(close: time, info: ValidationInfo) -> time:
    """``close`` when it is after the model's ``open``; raises ``ValueError`` otherwise."""
    open_ = info.data.get("open")
    # `open` is missing from info.data when it failed its own validation; that error is
    # reported already.
    if open_ is not None and close <= open_:
        raise ValueError(
            f"close ({close.isoformat()}) must be after open ({open_.isoformat()}); "
            "hours that span midnight are not supported"
        )
    return close


class OpeningSpan(BaseModel):
    """One stretch of an open day, ``[open, close)`` local time (``close`` after ``open``).

    Raises ``pydantic.ValidationError`` when ``close`` is not after ``open``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    open: LocalTime
    close: LocalTime

    @field_validator("close")
    @classmethod
    def _close_after_open(cls, close: time, info: ValidationInfo) -> time:
        return _after_open(close, info)


class BusinessHours(BaseModel):
    """Days and hours when the business is open.

    The window on each open day is ``[open, close)`` local time, resolved to UTC with the module's
    gap and overlap rules; windows never span midnight. Parsed from YAML like::

        days: [mon, tue, wed, thu, fri]
        open: "09:00"
        close: "18:00"
        holidays: [2026-12-25]

    or, for days with a break or other hours (``windows`` then replaces ``days``, ``open`` and
    ``close``; a weekday it leaves out is closed)::

        windows:
          mon: [{open: "08:30", close: "12:30"}, {open: "14:00", close: "19:00"}]
          sat: [{open: "09:00", close: "13:00"}]
        timezone: Europe/Paris

    Local time is ``timezone`` when given (the business's own zone: the business profile's hours
    are its clock, wherever the customer is), else the customer's zone (the ``tz`` argument of
    this module's functions). Holidays are local dates either way.

    Raises ``pydantic.ValidationError`` (a ``ValueError``) when ``days`` is empty or repeats a day,
    ``close`` is not after ``open``, a time is a number or carries a zone, or ``timezone`` is not
    an IANA zone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    """Open weekdays, lower-case three-letter names."""
    open: LocalTime = time(9, 0)
    """Local opening time (inclusive)."""
    close: LocalTime = time(18, 0)
    """Local closing time (exclusive); must be after ``open`` on the same day."""
    holidays: tuple[date, ...] = ()
    """Local dates closed all day, whatever their weekday."""
    windows: dict[Weekday, tuple[OpeningSpan, ...]] | None = None
    """Opening spans per weekday; when given, replaces ``days``, ``open`` and ``close``."""
    timezone: str | None = None
    """IANA zone the hours are in; None: the customer's zone."""
    from_profile: bool = False
    """Read from the business profile rather than written out (a journey's version then names
    the profile, not these values, which follow the profile's edits and the year's holidays)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            ZoneInfo(value)  # raises ZoneInfoNotFoundError (a KeyError → ValidationError)
        return value

    @field_validator("days")
    @classmethod
    def _days_are_distinct_and_present(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if not days:
            raise ValueError("days must name at least one weekday, e.g. [mon, tue, wed, thu, fri]")
        if len(set(days)) != len(days):
            raise ValueError(f"days repeats a weekday: {list(days)}")
        return days

    @field_validator("close")
    @classmethod
    def _close_after_open(cls, close: time, info: ValidationInfo) -> time:
        return _after_open(close, info)

    def is_business_day(self, day: date) -> bool:
        """Whether the local date ``day`` is an open weekday and not a holiday."""
        if day in self.holidays:
            return False
        weekday = WEEKDAYS[day.weekday()]
        if self.windows is not None:
            return bool(self.windows.get(weekday))
        return weekday in self.days

    def spans_on(self, day: date) -> list[tuple[time, time]]:
        """The ``(open, close)`` local times of local date ``day`` in order; empty when closed."""
        if not self.is_business_day(day):
            return []
        if self.windows is None:
            return [(self.open, self.close)]
        spans = self.windows.get(WEEKDAYS[day.weekday()], ())
        return sorted((span.open, span.close) for span in spans)

    def zone(self, customer_tz: str) -> ZoneInfo:
        """The zone these hours are read in: ``timezone``, else the customer's ``customer_tz``."""
        return ZoneInfo(self.timezone or customer_tz)


class QuietHours(BaseModel):
    """A nightly span, in the customer's local time, when nothing may be sent.

    The span is ``[start, end)`` local time; when ``start`` is after ``end`` it wraps midnight
    (``21:00``–``08:00`` runs from 21:00 to 08:00 the next morning). Parsed from YAML like
    ``{start: "21:00", end: "08:00"}``.

    Raises ``pydantic.ValidationError`` (a ``ValueError``) when ``start`` equals ``end`` (it would
    be unclear whether that means never or always), or a time is a number or carries a zone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: LocalTime = time(21, 0)
    """Local time quiet hours begin (inclusive)."""
    end: LocalTime = time(8, 0)
    """Local time quiet hours end (exclusive), the next day if before ``start``."""

    @field_validator("end")
    @classmethod
    def _end_differs_from_start(cls, end: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if start is not None and end == start:
            raise ValueError(
                f"start and end are both {end.isoformat()}: unclear whether quiet hours are "
                "empty or the whole day"
            )
        return end


# -- helpers -----------------------------------------------------------------------------------


def _as_utc(now_utc: datetime) -> datetime:
    if now_utc.tzinfo is None or now_utc.utcoffset() is None:
        raise ValueError(f"expected an aware datetime (e.g. workflow.now()), got naive {now_utc}")
    return now_utc.astimezone(UTC)


def _local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def _resolve(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time ``at`` on local date ``day``, by the module's gap and overlap
    rules (gap → first instant after it; overlap → first occurrence)."""
    # fold=0 is the first occurrence of an ambiguous wall time; force it in case `at` has fold=1.
    local = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return utc
    # The wall time is in a gap: the UTC round-trip lands on another wall time. By PEP 495, fold=0
    # reads it with the offset before the transition (giving an instant at or after it) and fold=1
    # with the offset after (an instant before it), so the transition lies in (before, utc].
    # Transitions in the tz database fall on whole seconds; bisect on seconds.
    before = local.replace(fold=1).astimezone(UTC).replace(microsecond=0)
    offset_after = utc.astimezone(zone).utcoffset()
    low, high = 0, int((utc - before).total_seconds()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if (before + timedelta(seconds=middle)).astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall time ``at`` on local date ``day`` in ``tz``, by this module's gap
    and overlap rules (a nonexistent time → the end of the gap; an ambiguous one → its first
    occurrence). Raises ``ValueError`` if ``at`` carries a zone."""
    if at.tzinfo is not None:
        raise ValueError(f"at must be a naive local time, got {at!r}")
    return _resolve(day, at, ZoneInfo(tz))


def _opening_windows(
    day: date, zone: ZoneInfo, hours: BusinessHours
) -> list[tuple[datetime, datetime]]:
    """Each ``[open, close)`` in UTC for local date ``day``, in order; one may be empty if both
    ends fall in one gap."""
    return [(_resolve(day, o, zone), _resolve(day, c, zone)) for o, c in hours.spans_on(day)]


def _quiet_span_containing(
    instant: datetime, zone: ZoneInfo, quiet: QuietHours
) -> tuple[datetime, datetime] | None:
    """The quiet span ``[start, end)`` in UTC that contains ``instant``, or None."""
    wraps = quiet.start > quiet.end
    today = _local_date(instant, zone)
    # A span that wraps midnight and contains this instant may have started yesterday.
    for start_day in (today - timedelta(days=1), today) if wraps else (today,):
        end_day = start_day + timedelta(days=1) if wraps else start_day
        start = _resolve(start_day, quiet.start, zone)
        end = _resolve(end_day, quiet.end, zone)
        if start <= instant < end:
            return start, end
    return None


# -- public API --------------------------------------------------------------------------------


def is_open(now_utc: datetime, tz: str, hours: BusinessHours) -> bool:
    """Whether the business is open at the instant ``now_utc``.

    True when the local date of ``now_utc`` (in ``hours.timezone``, else ``tz``) is a business
    day and ``now_utc`` lies in one of that day's ``[open, close)`` windows (open at exactly
    ``open``, closed at exactly ``close``; closed over a break between two windows).

    Raises ``ValueError`` if ``now_utc`` is naive, and ``zoneinfo.ZoneInfoNotFoundError`` (a
    ``KeyError``) if ``tz`` is not an IANA zone name.
    """
    now = _as_utc(now_utc)
    zone = hours.zone(tz)
    day = _local_date(now, zone)
    return any(opens <= now < closes for opens, closes in _opening_windows(day, zone, hours))


def next_open(now_utc: datetime, tz: str, hours: BusinessHours) -> datetime:
    """The earliest instant at or after ``now_utc`` when the business is open, in UTC.

    Returns ``now_utc`` (as UTC) if open now, else the next opening instant (after a break, the
    next window's opening). Local dates are in ``hours.timezone``, else ``tz``. Scans at most
    366 local dates past today.

    Raises ``ValueError`` if ``now_utc`` is naive or no business day opens within the scan (every
    open weekday is a holiday), and ``zoneinfo.ZoneInfoNotFoundError`` for an unknown ``tz``.
    """
    now = _as_utc(now_utc)
    zone = hours.zone(tz)
    today = _local_date(now, zone)
    for offset in range(_MAX_SCAN_DAYS + 1):
        day = today + timedelta(days=offset)
        for opens, closes in _opening_windows(day, zone, hours):
            if now < closes and opens < closes:
                return max(now, opens)
    raise ValueError(
        f"no opening within {_MAX_SCAN_DAYS} days of {today} in {zone.key}: "
        f"days={list(hours.windows or hours.days)}, {len(hours.holidays)} holidays"
    )


def in_quiet_hours(now_utc: datetime, tz: str, quiet: QuietHours) -> bool:
    """Whether ``now_utc`` falls in the quiet span ``[start, end)`` of the local night in ``tz``.

    With ``21:00``–``08:00``: 22:00 and 07:59 local are quiet, 08:00 and 20:59 are not.

    Raises ``ValueError`` if ``now_utc`` is naive, and ``zoneinfo.ZoneInfoNotFoundError`` for an
    unknown ``tz``.
    """
    return _quiet_span_containing(_as_utc(now_utc), ZoneInfo(tz), quiet) is not None


def quiet_hours_end(now_utc: datetime, tz: str, quiet: QuietHours) -> datetime:
    """The first instant at or after ``now_utc`` outside quiet hours, in UTC.

    Returns ``now_utc`` (as UTC) if it is not in quiet hours, else the instant the current quiet
    span ends: ``end`` local time on the right local date, so the night before a DST change is an
    hour shorter or longer (Europe/Paris, 21:00–08:00: the night of 2026-03-28 ends at 06:00 UTC,
    that of 2026-10-24 at 07:00 UTC).

    Raises ``ValueError`` if ``now_utc`` is naive, and ``zoneinfo.ZoneInfoNotFoundError`` for an
    unknown ``tz``.
    """
    instant = _as_utc(now_utc)
    zone = ZoneInfo(tz)
    # Two spans can touch only if a DST gap swallows both one span's end and the next one's start;
    # a third hop is never needed.
    for _ in range(3):
        span = _quiet_span_containing(instant, zone, quiet)
        if span is None:
            return instant
        instant = span[1]
    raise AssertionError(f"quiet hours {quiet} never end after {now_utc} in {tz}")


def next_local_time(
    now_utc: datetime,
    tz: str,
    at: time,
    *,
    hours: BusinessHours | None = None,
    not_before: timedelta = timedelta(0),
) -> datetime:
    """The next instant strictly after ``now_utc + not_before`` whose local wall time is ``at``.

    ``at`` is a naive local time of day in ``tz``; with ``hours``, only business days (open
    weekday, not a holiday) count, but ``at`` is not checked against the opening window. "Tomorrow
    morning at 09:30 on a business day" from a Friday evening is the following Monday 09:30 local.
    A nonexistent ``at`` resolves to the end of the gap that day (02:30 on 2026-03-29 in
    Europe/Paris → 03:00 local, 01:00 UTC) and an ambiguous one to its first occurrence only, so
    from between the two occurrences the answer is the next day. Returns UTC. Scans at most 366
    local dates.

    Raises ``ValueError`` if ``now_utc`` is naive, ``at`` carries a zone, ``not_before`` is
    negative, or no business day is found; ``zoneinfo.ZoneInfoNotFoundError`` for an unknown
    ``tz``.
    """
    if at.tzinfo is not None:
        raise ValueError(f"at must be a naive local time, got {at!r}")
    if not_before < timedelta(0):
        raise ValueError(f"not_before must not be negative, got {not_before}")
    threshold = _as_utc(now_utc) + not_before
    zone = ZoneInfo(tz)
    first_day = _local_date(threshold, zone)
    for offset in range(_MAX_SCAN_DAYS + 1):
        day = first_day + timedelta(days=offset)
        if hours is not None and not hours.is_business_day(day):
            continue
        candidate = _resolve(day, at, zone)
        if candidate > threshold:
            return candidate
    raise ValueError(f"no business day within {_MAX_SCAN_DAYS} days of {first_day} in {tz}")


def send_time(
    now_utc: datetime,
    tz: str,
    *,
    quiet: QuietHours | None,
    hours: BusinessHours | None,
) -> datetime:
    """The earliest instant at or after ``now_utc`` when a send is allowed, in UTC.

    Allowed means outside ``quiet`` (if given) and inside ``hours`` (if given); with neither, it is
    ``now_utc``. Saturday 23:00 local with quiet 21:00–08:00 and Mon–Fri 09:00–18:00 gives Monday
    09:00 local.

    Raises ``ValueError`` if ``now_utc`` is naive or no allowed instant exists within 366 days
    (e.g. business hours entirely inside quiet hours), and ``zoneinfo.ZoneInfoNotFoundError`` for
    an unknown ``tz``.
    """
    now = _as_utc(now_utc)
    horizon = now + timedelta(days=_MAX_SCAN_DAYS)
    candidate = now
    # Alternate the two constraints until neither moves the candidate. Each step jumps to the
    # earliest instant satisfying one constraint, so no allowed instant is ever skipped; each
    # non-final round moves forward to a later window or span boundary, so the horizon bounds it.
    while candidate <= horizon:
        if hours is not None:
            candidate = next_open(candidate, tz, hours)
        if quiet is None:
            return candidate
        after_quiet = quiet_hours_end(candidate, tz, quiet)
        if after_quiet == candidate:
            return candidate
        candidate = after_quiet
    raise ValueError(
        f"no send allowed within {_MAX_SCAN_DAYS} days of {now.isoformat()} in {tz}: "
        f"business hours {hours} and quiet hours {quiet} never leave a gap"
    )
