"""Held-out set 45 (evals/scenarios/everyday45.yaml): families with several bookings: the new
time after the booked one, another pet meant, pets kept "as they are", the booking pointed at
by its service, time or part of the day, a swap spelt out, a cancellation beside who brings the
pet kept, a service added straight after a visit, typos. Reference moment: Monday 7 December
2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


async def test_the_new_time_after_the_booked_one() -> None:
    """Both moved to Thursday at 10:00, their old hour (two wrong actions)."""
    decision = await decide(
        "hi, mochi and sesame are both booked wednesday at 10, could they both come thursday at 2 "
        "instead?",
        bookings=[booked("Mochi", at(9, 10)), booked("Sesame", at(9, 10))],
    )

    assert sorted(proposed(decision)) == [("Mochi", at(10, 14)), ("Sesame", at(10, 14))]


async def test_another_booked_pet_meant_for_a_proposed_move() -> None:
    """Our address was given ("where he is") and Max's move kept; its yes moved Max."""
    pending = PendingAction(
        id="a1",
        kind="reschedule",
        slot_start=at(11, 10, 30),
        subject="Max",
        booking_id="b-Max",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "sorry not max, bella! max is fine where he is",
        pending=pending,
        bookings=[booked("Max", at(9, 14)), booked("Bella", at(10, 10), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(11, 10, 30))]


async def test_pets_all_fine_as_they_are_are_kept() -> None:
    decision = await decide(
        "hi! daisy can't do wednesday anymore 😕 could her jab be on friday at 11 instead? buster, "
        "luna and oscar are all fine as they are",
        bookings=[
            booked("Buster", at(8, 10)),
            booked("Daisy", at(9, 14, 30), "vaccination"),
            booked("Luna", at(10, 9), "grooming"),
            booked("Oscar", at(11, 16)),
        ],
    )

    assert proposed(decision) == [("Daisy", at(11, 11))]


async def test_the_booking_pointed_at_by_its_time() -> None:
    decision = await decide(
        "hello, can the 4 o'clock one on wednesday be moved to 5 please? school run 🙈",
        bookings=[booked("Pepper", at(9, 8, 30)), booked("Salt", at(9, 16))],
    )

    assert proposed(decision) == [("Salt", at(9, 17))]


async def test_the_booking_pointed_at_by_its_service() -> None:
    decision = await decide(
        "could ziggy's teeth cleaning be moved to thursday, same time?",
        bookings=[
            booked("Ziggy", at(8, 9, 30), "vaccination"),
            booked("Ziggy", at(11, 8, 30), "dental"),
        ],
    )

    assert proposed(decision) == [("Ziggy", at(10, 8, 30))]


async def test_the_afternoon_one_cancelled() -> None:
    decision = await decide(
        "i think i booked pickle in twice tomorrow by mistake 🙈 can you cancel the afternoon one",
        bookings=[
            booked("Pickle", at(8, 10, 30)).model_copy(update={"id": "p1"}),
            booked("Pickle", at(8, 15, 30)).model_copy(update={"id": "p2"}),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert proposed(decision) == [("Pickle", at(8, 15, 30))]


async def test_a_swap_spelt_out_with_its_times() -> None:
    """Only Gravy was moved, onto Biscuit's 10:30."""
    decision = await decide(
        "could biscuit and gravy swap times on thursday? so gravy at 10.30 and biscuit at 11.30. "
        "gravy hates waiting 😅",
        bookings=[booked("Biscuit", at(10, 10, 30)), booked("Gravy", at(10, 11, 30))],
    )

    assert sorted(proposed(decision)) == [("Biscuit", at(10, 11, 30)), ("Gravy", at(10, 10, 30))]


async def test_a_cancellation_beside_who_brings_the_pet_kept() -> None:
    """ "I can't confirm who can bring a pet …": a handoff, nothing cancelled."""
    decision = await decide(
        "Hi, bit of a nightmare week here, both kids have come down with chickenpox so I'm stuck "
        "at home with them 🙄 Could you cancel Nutmeg's and Ginger's appointments please? "
        "Cinnamon's on Saturday can stay, my husband will bring her.",
        bookings=[
            booked("Nutmeg", at(8, 8, 30), "vaccination"),
            booked("Ginger", at(9, 15, 30), "grooming"),
            booked("Cinnamon", at(12, 12, 30)),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Ginger", at(9, 15, 30)), ("Nutmeg", at(8, 8, 30))]


async def test_a_service_added_straight_after_a_visit() -> None:
    decision = await decide(
        "while teddy's in on thursday could he get his nails clipped too? straight after his "
        "check up if poss",
        bookings=[booked("Teddy", at(10, 17, 30))],
    )

    assert proposed(decision) == [("Teddy", at(10, 18))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_a_typed_move_with_its_slips() -> None:
    """ "What time on Wednesday …?": "mvoe" and "thrusday" not read."""
    decision = await decide(
        "cna u mvoe lokis apointment form wedensday to thrusday same tiem pls",
        bookings=[booked("Loki", at(9, 16, 30))],
    )

    assert proposed(decision) == [("Loki", at(10, 16, 30))]
