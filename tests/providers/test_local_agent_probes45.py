"""Conversations played turn by turn in session 45 (held-out sets 175 onwards, written blind in
it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``); the sets' own
days are moved a week earlier here."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, pending, pending_several, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of

# -- the first wave: an ordinary week, dictation, a second language, new customers ----------


async def test_every_appointment_asked_for_is_listed_though_one_pet_is_named() -> None:
    kobe = booking_of("Kobe", at(10, 9, 15), "grooming", "b1")
    bean = booking_of("Bean", at(14, 10), "consultation", "b2")
    decision = await decide(
        "Hello, could you remind me what appointments we've got with you? Can't remember if "
        "Bean's is this week or next",
        bookings=[kobe, bean],
        busy=busy_of(kobe, bean),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "Kobe" in decision.reply and "10 December at 09:15" in decision.reply
    assert "Bean" in decision.reply and "14 December at 10:00" in decision.reply


async def test_a_lower_case_name_beside_a_capitalised_one_is_booked_too() -> None:
    decision = await decide(
        "can I bring my to cats mango and Juniper in for there boosters on wednesday at 2 15 please"
    )
    assert sorted(proposed(decision)) == [("Juniper", at(9, 14, 15)), ("Mango", at(9, 14, 15))]


async def test_two_dogs_dictated_with_one_capital_are_both_groomed() -> None:
    decision = await decide(
        "hiya could I book ollie and Bean in for a groom saturday morning at nine they are both "
        "scruffy Dogs at the moment they can go in together"
    )
    assert sorted(proposed(decision)) == [("Bean", at(12, 9)), ("Ollie", at(12, 9))]


async def test_a_yes_in_italian_confirms_our_read_back() -> None:
    pepe = booking_of("Pepe", at(8, 11), "consultation", "b1")
    read_back = (
        "I can move the appointment for Pepe from Tuesday 8 December at 11:00 to Tuesday 8 "
        "December at 17:30. Reply YES to confirm."
    )
    for answer in ("sì perfetto, grazie", "oui yes, merci beaucoup", "sim, yes please"):
        decision = await decide(
            answer,
            bookings=[pepe],
            busy=busy_of(pepe),
            history=["it is possible to change the hour of Pepe tomorrow? at 17h30", read_back],
        )
        assert "inglese" not in decision.reply and "anglais" not in decision.reply, answer
        assert decision.intent is not Intent.OTHER, (answer, decision.reply)


async def test_a_date_after_the_holiday_explained_is_the_day_wanted() -> None:
    decision = await decide(
        "ah claro, sorry 🤦\u200d♀️ is Christmas. then the 24 at 10h?",
        history=[
            "Olá! it is possible the 25 december in the morning, for the vaccine of my dog Farofa?",
            "Sorry, we're closed on Christmas Day. I can offer Thursday 24 December at 11:45 or "
            "Thursday 24 December at 12:00. Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Farofa", at(24, 10))]


async def test_a_cancellation_with_the_writers_own_trip_earlier_is_a_cancellation() -> None:
    bello = booking_of("Bello", at(11, 10), "grooming", "b1")
    decision = await decide(
        "Guten Tag, I must unfortunately cancel the termin of Bello on friday (the grooming). We "
        "drive earlier to my family in Munich for Christmas. I will call eventually in january "
        "for a new one",
        bookings=[bello],
        busy=busy_of(bello),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Bello", at(11, 10))]


async def test_no_more_messages_asked_in_other_words_is_an_opt_out() -> None:
    mimi = booking_of("Mimi", at(9, 10), "consultation", "b1")
    for message in (
        "Dzień dobry. Please, I don't want to receive more messages from you on whatsapp. Stop "
        "the messages, thank you. The appointment of Mimi stays, we come wednesday normally.",
        "Hi, we moved to Bordeaux in the autumn so we won't be coming anymore. Please stop the "
        "whatsapp messages, thanks",
    ):
        decision = await decide(message, bookings=[mimi], busy=busy_of(mimi))
        assert decision.intent is Intent.OPT_OUT, (message, decision.reply)


async def test_a_pets_age_is_no_hour() -> None:
    decision = await decide(
        "hello! I've just taken in my late neighbour's old cat, he's about 12 and his teeth look "
        "awful, poor thing. how much is a dental cleaning with you and how long does it take?"
    )
    assert "120" in decision.reply
    assert "12:00" not in decision.reply


async def test_a_name_after_the_kind_and_an_exclamation_is_the_pets() -> None:
    decision = await decide(
        "hiii we just brought home our puppy!! 🐶 noisette, cocker spaniel, 10 weeks old. the "
        "breeder did her first jabs and she needs the second ones now. how much is it and can "
        "she come thursday around 3pm?"
    )
    assert proposed(decision) == [("Noisette", at(10, 15))]
    assert "55" in decision.reply


async def test_a_city_capitalised_leaves_a_lower_case_name_a_name() -> None:
    decision = await decide(
        "hi, we just moved here from Marseille. my cat falafel needs a check up, nothing urgent. "
        "can she come thursday at 12?"
    )
    assert proposed(decision) == [("Falafel", at(10, 12))]


async def test_two_names_told_as_an_answer_are_both_booked() -> None:
    decision = await decide(
        "wednesday the 16th at 5pm? they're tofu and miso 🐱🐱",
        history=[
            "hi! can I bring both kittens in for their first vaccines next week?",
            "What time on Monday 14 December would you like for your kittens? I have 08:30, "
            "11:30, 15:45 or 18:45.",
        ],
    )
    assert sorted(proposed(decision)) == [("Miso", at(16, 17)), ("Tofu", at(16, 17))]


async def test_what_they_are_is_not_their_names() -> None:
    decision = await decide("they're tired and hungry, can they come thursday at 10?")
    assert {s for s, _ in proposed(decision)} <= {"you", "them"}


async def test_both_of_them_with_a_time_moves_both_there() -> None:
    titus = booking_of("Titus", at(9, 9), "consultation", "b1")
    cleo = booking_of("Cleo", at(9, 9), "consultation", "b2")
    decision = await decide(
        "both of them please, 3pm if you can",
        bookings=[titus, cleo],
        busy=busy_of(titus, cleo),
        history=[
            "hi, something's come up on wednesday morning 😩 could we move to the afternoon "
            "instead?",
            "Which appointment should I move: Titus on Wednesday 9 December at 09:00 or Cleo on "
            "Wednesday 9 December at 09:00?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Cleo", at(9, 15)), ("Titus", at(9, 15))]


# -- the second wave: corrections, terse customers, look-ups beside changes -----------------


async def test_the_other_dogs_booking_moved_not_the_one_we_read_back() -> None:
    rolo = booking_of("Rolo", at(9, 14), "consultation", "b1")
    fudge = booking_of("Fudge", at(11, 11), "consultation", "b2")
    decision = await decide(
        "no the other dog 🙈 fudge! rolo's wednesday is fine. fudge's friday one to thursday at 11",
        bookings=[rolo, fudge],
        busy=busy_of(rolo, fudge),
        history=[
            "can we move the dog's appointment to thursday please",
            "I can move Rolo's appointment from Wednesday 9 December at 14:00 to Thursday 10 "
            "December at 14:00. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Fudge", at(10, 11))]
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_pet_put_back_in_is_booked_again_and_the_other_cancelled() -> None:
    dolly = booking_of("Dolly", at(10, 16, 30), "consultation", "b1")
    decision = await decide(
        "wait what?? I said DOLLY not kobe! kobe still needs to come wednesday at 10.30. can you "
        "put him back in and cancel dolly's thursday one instead",
        bookings=[dolly],
        busy=busy_of(dolly),
        history=[
            "please cancel dolly's appointment, she's much better",
            "Done: Kobe's appointment on Wednesday 9 December at 10:30 is cancelled.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("book", "Kobe", at(9, 10, 30)),
        ("cancel", "Dolly", at(10, 16, 30)),
    ]


async def test_when_in_this_week_asked_with_a_later_time_stays_on_its_day() -> None:
    rex = booking_of("Rex", at(9, 10), "consultation", "b1")
    decision = await decide(
        "hiya when's rex in this week? can we make it later in the day, i'm stuck at work till 3",
        bookings=[rex],
        busy=busy_of(rex),
    )
    assert "Monday" not in decision.reply, decision.reply
    assert "Wednesday 9 December at 10:00" in decision.reply


async def test_terse_answers_name_the_pet() -> None:
    for answer in ("nugget. dog", "clover, rabbit", "rolo, limping"):
        decision = await decide(
            "thurs 10?",
            history=[
                "appointment",
                "Sure. Which day and time would you like?",
                answer,
                "Sorry, which day and time would you like?",
            ],
        )
        name = answer.split(".")[0].split(",")[0].title()
        assert proposed(decision) == [(name, at(10, 10))], answer


async def test_an_unknown_word_on_a_line_of_its_own_in_a_burst_is_the_pet() -> None:
    decision = await decide("hiya\njab\nmochi\ntmrw 2pm")
    assert proposed(decision) == [("Mochi", at(8, 14))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_shorthand_cancel_and_stop_and_a_person() -> None:
    luna = booking_of("Luna", at(10, 15), "consultation", "b1")
    cancel = await decide("canc thurs", bookings=[luna], busy=busy_of(luna))
    assert cancel.intent is Intent.PROPOSE_CANCEL, cancel.reply
    stop = await decide("stop msgs pls", bookings=[luna], busy=busy_of(luna))
    assert stop.intent is Intent.OPT_OUT, stop.reply
    person = await decide("hi\nneed 2 speak 2 someone\nre bill")
    assert person.intent is Intent.HANDOFF, person.reply
    mine = await decide("my appts?", bookings=[luna], busy=busy_of(luna))
    assert "Thursday 10 December at 15:00" in mine.reply


async def test_the_team_asking_which_pet_is_answered_by_a_name() -> None:
    decision = await decide(
        "rex",
        history=[
            "check up tmrw 11?",
            "Tomorrow, Tuesday 8 December, at 11:00 is free. Which pet is it for?",
        ],
    )
    assert proposed(decision) == [("Rex", at(8, 11))]


async def test_the_later_one_answers_which_to_cancel() -> None:
    groom = booking_of("Bella", at(8, 11, 30), "grooming", "b1")
    jab = booking_of("Bella", at(14, 11, 30), "vaccination", "b2")
    decision = await decide(
        "the later one",
        bookings=[groom, jab],
        busy=busy_of(groom, jab),
        history=[
            "canc bella",
            "Which appointment should I cancel: Bella's grooming on Tuesday 8 December at 11:30 "
            "or Bella's vaccination on Monday 14 December at 11:30?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_meant_another_day_after_a_booking_moves_it_there() -> None:
    kiwi = booking_of("Kiwi", at(10, 16), "consultation", "b1")
    decision = await decide(
        "oops\nmeant fri",
        bookings=[kiwi],
        busy=busy_of(kiwi),
        history=[
            "kiwi check up thurs 4pm",
            "I can book Thursday 10 December at 16:00 for Kiwi (consultation). Reply YES to "
            "confirm.",
            "yes",
            "Done: Kiwi is booked for a consultation on Thursday 10 December at 16:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Kiwi", at(11, 16))]


async def test_a_greeting_then_a_pet_and_when_asks_its_booking() -> None:
    max_ = booking_of("Max", at(11, 14, 30), "dental", "b1")
    decision = await decide("hi\nmax appt\nwhen?", bookings=[max_], busy=busy_of(max_))
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Friday 11 December at 14:30" in decision.reply


async def test_the_booking_asked_about_is_said_beside_the_move_asked() -> None:
    peanut = booking_of("Peanut", at(8, 11), "consultation", "b1")
    decision = await decide(
        "is peanut booked tomorrow morning? any chance we could come today instead, this "
        "afternoon sometime?",
        bookings=[peanut],
        busy=busy_of(peanut),
    )
    assert "Tuesday 8 December at 11:00" in decision.reply, decision.reply
    assert decision.reply.index("Tuesday 8 December") < decision.reply.index("Monday 7 December")
    then = await decide(
        "3pm?",
        bookings=[peanut],
        busy=busy_of(peanut),
        history=[
            "is peanut booked tomorrow morning? any chance we could come today instead, this "
            "afternoon sometime?",
            decision.reply,
        ],
    )
    assert then.intent is Intent.PROPOSE_RESCHEDULE, then.reply
    assert proposed(then) == [("Peanut", at(7, 15))]


async def test_can_it_be_after_the_booking_was_told_moves_it() -> None:
    juniper = booking_of("Juniper", at(10, 14), "consultation", "b1")
    decision = await decide(
        "oh no! I had it down as friday. can it be friday at 2 then? thursday's no good for me",
        bookings=[juniper],
        busy=busy_of(juniper),
        history=[
            "just checking juniper is still booked for friday at 2?",
            "Nothing is booked on Friday 11 December. Your appointment for Juniper is on "
            "Thursday 10 December at 14:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Juniper", at(11, 14))]


async def test_what_time_is_it_then_can_it_be_after_5_is_a_move() -> None:
    kiwi = booking_of("Kiwi", at(8, 11), "consultation", "b1")
    decision = await decide(
        "morning!\nwhat time is kiwi's check up tmrw?\ncan it be after 5? i finish work at half 4",
        bookings=[kiwi],
        busy=busy_of(kiwi),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert "11:00" in decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_greeting_or_a_childs_keys_on_a_line_are_no_pet() -> None:
    decision = await decide(
        "hiya sorry in a rush\nneed to book sausage in for his booster\njjjjjjjjkkkkkkk\nsorry "
        "leo grabbed the phone 🙈 sat morning? 10.30?"
    )
    assert proposed(decision) == [("Sausage", at(12, 10, 30))]
    greeted = await decide("heyy\ncan u book my hamster nibbles in 4 a checkup\n2moro at 4??")
    assert proposed(greeted) == [("Nibbles", at(8, 16))]


async def test_a_pet_left_off_our_booking_is_added_not_a_farewell() -> None:
    bean = booking_of("Bean", at(11, 15), "consultation", "b1")
    decision = await decide(
        "you've only put bean down! sprout needs to come too, same time",
        bookings=[bean],
        busy=busy_of(bean),
        history=[
            "can bean and sprout both come friday at 3 for a check up? guinea pigs",
            "Done: Bean is booked for a consultation on Friday 11 December at 15:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Sprout", at(11, 15))]


async def test_our_offers_service_put_right_is_offered_again_with_it() -> None:
    decision = await decide(
        "its for her jabs not a check up!",
        history=[
            "hello, can pretzel come in for her jabs on thursday at 5pm?",
            "I can book Thursday 10 December at 17:00 for Pretzel (consultation). Reply YES to "
            "confirm.",
        ],
    )
    assert proposed(decision) == [("Pretzel", at(10, 17))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_the_day_meant_after_a_slip_is_the_one_answered() -> None:
    decision = await decide("are you open saturday afternoon? sorry, sunday i mean. sat is no good")
    assert "Sunday" in decision.reply, decision.reply
    assert "Saturdays" not in decision.reply


async def test_a_day_scrapped_is_no_longer_asked() -> None:
    decision = await decide(
        "hi can teddy have a check up thursday at 10? actually no scrap thursday sorry, I'm "
        "working. a different day but same time"
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Thursday" not in decision.reply and "10:00" in decision.reply


async def test_a_bare_date_after_our_opening_answer_asks_that_days_opening() -> None:
    decision = await decide(
        "26th?",
        history=[
            "open xmas eve?",
            "Yes, we're open on Thursday 24 December, 08:30-12:30 and 14:00-19:00.",
        ],
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "Saturday 26 December" in decision.reply and "13:00" in decision.reply


async def test_a_weekday_with_its_date_is_that_dates_opening() -> None:
    decision = await decide("are you open on saturday 26 december?")
    assert "Saturday 26 December" in decision.reply, decision.reply


async def test_two_holidays_and_the_night_service_asked_together() -> None:
    decision = await decide(
        "are you open on christmas day? and new years day? and if something happens to rocco "
        "while you're shut what do i do"
    )
    assert "25 December" in decision.reply and "1 January" in decision.reply
    assert "99 00" in decision.reply
    assert decision.reply.count("Our usual hours") == 1


# -- the third wave: life's constraints, questions answering our questions -------------------


async def test_a_month_past_the_horizon_asked_for_a_move_is_refused_and_kept() -> None:
    hazel = booking_of("Hazel", at(15, 9), "dental", "b1")
    decision = await decide(
        "when is hazel's dental? any chance we could push it to april? money's a bit tight "
        "after xmas",
        bookings=[hazel],
        busy=busy_of(hazel),
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "90 days" in decision.reply and "stays on Tuesday 15 December" in decision.reply


async def test_the_hours_of_the_customers_own_day_are_no_time_asked() -> None:
    rufus = await decide(
        "thursday then, as early as you can, he starts work at 11",
        history=[
            "can you book rufus in for a check up whenever my husband can take him? he's free "
            "tuesday and thursday mornings",
            "What time on Tuesday 8 December would you like for Rufus? I have 08:30, 09:30, "
            "10:45 or 11:45.",
        ],
    )
    assert proposed(rufus) == [("Rufus", at(10, 8, 30))]
    dogs = await decide(
        "how long will it take for both? i have to be back for 5",
        history=[
            "need check ups for my two dogs atlas and juno, what have you got tuesday afternoon?",
            "What time on Tuesday 8 December would you like for Atlas and Juno? I have 14:00, "
            "15:00, 15:45 or 16:45.",
        ],
    )
    assert dogs.intent is Intent.ANSWER, dogs.reply
    assert "17:00" not in dogs.reply


async def test_a_question_about_the_time_read_back_is_no_yes_and_no_new_time() -> None:
    waiting = pending("book", at(8, 10), subject="Tofu", service="vaccination")
    decision = await decide(
        "is 10 ok or is that too early for a jab? he normally has breakfast at 9, does he need "
        "to skip it?",
        pending=waiting,
        history=[
            "can Tofu have his booster tuesday at 10?",
            "I can book Tuesday 8 December at 10:00 for Tofu (vaccination). Reply YES to confirm.",
        ],
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert "09:00" not in decision.reply


async def test_one_after_the_other_books_the_second_when_the_first_ends() -> None:
    decision = await decide(
        "after the school drop-off on thursday can bonnie have her groom and clyde his booster, "
        "one after the other? I can be there for 9"
    )
    assert sorted(proposed(decision)) == [("Bonnie", at(10, 9)), ("Clyde", at(10, 9, 45))]


async def test_a_work_shift_is_no_move_and_its_cancel_is_done() -> None:
    nugget = booking_of("Nugget", at(10, 15, 30), "consultation", "b1")
    olive = booking_of("Olive", at(12, 10), "consultation", "b2")
    decision = await decide(
        "got called in for an extra shift thursday so I need to cancel nugget's appointment, "
        "sorry. I'll rebook when I know my rota",
        bookings=[nugget, olive],
        busy=busy_of(nugget, olive),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    swap = await decide(
        "hi doing a shift swap with a colleague, have I got anything booked with you this week?",
        bookings=[nugget],
        busy=busy_of(nugget),
    )
    assert swap.intent is Intent.ASK_BOOKING, swap.reply


async def test_a_booking_given_up_by_its_time_is_moved() -> None:
    poppet = booking_of("Poppet", at(9, 8, 45), "consultation", "b1")
    decision = await decide(
        "ugh forgot it's my turn for the school run wednesday so poppet's 8.45 is out. could we "
        "do after drop-off, about 9.30?",
        bookings=[poppet],
        busy=busy_of(poppet),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Poppet", at(9, 9, 30))]


async def test_the_earliest_next_week_is_its_first_free_time() -> None:
    koko = booking_of("Koko", at(11, 9), "dental", "b1")
    decision = await decide(
        "I've been called in to work on friday morning 🙄 can koko's dental go to the earliest "
        "you have next week instead?",
        bookings=[koko],
        busy=busy_of(koko),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Koko", at(14, 8, 30))]


async def test_the_day_after_named_is_that_day_and_christmas_is_said() -> None:
    decision = await decide(
        "my last shift before the holidays is thursday the 24th, so could nutmeg come in the "
        "day after, the friday? any time"
    )
    assert "Christmas" in decision.reply, decision.reply


async def test_a_yes_said_with_the_move_confirms_it() -> None:
    olive = booking_of("Olive", at(10, 10), "consultation", "b1")
    waiting = pending("reschedule", at(11, 10), subject="Olive", booking_id="b1")
    decision = await decide(
        "ok no worries, yes move her",
        pending=waiting,
        bookings=[olive],
        busy=busy_of(olive),
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_when_are_my_appointments_lists_all_and_says_what_to_bring() -> None:
    bella = booking_of("Bella", at(9, 16, 30), "vaccination", "b1")
    coco = booking_of("Coco", at(12, 10), "grooming", "b2")
    decision = await decide(
        "hi when are my appointments again? 🙈 and do i need to bring bella's vaccine book?",
        bookings=[bella, coco],
        busy=busy_of(bella, coco),
    )
    assert "Bella" in decision.reply and "Coco" in decision.reply, decision.reply
    assert "booklet" in decision.reply


async def test_a_yes_after_our_answer_is_to_the_offer_before_it() -> None:
    decision = await decide(
        "perfect, yes go ahead 👍",
        history=[
            "can mabel have a teeth clean wednesday at 11?",
            "I can book Wednesday 9 December at 11:00 for Mabel (dental cleaning). Reply YES to "
            "confirm.",
            "before i say yes, how much is it and can i pay by card there?",
            "A dental cleaning is €120 (60 minutes). We take cards, cash and contactless payment "
            "at the clinic.",
        ],
    )
    assert proposed(decision) == [("Mabel", at(9, 11))]


async def test_our_hours_asked_while_a_move_waits_are_answered_and_the_move_kept() -> None:
    peanut = booking_of("Peanut", at(9, 9), "dental", "b1")
    waiting = pending("reschedule", at(12, 9), subject="Peanut", booking_id="b1", service="dental")
    decision = await decide(
        "what time do you open saturdays? and how long does it take, does she have to stay all "
        "morning?",
        pending=waiting,
        bookings=[peanut],
        busy=busy_of(peanut),
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "60 minutes" in decision.reply and "09:00" in decision.reply


async def test_a_booked_pets_sister_asked_along_gets_her_name_asked() -> None:
    luna = booking_of("Luna", at(11, 15), "consultation", "b1")
    decision = await decide(
        "is luna still on for friday? can her sister come along too",
        bookings=[luna],
        busy=busy_of(luna),
    )
    assert "Friday 11 December at 15:00" in decision.reply, decision.reply
    assert decision.reply.endswith("?")


# -- the fourth wave: several pets on days of their own, late replies ------------------------


async def test_each_pet_on_its_own_day_never_one_day_for_all() -> None:
    decision = await decide(
        "morning! 3 to book 🙈 nutmeg needs her booster, cinnamon a nail trim and bramble a "
        "check up (he's 14 now bless him). could we do nutmeg wed 9.30, cinnamon wed at 10 and "
        "bramble friday at 4?"
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.subject, p.slot_start, p.service) for p in decision.proposals] == [
        ("Nutmeg", at(9, 9, 30), "vaccination"),
        ("Cinnamon", at(9, 10), "grooming"),
        ("Bramble", at(11, 16), "consultation"),
    ]


async def test_a_pet_without_a_time_on_its_own_day_gets_that_days_times_asked() -> None:
    decision = await decide(
        "hi can i book otto in tuesday at 10 and mabel thursday afternoon? both need check ups"
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Mabel on Thursday 10 December" in decision.reply
    then = await decide(
        "3pm for mabel pls",
        history=[
            "hi can i book otto in tuesday at 10 and mabel thursday afternoon? both need check ups",
            decision.reply,
        ],
    )
    assert sorted(proposed(then)) == [("Mabel", at(10, 15)), ("Otto", at(8, 10))]


async def test_two_pets_two_days_then_a_time_each() -> None:
    asked = "both dogs need a check up, ozzy tuesday and bear wednesday. what times have you got?"
    decision = await decide(asked)
    assert "Ozzy on Tuesday 8 December" in decision.reply, decision.reply
    assert "Bear on Wednesday 9 December" in decision.reply
    then = await decide("ozzy 11.15 and bear 4.30pm if still free", history=[asked, decision.reply])
    assert sorted(proposed(then)) == [("Bear", at(9, 16, 30)), ("Ozzy", at(8, 11, 15))]


async def test_a_puppy_the_day_after_his_mum_told_booked_is_booked_not_her_moved() -> None:
    juno = booking_of("Juno", at(9, 11), "consultation", "b1")
    decision = await decide(
        "hello, juno (the mum 🐶) is in with you wednesday at 11. can her puppy taco come the "
        "day after, same time, for his first vaccinations?",
        bookings=[juno],
        busy=busy_of(juno),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Taco", at(10, 11))]


async def test_the_day_after_another_booked_pet_is_the_day_after_its_booking() -> None:
    hugo = booking_of("Hugo", at(9, 9, 30), "consultation", "b1")
    percy = booking_of("Percy", at(8, 16), "consultation", "b2")
    decision = await decide(
        "can percy come the day after hugo instead of tuesday? same time as him",
        bookings=[hugo, percy],
        busy=busy_of(hugo, percy),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Percy", at(10, 9, 30))]


async def test_a_sister_at_the_same_time_as_the_booking_told_is_booked_beside_it() -> None:
    kimchi = booking_of("Kimchi", at(14, 10), "vaccination", "b1")
    decision = await decide(
        "hiya, kimchi's booked for her jab on monday the 14th at 10 - could her sister bibimbap "
        "get hers done at the same time?",
        bookings=[kimchi],
        busy=busy_of(kimchi),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bibimbap", at(14, 10))]


async def test_what_appointments_i_have_booked_is_a_look_up() -> None:
    a = booking_of("Cannelle", at(8, 10), "consultation", "b1")
    b = booking_of("Rocco", at(16, 16), "vaccination", "b2")
    decision = await decide(
        "Hello, can you tell me what appointments I have booked with you please?",
        bookings=[a, b],
        busy=busy_of(a, b),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Cannelle" in decision.reply and "Rocco" in decision.reply


async def test_the_day_of_our_offer_asked_again_is_its_time() -> None:
    decision = await decide(
        "sorry only just seen this, is thursday still free?",
        history=[
            "could marmite have a groom this week? afternoon ideally",
            "I can do Thursday 10 December at 17:15 or Friday 11 December at 09:00 for Marmite "
            "(grooming). Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Marmite", at(10, 17, 15))]


async def test_a_late_yes_with_the_day_of_our_move_proposes_the_move_again() -> None:
    bella = booking_of("Bella", at(8, 16), "grooming", "b1")
    decision = await decide(
        "yes go ahead with thursday, sorry for the late reply",
        bookings=[bella],
        busy=busy_of(bella),
        history=[
            "hi can bellas groom on tuesday be moved to later in the week? same time",
            "I can move the appointment for Bella from Tuesday 8 December at 16:00 to Thursday "
            "10 December at 16:00. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(10, 16))]


async def test_a_name_answering_which_pet_with_the_pets_listed() -> None:
    olive = booking_of("Olive", at(15, 10), "vaccination", "b1")
    mabel = booking_of("Mabel", at(16, 15), "grooming", "b2")
    decision = await decide(
        "mabel, sorry - fell asleep on the sofa 😴",
        bookings=[olive, mabel],
        busy=busy_of(olive, mabel),
        history=[
            "can one of the dogs come in for a check up friday at 9.30",
            "Which pet is it for: Olive or Mabel?",
        ],
    )
    assert proposed(decision) == [("Mabel", at(11, 9, 30))]


async def test_a_time_in_the_clause_after_a_pets_day_is_its_own() -> None:
    decision = await decide(
        "Hello, I need a check up for Rolo tomorrow at 5.30pm and a dental for Maisie on friday "
        "morning, 9 if you have it. both dogs"
    )
    assert sorted(proposed(decision)) == [("Maisie", at(11, 9)), ("Rolo", at(8, 17, 30))]


async def test_a_booking_kept_named_by_its_day_is_no_one_oclock() -> None:
    wilbur = booking_of("Wilbur", at(8, 17), "consultation", "b1")
    dot = booking_of("Dot", at(11, 10), "vaccination", "b2")
    ludo = booking_of("Ludo", at(11, 10), "vaccination", "b3")
    decision = await decide(
        "we can't do friday anymore 😞 can you cancel both the friday ones? wilbur's tuesday one "
        "is fine",
        bookings=[wilbur, dot, ludo],
        busy=busy_of(wilbur, dot, ludo),
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted((p.kind, p.subject) for p in decision.proposals) == [
        ("cancel", "Dot"),
        ("cancel", "Ludo"),
    ]


async def test_a_late_yes_with_a_brother_at_the_same_time_proposes_both() -> None:
    decision = await decide(
        "yes please, and could his brother Zorro come at the same time? both jabs",
        history=[
            "can figaro have his jab thursday at 11.30?",
            "I can book Thursday 10 December at 11:30 for Figaro (vaccination). Reply YES to "
            "confirm.",
        ],
    )
    assert sorted(proposed(decision)) == [("Figaro", at(10, 11, 30)), ("Zorro", at(10, 11, 30))]


async def test_another_time_for_both_while_both_wait_is_no_yes() -> None:
    first = await decide("atlas and juno check ups tuesday at 5pm please")
    decision = await decide(
        "ok 3.30 for both please",
        pending=pending_several(first),
        history=["atlas and juno check ups tuesday at 5pm please", first.reply],
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert sorted(proposed(decision)) == [("Atlas", at(8, 15, 30)), ("Juno", at(8, 15, 30))]
