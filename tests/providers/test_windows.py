"""``switchboard.understanding.windows``: the window a customer gives instead of a time, read
from normalised text (local wall-clock times)."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from switchboard.understanding.text import normalise
from switchboard.understanding.windows import Window, read_window, without_window


@pytest.mark.parametrize(
    ("said", "earliest", "end_by"),
    [
        ("any time after 2 is fine", time(14), None),
        ("she finishes at 3:30 and we're 5 mins away", time(15, 35), None),
        ("they finish at 4 and its a 10 min walk", time(16, 10), None),
        ("my break is 12 till 1:30", time(12), time(13, 30)),
        ("between 10 and 12 please", time(10), time(12)),
        ("I need to be out of there by 9:15 at the latest", None, time(9, 15)),
        ("i can't get there before 6", time(18), None),
        ("i work 9-5 mon to fri", time(17), None),
        ("I'm at work from 8 till 6 every day", time(18), None),
        ("i'm working before 10", time(10), None),
        ("before lunch then", None, time(13)),
    ],
)
def test_a_window_said_is_read(said: str, earliest: time | None, end_by: time | None) -> None:
    window = read_window(normalise(said))

    assert window is not None, said
    assert (window.earliest, window.end_by) == (earliest, end_by)


@pytest.mark.parametrize(
    "said",
    [
        "book max friday at 3",
        "my dog is 4 years old",
        "he had his jab 2 weeks ago",
        "any time wednesday works except between 12 and 2",
        "after 4 but done by 2",
    ],
)
def test_no_window_is_read_where_none_is_said(said: str) -> None:
    assert read_window(normalise(said)) is None


def test_a_visit_fits_only_if_it_is_over_by_the_end() -> None:
    window = Window(end_by=time(11))
    day = datetime(2026, 12, 12)

    assert window.fits(day.replace(hour=10, minute=15), 45)
    assert not window.fits(day.replace(hour=10, minute=30), 45)


def test_the_time_said_beside_a_window_is_left_to_read() -> None:
    text = normalise("saturday at 11, need to be home by 12.30")

    assert "by 12" not in without_window(text)
    assert "at 11" in without_window(text)
