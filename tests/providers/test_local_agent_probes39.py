"""Conversations played turn by turn in session 39 (the open ones of held-out sets 96–102 and
the sets written this session, 103–114). Reference moment: Monday 7 December 2026, 09:00
Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
)
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.understanding import answers
from switchboard.understanding.text import normalise
from tests.providers.test_local_agent_everyday import (
    NOW,
    PROFILE,
    at,
    decide,
    pending,
    pending_several,
    proposed,
)
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of


def kinds(decision: AgentDecision) -> list[tuple[str, str, str | None]]:
    """Each change ``decision`` proposes: (kind, pet, booking id)."""
    return [(p.kind or "book", p.subject, p.booking_id) for p in decision.proposals]


def at_minutes_ago(minutes: int, turns: list[tuple[Direction, str]]) -> list[HistoryTurn]:
    """``turns`` as the log holds them, all sent ``minutes`` before ``NOW``."""
    return [
        HistoryTurn(
            channel=Channel.WHATSAPP,
            direction=d,
            text=t,
            at=NOW - timedelta(minutes=minutes - n),
        )
        for n, (d, t) in enumerate(turns)
    ]


async def decide_with(
    message: str, history: list[HistoryTurn], bookings: list | None = None
) -> AgentDecision:
    """The agent's decision on ``message`` with the log ``history`` as it is (its own times)."""
    return await RuleBasedAgent().decide(
        AgentContext(
            customer="+33612345678",
            channel=Channel.WHATSAPP,
            message=message,
            now=NOW,
            timezone="Europe/Paris",
            bookings=bookings or [],
            history=history,
            business=PROFILE,
            busy=busy_of(*(bookings or [])),
        )
    )


# -- moves asked by week, by "the friday one", by the request before our question ---------------


async def test_next_week_in_the_morning_asks_that_weeks_morning_times() -> None:
    teeth = booking_of("Duke", at(8, 14), "dental", "b1")
    jab = booking_of("Duke", at(11, 9, 30), "vaccination", "b2")
    first = (
        "Hello, I need to move the one for Duke's teeth, can we do next week instead? a morning "
        "would be best"
    )

    asked = await decide(first, bookings=[teeth, jab], busy=busy_of(teeth, jab))

    assert asked.intent is Intent.CLARIFY, asked.reply
    assert "Monday 14 December" in asked.reply  # not the booking's own Tuesday 8th
    assert all(int(t[:2]) < 12 for t in asked.reply.split("I have ")[1].split(", "))

    answered = await decide(
        "tuesday the 15th at 9 works",
        bookings=[teeth, jab],
        busy=busy_of(teeth, jab),
        history=[first, asked.reply],
    )

    assert answered.intent is Intent.PROPOSE_RESCHEDULE, answered.reply  # not a second dental
    assert answered.proposal is not None
    assert (answered.proposal.booking_id, answered.proposal.slot_start) == ("b1", at(15, 9))


async def test_another_time_after_the_friday_one_was_turned_down_moves_it() -> None:
    ginger = booking_of("Ginger", at(10, 10, 30), "consultation", "b1")
    misty = booking_of("Misty", at(11, 16), "vaccination", "b2")
    first = "hiya, could the friday one be at 1 instead? I'm on a half day"
    refused = await decide(first, bookings=[ginger, misty])
    assert "closed from 12:30 to 14:00" in refused.reply

    decision = await decide(
        "oh ok, 2 then?", bookings=[ginger, misty], history=[first, refused.reply]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b2", at(11, 14))


def test_the_friday_one_stays_a_booking_pointed_at() -> None:
    assert "the friday one" in normalise("could the friday one be at 1 instead?")
    assert "the tuesday one" in normalise("move the tuesday one please")


async def test_the_other_one_too_after_a_move_moves_it_straight_after() -> None:
    charlie = booking_of("Charlie", at(10, 16), "consultation", "b1")
    daisy = booking_of("Daisy", at(10, 16, 30), "consultation", "b2")
    first = "hi, can Charlie's appointment on thursday move to friday at half 4?"
    read_back = await decide(first, bookings=[charlie, daisy])
    moved = charlie.model_copy(update={"slot_start": at(11, 16, 30)})

    decision = await decide(
        "and the other one too please, straight after him like before",
        bookings=[moved, daisy],
        history=[
            first,
            read_back.reply,
            "yes",
            "Done: the appointment for Charlie is moved to Friday 11 December at 16:30.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b2", at(11, 17))


# -- several pets, each with its own time or service ---------------------------------------------


async def test_a_pets_day_then_its_time_in_the_next_clause_is_its_own() -> None:
    decision = await decide(
        "Hello, I need a check up for Rolo tomorrow at 5.30pm and a dental for Maisie on friday "
        "morning, 9 if you have it. both dogs"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Maisie", at(11, 9), "dental"),
        ("Rolo", at(8, 17, 30), "consultation"),
    ]


async def test_pets_listed_in_turn_from_a_time_are_all_booked_one_after_another() -> None:
    decision = await decide(
        "Hi! all 3 dogs are due their annual boosters 🐶🐶🐶 could we come friday after work? "
        "Rex at 5, then Nala, then Biscuit, one after the other"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [
        ("Rex", at(11, 17)),
        ("Nala", at(11, 17, 15)),
        ("Biscuit", at(11, 17, 30)),
    ]


async def test_straight_after_another_pets_groom_is_when_the_groom_ends() -> None:
    decision = await decide(
        "Hi! full family trip on thursday please 😅 Archie's groom at 5, Willow's jab at 5 too, "
        "and Benji's check up straight after Archie's groom. all dogs"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Archie", at(10, 17), "grooming"),
        ("Benji", at(10, 17, 45), "consultation"),  # the groom takes 45 minutes
        ("Willow", at(10, 17), "vaccination"),
    ]


@pytest.mark.parametrize(
    ("message", "times"),
    [
        ("5 and half 5 then", [at(8, 17), at(8, 17, 30)]),  # what was read back: again
        ("10 and half 10 then", [at(8, 10), at(8, 10, 30)]),
    ],
)
async def test_one_time_each_for_several_read_back_goes_in_their_order(
    message: str, times: list[datetime]
) -> None:
    first = (
        "hiya, can I bring Rosie and Rolo (both dogs, check ups) tomorrow after work? I finish at "
        "half 4 so from 5. one after the other is fine"
    )
    read_back = await decide(first)
    assert proposed(read_back) == [("Rosie", at(8, 17)), ("Rolo", at(8, 17, 30))]

    decision = await decide(
        message, pending=pending_several(read_back), history=[first, read_back.reply]
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == list(zip(["Rosie", "Rolo"], times, strict=True))


async def test_the_pet_said_first_takes_the_first_of_the_times() -> None:
    rocky = booking_of("Rocky", at(9, 17), "consultation", "b1")
    roxy = booking_of("Roxy", at(9, 17), "consultation", "b2")
    first = (
        "can't make wednesday anymore 😩 could rocky and roxy come tuesday next week instead? "
        "after 5 ideally, one after the other is fine"
    )
    read_back = await decide(first, bookings=[rocky, roxy], busy=busy_of(rocky, roxy))

    decision = await decide(
        "5 and half 5 please, roxy first",
        bookings=[rocky, roxy],
        busy=busy_of(rocky, roxy),
        pending=pending_several(read_back),
        history=[first, read_back.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted((p.subject, p.slot_start) for p in decision.proposals) == [
        ("Rocky", at(15, 17, 30)),
        ("Roxy", at(15, 17)),
    ]


async def test_same_time_another_day_after_a_new_pets_visit_was_turned_down_books_that_pet() -> (
    None
):
    pumpkin = booking_of("Pumpkin", at(10, 17), "consultation", "b1")
    spice = booking_of("Spice", at(10, 17), "consultation", "b2")
    first = (
        "my partner booked Pumpkin and Spice in for thursday at 5, can Ginger come at the same "
        "time? she needs a check up too"
    )
    refused = await decide(first, bookings=[pumpkin, spice], busy=busy_of(pumpkin, spice))
    assert "fully booked" in refused.reply

    decision = await decide(
        "same time friday then?",
        bookings=[pumpkin, spice],
        busy=busy_of(pumpkin, spice),
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply  # no move, nor three visits
    assert proposed(decision) == [("Ginger", at(11, 17))]


async def test_a_pet_with_its_kind_in_brackets_is_named_in_lower_case() -> None:
    decision = await decide("can I book kiwi (rabbit) for a checkup on friday at 10.00")

    assert proposed(decision) == [("Kiwi", at(11, 10))]


# -- what the log says ----------------------------------------------------------------------------


async def test_a_slot_offered_on_a_call_that_dropped_is_proposed_again() -> None:
    decision = await decide(
        "hi I rang last night about Bella's booster and the line cut out before I could say "
        "yes 🙈 can you still do the friday one?",
        history=[
            "Hi, I'd like to book Bella in for her booster this week please, Friday morning if "
            "possible.",
            "I can book Bella for a vaccination on Friday 11 December at 10:00. Shall I book it?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Bella", at(11, 10))
    assert decision.proposal.service == "vaccination"


async def test_the_one_booked_yesterday_is_the_one_the_log_booked_then() -> None:
    friday = booking_of("Simba", at(11, 11), "consultation", "b1")
    groom = booking_of("Simba", at(17, 10), "grooming", "b2")

    decision = await decide_with(
        "hi, can you cancel the one I booked yesterday? turns out my partner already booked him "
        "in somewhere else 🙄 sorry!",
        at_minutes_ago(
            21 * 60,
            [
                (Direction.INBOUND, "can I book Simba for a check up friday at 11"),
                (Direction.OUTBOUND, "Done: Simba's consultation on Friday 11 December at 11:00."),
            ],
        ),
        bookings=[friday, groom],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b1"


async def test_the_cat_as_the_log_told_it_is_the_one_cancelled() -> None:
    ziggy = booking_of("Ziggy", at(11, 10), "grooming", "b1")
    mittens = booking_of("Mittens", at(11, 10), "vaccination", "b2")

    decision = await decide(
        "hello, the cat won't be coming on friday after all, she's staying at my mum's for a "
        "couple of weeks. can you cancel hers? the dog's still coming",
        bookings=[ziggy, mittens],
        history=[
            "hi can I book Ziggy (dog) in for a groom and Mittens (cat) for her vaccination, "
            "friday at 10?",
            "Done: Ziggy (grooming) and Mittens (vaccination) on Friday 11 December at 10:00.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b2"


async def test_cancel_the_other_one_beside_the_pet_still_coming() -> None:
    poppy = booking_of("Poppy", at(8, 15), "consultation", "b1")
    peanut = booking_of("Peanut", at(8, 15, 30), "consultation", "b2")

    decision = await decide(
        "Hi, we'll only be bringing Poppy tomorrow, can you cancel the other one? he's much "
        "better now 🐰",
        bookings=[poppy, peanut],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.booking_id == "b2"


# -- cancellations and moves in one message, and taken back --------------------------------------


@pytest.mark.parametrize(
    "opening",
    ["", "Hello, I'm not sure if this is a real person reading this or a computer but I'll try. "],
)
async def test_one_cancelled_and_the_other_moved_in_a_long_message(opening: str) -> None:
    max_ = booking_of("Max", at(8, 15), "consultation", "b1")
    bailey = booking_of("Bailey", at(8, 15), "vaccination", "b2")

    decision = await decide(
        f"{opening}I booked Max and Bailey in for tomorrow at 3. Bailey's booster was already "
        "done at the breeder's, which I didn't know, so she doesn't need it, please cancel hers. "
        "Max still needs to come but 3 o'clock is difficult for me now, could he come at 5 "
        "instead? Sorry for the trouble",
        bookings=[max_, bailey],
        busy=busy_of(max_, bailey),
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(kinds(decision)) == [("cancel", "Bailey", "b2"), ("reschedule", "Max", "b1")]
    moved = next(p for p in decision.proposals if p.subject == "Max")
    assert moved.slot_start == at(8, 17)


async def test_a_summary_of_a_move_and_a_cancellation_is_confirmed() -> None:
    max_ = booking_of("Max", at(8, 17), "consultation", "b1")

    decision = await decide(
        "so Max is at 5 now and Bailey's cancelled?",
        bookings=[max_],
        history=[
            "please cancel Bailey's and move Max to 5",
            "I can move Max's appointment … Reply YES to confirm.",
            "yes please",
            "Done: Max is moved to Tuesday 8 December at 17:00 and Bailey's appointment on "
            "Tuesday 8 December at 15:00 is cancelled.",
        ],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Max on Tuesday 8 December at 17:00" in decision.reply
    assert "Bailey's appointment is cancelled" in decision.reply


async def test_cancel_both_while_one_cancellation_waits_cancels_both() -> None:
    muffin = booking_of("Muffin", at(10, 12), "consultation", "b1")
    fudge = booking_of("Fudge", at(10, 12), "consultation", "b2")

    decision = await decide(
        "actually, cancel both of them. Muffin's fine too and it's a faff bringing just one",
        bookings=[muffin, fudge],
        pending=pending("cancel", slot=at(10, 12), subject="Fudge", booking_id="b2"),
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(kinds(decision)) == [("cancel", "Fudge", "b2"), ("cancel", "Muffin", "b1")]


async def test_instead_of_cancelling_a_check_up_changes_the_service() -> None:
    toby = booking_of("Toby", at(11, 14), "dental", "b1")

    decision = await decide(
        "wait actually, instead of cancelling can we change it to just a check up? the vet said "
        "last time his teeth might be ok and I'd rather she had a look first",
        bookings=[toby],
        pending=pending("cancel", slot=at(11, 14), subject="Toby", booking_id="b1"),
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(11, 14), "consultation")


async def test_a_move_to_a_part_of_the_day_instead_of_cancelling_asks_its_times() -> None:
    toby = booking_of("Toby", at(11, 14), "dental", "b1")

    decision = await decide(
        "actually can we move it to friday evening instead",
        bookings=[toby],
        pending=pending("cancel", slot=at(11, 14), subject="Toby", booking_id="b1"),
    )

    assert decision.intent is Intent.DECLINE, decision.reply  # the cancellation withdrawn
    assert "What time on Friday 11 December" in decision.reply
    assert "already on" not in decision.reply


async def test_a_yes_to_our_times_question_never_confirms_an_older_change() -> None:
    toby = booking_of("Toby", at(11, 14), "dental", "b1")
    asked = (
        "What time on Friday 11 December would you like the appointment for Toby moved to? I "
        "have 17:00, 17:15, 17:45 or 18:00."
    )

    decision = await decide(
        "yes",
        bookings=[toby],
        pending=pending("cancel", slot=at(11, 14), subject="Toby", booking_id="b1"),
        history=["can I cancel Toby's dental on Friday?", asked],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.action_id is None


# -- corrections, yeses and holding off ----------------------------------------------------------


async def test_another_time_asked_with_the_proposed_one_as_the_reason() -> None:
    decision = await decide(
        "hmm actually is 3 any better? the traffic at 4 is awful round yours",
        pending=pending("book", slot=at(9, 16), subject="Archie", service="grooming"),
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Archie", at(9, 15))]


async def test_another_pets_time_beside_a_correction_is_not_the_one_asked() -> None:
    bella = booking_of("Bella", at(11, 9, 30), "consultation", "b2")
    max_ = booking_of("Max", at(11, 9), "consultation", "b1")

    decision = await decide(
        "Just checking – it's only Bella moving, to Saturday at 10am. Max stays on Friday at 9",
        bookings=[max_, bella],
        pending=pending("reschedule", slot=at(12, 10), subject="Bella", booking_id="b2"),
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(12, 10)


@pytest.mark.parametrize("message", ["ah no worries, yes please", "oh ok, yes please book it"])
async def test_a_yes_after_an_interjection_confirms(message: str) -> None:
    decision = await decide(message, pending=pending("book", slot=at(11, 11), subject="Oreo"))

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_the_first_one_you_said_after_ok_is_a_pick_not_a_yes() -> None:
    tic = booking_of("Tic", at(9, 15), "grooming", "b1")
    tac = booking_of("Tac", at(9, 15), "grooming", "b2")

    decision = await decide(
        "ah ok, the first one you said then",
        bookings=[tic, tac],
        busy=busy_of(tic, tac),
        history=[
            "can domino come wednesday at 3 as well? just a check up for him",
            "Wednesday 9 December at 15:00 is full (Tic and Tac have both places). For Domino's "
            "consultation I can offer 14:15 or 16:00 that day. Which would suit?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Domino", at(9, 14, 15))]


async def test_hold_off_with_the_proposals_own_day_as_the_reason_books_nothing() -> None:
    decision = await decide(
        "oh wait actually hold off, my partner might need the car on saturday. I'll message "
        "back when I know, sorry!",
        pending=pending("book", slot=at(12, 10, 15), subject="Nala", service="grooming"),
    )

    assert decision.intent is Intent.DECLINE, decision.reply


# -- questions beside the request ----------------------------------------------------------------


async def test_a_booking_checked_on_the_wrong_day_is_said_as_it_is() -> None:
    toby = booking_of("Toby", at(10, 11, 30), "vaccination", "b1")

    decision = await decide("toby's jab is wednesday at 11.30 isn't it?", bookings=[toby])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply  # nothing proposed
    assert "Thursday 10 December at 11:30" in decision.reply


async def test_a_booking_checked_beside_another_pets_visit_is_answered_first() -> None:
    daisy = booking_of("Daisy", at(11, 10), "consultation", "b1")

    decision = await decide(
        "Hi, Daisy's booked in on friday at 10 isn't she? could I bring her sister Rosie as "
        "well for a check up at the same time?",
        bookings=[daisy],
        busy=busy_of(daisy),
    )

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.reply.startswith("Yes, Daisy is booked for Friday 11 December at 10:00.")
    assert proposed(decision) == [("Rosie", at(11, 10))]


async def test_whether_a_move_is_free_is_answered_for_the_booking() -> None:
    coco = booking_of("Coco", at(10, 10), "consultation", "b1")

    decision = await decide(
        "hi is it free to move an appointment? coco's booked in thursday at 10 and something's "
        "come up",
        bookings=[coco],
    )

    assert PROFILE.policies["cancellation"] in decision.reply
    assert "more than 24 hours away, so there's no charge" in decision.reply


async def test_how_long_beside_a_move_is_the_moved_visits_length() -> None:
    dental = booking_of("Max", at(10, 14), "dental", "b1")

    decision = await decide(
        "can we move Max's dental from thursday to next week? how long will he be in for? need "
        "to sort work around it",
        bookings=[dental],
    )

    assert "dental cleaning takes 60 minutes" in decision.reply
    assert "consultation" not in decision.reply


async def test_a_price_asked_beside_a_cancellation_is_the_service_asked_about() -> None:
    thumper = booking_of("Thumper", at(11, 9, 30), "consultation", "b1")

    decision = await decide(
        "we won't make Thumper's appointment on Friday, so please cancel that one. When we're "
        "back I'd like to get his nails clipped, do you do that for rabbits and how much is it?",
        bookings=[thumper],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "grooming is €35" in decision.reply
    assert "consultation is €45" not in decision.reply


async def test_the_first_evening_appointment_is_the_earliest_not_the_first_of_the_month() -> None:
    assert "first evening" in normalise("what's the first evening appointment you have after 5?")

    decision = await decide(
        "Hello, what's the first evening appointment you have after 5? any weekday. It's for my "
        "dog Rocco, just a check up"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(7, 17)  # this evening, not New Year's Day


# -- sets 107–110: the way people write, and what the log says ------------------------------------


async def test_a_time_picked_this_morning_from_last_nights_tomorrow_is_today() -> None:
    decision = await decide_with(
        "morning! is the 11 o'clock still free? for Rolo's ear",
        at_minutes_ago(
            1005,
            [
                (Direction.INBOUND, "can I bring Rolo tomorrow morning? he keeps scratching"),
                (
                    Direction.OUTBOUND,
                    "Tomorrow, Monday 7 December, I have 09:30, 10:15 or 11:00. Which would you "
                    "like?",
                ),
            ],
        ),
    )

    assert proposed(decision) == [("Rolo", at(7, 11))]  # not Tuesday: a wrong action before


async def test_the_same_time_as_yesterdays_read_back_on_another_day() -> None:
    decision = await decide_with(
        "hiya, thursday's no good after all 🙈 could Kiwi do friday, same time?",
        at_minutes_ago(
            1320,
            [
                (Direction.INBOUND, "could Kiwi (rabbit) come for his jabs on thursday at 9?"),
                (
                    Direction.OUTBOUND,
                    "I can book Kiwi (vaccination) for Thursday 10 December at 09:00. Reply YES "
                    "to confirm.",
                ),
            ],
        ),
    )

    assert proposed(decision) == [("Kiwi", at(11, 9))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_recall_for_a_booster_books_a_vaccination() -> None:
    decision = await decide(
        "hi yes please, saturday at 10 if you have it? 🐱",
        history=[
            "hello",
            "Hi from Rue des Lilas Veterinary Clinic! Pixel's yearly booster is due this month. "
            "Would you like to book it? Just reply here with a day and time that suits you.",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "vaccination"


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("checkup rex tues 10?", "Rex"),
        ("can u do 2pm weds for lunas jab", "Luna"),
        ("we were in this morning with rosie for her tummy. can I book 3pm tomorrow?", "Rosie"),
        (
            "Hello, our dog Biscuit has been limping since a long walk in the Bois de Vincennes. "
            "Would Wednesday around 4 be possible?",
            "Biscuit",
        ),
    ],
)
async def test_the_pet_is_named_however_written(message: str, subject: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == subject
    assert "by appointment" not in decision.reply  # a walk in the park asks no walk-in


async def test_his_injections_are_his_vaccinations() -> None:
    decision = await decide(
        "HELLO I WOULD LIKE TO BOOK MY CAT SOOTY FOR HIS INJECTIONS ON FRIDAY AT 10 O CLOCK."
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "vaccination"


async def test_each_pet_its_own_service_when_a_word_looks_like_a_name() -> None:
    decision = await decide(
        "my dog Duke needs his nails done and the cat (Cleo) is due a check up. could they both "
        "come wednesday at 5?"
    )

    assert sorted((p.subject, p.service) for p in decision.proposals) == [
        ("Cleo", "consultation"),  # "is due" is no "Duke"
        ("Duke", "grooming"),
    ]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("oscar fri → sat same time?", at(12, 9)),
        ("oscar fri -> sat same time?", at(12, 9)),
    ],
)
async def test_an_arrow_moves_from_one_day_to_the_other(message: str, slot: datetime) -> None:
    oscar = booking_of("Oscar", at(11, 9), "vaccination", "b1")

    decision = await decide(message, bookings=[oscar])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == slot


async def test_a_change_word_typed_with_a_slip_still_moves() -> None:
    bailey = booking_of("Bailey", at(12, 9, 30), "grooming", "b1")

    decision = await decide(
        "hey cn we chnage baileys groom from saturday to friday afternon? 2ish", bookings=[bailey]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(11, 14)


async def test_a_greeting_morning_before_a_pets_name_is_no_part_of_the_day() -> None:
    dexter = booking_of("Dexter", at(12, 9, 30), "consultation", "b1")

    decision = await decide(
        "morning, can dexter come later on saturday? like 1.30? football again 🙄",
        bookings=[dexter],
    )

    assert "13:30 isn't possible: we close at 13:00" in decision.reply


async def test_the_service_said_instead_of_the_one_booked_changes_it() -> None:
    poppy = booking_of("Poppy", at(11, 16), "consultation", "b1")

    decision = await decide(
        "Hi, Poppy (ferret) is booked for a check up on friday but it's actually her vaccination "
        "she needs. can we change it to that, same time?",
        bookings=[poppy],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(11, 16), "vaccination")


async def test_a_time_answering_our_move_question_after_a_kind_word_moves_the_booking() -> None:
    daisy = booking_of("Daisy", at(11, 10), "consultation", "b1")
    first = (
        "Morning, daisy's eye is really swollen today 😟 can we bring her friday appointment "
        "forward to tomorrow morning?"
    )
    asked = await decide(first, bookings=[daisy])
    assert asked.reply.startswith("Sorry to hear Daisy isn't well. What time on Tuesday")

    decision = await decide("9am please", bookings=[daisy], history=[first, asked.reply])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply  # not a second visit
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == ("b1", at(8, 9))


async def test_worse_overnight_is_no_question_about_the_night_service() -> None:
    milo = booking_of("Milo", at(10, 15), "consultation", "b1")

    decision = await decide(
        "milo's got worse overnight, he's booked in for thursday but can he be seen today "
        "instead? any time this afternoon is fine",
        bookings=[milo],
    )

    assert "night service" not in decision.reply


async def test_a_bare_hour_after_our_hours_of_a_day_books_that_day() -> None:
    first = "are you open saturday afternoon? my cat Mochi keeps sneezing and I work all week"
    answered = await decide(first)

    decision = await decide("11 then please", history=[first, answered.reply])

    assert proposed(decision) == [("Mochi", at(12, 11))]


async def test_when_her_appointment_is_is_said_beside_sooner_times() -> None:
    nala = booking_of("Nala", at(9, 14, 30), "consultation", "b1")

    decision = await decide(
        "nala's cough is getting worse. when is her appointment again? is there anything sooner?",
        bookings=[nala],
    )

    assert decision.reply.startswith(
        "The appointment for Nala is on Wednesday 9 December at 14:30."
    )


async def test_message_you_later_after_our_times_asks_nothing_more() -> None:
    first = "if he's not picking up by saturday can I bring Archie in then? what times have you got"
    asked = await decide(first)

    decision = await decide(
        "ok thanks, I'll see how he is and message you friday 👍", history=[first, asked.reply]
    )

    assert decision.intent is Intent.OTHER, decision.reply
    assert "I have" not in decision.reply


async def test_a_time_after_an_excuse_is_no_yes() -> None:
    decision = await decide(
        "sorry was driving. 11 is fine",
        pending=pending("book", slot=at(10, 10), subject="Archie"),
    )

    assert decision.intent is not Intent.CONFIRM
    assert proposed(decision) == [("Archie", at(10, 11))]


async def test_the_hours_of_a_day_asked_beside_a_possible_move_propose_no_move() -> None:
    bella = booking_of("Bella", at(14, 9), "consultation", "b1")

    decision = await decide(
        "hi what time are you open till on fridays? might need to move Bella's appointment",
        bookings=[bella],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply  # Friday is the hours' day
    assert "On Fridays we're open" in decision.reply


async def test_christmas_closing_asked_in_case_gives_the_night_service() -> None:
    pixel = booking_of("Pixel", at(11, 11), "dental", "b1")

    decision = await decide(
        "please cancel pixel's dental on friday, we're going away last minute 🙈 back on the "
        "23rd. are you open on christmas day in case anything happens?",
        bookings=[pixel],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert PROFILE.policies["emergencies"] in decision.reply


async def test_a_new_patients_pet_due_a_visit_is_asked_its_day() -> None:
    decision = await decide(
        "hello! we've just moved to the 11th, do you take new patients? my cat Pixel is due her "
        "vaccines"
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "New patients are welcome" in decision.reply
    assert decision.reply.endswith("Which day and time would you like for Pixel?")
    assert "11 December" not in decision.reply  # the 11th is where they live


async def test_a_charge_asked_for_a_booking_a_day_away_says_it_is_free() -> None:
    nala = booking_of("Nala", at(8, 10), "consultation", "b1")

    decision = await decide(
        "hi is there a charge if I cancel Nala's appointment tomorrow?", bookings=[nala]
    )

    assert decision.intent is Intent.ANSWER
    assert decision.reply.endswith("is more than 24 hours away, so there's no charge.")


async def test_christmas_wishes_are_returned_not_booked() -> None:
    decision = await decide(
        "thanks, we'll book again when we're back. have a lovely christmas 🎄",
        history=[
            "please cancel both",
            "I can cancel … Reply YES to confirm.",
            "yes",
            "Done: Bonnie's appointment on Wednesday 9 December at 10:00 is cancelled.",
        ],
    )

    assert decision.intent is Intent.OTHER, decision.reply
    assert "the same to you" in decision.reply


# -- sets 111–114: the customer's own week, several pets, bookings checked -----------------------


async def test_let_me_check_after_ok_thanks_is_no_yes() -> None:
    decision = await decide(
        "ok thanks, let me check with my other half and I'll message back later",
        pending=pending("book", slot=at(10, 15), subject="Biscuit", service="vaccination"),
    )

    assert decision.intent is not Intent.CONFIRM, decision.reply  # booked before: a wrong action


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # their own hours are no time asked
        (
            "Biscuit needs his booster. I'm on nights this week so I sleep till about 2, what "
            "have you got thursday after 3?",
            at(10, 15),
        ),
        # the day said to be best among the days of their shifts
        (
            "ok so I'm a nurse doing 12 hour shifts and this week I'm on mon tue and fri which "
            "leaves wed thurs or sat, Clover (rabbit) needs her nails doing, saturday morning at "
            "10.30 would actually be best",
            at(12, 10, 30),
        ),
        # the first of two days, after the days they work
        (
            "my cat Tigger needs a check up this week but I'm working today and tomorrow and "
            "wednesday I've got the kids, so thursday or friday after 3pm, whichever is first?",
            at(10, 15),
        ),
    ],
)
async def test_the_day_and_time_around_the_customers_week(message: str, slot: datetime) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


@pytest.mark.parametrize(
    ("message", "day"),
    [
        (
            "we fly out on the 16th so Lola needs her nails clipped before then. I'm working "
            "from home on tues 15th so any time that day really",
            "Tuesday 15 December",
        ),
        (
            "hello, we're in Brittany until the 20th. can I book Rocky's jab for when we're "
            "back? the monday after, morning if poss",
            "Monday 21 December",
        ),
    ],
)
async def test_the_day_around_a_trip(message: str, day: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert f"What time on {day}" in decision.reply


async def test_a_morning_asked_instead_of_the_afternoon_they_now_work() -> None:
    bailey = booking_of("Bailey", at(9, 15), "consultation", "b1")

    decision = await decide(
        "my boss has just changed my shifts so I'm working wednesday afternoon now 🙄 could "
        "Bailey's appointment be wednesday morning instead? first thing if you can",
        bookings=[bailey],
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == at(9, 8, 30)  # 14:00 had been moved to: wrong


async def test_each_pets_own_time_said_back_keeps_them_there() -> None:
    first = (
        "hiya 🐹 my 3 guinea pigs need their nails trimmed - Pip, Squeak and Nibbles. could "
        "they all come in together saturday at 10?"
    )
    read_back = await decide(first)

    decision = await decide(
        "ah ok no worries. pip and squeak at 10 then and nibbles at 10.45 when they're done?",
        pending=pending_several(read_back),
        history=[first, read_back.reply],
    )

    assert proposed(decision) == [
        ("Pip", at(12, 10)),
        ("Squeak", at(12, 10)),
        ("Nibbles", at(12, 10, 45)),
    ]


async def test_one_pet_of_two_read_back_given_its_own_time() -> None:
    first = "teddy and bear both need check ups, wed 11 possible?"
    read_back = await decide(first)

    decision = await decide(
        "actually can bear be 11.30 instead, teddy at 11 is fine",
        pending=pending_several(read_back),
        history=[first, read_back.reply],
    )

    assert sorted(proposed(decision)) == [("Bear", at(9, 11, 30)), ("Teddy", at(9, 11))]


async def test_another_pet_beside_several_read_back_is_added() -> None:
    first = "my dog Bruno and my rabbit Clover, could they both be seen Friday at 5?"
    read_back = await decide(first)

    decision = await decide(
        "oh and the other bunny Basil needs his vaccine, could he come at 5.30 after them?",
        pending=pending_several(read_back),
        history=[first, read_back.reply],
    )

    assert sorted((p.subject, p.slot_start) for p in decision.proposals) == [
        ("Basil", at(11, 17, 30)),
        ("Bruno", at(11, 17)),
        ("Clover", at(11, 17)),
    ]


async def test_a_card_asked_about_is_no_pet() -> None:
    decision = await decide("can Luna come thursday at 5.30 for her vaccine? do you take Amex?")

    assert proposed(decision) == [("Luna", at(10, 17, 30))]


@pytest.mark.parametrize(
    "message",
    [
        "Hi is Bruno's appointment still on for wednesday at 2?",
        "did bruno's booking go through for wednesday? my phone died right after I said yes",
    ],
)
async def test_a_booking_believed_made_is_looked_up_not_proposed(message: str) -> None:
    bruno = booking_of("Bruno", at(10, 14), "consultation", "b1")

    decision = await decide(message, bookings=[bruno])

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December at 14:00" in decision.reply


async def test_a_booking_believed_made_with_none_on_record_says_so() -> None:
    decision = await decide(
        "hiya is Ginger still booked in for wednesday at 4? my husband said he booked it"
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert decision.proposal is None


async def test_a_bit_later_with_the_time_said_is_that_time() -> None:
    teddy = booking_of("Teddy", at(7, 11), "vaccination", "b1")

    decision = await decide(
        "Hi, Teddy's booked at 11 today for his booster, is there any chance we could come a "
        "bit later? 11.45 would be ideal",
        bookings=[teddy],
    )

    assert decision.proposal is not None and decision.proposal.slot_start == at(7, 11, 45)


async def test_a_weekday_of_next_week_is_that_day_not_the_same_day_a_week_on() -> None:
    willow = booking_of("Willow", at(11, 17), "grooming", "b1")

    decision = await decide(
        "Can Willow's groom be moved from this Friday to Monday next week? Same time works for us",
        bookings=[willow],
    )

    assert decision.proposal is not None and decision.proposal.slot_start == at(14, 17)


async def test_the_booking_said_still_on_is_never_the_one_cancelled() -> None:
    jab = booking_of("Rex", at(8, 9), "vaccination", "b1")
    follow_up = booking_of("Rex", at(15, 9), "consultation", "b2")

    decision = await decide(
        "Hi, Rex's leg is loads better so we won't need the follow up next week, can you "
        "cancel that one? Tomorrow's jab is still on though",
        bookings=[jab, follow_up],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_a_seizure_last_month_is_no_emergency_now() -> None:
    decision = await decide(
        "Morning! Tyson and Roxy are due their boosters, can they come Saturday 9.30? Also Roxy "
        "had a seizure last month at 2am and we didn't know who to ring - is there a number for "
        "nights?"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert PROFILE.policies["emergencies"] in decision.reply


async def test_a_seizure_asked_about_ahead_gets_the_numbers_not_an_alarm() -> None:
    decision = await decide(
        "Hi, just in case – if Ginger has another seizure this weekend when you're closed, who "
        "do I ring?"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert PROFILE.policies["emergencies"] in decision.reply


async def test_appointments_on_a_closed_day_asked_is_no_service_question() -> None:
    decision = await decide(
        "do you do appointments on sundays? Juno (cat) needs a check up and I work all week 😩"
    )

    assert decision.reply.startswith("Sorry, we're closed on Sundays.")


async def test_a_vet_to_look_at_a_lump_is_a_consultations_price() -> None:
    decision = await decide("how much is it for a vet to look at a lump on my dog?")

    assert decision.reply == "A consultation is €45 (30 minutes)."


async def test_a_marketers_reminder_says_which_booking_it_is_for() -> None:
    coco = booking_of("Coco", at(8, 9), "consultation", "b1")
    biscuit = booking_of("Biscuit", at(9, 14), "grooming", "b2")

    decision = await decide(
        "hi, is this one for Coco or Biscuit? I thought Biscuit's groom was on wednesday?",
        bookings=[coco, biscuit],
        history=[
            "hello",
            "Hi! A reminder from Rue des Lilas Veterinary Clinic: Coco has a consultation "
            "tomorrow, Tuesday 8 December, at 09:00. Reply to this message to confirm, move or "
            "cancel.",
        ],
    )

    assert decision.reply.startswith("This reminder is for Coco on Tuesday 8 December at 09:00.")


async def test_what_to_bring_to_a_first_appointment_is_no_request_for_the_first_free_one() -> None:
    decision = await decide(
        "We have recently moved with our two cats. Could you kindly advise whether you are "
        "accepting new patients, and what we ought to bring to a first appointment?"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert PROFILE.policies["bring"] in decision.reply


async def test_cant_get_there_before_six_then_at_six_is_that_time() -> None:
    decision = await decide(
        "both my cats Mango and Pickle are due their boosters. I can't get there before 6 on "
        "weekdays, could they both come tuesday at 6, together?"
    )

    assert proposed(decision) == [("Mango", at(8, 18)), ("Pickle", at(8, 18))]


async def test_a_weekday_ruled_out_in_the_plural_is_no_day_asked() -> None:
    decision = await decide(
        "hello, I need a checkup for my rabbit Pepper. I can't do mondays at all (work), what's "
        "your first morning appointment?"
    )

    assert "Monday" not in decision.reply, decision.reply


async def test_book_that_to_our_times_for_the_first_appointment_reads_back_the_first() -> None:
    first = "what's your first morning appointment for Pepper? I can't do mondays"
    asked = await decide(first)
    assert asked.reply.startswith("What time on Tuesday 8 December")

    decision = await decide("perfect, book that please", history=[first, asked.reply])

    assert proposed(decision) == [("Pepper", at(8, 8, 30))]


async def test_the_holiday_said_to_be_so_is_no_day_asked() -> None:
    decision = await decide(
        "oh of course it's christmas 🤦\u200d♀️ the thursday before then, the 24th, at 10?",
        history=[
            "could Cleo come in for her check up the friday of the week after next?",
            "Sorry, we're closed on Christmas Day. I can offer Thursday 24 December at 11:45, "
            "Thursday 24 December at 12:00 or Saturday 26 December at 12:00. Which would suit "
            "you?",
        ],
    )

    assert proposed(decision) == [("Cleo", at(24, 10))]


async def test_an_appointment_that_needs_cancelling_is_cancelled() -> None:
    first = booking_of("Ginger", at(15, 11), "consultation", "b1")
    second = booking_of("Ginger", at(23, 10), "vaccination", "b2")

    decision = await decide(
        "we've booked a last minute trip 🌴 away 14th to 20th, so Ginger's appointment on the "
        "15th needs cancelling please. the one on the 23rd is fine, we'll be back by then",
        bookings=[first, second],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_our_old_cat_is_coming_unless_a_loss_is_told() -> None:
    decision = await decide(
        "Hi 👋 we've just adopted a puppy, Nugget, and he needs his first vaccinations. Do we "
        "need to register him with you first? Also our old cat Whiskers hasn't had a check-up "
        "in ages, could they both come Wednesday at 9.30?"
    )

    assert sorted((p.subject, p.service) for p in decision.proposals) == [
        ("Nugget", "vaccination"),
        ("Whiskers", "consultation"),
    ]


async def test_a_pet_added_beside_a_booked_one_has_its_own_service() -> None:
    rex = booking_of("Rex", at(9, 10), "consultation", "b1")

    decision = await decide(
        "Hi, Rex is booked in on Wednesday at 10 for a check up. Could I add my cat Mia at the "
        "same time for her booster?",
        bookings=[rex],
        busy=busy_of(rex),
    )

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.service) == ("Mia", "vaccination")


async def test_a_discount_asked_is_no_yes_to_a_service() -> None:
    decision = await decide(
        "hi do you do a discount if you bring several pets? I've got 3 cats who all need their "
        "vaccines (Leo, Nala and Simba)"
    )

    assert not decision.reply.startswith("Yes")
    assert "per pet" in decision.reply


async def test_late_evenings_asked_get_the_weeks_hours() -> None:
    decision = await decide("do you do any late evenings?? I work till 7 every weekday 😩")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "19:00" in decision.reply and "Saturday 09:00-13:00" in decision.reply
    assert "can't book" not in decision.reply


def test_the_latest_appointment_on_weekdays_is_the_last_start_before_closing() -> None:
    said = answers.answer("what's the latest appointment you do on weekdays", PROFILE)

    assert said == "On weekdays the last consultation starts at 18:30: we close at 19:00."
