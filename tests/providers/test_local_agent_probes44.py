"""Conversations played turn by turn in session 44 (held-out sets 151–162 left open before it,
163 onwards written blind in it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of
from tests.providers.test_local_agent_probes41 import pending_of_booking

# -- what we offered days ago, asked for again (set 160) -------------------------------------


async def test_what_we_said_on_monday_is_the_offer_read_back_then() -> None:
    decision = await decide(
        "morning! work's fine with it so can we go ahead with what we said on monday for luna?",
        history=[
            "hi could luna have her booster next thursday? 10.30 ish",
            "I can book Thursday 10 December at 10:30 for Luna (vaccination). Reply YES to "
            "confirm.",
            "ah hang on I need to check with work first, I'll message you back",
            "No problem, nothing is booked yet. Just write again when you know.",
        ],
    )
    assert proposed(decision) == [("Luna", at(10, 10, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_what_we_talked_about_on_friday_books_both_cats_offered() -> None:
    decision = await decide(
        "hi its me again\nabout what we talked about on friday\nshifts are sorted so can we book "
        "the cats in?",
        history=[
            "can you do both my cats jabs at the same time? salem and jinx. saturday the 12th at "
            "9.15?",
            "Yes, we can see two at a time. I can book Saturday 12 December at 09:15 for Salem "
            "and Jinx (vaccination). Reply YES to confirm.",
            "let me check my shifts first, will get back to you",
            "Of course, nothing is booked yet. Just write again when you know.",
        ],
    )
    assert sorted(proposed(decision)) == [("Jinx", at(12, 9, 15)), ("Salem", at(12, 9, 15))]


async def test_the_afternoon_one_you_offered_is_booked_with_the_service_asked_then() -> None:
    decision = await decide(
        "Hi again. the afternoon one you offered for oscar is best for my husband, can we have "
        "that please?",
        history=[
            "Hello, could oscar come in on wednesday at 10 for a check up, he's limping",
            "Sorry, Wednesday 9 December at 10:00 isn't available. I can offer Wednesday 9 "
            "December at 11:15 or 14:15. Which would suit you?",
            "hmm my husband is taking him, I'll ask him which one and get back to you",
            "Of course. Nothing is booked yet: just write again when you know.",
        ],
    )
    assert proposed(decision) == [("Oscar", at(9, 14, 15))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"


async def test_the_other_time_offered_moves_the_booking_made_then() -> None:
    hazel = booking_of("Hazel", at(9, 9, 30), "consultation", "b1")
    decision = await decide(
        "morning, my shifts have changed 😩 could hazel have the other time you offered me "
        "instead? the afternoon one",
        bookings=[hazel],
        busy=busy_of(hazel),
        history=[
            "can hazel come in wed for a check up? she's a guinea pig, she's been sneezing",
            "On Wednesday 9 December I have 09:30 or 16:45 for Hazel. Which would suit you?",
            "9.30 please",
            "Done: Hazel is booked for Wednesday 9 December at 09:30.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Hazel", at(9, 16, 45))]


async def test_his_original_time_is_the_one_before_our_move() -> None:
    ziggy = booking_of("Ziggy", at(10, 10), "consultation", "b1")
    decision = await decide(
        "hi sorry to be a pain, can ziggy go back to his original time on thursday? the "
        "morning's not working anymore",
        bookings=[ziggy],
        busy=busy_of(ziggy),
        history=[
            "can ziggy's check up on thursday move from 5pm to the morning? 10?",
            "I can move the appointment for Ziggy from Thursday 10 December at 17:00 to "
            "Thursday 10 December at 10:00. Reply YES to confirm.",
            "yes",
            "Done: the appointment for Ziggy is moved to Thursday 10 December at 10:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Ziggy", at(10, 17))]


async def test_the_day_wanted_after_all_is_the_move_called_off() -> None:
    bruno = booking_of("Bruno", at(10, 14), "consultation", "b1")
    decision = await decide(
        "so ive managed to get the friday off after all 🙄 can we do the friday?? sorry for the "
        "faff",
        bookings=[bruno],
        busy=busy_of(bruno),
        history=[
            "can bruno's appointment on thursday move to friday same time?",
            "I can move the appointment for Bruno from Thursday 10 December at 14:00 to Friday "
            "11 December at 14:00. Reply YES to confirm.",
            "oh wait no leave it, forgot I'm working friday",
            "OK, I haven't moved it: Bruno's appointment stays on Thursday 10 December at 14:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bruno", at(11, 14))]


async def test_a_time_asked_again_for_a_booked_pet_is_a_move_not_a_second_visit() -> None:
    mochi = booking_of("Mochi", at(9, 15), "consultation", "b1")
    decision = await decide(
        "hi, like I asked last week, has 5.30 freed up on wednesday for mochi by any chance?",
        bookings=[mochi],
        busy=busy_of(mochi),
        history=[
            "if anything later comes up on wednesday could mochi move to 5.30?",
            "Wednesday 9 December at 17:30 is full at the moment, sorry. Mochi stays on "
            "Wednesday 9 December at 15:00.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Mochi", at(9, 17, 30))]


async def test_an_earlier_offer_pointed_at_that_is_not_in_the_log_is_not_invented() -> None:
    decision = await decide("can we go ahead with what we said for luna?")
    assert decision.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES), decision.reply


# -- whether an earlier change went through (set 160) -----------------------------------------


async def test_a_move_never_confirmed_is_said_and_read_back_again() -> None:
    simba = booking_of("Simba", at(11, 14, 30), "grooming", "b1")
    decision = await decide(
        "morning, did simba's groom get moved to saturday in the end? can't remember if I "
        "replied 🙈",
        bookings=[simba],
        busy=busy_of(simba),
        history=[
            "can simba's groom on friday move to the saturday at 11?",
            "I can move the appointment for Simba from Friday 11 December at 14:30 to Saturday "
            "12 December at 11:00. Reply YES to confirm.",
        ],
    )
    assert decision.reply.startswith("No,"), decision.reply
    assert "Friday 11 December at 14:30" in decision.reply
    assert proposed(decision) == [("Simba", at(12, 11))]


async def test_a_booking_cancelled_before_is_said_cancelled_and_offered_back() -> None:
    decision = await decide(
        "hi is shadow still booked in for thursday? my wife thinks I cancelled it but our "
        "trip's been called off",
        history=[
            "please cancel shadow's appointment on thursday, we're going away",
            "I can cancel the appointment for Shadow on Thursday 10 December at 09:00. Reply YES "
            "to confirm.",
            "yes",
            "Done: the appointment for Shadow on Thursday 10 December at 09:00 is cancelled.",
        ],
    )
    assert "cancelled" in decision.reply, decision.reply
    assert proposed(decision) == [("Shadow", at(10, 9))]


async def test_a_booking_read_back_and_never_confirmed_is_not_told_as_booked() -> None:
    decision = await decide(
        "hi, wat time was sootys groom on friday again? 11 or half 11? cant find the message",
        history=[
            "can sooty have a groom friday at 11?",
            "I can book Friday 11 December at 11:00 for Sooty (grooming). Reply YES to confirm.",
        ],
    )
    assert "isn't booked" in decision.reply, decision.reply
    assert proposed(decision) == [("Sooty", at(11, 11))]


# -- a price said back to check (set 160) ------------------------------------------------------


async def test_a_wrong_price_said_back_is_put_right() -> None:
    decision = await decide(
        "hi just checking, you said it was 45 for the jab didn't you? want to make sure I have "
        "the right cash"
    )
    assert "€55" in decision.reply, decision.reply


async def test_a_time_said_back_is_no_price() -> None:
    decision = await decide("you said 10 for max right?")
    assert "€" not in decision.reply, decision.reply


# -- first runs of sets 163–166 ------------------------------------------------------------------


def _paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


async def test_the_writers_own_exam_does_not_make_a_groom_a_consultation() -> None:
    hugo = booking_of("Hugo", at(11, 10), "grooming", "b1")
    decision = await decide(
        "Hello, this is Inès, I'm dog-sitting Hugo for the Duponts. Hugo's groom is friday at 10 "
        "but I have a uni exam then 😬 is 4.30pm that day ok instead?",
        bookings=[hugo],
        busy=busy_of(hugo),
    )
    assert proposed(decision) == [("Hugo", at(11, 16, 30))]
    assert "consultation" not in decision.reply, decision.reply


async def test_a_parent_named_in_brackets_is_no_second_pet() -> None:
    decision = await decide(
        "Could you book an appointment for Maurice please? He's my father's old spaniel, 14 now "
        "and very stiff in the hips. Dad (Henri) would like Friday morning at 9.30 and I'll "
        "drive the pair of them."
    )
    assert proposed(decision) == [("Maurice", at(11, 9, 30))]


async def test_a_pet_said_still_on_its_day_is_not_moved_with_the_other() -> None:
    cachou = booking_of("Cachou", at(10, 15), "consultation", "b1")
    vanille = booking_of("Vanille", at(10, 15), "consultation", "b2")
    decision = await decide(
        "Hello, I booked my cat Cachou and my neighbour's cat Vanille for thursday at 3. My "
        "neighbour needs her carrier back on thursday now, so could Vanille go to friday, same "
        "time? Cachou still thursday",
        bookings=[cachou, vanille],
        busy=busy_of(cachou, vanille),
    )
    assert proposed(decision) == [("Vanille", at(11, 15))]


async def test_the_one_question_of_a_long_message_says_the_new_time() -> None:
    mistigri = booking_of("Mistigri", at(14, 9), "consultation", "b1")
    decision = await decide(
        "Hi, my mum's cat Mistigri has an appointment on Monday 14th at 9am, but I'll be "
        "bringing him instead. I work days — could it be later that same day, around 6pm?",
        bookings=[mistigri],
        busy=busy_of(mistigri),
    )
    assert proposed(decision) == [("Mistigri", at(14, 18))]


async def test_a_bare_time_after_a_question_is_that_days_time_not_the_trips() -> None:
    decision = await decide(
        "we fly to montreal tomorrow morning for christmas and gingers ear is really bothering "
        "him. any chance someone could see him this afternoon before we go? 4pm?"
    )
    assert proposed(decision) == [("Ginger", at(7, 16))]


async def test_a_trip_told_before_an_emoji_is_not_the_day_asked() -> None:
    cannelle = booking_of("Cannelle", at(29, 14, 30), "vaccination", "b1")
    decision = await decide(
        "we've booked a last minute ski trip between christmas and new year ⛷️ can cannelle's "
        "jab on the 29th move to monday 4th jan, 2.30?",
        bookings=[cannelle],
        busy=busy_of(cannelle),
    )
    assert proposed(decision) == [("Cannelle", _paris(2027, 1, 4, 14, 30))]


async def test_the_booking_said_still_fine_by_its_date_is_not_the_one_cancelled() -> None:
    jab = booking_of("Praline", at(22, 9), "vaccination", "b1")
    groom = booking_of("Praline", _paris(2027, 1, 2, 11), "grooming", "b2")
    decision = await decide(
        "hi, can you cancel praline's groom in january? turns out we're not back until the 5th. "
        "the jab on the 22nd is still fine",
        bookings=[jab, groom],
        busy=busy_of(jab, groom),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Praline", _paris(2027, 1, 2, 11))]


async def test_everything_cancelled_but_the_one_said_to_stay() -> None:
    first = booking_of("Rocky", at(21, 9, 30), "consultation", "b1")
    cookie = booking_of("Cookie", at(26, 11, 30), "grooming", "b2")
    kept = booking_of("Rocky", _paris(2027, 1, 4, 9), "vaccination", "b3")
    decision = await decide(
        "Hello! we're away from the 19th till the 3rd of january, can you cancel everything we "
        "have with you while we're gone? the one on the 4th can stay",
        bookings=[first, cookie, kept],
        busy=busy_of(first, cookie, kept),
    )
    assert sorted(proposed(decision)) == [("Cookie", at(26, 11, 30)), ("Rocky", at(21, 9, 30))]


async def test_a_greeting_is_not_the_part_of_the_day_asked() -> None:
    cosmo = booking_of("Cosmo", at(12, 11), "consultation", "b1")
    decision = await decide(
        "morning, saturday's not going to work for cosmo after all, can he come friday evening "
        "instead? 6ish?",
        bookings=[cosmo],
        busy=busy_of(cosmo),
    )
    assert proposed(decision) == [("Cosmo", at(11, 18))]


async def test_a_groom_taken_off_is_cancelled() -> None:
    rocco = booking_of("Rocco", at(12, 9, 30), "grooming", "b1")
    bean = booking_of("Bean", at(12, 9, 30), "grooming", "b2")
    decision = await decide(
        "hi, we can only bring Bean on saturday now, Rocco is staying at my sister's for a few "
        "weeks. could you take his groom off?",
        bookings=[rocco, bean],
        busy=busy_of(rocco, bean),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Rocco", at(12, 9, 30))]


async def test_saturdays_closing_and_the_weeks_lunch_are_both_answered() -> None:
    decision = await decide(
        "what time do you close on saturdays? and do you shut over lunch in the week"
    )
    assert "13:00" in decision.reply and "12:30" in decision.reply, decision.reply


async def test_a_relatives_pet_is_named_without_the_apostrophe() -> None:
    decision = await decide(
        "hey, my girlfriends rabbit noisette has teeth that look too long. can she come in "
        "thursday 5.15? chloe will bring her"
    )
    assert proposed(decision) == [("Noisette", at(10, 17, 15))]


async def test_a_pet_that_will_need_a_service_is_named() -> None:
    decision = await decide(
        "morning! coco will need a proper groom after all the family and the mud, saturday "
        "10ish if you can"
    )
    assert proposed(decision) == [("Coco", at(12, 10))]


async def test_a_son_finishing_his_mothers_request_is_not_a_message_for_someone_else() -> None:
    decision = await decide(
        "Hello, this is Thomas, her son. Mum asked you about Tofu yesterday and then got "
        "confused with the app. She can do Wednesday at 11, I'll be driving them both.",
        history=[
            "hello I would like an appointment for my cat Tofu please, he is scratching his ears",
            "Of course. Which day and time would suit you for Tofu?",
        ],
    )
    assert proposed(decision) == [("Tofu", at(9, 11))]


async def test_a_date_said_after_a_move_asked_is_where_it_goes() -> None:
    noisette = booking_of("Noisette", at(24, 11), "grooming", "b1")
    decision = await decide(
        "Hi, can noisette's groom on christmas eve go to after christmas instead? the 29th, same "
        "time. it's going to be carnage here on the 24th",
        bookings=[noisette],
        busy=busy_of(noisette),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Noisette", at(29, 11))]


async def test_a_joke_about_the_holidays_is_no_absence() -> None:
    decision = await decide(
        "oh of course, sorry, brain's already on holiday. saturday the 2nd, same time?",
        history=[
            "can maple come in on new year's day at half 10? shes a cat, been sneezing a lot",
            "Sorry, Friday 1 January 2027 at 10:30 isn't possible: we're closed on New Year's "
            "Day. I can offer Thursday 31 December at 10:15, Thursday 31 December at 10:30 or "
            "Saturday 2 January 2027 at 10:30. Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Maple", _paris(2027, 1, 2, 10, 30))]


async def test_a_move_given_up_for_a_cancellation_cancels() -> None:
    nova = booking_of("Nova", at(16, 16, 30), "consultation", "b1")
    decision = await decide(
        "actually you know what don't worry about moving it, she's bouncing off the walls "
        "today, whatever it was has passed. can you just cancel it",
        bookings=[nova],
        busy=busy_of(nova),
        history=[
            "can nova's appt on wednesday be moved to friday afternoon at all?",
            "What time on Friday 18 December would you like the appointment for Nova moved to? "
            "I have 14:00, 15:00, 15:45 or 16:45.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Nova", at(16, 16, 30))]


async def test_a_new_visit_read_back_becomes_the_move_of_the_one_booked() -> None:
    lola = booking_of("Lola", at(9, 15), "consultation", "b1")
    ask = "hiya, can lola come in thursday at 3 for a check up? she's still shaking her head"
    first = await decide(ask, bookings=[lola], busy=busy_of(lola))
    assert proposed(first) == [("Lola", at(10, 15))]
    decision = await decide(
        "oh wait she's already booked in wednesday isn't she, I completely forgot 🤦‍♀️ no point "
        "coming twice, can you move wednesday's to thursday at 3 instead",
        pending=pending_of_booking(first),
        bookings=[lola],
        busy=busy_of(lola),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Lola", at(10, 15))]
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_cancellation_read_back_becomes_another_pet_taking_the_slot() -> None:
    ozzy = booking_of("Ozzy", at(9, 17), "consultation", "b1")
    ask = "cancel ozzy's appointment on wednesday pls, he's much better"
    first = await decide(ask, bookings=[ozzy], busy=busy_of(ozzy))
    assert first.intent is Intent.PROPOSE_CANCEL, first.reply
    pending = PendingAction(
        id="act-1",
        kind="cancel",
        slot_start=at(9, 17),
        subject="Ozzy",
        booking_id="b1",
        expires_at=at(7, 9, 10),
    )
    decision = await decide(
        "actually instead of cancelling, could mabel have that slot? she's the one sneezing now",
        pending=pending,
        bookings=[ozzy],
        busy=busy_of(ozzy),
        history=[ask, first.reply],
    )
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Ozzy": "cancel", "Mabel": "book"}, decision.reply
    assert sorted(proposed(decision)) == [("Mabel", at(9, 17)), ("Ozzy", at(9, 17))]


# -- set 161, corrections left open ----------------------------------------------------------


async def test_a_time_picked_after_a_service_change_keeps_the_new_service() -> None:
    ask = "check up for Sasha wednesday at 12 please"
    first = await decide(ask)
    changed = await decide(
        "oh sorry no, she's meant to be having her teeth done, not a check up. the scale and "
        "polish thing the vet mentioned",
        pending=pending_of_booking(first),
        history=[ask, first.reply],
    )
    assert "dental cleaning takes 60 minutes" in changed.reply, changed.reply
    decision = await decide(
        "could she do 11 then?",
        pending=pending_of_booking(first),
        history=[
            ask,
            first.reply,
            "oh sorry no, she's meant to be having her teeth done",
            changed.reply,
        ],
    )
    assert proposed(decision) == [("Sasha", at(9, 11))]
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_the_wrong_service_booked_is_changed_at_its_time() -> None:
    dotty = booking_of("Dotty", at(8, 11), "grooming", "b1")
    decision = await decide(
        "ah wait, I've put nails but she actually needs a proper check up, she's been limping on "
        "her back leg. same time ok? sorry",
        bookings=[dotty],
        busy=busy_of(dotty),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.service == "consultation"
    assert proposed(decision) == [("Dotty", at(8, 11))]


async def test_a_booking_on_the_wrong_day_asks_where_it_should_be() -> None:
    nugget = booking_of("Nugget", at(8, 15, 30), "consultation", "b1")
    decision = await decide(
        "oh no 🤦‍♀️ I think I've booked nugget on the wrong day",
        bookings=[nugget],
        busy=busy_of(nugget),
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "?" in decision.reply and "Tuesday 8 December at 15:30" in decision.reply


async def test_a_name_of_our_read_back_put_right_is_read_back_under_it() -> None:
    decision = await decide(
        "it's Mango not Margo 😅 otherwise yes all correct",
        history=[
            "hi can I book our cat Mango in for her booster on friday at 9.45",
            "I can book Friday 11 December at 09:45 for Margo (vaccination). Reply YES to confirm.",
        ],
    )
    assert proposed(decision) == [("Mango", at(11, 9, 45))]
    assert "Margo" not in decision.reply


async def test_a_day_of_our_read_back_put_right_is_read_back_on_it() -> None:
    decision = await decide(
        "no, the 14th, the monday! not tuesday",
        history=[
            "could kevin have a check up monday the 14th at 10",
            "I can book Tuesday 15 December at 10:00 for Kevin. Reply YES to confirm.",
        ],
    )
    assert proposed(decision) == [("Kevin", at(14, 10))]


# -- first runs of sets 167–170 ------------------------------------------------------------------


async def test_a_booking_named_by_its_time_moves_to_the_time_after_to() -> None:
    ollie = booking_of("Ollie", at(7, 11), "consultation", "b1")
    decision = await decide(
        "argh car's broken down and the garage says not before 11. can you push ollie's 11 "
        "o'clock to 12??",
        bookings=[ollie],
        busy=busy_of(ollie),
    )
    assert proposed(decision) == [("Ollie", at(7, 12))]


async def test_the_service_asked_for_put_right_at_the_same_time() -> None:
    lola = booking_of("Lola", at(9, 11), "vaccination", "b1")
    decision = await decide(
        "just seen this properly, it says vaccination?? I asked for a GROOM, she had her jabs "
        "in october. please change it, same time is fine",
        bookings=[lola],
        busy=busy_of(lola),
    )
    assert decision.proposal is not None and decision.proposal.service == "grooming"
    assert proposed(decision) == [("Lola", at(9, 11))]


async def test_an_hour_the_writer_cannot_move_is_not_the_visits() -> None:
    decision = await decide(
        "what's the earliest I can come in on a saturday? nala needs her booster and I've got a "
        "10 o'clock I can't move"
    )
    assert proposed(decision) == [("Nala", at(12, 9))]


async def test_a_fee_for_cancelling_the_day_before_is_no_day_to_move_to() -> None:
    mango = booking_of("Mango", at(8, 15), "consultation", "b1")
    suki = booking_of("Suki", at(8, 15), "consultation", "b2")
    decision = await decide(
        "really sorry, we can't make tomorrow after all. can you cancel mango and suki's "
        "appointments? is there a charge for cancelling the day before?",
        bookings=[mango, suki],
        busy=busy_of(mango, suki),
    )
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Mango": "cancel", "Suki": "cancel"}, decision.reply


async def test_another_pets_move_beside_a_new_visit_is_read_back_with_it() -> None:
    hugo = booking_of("Hugo", at(11, 9), "dental", "b1")
    ask = "can pumpkin come in thursday at 9.30 for a check up? she keeps sneezing, poor thing"
    first = await decide(ask, bookings=[hugo], busy=busy_of(hugo))
    decision = await decide(
        "oh and hugo's dental on friday, can that go to the monday after instead? same time",
        pending=pending_of_booking(first),
        bookings=[hugo],
        busy=busy_of(hugo),
        history=[ask, first.reply],
    )
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Pumpkin": "book", "Hugo": "reschedule"}, decision.reply
    assert sorted(proposed(decision)) == [("Hugo", at(14, 9)), ("Pumpkin", at(10, 9, 30))]


async def test_a_newcomer_taking_her_slot_gets_the_slot_she_leaves() -> None:
    waffles = booking_of("Waffles", at(11, 16), "consultation", "b1")
    decision = await decide(
        "hello, waffles has an appointment friday at 4 but she's doing fine now, it's wilbur who "
        "really needs seeing, he's limping. could wilbur take her slot, and move waffles to "
        "saturday at 10.45?",
        bookings=[waffles],
        busy=busy_of(waffles),
    )
    assert sorted(proposed(decision)) == [("Waffles", at(12, 10, 45)), ("Wilbur", at(11, 16))]


async def test_a_name_said_with_its_time_after_a_word_of_agreement_is_the_pet() -> None:
    decision = await decide("perfect, poppy at 4 tomorrow then please")
    assert proposed(decision) == [("Poppy", at(8, 16))]


async def test_a_pet_that_could_do_with_a_service_is_named() -> None:
    decision = await decide("toffee could do with a nail trim, any chance of tuesday at 4?")
    assert proposed(decision) == [("Toffee", at(8, 16))]


async def test_a_pet_named_in_a_question_of_what_it_needs_is_booked_by_name() -> None:
    decision = await decide(
        "trying to work out what peaches needs. can she have a check up friday at 11"
    )
    assert proposed(decision) == [("Peaches", at(11, 11))]


async def test_two_pets_that_both_need_a_service_are_both_booked() -> None:
    decision = await decide("rusty and lulu both need their nails doing, saturday at 12.15?")
    assert sorted(proposed(decision)) == [("Lulu", at(12, 12, 15)), ("Rusty", at(12, 12, 15))]


async def test_an_afternoon_asked_about_beside_a_booking_is_answered_for_the_afternoon() -> None:
    decision = await decide(
        "are you open saturday afternoon? if not saturday morning's fine, max needs his nails "
        "doing. 12.15?"
    )
    assert "not in the afternoon" in decision.reply, decision.reply
    assert proposed(decision) == [("Max", at(12, 12, 15))]


async def test_a_visit_asked_in_case_nothing_is_booked_is_read_back() -> None:
    kona = booking_of("Kona", at(11, 17), "consultation", "b1")
    decision = await decide(
        "hi, do I have anything booked for jasper? think my husband might have sorted it. if "
        "not can he come thursday at 11.30 for his booster",
        bookings=[kona],
        busy=busy_of(kona),
    )
    assert "Nothing is booked for Jasper" in decision.reply, decision.reply
    assert proposed(decision) == [("Jasper", at(10, 11, 30))]


async def test_a_service_only_asked_about_after_the_request_is_not_the_one_booked() -> None:
    decision = await decide(
        "hiya, could peanut come in for her jabs wednesday at half 11? and roughly how much is a "
        "dental cleaning, we're thinking of getting her teeth done in the new year"
    )
    assert proposed(decision) == [("Peanut", at(9, 11, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"
    assert "€120" in decision.reply


async def test_a_price_checked_beside_a_move_is_answered() -> None:
    sprout = booking_of("Sprout", at(11, 14), "grooming", "b1")
    decision = await decide(
        "could sprout's groom on friday move to saturday at 11? and is a groom still €35 or has "
        "it gone up?",
        bookings=[sprout],
        busy=busy_of(sprout),
    )
    assert "€35" in decision.reply, decision.reply
    assert proposed(decision) == [("Sprout", at(12, 11))]


async def test_the_policy_if_i_cancel_is_answered_not_handed_over() -> None:
    decision = await decide(
        "Quick question before I book, what's your policy if I need to cancel? My shifts get "
        "changed last minute all the time"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 hours" in decision.reply


async def test_the_weekends_hours_say_both_days() -> None:
    decision = await decide("hiya, what are your opening times at the weekend? my partner works")
    assert "Saturday 09:00-13:00" in decision.reply and "closed on Sunday" in decision.reply


async def test_a_bit_run_together_still_asks_a_bit_later() -> None:
    ivy = booking_of("Ivy", at(9, 17), "consultation", "b1")
    pablo = booking_of("Pablo", at(10, 9, 30), "grooming", "b2")
    decision = await decide(
        "can you remind me when ivy and pablo are booked in? and could pablo's be abit later on "
        "the same day, 11 maybe?",
        bookings=[ivy, pablo],
        busy=busy_of(ivy, pablo),
    )
    assert proposed(decision) == [("Pablo", at(10, 11))]


async def test_pets_counted_then_listed_are_each_booked() -> None:
    decision = await decide(
        "hi!! all 3 cats need their vaccines before we go away for xmas - domino, ginger and "
        "pudding. thursday at 5? if you can only fit two at once put pudding in at quarter past"
    )
    assert sorted(proposed(decision)) == [
        ("Domino", at(10, 17)),
        ("Ginger", at(10, 17)),
        ("Pudding", at(10, 17, 15)),
    ]


async def test_a_pet_added_too_at_the_same_time_as_another_is_booked_with_it() -> None:
    yoshi = booking_of("Yoshi", at(11, 16, 45), "vaccination", "b1")
    decision = await decide(
        "otto needs a check up, tuesday after work ideally, 5.45? and yoshi's jab on friday can "
        "be cancelled, turns out the breeder already did it. oh and barney too, check up, same "
        "time as otto if there's room",
        bookings=[yoshi],
        busy=busy_of(yoshi),
    )
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Otto": "book", "Yoshi": "cancel", "Barney": "book"}, decision.reply
    assert ("Barney", at(8, 17, 45)) in proposed(decision)


# -- replies to our own messages (set 174) -------------------------------------------------------

_RECALL = (
    "It's almost a year since Gizmo's last vaccination. Reply with a day and time to book the "
    "next one, or STOP to opt out."
)


async def test_a_time_answering_our_recall_is_for_the_pet_it_named() -> None:
    offered = await decide("tomorrow at 8?", history=["hi", _RECALL])
    assert "08:30" in offered.reply, offered.reply
    decision = await decide("8.30 then", history=["hi", _RECALL, "tomorrow at 8?", offered.reply])
    assert proposed(decision) == [("Gizmo", at(8, 8, 30))]


async def test_both_of_them_to_our_recall_are_the_pet_recalled_and_the_one_added() -> None:
    decision = await decide(
        "oh thanks for the reminder! jinx must be due about now too, they were done together "
        "last time. can they both come thursday at 10?",
        history=["hi", _RECALL.replace("Gizmo", "Salem")],
    )
    assert sorted(proposed(decision)) == [("Jinx", at(10, 10)), ("Salem", at(10, 10))]


async def test_another_pet_along_to_the_visit_reminded_is_a_new_visit_not_a_move() -> None:
    luna = booking_of("Luna", at(8, 10, 30), "consultation", "b1")
    decision = await decide(
        "Yes confirmed! Could her sister Mia come along at the same time? She's been shaking her "
        "head and scratching one ear all weekend",
        bookings=[luna],
        busy=busy_of(luna),
        history=[
            "hi",
            "Reminder: Luna booked for Tuesday 8 December at 10:30. Reply YES to confirm, tell "
            "us a new day and time to move it, or CANCEL to cancel.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Mia", at(8, 10, 30))]


async def test_numbered_asks_are_each_read_on_their_own() -> None:
    bramble = booking_of("Bramble", at(9, 10), "consultation", "b1")
    nugget = booking_of("Nugget", at(11, 11), "vaccination", "b2")
    decision = await decide(
        "Hi there, bit of a list sorry 🙈 1) can figaro have a check up tuesday at 5pm, he keeps "
        "scratching his ear 2) bramble's appointment wednesday morning, could it go to thursday "
        "at 2.30 instead 3) please cancel nugget's vaccine on friday, we're getting it done in "
        "the UK while we're at my in-laws 4) do you take card? thanks!!",
        bookings=[bramble, nugget],
        busy=busy_of(bramble, nugget),
    )
    kinds = {p.subject: (p.kind, p.slot_start) for p in decision.proposals}
    assert kinds == {
        "Figaro": ("book", at(8, 17)),
        "Bramble": ("reschedule", at(10, 14, 30)),
        "Nugget": ("cancel", at(11, 11)),
    }, decision.reply
    assert "cards" in decision.reply


# -- pets named like days (set 172) and times said loosely (set 173) ---------------------------


async def test_a_pet_called_by_a_day_is_booked_by_name_on_the_day_asked() -> None:
    sunday = await decide(
        "Can Sunday have a groom on Saturday at 10? Her nails are clicking all over the floor"
    )
    assert proposed(sunday) == [("Sunday", at(12, 10))]
    tuesday = await decide(
        "Hi there, Tuesday is due a nail trim - have you got anything thursday around 5.30pm?"
    )
    assert proposed(tuesday) == [("Tuesday", at(10, 17, 30))]
    may = await decide("hi May needs her booster, could she come in thursday at 11.15?")
    assert proposed(may) == [("May", at(10, 11, 15))]


async def test_a_day_asked_about_with_would_is_no_pet() -> None:
    ginger = booking_of("Ginger", at(10, 10), "consultation", "b1")
    decision = await decide(
        "I'm Ginger's owner. We have an appointment for her thursday at 10, but the school has "
        "just told us there's a strike on thursday so I'll have my two at home. Would Friday be "
        "possible instead, at half past nine? Same thing, just the check-up.",
        bookings=[ginger],
        busy=busy_of(ginger),
    )
    assert proposed(decision) == [("Ginger", at(11, 9, 30))]


async def test_a_weekday_of_next_week_is_that_day_not_a_week_on() -> None:
    rex = booking_of("Rex", at(12, 9, 30), "grooming", "b1")
    decision = await decide(
        "need to move Rex's groom on saturday to monday next week please, same time if you can",
        bookings=[rex],
        busy=busy_of(rex),
    )
    assert proposed(decision) == [("Rex", at(14, 9, 30))]


async def test_first_thing_instead_of_the_afternoon_is_the_days_first_time() -> None:
    coco = booking_of("Coco", at(11, 15), "grooming", "b1")
    decision = await decide(
        "could coco's groom on friday be first thing instead of the afternoon? 🙏",
        bookings=[coco],
        busy=busy_of(coco),
    )
    assert proposed(decision) == [("Coco", at(11, 8, 30))]
    otis = booking_of("Otis", at(10, 18, 30), "consultation", "b1")
    decision = await decide(
        "could otis on thursday be first thing instead of after work?",
        bookings=[otis],
        busy=busy_of(otis),
    )
    assert proposed(decision) == [("Otis", at(10, 8, 30))]


async def test_mid_morning_and_after_the_school_run_are_windows() -> None:
    juno = await decide("mid-morning thursday for Juno's booster? she's my border collie")
    assert proposed(juno) == [("Juno", at(10, 9, 30))]
    peanut = await decide("can peanut come wednesday after the school run? Just a check up")
    assert proposed(peanut) == [("Peanut", at(9, 9))]


async def test_just_before_you_shut_beside_someone_elses_morning_is_the_last_time() -> None:
    bella = booking_of("Bella", at(12, 10), "consultation", "b1")
    decision = await decide(
        "can bella come later on saturday? just before you shut would be ideal, my son has "
        "football in the morning ⚽",
        bookings=[bella],
        busy=busy_of(bella),
    )
    assert proposed(decision) == [("Bella", at(12, 12, 30))]


async def test_as_late_as_possible_beside_a_time_that_clashes_is_the_last_start() -> None:
    gizmo = booking_of("Gizmo", at(9, 14, 30), "vaccination", "b1")
    decision = await decide(
        "can gizmo's jab on wednesday be as late as possible the same day? 2.30 clashes with a "
        "meeting",
        bookings=[gizmo],
        busy=busy_of(gizmo),
    )
    assert proposed(decision) == [("Gizmo", at(9, 18, 45))]


async def test_our_lunch_break_asked_is_answered() -> None:
    decision = await decide(
        "what time's your lunch break? trying to work out if I can pop in with Benji on my own "
        "lunch hour"
    )
    assert "12:30" in decision.reply and "14:00" in decision.reply, decision.reply


async def test_teeth_told_of_as_a_symptom_are_the_vets_not_a_cleaning() -> None:
    decision = await decide(
        "hey, my girlfriends rabbit noisette has teeth that look too long and shes dropping bits "
        "of food everywhere. can she come in thursday 5.15?"
    )
    assert proposed(decision) == [("Noisette", at(10, 17, 15))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"


async def test_the_mid_morning_one_of_our_offer_yesterday_is_read_back() -> None:
    decision = await decide(
        "hiya sorry never got back to you yesterday! is the mid-morning one on thursday still "
        "going? I'll take it for fig",
        history=[
            "hi do you have anything on thursday for fig's booster? she's a cat",
            "On Thursday 10 December I can do 10:30 or 16:15 for Fig's vaccination. Which would "
            "suit you?",
        ],
    )
    assert proposed(decision) == [("Fig", at(10, 10, 30))]


async def test_the_morning_one_of_a_booked_pet_is_no_offer_taken() -> None:
    rex = booking_of("Rex", at(10, 12), "consultation", "b1")
    ruby = booking_of("Ruby", at(10, 16, 30), "consultation", "b2")
    decision = await decide(
        "can you cancel the morning one on thursday please",
        bookings=[rex, ruby],
        busy=busy_of(rex, ruby),
        history=[
            "anything thursday for rex?",
            "On Thursday 10 December I have 12:00 or 16:30 for Rex. Which would suit you?",
        ],
    )
    assert decision.intent is not Intent.PROPOSE_BOOKING, decision.reply
