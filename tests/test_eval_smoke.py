"""The agent's evaluation harness (``evals/``): the scenario set and the scorer's rules without a
stack, then three scenarios (a WhatsApp booking, a WhatsApp question, a call) played through the
real stack, scored, and reported.

It checks the harness, never the agent: the agent is being rewritten, and ``make eval`` is
where its scores are read. A scenario may pass or fail here; it must be played and scored.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from evals.clock import PARIS, EvalClock, reference_moment
from evals.harness import EvalConfig, ScenarioResult, eval_stack, unplayable
from evals.report import Targets, build
from evals.scenarios import Scenario, customer_number, load_scenarios, select
from evals.scoring import BookingRow, Observation, TurnObservation, offers_alternative, score

SMOKE = ("book-rocky-get-in", "question-price-checkup", "call-question-price-gb")


def test_scenario_set_loads_and_is_playable_this_week() -> None:
    scenarios = load_scenarios()
    assert len(scenarios) >= 150
    channels = Counter(s.channel for s in scenarios)
    assert channels["voice"] >= 15
    assert len({s.intent for s in scenarios}) >= 12
    clock = EvalClock(reference_moment(datetime.now(UTC)))
    # Every expression resolves (a holiday scenario may be skipped in a week without one).
    skipped = [s.id for s in scenarios if unplayable(s, clock)]
    assert all(s.startswith("closed-holiday") for s in skipped), skipped
    # Every expectation parses: scoring a scenario that got no reply never raises.
    silence = Observation(turns=[TurnObservation(said=["…"])], setup_bookings=[], bookings=[])
    for s in scenarios:
        if s.id not in skipped:
            score(s, silence, clock)
    assert len({customer_number(i) for i in range(len(scenarios))}) == len(scenarios)


def test_reference_moment_is_a_monday_9am_in_a_week_without_holidays() -> None:
    # 2026-05-01 (Friday) is Labour Day; the week of 2026-05-04 has Victory Day (Friday 8 May),
    # the next one Ascension (Thursday 14 May), then Whit Monday (25 May).
    ref = reference_moment(datetime(2026, 4, 30, 12, tzinfo=UTC))
    assert ref == datetime(2026, 5, 18, 9, 0, tzinfo=PARIS)
    clock = EvalClock(ref)
    assert clock.slot("tomorrow 15:00") == datetime(2026, 5, 19, 13, 0, tzinfo=UTC)
    assert clock.render("{fri|wdm}") == "Friday 22 May"
    assert clock.next_holiday().isoformat() == "2026-05-25"


def test_month_expressions_count_calendar_months() -> None:
    clock = EvalClock(reference_moment(datetime(2026, 12, 2, 10, tzinfo=UTC)))
    assert clock.today.isoformat() == "2026-12-07"
    assert clock.day("tue+1m").isoformat() == "2027-01-08"  # "same time next month"
    assert clock.day("first-mon+1m").isoformat() == "2027-01-04"  # not Monday 1 February
    may = EvalClock(reference_moment(datetime(2026, 4, 30, 12, tzinfo=UTC)))
    assert may.day("+13+1m").isoformat() == "2026-06-30"  # 31 May, a month on: June's last day


def test_slots_said_relative_to_now_follow_the_runs_clock() -> None:
    # "this time next week" said 35 minutes into a run means 09:35, not the reference's 09:00.
    ref = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    late = EvalClock(ref, now=ref + timedelta(minutes=35, seconds=12))
    assert late.slot("+7 now-") == datetime(2026, 12, 14, 9, 30, tzinfo=PARIS)
    assert late.slot("+7 now") == datetime(2026, 12, 14, 9, 45, tzinfo=PARIS)
    assert late.slot("mon now+60") == datetime(2026, 12, 7, 10, 45, tzinfo=PARIS)
    on_time = EvalClock(ref)  # no start given: the reference moment, already on the grid
    assert on_time.slot("+7 now") == on_time.slot("+7 now-") == on_time.slot("+7 09:00")
    scenario = Scenario.model_validate(
        {
            "id": "t",
            "intent": "book",
            "turns": ["can we do this time next week for Ruby?", "yes"],
            "expect": {
                "bookings": [{"subject": "Ruby", "slot": "+7 now"}],
                "replies": [{"turn": 0, "mentions": ["+7 now"]}],
            },
        }
    )
    booked = BookingRow(
        id="b1",
        subject="Ruby",
        slot_start=datetime(2026, 12, 14, 9, 45, tzinfo=PARIS).astimezone(UTC),
        status="confirmed",
        service="consultation",
    )
    said = TurnObservation(said=["…"], replies=["I can book Monday 14 December at 09:45."])
    yes = TurnObservation(said=["yes"])
    obs = Observation(turns=[said, yes], setup_bookings=[], bookings=[booked])
    assert score(scenario, obs, late).passed
    verdict = score(scenario, obs, on_time)  # 09:45 when the customer wrote at 09:00
    assert not verdict.passed and verdict.wrong_actions


def _booking_scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "id": "t",
            "intent": "reschedule",
            "setup": {"bookings": [{"subject": "Max", "slot": "wed 10:00"}]},
            "turns": ["move Max to thursday at 3pm", "yes"],
            "expect": {
                "bookings": [{"subject": "Max", "slot": "thu 15:00"}],
                "replies": [{"turn": 0, "mentions": ["thu 15:00"]}],
            },
        }
    )


def test_scoring_tells_a_move_from_a_second_booking() -> None:
    clock = EvalClock(datetime(2026, 12, 7, 9, 0, tzinfo=PARIS))
    scenario = _booking_scenario()
    old = BookingRow("b1", "Max", clock.slot("wed 10:00"), "confirmed")
    turns = [
        TurnObservation(said=["move"], replies=["I can move Max to Thursday at 3pm. OK?"]),
        TurnObservation(said=["yes"], replies=["Done."]),
    ]
    moved = Observation(
        turns=turns,
        setup_bookings=[old],
        bookings=[BookingRow("b1", "Max", clock.slot("thu 15:00"), "confirmed")],
    )
    assert score(scenario, moved, clock).passed
    doubled = Observation(
        turns=turns,
        setup_bookings=[old],
        bookings=[old, BookingRow("b2", "your dog Max", clock.slot("thu 15:00"), "confirmed")],
    )
    verdict = score(scenario, doubled, clock)
    assert not verdict.passed and not verdict.wrong_actions
    assert verdict.reasons == ["still confirmed: Max Wed 9 Dec 10:00"]
    elsewhere = Observation(
        turns=turns,
        setup_bookings=[old],
        bookings=[BookingRow("b1", "Max", clock.slot("fri 15:00"), "confirmed")],
    )
    assert score(scenario, elsewhere, clock).wrong_actions == [
        "moved to Max Fri 11 Dec 15:00 (not expected)"
    ]
    renamed = Observation(
        turns=turns,
        setup_bookings=[old],
        bookings=[
            BookingRow("b1", "Max", clock.slot("wed 10:00"), "cancelled"),
            BookingRow("b2", "you", clock.slot("thu 15:00"), "confirmed"),
        ],
    )
    verdict = score(scenario, renamed, clock)
    assert not verdict.passed and not verdict.wrong_actions  # right slot, wrong name
    assert offers_alternative("Closed on Sunday; Monday at 10:00?", "sun 10:00", clock)
    assert not offers_alternative("We are closed on Sunday at 10am.", "sun 10:00", clock)
    # A greeting's "today" is not a day offered; "today at 15:00" is.
    assert not offers_alternative(
        "Sorry, I didn't catch that. How can I help you today?", "sun 10:00", clock
    )
    assert offers_alternative("We're closed then, but today at 15:00 is free.", "sun 10:00", clock)


def test_scoring_counts_a_service_changed_unasked_as_a_wrong_action() -> None:
    clock = EvalClock(datetime(2026, 12, 7, 9, 0, tzinfo=PARIS))
    scenario = Scenario.model_validate(
        {
            "id": "t",
            "intent": "cancel",
            "setup": {"bookings": [{"subject": "Max", "slot": "wed 10:00"}]},
            "turns": ["what's max booked in for?"],
            "expect": {"reply_contains": ["consultation"]},
        }
    )
    old = BookingRow("b1", "Max", clock.slot("wed 10:00"), "confirmed", "consultation")
    turns = [TurnObservation(said=["what"], replies=["Max (consultation) is on Wednesday."])]
    kept = Observation(turns=turns, setup_bookings=[old], bookings=[old])
    assert score(scenario, kept, clock).passed

    changed = BookingRow("b1", "Max", clock.slot("wed 10:00"), "confirmed", "grooming")
    verdict = score(
        scenario, Observation(turns=turns, setup_bookings=[old], bookings=[changed]), clock
    )
    assert verdict.wrong_actions == [
        "Max Wed 9 Dec 10:00 is a grooming, not a consultation (its service changed unasked)"
    ]

    asked = Scenario.model_validate(
        {
            **scenario.model_dump(exclude={"expect", "alternatives"}),
            "expect": {
                "bookings": [{"subject": "Max", "slot": "wed 10:00", "service": "grooming"}]
            },
        }
    )
    assert score(
        asked, Observation(turns=turns, setup_bookings=[old], bookings=[changed]), clock
    ).passed
    assert score(asked, kept, clock).reasons == [
        "Max Wed 9 Dec 10:00 is a consultation, not a grooming"
    ]


async def test_three_scenarios_are_played_scored_and_reported(database_url: str) -> None:
    scenarios = load_scenarios()
    chosen = [(i, s) for i, s in select(scenarios) if s.id in SMOKE]
    assert len(chosen) == 3
    config = EvalConfig(database_url=database_url, parallel=3, quiet_s=0.5, reply_timeout_s=20)
    async with eval_stack(config) as stack:
        assert stack.clock.reference.weekday() == 0
        assert await stack.env.get_current_time() >= stack.clock.reference
        results = await stack.play_all(chosen)
        reference = stack.clock.reference

    assert [r.scenario.id for r in results] == [s.id for _, s in chosen]
    for result in results:
        assert result.skipped is None
        assert result.observation.error is None, result.observation.error
        assert len(result.observation.turns) == len(result.scenario.turns)
        assert result.verdict.passed or result.verdict.reasons or result.verdict.wrong_actions
    call = next(r for r in results if r.scenario.channel == "voice")
    assert call.observation.turns[0].heard  # the product transcribed the synthesised caller
    assert call.observation.turns[0].latency_ms is not None

    report = build(
        results, {"reference_moment": reference.isoformat(), "agent": "rules"}, Targets()
    )
    summary = report["summary"]
    assert summary["scenarios"] == 3
    assert set(summary["task_completion"]) == {"text", "voice"}
    assert isinstance(summary["wrong_actions"], int)
    assert summary["latency_ms"]["voice"]["n"] >= 1
    assert {(row["intent"], row["channel"]) for row in report["by_intent"]} == {
        ("book", "text"),
        ("question", "text"),
        ("question", "voice"),
    }
    assert report["targets_met"] is True  # no targets given: it reports, never fails
    played = report["scenarios"][0]
    assert set(played) >= {"id", "passed", "reasons", "wrong_actions", "turns", "bookings"}
    assert reference - datetime.now(UTC) < timedelta(days=8)


def test_handoff_when_asked_counts_only_where_a_person_was_asked_for() -> None:
    """An answer to "who do I call tonight?" (where a handoff is allowed, not asked for) is no
    missed handoff; a customer who asked for a person and got none is."""
    scenarios = {s.id: s for s in load_scenarios()}
    clock = EvalClock(reference_moment(datetime.now(UTC)))

    def played(scenario_id: str, handoffs: int) -> ScenarioResult:
        scenario = scenarios[scenario_id]
        obs = Observation(
            turns=[TurnObservation(said=["…"])], setup_bookings=[], bookings=[], handoffs=handoffs
        )
        return ScenarioResult(0, scenario, "+33600000000", obs, score(scenario, obs, clock), 0.0)

    answered = played("everyday6-after-hours-who-to-call", handoffs=0)
    asked = played("everyday6-complaint-waited", handoffs=1)
    summary = build([answered, asked], {}, Targets())["summary"]
    assert summary["handoff_scenarios"] == 1
    assert summary["handoff_when_asked_rate"] == 1.0

    missed = played("everyday6-complaint-waited", handoffs=0)
    summary = build([answered, missed], {}, Targets())["summary"]
    assert summary["handoff_when_asked_rate"] == 0.0
