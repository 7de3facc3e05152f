"""The local agent on the seventh held-out set's failures (issue 9, evals/scenarios/everyday7.yaml):
the general rules behind them, each tried on wording beyond the scenario's own, negatives
included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (vaccination €55, grooming €35 with "nail trim" among its
aliases, open until 19:00 on weekdays).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.availability import Busy
from switchboard.understanding.answers import answer
from switchboard.understanding.subjects import subjects_in
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when
from tests.providers.test_local_agent_everyday import PROFILE, at, booking, decide, pending

PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _when(message: str):  # type: ignore[no-untyped-def]
    return read_when(normalise(message), now=PARIS_NOW)


# -- times and days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("Could Misty come in on Friday at ten forty-five in the morning?", time(10, 45)),
        ("friday at eleven fifteen", time(11, 15)),
        ("saturday, nine thirty in the morning", time(9, 30)),
        ("two fifteen in the afternoon on friday", time(14, 15)),
        ("is 5 too late for Simba tomorrow?", time(17, 0)),
        ("is 10 ok for tuesday", time(10, 0)),
        ("can you do earlier in the day? 3 would suit better", time(15, 0)),
        ("4 works for us", time(16, 0)),
        ("11 is better", time(11, 0)),
        ("can u do 4 insted", time(16, 0)),
        ("could you do 10 on friday", time(10, 0)),
    ],
)
def test_hours_in_words_and_weighed_hours_are_times(message: str, clock: time) -> None:
    assert _when(message).clock == clock


@pytest.mark.parametrize(
    "message",
    [
        "I have 2 dogs would be great to see you",
        "Max is 5 too",
        "we have 2 cats",
        "she's 14 now and not eating",
        "how much for 2 jabs",
        "can you do 2 dogs at once",
        "can you do 1 more thing for me",
    ],
)
def test_counts_are_not_times(message: str) -> None:
    assert _when(message).clock is None


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("could we get Hamish in tuesday week, 10 in the morning", 15),
        ("friday week at 3pm", 18),
        ("a week on friday at 3pm", 18),
        ("what time do you close on wednesdays? could Luna come at 6.30?", 9),
        ("are you open thursdays", 10),
        ("I'm in Lyon until Thursday, could Oscar come friday at 4?", 11),
        ("away till wednesday so thursday would be best", 10),
        ("can it wait until friday", 11),
    ],
)
def test_weeks_on_and_weekdays_in_the_plural(message: str, day: int) -> None:
    found = _when(message).day
    assert found is not None and found.day == day


@pytest.mark.parametrize(
    ("message", "shift"),
    [
        ("can Biscuit's appointment go to the day after instead, same time?", timedelta(days=1)),
        ("could we do the next day please", timedelta(days=1)),
        ("the day before would be better", timedelta(days=-1)),
        ("could we do the same time next week?", timedelta(days=7)),
        ("next week same time?", timedelta(days=7)),
        ("push it back a week", timedelta(days=7)),
        ("2 days later please", timedelta(days=2)),
    ],
)
def test_days_counted_from_the_day_talked_about(message: str, shift: timedelta) -> None:
    assert _when(message).shift == shift


@pytest.mark.parametrize(
    "message", ["the day after tomorrow at 10", "next week on friday", "a week ago he was sick"]
)
def test_not_a_step_of_days(message: str) -> None:
    assert _when(message).shift is None


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "names"),
    [
        (
            "I'm in Singapore for work this week, could Bailey come in on Friday at 3pm your time?",
            ["Bailey"],
        ),
        ("back from Lyon on thursday, can Pip come at 10", ["Pip"]),
        ("I'll be in New York, so 9am your time friday for Rex?", ["Rex"]),
        ("could you fit in Bella tomorrow", ["Bella"]),
        ("can Bella come friday at 3pm Paris time", ["Bella"]),
        ("10am New York time on friday for Rex", ["Rex"]),
        ("can you squeeze in Max on friday", ["Max"]),
        ("could I drop in Bella on friday", ["Bella"]),
        ("cn u fit mi dog rex in tomoz at 11 plz", ["Rex"]),
        ("could you squeeze Nala in friday", ["Nala"]),
        (
            "Dear Sir or Madam, may my cat, Tabitha, be seen on Wednesday? Yours faithfully,"
            " Edith Marsh",
            ["Tabitha"],
        ),
        ("Kind regards, John Smith. PS Rocky needs his jabs", ["Rocky"]),
        ("add Bella to Max's appointment", ["Max", "Bella"]),
    ],
)
def test_places_salutations_and_signatures_are_not_pets(message: str, names: list[str]) -> None:
    assert sorted(subjects_in(message, known=[], transcript=False)) == sorted(names)


async def test_only_the_pet_the_request_is_for_is_booked() -> None:
    decision = await decide(
        "I've got two dogs, Bonnie and Clyde. Clyde's been limping since yesterday, Bonnie is "
        "fine. Could Clyde be seen tomorrow at 9:30?"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Clyde"


@pytest.mark.parametrize(
    "message",
    [
        "Max and Bella both need jabs, friday at 10",
        "Max and Bella need their jabs. Both on friday at 10 please",
        "Can Max and Bella come friday at 10?",
        "Max needs his jabs. Can he and Bella come friday at 10?",
        "Max and Bella are due a checkup. Can they come friday at 10?",
    ],
)
async def test_every_pet_asked_for_is_still_booked(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {p.subject for p in decision.proposals} == {"Max", "Bella"}


# -- confirmations, and another time asked for ---------------------------------------------------


@pytest.mark.parametrize("message", ["aye that's fine", "aye", "aye go on then please"])
async def test_aye_is_a_yes(message: str) -> None:
    decision = await decide(message, pending=pending())

    assert (decision.intent, decision.action_id) == (Intent.CONFIRM, "act-1")


@pytest.mark.parametrize(
    ("message", "side"),
    [
        ("can you do earlier?", "Earlier"),
        ("anything a bit earlier in the day?", "Earlier"),
        ("hmm do you have anything later", "Later"),
    ],
)
async def test_earlier_or_later_offers_that_side_and_books_nothing(message: str, side: str) -> None:
    decision = await decide(message, pending=pending(slot=at(10, 17), subject="Ginger"))

    assert decision.intent is Intent.DECLINE and decision.action_id == "act-1"
    assert side in decision.reply and "Thursday 10 December" in decision.reply
    offered = re.findall(r"\b\d{2}:\d{2}\b", decision.reply.split(" I have ")[-1])
    assert offered and all((t < "17:00") == (side == "Earlier") for t in offered)


async def test_a_time_after_earlier_moves_the_proposal() -> None:
    decision = await decide(
        "can you do earlier in the day? 3 would suit better",
        pending=pending(slot=at(10, 17), subject="Ginger"),
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 15)


async def test_earlier_for_a_proposed_move_keeps_the_move_pending() -> None:
    decision = await decide(
        "could you do earlier?",
        pending=pending("reschedule", slot=at(10, 17), subject="Max", booking_id="b1"),
        bookings=[booking("Max", at(9, 10), "b1")],
    )

    assert decision.intent is Intent.CLARIFY and decision.action_id is None
    assert "Earlier I have" in decision.reply


# -- existing bookings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        (
            "can't make Max's appointment tomorrow after all, could we do the same time next week?",
            at(15, 15),
        ),
        ("can Max's appointment go to the day after instead, same time?", at(9, 15)),
        ("could we push Max back a week", at(15, 15)),
    ],
)
async def test_moves_counted_in_days_from_the_booking(message: str, slot: datetime) -> None:
    decision = await decide(message, bookings=[booking("Max", at(8, 15), "b1")])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == slot


async def test_moving_both_from_the_day_named_first_to_the_day_asked() -> None:
    decision = await decide(
        "something's come up on wednesday, can you move both Max and Bella to thursday at 2?",
        bookings=[booking("Max", at(9, 10), "b1"), booking("Bella", at(9, 10), "b2")],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [p.slot_start for p in decision.proposals] == [at(10, 14), at(10, 14)]


@pytest.mark.parametrize("answer_", ["Bella", "bella please", "Bella's", "the thursday one"])
async def test_a_name_answering_which_one_takes_the_time_given_before(answer_: str) -> None:
    bookings = [booking("Max", at(9, 11, 30), "b1"), booking("Bella", at(10, 15), "b2")]
    first = await decide("need to move our appointment to friday at 11 please", bookings=bookings)
    assert first.intent is Intent.CLARIFY

    decision = await decide(
        answer_,
        bookings=bookings,
        history=["need to move our appointment to friday at 11 please", first.reply],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b2", at(11, 11))


async def test_a_name_answering_which_one_to_cancel() -> None:
    bookings = [booking("Max", at(9, 11, 30), "b1"), booking("Bella", at(10, 15), "b2")]
    history = [
        "please cancel our appointment",
        "Which appointment should I cancel: Max on "
        "Wednesday 9 December at 11:30 or Bella on Thursday 10 December at 15:00?",
    ]

    decision = await decide("Max", bookings=bookings, history=history)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_an_unknown_name_after_which_one_picks_nothing() -> None:
    bookings = [booking("Max", at(9, 11, 30), "b1"), booking("Bella", at(10, 15), "b2")]
    history = [
        "move our appointment to friday at 11",
        "Which appointment should I move: Max on "
        "Wednesday 9 December at 11:30 or Bella on Thursday 10 December at 15:00?",
    ]

    decision = await decide("Rocky", bookings=bookings, history=history)

    assert decision.intent not in (Intent.PROPOSE_RESCHEDULE, Intent.PROPOSE_CANCEL)


@pytest.mark.parametrize(
    "message",
    [
        "We've got Nala's appointment coming up, is there anything I should bring with me?",
        "Nala's appointment is coming up soon, what time was it again",
        "what should we bring to Nala's appointment?",
    ],
)
async def test_a_booking_coming_up_is_read_back(message: str) -> None:
    decision = await decide(message, bookings=[booking("Nala", at(9, 11), "b1")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 11:00" in decision.reply


# -- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "prices"),
    [
        ("how much is a vaccination? and how much for a nail trim?", ["€55", "€35"]),
        ("prices for a dental and a checkup please", ["€120", "€45"]),
        ("how much is a vaccination appointment", ["€55"]),
    ],
)
def test_the_price_of_each_service_asked(message: str, prices: list[str]) -> None:
    said = answer(normalise(message), PROFILE)

    assert said is not None
    assert all(p in said for p in prices)
    assert said.count("€") == len(prices)


# -- one change of several refused, then a time picked -------------------------------------------


def _full(start: datetime) -> list[Busy]:
    """The clinic's two places taken for half an hour from ``start``."""
    end = start + timedelta(minutes=30)
    return [Busy(booking_id=f"other-{n}", start=start, end=end) for n in range(2)]


@pytest.mark.parametrize(
    ("message", "slots"),
    [
        ("11:00 please", {"Max": at(11, 10), "Bella": at(11, 11)}),
        ("ok Friday at 11", {"Max": at(11, 10), "Bella": at(11, 11)}),
        ("half an hour later then", {"Max": at(11, 10), "Bella": at(11, 11)}),
    ],
)
async def test_a_time_picked_after_one_refusal_is_for_that_pet_only(
    message: str, slots: dict[str, datetime]
) -> None:
    request = "can Max come friday at 10 and Bella friday at 10:30?"
    busy = _full(at(11, 10, 30))
    first = await decide(request, busy=busy)
    assert first.intent is Intent.CLARIFY and first.reply.startswith("For Bella: Sorry"), (
        first.reply
    )

    decision = await decide(message, busy=busy, history=[request, first.reply])

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {p.subject: p.slot_start for p in decision.proposals} == slots


async def test_a_same_slot_refusal_keeps_the_first_pet_at_its_time() -> None:
    request = "Max and Bella friday at 10 please"
    busy = [Busy(booking_id="other", start=at(11, 10), end=at(11, 10, 30))]
    first = await decide(request, busy=busy)
    assert first.reply.startswith("For Bella: Sorry"), first.reply

    decision = await decide("10:30 then", busy=busy, history=[request, first.reply])

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {p.subject: p.slot_start for p in decision.proposals} == {
        "Max": at(11, 10),
        "Bella": at(11, 10, 30),
    }


async def test_no_time_after_a_refusal_proposes_nothing_again() -> None:
    request = "can Max come friday at 10 and Bella friday at 10:30?"
    busy = _full(at(11, 10, 30))
    first = await decide(request, busy=busy)

    decision = await decide("hmm let me think", busy=busy, history=[request, first.reply])

    assert decision.intent is not Intent.PROPOSE_CHANGES


@pytest.mark.parametrize("message", ["Hola", "Bonjour!", "guten tag", "Ciao 👋"])
async def test_a_greeting_in_another_language_is_greeted(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.GREETING, decision.reply


@pytest.mark.parametrize(
    "message", ["do you have wednesday", "have you got anything thursday", "do you have friday?"]
)
async def test_a_day_asked_about_gets_its_free_times(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("What time on ") and " I have " in decision.reply


@pytest.mark.parametrize("message", ["do you have parking on saturday?", "do you have a website"])
async def test_other_things_asked_about_are_not_a_booking(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is not Intent.PROPOSE_BOOKING
    assert not decision.reply.startswith("What time on ")
