"""Every journey in ``journeys/`` end to end, in Temporal's time-skipping test server.

What runs is what ships: the journey files, ``CustomerWorkflow`` starting them through
``journey.match`` and forwarding the customer's answers, the generic ``JourneyWorkflow``, and the
real activities against Postgres and the fake Twilio; the customer is played through
the API (signed voice webhooks, the consent route) and the API's own hand-over functions for
WhatsApp (``tests/journeys/timeskip.py`` says why). Waits of hours and days are skipped, never
slept. Assertions are on what a customer or an operator would notice: the fake Twilio's messages and
calls, the consent ledger, held slots, handoffs, and the journey's outcome and history.

Local times: each test first moves the server's clock to a fixed local instant (the next Friday
19:00 in Paris, say), so that it always exercises the same path (a weekend in between, quiet
hours) whatever day it runs, and checks *when* the journey acted from its history against a
wall-clock expectation ("Monday 09:00 Paris").
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from operations.launch import AudienceMember, launch
from switchboard.business import load_profile
from switchboard.business_calendar import BusinessHours
from switchboard.db import journey_pauses
from switchboard.db.consent import current_consent
from switchboard.db.engine import Database
from switchboard.db.models import Booking, CallContext, Handoff, SlotHold
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.journeys.loader import JourneyFileError, load_file
from switchboard.message_templates import load_templates
from switchboard.settings import Settings
from switchboard.slots import format_slot
from switchboard.temporal import JOURNEY_VERSION
from tests.journeys.timeskip import (
    JourneyHandle,
    JourneyStack,
    journey_stack,
    time_skipping_server,
)
from tests.polling import eventually
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow

CUSTOMER = "+33612345678"
BOOK_FELIX = "Can I book an appointment for Felix on Tuesday at 10am?"
PARIS = ZoneInfo("Europe/Paris")
TUESDAY, FRIDAY = 1, 4  # date.weekday()
# How long after its due time an action may be scheduled: activities before it (gate, render)
# run in real time while the clock is held, a few hundred milliseconds.
SLACK = timedelta(seconds=30)
TEMPLATES = load_templates()


@pytest.fixture
async def server() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_server() as env:
        yield env


@pytest.fixture
async def stack(
    server: WorkflowEnvironment, db: Database, settings: Settings
) -> AsyncIterator[JourneyStack]:
    # The shipped journeys as written: these tests are about their quiet and business hours,
    # on the time-skipping clock (the harness elsewhere runs them round the clock).
    shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
    async with journey_stack(server, db, shipped) as s:
        yield s


def next_local(after: datetime, weekday: int, at: time) -> datetime:
    """The first instant after ``after`` that is ``weekday`` (0 is Monday) at ``at`` in Paris,
    in a stretch of days with no public holiday in the business profile (the journeys keep to
    its opening days, so a holiday would move what the tests expect)."""
    day = after.astimezone(PARIS).date()
    profile = load_profile()
    for offset in range(60):
        candidate = datetime.combine(day + timedelta(days=offset), at, tzinfo=PARIS)
        quiet_week = all(
            profile.holiday(candidate.date() + timedelta(days=d)) is None for d in range(-1, 6)
        )
        if candidate.weekday() == weekday and candidate > after and quiet_week:
            return candidate.astimezone(UTC)
    raise AssertionError("no week without a holiday within 60 days")


def paris(instant: datetime, days: int, at: time) -> datetime:
    """``at`` in Paris, ``days`` local days after ``instant``'s local date, in UTC."""
    day = instant.astimezone(PARIS).date() + timedelta(days=days)
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(UTC)


def due(actual: list[datetime], *expected: datetime) -> bool:
    """Each action happened at its expected instant (within ``SLACK``)."""
    return len(actual) == len(expected) and all(
        e <= a < e + SLACK for a, e in zip(actual, expected, strict=True)
    )


async def the_booking(stack: JourneyStack) -> Booking:
    async with stack.db.session() as s:
        return (await s.exec(select(Booking))).one()


async def call_context(stack: JourneyStack, call_sid: str) -> CallContext:
    """The context of a placed call. The activity stores Twilio's CallSid on it just after
    Twilio answered, so a test that saw the call at the fake Twilio waits for that write."""

    async def by_sid() -> CallContext | None:
        async with stack.db.session() as s:
            rows = await s.exec(select(CallContext).where(CallContext.call_sid == call_sid))
            return rows.one_or_none()

    found = await eventually(by_sid, lambda row: row is not None)
    assert found is not None
    return found


# -- draft-followup -------------------------------------------------------------------------------


async def test_unconfirmed_draft_gets_a_call_the_next_business_morning(stack: JourneyStack) -> None:
    """A draft made Friday 19:00 is still a draft 24 h later, on Saturday evening: the call
    waits for the clinic to open (the business profile: closed on Saturday afternoons and
    Sundays), Monday 08:30, and the customer confirms on it."""
    friday_evening = next_local(await stack.now(), FRIDAY, time(19, 0))
    await stack.skip_to(friday_evening)
    proposal = await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    assert "YES" in proposal.reply
    draft = await the_booking(stack)
    assert draft.status == "draft"
    run = await stack.started(stack.journey("draft-followup", CUSTOMER, draft.id))

    await stack.skip(timedelta(hours=24, minutes=5))
    assert await stack.step(run) == "call", "Saturday evening: waiting for business hours"
    assert await stack.calls(CUSTOMER) == []

    monday_830 = paris(friday_evening, 3, time(8, 30))
    await stack.skip_to(monday_830 + timedelta(minutes=1))
    [call] = await stack.wait_calls(CUSTOMER, 1)
    assert due(await stack.scheduled_at(run, "voice.place_call"), monday_830)
    context = await call_context(stack, str(call["sid"]))
    assert context.pending_booking_id == draft.id

    opening = await stack.answer(call)
    assert "Felix" in opening.says[0] and "Tuesday" in opening.says[0], opening
    assert opening.record_action
    done = await stack.caller_says(
        CUSTOMER, str(call["sid"]), "yes", action=opening.record_action, outbound=True
    )
    assert done.play_urls or done.says
    assert (await the_booking(stack)).status == "confirmed"
    await stack.hang_up(CUSTOMER, str(call["sid"]))

    outcome = await stack.outcome(run)
    assert (outcome.status, outcome.reason) == ("exited", "booked (booking_confirmed)")
    assert outcome.trail == ["wait_a_day", "still_a_draft", "call"]
    assert len(await stack.calls(CUSTOMER)) == 1


async def test_unanswered_draft_calls_end_with_a_whatsapp_nudge(stack: JourneyStack) -> None:
    """No answer Monday 08:30 (the clinic's opening), nor two hours later: a WhatsApp template
    asks for a time."""
    await stack.consent(CUSTOMER)
    friday_evening = next_local(await stack.now(), FRIDAY, time(19, 0))
    await stack.skip_to(friday_evening)
    await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    draft = await the_booking(stack)
    run = await stack.started(stack.journey("draft-followup", CUSTOMER, draft.id))

    monday_830 = paris(friday_evening, 3, time(8, 30))
    await stack.skip_to(monday_830 + timedelta(minutes=1))
    [call] = await stack.wait_calls(CUSTOMER, 1)
    await stack.hang_up(CUSTOMER, str(call["sid"]), "no-answer")
    await stack.skip(timedelta(hours=2, minutes=1))
    [_, retry] = await stack.wait_calls(CUSTOMER, 2)
    await stack.hang_up(CUSTOMER, str(retry["sid"]), "busy")

    outcome = await stack.outcome(run)
    assert outcome.trail == ["wait_a_day", "still_a_draft", "call", "nudge", "done"]
    nudge = (await stack.messages(CUSTOMER))[-1]
    assert nudge["content_sid"] == TEMPLATES["draft_followup"].content_sid
    assert "Felix" in str(nudge["body"]) and "Tuesday" in str(nudge["body"])
    assert (await the_booking(stack)).status == "draft"


async def test_confirming_the_draft_meanwhile_cancels_the_call(stack: JourneyStack) -> None:
    await stack.whatsapp(CUSTOMER, BOOK_FELIX)
    draft = await the_booking(stack)
    run = await stack.started(stack.journey("draft-followup", CUSTOMER, draft.id))

    await stack.skip(timedelta(minutes=10))
    await stack.whatsapp(CUSTOMER, "yes")
    assert (await the_booking(stack)).status == "confirmed"

    outcome = await stack.outcome(run)
    assert (outcome.status, outcome.reason) == ("exited", "booked (booking_confirmed)")
    assert outcome.trail == ["wait_a_day"]
    await stack.skip(timedelta(days=4))
    # The confirmed booking has its own reminder journey (which may call); none of the calls is
    # the draft follow-up's (a call's context key names the journey run that placed it).
    calls = await stack.calls(CUSTOMER)
    assert not [c for c in calls if quote(run.id, safe="") in str(c["url"])]
    assert all("appointment-reminder" in str(c["url"]) for c in calls)


# -- after-hours-callback -----------------------------------------------------------------------

VOICEMAIL = "Hi, it's about my dog's vaccination, please call me back"


def always_closed(settings: Settings) -> Settings:
    """Settings whose office is closed today whatever the real clock says (the API decides
    "after hours" on the real clock): yesterday, today and tomorrow are holidays."""
    today = datetime.now(PARIS).date()
    closed = BusinessHours(holidays=tuple(today + timedelta(days=d) for d in (-1, 0, 1)))
    return settings.model_copy(
        update={
            "business_hours": closed,
            "business_timezone": "Europe/Paris",
            "journeys_dir": JOURNEYS_DIR,  # the shipped journeys, with their own hours
        }
    )


async def leave_voicemail(stack: JourneyStack, at: datetime) -> JourneyHandle:
    """An after-hours call at ``at`` that leaves ``VOICEMAIL``; returns the callback run."""
    await stack.skip_to(at)
    call_sid, greeting = await stack.incoming_call(CUSTOMER)
    assert "closed" in greeting.says[0] and greeting.record_action, greeting
    thanks = await stack.caller_says(CUSTOMER, call_sid, VOICEMAIL, action=greeting.record_action)
    assert thanks.hangup
    await stack.hang_up(CUSTOMER, call_sid, outbound=False)
    return await stack.started(stack.journey("after-hours-callback", CUSTOMER, call_sid))


async def test_after_hours_caller_is_called_back_at_the_held_slot(
    server: WorkflowEnvironment, db: Database, settings: Settings
) -> None:
    """Friday 20:00: a voicemail → a slot held for the next business day at 09:30 (Saturday: the
    business profile opens on Saturday mornings),
    offered on WhatsApp; "yes" → the call at the slot, opening with the voicemail; no answer →
    one retry 30 minutes later → a WhatsApp note."""
    async with journey_stack(server, db, always_closed(settings)) as stack:
        await stack.consent(CUSTOMER)
        friday_evening = next_local(await stack.now(), FRIDAY, time(20, 0))
        run = await leave_voicemail(stack, friday_evening)
        await stack.at_step(run, "answer")

        saturday_930 = paris(friday_evening, 1, time(9, 30))
        async with stack.db.session() as s:
            hold = (await s.exec(select(SlotHold))).one()
        assert (hold.customer_e164, hold.slot_start, hold.status) == (
            CUSTOMER,
            saturday_930,
            "held",
        )
        [offer] = await stack.messages(CUSTOMER)
        slot_words = format_slot(saturday_930, "Europe/Paris")
        assert offer["content_sid"] == TEMPLATES["callback_offer"].content_sid, (
            "never wrote: template"
        )
        assert slot_words in str(offer["body"])
        pending = await stack.customer(CUSTOMER).query(CustomerWorkflow.pending_action)
        assert pending is not None and pending.kind == "offer" and pending.journey_id == run.id

        agreed = await stack.whatsapp(CUSTOMER, "yes")
        assert "call you back" in agreed.reply and slot_words in agreed.reply
        await stack.at_step(run, "wait_for_slot")

        await stack.skip_to(saturday_930 + timedelta(minutes=1))
        [call] = await stack.wait_calls(CUSTOMER, 1)
        context = await call_context(stack, str(call["sid"]))
        assert VOICEMAIL in context.opening and VOICEMAIL in context.goal
        await stack.hang_up(CUSTOMER, str(call["sid"]), "no-answer")  # at 09:31

        await stack.skip(timedelta(minutes=31))
        [_, retry] = await stack.wait_calls(CUSTOMER, 2)
        await stack.hang_up(CUSTOMER, str(retry["sid"]), "no-answer")

        outcome = await stack.outcome(run)
        assert outcome.status == "completed"
        assert outcome.trail == [
            *("hold", "offer", "answer", "wait_for_slot", "call_back", "note", "done")
        ]
        retry_due = saturday_930 + timedelta(minutes=1 + 30)  # 30 minutes after the no-answer
        assert due(await stack.scheduled_at(run, "voice.place_call"), saturday_930, retry_due)
        note = (await stack.messages(CUSTOMER))[-1]
        # The "yes" on Friday evening opened WhatsApp's 24-hour window, still open on Saturday
        # morning: the note goes as a session message, not the template.
        assert note["content_sid"] is None, "the yes was less than 24 hours before"
        assert "couldn't reach you" in str(note["body"])


async def test_after_hours_caller_who_declines_goes_to_a_person(
    server: WorkflowEnvironment, db: Database, settings: Settings
) -> None:
    """A "no" closes the offer at once: a person arranges the callback, nobody is called."""
    async with journey_stack(server, db, always_closed(settings)) as stack:
        await stack.consent(CUSTOMER)
        run = await leave_voicemail(stack, next_local(await stack.now(), TUESDAY, time(20, 0)))
        await stack.at_step(run, "answer")

        declined = await stack.whatsapp(CUSTOMER, "no")
        outcome = await stack.outcome(run)

        assert declined.reply and outcome.trail == ["hold", "offer", "answer", "human", "done"]
        [handed] = await stack.scheduled_at(run, "journey.handoff")
        assert handed - (await stack.scheduled_at(run, "whatsapp.send"))[0] < SLACK, "not 12 h"
        async with stack.db.session() as s:
            handoff = (await s.exec(select(Handoff))).one()
        assert handoff.queue == "callbacks" and VOICEMAIL in handoff.note
        assert "no" in handoff.summary, "the person sees the conversation"
        # In the business's zone, as the console's pages: "Tue 01 Dec 20:00 CET whatsapp …".
        assert re.search(r" CES?T whatsapp customer: no$", handoff.summary, re.M), handoff.summary
        assert await stack.calls(CUSTOMER) == []


# -- outreach -------------------------------------------------------------------------------------

OUTREACH = load_file(JOURNEYS_DIR / "outreach.yaml")
AUDIENCE = [AudienceMember(CUSTOMER, {"first_name": "Ana", "pet_name": "Felix"})]


async def launch_outreach(stack: JourneyStack, campaign: str) -> JourneyHandle:
    report = await launch(
        stack.client, OUTREACH, AUDIENCE, campaign_id=campaign, task_queue=stack.task_queue
    )
    assert report.enrolled == 1
    return await stack.started(stack.journey("outreach", CUSTOMER, campaign))


async def test_outreach_sends_the_template_then_calls_after_48_hours_without_reply(
    stack: JourneyStack,
) -> None:
    await stack.consent(CUSTOMER, purpose="marketing")
    tuesday = next_local(await stack.now(), TUESDAY, time(10, 0))
    await stack.skip_to(tuesday)
    run = await launch_outreach(stack, "spring")

    [reminder] = await stack.wait_messages(CUSTOMER, 1)
    assert reminder["content_sid"] == TEMPLATES["checkup_reminder"].content_sid
    assert str(reminder["body"]).startswith("Hi Ana, Felix is due a check-up")
    await stack.at_step(run, "wait_reply")
    await stack.skip(timedelta(hours=47))
    assert await stack.calls(CUSTOMER) == [], "47 hours: still waiting for a reply"

    await stack.skip(timedelta(hours=1, minutes=1))
    [call] = await stack.wait_calls(CUSTOMER, 1)
    assert "Felix" in (await call_context(stack, str(call["sid"]))).opening
    await stack.hang_up(CUSTOMER, str(call["sid"]))

    outcome = await stack.outcome(run)
    assert outcome.trail == ["opted_in", "message", "wait_reply", "call", "done"]
    [sent] = await stack.scheduled_at(run, "whatsapp.send")
    assert due([sent], tuesday)
    assert due(await stack.scheduled_at(run, "voice.place_call"), sent + timedelta(hours=48))


async def test_outreach_without_opt_in_calls_instead(stack: JourneyStack) -> None:
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    run = await launch_outreach(stack, "spring")  # a number never seen before

    [call] = await stack.wait_calls(CUSTOMER, 1)
    await stack.hang_up(CUSTOMER, str(call["sid"]))

    outcome = await stack.outcome(run)
    assert outcome.trail == ["opted_in", "call", "done"]
    assert await stack.messages(CUSTOMER) == []


async def test_stop_ends_the_outreach_and_later_launches_send_nothing(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER, purpose="marketing")
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    run = await launch_outreach(stack, "spring")
    await stack.wait_messages(CUSTOMER, 1)

    stopped = await stack.whatsapp(CUSTOMER, "STOP")

    assert "unsubscribed" in stopped.reply
    outcome = await stack.outcome(run)
    assert (outcome.status, outcome.reason) == ("exited", "stop (stop)")
    async with stack.db.session() as s:
        for purpose in ("service", "marketing"):
            consent = await current_consent(
                s, customer_e164=CUSTOMER, channel="whatsapp", purpose=purpose
            )
            assert consent is not None and consent.status == "opted_out", purpose
    await stack.skip(timedelta(days=3))
    assert await stack.calls(CUSTOMER) == [], "no call after the 48 hours either"

    sent_before = len(await stack.messages(CUSTOMER))
    later = await launch_outreach(stack, "summer")
    outcome = await stack.outcome(later)
    assert outcome.trail == ["opted_in", "done"]
    assert len(await stack.messages(CUSTOMER)) == sent_before
    assert await stack.calls(CUSTOMER) == []


async def test_outreach_respects_the_frequency_cap(stack: JourneyStack) -> None:
    """Two journey sends in 7 days at most: a template and a call from one campaign use it."""
    await stack.consent(CUSTOMER, purpose="marketing")
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    first = await launch_outreach(stack, "spring")
    await stack.wait_messages(CUSTOMER, 1)
    await stack.at_step(first, "wait_reply")
    await stack.skip(timedelta(hours=48, minutes=1))
    [call] = await stack.wait_calls(CUSTOMER, 1)
    await stack.hang_up(CUSTOMER, str(call["sid"]))
    assert (await stack.outcome(first)).trail[-1] == "done"

    second = await launch_outreach(stack, "summer")
    outcome = await stack.outcome(second)

    assert outcome.trail == ["opted_in", "message", "done"]
    assert len(await stack.messages(CUSTOMER)) == 1
    assert len(await stack.calls(CUSTOMER)) == 1
    assert any("frequency cap" in m.text for m in await stack.log(CUSTOMER))


# -- photo-call -----------------------------------------------------------------------------------


async def test_photo_offer_yes_then_a_call_about_that_photo(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER)
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    photo = await stack.photo(CUSTOMER)
    run = await stack.started(stack.journey("photo-call", CUSTOMER, photo.sid))
    await stack.at_step(run, "answer")
    offer = (await stack.messages(CUSTOMER))[-1]
    assert "call you to go through the photo" in str(offer["body"]) and offer["content_sid"] is None

    agreed = await stack.whatsapp(CUSTOMER, "yes")

    assert "call you shortly about your photo" in agreed.reply
    [call] = await stack.wait_calls(CUSTOMER, 1)
    context = await call_context(stack, str(call["sid"]))
    assert f"{photo.sid}/0" in context.goal, "the call is about that photo (its media ID)"
    opening = await stack.answer(call)
    assert "photo you sent" in opening.says[0]
    await stack.hang_up(CUSTOMER, str(call["sid"]))
    outcome = await stack.outcome(run)
    assert outcome.trail == ["offer", "answer", "call", "done"]


async def test_a_call_twilio_never_takes_ends_the_journey_cleanly(stack: JourneyStack) -> None:
    """Twilio answers 500 to every attempt: once the retries are spent, the step counts as a
    call that did not connect, says so in the log, and the run completes."""
    await stack.consent(CUSTOMER)
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    photo = await stack.photo(CUSTOMER)
    run = await stack.started(stack.journey("photo-call", CUSTOMER, photo.sid))
    await stack.at_step(run, "answer")
    await stack.fake_twilio_faults({"calls_create": {"error_500": 1.0}})

    await stack.whatsapp(CUSTOMER, "yes")
    outcome = await stack.outcome(run)

    assert (outcome.status, outcome.trail) == ("completed", ["offer", "answer", "call", "done"])
    assert await stack.calls(CUSTOMER) == []
    assert any("call failed" in m.text for m in await stack.log(CUSTOMER))


# -- a paused journey holds the runs that start meanwhile -----------------------------------------


async def paused_photo_run(stack: JourneyStack) -> JourneyHandle:
    """Pause photo-call as ``operations.manage.pause`` records it (no run of it is running to
    signal; the time-skipping server cannot list runs), then a photo: the run it starts,
    once it has read the profile (its first local activity's marker) and stopped."""
    async with stack.db.session() as s:
        await journey_pauses.pause(s, journey="photo-call", by="Mia Marketer")
    await stack.consent(CUSTOMER)
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    photo = await stack.photo(CUSTOMER)
    run = await stack.started(stack.journey("photo-call", CUSTOMER, photo.sid))
    await eventually(
        lambda: stack.history(run, EventType.EVENT_TYPE_MARKER_RECORDED), lambda m: len(m) >= 1
    )
    await stack.skip(timedelta(hours=1))
    return run


def offers(messages: list[dict[str, object]]) -> list[dict[str, object]]:
    return [m for m in messages if "call you to go through the photo" in str(m["body"])]


async def test_a_run_that_starts_while_its_journey_is_paused_sends_only_once_resumed(
    stack: JourneyStack,
) -> None:
    run = await paused_photo_run(stack)

    assert offers(await stack.messages(CUSTOMER)) == [], "paused: the offer waits"
    assert await stack.scheduled_at(run, "whatsapp.send") == []
    assert (await run.describe()).status == WorkflowExecutionStatus.RUNNING

    # Resume, as ``operations.manage.resume`` does: the state forgotten, the running runs
    # (this one, started paused) signalled.
    async with stack.db.session() as s:
        assert await journey_pauses.resume(s, journey="photo-call")
    await run.signal(JourneyWorkflow.resume)

    sent = await eventually(lambda: stack.messages(CUSTOMER), lambda m: len(offers(m)) == 1)
    [offer] = offers(sent)
    assert offer["content_sid"] is None
    await stack.at_step(run, "answer")


async def test_a_run_started_paused_still_ends_on_stop(stack: JourneyStack) -> None:
    run = await paused_photo_run(stack)

    await stack.whatsapp(CUSTOMER, "STOP")
    outcome = await stack.outcome(run)

    assert (outcome.status, outcome.trail) == ("exited", []), outcome
    assert offers(await stack.messages(CUSTOMER)) == []


# -- quiet hours across a DST change --------------------------------------------------------------


def next_spring_forward(after: datetime) -> date:
    """The next local date on which Paris moves its clocks forward (last Sunday of March)."""
    day = after.astimezone(PARIS).date() + timedelta(days=1)
    while True:
        noon = datetime.combine(day, time(12), tzinfo=PARIS)
        if noon.utcoffset() == timedelta(hours=2) and (noon - timedelta(days=1)).utcoffset() == (
            timedelta(hours=1)
        ):
            return day
        day += timedelta(days=1)


async def test_quiet_hours_push_a_send_to_the_morning_across_a_dst_change(
    stack: JourneyStack,
) -> None:
    """Launched Saturday 23:00 the night clocks go forward: the message waits until 08:00 on
    Sunday, which is 06:00 UTC (CEST), after a night of 8 hours rather than 9."""
    sunday = next_spring_forward(await stack.now())
    saturday_11pm = datetime.combine(sunday - timedelta(days=1), time(23), tzinfo=PARIS)
    sunday_8am = datetime.combine(sunday, time(8), tzinfo=PARIS)
    assert sunday_8am.astimezone(UTC) - saturday_11pm.astimezone(UTC) == timedelta(hours=8)
    await stack.consent(CUSTOMER, purpose="marketing")
    await stack.skip_to(saturday_11pm.astimezone(UTC))
    run = await launch_outreach(stack, "spring")
    await stack.at_step(run, "message")
    await stack.skip(timedelta(hours=7, minutes=59))
    assert await stack.messages(CUSTOMER) == [], "07:59 CEST: still quiet"

    await stack.skip(timedelta(minutes=2))
    await stack.wait_messages(CUSTOMER, 1)

    [sent] = await stack.scheduled_at(run, "whatsapp.send")
    assert due([sent], datetime.combine(sunday, time(6), tzinfo=UTC))
    assert sent.astimezone(PARIS).hour == 8


# -- one run per journey × customer × trigger key -------------------------------------------------


async def test_a_duplicate_trigger_produces_one_run(stack: JourneyStack) -> None:
    await stack.consent(CUSTOMER, purpose="marketing")
    await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
    run = await launch_outreach(stack, "spring")
    await launch_outreach(stack, "spring")  # the marketer clicks twice
    await stack.wait_messages(CUSTOMER, 1)
    await stack.whatsapp(CUSTOMER, "Hello")  # a reply: the conversation takes over
    outcome = await stack.outcome(run)
    assert outcome.status == "exited"
    first_run = (await run.describe()).run_id

    await launch_outreach(stack, "spring")  # again, once the run completed
    assert (await run.describe()).run_id == first_run

    # The launch starts the run itself (the customer workflow is only told): the journey's
    # workflow ID is the guard, whatever the customer workflow remembers, and a customer
    # workflow without that memory is not made to follow the ended run.
    await stack.customer(CUSTOMER).terminate("memory lost")
    await launch_outreach(stack, "spring")
    await eventually(
        lambda: stack.customer(CUSTOMER).query(CustomerWorkflow.running_journeys),
        lambda running: not any(j.startswith("journey/outreach/") for j in running),
    )

    assert (await run.describe()).run_id == first_run
    # One outreach template (other journeys of earlier tests' bookings may send theirs).
    outreach_sid = TEMPLATES["checkup_reminder"].content_sid
    sent = [m for m in await stack.messages(CUSTOMER) if m["content_sid"] == outreach_sid]
    assert len(sent) == 1


# -- call-confirmation ----------------------------------------------------------------------------


@pytest.mark.parametrize("opted_in", [True, False], ids=["opt-in", "no-opt-in"])
async def test_booked_call_is_confirmed_on_whatsapp_only_with_opt_in(
    stack: JourneyStack, opted_in: bool
) -> None:
    if opted_in:
        await stack.consent(CUSTOMER)
    call_sid, greeting = await stack.incoming_call(CUSTOMER)
    assert greeting.record_action
    proposal = await stack.caller_says(
        CUSTOMER,
        call_sid,
        "I'd like to book my cat for Tuesday at 10 am",
        action=greeting.record_action,
    )
    assert proposal.record_action
    await stack.caller_says(CUSTOMER, call_sid, "yes", action=proposal.record_action)
    await stack.hang_up(CUSTOMER, call_sid, outbound=False)

    run = await stack.started(stack.journey("call-confirmation", CUSTOMER, call_sid))
    outcome = await stack.outcome(run)

    assert outcome.trail == ["confirm", "done"]
    messages = await stack.messages(CUSTOMER)
    if opted_in:
        [confirmation] = messages
        assert confirmation["content_sid"] == TEMPLATES["booking_confirmation"].content_sid
        assert "Tuesday" in str(confirmation["body"]) and "10:00" in str(confirmation["body"])
    else:
        assert messages == []
        assert any("skipped" in m.text and "opt-in" in m.text for m in await stack.log(CUSTOMER))


# -- definitions ----------------------------------------------------------------------------------


async def test_an_edited_definition_leaves_runs_in_flight_alone(
    server: WorkflowEnvironment, db: Database, settings: Settings, tmp_path: Path
) -> None:
    journeys = tmp_path / "journeys"
    shutil.copytree(JOURNEYS_DIR, journeys)
    path = journeys / "photo-call.yaml"
    old = load_file(path)
    async with journey_stack(
        server, db, settings.model_copy(update={"journeys_dir": journeys})
    ) as stack:
        await stack.consent(CUSTOMER)
        await stack.skip_to(next_local(await stack.now(), TUESDAY, time(10, 0)))
        first = await stack.photo(CUSTOMER)
        run = await stack.started(stack.journey("photo-call", CUSTOMER, first.sid))
        await stack.at_step(run, "answer")

        # The marketer rewords the journey while the first customer is in it.
        path.write_text(
            path.read_text()
            .replace("Would you like us to call you", "Shall we call you")
            .replace("calling about the photo you sent us", "calling about your photo")
        )
        new = load_file(path)
        assert new.version != old.version

        await stack.whatsapp(CUSTOMER, "yes")
        [call] = await stack.wait_calls(CUSTOMER, 1)
        opening = await stack.answer(call)
        assert "calling about the photo you sent us" in opening.says[0], "pinned at entry"
        await stack.hang_up(CUSTOMER, str(call["sid"]))
        assert (await stack.outcome(run)).trail == ["offer", "answer", "call", "done"]
        assert (await run.describe()).typed_search_attributes.get(JOURNEY_VERSION) == old.version

        second = await stack.photo(CUSTOMER)  # a new run takes the file as it is now
        later = await stack.started(stack.journey("photo-call", CUSTOMER, second.sid))
        await stack.at_step(later, "answer")
        assert "Shall we call you" in str((await stack.messages(CUSTOMER))[-1]["body"])
        assert (await later.describe()).typed_search_attributes.get(JOURNEY_VERSION) == new.version


def test_an_invalid_definition_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "photo-call.yaml"
    text = (JOURNEYS_DIR / "photo-call.yaml").read_text()
    path.write_text(text.replace("on_timeout: done", "on_timeout: finish"))
    # The line that names the missing step, within the step that leads nowhere.
    line = 1 + text[: text.index("on_timeout: done")].count("\n")

    with pytest.raises(JourneyFileError) as raised:
        load_file(path)

    [problem] = raised.value.problems
    assert problem.line == line and "'finish'" in problem.message, problem
