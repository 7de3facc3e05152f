"""Conversations played turn by turn in session 48 (held-out sets 223 onwards, written blind in
it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``); the sets' own
days are moved a week earlier here."""

from __future__ import annotations

from switchboard.agent_models import BookingView, Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of
from tests.providers.test_local_agent_probes41 import pending_of_booking

# -- days and times said the way people say them (sets 213, 222, 224) ---------------------------


async def test_one_day_this_week_after_work_offers_days_and_asks() -> None:
    decision = await decide(
        "hi could marmite get a check up one day this week after work? i finish at 5.30"
    )
    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert "Which day would suit you?" in decision.reply
    assert "Monday 7 December at 17:30" in decision.reply
    assert "Tuesday 8 December at 17:30" in decision.reply


async def test_a_day_picked_after_a_question_answered_takes_the_time_offered() -> None:
    asked = "our dog bowie needs a check up. could we come at 2.45 one day this week?"
    offered = await decide(asked)
    assert "Which day would suit you?" in offered.reply
    decision = await decide(
        "tuesday",
        history=[
            asked,
            offered.reply,
            "what do we need to bring with us? first time with you",
            "Please bring your pet's vaccination booklet and any medicines they are taking.",
        ],
    )
    assert proposed(decision) == [("Bowie", at(8, 14, 45))]


async def test_snails_clipped_in_dictation_is_a_nail_trim() -> None:
    decision = await decide(
        "hello um could I book my rabbit Clover in she needs her snails clipped they're getting "
        "really long um on the sixteenth in the morning say about ten o'clock thank you"
    )
    assert decision.proposal is not None
    assert decision.proposal.service == "grooming"
    assert proposed(decision) == [("Clover", at(16, 10))]


async def test_tomorrow_on_3_is_three_in_the_afternoon() -> None:
    decision = await decide(
        "hello good morning 🙂\nI want make appointment for my dog tomorrow on 3\nhis name is "
        "Paco, he have problem with the ear since saturday"
    )
    assert proposed(decision) == [("Paco", at(8, 15))]


async def test_a_normal_visit_priced_beside_the_vaccine() -> None:
    decision = await decide(
        "buongiorno! how much cost the vaccine for a cat? and a normal visit, how much?"
    )
    assert "€55" in decision.reply
    assert "€45" in decision.reply


# -- moves said in other ways (sets 220, 223, 224, 173) ----------------------------------------


async def test_a_move_to_saturday_afternoon_says_saturday_closes_at_one() -> None:
    dexter = booking_of("Dexter", at(8, 17), "consultation", "b1")
    decision = await decide(
        "could we do saturday afternoon instead? weekdays are impossible this week with work",
        bookings=[dexter],
        busy=busy_of(dexter),
    )
    assert decision.intent is Intent.CLARIFY
    assert "We close at 13:00 on Saturdays." in decision.reply


async def test_no_more_possible_at_the_booked_time_with_another_is_a_move() -> None:
    zazou = booking_of("Zazou", at(12, 10), "grooming", "b1")
    decision = await decide(
        "hello again, sorry but for the saturday is not more possible at 10h, we can do it at "
        "11h30 ?",
        bookings=[zazou],
        busy=busy_of(zazou),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Zazou", at(12, 11, 30))]


async def test_now_is_the_booked_time_and_the_preferred_one_is_the_move() -> None:
    bobo = booking_of("Bobo", at(9, 10), "consultation", "b1")
    decision = await decide(
        "hello\nis possible change the hour?\nfor Bobo wednesday, now is 10h, I prefer 16h",
        bookings=[bobo],
        busy=busy_of(bobo),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Bobo", at(9, 16))]


async def test_after_the_school_run_with_the_booked_time_ruled_out_moves_into_the_window() -> None:
    teddy = booking_of("Teddy", at(9, 8, 30), "consultation", "b1")
    decision = await decide(
        "Morning, is it possible to move teddy's wednesday appointment to after the school run? "
        "8.30 is just impossible with the kids",
        bookings=[teddy],
        busy=busy_of(teddy),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Teddy", at(9, 9))]


async def test_a_meeting_someone_else_moved_asks_no_move() -> None:
    archie = booking_of("Archie", at(10, 9, 30), "consultation", "b1")
    nails = booking_of("Archie", at(11, 17), "grooming", "b2")
    decision = await decide(
        "actually can you cancel the first of the two? my boss just moved a meeting, i'll rebook "
        "his check up",
        bookings=[archie, nails],
        busy=busy_of(archie, nails),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert proposed(decision) == [("Archie", at(10, 9, 30))]


# -- a visit again, as last time (set 226) -------------------------------------------------------


async def test_same_as_last_time_with_same_time_said_apart_is_last_times_time() -> None:
    decision = await decide(
        "hiya 👋\ncan biscuit have the same as last time? this saturday, same time if you've got "
        "it",
        history=[
            "hi can biscuit have a groom saturday at 10?",
            "I can book Saturday 14 November at 10:00 for Biscuit (grooming). Reply YES to "
            "confirm.",
            "yes",
            "Done: Biscuit is booked for a grooming on Saturday 14 November at 10:00.",
        ],
    )
    assert proposed(decision) == [("Biscuit", at(12, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_same_time_as_always_and_as_last_monday_and_as_the_first() -> None:
    pepper = await decide(
        "hi could pepper come in for her usual on thursday? same time as always pls 🐾",
        history=[
            "hi can pepper have her usual nail trim thursday, 5.30 like last time?",
            "I can book Thursday 12 November at 17:30 for Pepper (grooming). Reply YES to confirm.",
            "yes thanks",
            "Done: Pepper is booked for a grooming on Thursday 12 November at 17:30.",
        ],
    )
    assert proposed(pepper) == [("Pepper", at(10, 17, 30))]
    nala = await decide(
        "hello, nala needs her recheck, the vet said a week after. could we do the same time as "
        "last monday, so this afternoon?",
        history=[
            "nala's hardly eating since the weekend, can she be seen this afternoon? 3.30?",
            "I can book Monday 30 November at 15:30 for Nala. Reply YES to confirm.",
            "yes please",
            "Done: Nala is booked for Monday 30 November at 15:30.",
        ],
    )
    assert proposed(nala) == [("Nala", at(7, 15, 30))]
    coco = await decide(
        "hi, coco's second puppy jab is due (4 wks after the first one 💉). could we do "
        "wednesday, same time as the first?",
        history=[
            "Hi, we've just got a puppy, Coco 🐶 can she have her first vaccination monday at 11?",
            "I can book Monday 9 November at 11:00 for Coco (vaccination). Reply YES to confirm.",
            "Yes please!",
            "Done: Coco is booked for a vaccination on Monday 9 November at 11:00.",
        ],
    )
    assert proposed(coco) == [("Coco", at(9, 11))]


async def test_a_greeting_of_morning_is_no_morning_asked() -> None:
    decision = await decide(
        "morning! bramble & thistle are due their groom again 🐕🐕 same as last time, both "
        "together, this saturday?",
        history=[
            "can bramble and thistle both be groomed saturday at 12? together if poss",
            "I can book Saturday 14 November at 12:00 for Bramble and Thistle (grooming). Reply "
            "YES to confirm.",
            "yes!",
            "Done: Bramble and Thistle are booked for a grooming on Saturday 14 November at 12:00.",
        ],
    )
    assert sorted(proposed(decision)) == [("Bramble", at(12, 12)), ("Thistle", at(12, 12))]


async def test_the_same_again_the_week_after_same_day_same_time() -> None:
    teddy = booking_of("Teddy", at(10, 12), "consultation", "b1")
    decision = await decide(
        "can you book teddy the same again the week after? same day same time, the vet wants to "
        "see him twice",
        bookings=[teddy],
        busy=busy_of(teddy),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Teddy", at(17, 12))]


async def test_a_price_asked_back_beside_the_same_booking_again() -> None:
    decision = await decide(
        "Hello again, was it €45 for the check up last time? I'd like the same for Pip on friday "
        "at 4 if you have it"
    )
    assert "€45" in decision.reply
    assert proposed(decision) == [("Pip", at(11, 16))]


# -- bookings by their order (set 226) -----------------------------------------------------------


async def test_the_first_of_the_two_is_no_first_of_january() -> None:
    shadow = booking_of("Shadow", at(12, 9), "consultation", "b1")
    smokey = booking_of("Smokey", at(12, 10), "consultation", "b2")
    decision = await decide(
        "for saturday can the first of the two be moved to 11? kids have football first thing ⚽",
        bookings=[shadow, smokey],
        busy=busy_of(shadow, smokey),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Shadow", at(12, 11))]
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_the_one_after_the_day_kept_is_cancelled() -> None:
    rosie = [
        booking_of("Rosie", at(8, 10), "consultation", "b1"),
        booking_of("Rosie", at(11, 10), "grooming", "b2"),
        booking_of("Rosie", at(14, 10), "vaccination", "b3"),
    ]
    decision = await decide(
        "rosie's tuesday one is fine but can you cancel the one after that? sorry!",
        bookings=rosie,
        busy=busy_of(*rosie),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_the_last_two_are_cancelled_and_tomorrows_kept() -> None:
    pumpkin = [
        booking_of("Pumpkin", at(8, 9), "consultation", "b1"),
        booking_of("Pumpkin", at(15, 9), "consultation", "b2"),
        booking_of("Pumpkin", at(22, 9), "consultation", "b3"),
    ]
    decision = await decide(
        "hiya, we're away over christmas so can you cancel the last two of pumpkin's? keep "
        "tomorrow's 👍",
        bookings=pumpkin,
        busy=busy_of(*pumpkin),
    )
    assert {p.booking_id for p in decision.proposals} == {"b2", "b3"}


async def test_my_next_one_with_two_pets_in_then_is_both() -> None:
    cinder = booking_of("Cinder", at(9, 16), "consultation", "b1")
    ash = booking_of("Ash", at(9, 16), "consultation", "b2")
    decision = await decide(
        "hi, cancel my next one please", bookings=[cinder, ash], busy=busy_of(cinder, ash)
    )
    assert decision.proposal is None or not decision.reply.startswith("I can cancel the")
    assert "Cinder" in decision.reply and "Ash" in decision.reply


async def test_a_regular_nail_trim_names_the_grooming_to_move() -> None:
    poppy = booking_of("Poppy", at(8, 17), "consultation", "b1")
    nails = booking_of("Poppy", at(11, 11), "grooming", "b2")
    decision = await decide(
        "morning, can poppy's regular nail trim go to saturday instead? first thing ideally, 9",
        bookings=[poppy, nails],
        busy=busy_of(poppy, nails),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert proposed(decision) == [("Poppy", at(12, 9))]


# -- long conversations: what was said before counts (set 225) -----------------------------------


async def test_the_bookings_time_asked_after_our_answer_about_cards() -> None:
    pickle = booking_of("Pickle", at(9, 10), "consultation", "b1")
    decision = await decide(
        "and can you just remind me what time it is on wednesday, i've already forgotten 🙈",
        bookings=[pickle],
        busy=busy_of(pickle),
        history=[
            "great thanks. do you take card?",
            "We take cards, cash and contactless payment at the clinic.",
        ],
    )
    assert "10:00" in decision.reply
    assert "cards" not in decision.reply


async def test_due_his_too_after_two_boosters_is_a_vaccination_after_a_refusal() -> None:
    lola = booking_of("Lola", at(8, 14), "vaccination", "b1")
    pixel = booking_of("Pixel", at(8, 14), "vaccination", "b2")
    history = [
        "hi! both cats need their boosters, lola and pixel. tomorrow at 2pm possible?",
        "I can book Lola and Pixel for Tuesday 8 December at 14:00. Reply YES to confirm.",
        "yes pls",
        "Done: Lola is booked for Tuesday 8 December at 14:00 and Pixel is booked for Tuesday 8 "
        "December at 14:00.",
    ]
    asked = "oh and dobby (dog) is due his too, can he come at 2 as well so we do it all in one go?"
    refused = await decide(
        asked, bookings=[lola, pixel], busy=busy_of(lola, pixel), history=history
    )
    assert refused.intent is Intent.CLARIFY
    decision = await decide(
        "ah ok. 2.15 for dobby then?",
        bookings=[lola, pixel],
        busy=busy_of(lola, pixel),
        history=[*history, asked, refused.reply],
    )
    assert proposed(decision) == [("Dobby", at(8, 14, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_jab_moved_straight_after_the_pets_own_check_up() -> None:
    check = booking_of("Archie", at(9, 15), "consultation", "b1")
    jab = booking_of("Archie", at(11, 11), "vaccination", "b2")
    for message in (
        "can we do both on the same day? move the jab to wednesday straight after the check up",
        "move archie's jab to right after his check up on wednesday",
    ):
        decision = await decide(message, bookings=[check, jab], busy=busy_of(check, jab))
        assert decision.intent is Intent.PROPOSE_RESCHEDULE, message
        assert decision.proposal is not None and decision.proposal.booking_id == "b2", message
        assert proposed(decision) == [("Archie", at(9, 15, 30))], message


async def test_could_that_be_on_thursday_moves_the_check_up() -> None:
    check = booking_of("Juniper", at(8, 11), "consultation", "b1")
    jab = booking_of("Juniper", at(10, 9, 15), "vaccination", "b2")
    decision = await decide(
        "and juniper's check up, could that be on thursday too, right after her jab? save us two "
        "trips",
        bookings=[check, jab],
        busy=busy_of(check, jab),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert proposed(decision) == [("Juniper", at(10, 9, 30))]


async def test_a_booked_pet_to_follow_another_is_moved_not_booked_twice() -> None:
    pumpkin = booking_of("Pumpkin", at(12, 9, 30), "consultation", "b1")
    ziggy = booking_of("Ziggy", at(12, 11), "grooming", "b2")
    decision = await decide(
        "and ziggy can follow right after pumpkin",
        bookings=[pumpkin, ziggy],
        busy=busy_of(pumpkin, ziggy),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert proposed(decision) == [("Ziggy", at(12, 10))]


async def test_the_one_after_the_booking_we_told_of() -> None:
    sable = [
        booking_of("Sable", at(9, 17), "consultation", "b1"),
        booking_of("Sable", at(16, 17), "consultation", "b2"),
    ]
    decision = await decide(
        "and the one after?",
        bookings=sable,
        busy=busy_of(*sable),
        history=[
            "hi can you tell me when sable's next appointment is?",
            "Your appointment for Sable is on Wednesday 9 December at 17:00.",
        ],
    )
    assert decision.intent is not Intent.HANDOFF
    assert "Wednesday 16 December at 17:00" in decision.reply


async def test_her_sister_is_asked_for_by_name_and_booked_at_the_same_time() -> None:
    bean = booking_of("Bean", at(10, 10, 30), "consultation", "b1")
    history = [
        "hello can bean come in thursday 10.30, check up",
        "I can book Thursday 10 December at 10:30 for Bean. Reply YES to confirm.",
        "yes ta",
        "Done: Bean is booked for Thursday 10 December at 10:30.",
    ]
    asked = await decide(
        "her sister needs a jab as well", bookings=[bean], busy=busy_of(bean), history=history
    )
    assert asked.intent is Intent.CLARIFY
    assert "Bean" not in asked.reply
    decision = await decide(
        "Mabel. same time if you can",
        bookings=[bean],
        busy=busy_of(bean),
        history=[*history, "her sister needs a jab as well", asked.reply],
    )
    assert proposed(decision) == [("Mabel", at(10, 10, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_her_details_beforehand_is_answered_from_the_profile() -> None:
    pudding = booking_of("Pudding", at(12, 12, 30), "consultation", "b1")
    decision = await decide(
        "do you need her details beforehand? it's our first time with you",
        bookings=[pudding],
        busy=busy_of(pudding),
    )
    assert decision.intent is Intent.ANSWER
    assert "nothing to register" in decision.reply


async def test_how_much_both_come_to_after_two_bookings_one_after_the_other() -> None:
    pepper = booking_of("Pepper", at(11, 9), "vaccination", "b1")
    whiskers = booking_of("Whiskers", at(11, 9, 30), "consultation", "b2")
    decision = await decide(
        "thanks! how much will both come to?",
        bookings=[pepper, whiskers],
        busy=busy_of(pepper, whiskers),
        history=[
            "can i book a jab for my dog Pepper friday at 9",
            "I can book Friday 11 December at 09:00 for Pepper (vaccination). Reply YES to "
            "confirm.",
            "yes please",
            "Done: Pepper is booked for Friday 11 December at 09:00.",
            "my mum's cat Whiskers needs a check up, same day, 9.30",
            "I can book Friday 11 December at 09:30 for Whiskers. Reply YES to confirm.",
            "yes",
            "Done: Whiskers is booked for Friday 11 December at 09:30.",
        ],
    )
    assert "€100" in decision.reply


async def test_it_again_after_a_cancellation_is_the_cancelled_service() -> None:
    gone = BookingView(
        id="b1",
        slot_start=at(8, 16, 30),
        subject="Rusty",
        status="cancelled",
        service="vaccination",
    )
    decision = await decide(
        "can he have it on saturday instead, first thing?",
        bookings=[gone],
        history=[
            "ok cancel it then please",
            "I can cancel the appointment for Rusty on Tuesday 8 December at 16:30. Reply YES to "
            "cancel it.",
            "yes",
            "Done: the appointment for Rusty on Tuesday 8 December at 16:30 is cancelled.",
        ],
    )
    assert proposed(decision) == [("Rusty", at(12, 9))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_times_instead_never_overlap_the_pets_own_visit_and_the_pet_is_kept() -> None:
    noodle = booking_of("Noodle", at(10, 11, 30), "consultation", "b1")
    history = [
        "great, could noodle come in for a check up on thursday at 11.30?",
        "I can book Thursday 10 December at 11:30 for Noodle. Reply YES to confirm.",
        "yes",
        "Done: Noodle is booked for Thursday 10 December at 11:30.",
    ]
    asked = "could he get his nails clipped straight after while we're there?"
    refused = await decide(asked, bookings=[noodle], busy=busy_of(noodle), history=history)
    assert refused.intent is Intent.CLARIFY
    for clock in ("11:15", "11:30", "11:45"):
        assert f"at {clock}" not in refused.reply
    decision = await decide(
        "oh ok, 2pm that afternoon then",
        bookings=[noodle],
        busy=busy_of(noodle),
        history=[*history, asked, refused.reply],
    )
    assert proposed(decision) == [("Noodle", at(10, 14))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_still_on_with_a_pet_then_book_him_in_books_the_pet() -> None:
    asked = "Hi just checking we're still on for saturday with teddy? 10am"
    told = await decide(asked)
    assert told.proposal is None
    decision = await decide(
        "oh no, my mistake, must have forgotten to confirm. can you book him in then, saturday "
        "10 for a check up",
        history=[asked, told.reply],
    )
    assert proposed(decision) == [("Teddy", at(12, 10))]


# -- answers to our own (or the team's) questions (set 228) ---------------------------------------


async def test_the_later_morning_one_of_the_times_offered() -> None:
    decision = await decide(
        "the later morning one pls",
        history=[
            "hi can Juniper come in thursday for a check up? she keeps shaking her head",
            "What time on Thursday 10 December would you like for Juniper? I have 09:00, 11:45, "
            "14:30 or 17:00.",
        ],
    )
    assert proposed(decision) == [("Juniper", at(10, 11, 45))]


async def test_whichever_is_closest_to_lunch_of_the_times_offered() -> None:
    decision = await decide(
        "whichever's closest to lunch tbh, I can pop out on my break",
        history=[
            "need to get pumpkin his jab wednesday",
            "What time on Wednesday 9 December would you like for Pumpkin? I have 08:30, 10:45, "
            "12:00 or 15:30.",
        ],
    )
    assert proposed(decision) == [("Pumpkin", at(9, 12))]


async def test_which_one_is_free_says_they_all_are_and_asks() -> None:
    decision = await decide(
        "sorry which one is free? 🙈",
        history=[
            "Hi can I bring Nugget in tomorrow afternoon, think he's got something in his paw",
            "What time on Tuesday 8 December would you like for Nugget? I have 14:00, 15:15, "
            "16:30 or 18:00.",
        ],
    )
    assert decision.intent is Intent.CLARIFY
    assert "14:00, 15:15, 16:30 or 18:00" in decision.reply


async def test_a_yes_after_a_remark_to_a_lapsed_read_back_proposes_it_again() -> None:
    decision = await decide(
        "ooh pricier than i thought 😬 ok go on then",
        history=[
            "could tilly have a teeth clean tuesday at 3? her breath is honestly rank",
            "I can book Tuesday 8 December at 15:00 for Tilly (dental cleaning, €120). Reply YES "
            "to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Tilly", at(8, 15))]


async def test_a_yes_to_a_lapsed_cancellation_never_says_see_you_then() -> None:
    pudding = booking_of("Pudding", at(10, 9), "vaccination", "b1")
    decision = await decide(
        "ugh ok go on then, i'll rebook when she's better",
        bookings=[pudding],
        busy=busy_of(pudding),
        history=[
            "pudding's jab thursday - can we cancel? she's been poorly and the vet said wait",
            "I can cancel Pudding's vaccination on Thursday 10 December at 09:00. Reply YES to "
            "confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert "see you" not in decision.reply.lower()


async def test_just_one_pet_of_a_lapsed_read_back_of_two() -> None:
    decision = await decide(
        "just fig actually, dotty's fine now, she's eating again 😊",
        history=[
            "can fig and dotty both come in wed at 3 for check ups",
            "I can book Wednesday 9 December at 15:00 for Fig and Dotty (consultation). Reply YES "
            "to confirm.",
        ],
    )
    assert proposed(decision) == [("Fig", at(9, 15))]


async def test_the_pets_name_after_its_kind_to_the_teams_which_pet() -> None:
    decision = await decide(
        "the dog 🐶 bramble. the cat's not due till march",
        history=["hi, jab needed friday at 9.45 pls", "Which pet is the vaccination for?"],
    )
    assert proposed(decision) == [("Bramble", at(11, 9, 45))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_service_answering_the_teams_question_of_services() -> None:
    decision = await decide(
        "his nails are like talons lol, clicking all over the kitchen floor",
        history=[
            "Can I book Tango for Thursday at 4",
            "What would you like for Tango: a consultation, vaccination, dental cleaning or "
            "grooming?",
        ],
    )
    assert proposed(decision) == [("Tango", at(10, 16))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_the_second_one_with_a_reason_after_it() -> None:
    groom = booking_of("Archie", at(9, 11), "grooming", "b1")
    jab = booking_of("Archie", at(11, 9, 30), "vaccination", "b2")
    decision = await decide(
        "the 2nd one pls, turns out he had it done at the breeders",
        bookings=[groom, jab],
        busy=busy_of(groom, jab),
        history=[
            "hi i need to cancel an appt",
            "Which appointment should I cancel: Archie's grooming on Wednesday 9 December at "
            "11:00 or Archie's vaccination on Friday 11 December at 09:30?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_the_tuesday_one_to_wednesday_evening_then_a_time_moves_it() -> None:
    check = booking_of("Rufus", at(8, 16), "consultation", "b1")
    groom = booking_of("Rufus", at(12, 10), "grooming", "b2")
    history = [
        "Hi there, need to move rufus's appointment",
        "Which appointment should I move: Rufus's consultation on Tuesday 8 December at 16:00 or "
        "Rufus's grooming on Saturday 12 December at 10:00?",
    ]
    asked = "oh the tuesday one obviously, the groom is fine. wednesday evening?"
    times = await decide(
        asked, bookings=[check, groom], busy=busy_of(check, groom), history=history
    )
    assert times.intent is Intent.CLARIFY
    assert "Wednesday 9 December" in times.reply
    decision = await decide(
        "6pm",
        bookings=[check, groom],
        busy=busy_of(check, groom),
        history=[*history, asked, times.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert proposed(decision) == [("Rufus", at(9, 18))]


async def test_later_than_that_to_a_lapsed_move_asks_its_times() -> None:
    bean = booking_of("Bean", at(10, 11), "consultation", "b1")
    decision = await decide(
        "hmm later than that, afternoon?",
        bookings=[bean],
        busy=busy_of(bean),
        history=[
            "can bean come a bit later on thursday?",
            "I can move Bean's appointment from Thursday 10 December at 11:00 to Thursday 10 "
            "December at 11:30. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("What time on Thursday 10 December would you like the ")


async def test_a_yes_and_a_question_to_a_lapsed_read_back_beside_another_pets_booking() -> None:
    marble = booking_of("Marble", at(9, 14, 30), "consultation", "b1")
    decision = await decide(
        "yes!\noh and can i pay by card there?",
        bookings=[marble],
        busy=busy_of(marble),
        history=[
            "and fudge too please, same time",
            "I can book Wednesday 9 December at 14:30 for Fudge (consultation). Reply YES to "
            "confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Fudge", at(9, 14, 30))]
    assert "card" in decision.reply


async def test_the_earliest_of_those_to_the_teams_move_offer() -> None:
    duke = booking_of("Duke", at(11, 14), "dental", "b1")
    decision = await decide(
        "the earliest of those pls",
        bookings=[duke],
        busy=busy_of(duke),
        history=[
            "hi",
            "What time would you like Duke's dental cleaning moved to? On Wednesday 9 December I "
            "have 08:30, 10:00 or 14:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Duke", at(9, 8, 30))]


# -- one pet, several services (set 229) ----------------------------------------------------------


async def test_a_new_time_for_two_services_keeps_them_back_to_back() -> None:
    asked = "can ginger have her jab and then a groom thursday at 12?"
    refused = await decide(asked)
    assert refused.intent is Intent.CLARIFY
    decision = await decide("ah ok, can we do 11.30 for both then", history=[asked, refused.reply])
    assert sorted((p.service, p.slot_start) for p in decision.proposals) == [
        ("grooming", at(10, 11, 45)),
        ("vaccination", at(10, 11, 30)),
    ]


async def test_the_read_back_says_the_times_booked() -> None:
    asked = (
        "is it possible for poppy to have a dental and a groom on saturday, one after the other? "
        "starting about 11.30"
    )
    refused = await decide(asked)
    decision = await decide("oh ok, 10 then?", history=[asked, refused.reply])
    starts = sorted(p.slot_start for p in decision.proposals)
    assert starts == [at(12, 10), at(12, 11)]
    assert "10:00" in decision.reply and "11:00" in decision.reply


async def test_a_plus_between_services_is_both_after_a_closed_day() -> None:
    asked = "can truffle have his booster + a groom on friday the 25th? I'm off work that day 😅"
    refused = await decide(asked)
    assert "Christmas" in refused.reply
    decision = await decide(
        "oh of course 🤦 thursday 24th then, 9am?", history=[asked, refused.reply]
    )
    assert sorted((p.service, p.slot_start) for p in decision.proposals) == [
        ("grooming", at(24, 9, 15)),
        ("vaccination", at(24, 9)),
    ]


async def test_an_acronym_beside_the_name_keeps_the_pet() -> None:
    decision = await decide(
        "Hi there, can juniper come in friday 5.30pm for a check up? She's also due her myxo/RHD "
        "vaccine so could she have that at the same appointment. She's a rabbit 🐰"
    )
    assert {p.subject for p in decision.proposals} == {"Juniper"}


async def test_how_long_several_services_take_together() -> None:
    decision = await decide(
        "how much is it for a jab and a nail trim together? and roughly how long will we be there "
        "for"
    )
    assert "€90" in decision.reply
    assert "60 minutes" in decision.reply


async def test_what_a_pets_visit_comes_to_altogether_is_no_move() -> None:
    jab = booking_of("Olive", at(8, 14), "vaccination", "b1")
    groom = booking_of("Olive", at(8, 14, 15), "grooming", "b2")
    decision = await decide(
        "how much will olive's visit tomorrow come to altogether? want to make sure there's "
        "enough on my card lol",
        bookings=[jab, groom],
        busy=busy_of(jab, groom),
    )
    assert decision.proposal is None
    assert "€90" in decision.reply


async def test_what_time_the_visit_is_finished() -> None:
    jab = booking_of("Tinker", at(10, 16), "vaccination", "b1")
    groom = booking_of("Tinker", at(10, 16, 15), "grooming", "b2")
    decision = await decide(
        "what time will tinker be finished on thursday? need to know when to pick him up",
        bookings=[jab, groom],
        busy=busy_of(jab, groom),
    )
    assert "17:00" in decision.reply


async def test_a_dental_a_week_after_the_check_up_same_time() -> None:
    ollie = booking_of("Ollie", at(8, 11), "consultation", "b1")
    decision = await decide(
        "hi again, forgot to ask yesterday - ollie also needs a dental, could we book that for a "
        "week after his check up, same time?",
        bookings=[ollie],
        busy=busy_of(ollie),
    )
    assert proposed(decision) == [("Ollie", at(15, 11))]
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_a_jab_just_before_the_groom_and_the_total() -> None:
    groom = booking_of("Biscuit", at(9, 15), "grooming", "b1")
    decision = await decide(
        "can biscuit have his jab at the same visit on wednesday? just before the groom if you "
        "can. what would the total be then",
        bookings=[groom],
        busy=busy_of(groom),
    )
    assert proposed(decision) == [("Biscuit", at(9, 14, 45))]
    assert "€90" in decision.reply


# -- the household's other people (set 230) --------------------------------------------------------


async def test_a_move_of_a_booking_told_of_that_is_not_on_file() -> None:
    decision = await decide(
        "my wife booked pickle in for friday i think, can we move it to saturday morning instead?"
    )
    assert decision.intent is Intent.CLARIFY
    assert "can't find an upcoming appointment" in decision.reply
    assert "Saturday 12 December" in decision.reply and "Pickle" in decision.reply


async def test_what_for_is_answered_with_the_service() -> None:
    hugo = booking_of("Hugo", at(8, 9), "dental", "b1")
    peanut = booking_of("Peanut", at(12, 10), "grooming", "b2")
    decision = await decide(
        "hi, my son says he booked peanut in for something this week?? when is it and what for",
        bookings=[hugo, peanut],
        busy=busy_of(hugo, peanut),
    )
    assert "grooming" in decision.reply and "Saturday 12 December at 10:00" in decision.reply


async def test_a_booking_asked_for_a_day_the_pet_is_booked_says_so_and_is_kept() -> None:
    rusty = booking_of("Rusty", at(10, 10), "consultation", "b1")
    asked = "hiya can i book rusty in for thursday morning? hes been scratching at his ear"
    told = await decide(asked, bookings=[rusty], busy=busy_of(rusty))
    assert "Rusty is already booked for Thursday 10 December at 10:00." in told.reply
    decision = await decide(
        "ohh my husband must have booked it already 😅 no thats fine, leave it as it is then",
        bookings=[rusty],
        busy=busy_of(rusty),
        history=[asked, told.reply],
    )
    assert decision.proposal is None
    assert "stays booked" in decision.reply


async def test_a_booking_under_the_wrong_pet_is_put_under_the_right_one() -> None:
    mochi = booking_of("Mochi", at(11, 16), "vaccination", "b1")
    decision = await decide(
        "hi, my husband booked the jab on friday under mochi but its actually yuzu who needs it "
        "(mochi had hers in october). can you change it to yuzu?",
        bookings=[mochi],
        busy=busy_of(mochi),
    )
    assert {(p.kind, p.subject) for p in decision.proposals} == {
        ("cancel", "Mochi"),
        ("book", "Yuzu"),
    }


async def test_a_booked_pet_to_follow_another_just_moved_is_moved() -> None:
    pumpkin = booking_of("Pumpkin", at(12, 9, 30), "consultation", "b1")
    ziggy = booking_of("Ziggy", at(12, 11), "grooming", "b2")
    decision = await decide(
        "and ziggy can follow right after pumpkin",
        bookings=[pumpkin, ziggy],
        busy=busy_of(pumpkin, ziggy),
        history=[
            "can pumpkin come earlier instead, 9.30?",
            "I can move the appointment for Pumpkin from Saturday 12 December at 11:00 to "
            "Saturday 12 December at 09:30. Reply YES to confirm.",
            "yes",
            "Done: the appointment for Pumpkin is moved to Saturday 12 December at 09:30.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Ziggy", at(12, 10))]


async def test_same_time_as_now_to_the_teams_move_question() -> None:
    pixel = booking_of("Pixel", at(10, 10), "consultation", "b1")
    decision = await decide(
        "same time as it is now if thats possible?",
        bookings=[pixel],
        busy=busy_of(pixel),
        history=[
            "can pixel's appointment move to friday?",
            "What time on Friday 11 December would you like Pixel's appointment moved to? I have "
            "08:30, 10:00, 15:00 or 18:15.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Pixel", at(11, 10))]


# -- sets 231 and 233 ------------------------------------------------------------------------------


async def test_what_have_we_got_this_week_lists_every_pets_booking() -> None:
    peanut = booking_of("Peanut", at(8, 17), "vaccination", "b1")
    olive = booking_of("Olive", at(11, 9), "dental", "b2")
    decision = await decide(
        "hiya what have we got booked in this week? can't remember if olive's teeth thing is "
        "friday or saturday",
        bookings=[peanut, olive],
        busy=busy_of(peanut, olive),
    )
    assert "Peanut" in decision.reply and "Olive" in decision.reply


async def test_the_pet_named_in_a_correction_of_a_read_back_for_nobody() -> None:
    first = await decide("what have you got free later today? after 4 ideally")
    decision = await decide(
        "4.15 pls, its for hazelnut, check up 🐶",
        pending=pending_of_booking(first),
        history=["what have you got free later today? after 4 ideally", first.reply],
    )
    assert proposed(decision) == [("Hazelnut", at(7, 16, 15))]


async def test_the_booked_time_given_up_and_another_asked_is_a_move() -> None:
    boots = booking_of("Boots", at(7, 9, 30), "consultation", "b1")
    decision = await decide(
        "stuck in traffic on the périph 😩 we won't make boots' 9.30, can we do 12 instead?",
        bookings=[boots],
        busy=busy_of(boots),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Boots", at(7, 12))]


async def test_a_yes_to_our_question_when_is_no_see_you_then() -> None:
    boots = booking_of("Boots", at(7, 9, 30), "consultation", "b1")
    decision = await decide(
        "yes please, sorry!",
        bookings=[boots],
        busy=busy_of(boots),
        history=[
            "stuck in traffic, can we do later?",
            "The appointment for Boots is already on Monday 7 December at 09:30. When would you "
            "like it instead?",
        ],
    )
    assert "see you" not in decision.reply.lower()
    assert decision.proposal is None


# -- our earlier replies referred back to (set 234) ------------------------------------------------


async def test_the_time_we_offered_this_morning_is_on_the_day_we_offered_it() -> None:
    decision = await decide(
        "hiya sorry, got distracted with the school run\nthe 4pm you offered this morning is "
        "perfect",
        history=[
            "any chance of a check up for pistachio tomorrow afternoon?",
            "Tomorrow, Tuesday 8 December, I have 14:30, 16:00 or 17:15 for Pistachio's "
            "consultation. Which would you like?",
        ],
    )
    assert proposed(decision) == [("Pistachio", at(8, 16))]


async def test_the_second_option_we_gave_yesterday() -> None:
    decision = await decide(
        "morning, the second option you gave me yesterday for nougat please 🙏",
        history=[
            "could nougat have her booster on wednesday?",
            "On Wednesday 9 December I have 09:15, 11:45 or 15:30 for Nougat's vaccination. Which "
            "suits you?",
        ],
    )
    assert proposed(decision) == [("Nougat", at(9, 11, 45))]


async def test_the_night_number_asked_again() -> None:
    decision = await decide(
        "morning, waffles passed the sock 🙄 can you resend the night number you gave me last "
        "night, want to save it in my phone"
    )
    assert "84 88 99 00" in decision.reply


async def test_his_vaccine_book_asked_about_books_no_vaccination() -> None:
    decision = await decide(
        "how long does a dental take and how much? could i drop marmite off friday at 9 for "
        "one, and do you need his vaccine book?"
    )
    assert decision.proposal is not None and decision.proposal.service == "dental"
