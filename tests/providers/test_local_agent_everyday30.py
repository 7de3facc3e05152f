"""Held-out set 30 (evals/scenarios/everyday30.yaml) and the probes beside it: the general rules
their failures and weak passes showed. Reference moment: Monday 7 December 2026, 09:00
Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Channel, Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed


@pytest.mark.parametrize(
    ("message", "passed"),
    [
        ("book bella for last friday at 10", "Friday 4 December"),
        ("can max come in on last tuesday", "Tuesday 1 December"),
    ],
)
async def test_a_visit_asked_for_last_weekday_is_said_to_have_passed(
    message: str, passed: str
) -> None:
    decision = await decide(message, bookings=[booked("Bella", at(11, 10), "grooming")])

    assert decision.proposal is None
    assert decision.reply.startswith(f"{passed} has already passed."), decision.reply


async def test_last_weekday_said_of_the_past_leaves_the_day_asked_for() -> None:
    decision = await decide("max has been limping since last friday, can he come in tomorrow at 10")

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Max", at(8, 10))]


@pytest.mark.parametrize(
    ("message", "subject", "slot"),
    [
        # a weekday's name for the pet, beside the day asked for
        ("Can our dog Friday come in on Wednesday at 3 for a check up?", "Friday", at(9, 15)),
        # a name that is also a word, where a pet's name goes, in lower case
        (
            "hi is ginger ok to come in on thursday at 2? she's been sick twice",
            "Ginger",
            at(10, 14),
        ),
        # a kind of animal asked about, then "mine": the writer's rabbit, no name yet
        (
            "do you see rabbits? if so could I bring mine in on wednesday at 11 for a check up? "
            "we only got him on saturday and haven't picked a name yet 😅",
            "your rabbit",
            at(9, 11),
        ),
    ],
)
async def test_the_pet_is_read_where_its_name_or_kind_is_said(
    message: str, subject: str, slot: object
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [(subject, slot)]


async def test_a_cancellation_with_a_rebooking_of_their_own_later_is_a_cancellation() -> None:
    simba = [booked("Simba", at(8, 15))]
    message = (
        "cant make it 2moro with simba, car's broken down 😩 can you cancel pls? will rebook "
        "next week"
    )

    decision = await decide(message, bookings=simba)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Simba", at(8, 15))]


async def test_two_pets_asked_about_in_one_message_are_both_answered() -> None:
    bookings = [booked("Max", at(10, 9, 30)), booked("Kiwi", at(12, 11, 30), "vaccination")]

    decision = await decide(
        "what time is kiwi's jab on saturday? and is max thursday or friday, i forget",
        bookings=bookings,
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "Max on Thursday 10 December at 09:30" in decision.reply
    assert "Kiwi on Saturday 12 December at 11:30" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "is it ok if we come 15 min early on thursday? my bus gets in at 10:10",
        "can I arrive a bit early for nala's appointment",
    ],
)
async def test_coming_early_to_a_booking_is_fine_and_moves_nothing(message: str) -> None:
    decision = await decide(message, bookings=[booked("Nala", at(10, 10, 30))])

    assert decision.proposal is None and not decision.proposals
    assert decision.reply.startswith("Yes, of course"), decision.reply
    assert "Nala is on Thursday 10 December at 10:30" in decision.reply


async def test_early_on_a_day_without_the_booking_checks_the_day() -> None:
    decision = await decide(
        "we might be 10 mins early tomorrow", bookings=[booked("Nala", at(10, 10, 30))]
    )

    assert decision.reply == (
        "That's fine. Just to check: the appointment for Nala is on Thursday 10 December at "
        "10:30, not Tuesday 8 December."
    )


async def test_early_next_week_is_still_a_day_asked_for() -> None:
    decision = await decide(
        "can max come in early next week", bookings=[booked("Nala", at(10, 10, 30))]
    )

    assert decision.reply.startswith("What time on Monday 14 December"), decision.reply


async def test_a_person_asked_for_while_a_proposal_waits_is_a_handoff() -> None:
    first = "can mia come in tuesday at 2?"
    proposal = await decide(first)

    asked = await decide(
        "actually can I just talk to a real person? it's a bit complicated, she's on medication "
        "and I need to ask about her dose first",
        pending=pending("book", at(8, 14), subject="Mia"),
        history=[first, proposal.reply],
    )

    assert asked.intent is Intent.HANDOFF, asked.reply


async def test_a_move_asked_in_one_sentence_of_a_long_message_goes_to_the_day_it_names() -> None:
    message = (
        "Morning! Sorry in advance for the essay. So the kids are off school from the 18th, my "
        "husband is on nights all this week which means I'm doing the school run at 8:30 and "
        "pick up at 4:30 every day, and to top it all off the car is in the garage till "
        "Wednesday. Long story short, could you move Oscar from thursday to friday at 11? That's "
        "the only time I can borrow my mum's car. Thanks so much and sorry again!"
    )

    decision = await decide(message, bookings=[booked("Oscar", at(10, 15))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Oscar", at(11, 11))]


OREO_DONE = [
    "can oreo come in thursday at 11 for a check up?",
    "Shall I book Oreo for a consultation on Thursday 10 December at 11:00?",
    "yes",
    "Done: Oreo is booked for a consultation on Thursday 10 December at 11:00.",
]


@pytest.mark.parametrize(
    "message",
    [
        "brilliant thanks, see you thursday 😊",
        "cheers, see you thursday at 11!",
        "see you on the 10th",
    ],
)
async def test_a_farewell_naming_the_visit_says_it_back(message: str) -> None:
    decision = await decide(message, bookings=[booked("Oreo", at(10, 11))], history=OREO_DONE)

    assert decision.reply == "See you on Thursday 10 December at 11:00!"


async def test_a_farewell_naming_another_day_checks_the_booking() -> None:
    decision = await decide("see you tomorrow!", bookings=[booked("Oreo", at(10, 11))])

    assert decision.reply.startswith(
        "Just to check: the appointment for Oreo is on Thursday 10 December at 11:00."
    )


async def test_a_yes_after_it_was_done_says_it_is_done() -> None:
    decision = await decide("yes", bookings=[booked("Oreo", at(10, 11))], history=OREO_DONE)

    assert decision.proposal is None
    assert decision.reply == (
        "All set, nothing more to confirm: Oreo is booked for a consultation on Thursday 10 "
        "December at 11:00."
    )


MAX_AND_BELLA = [booked("Max", at(10, 15)), booked("Bella", at(11, 10), "grooming")]


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("can I bring both dogs to max's appointment", "Bella"),
        ("can I bring the other one to max's appointment", "Bella"),
        ("can I bring rocky to max's appointment too", "Rocky"),
    ],
)
async def test_a_pet_brought_along_to_a_booking_is_proposed_at_its_time(
    message: str, subject: str
) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [(subject, at(10, 15))]


async def test_a_person_coming_along_is_welcome_and_nothing_is_proposed() -> None:
    decision = await decide("my daughter is coming to max's appointment", bookings=MAX_AND_BELLA)

    assert decision.proposal is None
    assert decision.reply == (
        "Of course, they're welcome to come along. The appointment for Max is on Thursday 10 "
        "December at 15:00."
    )


@pytest.mark.parametrize(
    "message",
    ["max needs his nails done, whenever's easiest", "book max a checkup, whenever suits you"],
)
async def test_the_time_left_to_us_is_the_first_free_one(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Max", at(7, 10))]  # an hour's notice from 09:00


REX_ASKED = [
    "can rex come thursday at 10",
    "I can book Thursday 10 December at 10:00 for Rex. Reply YES to confirm.",
]
REX_PENDING = pending("book", at(10, 10), subject="Rex")


@pytest.mark.parametrize(
    ("message", "side"),
    [("10 is too early for me", "Later"), ("hmm that's a bit late, the kids are off", "Earlier")],
)
async def test_a_proposal_turned_down_as_too_early_or_late_offers_the_other_side(
    message: str, side: str
) -> None:
    decision = await decide(message, pending=REX_PENDING, history=REX_ASKED)

    assert decision.intent is Intent.DECLINE, decision.reply
    assert f"What time on Thursday 10 December would you like instead? {side} I have" in (
        decision.reply
    )


async def test_make_it_the_week_after_moves_the_proposal_a_week_on() -> None:
    decision = await decide(
        "actually make it the week after", pending=REX_PENDING, history=REX_ASKED
    )

    assert proposed(decision) == [("Rex", at(17, 10))]


async def test_a_name_corrected_after_a_slip_is_proposed_again_for_that_name() -> None:
    decision = await decide("oops its rocky", pending=REX_PENDING, history=REX_ASKED)

    assert proposed(decision) == [("Rocky", at(10, 10))]


@pytest.mark.parametrize("message", ["can i cancel without paying", "can I cancel for free"])
async def test_whether_a_cancellation_costs_is_answered_and_nothing_cancelled(message: str) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "free of charge up to 24 hours before" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "we've moved house, can you update my address",
        "my new number is 0612345678",
        "can you change my email to bob@example.com",
    ],
)
async def test_the_customers_own_details_to_change_go_to_the_team(message: str) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.reply.startswith("I can't change your details from here")
    assert message in decision.note


async def test_the_clinics_address_asked_is_still_answered() -> None:
    decision = await decide("what's your address")

    assert decision.intent is Intent.ANSWER and "rue des Lilas" in decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("I missed my appointment yesterday, can I rebook?", None),
        (
            "we forgot max's appointment this morning, can we get another one friday at 10",
            at(11, 10),
        ),
    ],
)
async def test_a_missed_visit_booked_again_is_a_new_booking(message: str, slot: object) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.reply.startswith("Sorry we missed you."), decision.reply
    assert decision.intent is not Intent.PROPOSE_RESCHEDULE
    if slot is None:
        assert decision.proposal is None and "Which day and time" in decision.reply
    else:
        assert proposed(decision) == [("Max", slot)]


MAX_ASKED = ["max needs a checkup", "Sure. Which day and time would you like for Max?"]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("any weekday after 5", at(7, 17)),  # not Wednesday: "weekday" is no typo of it
        ("not fussed", at(7, 10)),
        ("you choose", at(7, 10)),
        ("any day at 6", at(7, 18)),
    ],
)
async def test_an_answer_that_leaves_the_day_to_us_gets_the_first_free_time(
    message: str, slot: object
) -> None:
    decision = await decide(message, history=MAX_ASKED)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Max", slot)]


async def test_two_pets_booked_on_the_same_day_is_a_new_booking_not_a_move() -> None:
    decision = await decide(
        "can you book max and bella in for their jabs on the same day next week",
        bookings=MAX_AND_BELLA,
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith(
        "What time on Monday 14 December would you like for Max and Bella?"
    )


async def test_what_a_visit_is_for_is_no_pets_name() -> None:
    decision = await decide(
        "can max and bella both come in next week for jabs on the same day", bookings=MAX_AND_BELLA
    )

    assert "Jabs" not in decision.reply
    assert "for Max and Bella?" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "is it possible to get an earlier appointment than thursday for max",
        "can I get max in sooner than thursday",
    ],
)
async def test_an_earlier_day_than_the_booking_asks_the_first_free_days_times(message: str) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.proposal is None
    assert decision.reply.startswith(
        "What time on Monday 7 December would you like the appointment for Max moved to?"
    ), decision.reply


@pytest.mark.parametrize(
    ("message", "day"),
    [
        # ("next tuesday" said on a Monday is next week's: session 38)
        ("both of them need boosters next tuesday at 10", 15),
        ("can I book both my dogs in for tuesday at 10", 8),
    ],
)
async def test_both_pets_spoken_of_without_names_are_the_two_on_record(
    message: str, day: int
) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(day, 10)), ("Max", at(day, 10))]


async def test_a_question_for_the_vet_with_the_booking_asked_says_the_booking_too() -> None:
    decision = await decide(
        "can you remind me what time max is in on thursday and if I need to fast him",
        bookings=MAX_AND_BELLA,
    )

    assert decision.intent is Intent.HANDOFF
    assert decision.reply.startswith(
        "Your appointment for Max is on Thursday 10 December at 15:00. The rest is one for the vet"
    ), decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [("1530 thursday for max?", at(10, 15, 30)), ("0930 on friday for max", at(11, 9, 30))],
)
async def test_a_24_hour_time_run_together_before_its_day_is_read(
    message: str, slot: object
) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Max", slot)]


MAX_ASKED_10 = [
    "can max come thursday at 10",
    "I can book Thursday 10 December at 10:00 for Max. Reply YES to confirm.",
]
MAX_PENDING = pending("book", at(10, 10), subject="Max")


@pytest.mark.parametrize("message", ["I'll take it", "we'll take that one"])
async def test_taking_the_slot_is_a_yes(message: str) -> None:
    decision = await decide(message, pending=MAX_PENDING, history=MAX_ASKED_10)

    assert decision.intent is Intent.CONFIRM and decision.action_id == MAX_PENDING.id


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("what's the address again? and yes", "rue des Lilas"),
        ("yes 👍 how much will it be", "€"),
    ],
)
async def test_a_yes_and_a_question_in_either_order_answers_and_confirms(
    message: str, answer: str
) -> None:
    decision = await decide(message, pending=MAX_PENDING, history=MAX_ASKED_10)

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert answer in decision.reply


async def test_no_thanks_thats_all_declines_without_asking_for_another_time() -> None:
    decision = await decide("no thanks, that's all", pending=MAX_PENDING, history=MAX_ASKED_10)

    assert decision.intent is Intent.DECLINE
    assert decision.reply.endswith("Just message us here if you need anything else.")


@pytest.mark.parametrize(
    "message", ["yes as long as it's with dr martin", "yes if it's a female vet"]
)
async def test_a_yes_on_a_vet_we_cannot_promise_books_nothing_yet(message: str) -> None:
    decision = await decide(message, pending=MAX_PENDING, history=MAX_ASKED_10)

    assert decision.intent is Intent.CLARIFY and decision.action_id is None
    assert decision.reply.startswith("Our bookings don't name a vet")
    assert "Shall I book Thursday 10 December at 10:00 for Max?" in decision.reply


async def test_what_day_was_that_says_the_proposal_not_confirmed_yet() -> None:
    decision = await decide("sorry what day was that", pending=MAX_PENDING, history=MAX_ASKED_10)

    assert (
        decision.reply
        == "Thursday 10 December at 10:00 for Max is not confirmed yet. Shall I confirm it?"
    )


@pytest.mark.parametrize(
    ("message", "who"),
    [
        ("max has stopped eating", "Max"),
        ("bella is limping", "Bella"),
        ("max keeps being sick", "Max"),
    ],
)
async def test_a_pet_said_to_be_unwell_is_offered_the_first_free_time(
    message: str, who: str
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.reply.startswith(f"Sorry to hear {who} isn't well.")
    assert "our first free time" in decision.reply
    assert proposed(decision) == [(who, at(7, 10))]


async def test_advice_asked_about_an_unwell_pet_is_not_given() -> None:
    decision = await decide("my cat is vomiting what should I do")

    assert decision.reply.startswith(
        "Sorry to hear your cat isn't well. I can't give medical advice here; if it can't wait, "
        "call us on +33 1 84 88 12 34."
    )


async def test_an_unwell_pet_on_a_call_is_asked_not_proposed() -> None:
    decision = await decide("Max has stopped eating.", channel=Channel.VOICE)

    assert decision.proposal is None
    assert decision.reply.endswith("Which day and time would suit you?")


async def test_a_move_said_as_two_hours_goes_to_the_second() -> None:
    decision = await decide("move max from 3 to 4", bookings=MAX_AND_BELLA)

    assert proposed(decision) == [("Max", at(10, 16))]


async def test_a_day_wanted_instead_of_another_is_not_taken_for_the_bookings_day() -> None:
    decision = await decide("can we do thursday instead of tuesday", bookings=MAX_AND_BELLA)

    assert decision.proposal is None  # no Tuesday booking to move: which one is asked
    assert decision.reply.startswith("Which appointment should I move")


async def test_cancel_alone_asks_which_booking() -> None:
    decision = await decide("cancel", bookings=MAX_AND_BELLA)

    assert decision.reply.startswith("Which appointment should I cancel: Max on Thursday")


async def test_a_cancellation_naming_a_service_cancels_that_booking() -> None:
    decision = await decide("can you cancel the grooming", bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.PROPOSE_CANCEL
    assert proposed(decision) == [("Bella", at(11, 10))]


async def test_a_vet_on_call_at_night_is_answered_with_the_night_service() -> None:
    decision = await decide("is there a vet on call at night")

    assert decision.intent is Intent.ANSWER
    assert "night service on +33 1 84 88 99 00" in decision.reply


@pytest.mark.parametrize(
    "message", ["can I get a copy of max's vaccination record", "could you email me the invoice"]
)
async def test_records_asked_for_go_to_the_team(message: str) -> None:
    decision = await decide(message, bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.proposal is None and message in decision.note


async def test_is_this_the_vet_is_answered_not_handed_off() -> None:
    decision = await decide("is this the vet?")

    assert decision.intent is Intent.ANSWER
    assert decision.reply.startswith(
        "I'm the automated assistant of Rue des Lilas Veterinary Clinic"
    )
