"""Held-out set 36 (evals/scenarios/everyday36.yaml): missed visits rebooked, the time before
the pet, households moved or cancelled at once, new pets, corrections of a name, holidays, "same
day next week", recurring visits, and the general rules their failures showed. Reference moment:
Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, pending, proposed


async def test_another_visit_the_same_day_next_week_is_a_new_booking_not_a_move() -> None:
    """It moved Bella's Wednesday grooming to the week after: a wrong action."""
    decision = await decide(
        "hi bella's got her groom on wednesday, can she have another one same day next week? "
        "same time as well. she's a shedding nightmare 😂",
        bookings=[booked("Bella", at(9, 10, 30), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bella", at(16, 10, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_missed_visit_rebooked_at_the_same_time_is_at_its_time() -> None:
    """It asked the time (the missed visit's 11:30 was not read from "same time")."""
    decision = await decide(
        "hi we missed bella and coco's jabs on saturday, the car broke down on the way 😩 can "
        "they both come this saturday instead? same time",
        bookings=[
            booked("Bella", at(5, 11, 30), "vaccination"),
            booked("Coco", at(5, 11, 30), "vaccination"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(12, 11, 30)), ("Coco", at(12, 11, 30))]
    assert [p.service for p in decision.proposals] == ["vaccination", "vaccination"]


async def test_a_time_turned_down_is_tried_again_for_the_service_named_next() -> None:
    """12:15 was turned down for a consultation (it runs past the 12:30 break); "for simba, he
    needs his jab" asked the day and time again though a 15-minute jab fits."""
    decision = await decide(
        "for simba, he needs his jab",
        history=[
            "is 12.15 free on friday?",
            "Sorry, Friday 11 December at 12:15 isn't possible: that's outside our opening "
            "hours. I can offer Friday 11 December at 11:30, Friday 11 December at 11:45 or "
            "Friday 11 December at 12:00. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Simba", at(11, 12, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_relatives_pet_named_after_its_kind_is_the_pet() -> None:
    decision = await decide(
        "oh good. can he come in tomorrow at 12?",
        history=[
            "do you see hamsters? my son's hamster nibbles has a little lump on his tummy",
            "We see cats, dogs, rabbits and other small pets.",
        ],
    )

    assert proposed(decision) == [("Nibbles", at(8, 12))]


async def test_a_new_puppy_named_after_a_comma_is_the_pet() -> None:
    """It booked "your puppy"."""
    decision = await decide(
        "hi we've got a new puppy, biscuit 🐶 can we book his first visit wednesday at 5.30?"
    )

    assert proposed(decision) == [("Biscuit", at(9, 17, 30))]


async def test_a_name_said_instead_of_the_one_read_back_corrects_the_proposal() -> None:
    """It asked for a yes or no and then booked Bella: a booking nobody wanted."""
    decision = await decide(
        "omg autocorrect 🤦‍♀️ STELLA not bella!! bella is my sisters dog",
        pending=pending("book", at(10, 10), subject="Bella", service="grooming"),
    )

    assert proposed(decision) == [("Stella", at(10, 10))]


async def test_if_not_is_no_name() -> None:
    decision = await decide("Are you open Sunday? If not Saturday at 10 for Luna's jab")

    assert proposed(decision) == [("Luna", at(12, 10))]


async def test_just_one_pets_bookings_are_said_without_the_others() -> None:
    decision = await decide(
        "hi what has bella got booked with you? just bella, i know when max's is",
        bookings=[
            booked("Max", at(8, 11)),
            booked("Bella", at(10, 17), "grooming").model_copy(update={"id": "b-bella-1"}),
            booked("Bella", at(14, 9, 30), "vaccination").model_copy(update={"id": "b-bella-2"}),
        ],
    )

    assert "Max" not in decision.reply and "11:00" not in decision.reply
    assert "Thursday 10 December at 17:00" in decision.reply
    assert "Monday 14 December at 09:30" in decision.reply


async def test_a_new_pet_the_same_day_next_week_steps_from_the_booking_talked_about() -> None:
    """It offered Monday 14's times (the day after "next week" began), not Friday 18 at 15:30."""
    decision = await decide(
        "ok and can her sister nala come same day next week, same time?",
        bookings=[booked("Luna", at(11, 15, 30))],
        history=[
            "what time is luna's on friday again? 🙈",
            "Your appointment for Luna is on Friday 11 December at 15:30.",
        ],
    )

    assert proposed(decision) == [("Nala", at(18, 15, 30))]


async def test_how_often_is_no_day_and_the_first_visit_is_booked_alone() -> None:
    """ "every 3 weeks … first one friday at 9.30" read as Friday 1 January (New Year's Day)."""
    decision = await decide(
        "hi max has to have his allergy jabs every 3 weeks now 🙄 can you book them all in? "
        "first one friday at 9.30"
    )

    assert decision.reply.startswith("I can book one appointment at a time")
    assert proposed(decision) == [("Max", at(11, 9, 30))]


async def test_is_the_one_weeks_after_booked_says_nothing_is_then() -> None:
    decision = await decide(
        "and the one 3 weeks after that, is that booked too?",
        bookings=[booked("Max", at(11, 9, 30), "vaccination")],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith("Nothing is booked on Friday 1 January.")


async def test_a_yes_adding_a_service_proposes_both_back_to_back() -> None:
    """The nail trim was ignored and only the check-up booked."""
    decision = await decide(
        "yes and can you add a nail trim while she's there? 💅",
        pending=pending("book", at(12, 10), subject="Daisy", service="consultation"),
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Daisy", at(12, 10)), ("Daisy", at(12, 10, 30))]
    assert [p.service for p in decision.proposals] == ["consultation", "grooming"]


async def test_the_missed_visits_morning_is_not_the_part_of_the_day_asked_for() -> None:
    """ "after 5" was read as 05:00, with the "this morning" of the visit missed."""
    decision = await decide(
        "omg so sorry we missed teddy's appointment this morning, i overslept 😫 can he come "
        "later today instead? after 5 if poss"
    )

    assert proposed(decision) == [("Teddy", at(7, 17))]


async def test_no_thanks_to_the_times_offered_books_nothing_and_asks_nothing() -> None:
    """It offered Tuesday's times ("i'll see how he is tomorrow")."""
    decision = await decide(
        "hmm no thanks, leave it for now actually. i'll see how he is tomorrow and message you",
        history=[
            "is there anything thursday morning for oscar? just a check up, he's been a bit sneezy",
            "What time on Thursday 10 December would you like for Oscar? I have 08:30, 09:30, "
            "10:45 or 11:45.",
        ],
    )

    assert decision.proposal is None and "?" not in decision.reply, decision.reply
    assert "nothing is booked" in decision.reply


async def test_a_question_whether_something_is_normal_is_for_the_vet() -> None:
    """It answered with the opening hours ("18 hours a day")."""
    decision = await decide(
        "is it normal for a puppy to sleep like 18 hours a day?? luna is 10 weeks and she just "
        "sleeps all the time 😅 not ill or anything just wondering"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "opening hours" not in decision.reply


async def test_do_i_have_to_asks_nothing_about_bookings() -> None:
    """It added "I can't find an upcoming appointment" to the price and length."""
    decision = await decide(
        "how much is a dental clean for a cat? and how long does it take, do i have to leave her "
        "there all day?"
    )

    assert decision.reply.startswith("A dental cleaning is €120 (60 minutes).")
    assert "upcoming appointment" not in decision.reply


async def test_anytime_before_an_hour_is_the_first_free_time_before_it() -> None:
    """It proposed 11:00 for "anytime before 11", and a yes booked it: not what was asked."""
    decision = await decide(
        "anytime before 11",
        history=[
            "can i book my dog in for tomorrow morning, she's called Pickle",
            "What time on Tuesday 8 December would you like for Pickle? I have 08:30, 09:30, "
            "10:45 or 11:45.",
        ],
    )

    assert proposed(decision) == [("Pickle", at(8, 8, 30))]


async def test_just_cancel_it_to_our_cancellation_question_confirms_it() -> None:
    """It proposed the same cancellation again for another yes."""
    decision = await decide(
        "just cancel it",
        bookings=[booked("Max", at(8, 11))],
        pending=pending("cancel", at(8, 11), subject="Max", booking_id="b-Max"),
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_bare_weekday_answering_our_offer_is_the_day_offered() -> None:
    """ "saturday" answering our offer of Saturday 19 asked Saturday 12's times, and the booking
    went on the 12th: a week before the customer wanted."""
    decision = await decide(
        "saturday",
        history=[
            "Hi, I need to book a vaccination for my dog Oscar. He's due on the 20th but that's a "
            "Sunday, so the Saturday before or the Monday after?",
            "Sorry, we're closed on Sundays. I can offer Saturday 19 December at 11:45, Saturday "
            "19 December at 12:00 or Monday 21 December at 12:00. Which would suit you?",
        ],
    )

    assert decision.reply.startswith("What time on Saturday 19 December would you like for Oscar")


async def test_is_it_cheaper_about_a_booked_visit_is_its_price() -> None:
    decision = await decide(
        "Hi! Quick one: Bella's groom on Thursday, could you make it a bit shorter, just a bath "
        "and nails? and is it cheaper then?",
        bookings=[booked("Bella", at(10, 10), "grooming")],
    )

    assert "A grooming is €35 (45 minutes)." in decision.reply


async def test_a_bare_name_answering_our_times_for_your_dog_names_the_dog() -> None:
    """ "Rocky" was not understood, and the booking went to "your dog"."""
    history = [
        "Hello I want to book for my dog for the grooming next Saturday morning",
        "What time on Saturday 19 December would you like for your dog? I have 09:00, 10:00, "
        "10:45 or 11:45.",
    ]
    named = await decide("Rocky", history=history)

    assert named.reply.startswith("What time on Saturday 19 December would you like for Rocky?")

    decision = await decide("10:45", history=[*history, "Rocky", named.reply])

    assert proposed(decision) == [("Rocky", at(19, 10, 45))]


async def test_what_is_owed_for_cancelling_is_the_cancellation_policy() -> None:
    decision = await decide("how much do i owe for cancelling?")

    assert decision.reply.startswith("Appointments can be moved or cancelled free of charge")


async def test_is_it_possible_to_make_it_earlier_is_a_move_not_a_question() -> None:
    """A rule of this session read it as a question about the booked visit (set 25 caught it)."""
    decision = await decide(
        "Hello, I have an appointment for my cat Mia tomorrow in the evening. Is it possible to "
        "make it earlier in the day? In the morning it would fit better for me.",
        bookings=[booked("Mia", at(8, 17, 30))],
    )

    assert "moved to?" in decision.reply, decision.reply


async def test_the_day_of_the_cancelling_clause_says_which_booking() -> None:
    """ "… tomorrow morning, I don't know for how long" was read as the cancellation's day (with
    nothing booked then) and as a question about how long a visit takes (set 27 caught it)."""
    decision = await decide(
        "Hola! Lo siento mucho, I need to cancel Lola's appointment on Friday. My mother is in "
        "hospital in Sevilla and I fly there tomorrow morning, I don't know for how long. Sorry "
        "for the trouble, muchas gracias por todo",
        bookings=[booked("Lola", at(11, 17))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.reply.startswith("I can cancel the appointment for Lola")


async def test_no_thats_all_after_an_answer_is_a_goodbye_not_nothing_booked() -> None:
    """A rule of this session answered a call's "No, that's all, thanks." with "nothing is
    booked … message us here", so the call did not end (CI caught it)."""
    decision = await decide(
        "No, that's all, thanks.",
        history=[
            "what time do you open on saturday?",
            "On Saturday we're open 09:00-13:00. Anything else?",
        ],
    )

    assert "nothing is booked" not in decision.reply
