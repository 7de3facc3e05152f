"""A call's turn the local agent cannot make sense of gets a short question, never the menu
(issue 9: "when a transcript is unclear ask a short specific question rather than the generic
menu"). The turns are the calls eval's misheard ones, after our own "Sorry, I didn't catch
that. ..." line, where the menu used to be spoken.

``NOW`` is Monday 7 December 2026, 09:00 in Paris; the profile is business/profile.yaml.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from switchboard.agent_models import (
    NOTHING_TO_CONFIRM,
    AgentContext,
    AgentDecision,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
)
from switchboard.providers.rules_agent import UNCLEAR, RuleBasedAgent

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS).astimezone(UTC)
GREETING = "Hello, this is Rue des Lilas Veterinary Clinic. How can I help you today?"
NOT_HEARD = "Sorry, I didn't catch that. Could you say it again?"


async def decide(
    message: str, ours_then_theirs: list[str], channel: Channel = Channel.VOICE
) -> AgentDecision:
    """The agent's decision on ``message``; the history alternates our line and theirs,
    ours first (a call opens with the greeting)."""
    turns = [
        HistoryTurn(
            channel=channel,
            direction=Direction.OUTBOUND if i % 2 == 0 else Direction.INBOUND,
            text=text,
            at=NOW - timedelta(minutes=1),
        )
        for i, text in enumerate(ours_then_theirs)
    ]
    context = AgentContext(
        customer="+33612345678",
        channel=channel,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        history=turns,
    )
    return await RuleBasedAgent().decide(context)


async def test_a_misheard_yes_please_with_nothing_waiting_asks_for_the_request() -> None:
    decision = await decide(
        "Yes, leave.",
        [
            GREETING,
            "I can still be there for instruments for Charlie.",
            "Sorry, I didn't catch that. How can I help you today?",
        ],
    )

    assert decision.intent is Intent.CLARIFY
    assert decision.action_id is None
    assert decision.reply == NOTHING_TO_CONFIRM


async def test_a_misheard_correction_asks_for_its_day_and_time() -> None:
    decision = await decide(
        "Actually, make it, half past, and instead.",
        [GREETING, "will my non-port arrival at 7am?", NOT_HEARD],
    )

    assert decision.intent is Intent.CLARIFY
    assert (
        decision.reply == "Sorry, I didn't catch that. Which day and time would you like instead?"
    )


async def test_after_a_turn_with_nothing_heard_the_question_before_it_is_asked_again() -> None:
    history = [GREETING, "Could you conclude the nonsense right now?", NOT_HEARD]

    decision = await decide("I can still be there for instruments.", history)

    assert decision.intent is Intent.CLARIFY
    assert decision.reply == "Sorry, I didn't catch that. How can I help you today?"


async def test_a_question_already_asked_twice_gets_the_menu_rather_than_a_third_time() -> None:
    history = [
        GREETING,
        "Welcome to your unwear.",
        "Sorry, I didn't catch that. How can I help you today?",
    ]

    decision = await decide("I can still be there for instruments.", history)

    assert decision.reply == UNCLEAR


async def test_no_question_of_ours_in_the_call_asks_what_to_book_or_change() -> None:
    decision = await decide("I can still be there for instruments.", [NOT_HEARD])

    assert decision.reply == "Sorry, I didn't catch that. What would you like to book or change?"
    assert "I can book, move or cancel" not in decision.reply


async def test_on_whatsapp_the_menu_still_says_what_we_can_do() -> None:
    # In writing the menu is read at a glance; only calls trade it for a question.
    decision = await decide(
        "I can still be there for instruments.", [NOT_HEARD], channel=Channel.WHATSAPP
    )

    assert decision.reply == UNCLEAR
