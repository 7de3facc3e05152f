"""Conversations played turn by turn in session 38 (held-out sets 87–88's open ones and the sets
written this session, 91–94). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import BookingView, Intent
from switchboard.availability import Busy
from switchboard.business import load_profile
from switchboard.understanding import answers
from switchboard.understanding.text import normalise
from tests.providers.test_local_agent_everyday import at, decide, pending
from tests.providers.test_local_agent_everyday27_text import pending_of
from tests.providers.test_local_agent_probes33 import booking_of


def busy_of(*bookings: BookingView) -> list[Busy]:
    """The calendar ``bookings`` fill, each for its service's length."""
    profile = load_profile()
    return [
        Busy(
            booking_id=b.id,
            start=b.slot_start,
            end=b.slot_start + timedelta(minutes=profile.service(b.service).duration_minutes),
        )
        for b in bookings
    ]


_TIMES_ASKED = (
    "What time on Saturday 12 December would you like for Biscuit? I have 09:00, 10:00, 10:45 "
    "or 11:45."
)


async def test_the_same_day_and_time_as_another_pets_booking_is_its_slot() -> None:
    bella = booking_of("Bella", at(10, 15), "consultation", "b1")

    decision = await decide(
        "hi! can Coco have her jabs at the same day and time as bella's? I'll bring them together",
        bookings=[bella],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Coco", at(10, 15))
    assert decision.proposal.service == "vaccination"


async def test_a_move_to_the_same_day_and_time_as_another_pets_booking() -> None:
    juno = booking_of("Juno", at(10, 11, 30), "consultation", "b1")
    nugget = booking_of("Nugget", at(11, 9), "consultation", "b2")

    decision = await decide(
        "can you move nugget's appointment to the same day and time as juno's? then I only "
        "have to come in once 🙏",
        bookings=[juno, nugget],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b2"
    assert decision.proposal.slot_start == at(10, 11, 30)


async def test_whatever_the_other_pet_is_having_is_its_service_and_slot() -> None:
    hugo = booking_of("Hugo", at(11, 14), "vaccination", "b1")

    decision = await decide(
        "can lola have whatever hugo's having on friday, same time? they're from the same litter",
        bookings=[hugo],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Lola", at(11, 14))
    assert decision.proposal.service == "vaccination"


async def test_a_pet_named_after_a_greeting_line_of_a_burst_is_named() -> None:
    """ "hi" / "pixel's been sneezing …": read whole, "hi pixel" had greeted someone."""
    decision = await decide(
        "hi\npixel's been sneezing all weekend and her eyes are a bit gunky\ncan she be seen? "
        "whatever's soonest"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.subject == "Pixel"


async def test_a_name_said_alone_in_a_burst_is_still_the_pet() -> None:
    decision = await decide("hiya\nneed to book\nluna\njab\nthurs\n10.15?")

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Luna", at(10, 10, 15))


async def test_a_booster_weeks_after_her_first_one_counts_from_the_booked_jab() -> None:
    misty = booking_of("Misty", at(9, 9, 30), "vaccination", "b1")

    decision = await decide(
        "the vet said misty will need a booster 4 weeks after her first one – can we book that "
        "now? same time of day",
        bookings=[misty],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    paris = datetime(2027, 1, 6, 9, 30, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert decision.proposal.slot_start == paris


async def test_only_the_other_pet_coming_now_books_nothing_new() -> None:
    """It had proposed a visit for Fred today beside Wilma's cancellation: a wrong action."""
    fred = booking_of("Fred", at(10, 15), "consultation", "b1")
    wilma = booking_of("Wilma", at(10, 15), "consultation", "b2")

    decision = await decide(
        "can you cancel Wilma's appointment on thursday? only Fred needs to come in now",
        bookings=[fred, wilma],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert not decision.proposals


async def test_a_pet_before_what_is_hers_however_autocorrected_is_named() -> None:
    decision = await decide("luna needs her vacation shot tues 11am?\n*vaccine lol autocorrect")

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Luna", at(8, 11))


async def test_digits_run_together_answer_which_time() -> None:
    decision = await decide(
        "930 is gd",
        history=["any chance of a groom for biscuit this wknd? sat am pref", _TIMES_ASKED],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(12, 9, 30)
    assert decision.proposal.service == "grooming"


async def test_a_price_is_no_time() -> None:
    decision = await decide("150 is ok", history=["how much is a dental?", "A dental is €120."])

    assert decision.proposal is None, decision.reply


async def test_not_that_its_urgent_is_no_emergency() -> None:
    decision = await decide(
        "Not that it's urgent, but Luna's been sneezing a bit the last couple of days. Would "
        "there be anything tomorrow morning at all? Around 10 would suit"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Luna", at(8, 10))


async def test_would_you_mind_cancelling_hers_cancels_hers_only() -> None:
    milo = booking_of("Milo", at(12, 11), "consultation", "b1")
    maisie = booking_of("Maisie", at(12, 11), "consultation", "b2")

    decision = await decide(
        "I'm afraid Maisie won't be able to make Saturday after all – would you mind cancelling "
        "hers? Milo's still coming",
        bookings=[milo, maisie],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_not_cancelling_or_anything_cancels_nothing() -> None:
    rosie = booking_of("Rosie", at(10, 16), "consultation", "b1")

    decision = await decide(
        "not cancelling or anything but what happens if we're a bit late on thursday?",
        bookings=[rosie],
    )

    assert decision.intent is not Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is None


async def test_still_alright_for_a_day_says_the_booking() -> None:
    ruby = booking_of("Ruby", at(12, 9, 30), "grooming", "b1")

    decision = await decide(
        "Hiya, just checking we're still alright for Ruby on Saturday? Haven't had a reminder "
        "through yet",
        bookings=[ruby],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "09:30" in decision.reply and decision.proposal is None


async def test_what_to_do_if_the_pet_is_poorly_when_shut_is_the_night_service() -> None:
    for message in (
        "I hope I never need it, but what would I do if Scout took poorly on a Sunday when "
        "you're shut?",
        "what do we do if bella gets sick on a sunday?",
    ):
        decision = await decide(message)

        assert decision.intent is Intent.ANSWER, decision.reply
        assert "99 00" in decision.reply and decision.proposal is None


async def test_a_lone_time_after_a_move_asked_is_its_time() -> None:
    rosie = booking_of("Rosie", at(11, 17), "consultation", "b1")

    decision = await decide(
        "friday evening doesn't work anymore for rosie 😕 could she come saturday morning "
        "instead? 10ish",
        bookings=[rosie],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(12, 10)


async def test_how_long_a_named_service_takes_is_its_own_length() -> None:
    """Cleo's booked consultation had been answered for "how long does a dental clean take?"."""
    cleo = booking_of("Cleo", at(10, 14), "consultation", "b1")

    decision = await decide(
        "how long does a dental clean take? the vet mentioned cleo might need one",
        bookings=[cleo],
    )

    assert "60 minutes" in decision.reply, decision.reply
    assert "30 minutes" not in decision.reply


async def test_how_long_will_she_be_after_her_booking_was_said_is_its_length() -> None:
    coco = booking_of("Coco", at(12, 11, 30), "grooming", "b1")

    decision = await decide(
        "and how long will she be? need to plan my morning",
        bookings=[coco],
        history=[
            "when is coco's next appointment?",
            "Your appointment for Coco is on Saturday 12 December at 11:30.",
        ],
    )

    assert "45 minutes" in decision.reply, decision.reply


async def test_a_pet_with_nothing_booked_is_said_first() -> None:
    shadow = booking_of("Shadow", at(8, 14, 30), "vaccination", "b1")

    decision = await decide(
        "does poppy have anything booked this week? i thought her booster was due",
        bookings=[shadow],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith("Nothing is booked for Poppy.")
    assert decision.proposal is None


async def test_a_clash_with_the_booking_just_said_moves_it() -> None:
    """It had booked a second visit at 18:00 and left the 10:00 one."""
    oreo = booking_of("Oreo", at(11, 10), "consultation", "b1")

    decision = await decide(
        "ah that clashes with work. anything after 5 that day?",
        bookings=[oreo],
        history=[
            "when's oreo booked in again?",
            "Your appointment for Oreo is on Friday 11 December at 10:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(11, 17)


async def test_one_after_his_check_up_is_the_service_just_answered_when_it_ends() -> None:
    scout = booking_of("Scout", at(12, 9), "consultation", "b1")

    decision = await decide(
        "ok. could scout have one on saturday after his check up then? we need to be gone by 11",
        bookings=[scout],
        history=["how long does a groom take?", "A grooming takes 45 minutes (€35)."],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(12, 9, 30)
    assert decision.proposal.service == "grooming"


async def test_cancel_the_one_after_his_groom_adds_nothing() -> None:
    kiwi_groom = booking_of("Kiwi", at(10, 10), "grooming", "b1")
    kiwi_check = booking_of("Kiwi", at(10, 11, 45), "consultation", "b2")

    decision = await decide(
        "please cancel the one after kiwi's groom, the groom itself is still on",
        bookings=[kiwi_groom, kiwi_check],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_small_pet_asked_about_is_answered_yes_without_the_price_list() -> None:
    for message, animal in (
        ("do you see guinea pigs?", "guinea pigs"),
        ("do u do rabbits", "rabbits"),
        ("hi, do you treat hamsters? my son's hamster peanut has a lump", "hamsters"),
    ):
        decision = await decide(message)

        assert decision.reply.startswith(f"Yes, we see {animal}."), decision.reply
        assert "€" not in decision.reply


async def test_a_bird_is_not_said_to_be_seen_unless_the_policy_names_it() -> None:
    decision = await decide("do you see parrots?")

    assert not decision.reply.startswith("Yes"), decision.reply


def test_a_small_pet_the_policy_leaves_out_gets_no_yes() -> None:
    profile = load_profile()
    cats_and_dogs = profile.model_copy(
        update={"policies": {**profile.policies, "animals": "We see cats and dogs only."}}
    )

    said = answers.answer(normalise("do you see hamsters?"), cats_and_dogs)

    assert said == "We see cats and dogs only."


async def test_leave_it_to_a_cancellation_read_back_keeps_the_booking() -> None:
    honey = booking_of("Honey", at(10, 10), "grooming", "b1")
    asked = await decide("i think i need to cancel honey's groom on thursday", bookings=[honey])
    assert asked.intent is Intent.PROPOSE_CANCEL, asked.reply

    decision = await decide(
        "actually no leave it, i'll make it work. sorry!",
        bookings=[honey],
        pending=pending("cancel", slot=at(10, 10), subject="Honey", booking_id="b1"),
        history=["i think i need to cancel honey's groom on thursday", asked.reply],
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert decision.action_id == "act-1"


async def test_leave_it_to_a_booking_read_back_asks_nothing_more() -> None:
    asked = await decide("can i book oscar in thurs 9am for a vacination")
    assert asked.intent is Intent.PROPOSE_BOOKING, asked.reply

    decision = await decide(
        "oh wait no hes not due til january, leave it thx",
        pending=pending_of(asked),
        history=["can i book oscar in thurs 9am for a vacination", asked.reply],
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert "What day and time" not in decision.reply


async def test_another_day_asked_keeps_the_part_of_the_day_said_before() -> None:
    first = (
        "hi, can I get an appointment for Maple next week? she's due her booster. mornings are "
        "best for me"
    )
    asked = await decide(first)
    assert asked.reply.startswith("What time on Monday 14 December"), asked.reply

    decision = await decide("tuesday?", history=[first, asked.reply])

    times = decision.reply.split("I have ")[1]
    assert decision.reply.startswith("What time on Tuesday 15 December"), decision.reply
    assert all(int(t[:2]) < 13 for t in re.findall(r"\d{2}:\d{2}", times)), decision.reply


async def test_the_pet_named_with_a_day_and_time_answering_which_one_is_moved_there() -> None:
    """ "olive - thursday at 3" had proposed a second booking for Olive."""
    olive = booking_of("Olive", at(8, 15), "consultation", "b1")
    noodle = booking_of("Noodle", at(10, 11), "grooming", "b2")
    first = "hi i need to move the appointment, something's come up at work"
    asked = await decide(first, bookings=[olive, noodle])
    assert asked.reply.startswith("Which appointment should I move"), asked.reply

    for answer in ("Olive's. thursday same time if you can", "olive - thursday at 3"):
        decision = await decide(answer, bookings=[olive, noodle], history=[first, asked.reply])

        assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
        assert decision.proposal is not None and decision.proposal.booking_id == "b1"
        assert decision.proposal.slot_start == at(10, 15)


async def test_an_unwell_pet_is_heard_before_the_times() -> None:
    decision = await decide(
        "hi bodhi's been sick 3 times since last night and won't eat anything 😟 can he be seen "
        "today?"
    )

    assert decision.reply.startswith("Sorry to hear Bodhi isn't well."), decision.reply


async def test_a_person_unwell_is_no_pet_unwell() -> None:
    decision = await decide(
        "my husband is poorly so can I book max in for a checkup on friday at 10?"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert "isn't well" not in decision.reply


_LUNCH_REFUSED = (
    "Sorry, Tuesday 8 December at 13:00 isn't possible: we're closed from 12:30 to 14:00. I can "
    "offer Tuesday 8 December at 12:00, Tuesday 8 December at 12:15 or Tuesday 8 December at "
    "14:00. Which would suit you?"
)


async def test_the_closest_to_the_time_refused_is_the_nearest_offered() -> None:
    kiwi = booking_of("Kiwi", at(8, 10), "vaccination", "b1")

    decision = await decide(
        "what's the closest you've got to 1?",
        bookings=[kiwi],
        history=[
            "hiya can i move kiwi's jab to 1pm on tuesday? i'm on my lunch break",
            _LUNCH_REFUSED,
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(8, 12, 15)


async def test_earliest_next_week_after_a_closed_day_is_that_weeks_first_time() -> None:
    first = "Can Bruno have his teeth cleaning done this Sunday? Weekdays are hard for me"
    refused = await decide(first)
    assert refused.reply.startswith("Sorry, we're closed on Sundays."), refused.reply

    decision = await decide("earliest next week then", history=[first, refused.reply])

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.subject == "Bruno"  # (not "Bruno and Weekdays")
    assert decision.proposal.slot_start == at(14, 8, 30)
    assert decision.proposal.service == "dental"


async def test_hers_done_too_is_the_booked_pets_service() -> None:
    peanut = booking_of("Peanut", at(12, 10), "grooming", "b1")
    pretzel = booking_of("Pretzel", at(12, 10), "grooming", "b2")
    first = (
        "Hi! Peanut and Pretzel are in for their nails on Saturday at 10, could Hazel get hers "
        "done at 10 too? 🐹"
    )
    busy = busy_of(peanut, pretzel)
    refused = await decide(first, bookings=[peanut, pretzel], busy=busy)
    assert "fully booked" in refused.reply, refused.reply
    later = await decide(
        "anything later?", bookings=[peanut, pretzel], busy=busy, history=[first, refused.reply]
    )

    decision = await decide(
        "11 then",
        bookings=[peanut, pretzel],
        busy=busy,
        history=[first, refused.reply, "anything later?", later.reply],
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Hazel", "grooming")


async def test_straight_after_theirs_to_a_refused_move_moves_it() -> None:
    """It had booked Ziggy a second time at 15:30 and kept his 09:00."""
    ziggy = booking_of("Ziggy", at(11, 9), "consultation", "b1")
    rocky = booking_of("Rocky", at(11, 15), "consultation", "b2")
    lola = booking_of("Lola", at(11, 15), "consultation", "b3")
    first = "Hi, could Ziggy's appointment on Friday be moved to 3pm so I can bring all 3 at once?"
    busy = busy_of(ziggy, rocky, lola)
    refused = await decide(first, bookings=[ziggy, rocky, lola], busy=busy)
    assert "fully booked" in refused.reply, refused.reply

    decision = await decide(
        "ok straight after theirs then",
        bookings=[ziggy, rocky, lola],
        busy=busy,
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(11, 15, 30)


async def test_a_day_of_the_month_after_a_refused_far_day_is_in_that_month_and_moves() -> None:
    """It had booked Monday 1 February as a second visit (a wrong action)."""
    pip = booking_of("Pip", at(17, 10), "vaccination", "b1")
    first = (
        "Hi, Pip's booster is booked for Thursday the 17th but turns out he isn't due till March "
        "🙈 can we push it to the 12th of March?"
    )
    refused = await decide(first, bookings=[pip])
    assert "90 days" in refused.reply, refused.reply

    decision = await decide(
        "ah ok. Monday the 1st then? 10am is fine", bookings=[pip], history=[first, refused.reply]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    paris = datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert decision.proposal.slot_start == paris


async def test_a_service_checked_after_the_booking_is_answered() -> None:
    biscuit = booking_of("Biscuit", at(11, 14), "grooming", "b1")
    history = [
        "Hello! Can I book a grooming for Biscuit on Friday at 2pm?",
        "I can book Friday 11 December at 14:00 for Biscuit (grooming). Reply YES to confirm.",
        "Yes",
        "Done: Biscuit is booked for Friday 11 December at 14:00.",
    ]

    said = await decide(
        "Just to check, is that the one with the nail trim? Her nails are clicking on the floor",
        bookings=[biscuit],
        history=history,
    )
    other = await decide("is that for her teeth too?", bookings=[biscuit], history=history)

    assert said.intent is Intent.ASK_BOOKING and said.reply.startswith("Yes"), said.reply
    assert "nail trim" in said.reply and said.proposal is None
    assert other.reply.startswith("No:") and "grooming" in other.reply, other.reply


async def test_what_did_we_book_names_the_service() -> None:
    misty = booking_of("Misty", at(10, 9), "dental", "b1")

    decision = await decide("hey what did we book for the cat again??", bookings=[misty])

    assert "dental cleaning" in decision.reply and "09:00" in decision.reply, decision.reply


async def test_his_points_at_the_pet_named_last_not_both() -> None:
    """It had moved Bella's dental too: a wrong action."""
    bella = booking_of("Bella", at(11, 9), "dental", "b1")
    rocco = booking_of("Rocco", at(11, 9), "consultation", "b2")

    decision = await decide(
        "Actually, thinking about it I can't hand Bella over and hold Rocco at the same time 😂 "
        "could his be at 10 instead?",
        bookings=[bella, rocco],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert decision.proposal.slot_start == at(11, 10)


async def test_hers_doing_too_is_the_service_just_booked() -> None:
    peanut = booking_of("Peanut", at(12, 10), "grooming", "b1")

    decision = await decide(
        "ok thanks. Popcorn needs hers doing too, can they go together at 10?",
        bookings=[peanut],
        history=[
            "Hi there, can I book Peanut in for a nail trim on Saturday at 10? He's a guinea pig",
            "Done: Peanut is booked for Saturday 12 December at 10:00.",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Popcorn", "grooming")


async def test_a_carrier_mentioned_asks_nothing() -> None:
    decision = await decide(
        "Hello, I was after a check-up for our cat Tilly. Would Saturday morning be at all "
        "possible? Not too early if you can help it, she's a nightmare to get in the carrier 😅"
    )

    assert "bring" not in decision.reply, decision.reply


async def test_a_yes_with_why_the_question_is_asked_is_answered_and_confirmed() -> None:
    first = "Hi! I need to book a dental for Milo on tuesday at 9"
    asked = await decide(first)

    assert asked.proposal is not None, asked.reply
    decision = await decide(
        "yes please. how long does it take? need to know when to pick him up",
        pending=pending("book", slot=asked.proposal.slot_start, subject="Milo", service="dental"),
        history=[first, asked.reply],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert "60 minutes" in decision.reply


async def test_a_yes_then_a_move_of_another_pet_proposes_both() -> None:
    """It had put Milo's dental at 11 in place of Tigger's check-up: a wrong action."""
    milo = booking_of("Milo", at(8, 9), "dental", "b1")
    first = "could Tigger have a check up tuesday at 12?"
    asked = await decide(first, bookings=[milo])
    assert asked.proposal is not None and asked.proposal.subject == "Tigger", asked.reply

    decision = await decide(
        "yes. actually could you move Milo's dental to 11 then, so I can pick him up when I drop "
        "Tigger off?",
        bookings=[milo],
        pending=pending("book", slot=at(8, 12), subject="Tigger", service="consultation"),
        history=[first, asked.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("book", "Tigger", at(8, 12)),
        ("reschedule", "Milo", at(8, 11)),
    ]
    assert "drop off" not in decision.reply


async def test_a_pet_on_antibiotics_is_not_a_pet_kept() -> None:
    oscar = booking_of("Oscar", at(8, 17), "vaccination", "b1")
    felix = booking_of("Felix", at(8, 17), "consultation", "b2")

    decision = await decide(
        "sorry, just remembered Oscar's still on antibiotics till friday so his shot should wait. "
        "can you move his to the same time next week? Felix still tomorrow",
        bookings=[oscar, felix],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(15, 17)


async def test_a_yes_and_a_question_about_the_evening_hours() -> None:
    first = "hi can i get daisy in tomorrow at 10:30 for her check up?"
    asked = await decide(first)

    decision = await decide(
        "yes 👍 oh and what time do you close in the evenings?",
        pending=pending_of(asked),
        history=[first, asked.reply],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert "19:00" in decision.reply


async def test_a_pet_that_could_come_after_work_is_named() -> None:
    decision = await decide("ah great, so pixel could come after work then. 6pm tomorrow?")

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "Pixel"


async def test_hers_just_booked_is_the_one_moved() -> None:
    charlie = booking_of("Charlie", at(10, 18), "consultation", "b1")
    milou = booking_of("Milou", at(10, 18), "vaccination", "b2")

    decision = await decide(
        "ah wait, her booklet says she's due on the 15th, so it shouldn't be before then. can "
        "we move hers to Tuesday the 15th, same time?",
        bookings=[charlie, milou],
        history=[
            "ok. Milou is due her vaccine, can she come at the same time as Charlie?",
            "Done: Milou is booked for Thursday 10 December at 18:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"
    assert decision.proposal.slot_start == at(15, 18)


async def test_a_pet_named_after_another_as_its_bound_is_the_one_booked() -> None:
    ruby = booking_of("Ruby", at(14, 9, 30), "vaccination", "b1")

    decision = await decide(
        "ok. Jasper needs grooming, he's a long haired cat and a nightmare to brush. could he "
        "come after Ruby, say 10?",
        bookings=[ruby],
        history=[
            "Hello! Can I book Ruby's vaccination for Monday the 14th at 9:30?",
            "Done: Ruby is booked for Monday 14 December at 09:30.",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Jasper", "grooming")
    assert decision.proposal.slot_start == at(14, 10)


async def test_a_summary_asked_back_confirms_the_change_waiting() -> None:
    ruby = booking_of("Ruby", at(14, 9, 30), "vaccination", "b1")
    jasper = booking_of("Jasper", at(14, 10), "grooming", "b2")
    waiting = pending("reschedule", slot=at(14, 11), subject="Jasper", booking_id="b2")

    decision = await decide(
        "yes. so that's Ruby at 9:30 and Jasper at 11 on the 14th?",
        bookings=[ruby, jasper],
        pending=waiting,
        history=[
            "actually could Jasper's be 11 instead?",
            "I can move the appointment for Jasper from Monday 14 December at 10:00 to Monday 14 "
            "December at 11:00. Reply YES to confirm.",
        ],
    )
    wrong = await decide(
        "so that's Ruby at 10 and Jasper at 11 on the 14th?",
        bookings=[ruby, jasper],
        pending=waiting,
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert wrong.intent is not Intent.CONFIRM, wrong.reply


async def test_a_summary_asked_back_with_nothing_waiting_is_said_yes_to() -> None:
    toby = booking_of("Toby", at(10, 8, 30), "grooming", "b1")
    misty = booking_of("Misty", at(10, 15), "consultation", "b2")

    decision = await decide(
        "thanks, so Toby 8:30 and Misty 3pm on thursday?", bookings=[toby, misty]
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith("Yes:") and decision.proposal is None


async def test_first_thing_that_morning_is_the_days_first_free_time() -> None:
    toby = booking_of("Toby", at(10, 15), "grooming", "b1")

    decision = await decide(
        "ok. could Toby's grooming be moved to first thing that morning instead?", bookings=[toby]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 8, 30)


async def test_a_pet_already_booked_at_the_time_is_not_booked_again() -> None:
    lola = booking_of("Lola", at(8, 16), "vaccination", "b1")

    decision = await decide(
        "Hi, I'd like to book a check-up for my dog Archie tomorrow afternoon, he's been limping "
        "since the weekend. anything around 4? Lola's already booked at 4 so I could bring them "
        "together",
        bookings=[lola],
        busy=busy_of(lola),
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Archie", at(8, 16))


async def test_come_along_for_company_names_no_pet() -> None:
    kiwi = booking_of("Kiwi", at(10, 9, 30), "consultation", "b1")
    clover = booking_of("Clover", at(10, 9, 30), "consultation", "b2")

    decision = await decide(
        "Oh wait, Clover was only checked in October, so she'll just come along for company 😅 "
        "can you cancel her appointment? Kiwi's stays",
        bookings=[kiwi, clover],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_undo_that_cancels_the_booking_just_made() -> None:
    luna = booking_of("Luna", at(9, 14), "consultation", "b1")
    nala = booking_of("Nala", at(9, 14), "consultation", "b2")

    decision = await decide(
        "oh wait, can you undo that please! my partner's just told me he already took Nala to "
        "the vet on saturday 🙈 so sorry. Luna's still coming on wednesday",
        bookings=[luna, nala],
        history=[
            "Could you book Nala in for a check-up on Wednesday at 2, same time as Luna?",
            "Done: Nala is booked for Wednesday 9 December at 14:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


@pytest.mark.parametrize(
    "message",
    [
        "what can you do",
        "hello, I don't really know how this works, do I just type?",
        "hi, sorry, how do I use this? 😅",
    ],
)
async def test_how_the_assistant_works_is_answered_not_handed_over(message: str) -> None:
    """It had passed these to the team, and said nothing for the rest of the conversation."""
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "book, move or cancel" in decision.reply


async def test_whether_a_person_reads_is_answered_and_the_request_served() -> None:
    bailey = booking_of("Bailey", at(10, 11), "consultation", "b1")

    decision = await decide(
        "I'm not sure if this is a real person reading this or a computer, but I need to cancel "
        "Bailey's check-up on Thursday please",
        bookings=[bailey],
    )
    asked = await decide("is someone there or is this automatic?")

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.reply.startswith("I'm the automated assistant")
    assert asked.intent is Intent.ANSWER and "automated" in asked.reply, asked.reply


async def test_a_signature_thanking_kindly_is_no_pet() -> None:
    """Monique had been booked in Bella's place: a wrong action."""
    bella = booking_of("Bella", at(10, 9), "dental", "b1")

    decision = await decide(
        "I have an appointment on Thursday at 9 o'clock for my dog Bella to have her teeth "
        "cleaned, but my daughter who drives me cannot do Thursday any more. Would it be "
        "possible to change it to Friday afternoon, perhaps 2 o'clock? Thank you kindly, Monique",
        bookings=[bella],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(11, 14)


async def test_get_him_vaccinated_is_a_vaccination() -> None:
    decision = await decide("i need to get my dog Bruno vaccinated, thursday afternoon, 3 ish?")

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "vaccination"


async def test_next_weekday_said_on_a_monday_is_next_weeks() -> None:
    decision = await decide(
        "can i book both my cats for their vaccines next tuesday at 6pm? noisette"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(15, 18)


async def test_a_change_of_plans_is_no_move_and_all_but_one_booking_is_cancelled() -> None:
    """Maisie's groom had been moved to tomorrow: a wrong action."""
    dental = booking_of("Toby", at(8, 10, 30), "dental", "b1")
    check = booking_of("Toby", at(12, 11, 30), "consultation", "b2")
    groom = booking_of("Maisie", at(11, 15), "grooming", "b3")

    decision = await decide(
        "Hi, we've had a bit of a change of plans. Could you cancel everything except Toby's "
        "dental tomorrow?",
        bookings=[dental, check, groom],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted((p.kind, p.booking_id) for p in decision.proposals) == [
        ("cancel", "b2"),
        ("cancel", "b3"),
    ]


async def test_the_pet_seen_while_another_is_in_keeps_the_others_visit() -> None:
    """Oreo, who stays, had been cancelled: a wrong action."""
    oreo = booking_of("Oreo", at(9, 11), "consultation", "b1")
    pip = booking_of("Pip", at(9, 11, 30), "consultation", "b2")

    decision = await decide(
        "oh right. can you cancel the later one then? I'll get the vet to have a quick look at "
        "him while Oreo's in",
        bookings=[oreo, pip],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_the_slot_of_a_cancelled_visit_given_to_a_booked_pet_moves_it_there() -> None:
    """Sooty's had been moved to Monday: a wrong action."""
    sooty = booking_of("Sooty", at(11, 17), "consultation", "b1")
    shadow = booking_of("Shadow", at(14, 11), "consultation", "b2")

    decision = await decide(
        "Hi, Sooty's all better 🙌 so can you cancel his friday check up? but actually could "
        "Shadow have that slot instead of waiting till monday?",
        bookings=[sooty, shadow],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.booking_id, p.slot_start) for p in decision.proposals] == [
        ("cancel", "b1", at(11, 17)),
        ("reschedule", "b2", at(11, 17)),
    ]


async def test_a_time_pushed_back_on_for_another_is_that_other() -> None:
    """08:30, turned down, had been read back again and booked: a wrong action."""
    waiting = pending("book", slot=at(16, 8, 30), subject="Mochi", service="vaccination")

    decision = await decide(
        "8.30's a bit early with the school run, could you do 10 that day instead?",
        pending=waiting,
        history=[
            "hi, what's the earliest you can do after the 15th for Mochi's vaccinations?",
            "I can book Wednesday 16 December at 08:30 for Mochi (vaccination). Reply YES to "
            "confirm.",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(16, 10)


async def test_the_first_day_from_a_date_is_that_date_not_the_1st() -> None:
    decision = await decide(
        "Hi, Nova (dog) needs a dental but we're away visiting family until the 20th. What's the "
        "first day you can do from the 21st?"
    )

    assert "21 December" in decision.reply and "New Year" not in decision.reply, decision.reply


async def test_their_own_bound_is_not_the_time_asked() -> None:
    """ "half 10" had been booked: a wrong action."""
    decision = await decide("saturday at 11 then for pip, football's done by half 10")

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(12, 11)


async def test_the_day_an_opening_question_names_is_answered() -> None:
    decision = await decide(
        "hi, I work mon-fri and the kids have football saturday mornings, are you open sundays? "
        "Pip (rabbit) needs a check up"
    )

    assert "closed on Sundays" in decision.reply, decision.reply
    assert "open on Mondays" not in decision.reply


async def test_the_same_thing_as_another_pet_had_books_only_the_pet_asked() -> None:
    """Nemo, the model, had been booked too: a wrong action."""
    decision = await decide(
        "hi it's me again 😊 Dory needs the same thing as Nemo had last week, could she come "
        "thursday around 10?",
        history=[
            "hi can Nemo have his vaccine this morning at 10?",
            "Done: Nemo's vaccination on Monday 30 November at 10:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.service) == ("Dory", "vaccination")


async def test_a_check_up_that_can_be_cancelled_is_cancelled() -> None:
    pablo = booking_of("Pablo", at(10, 14, 30), "consultation", "b1")
    chico = booking_of("Chico", at(10, 14, 30), "consultation", "b2")

    decision = await decide(
        "Hello, we have Pablo and Chico booked on Thursday. Chico's check-up can be cancelled, "
        "he saw the vet at the breeder last week. Pablo still needs his though",
        bookings=[pablo, chico],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_pets_nails_said_as_hers_name_her() -> None:
    decision = await decide(
        "how much is a nail trim? poppy's are clicking on the kitchen floor again 🙄 could she go "
        "in friday around 4?"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "Poppy"


async def test_just_cancel_it_to_its_cancellation_read_back_confirms_it() -> None:
    pip = booking_of("Pip", at(8, 12), "consultation", "b1")

    decision = await decide(
        "never mind then, leave rosie on thursday. just cancel pip's",
        bookings=[pip],
        pending=pending("cancel", slot=at(8, 12), subject="Pip", booking_id="b1"),
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_nothing_before_a_time_lists_times_from_it() -> None:
    decision = await decide(
        "Morning. I work nights so nothing before 10am please! Could Toffee have her booster "
        "tuesday or wednesday?"
    )

    times = re.findall(r"\d{2}:\d{2}", decision.reply)
    assert times and all(t >= "10:00" for t in times), decision.reply


async def test_cant_leave_work_before_a_time_lists_times_from_it() -> None:
    first = "hello can Teddy come in tuesday afternoon for a check up? he's a westie"
    asked = await decide(first)

    decision = await decide(
        "I can't leave work before 4 though, anything later?", history=[first, asked.reply]
    )

    times = re.findall(r"\d{2}:\d{2}", decision.reply)
    assert times and all(t >= "16:00" for t in times), decision.reply


async def test_an_activity_until_a_time_is_no_time_asked() -> None:
    decision = await decide(
        "Hi, Saturdays are the only day I'm not working. Could Milo have his teeth cleaned this "
        "Saturday? After 11 if possible, my daughter has swimming till half 10"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(12, 11)


async def test_a_bare_weekday_after_that_week_was_asked_is_in_that_week() -> None:
    """ "thursday 4.30" had moved Bailey to this week's Thursday, not the one asked."""
    bailey = booking_of("Bailey", at(14, 11), "consultation", "b1")
    first = (
        "hi, I booked Bailey in for Monday the 14th but mondays are impossible for me. any "
        "other day that week after 4?"
    )
    asked = await decide(first, bookings=[bailey])

    assert asked.intent is Intent.PROPOSE_RESCHEDULE and asked.proposal is not None
    decision = await decide(
        "thursday 4.30",
        bookings=[bailey],
        history=[first, asked.reply],
        pending=pending(
            "reschedule", slot=asked.proposal.slot_start, subject="Bailey", booking_id="b1"
        ),
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(17, 16, 30)
