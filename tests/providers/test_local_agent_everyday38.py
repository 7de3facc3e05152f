"""Held-out set 38 (evals/scenarios/everyday38.yaml): a time corrected to one we cannot take, a
visit that must be over by a time, pets named where names go in chat ("any chance pebbles
could…", "drop murphy off"), the pick-up time, "the same thing as last time", a pet beside one
booked, typos of the clock's words, and English with Spanish or French words. Reference
moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed

NEMO_ASKED = [
    "can nemo come friday at 9.15 for a check up",
    "I can book Friday 11 December at 09:15 for Nemo. Reply YES to confirm.",
]


async def test_a_time_corrected_with_the_customers_own_morning_is_the_afternoon() -> None:
    """It read "2.15" as 02:15 (the dentist's "friday morning"), refused it, and the yes after
    booked the 09:15 turned down: a wrong action."""
    decision = await decide(
        "hang on, 2.15 not 9.15 sorry, i've got the dentist friday morning",
        pending=pending("book", at(11, 9, 15), subject="Nemo", service="consultation"),
        history=NEMO_ASKED,
    )

    assert proposed(decision) == [("Nemo", at(11, 14, 15))]


async def test_a_correction_to_a_time_we_cannot_take_lets_the_old_proposal_go() -> None:
    """The proposal stayed, so a yes to the times offered instead booked the one turned down."""
    decision = await decide(
        "no wait, make it 12.45",
        pending=pending("book", at(11, 9, 15), subject="Nemo", service="consultation"),
        history=NEMO_ASKED,
    )

    assert decision.intent is Intent.DECLINE and decision.action_id == "act-1", decision.reply
    assert "isn't possible" in decision.reply


async def test_first_thing_with_a_time_to_be_done_by_is_the_opening_time() -> None:
    """It moved the dental to 10:00 ("done by 10"), which ends at 11:00: a wrong action."""
    decision = await decide(
        "can toffee's dental be moved to first thing friday? will she be done by 10 so i can get "
        "to work?",
        bookings=[booked("Toffee", at(10, 14), "dental")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Toffee", at(11, 8, 30))]
    assert "ends at 09:30" in decision.reply


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        (
            "morning! any chance pebbles could get her nails clipped first thing wednesday? "
            "before the school run",
            "Pebbles",
        ),
        ("need to drop murphy off for a nail clip on thursday at 8.30", "Murphy"),
        ("ah ok, could bandit squeeze in at 12.15 on saturday then? just a check up", "Bandit"),
    ],
)
async def test_a_pets_name_where_chat_puts_it_is_the_pet_booked(message: str, subject: str) -> None:
    """Each was booked for "you"."""
    decision = await decide(message)

    assert [who for who, _ in proposed(decision)] == [subject]


async def test_when_to_pick_the_pet_up_is_when_its_visit_ends() -> None:
    decision = await decide(
        "what time is ginger's groom on friday and roughly when can i pick her up after?",
        bookings=[booked("Ginger", at(11, 15, 15), "grooming")],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "15:15" in decision.reply and "16:00" in decision.reply


async def test_the_same_thing_as_last_time_at_the_same_time_is_that_visit_again() -> None:
    """It offered Thursday's times, and the yes after booked nothing."""
    decision = await decide(
        "can rex come in on thursday for the same thing as last time? same time too if poss",
        bookings=[booked("Rex", at(1, 17, 45), "grooming")],
    )

    assert proposed(decision) == [("Rex", at(10, 17, 45))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_whether_two_pets_are_booked_names_the_one_that_is_not() -> None:
    decision = await decide(
        "are both cats booked in for wednesday? can't remember if i did kiwi as well as mango 🙈",
        bookings=[booked("Mango", at(9, 14, 45))],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Mango" in decision.reply and "Nothing is booked for Kiwi." in decision.reply


async def test_a_pet_added_at_the_same_time_as_a_booked_one_joins_it() -> None:
    """It asked the day and time "for Mango", twice."""
    decision = await decide(
        "ah ok can you add kiwi at the same time then? also just a check up",
        bookings=[booked("Mango", at(9, 14, 45))],
        history=[
            "are both cats booked in for wednesday? can't remember if i did kiwi as well as mango",
            "Your appointment for Mango is on Wednesday 9 December at 14:45.",
        ],
    )

    assert proposed(decision) == [("Kiwi", at(9, 14, 45))]


async def test_the_clocks_words_misspelt_are_read() -> None:
    decision = await decide("can diesel come tomorow at quater past 4 for his rabis shot")

    assert proposed(decision) == [("Diesel", at(8, 16, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_the_same_slot_refused_for_another_service_says_so_once() -> None:
    decision = await decide(
        "actually can we make it a dental clean instead? his jab isn't due till january. same time",
        pending=pending("book", at(9, 12), subject="Ollie", service="vaccination"),
        history=[
            "can ollie have his jab wednesday at 12?",
            "I can book Wednesday 9 December at 12:00 for Ollie (vaccination). Reply YES to "
            "confirm.",
        ],
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert decision.reply.startswith("Sorry, Wednesday 9 December at 12:00 isn't possible")


async def test_english_with_spanish_words_is_answered_in_english_and_booked() -> None:
    """It answered in Spanish that the team serves English only."""
    decision = await decide(
        "hola! can canela come mañana por la tarde, like 4pm? es para su vacuna 💉 gracias!"
    )

    assert proposed(decision) == [("Canela", at(8, 16))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_english_with_a_french_verb_for_cancelling_cancels() -> None:
    """It offered Wednesday's times, as for a new booking."""
    decision = await decide(
        "bonjour! so sorry but we have to annuler filou's toilettage on wednesday, il est "
        "malade 🤒",
        bookings=[booked("Filou", at(9, 9, 45), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Filou", at(9, 9, 45))]


@pytest.mark.parametrize(
    "message",
    [
        "Bonjour, je voudrais un rendez-vous pour mon chat jeudi matin",
        "Hola, quisiera una cita para mi perro mañana por la tarde",
    ],
)
async def test_a_whole_message_in_another_language_still_gets_the_english_only_answer(
    message: str,
) -> None:
    decision = await decide(message)

    assert "anglais" in decision.reply or "inglés" in decision.reply, decision.reply


@pytest.mark.parametrize(("message", "subject"), [("max", "Max"), ("it's for bella", "Bella")])
async def test_a_name_alone_after_a_booking_read_back_for_nobody_names_it(
    message: str, subject: str
) -> None:
    """ "Sorry, I didn't catch that": a bare name answering "I can book Thursday … at 15:00."."""
    decision = await decide(
        message,
        pending=pending("book", at(10, 15), subject="you"),
        history=["thurs 3?", "I can book Thursday 10 December at 15:00. Reply YES to confirm."],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [(subject, at(10, 15))]


async def test_three_pets_at_one_time_puts_the_third_at_the_next_free_time() -> None:
    """Rex and Bella were dropped: only Coco was read from "book rex, bella and coco"."""
    decision = await decide("hi can i book rex, bella and coco for their jabs on saturday at 10?")

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [
        ("Rex", at(12, 10)),
        ("Bella", at(12, 10)),
        ("Coco", at(12, 10, 15)),
    ]


@pytest.mark.parametrize(
    ("message", "listed"),
    [("what have we got this week?", ["Max", "Bella"]), ("what have i got on next week", ["Coco"])],
)
async def test_what_we_have_got_in_a_week_lists_that_weeks_bookings(
    message: str, listed: list[str]
) -> None:
    """ "Sorry, I didn't quite get that"."""
    decision = await decide(
        message,
        bookings=[
            booked("Max", at(8, 10)),
            booked("Bella", at(9, 11), "grooming"),
            booked("Coco", at(15, 15), "vaccination"),
        ],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert [n for n in ("Max", "Bella", "Coco") if n in decision.reply] == listed


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("can i book a checkup for my neighbours dog bobby tomorrow at 11? she's away", "Bobby"),
        ("hi! 😊🐶 can my pup 🐶 luna 🐾 come in friday ☀️ at 10?? 🙏🙏", "Luna"),
    ],
)
async def test_a_pet_named_after_whose_it_is_or_an_emoji_is_that_pet(
    message: str, subject: str
) -> None:
    decision = await decide(message)

    assert [who for who, _ in proposed(decision)] == [subject]


async def test_opening_asked_for_two_days_answers_both() -> None:
    """Only the 24th was answered."""
    decision = await decide("are you open on the 24th and 31st?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 December" in decision.reply and "31 December" in decision.reply


async def test_a_pet_given_bit_by_bit_stays_the_pet_booked() -> None:
    """ "my cat" got "Sorry, I didn't catch that", and the time given three turns later was
    booked for "you"."""
    history = ["i want to book", "Sure. Which day and time would you like?"]
    named = await decide("my cat", history=history)
    assert named.reply == "Thanks. Which day and time would you like for your cat?"

    decision = await decide(
        "9",
        history=[
            *history,
            "my cat",
            named.reply,
            "friday morning",
            "What time on Friday 11 December would you like for your cat? I have 08:30, 09:30, "
            "10:45 or 11:45.",
        ],
    )

    assert proposed(decision) == [("your cat", at(11, 9))]


@pytest.mark.parametrize(
    "message",
    [
        "bella's groom - can it be the afternoon instead?",
        "can bella's groom be the afternoon instead?",
    ],
)
async def test_a_booked_visit_asked_for_another_part_of_its_day_is_a_move(message: str) -> None:
    """It asked the day and time for a new visit of Bella's."""
    decision = await decide(
        message, bookings=[booked("Max", at(8, 10)), booked("Bella", at(8, 10), "grooming")]
    )

    assert decision.reply.startswith(
        "What time on Tuesday 8 December would you like the appointment for Bella moved to?"
    ), decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        (
            "I would like to book an appointment for my dog Rocky for vaccination. What is the "
            "earliest availability on Wednesday?",
            at(9, 8, 30),
        ),
        ("what's the earliest you can do friday afternoon for rocky?", at(11, 14)),
    ],
)
async def test_the_earliest_on_a_day_is_its_first_free_time(message: str, slot: object) -> None:
    """Wednesday's times were listed; Friday afternoon's earliest was 08:30."""
    decision = await decide(message)

    assert proposed(decision) == [("Rocky", slot)]


async def test_each_pet_on_a_day_and_time_of_its_own_is_booked() -> None:
    """Max was dropped: only Bella was read from "… and max thursday 10am"."""
    decision = await decide("book bella tomorrow 3pm and max thursday 10am")

    assert proposed(decision) == [("Bella", at(8, 15)), ("Max", at(10, 10))]


async def test_pets_named_in_a_clause_after_their_kind_are_the_pets() -> None:
    decision = await decide(
        "Hi there, my 2 rabbits need their vaccines, thumper and flopsy. Could they come on "
        "Tuesday afternoon at 2?"
    )

    assert sorted(proposed(decision)) == [("Flopsy", at(8, 14)), ("Thumper", at(8, 14))]


async def test_a_booked_pet_to_be_seen_at_a_different_time_is_a_move() -> None:
    """It booked a second visit on the booked day: a wrong action once confirmed."""
    decision = await decide(
        "max is booked tomorrow but I've double booked myself, could someone else see him at a "
        "different time, maybe wednesday morning?",
        bookings=[booked("Max", at(8, 10))],
    )

    assert decision.reply.startswith(
        "What time on Wednesday 9 December would you like the appointment for Max moved to?"
    ), decision.reply


async def test_a_vet_asked_for_beside_a_booking_is_not_promised() -> None:
    decision = await decide("can my dog be seen by a female vet please? tuesday 2pm for bruno")

    assert proposed(decision) == [("Bruno", at(8, 14))]
    assert decision.reply.startswith("Our bookings don't name a vet")


async def test_all_but_one_pets_bookings_cancels_the_others() -> None:
    """It cancelled Coco's, the one to keep: a wrong action."""
    decision = await decide(
        "cancel all but coco's",
        bookings=[
            booked("Max", at(8, 10)),
            booked("Bella", at(9, 11), "grooming"),
            booked("Coco", at(10, 15), "vaccination"),
        ],
    )

    assert sorted(proposed(decision)) == [("Bella", at(9, 11)), ("Max", at(8, 10))]


async def test_all_but_one_pets_bookings_moved_leaves_that_one_and_those_already_there() -> None:
    """It moved Bella's, the one to leave: a wrong action once confirmed."""
    decision = await decide(
        "move all but bella to thursday",
        bookings=[
            booked("Max", at(8, 10)),
            booked("Bella", at(9, 11), "grooming"),
            booked("Coco", at(10, 15), "vaccination"),
        ],
    )

    assert proposed(decision) == [("Max", at(10, 10))]


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("can u do sat 9am for a bath for my doggo teddy", "Teddy"),
        ("can u do sat 9am for a bath for my doggo", "your dog"),
    ],
)
async def test_pet_words_of_chat_are_the_animal(message: str, subject: str) -> None:
    decision = await decide(message)

    assert proposed(decision) == [(subject, at(12, 9))]
