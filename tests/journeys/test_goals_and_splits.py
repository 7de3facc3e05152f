"""Goals and A/B splits: the branch a customer takes (a hash, the same every time), the counts
per version and branch, what the loader refuses (with its line), and dry runs of the shipped
journeys that use them and of the other visit journeys."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from textwrap import dedent
from zoneinfo import ZoneInfo

import pytest
from temporalio.testing import WorkflowEnvironment

from operations.dry_run import DryRun, DryRunOptions, ScriptedReply, dry_run, start_environment
from switchboard.journeys.loader import DEFAULT_DIR, JourneyFileError, Problem, load_file
from switchboard.journeys.split import choose_branch
from switchboard.journeys.stats import group_runs
from tests.journeys.test_dry_run import next_local, of

PARIS = ZoneInfo("Europe/Paris")


def test_a_customer_always_takes_the_same_branch_and_weights_hold() -> None:
    picks = [
        choose_branch("win-back", "texts", f"+336{n:08d}", ["a", "b"], {"a": 80, "b": 20})
        for n in range(2000)
    ]
    again = [
        choose_branch("win-back", "texts", f"+336{n:08d}", ["a", "b"], {"a": 80, "b": 20})
        for n in range(2000)
    ]
    assert picks == again
    share = Counter(picks)["a"] / len(picks)
    assert 0.76 < share < 0.84, share
    # Another split (or journey) is an independent draw.
    other = [
        choose_branch("win-back", "other", f"+336{n:08d}", ["a", "b"], None) for n in range(2000)
    ]
    assert sum(p != o for p, o in zip(picks, other, strict=True)) > 500
    assert {choose_branch("j", "s", "+33612345678", ["a", "b"], {"a": 0, "b": 1})} == {"b"}


@dataclass
class Run:
    version: str | None
    branch: str | None
    goal: str | None
    step: str | None


def test_runs_are_counted_per_version_and_branch() -> None:
    groups = group_runs(
        [
            Run("v1", "texts:a", "converted", "done"),
            Run("v1", "texts:a", None, "goal"),
            Run("v1", "texts:b", None, "done"),
            Run("v2", None, None, "wait"),
        ]
    )
    assert [(g.version, g.branch, g.runs, g.converted) for g in groups] == [
        ("v1", "texts:a", 2, 1),
        ("v1", "texts:b", 1, 0),
        ("v2", None, 1, 0),
    ]
    assert groups[0].steps == {"done": 1, "goal": 1} and groups[0].rate == 0.5


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "sample.yaml"
    path.write_text(dedent(text))
    with pytest.raises(JourneyFileError) as caught:
        load_file(path)
    return caught.value.problems


def test_a_goal_on_an_event_no_run_hears_of_is_refused_with_its_line(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: visit_no_show}
        goal:
          event: opted_in
          within: 7d
        start: done
        steps:
          done: {kind: end}
        """,
    )
    assert (problem.line, problem.field) == (4, "goal.event")
    assert "booking_confirmed" in problem.message


def test_split_weights_must_name_every_branch(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: visit_no_show}
        start: pick
        steps:
          pick:
            kind: split
            branches: {a: done, b: done}
            weights: {a: 50, c: 50}
          done: {kind: end}
        """,
    )
    assert problem.line is not None and problem.line >= 5
    assert problem.field.startswith("steps.pick") and "weight per branch" in problem.message


def test_a_version_without_a_goal_keeps_its_hash() -> None:
    # Adding goals (and trigger.one_at_a_time) to the format must not re-version every journey
    # written before them.
    definition = load_file(DEFAULT_DIR / "appointment-reminder.yaml")
    assert definition.goal is None and not definition.trigger.one_at_a_time
    dumped = {k: v for k, v in definition.model_dump(mode="json").items() if k != "goal"}
    del dumped["trigger"]["one_at_a_time"]
    dumped["policies"]["business_hours"] = "profile"  # hours the file leaves to the profile
    canonical = json.dumps(
        dumped,
        sort_keys=True,
        separators=(",", ":"),
    )
    assert definition.version == hashlib.sha256(canonical.encode()).hexdigest()[:12]


# -- dry runs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_environment()
    yield environment
    await environment.shutdown()


async def run(env: WorkflowEnvironment, name: str, start: datetime, *replies: str) -> DryRun:
    options = DryRunOptions(start=start, replies=[ScriptedReply.parse(r) for r in replies])
    return await dry_run(load_file(DEFAULT_DIR / f"{name}.yaml"), options, env=env)


async def test_no_show_rebooked_by_reply_meets_the_goal(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "fri", time(15, 0))
    result = await run(env, "no-show-followup", start, "booking_confirmed@2h")
    [offer] = of(result, "whatsapp")
    assert offer.at - start < timedelta(seconds=5) and "rebook" in offer.text
    assert result.outcome.trail == ["offer", "rebooked", "done"]
    assert result.outcome.converted_at == "rebooked"


async def test_no_show_without_a_booking_goes_to_a_person_and_does_not_convert(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "fri", time(15, 0))
    result = await run(env, "no-show-followup", start)
    assert result.outcome.trail == ["offer", "rebooked", "human", "done"]
    assert result.outcome.converted_at is None
    [outcome] = of(result, "outcome")
    assert (outcome.at - start).days == 7  # listened for a booking for the goal's 7 days


async def test_review_request_comes_at_10_the_next_morning(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "fri", time(15, 0))
    result = await run(env, "review-request", start)
    [ask] = of(result, "whatsapp")
    assert ask.at.astimezone(PARIS).strftime("%a %H:%M") == "Sat 10:00"


async def test_annual_recall_comes_11_months_later_then_a_call(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(15, 0))
    result = await run(env, "annual-recall", start)
    [recall] = of(result, "whatsapp")
    local = recall.at.astimezone(PARIS)
    months = (local.year - start.year) * 12 + local.month - start.month
    assert (months, local.day, local.hour) == (11, start.astimezone(PARIS).day, 10)
    assert result.outcome.trail == ["wait", "recall", "booked", "call", "done"]


async def test_win_back_sends_this_customers_text_after_six_months(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "mon", time(15, 0))
    result = await run(env, "win-back", start)
    [invite] = of(result, "whatsapp")
    local = invite.at.astimezone(PARIS)
    assert local.hour == 10 and (local.month - start.month) % 12 == 6
    branch = choose_branch("win-back", "texts", "+33612345678", ["visit", "checkup"], None)
    assert result.outcome.branch == f"texts:{branch}"
    assert ("check-up" in invite.text) == (branch == "checkup")
