"""Held-out set 37 (evals/scenarios/everyday37.yaml): households moved or cancelled at once,
pets named in an earlier message, a name corrected with the yes, "back in a week, same time as
this morning", a yes with a question or a second pet, "no thanks" with a reason, a time counted
from now, and the general rules their failures showed. Reference moment: Monday 7 December
2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import (
    at,
    booked,
    clock_times,
    decide,
    pending,
    pending_several,
    proposed,
)

MAX_AND_BELLA_TUESDAY = [booked("Max", at(8, 10)), booked("Bella", at(8, 10))]


@pytest.mark.parametrize(
    "message",
    [
        "hiya something's come up tmrw 😩 can max and bella both move to thursday? same time if "
        "poss",
        "something's come up tomorrow, can max and bella both move to thursday?",
    ],
)
async def test_both_moved_to_a_day_after_the_day_they_have_now(message: str) -> None:
    """It asked "Which day and time?": the day beside Max's name (his booking's, tomorrow)
    was read as a day of his own to move to."""
    decision = await decide(message, bookings=MAX_AND_BELLA_TUESDAY)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(10, 10)), ("Max", at(10, 10))]


async def test_all_of_one_pets_bookings_cancelled_while_anothers_said_to_stay() -> None:
    """It cancelled Pip's Friday one only: the day of Bean's, said to stay, picked Pip's."""
    decision = await decide(
        "hi sadly pip's been rehomed 💔 can you cancel all of his appointments? bean's groom on "
        "friday is still on tho",
        bookings=[
            booked("Pip", at(8, 14, 15)),
            booked("Pip", at(11, 16, 15), "grooming"),
            booked("Bean", at(11, 16, 15), "grooming"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Pip", at(8, 14, 15)), ("Pip", at(11, 16, 15))]
    assert {p.kind for p in decision.proposals} == {"cancel"}


@pytest.mark.parametrize(
    "first",
    [
        "do you see guinea pigs? i have two, peanut and butter, and peanut has a weepy eye 😟",
        "i have two guinea pigs, peanut and butter. peanut has a weepy eye",
    ],
)
async def test_pets_named_after_how_many_there_are_are_the_ones_booked_next(first: str) -> None:
    """One booking "for you": "peanut and butter" were not read as names."""
    decision = await decide(
        "great can they both come friday at 11.15? butter might as well get checked too",
        history=[first, "We see cats, dogs, rabbits and other small pets."],
    )

    assert sorted(proposed(decision)) == [("Butter", at(11, 11, 15)), ("Peanut", at(11, 11, 15))]


@pytest.mark.parametrize(
    "message", ["sorry typo!! it's milou 🙈 yes book it", "sorry typo, it's milou", "*milou"]
)
async def test_a_name_corrected_with_the_yes_is_read_back_for_the_right_name(message: str) -> None:
    """It booked "Mlou": the yes after the correction confirmed the name read back."""
    decision = await decide(
        message,
        pending=pending("book", at(10, 11), subject="Mlou", service="consultation"),
        history=[
            "can mlou come in thursday at 11 for a check up pls",
            "I can book Thursday 10 December at 11:00 for Mlou. Reply YES to confirm.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Milou", at(10, 11))]


async def test_a_yes_for_the_pet_read_back_still_confirms() -> None:
    decision = await decide(
        "sorry was driving!! yes that's fine",
        pending=pending("book", at(10, 11), subject="Milou"),
        history=["can milou come thursday at 11", "I can book … for Milou. Reply YES to confirm."],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "hi the vet said to bring oscar back in a week for a recheck. same time as this morning "
        "please",
        "can oscar come back in a week, same time as this morning?",
    ],
)
async def test_back_in_a_week_at_the_same_time_as_this_morning(message: str) -> None:
    """It offered today's times: "this morning" was read as the day asked for."""
    decision = await decide(message, bookings=[booked("Oscar", at(7, 8, 30))])

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Oscar", at(14, 8, 30))]


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ("yes! oh and is there parking near you? i'll be driving 🚗", "car park"),
        (
            "yes please. she's a rescue so it's her first time with you, anything i should bring?",
            "vaccination booklet",
        ),
    ],
)
async def test_a_yes_with_a_question_and_some_news_is_confirmed_and_answered(
    asked: str, answer: str
) -> None:
    """It confirmed and left the question unanswered."""
    decision = await decide(
        asked,
        pending=pending("book", at(10, 8, 45), subject="Mimi", service="vaccination"),
        history=[
            "can mimi have her booster thursday at 8.45?",
            "I can book Thursday 10 December at 08:45 for Mimi (vaccination). Reply YES to "
            "confirm.",
        ],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert answer in decision.reply


async def test_a_yes_with_a_new_request_beside_it_is_not_confirmed_blind() -> None:
    decision = await decide(
        "yes. i'd also like to book bella for friday",
        pending=pending("book", at(10, 8, 45), subject="Mimi"),
        history=["can mimi come thursday at 8.45?", "I can book … Reply YES to confirm."],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {who for who, _ in proposed(decision)} == {"Mimi", "Bella"}


async def test_a_second_pet_added_keeps_each_pets_own_service() -> None:
    """Pepper, limping (a consultation), was booked for Ziggy's jab too."""
    decision = await decide(
        "yes and can her brother ziggy come at the same time? his jab is due",
        pending=pending("book", at(9, 11), subject="Pepper", service="consultation"),
        history=[
            "can pepper see the vet wednesday at 11? she's limping a bit",
            "I can book Wednesday 9 December at 11:00 for Pepper. Reply YES to confirm.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    services = {p.subject: p.service for p in decision.proposals}
    assert services == {"Pepper": "consultation", "Ziggy": "vaccination"}
    assert "consultation" in decision.reply and "vaccination" in decision.reply
    assert pending_several(decision).changes[0].service == "consultation"


@pytest.mark.parametrize(
    "message",
    [
        "actually no thanks, leave it for now, he seems loads better this morning 🙂",
        "no thanks, he's much better today",
    ],
)
async def test_a_no_with_news_of_the_pet_declines(message: str) -> None:
    """It offered today's times: "this morning" in the news was read as a new day."""
    decision = await decide(
        message,
        pending=pending("book", at(8, 14), subject="Kobe"),
        history=["can kobe come in tomorrow at 2?", "I can book … Reply YES to confirm."],
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert "instead" not in decision.reply  # nothing more asked


@pytest.mark.parametrize(
    ("message", "slot"),
    [("no, thursday instead", at(10, 14)), ("no sorry, can we do 3?", at(8, 15))],
)
async def test_a_no_with_another_time_is_still_a_change(message: str, slot: object) -> None:
    decision = await decide(
        message,
        pending=pending("book", at(8, 14), subject="Kobe"),
        history=["can kobe come in tomorrow at 2?", "I can book … Reply YES to confirm."],
    )

    assert proposed(decision) == [("Kobe", slot)]


@pytest.mark.parametrize(
    "message",
    ["ok no worries, i'll message again in feb then 👍", "ok i'll text you back later"],
)
async def test_a_promise_to_write_again_later_asks_nothing_more(message: str) -> None:
    """ "I didn't catch that. Which would suit you?" to a plain goodbye."""
    decision = await decide(
        message,
        history=[
            "can suki come in on the 20th of march for her jabs?",
            "Sorry, we only take bookings up to 90 days ahead. I can offer Saturday 6 March "
            "2027 at 12:15 or Saturday 6 March 2027 at 12:30. Which would suit you?",
        ],
    )

    assert decision.intent is Intent.OTHER, decision.reply
    assert "catch" not in decision.reply
    assert not decision.proposal and not decision.proposals


@pytest.mark.parametrize(
    ("message", "total"),
    [
        ("how much would it be for both my dogs to get their jabs? lulu and tank", "€110"),
        ("how much for max and bella to have a groom?", "€70"),
        ("how much is a groom for my 3 dogs?", "€105"),
    ],
)
async def test_a_price_for_several_pets_gives_the_total(message: str, total: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert total in decision.reply


async def test_a_price_for_one_pet_gives_no_total() -> None:
    decision = await decide("how much is a jab for my dog?")

    assert decision.reply == "A vaccination is €55 (15 minutes)."


async def test_just_him_lists_the_one_pets_bookings() -> None:
    decision = await decide(
        "hiya what's rocky got booked? just him, i know when daisy's is",
        bookings=[
            booked("Rocky", at(8, 17, 15), "vaccination"),
            booked("Rocky", at(14, 9, 30), "dental"),
            booked("Daisy", at(10, 12)),
        ],
    )

    assert "Daisy" not in decision.reply
    assert "17:15" in decision.reply and "09:30" in decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("can lola come in in 2 hours?", at(7, 11)),
        ("can you see lola in an hour and a half", at(7, 10, 30)),
    ],
)
async def test_a_time_counted_from_now_is_that_time_today(message: str, slot: object) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Lola", slot)]


async def test_a_time_counted_from_now_too_soon_says_why_and_offers_later_today() -> None:
    """It asked "Which day and time?": "in half an hour" was not read."""
    decision = await decide(
        "can we bring lola in like in half an hour? she's been a bit sick this morning"
    )

    assert "notice" in decision.reply
    assert "Monday 7 December at 10:00" in decision.reply


async def test_a_service_added_to_the_visit_on_its_day_is_booked_straight_after() -> None:
    """It asked for a time on Thursday: the visit's own day was read as a day of its own."""
    decision = await decide(
        "can i add a nail trim to bailey's appointment on thursday?",
        bookings=[booked("Bailey", at(10, 17), "vaccination")],
    )

    assert proposed(decision) == [("Bailey", at(10, 17, 15))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"
    assert decision.proposal.booking_id is None


@pytest.mark.parametrize(
    "message",
    [
        "can rex come today instead of tomorrow?",
        "is there anything earlier today for rex instead of tomorrow?",
    ],
)
async def test_a_day_instead_of_the_booked_one_is_the_day_moved_to(message: str) -> None:
    """It moved Rex within tomorrow: "instead of tomorrow" was read as the day asked for."""
    decision = await decide(message, bookings=[booked("Rex", at(8, 10))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision)[0][1].date() == at(7, 12).date()


@pytest.mark.parametrize(
    ("message", "kind", "slot"),
    [
        ("can you move max's appointment next week to the wednesday?", "reschedule", at(16, 10)),
        ("can you move max's appointment this week to thursday?", "reschedule", at(10, 10)),
        ("cancel max's appointment next week", "cancel", at(15, 10)),
    ],
)
async def test_the_week_said_says_which_booking(message: str, kind: str, slot: object) -> None:
    """It asked which appointment, though one of Max's two is in the week named."""
    decision = await decide(
        message, bookings=[booked("Max", at(8, 10)), booked("Max", at(15, 10), "vaccination")]
    )

    assert proposed(decision) == [("Max", slot)]
    assert decision.intent is Intent(f"propose_{kind}"), decision.reply


async def test_a_move_to_next_week_still_asks_which_booking() -> None:
    decision = await decide(
        "can you move max's appointment to next week?",
        bookings=[booked("Max", at(8, 10)), booked("Max", at(15, 10), "vaccination")],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("Which appointment")


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("actually can it be the week after", "Saturday 19 December"),
        ("the day before?", "Friday 11"),
    ],
)
async def test_days_counted_from_the_day_we_asked_the_time_of(message: str, day: str) -> None:
    """ "Sorry, I didn't catch that": "the week after" answering our times was not read."""
    decision = await decide(
        message,
        history=[
            "book luna for a groom on saturday",
            "What time on Saturday 12 December would you like for Luna? I have 09:00, 10:00, "
            "11:15 or 12:15.",
        ],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith(f"What time on {day}"), decision.reply
    assert "Luna" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "hi is max booked in this week?",
        "is max booked in?",
        "does max have anything booked this week?",
        "is max in on wednesday?",
    ],
)
async def test_whether_a_pet_is_booked_is_answered_from_its_bookings(message: str) -> None:
    """ "Sorry, I didn't quite get that", a handoff, or today's times to book."""
    decision = await decide(message, bookings=[booked("Max", at(9, 10))])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 10:00" in decision.reply


async def test_whether_a_pet_is_booked_at_a_time_it_is_not_says_when_it_is() -> None:
    decision = await decide("is max booked for friday at 10?", bookings=[booked("Max", at(9, 10))])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith("Nothing is booked on Friday 11 December.")
    assert "Wednesday 9 December at 10:00" in decision.reply


TOGETHER_WEDNESDAY = [booked("Max", at(9, 10)), booked("Bella", at(9, 10), "grooming")]


async def test_our_appointments_moved_are_every_one_and_the_day_given_next_moves_them() -> None:
    """It asked which one, twice, and moved nothing."""
    history = ["i need to change our appointments on wednesday"]
    asked = await decide(history[0], bookings=TOGETHER_WEDNESDAY)
    assert asked.reply == "Sure. Which day and time would you like them moved to?"

    decision = await decide(
        "friday same time", bookings=TOGETHER_WEDNESDAY, history=[*history, asked.reply]
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(11, 10)), ("Max", at(11, 10))]
    assert {p.service for p in decision.proposals} == {"consultation", "grooming"}


@pytest.mark.parametrize(
    "message", ["how much do i owe for last time?", "do we still owe you anything?"]
)
async def test_what_is_owed_for_a_past_visit_goes_to_the_team(message: str) -> None:
    """It listed the price list, which says nothing of what this customer owes."""
    decision = await decide(message, bookings=[booked("Oreo", at(8, 9, 30))])

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.reply.startswith("I can't see or change bills")


async def test_what_is_owed_beside_a_cancellation_is_said_and_the_cancellation_proposed() -> None:
    decision = await decide(
        "cancel tomorrow's appointment please, also how much do i owe for last time",
        bookings=[booked("Oreo", at(8, 9, 30))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "Our prices" not in decision.reply and "bills" in decision.reply


async def test_what_a_service_will_cost_is_still_its_price() -> None:
    decision = await decide("how much will i owe for a checkup?")

    assert decision.reply == "A consultation is €45 (30 minutes)."


async def test_this_one_answering_our_times_is_never_one_oclock() -> None:
    """It read "this one" as 1 o'clock and refused 13:00 as outside opening hours."""
    decision = await decide(
        "this one",
        history=[
            "could i book my 2 cats in for their boosters please, ideally a saturday morning",
            "What time on Saturday 12 December would you like for your cats? I have 09:00, "
            "10:00, 10:45 or 11:45.",
        ],
    )

    assert "13:00" not in decision.reply
    assert decision.proposal is None


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("can max's appointment be longer? he needs his nails done too", "grooming"),
        ("could you extend max's appointment so he can have his jabs as well", "vaccination"),
    ],
)
async def test_a_visit_made_longer_for_another_service_books_it_straight_after(
    message: str, service: str
) -> None:
    """It asked for a day and time, as for a new visit."""
    decision = await decide(message, bookings=[booked("Max", at(8, 10))])

    assert proposed(decision) == [("Max", at(8, 10, 30))]
    assert decision.proposal is not None and decision.proposal.service == service


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("hi, can i bring my 2 dogs for nail trims on saturday at 10?", "your dogs"),
        ("can i bring max for nail trims on saturday at 10?", "Max"),
    ],
)
async def test_a_word_of_a_service_is_never_the_pets_name(message: str, subject: str) -> None:
    """It booked a pet called "Nail"."""
    decision = await decide(message)

    assert [who for who, _ in proposed(decision)] == [subject], decision.reply
    assert "Nail" not in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "hey just confirming luna thursday 9am 👍",
        "thursday 9 still ok? 🙂",
        "luna thursday at 9 right?",
    ],
)
async def test_a_booking_said_back_to_check_it_is_confirmed_not_booked_again(message: str) -> None:
    """It proposed a second booking at the same time, or asked whether to change the first."""
    decision = await decide(message, bookings=[booked("Luna", at(10, 9), "vaccination")])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith("Yes, that's right: Luna is booked for Thursday 10 December")


async def test_checking_before_a_new_booking_still_books() -> None:
    decision = await decide(
        "just checking, can i book thursday at 9 for max?",
        bookings=[booked("Luna", at(10, 9), "vaccination")],
    )

    assert proposed(decision) == [("Max", at(10, 9))]


async def test_next_weekday_said_of_that_weekdays_booking_is_the_week_after() -> None:
    """It said the booking was already then, and the yes after changed nothing."""
    decision = await decide(
        "cancel luna thursday. rebook for next thursday same time pls",
        bookings=[booked("Luna", at(10, 9), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Luna", at(17, 9))]


async def test_an_afternoon_asked_on_a_morning_only_day_says_when_we_close() -> None:
    decision = await decide("is it possible to have a consultation on Saturday afternoon?")

    assert decision.reply.startswith("We close at 13:00 on Saturdays."), decision.reply
    assert all(t < "13:00" for t in clock_times(decision.reply)[1:])


async def test_an_elderly_cat_is_the_cat_and_whenever_is_soonest_is_the_first_free_time() -> None:
    """It booked for "you" and did not catch "whenever is soonest"."""
    first = "hello, i'd like to make an appointment for my elderly cat, she's 17 and losing weight"
    asked = await decide(first)
    assert "your cat" in asked.reply, asked.reply

    decision = await decide("whenever is soonest", history=[first, asked.reply])

    assert proposed(decision) == [("your cat", at(7, 10))]


async def test_each_pet_moved_to_its_own_time_of_day_moves_both() -> None:
    """Only Max was moved: the full stop of "10.30" split the message into clauses."""
    decision = await decide(
        "can you move max to 10.30 and bella to 10?",
        bookings=[booked("Max", at(8, 10)), booked("Bella", at(8, 10, 30), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(8, 10)), ("Max", at(8, 10, 30))]


async def test_a_pet_coming_with_a_booked_one_joins_its_visit() -> None:
    """It asked for a time, as for a visit of its own."""
    decision = await decide(
        "can bella come with max tomorrow? she needs her nails done",
        bookings=[booked("Max", at(8, 10))],
    )

    assert proposed(decision) == [("Bella", at(8, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_who_brings_the_pet_said_as_news_is_passed_on_and_books_nothing() -> None:
    """It offered times "for Max and Emma": the daughter's name was read as a pet's."""
    decision = await decide(
        "my daughter will bring max tomorrow, her name is Emma",
        bookings=[booked("Max", at(8, 10))],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "Emma" not in decision.reply
    assert "Tuesday 8 December at 10:00" in decision.reply


async def test_whether_it_matters_the_pet_has_not_eaten_is_for_the_vet() -> None:
    decision = await decide(
        "is it ok if max hasn't eaten before his appointment?",
        bookings=[booked("Max", at(8, 10))],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "one for the vet" in decision.reply
