"""The rule-based agent's decisions on fixed contexts.

``NOW`` is Saturday 21 November 2026, 09:00 UTC = 10:00 in Paris (CET, UTC+1), so "Tuesday at
10 am" is 24 November 10:00 Paris = 09:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
from switchboard.providers.base import Agent
from switchboard.providers.rules_agent import RuleBasedAgent

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DEMO = "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am"


def context(
    message: str,
    *,
    now: datetime = NOW,
    channel: Channel = Channel.VOICE,
    pending: PendingAction | None = None,
    bookings: list[BookingView] | None = None,
    history: list[HistoryTurn] | None = None,
) -> AgentContext:
    return AgentContext(
        customer="+33612345678",
        channel=channel,
        message=message,
        now=now,
        timezone="Europe/Paris",
        pending=pending,
        bookings=bookings or [],
        history=history or [],
    )


def pending_tuesday(expires_at: datetime = NOW + timedelta(minutes=10)) -> PendingAction:
    return PendingAction(
        id="act-123", slot_start=TUESDAY_10, subject="your cat", expires_at=expires_at
    )


async def decide(ctx: AgentContext) -> AgentDecision:
    agent: Agent = RuleBasedAgent()  # also checks it satisfies the Agent protocol
    return await agent.decide(ctx)


# --- booking requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        DEMO,
        # Whisper heard "book" as "welcome": the appointment word and the slot are enough.
        "Hi, I'd like to welcome an appointment for my cat on Tuesday at 10 am.",
        "Hi. I'd like to book an appointment for my cat on Tuesday at 10 a.m.",
        "I'd like to book an appointment for my cat. On Tuesday, at 10 a.m.",
    ],
)
async def test_booking_request_with_slot_is_proposed(message: str) -> None:
    decision = await decide(context(message))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == TUESDAY_10
    assert decision.proposal.subject == "your cat"
    assert decision.action_id is None
    assert decision.reply == (
        "I can book Tuesday 24 November at 10:00 for your cat. Shall I confirm?"
    )


async def test_whatsapp_proposal_asks_for_yes() -> None:
    decision = await decide(context(DEMO, channel=Channel.WHATSAPP))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert "Tuesday" in decision.reply and "10:00" in decision.reply
    assert decision.reply.endswith("Reply YES to confirm.")


@pytest.mark.parametrize(
    ("message", "subject", "reply"),
    [
        (
            "Can I book Tuesday at 10am for my dog, Rex?",
            "Rex",
            "I can book Tuesday 24 November at 10:00 for Rex. Shall I confirm?",
        ),
        (
            "Book a visit for Felix on Tuesday at 10am",
            "Felix",
            "I can book Tuesday 24 November at 10:00 for Felix. Shall I confirm?",
        ),
    ],
)
async def test_subject_is_read_from_the_message(message: str, subject: str, reply: str) -> None:
    decision = await decide(context(message))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.subject == subject
    assert decision.reply == reply


async def test_a_day_without_a_time_asks_the_time_with_free_times() -> None:
    decision = await decide(context("I'd like to book an appointment for my cat on Tuesday"))

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert decision.reply.startswith("What time on Tuesday 24 November would you like")
    assert "08:30" in decision.reply, "the first free time of the day is offered"


async def test_booking_word_without_day_asks_for_day_and_time() -> None:
    decision = await decide(context("I'd like to book an appointment for my cat"))

    assert decision.intent is Intent.CLARIFY
    assert decision.proposal is None
    assert "day and time" in decision.reply


async def test_bare_slot_answering_our_question_is_proposed() -> None:
    asked = HistoryTurn(
        channel=Channel.VOICE,
        direction=Direction.OUTBOUND,
        text="Sure. Which day and time would you like for the appointment?",
        at=NOW - timedelta(minutes=1),
    )
    decision = await decide(context("Tuesday at 10 for Rex.", history=[asked]))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == TUESDAY_10


async def test_new_time_during_pending_offer_is_a_new_proposal_for_same_subject() -> None:
    decision = await decide(context("No, Wednesday at 11 please.", pending=pending_tuesday()))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.action_id is None
    assert decision.proposal is not None
    assert decision.proposal.slot_start == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert decision.proposal.subject == "your cat"


async def test_dst_edge_slot_gets_the_winter_offset() -> None:
    # Friday 23 October 2026 (UTC+2); Monday 26 October is after the change (UTC+1).
    decision = await decide(
        context("Can I book Rex on Monday at 10am?", now=datetime(2026, 10, 23, 9, 0, tzinfo=UTC))
    )

    assert decision.proposal is not None
    assert decision.proposal.slot_start == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert "Monday 26 October at 10:00" in decision.reply


async def test_weekday_equal_to_today_means_next_week() -> None:
    decision = await decide(context("Book Rex on Saturday at 11am please"))  # NOW is a Saturday

    assert decision.proposal is not None
    assert decision.proposal.slot_start == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "message",
    [
        "I may call later",
        "on my way",
        "I'm on my way, see you at 10",
        "Not now, I'm driving",
        "I'm away on Tuesday at 10am",  # a slot, but nobody asked for a booking
        "Can I call you back in a second?",
        "My cat is ten",
        "Thanks",
    ],
)
async def test_chatter_is_not_a_proposal(message: str) -> None:
    decision = await decide(context(message))

    assert decision.intent is not Intent.PROPOSE_BOOKING
    assert decision.proposal is None
    assert decision.action_id is None


# --- confirmation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["yes", "Yes.", "Yes, please.", "yeah", "Yep!", "OK", "Sure, go ahead.", "Confirm"]
)
async def test_yes_confirms_the_pending_action(message: str) -> None:
    decision = await decide(context(message, pending=pending_tuesday()))

    assert decision.intent is Intent.CONFIRM
    assert decision.action_id == "act-123"
    assert decision.reply == "Done: your cat is booked for Tuesday 24 November at 10:00."


async def test_yes_without_pending_does_not_confirm() -> None:
    decision = await decide(context("Yes."))

    assert decision.intent is Intent.CLARIFY
    assert decision.action_id is None
    assert decision.reply == "Sorry, what would you like to book or change?"


@pytest.mark.parametrize("expires_at", [NOW, NOW - timedelta(seconds=1)])
async def test_expired_pending_does_not_confirm(expires_at: datetime) -> None:
    decision = await decide(context("yes", pending=pending_tuesday(expires_at=expires_at)))

    assert decision.intent is Intent.CLARIFY
    assert decision.action_id is None
    assert "expired" in decision.reply
    assert "Tuesday 24 November at 10:00" in decision.reply


async def test_yes_inside_a_longer_message_does_not_confirm() -> None:
    # Ambiguous: the customer is asking, not approving.
    decision = await decide(context("Yes, but what day was it again?", pending=pending_tuesday()))

    assert decision.intent is not Intent.CONFIRM
    assert decision.action_id is None


@pytest.mark.parametrize("message", ["no", "No.", "Nope", "cancel", "Not now."])
async def test_no_declines_the_pending_action(message: str) -> None:
    decision = await decide(context(message, pending=pending_tuesday()))

    assert decision.intent is Intent.DECLINE
    assert decision.action_id == "act-123"


# --- questions about the booking ----------------------------------------------------------------


def confirmed(slot_start: datetime = TUESDAY_10, booking_id: str = "bk-1") -> BookingView:
    return BookingView(id=booking_id, slot_start=slot_start, subject="your cat", status="confirmed")


@pytest.mark.parametrize(
    "message", ["Wait, what day was it again?", "When is my appointment?", "What time?"]
)
async def test_question_is_answered_from_the_confirmed_booking(message: str) -> None:
    decision = await decide(context(message, bookings=[confirmed()]))

    assert decision.intent is Intent.ASK_BOOKING
    assert decision.reply == "Your appointment for your cat is on Tuesday 24 November at 10:00."


async def test_question_ignores_past_and_cancelled_bookings() -> None:
    past = confirmed(slot_start=NOW - timedelta(days=3), booking_id="old")
    cancelled = BookingView(id="x", slot_start=TUESDAY_10, subject="your cat", status="cancelled")
    decision = await decide(context("what day was it again?", bookings=[past, cancelled]))

    assert decision.intent is Intent.ASK_BOOKING
    assert "can't find" in decision.reply


async def test_question_with_pending_offer_says_it_is_not_confirmed() -> None:
    decision = await decide(context("Sorry, what day was it again?", pending=pending_tuesday()))

    assert decision.intent is Intent.ASK_BOOKING
    assert decision.action_id is None
    assert "Tuesday 24 November at 10:00" in decision.reply
    assert "not confirmed" in decision.reply


async def test_question_without_booking_offers_to_book() -> None:
    decision = await decide(context("When is my appointment?"))

    assert decision.intent is Intent.ASK_BOOKING
    assert "book" in decision.reply


# --- the rest -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["Can I talk to a person?", "Human, please.", "I want to speak to someone", "Agent"]
)
async def test_handoff(message: str) -> None:
    assert (await decide(context(message))).intent is Intent.HANDOFF


@pytest.mark.parametrize("message", ["Hi!", "Hello?", "Good morning"])
async def test_greeting_alone(message: str) -> None:
    decision = await decide(context(message))

    assert decision.intent is Intent.GREETING
    assert decision.reply == "Hi! How can I help you today?"


@pytest.mark.parametrize("message", ["Bye!", "Thanks, that's all.", "Thank you"])
async def test_goodbye(message: str) -> None:
    assert (await decide(context(message))).intent is Intent.GOODBYE


async def test_anything_else_gets_a_helpful_question() -> None:
    decision = await decide(context("purple monkey dishwasher"))

    assert decision.intent is Intent.OTHER
    assert "book, move or cancel" in decision.reply and decision.reply.endswith("?")


async def test_a_question_the_profile_cannot_answer_is_passed_to_the_team() -> None:
    decision = await decide(context("Do you sell cat food?"))

    assert decision.intent is Intent.HANDOFF
    assert decision.note is not None and "cat food" in decision.note


async def test_same_context_gives_the_same_decision() -> None:
    ctx = context(DEMO)

    assert await decide(ctx) == await decide(ctx)


# --- a proposal turned down, an answer not understood --------------------------------------------


@pytest.mark.parametrize(
    "message",
    # "No, make it 5 pm instead." as Whisper heard it on a noisy line, and other ways to say no
    # to the slot without a day or time the agent can read.
    ["no, another time", "Could we do a different day?"],
)
async def test_a_proposal_turned_down_without_a_new_time_is_declined_and_the_time_asked(
    message: str,
) -> None:
    decision = await decide(context(message, pending=pending_tuesday()))

    assert decision.intent is Intent.DECLINE
    assert decision.action_id == "act-123"  # nothing stays pending for a "yes" to confirm
    assert decision.proposal is None
    assert "Tuesday 24 November at 10:00" in decision.reply
    assert decision.reply.endswith("What day and time would you like instead?")


async def test_on_a_call_a_new_time_lost_on_the_line_is_asked_again() -> None:
    # "No, make it 5 pm instead." as Whisper heard it: a new time was said, and lost
    decision = await decide(context("No, make it, IBM instead.", pending=pending_tuesday()))

    assert decision.intent is Intent.DECLINE
    assert decision.action_id == "act-123"  # nothing stays pending for a "yes" to confirm
    assert "Tuesday 24 November at 10:00" in decision.reply
    assert decision.reply.endswith(
        "Sorry, I didn't catch the new day and time: could you say it again?"
    )


async def test_said_again_after_the_refusal_the_new_time_is_proposed_on_that_day() -> None:
    ours = said(
        "OK, I haven't booked it for Tuesday 24 November at 10:00. Sorry, I didn't catch the "
        "new day and time: could you say it again?"
    )
    theirs = HistoryTurn(
        channel=Channel.VOICE,
        direction=Direction.INBOUND,
        text="Book my cat for Tuesday at 10 am.",
        at=NOW - timedelta(minutes=2),
    )

    decision = await decide(context("No, make it 5 pm instead.", history=[theirs, ours]))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == TUESDAY_10 + timedelta(hours=7)
    assert decision.proposal.subject == "your cat"


async def test_a_correction_with_a_readable_time_is_still_proposed_directly() -> None:
    decision = await decide(context("No, make it 5 pm instead.", pending=pending_tuesday()))

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == TUESDAY_10 + timedelta(hours=7)


def said(text: str) -> HistoryTurn:
    return HistoryTurn(channel=Channel.VOICE, direction=Direction.OUTBOUND, text=text, at=NOW)


async def test_an_answer_not_understood_gets_the_question_again_not_the_menu() -> None:
    asked = said("What time on Wednesday 25 November would you like? I have 12:00, 14:45 or 15:45.")

    decision = await decide(context("Yes, not right.", history=[asked]))

    assert decision.intent is Intent.CLARIFY
    assert decision.reply == (
        "Sorry, I didn't catch that. What time on Wednesday 25 November would you like? "
        "I have 12:00, 14:45 or 15:45."
    )


async def test_the_menu_when_no_question_is_open() -> None:
    told = said("Done: you're booked for Tuesday 24 November at 10:00 for your cat.")
    again = said("Sorry, I didn't catch that. Which day would you like?")
    asked_three_times = [said("Which day would you like?"), again, again]

    for history in ([], [told], asked_three_times):
        decision = await decide(context("Yes, not right.", history=history))
        assert decision.intent is Intent.OTHER
        assert decision.reply.startswith("Sorry, I didn't quite get that. I can book")


# --- another pet joins a booked visit -------------------------------------------------------------

MAX_WEDNESDAY = BookingView(
    id="bk-max",
    slot_start=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),  # Wednesday 11:00 in Paris
    subject="Max",
    status="confirmed",
    service="vaccination",
)
REX_FRIDAY = BookingView(
    id="bk-rex",
    slot_start=datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
    subject="Rex",
    status="confirmed",
)


@pytest.mark.parametrize(
    "message",
    [
        "can you add Bella to Max's appointment on wednesday",
        "Could Bella come along with Max?",
        "please add Bella to the wednesday appointment",
    ],
)
async def test_a_pet_added_to_a_booked_visit_is_proposed_in_the_same_slot(message: str) -> None:
    decision = await decide(
        context(message, channel=Channel.WHATSAPP, bookings=[MAX_WEDNESDAY, REX_FRIDAY])
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.slot_start == MAX_WEDNESDAY.slot_start
    assert decision.proposal.subject == "Bella"
    assert decision.proposal.booking_id is None  # a booking of her own; Max's stays
    assert "for Bella" in decision.reply


async def test_a_pet_added_with_a_time_of_its_own_is_booked_at_that_time() -> None:
    decision = await decide(
        context(
            "add Bella too, on Wednesday at 3pm", channel=Channel.WHATSAPP, bookings=[MAX_WEDNESDAY]
        )
    )

    assert decision.proposal is not None
    assert decision.proposal.slot_start == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


async def test_adding_a_pet_when_two_visits_could_be_meant_does_not_guess() -> None:
    decision = await decide(
        context(
            "can Bella come too?", channel=Channel.WHATSAPP, bookings=[MAX_WEDNESDAY, REX_FRIDAY]
        )
    )

    assert decision.proposal is None or decision.proposal.slot_start not in {
        MAX_WEDNESDAY.slot_start,
        REX_FRIDAY.slot_start,
    }
