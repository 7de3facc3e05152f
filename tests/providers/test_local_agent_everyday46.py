"""Held-out set 46 (evals/scenarios/everyday46.yaml): new customers naming their pets among
places, people and pets not to book ("moved to Paris", "our dog walker Jess", "only Luna", "just
dexter this time"), "Mr Tibbles" after his kind, "nala's due", a newcomer following booked pets
after a refused time. Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import PendingAction
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


async def test_a_city_moved_to_is_no_pet() -> None:
    """Paris was booked beside Biscuit (a wrong action)."""
    decision = await decide(
        "Hi! We've just moved to Paris and haven't been to you before. It's for our lab, Biscuit "
        "- she's due her booster shots. Could she come on the 15th at 11?"
    )

    assert proposed(decision) == [("Biscuit", at(15, 11))]


async def test_a_titled_name_after_the_kind_of_pet() -> None:
    """Booked "for your cat"."""
    decision = await decide(
        "hello, first time using you. it's for the cat - Mr Tibbles. the vet at our old place "
        "said he needs a teeth cleaning. could you do dec 17, 9am?"
    )

    assert proposed(decision) == [("Mr Tibbles", at(17, 9))]


async def test_the_dog_walker_is_no_pet() -> None:
    """Jess was booked beside Rolo (a wrong action)."""
    decision = await decide(
        "Hi, our dog walker Jess will bring Rolo in - could he have a check up wednesday at "
        "11.30? he's been scratching his ears non stop"
    )

    assert proposed(decision) == [("Rolo", at(9, 11, 30))]


async def test_only_one_of_three_pets_named() -> None:
    """Salem and Pip were booked too (two wrong actions)."""
    decision = await decide(
        "we've got three cats, Luna, Salem and Pip, but only Luna needs her booster, the other "
        "two are up to date. saturday at 10.30?"
    )

    assert proposed(decision) == [("Luna", at(12, 10, 30))]


async def test_just_one_of_two_dogs_for_a_trim() -> None:
    """Maisie was booked too, and Dexter as a consultation."""
    decision = await decide(
        "hi we have 2 dogs, Dexter (spaniel) and Maisie (pug) - just dexter this time, he needs a "
        "trim, he's looking like a yeti 😂 friday at 2?"
    )

    assert proposed(decision) == [("Dexter", at(11, 14))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_newcomer_after_a_refused_time_follows_the_booked_pets() -> None:
    """Ziggy and Stardust were booked a second time beside Moon (two wrong actions)."""
    bookings = [booked("Ziggy", at(10, 16)), booked("Stardust", at(10, 16))]
    decision = await decide(
        "ok 4.30 then, straight after them",
        bookings=bookings,
        busy=[
            Busy(booking_id=b.id, start=b.slot_start, end=b.slot_start + timedelta(minutes=30))
            for b in bookings
        ],
        history=[
            "hi, ziggy and stardust are in on thursday at 4 - could we bring moon at the same time "
            "for her jab? save me a trip 🐱",
            "Sorry, Thursday 10 December at 16:00 isn't possible: that time is fully booked. I can "
            "offer Thursday 10 December at 15:30, Thursday 10 December at 15:45 or Thursday 10 "
            "December at 16:30. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Moon", at(10, 16, 30))]


async def test_a_pet_due_her_annual_is_named() -> None:
    decision = await decide(
        "hiya, nala's due her annual - could she come in a week on wednesday? 10am if you can"
    )

    assert proposed(decision) == [("Nala", at(16, 10))]


async def test_brill_thanks_yes_is_a_yes() -> None:
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(16, 10),
        subject="Nala",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide("brill thanks, yes", pending=pending)

    assert decision.reply.startswith("Done:"), decision.reply
