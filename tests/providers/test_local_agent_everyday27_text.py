"""The local agent on the twenty-seventh held-out set (issue 9, evals/scenarios/everyday27.yaml),
reading times and typed shorthand: the British "around elevenses" (about 11), a time typed
against its word ("tmrw at10", "at3pm") and a question's words run together ("cani"), weekdays
shortened without their vowels ("frm wed to frdy same tme"), and "straight after the weekend"
(the Monday after it). Decisions, and the readings under them.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import AgentDecision, Intent, PendingAction
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, read_when
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

PARIS = ZoneInfo("Europe/Paris")
PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


def read(message: str, now: datetime = PARIS_NOW) -> When:
    return read_when(normalise(message), now=now)


def pending_of(decision: AgentDecision) -> PendingAction:
    """The booking or move ``decision`` proposes, as the workflow keeps it for the next turn."""
    assert decision.proposal is not None, decision.reply
    kind = "book" if decision.intent is Intent.PROPOSE_BOOKING else "reschedule"
    extra = {"booking_id": decision.proposal.booking_id} if decision.proposal.booking_id else {}
    return pending(
        kind, slot=decision.proposal.slot_start, subject=decision.proposal.subject, **extra
    )


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
async def test_teatime_is_no_time_but_the_late_afternoon(message: str) -> None:
    """Teatime is no time to the minute: the late afternoon's first free time is proposed, and
    its others listed."""
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.reply.startswith("I can book Thursday 10 December at 16:00"), decision.reply
    assert "I also have" in decision.reply


# -- a time typed against its word, words run together, "ys" ----------------------------------

MAX_ASKED = "cani book max tmrw at10 fr a chekup"


async def test_at10_is_read_and_ys_pls_confirms() -> None:
    asked = await decide(MAX_ASKED)
    assert asked.intent is Intent.PROPOSE_BOOKING, asked.reply
    assert proposed(asked) == [("Max", at(8, 10))]
    assert asked.proposal is not None and asked.proposal.service == "consultation"

    yes = await decide("ys pls", history=[MAX_ASKED, asked.reply], pending=pending_of(asked))
    assert yes.intent is Intent.CONFIRM, yes.reply


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        ("canu fit rex in at3pm on fri", "Rex", at(11, 15)),
        ("cn i book luna in fr tmw abt11", "Luna", at(8, 11)),
        ("max tmrw @10 pls", "Max", at(8, 10)),
        ("can luna come thurs at10:30?", "Luna", at(10, 10, 30)),
    ],
)
async def test_times_typed_against_their_word(message: str, subject: str, slot: datetime) -> None:
    assert proposed(await decide(message)) == [(subject, slot)]


@pytest.mark.parametrize(
    ("message", "read_as"),
    [
        ("tmrw at10", "tomorrow at 10"),
        ("at3pm pls", "at 3pm please"),
        ("at10:30", "at 10:30"),
        ("abt11 or frm9", "about 11 or from 9"),
        ("@10?", "at 10"),
        ("cani book", "can i book"),
        ("cn u mov bellas apt frm wed", "can you move bellas appointment from wed"),
        ("same tme", "same time"),
        ("ys pls", "yes please"),
        # kept: digits in a word that introduces no time
        ("format10 b4 2moro", "format10 before tomorrow"),
    ],
)
def test_shorthand_and_times_typed_together(message: str, read_as: str) -> None:
    assert normalise(message) == read_as


# -- weekdays without their vowels ------------------------------------------------------------


async def test_a_move_from_wed_to_frdy_same_tme() -> None:
    decision = await decide(
        "cn u mov bellas apt frm wed to frdy same tme?? thx",
        bookings=[booked("Bella", at(9, 15))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(11, 15))]


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("frdy", 11),
        ("thrs", 10),
        ("thrsdy", 10),
        ("wdnsday", 9),
        ("wdns", 9),
        ("tusday", 8),
        ("tsdy", 8),
        ("mnday", 14),
        ("mndy", 14),
        ("satday", 12),
        ("strdy", 12),
        ("sndy", 13),
    ],
)
def test_misspelt_and_shortened_weekdays(word: str, day: int) -> None:
    assert read(f"can rex come {word} at 10").day == date(2026, 12, day)


@pytest.mark.parametrize(
    "word",
    # chat shorthand that begins like a day's consonants, and words spelt like one
    ["thnx", "thx", "sry", "mnth", "frnd", "wknd", "study", "sandy", "stay", "fry", "tray"]
    + ["wendy", "sunny"],
)
def test_ordinary_words_are_no_weekdays(word: str) -> None:
    assert read(f"{word} at 10").day is None


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        ("can rex come thrs at 3pm", "Rex", at(10, 15)),
        ("canu fit rex in at3pm on frdy", "Rex", at(11, 15)),
        # the lower-case name before a misspelt day is the pet, and the day no name
        ("book luna wdnsday at 10", "Luna", at(9, 10)),
        ("luna thrs 3pm", "Luna", at(10, 15)),
        ("Can I book Rex for Thrs at 3?", "Rex", at(10, 15)),
        ("can i book an appointment for frdy at 10", "you", at(11, 10)),
    ],
)
async def test_misspelt_weekdays_in_requests(message: str, subject: str, slot: datetime) -> None:
    assert proposed(await decide(message)) == [(subject, slot)]


# -- "straight after the weekend" -------------------------------------------------------------

NUGGET = [booked("Nugget", at(10, 16))]


async def test_straight_after_the_weekend_same_time_is_the_monday() -> None:
    decision = await decide(
        "hi, something's come up on thursday, could we move Nugget to straight after the weekend "
        "instead? same time if possible",
        bookings=NUGGET,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Nugget", at(14, 16))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("can we move nugget to after the weekend", at(14, 16)),
        # the day's opening time
        ("could we move Nugget to first thing after the weekend?", at(14, 8, 30)),
        ("move nugget to the tuesday after the weekend please, same time", at(15, 16)),
        ("could nugget come right after the weekend at 10 instead?", at(14, 10)),
    ],
)
async def test_after_the_weekend_moves(message: str, slot: datetime) -> None:
    assert proposed(await decide(message, bookings=NUGGET)) == [("Nugget", slot)]


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (PARIS_NOW, date(2026, 12, 14)),
        (datetime(2026, 12, 11, 17, tzinfo=PARIS), date(2026, 12, 14)),  # a Friday
        # on the weekend itself: the Monday that ends it
        (datetime(2026, 12, 12, 10, tzinfo=PARIS), date(2026, 12, 14)),
        (datetime(2026, 12, 13, 10, tzinfo=PARIS), date(2026, 12, 14)),
    ],
)
def test_after_the_weekend_is_the_monday_after_it(now: datetime, day: date) -> None:
    assert read("straight after the weekend please", now=now).day == day


@pytest.mark.parametrize(
    "message",
    [
        # an absence bounded, or the past: no day asked for
        "we're away until after the weekend",
        "not till after the weekend i'm afraid",
        "we're away until straight after the weekend",
        "he's been off his food since the weekend",
    ],
)
def test_after_the_weekend_as_a_bound_is_no_day(message: str) -> None:
    assert read(message).day is None


def test_this_weekend_is_still_the_saturday() -> None:
    assert read("can she come this weekend?").day == date(2026, 12, 12)
