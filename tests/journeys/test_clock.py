"""Business hours, quiet hours and local wall-clock times, at fixed UTC instants.

Calendar used below (IANA tz database): Europe/Paris is UTC+1 in winter (CET) and UTC+2 in summer
(CEST); in 2026 it springs forward on Sunday 29 March (02:00 → 03:00 local, at 01:00 UTC) and
falls back on Sunday 25 October (03:00 → 02:00 local, at 01:00 UTC). America/New_York is UTC-5
(EST) / UTC-4 (EDT); in 2026 it springs forward on Sunday 8 March (02:00 → 03:00, at 07:00 UTC)
and falls back on Sunday 1 November (02:00 → 01:00, at 06:00 UTC). 2026-11-21 is a Saturday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
import yaml

from switchboard.business_calendar import (
    BusinessHours,
    QuietHours,
    in_quiet_hours,
    is_open,
    next_local_time,
    next_open,
    quiet_hours_end,
    send_time,
)

PARIS = "Europe/Paris"
NEW_YORK = "America/New_York"
WEEKDAYS_9_TO_6 = BusinessHours(
    days=("mon", "tue", "wed", "thu", "fri"), open="09:00", close="18:00"
)
NIGHT = QuietHours(start="21:00", end="08:00")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def local(instant: datetime, tz: str) -> str:
    """The wall time of ``instant`` in ``tz`` with its offset, for readable assertions."""
    return instant.astimezone(ZoneInfo(tz)).isoformat()


# -- is_open / next_open ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 18, 7, 59, 59), False),  # Wednesday 08:59:59 Paris
        (utc(2026, 11, 18, 8, 0), True),  # 09:00 Paris: open at exactly the opening time
        (utc(2026, 11, 18, 16, 59, 59), True),  # 17:59:59 Paris
        (utc(2026, 11, 18, 17, 0), False),  # 18:00 Paris: closed at exactly the closing time
        (utc(2026, 11, 21, 10, 0), False),  # Saturday 11:00 Paris
    ],
)
def test_is_open_at_the_boundaries(now: datetime, expected: bool) -> None:
    assert is_open(now, PARIS, WEEKDAYS_9_TO_6) is expected


def test_is_open_uses_summer_time_in_summer() -> None:
    # Wednesday 15 July: 09:00-18:00 CEST is 07:00-16:00 UTC.
    assert is_open(utc(2026, 7, 15, 7, 0), PARIS, WEEKDAYS_9_TO_6)
    assert not is_open(utc(2026, 7, 15, 6, 59), PARIS, WEEKDAYS_9_TO_6)
    assert not is_open(utc(2026, 7, 15, 16, 0), PARIS, WEEKDAYS_9_TO_6)


def test_next_open_is_now_while_open() -> None:
    now = utc(2026, 11, 18, 10, 17, 3)
    assert next_open(now, PARIS, WEEKDAYS_9_TO_6) == now


def test_next_open_early_morning_is_today() -> None:
    assert next_open(utc(2026, 11, 18, 5, 0), PARIS, WEEKDAYS_9_TO_6) == utc(2026, 11, 18, 8, 0)


@pytest.mark.parametrize(
    "now",
    [
        utc(2026, 11, 20, 17, 0),  # Friday 18:00 Paris, the closing instant
        utc(2026, 11, 21, 12, 0),  # Saturday 13:00
        utc(2026, 11, 22, 22, 59, 59),  # Sunday 23:59:59
    ],
)
def test_weekend_waits_for_monday_nine_local(now: datetime) -> None:
    opens = next_open(now, PARIS, WEEKDAYS_9_TO_6)
    assert opens == utc(2026, 11, 23, 8, 0)
    assert local(opens, PARIS) == "2026-11-23T09:00:00+01:00"


def test_weekend_across_spring_forward_opens_at_the_summer_offset() -> None:
    # Friday 27 March closes at 18:00 CET (17:00 UTC); Monday 30 March opens at 09:00 CEST.
    opens = next_open(utc(2026, 3, 27, 17, 0), PARIS, WEEKDAYS_9_TO_6)
    assert opens == utc(2026, 3, 30, 7, 0)


def test_holiday_is_skipped() -> None:
    christmas = WEEKDAYS_9_TO_6.model_copy(update={"holidays": (date(2026, 12, 25),)})
    # Friday 25 December 10:00 Paris would be open but for the holiday.
    assert not is_open(utc(2026, 12, 25, 9, 0), PARIS, christmas)
    assert is_open(utc(2026, 12, 25, 9, 0), PARIS, WEEKDAYS_9_TO_6)
    # Thursday 24 December 18:30 Paris → Monday 28 December 09:00 Paris.
    assert next_open(utc(2026, 12, 24, 17, 30), PARIS, christmas) == utc(2026, 12, 28, 8, 0)


def test_opening_time_in_the_spring_forward_gap_opens_when_the_gap_ends() -> None:
    # 02:30 does not exist on Sunday 29 March in Paris; the window starts at 03:00 CEST.
    night_shift = BusinessHours(days=("sun",), open="02:30", close="05:00")
    assert next_open(utc(2026, 3, 28, 23, 0), PARIS, night_shift) == utc(2026, 3, 29, 1, 0)
    assert not is_open(utc(2026, 3, 29, 0, 59, 59), PARIS, night_shift)  # 01:59:59 CET
    assert is_open(utc(2026, 3, 29, 1, 0), PARIS, night_shift)  # 03:00 CEST


def test_a_window_swallowed_by_the_gap_is_closed_that_day() -> None:
    # 02:10-02:50 does not exist on 29 March: both ends resolve to 03:00, an empty window, so the
    # next opening is the Sunday after (02:10 CEST = 00:10 UTC).
    in_the_gap = BusinessHours(days=("sun",), open="02:10", close="02:50")
    assert next_open(utc(2026, 3, 28, 12, 0), PARIS, in_the_gap) == utc(2026, 4, 5, 0, 10)


def test_next_open_in_new_york_follows_its_own_dst_date() -> None:
    # Friday 6 March 18:00 EST is 23:00 UTC; Monday 9 March 09:00 is EDT (UTC-4) already, two
    # weeks before Paris changes.
    assert next_open(utc(2026, 3, 6, 23, 0), NEW_YORK, WEEKDAYS_9_TO_6) == utc(2026, 3, 9, 13, 0)
    # Friday 13 March, same local times, one hour earlier in UTC than the week before.
    assert next_open(utc(2026, 3, 13, 22, 0), NEW_YORK, WEEKDAYS_9_TO_6) == utc(2026, 3, 16, 13, 0)


def test_next_open_refuses_a_year_of_holidays() -> None:
    first_monday = date(2026, 1, 5)
    every_monday = tuple(first_monday + timedelta(weeks=n) for n in range(60))
    hours = BusinessHours(days=("mon",), open="09:00", close="18:00", holidays=every_monday)
    with pytest.raises(ValueError, match="no opening within 366 days"):
        next_open(utc(2026, 1, 1), PARIS, hours)


# -- quiet hours -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 18, 19, 59), False),  # 20:59 Paris
        (utc(2026, 11, 18, 20, 0), True),  # 21:00: quiet from exactly the start
        (utc(2026, 11, 18, 21, 0), True),  # 22:00
        (utc(2026, 11, 18, 23, 30), True),  # 00:30 the next day, after midnight
        (utc(2026, 11, 19, 6, 59), True),  # 07:59
        (utc(2026, 11, 19, 7, 0), False),  # 08:00: no longer quiet at exactly the end
        (utc(2026, 11, 19, 11, 0), False),  # noon
    ],
)
def test_quiet_hours_wrap_midnight(now: datetime, expected: bool) -> None:
    assert in_quiet_hours(now, PARIS, NIGHT) is expected


def test_quiet_hours_within_one_day() -> None:
    lunch = QuietHours(start="12:00", end="14:00")
    assert not in_quiet_hours(utc(2026, 11, 18, 10, 59), PARIS, lunch)
    assert in_quiet_hours(utc(2026, 11, 18, 11, 0), PARIS, lunch)
    assert not in_quiet_hours(utc(2026, 11, 18, 13, 0), PARIS, lunch)
    assert quiet_hours_end(utc(2026, 11, 18, 12, 0), PARIS, lunch) == utc(2026, 11, 18, 13, 0)


def test_quiet_hours_end_is_now_outside_quiet_hours() -> None:
    now = utc(2026, 11, 18, 15, 4, 5)
    assert quiet_hours_end(now, PARIS, NIGHT) == now


def test_quiet_hours_end_next_morning_and_same_morning() -> None:
    assert quiet_hours_end(utc(2026, 11, 18, 21, 0), PARIS, NIGHT) == utc(2026, 11, 19, 7, 0)
    assert quiet_hours_end(utc(2026, 11, 19, 6, 59), PARIS, NIGHT) == utc(2026, 11, 19, 7, 0)


def test_quiet_hours_end_across_spring_forward_night() -> None:
    # Saturday 28 March 22:00 CET (21:00 UTC); Sunday 08:00 is CEST, so 06:00 UTC, not 07:00.
    ends = quiet_hours_end(utc(2026, 3, 28, 21, 0), PARIS, NIGHT)
    assert ends == utc(2026, 3, 29, 6, 0)
    assert local(ends, PARIS) == "2026-03-29T08:00:00+02:00"


def test_quiet_hours_end_across_fall_back_night() -> None:
    # Saturday 24 October 22:00 CEST (20:00 UTC); Sunday 08:00 is CET, so 07:00 UTC.
    ends = quiet_hours_end(utc(2026, 10, 24, 20, 0), PARIS, NIGHT)
    assert ends == utc(2026, 10, 25, 7, 0)
    assert local(ends, PARIS) == "2026-10-25T08:00:00+01:00"
    # Both passes through the repeated hour 02:00-03:00 are quiet.
    assert in_quiet_hours(utc(2026, 10, 25, 0, 30), PARIS, NIGHT)  # 02:30 CEST
    assert in_quiet_hours(utc(2026, 10, 25, 1, 30), PARIS, NIGHT)  # 02:30 CET


def test_quiet_hours_end_in_new_york_fall_back() -> None:
    # Saturday 31 October 22:00 EDT (02:00 UTC on 1 November) → 08:00 EST = 13:00 UTC.
    assert quiet_hours_end(utc(2026, 11, 1, 2, 0), NEW_YORK, NIGHT) == utc(2026, 11, 1, 13, 0)


def test_quiet_end_in_the_gap_ends_when_the_gap_ends() -> None:
    # Quiet until 02:30, which does not exist on 29 March: quiet ends at 03:00 CEST.
    short_night = QuietHours(start="23:00", end="02:30")
    assert in_quiet_hours(utc(2026, 3, 29, 0, 59, 59), PARIS, short_night)  # 01:59:59 CET
    assert quiet_hours_end(utc(2026, 3, 28, 22, 0), PARIS, short_night) == utc(2026, 3, 29, 1, 0)
    assert not in_quiet_hours(utc(2026, 3, 29, 1, 0), PARIS, short_night)


def test_quiet_spans_joined_by_the_gap_end_together() -> None:
    # Quiet 02:30 to 02:15 the next day. On 29 March both Sunday's 02:15 (end of Saturday's
    # span) and 02:30 (start of Sunday's) resolve to 03:00, so the spans touch and quiet hours
    # run on until Monday 02:15 CEST.
    almost_always = QuietHours(start="02:30", end="02:15")
    assert in_quiet_hours(utc(2026, 3, 29, 1, 0), PARIS, almost_always)
    ends = quiet_hours_end(utc(2026, 3, 28, 12, 0), PARIS, almost_always)
    assert ends == utc(2026, 3, 30, 0, 15)


# -- next_local_time -------------------------------------------------------------------------


def test_tomorrow_morning_on_a_business_day_from_friday_evening_is_monday() -> None:
    friday_evening = utc(2026, 11, 20, 19, 0)  # 20:00 Paris
    at = time(9, 30)
    monday = next_local_time(friday_evening, PARIS, at, hours=WEEKDAYS_9_TO_6)
    assert monday == utc(2026, 11, 23, 8, 30)
    assert local(monday, PARIS) == "2026-11-23T09:30:00+01:00"
    # Without business hours, any day counts: Saturday.
    assert next_local_time(friday_evening, PARIS, at) == utc(2026, 11, 21, 8, 30)


def test_next_local_time_is_strictly_after_now() -> None:
    at_nine_thirty = utc(2026, 11, 18, 8, 30)  # Wednesday 09:30 Paris
    assert next_local_time(at_nine_thirty, PARIS, time(9, 30)) == utc(2026, 11, 19, 8, 30)
    just_before = at_nine_thirty - timedelta(seconds=1)
    assert next_local_time(just_before, PARIS, time(9, 30)) == at_nine_thirty


def test_next_local_time_not_before() -> None:
    monday_8 = utc(2026, 11, 23, 7, 0)  # 08:00 Paris
    assert next_local_time(monday_8, PARIS, time(9, 30)) == utc(2026, 11, 23, 8, 30)
    # At least 2 hours from now (10:00 Paris) pushes it to Tuesday.
    later = next_local_time(monday_8, PARIS, time(9, 30), not_before=timedelta(hours=2))
    assert later == utc(2026, 11, 24, 8, 30)
    # The business-day rule applies after the delay: Friday 08:00 + 2 h → Monday.
    friday_8 = utc(2026, 11, 20, 7, 0)
    assert next_local_time(
        friday_8, PARIS, time(9, 30), hours=WEEKDAYS_9_TO_6, not_before=timedelta(hours=2)
    ) == utc(2026, 11, 23, 8, 30)


def test_nonexistent_wall_time_resolves_to_the_end_of_the_gap() -> None:
    # 02:30 on 29 March does not exist in Paris; the first instant after the gap is 03:00 CEST.
    resolved = next_local_time(utc(2026, 3, 28, 12, 0), PARIS, time(2, 30))
    assert resolved == utc(2026, 3, 29, 1, 0)
    assert local(resolved, PARIS) == "2026-03-29T03:00:00+02:00"
    # The day after, 02:30 exists again (CEST).
    assert next_local_time(resolved, PARIS, time(2, 30)) == utc(2026, 3, 30, 0, 30)


def test_ambiguous_wall_time_resolves_to_its_first_occurrence() -> None:
    # 02:30 happens twice on 25 October in Paris: 00:30 UTC (CEST) and 01:30 UTC (CET).
    first = next_local_time(utc(2026, 10, 24, 12, 0), PARIS, time(2, 30))
    assert first == utc(2026, 10, 25, 0, 30)
    assert local(first, PARIS) == "2026-10-25T02:30:00+02:00"
    # Between the two occurrences the second one is not chosen: the next 02:30 is the next day's.
    between = utc(2026, 10, 25, 1, 0)  # 02:00 CET, the second pass
    assert next_local_time(between, PARIS, time(2, 30)) == utc(2026, 10, 26, 1, 30)


def test_a_fold_on_the_requested_time_is_ignored() -> None:
    second_pass = time(2, 30, fold=1)
    assert next_local_time(utc(2026, 10, 24, 12, 0), PARIS, second_pass) == utc(2026, 10, 25, 0, 30)


def test_next_local_time_in_new_york_dst() -> None:
    # Spring forward: 02:30 on 8 March does not exist; 03:00 EDT is 07:00 UTC.
    assert next_local_time(utc(2026, 3, 7, 12, 0), NEW_YORK, time(2, 30)) == utc(2026, 3, 8, 7, 0)
    # Fall back: 01:30 on 1 November happens twice; the first is 01:30 EDT, 05:30 UTC.
    assert next_local_time(utc(2026, 10, 31, 12, 0), NEW_YORK, time(1, 30)) == utc(
        2026, 11, 1, 5, 30
    )
    # 09:30 on the Monday after spring forward is EDT: 13:30 UTC (14:30 the Monday before).
    friday = utc(2026, 3, 6, 23, 0)
    assert next_local_time(friday, NEW_YORK, time(9, 30), hours=WEEKDAYS_9_TO_6) == utc(
        2026, 3, 9, 13, 30
    )


# -- send_time -------------------------------------------------------------------------------


def test_send_time_saturday_night_waits_for_monday_nine() -> None:
    saturday_23 = utc(2026, 11, 21, 22, 0)  # 23:00 Paris
    sends = send_time(saturday_23, PARIS, quiet=NIGHT, hours=WEEKDAYS_9_TO_6)
    assert sends == utc(2026, 11, 23, 8, 0)
    assert local(sends, PARIS) == "2026-11-23T09:00:00+01:00"


def test_send_time_with_one_or_no_constraint() -> None:
    wednesday_22 = utc(2026, 11, 18, 21, 0)  # 22:00 Paris
    assert send_time(wednesday_22, PARIS, quiet=None, hours=None) == wednesday_22
    assert send_time(wednesday_22, PARIS, quiet=NIGHT, hours=None) == utc(2026, 11, 19, 7, 0)
    assert send_time(wednesday_22, PARIS, quiet=None, hours=WEEKDAYS_9_TO_6) == utc(
        2026, 11, 19, 8, 0
    )
    afternoon = utc(2026, 11, 18, 14, 0)
    assert send_time(afternoon, PARIS, quiet=NIGHT, hours=WEEKDAYS_9_TO_6) == afternoon


def test_send_time_waits_for_quiet_hours_to_end_inside_business_hours() -> None:
    # Open from 07:00, but quiet until 08:00: the first allowed send is 08:00 Paris.
    early = BusinessHours(open="07:00", close="18:00")
    wednesday_7 = utc(2026, 11, 18, 6, 0)
    assert send_time(wednesday_7, PARIS, quiet=NIGHT, hours=early) == utc(2026, 11, 18, 7, 0)


def test_send_time_refuses_business_hours_inside_quiet_hours() -> None:
    late = BusinessHours(open="22:00", close="23:00")
    with pytest.raises(ValueError, match="no send allowed"):
        send_time(utc(2026, 11, 18, 12, 0), PARIS, quiet=NIGHT, hours=late)


def _allowed(instant: datetime, tz: str, quiet: QuietHours, hours: BusinessHours | None) -> bool:
    return not in_quiet_hours(instant, tz, quiet) and (hours is None or is_open(instant, tz, hours))


# Sweep (in place of a hypothesis property; hypothesis is not installed): every 47 minutes
# through the DST weeks of both zones, with quiet hours that touch the gap and the overlap.
SWEEP_CONFIGS = [
    (NIGHT, WEEKDAYS_9_TO_6),
    (NIGHT, None),
    (QuietHours(start="01:30", end="02:30"), None),
    (QuietHours(start="02:30", end="02:15"), BusinessHours(days=("sat", "sun"), open="02:00")),
    (QuietHours(start="22:00", end="07:00"), BusinessHours(open="07:00", close="09:00")),
]
SWEEP_WEEKS = {
    PARIS: [utc(2026, 3, 25), utc(2026, 10, 21)],
    NEW_YORK: [utc(2026, 3, 4, 5), utc(2026, 10, 28, 5)],
}


@pytest.mark.parametrize("tz", [PARIS, NEW_YORK])
@pytest.mark.parametrize(("quiet", "hours"), SWEEP_CONFIGS)
def test_send_time_is_never_before_now_nor_in_quiet_hours(
    tz: str, quiet: QuietHours, hours: BusinessHours | None
) -> None:
    for week_start in SWEEP_WEEKS[tz]:
        for step in range(0, 7 * 24 * 60, 47):
            now = week_start + timedelta(minutes=step, seconds=step % 60)
            sends = send_time(now, tz, quiet=quiet, hours=hours)
            assert sends >= now
            assert sends.tzinfo is UTC
            assert _allowed(sends, tz, quiet, hours), (now, sends)
            # Earliest: either now, or the start of an allowed stretch.
            assert sends == now or not _allowed(sends - timedelta(seconds=1), tz, quiet, hours)


@pytest.mark.parametrize("tz", [PARIS, NEW_YORK])
def test_send_time_is_the_earliest_allowed_minute(tz: str) -> None:
    # Brute force on a coarser grid: no allowed instant at any whole minute between now and the
    # answer.
    for week_start in SWEEP_WEEKS[tz]:
        for step in range(0, 7 * 24 * 60, 6 * 60 + 7):
            now = week_start + timedelta(minutes=step)
            sends = send_time(now, tz, quiet=NIGHT, hours=WEEKDAYS_9_TO_6)
            probe = now
            while probe < sends:
                assert not _allowed(probe, tz, NIGHT, WEEKDAYS_9_TO_6), (now, probe, sends)
                probe += timedelta(minutes=1)


# -- configuration and argument errors -------------------------------------------------------


def test_models_parse_from_yaml() -> None:
    document = yaml.safe_load(
        """
        business_hours:
          days: [mon, tue, wed, thu, fri]
          open: "09:00"
          close: "18:00"
          holidays: [2026-12-25, 2027-01-01]
        quiet_hours: {start: "21:00", end: "08:00"}
        """
    )
    hours = BusinessHours.model_validate(document["business_hours"])
    assert hours == BusinessHours(
        open=time(9, 0), close=time(18, 0), holidays=(date(2026, 12, 25), date(2027, 1, 1))
    )
    assert QuietHours.model_validate(document["quiet_hours"]) == NIGHT


def test_unquoted_yaml_times_are_refused_not_read_as_minutes() -> None:
    # YAML 1.1 reads 18:00 as 18 * 60 = 1080, which pydantic alone would take as 00:18:00.
    document = yaml.safe_load("open: '09:00'\nclose: 18:00")
    assert document["close"] == 1080
    with pytest.raises(ValueError, match="quote times"):
        BusinessHours.model_validate(document)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"days": []}, "at least one weekday"),
        ({"days": ["mon", "mon"]}, "repeats a weekday"),
        ({"days": ["Mon"]}, "'mon'"),
        ({"open": "18:00", "close": "09:00"}, "must be after open"),
        ({"open": "09:00", "close": "09:00"}, "must be after open"),
        ({"open": "09:00Z"}, "without a UTC offset"),
        ({"weekends": True}, "Extra inputs are not permitted"),
    ],
)
def test_business_hours_validation(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessHours.model_validate(fields)


def test_quiet_hours_must_not_start_and_end_together() -> None:
    with pytest.raises(ValueError, match="unclear whether quiet hours"):
        QuietHours(start="21:00", end="21:00")


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        is_open(datetime(2026, 11, 18, 10, 0), PARIS, WEEKDAYS_9_TO_6)


def test_aware_non_utc_now_is_accepted_and_answers_are_utc() -> None:
    paris_ten = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo(PARIS))
    assert next_open(paris_ten, PARIS, WEEKDAYS_9_TO_6) == utc(2026, 11, 18, 9, 0)
    assert next_open(paris_ten, PARIS, WEEKDAYS_9_TO_6).tzinfo is UTC


def test_next_local_time_argument_errors() -> None:
    now = utc(2026, 11, 18, 12, 0)
    with pytest.raises(ValueError, match="naive local time"):
        next_local_time(now, PARIS, time(9, 30, tzinfo=UTC))
    with pytest.raises(ValueError, match="not_before must not be negative"):
        next_local_time(now, PARIS, time(9, 30), not_before=timedelta(minutes=-1))


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        is_open(utc(2026, 11, 18, 12, 0), "Europe/Atlantis", WEEKDAYS_9_TO_6)
