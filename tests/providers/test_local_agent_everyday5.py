"""The local agent on the fifth held-out set's failures (issue 9, evals/scenarios/everyday5.yaml):
the general rules behind them, each tried on wording beyond the scenario's own. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
Christmas Day, Friday 25 December, is a French public holiday (``holidays`` library).
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booking, decide, pending


@pytest.mark.parametrize("message", ["y", "Y", "y."])
async def test_a_lone_y_is_a_yes(message: str) -> None:
    decision = await decide(message, pending=pending())

    assert (decision.intent, decision.action_id) == (Intent.CONFIRM, "act-1")


@pytest.mark.parametrize(
    ("message", "hour", "minute"),
    [
        ("i want take my cat Mimi for vaccin on friday 16h, is possible?", 16, 0),
        ("friday 16h30 for Mimi", 16, 30),
        ("friday at 9h15 for Mimi please", 9, 15),
        ("half 3 friday for Mimi?", 15, 30),
        ("can Mimi come friday, half 10?", 10, 30),
    ],
)
async def test_european_and_british_clock_times(message: str, hour: int, minute: int) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.subject) == (
        at(11, hour, minute),
        "Mimi",
    )


async def test_in_two_hours_is_not_a_clock_time() -> None:
    decision = await decide("can someone look at my dog in 2h friday")

    assert decision.proposal is None or decision.proposal.slot_start != at(11, 14)


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        (
            "Good morning, this is Margaret. My old boy Winston has been scratching his ears, "
            "could the vet see him Thursday at 10? Kind regards, Margaret",
            "Winston",
        ),
        ("Hi I'm Sarah, can Pickle come in thursday at 10?", "Pickle"),
        (
            "Lovely weather today isn't it 😊 Anyway Poppy needs her jabs, thursday at 10?",
            "Poppy",
        ),
        ("Hello! However Bruno would need thursday at 10", "Bruno"),
    ],
)
async def test_the_writers_name_and_sentence_words_are_not_pets(message: str, subject: str) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == subject


@pytest.mark.parametrize(
    "message",
    [
        "oops sorry I meant Jasper not Ruby",
        "it's for Jasper, not Ruby",
        "for Jasper instead of Ruby",
    ],
)
async def test_a_name_ruled_out_is_dropped(message: str) -> None:
    decision = await decide(message, pending=pending(subject="Ruby"))

    assert decision.proposal is not None, decision.reply
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Jasper", at(8, 10))


async def test_a_move_names_the_booked_day_first_then_the_new_one() -> None:
    oscar = booking("Oscar", at(9, 10), "bk-oscar")

    decision = await decide(
        "something's come up on wednesday morning, could Oscar come thursday afternoon "
        "instead? 3ish?",
        bookings=[oscar],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.slot_start) == (
        "bk-oscar",
        at(10, 15),
    )


@pytest.mark.parametrize(
    "message",
    [
        "Milo is feeling much better so we won't be needing tomorrow's appointment anymore",
        "we will not need Milo's appointment tomorrow anymore",
        "sadly we lost Milo last night, please take him off the list for tomorrow",
        "can you take Milo off the books for tomorrow",
    ],
)
async def test_a_cancellation_that_names_the_booked_day(message: str) -> None:
    milo = booking("Milo", at(8, 16), "bk-milo")

    decision = await decide(message, bookings=[milo])

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "bk-milo"


async def test_moving_house_is_not_moving_the_appointment() -> None:
    kiki = booking("Kiki", at(8, 10), "bk-kiki")

    decision = await decide(
        "We're moving out of Paris, so please cancel Kiki's appointment", bookings=[kiki]
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_follow_up_question_keeps_the_service_asked_about() -> None:
    first = "how much do you charge for a dental clean?"
    answered = await decide(first)
    assert "120" in answered.reply

    decision = await decide("and how long does that take?", history=[first, answered.reply])

    assert decision.intent is Intent.ANSWER
    assert "60 minutes" in decision.reply


async def test_a_follow_up_about_another_day_answers_for_that_day() -> None:
    first = "what time do u close today"
    answered = await decide(first)

    decision = await decide("and on saturday?", history=[first, answered.reply])

    assert decision.intent is Intent.ANSWER and decision.proposal is None
    assert "09:00-13:00" in decision.reply


async def test_and_on_saturday_after_a_booking_question_stays_a_booking() -> None:
    first = "is tuesday at 10 free for Max?"
    offered = await decide(first)

    decision = await decide("and on saturday?", history=[first, offered.reply])

    assert decision.intent is not Intent.ANSWER


async def test_a_holiday_named_is_that_date_and_closed() -> None:
    decision = await decide("Are you open on Christmas Day? I'd like to bring Rocky in at 11")

    assert decision.intent is Intent.CLARIFY and decision.proposal is None
    assert "25 December" in decision.reply and "I can offer" in decision.reply


async def test_christmas_eve_is_not_christmas_day() -> None:
    decision = await decide("christmas eve at 10 for Rocky")

    assert "25 December" not in decision.reply


async def test_a_bare_hour_answers_our_question_about_the_time() -> None:
    first = "are you free any time tomorrow morning?"
    asked = await decide(first)
    assert asked.reply.startswith("What time on Tuesday 8 December")

    decision = await decide("11 works, it's for Hazel", history=[first, asked.reply])

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.subject) == (at(8, 11), "Hazel")


async def test_a_bare_number_without_our_question_is_not_a_time() -> None:
    decision = await decide("I have 2 cats, Nala and Kovu")

    assert decision.proposal is None


async def test_she_is_the_only_pet_the_crm_knows() -> None:
    coco = booking("Coco", at(2, 10), "bk-coco")  # last week's visit

    decision = await decide(
        "hiya, the vet said she should come back for a follow-up, could we do thursday at 11?",
        bookings=[coco],
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Coco", at(10, 11))


async def test_she_is_not_guessed_among_several_pets() -> None:
    pets = [booking("Coco", at(2, 10), "bk-coco"), booking("Rex", at(3, 10), "bk-rex")]

    decision = await decide("could she come back thursday at 11?", bookings=pets)

    assert decision.proposal is None
    assert decision.reply == "Which of your pets is that for: Coco or Rex, or another one?"


@pytest.mark.parametrize(
    "message",
    [
        "pls dont send me any more whatsapp messages, thx",
        "do not text me again",
        "please take me off your list",
    ],
)
async def test_opting_out_in_other_words(message: str) -> None:
    decision = await decide(message)

    assert decision.intent is Intent.OPT_OUT


async def test_asking_to_be_sent_something_again_is_not_opting_out() -> None:
    decision = await decide("can you send me the address again?")

    assert decision.intent is not Intent.OPT_OUT


async def test_two_pets_with_two_times_are_never_booked_at_one_time() -> None:
    decision = await decide(
        "Rex needs his booster and Bella needs a checkup - could Rex come wed 10am and Bella "
        "wed 10:30?"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.subject, p.slot_start) for p in decision.proposals] == [
        ("book", "Rex", at(9, 10)),
        ("book", "Bella", at(9, 10, 30)),
    ]
    assert "Bella" in decision.reply and "10:30" in decision.reply


async def test_cancel_both_proposes_both_not_a_name_from_elsewhere() -> None:
    kiki, momo = booking("Kiki", at(8, 10), "bk-kiki"), booking("Momo", at(10, 10), "bk-momo")

    decision = await decide(
        "We're moving out of Paris, so please cancel both our appointments", bookings=[kiki, momo]
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert [(p.kind, p.booking_id) for p in decision.proposals] == [
        ("cancel", "bk-kiki"),
        ("cancel", "bk-momo"),
    ]
    assert "Paris" not in decision.reply
