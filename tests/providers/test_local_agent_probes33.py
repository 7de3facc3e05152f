"""Conversations played turn by turn in session 33: pets named like time words or by what they
did, a booking named by its time alone, a place asked to be dog friendly.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import BookingView, Intent, PendingAction
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import (
    NOW,
    at,
    booked,
    decide,
    pending_several,
    proposed,
)
from tests.providers.test_local_agent_probes32 import _pending_book


def booking_of(subject: str, when: datetime, service: str, booking_id: str) -> BookingView:
    return BookingView(
        id=booking_id, slot_start=when, subject=subject, status="confirmed", service=service
    )


def at_in(year: int, month: int, day: int, hour: int) -> datetime:
    """A Paris wall time, as UTC."""
    return datetime(year, month, day, hour, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


async def test_a_pet_called_midnight_is_booked_by_name() -> None:
    """ "can Midnight come in tomorrow at 3" was booked for nobody: midnight is a time word."""
    decision = await decide("can Midnight come in tomorrow at 3 for a check up")

    assert proposed(decision) == [("Midnight", at(8, 15))]


@pytest.mark.parametrize(
    "message", ["are you open till Midnight on fridays?", "can I come at Midnight lol"]
)
def test_midnight_after_a_word_of_time_is_no_pet(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == []


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Boots rolled in fox poo, can he come for a bath tomorrow at 10?", "Boots"),
        ("Pip swallowed a sock, can he come in today?", "Pip"),
    ],
)
def test_a_pet_named_by_what_it_did(message: str, name: str) -> None:
    """ "Boots rolled in fox poo, can he come for a bath" was booked for nobody."""
    assert subjects_in(message, known=[], transcript=False) == [name]


@pytest.mark.parametrize(
    "message",
    [
        "Sarah called, she wants to book Max",
        "Marie dropped him off yesterday, can Max come back friday?",
        "Vet said he needs a booster. Can Max come tomorrow?",
    ],
)
def test_a_person_who_did_something_is_no_pet(message: str) -> None:
    assert subjects_in(message, known=[], transcript=False) == ["Max"]


async def test_a_booking_named_by_its_time_is_joined() -> None:
    """ "keep the 10 o'clock, but can bella come too?" asked which day: the 10 o'clock is
    Rex's Thursday booking, and Bella joins it."""
    decision = await decide(
        "keep the 10 o'clock, but can bella come too?", bookings=[booked("Rex", at(10, 10))]
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Bella", at(10, 10))]


async def test_dog_friendly_is_no_pet() -> None:
    """ "this is a dog friendly place? can i bring my dog tomorrow at 2" was read back "for
    Friendly"."""
    decision = await decide("this is a dog friendly place? can i bring my dog tomorrow at 2")

    assert proposed(decision) == [("your dog", at(8, 14))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("her booster is due in february, can we do the 3rd at 10?", (2027, 2, 3)),
        ("she's due in january, the 12th at 10 ok?", (2027, 1, 12)),
    ],
)
async def test_a_day_of_the_month_said_after_the_month(
    message: str, slot: tuple[int, int, int]
) -> None:
    """ "due in february, can we do the 3rd at 10?" proposed Sunday 3 January."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at_in(*slot, 10), decision.reply


async def test_a_date_past_the_horizon_says_when_it_can_be_booked() -> None:
    """ "Truffle's due her booster in april, could we do the 12th?" asked what time on Saturday
    12 December; 12 April is past the 90 days: it can be booked from 12 January."""
    decision = await decide("Truffle's due her booster in april, could we do the 12th?")

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert "12 April 2027" in decision.reply
    assert "12 January 2027" in decision.reply


async def test_one_after_a_refusal_is_the_service_refused() -> None:
    """ "can I book Lucky's groom for … june?" / past the horizon / "could he have one before
    christmas then? the 22nd at 10" was proposed as a check-up: "one" is the groom."""
    first = (
        "we're spending next summer in Brittany, can I book Lucky's groom for right before we "
        "go, like june?"
    )
    refused = await decide(first)
    decision = await decide(
        "haha ok fair. could he have one before christmas then? the 22nd at 10",
        history=[first, refused.reply],
    )

    assert refused.reply.startswith("Sorry"), refused.reply
    assert proposed(decision) == [("Lucky", at(22, 10))]
    assert decision.proposal is not None
    assert decision.proposal.service == "grooming", decision.reply


async def test_keep_with_the_apostrophe_left_out_keeps_that_pet() -> None:
    """ "cancel pesto wed shes fine now keep chutneys jab tho" cancelled Chutney's jab."""
    decision = await decide(
        "cancel pesto wed shes fine now keep chutneys jab tho",
        bookings=[booked("Pesto", at(9, 10)), booked("Chutney", at(9, 10), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Pesto", at(9, 10))]


async def test_a_pet_kept_after_another_thing_kept() -> None:
    """ "… can you cancel it? keep his jab next week and Sage's on thursday though" (he is
    Basil) cancelled Sage's."""
    bookings = [
        booked("Basil", at(10, 12)),
        booked("Sage", at(10, 12), "vaccination"),
        booked("Basil", at(14, 9), "vaccination"),
    ]
    decision = await decide(
        "so I don't think he needs the check-up on thursday anymore, can you cancel it? keep his "
        "jab next week and Sage's on thursday though",
        bookings=bookings,
        history=["Hi, just to say Basil's been loads better since the weekend", "Glad to hear!"],
    )

    assert proposed(decision) == [("Basil", at(10, 12))]


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("can we move brambles appt 2moro to thurs same time the fri groom is fine", "move"),
        ("cancel brambles appt the fri groom is fine", "cancel"),
        ("please cancel bramble, her friday one stays", "cancel"),
    ],
)
async def test_a_booking_kept_by_its_day_is_never_the_one_changed(
    message: str, intent: str
) -> None:
    """ "… the fri groom is fine" moved the Friday groom to Tuesday."""
    bookings = [booked("Bramble", at(8, 9)), booked("Bramble", at(11, 11), "grooming")]
    decision = await decide(message, bookings=bookings)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.booking_id is not None
    changed = next(b for b in bookings if b.id == decision.proposal.booking_id)
    assert changed.service == "consultation", decision.reply
    if intent == "move":
        assert decision.proposal.slot_start == at(10, 9)


async def test_the_cost_of_a_cancellation_supposed_is_answered_not_proposed() -> None:
    """ "and if something comes up and I need to cancel it, do I have to pay?" proposed the
    cancellation, and "perfect, thanks!" cancelled it."""
    decision = await decide(
        "and if something comes up and I need to cancel it, do I have to pay?",
        bookings=[booked("Rocket", at(11, 14))],
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.proposal is None
    assert "24 hours" in decision.reply


async def test_the_same_straight_after_is_when_the_first_visit_ends() -> None:
    """ "could his sister Salsa have the same straight after?" to Tango's 14:30 check-up was
    booked at 14:30 too."""
    decision = await decide(
        "and could his sister Salsa (our other cat) have the same straight after?",
        pending=_pending_book("Tango", at(10, 14, 30), "consultation"),
        history=["Can I book my cat Tango in for a check-up on thursday at 2.30?", "I can book …"],
    )

    assert dict(proposed(decision)) == {"Tango": at(10, 14, 30), "Salsa": at(10, 15)}


async def test_punctuation_dictated_is_no_word() -> None:
    """ "Yes cancel it full stop" to a cancellation read back asked which appointment."""
    decision = await decide(
        "Yes cancel it full stop",
        pending=PendingAction(
            id="a1",
            kind="cancel",
            slot_start=at(10, 14),
            subject="Storm",
            booking_id="b-Storm",
            expires_at=NOW + timedelta(minutes=30),
        ),
        bookings=[booked("Storm", at(10, 14)), booked("Zigzag", at(10, 14), "vaccination")],
    )

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_chat_n_joins_two_names() -> None:
    """ "need jabs 4 both cats gravy n pretzel fri 2pm" was booked "for your cats"."""
    decision = await decide("need jabs 4 both cats gravy n pretzel fri 2pm they can go in 2gether")

    assert {s for s, _ in proposed(decision)} == {"Gravy", "Pretzel"}


async def test_hows_much_is_a_price_asked() -> None:
    decision = await decide("do u see rabbits and hows much for nails and where do i park")

    assert "€35" in decision.reply
    assert "rabbits" in decision.reply


async def test_a_shortened_saturday_after_open_is_the_day_asked() -> None:
    """ "wat time u open sat n til when" got the whole week's hours, then "ok cn peaches come
    at half 12 4 her booster" was read for Monday 14 (a day of that answer), for nobody."""
    first = "wat time u open sat n til when"
    answered = await decide(first)
    decision = await decide(
        "ok cn peaches come at half 12 4 her booster", history=[first, answered.reply]
    )

    assert "Saturday 12 December" in answered.reply
    assert proposed(decision) == [("Peaches", at(12, 12, 30))]
    assert decision.proposal is not None
    assert decision.proposal.service == "vaccination"


async def test_till_what_time_and_and_sunday_follow_our_hours() -> None:
    """ "are you open on saturday?" / "till what time?" looked for a booking; "and sunday?"
    then offered times."""
    history = ["are you open on saturday?", "Yes, we're open on Saturday 12 December, 09:00-13:00."]
    till = await decide("till what time?", history=history)
    history += ["till what time?", till.reply]
    sunday = await decide("and sunday?", history=history)

    assert till.intent is Intent.ANSWER
    assert "13:00" in till.reply
    assert sunday.intent is Intent.ANSWER, sunday.reply
    assert "closed on Sundays" in sunday.reply


async def test_both_yes_confirms_every_change() -> None:
    decision = await decide(
        "can i book sprout in for a check up wed at 9 and dumpling needs her nails doing sat at 10"
    )
    yes = await decide("both yes pls", pending=pending_several(decision))

    assert yes.intent is Intent.CONFIRM, yes.reply
    assert yes.confirmed == []


async def test_xmas_day_is_christmas_day() -> None:
    decision = await decide("r u open xmas day")

    assert "closed on Friday 25 December" in decision.reply


async def test_a_dog_called_sunday_in_lower_case() -> None:
    """ "hi my dog sunday has a limp can he come thurs 9.30" refused Sunday 13 December."""
    decision = await decide("hi my dog sunday has a limp can he come thurs 9.30 for a check up")

    assert proposed(decision) == [("Sunday", at(10, 9, 30))]


async def test_a_pet_still_at_its_time_is_kept() -> None:
    """ "can jelly come a bit later on weds like 12 instead of 11 rusty still at 11" asked
    which day and time to move "them" to."""
    decision = await decide(
        "can jelly come a bit later on weds like 12 instead of 11 rusty still at 11",
        bookings=[booked("Jelly", at(9, 11)), booked("Rusty", at(9, 11), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Jelly", at(9, 12))]


async def test_a_request_given_piece_by_piece_picks_one_booking() -> None:
    """ "I need to change an appointment" / which? / "Max's" / which? / "the friday one": the
    pet narrowed the list, then its day picked Max's Friday (Luna's is at the same time); then
    "thursday, same time if you can" moved it. "Max's" got "Sorry, I didn't catch that"."""
    bookings = [
        booked("Max", at(9, 11)),
        booking_of("Max", at(11, 9, 30), "vaccination", "b-max2"),
        booked("Luna", at(11, 9, 30)),
    ]
    history: list[str] = []
    replies = []
    for message in ("I need to change an appointment", "Max's", "the friday one"):
        decision = await decide(message, bookings=bookings, history=history)
        replies.append(decision.reply)
        history += [message, decision.reply]
    moved = await decide("thursday, same time if you can", bookings=bookings, history=history)

    assert replies[1].startswith("Which appointment should I move"), replies[1]
    assert "Luna" not in replies[1]
    assert moved.intent is Intent.PROPOSE_RESCHEDULE, moved.reply
    assert moved.proposal is not None
    assert moved.proposal.booking_id == "b-max2"
    assert moved.proposal.slot_start == at(10, 9, 30)


async def test_a_cancellation_given_piece_by_piece() -> None:
    """ "hi, I need to cancel something" / which? / "it's for Socks" / which? / "the one on
    thursday": Socks's Thursday one (Mittens is in at the same time)."""
    bookings = [
        booked("Socks", at(10, 14, 30)),
        booked("Mittens", at(10, 14, 30), "vaccination"),
        booking_of("Socks", at(12, 10), "grooming", "b-socks2"),
    ]
    history: list[str] = []
    decision = None
    for message in ("hi, I need to cancel something", "it's for Socks", "the one on thursday"):
        decision = await decide(message, bookings=bookings, history=history)
        history += [message, decision.reply]

    assert decision is not None
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Socks", at(10, 14, 30))]
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Socks"


async def test_a_cancellation_read_back_turned_into_a_move() -> None:
    """ "actually no, don't cancel it, can you move it to friday at half 11 instead?" to a
    cancellation read back only declined it."""
    decision = await decide(
        "actually no, don't cancel it, can you move it to friday at half 11 instead?",
        pending=PendingAction(
            id="a1",
            kind="cancel",
            slot_start=at(12, 11, 30),
            subject="Peanut",
            booking_id="b-Peanut",
            expires_at=NOW + timedelta(minutes=30),
        ),
        bookings=[
            booked("Peanut", at(12, 11, 30)),
            booking_of("Peanut", at(10, 11), "grooming", "b2"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Peanut"
    assert decision.proposal.slot_start == at(11, 11, 30)


async def test_a_time_answering_our_move_question_moves_the_booking_named() -> None:
    """ "the wednesday one" / "When would you like to move … Fudge on Wednesday …?" / "friday
    instead?" / "What time on Friday …?" / "morning, around half 10" booked a second visit."""
    bookings = [
        booked("Fudge", at(9, 10)),
        booked("Kiwi", at(9, 10), "vaccination"),
        booking_of("Fudge", at(15, 10), "vaccination", "b-fudge2"),
    ]
    history: list[str] = []
    for message in (
        "Hi, I need to change Fudge's appointment",
        "the wednesday one",
        "friday instead?",
    ):
        decision = await decide(message, bookings=bookings, history=history)
        history += [message, decision.reply]
    decision = await decide("morning, around half 10", bookings=bookings, history=history)

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Fudge"
    assert decision.proposal.slot_start == at(11, 10, 30)


async def test_when_they_finish_work_is_not_the_time_asked() -> None:
    """ "… I finish at half 5 so 6 or after" booked 17:30."""
    decision = await decide(
        "hiya can Toffee come in later today after work for a nail trim? I finish at half 5 so 6 "
        "or after. my husband Marc might bring her"
    )

    assert proposed(decision) == [("Toffee", at(7, 18))]


async def test_as_early_as_possible_picks_the_first_time_we_offered() -> None:
    """ "wednesday afternoon" / our afternoon times / "as early as possible" booked 08:30."""
    history = ["need a scale and polish for Honey", "Sure. Which day and time would you like?"]
    offered = await decide("wednesday afternoon", history=history)
    decision = await decide(
        "as early as possible", history=[*history, "wednesday afternoon", offered.reply]
    )

    assert "14:00" in offered.reply, offered.reply
    assert proposed(decision) == [("Honey", at(9, 14))]


async def test_as_soon_as_you_reopen_after_lunch() -> None:
    decision = await decide(
        "Hello, can Honey have a check-up tomorrow as soon as you reopen after lunch?"
    )

    assert proposed(decision) == [("Honey", at(8, 14))]


async def test_as_soon_as_you_open_on_the_day_we_just_told() -> None:
    """ "what time do you open on saturday then?" / "On Saturday 12 December we open at 09:00"
    / "ok can Biscuit come in for one as soon as you open?" read "for one" as 13:00."""
    decision = await decide(
        "ok can Biscuit come in for one as soon as you open? he's a little jack russell",
        history=[
            "how much is a nail trim for a small dog?",
            "A grooming is €35 (45 minutes).",
            "and what time do you open on saturday then?",
            "On Saturday 12 December we open at 09:00 (open 09:00-13:00).",
        ],
    )

    assert proposed(decision) == [("Biscuit", at(12, 9))]


async def test_the_earliest_after_our_move_times_never_fails() -> None:
    """ "the earliest you have please" answering our "What time on Monday 7 December would you
    like the appointment for Mochi moved to? I have …" raised (the bookings were read after
    the day and time, and the earliest free time needs them): "Sorry, I'm having trouble"."""
    bookings = [booked("Mochi", at(7, 16)), booked("Pixie", at(9, 10), "vaccination")]
    decision = await decide(
        "the earliest you have please",
        bookings=bookings,
        history=[
            "Hi, can we move Mochi's appointment today?",
            "What time on Monday 7 December would you like the appointment for Mochi moved to? "
            "I have 10:00, 11:15, 14:30 or 15:45.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Mochi"


async def test_earlier_from_an_hour_proposes_the_first_from_it() -> None:
    """ "can we come in earlier than 4? any time from 2 is fine" listed 10:00 and 11:15; "the
    earliest you have" then took the first time listed after our proposal."""
    bookings = [booked("Mochi", at(7, 16)), booked("Pixie", at(9, 10), "vaccination")]
    first = (
        "Hi, Mochi is booked in at 4 today, can we come in earlier than 4? any time from 2 is fine"
    )
    decision = await decide(first, bookings=bookings)
    earliest = await decide(
        "the earliest you have please", bookings=bookings, history=[first, decision.reply]
    )

    assert proposed(decision) == [("Mochi", at(7, 14))]
    assert "I also have" in decision.reply
    assert proposed(earliest) == [("Mochi", at(7, 14))]


async def test_another_day_after_a_date_past_the_horizon_keeps_time_and_service() -> None:
    """ "fig's booster … the 15th of march? 10am" / past the 90 days / "ah ok, the 5th of march
    then? same time": the booster at 10:00 on 5 March."""
    first = "can we get fig's booster booked for the 15th of march? 10am"
    refused = await decide(first)
    decision = await decide(
        "ah ok, the 5th of march then? same time", history=[first, refused.reply]
    )

    assert "15 December 2026" in refused.reply, refused.reply
    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at_in(2027, 3, 5, 10)
    assert decision.proposal.service == "vaccination"


async def test_a_booking_said_to_stay_is_acknowledged() -> None:
    """ "and max's tuesday one stays as is 👍" asked what time on Tuesday Max should come."""
    decision = await decide(
        "and max's tuesday one stays as is 👍",
        bookings=[booked("Max", at(8, 14, 30)), booked("Bella", at(11, 14, 30), "grooming")],
    )

    assert decision.intent is Intent.OTHER
    assert decision.proposal is None
    assert "stays" in decision.reply


async def test_still_on_asked_of_a_booking_by_its_day_is_a_lookup() -> None:
    decision = await decide(
        "ta. and luna's wednesday one is still on?",
        bookings=[booked("Luna", at(9, 9)), booked("Max", at(11, 12))],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Wednesday 9 December at 09:00" in decision.reply


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        (
            "Hi there! Biscuit has been scratching his ears since last Thursday. The kids are at "
            "their grandma's from Wednesday to Friday so Thursday is the easiest day for me, "
            "could you see him Thursday at 11 for a check-up?",
            at(10, 11),
        ),
        (
            "Mad week here: Tuesday I'm at the dentist at 10, Saturday is my daughter Emma's 7th "
            "birthday party and my husband's away in Brussels on Friday. Rolo has been off his "
            "food. Would Wednesday at half 9 work for a check-up?",
            at(9, 9, 30),
        ),
        (
            "Hi, Hazel saw Dr. Martin on the 30th and she said to come back in a week or so. I "
            "work 8 till 4 Monday to Thursday and my partner has the car on Saturdays, so Friday "
            "afternoon would be ideal, could we say 2.30?",
            at(11, 14, 30),
        ),
    ],
)
async def test_the_day_asked_for_among_the_days_of_a_story(message: str, slot: object) -> None:
    """Wednesday 11:00 (the kids' absence), Wednesday 09:00 and Monday 14 (a week after the
    30th, a weekday of their working hours) were booked."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot, decision.reply


@pytest.mark.parametrize(
    ("message", "names"),
    [
        (
            "Hello, it's Anne-Marie. You might remember our old cat Oscar, he was with you for "
            "years. We lost him in October. On Saturday we brought home a little kitten, Miso! "
            "Could she come in on Wednesday around midday?",
            ["Miso"],
        ),
        (
            "I'm looking after my neighbour Sophie's dog Rex while she's in Lyon. He keeps trying "
            "to herd our cats 😂 Speaking of which, Pip and Squeak are both due their boosters, "
            "could they both come on Thursday at 5? Rex doesn't need anything, he's all up to "
            "date.",
            ["Pip", "Squeak"],
        ),
    ],
)
async def test_pets_of_a_story_that_need_nothing_are_not_booked(
    message: str, names: list[str]
) -> None:
    """Marie (of Anne-Marie) and Oscar (who died) were booked beside Miso; Rex (the
    neighbour's, up to date) and "Speaking" beside Pip and Squeak."""
    decision = await decide(message)

    assert sorted(s for s, _ in proposed(decision)) == names


@pytest.mark.parametrize(
    "message",
    [
        "Morning! I'm on nights at the hospital all this week. Pepper's nails are clicking again "
        "and my flatmate Jules keeps complaining about it. Could she have a nail trim on Friday "
        "at 9.30?",
        "My manager has just put me on the early shift tomorrow. Could Pepper come on Friday at "
        "9.30 for a nail trim instead?",
    ],
)
async def test_someone_elses_complaint_or_manager_is_no_handoff(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert proposed(decision) == [("Pepper", at(11, 9, 30))]


async def test_a_pet_still_brought_as_planned_is_not_moved() -> None:
    """ "… Could we move it to Wednesday, same time? … he'll still bring Ziggy for his jab as
    planned" moved Ziggy too."""
    decision = await decide(
        "there's no way I can make Coco's check-up at 10. Could we move it to Wednesday, same "
        "time? My partner Julien is off tomorrow so he'll still bring Ziggy for his jab as "
        "planned, and Coco's groom on Friday is fine too.",
        bookings=[
            booked("Coco", at(8, 10)),
            booked("Ziggy", at(8, 10), "vaccination"),
            booking_of("Coco", at(11, 15), "grooming", "b-coco2"),
        ],
    )

    assert proposed(decision) == [("Coco", at(9, 10))]
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Coco"


async def test_one_booking_of_a_pet_kept_leaves_its_other_to_move() -> None:
    """ "Could Teddy's groom on Wednesday be pushed back to 5? Rosie's appointment at the same
    time can stay … And Teddy's jab on Saturday stays as it is too." moved Rosie."""
    decision = await decide(
        "his school play is on Wednesday at 2. Could Teddy's groom on Wednesday be pushed back "
        "to 5? Rosie's appointment at the same time can stay, my mum's bringing her. And "
        "Teddy's jab on Saturday stays as it is too.",
        bookings=[
            booked("Teddy", at(9, 14, 30), "grooming"),
            booked("Rosie", at(9, 14, 30)),
            booking_of("Teddy", at(12, 10), "vaccination", "b-teddy2"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Teddy"
    assert decision.proposal.slot_start == at(9, 17)


@pytest.mark.parametrize(
    ("message", "bookings", "slot"),
    [
        (
            "my daughter's parents' evening is tomorrow at 6. Could we bring Ginger's jab "
            "tomorrow forward to earlier in the afternoon, say 3?",
            [booked("Ginger", at(8, 17, 30), "vaccination")],
            at(8, 15),
        ),
        (
            "My shift at the bakery starts at 10 on Thursday and I finish at 6, so could "
            "Marmalade have a nail trim on Thursday, as early as you open?",
            [],
            at(10, 8, 30),
        ),
        (
            "Thursday isn't ideal, we're taking him out for lunch at 12. If you had something on "
            "Friday morning for Cookie instead, around 10, that would be great.",
            [],
            at(11, 10),
        ),
    ],
)
async def test_the_hour_of_another_event_is_not_the_visits(
    message: str, bookings: list[BookingView], slot: object
) -> None:
    """18:00 (the parents' evening), 10:00 (the shift) and 12:00 (the lunch) were proposed."""
    decision = await decide(message, bookings=bookings)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot, decision.reply


LISTED_FRIDAY = (
    "You have 2 appointments coming up: Maisie on Friday 11 December at 09:00; Bear on Friday "
    "11 December at 12:00."
)


async def test_the_later_one_can_go_cancels_it() -> None:
    """ "the later one can go, we'll just bring Maisie" after our list booked Maisie at 12:00."""
    decision = await decide(
        "the later one can go, we'll just bring Maisie. thanks, Sophie",
        bookings=[booked("Maisie", at(11, 9)), booked("Bear", at(11, 12), "vaccination")],
        history=["what time are we in on friday?", LISTED_FRIDAY],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Bear", at(11, 12))]


async def test_the_groom_can_go_keep_the_jab() -> None:
    decision = await decide(
        "the groom can go, keep the jab",
        bookings=[
            booked("Pixie", at(9, 10), "grooming"),
            booked("Pixie", at(11, 14, 15), "vaccination"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Pixie", at(9, 10))]


@pytest.mark.parametrize(
    "message", ["what's Oscar got this week?", "hi what's Oscar got coming up?"]
)
async def test_what_a_pet_has_got_is_a_lookup(message: str) -> None:
    decision = await decide(
        message, bookings=[booked("Oscar", at(10, 17, 30)), booked("Tilly", at(8, 18), "grooming")]
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December at 17:30" in decision.reply


async def test_an_hour_they_cannot_do_is_no_time_asked() -> None:
    """ "ah, I can't do 3. could it be first thing wednesday instead?" moved to Wednesday 15:00."""
    decision = await decide(
        "ah, I can't do 3. could it be first thing wednesday instead?",
        bookings=[booked("Ruby", at(8, 15)), booking_of("Ruby", at(10, 11, 30), "grooming", "b2")],
        history=[
            "what time is Ruby's check-up tomorrow?",
            "Your appointment for Ruby (consultation) is on Tuesday 8 December at 15:00.",
        ],
    )

    assert proposed(decision) == [("Ruby", at(9, 8, 30))]


async def test_same_time_as_he_has_now_is_his_own_time() -> None:
    """ "oh sorry no, I meant the dog's, Rocky's! … Rocky to next tuesday, same time as he has
    now" to a move of Daisy's read back moved Rocky to Daisy's 12:00."""
    decision = await decide(
        "oh sorry no, I meant the dog's, Rocky's! Daisy's stays where it is. Rocky to next "
        "tuesday, same time as he has now",
        pending=PendingAction(
            id="a1",
            kind="reschedule",
            slot_start=at(15, 12),
            subject="Daisy",
            booking_id="b-Daisy",
            expires_at=NOW + timedelta(minutes=30),
        ),
        bookings=[booked("Daisy", at(10, 12), "vaccination"), booked("Rocky", at(11, 15, 30))],
    )

    # ("next tuesday" said on a Monday: tomorrow or the week after, the hour is the point)
    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "Rocky"
    assert decision.proposal.slot_start in (at(8, 15, 30), at(15, 15, 30))


async def test_a_time_said_to_suit_after_the_request_and_no_emergency_denied() -> None:
    """ "… so I don't think it's an emergency … Could someone see her today? This afternoon at
    2 would be perfect" was handed over as urgent, then read her feeding time (7) as the time."""
    decision = await decide(
        "Mochi has been hiding under the bed since Saturday, normally she wolfs her food down "
        "at 7 and 6 on the dot. She's drinking so I don't think it's an emergency, but I can't "
        "stop worrying. My husband says I'm overreacting 😔 Could someone see her today? This "
        "afternoon at 2 would be perfect, I can leave work early."
    )

    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert proposed(decision) == [("Mochi", at(7, 14))]


async def test_a_visit_told_of_is_no_service_asked_for() -> None:
    """ "Bruno was in with you in September for his jab … could Tigger come in tomorrow at
    4?" (Tigger sneezing) was proposed as a vaccination."""
    decision = await decide(
        "Tigger has been sneezing since Saturday. Bruno was in with you in September for his jab "
        "and Dr. Martin was lovely with him. Could Tigger come in tomorrow at 4?"
    )

    assert proposed(decision) == [("Tigger", at(8, 16))]
    assert decision.proposal is not None
    assert decision.proposal.service in (None, "consultation")


async def test_a_teeth_cleaning_left_as_it_is_is_not_the_one_moved() -> None:
    decision = await decide(
        "I have to collect her from Gare de Lyon at 2, which is exactly when Milo's appointment "
        "is. Could we do Friday at 2 instead? Leave his teeth cleaning on Saturday as it is "
        "please.",
        bookings=[booked("Milo", at(10, 14)), booking_of("Milo", at(12, 9), "dental", "b2")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b-Milo"
    assert decision.proposal.slot_start == at(11, 14)


async def test_a_pet_whose_one_booking_stays_is_kept() -> None:
    """ "Please cancel the appointment for Storm on Thursday at two o'clock full stop Zigzag's
    appointment stays the same full stop" (both booked at that time) proposed both, and the yes
    cancelled Zigzag's too."""
    decision = await decide(
        "Please cancel the appointment for Storm on Thursday at two o'clock full stop Zigzag's "
        "appointment stays the same full stop thank you",
        bookings=[booked("Storm", at(10, 14)), booked("Zigzag", at(10, 14), "vaccination")],
    )

    assert proposed(decision) == [("Storm", at(10, 14))]
