"""Conversations played turn by turn in session 41 (held-out sets 125–130 written or left open
before it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import AgentDecision, BookingView, Intent, PendingAction
from tests.providers.test_local_agent_everyday import (
    NOW,
    at,
    decide,
    pending_several,
    proposed,
)
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of


def pending_of_cancel(booking: BookingView) -> PendingAction:
    """The pending action a workflow holds for the cancelling of ``booking``."""
    return PendingAction(
        id="act-1",
        kind="cancel",
        slot_start=booking.slot_start,
        subject=booking.subject,
        expires_at=NOW + timedelta(minutes=10),
        booking_id=booking.id,
    )


def pending_of_booking(decision: AgentDecision) -> PendingAction:
    """The pending action a workflow holds for ``decision``'s one booking read back."""
    assert decision.proposal is not None, decision.reply
    return PendingAction(
        id="act-1",
        slot_start=decision.proposal.slot_start,
        subject=decision.proposal.subject,
        expires_at=NOW + timedelta(minutes=10),
        service=decision.proposal.service,
    )


def subjects(decision: AgentDecision) -> list[str]:
    """Who ``decision`` proposes to book, move or cancel, in order."""
    return [s for s, _ in proposed(decision)]


# -- "a bit later": how much later is the customer's to say -------------------------------------


async def test_a_bit_later_puts_the_other_later_times_to_the_customer() -> None:
    groom = booking_of("Coco", at(10, 10), "grooming", "b1")
    decision = await decide(
        "can coco's groom on thursday be a bit later? 🙏", bookings=[groom], busy=busy_of(groom)
    )
    # the nearest read back, and how much later asked: the others offered with a question
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.reply.endswith("Would one of those suit better?")


async def test_a_bit_earlier_with_a_bound_still_proposes_the_nearest() -> None:
    visit = booking_of("Bella", at(10, 16), "consultation", "b1")
    decision = await decide(
        "Hi, could Bella's appointment on Thursday be a bit earlier? Same day, just not as late "
        "as 4",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert "?" not in decision.reply  # "just not as late as 4": any earlier time will do


# -- names: breeds, signatures and the people who write ------------------------------------------


async def test_a_breed_in_brackets_keeps_the_name_before_it() -> None:
    decision = await decide(
        "Hello! Fifi (toy poodle) needs a groom, she's looking like a sheep 🐑 is saturday "
        "11.15 ok?"
    )
    assert proposed(decision) == [("Fifi", at(12, 11, 15))], decision.reply


async def test_a_second_pet_with_just_his_service_is_booked_with_it() -> None:
    decision = await decide(
        "Hi! friday at 10, can I bring both dogs? bonnie needs a check up (she's limping again) "
        "and clyde just his booster"
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.service) for p in decision.proposals} == {
        ("Bonnie", "consultation"),
        ("Clyde", "vaccination"),
    }


async def test_two_pets_two_services_one_name_asks_rather_than_booking_both_for_one() -> None:
    decision = await decide(
        "friday at 10, can I bring both dogs? bonnie needs a check up and the other one his booster"
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert not decision.proposals and decision.proposal is None


async def test_a_formal_letter_books_the_dog_not_its_breed_or_its_owners() -> None:
    decision = await decide(
        "Good evening,\n\nOur dog Monty, a 9-year-old Jack Russell, was seen at your clinic in "
        "October for his vaccinations. We would like to book the dental cleaning for this "
        "Friday, nine o'clock would be ideal.\n\nMany thanks,\nAntoine & Julie Roussel"
    )
    assert subjects(decision) == ["Monty"], decision.reply


async def test_the_writer_introduced_with_a_title_is_no_pet() -> None:
    decision = await decide(
        "Dear Veterinary Clinic,\n\nAllow me to introduce myself: I am Colonel (retd.) James "
        "Whitfield. We have with us our Scottish terrier, Dougal, who is in need of a general "
        "examination. Might he be seen on Saturday at half past nine?\n\nI remain, yours "
        "faithfully,\nJ. R. Whitfield"
    )
    assert subjects(decision) == ["Dougal"], decision.reply


async def test_a_former_vet_named_in_passing_is_no_pet() -> None:
    decision = await decide(
        "I have been bringing my cats to your clinic since 1994, when it was still old Dr "
        "Perrin's practice. My current cat, Rupert, has a small lump on his shoulder. Might he "
        "be seen on Friday morning at a quarter past eleven?\n\nWith my sincere thanks,\nMarcel "
        "Aubert"
    )
    assert subjects(decision) == ["Rupert"], decision.reply


async def test_a_breed_named_with_its_kind_is_no_second_pet() -> None:
    decision = await decide(
        "Her little dog Binky (a Yorkshire terrier, about 12) has a cough that comes and goes. "
        "I can bring them on Thursday after my work; would a quarter to five be possible? Best "
        "wishes, Nathalie Simon"
    )
    assert subjects(decision) == ["Binky"], decision.reply


async def test_a_couples_signature_sent_as_its_own_message_books_nobody() -> None:
    decision = await decide(
        "Good day to you. Our two dogs, Pickwick and Toffee, need a bath before Christmas. "
        "Friday the 11th at 2 in the afternoon would be ideal, both at the same time.\n"
        "Albert and Simone Girard"
    )
    assert sorted(subjects(decision)) == ["Pickwick", "Toffee"], decision.reply


async def test_a_pasted_email_signature_block_is_not_read_as_a_request() -> None:
    decision = await decide(
        "Please may I book Marmalade (female cat, 6 years) in for her annual vaccination. "
        "Tomorrow, Tuesday, at 4.30 in the afternoon would be ideal.\n\nBest regards,\nSophie "
        "Lambert\nSenior Accounts Assistant | Bureau Vallette & Fils\n45 avenue de la "
        "République, 75011 Paris\nTel. +33 1 43 55 20 10"
    )
    assert proposed(decision) == [("Marmalade", at(8, 16, 30))], decision.reply


async def test_a_thanks_line_then_more_of_the_request_is_no_signature() -> None:
    decision = await decide("book rex tomorrow 3pm\nthanks\noh and bella too")
    assert sorted(subjects(decision)) == ["Bella", "Rex"], decision.reply


async def test_the_pet_seen_on_a_day_asked_the_latest_time_is_named() -> None:
    decision = await decide(
        "whats the latest you could see rocky on friday? end of the day ideally, we're coming "
        "from the other side of paris"
    )
    assert subjects(decision) == ["Rocky"], decision.reply


# -- times the customer's own day gives ----------------------------------------------------------


async def test_the_part_of_the_booked_day_is_not_the_new_days() -> None:
    visit = booking_of("Ginger", at(9, 10), "consultation", "b1")
    decision = await decide(
        "hi there, ginger's check up on wednesday morning - could we switch to thursday at 4 "
        "instead? work thing came up",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert proposed(decision) == [("Ginger", at(10, 16))], decision.reply


async def test_the_hour_the_customer_leaves_work_is_not_the_visits() -> None:
    first = await decide("hey, any chance max could be seen tomorrow after work?")
    decision = await decide(
        "I'm out at half 5 so 6 would be ideal",
        history=["hey, any chance max could be seen tomorrow after work?", first.reply],
    )
    assert proposed(decision) == [("Max", at(8, 18))], decision.reply


async def test_finishing_work_then_the_time_they_can_come() -> None:
    decision = await decide(
        "is there any room for mochi after work today\ni finish half 5, could be with you for 6. "
        "she's a hamster"
    )
    assert proposed(decision) == [("Mochi", at(7, 18))], decision.reply


async def test_working_hours_with_the_days_first_are_no_time() -> None:
    decision = await decide(
        "Do you do saturdays? I work mon-fri 9 to 6 so it's hard to get there... or are you open "
        "late any day?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "13:00" in decision.reply and "19:00" in decision.reply


async def test_open_late_any_day_is_our_hours_not_a_booking() -> None:
    decision = await decide("are you open late any day?")
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "19:00" in decision.reply


async def test_the_end_of_the_day_offers_the_evening() -> None:
    groom = booking_of("Willow", at(10, 10), "grooming", "b1")
    decision = await decide(
        "could willow's groom on thursday be pushed to the end of the day? can't get away in "
        "the mornings anymore",
        bookings=[groom],
        busy=busy_of(groom),
    )
    offered = [t for t in ("08:30", "09:30", "10:45", "11:45") if t in decision.reply]
    assert not offered, decision.reply
    assert "18:15" in decision.reply


async def test_an_hour_for_both_with_a_reason_changes_the_proposal() -> None:
    first = await decide(
        "can both my cats have their vaccines friday morning? salem and jinx. any time before 12"
    )
    decision = await decide(
        "10 for both please, they travel together",
        pending=pending_several(first),
        history=[
            "can both my cats have their vaccines friday morning? salem and jinx. any time "
            "before 12",
            first.reply,
        ],
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert {slot for _, slot in proposed(decision)} == {at(11, 10)}, decision.reply


# -- which booking: the part of the day, and one the customer is unsure they made ----------------


async def test_the_afternoon_one_of_a_day_is_the_booking_cancelled() -> None:
    bruno = booking_of("Bruno", at(10, 9, 30), "consultation", "b1")
    daisy = booking_of("Daisy", at(10, 16), "consultation", "b2")
    decision = await decide(
        "hi, can you cancel the thursday afternoon one please, we'll be away",
        bookings=[bruno, daisy],
        busy=busy_of(bruno, daisy),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_did_i_book_is_answered_from_the_calendar() -> None:
    jab = booking_of("Nala", at(11, 11, 30), "vaccination", "b1")
    decision = await decide(
        "did I actually book nala's jab in the end? I can't remember if I did it or just meant "
        "to lol",
        bookings=[jab],
        busy=busy_of(jab),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "11:30" in decision.reply


async def test_two_pets_thought_booked_says_which_is_not() -> None:
    rex = booking_of("Rex", at(9, 16, 30), "consultation", "b1")
    decision = await decide(
        "Hi, I think I booked both dogs in for wednesday afternoon, Rex and Bruno? Just double "
        "checking as I only got one message",
        bookings=[rex],
        busy=busy_of(rex),
    )
    assert "16:30" in decision.reply, decision.reply
    assert "Nothing is booked for Bruno" in decision.reply


# -- session 41, second wave: letters, e-mails and checks before acting --------------------------


async def test_a_thank_you_for_understanding_is_a_yes() -> None:
    visit = booking_of("Juniper", at(11, 16), "consultation", "b1")
    first = await decide(
        "Juniper passed away on Saturday night. She had an appointment with you on Friday at 4pm "
        "which we won't be needing now, so could you please cancel it.",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert first.intent is Intent.PROPOSE_CANCEL, first.reply
    decision = await decide(
        "yes please. thank you for understanding",
        bookings=[visit],
        busy=busy_of(visit),
        pending=pending_of_cancel(visit),
        history=["Juniper passed away …", first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_check_on_three_pets_says_which_is_not_booked() -> None:
    mochi = booking_of("Mochi", at(14, 16), "consultation", "b1")
    thumper = booking_of("Thumper", at(14, 16), "consultation", "b2")
    decision = await decide(
        "can you check all 3 bunnies are booked for monday the 14th? mochi thumper and clover 🐰",
        bookings=[mochi, thumper],
        busy=busy_of(mochi, thumper),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Nothing is booked for Clover" in decision.reply


async def test_straight_after_the_others_told_books_when_they_end() -> None:
    mochi = booking_of("Mochi", at(14, 16), "consultation", "b1")
    thumper = booking_of("Thumper", at(14, 16), "consultation", "b2")
    ask = "can you check all 3 bunnies are booked for monday the 14th? mochi thumper and clover"
    first = await decide(ask, bookings=[mochi, thumper], busy=busy_of(mochi, thumper))
    decision = await decide(
        "clover's not on it?! can she come straight after the other two then",
        bookings=[mochi, thumper],
        busy=busy_of(mochi, thumper),
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Clover", at(14, 16, 30))], decision.reply


async def test_the_pet_before_its_kind_after_a_comma_is_named() -> None:
    decision = await decide(
        "Anyway!! Percy, our rabbit (a lop, 3 years old, very grumpy), has claws that are "
        "getting really long. Would it be possible to bring him for a nail trim this Saturday "
        "at 10am?"
    )
    assert subjects(decision) == ["Percy"], decision.reply


async def test_another_booking_kept_as_planned_is_no_move() -> None:
    hector = booking_of("Hector", at(8, 15), "consultation", "b1")
    maisie = booking_of("Maisie", at(10, 16), "grooming", "b2")
    decision = await decide(
        "So I'm going to have to cancel Maisie's grooming on Thursday. Hector is still coming "
        "on Tuesday for his check up as planned, that one doesn't change! Thanks a lot",
        bookings=[hector, maisie],
        busy=busy_of(hector, maisie),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_service_the_customer_spoke_of_is_the_one_put_in_for() -> None:
    ask = (
        "hiya, when's simba's next appointment? I'm sure I booked his booster a couple of weeks ago"
    )
    first = await decide(ask)
    decision = await decide(
        "weird. must have been the other vet 🤔 can you put him in for it friday at half 10 then",
        history=[ask, first.reply],
    )
    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Simba", "vaccination")


async def test_a_pet_only_pointed_at_is_not_booked() -> None:
    pepper = booking_of("Pepper", at(10, 16), "vaccination", "b1")
    ziggy = booking_of("Ziggy", at(14, 10), "grooming", "b2")
    decision = await decide(
        "could ziggy's come forward to thursday as well so it's one trip? straight after "
        "pepper's, so 4.15?",
        bookings=[pepper, ziggy],
        busy=busy_of(pepper, ziggy),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert decision.proposal.slot_start == at(10, 16, 15)


async def test_the_booked_time_turned_down_moves_the_booking() -> None:
    teddy = booking_of("Teddy", at(10, 8, 30), "consultation", "b1")
    ask = "what time is teddy's appointment on thursday? need to work it around the school run"
    first = await decide(ask, bookings=[teddy], busy=busy_of(teddy))
    decision = await decide(
        "8.30 is no good, I'm at the school gate then. anything after 9.15 that morning?",
        bookings=[teddy],
        busy=busy_of(teddy),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply


async def test_nails_asked_after_the_check_up_are_a_grooming() -> None:
    maisie = booking_of("Maisie", at(8, 15), "consultation", "b1")
    decision = await decide(
        "lovely. while she's in could she get her nails clipped too? after the check up, so "
        "half 3?",
        bookings=[maisie],
        busy=busy_of(maisie),
        history=[
            "what time's maisie tomorrow?",
            "Your appointment for Maisie is on Tuesday 8 December at 15:00.",
        ],
    )
    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "grooming"


async def test_a_relative_a_neighbour_and_a_signature_are_no_pets() -> None:
    decision = await decide(
        "Good morning, I'm writing for my father, Gérard Moreau – he's 78. His cat Caramel needs "
        "her teeth seen to, Dr Aubry told him. Could he bring her on Friday at 9? Thanks"
    )
    assert subjects(decision) == ["Caramel"], decision.reply
    decision = await decide(
        "Hi! My neighbour Agnès asked me to sort this out. Her two little dogs, Biscotte and "
        "Gaufrette, badly need their nails doing. Could they both come on Saturday at 9?\n"
        "Thanks a million,\nFatima"
    )
    assert sorted(subjects(decision)) == ["Biscotte", "Gaufrette"], decision.reply


async def test_an_email_signed_after_a_blank_line_is_cut_there() -> None:
    sushi = booking_of("Sushi", at(10, 17), "grooming", "b1")
    decision = await decide(
        "Subject: Cancellation – Sushi – Thursday 17:00\n\nDear team,\n\nUnfortunately I have "
        "to cancel Sushi's grooming on Thursday at 17:00, as I will be travelling for work. I "
        "will contact you in January to rebook.\n\nBest regards,\n\nÉlodie Carré\nLegal Counsel "
        "| Carré Avocats\n\nCONFIDENTIALITY NOTICE: This e-mail is intended solely for its "
        "addressee.",
        bookings=[sushi],
        busy=busy_of(sushi),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_put_us_down_for_friday_is_a_booking_not_an_end_of_life() -> None:
    pilou = booking_of("Pilou", at(10, 15, 30), "consultation", "b1")
    decision = await decide(
        "Dear Doctor, I am the owner of Pilou. I have an appointment for him on Thursday at half "
        "past three in the afternoon, but my daughter can only come on Friday. Could you kindly "
        "put us down for Friday at the same hour?",
        bookings=[pilou],
        busy=busy_of(pilou),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(11, 15, 30)


async def test_a_check_that_a_booking_went_through_is_looked_up() -> None:
    noodle = booking_of("Noodle", at(8, 10), "vaccination", "b1")
    decision = await decide(
        "hey did noodle's jab for tomorrow go through? I said yes then the app crashed",
        bookings=[noodle],
        busy=busy_of(noodle),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "10:00" in decision.reply


async def test_drop_the_wednesday_one_cancels_it() -> None:
    wed = booking_of("Sage", at(9, 16, 30), "consultation", "b1")
    thu = booking_of("Sage", at(10, 16, 30), "consultation", "b2")
    decision = await decide(
        "yep that's me being an idiot. drop the wednesday one and keep thursday please",
        bookings=[wed, thu],
        busy=busy_of(wed, thu),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_weekday_in_the_plural_is_our_rule_not_the_day_asked() -> None:
    decision = await decide(
        "oh mornings only on saturdays? ok what about friday after 5 then",
        history=[
            "can kiki come in saturday after 4? she's a cat, just needs a check up",
            "Sorry, Saturday 12 December at 16:00 isn't possible: we close at 13:00 that day.",
        ],
    )
    assert "Friday 11 December" in decision.reply, decision.reply


async def test_a_booked_time_asked_instead_then_another_pet_named_is_not_moved() -> None:
    oscar = booking_of("Oscar", at(11, 14), "consultation", "b1")
    leo = booking_of("Leo", at(11, 16), "consultation", "b2")
    decision = await decide(
        "oh wait no, sorry, it's Leo's I need to move, the 4pm one. Oscar's is fine",
        bookings=[oscar, leo],
        busy=busy_of(oscar, leo),
        history=[
            "hi, I need to move Oscar's appointment on friday",
            "The appointment for Oscar "
            "is already on Friday 11 December at 14:00. When would you like it instead?",
        ],
    )
    assert not (decision.proposal and decision.proposal.booking_id == "b1"), decision.reply


# -- session 41, third wave: accents, several pets, bookings made by others ----------------------


async def test_a_name_written_with_accents_is_booked_as_written() -> None:
    decision = await decide("can réglisse come tomorrow at 5?")
    assert subjects(decision) == ["Réglisse"], decision.reply


async def test_an_accented_place_or_signature_is_no_pet() -> None:
    moustache = booking_of("Moustache", at(8, 16, 30), "consultation", "b1")
    decision = await decide(
        "Hello, this is Nathalie, Mrs Fabre's daughter. Mum can't bring Moustache tomorrow "
        "afternoon, she's been kept in at the Hôpital Saint-Antoine for a few days. Could you "
        "cancel it please?",
        bookings=[moustache],
        busy=busy_of(moustache),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    decision = await decide(
        "We've just adopted a greyhound (Nadia, the volunteer who placed him, gave us your "
        "name). Could we book a first visit on Thursday at 11:45? Thank you! Élise & Bastien"
    )
    assert not {"Nadia", "Élise", "Bastien"} & set(subjects(decision)), decision.reply


async def test_a_plus_between_names_is_and() -> None:
    decision = await decide(
        "clover needs her vaccination, bramble needs her nails doing. clover + bramble at 2pm "
        "on thursday?"
    )
    assert sorted(subjects(decision)) == ["Bramble", "Clover"], decision.reply


async def test_which_of_two_times_asked_moves_nothing() -> None:
    waffles = booking_of("Waffles", at(12, 9, 30), "consultation", "b1")
    decision = await decide(
        "hiya my dad booked waffles (guinea pig) in for saturday morning but he can't remember "
        "if he said 9.30 or 10.30 lol. which is it?\noh and could pancake come at the same time?",
        bookings=[waffles],
        busy=busy_of(waffles),
    )
    assert all(p.kind != "reschedule" for p in decision.proposals), decision.reply
    assert not (decision.proposal and decision.proposal.booking_id == "b1"), decision.reply


async def test_a_booking_left_where_it_is_is_not_moved() -> None:
    ginger = booking_of("Ginger", at(11, 10, 30), "consultation", "b1")
    ask = (
        "hi my partner booked our dog rolf in for friday morning, can we move it to the afternoon?"
    )
    decision = await decide(
        "oh, he must have booked ginger then. ok leave ginger's where it is and book rolf in as "
        "well, same time as her",
        bookings=[ginger],
        busy=busy_of(ginger),
        history=[
            ask,
            "Which appointment should I move: Ginger on Friday 11 December at 10:30? I "
            "can't find one for Rolf.",
        ],
    )
    assert proposed(decision) == [("Rolf", at(11, 10, 30))], decision.reply


async def test_a_booking_told_of_is_not_booked_again() -> None:
    pixel = booking_of("Pixel", at(11, 11, 30), "consultation", "b1")
    decision = await decide(
        "my wife booked pixel for friday at 12, can I add our other cat byte to that same slot? "
        "both need a checkup",
        bookings=[pixel],
        busy=busy_of(pixel),
    )
    assert "Pixel" not in subjects(decision), decision.reply


async def test_three_pets_each_with_its_own_day_time_and_service() -> None:
    decision = await decide(
        "Can I book in Teddy for a check up tues 6pm, milo's jab weds 9am and pearl's nails "
        "thurs 11.45? 3 different days I know, sorry 😂"
    )
    assert {(p.subject, p.slot_start, p.service) for p in decision.proposals} == {
        ("Teddy", at(8, 18), "consultation"),
        ("Milo", at(9, 9), "vaccination"),
        ("Pearl", at(10, 11, 45), "grooming"),
    }, decision.reply


async def test_a_booking_remembered_on_the_wrong_day_moves_on_its_own_day() -> None:
    pumpkin = booking_of("Pumpkin", at(9, 10, 30), "consultation", "b1")
    decision = await decide(
        "Hi! My mum booked Pumpkin in for tuesday at half 10 I think, could we push it to 12 "
        "instead?",
        bookings=[pumpkin],
        busy=busy_of(pumpkin),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(9, 12)


async def test_a_pasted_emails_headers_are_no_pets_and_no_date() -> None:
    decision = await decide(
        "From: Hélène Marchand <h.marchand@cabinet-dufour.fr>\nSent: Monday 7 December 08:14\n"
        "To: contact@cliniquedeslilas.fr\nSubject: Appointment request - Caramel\n\nDear Sir or "
        "Madam,\n\nI would like to request a consultation for our cat Caramel on Wednesday 9 "
        "December at 3 pm.\n\nKind regards,\n\nHélène Marchand\nOffice Manager\nCabinet Dufour "
        "& Associés"
    )
    assert proposed(decision) == [("Caramel", at(9, 15))], decision.reply


async def test_a_subject_line_is_read_but_names_no_pet() -> None:
    decision = await decide(
        "Subject: Annual vaccinations - Hugo and Lulu\n\nDear colleagues,\n\nCould both our "
        "dogs, Hugo and Lulu, have their annual vaccinations on Thursday at 16:00?\n\nWith best "
        "regards,\n\nDr Marc Vidal\nHead of Cardiology"
    )
    assert sorted(subjects(decision)) == ["Hugo", "Lulu"], decision.reply


async def test_two_pets_bookings_cancelled_whatever_day_the_last_clause_says() -> None:
    bonnie = booking_of("Bonnie", at(8, 14, 30), "vaccination", "b1")
    alfie = booking_of("Alfie", at(9, 9, 30), "grooming", "b2")
    tilly = booking_of("Tilly", at(11, 17), "consultation", "b3")
    decision = await decide(
        "change of plans with the dogs this week I'm afraid. please cancel alfie's groom and "
        "tilly's appointment on friday. bonnie's jab tomorrow stays as is",
        bookings=[bonnie, alfie, tilly],
        busy=busy_of(bonnie, alfie, tilly),
    )
    assert {(p.kind, p.booking_id) for p in decision.proposals} == {
        ("cancel", "b2"),
        ("cancel", "b3"),
    }, decision.reply


async def test_a_yes_with_what_they_will_bring_is_a_yes() -> None:
    ask = "Could I bring Marmite Friday 9am? She's been limping."
    first = await decide(ask)
    decision = await decide(
        "Yes thanks, I'll bring her booklet too",
        pending=pending_of_booking(first),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_day_no_longer_needed_is_a_cancellation() -> None:
    marley = booking_of("Marley", at(10, 15), "consultation", "b1")
    ziggy = booking_of("Ziggy", at(10, 15), "consultation", "b2")
    decision = await decide(
        "Hi, Marley's eye has cleared up on its own so he doesn't need thursday any more. Ziggy "
        "still needs to come though!",
        bookings=[marley, ziggy],
        busy=busy_of(marley, ziggy),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
