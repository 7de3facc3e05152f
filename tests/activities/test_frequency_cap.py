"""The frequency cap is atomic (issue 11, item 4): the gate activity counts and reserves in one
transaction under the customer's send lock, so journeys gating one customer at the same moment
cannot all pass (before: each counted the sends already made, and all went)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from activities.journey import JourneyActivities
from activities.journey_types import GateInput
from switchboard.agent_models import Channel
from switchboard.db.consent import record_consent
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.outbox import claim
from switchboard.identity import whatsapp_address
from switchboard.journeys.schema import FrequencyCap

CUSTOMER = "+33612345678"


async def opted_in(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await record_consent(
            s,
            customer_e164=CUSTOMER,
            channel="whatsapp",
            purpose="marketing",
            status="opted_in",
            source="web_form",
        )


def step(journey: str, cap: FrequencyCap, channel: Channel = Channel.WHATSAPP) -> GateInput:
    return GateInput(
        customer=CUSTOMER,
        channel=channel,
        purpose="marketing",
        frequency_cap=cap,
        key_prefix=f"journey/{journey}/{CUSTOMER}/trigger/send/1",
    )


async def test_journeys_gating_one_customer_at_the_same_moment_cannot_all_pass(
    db: Database, round_the_clock_dir: Path
) -> None:
    await opted_in(db)
    gate = JourneyActivities(db, journeys_dir=round_the_clock_dir).gate
    one_a_day = FrequencyCap(max_sends=1, per=timedelta(days=1))
    decisions = await asyncio.gather(gate(step("a", one_a_day)), gate(step("b", one_a_day)))
    assert sorted(d.allowed for d in decisions) == [False, True]
    refused = next(d for d in decisions if not d.allowed)
    assert refused.reason.startswith("frequency cap: 1 journey sends")

    three_a_day = FrequencyCap(max_sends=3, per=timedelta(days=1))
    many = await asyncio.gather(*(gate(step(f"m{n}", three_a_day)) for n in range(8)))
    # The earlier pair's pass counts too: 2 more of the 8.
    assert sum(d.allowed for d in many) == 2


async def test_a_step_gated_again_is_not_counted_twice(
    db: Database, round_the_clock_dir: Path
) -> None:
    """Retries and re-checks of one step, and its outbox row once it sends, count once."""
    await opted_in(db)
    gate = JourneyActivities(db, journeys_dir=round_the_clock_dir).gate
    two_a_day = FrequencyCap(max_sends=2, per=timedelta(days=1))
    first = step("a", two_a_day)
    assert (await gate(first)).allowed
    assert (await gate(first)).allowed  # the activity retried: its own reservation is not counted
    async with db.session() as s:  # the step sends: its outbox row replaces the reservation
        await claim(
            s, key=first.key_prefix, kind="whatsapp", recipient=whatsapp_address(CUSTOMER), body="x"
        )
    assert (await gate(step("b", two_a_day))).allowed  # 1 send so far
    assert not (await gate(step("c", two_a_day))).allowed  # 2: the sent one and b's reservation


async def test_each_call_placed_counts_as_before(db: Database, round_the_clock_dir: Path) -> None:
    await opted_in(db)
    gate = JourneyActivities(db, journeys_dir=round_the_clock_dir).gate
    two_a_day = FrequencyCap(max_sends=2, per=timedelta(days=1))
    call = step("caller", two_a_day, Channel.VOICE)
    assert (await gate(call)).allowed
    async with db.session() as s:  # two attempts of the call step were placed
        for attempt in range(2):
            await claim(
                s, key=f"{call.key_prefix}/{attempt}", kind="call", recipient=CUSTOMER, body=None
            )
    assert (await gate(call)).allowed  # its own attempts never count against it
    assert not (await gate(step("other", two_a_day))).allowed
