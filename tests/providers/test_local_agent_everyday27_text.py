"""The local agent on the twenty-seventh held-out set (issue 9, evals/scenarios/everyday27.yaml),
reading times and typed shorthand: the British "around elevenses" (about 11; "teatime" is still
asked). Decisions, and the readings under them.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, read_when
from tests.providers.test_local_agent_everyday import at, decide, proposed

PARIS = ZoneInfo("Europe/Paris")
PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


def read(message: str, now: datetime = PARIS_NOW) -> When:
    return read_when(normalise(message), now=now)


# -- "around elevenses" -----------------------------------------------------------------------


async def test_around_elevenses_is_about_11() -> None:
    decision = await decide(
        "Hello! Could I bring Hamish in around elevenses on Thursday for his annual check-up?"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Hamish", at(10, 11))]


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        ("can hamish come at elevenses tomorrow", "Hamish", at(8, 11)),
        ("elevenses on friday for rex?", "Rex", at(11, 11)),
        # the break heading the message is no pet
        ("Elevenses tomorrow for Rex?", "Rex", at(8, 11)),
        ("elevenses thursday?", "you", at(10, 11)),
        # kept: noon is 12
        ("Can Luna come in at noon on Friday?", "Luna", at(11, 12)),
    ],
)
async def test_a_time_known_by_name(message: str, subject: str, slot: datetime) -> None:
    assert proposed(await decide(message)) == [(subject, slot)]


def test_elevenses_is_read_as_about_11() -> None:
    said = read("around elevenses on thursday")

    assert (said.day, said.clock, said.approximate) == (date(2026, 12, 10), time(11), True)
    # the word alone is about 11 too: a break, never to the minute
    assert read("at elevenses").approximate


@pytest.mark.parametrize(
    "message",
    [
        "Could Hamish come in around teatime on Thursday?",
        "teatime thursday for hamish?",
        "Can Hamish come Thursday, teatime ideally?",
    ],
)
async def test_teatime_is_no_time_and_is_asked(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY and decision.proposal is None
    assert decision.reply.startswith("What time on Thursday 10 December"), decision.reply
