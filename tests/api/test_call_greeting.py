"""What an inbound caller hears first: the business's own name, and outside opening hours a
closing message saying when it opens again — from the business profile, the same hours and
holidays the agent answers questions from (business/profile.yaml: Mon-Fri 08:30-12:30 and
14:00-19:00, Saturday 09:00-13:00, French public holidays)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from api.routes import twilio_voice
from switchboard.business import load_profile
from switchboard.business_calendar import BusinessHours
from switchboard.settings import Settings

PARIS = ZoneInfo("Europe/Paris")
PROFILE = load_profile()


def first_words(monkeypatch: pytest.MonkeyPatch, at: datetime, **settings: object) -> str:
    monkeypatch.setattr(twilio_voice, "utcnow", lambda: at)
    words, after_hours = twilio_voice._greeting(Settings(**settings))  # type: ignore[arg-type]
    assert after_hours == ("closed right now" in words)
    return words


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def test_a_caller_in_opening_hours_hears_the_business_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    words = first_words(monkeypatch, paris(2026, 12, 5, 10, 0))  # Saturday morning: open
    assert words == f"Hello, this is {PROFILE.name}. How can I help you today?"
    assert "Switchboard" not in words


def test_the_lunch_break_is_answered_live(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "closed" not in first_words(monkeypatch, paris(2026, 12, 7, 13, 0))  # Monday 13:00


def test_after_closing_the_caller_hears_when_the_business_opens_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saturday_afternoon = first_words(monkeypatch, paris(2026, 12, 5, 14, 0))
    assert "We're closed right now. We open again on Monday 7 December at 08:30." in (
        saturday_afternoon
    )
    assert saturday_afternoon.startswith(f"Hello, this is {PROFILE.name}.")
    assert "leave a short message after the tone" in saturday_afternoon
    friday_night = first_words(monkeypatch, paris(2026, 12, 4, 19, 0))  # closes at 19:00
    assert "We open again on Saturday 5 December at 09:00." in friday_night


def test_a_public_holiday_is_closed_on_the_phone_too(monkeypatch: pytest.MonkeyPatch) -> None:
    christmas = first_words(monkeypatch, paris(2026, 12, 25, 10, 0))  # a Friday, normally open
    assert "We open again on Saturday 26 December at 09:00." in christmas


def test_an_explicit_calendar_or_always_open_overrides_the_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sunday = paris(2026, 12, 6, 11, 0)  # the profile is closed on Sundays
    assert "closed" not in first_words(monkeypatch, sunday, business_hours=None)
    every_day = BusinessHours(
        days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"), open=time(10), close=time(12)
    )
    assert "closed" not in first_words(monkeypatch, sunday, business_hours=every_day)
    assert "closed right now" in first_words(
        monkeypatch, paris(2026, 12, 6, 12, 30), business_hours=every_day
    )
