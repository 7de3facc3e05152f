"""Held-out set 44 (evals/scenarios/everyday44.yaml): a correction after the sentence that
asks, a yes with a question, Spanish times word for word, pets called Tuesday and Pudding,
"quarter to" picking an offered time, a call back asked for beside a procedure.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, decide, proposed


async def test_a_correction_after_the_sentence_that_asks() -> None:
    """Booked at 09:00, the time taken back (a wrong action)."""
    decision = await decide(
        "can i book sushi in for her jab friday 9am? no wait 9.30 sorry, i do the school drop off "
        "at 9"
    )

    assert proposed(decision) == [("Sushi", at(11, 9, 30))]


async def test_morning_alone_is_a_greeting() -> None:
    """ "Sorry, I didn't quite get that. …" """
    decision = await decide("morning!")

    assert decision.intent is Intent.GREETING, decision.reply


async def test_a_yes_to_a_mate_with_a_question_answers_it() -> None:
    """Booked, the parking question unanswered."""
    pending = PendingAction(
        id="a1",
        kind="book",
        slot_start=at(9, 16),
        subject="Vegemite",
        expires_at=NOW + timedelta(minutes=30),
    )
    decision = await decide(
        "yeah mate go for it 👍 is there parking out the front btw?", pending=pending
    )

    assert decision.intent is Intent.CONFIRM, decision.reply
    assert "parking" in decision.reply


async def test_four_and_half_of_the_afternoon() -> None:
    """ "What time on Wednesday …?": 16:30 not read."""
    decision = await decide(
        "Hello, I want to make a reservation for my dog Churro for cut the nails. Is possible the "
        "Wednesday at the four and half of the afternoon? Thank you so much"
    )

    assert proposed(decision) == [("Churro", at(9, 16, 30))]


async def test_an_age_and_a_half_is_no_time() -> None:
    decision = await decide("my dog is 4 and a half, can he come wednesday at 3")

    assert [when for _, when in proposed(decision)] == [at(9, 15)]


async def test_a_cat_called_tuesday() -> None:
    """Booked "for your cat"."""
    decision = await decide(
        "hi! our cat is called tuesday (long story 😅) and she needs her booster. could she come "
        "in tomorrow at 11?"
    )

    assert proposed(decision) == [("Tuesday", at(8, 11))]


async def test_a_pet_named_like_a_gerund() -> None:
    """ "pudding get": read as a verb and its object; booked "for you"."""
    decision = await decide(
        "could pudding get his nails done the wednesday before christmas? 10am ideally 🎄"
    )

    assert proposed(decision) == [("Pudding", at(23, 10))]


async def test_quarter_to_picks_the_time_offered_at_those_minutes() -> None:
    decision = await decide(
        "oh ok, quarter to then",
        history=[
            "could crouton have a check up on friday at twenty to 5?",
            "Sorry, Friday 11 December at 16:40 isn't possible: appointments start every 15 "
            "minutes. I can offer Friday 11 December at 16:30, Friday 11 December at 16:45 or "
            "Friday 11 December at 17:00. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Crouton", at(11, 16, 45))]


async def test_a_call_back_asked_for_beside_a_procedure() -> None:
    """ "Sorry, I can't book x-rays here …": no handoff recorded."""
    decision = await decide(
        "hi, my insurer needs the vet to fill in and sign a claim form for bumble's x-rays last "
        "week. can someone from the team call me about it please? thanks, Sophie"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "by phone" in decision.reply
