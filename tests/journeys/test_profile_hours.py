"""A journey's business hours by default are the business profile's: breaks, a short Saturday,
public holidays and closures, on the business's clock (switchboard/business.py
``journey_hours``; switchboard/business_calendar.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from switchboard.business import load_profile
from switchboard.business_calendar import BusinessHours, is_open, next_open, send_time
from switchboard.journeys.loader import load_file

PARIS = ZoneInfo("Europe/Paris")
HOURS = load_profile().journey_hours(2026)


def paris(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=PARIS)


def test_the_lunch_break_is_closed_and_the_afternoon_opens_at_two() -> None:
    # Thursday 3 December 2026: 08:30-12:30 and 14:00-19:00 in the profile.
    assert is_open(paris(2026, 12, 3, 12, 0), "Europe/Paris", HOURS)
    assert not is_open(paris(2026, 12, 3, 13, 0), "Europe/Paris", HOURS)
    assert next_open(paris(2026, 12, 3, 13, 0), "Europe/Paris", HOURS) == paris(2026, 12, 3, 14)


def test_saturday_morning_is_open_and_sunday_is_not() -> None:
    assert is_open(paris(2026, 12, 5, 10), "Europe/Paris", HOURS)
    assert next_open(paris(2026, 12, 5, 13, 30), "Europe/Paris", HOURS) == paris(2026, 12, 7, 8, 30)


def test_a_public_holiday_from_the_holidays_library_is_closed() -> None:
    # Christmas Day 2026 is a Friday; the clinic reopens on Saturday 26th at 09:00.
    assert not is_open(paris(2026, 12, 25, 10), "Europe/Paris", HOURS)
    assert next_open(paris(2026, 12, 24, 19, 30), "Europe/Paris", HOURS) == paris(2026, 12, 26, 9)
    # The years after the first are covered too: 14 July 2027 is a Wednesday.
    assert not is_open(paris(2027, 7, 14, 10), "Europe/Paris", HOURS)


def test_the_hours_are_on_the_business_clock_whatever_the_customers_zone() -> None:
    # 08:45 in Paris is 07:45 in London: the clinic is open, so a call may be placed.
    at = paris(2026, 12, 3, 8, 45)
    assert is_open(at, "Europe/London", HOURS)
    assert send_time(at, "Europe/London", quiet=None, hours=HOURS) == at.astimezone(UTC)
    # Written-out hours with no zone stay in the customer's: 09:00 London is 10:00 Paris.
    plain = BusinessHours(days=("thu",), open=time(9), close=time(18))
    assert not is_open(at, "Europe/London", plain)
    assert next_open(at, "Europe/London", plain) == paris(2026, 12, 3, 10).astimezone(UTC)


def test_a_journey_without_hours_takes_the_profiles_and_one_with_hours_keeps_its_own(
    tmp_path: Path,
) -> None:
    source = (Path(__file__).parents[2] / "journeys" / "draft-followup.yaml").read_text()
    (tmp_path / "draft-followup.yaml").write_text(source)
    default = load_file(tmp_path / "draft-followup.yaml")
    hours = default.policies.business_hours
    assert hours.from_profile and hours.timezone == "Europe/Paris"
    assert date(datetime.now(UTC).year, 12, 25) in hours.holidays  # this year's, and on
    own = source.replace(
        "policies:\n",
        'policies:\n  business_hours: {days: [mon, tue], open: "10:00", close: "16:00"}\n',
    )
    (tmp_path / "draft-followup.yaml").write_text(own)
    written = load_file(tmp_path / "draft-followup.yaml").policies.business_hours
    assert not written.from_profile and written.days == ("mon", "tue")
    assert written.windows is None and written.timezone is None
