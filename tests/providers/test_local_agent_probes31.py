"""Conversations played turn by turn in session 31: a move with a newcomer or a service added,
a service changed with a move, a day owned by no booking, a yes to a one-booking "which one?".
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed

MAX_TUESDAY = [booked("Max", at(8, 11))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("push it to 11.30 and add bella too", at(8, 11, 30)),
        ("can we move it to thursday at 10 and bring bella along too", at(10, 10)),
    ],
)
async def test_the_one_booking_moved_as_it_and_a_newcomer_added(message: str, slot: object) -> None:
    """Bella was dropped (or "Which appointment should I move: Max …? I can't find one for
    Bella.", whose yes confirmed nothing)."""
    decision = await decide(message, bookings=MAX_TUESDAY)

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Max", slot), ("Bella", slot)]
    assert [p.kind for p in decision.proposals] == ["reschedule", "book"]


async def test_a_service_changed_and_the_visit_moved_in_one_message() -> None:
    """Moved at 15:00 and still a consultation: the groom was lost."""
    decision = await decide(
        "can max's appointment be changed to a groom and moved to 3?",
        bookings=[booked("Max", at(9, 10))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(9, 15), "grooming")


async def test_a_move_with_a_service_added_while_he_is_there() -> None:
    """Only the move was proposed: the nail trim was dropped without a word."""
    decision = await decide(
        "can you move max to thursday at 10 and add a nail trim while he's there",
        bookings=[booked("Max", at(9, 10))],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    made = [(p.kind, p.slot_start, p.service) for p in decision.proposals]
    assert made == [
        ("reschedule", at(10, 10), "consultation"),
        ("book", at(10, 10, 30), "grooming"),
    ]
    assert "grooming straight after, at 10:30" in decision.reply


async def test_a_booked_pet_to_come_the_same_time_as_another() -> None:
    """ "Which appointment should I cancel: Bella on Friday …?": one option, and its yes was
    read as a reminder's ("Thanks, that's confirmed")."""
    decision = await decide(
        "bella can't do friday, can she come the same time as max instead?",
        bookings=[booked("Max", at(10, 15)), booked("Bella", at(11, 10))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(10, 15))]


async def test_a_move_of_a_day_nothing_is_booked_on_asks_which() -> None:
    """Max's Thursday visit was moved on "saturday's" say-so."""
    decision = await decide(
        "can you move saturday's appointment to monday", bookings=[booked("Max", at(10, 15))]
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.reply.startswith("I can't find an appointment on Saturday 12 December.")


async def test_a_yes_to_a_which_question_naming_one_booking_picks_it() -> None:
    decision = await decide(
        "yes",
        bookings=[booked("Max", at(10, 15))],
        history=[
            "can you move saturday's appointment to monday",
            "I can't find an appointment on Saturday 12 December. Which appointment should I "
            "move: Max on Thursday 10 December at 15:00?",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Max", at(14, 15))]


async def test_a_yes_to_a_which_question_naming_two_confirms_nothing() -> None:
    decision = await decide(
        "yes",
        bookings=[booked("Max", at(10, 15)), booked("Bella", at(11, 10))],
        history=[
            "cancel saturday's please",
            "I can't find an appointment on Saturday 12 December. Which appointment should I "
            "cancel: Max on Thursday 10 December at 15:00 or Bella on Friday 11 December at "
            "10:00?",
        ],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None and not decision.proposals


async def test_after_all_counts_no_booking() -> None:
    """ "we can't come in on friday after all": Friday's only, not every booking."""
    decision = await decide(
        "we can't come in on friday after all",
        bookings=[booked("Max", at(10, 15)), booked("Bella", at(11, 10))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Bella", at(11, 10))]


async def test_a_booking_cancelled_to_be_booked_again_as_another_service() -> None:
    """Only the cancellation was proposed, and its yes left Bella with nothing."""
    decision = await decide(
        "can you cancel bella's groom and book her a checkup instead same time",
        bookings=[booked("Bella", at(10, 9), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(10, 9), "consultation")


async def test_a_booking_cancelled_to_be_booked_again_on_another_day() -> None:
    decision = await decide(
        "cancel bella's groom please and book her in for a jab on friday at 10 instead",
        bookings=[booked("Bella", at(10, 9), "grooming")],
    )

    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(11, 10), "vaccination")


async def test_a_cancellation_with_a_booking_for_later_is_only_cancelled() -> None:
    """Proposed a move to 09:15 ("later")."""
    decision = await decide(
        "cancel bella's groom please, i'll book her a checkup later",
        bookings=[booked("Bella", at(10, 9), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Bella", at(10, 9))]


async def test_your_earliest_on_a_day_is_proposed() -> None:
    """That day's times were listed, and "that's fine" asked again."""
    decision = await decide(
        "hello my rabbit thumper needs his nails done, whats your earliest on saturday"
    )

    assert proposed(decision) == [("Thumper", at(12, 9))]


async def test_a_pet_come_in_with_after_the_day() -> None:
    """ "What time on Thursday 24 December would you like?": Coco and her booster lost."""
    decision = await decide(
        "is it possible to come in on the 24th in the morning with coco for her booster"
    )

    assert "for Coco" in decision.reply, decision.reply


async def test_a_day_of_the_month_answering_us_keeps_the_month_asked() -> None:
    """ "the 7th" after "… next month" was read as today, Monday 7 December, and booked there
    (a wrong action)."""
    decision = await decide(
        "the 7th",
        history=[
            "can i book nala for a dental next month",
            "Sure. Which day and time would you like for Nala?",
        ],
    )

    assert "Thursday 7 January" in decision.reply, decision.reply


async def test_the_7th_next_month_is_januarys() -> None:
    decision = await decide("can nala come in the 7th next month at 10")

    assert proposed(decision) == [("Nala", datetime(2027, 1, 7, 9, tzinfo=UTC))]


async def test_two_pets_one_after_the_other() -> None:
    """Both booked at 09:00, side by side; without a time "one" was read as 13:00."""
    decision = await decide(
        "can bonnie and clyde both have a groom on saturday at 9, one after the other"
    )

    assert proposed(decision) == [("Bonnie", at(12, 9)), ("Clyde", at(12, 9, 45))]


async def test_one_after_the_other_is_no_hour() -> None:
    decision = await decide(
        "Hi there! 👋 Could I please book my two dogs, Bonnie and Clyde, for grooming on "
        "Saturday? Ideally one after the other"
    )

    assert "13:00" not in decision.reply
    assert decision.reply.startswith("What time on Saturday 12 December"), decision.reply


async def test_the_one_booking_of_the_service_named_is_moved() -> None:
    """ "Which appointment should I move: Max … or Bella …?" though only Bella's is a groom."""
    decision = await decide(
        "can you move the grooming to saturday at 10",
        bookings=[booked("Max", at(9, 10)), booked("Bella", at(11, 15), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(12, 10))]


async def test_anyone_is_fine_is_heard() -> None:
    decision = await decide(
        "anyone is fine then",
        history=[
            "Is Dr. Martin available on Friday? My dog Buster needs a check up.",
            "Our bookings don't name a vet, so I can't promise who you'll see; the team can tell "
            "you at the clinic. What time on Friday 11 December would you like for Buster? I have "
            "08:30, 11:15, 15:45 or 18:30.",
        ],
    )

    assert decision.reply.startswith("No problem. What time on Friday 11 December"), decision.reply


async def test_a_visit_asked_about_with_cant_remember_is_looked_up() -> None:
    """ "can't" read as "can": a second visit at 11:30 was proposed."""
    decision = await decide(
        "is bella thursday at 11 or 11.30? can't remember",
        bookings=[booked("Bella", at(10, 11))],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Thursday 10 December at 11:00" in decision.reply


async def test_hours_ruled_out_are_not_the_time() -> None:
    """12:00 was proposed for "any time wednesday … except between 12 and 2"."""
    decision = await decide(
        "I need an appointment for Misty's vaccination. Any time Wednesday works except between "
        "12 and 2"
    )

    assert decision.proposal is None
    assert "12:00" not in decision.reply


async def test_the_earliest_instead_of_the_proposal_is_no_yes() -> None:
    """ "ok the earliest then" confirmed the 12:00 proposed (a wrong action)."""
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(9, 12),
        subject="Misty",
        service="vaccination",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide("ok the earliest then", pending=pending)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert proposed(decision) == [("Misty", at(9, 8, 30))]


async def test_a_name_answering_our_question_for_your_animal() -> None:
    """ "Sorry, I didn't catch that." to "Gizmo"."""
    decision = await decide(
        "Gizmo",
        history=[
            "can you fit my guinea pig in this week? his teeth look long",
            "What time on Monday 7 December would you like for your guinea pig? I have 10:00, "
            "14:15, 16:00 or 18:00.",
        ],
    )

    assert decision.reply.startswith(
        "Thanks. What time on Monday 7 December would you like for Gizmo?"
    ), decision.reply


async def test_a_name_answering_a_proposal_for_your_dog() -> None:
    """ "Sorry, I didn't catch that. Shall I book … for your dog?", and the yes booked "your
    dog"."""
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(10, 10),
        subject="your dog",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide("Rocco", pending=pending)

    assert proposed(decision) == [("Rocco", at(10, 10))]


async def test_a_home_visit_asked_beside_a_service_is_answered() -> None:
    """ "Sure. Which day and time would you like for your cat?": the home visit ignored."""
    decision = await decide(
        "my cat needs her booster but she hates the car, could you do a home visit?"
    )

    assert decision.intent is Intent.ANSWER
    assert "can't book a home visit" in decision.reply


async def test_a_question_for_the_vet_beside_one_we_answer() -> None:
    decision = await decide("how long does a dental take and do they need to be put under?")

    assert "60 minutes" in decision.reply
    assert "one for the vet" in decision.reply


async def test_a_name_said_twice_over() -> None:
    """Booked "for Bun"."""
    decision = await decide(
        "hi there, looking to book an appointment for our rabbit, bun bun. she's due her myxi "
        "jab. can she come thursday at 2pm?"
    )

    assert proposed(decision) == [("Bun Bun", at(10, 14))]


async def test_can_i_have_an_appointment_asks_for_one() -> None:
    """ "I can't find an upcoming appointment": read as a lookup."""
    decision = await decide(
        "Hello, can I have an appointment Thursday for my cat Minou? She is sick since two days, "
        "she don't eat."
    )

    # (her illness heard first: "Sorry to hear Minou isn't well.")
    assert "What time on Thursday 10 December would you like for Minou" in decision.reply
    assert decision.reply.startswith("Sorry to hear Minou isn't well.")


async def test_sat_is_better_moves_the_proposal_to_saturday() -> None:
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(7, 10),
        subject="Teddy",
        service="grooming",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide("sat is better", pending=pending)

    assert proposed(decision) == [("Teddy", at(12, 10))]


async def test_weekend_appointments_asked_about_are_our_hours() -> None:
    """ "Sure. Which day and time would you like?" """
    decision = await decide("Do you do weekend appointments?")

    assert decision.intent is Intent.ANSWER
    assert "Saturday 09:00-13:00" in decision.reply


async def test_drop_off_and_collection_asked_beside_a_booking() -> None:
    """Only the day and time were asked: the question dropped."""
    decision = await decide(
        "can i book a dental for rocky. what time do they need to be dropped off and when can i "
        "collect?"
    )

    assert "drop off and collect is the team's to say" in decision.reply
    assert decision.reply.endswith("Which day and time would you like for Rocky?")


async def test_a_note_in_brackets_after_a_name() -> None:
    """Bella was dropped: "(new)" hid her name, and only Max's cancellation was proposed."""
    decision = await decide(
        "need to cancel max on weds, he's at the groomers. also can i book bella (new) for a jab "
        "that day instead, same time?",
        bookings=[booked("Max", at(9, 10))],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert proposed(decision) == [("Max", at(9, 10)), ("Bella", at(9, 10))]


async def test_the_same_times_on_another_day_for_both() -> None:
    """ "What time on Wednesday …?": the plural "times" read no change."""
    decision = await decide(
        "something's come up on wednesday, can we do the same times on friday for both?",
        bookings=[booked("Max", at(9, 10)), booked("Bella", at(9, 10), "grooming")],
    )

    assert sorted(proposed(decision)) == [("Bella", at(11, 10)), ("Max", at(11, 10))]


async def test_any_chance_chance_is_one_name() -> None:
    """ "I can't find one for Chance Chance" (the name said twice over, read as one)."""
    decision = await decide(
        "any chance Chance could be moved to friday? same time",
        bookings=[booked("Chance", at(9, 16))],
    )

    assert proposed(decision) == [("Chance", at(11, 16))]


async def test_a_product_asked_after_beside_a_booking() -> None:
    """The booking read back, the flea treatment dropped without a word."""
    decision = await decide(
        "Max needs his booster, thursday at 10 pls. Also, do you sell flea treatment?"
    )

    assert proposed(decision) == [("Max", at(10, 10))]
    assert decision.reply.startswith("As for flea treatment: I can't say from here")


async def test_a_weekday_answering_a_proposal_of_next_week() -> None:
    """ "Wednesday" after "Any day next week" / "I can book Salt and Pepper for Monday 14 …"
    moved them to this week's Wednesday 9 (a wrong action on the yes)."""
    decision = await decide(
        "Wednesday",
        history=[
            "Hiya! Is it possible to book both my cats in for their annual jabs? Their names are "
            "Salt and Pepper. Any day next week after 4pm",
            "I can book Salt and Pepper for Monday 14 December at 16:00. Reply YES to confirm.",
        ],
    )

    assert "Wednesday 16 December" in decision.reply, decision.reply


async def test_late_tomorrow_for_a_visit_on_another_day() -> None:
    """ "Sorry, I didn't quite get that.": the day of lateness read as a request."""
    decision = await decide(
        "i'm going to be about 15 mins late tomorrow", bookings=[booked("Max", at(9, 10))]
    )

    assert decision.reply.endswith("is on Wednesday 9 December at 10:00, not tomorrow.")


async def test_late_tomorrow_for_tomorrows_visit() -> None:
    decision = await decide(
        "i'm going to be about 15 mins late tomorrow", bookings=[booked("Max", at(8, 10))]
    )

    assert decision.reply == "Thanks for letting us know, see you soon!"
