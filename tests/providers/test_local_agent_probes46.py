"""Conversations played turn by turn in session 46 (held-out sets 191 onwards, written blind in
it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``); the sets' own
days are moved a week earlier here."""

from __future__ import annotations

from switchboard.agent_models import Intent
from switchboard.understanding import text
from tests.providers.test_local_agent_everyday import at, decide, pending, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of

# -- slips of typing on a phone (set 194) -----------------------------------------------------


def test_a_letter_o_typed_for_a_zero_is_read_as_the_time() -> None:
    assert text.mended("wednesdy at 10.3o pls") == "wednesdy at 10.30 pls"
    assert text.mended("satruday 1O am nail trim") == "satruday 10 am nail trim"
    assert text.mended("like 4.3opm?") == "like 4.30pm?"
    assert text.mended("at 3 o'clock") == "at 3 o'clock"


def test_words_run_together_are_split_and_names_left_alone() -> None:
    assert (
        text.mended("bookcheckup forDexter tomorrowat2pm")
        == "book checkup for Dexter tomorrow at2pm"
    )
    assert text.mended("cancelpeanuts groomon saturday pls cant makeit") == (
        "cancel peanuts groom on saturday pls cant make it"
    )
    # (a word of the dictionary, a pet's name one slip from a day, a groomer: as written)
    assert text.mended("she's at the groomer's thursday") == "she's at the groomer's thursday"
    assert text.mended("when is frida booked in again?") == "when is frida booked in again?"
    assert text.mended("can canela come mañana") == "can canela come mañana"
    assert text.mended("book Toby and Groot") == "book Toby and Groot"


async def test_a_booking_typed_with_slips_is_read_back_at_the_time_meant() -> None:
    decision = await decide("hi can i bokk a chek up for Pumpkin wednesdy at 10.3o pls 🐶")
    assert proposed(decision) == [("Pumpkin", at(9, 10, 30))]


async def test_a_run_together_request_is_read() -> None:
    decision = await decide("bookcheckup forDexter tomorrowat2pm")
    assert proposed(decision) == [("Dexter", at(8, 14))]


async def test_a_run_together_cancellation_names_the_pet_booked() -> None:
    peanut = booking_of("Peanut", at(12, 11), "grooming", "b1")
    decision = await decide(
        "cancelpeanuts groomon saturday pls cant makeit", bookings=[peanut], busy=busy_of(peanut)
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_service_misspelt_twice_is_the_service_booked() -> None:
    decision = await decide("is ther any chance of a dentle for Nutmeg friday mornin at 9??")
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_a_price_asked_with_typos_is_answered() -> None:
    decision = await decide("how mcuh is a vacination for a dog? hes due his boster")
    assert "€55" in decision.reply


async def test_a_look_up_asked_with_typos_lists_the_bookings() -> None:
    toffee = booking_of("Toffee", at(8, 17), "consultation", "b1")
    waffles = booking_of("Waffles", at(12, 9), "grooming", "b2")
    decision = await decide(
        "hi wat apointments hav i got this wk? 🙈",
        bookings=[toffee, waffles],
        busy=busy_of(toffee, waffles),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "Toffee" in decision.reply and "Waffles" in decision.reply


# -- an ordinary week, changes of mind, older customers (sets 191-193) ------------------------


async def test_not_urgent_said_twice_is_no_emergency() -> None:
    decision = await decide(
        "can Nugget be seen today at 9.30? she's limping on her back leg, not urgent urgent but "
        "id like her checked"
    )
    assert decision.intent is not Intent.HANDOFF
    assert "urgent" not in decision.reply.lower()


async def test_a_pet_named_as_anothers_brother_is_booked_alone() -> None:
    jasper = booking_of("Jasper", at(9, 10), "vaccination", "b1")
    decision = await decide(
        "hi also could we book jasper's brother Loki in for a check up on monday the 14th at 5pm?",
        bookings=[jasper],
        busy=busy_of(jasper),
    )
    assert proposed(decision) == [("Loki", at(14, 17))]


async def test_a_receptionist_who_gave_the_number_is_no_request_for_a_person() -> None:
    decision = await decide(
        "Good morning\nThis is Mrs Duval, I was given this number by your receptionist on the "
        "telephone.\nI would like to book my cat Figaro in for his vaccinations please.\n"
        "Thursday the 10th at 3 o'clock in the afternoon if you have it. Thank you."
    )
    assert proposed(decision) == [("Figaro", at(10, 15))]
    assert "call us" not in decision.reply


async def test_a_greeting_in_french_and_a_vet_who_told_us_are_no_pets() -> None:
    opening = (
        "Bonjour and good morning. I would like to book a teeth cleaning for my little poodle "
        "Fifi, the vet told us at her last check that her teeth need doing. Could she come on "
        "Friday the 11th at twelve o'clock noon? Best regards, Mrs Simone Lefèvre"
    )
    first = await decide(opening)
    decision = await decide(
        "Oh I see, I did not realise it takes a whole hour. Half past eleven would be fine then.",
        history=[opening, first.reply],
    )
    assert proposed(decision) == [("Fifi", at(11, 11, 30))]


async def test_whether_rabbits_are_seen_is_answered_beside_the_hours() -> None:
    decision = await decide(
        "I am not at all sure whether a clinic such as yours sees rabbits or only cats and dogs. "
        "If you do, could you please tell me what time you close on Saturdays"
    )
    assert "rabbits" in decision.reply and "13:00" in decision.reply


async def test_a_move_asked_beside_its_cost_is_read_back_with_the_policy() -> None:
    archie = booking_of("Archibald", at(8, 15), "consultation", "b1")
    decision = await decide(
        "would there be any charge for moving it at this short notice, and secondly, could it be "
        "moved to Thursday the 10th at the same time?",
        bookings=[archie],
        busy=busy_of(archie),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Archibald", at(10, 15))]
    assert "free of charge" in decision.reply and "can't book moving" not in decision.reply


async def test_news_of_our_hours_before_an_answer_keeps_the_move() -> None:
    bramble = booking_of("Bramble", at(10, 16, 30), "grooming", "b1")
    decision = await decide(
        "Oh, I did not know you closed early on Saturdays. Then half past nine on Saturday "
        "morning, please.",
        bookings=[bramble],
        busy=busy_of(bramble),
        history=[
            "My spaniel Bramble is booked in for a groom on Thursday at half past four. Would "
            "Saturday the 12th at two o'clock in the afternoon be possible instead?",
            "Sorry, Saturday 12 December at 14:00 isn't possible: we close at 13:00 that day. I "
            "can offer Saturday 12 December at 11:45 or Saturday 12 December at 12:00. Which "
            "would suit you?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Bramble", at(12, 9, 30))]


async def test_the_service_of_a_booking_already_had_is_not_booked_again() -> None:
    toffee = booking_of("Toffee", at(10, 11, 30), "consultation", "b1")
    decision = await decide(
        "I already have an appointment for my cat Toffee on Thursday the 10th at half past "
        "eleven for a check-up. Her sister Fudge's booster is overdue. Would it be possible for "
        "Fudge to come along at the same time and have her booster?",
        bookings=[toffee],
        busy=busy_of(toffee),
    )
    assert proposed(decision) == [("Fudge", at(10, 11, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_second_cancellation_asked_too_joins_the_first() -> None:
    oreo = booking_of("Oreo", at(8, 15), "grooming", "b1")
    pickle = booking_of("Pickle", at(9, 16), "grooming", "b2")
    decision = await decide(
        "actually can you cancel pickle's too? we're going away for the week",
        bookings=[oreo, pickle],
        busy=busy_of(oreo, pickle),
        pending=pending("cancel", at(8, 15), subject="Oreo", booking_id="b1"),
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(p.booking_id or "" for p in decision.proposals) == ["b1", "b2"]


async def test_first_thing_with_an_hour_is_that_hour() -> None:
    smudge = booking_of("Smudge", at(11, 17), "consultation", "b1")
    decision = await decide(
        "hmm no let's do saturday instead, first thing, 9?",
        bookings=[smudge],
        busy=busy_of(smudge),
        pending=pending("reschedule", at(11, 14), subject="Smudge", booking_id="b1"),
    )
    assert proposed(decision) == [("Smudge", at(12, 9))]


async def test_later_on_the_same_day_asks_the_time_not_the_old_proposal() -> None:
    lottie = booking_of("Lottie", at(10, 9), "grooming", "b1")
    decision = await decide(
        "actually no, friday's bad too. can it just be later on thursday instead?",
        bookings=[lottie],
        busy=busy_of(lottie),
        pending=pending("reschedule", at(11, 14), subject="Lottie", booking_id="b1"),
    )
    assert decision.intent is Intent.CLARIFY
    assert "14:00" not in decision.reply.split("?")[0]


# -- two things in one message, someone else's pet (sets 196-197) -----------------------------


async def test_a_look_up_beside_a_cancellation_is_answered_too() -> None:
    bisou = booking_of("Bisou", at(9, 11), "consultation", "b1")
    marmite = booking_of("Marmite", at(11, 16, 30), "grooming", "b2")
    decision = await decide(
        "what time's bisou in on wednesday again? and can u cancel marmite's groom on friday",
        bookings=[bisou, marmite],
        busy=busy_of(bisou, marmite),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert "9 December at 11:00" in decision.reply and "Marmite" in decision.reply


async def test_how_one_pays_beside_a_move_is_no_question_of_a_fee() -> None:
    crumble = booking_of("Crumble", at(10, 10), "consultation", "b1")
    decision = await decide(
        "morning! can i pay by contactless? also need to move crumble's appointment on thursday "
        "to friday same time if thats ok",
        bookings=[crumble],
        busy=busy_of(crumble),
    )
    assert proposed(decision) == [("Crumble", at(11, 10))]


async def test_a_cancellation_said_beside_its_fee_is_read_back() -> None:
    tink = booking_of("Tinkerbell", at(10, 9, 30), "vaccination", "b1")
    decision = await decide(
        "if i cancel now do i get charged? it's tinkerbell's jab on thursday, have to cancel "
        "sorry 😞",
        bookings=[tink],
        busy=busy_of(tink),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL


async def test_a_price_and_a_booking_asked_together_asks_the_day() -> None:
    decision = await decide(
        "how much is a dental and can i book one for my dog baxter? his breath is honestly rank"
    )
    assert decision.intent is Intent.CLARIFY
    assert "€120" in decision.reply and "Baxter" in decision.reply


async def test_a_pet_called_monday_is_booked_on_the_day_asked() -> None:
    decision = await decide("monday needs his jabs, any chance of wednesday at half 2?")
    assert proposed(decision) == [("Monday", at(9, 14, 30))]


async def test_payment_asked_beside_who_brings_the_pet_is_answered() -> None:
    muffin = booking_of("Muffin", at(8, 15), "consultation", "b1")
    decision = await decide(
        "hi my neighbour is going to bring muffin in tomorrow as i'm stuck at work, is that ok? "
        "and can she pay by card?",
        bookings=[muffin],
        busy=busy_of(muffin),
    )
    assert "cards" in decision.reply


async def test_a_new_pet_beside_its_booked_brother_gets_its_own_visit() -> None:
    marmalade = booking_of("Marmalade", at(8, 9, 30), "consultation", "b1")
    decision = await decide(
        "hello, any evening slots later in the week? marmalade's brother custard needs his jabs",
        bookings=[marmalade],
        busy=busy_of(marmalade),
    )
    assert decision.intent is Intent.CLARIFY
    assert "Custard" in decision.reply and "Marmalade" not in decision.reply
    assert "Monday" not in decision.reply and "Tuesday" not in decision.reply


# -- following up, reasons, free times (sets 198-201) -----------------------------------------


async def test_a_nudge_answers_the_message_nobody_answered() -> None:
    decision = await decide(
        "hello?\ndid you get my message about pumpkin? 🐱",
        history=["can i book a check up for my cat Pumpkin on wednesday at 11?"],
    )
    assert proposed(decision) == [("Pumpkin", at(9, 11))]
    assert decision.reply.startswith("Sorry for the slow reply.")


async def test_a_car_that_died_is_no_loss_and_the_move_is_read_back() -> None:
    crumble = booking_of("Crumble", at(9, 10), "consultation", "b1")
    decision = await decide(
        "hi so sorry, the car's died on us 🙄 garage says it won't be ready till thursday "
        "lunchtime. could crumble's wednesday appt go to friday at 10 instead?",
        bookings=[crumble],
        busy=busy_of(crumble),
    )
    assert "loss" not in decision.reply
    assert proposed(decision) == [("Crumble", at(11, 10))]


async def test_the_hours_of_a_shift_are_not_the_visits() -> None:
    wasabi = booking_of("Wasabi", at(10, 15, 30), "vaccination", "b1")
    decision = await decide(
        "hiya, work have stuck me on a late shift thursday, 2 till 10 😩 can wasabi's jab be the "
        "same time next week instead?",
        bookings=[wasabi],
        busy=busy_of(wasabi),
    )
    assert proposed(decision) == [("Wasabi", at(17, 15, 30))]


async def test_an_hour_after_work_is_read_from_the_hour_worked_until() -> None:
    paddy = booking_of("Paddy", at(10, 10), "consultation", "b1")
    decision = await decide(
        "right so my boss has just put me on till 6 on thursday 🙄 could paddy's be moved to "
        "after that? i can be there by quarter past",
        bookings=[paddy],
        busy=busy_of(paddy),
    )
    assert proposed(decision) == [("Paddy", at(10, 18, 15))]


async def test_a_cancellation_beside_an_event_and_a_rebooking_later_is_a_cancellation() -> None:
    mabel = booking_of("Mabel", at(11, 9, 15), "vaccination", "b1")
    decision = await decide(
        "oh no just realised it's my daughter's carol concert friday, 9 till 11 😩 please cancel "
        "it, i'll message after the holidays to rebook",
        bookings=[mabel],
        busy=busy_of(mabel),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL


async def test_a_day_given_up_and_the_same_time_next_week_asked_is_a_move() -> None:
    lottie = booking_of("Lottie", at(8, 14), "grooming", "b1")
    decision = await decide(
        "ah no wait, they've just put me on earlies tuesday, 6 till 2, so I won't make it for 2 "
        "after all. same time next week instead?",
        bookings=[lottie],
        busy=busy_of(lottie),
    )
    assert proposed(decision) == [("Lottie", at(15, 14))]


async def test_an_hour_said_after_the_day_with_its_reason_is_the_hour() -> None:
    juniper = booking_of("Juniper", at(10, 9), "grooming", "b1")
    sage = booking_of("Sage", at(12, 10), "vaccination", "b2")
    decision = await decide(
        "no way am i driving thursday morning ❄️ can juniper's groom go to saturday too? maybe 11 "
        "so he's after sage",
        bookings=[juniper, sage],
        busy=busy_of(juniper, sage),
    )
    assert proposed(decision) == [("Juniper", at(12, 11))]


async def test_the_latest_asked_of_a_day_is_that_days_last_time() -> None:
    decision = await decide(
        "ugh ok. whats the latest you can do saturday then?",
        history=[
            "do you do sundays? need a check up for chorizo and i work all week",
            "Sorry, we're closed on Sundays. I can offer Saturday 12 December at 11:45, Saturday "
            "12 December at 12:00 or Monday 14 December at 12:00. Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Chorizo", at(12, 12, 30))]


async def test_the_earliest_of_another_day_replaces_the_proposal() -> None:
    decision = await decide(
        "ah not today sorry, cant get off work. whats the earliest on wednesday?",
        pending=pending("book", at(7, 10, 15), subject="Bramble", service="dental"),
    )
    assert proposed(decision) == [("Bramble", at(9, 8, 30))]


async def test_a_time_picked_from_times_offered_for_a_move_moves_the_booking() -> None:
    coco = booking_of("Coco", at(8, 11), "consultation", "b1")
    decision = await decide(
        "sorry for the wait! the 4.45 one please",
        bookings=[coco],
        busy=busy_of(coco),
        history=[
            "can coco's appt tomorrow be moved to wednesday? what times have you got",
            "On Wednesday 9 December I have 09:15, 12:00, 16:45 or 18:00 for Coco. Which would "
            "you like?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Coco", at(9, 16, 45))]


async def test_a_cancellation_asked_instead_of_the_move_read_back() -> None:
    rocco = booking_of("Rocco", at(10, 17), "consultation", "b1")
    decision = await decide(
        "hmm none of those really work for us tbh. just cancel thursday and ill call you next week "
        "to rebook",
        bookings=[rocco],
        busy=busy_of(rocco),
        pending=pending("reschedule", at(11, 17), subject="Rocco", booking_id="b1"),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL


async def test_a_price_asked_each_or_for_both_is_answered_for_each() -> None:
    decision = await decide(
        "sorry is that 55 each or 55 for both? its for fudge and toffee, 2 dogs",
        history=["how much r jabs", "A vaccination is €55 and takes about 15 minutes."],
    )
    assert decision.intent is Intent.ANSWER
    assert "€55" in decision.reply and "€110" in decision.reply


async def test_a_pet_left_out_of_a_booking_is_read_back_when_asked_after() -> None:
    mabel = booking_of("Mabel", at(10, 14), "consultation", "b1")
    decision = await decide(
        "hang on did you do otis as well? it only says mabel",
        bookings=[mabel],
        busy=busy_of(mabel),
        history=[
            "can mabel and otis both have check ups thursday at 2?",
            "I can book Thursday 10 December at 14:00 for Mabel. Reply YES to confirm.",
            "yes",
            "Done: Mabel is booked for Thursday 10 December at 14:00.",
        ],
    )
    assert proposed(decision) == [("Otis", at(10, 14))]


async def test_our_times_asked_again_are_said_again() -> None:
    ours = "On Friday 11 December I have 14:15, 15:30 or 17:00 for Olive. Which would suit you?"
    decision = await decide(
        "sorry what were the times again for friday? deleted the msg by accident 🙈",
        history=["any chance of a check up friday afternoon for Olive?", ours],
    )
    assert decision.intent is Intent.CLARIFY
    assert ours in decision.reply


async def test_our_one_time_asked_again_and_taken_is_read_back() -> None:
    decision = await decide(
        "hi what time was it you said for clover on friday? if its still free ill take it",
        history=[
            "whats the earliest you can do clover's vaccination on friday? late morning ideally",
            "On Friday 11 December I can do 11:45 for Clover's vaccination. Shall I book it?",
        ],
    )
    assert proposed(decision) == [("Clover", at(11, 11, 45))]
    assert "isn't well" not in decision.reply


async def test_the_pet_who_stays_is_not_the_one_moved() -> None:
    bear = booking_of("Bear", at(9, 11), "consultation", "b1")
    peanut = booking_of("Peanut", at(10, 16), "consultation", "b2")
    decision = await decide(
        "Bear! sorry 😂 peanut's the little one, she stays as she is",
        bookings=[bear, peanut],
        busy=busy_of(bear, peanut),
        history=[
            "hiya can we move the big one's appointment to friday? 11ish if you can",
            "Which appointment should I move: Bear on Wednesday 9 December at 11:00 or Peanut on "
            "Thursday 10 December at 16:00?",
        ],
    )
    assert proposed(decision) == [("Bear", at(11, 11))]


async def test_one_of_several_pets_not_named_is_asked_for_by_name() -> None:
    decision = await decide("can i book the big one in for his jabs wednesday at 10")
    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None


async def test_a_visit_asked_in_a_burst_beside_a_question_is_not_dropped() -> None:
    decision = await decide(
        "hi do you have anything thursday morning for a check up? my cat nori has a little lump "
        "on her side\noh and is there parking near you? i'll be driving"
    )
    assert "parking" in decision.reply
    assert "Thursday 10 December" in decision.reply and "Nori" in decision.reply


async def test_a_holiday_offered_beside_another_day_is_said_closed() -> None:
    decision = await decide(
        "hi do you have anything on the 24th or 25th? need a check up for bao, my cat"
    )
    assert "Christmas Day" in decision.reply and "24 December" in decision.reply


async def test_a_pet_wanted_after_all_is_read_back_at_the_slot_of_both() -> None:
    hugo = booking_of("Hugo", at(9, 15), "vaccination", "b1")
    decision = await decide(
        "ok found the booklet, nutmeg IS due 🙈 both after all please",
        bookings=[hugo],
        busy=busy_of(hugo),
        history=[
            "can hugo and nutmeg both get their boosters on wednesday at 3pm?",
            "I can book Hugo and Nutmeg for Wednesday 9 December at 15:00. Reply YES to confirm.",
            "actually just hugo for now, not sure nutmeg's is due yet",
            "Done: Hugo is booked for Wednesday 9 December at 15:00.",
        ],
    )
    assert proposed(decision) == [("Nutmeg", at(9, 15))]
    assert "Hugo" in decision.reply


async def test_a_late_yes_with_an_apology_for_the_wait_is_still_a_yes() -> None:
    ginger = booking_of("Ginger", at(9, 12), "consultation", "b1")
    decision = await decide(
        "yes go on then 🙂 sorry for the slow reply",
        bookings=[ginger],
        busy=busy_of(ginger),
        history=[
            "can ginger's appointment move to friday, same time?",
            "I can move the appointment for Ginger from Wednesday 9 December at 12:00 to Friday "
            "11 December at 12:00. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Ginger", at(11, 12))]


async def test_a_yes_seen_late_to_a_time_now_too_soon_offers_others() -> None:
    decision = await decide(
        "only just seen this sorry!! yes please",
        history=[
            "can crumble come in tomorrow morning about half 9? just a quick check up",
            "I can book Monday 7 December at 09:30 for Crumble (consultation). Reply YES to "
            "confirm.",
        ],
    )
    assert decision.intent is Intent.CLARIFY
    assert "10:00" in decision.reply


async def test_the_pet_whose_time_is_asked_is_no_one_more_to_book() -> None:
    suki = booking_of("Suki", at(9, 11), "consultation", "b1")
    decision = await decide(
        "same time as suki if you can, so we only have to come once",
        bookings=[suki],
        busy=busy_of(suki),
        pending=pending("book", at(9, 11), subject="Mabel"),
        history=[
            "hi when is suki's appointment again? and have you got anything around the same time "
            "that day for her sister mabel?",
            "Your appointment for Suki is on Wednesday 9 December at 11:00. I can book Wednesday 9 "
            "December at 11:00 for Mabel. Reply YES to confirm.",
        ],
    )
    assert "already booked" not in decision.reply
    assert "Mabel" in decision.reply


async def test_how_one_pays_asked_beside_a_move_is_answered() -> None:
    crumble = booking_of("Crumble", at(10, 10), "consultation", "b1")
    decision = await decide(
        "morning! can i pay by contactless? also need to move crumble's appointment on thursday "
        "to friday same time if thats ok",
        bookings=[crumble],
        busy=busy_of(crumble),
    )
    assert "contactless" in decision.reply and "free of charge" not in decision.reply


# -- the fourth wave: hurried messages, Christmas and the new year (sets 203-206) -------------


async def test_a_possessive_of_a_name_ending_in_s_is_the_name() -> None:
    decision = await decide("saturday at 10 for waffles' check up? 🐰")
    assert proposed(decision) == [("Waffles", at(12, 10))]


async def test_a_pet_asked_to_be_seen_now_is_named() -> None:
    decision = await decide("can u see dotty now? shes limping")
    assert "Dotty" in decision.reply


async def test_the_emergency_number_asked_is_answered_not_escalated() -> None:
    decision = await decide("whats the emergency no.")
    assert decision.intent is not Intent.HANDOFF
    assert "night service" in decision.reply


async def test_one_more_pet_alone_joins_the_read_back() -> None:
    decision = await decide(
        "and hazel",
        pending=pending("book", at(9, 15), subject="Fudge", service="consultation"),
        history=["checkup fudge wed 3pm", "I can book Wednesday 9 December at 15:00 for Fudge."],
    )
    assert sorted(proposed(decision)) == [("Fudge", at(9, 15)), ("Hazel", at(9, 15))]


async def test_the_same_for_another_pet_after_a_booking_is_that_visit() -> None:
    mango = booking_of("Mango", at(10, 16), "vaccination", "b1")
    decision = await decide(
        "same for olive pls",
        bookings=[mango],
        busy=busy_of(mango),
        history=[
            "mango booster thu 4pm",
            "I can book Thursday 10 December at 16:00 for Mango (vaccination). Reply YES to "
            "confirm.",
            "yes",
            "Done: Mango is booked for Thursday 10 December at 16:00.",
        ],
    )
    assert proposed(decision) == [("Olive", at(10, 16))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_sat_then_same_time_picks_saturday_at_the_time_asked() -> None:
    decision = await decide(
        "sat then same time",
        history=[
            "sunday 10 for kaiser?",
            "Sorry, Sunday 13 December at 10:00 isn't possible: we're closed on Sundays. I can "
            "offer Saturday 12 December at 09:45, Saturday 12 December at 10:00 or Monday 14 "
            "December at 10:00. Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Kaiser", at(12, 10))]


async def test_a_question_beside_a_no_is_answered() -> None:
    decision = await decide(
        "nah leave it actually. u see rabbits?",
        pending=pending("book", at(9, 9), subject="Thumper"),
    )
    assert decision.intent is Intent.DECLINE
    assert "rabbits" in decision.reply


async def test_the_monday_after_christmas_is_the_28th() -> None:
    gaspard = booking_of("Gaspard", at(24, 15), "grooming", "b1")
    decision = await decide(
        "can we move gaspard's groom from christmas eve to the monday after christmas? same "
        "time if you have it",
        bookings=[gaspard],
        busy=busy_of(gaspard),
    )
    assert proposed(decision) == [("Gaspard", at(28, 15))]


async def test_the_booked_day_said_twice_before_the_day_asked() -> None:
    bijou = booking_of("Bijou", at(24, 16), "consultation", "b1")
    decision = await decide(
        "omg just realised the 24th is christmas eve 🙈\nwe'll be at my mums all day. can we "
        "do the 23rd instead, same time?",
        bookings=[bijou],
        busy=busy_of(bijou),
    )
    assert proposed(decision) == [("Bijou", at(23, 16))]


async def test_the_hours_over_christmas_say_the_holidays_closed() -> None:
    decision = await decide("whats your opening hours over christmas and new year? 🎄🎆")
    assert "Christmas Day" in decision.reply and "New Year" in decision.reply


async def test_a_time_answering_our_question_about_a_move_moves_it() -> None:
    cleo = booking_of("Cleo", at(9, 10), "vaccination", "b1")
    decision = await decide(
        "thu 10",
        bookings=[cleo],
        busy=busy_of(cleo),
        history=[
            "need to move cleo's jab",
            "Of course. What day and time would suit for Cleo's vaccination instead of Wednesday "
            "9 December at 10:00?",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Cleo", at(10, 10))]
