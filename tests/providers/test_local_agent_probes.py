"""The local agent on questions a first probe of everyday messages got wrong (session 19, issue
9): a kind of visit the clinic does not offer read as a consultation, "Yes" to a question that is
not a yes/no one, the software asked whether it is a person, a member of staff asked for by title.

``NOW`` and the profile are those of ``test_local_agent_everyday``: Monday 7 December 2026,
09:00 in Paris; Mon-Fri 08:30-12:30 and 14:00-19:00, Saturday 09:00-13:00, closed on Sunday.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import AgentDecision, Channel, Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, PROFILE, at, booked, decide


@pytest.mark.parametrize(
    ("message", "thing"),
    [
        ("do you do home visits?", "home visits"),
        ("how much is a home visit", "home visit"),
        ("do you do house calls", "house calls"),
        ("how much do you charge for neutering a male cat", "neutering"),
        ("whats the price of a microchip", "microchip"),
    ],
)
async def test_a_kind_of_visit_the_profile_does_not_list_is_not_a_consultation(
    message: str, thing: str
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply.startswith(f"Sorry, I can't book {thing} here."), decision.reply
    assert "Yes, we do" not in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "do you do checkup visits",
        "how much is a vaccination visit",
        "how much do you charge for a vaccination",
        "what is the price for a dental clean",
    ],
)
async def test_a_visit_named_by_a_service_is_that_service(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "can't book" not in decision.reply
    assert "€" in decision.reply


async def test_when_the_clinic_closes_is_answered_without_a_yes() -> None:
    decision = await decide("what time do you close tonight")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert not decision.reply.startswith("Yes"), decision.reply
    assert "Monday 7 December" in decision.reply
    assert "19:00" in decision.reply


async def test_open_on_a_date_names_the_date_and_on_a_weekday_in_the_plural_every_one() -> None:
    boxing_day = await decide("are you open boxing day")
    saturdays = await decide("are you open on saturdays")

    assert boxing_day.reply.startswith("Yes, we're open on Saturday 26 December"), boxing_day.reply
    assert "09:00-13:00" in boxing_day.reply
    assert saturdays.reply.startswith("Yes, we're open on Saturdays"), saturdays.reply


@pytest.mark.parametrize(
    "message",
    [
        "is this a bot",
        "r u a bot lol",
        "who am i talking to",
        "am i talking to a real person?",
        "are you a human",
    ],
)
@pytest.mark.parametrize("channel", [Channel.WHATSAPP, Channel.VOICE])
async def test_asked_whether_it_is_a_person_it_says_it_is_software(
    message: str, channel: Channel
) -> None:
    decision = await decide(message, channel=channel)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "automated assistant" in decision.reply
    assert "person" in decision.reply  # and how to reach one


async def test_asked_whether_it_is_a_bot_and_for_a_person_it_hands_over() -> None:
    decision = await decide("are you a bot? I want a real person")

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.note


@pytest.mark.parametrize(
    "message",
    [
        "i'd like to speak to dr smith",
        "can I talk to nurse anna please",
        "can you put me through to reception",
    ],
)
async def test_a_member_of_staff_asked_for_by_title_is_a_handoff(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.note


@pytest.mark.parametrize(
    "message",
    [
        "you have the wrong number",
        "I think you've got the wrong person",
        "this isn't my appointment",
        "who is max? I don't have a dog",
        "I never booked an appointment",
    ],
)
async def test_bookings_said_not_to_be_theirs_go_to_the_team_and_nothing_changes(
    message: str,
) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.note and "not theirs" in decision.note
    assert decision.proposal is None and not decision.proposals


@pytest.mark.parametrize("message", ["sorry wrong number", "oops wrong number", "wrong no sorry"])
async def test_a_message_sent_here_by_mistake_gets_a_kind_word_and_nothing_else(
    message: str,
) -> None:
    decision = await decide(message, bookings=[booked("Max", at(10, 10))])

    assert decision.intent is Intent.OTHER, decision.reply
    assert decision.reply.startswith("No problem")
    assert decision.proposal is None and not decision.proposals


async def test_a_pet_they_do_not_have_beside_a_request_is_still_the_request() -> None:
    decision = await decide("I don't have a dog, it's my cat Luna, can she come tomorrow at 10")

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Luna"
    assert decision.proposal.slot_start == at(8, 10)


async def test_the_earliest_in_a_part_of_the_day_offers_that_part_of_the_first_day() -> None:
    decision = await decide("earliest afternoon appointment for max?")

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("What time on Monday 7 December"), decision.reply
    assert "14:00" in decision.reply and "10:00" not in decision.reply


# -- while a booking waits for a yes ---------------------------------------------------------------

WAITING = PendingAction(
    id="act-1",
    kind="book",
    slot_start=at(8, 15),
    subject="Max",
    expires_at=NOW + timedelta(hours=1),
    service="consultation",
)
OFFERED = ["can max come tomorrow at 3", "I can book Tuesday 8 December at 15:00 for Max."]
BOOKED = [booked("Max", at(10, 10)), booked("Luna", at(11, 15, 30))]


async def waiting(message: str) -> AgentDecision:
    return await decide(message, pending=WAITING, bookings=BOOKED, history=OFFERED)


@pytest.mark.parametrize(
    "message",
    [
        "yes please, also can you cancel luna's friday one",
        "yes, also cancel luna",
        "yes but cancel luna's",
    ],
)
async def test_a_yes_with_a_cancellation_proposes_both_never_a_booking_on_that_day(
    message: str,
) -> None:
    decision = await waiting(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    changes = [(p.kind, p.subject, p.slot_start) for p in decision.proposals]
    assert changes == [("book", "Max", at(8, 15)), ("cancel", "Luna", at(11, 15, 30))]


async def test_a_yes_with_another_pet_at_the_same_time_proposes_both() -> None:
    decision = await waiting("yes and can you book luna at the same time")

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(p.subject for p in decision.proposals) == ["Luna", "Max"]
    assert {p.slot_start for p in decision.proposals} == {at(8, 15)}


@pytest.mark.parametrize(
    "message",
    [
        "hold on let me check with my husband",
        "let me ask my wife first",
        "give me a sec",
        "one moment pls, checking my diary",
    ],
)
async def test_asking_for_time_keeps_the_proposal_open(message: str) -> None:
    decision = await waiting(message)

    assert decision.intent is Intent.OTHER, decision.reply
    assert decision.action_id is None and decision.proposal is None
    assert "Tuesday 8 December at 15:00" in decision.reply


@pytest.mark.parametrize(
    "message", ["not that day sorry", "that time doesn't work for me", "that day won't work"]
)
async def test_turning_down_the_proposed_day_declines_and_asks_for_another(message: str) -> None:
    decision = await waiting(message)

    assert (decision.intent, decision.action_id) == (Intent.DECLINE, "act-1"), decision.reply
    assert "instead" in decision.reply


@pytest.mark.parametrize("message", ["is that with a vet or a nurse?", "who will we be seeing?"])
async def test_who_they_will_see_is_answered_and_the_proposal_asked_again(message: str) -> None:
    decision = await waiting(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "don't name a vet" in decision.reply
    assert "Tuesday 8 December at 15:00" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "Hi, I've just moved to the area and would like to register my two cats",
        "do you take new patients?",
        "are you accepting new clients",
    ],
)
async def test_joining_the_clinic_is_answered_from_the_profile(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply == PROFILE.policies["new_patients"]


async def test_what_about_a_day_asks_about_that_day_for_a_visit() -> None:
    closed = await decide("what about the 25th?")
    free = await decide("how about friday")

    assert closed.intent is Intent.CLARIFY, closed.reply
    assert "closed on Christmas Day" in closed.reply
    assert free.reply.startswith("What time on Friday 11 December"), free.reply


# -- while a move or a cancellation waits for a yes ------------------------------------------------


def proposed(kind: str) -> PendingAction:
    """Max's Thursday 10:00 booking: to be moved to Wednesday 11:00, or cancelled."""
    return PendingAction(
        id="act-2",
        kind=kind,
        slot_start=at(9, 11) if kind == "reschedule" else at(10, 10),
        subject="Max",
        booking_id="b-Max",
        expires_at=NOW + timedelta(hours=1),
    )


@pytest.mark.parametrize(
    "message",
    ["actually keep it as it is", "no leave it on thursday", "leave it where it is", "nvm"],
)
@pytest.mark.parametrize("kind", ["reschedule", "cancel"])
async def test_keeping_the_booking_declines_the_change(message: str, kind: str) -> None:
    decision = await decide(message, pending=proposed(kind), bookings=BOOKED)

    assert (decision.intent, decision.action_id) == (Intent.DECLINE, "act-2"), decision.reply
    assert decision.proposal is None


async def test_a_move_to_where_the_booking_already_is_is_asked_about() -> None:
    instead = "yes, and book him in for thursday instead"
    decision = await decide(instead, pending=proposed("cancel"), bookings=BOOKED)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.proposal is None
    assert "already on Thursday 10 December at 10:00" in decision.reply


async def test_next_thursday_instead_of_a_thursday_booking_is_the_week_after() -> None:
    """Said on a Monday, "next thursday" is next week's (session 38)."""
    instead = "yes, and book him in for next thursday instead"
    decision = await decide(instead, pending=proposed("cancel"), bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(17, 10)


@pytest.mark.parametrize("message", ["no, I meant luna", "sorry, luna's not max's", "no, luna"])
async def test_another_pet_meant_gets_the_same_change_proposed_for_that_pet(message: str) -> None:
    cancel = await decide(message, pending=proposed("cancel"), bookings=BOOKED)
    move = await decide(message, pending=proposed("reschedule"), bookings=BOOKED)

    assert cancel.intent is Intent.PROPOSE_CANCEL, cancel.reply
    assert cancel.proposal is not None and cancel.proposal.booking_id == "b-Luna"
    assert move.intent is Intent.PROPOSE_RESCHEDULE, move.reply
    assert move.proposal is not None and move.proposal.booking_id == "b-Luna"
    assert move.proposal.slot_start == at(9, 11)


async def test_the_other_pet_to_cancel_while_a_move_waits_is_a_cancellation() -> None:
    decision = await decide(
        "it's luna i want to cancel", pending=proposed("reschedule"), bookings=BOOKED
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b-Luna"


# -- on a call -------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.VOICE, Channel.WHATSAPP])
async def test_a_time_with_a_hesitation_inside_is_read_whole(channel: Channel) -> None:
    decision = await decide("Um, Friday at, uh, two thirty, for Max", channel=channel)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(11, 14, 30)


@pytest.mark.parametrize("message", ["Sorry, can you repeat that?", "pardon?", "sorry?"])
async def test_asked_to_repeat_it_says_its_last_words_again(message: str) -> None:
    decision = await waiting(message)

    assert decision.reply == OFFERED[-1]
    assert decision.action_id is None  # the proposal still waits


@pytest.mark.parametrize("message", ["Hello? Is anyone there?", "can you hear me"])
async def test_asked_whether_anyone_is_there_it_says_so_and_asks_again(message: str) -> None:
    decision = await waiting(message)

    assert decision.reply.startswith("Yes, I'm here."), decision.reply
    assert "Tuesday 8 December at 15:00" in decision.reply
    assert decision.action_id is None


# -- several pets, several services ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "book a nail trim for Max and a checkup for Luna on friday at 3pm",
            {("Max", "grooming"), ("Luna", "consultation")},
        ),
        (
            "Max needs a dental and Luna needs a groom, friday at 3pm",
            {("Max", "dental"), ("Luna", "grooming")},
        ),
    ],
)
async def test_each_pet_gets_the_service_its_own_clause_names(
    message: str, expected: set[tuple[str, str]]
) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.service) for p in decision.proposals} == expected
    assert {p.slot_start for p in decision.proposals} == {at(11, 15)}
    assert "(grooming)" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "I'd like to book a nail trim for Max and a checkup for Luna, same time on friday 3pm",
        "book max and luna same time friday 3pm",
    ],
)
async def test_booking_two_pets_at_the_same_time_moves_none_of_their_bookings(
    message: str,
) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {p.kind for p in decision.proposals} == {"book"}
    assert all(p.booking_id is None for p in decision.proposals)


async def test_a_booking_without_a_confirmation_seen_is_looked_up() -> None:
    decision = await decide(
        "I booked online for Max but didn't get a confirmation", bookings=BOOKED
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December at 10:00" in decision.reply


async def test_a_question_about_paying_gets_no_list_of_services() -> None:
    decision = await decide("do you do payment plans")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply == PROFILE.policies["payment"]


# -- moves said in other words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "could luna come with max on thursday instead of friday",
        "luna at the same time as max please",
    ],
)
async def test_one_booked_pet_to_come_with_another_moves_only_its_own_booking(
    message: str,
) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b-Luna"
    assert decision.proposal.slot_start == at(10, 10)


@pytest.mark.parametrize(
    "message",
    [
        "push luna back to the following week",
        "move luna to the week after",
        "postpone luna by a week",
    ],
)
async def test_a_week_later_said_in_other_words_moves_it_seven_days(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(18, 15, 30)


@pytest.mark.parametrize("message", ["i can't make thursday", "i can no longer make thursday"])
async def test_a_day_given_up_says_which_booking(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b-Max"
    assert "move it instead" in decision.reply


# -- a pet that died, a customer leaving -----------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "booking_id"),
    [("luna passed away last week", "b-Luna"), ("we had to put max to sleep yesterday", "b-Max")],
)
async def test_a_pet_that_died_gets_condolences_and_its_booking_offered_to_cancel(
    message: str, booking_id: str
) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.reply.startswith("I'm so sorry for your loss.")
    assert decision.proposal is not None and decision.proposal.booking_id == booking_id


async def test_a_pet_that_died_with_nothing_booked_is_passed_to_the_team() -> None:
    decision = await decide("our cat Misty died on sunday")

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.reply.startswith("I'm so sorry for your loss.")
    assert "died" in decision.note


@pytest.mark.parametrize(
    "message",
    [
        "sorry my phone died, what time was max booked for",
        "max nearly died last night he ate a sock",
    ],
)
async def test_died_of_a_phone_or_nearly_died_is_no_condolence(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert "sorry for your loss" not in decision.reply


async def test_a_new_pet_asked_for_after_one_that_died_is_booked() -> None:
    decision = await decide(
        "my old dog died last year, now I have a puppy called Ziggy, can he come friday at 10"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Ziggy"


async def test_a_customer_leaving_is_offered_the_cancellation_of_their_bookings() -> None:
    decision = await decide("we've found another vet closer to home", bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.kind, p.booking_id) for p in decision.proposals} == {
        ("cancel", "b-Max"),
        ("cancel", "b-Luna"),
    }


async def test_a_cancellation_by_time_picks_the_booking_at_that_time() -> None:
    decision = await decide("cancel the 10am", bookings=BOOKED)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b-Max"


async def test_everything_moved_by_two_weeks_is_each_booking_fourteen_days_on() -> None:
    decision = await decide("can you move everything by two weeks", bookings=[BOOKED[0]])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(24, 10)


# -- questions about a booking ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["am I still on for thurs?", "what time should we arrive on thursday"]
)
async def test_a_question_about_a_day_answers_with_that_days_booking(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Max" in decision.reply and "Thursday 10 December at 10:00" in decision.reply
    assert "Luna" not in decision.reply


async def test_what_a_pet_is_booked_in_for_names_the_service() -> None:
    decision = await decide("what's max booked in for", bookings=BOOKED)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "(consultation)" in decision.reply


async def test_a_question_about_a_booking_on_its_day_asks_for_no_new_booking() -> None:
    decision = await decide(
        "do I need to bring anything for luna's appointment on friday", bookings=BOOKED
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply == PROFILE.policies["bring"]


# -- dates written with numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("Max 12/12 10am", at(12, 10)),
        ("luna 14.12 at 14h", at(14, 14)),
        ("luna 14.12 at 2pm", at(14, 14)),
        ("max friday 10.15", at(11, 10, 15)),
    ],
)
async def test_a_numeric_date_beside_a_time_is_read_as_both(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


@pytest.mark.parametrize("message", ["can u help", "I have a question", "help", "menu"])
async def test_help_asked_for_is_understood(message: str) -> None:
    decision = await decide(message)

    assert decision.reply.startswith("Of course!"), decision.reply
    assert "didn't" not in decision.reply


async def test_a_pet_named_alone_asks_what_for_that_pet() -> None:
    decision = await decide("Max", bookings=BOOKED)

    assert decision.reply.startswith("What would you like to do for Max?"), decision.reply
    assert decision.proposal is None


@pytest.mark.parametrize(
    ("message", "first_time"),
    [("max sat am", "09:00"), ("max tues pm", "14:00"), ("max friday after work", "17:00")],
)
async def test_a_day_with_am_pm_or_after_work_offers_that_part_of_it(
    message: str, first_time: str
) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("What time on"), decision.reply
    assert f"I have {first_time}" in decision.reply


async def test_both_of_them_adds_the_other_pet_to_the_proposed_booking() -> None:
    decision = await waiting("make it for both of them")

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(p.subject for p in decision.proposals) == ["Luna", "Max"]
    assert {p.slot_start for p in decision.proposals} == {at(8, 15)}


async def test_am_or_pm_about_the_proposal_is_answered_and_it_is_asked_again() -> None:
    decision = await waiting("is that am or pm?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply.startswith("15:00 is 3 pm, in the afternoon."), decision.reply
    assert decision.action_id is None


# -- a new customer's pet, named in lower case -----------------------------------------------------


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("max tomorrow at 10", "Max"),
        ("book max tomorrow at 10", "Max"),
        ("luna tmrw 3pm", "Luna"),
    ],
)
async def test_a_name_in_lower_case_before_a_day_is_the_pet(message: str, name: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == name


@pytest.mark.parametrize(
    "message",
    ["maybe friday at 2", "sure friday at 2", "lol friday at 2", "nah friday at 2"],
)
async def test_a_common_word_before_a_day_names_no_pet(message: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "you"


# -- questions about the clinic itself -------------------------------------------------------------


async def test_a_question_about_how_the_clinic_works_goes_to_the_team_not_a_booking() -> None:
    decision = await decide("are dogs and cats seen in separate waiting rooms?", bookings=BOOKED)

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.proposal is None
    assert decision.note is not None and "waiting rooms" in decision.note


async def test_asking_for_an_email_address_gets_how_to_reach_the_clinic() -> None:
    decision = await decide("do you have an email address?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "email address" in decision.reply
    assert PROFILE.phone is not None and PROFILE.phone in decision.reply
    assert "Where" not in decision.reply and PROFILE.address not in decision.reply


async def test_bringing_a_dog_without_a_lead_gets_the_bring_policy() -> None:
    decision = await decide("can I bring my dog in without a lead?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.proposal is None


async def test_do_you_guys_do_a_service_is_answered_yes() -> None:
    decision = await decide("do you guys do grooming for cats?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.reply.startswith("Yes, we do grooming"), decision.reply


# -- a weekday beside a date it does not fall on ---------------------------------------------------


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("Tuesday the 10th at 10 for max", "Thursday 10 December or Tuesday 8 December"),
        ("wednesday 10 december 3pm for luna", "Thursday 10 December or Wednesday 9 December"),
    ],
)
async def test_a_weekday_beside_a_date_on_another_day_is_asked_about(
    message: str, asked: str
) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.proposal is None
    assert asked in decision.reply
    assert "2027" not in decision.reply


async def test_the_day_answering_the_weekday_question_keeps_the_time_said() -> None:
    first = "Tuesday the 10th at 10 for max"
    question = (await decide(first, bookings=BOOKED)).reply

    decision = await decide("the tuesday", bookings=BOOKED, history=[first, question])

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Max", at(8, 10))


async def test_a_move_to_a_weekday_and_date_that_disagree_asks_then_moves() -> None:
    first = "move max to friday the 12th"
    question = (await decide(first, bookings=BOOKED)).reply
    assert "Saturday 12 December or Friday 11 December" in question
    assert question.endswith("to?")

    decision = await decide("friday please at 11", bookings=BOOKED, history=[first, question])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Max"
    assert decision.proposal.slot_start == at(11, 11)


@pytest.mark.parametrize(
    "message", ["thursday the 10th at 11 for max", "wed 9/12 at 2 for max", "tuesday 10am for max"]
)
async def test_a_weekday_and_date_that_agree_are_booked_as_said(message: str) -> None:
    decision = await decide(message, bookings=BOOKED)

    assert decision.proposal is not None, decision.reply
