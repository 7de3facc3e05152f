"""The local agent on the sixteenth held-out set's failures (issue 9,
evals/scenarios/everyday16.yaml): a pet's name heading the message ("Rocky for a checkup ...",
"Oscar, Dec 9 ...", "max checkup tmrw@3") and a pet named like a month or, in apposition, a
weekday ("can May have her jab", "book Monday (my cat) for wednesday"), each tried on wording
beyond the scenario's own, negatives included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import at, decide, proposed


@pytest.mark.parametrize(
    ("message", "subjects"),
    [
        # a name heading the message before what it needs or a date
        ("Rocky for a checkup on the 11th at 4pm please", ["Rocky"]),
        ("max checkup tmrw@3", ["Max"]),
        ("Oscar, Dec 9 at 9:30?", ["Oscar"]),
        ("Bella, thursday at 3?", ["Bella"]),
        ("rocky needs a jab friday", ["Rocky"]),
        # the words that head such messages without being a name
        ("Annual checkup friday?", []),
        ("Quick checkup tmrw?", []),
        ("Vaccination appointment friday", []),
        ("Cool, friday at 10", []),
        ("Sorry, tuesday at 3?", []),
        ("Lovely, thursday at 4 then", []),
        ("Tuesday, 10am?", []),
        ("Hola, friday at 10?", []),
        # a pet named where names go: the greeting heading the message is none
        ("Bonjour, thursday 10am for Minou please", ["Minou"]),
    ],
)
def test_a_name_heading_the_message_is_the_pet(message: str, subjects: list[str]) -> None:
    assert subjects_in(message, known=[], transcript=False) == subjects


@pytest.mark.parametrize(
    ("message", "subjects"),
    [
        ("can May have her jab on friday at 10am", ["May"]),
        ("May needs her jab tuesday", ["May"]),
        ("my cat June needs a checkup friday", ["June"]),
        ("I'd like to book Monday (my cat) for wednesday at 4pm", ["Monday"]),
        # the month or the day as a date, never a pet
        ("book Max for May 3rd", ["Max"]),
        ("May I book friday at 10?", []),
        ("can we come in May", []),
    ],
)
def test_a_pet_named_like_a_month_or_a_day(message: str, subjects: list[str]) -> None:
    assert subjects_in(message, known=[], transcript=False) == subjects


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        ("max checkup tmrw@3", "Max", at(8, 15)),
        ("Rocky for a checkup on the 11th at 4pm please", "Rocky", at(11, 16)),
        ("Oscar, Dec 9 at 9:30?", "Oscar", at(9, 9, 30)),
        ("can May have her jab on friday at 10am", "May", at(11, 10)),
        # Monday is the cat: the day is Wednesday, not next Monday
        ("I'd like to book Monday (my cat) for wednesday at 4pm", "Monday", at(9, 16)),
    ],
)
async def test_the_pet_is_read_back_with_the_slot(
    message: str, subject: str, slot: datetime
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [(subject, slot)]
