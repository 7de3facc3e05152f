"""The local agent on the fifteenth held-out set's failures (issue 9,
evals/scenarios/everyday15.yaml): replies to the business's own message (a reply token its last
message defined) and the general rules behind the rest, each tried on wording beyond the
scenario's own, negatives included. Decisions only.

``NOW`` is Monday 7 December 2026, 09:00 in Paris (tests/providers/test_local_agent_everyday.py);
the profile is business/profile.yaml (weekdays 08:30-12:30 and 14:00-19:00, Saturday
09:00-13:00, Europe/Paris).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
)
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.understanding.reply_tokens import defined_tokens, token_meaning
from switchboard.understanding.subjects import subjects_in
from tests.providers.test_local_agent_everyday import (
    NOW,
    PROFILE,
    at,
    booking,
    clock_times,
    decide,
    proposed,
)

REMINDER = (
    "Reminder: Max is booked for Tuesday 8 December at 10:00. Reply C to cancel, R to reschedule."
)
TEMPLATE = (
    "Reminder: Max booked for Tuesday 8 December at 10:00. Reply YES to confirm, tell us a new "
    "day and time to move it, or CANCEL to cancel."
)
CONFIRM_OR_CHANGE = (
    "Hi! Max's appointment is on Tuesday 8 December at 10:00. Reply 1 to confirm, 2 to change."
)
MAX_TUESDAY = booking("Max", at(8, 10), "b-max")


def ours(text: str) -> HistoryTurn:
    return HistoryTurn(
        channel=Channel.WHATSAPP,
        direction=Direction.OUTBOUND,
        text=text,
        at=NOW - timedelta(minutes=30),
    )


async def after_ours(
    message: str, our_message: str, bookings: list[BookingView] | None = None
) -> AgentDecision:
    """The agent's decision on ``message`` when the business's last message was ``our_message``
    (a journey's send: nothing before it, nothing pending)."""
    return await RuleBasedAgent().decide(
        AgentContext(
            customer="+33612345678",
            channel=Channel.WHATSAPP,
            message=message,
            now=NOW,
            timezone="Europe/Paris",
            bookings=bookings if bookings is not None else [MAX_TUESDAY],
            history=[ours(our_message)],
            business=PROFILE,
        )
    )


# -- the tokens a message defines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (REMINDER, {"c": "cancel", "r": "reschedule"}),
        ("Reply 1 to confirm, 2 to change.", {"1": "confirm", "2": "change"}),
        (TEMPLATE, {"yes": "confirm", "cancel": "cancel"}),
        (
            "Hi Claire, Biscuit is due a check-up. Reply BOOK to choose a time, or STOP to opt "
            "out.",
            {"book": "choose a time", "stop": "opt out"},
        ),
        ("Send N for a new time or X to cancel.", {"n": "a new time", "x": "cancel"}),
        ("Reply 👍 to keep it or 👎 to cancel.", {"👍": "keep it", "👎": "cancel"}),
        # no token: an instruction without one, or no instruction at all
        ("Your booking for Max is confirmed. Reply here if anything changes.", {}),
        ("Reply with a day and time to book the next one.", {}),
        ("Max is due 2 to 3 vaccinations this year.", {}),
    ],
)
def test_a_message_defines_its_reply_tokens(text: str, tokens: dict[str, str]) -> None:
    assert defined_tokens(text) == tokens


@pytest.mark.parametrize(
    ("message", "meaning"),
    [
        ("C", "cancel Max's appointment"),
        ("c.", "cancel Max's appointment"),
        ("r", "I need to move Max's appointment"),
        ("great c u tomorrow!", None),  # the token inside a sentence is no token
        ("X", None),  # a token this message did not define
    ],
)
def test_a_whole_message_token_means_its_action(message: str, meaning: str | None) -> None:
    assert token_meaning(message, [ours(REMINDER)], subject="Max") == meaning


def test_only_the_business_s_last_message_defines_tokens() -> None:
    later = ours("Done: Max on Tuesday 8 December at 10:00.")
    assert token_meaning("C", [ours(REMINDER), later]) is None
    assert token_meaning("C", []) is None


# -- the agent: a token read as its action, still confirmed ------------------------------------


@pytest.mark.parametrize(
    ("message", "our_message"),
    [
        ("C", REMINDER),
        ("CANCEL", TEMPLATE),
        ("👎", "Max's grooming is Tuesday at 10:00. Reply 👍 to keep it or 👎 to cancel."),
        ("x", "Max is booked for Tuesday at 10:00. Send N for a new time or X to cancel."),
    ],
)
async def test_a_cancel_token_proposes_cancelling_that_booking(
    message: str, our_message: str
) -> None:
    decision = await after_ours(message, our_message)

    assert decision.intent is Intent.PROPOSE_CANCEL
    assert proposed(decision) == [("Max", at(8, 10))]


async def test_a_cancel_token_names_the_booking_the_message_was_about() -> None:
    # two pets booked: the reminder's pet is the one cancelled, not "which one?"
    bella = booking("Bella", at(9, 11), "b-bella")
    decision = await after_ours("C", REMINDER, bookings=[MAX_TUESDAY, bella])

    assert proposed(decision) == [("Max", at(8, 10))]


@pytest.mark.parametrize(
    ("message", "our_message"),
    [
        ("R", REMINDER),
        (
            "2",
            CONFIRM_OR_CHANGE,
        ),
        ("n", "Max is booked for Tuesday at 10:00. Send N for a new time or X to cancel."),
    ],
)
async def test_a_move_token_asks_when_to(message: str, our_message: str) -> None:
    decision = await after_ours(message, our_message)

    assert decision.intent is Intent.CLARIFY
    assert "move" in decision.reply and decision.reply.endswith("?")
    assert decision.proposal is None


async def test_the_new_time_after_a_move_token_moves_that_booking() -> None:
    # The customer's own words never said "move" (only "R"): our question says which booking.
    asked = await after_ours("R", REMINDER)
    history = [
        ours(REMINDER),
        HistoryTurn(channel=Channel.WHATSAPP, direction=Direction.INBOUND, text="R", at=NOW),
        ours(asked.reply),
    ]
    decision = await RuleBasedAgent().decide(
        AgentContext(
            customer="+33612345678",
            channel=Channel.WHATSAPP,
            message="thursday at 4pm",
            now=NOW,
            timezone="Europe/Paris",
            bookings=[MAX_TUESDAY],
            history=history,
            business=PROFILE,
        )
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Max", at(10, 16))]


@pytest.mark.parametrize(
    ("message", "our_message"),
    [
        (
            "1",
            CONFIRM_OR_CHANGE,
        ),
        # the journey's own template: before, a YES proposed booking the same slot again
        ("YES", TEMPLATE),
        (
            "👍",
            "Max's grooming is Tuesday 8 December at 10:00. Reply 👍 to keep it or 👎 to cancel.",
        ),
    ],
)
async def test_a_confirm_token_keeps_the_booking_and_books_nothing(
    message: str, our_message: str
) -> None:
    decision = await after_ours(message, our_message)

    assert decision.proposal is None and not decision.proposals
    assert "10:00" in decision.reply
    assert "sorry" not in decision.reply.lower()


async def test_a_book_token_asks_when_for_the_pet_not_the_person_greeted() -> None:
    decision = await after_ours(
        "BOOK",
        "Hi Claire, Biscuit is due a check-up. Reply BOOK to choose a time, or STOP to opt out.",
        bookings=[],
    )

    assert decision.intent is Intent.CLARIFY
    assert "Biscuit" in decision.reply and "Claire" not in decision.reply


# -- pets whose names are words, one household's two writers -------------------------------------


async def test_a_pet_called_by_a_weekday_is_booked_on_the_other_day_said() -> None:
    # The first run booked Friday 11:00 "for you": the pet's name read as the day.
    decision = await decide("hi, can I book Friday in for thursday at 11am")

    assert proposed(decision) == [("Friday", at(10, 11))]


async def test_a_weekday_alone_is_still_a_day() -> None:
    decision = await decide("can I book Max in Friday at 11am")

    assert proposed(decision) == [("Max", at(11, 11))]


@pytest.mark.parametrize(
    ("message", "names"),
    [
        ("book Max Power in for wednesday 4pm please", ["Max Power"]),
        ("book Max and Bella in for wednesday 4pm", ["Max", "Bella"]),
        ("could sunny have a checkup tuesday at 4pm", ["Sunny"]),
        ("can u come tuesday at 4pm", []),
        ("Hi Claire, Biscuit is due a check-up.", ["Biscuit"]),
    ],
)
def test_pets_named_in_a_message(message: str, names: list[str]) -> None:
    assert subjects_in(message, known=[], transcript=False) == names


async def test_a_move_in_one_clause_moves_only_the_pet_of_that_clause() -> None:
    # The first run moved Rex's booking too (a wrong action).
    bookings = [booking("Luna", at(8, 10), "b-luna"), booking("Rex", at(10, 15), "b-rex")]
    decision = await decide(
        "hi it's Sam, my partner sorted Rex's appointment, I need to move Luna's to wednesday "
        "at 11",
        bookings=bookings,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Luna", at(9, 11))]


async def test_booked_earlier_is_the_past_not_a_move() -> None:
    # The first run moved Max's booking to the time asked for Luna (a wrong action).
    decision = await decide(
        "hello, my husband booked Max earlier. I'm asking about Luna, she needs her jab, "
        "tuesday 11?",
        bookings=[booking("Max", at(9, 10), "b-max")],
    )

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert proposed(decision) == [("Luna", at(8, 11))]


async def test_earlier_asked_for_is_still_a_move() -> None:
    decision = await decide(
        "could we do tuesday earlier instead, at 9?", bookings=[booking("Max", at(8, 11), "b-max")]
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE


# -- the part of the day that works, ranges, any time, series, next to a booking ----------------


@pytest.mark.parametrize(
    "message",
    [
        "im busy in the morning but the afternoon works, can Max come in tuesday?",
        "mornings are no good for me, tuesday for Max?",
        "I'm at work in the morning, tuesday for Max",
    ],
)
async def test_a_part_of_the_day_ruled_out_offers_the_other(message: str) -> None:
    decision = await decide(message)

    assert clock_times(decision.reply)
    assert all(t >= "13:00" for t in clock_times(decision.reply)), decision.reply


@pytest.mark.parametrize(
    ("message", "hour"),
    [
        ("anytime between 2 and 4 on thursday for Nala", 14),
        ("thursday from 3 to 5pm for Nala", 15),
        ("between 10 and 12 on thursday for Nala", 10),
    ],
)
async def test_a_range_of_times_proposes_its_start(message: str, hour: int) -> None:
    assert proposed(await decide(message)) == [("Nala", at(10, hour))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("need a checkup for Milo asap", at(7, 10)),
        ("whenever you're free on tuesday is fine for Milo", at(8, 8, 30)),
        ("could Milo come thursday, any time is fine", at(10, 8, 30)),
    ],
)
async def test_any_time_proposes_the_first_free_one(message: str, slot: object) -> None:
    assert proposed(await decide(message)) == [("Milo", slot)]


async def test_a_day_without_a_time_still_asks_which_time() -> None:
    decision = await decide("could Milo come thursday")

    assert decision.intent is Intent.CLARIFY
    assert len(clock_times(decision.reply)) > 1


async def test_a_series_longer_than_one_yes_can_book_says_so() -> None:
    decision = await decide("can Rocky come in every wednesday at 10 for the next 6 weeks?")

    assert [slot for _, slot in proposed(decision)] == [
        at(9, 10),
        at(16, 10),
        at(23, 10),
        at(30, 10),
    ]
    assert "first 4 of the 6" in decision.reply


async def test_the_day_after_my_other_appointment_is_counted_from_it() -> None:
    decision = await decide(
        "can I book Luna for the day after my other appointment, same time?",
        bookings=[booking("Max", at(9, 10), "b-max")],
    )

    assert proposed(decision) == [("Luna", at(10, 10))]


async def test_a_yes_to_several_times_asks_which() -> None:
    decision = await decide(
        "yes",
        history=[
            "thursday afternoon for Pepper?",
            "What time on Thursday 10 December would you like for Pepper? I have 14:00, 15:00, "
            "15:45 or 16:45.",
        ],
    )

    assert decision.proposal is None
    assert "14:00" in decision.reply and decision.reply.endswith("?")


async def test_anything_earlier_on_a_day_is_still_a_move() -> None:
    # "earlier on wednesday" asks for an earlier time; only "earlier today" and the like are
    # the past
    decision = await decide(
        "is there anything earlier on wednesday for Max? 10am would be ideal",
        bookings=[booking("Max", at(9, 17), "b-max")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert proposed(decision) == [("Max", at(9, 10))]
