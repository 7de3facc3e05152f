"""The local agent on the eighth held-out set's failures (issue 9, evals/scenarios/everyday8.yaml)
and last session's known gaps: the general rules behind them, each tried on wording beyond the
scenario's own, negatives included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (dental cleaning €120, opening 08:30 on weekdays, a
``bring`` policy, the clinic's phone +33 1 84 88 12 34).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.understanding.answers import answer, is_question
from switchboard.understanding.subjects import subjects_in
from switchboard.understanding.text import normalise
from switchboard.understanding.when import read_when
from tests.providers.test_local_agent_everyday import (
    PARIS,
    PROFILE,
    at,
    booking,
    clock_times,
    decide,
    pending,
)

PARIS_NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
MENU = "What would you like to do?"


def _clock(message: str) -> time | None:
    return read_when(normalise(message), now=PARIS_NOW).clock


# -- times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("need appt for pepper thurs 3 thx", time(15, 0)),
        ("friday 10 thanks", time(10, 0)),
        ("at 4 thank you", time(16, 0)),
        ("tomorrow 11 thx so much", time(11, 0)),
    ],
)
def test_a_bare_hour_before_thanks_is_a_time(message: str, clock: time) -> None:
    # "th" of "thanks" once read as an ordinal suffix ("3 th…"), losing the hour
    assert _clock(message) == clock


@pytest.mark.parametrize(("message", "clock"), [("the 4th at 4", time(16, 0))])
def test_ordinals_still_are_not_hours(message: str, clock: time) -> None:
    assert _clock(message) == clock


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("Hiya, could I pop Lola in first thing Friday? Cheers", at(11, 8, 30)),
        ("can Rex come first thing tomorrow", at(8, 8, 30)),
        ("first thing saturday for Nala please", at(12, 9, 0)),  # Saturdays open at 09:00
    ],
)
async def test_first_thing_is_the_days_opening_time(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == slot


async def test_first_thing_without_a_day_asks_which_day() -> None:
    decision = await decide("can Rex come in first thing")

    assert decision.proposal is None
    assert "?" in decision.reply


# -- confirmations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["go on then", "Go on", "why not", "that'll do", "sounds like a plan", "lock it in"]
)
async def test_casual_yeses_confirm(message: str) -> None:
    decision = await decide(message, pending=pending(subject="Kiwi"))

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert decision.action_id == "act-1"


async def test_go_on_with_a_question_is_not_a_yes() -> None:
    decision = await decide("go on, what times have you got on friday?", pending=pending())

    assert decision.intent is not Intent.CONFIRM


# -- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "price"),
    [
        ("whats the damage for a dental clean for a cat roughly", "€120"),
        ("what's the damage for a nail trim", "€35"),
        ("what would a vaccination set me back?", "€55"),
    ],
)
async def test_price_slang_is_answered_with_the_price(message: str, price: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert price in decision.reply
    assert decision.proposal is None


@pytest.mark.parametrize(
    "message",
    [
        "what should I bring?",
        "Do I need to bring anything for Max's first visit?",
        "anything else we should bring",
        "what do we need to bring with us",
    ],
)
def test_what_to_bring_is_answered_from_the_profile(message: str) -> None:
    text = normalise(message)

    assert is_question(text)
    said = answer(text, PROFILE)
    assert said is not None and PROFILE.policies["bring"] in said


def test_what_to_bring_is_not_invented_when_the_profile_says_nothing() -> None:
    silent = PROFILE.model_copy(
        update={"policies": {k: v for k, v in PROFILE.policies.items() if k != "bring"}}
    )

    assert answer(normalise("what should I bring?"), silent) is None


async def test_what_to_bring_with_a_booking_reads_the_booking_too() -> None:
    decision = await decide(
        "what should we bring to Nala's appointment?", bookings=[booking("Nala", at(9, 11), "b1")]
    )

    assert PROFILE.policies["bring"] in decision.reply
    assert "Wednesday 9 December at 11:00" in decision.reply
    assert decision.proposal is None


async def test_what_to_bring_alone_is_not_a_booking() -> None:
    decision = await decide("what should I bring?", bookings=[booking("Max", at(9, 15), "b1")])

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.proposal is None


# -- emergencies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "my dog just ate a whole bar of chocolate what do i do",
        "help, the puppy has eaten half a packet of raisins",
        "Rex got into the grapes on the table",
        "she swallowed one of my socks I think",
    ],
)
async def test_something_toxic_eaten_is_an_emergency(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "84 88 12 34" in decision.reply


@pytest.mark.parametrize(
    "message", ["can Max come friday at 10, he ate well today", "do you sell dog chocolate drops?"]
)
async def test_food_talk_is_not_an_emergency(message: str) -> None:
    decision = await decide(message)

    # (a question nobody can answer here may still go to the team, but not as an emergency)
    assert "84 88" not in decision.reply and "emergenc" not in decision.reply.lower()
    assert "emergency" not in (decision.note or "").lower(), decision.note


# -- wrong chat ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "omg sorry wrong chat 🙈",
        "Sorry wrong chat",
        "oops wrong convo",
        "ignore that, not meant for you",
        "sorry that was meant for someone else",
    ],
)
async def test_a_message_sent_here_by_mistake_gets_a_short_polite_reply(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.OTHER
    assert MENU not in decision.reply
    assert "?" not in decision.reply
    assert decision.proposal is None and decision.action_id is None


async def test_wrong_chat_leaves_a_pending_booking_alone() -> None:
    decision = await decide("sorry wrong chat", pending=pending())

    assert decision.action_id is None


async def test_wrong_chat_then_a_request_is_the_request() -> None:
    decision = await decide("sorry wrong chat! but while I'm here can Max come friday at 10")

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None and decision.proposal.slot_start == at(11, 10)


# -- which pet -----------------------------------------------------------------------------------

TWO_ON_WEDNESDAY = [booking("Max", at(9, 14), "b-max"), booking("Bella", at(9, 14), "b-bella")]


@pytest.mark.parametrize(
    ("message", "cancelled"),
    [
        ("we can only bring Max wednesday, Bella's gone to my mum's, so cancel hers pls", "Bella"),
        ("Bella is still coming but Max is off to the kennels, cancel his please", "Max"),
    ],
)
async def test_her_or_his_in_a_cancel_is_the_pet_named_last_before_it(
    message: str, cancelled: str
) -> None:
    decision = await decide(message, bookings=TWO_ON_WEDNESDAY)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == cancelled


async def test_two_pets_named_and_a_cancel_of_neither_asks_which() -> None:
    decision = await decide(
        "Max is fine now, Bella's poorly though, so please cancel", bookings=TWO_ON_WEDNESDAY
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert not decision.proposals and decision.proposal is None


async def test_cancel_both_still_cancels_both() -> None:
    decision = await decide("please cancel both Max and Bella", bookings=TWO_ON_WEDNESDAY)

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {p.subject for p in decision.proposals} == {"Max", "Bella"}


@pytest.mark.parametrize(
    "message", ["Bella too, friday at 10", "bella too friday at 10", "and Bella as well"]
)
def test_a_pet_heading_a_sentence_with_too_is_named(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == ["Bella"]


@pytest.mark.parametrize("message", ["me too", "Same too", "ok, that too", "yes, him too"])
def test_common_words_with_too_are_not_names(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == []


MAX_PROPOSED = ["can Max come friday at 10", "I can book Friday 11 December at 10:00 for Max."]


async def test_another_pet_too_while_a_booking_awaits_a_yes_books_both() -> None:
    decision = await decide(
        "Bella too, friday at 10",
        history=MAX_PROPOSED,
        pending=pending(slot=at(11, 10), subject="Max"),
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Max", at(11, 10)),
        ("Bella", at(11, 10)),
    }


async def test_another_pet_too_at_another_time_keeps_the_first_time() -> None:
    decision = await decide(
        "Bella as well please, but saturday at 11",
        history=MAX_PROPOSED,
        pending=pending(slot=at(11, 10), subject="Max"),
    )

    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Max", at(11, 10)),
        ("Bella", at(12, 11)),
    }


async def test_another_pet_instead_is_a_correction_not_one_more() -> None:
    decision = await decide(
        "actually Bella instead, not Max",
        history=MAX_PROPOSED,
        pending=pending(slot=at(11, 10), subject="Max"),
    )

    assert not decision.proposals
    assert decision.proposal is not None and decision.proposal.subject == "Bella"


async def test_another_pet_too_with_nothing_pending_is_booked() -> None:
    decision = await decide("Bella too, friday at 10")

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Bella", at(11, 10))


# -- earlier or later, nothing pending -----------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "could Max's appointment be a bit earlier?",
        "can we bring Max's appointment forward a bit",
        "any chance my appointment could be earlier in the day?",
    ],
)
async def test_a_booking_asked_earlier_is_offered_the_nearest_earlier_time(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(9, 15), "b1")])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(9, 14, 45)
    assert "Earlier I also have" in decision.reply


async def test_a_booking_asked_later_is_offered_the_nearest_later_time() -> None:
    decision = await decide(
        "could Max's appointment be a little later?", bookings=[booking("Max", at(9, 15), "b1")]
    )

    assert decision.proposal is not None and decision.proposal.slot_start == at(9, 15, 15)


async def test_nothing_earlier_that_day_asks_for_another_day() -> None:
    decision = await decide(
        "could Max's appointment be a bit earlier?", bookings=[booking("Max", at(9, 8, 30), "b1")]
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert "nothing earlier" in decision.reply


async def test_earlier_for_one_of_two_pets_moves_only_that_one() -> None:
    decision = await decide(
        "can Bella's appointment be earlier",
        bookings=[booking("Max", at(9, 15), "b1"), booking("Bella", at(10, 16), "b2")],
    )

    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


@pytest.mark.parametrize(
    "message",
    ["I'll call later about Max's appointment", "I'll check later and let you know about Max"],
)
async def test_later_about_getting_in_touch_moves_nothing(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(9, 15), "b1")])

    assert decision.intent is not Intent.PROPOSE_RESCHEDULE


async def test_a_day_and_a_bit_later_moves_that_days_booking_to_the_side() -> None:
    decision = await decide(
        "need to push max back a bit on wednesday, running late from work",
        bookings=[booking("Max", at(9, 15), "b1")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(9, 15, 15)


# -- more everyday phrasings (probed beyond the set) ---------------------------------------------


@pytest.mark.parametrize("message", ["yh", "Yh sure", "yeahh"])
async def test_texted_yeses_confirm(message: str) -> None:
    decision = await decide(message, pending=pending(subject="Max"))

    assert decision.intent is Intent.CONFIRM, decision.reply


@pytest.mark.parametrize("message", ["wait no", "hang on, no", "oh no sorry", "hmm no thanks"])
async def test_a_hesitant_no_declines(message: str) -> None:
    decision = await decide(message, pending=pending(subject="Max"))

    assert decision.intent is Intent.DECLINE, decision.reply


@pytest.mark.parametrize(
    "message", ["sorry, sent that too early", "oops pressed send too soon", "Whoops, ignore that"]
)
async def test_a_half_sent_or_mistaken_message_gets_no_menu(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.OTHER
    assert MENU not in decision.reply


@pytest.mark.parametrize(
    "message",
    ["booked for wed right?", "we're in on wednesday aren't we", "Max is booked, correct?"],
)
async def test_a_booking_checked_back_is_read_out(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(9, 15), "b1")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 15:00" in decision.reply


async def test_asking_to_be_booked_is_not_a_lookup() -> None:
    decision = await decide("can I get Max booked in for friday at 10 yeah")

    assert decision.intent is Intent.PROPOSE_BOOKING


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("Hello, kindly let me know the timings of clinic", "08:30"),
        ("what are your clinic timings on saturday", "09:00"),
        ("whats ur number i'd rather ring", "+33 1 84 88 12 34"),
    ],
)
async def test_hours_and_phone_asked_other_ways(message: str, said: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert said in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "can Max come sat morning, anytime before 11",
        "could Max come tomorrow, ideally before 11am",
        "Max is free any time friday until 4",
    ],
)
async def test_a_bounding_time_is_not_the_time_booked(message: str) -> None:
    """The first free time that ends by the bound is proposed, never the bound itself."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    start = decision.proposal.slot_start.astimezone(PARIS)
    bound = 16 if "until 4" in message else 11
    assert start.hour < bound and start.hour + 1 <= bound, decision.reply
    assert all(t < f"{bound}:00" for t in clock_times(decision.reply)), decision.reply


def test_a_time_after_a_bound_is_still_read() -> None:
    assert _clock("I'm at work until 5, could he come at 6") == time(18, 0)


@pytest.mark.parametrize(
    "message",
    [
        "Hi, Max has his appointment on Wednesday but I can't remember the time?",
        "I forgot what time Max's appointment is",
    ],
)
async def test_a_forgotten_time_is_read_out(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(9, 15), "b1")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "15:00" in decision.reply


async def test_a_pet_put_in_with_a_booked_one_joins_its_time() -> None:
    decision = await decide(
        "oh and can you put Bella in with him", bookings=[booking("Max", at(9, 15), "b1")]
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Bella", at(9, 15))


async def test_how_soon_offers_the_first_free_day() -> None:
    # (session 25: its first free time, proposed for a yes; it listed that day's times)
    decision = await decide("how soon can you see Bruno? he's limping")

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Bruno"
    assert "Monday 7 December at 10:00" in decision.reply


@pytest.mark.parametrize(
    ("message", "names"),
    [
        ("Max wed 3 and Bella thurs 4", ["Max", "Bella"]),
        ("Rocky friday at 2", ["Rocky"]),
        ("Maybe friday at 2", []),
        ("Lunchtime tomorrow?", []),
        ("Checkup friday?", []),
        ("Sat 10am", []),
        ("Open saturday?", []),
    ],
)
def test_a_capitalised_word_before_a_day_is_a_name_unless_a_common_word(
    message: str, names: list[str]
) -> None:
    assert subjects_in(message, known=[], transcript=False) == names


async def test_two_pets_each_with_a_day_heading_the_message() -> None:
    decision = await decide("Max wed 3 and Bella thurs 4")

    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Max", at(9, 15)),
        ("Bella", at(10, 16)),
    }


def test_an_animal_after_a_number_shorthand_is_found() -> None:
    assert subjects_in("cn i bk 4 tmrw 10am 4 my dog", known=[], transcript=False) == ["your dog"]


# -- "my next appointment" is theirs, not the earliest free time --------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "whats my next appointment",
        "can you tell me my next appointment",
        "Max's next appointment?",
        "where is my next appointment?",  # on a call "when" is often heard as "where"
    ],
)
async def test_their_next_appointment_is_looked_up(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(10, 15), "b1")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.proposal is None
    assert "Thursday 10 December at 15:00" in decision.reply


async def test_where_is_my_appointment_also_gives_the_address() -> None:
    decision = await decide(
        "where is my next appointment", bookings=[booking("Max", at(10, 15), "b1")]
    )

    assert "12 rue des Lilas" in decision.reply and "15:00" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "can I book my next appointment for friday",
        "i need to book my next appointment",
        "what's your next free appointment",
    ],
)
async def test_making_the_next_appointment_still_offers_times(message: str) -> None:
    decision = await decide(message, bookings=[booking("Max", at(10, 15), "b1")])

    assert decision.intent is not Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December" not in decision.reply
