"""The eval's caller (``evals/caller.py``): it says a line again, once and more slowly, when the
agent's reply asks for it, as a person on the phone does, and goes on with its script when the
reply is a question about something specific. Then how the turns said again are observed and
reported (first-try completion beside completion)."""

from __future__ import annotations

import io
import wave

import pytest

from api.call_twiml import LINE_TROUBLE, REPROMPT, TOO_LATE
from evals.caller import CallerScript, Try, asks_to_repeat, by_turn, spoken
from evals.harness import ScenarioResult
from evals.report import Targets, build
from evals.scenarios import Scenario
from evals.scoring import Observation, TurnObservation, Verdict
from operations.calls.session import RESUMED, STILL_THERE, UNREACHABLE
from switchboard.agent_models import NOTHING_TO_CONFIRM
from switchboard.providers.rules_agent import UNCLEAR
from workflows.customer_texts import STALE_CONFIRMATION, UNHEARD_CALLER, UNSURE

# What the product says when it did not understand a caller (its constants, and the rules
# agent's "Sorry, I didn't catch that." before the question it keeps open).
NOT_UNDERSTOOD = [
    UNHEARD_CALLER,
    UNSURE,
    UNCLEAR,
    REPROMPT,
    LINE_TROUBLE,
    TOO_LATE,
    "Sorry, I didn't catch that. Shall I book Max for Thursday 10 December at 15:00? "
    "Please answer yes or no.",
    "Sorry, I didn't catch that. Which day and time would you like instead?",
    "Sorry, I didn't catch that. How can I help you today?",
]
# …and how other agents and people ask.
ASKED_AGAIN = [
    "I'm sorry, I didn't quite catch that — could you repeat it?",
    "Sorry, could you repeat that?",
    "Pardon?",
    "Sorry, what was that?",
    "Sorry, what?",
    "Come again?",
    "You're breaking up. Could you say that once more?",
    "I didn't get that.",
]
# Questions about something specific, and lines that are no request to repeat.
NOT_A_REPEAT = [
    NOTHING_TO_CONFIRM,  # "Sorry, what would you like to book or change?"
    STILL_THERE,
    RESUMED,
    UNREACHABLE,  # "… Please try again in a few minutes …"
    STALE_CONFIRMATION,  # "… and I'll propose it again."
    "Which day would you like?",
    "What time on Tuesday? I have 08:30 or 11:15.",
    "Shall I book Max for Thursday 10 December at 15:00?",
    "Hello, this is the clinic. How can I help you today?",
    "Sorry, I couldn't get you in on Tuesday. Would Wednesday at 10:00 suit you?",
    "Sorry, I couldn't put all of that together. Could we take it one appointment at a time?",
    "Shall I repeat the opening hours?",
    "You're welcome to come again any time.",
]


@pytest.mark.parametrize("reply", NOT_UNDERSTOOD + ASKED_AGAIN)
def test_a_reply_that_did_not_understand_asks_to_repeat(reply: str) -> None:
    assert asks_to_repeat(reply)


@pytest.mark.parametrize("reply", NOT_A_REPEAT)
def test_a_specific_question_is_no_request_to_repeat(reply: str) -> None:
    assert not asks_to_repeat(reply)


def _call(**extra: object) -> Scenario:
    return Scenario.model_validate(
        {
            "id": "call-t",
            "intent": "book",
            "channel": "voice",
            "noise": "white",
            "turns": ["Book Rex for Thursday at 3 pm.", "Yes please."],
            "expect": {"bookings": [{"subject": "Rex", "slot": "thu 15:00"}]},
            **extra,
        }
    )


def _seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav), "rb") as w:
        return w.getnframes() / w.getframerate()


def _lead_in(wav: bytes) -> bytes:
    """The first 0.2 s: noise only, before the words."""
    with wave.open(io.BytesIO(wav), "rb") as w:
        return w.readframes(int(0.2 * w.getframerate()))


async def test_the_caller_says_a_line_again_once_slower_when_asked() -> None:
    scenario = _call()
    turns = [str(t) for t in scenario.turns]
    audio = [await spoken(scenario, t) for t in turns]
    # The agent's reply after each try: what the caller heard before speaking again.
    replies = [
        UNHEARD_CALLER,  # to "Book Rex…": said again
        "Sorry, I didn't catch that. Which day and time would you like?",  # not a third time
        "Which day would you like?",  # to "Yes please.": a question, the script is over
    ]

    async def reply(call_sid: str) -> str:
        assert call_sid == "CA1"
        return replies[len(caller.tries) - 1]

    caller = CallerScript(scenario, turns, audio, reply=reply)
    first = await caller("CA1", 0)
    again = await caller("CA1", 1)
    after = await caller("CA1", 2)
    assert await caller("CA1", 3) is None  # the script is over: hang up
    assert caller.tries == [Try(0, turns[0]), Try(0, turns[0], again=True), Try(1, turns[1])]
    assert first == audio[0] and after == audio[1]
    # The same words, 20% slower (the pauses around them unchanged), over other noise.
    assert again is not None
    pauses = 0.7  # evals/voice.py's lead-in and tail, the same at any pace
    assert _seconds(again) - pauses > 1.15 * (_seconds(audio[0]) - pauses)
    assert _lead_in(again) != _lead_in(audio[0])


async def test_a_caller_who_rephrases_says_the_scenarios_words() -> None:
    scenario = _call(repeat={0: "Thursday, three in the afternoon, for Rex."})
    turns = [str(t) for t in scenario.turns]
    audio = [await spoken(scenario, t) for t in turns]

    async def reply(call_sid: str) -> str:
        return "Pardon?"

    caller = CallerScript(scenario, turns, audio, reply=reply)
    await caller("CA1", 0)
    await caller("CA1", 1)
    assert caller.tries[1] == Try(0, "Thursday, three in the afternoon, for Rex.", again=True)


def test_repeat_is_for_calls_and_their_turns() -> None:
    with pytest.raises(ValueError, match="repeat names a turn"):
        _call(repeat={2: "…"})
    with pytest.raises(ValueError, match="repeat is for calls"):
        Scenario.model_validate(
            {
                "id": "t",
                "intent": "book",
                "turns": ["hi"],
                "repeat": {0: "hello"},
                "expect": {"clarify": True},
            }
        )


def test_a_turn_said_again_is_scored_by_its_last_try_and_reported_apart() -> None:
    scenario = _call()
    turns = [str(t) for t in scenario.turns]
    tries = [Try(0, turns[0]), Try(0, turns[0], again=True), Try(1, turns[1])]
    answered = [
        TurnObservation(
            said=[turns[0]], heard="Book rocks for…", replies=[UNHEARD_CALLER], latency_ms=800.0
        ),
        TurnObservation(
            said=[turns[0]], replies=["Shall I book Rex for Thursday at 15:00?"], latency_ms=600.0
        ),
        TurnObservation(said=[turns[1]], replies=["Done."], latency_ms=500.0),
    ]
    observed = by_turn(turns, tries, answered)
    # Checks on turn 0 read what it ended with, the read-back, not "didn't catch that".
    assert [t.replies for t in observed] == [answered[1].replies, ["Done."]]
    assert observed[0].earlier == [answered[0]]
    # A call that ended before the second line: that turn has only its words.
    assert by_turn(turns, tries[:1], answered[:1])[1] == TurnObservation(said=[turns[1]])

    repeated = Observation(turns=observed, setup_bookings=[], bookings=[])
    first_time = Observation(
        turns=[TurnObservation(said=[t]) for t in turns], setup_bookings=[], bookings=[]
    )
    assert (repeated.repeats, first_time.repeats) == (1, 0)
    results = [
        ScenarioResult(i, scenario, f"+3360000000{i}", obs, Verdict(True, [], []), 0.0)
        for i, obs in enumerate([repeated, first_time])
    ]
    report = build(results, {}, Targets())
    summary = report["summary"]
    assert summary["task_completion"]["voice"] == 1.0
    assert summary["task_completion_first_try"]["voice"] == 0.5
    assert summary["repeats"]["voice"] == {"used": 1, "scenarios": 1}
    assert summary["latency_ms"]["voice"]["n"] == 3  # the try said again waited too
    assert [sc["passed_first_try"] for sc in report["scenarios"]] == [False, True]
    assert report["scenarios"][0]["turns"][0]["earlier"][0]["replies"] == [UNHEARD_CALLER]
