"""Held-out set 33 (evals/scenarios/everyday33.yaml): the general rules its failures and weak
passes showed. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when
from tests.providers.test_local_agent_everyday import (
    NOW,
    PARIS,
    at,
    booked,
    decide,
    pending_several,
    proposed,
)


def clock_of(message: str) -> str | None:
    said = read_when(normalise(message), now=NOW.astimezone(PARIS)).clock
    return said.strftime("%H:%M") if said is not None else None


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("would wednesday at quarter to four work for biscuit?", "15:45"),
        ("would half past 4 work", "16:30"),
        ("would 4 work", "16:00"),
        ("ah ok, eleven thirty then?", "11:30"),
        ("maybe three fifteen", "15:15"),
        ("ok 2 30 minute slots", None),
    ],
)
def test_times_in_words_are_read_whole(message: str, clock: str | None) -> None:
    assert clock_of(message) == clock


async def test_a_time_in_words_after_a_refusal_is_the_one_booked() -> None:
    refused = await decide("could coco have her grooming on friday at midday")
    assert "11:30" in refused.reply

    decision = await decide(
        "ah ok, eleven thirty then?",
        history=["could coco have her grooming on friday at midday", refused.reply],
    )

    assert proposed(decision) == [("Coco", at(11, 11, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


@pytest.mark.parametrize(
    "message",
    [
        "hi what do you actually do there? like what can i book for my rabbit 🐰",
        "what kind of things can I book",
        "what can you do for my dog",
    ],
)
async def test_what_can_be_booked_lists_the_services(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "grooming (€35)" in decision.reply


async def test_a_titled_pet_being_seen_is_the_pet() -> None:
    decision = await decide(
        "Good morning, I was wondering if there might be any chance of Mr Whiskers being seen "
        "on Thursday afternoon, perhaps around half past three, if it isn't too much trouble?"
    )

    assert proposed(decision) == [("Mr Whiskers", at(10, 15, 30))]


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("quarter past five if you've got it", "17:15"),
        ("5pm please", "17:00"),
        ("at 5 if possible", "17:00"),
    ],
)
async def test_a_time_offered_alone_asks_its_day(message: str, clock: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY
    assert decision.reply == f"Which day would you like at {clock}?"


async def test_the_day_sent_after_the_time_books_them_together() -> None:
    asked = await decide("quarter past five if you've got it")

    decision = await decide(
        "on tuesday i mean!! for nala's check up 🙈",
        history=["quarter past five if you've got it", asked.reply],
    )

    assert proposed(decision) == [("Nala", at(8, 17, 15))]


async def test_a_pet_being_brought_in_is_named() -> None:
    decision = await decide(
        "are you busy on friday? thinking of bringing oscar in for a check up at some point"
    )

    assert "Friday 11 December" in decision.reply
    assert "for Oscar" in decision.reply


async def test_pets_listed_before_their_time_share_it() -> None:
    decision = await decide(
        "right, all three this time 😅 max needs his booster, bella a groom and coco just a "
        "check up. thursday if poss, max and bella at 11 and coco at 12?"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Max", at(10, 11)), ("Bella", at(10, 11)), ("Coco", at(10, 12))]
    assert [p.service for p in decision.proposals] == ["vaccination", "grooming", "consultation"]


async def test_pets_named_each_with_a_time_keep_their_own() -> None:
    decision = await decide(
        "I have three pets, Max, Luna and Oscar. Can I book Max for a checkup Wednesday at 10 "
        "and Luna for her jab Wednesday at 11? Oscar is fine."
    )

    assert proposed(decision) == [("Max", at(9, 10)), ("Luna", at(9, 11))]


async def test_two_pets_asked_to_come_are_both_proposed() -> None:
    decision = await decide("can max and bella both come wednesday at 11 for check ups?")

    assert proposed(decision) == [("Max", at(9, 11)), ("Bella", at(9, 11))]


async def test_a_text_the_day_before_is_the_reminder_policy() -> None:
    decision = await decide(
        "will i get a text the day before luna's jab on friday to remind me? i'm hopeless with "
        "dates 🙈",
        bookings=[booked("Luna", at(11, 15), "vaccination")],
    )

    assert "reminder 24 hours before" in decision.reply
    assert "Friday 11 December at 15:00" in decision.reply


async def test_a_yes_with_an_aside_to_a_lapsed_offer_proposes_it_again() -> None:
    decision = await decide(
        "yes please! sorry only just seen this, fell asleep on the sofa 😴",
        history=[
            "can nala come in thursday at half 9 for a groom?",
            "I can book Thursday 10 December at 09:30 for Nala (grooming). Reply YES to confirm.",
        ],
    )

    assert decision.reply.startswith("Sorry, nothing is booked yet.")
    assert proposed(decision) == [("Nala", at(10, 9, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_any_time_later_the_same_day_asks_among_the_later_times() -> None:
    decision = await decide(
        "morning! could milo's appointment on thursday be moved to any time later that same "
        "day? work has gone a bit mad",
        bookings=[booked("Milo", at(10, 10))],
    )

    assert decision.intent is Intent.CLARIFY
    times = [t for t in decision.reply.split("I have ")[1].replace(" or", ",").split(", ")]
    assert times and all(t.rstrip(".") > "10:00" for t in times), decision.reply


@pytest.mark.parametrize(
    ("message", "part"),
    [
        ("morning! can you fit max in thursday", None),
        ("morning i need to book max in thursday", None),
        ("morning would be better on thursday", "morning"),
        ("thursday morning could work", "morning"),
    ],
)
def test_a_greeting_morning_is_no_part_of_the_day(message: str, part: str | None) -> None:
    assert read_when(normalise(message), now=NOW.astimezone(PARIS)).part == part


async def test_a_closed_day_offers_the_time_asked_on_the_days_either_side() -> None:
    decision = await decide(
        "can oscar come in on christmas day at ten in the morning? the in-laws arrive the day "
        "after and it's the only quiet day 🎄"
    )

    assert "closed on Christmas Day" in decision.reply
    assert "Thursday 24 December at 10:00" in decision.reply
    assert "Saturday 26 December at 10:00" in decision.reply


async def test_a_yes_to_one_of_two_confirms_that_one_alone() -> None:
    both = await decide("can max and bella both come wednesday at 11 for check ups?")
    assert len(both.proposals) == 2
    waiting = pending_several(both)

    decision = await decide(
        "actually just max for now please, bella can wait till the new year", pending=waiting
    )

    assert decision.intent is Intent.CONFIRM
    assert decision.confirmed == ["c0"]  # Max's change; Bella's is dropped
    assert decision.reply == "Done: Max is booked for Wednesday 9 December at 11:00."


@pytest.mark.parametrize(
    ("message", "day"), [("tomorrow week at 10", 15), ("tomorrow fortnight", 22), ("tomorrow", 8)]
)
def test_tomorrow_week_is_a_week_after_tomorrow(message: str, day: int) -> None:
    said = read_when(normalise(message), now=NOW.astimezone(PARIS)).day
    assert said is not None and said.day == day
