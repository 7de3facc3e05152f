"""What the local agent does when part of a request is missing or cannot be right, as a good
receptionist would: it asks rather than reads back a guess. Found on the calls eval (issue 9),
where a pet's name lost on the line was booked "for you", "13 in the morning" was taken for
13:00, and after a reply it could not make out twice the caller got the menu instead of the
question they were answering. The same rules hold on WhatsApp where they apply.

``NOW`` is Monday 7 December 2026, 09:00 in Paris; the profile is business/profile.yaml.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
)
from switchboard.providers.rules_agent import UNCLEAR, RuleBasedAgent

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS).astimezone(UTC)
GREETING = "Hello, this is Rue des Lilas Veterinary Clinic. How can I help you today?"
WHO_FOR = "Sorry, I didn't catch who the appointment is for. What is your pet's name?"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December ``day`` 2026 at ``hour``:``minute`` in Paris, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def booking(subject: str, slot: datetime, booking_id: str) -> BookingView:
    return BookingView(id=booking_id, slot_start=slot, subject=subject, status="confirmed")


async def decide(
    message: str,
    ours_then_theirs: list[str] | None = None,
    *,
    channel: Channel = Channel.VOICE,
    bookings: list[BookingView] | None = None,
    pending: PendingAction | None = None,
) -> AgentDecision:
    """The agent's decision on ``message``; the history alternates our line and theirs, ours
    first (a call opens with the greeting)."""
    lines = ours_then_theirs if ours_then_theirs is not None else [GREETING]
    turns = [
        HistoryTurn(
            channel=channel,
            direction=Direction.OUTBOUND if i % 2 == 0 else Direction.INBOUND,
            text=text,
            at=NOW - timedelta(minutes=len(lines) - i),
        )
        for i, text in enumerate(lines)
    ]
    context = AgentContext(
        customer="+33612345678",
        channel=channel,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        history=turns,
        bookings=bookings or [],
        pending=pending,
    )
    return await RuleBasedAgent().decide(context)


# --- whom the booking is for -----------------------------------------------------------------


@pytest.mark.parametrize(
    "heard",
    [
        # "Could I book my dog in tomorrow at 4 pm?" as Whisper heard it on a noisy line
        "Can I both mind logging tomorrow at 4pm?",
        # a word where the pet goes that is no pet: not read back as one
        "Book Tuesday at 4pm for my Cart please",
    ],
)
async def test_on_a_call_a_booking_for_nobody_heard_asks_whom_it_is_for(heard: str) -> None:
    decision = await decide(heard)

    assert decision.proposal is None
    assert decision.reply == WHO_FOR


async def test_the_pet_named_in_answer_gets_the_request_read_back() -> None:
    decision = await decide(
        "My dog.", [GREETING, "Can I both mind logging tomorrow at 4pm?", WHO_FOR]
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(8, 16)
    assert decision.proposal.subject == "your dog"
    assert "16:00 for your dog" in decision.reply


async def test_the_request_said_again_whole_is_read_back_with_its_pet() -> None:
    decision = await decide(
        "Can I bring my dog Rex in on Thursday at 3 pm?",
        [GREETING, "can I bring my not vaccine on Thursday at 3 p.m.", WHO_FOR],
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Rex", at(10, 15))


async def test_an_answer_not_made_out_gets_the_pet_question_again() -> None:
    decision = await decide(
        "You're clean.", [GREETING, "Can I both mind logging tomorrow at 4pm?", WHO_FOR]
    )

    assert decision.proposal is None
    assert decision.reply == "Sorry, I didn't catch that. What is your pet's name?"


async def test_on_a_call_the_one_pet_on_record_is_read_back() -> None:
    # "Could you fit Luna in on Friday at half past two?" with "Luna" lost on the line
    luna = [booking("Luna", at(10, 10), "bk-luna")]

    decision = await decide(
        "Could you please put an answer on Friday, half past, two.", bookings=luna
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Luna", at(11, 14, 30))
    assert "for Luna" in decision.reply


@pytest.mark.parametrize("channel", [Channel.VOICE, Channel.WHATSAPP])
async def test_with_several_pets_on_record_and_none_named_which_one_is_asked(
    channel: Channel,
) -> None:
    pets = [booking("Coco", at(9, 10), "bk-coco"), booking("Rex", at(10, 10), "bk-rex")]

    decision = await decide(
        "Can I book an appointment on Friday at 10am?", [], channel=channel, bookings=pets
    )

    assert decision.proposal is None
    assert decision.reply == "Which of your pets is that for: Coco or Rex, or another one?"


async def test_in_writing_with_no_pet_on_record_the_booking_is_the_customers() -> None:
    # what the customer wrote is what they meant: nothing lost on a line
    decision = await decide(
        "I need to see the vet on Tuesday at 10am", [], channel=Channel.WHATSAPP
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("you", at(8, 10))


# --- a time that cannot be right ---------------------------------------------------------------


async def test_on_a_call_a_time_that_contradicts_itself_is_asked_not_guessed() -> None:
    # "... on Wednesday at nine thirty in the morning." as Whisper heard it
    decision = await decide(
        "I'd like an appointment for my cat on Wednesday, time 13 in the morning."
    )

    assert decision.proposal is None
    assert decision.reply.startswith(
        "Sorry, I didn't catch the time: 13 in the morning can't be right. "
        "What time on Wednesday 9 December would you like for your cat?"
    )
    assert "13:00" not in decision.reply


async def test_in_writing_a_time_that_contradicts_itself_is_asked_too() -> None:
    decision = await decide("book Max on friday at 15:30 am", [], channel=Channel.WHATSAPP)

    assert decision.proposal is None
    assert decision.reply.startswith("Sorry, 15:30 am can't be right. What time on Friday")


async def test_a_correction_to_a_time_that_cannot_be_right_turns_the_offer_down() -> None:
    offered = PendingAction(
        id="act-1", slot_start=at(8, 15), subject="your cat", expires_at=NOW + timedelta(hours=1)
    )

    decision = await decide("No, make it 13 in the morning.", pending=offered)

    # declined: a yes to the question about the time cannot book the 15:00 just refused
    assert decision.intent is Intent.DECLINE and decision.action_id == "act-1"
    assert decision.reply.startswith("OK, I haven't booked it for Tuesday 8 December at 15:00.")
    assert "What time on Tuesday 8 December would you like" in decision.reply


async def test_an_hour_and_its_minutes_said_in_words_are_no_contradiction() -> None:
    decision = await decide("Book my cat on Tuesday at 10 15 in the morning.")

    assert decision.proposal is not None and decision.proposal.slot_start == at(8, 10, 15)


# --- the question open stays open ----------------------------------------------------------------


async def test_an_answer_lost_twice_gets_the_same_question_not_the_menu() -> None:
    question = "What time on Wednesday 9 December would you like? I have 14:00 or 15:00."
    again = "Sorry, I didn't catch that. What time on Wednesday 9 December would you like?"

    decision = await decide(
        "Yes, not right.",
        [GREETING, "move marks for Wednesday afternoon", question, "Yes, not right.", again],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.reply == again
    assert decision.reply != UNCLEAR


async def test_a_question_lost_three_times_gets_the_menu() -> None:
    question = "Which day would you like?"
    again = f"Sorry, I didn't catch that. {question}"

    decision = await decide("Yes, not right.", [question, "Hmm.", again, "Hmm.", again])

    assert decision.reply == UNCLEAR


async def test_a_yes_to_a_question_of_which_day_gets_that_question_again() -> None:
    asked = (
        "OK, I haven't booked it for Tuesday 8 December at 15:00. "
        "What day and time would you like instead?"
    )

    decision = await decide("Yeah. Yeah.", [GREETING, "No, something else.", asked])

    assert decision.intent is Intent.CLARIFY and decision.action_id is None
    assert decision.reply == "Sorry, what day and time would you like instead?"


@pytest.mark.parametrize(
    "heard",
    # "Yes." as Whisper heard it on a noisy line, answering which time on Friday
    ["10, 15, 15. 15, 15, 15, 15, 15, 15, 15, 15, 15, 24", "15, 15, 15, 15."],
)
async def test_a_transcript_looping_on_one_number_is_no_time(heard: str) -> None:
    milo = [booking("Milo", at(9, 15), "bk-milo")]
    question = (
        "What time on Friday 11 December would you like the appointment for Milo moved to? "
        "I have 14:00, 15:00, 15:45 or 16:45."
    )

    decision = await decide(
        heard,
        [GREETING, "Please change my loner appointment to Friday, afternoon.", question],
        bookings=milo,
    )

    assert decision.proposal is None
    assert decision.reply == f"Sorry, I didn't catch that. {question}"
