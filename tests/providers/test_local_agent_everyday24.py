"""The local agent on the twenty-fourth held-out set (issue 9, evals/scenarios/everyday24.yaml):
dates said the British way ("a fortnight tomorrow"), a month said apart from its weekday ("early
next month? The first Tuesday"), an hour turned down for another ("11 rather than 10"), and a
move still being arranged after a question answered in between. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, PARIS, at, booked, decide, proposed


def _on(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(
        at(7, 0).tzinfo
    )


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("could we book maple in for a check-up a fortnight tomorrow at 4?", at(22, 16)),
        ("can maple come in a week tomorrow at 10 please", at(15, 10)),
        (
            "Would it be possible to book Maple's annual booster for early next month? The first "
            "Tuesday, ideally 10:30 in the morning",
            _on(date(2027, 1, 5), 10, 30),
        ),
    ],
)
async def test_days_counted_the_british_way_and_a_month_said_apart(
    message: str, slot: datetime
) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Maple", slot)], decision.reply


async def test_an_hour_turned_down_for_another_is_not_the_time() -> None:
    pending = PendingAction(
        id="act-1",
        kind="book",
        slot_start=at(10, 10),
        subject="Pepper",
        expires_at=NOW + timedelta(minutes=10),
    )

    decision = await decide(
        "no wait sorry, my partner's got the car thursday. wednesday after all, but 11 rather "
        "than 10 if that's free",
        pending=pending,
    )

    assert proposed(decision) == [("Pepper", at(9, 11))]


async def test_a_move_in_hand_survives_a_question_answered_in_between() -> None:
    sky = booked("Sky", at(10, 11))
    history = [
        "hi, I need to move Sky's appointment please",
        "Sure. When would you like to move the appointment for Sky on Thursday 10 December at "
        "11:00 to?",
        "next week if possible, an afternoon",
    ]
    asked = await decide(history[-1], bookings=[sky], history=history[:-1])
    assert asked.reply.startswith("What time on Monday 14 December would you like the appointment")

    history += [asked.reply, "will I be charged for moving it?"]
    policy = await decide(history[-1], bookings=[sky], history=history[:-1])
    assert policy.intent is Intent.ANSWER and "24 hours" in policy.reply

    history += [policy.reply, "tuesday would be best, what have you got after 2?"]
    moved = await decide(history[-1], bookings=[sky], history=history[:-1])

    assert moved.intent is Intent.PROPOSE_RESCHEDULE, moved.reply
    assert proposed(moved) == [("Sky", at(15, 14))]  # next week's Tuesday, the week talked about
