"""Held-out set 47 (evals/scenarios/everyday47.yaml): a son's name before his rabbit's, times
chosen after a refusal near lunch and closing ("11.45 then, i'll take an early lunch", "you shut
at 1. 12 then?"), two pets after a dash beside a capitalised daughter, "no need for a separate
appointment", "as late as you can" beside an hours question. Reference moment: Monday 7 December
2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from tests.providers.test_local_agent_everyday import at, decide, proposed


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
