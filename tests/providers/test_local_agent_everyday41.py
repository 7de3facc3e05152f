"""Held-out set 41 (evals/scenarios/everyday41.yaml): bookings of two or three pets asked about
and changed without the usual words, our offered times answered in words, a pet swapped for
another, a visit checked with the wrong time. Reference moment: Monday 7 December 2026, 09:00
Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent, PendingAction, PendingChange
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


async def test_whichever_is_later_picks_the_later_time() -> None:
    """It booked the earlier of the two (a wrong action): "whichever" alone reads as either."""
    decision = await decide(
        "whichever is later, school run 🙃",
        history=[
            "can suki come wednesday late morning for a check up?",
            "I can do Wednesday 9 December at 11:15 or 12:00 for Suki's check-up. Which do you "
            "prefer?",
        ],
    )

    assert proposed(decision) == [("Suki", at(9, 12))]


async def test_the_weekday_of_the_week_after_next() -> None:
    """Booked Tuesday 15 December, next week's (a wrong action)."""
    decision = await decide(
        "can we book gizmo's booster for the week after next? the tuesday, quarter to 10 if poss"
    )

    assert proposed(decision) == [("Gizmo", at(22, 9, 45))]


async def test_the_cats_jabs_move_both_cats() -> None:
    """ "Which appointment should I move: Ketchup … or Mustard …?", twice."""
    decision = await decide(
        "thursday morning's no good anymore for the cats' jabs 😩 any chance of that afternoon "
        "instead, say 3?",
        bookings=[
            booked("Ketchup", at(10, 9, 30), "vaccination"),
            booked("Mustard", at(10, 9, 30), "vaccination"),
        ],
    )

    assert sorted(proposed(decision)) == [("Ketchup", at(10, 15)), ("Mustard", at(10, 15))]


async def test_yes_both_of_them_confirms_both() -> None:
    """ "Sorry, I didn't catch that": the pets named beside the yes stopped it."""
    bookings = [booked("Pudding", at(11, 9, 30), "grooming"), booked("Treacle", at(11, 9, 30))]
    pending = PendingAction(
        id="a1",
        kind="several",
        slot_start=at(11, 9, 30),
        subject="Pudding, Treacle",
        expires_at=NOW + timedelta(minutes=30),
        changes=[
            PendingChange(
                id=f"c{i}",
                kind="cancel",
                slot_start=b.slot_start,
                subject=b.subject,
                booking_id=b.id,
            )
            for i, b in enumerate(bookings)
        ],
    )

    decision = await decide("yes, both of them", pending=pending, bookings=bookings)

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_pets_brother_joins_its_visit_with_his_own_service() -> None:
    """Times "for Ruby" were offered; Alfie was not read as a pet."""
    decision = await decide(
        "can i bring ruby's brother alfie along on wednesday too? he's due his booster",
        bookings=[booked("Ruby", at(9, 15, 15))],
    )

    assert proposed(decision) == [("Alfie", at(9, 15, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_a_person_s_sibling_is_no_pet() -> None:
    decision = await decide("my mum's sister jane has a cat, can she come friday at 10?")

    assert "Jane" not in decision.reply


async def test_a_visit_checked_with_the_wrong_time_says_the_time_on_file() -> None:
    """It offered to book 14:30: a yes would have made a second visit."""
    decision = await decide(
        "just double checking marlowe's appointment on thursday is at 2.30? 🙂",
        bookings=[booked("Marlowe", at(10, 14))],
    )

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "14:00" in decision.reply and decision.proposal is None


async def test_another_pet_meant_with_same_time_renames_the_booking_read_back() -> None:
    """Bertie was read back again and the yes booked him."""
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(9, 10, 45),
        subject="Bertie",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "oh wait sorry, it's pebble who needs it, not bertie! same time",
        pending=pending,
        history=[
            "can bertie have a check up wednesday at 10.45?",
            "I can book Wednesday 9 December at 10:45 for Bertie. Reply YES to confirm.",
        ],
    )

    assert proposed(decision) == [("Pebble", at(9, 10, 45))]


async def test_the_pet_named_in_a_price_question_is_booked_next() -> None:
    decision = await decide(
        "ok just the nails for now then. saturday at 10.15?",
        history=[
            "how much is a dental clean? and how much for a nail trim? dexter's got grubby teeth "
            "and claws like a velociraptor 😅",
            "A grooming is €35 (45 minutes). A dental cleaning is €120 (60 minutes).",
        ],
    )

    assert proposed(decision) == [("Dexter", at(12, 10, 15))]


async def test_see_you_then_after_an_answer_is_a_goodbye() -> None:
    decision = await decide(
        "perfect, see you then 👍",
        bookings=[booked("Percy", at(9, 9), "dental")],
        history=[
            "what time is percy booked in on wednesday?",
            "The appointment for Percy is on Wednesday 9 December at 09:00.",
        ],
    )

    assert "Sorry" not in decision.reply and decision.proposal is None


async def test_an_offered_time_said_in_words_on_the_day_offered() -> None:
    decision = await decide(
        "the quarter past twelve one",
        history=[
            "any time saturday for chester's booster?",
            "On Saturday 12 December I have 09:15, 10:00 or 12:15 for Chester's vaccination. "
            "Which would suit?",
        ],
    )

    assert proposed(decision) == [("Chester", at(12, 12, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_the_service_of_times_listed_our_way_is_kept() -> None:
    """Figaro's 14:15 was read back as a consultation, his booster forgotten."""
    decision = await decide(
        "the earliest pls",
        history=[
            "figaro needs his booster, anything tomorrow afternoon?",
            "Tomorrow, Tuesday 8 December, I have 14:15, 16:15 or 17:30 for Figaro's "
            "vaccination. Which would you like?",
        ],
    )

    assert proposed(decision) == [("Figaro", at(8, 14, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"
