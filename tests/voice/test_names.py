"""A pet's name heard unsurely on a call is asked again, never read back
(``switchboard.voice.names``; the session's use: tests/calls/test_session_unsure_name.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingProposal,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
)
from switchboard.providers.base import HeardWord, Transcript
from switchboard.voice.names import (
    UNSURE_BELOW,
    asks_name,
    name_question,
    unheard_name,
    unsure_words,
)

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
SLOT = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
MESSAGE = "Can I bring my dog reaction in on Thursday at 3 pm?"


def context(
    message: str = MESSAGE,
    *,
    bookings: list[BookingView] | None = None,
    history: list[tuple[Direction, str]] | None = None,
) -> AgentContext:
    return AgentContext(
        customer="+33612345678",
        channel=Channel.VOICE,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        bookings=bookings or [],
        history=[
            HistoryTurn(channel=Channel.WHATSAPP, direction=d, text=t, at=NOW - timedelta(hours=1))
            for d, t in history or []
        ],
    )


def booking_for(subject: str, *, booking_id: str | None = None) -> AgentDecision:
    return AgentDecision(
        intent=Intent.PROPOSE_RESCHEDULE if booking_id else Intent.PROPOSE_BOOKING,
        reply=f"I can book Thursday 10 December at 15:00 for {subject}. Shall I confirm?",
        proposal=BookingProposal(slot_start=SLOT, subject=subject, booking_id=booking_id),
    )


def test_the_words_below_the_line_are_unsure_in_lower_case_without_punctuation() -> None:
    transcript = Transcript(
        text="Book Reaction, for Thursday.",
        words=(
            HeardWord("Book", 0.9),
            HeardWord("Reaction,", UNSURE_BELOW - 0.01),
            HeardWord("for", 0.2),
            HeardWord("Thursday", UNSURE_BELOW),
        ),
    )
    assert unsure_words(transcript) == {"reaction", "for"}
    assert unsure_words(Transcript(text="Book Rex")) == frozenset()  # no scores: none unsure


def test_a_new_booking_for_an_unsure_name_becomes_the_question() -> None:
    asked = unheard_name(booking_for("Reaction"), context(), frozenset({"reaction"}))

    assert asked is not None and asked.intent is Intent.CLARIFY
    assert asked.reply == "Sorry, I didn't catch your dog's name. Could you say it again?"
    assert asked.proposal is None
    assert asks_name(asked.reply)


@pytest.mark.parametrize(
    ("message", "whose"),
    [("book my cat marks for monday", "your cat's"), ("book marks for monday", "your pet's")],
)
def test_the_question_names_the_animal_said(message: str, whose: str) -> None:
    assert name_question(message) == f"Sorry, I didn't catch {whose} name. Could you say it again?"


def test_a_name_heard_surely_stands() -> None:
    assert unheard_name(booking_for("Reaction"), context(), frozenset({"thursday"})) is None


def test_a_name_the_crm_or_the_conversation_has_stands() -> None:
    on_record = BookingView(
        id="b1", subject="Reaction", slot_start=SLOT - timedelta(days=60), status="confirmed"
    )
    said_before = [(Direction.INBOUND, "hi, it's about my dog Reaction")]
    unsure = frozenset({"reaction"})

    assert unheard_name(booking_for("Reaction"), context(bookings=[on_record]), unsure) is None
    assert unheard_name(booking_for("Reaction"), context(history=said_before), unsure) is None


def test_an_animal_or_you_is_no_name_to_ask() -> None:
    unsure = frozenset({"dog", "you"})
    assert unheard_name(booking_for("your dog"), context(), unsure) is None
    assert unheard_name(booking_for("you"), context(), unsure) is None


def test_a_move_of_a_booking_on_record_is_not_asked() -> None:
    moved = booking_for("Reaction", booking_id="b1")
    assert unheard_name(moved, context(), frozenset({"reaction"})) is None


def test_asked_once_per_request() -> None:
    asked_before = [
        (Direction.INBOUND, "Can I bring my dog reaction in on Thursday at 3 pm?"),
        (Direction.OUTBOUND, "Sorry, I didn't catch your dog's name. Could you say it again?"),
    ]
    again = context("Can I bring my dog direct in on Thursday at 3 pm?", history=asked_before)

    assert unheard_name(booking_for("Direct"), again, frozenset({"direct"})) is None


def test_one_unsure_name_among_several_bookings_asks() -> None:
    both = AgentDecision(
        intent=Intent.PROPOSE_CHANGES,
        reply="I can book Max at 15:00 and Reaction at 15:30. Shall I confirm?",
        proposals=[
            BookingProposal(slot_start=SLOT, subject="Max", kind="book"),
            BookingProposal(
                slot_start=SLOT + timedelta(minutes=30), subject="Reaction", kind="book"
            ),
        ],
    )
    asked = unheard_name(both, context("book max and my dog reaction"), frozenset({"reaction"}))
    assert asked is not None and asks_name(asked.reply)


def test_answers_and_questions_are_left_alone() -> None:
    answer = AgentDecision(intent=Intent.ANSWER, reply="Reaction is booked on Thursday.")
    assert unheard_name(answer, context(), frozenset({"reaction"})) is None
