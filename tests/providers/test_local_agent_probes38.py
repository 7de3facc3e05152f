"""Conversations played turn by turn in session 38 (held-out sets 87–88's open ones and the sets
written this session, 91–94). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide
from tests.providers.test_local_agent_probes33 import booking_of

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
