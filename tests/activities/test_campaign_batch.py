"""``CampaignActivities.send_batch`` against the served fake Twilio (real SDK, real HTTP) and a
real Postgres: the batch reads and writes its members in slices, and still sends each member
exactly once when an attempt fails halfway (sends that went through at Twilio but whose answer
was lost are found again by the outbox's reconciliation); a member whose send keeps failing
is given up after ``MAX_SEND_ATTEMPTS`` and counted ``failed``, and the batch goes on.

Each attempt runs in ``ActivityEnvironment`` as Temporal would run it."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from temporalio.testing import ActivityEnvironment

from activities.campaign import MAX_SEND_ATTEMPTS, SLICE, CampaignActivities, pace
from activities.campaign_types import BatchResult, SendBatchInput
from activities.journey_types import JourneyStartRequest
from activities.whatsapp import WhatsAppActivities
from switchboard.db import campaigns
from switchboard.db.consent import record_consent
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember, Message, Outbox
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.message_templates import load_templates
from switchboard.providers.base import ProviderUnavailable, SentMessage, Telephony
from switchboard.providers.factory import make_telephony
from switchboard.settings import LOCAL_TWILIO_ACCOUNT_SID as AC
from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN as TOKEN
from switchboard.settings import Settings
from tests.fakes.twilio import approved_templates, running_fake_twilio

TEMPLATES = load_templates()
OUTREACH = load_file(DEFAULT_DIR / "outreach.yaml")
# Quiet hours off: the result must not depend on the hour the test runs at.
BROADCAST = OUTREACH.model_copy(
    update={"policies": OUTREACH.policies.model_copy(update={"quiet_hours": None})}
)
CAMPAIGN = "campaign/outreach/test"
# More members than one slice, so an attempt fails with slices done, in flight and not begun.
NUMBERS = [f"+336123{i:05d}" for i in range(SLICE * 2 + 5)]


@pytest.fixture
def fake_twilio() -> Iterator[str]:
    with running_fake_twilio(
        account_sid=AC, auth_token=TOKEN, templates=approved_templates()
    ) as url:
        yield url


class FlakyTelephony:
    """The real adapter, failing as configured: ``lose_after`` sends go through, then every
    later one goes through too but its answer is lost (a timeout: the worst case for
    exactly-once); sends to ``refused`` never go through (Twilio away for them)."""

    def __init__(self, inner: Telephony) -> None:
        self._inner = inner
        self.lose_after: int | None = None
        self.refused: set[str] = set()
        self.sent = 0

    async def send_whatsapp(self, *, to: str, **kwargs: Any) -> SentMessage:
        if to in self.refused:
            raise ProviderUnavailable("Twilio answered 503")
        sent = await self._inner.send_whatsapp(to=to, **kwargs)
        self.sent += 1
        if self.lose_after is not None and self.sent > self.lose_after:
            raise ProviderUnavailable("the answer was lost (timeout)")
        return sent

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
async def telephony(fake_twilio: str) -> FlakyTelephony:
    return FlakyTelephony(make_telephony(Settings(twilio_api_base_url=fake_twilio)))


@pytest.fixture
async def activities(db: Database, telephony: FlakyTelephony) -> CampaignActivities:
    async with db.session() as s:
        for e164 in NUMBERS:
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        await s.flush()
        for e164 in NUMBERS:
            await record_consent(
                s,
                customer_e164=e164,
                channel="whatsapp",
                purpose="marketing",
                status="opted_in",
                source="web_form",
            )
        await campaigns.add_members(
            s, campaign_id=CAMPAIGN, members=[(e164, {"first_name": "Ana"}) for e164 in NUMBERS]
        )
    whatsapp = WhatsAppActivities(db, telephony, templates=TEMPLATES, status_callback_url=None)

    async def enrol(e164: str, request: JourneyStartRequest, task_queue: str) -> None:
        raise AssertionError("every member is opted in: nobody is handed over")

    return CampaignActivities(db, whatsapp=whatsapp, sends_per_s=1000, enrol=enrol)


async def run_batch(activities: CampaignActivities, *, attempt: int) -> BatchResult:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info,
        activity_type="campaign.send_batch",
        attempt=attempt,
        current_attempt_scheduled_time=datetime.now(UTC),
        workflow_id=CAMPAIGN,
    )
    batch = SendBatchInput(
        campaign_id=CAMPAIGN,
        trigger_key="test",
        definition=BROADCAST,
        version=BROADCAST.version,
        task_queue="unused",
    )
    return await env.run(activities.send_batch, batch)


def messages_per_recipient(fake_twilio: str) -> dict[str, int]:
    response = httpx.get(f"{fake_twilio}/_fake/messages")
    response.raise_for_status()
    counts: dict[str, int] = {}
    for message in response.json():
        counts[message["to"]] = counts.get(message["to"], 0) + 1
    return counts


async def member_states(db: Database) -> dict[str, str]:
    async with db.session() as s:
        rows = await s.exec(select(CampaignMember).where(CampaignMember.campaign_id == CAMPAIGN))
        return {m.e164: m.state for m in rows.all()}


async def test_a_batch_failing_halfway_is_retried_and_each_member_gets_one_message(
    db: Database, activities: CampaignActivities, telephony: FlakyTelephony, fake_twilio: str
) -> None:
    telephony.lose_after = SLICE + 3  # in the second slice: answers lost, messages sent
    with pytest.raises(Exception, match="answer was lost"):
        await run_batch(activities, attempt=1)
    states = await member_states(db)
    done = [n for n, state in states.items() if state == "sent"]
    assert len(done) >= SLICE, "the members sent before the failure are stored as sent"

    telephony.lose_after = None
    result = await run_batch(activities, attempt=2)

    assert result.counts.get("failed", 0) == 0 and result.remaining == 0
    assert await member_states(db) == dict.fromkeys(NUMBERS, "sent")
    assert messages_per_recipient(fake_twilio) == {f"whatsapp:{n}": 1 for n in NUMBERS}
    async with db.session() as s:
        rows = (await s.exec(select(Outbox).where(col(Outbox.key).startswith("journey/")))).all()
        logged = (
            await s.exec(
                select(Message).where(Message.direction == "outbound", Message.kind == "text")
            )
        ).all()
    assert len(rows) == len(NUMBERS) and all(r.provider_sid for r in rows)
    assert sorted(m.customer_e164 for m in logged) == sorted(NUMBERS), "one log row each"
    assert all(m.provider_sid and m.status == "queued" for m in logged)


async def test_a_member_whose_send_keeps_failing_is_given_up_and_counted(
    db: Database, activities: CampaignActivities, telephony: FlakyTelephony, fake_twilio: str
) -> None:
    stuck = NUMBERS[1]
    telephony.refused = {f"whatsapp:{stuck}"}
    failures = 0
    result: BatchResult | None = None
    for attempt in range(1, MAX_SEND_ATTEMPTS + 2):  # bounded: the test's own limit
        try:
            result = await run_batch(activities, attempt=attempt)
            break
        except Exception as exc:
            assert "503" in str(exc)
            failures += 1
    assert failures == MAX_SEND_ATTEMPTS, "retried as a member's own run retries its send"
    assert result is not None and result.counts == {"failed": 1}
    states = await member_states(db)
    assert states.pop(stuck) == "failed"
    assert set(states.values()) == {"sent"}, "the others were sent meanwhile, once each"
    sent = messages_per_recipient(fake_twilio)
    assert f"whatsapp:{stuck}" not in sent
    assert sent == {f"whatsapp:{n}": 1 for n in NUMBERS if n != stuck}
    async with db.session() as s:
        member = (await s.exec(select(CampaignMember).where(CampaignMember.e164 == stuck))).one()
    assert member.note == f"SendAttemptsExhausted: gave up after {MAX_SEND_ATTEMPTS} attempts"


async def test_the_pace_lets_no_burst_through_beyond_a_tenth_of_a_second() -> None:
    limiter = pace(100)  # messages per second
    began = time.monotonic()
    for _ in range(30):
        async with limiter:
            pass
    # 10 at once (a tenth of a second's worth), then 100 a second: the other 20 take 0.2 s.
    assert time.monotonic() - began >= 0.15
