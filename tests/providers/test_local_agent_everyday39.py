"""Held-out set 39 (evals/scenarios/everyday39.yaml): several jobs in one thread, two days asked
as a choice, a long message with the request in the middle, emoji, questions beside a request,
a holiday refused then "the day before", a month past the horizon, one pet taking another's
slot. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


async def test_a_list_of_jobs_opening_the_message_is_no_day() -> None:
    """It booked Monday ("3 jobs today"), "for your pets": two wrong actions with the next."""
    decision = await decide(
        "hi! 3 pets 3 jobs today 😅 first up bramble needs his booster, is tuesday 10.15 ok?"
    )

    assert proposed(decision) == [("Bramble", at(8, 10, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_two_days_asked_as_a_choice_list_both_days_times() -> None:
    decision = await decide(
        "what have you got thursday or friday afternoon for a groom? it's for pumpkin 🐕"
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Thursday 10 December" in decision.reply and "Friday 11 December" in decision.reply


async def test_a_request_in_the_middle_of_a_long_message_beside_an_absence_is_read() -> None:
    """ "Sorry, I didn't quite get that": "I can't do Thursday because of work" made the whole
    message news of an absence."""
    decision = await decide(
        "Hi there, sorry in advance for the essay! We moved to Paris from Lyon last month and "
        "I've been meaning to find a new vet for ages, my sister recommended you. Our old boy "
        "Hector is 12 now and mostly fine but he's been drinking loads of water lately so I'd "
        "like him checked over, would Friday around 10.30am be possible? I can't do Thursday "
        "because of work. Oh and he hates the car so we'll walk over, it's only 10 minutes. "
        "Thanks so much, Claire"
    )

    assert proposed(decision) == [("Hector", at(11, 10, 30))]


async def test_a_name_before_an_emoji_is_the_pet() -> None:
    decision = await decide("rocco 🐶 needs a groom ✂️🛁 friday 2pm?? 🙏🙏😍")

    assert proposed(decision) == [("Rocco", at(11, 14))]


async def test_what_to_bring_and_the_days_open_are_both_answered_nothing_offered() -> None:
    """It offered Saturday's times and left what to bring unanswered."""
    decision = await decide(
        "hello! what should i bring to thistle's first visit? she's a rabbit. and are you open "
        "sundays at all?"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "closed on Sundays" in decision.reply and "booklet" in decision.reply


FIRST_BASIL = (
    "if i book basil in for a check up monday the 14th at 5pm and then can't make it, do you "
    "charge for cancelling?"
)


async def test_a_booking_supposed_beside_the_policy_asked_is_read_back_with_it() -> None:
    """The policy alone was said, and "ok great, yes book it" got "Sorry, what would you like
    to book or change?"."""
    decision = await decide(FIRST_BASIL)

    assert decision.reply.startswith("Appointments can be moved or cancelled free of charge")
    assert proposed(decision) == [("Basil", at(14, 17))]


async def test_book_it_after_an_answer_alone_books_the_request_asked_as_a_maybe() -> None:
    """("Cancelling" was read as a pet there too.)"""
    policy = "Appointments can be moved or cancelled free of charge up to 24 hours before."
    decision = await decide("ok great, yes book it", history=[FIRST_BASIL, policy])

    assert proposed(decision) == [("Basil", at(14, 17))]


async def test_the_day_before_a_refused_holiday_at_the_same_time() -> None:
    refused = (
        "Sorry, Friday 1 January 2027 at 10:00 isn't possible: we're closed on New Year's Day. "
        "I can offer Thursday 31 December at 09:45, Thursday 31 December at 10:00 or Saturday 2 "
        "January 2027 at 10:00. Which would suit you?"
    )
    decision = await decide(
        "ah of course. the day before then? same time",
        history=[
            "are you open on new year's day? rufus needs a check up, 10am would be ideal",
            refused,
        ],
    )

    assert proposed(decision) == [("Rufus", at(31, 10))]


async def test_a_month_past_the_horizon_says_it_cannot_be_booked_yet() -> None:
    decision = await decide("hi can we book biscotti's yearly booster for mid june?")

    assert decision.proposal is None
    assert "90 days" in decision.reply and "Saturday 6 March 2027" in decision.reply


async def test_a_pet_taking_anothers_slot_cancels_that_one_and_books_it() -> None:
    """It said Archie was already booked then, and the yes kept Archie's booking."""
    decision = await decide(
        "hi, archie's all better now 🙌 but his sister bella has started sneezing - could bella "
        "just take his slot on friday instead?",
        bookings=[booked("Archie", at(11, 10))],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("cancel", "Archie", at(11, 10)),
        ("book", "Bella", at(11, 10)),
    ]


async def test_one_pet_having_the_others_slot_and_back_is_still_a_swap() -> None:
    decision = await decide(
        "can max have bella's slot and bella have max's",
        bookings=[booked("Max", at(10, 15)), booked("Bella", at(11, 10), "grooming")],
    )

    assert {p.kind for p in decision.proposals} == {"reschedule"}


async def test_yes_to_our_reply_yes_to_cancel_it_cancels() -> None:
    """ "Got it. Shall I cancel …?" again: "Reply YES to cancel it" made "yes" a reply token
    read as a new request to cancel, read back instead of confirmed."""
    max_tuesday = booked("Max", at(8, 10))
    asked = (
        "Would you like me to cancel the appointment for Max on Tuesday 8 December at 10:00? "
        "Reply YES to cancel it, or tell me another day and time to move it instead."
    )
    waiting = PendingAction(
        id="act-1",
        kind="cancel",
        slot_start=at(8, 10),
        subject="Max",
        booking_id=max_tuesday.id,
        expires_at=NOW + timedelta(minutes=10),
    )

    decision = await decide(
        "yes",
        pending=waiting,
        bookings=[max_tuesday],
        history=["sorry we can't come tomorrow anymore, max is fine now", asked],
    )

    assert decision.intent is Intent.CONFIRM and decision.action_id == "act-1", decision.reply


async def test_data_asked_to_be_deleted_goes_to_the_team() -> None:
    """ "I can't find an upcoming appointment to cancel"."""
    decision = await decide("delete my data please", bookings=[booked("Max", at(8, 10))])

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "delete your data" in decision.reply
    assert decision.proposal is None


async def test_a_service_changed_for_a_visit_named_by_the_wrong_day_keeps_its_day() -> None:
    """It moved Luna's Wednesday jab to Tuesday ("tomorrow") as well as changing it."""
    decision = await decide(
        "can luna's jab tomorrow be changed to a checkup instead, she's been limping",
        bookings=[booked("Luna", at(9, 14), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Luna", at(9, 14))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"


async def test_two_pets_given_two_times_in_a_list_get_one_each_in_order() -> None:
    """Both were read back at 10:45: a wrong action for Max once confirmed."""
    decision = await decide(
        "hi, can i book max for a groom and bella for a checkup on friday at 10 and 10.45"
    )

    assert proposed(decision) == [("Max", at(11, 10)), ("Bella", at(11, 10, 45))]
    assert [p.service for p in decision.proposals] == ["grooming", "consultation"]
