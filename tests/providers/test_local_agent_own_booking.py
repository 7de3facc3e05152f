"""Which pet a new booking is for, and when: a pet's own booking in the way ("book max thursday
at 3" from a customer who forgot Max is booked then), a pet new to the customer ("we just got a
puppy"), the next available time, and weekdays typed with letters dropped ("satdy"). Reference
moment: Monday 7 December 2026, 09:00 Europe/Paris."""

from __future__ import annotations

from datetime import timedelta

import pytest

from switchboard.agent_models import Intent
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import at, booked, decide, proposed

MAX_THURSDAY = [booked("Max", at(10, 15))]
BUSY = [Busy(booking_id="b-Max", start=at(10, 15), end=at(10, 15) + timedelta(minutes=30))]


@pytest.mark.parametrize(
    "message", ["book max thursday at 3", "thursday at 3 for max", "can max come thursday 15:15"]
)
async def test_a_pet_already_booked_then_is_told_so_and_nothing_is_proposed(message: str) -> None:
    decision = await decide(message, bookings=MAX_THURSDAY, busy=BUSY)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.proposal is None and not decision.proposals
    assert "Max is already booked for Thursday 10 December at 15:00" in decision.reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("book max thursday at 3:30", [("Max", at(10, 15, 30))]),  # after his visit ends
        ("book my cat thursday at 3", [("your cat", at(10, 15))]),  # another pet, room for two
    ],
)
async def test_a_time_clear_of_the_pets_own_booking_is_proposed(
    message: str, expected: list[tuple[str, object]]
) -> None:
    decision = await decide(message, bookings=MAX_THURSDAY, busy=BUSY)

    assert proposed(decision) == expected


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("can max come satdy at 10", 12),
        ("thursdy at 11 for max", 10),
        ("wednsdy at 11 for max", 9),
    ],
)
async def test_a_weekday_with_letters_dropped_is_that_day(message: str, day: int) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("Max", at(day, 10 if day == 12 else 11))]


async def test_study_is_no_saturday() -> None:
    decision = await decide("my cat needs to study at 10")

    assert decision.proposal is None, decision.reply


TWO_PETS = [booked("Max", at(10, 15)), booked("Bella", at(11, 10), "grooming")]


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("we just got a puppy, can he come in thursday at 10 for a checkup", "your puppy"),
        ("can my new kitten come thursday at 10 for her jabs", "your kitten"),
    ],
)
async def test_a_pet_new_to_the_customer_is_not_asked_about_as_one_on_record(
    message: str, subject: str
) -> None:
    decision = await decide(message, bookings=TWO_PETS)

    assert proposed(decision) == [(subject, at(10, 10))]


@pytest.mark.parametrize(
    "message",
    [
        "next available for a nail clip please",
        "first available slot for a checkup please",
        "when's your next free appointment?",
    ],
)
async def test_the_next_available_is_the_first_free_time_proposed(message: str) -> None:
    decision = await decide(message)

    assert proposed(decision) == [("you", at(7, 10))]


async def test_the_next_available_in_a_part_of_the_day_lists_that_parts_times() -> None:
    decision = await decide("next available afternoon for a checkup?")

    assert decision.proposal is None
    assert "Monday 7 December" in decision.reply and "14:00" in decision.reply


@pytest.mark.parametrize(
    "message",
    ["I'm running 10 mins late for Max's appointment", "on my way with max, stuck in traffic"],
)
async def test_late_for_a_booking_on_another_day_is_told_its_day(message: str) -> None:
    decision = await decide(message, bookings=MAX_THURSDAY, busy=BUSY)

    assert decision.proposal is None
    assert decision.reply == (
        "Thanks for letting us know. Just to check: the appointment for Max is on Thursday 10 "
        "December at 15:00, not today."
    )


async def test_late_for_todays_booking_is_thanked() -> None:
    decision = await decide(
        "I'm running 10 mins late for Max's appointment", bookings=[booked("Max", at(7, 10))]
    )

    assert decision.reply == "Thanks for letting us know, see you soon!"


async def test_late_with_a_move_asked_is_the_move() -> None:
    decision = await decide(
        "running late for max sorry, can we move it to 4?", bookings=MAX_THURSDAY, busy=BUSY
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply


REQUEST = "can i book a checkup for wednesday at 10"
WHICH = "Which of your pets is that for: Max or Bella, or another one?"


@pytest.mark.parametrize("message", ["both", "both please", "all of them"])
async def test_both_to_which_pet_books_each_listed(message: str) -> None:
    decision = await decide(message, bookings=TWO_PETS, history=[REQUEST, WHICH])

    assert sorted(proposed(decision)) == [("Bella", at(9, 10)), ("Max", at(9, 10))]


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("neither, it's my mums dog", "your mum's dog"),
        ("its for my sisters cat", "your sister's cat"),
        ("a different one - rocky", "Rocky"),
        ("a new one, Coco", "Coco"),
    ],
)
async def test_another_pet_to_which_pet_is_booked_as_said(message: str, subject: str) -> None:
    decision = await decide(message, bookings=TWO_PETS, history=[REQUEST, WHICH])

    assert proposed(decision) == [(subject, at(9, 10))]


@pytest.mark.parametrize("message", ["another one", "my other dog"])
async def test_another_pet_unnamed_is_asked_its_name_then_booked(message: str) -> None:
    asked = await decide(message, bookings=TWO_PETS, history=[REQUEST, WHICH])
    assert asked.intent is Intent.CLARIFY and asked.reply.endswith("What is your pet's name?")

    decision = await decide(
        "it's rocky", bookings=TWO_PETS, history=[REQUEST, WHICH, message, asked.reply]
    )

    assert proposed(decision) == [("Rocky", at(9, 10))]


async def test_cancel_one_and_book_the_other_cancels_only_the_first() -> None:
    decision = await decide("cancel max's and book bella in his slot", bookings=TWO_PETS)

    # Bella's own grooming is never cancelled for being named beside another action
    assert [(p.kind, p.subject) for p in decision.proposals] in ([], [("cancel", "Max")])
    assert decision.proposal is not None and decision.proposal.subject == "Max", decision.reply


async def test_a_date_asked_about_as_free_is_that_date() -> None:
    decision = await decide("is the 25th free for max at 10")

    assert decision.proposal is None
    assert "we're closed on Christmas Day" in decision.reply


async def test_a_first_visit_is_no_first_free_time() -> None:
    decision = await decide(
        "first time coming to you, where exactly are you and is there somewhere to park?"
    )

    assert decision.proposal is None
    assert "12 rue des Lilas" in decision.reply


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("can you confirm bella's appointment for friday", "Friday 11 December at 10:00"),
        ("do i need to do anything before max's appointment", "Please bring your pet's"),
    ],
)
async def test_a_booking_asked_about_is_said_not_booked_again(message: str, said: str) -> None:
    decision = await decide(message, bookings=TWO_PETS)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert said in decision.reply and decision.proposal is None
