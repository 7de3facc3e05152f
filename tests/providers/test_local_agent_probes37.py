"""Conversations played turn by turn in session 37 (held-out sets 76, 80 and 82's open ones and
the sets written this session). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from switchboard.agent_models import Intent
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import at, decide, pending_several
from tests.providers.test_local_agent_everyday27_text import pending_of
from tests.providers.test_local_agent_probes33 import booking_of

_JUST_BOOKED = "Done: Juno is booked for Thursday 10 December at 17:00."


async def test_the_first_monday_of_next_month_is_no_1st_when_a_monday_is_booked() -> None:
    """Willow is booked on a Monday: "monday" in "the first monday of next month" is the
    Monday counted, not the booking's day (it had been read as Friday 1 January)."""
    willow = booking_of("Willow", at(14, 11), "consultation", "b1")

    decision = await decide(
        "could we push willow's check-up to the first monday of next month? same time",
        bookings=[willow],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    paris = datetime(2027, 1, 4, 11, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert decision.proposal.slot_start == paris


async def test_my_other_dog_too_asks_its_name_then_books_it_at_the_same_time() -> None:
    juno = booking_of("Juno", at(10, 17), "consultation", "b1")
    first = "hi, can I book a check-up for Juno on thursday at 5pm?"
    other = "and can my other dog come too? same time"

    asked = await decide(other, bookings=[juno], history=[first, _JUST_BOOKED])
    assert asked.intent is Intent.CLARIFY and "name" in asked.reply, asked.reply
    assert asked.proposal is None and not asked.proposals

    named = await decide(
        "his name's Pip", bookings=[juno], history=[first, _JUST_BOOKED, other, asked.reply]
    )
    assert named.intent is Intent.PROPOSE_BOOKING, named.reply
    assert named.proposal is not None
    assert (named.proposal.subject, named.proposal.slot_start) == ("Pip", at(10, 17))


async def test_a_booking_said_to_be_for_the_other_pet_is_given_to_it() -> None:
    bella = booking_of("Bella", at(10, 11), "consultation", "b1")

    decision = await decide(
        "oh wait sorry, it's Cleo who needs seeing, not Bella – Bella's fine. can you change it?",
        bookings=[bella],
        history=[
            "can I book a check-up for Bella on thursday at 11?",
            "Done: Bella is booked for Thursday 10 December at 11:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("cancel", "Bella", at(10, 11)),
        ("book", "Cleo", at(10, 11)),
    ]


async def test_other_times_that_afternoon_are_the_booked_days() -> None:
    shadow = booking_of("Shadow", at(10, 14), "consultation", "b1")

    decision = await decide(
        "what other times have you got that afternoon? just so I know",
        bookings=[shadow],
        history=[
            "could Shadow have a check-up on thursday at 2pm?",
            "Done: Shadow is booked for Thursday 10 December at 14:00.",
        ],
    )

    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert "Thursday 10 December" in decision.reply and "15:00" in decision.reply
    assert decision.proposal is None and not decision.proposals


async def test_later_in_the_day_after_4_is_that_day() -> None:
    """ "later in the day? after 4" (the "?" normalised away) had been read as "the day after",
    a Saturday afternoon we are closed."""
    rocky = booking_of("Rocky", at(11, 9, 30), "consultation", "b1")

    decision = await decide(
        "Hi, Rocky's check-up on Friday, could we push it to later in the day?\nafter 4 ideally",
        bookings=[rocky],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(11, 16)


async def test_which_of_two_days_a_booking_is_asked_is_looked_up() -> None:
    archie = booking_of("Archie", at(11, 11, 30), "consultation", "b1")

    for message in (
        "is archie's appointment friday or saturday?",
        "was archie's check up at 11 or 11.30?",
    ):
        decision = await decide(message, bookings=[archie])

        assert decision.intent is Intent.ASK_BOOKING, (message, decision.reply)
        assert "Friday 11 December at 11:30" in decision.reply


async def test_the_older_one_is_the_pet_said_to_be_older() -> None:
    decision = await decide(
        "Hi, two dogs here – Bruno is 13 and Pip's 2. Could the older one have a dental cleaning "
        "on saturday at 10, and Pip get his nails done at the same time?"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.slot_start, p.service) for p in decision.proposals} == {
        ("Bruno", at(12, 10), "dental"),
        ("Pip", at(12, 10), "grooming"),
    }


async def test_the_older_one_alone_is_booked_alone() -> None:
    decision = await decide(
        "hi, I have two cats, Simba who's 15 and Pearl who's 2. could the older one have a check "
        "up wednesday at 6.30pm? he's been drinking loads",
        bookings=[booking_of("Pearl", at(15, 10), "vaccination", "b1")],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Simba", at(9, 18, 30))


async def test_the_cat_is_the_pet_said_earlier_to_be_the_cat() -> None:
    pixel = booking_of("Pixel", at(9, 18), "consultation", "b1")
    rocco = booking_of("Rocco", at(9, 18), "consultation", "b2")

    decision = await decide(
        "hi, could we move the cat to thursday, same time? the dog can stay on wednesday",
        bookings=[pixel, rocco],
        history=["our cat is Pixel and Rocco is the dog", "Thanks! How can I help?"],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b1", at(10, 18))


async def test_a_new_time_for_a_move_of_both_refused_moves_both() -> None:
    """ "both of them thursday at 1pm?" is refused (the lunch closing); "ok 2pm then" moves
    both there (it had booked Jasper a new visit and left both bookings)."""
    bookings = [
        booking_of("Jasper", at(9, 11, 30), "consultation", "b1"),
        booking_of("Ruby", at(9, 11, 30), "consultation", "b2"),
    ]
    first = "hello, could both of them come thursday at 1pm instead of wednesday?"
    refused = await decide(first, bookings=bookings)
    assert refused.intent is Intent.CLARIFY, refused.reply

    decision = await decide("ok 2pm then", bookings=bookings, history=[first, refused.reply])

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.kind, p.booking_id, p.slot_start) for p in decision.proposals} == {
        ("reschedule", "b1", at(10, 14)),
        ("reschedule", "b2", at(10, 14)),
    }


async def test_two_pets_named_together_straight_after_a_third_come_together() -> None:
    poppy = booking_of("Poppy", at(8, 14), "consultation", "b1")
    first = (
        "hi, Poppy's booked tomorrow at 2 – could Willow and Mabel come with her at the same "
        "time? all three need check ups"
    )
    refused = await decide(first, bookings=[poppy])

    decision = await decide(
        "ok can willow and mabel go straight after her then, 2.30?",
        bookings=[poppy],
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Willow", at(8, 14, 30)),
        ("Mabel", at(8, 14, 30)),
    }


async def test_a_question_about_another_pets_booking_after_a_request_changes_nothing() -> None:
    ginger = booking_of("Ginger", at(8, 15, 30), "consultation", "b1")
    ruby = booking_of("Ruby", at(12, 9), "grooming", "b2")

    for message in (
        "pip needs his booster, could he come tomorrow at 9.30? oh and what time is ruby's groom "
        "on saturday?",
        "morning, couple of things for our lot\nginger's appt tomorrow afternoon, can that be "
        "wednesday at 3 instead?\nand pip needs his booster, could he come tomorrow at 9.30?\n"
        "oh and what time is ruby's groom on saturday? 🐶",
    ):
        decision = await decide(message, bookings=[ginger, ruby])

        proposed = decision.proposals or ([decision.proposal] if decision.proposal else [])
        assert ("Pip", at(8, 9, 30)) in {(p.subject, p.slot_start) for p in proposed}
        assert all(p.booking_id != "b2" for p in proposed), decision.reply
        assert "Saturday 12 December at 09:00" in decision.reply


async def test_can_it_be_for_another_pet_instead_of_the_one_read_back() -> None:
    """ "… can it be for Bear instead" to Teddy's groom read back had booked both."""
    asked = await decide("can I book a groom for Teddy thursday at 3.30")
    assert asked.proposal is not None

    decision = await decide(
        "actually no sorry, Teddy was done 2 weeks ago, it's Bear who looks like a yeti 😂 can it "
        "be for Bear instead",
        pending=pending_of(asked),
        history=["can I book a groom for Teddy thursday at 3.30", asked.reply],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Bear", at(10, 15, 30))


async def test_swap_it_to_another_pet_after_a_booking_gives_it_the_slot() -> None:
    rocky = booking_of("Rocky", at(8, 11), "consultation", "b1")

    decision = await decide(
        "ah hang on, it's actually Ziggy who's due. can you swap it to Ziggy?",
        bookings=[rocky],
        history=[
            "need a check up for Rocky tomorrow at 11",
            "Done: Rocky is booked for Tuesday 8 December at 11:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("cancel", "Rocky", at(8, 11)),
        ("book", "Ziggy", at(8, 11)),
    ]


async def test_claws_to_clip_are_a_groom_and_a_check_over_is_a_check_up() -> None:
    clip = await decide(
        "my cat Smudge's claws keep catching on the sofa 🙄 can you clip them for me? friday at 10?"
    )
    assert clip.proposal is not None, clip.reply
    assert (clip.proposal.subject, clip.proposal.service) == ("Smudge", "grooming")

    both = await decide(
        "Nala's due her yearly jabs, and she's been drinking loads of water lately so I'd like "
        "the vet to check her over too. thursday at 3pm?"
    )
    assert both.intent is Intent.PROPOSE_CHANGES, both.reply
    assert {p.service for p in both.proposals} == {"vaccination", "consultation"}


async def test_each_pets_service_is_kept_through_the_day_and_time_asked() -> None:
    history = [
        "hi, I'd like to book Simba in for a groom and Kiara for a check up, same day if possible",
        "Sure. Which day and time would you like for Simba and Kiara?",
        "tuesday next week?",
        "What time on Tuesday 15 December would you like for Simba and Kiara? I have 08:30, "
        "11:15, 15:45 or 18:30.",
    ]

    decision = await decide("both at 2pm?", history=history)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.service) for p in decision.proposals} == {
        ("Simba", "grooming"),
        ("Kiara", "consultation"),
    }


async def test_a_pet_well_again_is_asked_keep_or_cancel_and_another_may_take_the_slot() -> None:
    mocha = booking_of("Mocha", at(10, 9), "consultation", "b1")
    said = "hi! we've got an appointment for Mocha on thursday morning"

    looked_up = await decide(said, bookings=[mocha])
    assert looked_up.intent is Intent.ASK_BOOKING, looked_up.reply
    assert "Thursday 10 December at 09:00" in looked_up.reply

    well = "she's completely fine now, the eye thing cleared up on its own 🙌"
    asked = await decide(well, bookings=[mocha], history=[said, looked_up.reply])
    assert asked.intent is Intent.CLARIFY and "cancel" in asked.reply, asked.reply
    assert asked.proposal is None

    kept = await decide(
        "keep it", bookings=[mocha], history=[said, looked_up.reply, well, asked.reply]
    )
    assert kept.proposal is None and "Thursday 10 December at 09:00" in kept.reply

    given = await decide(
        "but Ginger has started scratching like crazy, could he have the slot instead?",
        bookings=[mocha],
        history=[said, looked_up.reply, well, asked.reply],
    )
    assert given.intent is Intent.PROPOSE_CHANGES, given.reply
    assert [(p.kind, p.subject, p.slot_start) for p in given.proposals] == [
        ("cancel", "Mocha", at(10, 9)),
        ("book", "Ginger", at(10, 9)),
    ]


async def test_is_the_puppy_thursday_or_friday_is_looked_up() -> None:
    bear = booking_of("Bear", at(11, 12), "vaccination", "b1")
    ginger = booking_of("Ginger", at(10, 12), "consultation", "b2")

    decision = await decide(
        "hi quick one, is the puppy thursday or friday? my partner thinks thursday 🙄",
        bookings=[bear, ginger],
        history=[
            "can I book our puppy Bear for his jab friday at 12 and Ginger (our cat) for a check "
            "up thursday at 12?",
            "Done: Bear on Friday 11 December at 12:00 and Ginger on Thursday 10 December at "
            "12:00.",
        ],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Friday 11 December at 12:00" in decision.reply
    assert "Ginger" not in decision.reply


async def test_what_weve_got_booked_this_week_lists_the_bookings() -> None:
    bookings = [
        booking_of("Luna", at(8, 16), "vaccination", "b1"),
        booking_of("Milo", at(10, 10, 30), "consultation", "b2"),
        booking_of("Oreo", at(12, 11), "grooming", "b3"),
    ]

    decision = await decide(
        "hi, can you tell me what we've got booked this week? lost track with the three of them 😅",
        bookings=bookings,
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert all(name in decision.reply for name in ("Luna", "Milo", "Oreo"))


async def test_what_to_do_if_worse_tonight_is_the_night_service_and_the_proposal_waits() -> None:
    asked = await decide("can pepper come tomorrow at 4.30?")
    assert asked.proposal is not None

    decision = await decide(
        "and if she gets worse tonight what do I do? you're closed at night right?",
        pending=pending_of(asked),
        history=["can pepper come tomorrow at 4.30?", asked.reply],
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "night service" in decision.reply and "Tuesday 8 December at 16:30" in decision.reply


async def test_what_to_do_if_poorly_on_a_closed_day_is_the_night_service() -> None:
    first = "are you open on 25/12? my dog max has had a dodgy tummy"
    closed = await decide(first)

    decision = await decide(
        "and if he gets poorly that day what do I do?", history=[first, closed.reply]
    )

    assert decision.proposal is None, decision.reply
    assert "night service" in decision.reply


async def test_not_this_weekday_but_the_one_after_is_a_week_later() -> None:
    decision = await decide(
        "can I book ziggy in for a check up, not this thursday but the one after, at 4.30?"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(17, 16, 30)


async def test_a_name_before_an_aside_in_brackets_is_the_pet() -> None:
    decision = await decide("can i book kiwi (she's a rabbit) in for a nail trim on friday at 10?")

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Kiwi", "grooming")


async def test_a_second_pet_in_lower_case_after_and_then_is_booked_straight_after() -> None:
    decision = await decide(
        "could peanut have her nails done saturday at 11 and then bella a check up straight "
        "after? only one of us can come so would be easier back to back"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.slot_start, p.service) for p in decision.proposals} == {
        ("Peanut", at(12, 11), "grooming"),
        ("Bella", at(12, 11, 45), "consultation"),
    }


async def test_its_two_names_in_a_burst_are_the_pets_not_the_writer() -> None:
    decision = await decide(
        "morning!\nneed to book the dogs in for their boosters\nit's Loki and Nala\n"
        "friday 9.30 if you've got it, both together"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Loki", at(11, 9, 30)),
        ("Nala", at(11, 9, 30)),
    }


async def test_can_a_pet_be_groomed_names_the_pet() -> None:
    decision = await decide(
        "hi can coco be groomed saturday sometime before 11? we're driving to my mum's at 11 🚗"
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Coco", "grooming")


async def test_two_pets_moved_together_into_a_window_later_that_day() -> None:
    bookings = [
        booking_of("Oreo", at(14, 10, 30), "consultation", "b1"),
        booking_of("Misty", at(14, 10, 30), "consultation", "b2"),
    ]

    decision = await decide(
        "Hi! Oreo and Misty are booked in on Monday the 14th at 10:30 – could they both go later "
        "that day, after 4? Still together please",
        bookings=bookings,
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.kind, p.booking_id, p.slot_start) for p in decision.proposals} == {
        ("reschedule", "b1", at(14, 16)),
        ("reschedule", "b2", at(14, 16)),
    }


async def test_another_service_the_week_after_at_the_same_time() -> None:
    archie = booking_of("Archie", at(9, 9), "consultation", "b1")

    decision = await decide(
        "he's due his booster too, could we do that the week after, same time?",
        bookings=[archie],
        history=[
            "Hi, can I book Archie in for a check-up on Wednesday at 9am?",
            "Done: Archie is booked for Wednesday 9 December at 09:00.",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Archie", at(16, 9))
    assert decision.proposal.service == "vaccination"


async def test_the_one_after_that_is_the_pets_next_booking_and_can_be_moved() -> None:
    bookings = [
        booking_of("Oreo", at(8, 16), "consultation", "b1"),
        booking_of("Oreo", at(11, 11, 30), "vaccination", "b2"),
    ]
    history = [
        "when is oreo booked in next?",
        "Your appointment for Oreo is on Tuesday 8 December at 16:00.",
    ]

    after = await decide("and the one after that?", bookings=bookings, history=history)
    assert after.intent is Intent.ASK_BOOKING, after.reply
    assert "Friday 11 December at 11:30" in after.reply

    moved = await decide(
        "can that one be 15 minutes later?",
        bookings=bookings,
        history=[*history, "and the one after that?", after.reply],
    )
    assert moved.intent is Intent.PROPOSE_RESCHEDULE, moved.reply
    assert moved.proposal is not None
    assert (moved.proposal.booking_id, moved.proposal.slot_start) == ("b2", at(11, 11, 45))


async def test_is_9_or_11_better_offers_both_and_the_later_one_is_11() -> None:
    first = "is 9 or 11 better for Oscar's groom on saturday?"
    offered = await decide(first)
    assert offered.proposal is None, offered.reply
    assert "09:00" in offered.reply and "11:00" in offered.reply

    decision = await decide("the later one", history=[first, offered.reply])

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Oscar", at(12, 11))


async def test_two_times_asked_for_a_move_are_offered_for_it() -> None:
    toby = booking_of("Toby", at(10, 11), "consultation", "b1")

    decision = await decide(
        "need to move toby's thursday appt, is friday 9.15 or 12 any good?", bookings=[toby]
    )

    assert decision.proposal is None, decision.reply
    assert "Friday 11 December at 09:15" in decision.reply
    assert "Friday 11 December at 12:00" in decision.reply


async def test_what_else_in_the_morning_to_an_offer_lists_that_mornings_times() -> None:
    first = "can Shadow come in for a dental friday at 12?"
    refused = await decide(first)
    assert refused.proposal is None

    decision = await decide(
        "can't do that, i work afternoons. what else is there in the morning?",
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Friday 11 December" in decision.reply and "10:30" in decision.reply


async def test_what_else_is_there_to_an_offer_is_no_move_of_other_bookings() -> None:
    bookings = [
        booking_of("Tigger", at(10, 15), "consultation", "b1"),
        booking_of("Smudge", at(10, 15), "consultation", "b2"),
    ]
    busy = [Busy(booking_id=b.id, start=b.slot_start, end=at(10, 15, 30)) for b in bookings]
    first = "hi! can Ginger come on thursday at 3 as well, same as the other two?"
    refused = await decide(first, bookings=bookings, busy=busy)
    assert refused.proposal is None, refused.reply

    decision = await decide(
        "what else is there?", bookings=bookings, busy=busy, history=[first, refused.reply]
    )

    assert "Which appointment should I move" not in decision.reply, decision.reply
    assert "Thursday 10 December" in decision.reply


async def test_the_earliest_but_not_today_is_from_tomorrow() -> None:
    decision = await decide(
        "what's the earliest you've got for a nail trim for Cleo? can't do today though"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(8, 8, 30)


async def test_bring_it_forward_whatevers_soonest_is_the_first_free_time_from_now() -> None:
    daisy = booking_of("Daisy", at(17, 10), "consultation", "b1")

    decision = await decide(
        "hi, daisy's booked in on the 17th\nshe's been off her food since saturday though and "
        "I'd rather not wait that long – can we bring it forward? whatever's soonest",
        bookings=[daisy],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(7, 10)


async def test_the_first_saturday_slot_is_proposed() -> None:
    decision = await decide("whats the first saturday slot you have for a dental for Peanut?")

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(12, 9), "dental")


async def test_a_recheck_two_weeks_after_the_visit_said_at_the_same_time() -> None:
    honey = booking_of("Honey", at(8, 10, 30), "consultation", "b1")

    decision = await decide(
        "hi, honey's coming in tomorrow at 10.30 for her ear – the vet said last time she'd need "
        "a recheck 2 weeks after that, same time if poss. could you book that in now?",
        bookings=[honey],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(22, 10, 30)


async def test_the_same_time_another_day_moves_the_booking_at_its_time() -> None:
    kiwi = booking_of("Kiwi", at(9, 14, 30), "consultation", "b1")
    first = (
        "wednesday's not going to work for kiwi anymore unfortunately, have you got the same "
        "time another day this week?"
    )

    offered = await decide(first, bookings=[kiwi])
    assert offered.intent is Intent.PROPOSE_RESCHEDULE, offered.reply
    assert offered.proposal is not None
    assert offered.proposal.slot_start == at(8, 14, 30)

    decision = await decide(
        "friday please",
        bookings=[kiwi],
        pending=pending_of(offered),
        history=[first, offered.reply],
    )
    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(11, 14, 30)


async def test_dont_cancel_it_is_no_cancellation_and_the_time_asked_is_said() -> None:
    simba = booking_of("Simba", at(10, 11), "consultation", "b1")

    decision = await decide(
        "no!! don't cancel it 😳 I only wanted to check what time it was",
        bookings=[simba],
        history=[
            "hi about simba's appt on thursday",
            "I can cancel the appointment for Simba on Thursday 10 December at 11:00. Shall I go "
            "ahead?",
        ],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.proposal is None
    assert "Thursday 10 December at 11:00" in decision.reply


async def test_dont_cancel_to_a_cancellation_read_back_declines_it() -> None:
    gizmo = booking_of("Gizmo", at(10, 17), "consultation", "b1")
    asked = await decide("cancel gizmo's thursday appt please", bookings=[gizmo])
    assert asked.intent is Intent.PROPOSE_CANCEL, asked.reply

    decision = await decide(
        "no wait\ndon't cancel\nmy husband can take him after all",
        bookings=[gizmo],
        pending=pending_of(asked),
        history=["cancel gizmo's thursday appt please", asked.reply],
    )

    assert decision.intent is Intent.DECLINE, decision.reply


async def test_i_meant_3_not_5_after_the_booking_moves_it() -> None:
    teddy = booking_of("Teddy", at(10, 17), "consultation", "b1")

    decision = await decide(
        "oh no wait I typed that wrong, I meant 3 not 5 – sorry!",
        bookings=[teddy],
        history=[
            "can teddy have a check up on thursday at 5?",
            "Done: Teddy is booked for Thursday 10 December at 17:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b1", at(10, 15))


async def test_sorry_meant_pm_after_4am_refused_is_4pm() -> None:
    first = "can rocky have his jab wed at 4am"
    refused = await decide(first)
    assert refused.proposal is None, refused.reply

    for message in ("sorry meant pm", "pm sorry"):
        decision = await decide(message, history=[first, refused.reply])

        assert decision.proposal is not None, (message, decision.reply)
        assert decision.proposal.slot_start == at(9, 16)


async def test_one_pets_service_corrected_in_several_read_back_is_proposed_again() -> None:
    asked = await decide("hello, could I bring Ziggy and Kiki for check-ups on friday at 4pm?")
    assert asked.intent is Intent.PROPOSE_CHANGES

    decision = await decide(
        "not quite – Kiki's just coming for her vaccination, it's only Ziggy who needs the "
        "check-up",
        pending=pending_several(asked),
        history=[
            "hello, could I bring Ziggy and Kiki for check-ups on friday at 4pm?",
            asked.reply,
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.service) for p in decision.proposals} == {
        ("Ziggy", "consultation"),
        ("Kiki", "vaccination"),
    }


async def test_a_new_pets_time_after_a_refusal_books_it_not_a_move_of_the_host() -> None:
    bookings = [
        booking_of("Bella", at(9, 11), "consultation", "b1"),
        booking_of("Hazel", at(9, 11), "consultation", "b2"),
    ]
    busy = [Busy(booking_id=b.id, start=b.slot_start, end=at(9, 11, 30)) for b in bookings]
    first = "could Pip come with Bella on wednesday, same time as hers? just a check up"
    refused = await decide(first, bookings=bookings, busy=busy)
    assert refused.proposal is None, refused.reply

    decision = await decide(
        "11.30 then please", bookings=bookings, busy=busy, history=[first, refused.reply]
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Pip", at(9, 11, 30))


async def test_cancel_but_still_need_the_jab_spares_the_jab() -> None:
    bookings = [
        booking_of("Milo", at(14, 11), "vaccination", "b1"),
        booking_of("Milo", at(10, 14), "consultation", "b2"),
    ]

    decision = await decide(
        "hi, can you cancel the one I booked yesterday? his eye has cleared up. still need the "
        "jab though",
        bookings=bookings,
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_back_to_the_original_time_is_the_time_before_the_move() -> None:
    rex = booking_of("Rex", at(9, 15), "consultation", "b1")

    decision = await decide(
        "hi again, can we put rex back to the original time on wednesday after all?",
        bookings=[rex],
        history=[
            "can rex have a check-up wednesday at 10?",
            "Done: Rex's check-up on Wednesday 9 December at 10:00.",
            "can we move rex to 3pm on wednesday instead? work thing",
            "Done: Rex's check-up moved to Wednesday 9 December at 15:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(9, 10)


async def test_same_as_last_time_is_the_visit_our_messages_confirmed() -> None:
    decision = await decide(
        "hi! can max come in for the same as last time? thursday at 10 if poss 🐶",
        history=[
            "hi could max get a groom on monday at 10? he's looking like a yeti",
            "Done: Max's grooming on Monday 2 November at 10:00. See you then!",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.service) == ("Max", "grooming")
    assert decision.proposal.slot_start == at(10, 10)
