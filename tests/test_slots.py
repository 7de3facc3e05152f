"""Reading and saying slots in the customer's zone, relative to a fixed ``now``.

``NOW`` is Saturday 21 November 2026, 09:00 UTC = 10:00 in Paris (CET, UTC+1), so "Tuesday at
10 am" is 24 November 10:00 Paris = 09:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from switchboard.slots import format_slot, parse_slot

PARIS = "Europe/Paris"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def parse(text: str, now: datetime = NOW, tz: str = PARIS) -> datetime | None:
    return parse_slot(text, now_utc=now, timezone=tz)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am",
        "Hi, I'd like to welcome an appointment for my cat on Tuesday at 10 am.",
        "Tuesday at 10 a.m.",
        "Tuesday at 10 A.M.",
        "tuesday at 10am",
        "Tuesday, at 10:00.",
        "On Tuesday. At 10 a.m.",  # Whisper splits sentences; dateparser would split the span
        "Tuesday at 10.",
        "Tuesday at ten.",
        "Tuesday at ten o'clock",
        "Tuesday at 10 o'clock",
        "Tuesday morning at 10",
        "um, could I come in on Tuesday, at 10 am, please?",
        "next Tuesday at 10am",
        "24 November at 10:00",
        "on the 24th at 10",
    ],
)
def test_reads_tuesday_at_ten_in_many_phrasings(text: str) -> None:
    assert parse(text) == TUESDAY_10


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("tomorrow at 9", datetime(2026, 11, 22, 8, 0, tzinfo=UTC)),
        ("Tuesday at 10.30 am", datetime(2026, 11, 24, 9, 30, tzinfo=UTC)),
        ("Tuesday at half past ten", datetime(2026, 11, 24, 9, 30, tzinfo=UTC)),
        ("Tuesday at 3 p.m.", datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),
        # A bare 1-7 o'clock is an afternoon visit, not 3 in the morning.
        ("Tuesday at 3", datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),
        ("Tuesday at noon", datetime(2026, 11, 24, 11, 0, tzinfo=UTC)),
        ("today at 3 pm", datetime(2026, 11, 21, 14, 0, tzinfo=UTC)),
    ],
)
def test_reads_other_times(text: str, expected_utc: datetime) -> None:
    assert parse(text) == expected_utc


def test_bare_weekday_equal_to_today_means_next_week() -> None:
    # NOW is a Saturday at 10:00 local; 11:00 today is still ahead, but "Saturday" means next one.
    assert parse("Saturday at 11am") == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_slot_across_the_dst_change_uses_that_days_offset() -> None:
    # Paris leaves summer time on Sunday 25 October 2026: Friday is UTC+2, Monday is UTC+1.
    friday = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
    assert parse("Monday at 10am", now=friday) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert parse("Saturday at 10am", now=friday) == datetime(2026, 10, 24, 8, 0, tzinfo=UTC)


def test_time_that_a_dst_change_skips_is_not_a_slot() -> None:
    # 02:30 on Sunday 28 March 2027 does not exist in Paris (clocks jump from 02:00 to 03:00).
    assert parse("Sunday at 2:30 am", now=datetime(2027, 3, 26, 9, 0, tzinfo=UTC)) is None


def test_uses_the_customers_zone() -> None:
    assert parse("Tuesday at 10am", tz="America/New_York") == datetime(
        2026, 11, 24, 15, 0, tzinfo=UTC
    )


def test_past_time_today_is_not_a_slot() -> None:
    assert parse("today at 8 am") is None


@pytest.mark.parametrize(
    "text",
    [
        "Tuesday",  # a day but no time
        "Tuesday morning",
        "next week",
        "at 10 am",  # a time but no day
        "I may call later",
        "on my way",
        "not now",
        "in a second",
        "I sat at 10am",  # "sat" is not Saturday
        "at one point I thought so",
        "on the 3rd at 10",  # dateparser reads "3rd" as March; refused rather than misread
        "Monday the 24th at 10am",  # 24 November 2026 is a Tuesday: contradictory, refused
        "Tuesday at 25:00",
        "yes",
        "",
    ],
)
def test_text_without_a_clear_day_and_time_is_not_a_slot(text: str) -> None:
    assert parse(text) is None


def test_parse_refuses_naive_now() -> None:
    with pytest.raises(ValueError):
        parse_slot("Tuesday at 10am", now_utc=datetime(2026, 11, 21, 9), timezone=PARIS)


def test_format_slot_in_customer_zone() -> None:
    assert format_slot(TUESDAY_10, PARIS) == "Tuesday 24 November at 10:00"
    assert format_slot(TUESDAY_10, "America/New_York") == "Tuesday 24 November at 04:00"


def test_format_slot_converts_any_offset() -> None:
    plus_two = TUESDAY_10.astimezone(timezone(timedelta(hours=2)))
    assert format_slot(plus_two, PARIS) == "Tuesday 24 November at 10:00"


def test_format_slot_refuses_naive() -> None:
    with pytest.raises(ValueError):
        format_slot(datetime(2026, 11, 24, 9, 0), PARIS)
