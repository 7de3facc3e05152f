"""Held-out set 43 (evals/scenarios/everyday43.yaml): a move "to a week on friday" beside a day
given up, "the monday after next", "just before you close", "cancel them all" beside a day of
another clause, a dog called Friday, a name said bare in a burst, a German letter's signature.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, decide, proposed


async def test_a_week_on_the_booked_weekday_is_not_the_booking_named() -> None:
    """Moved to Thursday 10, the day the customer is away from (a wrong action): "friday" in
    "a week on friday" was read as naming Friday's booking."""
    decision = await decide(
        "hiya, we're away from thursday now 🙈 could crumble's jab move to a week on friday "
        "instead? same time is fine",
        bookings=[booked("Crumble", at(11, 10, 30), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Crumble", at(18, 10, 30))]


async def test_a_move_to_friday_week_of_a_friday_booking() -> None:
    decision = await decide(
        "can max's appointment go to friday week instead, same time",
        bookings=[booked("Max", at(11, 10))],
    )

    assert proposed(decision) == [("Max", at(18, 10))]


async def test_the_monday_after_next_is_not_next_monday() -> None:
    """Booked on Monday 14 (a wrong action)."""
    decision = await decide(
        "hi there um could otis have his teeth cleaned the monday after next not next monday the "
        "one after that first thing if possible before i go to work thank you"
    )

    assert proposed(decision) == [("Otis", at(21, 8, 30))]
    assert decision.proposal is not None and decision.proposal.service == "dental"


async def test_just_before_you_close_is_the_last_start_of_the_day() -> None:
    """Answered "Yes, we're open on Friday …" and booked nothing."""
    decision = await decide(
        "can tigger have his jab friday just before you close? i can't get away from work any "
        "earlier 🙏"
    )

    assert proposed(decision) == [("Tigger", at(11, 18, 45))]
    assert "open" not in decision.reply


async def test_a_question_about_closing_time_is_still_answered() -> None:
    decision = await decide("what time do you close on friday?")

    assert decision.intent is Intent.ANSWER
    assert "19:00" in decision.reply


async def test_cancel_them_all_beside_the_day_of_another_clause() -> None:
    """Only Friday's was cancelled: "the end of the week" (when they move) chose it."""
    decision = await decide(
        "hello, we're moving to bordeaux at the end of the week so we won't be needing any of our "
        "appointments anymore, please cancel them all. thanks for everything 💛",
        bookings=[
            booked("Pixie", at(15, 11), "grooming"),
            booked("Dash", at(11, 17, 30)),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Dash", at(11, 17, 30)), ("Pixie", at(15, 11))]
    assert all(p.kind == "cancel" for p in decision.proposals)


async def test_cancel_all_of_a_day_cancels_that_days_only() -> None:
    decision = await decide(
        "please cancel all of friday's appointments",
        bookings=[
            booked("Pixie", at(15, 11), "grooming"),
            booked("Dash", at(11, 17, 30)),
            booked("Rex", at(11, 10)),
        ],
    )

    assert sorted(proposed(decision)) == [("Dash", at(11, 17, 30)), ("Rex", at(11, 10))]


async def test_a_dog_called_friday_said_so_in_lower_case() -> None:
    """Booked "Btw" on Friday 11 at 15:00 (a wrong action)."""
    decision = await decide(
        "can friday come in on thursday at 3 for her jab? friday's our dog btw lol 🐶"
    )

    assert proposed(decision) == [("Friday", at(10, 15))]


async def test_a_name_between_book_and_the_service() -> None:
    """The burst "hiya" / "need to book" / "luna" / "jab" / "thurs" / "10.15?", read as one
    turn, was booked "for you"."""
    decision = await decide("need to book luna jab thurs 10.15?")

    assert proposed(decision) == [("Luna", at(10, 10, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_book_an_appointment_names_no_pet() -> None:
    decision = await decide("can i book an appointment for thursday at 10?")

    assert proposed(decision) == [("you", at(10, 10))]


async def test_a_german_letters_signature_is_not_a_second_pet() -> None:
    """Klaus Becker was booked as a second pet beside Bruno (a wrong action)."""
    decision = await decide(
        "Good day. My dog Bruno must have the teeth cleaning. Is it possible on Thursday in the "
        "morning at 9 o'clock? With friendly greetings, Klaus Becker"
    )

    assert proposed(decision) == [("Bruno", at(10, 9))]
