"""Held-out set 42 (evals/scenarios/everyday42.yaml): a request given over several short turns
in any order, three pets with their own services at one time, the last slot of a day, a formal
letter's yes. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, decide, proposed


async def test_a_day_answering_which_day_at_a_time_keeps_the_time() -> None:
    """Thursday's times were listed, the 11:30 asked first forgotten."""
    decision = await decide(
        "thursday",
        history=[
            "hi do you have anything at 11.30?",
            "Which day would you like at 11:30?",
            "it's for mabel, my cat",
            "Thanks. Which day would you like at 11:30 for Mabel?",
        ],
    )

    assert proposed(decision) == [("Mabel", at(10, 11, 30))]


async def test_a_time_alone_asked_about_asks_the_day() -> None:
    """ "Sorry, I didn't quite get that …": the menu."""
    decision = await decide("10.30 any good?")

    assert decision.reply.startswith("Which day would you like at 10:30"), decision.reply


async def test_two_pets_sharing_a_service_and_a_third_straight_after() -> None:
    """All three were booked as consultations, Sage at 10:30 (a wrong action: the boosters
    end at 10:15)."""
    decision = await decide(
        "hi! could i bring all three in on friday? olive and basil need their boosters and sage "
        "needs a check up. 10am for the boosters and sage straight after if possible"
    )

    made = [(p.subject, p.slot_start, p.service) for p in decision.proposals]
    assert made == [
        ("Olive", at(11, 10), "vaccination"),
        ("Basil", at(11, 10), "vaccination"),
        ("Sage", at(11, 10, 15), "consultation"),
    ]
    assert "Sage (consultation) at 10:15" in decision.reply


async def test_the_last_appointment_you_have_on_a_day_is_proposed() -> None:
    decision = await decide(
        "what's the last appointment you have on saturday for a nail trim? for my dog bramble"
    )

    assert proposed(decision) == [("Bramble", at(12, 12, 15))]


async def test_a_formal_yes_with_a_sign_off_confirms() -> None:
    """The proposal was put again: the letter's sign-off hid the yes."""
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(9, 14, 30),
        subject="Cleopatra",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "Thank you, that will be perfectly satisfactory. Please do book it. Kind regards, Edith "
        "Marchbanks",
        pending=pending,
    )

    assert decision.reply.startswith("Done:"), decision.reply


async def test_an_hour_asked_straight_before_its_day() -> None:
    """ "is 9 tomorrow ok" listed Tuesday's times, 09:00 not among them."""
    decision = await decide("is 9 tomorrow ok for a groom for teddy?")

    assert proposed(decision) == [("Teddy", at(8, 9))]
