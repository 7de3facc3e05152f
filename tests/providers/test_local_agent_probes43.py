"""Conversations played turn by turn in session 43 (held-out sets 143–150 left open before it,
151 onwards written blind in it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, pending_several, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of
from tests.providers.test_local_agent_probes41 import pending_of_booking

# -- a cancellation beside another ask -------------------------------------------------------


async def test_which_booking_to_cancel_is_asked_not_taken_from_the_new_bookings_day() -> None:
    toffee = booking_of("Toffee", at(10, 10), "consultation", "b1")
    pumpkin = booking_of("Pumpkin", at(11, 15, 30), "grooming", "b2")
    ask = "can you cancel my appointment and book fudge in for a check-up friday instead?"
    first = await decide(ask, bookings=[toffee, pumpkin], busy=busy_of(toffee, pumpkin))
    assert first.intent is not Intent.PROPOSE_CANCEL, first.reply
    assert "Toffee" in first.reply and "Pumpkin" in first.reply and "?" in first.reply
    decision = await decide(
        "toffee's on thursday. and 2.45 for fudge if you can",
        bookings=[toffee, pumpkin],
        busy=busy_of(toffee, pumpkin),
        history=[ask, first.reply],
    )
    assert sorted(proposed(decision)) == [("Fudge", at(11, 14, 45)), ("Toffee", at(10, 10))]
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Fudge": "book", "Toffee": "cancel"}, decision.reply


# -- look-ups ------------------------------------------------------------------------------------


async def test_a_calendar_and_nothing_else_is_no_pet() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "which of mine is on friday? I've just put 'vet' in my calendar and nothing else 🙄",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
    )
    assert "Calendar" not in decision.reply
    assert "Otis" in decision.reply and "09:30" in decision.reply


async def test_a_pets_one_is_when_is_looked_up() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "ah the groom, right. and juniper's is when then?",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
        history=[
            "which of mine is on friday?",
            "Your appointment for Otis is on Friday 11 December at 09:30.",
        ],
    )
    assert decision.intent is not Intent.PROPOSE_BOOKING, decision.reply
    assert "Thursday 10 December" in decision.reply and "15:00" in decision.reply


# -- questions about the clinic ------------------------------------------------------------------


async def test_open_day_and_night_asked_gets_the_hours_and_the_night_service() -> None:
    decision = await decide(
        "do you take amex? also what do I do if something happens in the night, are you 24h?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply  # the night service
    assert "08:30" in decision.reply  # our hours: no, not day and night


async def test_a_day_without_food_is_no_question_of_our_hours() -> None:
    decision = await decide("she hasn't eaten in 24 hours, can I bring her tomorrow at 10")
    assert "opening hours" not in decision.reply and "99 00" not in decision.reply
    assert proposed(decision) == [("you", at(8, 10))]


async def test_the_emergency_number_asked_is_answered_without_an_alarm() -> None:
    decision = await decide("is there an emergency number?")
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply


async def test_the_emergency_number_asked_beside_bleeding_raises_the_alarm() -> None:
    decision = await decide("my dog is bleeding badly, is there an emergency number?")
    assert decision.intent is Intent.HANDOFF, decision.reply


# -- messy typing ------------------------------------------------------------------------------


async def test_a_pets_name_put_right_after_autocorrect_is_booked() -> None:
    decision = await decide("can pickles have her jab tues at 4\nPICKLE. not pickles. stupid phone")
    assert proposed(decision) == [("Pickle", at(8, 16))]


async def test_a_pet_who_been_scratching_is_named() -> None:
    decision = await decide(
        "max been scratching his ear all wk\ncan u fit him in asap\ntmrw 9am ok??"
    )
    assert proposed(decision) == [("Max", at(8, 9))]


async def test_a_time_starred_after_is_the_time_put_right() -> None:
    decision = await decide("can i book jasper for a checkup tue at 5\n4*** sorry fat fingers")
    assert proposed(decision) == [("Jasper", at(8, 16))]


async def test_push_it_a_week_same_time_moves_it_a_week_on() -> None:
    bruno = booking_of("Bruno", at(8, 11), "consultation", "b1")
    decision = await decide(
        "brunos appt tues.. can we push it a wk? same time", bookings=[bruno], busy=busy_of(bruno)
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bruno", at(15, 11))]


# -- dates written as dates ---------------------------------------------------------------------


async def test_a_date_past_the_horizon_is_said_so_beside_a_reason() -> None:
    decision = await decide(
        "Hi there, can I book Rufus in for his annual booster on 18 March? That's when it's due "
        "according to his booklet"
    )
    assert "90 days" in decision.reply, decision.reply


async def test_a_move_to_a_date_gone_by_is_said_so() -> None:
    daisy = booking_of("Daisy", at(11, 14), "consultation", "b1")
    decision = await decide(
        "could daisy's appointment be moved to 4/12 please, same time",
        bookings=[daisy],
        busy=busy_of(daisy),
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Friday 4 December has already passed" in decision.reply


async def test_the_dates_of_a_pets_appointments_are_looked_up() -> None:
    vet = booking_of("Poppy", at(9, 17), "consultation", "b1")
    jab = booking_of("Poppy", at(15, 16), "vaccination", "b2")
    decision = await decide(
        "can you send me the dates of poppy's appointments pls? want to put them in the calendar",
        bookings=[vet, jab],
        busy=busy_of(vet, jab),
    )
    assert decision.intent is not Intent.CLARIFY, decision.reply
    assert "Wednesday 9 December" in decision.reply and "Tuesday 15 December" in decision.reply


async def test_a_cancel_on_a_day_with_nothing_reads_back_the_one_booking() -> None:
    nala = booking_of("Nala", at(10, 10), "vaccination", "b1")
    decision = await decide(
        "hi, need to cancel nala's jab on the 9th", bookings=[nala], busy=busy_of(nala)
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "Wednesday 9 December" in decision.reply


async def test_the_day_put_right_after_a_weekday_clash_keeps_the_same_time() -> None:
    rocky = booking_of("Rocky", at(8, 11), "consultation", "b1")
    ask = "can rocky's appt move to Thursday 11th, same time?"
    first = await decide(ask, bookings=[rocky], busy=busy_of(rocky))
    assert "11 December is a Friday, not a Thursday" in first.reply, first.reply
    decision = await decide(
        "thursday, the 10th. sorry!",
        bookings=[rocky],
        busy=busy_of(rocky),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rocky", at(10, 11))]


async def test_two_services_on_two_dates_are_each_booked_at_their_own() -> None:
    decision = await decide(
        "hi, 2 things for Bo please\nhis jab on 8/12 at 9\nand a groom on 12/12, 10.30 if you can"
    )
    assert [(p.subject, p.slot_start, p.service) for p in decision.proposals] == [
        ("Bo", at(8, 9), "vaccination"),
        ("Bo", at(12, 10, 30), "grooming"),
    ], decision.reply


# -- first-time customers -----------------------------------------------------------------------


async def test_the_price_of_nails_after_the_price_list_is_answered() -> None:
    ask = (
        "Hi, how much do you charge for a check up and for vaccines? new kitten and I'm trying "
        "to budget a bit 🙏"
    )
    first = await decide(ask)
    decision = await decide(
        "ok thanks. and nails? her claws are like needles", history=[ask, first.reply]
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "€35" in decision.reply


async def test_asking_someone_to_get_back_is_a_handoff() -> None:
    decision = await decide("ok could you ask someone and get back to me? this number is fine")
    assert decision.intent is Intent.HANDOFF, decision.reply


async def test_a_name_told_that_looks_like_a_day_is_the_pets() -> None:
    decision = await decide(
        "ok. can she come thursday at 6 for her vaccines then? her name is Frida"
    )
    assert proposed(decision) == [("Frida", at(10, 18))]


async def test_the_street_number_asked_beside_a_booking_is_answered() -> None:
    decision = await decide(
        "what number are you on rue des lilas? google has 2 different ones. booking Hugo's "
        "first groom for friday 2.30 if that's free"
    )
    assert "12 rue des Lilas" in decision.reply
    assert proposed(decision) == [("Hugo", at(11, 14, 30))]


async def test_whether_a_cat_must_come_in_a_carrier_said_before_is_answered() -> None:
    decision = await decide(
        "my rescue cat has never been in a carrier in her life. does she HAVE to come in one or "
        "can I just carry her in a blanket?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "carrier" in decision.reply


# -- long messages that tell a story (set 158) ----------------------------------------------------


async def test_mother_of_the_story_is_no_pet() -> None:
    decision = await decide(
        "I am writing on behalf of my mother, who is 87. Her dog Dolly is due her yearly "
        "vaccination. Mother has the hairdresser on Thursday mornings and her physiotherapist on "
        "Tuesdays at 2 o'clock, so could Dolly come on Wednesday at 3pm please?"
    )
    assert proposed(decision) == [("Dolly", at(9, 15))]


async def test_weeks_in_capitals_and_the_family_signed_are_no_pets() -> None:
    decision = await decide(
        "hello!! right so my kids have been on at me for WEEKS to get Ludo's nails done. he's a "
        "guinea pig 😂 could we do this saturday at quarter past 11? Sandra (and Léo, Jade and "
        "Ludo)"
    )
    assert proposed(decision) == [("Ludo", at(12, 11, 15))]


async def test_a_pet_of_the_past_is_not_booked_beside_the_one_asked_for() -> None:
    decision = await decide(
        "Hello I am Gérard Masson. My little terrier Marmite has a bad smell in his rigth ear. "
        "Could I bring him friday in the morning at half past ten if there is room. Our old dog "
        "Pirate came to you for years. Thank you Gérard"
    )
    assert proposed(decision) == [("Marmite", at(11, 10, 30))]


async def test_a_place_a_thank_you_and_the_writer_are_no_pets_beside_a_move() -> None:
    winnie = booking_of("Winnie", at(9, 16), "consultation", "b1")
    decision = await decide(
        "Hello again, Brigitte here, Winnie's mum 🐾 So, change of plan: my sister is flying in "
        "on Wednesday, she lands at Orly at 3 and I'm picking her up, so Winnie's appointment on "
        "Wednesday won't work any more. She's stopped scratching at night. Could we move her to "
        "Thursday instead, same time, 4 o'clock? Merci, Brigitte",
        bookings=[winnie],
        busy=busy_of(winnie),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Winnie", at(10, 16))]
    assert "night service" not in decision.reply


async def test_the_one_question_of_a_story_says_the_day() -> None:
    figaro = booking_of("Figaro", at(11, 17), "consultation", "b1")
    decision = await decide(
        "Hello, me again about Figaro. My boss has just moved our Friday team meeting to 4.30. "
        "Figaro's limp is a bit better today, he went up the stairs on his own this morning, but "
        "I'd still like him looked at. Could we do Friday at midday instead, in my lunch break? "
        "Thanks, Antoine",
        bookings=[figaro],
        busy=busy_of(figaro),
    )
    assert proposed(decision) == [("Figaro", at(11, 12))]


async def test_dropping_a_daughter_at_school_is_no_time_asked() -> None:
    decision = await decide(
        "I'd like to book Basil in for a teeth cleaning. Thursday morning would suit best, 9 "
        "o'clock if you have it, I drop my daughter at school at 8.30 and come straight over."
    )
    assert proposed(decision) == [("Basil", at(10, 9))]


# -- the reply after the first answer (set 157) ---------------------------------------------------


async def test_yes_for_one_pet_not_the_other_after_a_weekend_gone_by_books_one() -> None:
    ask = "could oreo and mango both get their nails clipped on friday at 4pm?"
    first = await decide(ask)
    decision = await decide(
        "yes for oreo but not mango actually, just remembered my sister did hers at the weekend",
        pending=pending_several(first),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply
    assert decision.confirmed == ["c0"]


async def test_yes_for_the_jab_not_the_nails_confirms_the_jab_only() -> None:
    ask = "dexter needs his booster and his nails doing, could you fit him in wednesday at 5?"
    first = await decide(ask)
    decision = await decide(
        "yes for the jab but not the nails, I'll have a go at those myself",
        pending=pending_several(first),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply
    kept = [p for p in first.proposals if p.service == "vaccination"]
    assert len(kept) == 1 and decision.confirmed == [f"c{first.proposals.index(kept[0])}"]


async def test_a_yes_to_our_open_question_never_confirms_the_read_back_waiting() -> None:
    ask = "dexter needs his booster and his nails doing, could you fit him in wednesday at 5?"
    first = await decide(ask)
    decision = await decide(
        "yes",
        pending=pending_several(first),
        history=[ask, first.reply, "hmm", "Sure. Which day and time would you like for Dexter?"],
    )
    assert decision.intent is Intent.CLARIFY, decision.reply


async def test_daycare_till_half_four_is_no_time_asked() -> None:
    percy = booking_of("Percy", at(10, 15), "consultation", "b1")
    decision = await decide(
        "oh actually any chance of later on the friday? 5ish? he's at doggy daycare till half 4",
        bookings=[percy],
        busy=busy_of(percy),
    )
    assert proposed(decision) == [("Percy", at(11, 17))]


# -- several pets (set 156) ---------------------------------------------------------------------


async def test_a_sister_due_her_booster_at_the_same_time_is_booked_too() -> None:
    decision = await decide(
        "can I book Luna in for a check-up tuesday at 2.30, she's been scratching her ear. and "
        "her sister Stella is due her booster, could she come at the same time?"
    )
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Luna", at(8, 14, 30), "consultation"),
        ("Stella", at(8, 14, 30), "vaccination"),
    ], decision.reply


async def test_the_other_one_at_half_nine_is_the_pet_not_singled_out() -> None:
    ask = (
        "morning, can baxter and skye both come in for a check up on wednesday? baxter at 9 ideally"
    )
    first = await decide(ask)
    decision = await decide(
        "the other one at 9.30 please, I can't hold two leads and fill in forms at the same time",
        pending=pending_several(first),
        history=[ask, first.reply],
    )
    assert sorted(proposed(decision)) == [("Baxter", at(9, 9)), ("Skye", at(9, 9, 30))]


async def test_a_third_pet_too_same_time_or_just_after_joins_the_read_back() -> None:
    ask = "Could Loki and Freya have their vaccinations on friday at 5?"
    first = await decide(ask)
    decision = await decide(
        "oh and Thor too please! he's due as well. same time or just after",
        pending=pending_several(first),
        history=[ask, first.reply],
    )
    assert [(p.subject, p.slot_start, p.service) for p in decision.proposals] == [
        ("Loki", at(11, 17), "vaccination"),
        ("Freya", at(11, 17), "vaccination"),
        ("Thor", at(11, 17, 15), "vaccination"),
    ], decision.reply


async def test_another_pets_visit_on_the_day_said_is_asked_about_not_moved() -> None:
    pancho = booking_of("Pancho", at(9, 16), "consultation", "b1")
    lola = booking_of("Lola", at(10, 12), "vaccination", "b2")
    decision = await decide(
        "hi, can Pancho's vaccination on thursday be moved to friday morning? 9.30 if you have it",
        bookings=[pancho, lola],
        busy=busy_of(pancho, lola),
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Lola" in decision.reply


async def test_yes_cancel_hers_confirms_the_one_cancel_waiting() -> None:
    marmite = booking_of("Marmite", at(10, 9), "grooming", "b1")
    bertie = booking_of("Bertie", at(10, 9), "grooming", "b2")
    ask = "Hi can you cancel Marmite's groom on thursday please? Bertie still needs his though"
    first = await decide(ask, bookings=[marmite, bertie], busy=busy_of(marmite, bertie))
    assert first.intent is Intent.PROPOSE_CANCEL, first.reply
    cancel = pending_of_booking(first).model_copy(update={"kind": "cancel", "booking_id": "b1"})
    decision = await decide(
        "yes cancel hers",
        bookings=[marmite, bertie],
        busy=busy_of(marmite, bertie),
        pending=cancel,
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_she_after_her_booking_was_said_is_that_pet() -> None:
    juno = booking_of("Juno", at(11, 14), "grooming", "b1")
    rocket = booking_of("Rocket", at(11, 14), "consultation", "b2")
    decision = await decide(
        "ah ok, could she go an hour later? leave him where he is, the vet needs to see his paw",
        bookings=[juno, rocket],
        busy=busy_of(juno, rocket),
        history=[
            "what time is juno's groom on friday?",
            "Your appointment for Juno (grooming) is on Friday 11 December at 14:00.",
        ],
    )
    assert proposed(decision) == [("Juno", at(11, 15))]


# -- customers with constraints (set 155) -------------------------------------------------------


async def test_two_pets_groomed_between_two_and_half_three_start_at_two() -> None:
    decision = await decide(
        "hello! could waffles and noodle both be groomed on tuesday, sometime between 2 and half "
        "3? together if possible, they're hopeless apart 🐶🐶"
    )
    assert sorted(proposed(decision)) == [("Noodle", at(8, 14)), ("Waffles", at(8, 14))]


async def test_whichever_is_soonest_to_the_days_offered_reads_back_the_first() -> None:
    ask = (
        "hi there, olive's booster is due 💉 could she come in at 10.30 one day this week? any "
        "day except wednesday, I'm in lyon all day wed"
    )
    first = await decide(ask)
    # (session 48: "one day this week" at a time offers that time on the week's days, no
    # Wednesday, and asks which suits)
    assert "Which day would suit you?" in first.reply, first.reply
    assert "Wednesday" not in first.reply, first.reply
    decision = await decide("whichever's soonest then, yes please", history=[ask, first.reply])
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"
    assert proposed(decision) == [("Olive", at(7, 10, 30))]


async def test_the_earliest_of_those_is_the_earliest_we_offered() -> None:
    ask = "hi do you have anything this evening? I finish work at 5 and I'm about 20 mins away"
    first = await decide(ask)
    assert "I also have" in first.reply, first.reply
    decision = await decide(
        "the earliest of those please",
        pending=pending_of_booking(first),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_pet_with_its_breed_in_brackets_is_named() -> None:
    decision = await decide(
        "can Lola (jack russell) come tomorrow at 10? she has had an upset tummy since yesterday"
    )
    assert proposed(decision) == [("Lola", at(8, 10))]


async def test_a_lunch_break_one_to_two_is_no_minute_to_two() -> None:
    decision = await decide(
        "The only time I can get away from the office is my lunch break, 1 to 2, so could I "
        "bring Sprout on thursday at 1?"
    )
    assert "13:59" not in decision.reply
    assert "13:00" in decision.reply, decision.reply


async def test_after_five_beside_finishing_at_half_four_is_after_five() -> None:
    decision = await decide(
        "Hi, what's the first evening slot you have after 5? Oscar needs a check up. I finish "
        "work at half 4"
    )
    assert proposed(decision) == [("Oscar", at(7, 17))]


async def test_a_jab_had_in_june_is_no_service_asked() -> None:
    decision = await decide(
        "my mum wants Sprout checked over before Christmas. Sprout is totally fine btw, she had "
        "her myxo jab in June. could I bring her on thursday at 2?"
    )
    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "consultation"


async def test_a_check_up_said_again_reads_the_same_booking_back() -> None:
    ask = "can I get a 9.30 appointment for Muffin on wednesday?"
    first = await decide(ask)
    decision = await decide(
        "it's just a check-up, she's been scratching her ear",
        pending=pending_of_booking(first),
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Muffin", at(9, 9, 30))]


async def test_yes_with_the_cancels_own_day_said_confirms_it() -> None:
    nugget = booking_of("Nugget", at(9, 16), "consultation", "b1")
    ask = "hi I need to cancel nugget's appointment on thursday please"
    first = await decide(ask, bookings=[nugget], busy=busy_of(nugget))
    assert first.intent is Intent.PROPOSE_CANCEL, first.reply
    cancel = pending_of_booking(first).model_copy(update={"kind": "cancel", "booking_id": "b1"})
    decision = await decide(
        "oh yes sorry, wednesday, that one",
        bookings=[nugget],
        busy=busy_of(nugget),
        pending=cancel,
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


# -- a fifth week, corrections, English as a second language (sets 159-162) ---------------------


async def test_a_pet_who_could_be_groomed_is_named() -> None:
    decision = await decide("any chance indy could be groomed this afternoon?? 4 o'clock?")
    assert proposed(decision) == [("Indy", at(7, 16))]


async def test_two_pets_each_needing_a_service_after_a_greeting_are_both_booked() -> None:
    decision = await decide(
        "hiya frodo needs a groom and sushi a check up, saturday morning at 11 for both if you "
        "can? they're both dogs"
    )
    assert sorted((p.subject, p.service) for p in decision.proposals) == [
        ("Frodo", "grooming"),
        ("Sushi", "consultation"),
    ], decision.reply


async def test_no_charge_for_that_after_a_cancel_is_the_policy() -> None:
    decision = await decide(
        "thanks. no charge for that right?",
        history=[
            "cant make bambou's thursday appointment, pls cancel",
            "I can cancel the appointment for Bambou on Thursday 10 December at 09:00. Reply YES "
            "to confirm.",
            "yes",
            "Done: the appointment for Bambou on Thursday 10 December at 09:00 is cancelled.",
        ],
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 hours" in decision.reply and "Our prices" not in decision.reply


async def test_a_fee_asked_while_a_move_waits_is_answered_and_the_move_kept() -> None:
    leo = booking_of("Leo", at(8, 11), "dental", "b1")
    ask = "hi, can we move leo's teeth cleaning to next week? same day same time"
    first = await decide(ask, bookings=[leo], busy=busy_of(leo))
    assert first.intent is Intent.PROPOSE_RESCHEDULE, first.reply
    move = pending_of_booking(first).model_copy(update={"kind": "reschedule", "booking_id": "b1"})
    decision = await decide(
        "is that still free if I change it now? it's tomorrow isn't it",
        bookings=[leo],
        busy=busy_of(leo),
        pending=move,
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 hours" in decision.reply and "Shall I move it?" in decision.reply


async def test_sorry_then_another_day_in_a_burst_is_that_day() -> None:
    decision = await decide(
        "could marley come in tues at 3 for a check up\nugh sorry, wednesday! not tues"
    )
    assert proposed(decision) == [("Marley", at(9, 15))]


async def test_did_i_put_nine_ten_is_ten() -> None:
    decision = await decide("can nemo come friday at 9 for a dental\nwait did I put 9? 10!")
    assert proposed(decision) == [("Nemo", at(11, 10))]


async def test_a_time_taken_back_with_none_given_is_asked() -> None:
    decision = await decide("can suki have her jab tomorrow at 3\nno sorry not 3")
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "15:00" not in decision.reply


async def test_the_wrong_dog_read_back_is_read_back_for_the_right_one() -> None:
    ask = "could you book Hugo for a groom on friday at 11 please"
    first = await decide(ask)
    decision = await decide(
        "nooo sorry wrong dog 🙈 it's Frankie that needs the groom, Hugo only went last week",
        pending=pending_of_booking(first),
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Frankie", at(11, 11))]


async def test_after_tomorrow_with_a_time_is_the_day_after_tomorrow() -> None:
    decision = await decide(
        "My cat Luna she don't eat since yesterday. Is possible after tomorrow at 11h?"
    )
    assert proposed(decision) == [("Luna", at(9, 11))]


async def test_the_seventeenth_said_without_its_ending_is_the_day() -> None:
    decision = await decide(
        "I want an appointment for cut the nails of my rabbit Flocon, the 17 at 14h"
    )
    assert proposed(decision) == [("Flocon", at(17, 14))]


async def test_postpone_of_one_hour_moves_it_an_hour_later() -> None:
    birba = booking_of("Birba", at(8, 14, 30), "consultation", "b1")
    decision = await decide(
        "for the appointment of Birba tomorrow, is possible to postpone of one hour?",
        bookings=[birba],
        busy=busy_of(birba),
    )
    assert proposed(decision) == [("Birba", at(8, 15, 30))]


async def test_annulate_is_cancel_and_earlier_than_planned_no_move() -> None:
    pistache = booking_of("Pistache", at(10, 11), "consultation", "b1")
    decision = await decide(
        "I need to annulate the appointment of Pistache on thursday. We leave for Bretagne "
        "earlier than planned",
        bookings=[pistache],
        busy=busy_of(pistache),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_number_after_your_closing_is_the_night_service() -> None:
    decision = await decide(
        "My dog is old and he has crisis of epilepsy sometimes. If tonight he has a crisis "
        "after your closing, there is a number to call?"
    )
    assert "99 00" in decision.reply


async def test_horaires_and_the_lunch_closing_are_answered_not_booked() -> None:
    decision = await decide(
        "Hello, which are your horaires on saturday? And in the week you are open between 12h "
        "and 14h or you close for lunch like everybody in Paris? 😄"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "12:30" in decision.reply and "09:00-13:00" in decision.reply


async def test_a_past_emergency_told_beside_a_booking_raises_no_alarm() -> None:
    decision = await decide(
        "we had a horrible fright last Tuesday night. Our dog Rascal had what I think was a "
        "seizure, around 11pm. He's been completely normal since, but I'd like him checked "
        "properly. Could he have an appointment on Wednesday at 9am?"
    )
    assert proposed(decision) == [("Rascal", at(9, 9))]


async def test_a_lookup_with_guessed_times_is_answered_with_the_bookings() -> None:
    moustache = booking_of("Moustache", at(8, 16, 45), "vaccination", "b1")
    biscotte = booking_of("Biscotte", at(11, 16), "grooming", "b2")
    decision = await decide(
        "I know Biscotte's groom is friday at 4, but I can't for the life of me remember when "
        "Moustache is booked for his jab. my partner says it's earlier than that, and I've got a "
        "dentist thing on Wednesday at 5 so I really need to know. When is it?",
        bookings=[moustache, biscotte],
        busy=busy_of(moustache, biscotte),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "16:45" in decision.reply


# -- returning customers (set 160) ----------------------------------------------------------------

_ROCKY_LOG = [
    "hello can rocky come in tomorrow morning? he keeps shaking his head. 10?",
    "I can book Tuesday 1 December at 10:00 for Rocky. Reply YES to confirm.",
    "yes please",
    "Done: Rocky is booked for Tuesday 1 December at 10:00.",
]


async def test_same_time_as_last_time_is_the_time_our_log_confirmed() -> None:
    decision = await decide(
        "Hi, Rocky was in with you last tuesday for his ear and the vet wants to see him again "
        "a week on. Could we do tuesday, same time as last time?",
        history=_ROCKY_LOG,
    )
    assert proposed(decision) == [("Rocky", at(8, 10))]


async def test_a_week_after_his_last_visit_is_a_week_on_from_the_visit_in_our_log() -> None:
    decision = await decide(
        "hi, the vet wants to see rocky again a week after his last visit. can we book that? "
        "afternoon would be better this time",
        history=_ROCKY_LOG,
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Tuesday 8 December" in decision.reply


async def test_what_she_had_last_time_is_that_service() -> None:
    decision = await decide(
        "hiya, rosie needs what she had last time again 🤢 thursday at 4 if poss?",
        history=[
            "can rosie have a groom saturday at 10?",
            "I can book Saturday 5 December at 10:00 for Rosie (grooming). Reply YES to confirm.",
            "yes",
            "Done: Rosie is booked for a grooming on Saturday 5 December at 10:00.",
        ],
    )
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_the_visit_booked_on_a_day_is_the_one_of_the_service_named() -> None:
    check = booking_of("Willow", at(8, 17), "consultation", "b1")
    jab = booking_of("Willow", at(14, 14), "vaccination", "b2")
    decision = await decide(
        "hi, the check up I booked for willow on saturday can be cancelled, the sneezing has "
        "stopped 🙂 her jab on the 14th still stands",
        bookings=[check, jab],
        busy=busy_of(check, jab),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_booking_a_pet_in_names_it() -> None:
    decision = await decide(
        "hello, booking pepper in to have her stitches out like dr morel said. tuesday at half 5 "
        "if you've got it?"
    )
    assert proposed(decision) == [("Pepper", at(8, 17, 30))]


async def test_its_two_names_who_both_need_a_check_up_are_both_booked() -> None:
    ask = "hi do you have any space this afternoon for my rabbits?"
    first = await decide(ask)
    decision = await decide(
        "its hazelnut and biscotti, both need a check up, they're not eating their hay much. 4 "
        "o'clock would be good for both",
        history=[ask, first.reply],
    )
    assert sorted(proposed(decision)) == [("Biscotti", at(7, 16)), ("Hazelnut", at(7, 16))]


async def test_could_a_pet_with_its_kind_in_brackets_is_named() -> None:
    decision = await decide(
        "could percy (cat) have his vaccination on friday afternoon too, at 3? it saves a trip"
    )
    assert proposed(decision) == [("Percy", at(11, 15))]


async def test_a_move_later_with_nothing_before_eleven_goes_from_eleven() -> None:
    otis = booking_of("Otis", at(8, 9, 30), "consultation", "b1")
    decision = await decide(
        "hi, otis is booked in tomorrow at 9.30 but I've got a work call now that runs till 11 😩 "
        "can we push him later the same morning? nothing before 11, ideally before you close "
        "for lunch",
        bookings=[otis],
        busy=busy_of(otis),
    )
    assert proposed(decision) == [("Otis", at(8, 11))]
    assert decision.reply.count("I also have") <= 1


async def test_the_week_by_its_first_day_and_the_monday_ruled_out_is_tuesday() -> None:
    decision = await decide(
        "Hiya, can Gus come in for a check up next week (w/c 14th)? Whatever you've got first, "
        "as long as it's not the monday, my mum has him mondays"
    )
    assert proposed(decision) == [("Gus", at(15, 8, 30))]


async def test_not_the_same_day_as_another_pets_jab_is_the_other_day_said() -> None:
    loki = booking_of("Loki", at(8, 16, 30), "vaccination", "b1")
    decision = await decide(
        "can jasper come in for a check up tuesday or thursday, between 4 and 6? not the same "
        "day as loki's jab though, one vet trip a day is plenty for me 😂",
        bookings=[loki],
        busy=busy_of(loki),
    )
    assert decision.proposal is not None, decision.reply
    assert proposed(decision) == [("Jasper", at(10, 16))]
    assert decision.proposal.service == "consultation"


async def test_a_sock_swallowed_and_fine_so_far_still_raises_the_alarm() -> None:
    decision = await decide(
        "she ate a sock an hour ago, she's fine so far, can she come tomorrow at 10?"
    )
    assert decision.intent is Intent.HANDOFF, decision.reply
