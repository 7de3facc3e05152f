"""What the person who takes a handoff reads: the summary's times are the business's (the
console's pages say "Times in Europe/Paris"; the summary said UTC, an hour apart in winter),
each line says who spoke (the log's own event lines are not messages the customer got), and a
caller's handoff is logged on the call, not on WhatsApp."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from activities.journey import JourneyActivities
from activities.journey_types import HandoffInput
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import Handoff, Message

CUSTOMER = "+33612345678"
WINTER = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)  # 14:05 in Paris (CET, UTC+1)
SUMMER = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST: the hour that comes twice


async def test_a_handoff_summary_reads_in_the_business_zone_and_says_who_spoke(
    db: Database, tmp_path: Path
) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        rows = [
            ("SM1", "whatsapp", "inbound", "text", "Book my dog Rex for Friday at 3pm", SUMMER),
            ("SM1/r", "whatsapp", "outbound", "event", "journey draft-followup exited", WINTER),
            ("human/1", "whatsapp", "outbound", "text", "Ana here: we'll call you", WINTER),
            ("CA1/1", "voice", "inbound", "speech", "Can someone call me back?", WINTER),
        ]
        for key, channel, direction, kind, text, at in rows:
            await log_message(
                s,
                key=key,
                customer_e164=CUSTOMER,
                channel=channel,
                direction=direction,
                kind=kind,
                text=text,
                at=at,
            )
    activities = JourneyActivities(
        db, journeys_dir=tmp_path, business={"name": "Clinic"}, timezone="Europe/Paris"
    )

    await activities.handoff(
        HandoffInput(key="handoff/CA1/1", customer=CUSTOMER, queue="agent", note="asked")
    )

    async with db.session() as s:
        handoff = (await s.exec(select(Handoff))).one()
        logged = (await s.exec(select(Message).where(Message.key == "handoff/CA1/1"))).one()
    assert handoff.summary.splitlines() == [
        "Sun 25 Oct 02:30 CEST whatsapp customer: Book my dog Rex for Friday at 3pm",
        "Wed 02 Dec 14:05 CET whatsapp event: journey draft-followup exited",
        "Wed 02 Dec 14:05 CET whatsapp team: Ana here: we'll call you",
        "Wed 02 Dec 14:05 CET voice customer: Can someone call me back?",
    ]
    assert "UTC" not in handoff.summary
    assert logged.channel == "voice", "the caller asked on the call: the handoff line is the call's"
