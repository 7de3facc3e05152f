"""The local agent on everyday messages a probe in session 27 got wrong (issue 9): "a day
sooner" asked for today, "can bella's grooming go from 10 to 11:30" read as a new booking, "what
have you got?" handed to the team, a procedure the clinic does not list (neutering, a blood
test) booked as a consultation, a records request beside a booking dropped, a yes with "can the
vet look at his ear too" not taken as a yes, "just checking in about max" answered with the menu.

``NOW`` and the profile are those of ``test_local_agent_everyday``: Monday 7 December 2026,
09:00 in Paris; Mon-Fri 08:30-12:30 and 14:00-19:00, Saturday 09:00-13:00, closed on Sunday.
"""

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

BOOKED = [booked("Bella", at(10, 10), "grooming"), booked("Max", at(10, 15))]
BOOKED_FRIDAY = [booked("Max", at(10, 15)), booked("Bella", at(11, 10), "grooming")]


@pytest.mark.parametrize(
    "message",
    ["can max come a day sooner", "can we do max a day sooner", "can max come in a day earlier"],
)
async def test_a_day_sooner_is_the_day_before_at_the_same_time(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(9, 15))]


@pytest.mark.parametrize(
    "message", ["can bella come in sooner", "is there anything sooner for bella"]
)
async def test_sooner_alone_asks_the_times_of_the_first_free_day_before(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.CLARIFY
    assert "Monday 7 December" in decision.reply
    assert "Bella" in decision.reply


async def test_a_bit_sooner_is_still_earlier_the_same_day() -> None:
    decision = await decide("can bella come in a bit sooner", bookings=BOOKED)

    assert proposed(decision) == [("Bella", at(10, 9, 45))]


async def test_sooner_with_a_day_and_time_is_that_time() -> None:
    decision = await decide("can bella come in sooner, like wednesday at 10", bookings=BOOKED)

    assert proposed(decision) == [("Bella", at(9, 10))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("can bella's grooming go from 10 to 11:30", at(10, 11, 30)),
        ("can bella's grooming go to friday", at(11, 10)),
        ("can max's jab go to 4", at(10, 16)),
    ],
)
async def test_a_pets_service_sent_elsewhere_is_a_move(message: str, slot: object) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == slot


@pytest.mark.parametrize(
    "message", ["what have you got", "what do you have", "what are my options", "when are you free"]
)
async def test_free_times_asked_for_answer_which_day_with_the_first_free_one(message: str) -> None:
    decision = await decide(
        message,
        history=[
            "id like to book max in for a checkup",
            "Which day and time would you like for Max?",
        ],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("What time on Monday 7 December would you like for Max?")
    assert "10:00" in decision.reply


@pytest.mark.parametrize(
    "message", ["what have you got", "any availability?", "what times have you got"]
)
async def test_free_times_asked_for_first_are_offered_not_handed_off(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "What time on Monday 7 December" in decision.reply


@pytest.mark.parametrize(
    ("message", "thing"),
    [
        ("can I book max in for microchipping on friday at 10", "microchipping"),
        ("can I book a neuter for bella", "neutering"),
        ("can I book max in to get neutered next week", "neutering"),
        ("book bella for a blood test tuesday 10", "a blood test"),
        ("can max get chipped friday", "microchipping"),
        ("can I book a home visit", "a home visit"),
        ("can I get a vet to come to the house", "home visits"),
        ("can max have an x-ray", "an x-ray"),
    ],
)
async def test_a_procedure_the_profile_does_not_list_is_not_booked(
    message: str, thing: str
) -> None:
    decision = await decide(message)

    assert decision.proposal is None and not decision.proposals
    assert decision.reply.startswith(f"Sorry, I can't book {thing} here.")
    assert "+33 1 84 88 12 34" in decision.reply


@pytest.mark.parametrize(
    ("message", "slot", "subject"),
    [
        (
            "my dog had surgery last week, can he come in for a check thursday at 10",
            at(10, 10),
            "your dog",
        ),
        ("book max for his jabs thursday at 10 and get him chipped", at(10, 10), "Max"),
    ],
)
async def test_a_procedure_in_the_past_or_beside_a_service_books_the_visit(
    message: str, slot: object, subject: str
) -> None:
    decision = await decide(message)

    assert proposed(decision) == [(subject, slot)]


@pytest.mark.parametrize(
    "message",
    ["can we book bella in to be put to sleep", "i need to book a euthanasia for my old dog"],
)
async def test_an_end_of_life_request_goes_to_a_person_gently(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF
    assert decision.reply.startswith("I'm so sorry.")
    assert decision.note


async def test_records_asked_beside_a_booking_are_not_dropped() -> None:
    decision = await decide(
        "can max come thursday at 3, and could you send me his vaccination records"
    )

    assert decision.proposal is not None
    assert decision.proposal.service in (None, "consultation")  # papers, not a vaccination
    assert proposed(decision) == [("Max", at(10, 15))]
    assert "can't send records" in decision.reply


async def test_bringing_the_vaccination_booklet_is_answered_from_the_profile() -> None:
    decision = await decide("do I need to bring his vaccination booklet")

    assert decision.intent is Intent.ANSWER
    assert "vaccination booklet" in decision.reply


@pytest.mark.parametrize(
    ("message", "what"),
    [
        ("yes please, if the vet can look at his ear too", "his ear"),
        ("yes, could they also check his ear while he's there?", "his ear"),
        ("yes please. can she check his teeth as well", "his teeth"),
    ],
)
async def test_a_yes_with_something_more_to_look_at_confirms_the_consultation(
    message: str, what: str
) -> None:
    waiting = pending("book", at(9, 10), subject="Max")

    decision = await decide(message, pending=waiting)

    assert decision.intent is Intent.CONFIRM
    assert decision.action_id == waiting.id
    assert f"The vet can look at {what} during the consultation." in decision.reply


async def test_a_yes_with_a_look_asked_of_a_grooming_is_not_a_plain_yes() -> None:
    waiting = pending("book", at(9, 10), subject="Max", service="grooming")

    decision = await decide("yes please, if the vet can look at his ear too", pending=waiting)

    assert "vet can look" not in decision.reply


async def test_checking_in_about_a_pet_says_its_booking() -> None:
    decision = await decide("hi there, just checking in about max", bookings=BOOKED)

    assert decision.intent is Intent.ASK_BOOKING
    assert "Thursday 10 December at 15:00" in decision.reply


async def test_a_pets_thing_on_a_day_is_its_booking() -> None:
    decision = await decide("what time is bella's thing on friday", bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.ASK_BOOKING
    assert "Friday 11 December at 10:00" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "my puppy needs his first jabs, when can he come",
        "my puppy needs his first jabs, when can he come in?",
    ],
)
async def test_when_can_he_come_offers_the_first_free_day(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith(
        "What time on Monday 7 December would you like for your puppy?"
    )


async def test_a_question_and_a_request_after_it_are_both_served() -> None:
    decision = await decide(
        "hi, new here. do you take rabbits? I'd like to book a check up for my rabbit thumper "
        "next week"
    )

    assert decision.reply.startswith(
        "Yes, we see rabbits. We see cats, dogs, rabbits and other small pets."
    )
    assert "What time on Monday 14 December would you like for Thumper?" in decision.reply


async def test_someone_elses_booking_said_beside_a_question_asks_nothing() -> None:
    decision = await decide(
        "my friend has a guinea pig, do you see those? she'll book herself, just asking for her"
    )

    assert decision.intent is Intent.ANSWER


@pytest.mark.parametrize(
    ("message", "who"),
    [
        ("my cat has fleas can you help", "your cat"),
        ("my dog has a cut on his paw", "your dog"),
        ("luna has worms, what should i do", "Luna"),
    ],
)
async def test_a_pet_with_a_condition_is_offered_the_first_free_time(
    message: str, who: str
) -> None:
    decision = await decide(message)

    assert decision.reply.startswith(f"Sorry to hear {who} isn't well.")
    assert proposed(decision) == [(who, at(7, 10))]


@pytest.mark.parametrize(
    ("message", "who", "slot"),
    [
        ("max won't be coming thursday, he's at the groomers", "Max", at(10, 15)),
        ("we can't come in on friday after all", "Bella", at(11, 10)),
        ("bella isn't coming friday", "Bella", at(11, 10)),
    ],
)
async def test_a_booked_day_given_up_puts_its_cancellation(
    message: str, who: str, slot: object
) -> None:
    decision = await decide(message, bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [(who, slot)]


JUST_BOOKED = [
    "hi can i book my dog rocky in for wednesday",
    "What time on Wednesday 9 December would you like for Rocky? I have 08:30, 11:15 or 15:45.",
    "around 2?",
    "I can book Wednesday 9 December at 14:00 for Rocky. Reply YES to confirm.",
    "yes",
    "Done: you're booked for Wednesday 9 December at 14:00 for Rocky.",
]


async def test_make_it_another_time_just_after_a_booking_moves_it() -> None:
    """It proposed a second booking "for Rocky and Done" (our "Done:" read as a pet): a
    double booking on a yes."""
    decision = await decide(
        "actually can we make it 3",
        bookings=[booked("Rocky", at(9, 14))],
        history=JUST_BOOKED,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rocky", at(9, 15))]


@pytest.mark.parametrize(("message", "day"), [("wed", 9), ("sat please", 12), ("wed or thurs", 9)])
async def test_a_short_weekday_alone_answers_which_day(message: str, day: int) -> None:
    decision = await decide(
        message,
        history=["book rex in for his booster", "Sure. Which day and time would you like for Rex?"],
    )

    assert decision.reply.startswith(f"What time on {at(day, 9):%A} {day} December")


def test_a_short_weekday_that_is_a_word_is_no_day() -> None:
    from switchboard.understanding.text import normalise
    from switchboard.understanding.when import read_when
    from tests.providers.test_local_agent_everyday import NOW, PARIS

    for said in ("we sat in the sun", "he sat down"):
        assert read_when(normalise(said), now=NOW.astimezone(PARIS)).day is None


async def test_what_do_i_owe_after_a_booking_is_its_price() -> None:
    decision = await decide(
        "great what do I owe you",
        bookings=[booked("Rex", at(9, 10), "vaccination")],
        history=[
            "book rex in for his booster wed at 10",
            "I can book Wednesday 9 December at 10:00 for Rex (vaccination). Reply YES to confirm.",
            "yes",
            "Done: you're booked for Wednesday 9 December at 10:00 for Rex.",
        ],
    )

    assert decision.intent is Intent.ANSWER
    assert decision.reply == "A vaccination is €55 (15 minutes)."


async def test_another_pet_at_the_same_time_joins_with_its_own_service() -> None:
    decision = await decide(
        "oh and bella needs her jabs, can she come at the same time?",
        bookings=[booked("Max", at(11, 10))],
        history=[
            "book max for friday at 10",
            "I can book Friday 11 December at 10:00 for Max. Reply YES to confirm.",
            "yes",
            "Done: you're booked for Friday 11 December at 10:00 for Max.",
        ],
    )

    assert proposed(decision) == [("Bella", at(11, 10))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_pet_added_to_an_appointment_takes_that_appointments_service() -> None:
    decision = await decide(
        "add bella to max's appointment", bookings=[booked("Max", at(11, 10), "grooming")]
    )

    assert proposed(decision) == [("Bella", at(11, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_price_asked_between_keeps_the_service_of_the_request() -> None:
    decision = await decide(
        "ok tuesday at 2 then",
        history=[
            "book bella for a groom",
            "Sure. Which day and time would you like for Bella?",
            "how much is that",
            "A grooming is €35 (45 minutes).",
        ],
    )

    assert proposed(decision) == [("Bella", at(8, 14))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_who_it_is_for_answering_our_time_question_keeps_the_question() -> None:
    decision = await decide(
        "for my rabbit",
        history=[
            "do you have anything tomorrow",
            "What time on Tuesday 8 December would you like? I have 08:30, 11:15, 15:45 or 18:30.",
        ],
    )

    assert decision.reply == (
        "Thanks. What time on Tuesday 8 December would you like for your rabbit? I have 08:30, "
        "11:15, 15:45 or 18:30."
    )


GROOM_DONE = [
    "do you have anything on saturday morning for a groom",
    "What time on Saturday 12 December would you like? I have 09:00, 10:00, 10:45 or 11:45.",
    "10:15",
    "I can book Saturday 12 December at 10:15 (grooming). Reply YES to confirm.",
    "yes",
    "Done: you're booked for Saturday 12 December at 10:15.",
]


async def test_who_a_booking_just_made_is_with_is_answered() -> None:
    decision = await decide(
        "oh wait is that with the groomer or the vet?",
        bookings=[booked("you", at(12, 10, 15), "grooming")],
        history=GROOM_DONE,
    )

    assert decision.intent is not Intent.HANDOFF
    assert decision.reply.startswith("Our bookings don't name a vet")


async def test_how_long_after_an_answer_about_the_booking_just_made_is_its_length() -> None:
    decision = await decide(
        "how long does it take?",
        bookings=[booked("you", at(12, 10, 15), "grooming")],
        history=[
            *GROOM_DONE,
            "oh wait is that with the groomer or the vet?",
            "Our bookings don't name a vet, so I can't promise who you'll see; the team can tell "
            "you at the clinic. Your appointment is on Saturday 12 December at 10:15.",
        ],
    )

    assert decision.reply == "A grooming takes 45 minutes (€35)."


async def test_what_we_agreed_on_the_phone_is_the_booking() -> None:
    decision = await decide(
        "sorry what did we agree on the phone?", bookings=[booked("your cat", at(8, 10))]
    )

    assert decision.intent is Intent.ASK_BOOKING
    assert "Tuesday 8 December at 10:00" in decision.reply


async def test_when_can_we_bring_him_offers_free_times_not_bookings() -> None:
    decision = await decide("We have a new puppy! When can we bring him for a first check?")

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("What time on Monday 7 December would you like")


@pytest.mark.parametrize(
    "message",
    [
        "I'd like an appointment at the earliest convenience please",
        "can I come in now?",
        "can you see my dog right now",
    ],
)
async def test_now_or_the_earliest_is_the_first_free_time(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(7, 10)


async def test_what_have_you_got_for_a_pet_offers_its_times() -> None:
    decision = await decide("what have you got for max")

    assert decision.reply.startswith("What time on Monday 7 December would you like for Max?")


async def test_whether_the_vet_is_in_is_that_days_hours() -> None:
    decision = await decide("hi, is the vet in on saturdays?")

    assert decision.intent is Intent.ANSWER
    assert "09:00-13:00" in decision.reply and "don't name a vet" in decision.reply


MAX_THU_BELLA_FRI = [booked("Max", at(10, 10)), booked("Bella", at(11, 14))]


async def test_the_booking_named_by_its_day_moves_to_the_other_pets_time() -> None:
    """It moved Bella to Thursday: the pet named as the time to match was taken for the one to
    move, and the day moved to for the day to move from."""
    decision = await decide(
        "actually move the thursday one to friday as well, same time as bella",
        bookings=MAX_THU_BELLA_FRI,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Max", at(11, 14))]


async def test_the_day_moved_to_names_no_booking() -> None:
    decision = await decide("move the thursday one to friday", bookings=MAX_THU_BELLA_FRI)

    assert proposed(decision) == [("Max", at(11, 10))]


async def test_your_earliest_picks_the_first_time_offered() -> None:
    decision = await decide(
        "what's your earliest",
        history=[
            "for luna, tomorrow",
            "What time on Tuesday 8 December would you like for Luna? I have 08:30, 11:15, 15:45 "
            "or 18:30.",
        ],
    )

    assert proposed(decision) == [("Luna", at(8, 8, 30))]


async def test_a_move_with_nothing_on_record_says_so_and_offers_a_new_booking() -> None:
    decision = await decide("can i move my appointment to friday at 2")

    assert decision.reply.startswith("I can't find an upcoming appointment for this number")
    assert proposed(decision) == [("you", at(11, 14))]


@pytest.mark.parametrize("message", ["what have I got left?", "what's left?"])
async def test_what_is_left_lists_the_bookings(message: str) -> None:
    decision = await decide(message, bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.ASK_BOOKING
    assert "Max on Thursday 10 December at 15:00" in decision.reply


async def test_two_services_asked_then_a_time_books_both() -> None:
    decision = await decide(
        "10am",
        history=[
            "hey, max needs his nails done and a check up. friday?",
            "What time on Friday 11 December would you like for Max? I have 08:30, 11:15, 15:45 "
            "or 18:30.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Max", at(11, 10)), ("Max", at(11, 10, 45))]
    assert [p.service for p in decision.proposals] == ["grooming", "consultation"]


@pytest.mark.parametrize(
    ("message", "earliest", "latest"),
    [
        ("can max come late afternoon on tuesday", "16:00", "17:45"),
        ("can bella come early morning on wednesday", "08:30", "09:45"),
    ],
)
async def test_early_or_late_in_a_part_of_the_day_narrows_the_times(
    message: str, earliest: str, latest: str
) -> None:
    decision = await decide(message)

    offered = clock_times(decision.reply)  # the one proposed, then the others in that part
    assert decision.proposal is not None and offered[0] == earliest, decision.reply
    assert min(offered) >= earliest and max(offered) <= latest, decision.reply


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("stop please", Intent.OPT_OUT),
        ("please stop", Intent.OPT_OUT),
        ("i don't want these messages anymore", Intent.OPT_OUT),
        ("can i opt back in", Intent.OPT_IN),
    ],
)
async def test_opting_out_and_in_in_everyday_words(message: str, intent: Intent) -> None:
    decision = await decide(message)

    assert decision.intent is intent, decision.reply


async def test_stop_while_a_proposal_waits_is_no_opt_out() -> None:
    decision = await decide("stop please", pending=pending("book", at(9, 10), subject="Max"))

    assert decision.intent is not Intent.OPT_OUT


@pytest.mark.parametrize("message", ["please call me", "I'd rather speak on the phone"])
async def test_a_call_back_asked_for_is_a_handoff_that_says_so(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF
    assert "call you back" in decision.reply
    assert decision.note.startswith("The customer asked for a call back")


async def test_the_total_of_several_bookings_waiting_is_added_up() -> None:
    both = await decide("max and bella both need boosters, thursday at 10?")
    waiting = pending_several(both)

    decision = await decide("how much will that be in total?", pending=waiting)

    assert decision.intent is Intent.ANSWER
    assert decision.reply.startswith(
        "That's €110 in total: a vaccination for Max (€55) and a vaccination for Bella (€55)."
    )


@pytest.mark.parametrize(
    ("prices", "total"),
    [(["€55", "€55"], "€110"), (["€45", "€120", "€35"], "€200"), (["€55", "55 USD"], None)],
)
def test_prices_add_up_only_in_one_currency(prices: list[str], total: str | None) -> None:
    from switchboard.understanding.answers import total_price

    assert total_price(prices) == total


@pytest.mark.parametrize(
    "message",
    [
        "is there a fee if i miss my appointment",
        "do you charge for no-shows",
        "what happens if i miss my appointment, will i have to pay",
    ],
)
async def test_the_cost_of_a_missed_visit_is_the_cancellation_policy(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER
    assert (
        decision.reply
        == "Appointments can be moved or cancelled free of charge up to 24 hours before."
    )


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("whens belas groom", "Bella (grooming) is on Friday 11 December at 10:00"),
        ("whens max in", "Max is on Thursday 10 December at 15:00"),
    ],
)
async def test_chat_spelling_of_when_and_a_possessive_reads_the_booking(
    message: str, said: str
) -> None:
    decision = await decide(message, bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.ASK_BOOKING
    assert said in decision.reply


@pytest.mark.parametrize(
    ("message", "slot", "first", "second"),
    [
        ("can i book my cat and my dog in on friday at 3", at(11, 15), "your cat", "your dog"),
        ("book my dog and cat thursday 11", at(10, 11), "your dog", "your cat"),
    ],
)
async def test_two_unnamed_animals_get_a_booking_each(
    message: str, slot: object, first: str, second: str
) -> None:
    """It booked the cat alone: the dog was dropped."""
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [(first, slot), (second, slot)]


async def test_an_unnamed_animals_booking_is_found_by_its_animal() -> None:
    bookings = [booked("your cat", at(11, 15)), booked("your dog", at(11, 16))]

    decision = await decide("what time is my dog in?", bookings=bookings)

    assert decision.reply == "Your appointment for your dog is on Friday 11 December at 16:00."


async def test_have_i_got_anything_on_a_day_is_that_days_booking() -> None:
    decision = await decide("have I got anything on friday", bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.ASK_BOOKING
    assert decision.reply == "Your appointment for Bella is on Friday 11 December at 10:00."


async def test_the_same_day_as_another_pet_keeps_the_booked_time() -> None:
    decision = await decide(
        "can I get max's appointment moved to the same day as bella's", bookings=BOOKED_FRIDAY
    )

    assert proposed(decision) == [("Max", at(11, 15))]


async def test_a_pet_asked_to_come_on_a_day_with_another_joins_its_time() -> None:
    decision = await decide("can bella come on thursday with max instead", bookings=BOOKED_FRIDAY)

    assert proposed(decision) == [("Bella", at(10, 15))]


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("any saturdays free in january?", "Saturday 2 January"),
        ("a tuesday in january at 10", "Tuesday 5 January"),
    ],
)
async def test_a_weekday_in_a_month_is_its_first_one(message: str, day: str) -> None:
    decision = await decide(message)

    assert day in decision.reply


async def test_same_as_another_pet_copies_its_booking() -> None:
    decision = await decide(
        "same as bella for max please", bookings=[booked("Bella", at(11, 10), "grooming")]
    )

    assert proposed(decision) == [("Max", at(11, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


@pytest.mark.parametrize(
    "message",
    [
        "i work 9-5 mon to fri, what have you got?",
        "i work 9 to 5, can max come in on wednesday?",
        "I'm at work from 8 till 6 every day, when can you see my cat",
    ],
)
async def test_working_hours_said_are_no_times_offered(message: str) -> None:
    decision = await decide(message)

    offered = clock_times(decision.reply)
    assert offered and min(offered) >= "17:00", decision.reply


async def test_before_opening_says_when_we_open() -> None:
    decision = await decide("anything before 8am?")

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("Sorry, we don't open before 08:30, so nothing before 08:00.")


REMINDED = [
    "(none)",
    "Reminder: Max is booked for Thursday 10 December at 15:00. Reply YES to confirm, tell us a "
    "new day and time to move it, or CANCEL to cancel.",
]


@pytest.mark.parametrize(("message", "slot"), [("4pm?", at(10, 16)), ("friday", at(11, 15))])
async def test_a_day_or_time_answering_our_reminder_moves_that_booking(
    message: str, slot: object
) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 15))], history=REMINDED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == slot


async def test_anything_before_a_time_offers_the_first_day_with_such_times() -> None:
    decision = await decide("anything before 10?")

    assert decision.reply.startswith("I can book Tuesday 8 December at 08:30"), decision.reply
    assert max(clock_times(decision.reply)) < "10:00", decision.reply


async def test_how_long_will_he_be_there_is_the_length_of_the_service_waiting() -> None:
    decision = await decide(
        "how long will he be there?",
        pending=pending("book", at(8, 9), subject="Rex", service="dental"),
    )

    assert decision.reply.startswith("A dental cleaning takes 60 minutes (€120).")


async def test_only_one_pet_kept_with_the_other_unwell_confirms_that_one() -> None:
    both = await decide("hi, can max and luna come wednesday 10am for their jabs")

    decision = await decide("only luna please, max is poorly", pending=pending_several(both))

    assert decision.intent is Intent.CONFIRM
    assert decision.confirmed == ["c1"]


async def test_how_much_just_after_a_booking_is_its_price() -> None:
    decision = await decide(
        "thanks, how much?",
        bookings=[booked("Luna", at(9, 10), "vaccination")],
        history=["only luna please", "Done: Luna is booked for Wednesday 9 December at 10:00."],
    )

    assert decision.reply == "A vaccination is €55 (15 minutes)."


async def test_one_pet_having_the_others_slot_and_back_is_a_swap() -> None:
    decision = await decide(
        "can max have bella's slot and bella have max's", bookings=BOOKED_FRIDAY
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Max", at(11, 10)), ("Bella", at(10, 15))]


async def test_a_pet_put_in_anothers_slot_moves_there() -> None:
    decision = await decide("put bella in max's slot", bookings=BOOKED_FRIDAY)

    assert proposed(decision) == [("Bella", at(10, 15))]


@pytest.mark.parametrize(
    "message", ["what's max in for on thursday", "is max booked in for his jab or a check up"]
)
async def test_what_a_pet_is_in_for_is_its_bookings_service(message: str) -> None:
    decision = await decide(message, bookings=BOOKED_FRIDAY)

    assert decision.intent is Intent.ASK_BOOKING
    assert (
        decision.reply
        == "Your appointment for Max (consultation) is on Thursday 10 December at 15:00."
    )


async def test_each_pets_own_service_is_kept_when_the_time_comes_next() -> None:
    """It booked both as consultations: Buddy's groom was lost."""
    decision = await decide(
        "10am for both",
        history=[
            "hi! can i book in my dog buddy for a groom and my cat misty for a check up, both "
            "saturday morning?",
            "What time on Saturday 12 December would you like for Buddy and Misty? I have "
            "09:00, 10:00, 10:45 or 11:45.",
        ],
    )

    assert proposed(decision) == [("Buddy", at(12, 10)), ("Misty", at(12, 10))]
    assert [p.service for p in decision.proposals] == ["grooming", "consultation"]


async def test_the_hour_work_starts_is_no_time_asked() -> None:
    """It booked 09:00, the hour the customer starts work: a wrong action (set 32). The one
    visit over by 09:00 is the opening one, 08:30 (a consultation takes 30 minutes)."""
    decision = await decide(
        "anything before work on wednesday for nala? I start at 9 so it needs to be early"
    )

    assert proposed(decision) == [("Nala", at(9, 8, 30))]


async def test_no_more_whatsapps_opts_out() -> None:
    decision = await decide("no more whatsapps pls, we've moved to lyon 👋 thanks for everything")

    assert decision.intent is Intent.OPT_OUT


async def test_is_that_with_the_vet_is_answered_and_the_proposal_put_again() -> None:
    decision = await decide(
        "is that with the vet? she hates the vet lol",
        pending=pending("book", at(9, 10), subject="Max"),
    )

    assert decision.reply.startswith("Our bookings don't name a vet")


async def test_a_pet_seen_again_is_named() -> None:
    decision = await decide(
        "vet wants to see milo again in 2 weeks to check his stitches, can we do the monday at 10?"
    )

    assert proposed(decision) == [("Milo", at(21, 10))]
