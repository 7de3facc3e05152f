"""Held-out set 35 (evals/scenarios/everyday35.yaml): households of pets, a pet said to stay
while another moves, another pet's visit as the model, a call referred to, photos, and the
general rules their failures showed. Reference moment: Monday 7 December 2026, 09:00
Europe/Paris (``NOW``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import Intent
from switchboard.availability import Busy
from switchboard.understanding.text import normalise
from tests.providers.test_local_agent_everyday import (
    at,
    booked,
    clock_times,
    decide,
    pending,
    proposed,
)

JANUARY_2_AT_10 = datetime(2027, 1, 2, 10, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
MAX_AND_BELLA_BOOKED = [
    "can max and bella both have check ups wednesday? max at 2 and bella at half 2",
    "I can book Max for Wednesday 9 December at 14:00 and Bella for Wednesday 9 December at "
    "14:30. Reply YES to confirm.",
    "yes",
    "Done: Max is booked for Wednesday 9 December at 14:00 and Bella is booked for Wednesday 9 "
    "December at 14:30.",
]


@pytest.mark.parametrize(
    "message",
    [
        "oh wait can bella's be 3 instead? max stays at 2",
        "can bella's be 3 instead, max can stay at 2",
        "keep max at 2 but could bella's be at 3?",
        "move bella to 3 please, leave max where he is",
    ],
)
@pytest.mark.parametrize("history", [MAX_AND_BELLA_BOOKED, []], ids=["just-booked", "no-history"])
async def test_a_pet_said_to_stay_is_not_moved_with_the_other(
    message: str, history: list[str]
) -> None:
    """It asked which day and time to move "them" to, and Bella stayed at 14:30."""
    decision = await decide(
        message,
        bookings=[booked("Max", at(9, 14)), booked("Bella", at(9, 14, 30))],
        history=history,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(9, 15))]


async def test_half_an_hour_later_for_one_pet_while_the_other_stays() -> None:
    decision = await decide(
        "can pepper be half an hour later on tuesday? simba can stay at 4",
        bookings=[booked("Pepper", at(8, 16)), booked("Simba", at(8, 16))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Pepper", at(8, 16, 30))]


async def test_the_booked_day_given_up_is_not_the_day_asked_for_next_week() -> None:
    """It moved Daisy to Friday 18 ("friday" + "next week"); Thursday 17 was asked for."""
    decision = await decide(
        "can you cancel friday and book her in for next week instead? thursday at 4 would be "
        "good. daisy i mean not pepper lol",
        bookings=[booked("Daisy", at(11, 12)), booked("Pepper", at(12, 10), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Daisy", at(17, 16))]


@pytest.mark.parametrize(
    "message",
    [
        "max's dental on friday needs to go to next week, tuesday the 15th at 2 if poss",
        "max's dental has to go to tuesday the 15th at 2",
    ],
)
async def test_a_booking_that_needs_to_go_elsewhere_is_moved(message: str) -> None:
    """It was read as a new booking, and "friday … tuesday the 15th" as a weekday clash."""
    decision = await decide(
        message,
        bookings=[booked("Max", at(11, 9), "dental"), booked("Bella", at(11, 14), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(15, 14))]


@pytest.mark.parametrize(
    "message",
    [
        "morning! can milo have the same as bella had last week? saturday at 9.30 if you can",
        "can milo have what bella had, saturday at 9.30?",
    ],
)
async def test_another_pets_visit_as_the_model_books_only_the_pet_asked_for(message: str) -> None:
    """It booked Bella too, and Milo as a consultation, not Bella's vaccination."""
    decision = await decide(
        message,
        bookings=[booked("Bella", at(2, 10), "vaccination")],
        history=[
            "can bella have her booster on Wednesday 2 December at 10?",
            "Done: Bella is booked for a vaccination on Wednesday 2 December at 10:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Milo", at(12, 9, 30))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


def test_the_first_one_counts_an_item_not_a_date() -> None:
    assert normalise("the first one then, the 2nd, at 10?") == "the 1st one then the 2nd at 10"


async def test_the_first_one_of_the_saturdays_is_the_date_said_with_it() -> None:
    """It read "the first one" as the 1st (New Year's Day, closed) instead of the 2nd."""
    decision = await decide(
        "the first one then, the 2nd, at 10?",
        history=[
            "hi are any saturdays free in january? teddy needs a groom",
            "What time on Saturday 2 January would you like for Teddy? I have 09:00, 10:00, "
            "11:15 or 12:15.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert [when for _, when in proposed(decision)] == [JANUARY_2_AT_10]


async def test_before_we_open_says_so_and_offers_the_opening_time() -> None:
    """It listed the day's times without saying that 08:30 is the earliest there is."""
    decision = await decide("can rocky have his booster before 8am on friday? i start work at 9")

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert "we open at 08:30" in decision.reply
    assert proposed(decision) == [("Rocky", at(11, 8, 30))]


async def test_a_reminder_asked_for_another_booking_is_answered_as_a_reminder() -> None:
    """It read "does bella get one for friday too?" as a booking and offered times."""
    decision = await decide(
        "ok whatsapp's fine then. does bella get one for friday too?",
        bookings=[booked("Max", at(9, 11), "dental"), booked("Bella", at(11, 11, 30))],
        history=[
            "can you send me a text reminder the day before max's dental? not whatsapp",
            "We send you a WhatsApp reminder 24 hours before each appointment. We can't send "
            "text messages (SMS).",
        ],
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "Bella on Friday 11 December at 11:30 gets one too" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "hi can someone give me a ring instead? it's about coco's appointment tomorrow",
        "it's much easier to explain on the phone tbh",
    ],
)
async def test_a_phone_call_asked_for_is_a_handoff_for_a_call_back(message: str) -> None:
    decision = await decide(message, bookings=[booked("Coco", at(8, 12))])

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "call you back" in decision.reply


@pytest.mark.parametrize(
    ("message", "pet"),
    [
        ("📸 max's paw this morning, swollen between his toes 😟 can he be seen today?", "Max"),
        ("thats the lump on coco's side, can she come in friday morning?", "Coco"),
    ],
)
async def test_a_pet_named_by_its_body_part_is_the_pet_asked_about(message: str, pet: str) -> None:
    """It asked "What time … would you like?" and booked for "you"."""
    decision = await decide(message)

    assert f"for {pet}?" in decision.reply


async def test_a_file_name_alone_says_the_file_did_not_come_through() -> None:
    decision = await decide("IMG_4471.jpg")

    assert "didn't" not in decision.reply
    assert "file itself" in decision.reply


async def test_quarter_past_after_a_time_is_past_that_hour_for_the_pet_it_is_said_of() -> None:
    """Coco was dropped: only Max and Bella at 09:00 were proposed."""
    decision = await decide(
        "can all three have their boosters saturday morning? max and bella at 9 and coco at "
        "quarter past"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [
        ("Bella", at(12, 9)),
        ("Coco", at(12, 9, 15)),
        ("Max", at(12, 9)),
    ]


async def test_leave_her_after_a_refused_change_keeps_the_booking() -> None:
    three = [
        booked("Max", at(12, 9), "vaccination"),
        booked("Bella", at(12, 9), "vaccination"),
        booked("Coco", at(12, 9, 15), "vaccination"),
    ]
    decision = await decide(
        "ok fine leave her at quarter past then 👍",
        bookings=three,
        busy=[
            Busy(booking_id=b.id, start=b.slot_start, end=b.slot_start + timedelta(minutes=15))
            for b in three
        ],
        history=[
            "actually could coco do 9 as well? easier if they all go in together",
            "Sorry, Saturday 12 December at 09:00 isn't possible: that time is fully booked. I "
            "can offer Saturday 12 December at 09:15 or Saturday 12 December at 09:30. Which "
            "would suit you?",
        ],
    )

    assert decision.proposal is None and not decision.proposals, decision.reply
    assert "Coco stays on Saturday 12 December at 09:15" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "i work 9-5 mon to fri so it's tricky 😩 when could max come in for a check up this week?",
        "when could max come in?",
    ],
)
async def test_when_could_a_pet_come_in_offers_free_times_not_a_booking_lookup(
    message: str,
) -> None:
    """It answered "I can't find an upcoming appointment". Working 9-5, the first time after 5
    is proposed (``switchboard.understanding.windows``)."""
    decision = await decide(message)

    assert decision.intent in (Intent.CLARIFY, Intent.PROPOSE_BOOKING), decision.reply
    assert "Monday 7 December" in decision.reply and "Max" in decision.reply, decision.reply
    if "9-5" in message:
        assert min(clock_times(decision.reply)) >= "17:00", decision.reply


async def test_a_pet_still_at_its_time_is_answered_from_the_booking() -> None:
    decision = await decide(
        "and max is still 3 o'clock yeah?",
        bookings=[booked("Max", at(11, 15))],
    )

    assert decision.proposal is None, decision.reply
    assert "Max is on Friday 11 December at 15:00" in decision.reply


@pytest.mark.parametrize("message", ["same time for biscit yeah", "same time is fine"])
async def test_agreeing_to_what_waits_for_a_yes_confirms_it(message: str) -> None:
    """It proposed the same move again for another yes."""
    decision = await decide(
        message,
        bookings=[booked("Biscuit", at(9, 18, 15)), booked("Pepper", at(8, 17))],
        pending=pending("reschedule", at(11, 18, 15), subject="Biscuit", booking_id="b-Biscuit"),
        history=[
            "hi can biscut's appointment be moved to friday pls",
            "I can move the appointment for Biscuit from Wednesday 9 December at 18:15 to "
            "Friday 11 December at 18:15. Reply YES to confirm.",
        ],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert decision.action_id == "act-1"


async def test_a_question_about_what_waits_for_a_yes_is_no_yes() -> None:
    decision = await decide(
        "same time yeah?",
        bookings=[booked("Biscuit", at(9, 18, 15))],
        pending=pending("reschedule", at(11, 18, 15), subject="Biscuit", booking_id="b-Biscuit"),
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply


# -- set 32's leftovers ------------------------------------------------------------------------


async def test_the_park_the_dog_ate_something_in_is_no_parking_question() -> None:
    """It answered with the parking, and the hotel's "room" was read as a grooming."""
    decision = await decide(
        "hello we're on holiday in paris with our dog Bruno, staying at the hotel round the "
        "corner (room 4). he ate something weird in the park and has been a bit sick. can he be "
        "seen tomorrow at 3? my french number is 06 12 34 56 78 if easier"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bruno", at(8, 15))]
    assert decision.proposal is not None and decision.proposal.service == "consultation"


@pytest.mark.parametrize("message", ["where can i park?", "is there parking nearby?"])
async def test_parking_is_still_answered(message: str) -> None:
    decision = await decide(message)

    assert "parking" in decision.reply


async def test_a_price_said_back_beside_a_booking_is_checked_too() -> None:
    decision = await decide(
        "is it still €55 for a booster? my friend said £50 lol. if so can Pepper have hers "
        "friday at 9"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.reply.startswith("Yes, a vaccination is €55")
    assert proposed(decision) == [("Pepper", at(11, 9))]


async def test_two_names_after_an_emoji_are_the_pets_counted() -> None:
    """It proposed one booking for "your dogs"."""
    decision = await decide(
        "hiya 2 dogs, both need their nails doing 🐾 rolo and fudge. saturday at 10 for both of "
        "them?"
    )

    assert sorted(proposed(decision)) == [("Fudge", at(12, 10)), ("Rolo", at(12, 10))]


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("can rocky come in at the end of the week for his booster? first thing if poss", 11),
        ("end of next week for rocky's booster, first thing?", 18),
    ],
)
async def test_the_end_of_the_week_is_its_friday(message: str, day: int) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Rocky", at(day, 8, 30))]


# -- probes of this session ------------------------------------------------------------------

MAX_AND_BELLA = [booked("Max", at(10, 15)), booked("Bella", at(11, 10), "grooming")]


async def test_a_booking_for_two_pets_is_one_booking_each() -> None:
    """It proposed one booking "for Max and Bella" (one place for two pets)."""
    decision = await decide(
        "what's the earliest you can see both of them together?", bookings=MAX_AND_BELLA
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(subject for subject, _ in proposed(decision)) == ["Bella", "Max"]
    assert len({when for _, when in proposed(decision)}) == 1


@pytest.mark.parametrize(
    "message", ["can i book luna every 3 weeks for a groom?", "a monthly groom for luna please"]
)
async def test_a_recurring_visit_is_booked_one_at_a_time_and_said_so(message: str) -> None:
    decision = await decide(message)

    assert decision.reply.startswith("I can book one appointment at a time"), decision.reply
    assert "Luna" in decision.reply


async def test_what_is_on_file_for_a_pet_is_its_booking() -> None:
    """It handed the question to the team."""
    decision = await decide("what's on file for bella?", bookings=MAX_AND_BELLA)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Bella is on Friday 11 December at 10:00" in decision.reply


async def test_whens_free_offers_the_first_free_times() -> None:
    """It asked "Which day and time would you like for Mochi?"."""
    decision = await decide("my new kitten mochi needs her first jabs, when's free?")

    assert decision.reply.startswith("What time on Monday 7 December would you like for Mochi?")


async def test_a_time_answering_our_question_for_another_day_is_on_that_day() -> None:
    """With Friday 14:00 still waiting for a yes, "10" (answering "What time on Saturday…?")
    was proposed and booked on Friday: a wrong action."""
    decision = await decide(
        "10",
        pending=pending("book", at(11, 14), subject="Biscuit", service="grooming"),
        history=[
            "hmm actually could it be saturday morning instead",
            "What time on Saturday 12 December would you like for Biscuit? I have 09:00, 10:00, "
            "10:45 or 11:45.",
        ],
    )

    assert proposed(decision) == [("Biscuit", at(12, 10))]


async def test_an_hour_closing_a_message_corrects_the_proposal() -> None:
    decision = await decide(
        "wait no sorry thats when i pick up the kids, 3?",
        pending=pending("book", at(11, 14), subject="Biscuit", service="grooming"),
    )

    assert proposed(decision) == [("Biscuit", at(11, 15))]


async def test_a_message_only_about_a_pet_says_its_booking_and_asks_what_to_do() -> None:
    decision = await decide("hi, it's about Coco", bookings=[booked("Coco", at(10, 14))])

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("Coco's next appointment is on Thursday 10 December at 14:00")


MILO_TWICE = [
    booked("Milo", at(9, 16), "grooming").model_copy(update={"id": "b-milo-groom"}),
    booked("Milo", at(17, 10), "vaccination").model_copy(update={"id": "b-milo-jab"}),
]


async def test_which_of_a_pets_two_bookings_is_asked_with_their_services() -> None:
    decision = await decide("can you move milo's appointment to friday?", bookings=MILO_TWICE)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Milo's grooming on Wednesday 9 December at 16:00" in decision.reply
    assert "Milo's vaccination on Thursday 17 December at 10:00" in decision.reply


async def test_a_service_answering_which_booking_picks_that_one() -> None:
    """ "the groom" started a new booking, and "2pm" booked a second grooming: a wrong action."""
    decision = await decide(
        "the groom",
        bookings=MILO_TWICE,
        history=[
            "can you move milo's appointment to friday?",
            "Which appointment should I move: Milo's grooming on Wednesday 9 December at 16:00 "
            "or Milo's vaccination on Thursday 17 December at 10:00?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b-milo-groom"
    assert proposed(decision) == [("Milo", at(11, 16))]


@pytest.mark.parametrize(
    "message",
    ["whenever, mornings are best", "any morning", "mornings would be best for us"],
)
async def test_only_a_part_of_the_day_offers_its_first_free_times(message: str) -> None:
    """It answered "Sorry, I didn't catch that"."""
    decision = await decide(
        message,
        history=[
            "hey can i book a checkup for my dog rex",
            "Sure. Which day and time would you like for Rex?",
        ],
    )

    assert decision.reply.startswith("What time on Monday 7 December would you like for Rex?")
    assert all(int(t[:2]) < 12 for t in re.findall(r"\d{2}:\d{2}", decision.reply))


async def test_unwell_before_a_visit_asking_whether_to_come_is_for_the_vet() -> None:
    """It asked whether to change the appointment."""
    decision = await decide(
        "bella is booked tomorrow at 10 but she's been sick this morning, should i still bring "
        "her?",
        bookings=[booked("Bella", at(8, 10))],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "Bella is on Tuesday 8 December at 10:00" in decision.reply
    assert "+33 1 84 88 12 34" in decision.reply


async def test_not_eating_before_a_dental_is_a_question_for_the_vet() -> None:
    decision = await decide(
        "what time do i need to drop max off for his dental on friday? and does he need to not "
        "eat?",
        bookings=[booked("Max", at(11, 9), "dental")],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "Friday 11 December at 09:00" in decision.reply


async def test_rebooking_for_the_week_after_the_booking_keeps_its_time() -> None:
    """It read the booking's own Monday and asked when instead."""
    decision = await decide(
        "Good evening, I'm afraid we have to cancel Simba's appointment on Monday as we'll be "
        "away. Could we rebook for the week after, ideally the same time?",
        bookings=[booked("Simba", at(14, 9, 30))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Simba", at(21, 9, 30))]


async def test_a_move_earlier_that_cannot_be_had_offers_earlier_times_not_its_own() -> None:
    """It offered 14:00 (Max's own time), 14:15 and 14:30 for "a bit earlier, like 1.30"."""
    decision = await decide(
        "actually can max come a bit earlier now, like 1.30?",
        bookings=[booked("Max", at(8, 14))],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    offered = re.findall(r"at (\d{2}:\d{2})", decision.reply.split("I can offer")[1])
    assert offered and all(t < "14:00" for t in offered), decision.reply


async def test_a_yes_with_thanks_and_a_question_answers_it_too() -> None:
    decision = await decide(
        "Perfect, thank you. How long will it take?",
        pending=pending("book", at(10, 12, 15), subject="Biscotti", service="vaccination"),
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert decision.reply.startswith("A vaccination takes 15 minutes")


MAX_AND_BELLA_FRIDAY = [booked("Max", at(11, 15)), booked("Bella", at(11, 15))]


@pytest.mark.parametrize(
    "message",
    [
        "cancel friday's appointment, max is still coming",
        "cancel friday please but max stays",
    ],
)
async def test_a_pet_said_to_still_come_is_never_the_one_cancelled(message: str) -> None:
    """It cancelled Max's booking: the one pet the message named, as the one still coming."""
    decision = await decide(message, bookings=MAX_AND_BELLA_FRIDAY)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Bella", at(11, 15))]


async def test_a_visit_given_up_with_two_pets_in_it_cancels_both() -> None:
    """It asked which of three bookings (Coco's Saturday one too)."""
    decision = await decide(
        "we can't make friday anymore",
        bookings=[*MAX_AND_BELLA_FRIDAY, booked("Coco", at(12, 10), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(11, 15)), ("Max", at(11, 15))]
    assert all(p.kind == "cancel" for p in decision.proposals)


async def test_keeping_a_pets_day_while_changing_its_time_moves_that_pet() -> None:
    decision = await decide(
        "keep max on thursday but make it the afternoon, 3 if you can",
        bookings=[booked("Max", at(10, 10)), booked("Bella", at(10, 14, 30))],
    )

    assert proposed(decision) == [("Max", at(10, 15))]


async def test_a_cancellation_for_a_day_with_nothing_booked_asks_which() -> None:
    decision = await decide(
        "cancel friday's appointment, max is still coming",
        bookings=[booked("Max", at(10, 10)), booked("Bella", at(10, 14, 30))],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.reply.startswith("I can't find an appointment on Friday 11 December.")


async def test_same_time_as_her_is_the_pet_talked_about_last() -> None:
    """It asked when to move Max to."""
    decision = await decide(
        "great. can he come at the same time as her then instead of wednesday?",
        bookings=[booked("Max", at(9, 10)), booked("Luna", at(11, 16), "grooming")],
        history=[
            "is luna's groom still on for friday?",
            "Your appointment for Luna (grooming) is on Friday 11 December at 16:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(11, 16))]


async def test_whens_is_no_pets_name() -> None:
    """It proposed a booking "for Whens"."""
    decision = await decide(
        "ok and whens the earliest i could get one",
        history=[
            "quick q - how much is a dental for a small dog?",
            "A dental cleaning is €120 (60 minutes).",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert "Whens" not in decision.reply
    assert decision.proposal.service == "dental"


async def test_another_week_for_a_proposal_offers_that_weeks_times_for_its_service() -> None:
    """It declined and asked for a day; "tuesday 9am" next was then a consultation this week."""
    decision = await decide(
        "hmm anything next week instead",
        pending=pending("book", at(7, 10), subject="you", service="dental"),
    )

    assert decision.intent is Intent.DECLINE, decision.reply
    assert "What time on Monday 14 December would you like?" in decision.reply


async def test_someone_else_bringing_the_pet_is_for_the_team_not_a_move() -> None:
    """It asked when to move Bella's appointment to."""
    decision = await decide(
        "hi bella's jab on friday, could my husband bring her instead of me? he's not on the "
        "account",
        bookings=[booked("Bella", at(11, 10), "vaccination")],
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert decision.proposal is None
    assert "Bella is on Friday 11 December at 10:00" in decision.reply


async def test_a_friend_named_beside_the_pet_is_no_pet() -> None:
    """It proposed bookings for Minou and for Sophie, the friend whose cat it is."""
    decision = await decide(
        "Hi! My friend Sophie is away in Lyon for two weeks and I'm looking after her cat Minou. "
        "Minou's been sneezing a lot so could I bring her in on Friday at quarter past three? "
        "Sophie's number is 07 81 22 33 44 in case you need her"
    )

    assert proposed(decision) == [("Minou", at(11, 15, 15))]


async def test_the_hour_after_but_wins_over_the_reason_after_it() -> None:
    """It read the 9 of "traffic is crazy at 9" and asked when instead."""
    decision = await decide(
        "hi, could we do max's tomorrow but at 9.30 instead, traffic is crazy at 9",
        bookings=[booked("Max", at(8, 9))],
    )

    assert proposed(decision) == [("Max", at(8, 9, 30))]


async def test_how_many_pets_at_once_is_the_profiles_capacity() -> None:
    decision = await decide("how many pets can I bring at once?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "up to 2 pets at the same time" in decision.reply


async def test_a_dog_without_my_is_still_the_writers_dog() -> None:
    decision = await decide(
        "hi! sorry my english is not good. appointment for dog tomorrow 11h possible?"
    )

    assert proposed(decision) == [("your dog", at(8, 11))]


async def test_a_question_answered_beside_free_times_asked_keeps_both() -> None:
    """It answered the registration question and left the availability unanswered."""
    decision = await decide(
        "Hi, we've just adopted a rescue greyhound called Stanley and would like to register him "
        "and get him checked over. What's your availability this week?"
    )

    assert decision.reply.startswith("New patients are welcome")
    assert "What time on Monday 7 December would you like for Stanley?" in decision.reply


async def test_a_question_about_a_booked_visit_says_the_booking_not_new_times() -> None:
    """It offered Luna new times on the day of her booking."""
    decision = await decide(
        "luna's jab tomorrow - is that the booster or the first one? she had one in october",
        bookings=[booked("Luna", at(8, 11), "vaccination")],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.reply.startswith(
        "Your appointment for Luna (vaccination) is on Tuesday 8 December at 11:00."
    )


async def test_a_new_time_for_a_service_change_keeps_the_new_service() -> None:
    """ "11?" was not understood, then moved Max keeping the consultation."""
    decision = await decide(
        "11?",
        bookings=[booked("Max", at(10, 15))],
        pending=pending(
            "reschedule", at(10, 15), subject="Max", booking_id="b-Max", service="dental"
        ),
    )

    assert proposed(decision) == [("Max", at(10, 11))]
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_three_names_listed_are_three_pets() -> None:
    """Misty, the first of the three, was dropped."""
    decision = await decide(
        "need to book 3 cats for vaccines. Misty, Shadow and Tiger. saturday morning?"
    )

    assert "for Misty, Shadow and Tiger?" in decision.reply


PEPPER_LONG = (
    "Hello! So sorry to bother you. I have Pepper booked in on Thursday at 4 for her jab but my "
    "mother-in-law is visiting and I totally forgot. Would there be any way to move it to Friday "
    "or Saturday, ideally in the morning? If not no worries, we can keep Thursday. Thank you so "
    "much!"
)


async def test_the_booked_hour_in_another_sentence_is_not_the_morning_asked_for() -> None:
    """It read Friday at 04:00 and refused it."""
    decision = await decide(PEPPER_LONG, bookings=[booked("Pepper", at(10, 16), "vaccination")])

    assert decision.reply.startswith(
        "What time on Friday 11 December would you like the appointment for Pepper moved to?"
    )


async def test_a_day_answering_our_refusal_of_a_move_asks_its_times_as_a_move() -> None:
    """It asked "What time on Friday … for Pepper?" as a booking, and the time answered next
    made a second booking, Thursday's kept: a wrong action."""
    decision = await decide(
        "friday please",
        bookings=[booked("Pepper", at(10, 16), "vaccination")],
        history=[
            PEPPER_LONG,
            "Sorry, Friday 11 December at 04:00 isn't possible: that's outside our opening hours. "
            "I can offer Friday 11 December at 08:30, Friday 11 December at 08:45 or Friday 11 "
            "December at 09:00. Which would suit you?",
        ],
    )

    assert "would you like the appointment for Pepper moved to?" in decision.reply


async def test_same_time_answering_our_question_is_the_time_of_the_pets_last_visit() -> None:
    """It answered "Sorry, I didn't catch that"."""
    decision = await decide(
        "same time is fine",
        bookings=[booked("Luna", at(7, 8, 30))],
        history=[
            "luna's been to the vet with you today and we need a follow up in 2 weeks, can i "
            "book that now?",
            "What time on Monday 21 December would you like for Luna? I have 08:30, 11:15, 15:45 "
            "or 18:30.",
        ],
    )

    assert proposed(decision) == [("Luna", at(21, 8, 30))]


async def test_all_appointments_cancelled_whatever_day_the_news_names() -> None:
    """The day of the move to Lyon was read as the cancellation's day, with nothing booked
    then (a regression of this session's "nothing booked that day" rule)."""
    decision = await decide(
        "please cancel all my appointments, we're moving to Lyon on wednesday 😢 thanks for "
        "everything",
        bookings=[booked("Max", at(10, 10)), booked("Bella", at(11, 15), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Bella", at(11, 15)), ("Max", at(10, 10))]
