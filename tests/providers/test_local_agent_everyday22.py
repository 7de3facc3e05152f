"""The local agent on the twenty-second held-out set (issue 9, evals/scenarios/everyday22.yaml):
the part of the day moved to, "later that day", "same day and time" a week on, a death told
with "won't be coming in", a pet's service asked about by its possessive, and a pet's name
corrected with "I meant". Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


def _pending_booking(subject: str) -> PendingAction:
    """A booking of ``subject`` on Tuesday 8 December at 14:30, read back for a yes."""
    return PendingAction(
        id="act-1",
        kind="book",
        slot_start=at(8, 14, 30),
        subject=subject,
        expires_at=NOW + timedelta(minutes=10),
    )


@pytest.mark.parametrize(
    "message",
    [
        "something came up thursday morning, can we push max back to the afternoon? 3ish is good",
        "thursday morning is no good now, can we move max to the afternoon, say 3?",
    ],
)
async def test_the_part_of_the_day_moved_to_reads_the_hour(message: str) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(10, 15))], decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "oh actually any chance of later that day? after 5 would be ideal",
        "could we do later that day instead, at 5?",
    ],
)
async def test_later_that_day_keeps_the_bookings_day(message: str) -> None:
    decision = await decide(message, bookings=[booked("Luna", at(9, 9, 30))])

    assert proposed(decision) == [("Luna", at(9, 17))], decision.reply


async def test_the_day_after_still_counts_a_day_on() -> None:
    decision = await decide(
        "move luna to the day after at 5", bookings=[booked("Luna", at(9, 9, 30))]
    )

    assert proposed(decision) == [("Luna", at(10, 17))], decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "we're away friday so bella's gonna have to come next week instead, same day and time",
        "bella can't make friday, can she come same day and time next week?",
        "same time and day next week for bella please",
    ],
)
async def test_same_day_and_time_next_week_keeps_the_time(message: str) -> None:
    decision = await decide(message, bookings=[booked("Bella", at(11, 14))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(18, 14))], decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "sadly shadow passed away on saturday so he won't be coming in for his teeth on friday 💔",
        "Shadow died over the weekend, we will not need friday's appointment",
    ],
)
async def test_a_death_told_with_a_visit_not_needed_gets_condolences(message: str) -> None:
    decision = await decide(message, bookings=[booked("Shadow", at(11, 10), "dental")])

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "sorry" in decision.reply.lower(), decision.reply
    assert proposed(decision) == [("Shadow", at(11, 10))]


@pytest.mark.parametrize(
    "message",
    [
        "is ollie's jab this week or next?? cant remember lol",
        "when is ollie's jab",
        "is ollie's vaccination on wednesday?",
        "is ollie's appointment this week?",
    ],
)
async def test_a_pets_service_asked_about_is_looked_up(message: str) -> None:
    decision = await decide(message, bookings=[booked("Ollie", at(16, 10), "vaccination")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 16 December at 10:00" in decision.reply
    assert decision.proposal is None


@pytest.mark.parametrize(
    "message",
    ["oops i meant juniper, maple's fine", "sorry I meant Juniper", "i meant juniper not maple"],
)
async def test_a_name_corrected_with_i_meant_swaps_the_pet_never_confirms(message: str) -> None:
    decision = await decide(message, pending=_pending_booking("Maple"))

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Juniper", at(8, 14, 30))], decision.reply


@pytest.mark.parametrize("message", ["book for tmrw at 10", "i meant half 3", "for noon please"])
async def test_time_words_where_a_name_goes_are_no_pet(message: str) -> None:
    decision = await decide(message)

    for subject in ("Tmrw", "Half", "Noon"):
        assert subject not in decision.reply, decision.reply


# -- probes of the same session: the booking window, a part of a week, a booking's part ---------


@pytest.mark.parametrize(
    "message",
    [
        "how many days in advance do I need to book",
        "how far ahead can I book?",
        "how much notice do you need?",
        "can I book last minute?",
    ],
)
async def test_the_booking_window_is_answered_from_the_profile(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "90 days ahead" in decision.reply and "1 hour before" in decision.reply
    assert "€" not in decision.reply  # "how much notice" asks no price


@pytest.mark.parametrize(
    "message", ["how much notice do I need to give to cancel?", "how far ahead do I have to cancel"]
)
async def test_notice_to_cancel_is_the_cancellation_policy(message: str) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 hours before" in decision.reply


@pytest.mark.parametrize(
    ("message", "day", "subject"),
    [
        ("bella any morning next week", "Monday 14 December", "Bella"),
        ("any evening this week for max?", "Monday 7 December", "Max"),
        ("rex next week sometime?", "Monday 14 December", "Rex"),
    ],
)
async def test_a_part_of_a_week_asks_the_time_on_its_first_free_day(
    message: str, day: str, subject: str
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert f"What time on {day}" in decision.reply and subject in decision.reply


async def test_opening_in_a_week_is_still_a_question() -> None:
    decision = await decide("are you open any evening this week?")

    assert decision.intent is Intent.ANSWER, decision.reply


async def test_a_bookings_part_of_the_day_asked_is_looked_up() -> None:
    decision = await decide(
        "is max's appointment in the morning next week?", bookings=[booked("Max", at(10, 10))]
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December at 10:00" in decision.reply


# -- earlier sets' leftovers: a shouted name, a titled pet, thanks, a what-if ------------------


async def test_a_name_shouted_as_a_sentence_is_the_pet() -> None:
    decision = await decide("third time asking ffs. REX. FRIDAY. 4PM. BOOK IT")

    assert proposed(decision) == [("Rex", at(11, 16))], decision.reply


@pytest.mark.parametrize("message", ["ok. THANKS.", "I said FRIDAY. Not thursday at 10."])
async def test_shouted_words_of_the_language_are_no_pet(message: str) -> None:
    decision = await decide(message)

    for word in ("Thanks", "Friday", "Said"):
        assert f"for {word}" not in decision.reply, decision.reply


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Can Mr Whiskers come in for his booster on Wednesday at 9:45?", "Mr Whiskers"),
        ("Miss Kitty needs her jabs wednesday at 9:45", "Miss Kitty"),
    ],
)
async def test_a_pet_with_a_title_keeps_its_whole_name(message: str, name: str) -> None:
    decision = await decide(message)

    assert proposed(decision) == [(name, at(9, 9, 45))], decision.reply


async def test_a_vet_with_a_title_is_still_no_pet() -> None:
    decision = await decide("can Max see Dr Martin on friday at 10?")

    assert proposed(decision) == [("Max", at(11, 10))], decision.reply


@pytest.mark.parametrize(
    "message",
    ["so sorry we were late today, thanks for fitting us in", "thanks for seeing him today"],
)
async def test_thanks_asking_nothing_is_welcomed(message: str) -> None:
    decision = await decide(message, bookings=[booked("Nala", at(9, 16))])

    assert decision.intent is Intent.OTHER, decision.reply
    assert decision.reply.startswith("You're welcome"), decision.reply


async def test_a_visit_thanked_for_today_is_not_the_day_asked_for() -> None:
    decision = await decide("thanks for seeing him today, can Pudding come friday at 10?")

    assert proposed(decision) == [("Pudding", at(11, 10))], decision.reply


async def test_what_happens_if_late_books_nothing() -> None:
    decision = await decide(
        "not cancelling or anything but what happens if we're a bit late on thursday?",
        bookings=[booked("Rosie", at(10, 16))],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.proposal is None and "would you like" not in decision.reply.lower()


# -- a question about opening with the booking it leads to -------------------------------------


async def test_a_holiday_asked_about_is_answered_and_the_other_day_booked() -> None:
    decision = await decide(
        "r u open on Christmas Day? if not we'll just do this sat at 11 for ginger's booster"
    )

    assert decision.reply.startswith("We're closed on Friday 25 December"), decision.reply
    assert proposed(decision) == [("Ginger", at(12, 11))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_closing_time_asked_with_a_bare_hour_is_answered_and_proposed() -> None:
    decision = await decide(
        "what time do you shut on saturdays? want to squeeze peanut in for a groom before "
        "then, 12 ok?"
    )

    assert "13:00" in decision.reply, decision.reply
    assert proposed(decision) == [("Peanut", at(12, 12))], decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("would 3 work on friday for max", at(11, 15)),
        ("is 10.30 possible tomorrow for max", at(8, 10, 30)),
    ],
)
async def test_an_hour_asked_about_is_the_time_wanted(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Max", slot)], decision.reply


async def test_each_pets_service_and_time_said_apart_are_kept() -> None:
    decision = await decide(
        "can i bring biscuit for his booster and pepper for a nail trim on sat? biscuit at 10 "
        "and pepper 10:30 if poss"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.subject, p.slot_start, p.service) for p in decision.proposals] == [
        ("Biscuit", at(12, 10), "vaccination"),
        ("Pepper", at(12, 10, 30), "grooming"),
    ]


@pytest.mark.parametrize("word", ["only", "somebody", "another"])
async def test_a_common_word_before_a_service_is_no_pet(word: str) -> None:
    decision = await decide(f"{word} for a checkup on friday at 10")

    assert word.title() not in decision.reply, decision.reply


async def test_a_move_at_the_same_time_and_a_sibling_booked_after_it() -> None:
    decision = await decide(
        "rufus needs moving to thursday same time pls, and could his sister daisy have a check "
        "up straight after him at half 3?",
        bookings=[booked("Rufus", at(9, 15))],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("reschedule", "Rufus", at(10, 15)),
        ("book", "Daisy", at(10, 15, 30)),
    ]
