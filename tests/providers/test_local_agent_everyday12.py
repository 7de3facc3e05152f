"""The local agent on the twelfth held-out set's failures (issue 9,
evals/scenarios/everyday12.yaml) and a known gap ("anything later?" after our offer of times for a
service longer than the default one): the general rules behind them, each tried on wording beyond
the scenario's own, negatives included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (a consultation 30 minutes €45, a dental cleaning 60 minutes
€120, a grooming 45 minutes €35; weekdays 08:30-12:30 and 14:00-19:00, Saturday 09:00-13:00;
moving or cancelling is free up to 24 hours before).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding import answers
from switchboard.understanding.subjects import subjects_in
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when
from tests.providers.test_local_agent_everyday import (
    PROFILE,
    at,
    booking,
    clock_times,
    decide,
    pending,
    proposed,
)

PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


# -- urgency said not to be there; a longer description of what was eaten ------------------------


@pytest.mark.parametrize(
    "message",
    [
        "hi what have you got next week for a cat? nothing urgent just her yearly checkup",
        "it's not urgent at all but could Max have a check up next week",
        "not an emergency, just wondering what you have this week for a dog",
    ],
)
async def test_urgency_denied_is_no_emergency(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is not Intent.HANDOFF
    assert "urgent" not in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "my dog just ate a whole bar of dark chocolate what do I do???",
        "Rex has eaten a big box of raisins from the cupboard",
        "it's urgent, she's bleeding",
    ],
)
async def test_a_pet_in_danger_is_still_an_emergency(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF
    assert "84 88" in decision.reply


# -- a week named without a day --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("what have you got next week for a cat?", "Monday 14 December"),
        ("anything next week for Luna? no rush", "Monday 14 December"),
        ("could Max come in sometime this week", "Monday 7 December"),
    ],
)
async def test_a_week_without_a_day_offers_its_first_free_day(message: str, day: str) -> None:
    decision = await decide(message)

    assert decision.proposal is None
    assert day in decision.reply
    assert clock_times(decision.reply)


async def test_a_weekday_said_wins_over_the_week() -> None:
    decision = await decide("could Max come next week on wednesday at 10")

    assert proposed(decision) == [("Max", at(16, 10))]  # that week's Wednesday, not its Monday


# -- evenings asked about are opening hours --------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "do you do any evenings? i work til 6",
        "are you open late on weekdays?",
        "do you open any evenings?",
    ],
)
async def test_evenings_asked_about_are_answered_with_the_hours(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER
    assert "19:00" in decision.reply
    assert "We offer" not in decision.reply


async def test_a_service_asked_about_is_still_a_service() -> None:
    said = answers.answer(normalise("do you do grooming?"), PROFILE)

    assert said is not None and "grooming" in said and "€35" in said


# -- the cost of cancelling asked, nothing cancelled ----------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "if I have to cancel Max on thursday do I get charged anything?",
        "is there a fee if we move it to another day?",
        "what happens if I cancel last minute, do I pay?",
    ],
)
async def test_the_cost_of_cancelling_is_answered_and_nothing_is_cancelled(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(10, 14, 30), "b1")])

    assert decision.intent is Intent.ANSWER
    assert decision.proposal is None
    assert "free of charge" in decision.reply
    assert "cards" not in decision.reply  # "do I pay" is the policy, not how to pay


async def test_a_cancellation_asked_for_with_the_fee_is_still_proposed() -> None:
    decision = await decide(
        "please cancel Max on thursday", bookings=[booking("Max", at(10, 14, 30), "b1")]
    )

    assert decision.intent is Intent.PROPOSE_CANCEL


# -- a person with a title is not a pet ------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "pets"),
    [
        ("can I see Dr Martin on friday at 11 for Oscar? he saw him last time", ["Oscar"]),
        ("Could Rex see Doctor Patel tomorrow at 10", ["Rex"]),
        ("book Luna with Nurse Kelly on friday at 9", ["Luna"]),
        # not a title: a pet named after one
        ("can Doc come friday at 11", ["Doc"]),
    ],
)
def test_a_person_with_a_title_is_not_a_pet(message: str, pets: list[str]) -> None:
    assert subjects_in(message, known=[], transcript=False) == pets


async def test_a_named_vet_books_only_the_pet() -> None:
    decision = await decide("can I see Dr Martin on friday at 11 for Oscar?")

    assert proposed(decision) == [("Oscar", at(11, 11))]


# -- a yes behind an excuse, a yes typed with letters swapped -------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "sorry was driving!! yes thats fine",
        "sorry only just seen this, go ahead",
        "Apologies, was in a meeting - yes please",
        "yse",
        "oaky",
    ],
)
async def test_a_yes_after_an_excuse_or_with_a_typo_confirms(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(10, 17), subject="Pip"))

    assert decision.intent is Intent.CONFIRM
    assert decision.action_id == "act-1"


@pytest.mark.parametrize(
    "message",
    [
        "sorry was driving, no that doesn't work",
        "sorry, can't do thursday, yes friday would be ok",
        "yet",  # a word, not a swapped yes
        "sorry I was at the vet on friday, yes fine",  # a day inside the excuse: not a plain yes
    ],
)
async def test_an_excuse_that_takes_back_or_changes_is_no_yes(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(10, 17), subject="Pip"))

    assert decision.intent is not Intent.CONFIRM


async def test_a_swapped_yes_with_nothing_waiting_confirms_nothing() -> None:
    decision = await decide("yse")

    assert decision.action_id is None


# -- a yes to our lapsed offer proposes it afresh --------------------------------------------------


@pytest.mark.parametrize(
    "ours",
    [
        "Thursday 10 December at 17:00 for Oscar (consultation). Shall I book it?",
        "I can book Thursday 10 December at 17:00 for Oscar. Reply YES to confirm.",
    ],
)
async def test_a_yes_to_our_lapsed_offer_proposes_it_again(ours: str) -> None:
    decision = await decide(
        "sorry only just seen this!! yes go ahead",
        history=["can Oscar come in thursday at 5pm?", ours],
    )

    assert proposed(decision) == [("Oscar", at(10, 17))]
    assert decision.action_id is None  # nothing is booked on a yes to nothing
    assert "nothing is booked yet" in decision.reply


async def test_a_yes_after_offered_times_asks_which() -> None:
    decision = await decide(
        "yes",
        history=[
            "could Max come on thursday",
            "What time on Thursday 10 December would you like for Max? I have 08:30 or 11:15.",
        ],
    )

    assert decision.proposal is None
    assert decision.action_id is None


# -- English with French or Spanish words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "day", "clock"),
    [
        ("Hola! can I book Simba for viernes at 10am por favor?", 11, time(10)),
        ("I'd like a rendez-vous for Minou demain à 15h please", 8, time(15)),
        ("could Rex come jeudi at 2", 10, time(14)),
        ("can Luna come mañana por la mañana at 9", 8, time(9)),
    ],
)
def test_borrowed_day_words_are_days(message: str, day: int, clock: time) -> None:
    when = read_when(normalise(message), now=PARIS_NOW)

    assert (when.day, when.clock) == (datetime(2026, 12, day).date(), clock)


def test_spanish_in_the_morning_is_not_tomorrow() -> None:
    when = read_when(normalise("friday por la mañana please"), now=PARIS_NOW)

    assert when.day == datetime(2026, 12, 11).date()
    assert when.part == "morning"


@pytest.mark.parametrize("message", ["oui", "si", "si yes", "Oui merci"])
async def test_a_borrowed_yes_confirms(message: str) -> None:
    decision = await decide(message, pending=pending(slot=at(8, 15), subject="Minou"))

    assert decision.intent is Intent.CONFIRM


# -- autocorrect's day -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Can Milo come in on Thirsty at 4?", 10),
        ("on Wendy morning if you can", 9),
        ("how about on saturn at 10", 12),
    ],
)
def test_autocorrects_day_where_only_a_day_fits(message: str, day: int) -> None:
    assert read_when(normalise(message), now=PARIS_NOW).day == datetime(2026, 12, day).date()


@pytest.mark.parametrize(
    "message", ["he's been really thirsty at night", "on thomas at 4", "thirsty on arrival at 4"]
)
def test_a_word_outside_a_day_slot_is_no_day(message: str) -> None:
    assert read_when(normalise(message), now=PARIS_NOW).day is None


async def test_autocorrects_day_is_not_a_pet() -> None:
    decision = await decide("Can Milo come in on Thirsty at 4? It's for his booster")

    assert proposed(decision) == [("Milo", at(10, 16))]


# -- a bare hour correcting the proposal -----------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "day", "clock"),
    [
        ("no sorry wednesday is fine after all, but 11", 9, 11),
        ("make it 3", 10, 15),
        ("hmm say 4 then", 10, 16),
    ],
)
async def test_a_bare_hour_corrects_the_proposal(message: str, day: int, clock: int) -> None:
    decision = await decide(message, pending=pending(slot=at(10, 10), subject="Nala"))

    assert proposed(decision) == [("Nala", at(day, clock))]


async def test_a_number_that_is_no_hour_does_not_correct() -> None:
    decision = await decide(
        "but 2 cats not 1, wednesday", pending=pending(slot=at(10, 10), subject="Nala")
    )

    assert decision.proposal is None or decision.proposal.slot_start != at(9, 14)


# -- "both" answering which one; a booking named by its day ---------------------------------------


_TWO_TUESDAY = [booking("Max", at(8, 10), "b1"), booking("Bella", at(8, 10), "b2")]


@pytest.mark.parametrize("answer", ["both", "both of them please", "all of them"])
async def test_both_answering_which_one_moves_each(answer: str) -> None:
    asked = (
        "Which appointment should I move: Max on Tuesday 8 December at 10:00 or Bella on "
        "Tuesday 8 December at 10:00?"
    )
    decision = await decide(
        answer,
        bookings=_TWO_TUESDAY,
        history=["can you move the tuesday appointment to wednesday, same time", asked],
    )

    assert sorted(proposed(decision)) == [("Bella", at(9, 10)), ("Max", at(9, 10))]


async def test_both_answering_which_to_cancel_cancels_each() -> None:
    asked = (
        "Which appointment should I cancel: Max on Tuesday 8 December at 10:00 or Bella on "
        "Tuesday 8 December at 10:00?"
    )
    decision = await decide("both", bookings=_TWO_TUESDAY, history=["cancel tuesday please", asked])

    assert decision.proposals is not None
    assert {c.subject for c in decision.proposals} == {"Max", "Bella"}


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        ("can I move the one on the 11th to saturday morning at 10", "Bella", at(12, 10)),
        ("could we move friday's to thursday at 3", "Bella", at(10, 15)),
        ("move the wednesday one to saturday at 11", "Max", at(12, 11)),
    ],
)
async def test_a_booking_named_by_its_day_is_the_one_moved(
    message: str, subject: str, slot: datetime
) -> None:
    decision = await decide(
        message, bookings=[booking("Max", at(9, 10), "b1"), booking("Bella", at(11, 15), "b2")]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [(subject, slot)]


async def test_two_bookings_on_the_day_said_are_asked_which() -> None:
    decision = await decide("move the tuesday one to wednesday at 11", bookings=_TWO_TUESDAY)

    assert decision.reply.startswith("Which appointment should I move")


# -- what the customer told us, asked back ---------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "what did I say was wrong with him? my wife is asking",
        "remind me what I told you about Max?",
        "sorry what did i tell you earlier",
    ],
)
async def test_what_they_told_us_is_quoted(message: str) -> None:
    decision = await decide(
        message,
        bookings=[booking("Max", at(9, 10), "b1")],
        history=[
            "Max has been limping on his back left leg since the weekend",
            "Sorry to hear that. Max is booked for Wednesday 9 December at 10:00.",
            "thanks",
            "You're welcome! Just message us here if there's anything else.",
        ],
    )

    assert decision.intent is Intent.ANSWER
    assert "limping on his back left leg" in decision.reply


async def test_what_they_said_with_nothing_said_is_not_invented() -> None:
    decision = await decide("what did I say was wrong with him?")

    assert '"' not in decision.reply


# -- prices of services named loosely -------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "prices"),
    [
        ("how much for a dental and how much for a nail clip?", ["€120", "€35"]),
        ("price of a teeth clean and a jab?", ["€120", "€55"]),
    ],
)
def test_every_service_asked_is_priced(message: str, prices: list[str]) -> None:
    said = answers.answer(normalise(message), PROFILE)

    assert said is not None and all(price in said for price in prices)


# -- "anything later?" for the service being booked ------------------------------------------------


async def test_anything_later_after_our_offer_keeps_the_service() -> None:
    history = [
        "can Coco have a dental cleaning on wednesday?",
        "What time on Wednesday 9 December would you like for Coco? I have 08:30, 09:45, "
        "10:30 or 11:30.",
    ]
    later = await decide("anything later?", history=history)
    # a dental cleaning (60 minutes) ends by 19:00: 18:00 is its last start, not 18:30
    assert clock_times(later.reply)[-1] == "18:00"

    picked = await decide("11:30", history=history)
    assert picked.proposal is not None and picked.proposal.service == "dental"


async def test_anything_later_for_the_default_service_is_unchanged() -> None:
    history = [
        "could Max come on wednesday",
        "What time on Wednesday 9 December would you like for Max? I have 08:30, 09:45, "
        "10:30 or 11:30.",
    ]
    later = await decide("anything later?", history=history)

    assert clock_times(later.reply)[-1] == "18:30"
