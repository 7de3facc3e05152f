"""Availability as a customer notices it: closed days, holidays, the lunch break, a full slot,
notice and horizon, moving a booking, and DST days in Paris.

``NOW`` is Wednesday 18 November 2026, 08:00 UTC = 09:00 in Paris (CET, UTC+1). The small
profile is open Monday to Friday 08:30-12:30 and 14:00-19:00, Saturday 09:00-12:00, closed on
Sunday and on French public holidays; 15-minute grid, 2 appointments in parallel, 1 hour's
notice, 90 days ahead.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from switchboard.availability import (
    Busy,
    SlotCheck,
    alternatives,
    check_slot,
    describe_reason,
    free_slots_on,
    next_open_day,
)
from switchboard.business import BusinessProfile, load_profile

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
WEEKDAY_HOURS = ["08:30-12:30", "14:00-19:00"]


def make_profile(**overrides: Any) -> BusinessProfile:
    data: dict[str, Any] = {
        "name": "Test Clinic",
        "address": "1 rue du Test, Paris",
        "timezone": "Europe/Paris",
        "hours": {
            "mon": WEEKDAY_HOURS,
            "tue": WEEKDAY_HOURS,
            "wed": WEEKDAY_HOURS,
            "thu": WEEKDAY_HOURS,
            "fri": WEEKDAY_HOURS,
            "sat": ["09:00-12:00"],
            "sun": [],
        },
        "holidays": {"country": "FR"},
        "slot_minutes": 15,
        "capacity": 2,
        "min_notice_minutes": 60,
        "horizon_days": 90,
        "services": [
            {"key": "consultation", "name": "consultation", "duration_minutes": 30, "price": "€45"},
            {"key": "dental", "name": "dental cleaning", "duration_minutes": 60, "price": "€120"},
        ],
        "default_service": "consultation",
    }
    data.update(overrides)
    return BusinessProfile.model_validate(data)


PROFILE = make_profile()
CONSULT = PROFILE.service("consultation")


def paris(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A Paris wall time as a UTC instant."""
    return datetime(y, m, d, hh, mm, tzinfo=PARIS).astimezone(UTC)


def booked(booking_id: str, start: datetime, minutes: int = 30) -> Busy:
    return Busy(booking_id=booking_id, start=start, end=start + timedelta(minutes=minutes))


def check(start: datetime, busy: list[Busy] | None = None, **kw: Any) -> SlotCheck:
    profile = kw.pop("profile", PROFILE)
    return check_slot(profile, busy or [], start, CONSULT, now=kw.pop("now", NOW), **kw)


def alts(start: datetime, busy: list[Busy] | None = None, **kw: Any) -> list[datetime]:
    profile = kw.pop("profile", PROFILE)
    service = kw.pop("service", CONSULT)
    return alternatives(profile, busy or [], start, service, now=kw.pop("now", NOW), **kw)


# -- closed days and holidays -------------------------------------------------------------------


def test_sunday_is_a_closed_day_and_an_afternoon_request_gets_monday_afternoon() -> None:
    sunday_4pm = paris(2026, 11, 22, 16)
    result = check(sunday_4pm)
    assert result == SlotCheck(free=False, reason="closed_day", day=date(2026, 11, 22))
    assert describe_reason(result, PROFILE) == "we're closed on Sundays"
    # A day away either side; Saturday closes at 12:00 in this profile, so Monday near 16:00
    # (not Monday 08:30, nearer in hours but not the time of day asked for).
    assert alts(sunday_4pm) == [
        paris(2026, 11, 23, 15, 45),
        paris(2026, 11, 23, 16),
        paris(2026, 11, 23, 16, 15),
    ]


def test_sunday_morning_request_gets_that_time_on_saturday_and_monday() -> None:
    # 09:00 either side first; then the slots a quarter away (ties: the earlier)
    assert alts(paris(2026, 11, 22, 9)) == [
        paris(2026, 11, 21, 9),
        paris(2026, 11, 21, 9, 15),
        paris(2026, 11, 23, 9),
    ]


def test_christmas_day_is_a_holiday_with_its_name() -> None:
    christmas = paris(2026, 12, 25, 10)  # a Friday
    result = check(christmas)
    assert (result.free, result.reason, result.holiday_name) == (False, "holiday", "Christmas Day")
    assert describe_reason(result, PROFILE) == "we're closed on Christmas Day"
    assert free_slots_on(PROFILE, [], date(2026, 12, 25), CONSULT, now=NOW) == []
    # The morning asked for, on the open days either side (not Thursday 24th's evening, which
    # is nearer in hours)
    assert alts(christmas) == [
        paris(2026, 12, 24, 9, 45),
        paris(2026, 12, 24, 10),
        paris(2026, 12, 26, 10),
    ]


def test_own_closure_counts_as_a_holiday() -> None:
    profile = make_profile(closed=[date(2026, 11, 27)])
    result = check(paris(2026, 11, 27, 10), profile=profile)
    assert (result.reason, result.holiday_name) == ("holiday", "closed")
    assert describe_reason(result, profile) == "we're closed that day"


def test_holiday_is_reported_before_closed_day() -> None:
    # 1 November 2026 (All Saints' Day) is a Sunday.
    assert check(paris(2026, 11, 1, 10), now=paris(2026, 10, 20, 9)).reason == "holiday"


# -- opening hours and grid ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hh", "mm", "reason"),
    [
        (8, 30, None),  # opening
        (12, 0, None),  # ends at 12:30, the start of the lunch break
        (12, 15, "outside_hours"),  # would run into the lunch break
        (13, 0, "outside_hours"),
        (14, 0, None),
        (18, 30, None),  # ends at closing time
        (18, 45, "outside_hours"),
        (8, 0, "outside_hours"),
        (10, 10, "off_grid"),
    ],
)
def test_lunch_break_and_opening_hours(hh: int, mm: int, reason: str | None) -> None:
    result = check(paris(2026, 11, 23, hh, mm))
    assert (result.free, result.reason) == (reason is None, reason)


@pytest.mark.parametrize(
    ("hh", "mm", "said"),
    [
        (13, 0, "we're closed from 12:30 to 14:00"),  # the midday closing, named
        (12, 30, "we're closed from 12:30 to 14:00"),
        (7, 30, "we open at 08:30 that day"),
        (19, 30, "we close at 19:00 that day"),
    ],
)
def test_a_time_outside_the_hours_says_when_they_are(hh: int, mm: int, said: str) -> None:
    assert describe_reason(check(paris(2026, 11, 23, hh, mm)), PROFILE) == said


def test_a_long_service_must_fit_before_the_lunch_break() -> None:
    dental = PROFILE.service("dental")
    monday = date(2026, 11, 23)
    starts = free_slots_on(PROFILE, [], monday, dental, now=NOW)
    assert paris(2026, 11, 23, 11, 30) in starts
    assert paris(2026, 11, 23, 11, 45) not in starts
    assert starts[-1] == paris(2026, 11, 23, 18)
    assert len(starts) == 13 + 17  # 08:30..11:30 and 14:00..18:00


def test_off_grid_request_rounds_to_the_grid_for_alternatives() -> None:
    assert describe_reason(check(paris(2026, 11, 23, 10, 10)), PROFILE) == (
        "appointments start every 15 minutes"
    )
    assert alts(paris(2026, 11, 23, 10, 10)) == [
        paris(2026, 11, 23, 10),
        paris(2026, 11, 23, 10, 15),
        paris(2026, 11, 23, 10, 30),
    ]
    assert alts(paris(2026, 11, 23, 10, 5)) == [
        paris(2026, 11, 23, 9, 45),
        paris(2026, 11, 23, 10),
        paris(2026, 11, 23, 10, 15),
    ]


# -- capacity and moving a booking --------------------------------------------------------------


def test_capacity_two_one_booking_still_leaves_room() -> None:
    assert check(paris(2026, 11, 23, 10), [booked("a", paris(2026, 11, 23, 10))]).free


def test_two_overlapping_bookings_make_the_slot_full_and_alternatives_skip_it() -> None:
    ten = paris(2026, 11, 23, 10)
    busy = [booked("a", ten), booked("b", ten)]
    result = check(ten, busy)
    assert (result.free, result.reason) == (False, "full")
    assert describe_reason(result, PROFILE) == "that time is fully booked"
    # 09:45 and 10:15 also overlap both bookings; 09:30 and 10:30 are free, then 09:15 (ties
    # go to the earlier slot).
    assert check(paris(2026, 11, 23, 9, 45), busy).reason == "full"
    assert check(paris(2026, 11, 23, 10, 15), busy).reason == "full"
    found = alts(ten, busy)
    assert found == [
        paris(2026, 11, 23, 9, 15),
        paris(2026, 11, 23, 9, 30),
        paris(2026, 11, 23, 10, 30),
    ]
    assert ten not in found


def test_ignore_booking_lets_a_booking_move_to_an_overlapping_slot() -> None:
    busy = [booked("mine", paris(2026, 11, 23, 10)), booked("other", paris(2026, 11, 23, 10))]
    quarter_past = paris(2026, 11, 23, 10, 15)
    assert check(quarter_past, busy).reason == "full"
    assert check(quarter_past, busy, ignore_booking="mine").free
    assert quarter_past in alts(quarter_past, busy, ignore_booking="mine")
    assert quarter_past in free_slots_on(
        PROFILE, busy, date(2026, 11, 23), CONSULT, now=NOW, ignore_booking="mine"
    )


def test_a_booking_moved_is_never_offered_its_own_time() -> None:
    mine = paris(2026, 11, 23, 14)
    busy = [booked("mine", mine)]
    asked = paris(2026, 11, 23, 13, 30)  # the lunch break
    assert mine in alts(asked, busy, ignore_booking="mine")
    offered = alts(asked, busy, ignore_booking="mine", exclude=frozenset({mine}))
    assert len(offered) == 3 and mine not in offered


def test_earlier_than_offers_the_nearest_times_before_that_moment() -> None:
    """ "can it be a bit earlier, like 1.30?" of a 14:00 booking: the morning's last times, not
    14:15 and 14:30, which are nearer to 13:30 but later than the booking."""
    mine = paris(2026, 11, 23, 14)
    busy = [booked("mine", mine)]
    offered = alts(
        paris(2026, 11, 23, 13, 30),
        busy,
        ignore_booking="mine",
        exclude=frozenset({mine}),
        earlier_than=mine,
    )
    assert offered and all(slot < mine for slot in offered)
    assert paris(2026, 11, 23, 12) in offered  # the last start ending by the 12:30 break


def test_a_side_with_nothing_free_is_ignored() -> None:
    first = paris(2026, 11, 23, 8, 30)  # the day's opening
    offered = alts(first, earlier_than=paris(2026, 11, 16, 9))  # before now: none
    assert len(offered) == 3


def test_same_day_first_prefers_the_requested_day_over_a_nearer_next_morning() -> None:
    late = {day: ["08:00-23:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    profile = make_profile(hours=late, holidays=None)
    # Monday is full from 08:30 to 23:00: only 08:00 is left that day.
    rest = paris(2026, 11, 23, 8, 30)
    busy = [Busy(booking_id=b, start=rest, end=paris(2026, 11, 23, 23)) for b in ("a", "b")]
    request = paris(2026, 11, 23, 22, 30)
    assert alts(request, busy, profile=profile) == [
        paris(2026, 11, 23, 8),
        paris(2026, 11, 24, 8),
        paris(2026, 11, 24, 8, 15),
    ]
    assert alts(request, busy, profile=profile, same_day_first=False) == [
        paris(2026, 11, 24, 8),
        paris(2026, 11, 24, 8, 15),
        paris(2026, 11, 24, 8, 30),
    ]


# -- notice and horizon -------------------------------------------------------------------------


def test_past_too_soon_and_beyond_horizon() -> None:
    past = check(paris(2026, 11, 18, 8, 45))  # now is 09:00 Paris
    assert past.reason == "past"
    assert describe_reason(past, PROFILE) == "that time has already passed"
    soon = check(paris(2026, 11, 18, 9, 30))
    assert soon.reason == "too_soon"
    assert describe_reason(soon, PROFILE) == "we need at least 1 hour's notice"
    assert check(paris(2026, 11, 18, 10)).free  # exactly one hour ahead
    far = check(paris(2027, 2, 17, 10))  # 91 days ahead, a Wednesday
    assert far.reason == "beyond_horizon"
    assert describe_reason(far, PROFILE) == "we only take bookings up to 90 days ahead"
    assert check(paris(2027, 2, 15, 10)).free  # 89 days ahead


def test_alternatives_never_offer_the_past_or_beyond_the_horizon() -> None:
    # Asked for this morning at 09:00 (already passed): the earliest bookable is 10:00 today.
    assert alts(paris(2026, 11, 18, 9)) == [
        paris(2026, 11, 18, 10),
        paris(2026, 11, 18, 10, 15),
        paris(2026, 11, 18, 10, 30),
    ]
    # Asked for a week too far: the last slots within the horizon (16 Feb, 09:00 Paris).
    found = alts(paris(2027, 2, 23, 10))
    assert found and all(check(slot).free for slot in found)
    assert max(found) <= NOW + timedelta(days=90)
    assert found == [paris(2027, 2, 16, 8, 30), paris(2027, 2, 16, 8, 45), paris(2027, 2, 16, 9)]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(60, "1 hour's"), (120, "2 hours'"), (30, "30 minutes'"), (90, "1 hour and 30 minutes'")],
)
def test_notice_is_said_in_words(minutes: int, text: str) -> None:
    profile = make_profile(min_notice_minutes=minutes)
    result = SlotCheck(free=False, reason="too_soon")
    assert describe_reason(result, profile) == f"we need at least {text} notice"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        check(datetime(2026, 11, 23, 10))
    with pytest.raises(ValueError, match="aware"):
        alts(paris(2026, 11, 23, 10), now=datetime(2026, 11, 18, 8))


# -- DST ----------------------------------------------------------------------------------------


def test_dst_change_days_give_the_right_utc_times() -> None:
    every_day = {day: ["09:00-12:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    profile = make_profile(hours=every_day, holidays=None)
    now = datetime(2026, 10, 1, tzinfo=UTC)
    # Fall back on Sunday 25 October 2026: 09:00 is 07:00 UTC on Saturday, 08:00 UTC on Sunday.
    saturday = free_slots_on(profile, [], date(2026, 10, 24), CONSULT, now=now)
    sunday = free_slots_on(profile, [], date(2026, 10, 25), CONSULT, now=now)
    assert (saturday[0], saturday[-1]) == (
        datetime(2026, 10, 24, 7, tzinfo=UTC),
        datetime(2026, 10, 24, 9, 30, tzinfo=UTC),
    )
    assert (sunday[0], sunday[-1]) == (
        datetime(2026, 10, 25, 8, tzinfo=UTC),
        datetime(2026, 10, 25, 10, 30, tzinfo=UTC),
    )
    assert len(sunday) == 11
    # Spring forward on Sunday 28 March 2027: 09:00 is 08:00 UTC on Saturday, 07:00 on Sunday.
    now = datetime(2027, 3, 1, tzinfo=UTC)
    assert free_slots_on(profile, [], date(2027, 3, 27), CONSULT, now=now)[0] == datetime(
        2027, 3, 27, 8, tzinfo=UTC
    )
    assert free_slots_on(profile, [], date(2027, 3, 28), CONSULT, now=now)[0] == datetime(
        2027, 3, 28, 7, tzinfo=UTC
    )


def test_opening_hours_spanning_the_clock_change_follow_the_wall_clock() -> None:
    nights = {day: ["01:00-04:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    profile = make_profile(hours=nights, holidays=None, slot_minutes=30)

    def utc(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
        return datetime(y, m, d, hh, mm, tzinfo=UTC)

    # Fall back: 01:00 CEST (23:00 UTC) to 04:00 CET (03:00 UTC) is four hours; 02:00 and 02:30
    # happen twice and are both slots.
    fall = free_slots_on(profile, [], date(2026, 10, 25), CONSULT, now=utc(2026, 10, 1))
    assert fall == [utc(2026, 10, 24, 23) + timedelta(minutes=30 * i) for i in range(8)]
    assert [s.astimezone(PARIS).time() for s in fall] == [
        time(1),
        time(1, 30),
        time(2),
        time(2, 30),
        time(2),
        time(2, 30),
        time(3),
        time(3, 30),
    ]
    # Spring forward: 02:00-03:00 does not exist; 01:00 CET (00:00 UTC) to 04:00 CEST (02:00 UTC).
    spring = free_slots_on(profile, [], date(2027, 3, 28), CONSULT, now=utc(2027, 3, 1))
    assert spring == [utc(2027, 3, 28, 0) + timedelta(minutes=30 * i) for i in range(4)]
    assert [s.astimezone(PARIS).time() for s in spring] == [
        time(1),
        time(1, 30),
        time(3),
        time(3, 30),
    ]


# -- next open day ------------------------------------------------------------------------------


def test_next_open_day_skips_holidays_and_closed_days() -> None:
    assert next_open_day(PROFILE, date(2026, 12, 24)) == date(2026, 12, 26)  # past Christmas
    assert next_open_day(PROFILE, date(2026, 11, 21)) == date(2026, 11, 23)  # Saturday → Monday
    assert next_open_day(PROFILE, date(2026, 11, 23)) == date(2026, 11, 24)
    assert next_open_day(make_profile(hours={}), date(2026, 11, 23)) is None


# -- the real profile ---------------------------------------------------------------------------


def test_real_profile() -> None:
    profile = load_profile()
    consultation = profile.service("consultation")
    now = datetime(2026, 12, 21, 8, tzinfo=UTC)  # Monday 21 December, 09:00 Paris

    def at(start: datetime) -> SlotCheck:
        return check_slot(profile, [], start, consultation, now=now)

    christmas = at(paris(2026, 12, 25, 10))
    assert describe_reason(christmas, profile) == "we're closed on Christmas Day"
    assert describe_reason(at(paris(2026, 12, 27, 10)), profile) == "we're closed on Sundays"
    assert at(paris(2026, 12, 22, 12, 15)).reason == "outside_hours"
    assert at(paris(2026, 12, 22, 12)).free
    assert next_open_day(profile, date(2026, 12, 24)) == date(2026, 12, 26)
    saturday = free_slots_on(profile, [], date(2026, 12, 26), consultation, now=now)
    assert (saturday[0], saturday[-1]) == (paris(2026, 12, 26, 9), paris(2026, 12, 26, 12, 30))
    found = alternatives(profile, [], paris(2026, 12, 25, 10), consultation, now=now)
    assert found and all(at(slot).free for slot in found)


# -- property: alternatives are always bookable and the nearest ----------------------------------


def test_alternatives_are_free_and_nearest_on_random_calendars() -> None:
    """A seeded random search (``hypothesis`` is not installed here): random calendars and
    requests; every alternative passes ``check_slot``, and without ``same_day_first`` they are
    the nearest free slots of a brute-force search over the same days."""
    rng = random.Random(20261118)
    profile = make_profile(capacity=1)
    for _ in range(60):
        busy = []
        for n in range(rng.randrange(0, 40)):
            start = paris(2026, 11, 18, 8) + timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 20))
            busy.append(booked(f"b{n}", start, 15 * rng.randrange(1, 12)))
        request = NOW + timedelta(minutes=rng.randrange(-3 * 24 * 60, 30 * 24 * 60))
        count = rng.randrange(1, 6)
        ignore = rng.choice([None, "b0"])
        by_mode = {
            same_day_first: alternatives(
                profile,
                busy,
                request,
                CONSULT,
                now=NOW,
                count=count,
                ignore_booking=ignore,
                same_day_first=same_day_first,
            )
            for same_day_first in (True, False)
        }
        for found in by_mode.values():
            assert found == sorted(set(found))
            assert len(found) <= count
            for slot in found:
                assert check_slot(profile, busy, slot, CONSULT, now=NOW, ignore_booking=ignore).free
        # Brute force, for a request at least a day in the future (the window is then centred on
        # the requested day): every free slot within 14 days either side, nearest first.
        requested = request.astimezone(PARIS).date()
        if requested <= date(2026, 11, 19):
            continue
        anchor = _nearest_quarter(request)
        every = [
            slot
            for offset in range(-14, 15)
            for slot in free_slots_on(
                profile,
                busy,
                requested + timedelta(days=offset),
                CONSULT,
                now=NOW,
                ignore_booking=ignore,
            )
        ]
        nearest = sorted(every, key=lambda s: (abs(s - anchor), s))[:count]
        assert by_mode[False] == sorted(nearest)


def _nearest_quarter(moment: datetime) -> datetime:
    """Paris is a whole number of hours from UTC: the quarter-hour grid is the same in UTC."""
    floor = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    into = moment - floor
    return floor + timedelta(minutes=15) if into * 2 >= timedelta(minutes=15) else floor
