"""Dry runs of the five journeys in journeys/: the real JourneyWorkflow in the time-skipping
test server with in-memory activities. Each test starts at a fixed local weekday and hour
(the next one after the shared server's clock), so quiet hours, business hours and waits give
the same timeline whatever day the suite runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from temporalio.testing import WorkflowEnvironment

from operations.dry_run import (
    DryRun,
    DryRunError,
    DryRunOptions,
    ScriptedReply,
    TimelineEntry,
    dry_run,
    render,
    start_environment,
)
from switchboard.business import load_profile
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.journeys.schema import JourneyDefinition

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_environment()
    yield environment
    await environment.shutdown()


def journey(name: str) -> JourneyDefinition:
    return load_file(DEFAULT_DIR / f"{name}.yaml")


async def next_local(env: WorkflowEnvironment, weekday: str, at: time) -> datetime:
    """The next ``weekday`` at local time ``at`` in Paris, at least a day after the server's
    clock (earlier dry runs have moved it on), in a stretch of days with no public holiday in
    the business profile (whose opening days the journeys keep to)."""
    now = (await env.get_current_time()).astimezone(PARIS) + timedelta(days=1)
    day = now.date()
    profile = load_profile()
    while WEEKDAYS[day.weekday()] != weekday or any(
        profile.holiday(day + timedelta(days=d)) is not None for d in range(-1, 6)
    ):
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=PARIS)


async def run(
    env: WorkflowEnvironment,
    name: str | JourneyDefinition,
    start: datetime,
    *replies: str,
    opted_in: bool = True,
    answer_calls: bool = True,
) -> DryRun:
    definition = journey(name) if isinstance(name, str) else name
    options = DryRunOptions(
        opted_in=opted_in,
        replies=[ScriptedReply.parse(r) for r in replies],
        answer_calls=answer_calls,
        start=start,
    )
    return await dry_run(definition, options, env=env)


def of(result: DryRun, kind: str) -> list[TimelineEntry]:
    return [e for e in result.entries if e.kind == kind]


def local(entry: TimelineEntry) -> tuple[str, time]:
    """(weekday, local time to the minute) of an entry."""
    at = entry.at.astimezone(PARIS)
    return WEEKDAYS[at.weekday()], at.time().replace(second=0, microsecond=0)


async def test_draft_followup_calls_a_day_later_within_business_hours(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "draft-followup", start)

    [call] = of(result, "call")
    assert call.at - start >= timedelta(hours=24)
    assert local(call) == ("wed", time(10, 0))
    assert "Felix" in call.text and "(answered)" in call.text
    assert of(result, "whatsapp") == []
    assert result.outcome.status == "completed"
    assert result.outcome.trail == ["wait_a_day", "still_a_draft", "call", "done"]


async def test_draft_followup_on_a_saturday_calls_when_the_clinic_next_opens(
    env: WorkflowEnvironment,
) -> None:
    # A day after Saturday 10:00 is Sunday, closed in the business profile: the call waits for
    # the profile's next opening (Monday 08:30, or later when Monday is a public holiday), not
    # a generic Mon-Fri 09:00.
    start = await next_local(env, "sat", time(10, 0))
    [call] = of(await run(env, "draft-followup", start), "call")
    opening = load_profile().next_opening(start + timedelta(days=1))
    assert opening is not None
    assert call.at - opening < timedelta(seconds=1)  # the timer fires just after it
    assert local(call)[1] == time(8, 30)


async def test_draft_followup_confirmed_meanwhile_places_no_call(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "draft-followup", start, "draft_confirmed@3h")

    [reply] = of(result, "reply")
    assert reply.at - start == pytest.approx(timedelta(hours=3), abs=timedelta(minutes=1))
    assert of(result, "call") == []
    assert result.outcome.trail == ["wait_a_day", "done"]


async def test_draft_followup_unanswered_calls_are_retried_then_nudged(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "draft-followup", start, answer_calls=False)

    first, second = of(result, "call")
    assert second.at - first.at == pytest.approx(timedelta(hours=2), abs=timedelta(minutes=1))
    assert "(no answer)" in first.text and "(no answer)" in second.text
    assert result.outcome.trail[-3:] == ["call", "nudge", "done"]
    # The draft is two days old: outside the 24-hour window only a template may go out.
    assert all("(template " in e.text for e in of(result, "whatsapp"))


async def test_free_text_outside_the_24_hour_window_is_skipped(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    path = tmp_path / "late-note.yaml"
    path.write_text(
        "name: late-note\n"
        "trigger: {event: customer_replied}\n"
        "policies: {quiet_hours: null}\n"
        "start: soon\n"
        "steps:\n"
        "  soon: {kind: send_whatsapp, text: 'Thanks!', next: later}\n"
        "  later: {kind: wait, duration: 25h, next: again}\n"
        "  again: {kind: send_whatsapp, text: 'Still there?'}\n"
    )
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, load_file(path), start)

    [sent] = of(result, "whatsapp")
    assert sent.text == 'WhatsApp → "Thanks!"'  # the customer just wrote: free text
    assert any(
        "again: WhatsApp send skipped: outside the 24-hour window" in e.text
        for e in of(result, "note")
    )


async def test_free_text_23h_after_the_customer_wrote_then_only_the_template_at_25h(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    path = tmp_path / "window.yaml"
    path.write_text(
        "name: window\n"
        "trigger: {event: customer_replied}\n"
        "policies: {quiet_hours: null}\n"
        "start: wait_23h\n"
        "steps:\n"
        "  wait_23h: {kind: wait, duration: 23h, next: early}\n"
        "  early: {kind: send_whatsapp, text: 'Free text', next: wait_2h,\n"
        "          template: {name: callback_missed, variables: {}}}\n"
        "  wait_2h: {kind: wait, duration: 2h, next: late}\n"
        "  late: {kind: send_whatsapp, text: 'Free text',\n"
        "         template: {name: callback_missed, variables: {}}}\n"
    )
    start = await next_local(env, "tue", time(10, 0))
    early, late = of(await run(env, load_file(path), start), "whatsapp")

    assert early.text == 'WhatsApp → "Free text"'
    assert late.text.startswith('WhatsApp → "We called you back twice')
    assert late.text.endswith("(template callback_missed)")


async def test_the_frequency_cap_skips_a_send_over_it(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    path = tmp_path / "capped.yaml"
    path.write_text(
        "name: capped\n"
        "trigger: {event: customer_replied}\n"
        "policies: {quiet_hours: null, frequency_cap: {max_sends: 1, per: 1d}}\n"
        "start: first\n"
        "steps:\n"
        "  first: {kind: send_whatsapp, text: 'One', next: second}\n"
        "  second: {kind: send_whatsapp, text: 'Two'}\n"
    )
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, load_file(path), start)

    [sent] = of(result, "whatsapp")
    assert sent.text == 'WhatsApp → "One"'
    assert any(
        "second: WhatsApp send skipped: frequency cap: 1 journey sends" in e.text
        for e in of(result, "note")
    )


async def test_outreach_without_opt_in_calls_instead(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "sat", time(14, 0))  # the clinic closed at 13:00
    result = await run(env, "outreach", start, opted_in=False)

    assert of(result, "whatsapp") == []
    [call] = of(result, "call")
    assert local(call) == ("mon", time(8, 30))  # the profile's next opening
    assert result.outcome.trail == ["opted_in", "call", "done"]


async def test_outreach_opted_in_without_reply_sends_the_template_then_calls_48h_later(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "outreach", start)

    [message] = of(result, "whatsapp")
    assert message.at - start < timedelta(minutes=1)
    assert "(template checkup_reminder)" in message.text
    assert "Hi Alex, Felix is due a check-up" in message.text
    [call] = of(result, "call")
    assert call.at - message.at == pytest.approx(timedelta(hours=48), abs=timedelta(minutes=1))
    assert result.outcome.trail == ["opted_in", "message", "wait_reply", "call", "done"]


async def test_outreach_reply_exits_before_any_call(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "outreach", start, "reply@2h")

    assert of(result, "call") == []
    assert result.outcome.status == "exited"
    assert "replied" in result.outcome.reason


async def test_outreach_template_waits_for_the_end_of_quiet_hours(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "tue", time(23, 0))
    [message] = of(await run(env, "outreach", start), "whatsapp")
    assert local(message) == ("wed", time(8, 0))


async def test_after_hours_offer_then_yes_calls_back_at_0930_next_business_day(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "fri", time(22, 0))  # inside quiet hours
    result = await run(env, "after-hours-callback", start, "yes@1h")

    [slot] = of(result, "slot")
    assert "Saturday" in slot.text and "09:30" in slot.text  # open on Saturday mornings
    [offer] = of(result, "whatsapp")
    assert local(offer) == ("sat", time(8, 0))
    assert "(template callback_offer)" in offer.text
    assert "Saturday" in offer.text and "09:30" in offer.text
    [question] = of(result, "offer")
    assert "call you back" in question.text
    [yes] = of(result, "reply")
    assert yes.at - offer.at == pytest.approx(timedelta(hours=1), abs=timedelta(minutes=1))
    [call] = of(result, "call")
    assert local(call) == ("sat", time(9, 30))
    assert "I'd like to move my appointment" in call.text
    assert result.outcome.trail == [
        "hold",
        "offer",
        "answer",
        "wait_for_slot",
        "call_back",
        "done",
    ]


async def test_after_hours_without_yes_hands_over_to_a_human(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "wed", time(19, 0))
    result = await run(env, "after-hours-callback", start)

    [offer] = of(result, "whatsapp")
    [handoff] = of(result, "handoff")
    assert handoff.at - offer.at == pytest.approx(timedelta(hours=12), abs=timedelta(minutes=1))
    assert "callbacks" in handoff.text
    assert of(result, "call") == []


async def test_photo_call_calls_after_yes(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "photo-call", start, "yes@1h")

    [offer] = of(result, "whatsapp")
    assert "(template" not in offer.text  # the customer just wrote: free text is allowed
    [yes] = of(result, "reply")
    [call] = of(result, "call")
    assert call.at >= yes.at
    assert call.at - yes.at < timedelta(minutes=1)
    assert result.outcome.trail == ["offer", "answer", "call", "done"]


async def test_photo_call_without_yes_places_no_call(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "photo-call", start)

    assert of(result, "call") == []
    [outcome] = of(result, "outcome")
    assert outcome.at - start == pytest.approx(timedelta(hours=24), abs=timedelta(minutes=1))
    assert result.outcome.trail == ["offer", "answer", "done"]


async def test_call_confirmation_sends_the_template_at_once_even_at_night(
    env: WorkflowEnvironment,
) -> None:
    start = await next_local(env, "fri", time(23, 0))  # the journey has no quiet hours
    result = await run(env, "call-confirmation", start)

    [message] = of(result, "whatsapp")
    assert message.at - start < timedelta(minutes=1)
    assert "Your booking for Felix is confirmed" in message.text
    assert "(template booking_confirmation)" in message.text


async def test_a_no_show_dry_run_names_the_appointment_just_missed(
    env: WorkflowEnvironment,
) -> None:
    """Not one days ahead, which no customer could have missed yet."""
    start = await next_local(env, "tue", time(11, 0))
    result = await run(env, "no-show-followup", start)

    [message] = of(result, "whatsapp")
    day = start.strftime("%A %-d %B")
    assert f"We missed Felix on {day} at 10:00." in message.text, message.text
    [handoff] = of(result, "handoff")
    assert f"Missed {day} at 10:00" in handoff.text


async def test_call_confirmation_without_opt_in_is_skipped(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, "call-confirmation", start, opted_in=False)

    assert of(result, "whatsapp") == []
    assert any("no WhatsApp opt-in" in e.text for e in of(result, "note"))


async def test_a_text_the_data_cannot_fill_skips_the_step_and_says_why(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    # An audience's data is whatever its CSV has, so a column can be missing only at run time
    # (a field an event never carries is refused at load: tests/journeys/test_events.py).
    path = tmp_path / "broken.yaml"
    path.write_text(
        "name: broken\n"
        "trigger: {event: audience}\n"
        "start: hello\n"
        "steps:\n"
        "  hello: {kind: send_whatsapp, text: 'Hi {{ trigger.nickname }}'}\n"
    )
    start = await next_local(env, "tue", time(10, 0))
    result = await run(env, load_file(path), start)

    assert result.outcome.status == "completed", "one customer's data does not fail the run"
    notes = [e.text for e in result.entries if e.kind == "note"]
    assert any("skipped" in n and "cannot render 'text'" in n and "nickname" in n for n in notes)
    assert not [e for e in result.entries if e.kind == "whatsapp"], "nothing half-filled sent"


async def test_a_run_still_going_at_the_horizon_is_reported_stuck(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    path = tmp_path / "long-wait.yaml"
    path.write_text(
        "name: long-wait\n"
        "trigger: {event: customer_replied}\n"
        "start: later\n"
        "steps:\n"
        "  later: {kind: wait, duration: 30d}\n"
    )
    start = await next_local(env, "tue", time(10, 0))
    options = DryRunOptions(start=start, horizon=timedelta(days=2))
    result = await dry_run(load_file(path), options, env=env)

    assert result.outcome.status == "stuck"
    [outcome] = of(result, "outcome")
    assert outcome.at - start >= timedelta(days=2)
    assert outcome.text == "journey stuck: still running 2d after the start"


async def test_render_prints_one_line_per_entry(env: WorkflowEnvironment) -> None:
    start = await next_local(env, "sat", time(10, 0))
    text = render(await run(env, "outreach", start))

    lines = text.splitlines()
    assert lines[0].startswith("Dry run of outreach (version ")
    assert lines[1] == f"{start:%a %d %b} 10:00  start"
    assert lines[2].startswith(f'{start:%a %d %b} 10:00  WhatsApp → "Hi Alex')
    assert lines[-1].endswith(
        "journey completed: steps opted_in → message → wait_reply → call → done"
    )


async def test_a_start_in_the_past_is_refused(env: WorkflowEnvironment) -> None:
    past = (await env.get_current_time()) - timedelta(days=1)
    with pytest.raises(DryRunError, match="in the past"):
        await run(env, "outreach", past)


@pytest.mark.parametrize(
    ("text", "error"),
    [("yes", "EVENT@DURATION"), ("maybe@2h", "unknown reply event"), ("yes@soon", "duration")],
)
def test_bad_scripted_replies_are_refused(text: str, error: str) -> None:
    with pytest.raises(DryRunError, match=error):
        ScriptedReply.parse(text)


def test_scripted_reply_parses_event_and_delay() -> None:
    reply = ScriptedReply.parse("draft_confirmed@1h30m")
    assert (reply.event, reply.after) == ("draft_confirmed", timedelta(minutes=90))
    assert str(reply) == "draft_confirmed@1h30m"


async def test_an_audience_column_given_to_the_dry_run_dates_the_wait(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    # Without a way to give the CSV's columns, a journey that waits for one could only be
    # dry-run to "no wait: the event has no trigger.due_at".
    path = tmp_path / "dated.yaml"
    path.write_text(
        "name: dated\n"
        "trigger: {event: audience}\n"
        "start: wait\n"
        "steps:\n"
        "  wait: {kind: wait, until: {date: trigger.due_at - 2d at 10:00}, next: hello}\n"
        "  hello:\n"
        "    kind: send_whatsapp\n"
        "    text: '{{ trigger.pet_name }} is due'\n"
        "    template:\n"
        "      name: checkup_reminder\n"
        "      variables: {'1': Ana, '2': '{{ trigger.pet_name }}'}\n"
    )
    start = await next_local(env, "tue", time(9, 0))
    due = (start + timedelta(days=10)).date()
    options = DryRunOptions(start=start, trigger_data={"due_at": due.isoformat()})
    result = await dry_run(load_file(path), options, env=env)

    [sent] = of(result, "whatsapp")
    assert sent.at.astimezone(PARIS).date() == due - timedelta(days=2)
    assert local(sent)[1] == time(10, 0)
    assert "Hi Ana, Felix is due" in sent.text, "the made-up columns are kept"
