"""Conversations played turn by turn in session 40 (the open ones of held-out sets 111–114 and
the sets written this session). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import AgentDecision, Intent
from tests.providers.test_local_agent_everyday import (
    at,
    decide,
    pending,
    pending_several,
    proposed,
)
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of


def services(decision: AgentDecision) -> dict[str, str | None]:
    """Each pet ``decision`` proposes to book → its service key."""
    return {p.subject: p.service for p in decision.proposals}


# -- a burst of list lines: each pet, its own visit, the day said short -------------------------

BURST = (
    "hey\n2 things\n1) coco needs her nails done\n"
    "2) peanut (hamster) hasnt been eating much, can someone look at him\n"
    "wed after 5 for both if poss\noh and do u even see hamsters lol"
)


async def test_a_listed_burst_books_each_pet_its_own_visit_on_the_day_said() -> None:
    decision = await decide(BURST)
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Coco", at(9, 17)), ("Peanut", at(9, 17))]
    # the unwell hamster is seen by a vet, not groomed with the other pet
    assert services(decision) == {"Coco": "grooming", "Peanut": "consultation"}
    assert "hamsters" in decision.reply  # "do u even see hamsters", answered


async def test_the_proposed_hour_said_for_both_is_a_yes() -> None:
    first = await decide(BURST)
    decision = await decide(
        "5 for both is perfect", pending=pending_several(first), history=[BURST, first.reply]
    )
    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_another_hour_said_for_both_is_no_yes() -> None:
    first = await decide(BURST)
    decision = await decide(
        "6 for both would be better", pending=pending_several(first), history=[BURST, first.reply]
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply


async def test_a_weekday_abbreviation_before_after_n_is_that_day() -> None:
    decision = await decide("can rex have a check up sat after 10")
    assert proposed(decision)[0][1].date() == at(12, 10).date(), decision.reply


async def test_a_pet_with_symptoms_beside_a_groomed_one_gets_a_consultation() -> None:
    decision = await decide(
        "Hi! Alfie needs his nails clipping and Marley keeps scratching his ears and shaking his "
        "head so probably needs to be looked at. Friday at 10.30 for both?"
    )
    assert services(decision) == {"Alfie": "grooming", "Marley": "consultation"}, decision.reply


# -- a cancellation and a move of one pet's two visits, in one message --------------------------


async def test_one_pets_visits_cancelled_and_moved_in_one_message() -> None:
    jab = booking_of("Archie", at(8, 11), "vaccination", "b1")
    nails = booking_of("Archie", at(12, 11), "grooming", "b2")
    decision = await decide(
        "can you cancel archie's nails on saturday and can his jab tomorrow be 11.30 instead "
        "of 11?",
        bookings=[jab, nails],
        busy=busy_of(jab, nails),
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    changes = {(p.kind, p.booking_id, p.slot_start) for p in decision.proposals}
    assert changes == {("reschedule", "b1", at(8, 11, 30)), ("cancel", "b2", at(12, 11))}


async def test_a_time_asked_instead_for_a_visit_named_by_its_service_is_a_move() -> None:
    jab = booking_of("Archie", at(8, 11), "vaccination", "b1")
    nails = booking_of("Archie", at(12, 11), "grooming", "b2")
    decision = await decide(
        "can his jab tomorrow be 11.30 instead of 11?",
        bookings=[jab, nails],
        busy=busy_of(jab, nails),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(8, 11, 30)


# -- questions answered beside a refusal and beside a loss --------------------------------------


async def test_a_price_asked_beside_a_closed_day_is_answered() -> None:
    decision = await decide(
        "r u open sundays? thumper and willow (rabbits) need their nails clipped and sunday "
        "morning is easiest for us. how much is it?"
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "closed on Sundays" in decision.reply
    assert "€35" in decision.reply and "€70" in decision.reply  # each, and for both


async def test_a_question_after_a_dash_beside_a_loss_is_answered() -> None:
    shadow = booking_of("Shadow", at(11, 14, 30), "consultation", "b1")
    tilly = booking_of("Tilly", at(11, 14, 30), "consultation", "b2")
    decision = await decide(
        "Hi, sadly we lost Shadow at the weekend 😢 so please cancel his appointment on Friday. "
        "Tilly will still come for hers – does she need to bring her vaccination booklet?",
        bookings=[shadow, tilly],
        busy=busy_of(shadow, tilly),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.reply.startswith("I'm so sorry for your loss.")
    assert "vaccination booklet" in decision.reply


async def test_the_latest_weekday_appointment_asked_is_answered() -> None:
    decision = await decide(
        "what's the latest appointment you do on weekdays? I don't get back into Paris til "
        "about 6 most days"
    )
    assert "18:30" in decision.reply, decision.reply


# -- a recheck a week after a visit -------------------------------------------------------------


async def test_a_recheck_a_week_after_a_visit_on_a_weekday_is_a_new_booking() -> None:
    visit = booking_of("Pickle", at(9, 10, 15), "consultation", "b1")
    decision = await decide(
        "Hi! the vet asked us to bring Pickle back a week after his appointment on wednesday for "
        "a recheck. could we book that now? same time the week after",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Pickle", at(16, 10, 15))]


async def test_bringing_a_pet_back_a_week_after_moves_nothing() -> None:
    visit = booking_of("Pickle", at(9, 10, 15), "consultation", "b1")
    decision = await decide(
        "the vet asked us to bring Pickle back a week after wednesday's appointment for a "
        "recheck, same time",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Pickle", at(16, 10, 15))]


async def test_a_move_said_for_the_week_after_still_moves() -> None:
    visit = booking_of("Pickle", at(9, 10, 15), "consultation", "b1")
    decision = await decide(
        "can we move pickle's appointment to the week after, same time?",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Pickle", at(16, 10, 15))]


# -- replies to offers worded by someone else (a marketer's template, a colleague) --------------

FULL_THURSDAY = [
    "hi can Archie come in on thursday at 10 for a check up?",
    "Sorry, Thursday 10 December at 10:00 is fully booked. I can offer 09:30, 11:00 or 11:30 "
    "that day.",
]


async def test_a_time_picked_after_saying_why_the_reply_was_late_is_booked() -> None:
    decision = await decide("sorry was driving. 11 is fine", history=FULL_THURSDAY)
    assert proposed(decision) == [("Archie", at(10, 11))], decision.reply


async def test_being_busy_now_still_turns_down_a_time() -> None:
    decision = await decide("im busy at 11", history=FULL_THURSDAY)
    assert decision.intent is not Intent.PROPOSE_BOOKING, decision.reply


async def test_a_day_alone_picks_the_one_time_offered_that_day() -> None:
    decision = await decide(
        "friday please 🙂",
        history=[
            "Could Bonnie have her nails done sometime this week?",
            "I can offer Thursday 10 December at 09:00 or 14:30, or Friday 11 December at 10:00 "
            "for Bonnie's grooming. Which would suit you?",
        ],
    )
    assert proposed(decision) == [("Bonnie", at(11, 10))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_time_picked_with_another_pet_at_the_same_time_books_both() -> None:
    decision = await decide(
        "17:00 please, and could his sister Mia have hers at the same time?",
        history=[
            "hi do you have anything tomorrow afternoon for Toby's booster?",
            "Tomorrow, Tuesday 8 December, I have 14:00, 15:15 or 17:00 for Toby's vaccination. "
            "Which would you like?",
        ],
    )
    assert sorted(proposed(decision)) == [("Mia", at(8, 17)), ("Toby", at(8, 17))]


SLOT_CAME_UP = (
    "Good news: a slot has come up on Wednesday 9 December at 15:00, earlier than Ruby's "
    "appointment on Friday 11 December at 16:00. Would you like to move Ruby to it? Reply YES to "
    "move, or NO to keep Friday."
)


async def test_yes_to_a_slot_offered_for_a_move_moves_there() -> None:
    ruby = booking_of("Ruby", at(11, 16), "consultation", "b1")
    for message in ("yes", "yes please!! the earlier the better, she's still scratching like mad"):
        decision = await decide(
            message, history=["hi", SLOT_CAME_UP], bookings=[ruby], busy=busy_of(ruby)
        )
        assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
        assert proposed(decision) == [("Ruby", at(9, 15))]


async def test_a_reminders_own_slot_is_no_slot_offered() -> None:
    luna = booking_of("Luna", at(9, 11), "consultation", "b1")
    reminder = (
        "Reminder: Luna has a consultation on Wednesday 9 December at 11:00. Reply C to cancel, "
        "R to reschedule."
    )
    decision = await decide("R", history=["hi", reminder], bookings=[luna], busy=busy_of(luna))
    assert decision.intent is Intent.CLARIFY, decision.reply  # asked where to, nothing proposed


async def test_which_of_two_times_asked_after_a_reminder_is_answered() -> None:
    simba = booking_of("Simba", at(7, 12), "consultation", "b1")
    reminder = (
        "Hi! A reminder from Rue des Lilas Veterinary Clinic: Simba has a consultation tomorrow, "
        "Monday 7 December, at 12:00. Reply to this message to confirm, move or cancel."
    )
    decision = await decide(
        "confirmed 👍\nwait is it 12 or half 12? my calendar says 12.30",
        history=["hi", reminder],
        bookings=[simba],
        busy=busy_of(simba),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "12:00" in decision.reply and "isn't possible" not in decision.reply


# -- names and times as chats write them ----------------------------------------------------------


async def test_a_name_with_its_apostrophe_left_out_is_the_pet() -> None:
    decision = await decide("hey r u open sat? need 2 get oreos nails done, 11ish ok?")
    assert proposed(decision) == [("Oreo", at(12, 11))], decision.reply


async def test_a_burst_names_the_pet_on_a_line_of_its_own() -> None:
    decision = await decide(
        "hiya\ncan u fit my dog in 2day\naftrnoon\n4ish?\nhes limpin a bit\nrolo"
    )
    assert proposed(decision) == [("Rolo", at(7, 16))], decision.reply


async def test_a_burst_names_the_pet_then_how_it_is() -> None:
    decision = await decide(
        "hiya\nneed to book my cat in\nnutmeg, shes been sick a few times since yesterday\n"
        "thursday afternoon any good? after 3 ideally"
    )
    assert proposed(decision)[0][0] == "Nutmeg", decision.reply


async def test_a_starred_hour_corrects_the_one_before() -> None:
    simba = booking_of("Simba", at(11, 15), "grooming", "b1")
    decision = await decide(
        "can u move simbas groom to sat\nat 10\n*11 sorry", bookings=[simba], busy=busy_of(simba)
    )
    assert proposed(decision) == [("Simba", at(12, 11))], decision.reply


async def test_the_day_said_with_instead_is_the_day_asked() -> None:
    rufus = booking_of("Rufus", at(10, 9), "dental", "b1")
    decision = await decide(
        "hello it's about Rufus his dental cleaning on Thursday morning something's come up at "
        "work and I can't drop him off on Thursday is there any chance we could do Friday "
        "instead at the same time thank you",
        bookings=[rufus],
        busy=busy_of(rufus),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rufus", at(11, 9))]


async def test_a_morning_ruled_out_keeps_its_day_for_the_afternoon() -> None:
    nala = booking_of("Nala", at(8, 10, 30), "vaccination", "b1")
    decision = await decide(
        "hi\nits about nala\ncant do tmrw morn anymore\ncan we do the aftrnoon instead\n3ish?",
        bookings=[nala],
        busy=busy_of(nala),
    )
    assert proposed(decision) == [("Nala", at(8, 15))], decision.reply


# -- pets told to be booked already are not booked again ----------------------------------------


async def test_pets_told_with_their_own_booking_are_not_booked_again() -> None:
    salem = booking_of("Salem", at(9, 15), "consultation", "b1")
    mittens = booking_of("Mittens", at(9, 15), "consultation", "b2")
    decision = await decide(
        "Hello! Could I book Clover (our rabbit) in for a nail trim on Wednesday at half past 3? "
        "Salem and Mittens are in at 3 so I'll be there anyway",
        bookings=[salem, mittens],
        busy=busy_of(salem, mittens),
    )
    assert proposed(decision) == [("Clover", at(9, 15, 30))], decision.reply


async def test_as_soon_as_the_other_pets_are_done_is_when_their_visits_end() -> None:
    duke = booking_of("Duke", at(12, 10), "grooming", "b1")
    daisy = booking_of("Daisy", at(12, 10), "grooming", "b2")
    first = (
        "Morning, Duke and Daisy are booked in for grooming on Saturday at 10. Could Tigger come "
        "at 10.30 for his vaccine while we're there?"
    )
    refused = await decide(first, bookings=[duke, daisy], busy=busy_of(duke, daisy))
    assert "isn't possible" in refused.reply
    decision = await decide(
        "Ok. Can he go in as soon as the dogs are done then?",
        history=[first, refused.reply],
        bookings=[duke, daisy],
        busy=busy_of(duke, daisy),
    )
    assert proposed(decision) == [("Tigger", at(12, 10, 45))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_the_next_one_after_that_is_the_first_time_offered_after_the_one_refused() -> None:
    salem = booking_of("Salem", at(9, 15), "consultation", "b1")
    mittens = booking_of("Mittens", at(9, 15), "consultation", "b2")
    first = (
        "Hello! Could I book Clover (our rabbit) in for a nail trim on Wednesday at quarter past "
        "3? Salem and Mittens are in at 3 so I'll be there anyway"
    )
    refused = await decide(first, bookings=[salem, mittens], busy=busy_of(salem, mittens))
    decision = await decide(
        "Oh I see. The next one after that then please",
        history=[first, refused.reply],
        bookings=[salem, mittens],
        busy=busy_of(salem, mittens),
    )
    assert proposed(decision) == [("Clover", at(9, 15, 30))], decision.reply


# -- the wrong actions of sets 116–118's first runs ----------------------------------------------


async def test_a_pet_still_coming_though_is_not_cancelled() -> None:
    oscar = booking_of("Oscar", at(11, 17), "consultation", "b1")
    leo = booking_of("Leo", at(11, 17), "consultation", "b2")
    decision = await decide(
        "hi it's Oscar and Leo's mum can you cancel Oscar's appointment on Friday please Leo "
        "still needs to come though he's the one with the sore paw",
        bookings=[oscar, leo],
        busy=busy_of(oscar, leo),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_pet_still_to_come_but_at_another_time_is_moved() -> None:
    max_ = booking_of("Max", at(8, 15), "consultation", "b1")
    bailey = booking_of("Bailey", at(8, 15), "vaccination", "b2")
    decision = await decide(
        "Bailey's booster was already done, please cancel hers. Max still needs to come but 3 "
        "o'clock is difficult for me now, could he come at 5 instead?",
        bookings=[max_, bailey],
        busy=busy_of(max_, bailey),
    )
    changes = {(p.kind, p.booking_id) for p in decision.proposals}
    assert changes == {("reschedule", "b1"), ("cancel", "b2")}, decision.reply


async def test_another_pet_during_the_same_visit_is_booked_for_that_pet() -> None:
    barney = booking_of("Barney", at(11, 17), "consultation", "b1")
    decision = await decide(
        "Hi, forgot to ask when I booked barney in - can our rabbit Smudge get her vaccine "
        "during the same visit? 🐰",
        bookings=[barney],
        busy=busy_of(barney),
    )
    assert proposed(decision) == [("Smudge", at(11, 17))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_pet_added_to_a_moved_visit_comes_at_the_new_time() -> None:
    pretzel = booking_of("Pretzel", at(8, 11, 30), "grooming", "b1")
    decision = await decide(
        "hi, about pretzel's groom tomorrow at 11.30 - could we move it to wednesday at the same "
        "time, and add his brother Waffle for a groom too? he's getting very fluffy",
        bookings=[pretzel],
        busy=busy_of(pretzel),
    )
    assert sorted(proposed(decision)) == [("Pretzel", at(9, 11, 30)), ("Waffle", at(9, 11, 30))]


async def test_a_time_picked_after_a_refused_move_moves_only_that_pet() -> None:
    max_ = booking_of("Max", at(9, 10), "consultation", "b1")
    ruby = booking_of("Ruby", at(9, 10), "consultation", "b2")
    luna = booking_of("Luna", at(9, 16), "consultation", "b3")
    decision = await decide(
        "oh right, didn't think of that. 10.30 then, after them?",
        history=[
            "Hi, is there any way Luna's appointment on Wednesday could be moved to 10 so she "
            "comes in with Max and Ruby? 4 o'clock doesn't work for us anymore",
            "Sorry, Wednesday 9 December at 10:00 isn't possible: that time is fully booked. I "
            "can offer Wednesday 9 December at 09:15, Wednesday 9 December at 09:30 or "
            "Wednesday 9 December at 10:30. Which would suit you?",
        ],
        bookings=[max_, ruby, luna],
        busy=busy_of(max_, ruby, luna),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b3"
    assert decision.proposal.slot_start == at(9, 10, 30)


async def test_another_dog_straight_after_a_booking_told_with_its_time() -> None:
    chester = booking_of("Chester", at(10, 14), "consultation", "b1")
    decision = await decide(
        "Chester's booked in thursday at 2. could I add my other dog Bean for a nail trim "
        "straight after? save me coming twice",
        bookings=[chester],
        busy=busy_of(chester),
    )
    assert proposed(decision) == [("Bean", at(10, 14, 30))], decision.reply


# -- busy days: another service, another bound, the last of those offered ----------------------


async def test_a_service_put_off_is_not_the_one_booked() -> None:
    first = "hiya can bruno come in for a groom tues at 6.30pm?"
    refused = await decide(first)
    assert "isn't possible" in refused.reply
    decision = await decide(
        "ahh ok. just do his booster at 6.30 then, the groom can wait lol",
        history=[first, refused.reply],
    )
    assert proposed(decision) == [("Bruno", at(8, 18, 30))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_the_earliest_they_can_get_there_is_the_time_asked() -> None:
    decision = await decide(
        "do u do evening appointments? can't get there before 7.30 on weds. it's for kiwi my "
        "budgie, just a check up"
    )
    assert "we close at 19:00" in decision.reply, decision.reply


async def test_the_latest_that_day_is_the_day_talked_about() -> None:
    decision = await decide(
        "ok, the latest you have that day then please, I'll leave work early",
        history=[
            "do u do evening appointments? it's for kiwi my budgie, just a check up, wednesday",
            "Yes, we're open on Wednesday 9 December, 08:30-12:30 and 14:00-19:00.",
        ],
    )
    assert proposed(decision) == [("Kiwi", at(9, 18, 30))], decision.reply


async def test_the_last_one_of_a_day_offered_is_the_last_offered_that_day() -> None:
    first = "Can Biscuit get his nails clipped Saturday at 3?"
    refused = await decide(first)
    decision = await decide(
        "ah ok. the last one saturday morning then", history=[first, refused.reply]
    )
    assert proposed(decision) == [("Biscuit", at(12, 12, 15))], decision.reply


async def test_as_early_as_you_can_on_a_day_is_that_days_first_time() -> None:
    first = "Can Biscuit get his nails clipped Sunday at 10?"
    refused = await decide(first)
    decision = await decide("saturday then, as early as you can", history=[first, refused.reply])
    assert proposed(decision) == [("Biscuit", at(12, 9))], decision.reply


# -- sets 119-122's first runs --------------------------------------------------------------------


async def test_each_pet_at_its_own_time_said_in_its_clause() -> None:
    decision = await decide(
        "hiya, two for saturday please: my sister's dog Ralph needs a groom at 10, and my dog "
        "Teddy needs his booster, can he come at 11?"
    )
    assert sorted(proposed(decision)) == [("Ralph", at(12, 10)), ("Teddy", at(12, 11))]


async def test_a_pet_staying_elsewhere_is_the_one_cancelled() -> None:
    mochi = booking_of("Mochi", at(8, 17, 30), "vaccination", "b1")
    tofu = booking_of("Tofu", at(8, 17, 30), "vaccination", "b2")
    decision = await decide(
        "hi, only tofu can come tomorrow, mochi is staying at my sister's this week. can you "
        "cancel mochi's one please? we'll do hers another time",
        bookings=[mochi, tofu],
        busy=busy_of(mochi, tofu),
    )
    assert decision.proposal is not None and decision.proposal.booking_id == "b1", decision.reply


async def test_a_pet_that_stays_at_its_time_is_kept() -> None:
    max_ = booking_of("Max", at(9, 14), "consultation", "b1")
    bella = booking_of("Bella", at(9, 14, 30), "consultation", "b2")
    decision = await decide(
        "oh wait can bella's be 3 instead? max stays at 2",
        bookings=[max_, bella],
        busy=busy_of(max_, bella),
    )
    assert proposed(decision) == [("Bella", at(9, 15))], decision.reply


RECALL = (
    "Woof! 🐶 It's that time of year again – Bruno is due his annual booster at Rue des Lilas "
    "Veterinary Clinic. Reply to this message and we'll get him booked in."
)


async def test_he_after_our_recall_is_the_pet_recalled() -> None:
    decision = await decide("ok can he come friday at 6pm", history=["hi", RECALL])
    assert proposed(decision) == [("Bruno", at(11, 18))], decision.reply
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_visit_asked_beside_no_need_for_the_recalled_one_is_booked() -> None:
    decision = await decide(
        "hi! he actually had it done in Lyon in September when we were staying there, so no need "
        "for that one. but can he have a check up on wednesday at 3? he's been scratching loads",
        history=[
            "hi",
            "Hi from Rue des Lilas Veterinary Clinic 🐾 Our records show Ziggy is due his yearly "
            "booster this month. Reply to this message to book a time that suits you!",
        ],
    )
    assert proposed(decision) == [("Ziggy", at(9, 15))], decision.reply


async def test_yes_with_another_pet_to_a_slot_offered_moves_and_books() -> None:
    willow = booking_of("Willow", at(11, 15), "consultation", "b1")
    offer = (
        "Hello from Rue des Lilas Vets! A check-up slot has come up tomorrow, Tuesday 8 "
        "December, at 10:00. Would you like to move Willow's check-up from Friday 11 December at "
        "15:00 to then? Reply YES to take it."
    )
    decision = await decide(
        "yes please! and could her brother Juniper come at the same time for a check up too? "
        "he's been sneezing",
        history=["hi", offer],
        bookings=[willow],
        busy=busy_of(willow),
    )
    changes = {(p.kind, p.subject, p.slot_start) for p in decision.proposals}
    assert changes == {("reschedule", "Willow", at(8, 10)), ("book", "Juniper", at(8, 10))}


async def test_a_campaigns_service_is_the_one_booked() -> None:
    campaign = (
        "🎄✂️ Christmas grooming at Rue des Lilas! Get your dog looking festive with a bath, trim "
        "and nail clip before the holidays 🐩 Reply with a day that suits and we'll find you a "
        "slot!"
    )
    decision = await decide(
        "can rolo come friday at 3pm? hes a cocker spaniel", history=["hi", campaign]
    )
    assert decision.proposal is not None and decision.proposal.service == "grooming", decision.reply


async def test_an_emergency_at_work_is_no_emergency_of_the_pet() -> None:
    milo = booking_of("Milo", at(7, 16), "consultation", "b1")
    decision = await decide(
        "so sorry, I can't make Milo's appointment this afternoon anymore, work emergency. can "
        "you cancel it?",
        bookings=[milo],
        busy=busy_of(milo),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "night service" not in decision.reply


async def test_the_night_number_asked_beside_a_cancellation_keeps_the_cancellation() -> None:
    gizmo = booking_of("Gizmo", at(11, 10, 15), "vaccination", "b1")
    decision = await decide(
        "need to cancel gizmo's jab on friday, we're going away last minute\nalso what's the "
        "number for emergencies out of hours? the sitter will have him",
        bookings=[gizmo],
        busy=busy_of(gizmo),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "night service" in decision.reply


async def test_a_fee_asked_beside_a_booking_keeps_the_booking() -> None:
    decision = await decide(
        "Hello, please book Benji in for a dental on friday at 2pm. If I need to cancel is there "
        "a fee? My shifts sometimes change last minute"
    )
    assert proposed(decision) == [("Benji", at(11, 14))], decision.reply
    assert "free of charge" in decision.reply


async def test_a_family_and_the_owners_named_are_no_pets() -> None:
    first = (
        "Hello, I'm pet sitting Bella (a springer spaniel) for the Martins this week. She's been "
        "scratching at her ear a lot, could I bring her in on Wednesday at 10.30?"
    )
    decision = await decide(first)
    assert proposed(decision) == [("Bella", at(9, 10, 30))], decision.reply


async def test_a_name_told_without_its_apostrophe_is_the_pet() -> None:
    decision = await decide(
        "hiya\nits for my nans dog not mine lol\nhes called biscuit\nhes been off his food a "
        "couple of days, can he be seen tmrw at half 2? ill be bringing him"
    )
    assert proposed(decision) == [("Biscuit", at(8, 14, 30))], decision.reply


# -- a pet's own booking that day is told, not offered again ---------------------------------------


async def test_what_to_bring_for_a_booked_visit_offers_no_other_time() -> None:
    pixel = booking_of("Pixel", at(8, 14), "consultation", "b1")
    decision = await decide(
        "Hi! It's Pixel's first ever vet visit tomorrow (she's a 10 week old kitten 🐱). is there "
        "anything I should bring?",
        bookings=[pixel],
        busy=busy_of(pixel),
    )
    assert decision.proposal is None and "What time" not in decision.reply, decision.reply
    assert "booklet" in decision.reply and "14:00" in decision.reply


async def test_keeping_a_booking_to_an_offer_offers_no_other_time() -> None:
    poppy = booking_of("Poppy", at(11, 10), "grooming", "b1")
    offer = (
        "Good news: a grooming slot has come up on Wednesday 9 December at 10:00. Would you like "
        "to move Poppy's grooming from Friday to then? Reply YES to move, or NO to keep Friday."
    )
    decision = await decide(
        "thanks but no, friday suits us better 😊 keep her where she is",
        history=["hi", offer],
        bookings=[poppy],
        busy=busy_of(poppy),
    )
    assert decision.proposal is None and "What time" not in decision.reply, decision.reply
    assert "10:00" in decision.reply


async def test_other_times_that_day_are_still_offered_beside_a_booking() -> None:
    shadow = booking_of("Shadow", at(10, 9), "consultation", "b1")
    decision = await decide(
        "what other times have you got on thursday afternoon? just so I know",
        bookings=[shadow],
        busy=busy_of(shadow),
    )
    assert "15:00" in decision.reply or "14:00" in decision.reply, decision.reply


# -- the wrong actions of sets 124 and 126's first runs --------------------------------------------


async def test_a_cancellation_corrected_to_another_pet_never_confirms_the_first() -> None:
    bruno = booking_of("Bruno", at(8, 15), "consultation", "b1")
    daisy = booking_of("Daisy", at(9, 15, 30), "consultation", "b2")
    first = await decide(
        "hi can you cancel bruno's appointment please",
        bookings=[bruno, daisy],
        busy=busy_of(bruno, daisy),
    )
    assert first.proposal is not None
    decision = await decide(
        "sorry sorry, I mean daisy's! bruno still needs to come in, it's daisy's we can't make",
        pending=pending("cancel", at(8, 15), subject="Bruno", booking_id="b1"),
        history=["hi can you cancel bruno's appointment please", first.reply],
        bookings=[bruno, daisy],
        busy=busy_of(bruno, daisy),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_move_corrected_to_another_pets_day_moves_that_one_there() -> None:
    max_ = booking_of("Max", at(8, 16), "grooming", "b1")
    ruby = booking_of("Ruby", at(9, 16), "grooming", "b2")
    decision = await decide(
        "no sorry, I mean max's one, the tuesday! ruby's stays as it is",
        pending=pending("reschedule", at(11, 16), subject="Ruby", booking_id="b2"),
        history=[
            "hi can we move the groom on wednesday to friday? same time",
            "I can move the appointment for Ruby from Wednesday 9 December at 16:00 to Friday 11 "
            "December at 16:00. Reply YES to confirm.",
        ],
        bookings=[max_, ruby],
        busy=busy_of(max_, ruby),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(11, 16)


async def test_the_familys_own_plans_are_no_time_asked() -> None:
    milo = booking_of("Milo", at(12, 10), "grooming", "b1")
    decision = await decide(
        "ah sorry just remembered the kids have swimming at 10, could you make it 11 instead?",
        history=[
            "book milo for a groom saturday at 10 please",
            "Done: Milo is booked for Saturday 12 December at 10:00.",
        ],
        bookings=[milo],
        busy=busy_of(milo),
    )
    assert proposed(decision) == [("Milo", at(12, 11))], decision.reply


async def test_a_service_scrapped_for_another_at_the_same_time() -> None:
    decision = await decide(
        "actually scrap the booster, just checked her booklet and it's not due till january 🙈 "
        "could she have a nail trim at the same time instead?",
        pending=pending("book", at(9, 10, 15), subject="Poppy", service="vaccination"),
        history=[
            "morning! could poppy have her booster wednesday at 10.15?",
            "I can book Wednesday 9 December at 10:15 for Poppy (vaccination). Reply YES to "
            "confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_one_of_three_at_the_later_time_the_others_at_the_time_asked() -> None:
    decision = await decide(
        "hi, I need to book all 3 of mine in for their vaccinations on saturday at 10. Pip and "
        "Thumper are rabbits and Hazel is a guinea pig 🐰🐰🐹 if you can't fit all 3 at 10 one of "
        "them can go at 10.15"
    )
    assert sorted(proposed(decision)) == [
        ("Hazel", at(12, 10, 15)),
        ("Pip", at(12, 10)),
        ("Thumper", at(12, 10)),
    ], decision.reply


async def test_a_booking_that_takes_a_place_freed_comes_after_the_cancellation() -> None:
    oscar = booking_of("Oscar", at(10, 17), "consultation", "b1")
    ollie = booking_of("Ollie", at(10, 17), "consultation", "b2")
    first = (
        "hi, oscar and ollie are in on thursday at 5. can nibbles (guinea pig) come too for a "
        "check up?"
    )
    refused = await decide(first, bookings=[oscar, ollie], busy=busy_of(oscar, ollie))
    decision = await decide(
        "ah. in that case take ollie off, he's fine now, and put nibbles in at 5 instead",
        history=[first, refused.reply],
        bookings=[oscar, ollie],
        busy=busy_of(oscar, ollie),
    )
    kinds_in_order = [(p.kind, p.subject) for p in decision.proposals]
    assert kinds_in_order == [("cancel", "Ollie"), ("book", "Nibbles")], decision.reply
