"""Held-out set 47 (evals/scenarios/everyday47.yaml): a son's name before his rabbit's, times
chosen after a refusal near lunch and closing ("11.45 then, i'll take an early lunch", "you shut
at 1. 12 then?"), two pets after a dash beside a capitalised daughter, "no need for a separate
appointment", "as late as you can" beside an hours question. Reference moment: Monday 7 December
2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent, PendingAction, PendingChange
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed


async def test_a_sons_name_before_his_rabbits_is_no_pet() -> None:
    """Leo was booked beside Clover (a wrong action)."""
    decision = await decide(
        "hello! my son Leo's rabbit Clover needs her nails clipped - is that something you do? "
        "thursday at 5.15 would be ideal"
    )

    assert proposed(decision) == [("Clover", at(10, 17, 15))]


async def test_a_morning_time_beside_an_early_lunch() -> None:
    """Read as 23:45 ("lunch" made it the afternoon)."""
    decision = await decide(
        "ok 11.45 then, i'll take an early lunch",
        history=[
            "could waffle have a groom on wednesday at 12? it's my lunch break",
            "Sorry, Wednesday 9 December at 12:00 isn't possible: a grooming takes 45 minutes and "
            "we close at 12:30. I can offer Wednesday 9 December at 11:15, Wednesday 9 December "
            "at 11:30 or Wednesday 9 December at 11:45. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Waffle", at(9, 11, 45))]


async def test_our_closing_said_back_is_no_time() -> None:
    """ "you shut at 1" read 13:00, refused."""
    decision = await decide(
        "oh right, you shut at 1. 12 then?",
        history=[
            "can pumpkin have his teeth cleaned on saturday at half 12? he's 9 now and the vet "
            "said it's overdue",
            "Sorry, Saturday 12 December at 12:30 isn't possible: a dental cleaning takes 60 "
            "minutes and we close at 13:00. I can offer Saturday 12 December at 11:30, Saturday 12 "
            "December at 11:45 or Saturday 12 December at 12:00. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Pumpkin", at(12, 12))]


async def test_two_pets_after_a_dash_beside_a_capitalised_daughter() -> None:
    """One booking "for your cats"."""
    decision = await decide(
        "hi both our cats need their boosters - tofu and miso (my daughter Rose named them 🙄). "
        "could they come together thursday at 11.30?"
    )

    assert proposed(decision) == [("Tofu", at(10, 11, 30)), ("Miso", at(10, 11, 30))]


async def test_no_need_for_a_separate_appointment_is_no_cancellation() -> None:
    """ "I can't find an upcoming appointment for Crumpet to cancel." """
    decision = await decide(
        "can crumpet have his booster tuesday at 9.15? and could the vet have a quick look at a "
        "little lump on his side while he's in? no need for a separate appointment, it's tiny "
        "and hasn't changed, just want a second opinion"
    )

    assert proposed(decision) == [("Crumpet", at(8, 9, 15))]


async def test_as_late_as_you_can_beside_our_closing_time_asked() -> None:
    """ "I can't find an upcoming appointment": read as a lookup."""
    decision = await decide(
        "what time do you close on thursdays? i finish work at 6 so could ziggy have a check up "
        "as late as you can this thursday?"
    )

    assert "19:00" in decision.reply
    assert proposed(decision) == [("Ziggy", at(10, 18, 30))]


async def test_a_service_added_right_after_a_visit_said_with_its_time() -> None:
    """ "Friday is already booked for Thursday …": the visit's own time read as a new one."""
    decision = await decide(
        "hi, our dog Friday has her check up on thursday at half 9 - could you book her jab for "
        "right after, so we're only there the once?",
        bookings=[booked("Friday", at(10, 9, 30))],
    )

    assert proposed(decision) == [("Friday", at(10, 10))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_scrap_the_groom_just_the_jab_changes_the_booked_visit() -> None:
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(12, 10, 45),
        subject="Mango",
        service="vaccination",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "actually scrap the groom, just the jab at 10. she hates the dryer 🙈",
        pending=pending,
        bookings=[booked("Mango", at(12, 10), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(12, 10), "vaccination")


async def test_forget_the_groom_of_two_pending_keeps_the_jab_at_the_time_said() -> None:
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(11, 14),
        subject="Luna",
        changes=[
            PendingChange(
                id="c1", kind="book", subject="Luna", slot_start=at(11, 14), service="grooming"
            ),
            PendingChange(
                id="c2",
                kind="book",
                subject="Luna",
                slot_start=at(11, 14, 45),
                service="vaccination",
            ),
        ],
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "actually forget the groom, just the jab at 2 please, money's a bit tight this month",
        pending=pending,
    )

    assert proposed(decision) == [("Luna", at(11, 14))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_who_brings_a_new_pet_asked_with_a_time_is_a_visit_asked() -> None:
    decision = await decide(
        "the boys are in for their dentals tomorrow at 2 - could my husband bring mittens over at "
        "half 2 for her jab while they're there?",
        bookings=[booked("Bruno", at(8, 14), "dental"), booked("Duke", at(8, 14), "dental")],
        busy=[Busy(booking_id=b, start=at(8, 14), end=at(8, 15)) for b in ("b-Bruno", "b-Duke")],
    )

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "15:00" in decision.reply


async def test_a_pet_booked_in_and_brought_on_a_day() -> None:
    decision = await decide(
        "can i get biscuit booked in for his jabs saturday morning if poss, 10.15? he's a cocker x"
    )

    assert proposed(decision) == [("Biscuit", at(12, 10, 15))]


async def test_how_long_of_visits_looked_up_is_their_length() -> None:
    """ "A consultation takes 30 minutes": the default service's, not their jabs'."""
    decision = await decide(
        "remind me what time noodle and kiwi are in tomorrow? and roughly how long will it take, "
        "got to get back for a call",
        bookings=[
            booked("Noodle", at(8, 16, 15), "vaccination"),
            booked("Kiwi", at(8, 16, 15), "vaccination"),
        ],
    )

    assert "15 minutes" in decision.reply
