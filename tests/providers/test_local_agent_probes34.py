"""Conversations played turn by turn in session 34: a booking named by another's service or
pet as the day or time to copy, a booking said back with thanks, a household of pets each
wanting something different.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import AgentDecision, BookingView, Intent
from switchboard.availability import Busy
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import (
    at,
    decide,
    pending,
    pending_several,
    proposed,
)
from tests.providers.test_local_agent_probes32 import _pending_book
from tests.providers.test_local_agent_probes33 import at_in, booking_of


async def test_the_same_day_as_the_dental_names_the_day_not_the_booking() -> None:
    """ "the tuesday one, can that go to the same day as the dental instead? in the morning,
    about 10" moved the dental: the dental is only the day to copy."""
    checkup = booking_of("Pebble", at(8, 11), "consultation", "b1")
    dental = booking_of("Pebble", at_in(2026, 12, 17, 14), "dental", "b2")
    decision = await decide(
        "the tuesday one, can that go to the same day as the dental instead? in the morning, "
        "about 10",
        bookings=[checkup, dental],
        history=["when are Pebble's appointments?", "You have 2 appointments coming up: …"],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at_in(2026, 12, 17, 10)


async def test_a_pet_come_with_another_takes_its_time() -> None:
    """ "can Sage come tomorrow with Fig instead, at the same time?" took Sage's own 16:15."""
    fig = booking_of("Fig", at(8, 8) + timedelta(minutes=45), "vaccination", "b1")
    sage = booking_of("Sage", at_in(2026, 12, 9, 16) + timedelta(minutes=15), "consultation", "b2")
    decision = await decide(
        "ah ok. can Sage come tomorrow with Fig instead, at the same time?", bookings=[fig, sage]
    )

    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b2"
    assert proposed(decision) == [("Sage", fig.slot_start)]


async def test_only_one_tomorrow_names_the_other_pets_booking() -> None:
    """ "is that the only one tomorrow? I thought Sage was coming in too" was told "Nothing is
    booked on Tuesday 8 December" while Fig is in that morning."""
    fig = booking_of("Fig", at(8, 9), "vaccination", "b1")
    sage = booking_of("Sage", at_in(2026, 12, 9, 16), "consultation", "b2")
    decision = await decide(
        "thanks! is that the only one tomorrow? I thought Sage was coming in too",
        bookings=[fig, sage],
    )

    assert "Nothing is booked on Tuesday" not in decision.reply
    assert "Fig at 09:00" in decision.reply
    assert "Wednesday 9 December at 16:00" in decision.reply


async def test_a_booking_said_back_with_thanks_books_nothing() -> None:
    """ "friday, great, that works. thanks!" after we named Luna's Friday booking asked which
    time to book on Friday."""
    luna = booking_of("Luna", at(11, 11), "vaccination", "b1")
    decision = await decide(
        "friday, great, that works. thanks!",
        bookings=[luna],
        history=[
            "did I book Luna for thursday or friday? can't remember",
            "Nothing is booked for Luna on Thursday 10 December. Your appointment for Luna is on "
            "Friday 11 December at 11:00.",
        ],
    )

    assert decision.proposal is None and not decision.proposals
    assert "Friday 11 December at 11:00" in decision.reply


def services_of(decision: AgentDecision) -> list[tuple[str, datetime, str | None]]:
    return [(p.subject, p.slot_start, p.service) for p in decision.proposals]


@pytest.mark.parametrize(
    ("message", "first", "then"),
    [
        (
            "Hi, can I book Max at 10 on thursday for a check-up and Willow straight after for "
            "her nails please",
            ("Max", at(10, 10), "consultation"),
            ("Willow", at(10, 10, 30), "grooming"),
        ),
        (
            "hi can Nala have her booster at half 2 tomorrow and Simba a check-up straight after?",
            ("Nala", at(8, 14, 30), "vaccination"),
            ("Simba", at(8, 14, 45), "consultation"),
        ),
        (
            "Thumper (our rabbit) needs his nails done and Mittens a check-up. wednesday at 2 for "
            "Thumper and Mittens straight after?",
            ("Thumper", at(9, 14), "grooming"),
            ("Mittens", at(9, 14, 45), "consultation"),
        ),
        (
            "Max and Bella need check-ups, thursday at 10 for Max and Bella right after him?",
            ("Max", at(10, 10), "consultation"),
            ("Bella", at(10, 10, 30), "consultation"),
        ),
    ],
)
async def test_a_pet_straight_after_another_comes_when_it_ends(
    message: str,
    first: tuple[str, datetime, str],
    then: tuple[str, datetime, str],
) -> None:
    """Set 63 booked the second pet beside the first: "straight after" is when the first's
    service ends."""
    decision = await decide(message)

    assert services_of(decision) == [first, then]


async def test_a_person_with_the_writer_is_never_booked() -> None:
    """ "Sam and I will bring both dogs on friday at 5: Bear for a check-up and Honey for a
    bath" booked Sam too."""
    decision = await decide(
        "Hiya! Sam and I will bring both dogs on friday at 5: Bear for a check-up and Honey for "
        "a bath. Can you fit them in?"
    )

    assert services_of(decision) == [
        ("Bear", at(11, 17), "consultation"),
        ("Honey", at(11, 17), "grooming"),
    ]


async def test_each_pet_keeps_the_service_said_for_it_after_a_dash() -> None:
    """ "Chloe will bring Peanut and Oreo on wednesday at 4 - Peanut for a jab and Oreo for his
    nails" gave both the nails."""
    decision = await decide(
        "hello, my daughter Chloe will bring Peanut and Oreo on wednesday at 4 - Peanut for a "
        "jab and Oreo for his nails. is that ok?"
    )

    assert services_of(decision) == [
        ("Peanut", at(9, 16), "vaccination"),
        ("Oreo", at(9, 16), "grooming"),
    ]


async def test_one_pets_hour_changed_in_the_read_back() -> None:
    """ "actually make Bella's 11, sorry" was not understood, and the yes booked 10:00."""
    first = await decide("can Lola and Bella both have check-ups on wednesday at 10?")
    decision = await decide(
        "actually make Bella's 11, sorry",
        pending=pending_several(first),
        history=["can Lola and Bella both have check-ups on wednesday at 10?", first.reply],
    )

    assert proposed(decision) == [("Lola", at(9, 10)), ("Bella", at(9, 11))]


async def test_a_pet_dropped_frees_its_place_for_the_one_read_back_later() -> None:
    """Rex, Pip and Coco at 09:30 (two places): "Rex doesn't need to come after all … just Pip
    and Coco then" booked Coco at 09:45 without a yes; Rex's place is hers."""
    first = await decide(
        "Rex, Pip and Coco are all due their boosters, could they come saturday at 9.30?"
    )
    assert proposed(first)[2] == ("Coco", at(12, 9, 45))
    decision = await decide(
        "oh Rex doesn't need to come after all, he had his in the summer. just Pip and Coco then",
        pending=pending_several(first),
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert proposed(decision) == [("Pip", at(12, 9, 30)), ("Coco", at(12, 9, 30))]


async def test_services_priced_for_each_pet_are_booked_for_them() -> None:
    """ "how much is a check-up for Biscuit and a jab for Gravy?" / prices / "ok can you book
    them both on thursday at 11.30" booked two check-ups."""
    asked = "how much is a check-up for Biscuit and a jab for Gravy?"
    priced = await decide(asked)
    decision = await decide(
        "ok can you book them both on thursday at 11.30", history=[asked, priced.reply]
    )

    assert services_of(decision) == [
        ("Biscuit", at(10, 11, 30), "consultation"),
        ("Gravy", at(10, 11, 30), "vaccination"),
    ]


async def test_a_yes_with_one_pets_time_changed_re_reads_a_lapsed_offer() -> None:
    """50 minutes after our "Shall I book them?" (nothing pending any more), "yes for
    Pumpkin, but could Toffee's be at quarter past instead?" got "Sorry, I didn't catch that"."""
    decision = await decide(
        "yes for Pumpkin, but could Toffee's be at quarter past instead? I'll need a minute to "
        "get her out of the car",
        history=[
            "can Pumpkin have a check-up and Toffee her jab on thursday at 2?",
            "I can book Pumpkin's consultation and Toffee's vaccination on Thursday 10 December "
            "at 14:00. Shall I book them?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert services_of(decision) == [
        ("Pumpkin", at(10, 14), "consultation"),
        ("Toffee", at(10, 14, 15), "vaccination"),
    ]


async def test_two_pets_bookings_asked_and_which_has_the_jab() -> None:
    """ "what have Mochi and Miso got on this week?" got the menu, and "which one's having the
    jab?" asked which day to book."""
    bookings = [
        booking_of("Mochi", at(9, 9), "consultation", "b1"),
        booking_of("Miso", at(9, 9), "vaccination", "b2"),
    ]
    asked = "what have Mochi and Miso got on this week?"
    listed = await decide(asked, bookings=bookings)
    assert listed.intent is Intent.ASK_BOOKING
    assert "Mochi on Wednesday 9 December at 09:00" in listed.reply

    which = await decide(
        "and which one's having the jab?", bookings=bookings, history=[asked, listed.reply]
    )

    assert which.proposal is None and not which.proposals
    assert which.reply == "The vaccination is Miso's, on Wednesday 9 December at 09:00."


@pytest.mark.parametrize(
    "message",
    [
        "Cleo and Tigger had their jabs with you on saturday and since last night they're both "
        "really lethargic and off their food. can a vet call me please?",
        "could one of the vets ring me about Rex's dental before I decide?",
    ],
)
async def test_a_vet_asked_to_call_is_a_handoff(message: str) -> None:
    """ "… can a vet call me please?" offered Saturday's times for the two cats."""
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF
    assert decision.proposal is None and not decision.proposals


async def test_texted_pets_each_with_a_service() -> None:
    """ "hiya can gizmo hav a chekup n noodle get his jabs, wensday 11.45?" booked one jab for
    nobody."""
    decision = await decide("hiya can gizmo hav a chekup n noodle get his jabs, wensday 11.45?")

    assert services_of(decision) == [
        ("Gizmo", at(9, 11, 45), "consultation"),
        ("Noodle", at(9, 11, 45), "vaccination"),
    ]


async def test_not_the_one_proposed_but_the_pets_other_booking_is_moved() -> None:
    """ "sorry, not the tuesday one - I meant his jab on thursday! tuesday stays as it is" to a
    move of Bailey's Tuesday check-up: the yes moved the Tuesday one anyway."""
    checkup = booking_of("Bailey", at(8, 11), "consultation", "b1")
    jab = booking_of("Bailey", at(10, 9), "vaccination", "b2")
    move = pending("reschedule", at(9, 11), subject="Bailey", booking_id="b1")
    decision = await decide(
        "sorry, not the tuesday one - I meant his jab on thursday! tuesday stays as it is",
        pending=move,
        bookings=[checkup, jab],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b2", at(9, 11))


async def test_the_hour_wanted_said_with_the_hour_read_back() -> None:
    """ "sorry, the 10 not the 11!" was not understood, and the yes booked 11:00."""
    decision = await decide(
        "sorry, the 10 not the 11!",
        pending=_pending_book("Biscuit", at(12, 11), "vaccination"),
    )

    assert proposed(decision) == [("Biscuit", at(12, 10))]


async def test_a_booking_just_made_asked_to_be_undone_is_proposed_for_cancelling() -> None:
    teddy = booking_of("Teddy", at(11, 11), "consultation", "b1")
    decision = await decide(
        "actually can we undo that? I'll call back once I know my shifts",
        bookings=[teddy],
        history=[
            "yes please",
            "Done: you're booked for Friday 11 December at 11:00 for Teddy.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_booking_just_cancelled_asked_back_is_proposed_again() -> None:
    """ "she does need it after all. can you put it back at the same time?" was handed to the
    team, and the yes after it did nothing."""
    honey = BookingView(
        id="b1", slot_start=at(10, 17, 30), subject="Honey", status="cancelled", service="grooming"
    )
    decision = await decide(
        "oh no, sorry, my mistake - she does need it after all. can you put it back at the same "
        "time?",
        bookings=[honey],
        history=[
            "yes",
            "Done: the appointment for Honey on Thursday 10 December at 17:30 is cancelled.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert services_of_one(decision) == ("Honey", at(10, 17, 30), "grooming")


async def test_keep_the_original_turns_a_move_down() -> None:
    move = pending("reschedule", at(10, 16), subject="Ziggy", booking_id="b1")
    decision = await decide(
        "hmm actually no, keep the original. sorry for the bother!",
        pending=move,
        bookings=[booking_of("Ziggy", at(10, 15), "consultation", "b1")],
    )

    assert decision.intent is Intent.DECLINE


async def test_forget_it_is_not_asked_for_another_time() -> None:
    decision = await decide(
        "never mind, forget it, my sister's going to do her at home. sorry!",
        pending=_pending_book("Luna", at(11, 14), "grooming"),
    )

    assert decision.intent is Intent.DECLINE
    assert "?" not in decision.reply


async def test_a_service_ruled_out_in_a_correction_is_not_booked() -> None:
    """ "oh actually it's his booster he's due, not a check-up. same time" kept the check-up."""
    decision = await decide(
        "oh actually it's his booster he's due, not a check-up. same time",
        pending=_pending_book("Max", at(9, 9, 30), "consultation"),
    )

    assert services_of_one(decision) == ("Max", at(9, 9, 30), "vaccination")


async def test_am_or_pm_after_a_booking_is_answered() -> None:
    """ "oh hang on, is that am or pm?" after "Done: …" was handed to the team."""
    decision = await decide(
        "oh hang on, is that am or pm? 😅",
        bookings=[booking_of("Oscar", at(8, 9), "vaccination", "b1")],
        history=["yes", "Done: you're booked for Tuesday 8 December at 09:00 for Oscar."],
    )

    assert decision.intent is Intent.ANSWER
    assert "9 am" in decision.reply


async def test_the_other_way_round_swaps_the_services() -> None:
    """ "no no, the other way round! Coco's the jab, Milo needs the check-up" changed nothing."""
    first = await decide("can Milo have his jab and Coco a check-up on thursday at 2pm?")
    decision = await decide(
        "no no, the other way round! Coco's the jab, Milo needs the check-up",
        pending=pending_several(first),
    )

    assert services_of(decision) == [
        ("Milo", at(10, 14), "consultation"),
        ("Coco", at(10, 14), "vaccination"),
    ]


async def test_a_booking_named_by_its_day_goes_to_another() -> None:
    """ "can Nala's appointment tomorrow go to friday at 5?" was read as a new booking."""
    decision = await decide(
        "can Nala's appointment tomorrow go to friday at 5?",
        bookings=[booking_of("Nala", at(8, 17), "consultation", "b1")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Nala", at(11, 17))]


def services_of_one(decision: AgentDecision) -> tuple[str, datetime, str | None]:
    assert decision.proposal is not None, decision.reply
    return (decision.proposal.subject, decision.proposal.slot_start, decision.proposal.service)


@pytest.mark.parametrize(
    ("history", "message", "service"),
    [
        (
            [
                "how far ahead can I book? Shadow's dental is due in march",
                "You can book any free time up to 90 days ahead, and as late as 1 hour before "
                "it, the same day included.",
            ],
            "ok great, Monday 1 March at 9 then please",
            "dental",
        ),
        (
            [
                "can I book Coco's booster for the 20th of March? that's when it's due",
                "Sorry, Saturday 20 March 2027 isn't possible yet: we only take bookings up to "
                "90 days ahead, so it can be booked from Sunday 20 December 2026. Please message "
                "us again then, or tell me another day.",
            ],
            "oh ok. a couple of weeks early is fine, Tuesday 2 March at 10 then?",
            "vaccination",
        ),
    ],
)
async def test_the_service_of_the_request_before_our_answer_is_kept(
    history: list[str], message: str, service: str
) -> None:
    """Set 65 booked a consultation: the dental (the booster) was said before our answer."""
    decision = await decide(message, history=history)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == service


async def test_how_long_with_a_deadline_keeps_the_time_proposed() -> None:
    """ "wait, how long does it take? I've got to be across town at 11" read 11 as the new
    time, and the yes booked 11:00."""
    decision = await decide(
        "wait, how long does it take? I've got to be across town at 11",
        pending=_pending_book("Luna", at(12, 10), "grooming"),
    )

    assert decision.intent is Intent.ANSWER
    assert "45 minutes" in decision.reply
    assert "done by 10:45" in decision.reply


async def test_a_price_asked_with_hang_on_is_answered() -> None:
    decision = await decide(
        "hang on, how much is a dental?", pending=_pending_book("Bear", at(11, 14), "dental")
    )

    assert "€120" in decision.reply


async def test_the_last_time_that_evening_after_our_hours() -> None:
    """ "could Ziggy have the last check-up you've got that evening then?" after Wednesday's
    hours asked which day."""
    decision = await decide(
        "could Ziggy have the last check-up you've got that evening then?",
        history=[
            "what time do you close on wednesday? I finish work at 6",
            "On Wednesday 9 December we close at 19:00 (open 08:30-12:30 and 14:00-19:00).",
        ],
    )

    assert proposed(decision) == [("Ziggy", at(9, 18, 30))]


async def test_straight_after_the_bookings_that_filled_the_time() -> None:
    """ "ok no worries, bobby straight after them then" to our offer around the full 10:00 got
    "Sorry, I didn't catch that"."""
    pip = booking_of("Pip", at(10, 10), "vaccination", "b1")
    squeak = booking_of("Squeak", at(10, 10), "vaccination", "b2")
    busy = [
        Busy(booking_id=b.id, start=b.slot_start, end=b.slot_start + timedelta(minutes=15))
        for b in (pip, squeak)
    ]
    asked = (
        "can you see all three at once? Bobby needs his jab too, could he come with Pip and "
        "Squeak on thursday?"
    )
    refused = await decide(asked, bookings=[pip, squeak], busy=busy)
    assert "isn't possible" in refused.reply

    decision = await decide(
        "ok no worries, bobby straight after them then",
        bookings=[pip, squeak],
        busy=busy,
        history=[asked, refused.reply],
    )

    assert services_of_one(decision) == ("Bobby", at(10, 10, 15), "vaccination")


async def test_a_question_before_booking_that_we_cannot_answer_goes_to_the_team() -> None:
    decision = await decide(
        "Hi. Before I book Poppy's dental, can you bill my insurance directly (Petplan) or do I "
        "pay and claim it back? Could someone let me know? I won't book until I know."
    )

    assert decision.intent is Intent.HANDOFF
    assert "Petplan" not in decision.reply


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            "are you open saturday afternoons? saturday morning is getting tricky for Bailey's "
            "appointment",
            "not in the afternoon",
        ),
        ("do you close at lunchtime?", "we close for lunch from 12:30 to 14:00"),
        ("can two cats come in together? or do they need separate appointments", "up to 2"),
    ],
)
async def test_questions_about_the_clinic_answered_as_asked(message: str, said: str) -> None:
    decision = await decide(message)

    assert said in decision.reply


async def test_a_price_given_up_on_is_acknowledged() -> None:
    decision = await decide(
        "that's way too much, forget it",
        history=["how much is a dental for a cat?", "A dental cleaning is €120 (60 minutes)."],
    )

    assert "didn't" not in decision.reply
    assert decision.proposal is None


async def test_a_pets_booking_of_the_service_asked_is_said() -> None:
    """ "when's Bean's jab?" listed the groom too, and "can you put Olive in at the same time?"
    was then handed to the team."""
    bookings = [
        booking_of("Bean", at(10, 14, 15), "vaccination", "b1"),
        booking_of("Bean", at(19, 10), "grooming", "b2"),
    ]
    asked = "when's Bean's jab?"
    said = await decide(asked, bookings=bookings)
    assert "Saturday 19" not in said.reply

    joined = await decide(
        "can you put Olive in at the same time? she's due hers too",
        bookings=bookings,
        history=[asked, said.reply],
    )

    assert services_of_one(joined) == ("Olive", at(10, 14, 15), "vaccination")


async def test_straight_after_the_booking_we_named() -> None:
    bookings = [
        booking_of("Peanut", at(8, 17), "consultation", "b1"),
        booking_of("Peanut", at(12, 10, 30), "grooming", "b2"),
    ]
    decision = await decide(
        "can I book Cookie in for a check-up straight after it?",
        bookings=bookings,
        history=[
            "remind me what's on saturday",
            "Your appointment for Peanut is on Saturday 12 December at 10:30.",
        ],
    )

    assert proposed(decision) == [("Cookie", at(12, 11, 15))]


async def test_another_service_straight_after_the_jab() -> None:
    decision = await decide(
        "can Waffle have her nails done at the same visit, straight after the jab?",
        bookings=[booking_of("Waffle", at(18, 9), "vaccination", "b1")],
    )

    assert services_of_one(decision) == ("Waffle", at(18, 9, 15), "grooming")


@pytest.mark.parametrize(
    ("message", "pets"),
    [
        (
            "Hi, Daisy here 👋 first time messaging you! I'd like to book my spaniel in for a "
            "check-up, he's called Alfie. Tuesday 11am?",
            ["Alfie"],
        ),
        (
            "Good morning. I have a Maine Coon, a big ginger boy called Ollie, and he needs his "
            "nails trimmed. We're new to you. Saturday at 11?",
            ["Ollie"],
        ),
        (
            "yay! ours is called Mr Biscuit, he needs his nails trimming. is thursday at 4 ok?",
            ["Mr Biscuit"],
        ),
        (
            "hello 😊 we adopted a kitten at the weekend, she doesn't have a name yet (still "
            "arguing about it!). she needs her first jabs - could she come thursday at 2pm?",
            ["your kitten"],
        ),
    ],
)
def test_first_contact_names_only_the_pet(message: str, pets: list[str]) -> None:
    """Set 66 booked the writer ("Daisy here") and the breed ("Maine Coon") beside the pet,
    and no one for "Mr Biscuit" or the kitten with no name yet."""
    assert subjects_in(message, known=[], transcript=False) == pets


async def test_a_booking_done_names_the_pet_first() -> None:
    decision = await decide("yes", pending=_pending_book("Mr Biscuit", at(10, 16), "grooming"))

    assert decision.reply == "Done: Mr Biscuit is booked for Thursday 10 December at 16:00."


async def test_the_same_day_as_another_pets_booking_same_time_is_its_time() -> None:
    """ "could you move Honey's jab to the same day as Cookie's groom? same time ideally so it's
    one trip" kept Honey's own 11:00."""
    honey = booking_of("Honey", at(8, 11), "vaccination", "b1")
    cookie = booking_of("Cookie", at(11, 15), "grooming", "b2")
    decision = await decide(
        "could you move Honey's jab to the same day as Cookie's groom? same time ideally so "
        "it's one trip",
        bookings=[honey, cookie],
    )

    assert proposed(decision) == [("Honey", at(11, 15))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        (
            "can oscar come in tomorrow morning for his jab? not before 10 tho, I do the school "
            "run 🚸",
            at(8, 10),
        ),
        (
            "Could Fudge have a groom a week on Friday? Any time after lunch, the earlier the "
            "better",
            at(18, 14),
        ),
        ("can pip have a check-up this saturday, the last time you can do?", at(12, 12, 30)),
    ],
)
async def test_a_time_said_as_a_bound_or_a_preference(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


async def test_a_yes_with_a_preference_if_there_is_a_choice_books_the_time_read_back() -> None:
    decision = await decide(
        "great, yes please - the earliest one if there's a choice",
        pending=_pending_book("Bobby", at(8, 14), "consultation"),
    )

    assert decision.intent is Intent.CONFIRM


def test_a_meal_is_no_pet() -> None:
    assert (
        subjects_in(
            "ugh ok, the last one before you close for lunch then", known=[], transcript=False
        )
        == []
    )


async def test_a_lapsed_read_back_answered_yes_keeps_its_service() -> None:
    decision = await decide(
        "sorry only just seen this! yes please go ahead",
        history=[
            "can Rolo have his booster wednesday at 10?",
            "I can book Rolo's vaccination on Wednesday 9 December at 10:00. Shall I book it?",
        ],
    )

    assert services_of_one(decision) == ("Rolo", at(9, 10), "vaccination")


async def test_a_lapsed_move_answered_yes_is_proposed_again() -> None:
    decision = await decide(
        "yes go ahead pls",
        bookings=[booking_of("Bailey", at(9, 11), "consultation", "b1")],
        history=[
            "can bailey's check-up on wednesday go to friday same time?",
            "I can move Bailey's consultation from Wednesday 9 December at 11:00 to Friday 11 "
            "December at 11:00. Shall I move it?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Bailey", at(11, 11))]


async def test_a_lapsed_read_back_changed_without_a_yes() -> None:
    decision = await decide(
        "hiya, sorry mornings are out now 🙄 could it be 3 instead? same day",
        history=[
            "Ziggy needs a groom on friday please, morning if poss",
            "I can book Ziggy's grooming on Friday 11 December at 10:30. Shall I book it?",
        ],
    )

    assert services_of_one(decision) == ("Ziggy", at(11, 15), "grooming")


async def test_rebooked_at_the_same_time_as_the_one_just_cancelled() -> None:
    decision = await decide(
        "thanks. could you rebook her for thursday same time?",
        history=[
            "please cancel honey's check-up on tuesday, can't make it",
            "Done: I've cancelled Honey's consultation on Tuesday 8 December at 15:00.",
        ],
    )

    assert proposed(decision) == [("Honey", at(10, 15))]


async def test_make_it_later_after_a_booking_asks_when() -> None:
    decision = await decide(
        "can we make it later? work's gone a bit mad",
        bookings=[booking_of("Simba", at(9, 16), "consultation", "b1")],
        history=["yes", "Done: Simba is booked for Wednesday 9 December at 16:00."],
    )

    assert decision.intent is Intent.CLARIFY
    assert "move the appointment for Simba" in decision.reply


async def test_still_coming_to_a_reminder_is_confirmed_back() -> None:
    decision = await decide(
        "yes still coming 👍 thank you",
        bookings=[booking_of("Bella", at(8, 8, 30), "vaccination", "b1")],
        history=[
            "hi",
            "Reminder: Bella's vaccination is tomorrow, Tuesday 8 December, at 08:30 at Rue des "
            "Lilas Veterinary Clinic. Reply to this message to confirm, move or cancel.",
        ],
    )

    assert decision.reply.startswith("Thanks, that's confirmed")
    assert decision.proposal is None


async def test_the_first_weekday_after_a_date() -> None:
    """ "Could Archie's dental on the 17th move to the first Tuesday after the 20th? Same time
    as now" asked whether Thursday 17 December was meant."""
    decision = await decide(
        "Could Archie's dental on the 17th move to the first Tuesday after the 20th? Same time "
        "as now",
        bookings=[booking_of("Archie", at(17, 9), "dental", "b1")],
    )

    assert proposed(decision) == [("Archie", at(22, 9))]


@pytest.mark.parametrize(
    ("message", "history", "slot"),
    [
        (
            "Oh, fine. Monday afternoon next week then, whatever's first",
            [
                "Hi, can Biscuit have a check-up on Saturday afternoon, any time after 1?",
                "Sorry, Saturday 12 December at 13:00 isn't possible: that's outside our opening "
                "hours. I can offer Saturday 12 December at 12:00, Saturday 12 December at 12:15 "
                "or Saturday 12 December at 12:30. Which would suit you?",
            ],
            at(14, 14),
        ),
        (
            "could luna have a check-up the day after her jab? first thing in the morning pls",
            [],
            at(10, 8, 30),
        ),
    ],
)
async def test_the_first_time_of_a_day_said_by_its_place(
    message: str, history: list[str], slot: datetime
) -> None:
    decision = await decide(
        message, history=history, bookings=[booking_of("Luna", at(9, 11), "vaccination", "b1")]
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


async def test_someone_asked_to_check_and_let_me_know_is_a_handoff() -> None:
    decision = await decide(
        "Hi, can Rosie see the same vet she saw in october? whichever afternoon she's in next "
        "week. could someone check and let me know?"
    )

    assert decision.intent is Intent.HANDOFF


async def test_as_late_as_can_be_before_the_customer_must_be_out() -> None:
    """ "can it be later that morning? I need to be out by 11 though, so as late as you can"
    moved Bruno to 09:15."""
    decision = await decide(
        "bruno's check-up on thursday at 9 is a bit early for us. can it be later that morning? "
        "I need to be out by 11 though, so as late as you can",
        bookings=[booking_of("Bruno", at(10, 9), "consultation", "b1")],
    )

    assert proposed(decision) == [("Bruno", at(10, 10, 30))]


async def test_a_move_answered_after_our_refusal_keeps_the_pet() -> None:
    """ "groom for ziggy" / "sat" / "4pm?" / our refusal / "11 then" booked for nobody."""
    decision = await decide(
        "11 then",
        history=[
            "groom for ziggy",
            "Sure. Which day and time would you like for Ziggy?",
            "sat",
            "What time on Saturday 12 December would you like for Ziggy? I have 09:00, 10:00, "
            "11:15 or 12:15.",
            "4pm?",
            "Sorry, Saturday 12 December at 16:00 isn't possible: that's outside our opening "
            "hours. I can offer Saturday 12 December at 11:45, Saturday 12 December at 12:00 or "
            "Saturday 12 December at 12:15. Which would suit you?",
        ],
    )

    assert services_of_one(decision) == ("Ziggy", at(12, 11), "grooming")


async def test_a_name_alone_answers_when_no_pet_was_said() -> None:
    decision = await decide(
        "rex 🐶", history=["appointment pls", "Sure. Which day and time would you like?"]
    )

    assert "for Rex" in decision.reply


async def test_a_service_alone_after_our_prices_is_its_price() -> None:
    decision = await decide(
        "jab",
        history=[
            "price?",
            "Our prices: consultation €45, vaccination €55, dental cleaning €120, grooming €35.",
        ],
    )

    assert decision.intent is Intent.ANSWER
    assert "€55" in decision.reply


async def test_cancel_to_our_cancel_question_is_the_yes() -> None:
    """ "cancel" to "… Reply YES to cancel it, or tell me another day …" kept the booking."""
    decision = await decide(
        "cancel",
        bookings=[booking_of("Poppy", at(12, 9, 30), "vaccination", "b1")],
        pending=pending("cancel", at(12, 9, 30), subject="Poppy", booking_id="b1"),
    )

    assert decision.intent is Intent.CONFIRM


@pytest.mark.parametrize(
    ("message", "history", "slot"),
    [
        (
            "4",
            [
                "the friday one",
                "Sure. When would you like to move the appointment for Teddy on Friday 11 "
                "December at 11:00 to?",
            ],
            at(11, 16),
        ),
        (
            "same",
            [
                "fri",
                "What time on Friday 11 December would you like the appointment for Teddy moved "
                "to? I have 08:30, 11:15, 15:45 or 18:30.",
            ],
            at(11, 12),
        ),
    ],
)
async def test_one_word_answers_to_our_move_questions(
    message: str, history: list[str], slot: datetime
) -> None:
    booked = at(11, 11) if message == "4" else at(9, 12)
    decision = await decide(
        message, history=history, bookings=[booking_of("Teddy", booked, "consultation", "b1")]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Teddy", slot)]


async def test_the_second_of_the_bookings_we_listed() -> None:
    bookings = [
        booking_of("Luna", at(8, 14), "consultation", "b1"),
        booking_of("Luna", at(10, 14), "vaccination", "b2"),
    ]
    decision = await decide(
        "the 2nd one",
        bookings=bookings,
        history=[
            "cancel luna's appt",
            "Luna has two appointments: 1) a consultation on Tuesday 8 December at 14:00, 2) a "
            "vaccination on Thursday 10 December at 14:00. Which one would you like to cancel?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_and_another_pet_after_a_lookup_is_looked_up() -> None:
    bookings = [
        booking_of("Barney", at(9, 14, 30), "grooming", "b1"),
        booking_of("Pepper", at(11, 16, 30), "vaccination", "b2"),
    ]
    decision = await decide(
        "and Pepper?",
        bookings=bookings,
        history=[
            "is Barney in this week?",
            "Your appointment for Barney is on Wednesday 9 December at 14:30.",
        ],
    )

    assert "Friday 11 December at 16:30" in decision.reply


async def test_a_booking_named_by_today_and_its_time_is_the_one_moved() -> None:
    bookings = [
        booking_of("Rocky", at(7, 16, 30), "consultation", "b1"),
        booking_of("Rocky", at(11, 9), "grooming", "b2"),
    ]
    decision = await decide(
        "Hi, I can't make Rocky's appointment this afternoon at half 4 after all, could we do "
        "tomorrow first thing instead?",
        bookings=bookings,
    )

    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(8, 8, 30)


async def test_everything_this_week_keeps_next_weeks() -> None:
    """ "can you cancel everything this week please? keep next week's" cancelled next week's
    too."""
    bookings = [
        booking_of("Milo", at(10, 9, 30), "consultation", "b1"),
        booking_of("Nala", at(12, 9), "grooming", "b2"),
        booking_of("Milo", at(16, 11), "vaccination", "b3"),
    ]
    decision = await decide(
        "we've got flu in the house 🤒 can you cancel everything this week please? keep next "
        "week's",
        bookings=bookings,
    )

    assert {p.booking_id for p in decision.proposals} == {"b1", "b2"}


async def test_yes_to_the_move_not_the_cancel() -> None:
    """ "yes to the move, not the cancel" cancelled Biscuit's groom and moved nobody."""
    bookings = [
        booking_of("Teddy", at(9, 15), "consultation", "b1"),
        booking_of("Biscuit", at(10, 10), "grooming", "b2"),
    ]
    asked = "can you move teddy's check-up to friday at 11 and cancel biscuit's groom on thursday"
    first = await decide(asked, bookings=bookings)
    decision = await decide(
        "yes to the move, not the cancel - just realised biscuit does need her groom 🙈",
        bookings=bookings,
        pending=pending_several(first),
    )

    assert decision.intent is Intent.CONFIRM
    kept = [c for c in pending_several(first).changes if c.id in decision.confirmed]
    assert [(c.kind, c.subject) for c in kept] == [("reschedule", "Teddy")]


async def test_swapped_round_with_each_day_said() -> None:
    """ "swap Rex's and Coco's appointments round? Rex to Coco's time on Thursday and Coco to
    Rex's on Wednesday" swapped the days and kept each one's time."""
    bookings = [
        booking_of("Rex", at(9, 14), "grooming", "b1"),
        booking_of("Coco", at(10, 16), "consultation", "b2"),
    ]
    decision = await decide(
        "Could you swap Rex's and Coco's appointments round? Rex to Coco's time on Thursday and "
        "Coco to Rex's on Wednesday. Same things as booked, just swapped",
        bookings=bookings,
    )

    assert sorted(proposed(decision)) == [("Coco", at(9, 14)), ("Rex", at(10, 16))]


async def test_moved_back_to_back() -> None:
    bookings = [
        booking_of("Buster", at(11, 8, 45), "consultation", "b1"),
        booking_of("Duke", at(11, 8, 30), "vaccination", "b2"),
    ]
    decision = await decide(
        "Hi! Can we reschedule both dogs, Buster's checkup and Duke's shots, to next Monday "
        "afternoon? Back to back starting at 2 would be great.",
        bookings=bookings,
    )

    assert proposed(decision) == [("Buster", at(14, 14)), ("Duke", at(14, 14, 30))]


async def test_a_new_pet_at_the_time_of_a_booking_kept_is_never_put_in_the_cancelled_one() -> None:
    """ "cancel Daisy's groom … could you book Pip in … at the same time as Daisy's jab?"
    booked Pip at the cancelled groom's time."""
    bookings = [
        booking_of("Daisy", at(10, 15), "grooming", "b1"),
        booking_of("Daisy", at(11, 9, 30), "vaccination", "b2"),
    ]
    decision = await decide(
        "Hello, please cancel Daisy's groom on Thursday but keep her jab on Friday. And could "
        "you book Pip in for a check-up at the same time as Daisy's jab?",
        bookings=bookings,
    )

    made = decision.proposals or ([decision.proposal] if decision.proposal else [])
    assert ("Pip", at(10, 15)) not in [(p.subject, p.slot_start) for p in made]


async def test_the_same_as_another_pet_instead_of_a_cancellation() -> None:
    """ "but could she have the same as Thistle instead, while she's there?" to our proposed
    cancellation got the question again, and the yes cancelled."""
    bookings = [
        booking_of("Bramble", at(12, 11, 30), "consultation", "b1"),
        booking_of("Thistle", at(12, 11, 30), "vaccination", "b2"),
    ]
    decision = await decide(
        "but could she have the same as Thistle instead, while she's there? she's due hers too",
        bookings=bookings,
        pending=pending("cancel", at(12, 11, 30), subject="Bramble", booking_id="b1"),
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.service) == ("b1", "vaccination")


async def test_a_service_dropped_never_takes_a_cancelled_ones_time() -> None:
    """ "actually skip the groom, just the booster. and yes cancel mo's" booked Sparky at Mo's
    Thursday 16:30, the one being cancelled."""
    bookings = [booking_of("Mo", at(10, 16, 30), "consultation", "b1")]
    asked = (
        "can you book sparky in for his booster on saturday the 19th at 11, and a groom straight "
        "after? oh and cancel mo's check-up on thursday"
    )
    first = await decide(asked, bookings=bookings)
    decision = await decide(
        "actually skip the groom, just the booster. and yes cancel mo's",
        bookings=bookings,
        pending=pending_several(first),
        history=[asked, first.reply],
    )

    made = decision.proposals or ([decision.proposal] if decision.proposal else [])
    assert ("Sparky", at(10, 16, 30)) not in [(p.subject, p.slot_start) for p in made]
    assert ("Sparky", at(19, 11)) in [(p.subject, p.slot_start) for p in made]


async def test_both_pets_bookings_changed_to_another_service() -> None:
    """ "Can Bear and Pumpkin both have a full check-up instead of just the jab?" asked which
    one, twice."""
    bookings = [
        booking_of("Bear", at(9, 18), "vaccination", "b1"),
        booking_of("Pumpkin", at(10, 18), "vaccination", "b2"),
    ]
    decision = await decide(
        "Can Bear and Pumpkin both have a full check-up instead of just the jab? Same days and "
        "times as booked.",
        bookings=bookings,
    )

    assert [(p.booking_id, p.slot_start, p.service) for p in decision.proposals] == [
        ("b1", at(9, 18), "consultation"),
        ("b2", at(10, 18), "consultation"),
    ]
