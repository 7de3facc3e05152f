"""Conversations played turn by turn in session 42 (held-out sets 136–142 written or left open
before it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import AgentDecision, Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of
from tests.providers.test_local_agent_probes41 import pending_of_booking


def booked_as(decision: AgentDecision) -> list[tuple[str, str | None]]:
    """(subject, service) of each booking ``decision`` proposes, in order."""
    if decision.proposals:
        return [(p.subject, p.service) for p in decision.proposals]
    assert decision.proposal is not None, decision.reply
    return [(decision.proposal.subject, decision.proposal.service)]


# -- pets named the way people write them, and people who are not pets ---------------------------


async def test_a_neighbours_cat_with_an_accented_name_is_the_pet() -> None:
    decision = await decide(
        "Good evening, I'm writing for my neighbour Mme Bernard who is in hospital until next "
        "week. I'm looking after her cat Réglisse and he has hardly eaten since Saturday. Could "
        "I bring him in tomorrow at 17:15? My name is Karim Benali. Thank you"
    )
    assert proposed(decision) == [("Réglisse", at(8, 17, 15))]


async def test_a_pet_named_between_commas_after_its_breed_is_the_pet() -> None:
    decision = await decide(
        "Hello! We've just adopted a retired racing greyhound, Comète, through Lévriers Sans "
        "Frontières (Nadia, the volunteer who placed him, gave us your name). Could we book a "
        "first visit on Thursday at 11:45? Thank you! Élise & Bastien"
    )
    assert proposed(decision) == [("Comète", at(10, 11, 45))]


async def test_a_pet_of_the_past_named_between_commas_is_not_booked() -> None:
    decision = await decide(
        "My mother's little dog Binky has a cough. Could I bring him on Thursday at a quarter to "
        "five? She still remembers how kind you were when her previous dog, Frou-Frou, was ill."
    )
    assert proposed(decision) == [("Binky", at(10, 16, 45))]


async def test_a_son_named_before_is_not_booked_when_named_again() -> None:
    ask = (
        "Good afternoon, I would like an appointment for my cat Filou who has a lump on his back. "
        "I do not drive any more and my son Laurent, who will take us, only has Sundays free. "
        "Would Sunday the 13th at 10 o'clock be possible? Respectfully, Jeanne Moulin"
    )
    first = await decide(ask)
    decision = await decide(
        "Oh I see, I did not know. Then Saturday at 9 o'clock, Laurent will arrange it with his "
        "work.",
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Filou", at(12, 9))]


async def test_a_grandson_who_brings_the_rabbit_is_not_the_patient() -> None:
    decision = await decide(
        "my grandson Leo is going to bring our rabbit Moustache in for me, he has been off his "
        "food since yesterday. could it be thursday at half past 4?"
    )
    assert proposed(decision) == [("Moustache", at(10, 16, 30))]


async def test_a_pet_named_by_what_it_keeps_doing_is_the_pet() -> None:
    decision = await decide(
        "Hi there. Buster keeps shaking his head and his left ear smells horrible, poor thing. I "
        "work Mon-Fri, is Saturday at 11 possible?"
    )
    assert proposed(decision) == [("Buster", at(12, 11))]


async def test_a_pet_named_after_an_emoji_keeps_its_own_day_and_service() -> None:
    decision = await decide(
        "hi there, 2 cats 2 problems 😅 pumpkin keeps sneezing so a check-up for her wednesday "
        "at 3 if poss, and mango's breath is horrendous, vet said last time he needs a scale and "
        "polish. friday morning 9.30 for him?"
    )
    assert proposed(decision) == [("Pumpkin", at(9, 15)), ("Mango", at(11, 9, 30))]
    assert booked_as(decision) == [("Pumpkin", "consultation"), ("Mango", "dental")]


# -- several pets --------------------------------------------------------------------------------


async def test_a_second_pet_straight_after_the_first_is_booked_under_its_name() -> None:
    decision = await decide(
        "Good morning. Figaro (cat) is due his booster, can he come Wednesday 10am? And could "
        "Nutmeg have a check up straight after him, she's been sneezing since the weekend"
    )
    assert proposed(decision) == [("Figaro", at(9, 10)), ("Nutmeg", at(9, 10, 15))]
    assert booked_as(decision) == [("Figaro", "vaccination"), ("Nutmeg", "consultation")]


async def test_the_pet_listed_before_the_others_shares_their_service() -> None:
    decision = await decide(
        "Good morning. Do you treat rabbits as well as dogs? If so I'd like Rolo and Fudge (dogs) "
        "in for their annual boosters on Saturday at 10, together please, and Captain our rabbit "
        "for a check up at 11 the same morning."
    )
    assert booked_as(decision) == [
        ("Rolo", "vaccination"),
        ("Fudge", "vaccination"),
        ("Captain", "consultation"),
    ]


async def test_a_newcomer_booked_in_with_a_moved_pet_goes_to_the_new_day() -> None:
    nemo = booking_of("Nemo", at(8, 18), "consultation", "b1")
    decision = await decide(
        "Can nemo's appointment tomorrow evening move to thursday same time? and if you could "
        "book dory in with him for her jab that would be amazing",
        bookings=[nemo],
        busy=busy_of(nemo),
    )
    assert proposed(decision) == [("Nemo", at(10, 18)), ("Dory", at(10, 18))]


async def test_same_time_after_a_look_up_books_the_pet_told_unbooked_then() -> None:
    loki = booking_of("Loki", at(11, 9), "vaccination", "b1")
    ask = "did I book freya in with loki on friday morning? I meant to do both of them"
    first = await decide(ask, bookings=[loki], busy=busy_of(loki))
    assert "Nothing is booked for Freya" in first.reply
    decision = await decide(
        "ah no worries, can you add her then? same time, she needs her booster as well",
        bookings=[loki],
        busy=busy_of(loki),
        history=[ask, first.reply],
    )
    assert booked_as(decision) == [("Freya", "vaccination")]
    assert proposed(decision) == [("Freya", at(11, 9))]


# -- moves and cancellations said with what stays --------------------------------------------------


async def test_a_cancellation_naming_the_other_pets_day_moves_nothing() -> None:
    rolo = booking_of("Rolo", at(8, 17), "consultation", "b1")
    kiki = booking_of("Kiki", at(10, 10), "vaccination", "b2")
    decision = await decide(
        "hi need to cancel rolo's appointment tomorrow, something's come up at work. kiki's one "
        "on thursday is still fine",
        bookings=[rolo, kiki],
        busy=busy_of(rolo, kiki),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_service_said_to_stay_keeps_its_booking() -> None:
    oscar = booking_of("Oscar", at(15, 14), "dental", "b1")
    tilly = booking_of("Tilly", at(15, 14), "consultation", "b2")
    decision = await decide(
        "hello, we've got the dental and the check up both booked for tuesday 15th at 2. can the "
        "dental move to thursday 17th, same time? check up stays",
        bookings=[oscar, tilly],
        busy=busy_of(oscar, tilly),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Oscar", at(17, 14))]


async def test_a_day_things_last_until_is_not_the_day_moved_to() -> None:
    daisy = booking_of("Daisy", at(8, 10), "vaccination", "b1")
    decision = await decide(
        "Daisy's jab tomorrow, can we do the same time next week instead? she's on antibiotics "
        "till friday and I'd rather wait",
        bookings=[daisy],
        busy=busy_of(daisy),
    )
    assert proposed(decision) == [("Daisy", at(15, 10))]


async def test_cancel_if_not_charged_reads_the_cancellation_back() -> None:
    pearl = booking_of("Pearl", at(10, 15), "grooming", "b1")
    decision = await decide(
        "hi, will I be charged if I cancel pearl's groom on thursday? if not please cancel it, "
        "money's a bit tight this month",
        bookings=[pearl],
        busy=busy_of(pearl),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "free of charge" in decision.reply


async def test_a_cancellation_to_rebook_when_better_is_no_move() -> None:
    biscuit = booking_of("Biscuit", at(9, 10, 30), "dental", "b1")
    decision = await decide(
        "Hello, Mum asked me to cancel Biscuit's teeth cleaning on Wednesday, she's had a fall "
        "and can't drive for a while. She'll ring when she's better to rebook",
        bookings=[biscuit],
        busy=busy_of(biscuit),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_booking_put_down_as_the_wrong_service_is_changed_not_handed_off() -> None:
    pablo = booking_of("Pablo", at(12, 11), "consultation", "b1")
    decision = await decide(
        "hi, my husband booked pablo in for saturday at 11 but he put it down as a check up, its "
        "meant to be his teeth cleaning 🦷 can you change it? same time",
        bookings=[pablo],
        busy=busy_of(pablo),
    )
    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert booked_as(decision) == [("Pablo", "dental")]


# -- look-ups, and a question beside a change -----------------------------------------------------


async def test_what_the_dogs_have_booked_this_week_is_looked_up() -> None:
    max_ = booking_of("Max", at(9, 9, 30), "consultation", "b1")
    ruby = booking_of("Ruby", at(11, 16), "grooming", "b2")
    decision = await decide(
        "Hi, sorry, I've completely lost track - what have the dogs got booked with you this week?",
        bookings=[max_, ruby],
        busy=busy_of(max_, ruby),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Max" in decision.reply and "Ruby" in decision.reply


async def test_a_pet_with_nothing_booked_is_told_so() -> None:
    bailey = booking_of("Bailey", at(9, 17, 30), "consultation", "b1")
    decision = await decide(
        "Quick one - is Sooty booked in for anything? I thought I'd done it along with Bailey's "
        "on Wednesday but I can't find a message about it",
        bookings=[bailey],
        busy=busy_of(bailey),
    )
    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "Nothing is booked for Sooty" in decision.reply


async def test_a_booking_asked_about_is_told_and_only_the_other_moved() -> None:
    rocky = booking_of("Rocky", at(10, 18), "consultation", "b1")
    nellie = booking_of("Nellie", at(11, 8, 30), "dental", "b2")
    decision = await decide(
        "What time is Nellie's dental on Friday? Also can Rocky come earlier on Thursday, 3.30?",
        bookings=[rocky, nellie],
        busy=busy_of(rocky, nellie),
    )
    assert proposed(decision) == [("Rocky", at(10, 15, 30))]
    assert "08:30" in decision.reply


# -- cancellations and moves said in other words -------------------------------------------------


async def test_all_of_one_pets_bookings_cancelled_whatever_week_the_news_starts() -> None:
    thursday = booking_of("Benji", at(10, 11), "grooming", "b1")
    later = booking_of("Benji", at(16, 9), "vaccination", "b2")
    rosie = booking_of("Rosie", at(15, 10), "dental", "b3")
    decision = await decide(
        "Hi, sadly Benji's going to live with my brother in Lyon from this week 😢 so please "
        "cancel all his appointments. Rosie stays with me so keep hers",
        bookings=[thursday, later, rosie],
        busy=busy_of(thursday, later, rosie),
    )
    assert sorted(p.booking_id or "" for p in decision.proposals) == ["b1", "b2"], decision.reply


async def test_a_visit_she_cannot_do_and_another_day_is_a_move() -> None:
    kira = booking_of("Kira", at(9, 11), "grooming", "b1")
    rex = booking_of("Rex", at(9, 11), "grooming", "b2")
    decision = await decide(
        "Kira's got an appointment with the orthopaedic specialist on weds so she can't do her "
        "groom. Saturday 9am any good? Rex's one stays",
        bookings=[kira, rex],
        busy=busy_of(kira, rex),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(12, 9)


async def test_one_trip_is_no_one_oclock() -> None:
    coco = booking_of("Coco", at(10, 16), "grooming", "b1")
    decision = await decide(
        "Hi, it's Coco's mum. Could Pepper get groomed on Thursday too, straight after Coco "
        "finishes? Then I only have to do one trip",
        bookings=[coco],
        busy=busy_of(coco),
    )
    assert proposed(decision) == [("Pepper", at(10, 16, 45))]


async def test_a_line_for_each_pet_books_each_at_its_time_and_service() -> None:
    decision = await decide(
        "morning, a couple of bookings for tomorrow if you can\njuniper - full groom, 2pm\n"
        "kobe - vaccine, 4.30? he's the little one"
    )
    assert proposed(decision) == [("Juniper", at(8, 14)), ("Kobe", at(8, 16, 30))]
    assert booked_as(decision) == [("Juniper", "grooming"), ("Kobe", "vaccination")]


async def test_a_cat_straining_in_the_litter_tray_is_an_emergency_with_where_to_come() -> None:
    decision = await decide(
        "my boy cat oreo keeps going in and out of the litter tray and straining, only a drop "
        "comes out and he cries when he tries. is that bad??"
    )
    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "rue des Lilas" in decision.reply


# -- changes of mind, conditions and second thoughts ---------------------------------------------


async def test_a_time_taken_back_in_the_same_message_is_not_booked() -> None:
    decision = await decide(
        "Can Lola have her nails done friday at half 3? no hang on, make it 4, she's got puppy "
        "class till half 3"
    )
    assert proposed(decision) == [("Lola", at(11, 16))]


async def test_stick_with_the_first_time_keeps_it_and_its_day() -> None:
    decision = await decide(
        "hi! can lulu come in saturday at 9.30 for a check up... or would 11 be better? no, stick "
        "with 9.30, we've got the market later. she's a hamster btw"
    )
    assert proposed(decision) == [("Lulu", at(12, 9, 30))]


async def test_a_price_over_the_customers_limit_books_nothing() -> None:
    decision = await decide(
        "Hello, what do you charge for a dental clean on a labrador? If it's under a hundred I'll "
        "get Rusty booked in for thursday 10am"
    )
    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "€120" in decision.reply and "€100" in decision.reply


async def test_a_think_about_it_after_the_price_is_no_yes() -> None:
    ask = "what do you charge for a dental clean? I'll get Rusty booked in for thursday 10am"
    first = await decide(ask)
    decision = await decide(
        "ooh right, bit more than I'd budgeted for. I'll have a think and get back to you, thanks",
        history=[ask, first.reply],
        pending=pending_of_booking(first),
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply


async def test_away_that_day_and_writing_next_week_declines_the_proposal() -> None:
    ask = "can mabel come in on saturday at 9 for a check-up?"
    first = await decide(ask)
    decision = await decide(
        "hmm no actually, just checked and we're away saturday. I'll message next week once I "
        "know our plans",
        history=[ask, first.reply],
        pending=pending_of_booking(first),
    )
    assert decision.proposal is None and not decision.proposals, decision.reply


async def test_not_booking_yet_asks_for_no_day() -> None:
    ask = "how much is a groom? my westie is a nightmare lol"
    first = await decide(ask)
    decision = await decide(
        "ok thanks, not booking yet, will wait till after payday 😅", history=[ask, first.reply]
    )
    assert "?" not in decision.reply, decision.reply


async def test_a_closed_sunday_falls_back_to_the_saturday_time_said() -> None:
    decision = await decide(
        "r u open sunday?? if yes can pablo come in at 11, his ear is bothering him. if not "
        "saturday morning 9.30ish"
    )
    assert proposed(decision) == [("Pablo", at(12, 9, 30))]
    assert "closed on Sundays" in decision.reply


async def test_a_symptom_told_with_today_is_no_day_for_the_visit() -> None:
    ask = "nail trim for nugget wednesday 4pm? she's a lop rabbit"
    first = await decide(ask)
    decision = await decide(
        "oh actually, can the vet give her a proper check over instead?? she's been sneezing "
        "loads today, the nails can wait",
        history=[ask, first.reply],
        pending=pending_of_booking(first),
    )
    assert booked_as(decision) == [("Nugget", "consultation")]
    assert proposed(decision) == [("Nugget", at(9, 16))]


async def test_the_saturday_after_a_refused_saturday_is_the_next_one() -> None:
    ask = "Good morning, could I book a dental for alfie this saturday 12.30?"
    first = await decide(ask)
    assert "isn't possible" in first.reply
    decision = await decide(
        "none of those work for us unfortunately, we've got a family thing this saturday. what "
        "about the saturday after, at 9?",
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Alfie", at(19, 9))]


async def test_better_after_a_move_just_done_moves_it_again() -> None:
    frodo = booking_of("Frodo", at(11, 14, 30), "consultation", "b1")
    decision = await decide(
        "just checked my diary again and friday morning would actually be better than the "
        "afternoon, could you do 9am?",
        bookings=[frodo],
        busy=busy_of(frodo),
        history=[
            "can frodo's appointment on thursday be pushed to friday? same hour",
            "I can move the appointment for Frodo from Thursday 10 December at 14:30 to Friday "
            "11 December at 14:30. Reply YES to confirm.",
            "yes",
            "Done: the appointment for Frodo is moved to Friday 11 December at 14:30.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Frodo", at(11, 9))]


async def test_take_her_off_cancels_her_booking_only() -> None:
    zola = booking_of("Zola", at(8, 15), "vaccination", "b1")
    lola = booking_of("Lola", at(8, 15), "vaccination", "b2")
    decision = await decide(
        "ah wait, lola had hers at the breeders last month, found her card in the drawer. can you "
        "take her off? zola still needs his though",
        bookings=[zola, lola],
        busy=busy_of(zola, lola),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


# -- conditions on the booking held -----------------------------------------------------------


async def test_move_from_its_day_to_then_is_to_the_time_asked_about() -> None:
    ollie = booking_of("Ollie", at(8, 10), "consultation", "b1")
    decision = await decide(
        "Morning, have you got anything on wednesday around 5? if there's a 5 o'clock could you "
        "move ollie's appointment from tomorrow to then",
        bookings=[ollie],
        busy=busy_of(ollie),
    )
    assert proposed(decision) == [("Ollie", at(9, 17))]


async def test_a_move_asked_if_the_booking_is_after_3_is_made_when_it_is() -> None:
    pumpkin = booking_of("Pumpkin", at(10, 15, 30), "consultation", "b1")
    decision = await decide(
        "what time is pumpkin booked in for on thursday? if its after 3 can you move her to "
        "friday morning, 9ish, I've got a meeting thursday afternoon",
        bookings=[pumpkin],
        busy=busy_of(pumpkin),
    )
    assert "15:30" in decision.reply
    assert proposed(decision) == [("Pumpkin", at(11, 9))]


async def test_a_move_asked_if_the_booking_is_after_3_is_not_made_when_it_is_not() -> None:
    pumpkin = booking_of("Pumpkin", at(10, 14), "consultation", "b1")
    decision = await decide(
        "what time is pumpkin booked in for on thursday? if its after 3 can you move her to "
        "friday morning, 9ish",
        bookings=[pumpkin],
        busy=busy_of(pumpkin),
    )
    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "14:00" in decision.reply


# -- look-ups asked in other words --------------------------------------------------------------


async def test_whether_both_are_at_one_time_is_looked_up_not_booked() -> None:
    bramble = booking_of("Bramble", at(9, 10), "consultation", "b1")
    cosmo = booking_of("Cosmo", at(9, 10), "vaccination", "b2")
    decision = await decide(
        "are both of them at 10 on wednesday or was one of them half 10? 🤔",
        bookings=[bramble, cosmo],
        busy=busy_of(bramble, cosmo),
    )
    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "10:00" in decision.reply


async def test_which_pet_is_booked_on_a_day_is_looked_up() -> None:
    smudge = booking_of("Smudge", at(10, 11), "vaccination", "b1")
    olive = booking_of("Olive", at(11, 11), "vaccination", "b2")
    decision = await decide(
        "which one of the girls is booked thursday? 🐱🐶",
        bookings=[smudge, olive],
        busy=busy_of(smudge, olive),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Smudge" in decision.reply


async def test_definitely_on_for_a_day_is_a_check_not_a_booking() -> None:
    dexter = booking_of("Dexter", at(9, 9), "dental", "b1")
    decision = await decide(
        "Hello. Just checking Dexter's dental is definitely on for Wednesday morning?",
        bookings=[dexter],
        busy=busy_of(dexter),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "09:00" in decision.reply


async def test_a_time_after_a_booking_told_and_given_up_moves_it() -> None:
    domino = booking_of("Domino", at(9, 17, 15), "consultation", "b1")
    ask = (
        "is Domino's check up Wednesday evening? I've been put on lates this week so I can't do "
        "evenings"
    )
    first = await decide(ask, bookings=[domino], busy=busy_of(domino))
    assert "17:15" in first.reply
    decision = await decide(
        "Saturday morning? half nine if you have it",
        bookings=[domino],
        busy=busy_of(domino),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Domino", at(12, 9, 30))]


async def test_a_pet_tagging_along_is_booked_at_the_others_time() -> None:
    nugget = booking_of("Nugget", at(8, 14, 30), "consultation", "b1")
    decision = await decide(
        "tomorrow, ok! could crumpet tag along at the same time? they share a hutch and he's "
        "been sneezing too",
        bookings=[nugget],
        busy=busy_of(nugget),
    )
    assert proposed(decision) == [("Crumpet", at(8, 14, 30))]


async def test_a_pet_named_then_what_breed_she_is_is_the_pet() -> None:
    decision = await decide(
        "Do you have anything saturday morning for a groom? Maple, she's a cockapoo and currently "
        "looks like a yeti"
    )
    assert "for Maple" in decision.reply, decision.reply


async def test_can_i_cancel_with_a_charge_asked_reads_the_cancellation_back() -> None:
    ollie = booking_of("Ollie", at(8, 10, 30), "consultation", "b1")
    decision = await decide(
        "morning, can I cancel ollie's appt tomorrow? will I get charged for cancelling this late?",
        bookings=[ollie],
        busy=busy_of(ollie),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_dress_fitting_is_no_seizure() -> None:
    juno = booking_of("Juno", at(12, 10), "grooming", "b1")
    decision = await decide(
        "hang on, the fitting won't take long. can juno go at 11 instead of cancelling? same day",
        bookings=[juno],
        busy=busy_of(juno),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Juno", at(12, 11))]


async def test_another_pet_put_down_instead_takes_the_proposal() -> None:
    ask = "can maple have a check up saturday at quarter past 12? guinea pig"
    first = await decide(ask)
    decision = await decide(
        "sorry, the kids have just told me it's actually fig who's been off her food not maple 🙄 "
        "can you put fig down instead, same time",
        history=[ask, first.reply],
        pending=pending_of_booking(first),
    )
    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert proposed(decision) == [("Fig", at(12, 12, 15))]


async def test_forget_moving_it_just_cancel_cancels() -> None:
    boris = booking_of("Boris", at(11, 15), "grooming", "b1")
    decision = await decide(
        "ugh no, forget moving it, just cancel it altogether. I'll clip his nails myself this time",
        bookings=[boris],
        busy=busy_of(boris),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_move_to_a_day_then_its_time_asked_apart_is_read_whole() -> None:
    boris = booking_of("Boris", at(11, 15), "grooming", "b1")
    decision = await decide(
        "can boris's groom on friday move to saturday morning? half 9?",
        bookings=[boris],
        busy=busy_of(boris),
    )
    assert proposed(decision) == [("Boris", at(12, 9, 30))]


async def test_changed_from_a_check_up_to_just_his_booster_changes_the_service() -> None:
    hugo = booking_of("Hugo", at(9, 9, 30), "consultation", "b1")
    decision = await decide(
        "hi, about the appointment I just made for hugo, could you change it from a check up to "
        "just his booster? he's fine really, it's only the vaccination that's due",
        bookings=[hugo],
        busy=busy_of(hugo),
    )
    assert booked_as(decision) == [("Hugo", "vaccination")]


# -- sets 147-150: people, lists of pets, times said loosely ---------------------------------------


async def test_the_other_half_who_brings_the_cat_is_not_booked() -> None:
    decision = await decide(
        "my other half Max is going to bring our cat Olive in on thursday, she's been scratching "
        "her ear non stop. would 6pm work"
    )
    assert proposed(decision) == [("Olive", at(10, 18))]


async def test_a_family_named_is_not_a_pet() -> None:
    decision = await decide(
        "hi, this is Daisy, I'm pet sitting for the Martin family this week. Their dog Pancake "
        "has been limping since this morning, could I bring him in tomorrow afternoon, around 3?"
    )
    assert proposed(decision) == [("Pancake", at(8, 15))]


async def test_when_the_vet_rang_is_no_day_to_move_to() -> None:
    hazel = booking_of("Hazel", at(10, 10, 30), "consultation", "b1")
    decision = await decide(
        "Dr Lambert rang me this morning and said she'd rather see Hazel on wednesday instead of "
        "thursday, so she can do the bloods. Same time if possible?",
        bookings=[hazel],
        busy=busy_of(hazel),
    )
    assert proposed(decision) == [("Hazel", at(9, 10, 30))]


async def test_earlier_nine_maybe_is_nine_not_the_hour_ruled_out() -> None:
    ask = "can nutmeg come thursday 11am, she's off her food"
    first = await decide(ask)
    decision = await decide(
        "hmm no sorry could it be earlier, 9 maybe? I've just remembered I'm dropping the kids at "
        "10.30",
        history=[ask, first.reply],
        pending=pending_of_booking(first),
    )
    assert proposed(decision) == [("Nutmeg", at(10, 9))]


async def test_not_this_friday_but_the_one_after_is_that_friday() -> None:
    decision = await decide(
        "Hi, could Juno have a check up not this friday but the one after, the 18th? around 4:45. "
        "And do you send a reminder? I'm hopeless with dates 🙈"
    )
    assert proposed(decision) == [("Juno", at(18, 16, 45))]


async def test_the_latest_the_customer_can_do_is_no_pick_of_our_latest() -> None:
    ask = (
        "are you open at lunchtime? the only time I can do wednesday is about 1, for toby's "
        "check up"
    )
    first = await decide(ask)
    decision = await decide(
        "ok 12 then, thats the latest i can get out of work", history=[ask, first.reply]
    )
    assert proposed(decision) == [("Toby", at(9, 12))]


async def test_the_next_pet_with_a_word_for_a_name_gets_its_own_service() -> None:
    decision = await decide(
        "could salem have a check up and jinx her vaccine, both friday at 10.15? one trip with "
        "the carrier 😅"
    )
    assert booked_as(decision) == [("Salem", "consultation"), ("Jinx", "vaccination")]
    assert proposed(decision) == [("Salem", at(11, 10, 15)), ("Jinx", at(11, 10, 15))]


async def test_a_list_of_notes_each_pet_first_books_each() -> None:
    decision = await decide(
        "3 things pls 🙏 bramble dental wed 9am, fig her jabs wed at 11, and olive (rabbit) a "
        "check up thurs 5.30pm"
    )
    assert proposed(decision) == [
        ("Bramble", at(9, 9)),
        ("Fig", at(9, 11)),
        ("Olive", at(10, 17, 30)),
    ]


async def test_a_pet_named_like_a_day_is_the_pet() -> None:
    pablo = booking_of("Pablo", at(8, 17), "consultation", "b1")
    frida = booking_of("Frida", at(10, 17), "consultation", "b2")
    decision = await decide(
        "ah could frida come on the tuesday with pablo instead? same time as him. one trip is "
        "easier",
        bookings=[pablo, frida],
        busy=busy_of(pablo, frida),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Frida", at(8, 17))]


async def test_the_old_girl_and_the_pup_are_the_pets_described_before() -> None:
    ask = (
        "Hi! Dolly needs a dental and Peanut a check up, can both be done thursday morning? "
        "Dolly's our 10 yr old spaniel, peanut's the puppy"
    )
    first = await decide(ask)
    decision = await decide(
        "the old girl at half 8 and the pup at 10 if that works?", history=[ask, first.reply]
    )
    assert proposed(decision) == [("Dolly", at(10, 8, 30)), ("Peanut", at(10, 10))]
    assert booked_as(decision) == [("Dolly", "dental"), ("Peanut", "consultation")]


async def test_a_newcomer_at_the_same_time_joins_the_moved_visit() -> None:
    gizmo = booking_of("Gizmo", at(11, 14), "consultation", "b1")
    decision = await decide(
        "can gizmo's check up on friday move to monday next week at 2pm? and could ziggy come "
        "along for a nail trim at the same time, they're ferrets and hate being apart",
        bookings=[gizmo],
        busy=busy_of(gizmo),
    )
    assert proposed(decision) == [("Gizmo", at(14, 14)), ("Ziggy", at(14, 14))]


async def test_open_over_lunch_if_not_twelve_reads_the_twelve_back() -> None:
    decision = await decide(
        "Are you open over lunch? If so could I bring Hugo in at 1 on Thursday, it's the only "
        "time I can get away from the office. If not I suppose 12 would do"
    )
    assert "12:30" in decision.reply
    assert proposed(decision) == [("Hugo", at(10, 12))]


async def test_charged_for_changing_is_answered_beside_the_move() -> None:
    juniper = booking_of("Juniper", at(9, 9), "consultation", "b1")
    decision = await decide(
        "would I be charged for changing juniper's appointment? if not can we make it thursday "
        "instead, same time",
        bookings=[juniper],
        busy=busy_of(juniper),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert "no charge" in decision.reply


async def test_the_older_one_fine_at_her_time_keeps_her_booking() -> None:
    pumpkin = booking_of("Pumpkin", at(9, 16, 30), "vaccination", "b1")
    mabel = booking_of("Mabel", at(9, 16, 30), "consultation", "b2")
    ask = (
        "hello can our new puppy Pumpkin have his jabs and Mabel a check up, wednesday half 4? "
        "Mabel is 9 and has a lump on her side we want looked at"
    )
    decision = await decide(
        "hi again! could the puppy come in earlier instead, 3.30 ish? the older one's fine at "
        "4.30, it's just he gets car sick when the school traffic starts",
        bookings=[pumpkin, mabel],
        busy=busy_of(pumpkin, mabel),
        history=[ask, "Done: Pumpkin and Mabel are booked for Wednesday 9 December at 16:30."],
    )
    assert proposed(decision) == [("Pumpkin", at(9, 15, 30))]


async def test_the_day_a_pet_died_is_no_day_and_the_other_pet_is_booked() -> None:
    shadow = booking_of("Shadow", at(11, 11), "consultation", "b1")
    decision = await decide(
        "hi, sad news, we lost shadow on saturday 💔 can you cancel his appointment on friday "
        "please\nand while I'm at it misty is due her jab, could she come saturday at 11?",
        bookings=[shadow],
        busy=busy_of(shadow),
    )
    kinds = sorted((p.kind or "", p.subject) for p in decision.proposals)
    assert kinds == [("book", "Misty"), ("cancel", "Shadow")], decision.reply


async def test_a_pet_who_died_is_never_booked_a_new_visit() -> None:
    shadow = booking_of("Shadow", at(11, 11), "consultation", "b1")
    decision = await decide(
        "hi, sad news, we lost shadow on saturday 💔 can you cancel his appointment on friday "
        "please\nand while I'm at it could she come saturday at 11 for her jab?",
        bookings=[shadow],
        busy=busy_of(shadow),
    )
    assert all(not (p.kind == "book" and p.subject == "Shadow") for p in decision.proposals), (
        decision.reply
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_what_a_friend_bringing_the_pet_needs_is_answered_with_the_booking() -> None:
    lola = booking_of("Lola", at(11, 10, 30), "vaccination", "b1")
    decision = await decide(
        "hiya, my friend Inès is taking Lola to her jab on friday because I'm working. what does "
        "she need to bring with her? don't want her turning up without something important",
        bookings=[lola],
        busy=busy_of(lola),
    )
    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "booklet" in decision.reply and "10:30" in decision.reply


async def test_no_emergency_said_and_the_night_number_asked_books_the_visit() -> None:
    decision = await decide(
        "hugo has been limping since last night, doesnt seem like an emergency. whats the number "
        "if it gets worse overnight? and can he come in tomorrow at 6pm"
    )
    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert "99 00" in decision.reply
    assert proposed(decision) == [("Hugo", at(8, 18))]


async def test_cancel_their_two_cancels_both_pets_named() -> None:
    acorn = booking_of("Acorn", at(10, 16), "consultation", "b1")
    conker = booking_of("Conker", at(10, 16), "consultation", "b2")
    hazelnut = booking_of("Hazelnut", at(10, 16, 30), "consultation", "b3")
    decision = await decide(
        "acorn and conker are fine after all, it was only hazelnut with the runny nose. can you "
        "cancel their two and keep hazelnut's at half 4",
        bookings=[acorn, conker, hazelnut],
        busy=busy_of(acorn, conker, hazelnut),
    )
    assert sorted(p.booking_id or "" for p in decision.proposals) == ["b1", "b2"], decision.reply


async def test_the_kitten_and_the_old_man_are_the_pets_described_before() -> None:
    bean = booking_of("Bean", at(11, 11), "consultation", "b1")
    winston = booking_of("Winston", at(11, 11, 30), "consultation", "b2")
    decision = await decide(
        "hello, the kitten's much better so can we cancel hers on friday? still want the old man "
        "seen though, he's eating but not much",
        bookings=[bean, winston],
        busy=busy_of(bean, winston),
        history=[
            "hi can I book Bean, our 4 month old kitten, for a check up friday at 11, and Winston "
            "straight after? he's 14 and has gone off his food a bit",
            "Done: Bean is booked for Friday 11 December at 11:00 and Winston at 11:30.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_no_room_then_half_ten_books_half_ten() -> None:
    pebbles = booking_of("Pebbles", at(9, 10), "vaccination", "b1")
    scout = booking_of("Scout", at(9, 10), "vaccination", "b2")
    decision = await decide(
        "can Mango come along at 10 on wednesday as well with the other two for his jab? if "
        "there's no room then half 10 is fine",
        bookings=[pebbles, scout],
        busy=busy_of(pebbles, scout),
    )
    assert proposed(decision) == [("Mango", at(9, 10, 30))]


async def test_whether_to_bring_a_pets_booklet_is_answered_beside_a_cancel() -> None:
    hazel = booking_of("Hazel", at(9, 10), "vaccination", "b1")
    kiwi = booking_of("Kiwi", at(9, 10), "vaccination", "b2")
    decision = await decide(
        "only kiwi needs her jab on wednesday now, hazel had hers at the breeder so cancel "
        "hazel's pls. do I need to bring kiwi's booklet?",
        bookings=[hazel, kiwi],
        busy=busy_of(hazel, kiwi),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "booklet" in decision.reply
