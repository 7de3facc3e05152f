"""A campaign launched on an audience, as its members live it: each opted-in member gets the
campaign's message exactly once (launched in slices, launched twice), a member who opts out
after the launch but before their message gets none (consent is read at send time), and nobody
is messaged during quiet hours. ``journeys/outreach.yaml`` as shipped, in Temporal's
time-skipping test server with the real worker, activities, Postgres and the fake Twilio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from operations.launch import AudienceMember, launch, parse_audience
from switchboard.db.engine import Database
from switchboard.journeys.loader import DEFAULT_DIR as JOURNEYS_DIR
from switchboard.journeys.loader import load_file
from switchboard.message_templates import load_templates
from switchboard.settings import Settings
from tests.journeys.timeskip import JourneyStack, journey_stack, time_skipping_server
from tests.polling import eventually

OUTREACH = load_file(JOURNEYS_DIR / "outreach.yaml")
CHECKUP = load_templates()["checkup_reminder"].content_sid
PARIS = ZoneInfo("Europe/Paris")
TUESDAY = 1
# Activities before a send (gate, render) run in real time while the clock stands still.
SLACK = timedelta(seconds=30)


@pytest.fixture
async def stack(db: Database, settings: Settings) -> AsyncIterator[JourneyStack]:
    shipped = settings.model_copy(update={"journeys_dir": JOURNEYS_DIR})
    async with time_skipping_server() as env, journey_stack(env, db, shipped) as s:
        yield s


def tuesday_at(after: datetime, at: time) -> datetime:
    """The first Tuesday ``at`` (Paris) after ``after``, in UTC."""
    day = after.astimezone(PARIS).date()
    for offset in range(8):
        candidate = datetime.combine(day + timedelta(days=offset), at, tzinfo=PARIS)
        if candidate.weekday() == TUESDAY and candidate > after:
            return candidate.astimezone(UTC)
    raise AssertionError("unreachable: a weekday recurs within 8 days")


async def all_sent(stack: JourneyStack, numbers: list[str]) -> dict[str, int]:
    """Messages the fake Twilio accepted per member."""
    return {e164: len(await stack.messages(e164)) for e164 in numbers}


async def test_each_member_gets_the_message_once_even_launched_twice(
    stack: JourneyStack,
) -> None:
    numbers = [f"+3361234{i:04d}" for i in range(7)]
    for e164 in numbers:
        await stack.consent(e164, purpose="marketing")
    await stack.skip_to(tuesday_at(await stack.now(), time(10, 0)))
    # A CSV that lists one number twice, in another spelling: one member.
    csv = (
        "phone,first_name\n" + "\n".join(f"{n},Ana" for n in numbers) + "\n+33 6 12 34 00 00,Ana\n"
    )
    audience, rejected = parse_audience(csv)
    assert rejected == [] and len(audience) == len(numbers)

    # Slices of 3, two starts at a time: every slice is enrolled.
    first = await launch(
        stack.client,
        OUTREACH,
        audience,
        campaign_id="autumn",
        task_queue=stack.task_queue,
        concurrency=2,
        slice_size=3,
    )
    again = await launch(
        stack.client, OUTREACH, audience, campaign_id="autumn", task_queue=stack.task_queue
    )
    assert first.enrolled == again.enrolled == len(numbers)

    sent = await eventually(
        lambda: all_sent(stack, numbers), lambda s: all(n >= 1 for n in s.values())
    )
    for e164 in numbers:
        await stack.at_step(stack.journey("outreach", e164, "autumn"), "wait_reply")
    sent = await all_sent(stack, numbers)
    assert sent == {n: 1 for n in numbers}, "exactly one message each"
    for e164 in numbers:
        [message] = await stack.messages(e164)
        assert message["content_sid"] == CHECKUP


async def test_quiet_hours_hold_the_send_and_a_member_who_opts_out_meanwhile_gets_nothing(
    stack: JourneyStack,
) -> None:
    stays, leaves = "+33612350001", "+33612350002"
    for e164 in (stays, leaves):
        await stack.consent(e164, purpose="marketing")
    launched_at = tuesday_at(await stack.now(), time(22, 0))  # quiet hours: 21:00-08:00
    await stack.skip_to(launched_at)
    members = [AudienceMember(e164, {"first_name": "Ana"}) for e164 in (stays, leaves)]
    await launch(stack.client, OUTREACH, members, campaign_id="night", task_queue=stack.task_queue)
    runs = {
        m.e164: await stack.started(stack.journey("outreach", m.e164, "night")) for m in members
    }
    for run in runs.values():
        # Past the consent branch (both opted in then), waiting for 08:00 to send.
        await stack.at_step(run, "message")
    assert await stack.messages(stays) == [] and await stack.messages(leaves) == []

    await stack.consent(leaves, purpose="marketing", status="opted_out")
    await stack.skip_to(launched_at + timedelta(hours=10, minutes=30))  # 08:30 Wednesday

    [message] = await stack.wait_messages(stays, 1)
    assert message["content_sid"] == CHECKUP
    await stack.at_step(runs[stays], "wait_reply")
    [sent_at] = await stack.scheduled_at(runs[stays], "whatsapp.send")
    morning = launched_at + timedelta(hours=10)  # 08:00 Paris the next day
    assert morning <= sent_at < morning + SLACK, "held until quiet hours end, then sent"

    outcome = await stack.outcome(runs[leaves])
    assert outcome.trail == ["opted_in", "message", "done"], "skipped at send time"
    assert await stack.messages(leaves) == []
    assert await stack.scheduled_at(runs[leaves], "whatsapp.send") == []
