"""Which journeys a campaign sends as one broadcast (``switchboard.journeys.broadcast``), and
the broadcast's audience in Postgres: a relaunch adds nobody twice, and erasing a customer
takes their rows with the rest."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlmodel import col, select

from operations.erasure import erase_rows
from switchboard.db import campaigns
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember, Consent, Message
from switchboard.journeys.broadcast import BroadcastShape, broadcast_shape, consent_path
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.journeys.schema import (
    Branch,
    Goal,
    JourneyDefinition,
    SendWhatsApp,
    Step,
    Wait,
    WaitUntil,
)

OUTREACH = load_file(DEFAULT_DIR / "outreach.yaml")
WAIT_FIRST = load_file(
    Path(__file__).parents[2] / "bench" / "journeys" / "bench-outreach-wait.yaml",
    templates_file=DEFAULT_DIR / "templates.yaml",
)


def with_step(definition: JourneyDefinition, name: str, **changes: object) -> JourneyDefinition:
    steps = dict(definition.steps)
    steps[name] = steps[name].model_copy(update=changes)
    return definition.model_copy(update={"steps": steps})


def test_the_shipped_outreach_journey_is_a_broadcast() -> None:
    assert broadcast_shape(OUTREACH) == BroadcastShape(
        send="message", wait="wait_reply", timeout=timedelta(hours=48), on_timeout="call"
    )
    # Opted in: the message; never asked: a call (its own run); STOP: nothing.
    assert consent_path(OUTREACH, "yes") == "message"
    assert consent_path(OUTREACH, "no") == "call"
    assert consent_path(OUTREACH, "opted_out") == "done"


def test_no_other_shipped_journey_is_one() -> None:
    others = [
        p for p in sorted(DEFAULT_DIR.glob("*.yaml")) if p.stem not in ("outreach", "templates")
    ]
    assert others, "the shipped journeys"
    for path in others:
        assert broadcast_shape(load_file(path)) is None, path.name


def test_what_keeps_a_journey_off_the_broadcast_path() -> None:
    goal = Goal(event="booking_confirmed", within=timedelta(days=7))
    policies = OUTREACH.policies
    assert broadcast_shape(OUTREACH.model_copy(update={"goal": goal})) is None
    no_reply_exit = policies.model_copy(update={"exit_on": ["booked", "stop"]})
    assert broadcast_shape(OUTREACH.model_copy(update={"policies": no_reply_exit})) is None
    assert broadcast_shape(with_step(OUTREACH, "message", on_failed="call")) is None
    assert broadcast_shape(with_step(OUTREACH, "wait_reply", event="yes")) is None
    assert broadcast_shape(with_step(OUTREACH, "wait_reply", next="call")) is None
    branch = OUTREACH.steps["opted_in"]
    assert isinstance(branch, Branch)
    hours = branch.model_copy(update={"on": "business_hours"})
    steps = {**OUTREACH.steps, "opted_in": hours}
    assert broadcast_shape(OUTREACH.model_copy(update={"steps": steps})) is None
    # The send alone, ending the journey: a broadcast with nothing to wait for.
    message = OUTREACH.steps["message"]
    assert isinstance(message, SendWhatsApp)
    direct = OUTREACH.model_copy(
        update={
            "start": "message",
            "steps": {**OUTREACH.steps, "message": message.model_copy(update={"next": "done"})},
        }
    )
    assert broadcast_shape(direct) == BroadcastShape(send="message")
    # Not rate-limited: still a broadcast, sent at the outbox's pace rather than the limit's.
    unlimited = policies.model_copy(update={"rate_limited": False})
    assert broadcast_shape(direct.model_copy(update={"policies": unlimited})) is not None


def test_a_wait_before_the_send_that_a_campaign_can_hold_is_a_broadcast() -> None:
    # The bench's journey: consent branch, 24 h from enrolment, the message, the end.
    assert broadcast_shape(WAIT_FIRST) == BroadcastShape(send="message", before="wait")
    until = Wait(kind="wait", until=WaitUntil(time=time(9, 30)), next="message")
    assert broadcast_shape(with_steps(WAIT_FIRST, wait=until)) is not None
    # Waits on the member's own data stay runs: a date from the trigger, a held slot.
    dated = Wait(kind="wait", until=WaitUntil(date="trigger.due_date - 1d"), next="message")
    held = Wait(kind="wait", until=WaitUntil(var="slot"), next="message")
    for wait in (dated, held):
        assert broadcast_shape(with_steps(WAIT_FIRST, wait=wait)) is None
    # An exit the campaign cannot read from Postgres at send time: runs.
    booked = WAIT_FIRST.policies.model_copy(update={"exit_on": ["replied", "booked", "stop"]})
    assert broadcast_shape(WAIT_FIRST.model_copy(update={"policies": booked})) is None
    # A wait that leads elsewhere than the send, or two waits: runs.
    elsewhere = Wait(kind="wait", duration=timedelta(hours=1), next="done")
    assert broadcast_shape(with_steps(WAIT_FIRST, wait=elsewhere)) is None
    first = Wait(kind="wait", duration=timedelta(hours=1), next="wait")
    branch = WAIT_FIRST.steps["opted_in"]
    assert isinstance(branch, Branch)
    twice = branch.model_copy(update={"cases": {**branch.cases, "yes": "first"}})
    assert broadcast_shape(with_steps(WAIT_FIRST, first=first, opted_in=twice)) is None


def with_steps(definition: JourneyDefinition, **steps: Step) -> JourneyDefinition:
    return definition.model_copy(update={"steps": {**definition.steps, **steps}})


async def test_members_are_added_once_and_erased_with_the_customer(db: Database) -> None:
    campaign = "campaign/outreach/autumn"
    rows = [("+33612380001", {"first_name": "Ana"}), ("+33612380002", {})]
    async with db.session() as s:
        assert await campaigns.add_members(s, campaign_id=campaign, members=[*rows, rows[0]]) == 2
    async with db.session() as s:
        assert await campaigns.add_members(s, campaign_id=campaign, members=rows) == 0
        await campaigns.add_members(s, campaign_id="campaign/outreach/later", members=rows[:1])

    counts = await erase_rows(db, e164="+33612380001")
    assert counts["campaign_member"] == 2

    async with db.session() as s:
        left = await s.exec(select(CampaignMember).order_by(col(CampaignMember.e164)))
        assert [(m.campaign_id, m.e164) for m in left.all()] == [(campaign, "+33612380002")]


async def test_what_ends_a_members_wait_before_the_send(db: Database) -> None:
    entered = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    wrote, stopped, early, quiet = (f"+3361239000{i}" for i in range(1, 5))
    numbers = [wrote, stopped, early, quiet]
    async with db.session() as s:
        await campaigns.ensure_customers(s, numbers=numbers, timezone=lambda _: "Europe/Paris")
    later, before = entered + timedelta(hours=2), entered - timedelta(hours=1)
    async with db.session() as s:
        s.add(
            Message(
                key="m1",
                customer_e164=wrote,
                channel="voice",
                direction="inbound",
                kind="speech",
                text="hello",
                created_at=later,
            )
        )
        # Before the wait: not an answer to it. An event line is not the customer speaking.
        s.add(
            Message(
                key="m2",
                customer_e164=early,
                channel="whatsapp",
                direction="inbound",
                kind="text",
                text="hi",
                created_at=before,
            )
        )
        s.add(
            Message(
                key="m3",
                customer_e164=quiet,
                channel="whatsapp",
                direction="inbound",
                kind="event",
                text="delivered",
                created_at=later,
            )
        )
        s.add(
            Consent(
                customer_e164=stopped,
                channel="whatsapp",
                purpose="service",
                status="opted_out",
                source="STOP keyword",
                recorded_at=later,
            )
        )
        await s.commit()
    since = dict.fromkeys(numbers, entered)
    async with db.session() as s:
        both = await campaigns.exits_since(s, since=since, replied=True, stop=True)
        stop_only = await campaigns.exits_since(s, since=since, replied=False, stop=True)
    assert both == {wrote: "replied", stopped: "stop"}
    assert stop_only == {stopped: "stop"}
