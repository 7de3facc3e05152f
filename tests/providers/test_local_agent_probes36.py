"""Conversations played turn by turn in session 36: a burst of messages read as one message,
a line each (docs/architecture.md, "Turn order"), whose later lines correct or add to the first
ones ("tuesday at 6?" / "sorry wednesday!! not tuesday", "*Dusty sorry autocorrect", "oh and
salt too"). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide
from tests.providers.test_local_agent_probes33 import booking_of


async def test_a_later_line_correcting_the_day_is_the_day_proposed() -> None:
    decision = await decide(
        "can bonbon have a check up tuesday at 6?\nsorry wednesday!! not tuesday"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.subject == "Bonbon"
    assert decision.proposal.slot_start == at(9, 18)


async def test_a_starred_name_on_the_next_line_is_the_pet_booked() -> None:
    decision = await decide("Can I book Ducky in thursday at 2.45\n*Dusty sorry autocorrect")

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.subject == "Dusty"
    assert "Ducky" not in decision.reply


async def test_a_pet_added_on_the_next_line_is_booked_beside_the_first() -> None:
    decision = await decide(
        "can i book pepper in for a checkup wednesday at 10:30\noh and salt too\n"
        "they're brothers so same time if u can"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {(p.subject, p.slot_start) for p in decision.proposals} == {
        ("Pepper", at(9, 10, 30)),
        ("Salt", at(9, 10, 30)),
    }


async def test_a_time_corrected_after_the_request_spread_over_lines() -> None:
    decision = await decide(
        "morning!\ncan i book sushi in for her jab\nfriday\n9am?\n"
        "no wait 9.30 sorry, i do the school drop off at 9"
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Sushi", at(11, 9, 30))
    assert decision.proposal.service == "vaccination"


async def test_a_later_line_the_first_reading_cannot_use_leaves_the_whole_reading() -> None:
    """ "oh and cancel lulu's groom" read as an answer to the move alone proposed only the
    move: the message is read whole, every change in one proposal."""
    bruno = booking_of("Bruno", at(9, 11), "consultation", "b1")
    lulu = booking_of("Lulu", at(9, 17), "grooming", "b2")
    decision = await decide(
        "move bruno to thursday 5pm pls\noh and cancel lulu's groom\n"
        "and ziggy needs a check up too, same time as bruno",
        bookings=[bruno, lulu],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.kind or "", p.subject) for p in decision.proposals) == [
        ("book", "Ziggy"),
        ("cancel", "Lulu"),
        ("reschedule", "Bruno"),
    ]
