"""Which journeys a campaign sends as one broadcast (``switchboard.journeys.broadcast``), and
the broadcast's audience in Postgres: a relaunch adds nobody twice, and erasing a customer
takes their rows with the rest."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from operations.erasure import erase_rows
from switchboard.db import campaigns
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember
from switchboard.journeys.broadcast import BroadcastShape, broadcast_shape, consent_path
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.journeys.schema import Branch, Goal, JourneyDefinition, SendWhatsApp

OUTREACH = load_file(DEFAULT_DIR / "outreach.yaml")


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
