"""Conversations played turn by turn in session 47 (held-out sets 207 onwards, written blind in
it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``); the sets' own
days are moved a week earlier here."""

from __future__ import annotations

from switchboard.agent_models import Intent
from switchboard.providers.rules_agent import steps
from tests.providers.test_local_agent_everyday import at, decide, pending, proposed
from tests.providers.test_local_agent_probes33 import at_in, booking_of
from tests.providers.test_local_agent_probes38 import busy_of

# -- moves: the week after, the same time, a time said after the day (sets 207-209) ----------


async def test_the_following_week_with_its_weekday_is_that_weekday() -> None:
    mabel = booking_of("Mabel", at(10, 15, 30), "dental", "b1")
    for message in (
        "something's come up on thursday unfortunately. can Mabel's dental go to the following "
        "week instead? tuesday the 15th at 9 if poss",
        "can Mabel's dental go to the following week instead? tuesday at 9 if poss",
    ):
        decision = await decide(message, bookings=[mabel], busy=busy_of(mabel))
        assert decision.intent is Intent.PROPOSE_RESCHEDULE, message
        assert proposed(decision) == [("Mabel", at(15, 9))], message


async def test_a_week_later_with_a_day_of_the_customers_own_keeps_the_weekday() -> None:
    rocky = booking_of("Rocky", at(8, 11), "consultation", "b1")
    decision = await decide(
        "can we push it back a week? same time if poss, my car's in the garage till friday",
        bookings=[rocky],
        busy=busy_of(rocky),
    )
    assert proposed(decision) == [("Rocky", at(15, 11))]


async def test_same_time_after_a_refused_move_is_the_bookings_time() -> None:
    domino = booking_of("Domino", at(18, 11), "consultation", "b1")
    asked = "hi\ndomino's friday appt\ncan we do\nthe friday after?\nsame time"
    refused = await decide(asked, bookings=[domino], busy=busy_of(domino))
    assert "Christmas" in refused.reply
    decision = await decide(
        "ah christmas 🤦\nthursday 24th then?\nsame time",
        bookings=[domino],
        busy=busy_of(domino),
        history=[asked, refused.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Domino", at(24, 11))]


async def test_an_hour_said_with_maybe_after_earlier_on_a_day_is_the_time() -> None:
    crumpet = booking_of("Crumpet", at(10, 17, 30), "consultation", "b1")
    decision = await decide(
        "hiya can we make crumpet's appointment a bit earlier on thursday? 4 maybe",
        bookings=[crumpet],
        busy=busy_of(crumpet),
    )
    assert proposed(decision) == [("Crumpet", at(10, 16))]


async def test_the_dogs_move_and_the_cat_said_fine_where_it_is_stays() -> None:
    bramble = booking_of("Bramble", at(10, 15), "consultation", "b1")
    conker = booking_of("Conker", at(10, 15), "consultation", "b2")
    smudge = booking_of("Smudge", at(10, 15, 30), "consultation", "b3")
    bookings = [bramble, conker, smudge]
    decision = await decide(
        "hi again, can we move the dogs to friday same time? smudge's one is fine where it is",
        bookings=bookings,
        busy=busy_of(*bookings),
        history=[
            "can the dogs bramble and conker come in thurs at 3 for a check up, and smudge (cat) "
            "at half 3?",
            "I can book Bramble and Conker on Thursday 10 December at 15:00 and Smudge at 15:30 "
            "(consultations). Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.booking_id, p.slot_start) for p in decision.proposals} == {
        ("b1", at(11, 15)),
        ("b2", at(11, 15)),
    }


# -- several pets (sets 208, 209, 212) -----------------------------------------------------------


async def test_a_time_for_each_pet_in_the_order_named() -> None:
    decision = await decide(
        "hello, could Boris and Hamish both have a groom on saturday? one after the other if "
        "possible, 11 and then 11.45? Lady doesn't need one she was done last month"
    )
    assert proposed(decision) == [("Boris", at(12, 11)), ("Hamish", at(12, 11, 45))]


async def test_one_said_as_a_number_is_no_time_of_its_own() -> None:
    decision = await decide(
        "Can Bonnie and Clyde both come in Thursday at 10 for their check-ups? If you can only "
        "fit one then 10:30 for both"
    )
    assert proposed(decision) == [("Bonnie", at(10, 10)), ("Clyde", at(10, 10))]


async def test_a_pet_still_coming_on_a_line_of_its_own_is_not_cancelled() -> None:
    cosmo = booking_of("Cosmo", at(10, 14), "vaccination", "b1")
    lemon = booking_of("Lemon", at(10, 14), "vaccination", "b2")
    decision = await decide(
        "hi\nthursday jabs\ncancel lemon's\ncosmo still coming",
        bookings=[cosmo, lemon],
        busy=busy_of(cosmo, lemon),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_moving_house_is_no_move_of_the_bookings() -> None:
    basil = booking_of("Basil", at(10, 9, 30), "consultation", "b1")
    sage = booking_of("Sage", at(10, 9, 30), "consultation", "b2")
    decision = await decide(
        "hello\nplease cancel\nbasil and sage\nthursday\nwe're moving 😢",
        bookings=[basil, sage],
        busy=busy_of(basil, sage),
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.kind, p.booking_id) for p in decision.proposals} == {
        ("cancel", "b1"),
        ("cancel", "b2"),
    }


async def test_both_of_hers_cancels_each_of_her_bookings() -> None:
    noodle = booking_of("Noodle", at(8, 12), "vaccination", "b1")
    noodle2 = booking_of("Noodle", at(11, 17, 30), "grooming", "b2")
    waffles = booking_of("Waffles", at(11, 17, 30), "grooming", "b3")
    tofu = booking_of("Tofu", at(11, 18, 15), "grooming", "b4")
    bookings = [noodle, noodle2, waffles, tofu]
    decision = await decide(
        "noodle's off to my mum's in the country from tomorrow till after christmas so can you "
        "cancel both of hers please? waffles and tofu are still on for friday",
        bookings=bookings,
        busy=busy_of(*bookings),
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.kind, p.booking_id) for p in decision.proposals} == {
        ("cancel", "b1"),
        ("cancel", "b2"),
    }


async def test_pets_named_in_a_list_after_their_rescue_are_booked_by_name() -> None:
    told = "hello do you see guinea pigs? we've just taken on two from a rescue, nugget and popcorn"
    decision = await decide(
        "great, can they both come in for a check on thursday at 11.30?",
        history=[told, "Yes, we see guinea pigs."],
    )
    assert proposed(decision) == [("Nugget", at(10, 11, 30)), ("Popcorn", at(10, 11, 30))]


async def test_two_unnamed_pets_are_asked_for_by_name() -> None:
    decision = await decide(
        "hi can you book two of mine in for friday at 10? the third one can wait till january"
    )
    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None and "names" in decision.reply


# -- a visit of its own, not the one booked moved (sets 212, 216) ----------------------------


async def test_the_next_jab_booked_ahead_is_a_booking_not_a_move() -> None:
    nori = booking_of("Nori", at(8, 9, 30), "vaccination", "b1")
    decision = await decide(
        "nori's first vaccination is tomorrow morning 🐱 the second one is 3 weeks after, could "
        "we book that now too? same time, tuesday the 29th of december",
        bookings=[nori],
        busy=busy_of(nori),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Nori", at(29, 9, 30))]


async def test_the_next_jab_refused_then_another_day_is_still_a_booking() -> None:
    bean = booking_of("Bean", at(11, 10), "vaccination", "b1")
    asked = (
        "bean's first jab is with you on friday. the breeder said the next one should be 2 weeks "
        "after, can we book it now for friday the 25th, same time?"
    )
    refused = await decide(asked, bookings=[bean], busy=busy_of(bean))
    assert "Christmas" in refused.reply
    decision = await decide(
        "haha of course, christmas 🎄 saturday the 26th at 10 then?",
        bookings=[bean],
        busy=busy_of(bean),
        history=[asked, refused.reply],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Bean", at(26, 10))]


async def test_another_service_the_same_day_as_well_is_a_booking() -> None:
    basil = booking_of("Basil", at(8, 12), "vaccination", "b1")
    decision = await decide(
        "oh!! i thought we'd booked his teeth as well. can he have the dental the same day, 2pm?",
        bookings=[basil],
        busy=busy_of(basil),
        history=[
            "what time is basil's dental tomorrow?",
            "Your appointment for Basil (vaccination) is on Tuesday 8 December at 12:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None and decision.proposal.service == "dental"
    assert proposed(decision) == [("Basil", at(8, 14))]


# -- corrections (set 214) --------------------------------------------------------------------


async def test_the_pet_said_to_need_nothing_is_replaced_not_joined() -> None:
    decision = await decide(
        "nail trim for domino on wednesday at 2.15\n"
        "no wait domino had his done last week, it's fudge who needs it. same time"
    )
    assert proposed(decision) == [("Fudge", at(9, 14, 15))]


async def test_a_cancellation_corrected_to_another_days_booking_cancels_that_one() -> None:
    archibald = booking_of("Archibald", at(8, 15, 30), "vaccination", "b1")
    fern = booking_of("Fern", at(10, 16), "consultation", "b2")
    decision = await decide(
        "cancel tuesday please\nno wait not tuesday, thursday's one. sorry, mad week",
        bookings=[archibald, fern],
        busy=busy_of(archibald, fern),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_move_taken_back_for_a_cancellation_cancels() -> None:
    rascal = booking_of("Rascal", at(9, 9), "dental", "b1")
    decision = await decide(
        "can rascal's dental on wednesday be moved to friday morning?\n9 if poss\nactually "
        "scrap that, can you just cancel it. we're off to my parents early for christmas",
        bookings=[rascal],
        busy=busy_of(rascal),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL


def test_a_detail_scrapped_is_no_request_taken_back() -> None:
    assert (
        steps.withdrawn_split(
            "can Olive come in wednesday at 10.45 for a check up please\nactually scrap that "
            "it's her booster she needs, not a check up"
        )
        is None
    )


async def test_a_christmas_do_is_no_day_asked() -> None:
    decision = await decide(
        "sorry i meant saturday at 9 not tomorrow!! tomorrow's my work xmas do 🙃",
        pending=pending(slot=at(8, 9), subject="Marmalade"),
        history=[
            "can marmalade come in tomorrow at 9 for a check up?",
            "I can book Tuesday 8 December at 09:00 for Marmalade. Reply YES to confirm.",
        ],
    )
    assert proposed(decision) == [("Marmalade", at(12, 9))]


# -- cancellations with reasons (sets 213, 216) ------------------------------------------------


async def test_ill_rebook_is_no_illness_and_no_move() -> None:
    bertie = booking_of("Bertie", at(9, 15), "consultation", "b1")
    decision = await decide(
        "need to cancel bertie's appt on wednesday, work won't let me leave early 😞 ill rebook "
        "when i get my new rota",
        bookings=[bertie],
        busy=busy_of(bertie),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert "Sorry to hear" not in decision.reply


async def test_just_cancel_it_after_a_clash_cancels_and_writing_tomorrow_is_no_day() -> None:
    juno = booking_of("Juno", at(9, 15), "grooming", "b1")
    decision = await decide(
        "wait sorry, what time did i say? if it's 3 that clashes with the school run. can you "
        "just cancel it, i'll message again tomorrow",
        bookings=[juno],
        busy=busy_of(juno),
        history=[
            "book juno in for her nails wednesday 3pm please",
            "I can book Wednesday 9 December at 15:00 for Juno (grooming). Reply YES to confirm.",
            "yes",
            "Done: Juno is booked for a grooming on Wednesday 9 December at 15:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


# -- questions beside a change, and about a booking (sets 210, 216, 218) -------------------------


async def test_a_price_asked_back_beside_a_move_is_answered() -> None:
    freya = booking_of("Freya", at(9, 15), "consultation", "b1")
    decision = await decide(
        "hello again, can we move freya to thursday same time? and is it still 45€?",
        bookings=[freya],
        busy=busy_of(freya),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert "€45" in decision.reply


async def test_a_price_asked_back_is_answered() -> None:
    decision = await decide(
        "hi is a dental €120? can i split the payment at all, its a bit much before christmas 😬"
    )
    assert "€120" in decision.reply


async def test_a_fee_asked_after_the_move_said_first_is_answered() -> None:
    gus = booking_of("Gus", at(8, 11), "consultation", "b1")
    decision = await decide(
        "hi, if i move gus's appointment tomorrow to next week is there a fee?",
        bookings=[gus],
        busy=busy_of(gus),
    )
    assert "no charge" in decision.reply


async def test_a_fee_asked_on_a_line_after_the_cancellation_is_answered() -> None:
    ginger = booking_of("Ginger", at(10, 10, 30), "consultation", "b1")
    nutmeg = booking_of("Nutmeg", at(10, 10, 30), "consultation", "b2")
    decision = await decide(
        "can you cancel nutmeg's on thursday please, just ginger coming now\n"
        "do i have to pay anything for cancelling?",
        bookings=[ginger, nutmeg],
        busy=busy_of(ginger, nutmeg),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert "no charge" in decision.reply


async def test_a_booking_checked_on_the_wrong_day_is_told_not_booked_again() -> None:
    coco = booking_of("Coco", at(11, 10), "consultation", "b1")
    decision = await decide(
        "is coco's check up thursday at 10? just want to make sure ive got it in the diary right",
        bookings=[coco],
        busy=busy_of(coco),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "Friday 11 December" in decision.reply


async def test_still_on_for_a_day_with_nothing_booked_is_said_so() -> None:
    decision = await decide("Hi just checking we're still on for saturday with teddy? 10am")
    assert decision.intent is Intent.ASK_BOOKING
    assert decision.proposal is None


async def test_a_call_promised_and_not_made_does_not_stop_the_booking() -> None:
    decision = await decide(
        "someone on the phone last week said they'd call me back to book sprout's dental. nobody "
        "did. can we just do it tuesday the 15th at 9"
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Sprout", at(15, 9))]
    assert decision.reply.startswith("I'm sorry")


async def test_who_to_call_tonight_is_answered_and_a_past_call_is_no_time_asked() -> None:
    decision = await decide(
        "if my cat gets worse tonight who do i actually call? last time i rang your number at "
        "9pm nobody answered…"
    )
    assert decision.intent is Intent.ANSWER
    assert "99 00" in decision.reply


async def test_the_wrong_service_put_right_is_read_back() -> None:
    rolo = booking_of("Rolo", at(10, 15), "vaccination", "b1")
    decision = await decide(
        "wow. I asked for a nail trim and your confirmation says vaccination. rolo had his jabs "
        "in september 🙄 can you fix it please, same time is fine",
        bookings=[rolo],
        busy=busy_of(rolo),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.service == "grooming"
    assert decision.proposal.slot_start == at(10, 15)


async def test_both_of_them_to_a_move_read_back_moves_the_other_pet_too() -> None:
    bertie = booking_of("Bertie", at(9, 10), "consultation", "b1")
    olive = booking_of("Olive", at(9, 10), "consultation", "b2")
    decision = await decide(
        "sorry i meant both of them! they always come together, olive too",
        pending=pending("reschedule", slot=at(11, 10), subject="Bertie", booking_id="b1"),
        bookings=[bertie, olive],
        busy=busy_of(bertie, olive),
        history=[
            "can you move bertie to friday at 10",
            "I can move the appointment for Bertie from Wednesday 9 December at 10:00 to Friday "
            "11 December at 10:00. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.kind, p.booking_id, p.slot_start) for p in decision.proposals} == {
        ("reschedule", "b1", at(11, 10)),
        ("reschedule", "b2", at(11, 10)),
    }


async def test_same_time_to_a_move_read_back_adds_no_pet() -> None:
    bertie = booking_of("Bertie", at(9, 10), "consultation", "b1")
    olive = booking_of("Olive", at(9, 10), "consultation", "b2")
    decision = await decide(
        "actually same time please",
        pending=pending("reschedule", slot=at(11, 10), subject="Bertie", booking_id="b1"),
        bookings=[bertie, olive],
        busy=busy_of(bertie, olive),
    )
    assert decision.intent is not Intent.PROPOSE_CHANGES


async def test_a_starred_day_puts_right_the_day_before_it() -> None:
    juniper = booking_of("Juniper", at(10, 14), "consultation", "b1")
    decision = await decide(
        "need to move juniper's appt on wednesday\n*thursday\ncan it go to friday same time?",
        bookings=[juniper],
        busy=busy_of(juniper),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Juniper", at(11, 14))]


async def test_another_pet_meant_just_after_a_booking_swaps_the_pet() -> None:
    pretzel = booking_of("Pretzel", at(12, 12, 15), "grooming", "b1")
    decision = await decide(
        "omg sorry i meant ginger not pretzel 🙈 pretzel hates baths, it's ginger who rolled in "
        "something disgusting. same time",
        bookings=[pretzel],
        busy=busy_of(pretzel),
        history=[
            "can pretzel have a bath saturday at quarter past 12?",
            "I can book Saturday 12 December at 12:15 for Pretzel (grooming). Reply YES to "
            "confirm.",
            "yes pls",
            "Done: Pretzel is booked for a grooming on Saturday 12 December at 12:15.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.kind, p.subject, p.slot_start) for p in decision.proposals} == {
        ("cancel", "Pretzel", at(12, 12, 15)),
        ("book", "Ginger", at(12, 12, 15)),
    }


async def test_a_day_said_with_i_mean_is_the_day_asked() -> None:
    decision = await decide(
        "hi could nacho have a check up on friday the 25th at 10am\n"
        "oh lol thats christmas isnt it 🎄 the 23rd i mean, the wednesday"
    )
    assert proposed(decision) == [("Nacho", at(23, 10))]


async def test_the_middle_one_of_three_times_offered_is_taken() -> None:
    moose = booking_of("Moose", at(11, 9), "consultation", "b1")
    decision = await decide(
        "the middle one pls",
        bookings=[moose],
        busy=busy_of(moose),
        history=[
            "can moose's check up on friday move to after lunch?",
            "What time on Friday 11 December would you like the appointment for Moose moved to? "
            "I have 14:00, 14:30 or 15:15.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Moose", at(11, 14, 30))]


async def test_the_rabbit_told_as_our_rabbit_is_the_booking_moved() -> None:
    hobbes = booking_of("Hobbes", at(9, 11), "consultation", "b1")
    frodo = booking_of("Frodo", at(9, 11), "consultation", "b2")
    pebble = booking_of("Pebble", at(9, 11, 30), "consultation", "b3")
    bookings = [hobbes, frodo, pebble]
    decision = await decide(
        "can the rabbit's appointment be thursday instead? same time pls. other 2 still fine for "
        "weds",
        bookings=bookings,
        busy=busy_of(*bookings),
        history=[
            "can you book hobbes (cat) and frodo (dog) wednesday at 11 for check ups, and pebble "
            "our rabbit straight after?",
            "I can book Hobbes and Frodo on Wednesday 9 December at 11:00 and Pebble at 11:30 "
            "(consultations). Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b3"
    assert proposed(decision) == [("Pebble", at(10, 11, 30))]


async def test_a_return_from_a_trip_on_a_date_is_no_clash_with_the_day_asked() -> None:
    decision = await decide(
        "back from a work trip on the 13th, could wilbur come in on monday the 14th? earliest "
        "you've got, its just a check up. he's a rabbit 🐇"
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Wilbur", at(14, 8, 30))]


async def test_both_booked_and_not_just_one_lists_both() -> None:
    bean = booking_of("Bean", at(11, 17), "vaccination", "b1")
    mochi = booking_of("Mochi", at(11, 17), "vaccination", "b2")
    decision = await decide(
        "just making sure both of them are booked and not just bean 🐰🐰",
        bookings=[bean, mochi],
        busy=busy_of(bean, mochi),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "Bean" in decision.reply and "Mochi" in decision.reply


async def test_a_question_about_a_booked_visit_offers_no_second_one() -> None:
    dottie = booking_of("Dottie", at(9, 9, 45), "vaccination", "b1")
    decision = await decide(
        "hi what do i need to bring for dottie's jab on wednesday? first time at your clinic",
        bookings=[dottie],
        busy=busy_of(dottie),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert decision.proposal is None and "09:45" in decision.reply
    fennel = booking_of("Fennel", at(8, 14), "consultation", "b2")
    decision = await decide(
        "is there anywhere to park near you? first visit with our puppy fennel tomorrow and "
        "she's too little to walk far 🐾",
        bookings=[fennel],
        busy=busy_of(fennel),
    )
    assert "parking" in decision.reply
    assert "What time" not in decision.reply and "14:00" in decision.reply


async def test_a_pet_added_at_the_same_time_joins_the_booking_just_told() -> None:
    toffee = booking_of("Toffee", at(10, 10), "consultation", "b1")
    decision = await decide(
        "ah ok, can you add fudge then please, same time. just a check up for him too",
        bookings=[toffee],
        busy=busy_of(toffee),
        history=[
            "did i book fudge in with toffee on thursday as well or just toffee?",
            "Your appointment for Toffee is on Thursday 10 December at 10:00.",
        ],
    )
    assert proposed(decision) == [("Fudge", at(10, 10))]


async def test_the_price_of_a_pets_appointment_with_two_booked_gives_each() -> None:
    check = booking_of("Rocco", at(8, 14, 30), "consultation", "b1")
    dental = booking_of("Rocco", at(11, 9), "dental", "b2")
    decision = await decide(
        "how much will rocco's appointment be?",
        bookings=[check, dental],
        busy=busy_of(check, dental),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "€45" in decision.reply and "€120" in decision.reply


async def test_a_sister_booked_on_the_same_day_as_lola_is_asked_her_time_that_day() -> None:
    lola = booking_of("Lola", at(9, 11), "consultation", "b1")
    decision = await decide(
        "how much is a groom? want to book one for mabel (lola's sister) on the same day as "
        "lola's appointment",
        bookings=[lola],
        busy=busy_of(lola),
    )
    assert decision.intent is Intent.CLARIFY
    assert "€35" in decision.reply and "For both" not in decision.reply
    assert "Wednesday 9 December" in decision.reply and "Mabel" in decision.reply
    assert "Lola and Mabel" not in decision.reply


# -- wave 4 (sets 219-222) ---------------------------------------------------------------------


async def test_the_2nd_to_an_offer_holding_the_2nd_is_that_date_not_the_second_time() -> None:
    asked = "hi can nugget come in on new years day? around 10, just a check up"
    refused = await decide(asked)
    assert "New Year" in refused.reply
    decision = await decide("oh ofc 🤦‍♀️ the 2nd then? same time", history=[asked, refused.reply])
    assert proposed(decision) == [("Nugget", at_in(2027, 1, 2, 10))]


async def test_an_emergency_number_to_save_is_answered_without_an_alarm() -> None:
    for message in (
        "whats your out of hours emergency number? want to save it in my phone before christmas",
        "hi um quick question so if something happens like at night with my dog what do I do is "
        "there like an emergency number or something I should save in my phone just in case",
    ):
        decision = await decide(message)
        assert decision.intent is Intent.ANSWER, message
        assert "99 00" in decision.reply, message


async def test_a_marketers_recall_names_the_pet_booked_after_a_refusal() -> None:
    recall = (
        "Hi! It's been 3 months since Dobby's last nail trim, so he's due another one ✂️ Reply "
        "here to book."
    )
    first = await decide("yes pls! saturday 12.30?", history=["", recall])
    decision = await decide(
        "oh ok, 12 then", history=["", recall, "yes pls! saturday 12.30?", first.reply]
    )
    assert proposed(decision) == [("Dobby", at(12, 12))]


async def test_a_pet_brought_too_to_a_reminder_joins_the_booking() -> None:
    mochi = booking_of("Mochi", at(8, 10), "consultation", "b1")
    reminder = (
        "Hi! Just a reminder that Mochi is booked in for a check-up tomorrow (Tuesday 8 December) "
        "at 10:00. Reply here if you need to change anything 🐰"
    )
    decision = await decide(
        "yes thanks! could i bring pip too? she needs her nails doing, same time would be easiest",
        bookings=[mochi],
        busy=busy_of(mochi),
        history=["", reminder],
    )
    assert proposed(decision) == [("Pip", at(8, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_move_into_january_said_to_suit_in_the_next_sentence() -> None:
    honey = booking_of("Honey", at(10, 17), "consultation", "b1")
    decision = await decide(
        "Hi, honey's appt on thurs - could we push it into jan? monday 4th at 5pm would be ideal",
        bookings=[honey],
        busy=busy_of(honey),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Honey", at_in(2027, 1, 4, 17))]


async def test_a_fee_asked_of_a_cancellation_one_might_make_is_answered() -> None:
    nemo = booking_of("Nemo", at_in(2027, 1, 5, 17), "consultation", "b1")
    decision = await decide(
        "quick q, if i had to cancel nemo's appt on the 5th jan would there be a charge?",
        bookings=[nemo],
        busy=busy_of(nemo),
    )
    assert decision.intent is Intent.ANSWER
    assert "no charge" in decision.reply


async def test_same_sort_of_time_is_the_same_time() -> None:
    asked = "um hi could I bring Toffee in on Sunday like around eleven ish for a check up"
    refused = await decide(asked)
    decision = await decide(
        "oh right sorry um Saturday then same sort of time", history=[asked, refused.reply]
    )
    assert proposed(decision) == [("Toffee", at(12, 11))]


async def test_a_reminder_asked_beside_a_look_up_is_answered() -> None:
    otis = booking_of("Otis", at(14, 9, 30), "consultation", "b1")
    decision = await decide(
        "um hello will I get like a reminder for Otis's appointment because honestly I'm "
        "terrible at remembering things and also what day was it again sorry",
        bookings=[otis],
        busy=busy_of(otis),
    )
    assert "24 hours" in decision.reply and "Monday 14 December" in decision.reply


async def test_a_pet_asked_about_without_a_booking_is_told_and_the_others_said() -> None:
    nico = booking_of("Nico", at(10, 9, 45), "consultation", "b1")
    decision = await decide(
        "hello, is Dexter booked in for this week? my wife said she sorted it but i can't find "
        "the message",
        bookings=[nico],
        busy=busy_of(nico),
    )
    assert decision.intent is Intent.ASK_BOOKING
    assert "Dexter" in decision.reply and "Nico" in decision.reply
