"""Availability: whether a slot can be booked, and the nearest free alternatives, computed from
the business profile (opening hours, holidays, capacity, notice, horizon) and the calendar's
confirmed bookings. Pure functions of their inputs (no clock, no I/O), so the agent, the CRM
activities and tests get the same answer for the same data.

Every datetime taken or returned is aware and compared as an instant (UTC); a naive one raises
``ValueError``. Local reasoning (which day, which opening interval, the slot grid) happens in the
profile's zone:

- a slot's day is the local date of its start; it must lie, with the whole service, inside one
  opening interval of that day: ``[open, close)``, half-open, compared in UTC (two datetimes that
  share a ``ZoneInfo`` compare by wall time, which is wrong across a fall-back);
- the grid is the local *wall clock*: a start is on the grid when its local minutes since midnight
  are a multiple of ``slot_minutes`` (and seconds are zero), so customers always hear 09:00,
  09:15, ... even on a DST-change day. A wall time skipped by spring-forward is never a slot; one
  repeated by fall-back is a slot at both of its instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel

from switchboard.business import WEEKDAYS, BusinessProfile, Service

Reason = Literal[
    "past",
    "too_soon",
    "beyond_horizon",
    "closed_day",
    "holiday",
    "outside_hours",
    "off_grid",
    "full",
]

# Alternatives are looked for within this many days either side of the requested day.
SEARCH_DAYS = 14
# next_open_day gives up after this many days (a business closed longer is "closed").
OPEN_DAY_LOOKAHEAD = 60

_DAY_NAMES = {
    "mon": "Mondays",
    "tue": "Tuesdays",
    "wed": "Wednesdays",
    "thu": "Thursdays",
    "fri": "Fridays",
    "sat": "Saturdays",
    "sun": "Sundays",
}


class Busy(BaseModel):
    """A confirmed booking occupying the calendar: ``start`` and ``end`` are UTC."""

    booking_id: str
    start: datetime
    end: datetime


class SlotCheck(BaseModel):
    """The answer of ``check_slot``. ``reason`` is None when ``free``, else the first rule the
    slot breaks (order: past, too_soon, beyond_horizon, holiday, closed_day, outside_hours,
    off_grid, full). ``holiday_name`` is set with ``holiday`` ("Christmas Day"; "closed" for the
    business's own closures). ``day`` is the start's local date in the profile's zone."""

    free: bool
    reason: Reason | None = None
    holiday_name: str | None = None
    day: date | None = None
    # with ``outside_hours`` when the start is within opening hours but the service would run
    # past their end: that end (local wall time), the service's name and length in minutes
    runs_past: time | None = None
    service_name: str | None = None
    duration_minutes: int | None = None
    # with ``outside_hours`` when the start is outside that day's opening hours: when they
    # stopped before it and when they start again after it (local wall times; None before
    # the day's first opening or after its last closing)
    closed_from: time | None = None
    open_again: time | None = None


def check_slot(
    profile: BusinessProfile,
    busy: list[Busy],
    start: datetime,
    service: Service,
    *,
    now: datetime,
    ignore_booking: str | None = None,
) -> SlotCheck:
    """Whether ``service`` can be booked at ``start`` (aware, any zone; compared as UTC).

    Free iff ``now + min_notice <= start <= now + horizon``, the whole ``[start, start +
    duration)`` lies inside one opening interval of the start's local day, the start is on the
    slot grid, and fewer than ``capacity`` bookings of ``busy`` overlap it (``ignore_booking``,
    the booking being moved, does not count). Raises ``ValueError`` for a naive ``start`` or
    ``now``.
    """
    start = _utc(start, "start")
    now = _utc(now, "now")
    zone = profile.zone
    day = start.astimezone(zone).date()

    def no(reason: Reason, holiday_name: str | None = None) -> SlotCheck:
        return SlotCheck(free=False, reason=reason, holiday_name=holiday_name, day=day)

    if start < now:
        return no("past")
    if start < now + timedelta(minutes=profile.min_notice_minutes):
        return no("too_soon")
    if start > now + timedelta(days=profile.horizon_days):
        return no("beyond_horizon")
    holiday_name = profile.holiday(day)
    if holiday_name is not None:
        return no("holiday", holiday_name)
    intervals = profile.intervals_on(day)
    if not intervals:
        return no("closed_day")
    end = start + timedelta(minutes=service.duration_minutes)
    if not any(
        opens.astimezone(UTC) <= start and end <= closes.astimezone(UTC)
        for opens, closes in intervals
    ):
        within = [c for o, c in intervals if o.astimezone(UTC) <= start < c.astimezone(UTC)]
        if within:
            # "thursday at 12" for a 45-minute groom: open then, but shut at 12:30
            return SlotCheck(
                free=False,
                reason="outside_hours",
                day=day,
                runs_past=within[0].astimezone(zone).time(),
                service_name=service.name,
                duration_minutes=service.duration_minutes,
            )
        ends = [c.astimezone(UTC) for _, c in intervals if c.astimezone(UTC) <= start]
        starts = [o.astimezone(UTC) for o, _ in intervals if o.astimezone(UTC) > start]
        return SlotCheck(
            free=False,
            reason="outside_hours",
            day=day,
            closed_from=max(ends).astimezone(zone).time() if ends else None,
            open_again=min(starts).astimezone(zone).time() if starts else None,
        )
    if not _on_grid(start, profile):
        return no("off_grid")
    overlapping = sum(
        1
        for booking in busy
        if booking.booking_id != ignore_booking and booking.start < end and start < booking.end
    )
    if overlapping >= profile.capacity:
        return no("full")
    return SlotCheck(free=True, day=day)


def free_slots_on(
    profile: BusinessProfile,
    busy: list[Busy],
    day: date,
    service: Service,
    *,
    now: datetime,
    ignore_booking: str | None = None,
) -> list[datetime]:
    """Every start on local date ``day`` at which ``check_slot`` says free, chronologically, as
    UTC datetimes; empty when the business is closed that day. Raises ``ValueError`` for a
    naive ``now``."""
    now = _utc(now, "now")
    candidates = _grid_starts(profile, day)
    if not candidates:
        return []
    # Only bookings touching the day can overlap one of its slots.
    first = candidates[0]
    last = candidates[-1] + timedelta(minutes=service.duration_minutes)
    relevant = [b for b in busy if b.start < last and first < b.end]
    return [
        start
        for start in candidates
        if check_slot(
            profile, relevant, start, service, now=now, ignore_booking=ignore_booking
        ).free
    ]


def alternatives(
    profile: BusinessProfile,
    busy: list[Busy],
    start: datetime,
    service: Service,
    *,
    now: datetime,
    count: int = 3,
    ignore_booking: str | None = None,
    same_day_first: bool = True,
    exclude: frozenset[datetime] = frozenset(),
    earlier_than: datetime | None = None,
    later_than: datetime | None = None,
) -> list[datetime]:
    """Up to ``count`` free starts nearest to ``start``, chronologically, as UTC datetimes.

    ``exclude`` (UTC) are never offered (a booking being moved is not offered its own time);
    ``earlier_than`` / ``later_than`` (UTC) keep only starts on that side of a moment ("a bit
    earlier" than the booking), when any is free there: else they are ignored.

    "Nearest" is the absolute time distance, earlier or later, from ``start`` rounded to the
    nearest point of the slot grid (ties: the earlier slot). With ``same_day_first``, free slots
    on ``start``'s local day come first and other days only fill what is left; and when that day
    is closed (a weekly closing day, a holiday, a closure), the nearest days come first and, on
    each, the slots nearest to ``start``'s time of day. The search covers
    ``SEARCH_DAYS`` days either side of the requested day, never the past nor beyond the horizon
    (a request in the past or beyond the horizon is searched from the nearest bookable day). A
    free ``start`` is its own nearest alternative. Fewer than ``count`` (possibly none) when the
    window has no more. Raises ``ValueError`` for a naive ``start`` or ``now``.
    """
    start = _utc(start, "start")
    now = _utc(now, "now")
    if count < 1:
        return []
    zone = profile.zone
    anchor = _round_to_grid(start, profile)
    requested = start.astimezone(zone).date()
    first_day = (now + timedelta(minutes=profile.min_notice_minutes)).astimezone(zone).date()
    last_day = (now + timedelta(days=profile.horizon_days)).astimezone(zone).date()
    if first_day > last_day:
        return []
    center = min(max(requested, first_day), last_day)
    lowest = max(first_day, center - timedelta(days=SEARCH_DAYS))
    highest = min(last_day, center + timedelta(days=SEARCH_DAYS))

    # With ``same_day_first``, a day the business is shut (a Sunday, a holiday): the time asked
    # for on the nearest open days, not the nearest hours in absolute time (Christmas Day at
    # 10:00 is not the evening before). Ranked by days away, then minutes from that time.
    closed_day = same_day_first and not profile.intervals_on(requested)
    asked_minute = anchor.astimezone(zone).hour * 60 + anchor.astimezone(zone).minute

    def rank(slot: datetime) -> tuple[bool, timedelta, datetime]:
        local = slot.astimezone(zone)
        if closed_day:
            days = timedelta(days=abs((local.date() - requested).days))
            minutes = abs(local.hour * 60 + local.minute - asked_minute)
            return (False, days * 24 * 60 + timedelta(minutes=minutes), slot)
        other_day = same_day_first and local.date() != requested
        return (other_day, abs(slot - anchor), slot)

    found: list[datetime] = []
    for ring in range(SEARCH_DAYS + 1):
        days = {center - timedelta(days=ring), center + timedelta(days=ring)}
        for day in sorted(d for d in days if lowest <= d <= highest):
            found += [
                slot
                for slot in free_slots_on(
                    profile, busy, day, service, now=now, ignore_booking=ignore_booking
                )
                if slot not in exclude
            ]
        found.sort(key=rank)
        # Stop once the count-th best is nearer than anything a further ring of days can hold.
        further = [
            _distance_to_day(anchor, day, profile)
            for day in (center - timedelta(days=ring + 1), center + timedelta(days=ring + 1))
            if lowest <= day <= highest
        ]
        if not further:
            break
        if closed_day and len(found) >= count and ring >= 1:
            break  # further rings are further days, ranked after every slot found
        # Further days are never the requested day, so their slots rank (same_day_first, d).
        if len(found) >= count and rank(found[count - 1])[:2] < (same_day_first, min(further)):
            break
    if earlier_than is not None or later_than is not None:
        # the nearest on the side asked, from a wider search; that side ignored if none is free
        wider = alternatives(
            profile,
            busy,
            start,
            service,
            now=now,
            count=count * 4,
            ignore_booking=ignore_booking,
            same_day_first=same_day_first,
            exclude=exclude,
        )
        sided = [
            slot
            for slot in sorted(wider, key=rank)
            if (earlier_than is None or slot < earlier_than)
            and (later_than is None or slot > later_than)
        ]
        if sided:
            return sorted(sided[:count])
    return sorted(found[:count])


def next_open_day(profile: BusinessProfile, after: date) -> date | None:
    """The first local date strictly after ``after`` with opening hours (not a weekly closing
    day, holiday or closure), looking ``OPEN_DAY_LOOKAHEAD`` days ahead; None if there is none."""
    for offset in range(1, OPEN_DAY_LOOKAHEAD + 1):
        day = after + timedelta(days=offset)
        if profile.intervals_on(day):
            return day
    return None


def describe_reason(check: SlotCheck, profile: BusinessProfile) -> str:
    """Why a slot is not free, as a short customer-facing fragment ("we're closed on Sundays",
    "that time is fully booked"), to put after "Sorry, ..."; "that time is free" when free."""
    match check.reason:
        case None:
            return "that time is free"
        case "past":
            return "that time has already passed"
        case "too_soon":
            return f"we need at least {_notice_text(profile.min_notice_minutes)} notice"
        case "beyond_horizon":
            days = profile.horizon_days
            return f"we only take bookings up to {days} day{'s' if days != 1 else ''} ahead"
        case "holiday":
            if check.holiday_name and check.holiday_name != "closed":
                return f"we're closed on {check.holiday_name}"
            return "we're closed that day"
        case "closed_day":
            if check.day is None:
                return "we're closed that day"
            return f"we're closed on {_DAY_NAMES[WEEKDAYS[check.day.weekday()]]}"
        case "outside_hours":
            if check.runs_past is not None and check.service_name and check.duration_minutes:
                return (
                    f"{_article(check.service_name)} {check.service_name} takes "
                    f"{check.duration_minutes} minutes and we close at "
                    f"{check.runs_past:%H:%M}"
                )
            if check.closed_from is not None and check.open_again is not None:
                # "wednesday at 1pm": the midday closing, said as such
                return f"we're closed from {check.closed_from:%H:%M} to {check.open_again:%H:%M}"
            if check.open_again is not None:
                return f"we open at {check.open_again:%H:%M} that day"
            if check.closed_from is not None:
                return f"we close at {check.closed_from:%H:%M} that day"
            return "that's outside our opening hours"
        case "off_grid":
            step = profile.slot_minutes
            if step % 60 == 0:
                return "appointments start on the hour"
            return f"appointments start every {step} minutes"
        case "full":
            return "that time is fully booked"


# -- helpers ---------------------------------------------------------------------------------------


def _article(name: str) -> str:
    """ "a" or "an" before a service's name (by its first letter, enough for these names)."""
    return "an" if name[:1].lower() in "aeiou" else "a"


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _wall_minutes(moment: datetime, profile: BusinessProfile) -> int:
    local = moment.astimezone(profile.zone)
    return local.hour * 60 + local.minute


def _on_grid(start: datetime, profile: BusinessProfile) -> bool:
    local = start.astimezone(profile.zone)
    return (
        local.second == 0
        and local.microsecond == 0
        and _wall_minutes(start, profile) % profile.slot_minutes == 0
    )


def _round_to_grid(start: datetime, profile: BusinessProfile) -> datetime:
    """``start`` moved to the nearest grid point by wall clock (half-way rounds up), in UTC."""
    step = profile.slot_minutes
    local = start.astimezone(profile.zone)
    into = timedelta(
        minutes=_wall_minutes(start, profile) % step,
        seconds=local.second,
        microseconds=local.microsecond,
    )
    floor = start - into
    return floor + timedelta(minutes=step) if into * 2 >= timedelta(minutes=step) else floor


def _grid_starts(profile: BusinessProfile, day: date) -> list[datetime]:
    """Grid wall times inside the opening intervals of ``day``, as UTC instants: both instants of
    a wall time repeated by fall-back, none for one skipped by spring-forward. A superset of the
    free starts (the service's length, notice and capacity are checked by ``check_slot``)."""
    zone = profile.zone
    step = profile.slot_minutes
    starts: set[datetime] = set()
    for opens, closes in profile.intervals_on(day):
        first = -(-(opens.hour * 60 + opens.minute) // step) * step
        for wall in range(first, closes.hour * 60 + closes.minute, step):
            clock = time(wall // 60, wall % 60)
            for fold in (0, 1):
                local = datetime.combine(day, clock, tzinfo=zone).replace(fold=fold)
                instant = local.astimezone(UTC)
                back = instant.astimezone(zone)
                if back.date() == day and back.time() == clock:
                    starts.add(instant)
    return sorted(starts)


def _distance_to_day(anchor: datetime, day: date, profile: BusinessProfile) -> timedelta:
    """The least time distance from ``anchor`` to any instant of local date ``day``."""
    zone = profile.zone
    begins = datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone).astimezone(UTC)
    if anchor < begins:
        return begins - anchor
    if anchor >= ends:
        return anchor - ends
    return timedelta(0)


def _notice_text(total: int) -> str:
    """60 → "1 hour's", 90 → "1 hour and 30 minutes'", 30 → "30 minutes'"."""
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not parts:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    last = parts[-1]
    possessive = f"{last}'" if last.endswith("s") else f"{last}'s"
    return " and ".join([*parts[:-1], possessive])
