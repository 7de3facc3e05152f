"""Questions about the business read as asked: whether the clinic is open at this moment (from
business/profile.yaml: weekdays 08:30-12:30 and 14:00-19:00, Saturday 09:00-13:00, closed on
Sunday and French public holidays), a price asked with "remind me", a card that pays for
nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from switchboard.business import load_profile
from switchboard.understanding import answers
from tests.providers.test_local_agent_everyday import decide

PROFILE = load_profile()
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 12, 7, 9, 0), "Yes, we're open now, until 12:30."),
        (datetime(2026, 12, 7, 13, 0), "We're closed right now; we open again today at 14:00."),
        (
            datetime(2026, 12, 12, 15, 0),  # Saturday afternoon: Monday next
            "We're closed right now; we open again on Monday 14 December at 08:30.",
        ),
        (
            datetime(2026, 12, 24, 20, 0),  # Christmas Eve's evening: Christmas Day is closed
            "We're closed right now; we open again on Saturday 26 December at 09:00.",
        ),
    ],
)
def test_open_now_says_until_when_or_when_next(moment: datetime, said: str) -> None:
    assert answers.open_now(PROFILE, moment.replace(tzinfo=PARIS)) == said


@pytest.mark.parametrize("message", ["are you open now?", "are you still open", "open yet?"])
async def test_open_now_asked_is_answered_for_this_moment(message: str) -> None:
    decision = await decide(message)  # Monday 7 December, 09:00

    assert decision.reply == "Yes, we're open now, until 12:30."


async def test_a_booster_due_on_a_date_with_its_price_asked_books_that_date() -> None:
    decision = await decide(
        "Good morning! Bella is due her booster, the card says 15th December. Can we come that "
        "day, ideally in the morning? Also can you remind me how much it is?"
    )

    # "the card" pays for nothing, "remind me how much" asks a price, not the bookings
    assert decision.reply.startswith("A vaccination is €55 (15 minutes). What time on Tuesday 15")
    assert "cash" not in decision.reply


@pytest.mark.parametrize("message", ["can i pay by card", "do you take cards?", "card or cash?"])
async def test_paying_by_card_is_still_answered(message: str) -> None:
    decision = await decide(message)

    assert "cards, cash and contactless" in decision.reply
