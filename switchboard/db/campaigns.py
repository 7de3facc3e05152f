"""A broadcast campaign's audience (``campaign_member``): added by the launch, read and marked
by the campaign's batches (``activities/campaign.py``). Members' states are in
``switchboard.db.models.CampaignMember``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import CampaignMember, Message

PENDING = "pending"
DEFERRED = "deferred"
SENT = "sent"
SKIPPED = "skipped"
HANDED_OVER = "handed_over"
REPLIED = "replied"
FAILED = "failed"
# Rows per INSERT: Postgres takes at most 65,535 bind parameters per statement (4 a row here).
INSERT_CHUNK = 5_000


async def add_members(
    session: AsyncSession, *, campaign_id: str, members: Sequence[tuple[str, dict[str, str]]]
) -> int:
    """Insert ``(e164, variables)`` rows as ``pending``; a member already in the campaign is
    left as it is (a relaunch adds only the new ones). Returns how many were new."""
    added = 0
    for start in range(0, len(members), INSERT_CHUNK):
        rows = [
            {"campaign_id": campaign_id, "e164": e164, "variables": variables, "state": PENDING}
            for e164, variables in members[start : start + INSERT_CHUNK]
        ]
        # RETURNING, because the driver reports no row count for a multi-row INSERT.
        result = await session.exec(
            insert(CampaignMember)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(col(CampaignMember.e164))
        )
        added += len(result.all())
    return added


async def due_members(
    session: AsyncSession, *, campaign_id: str, now: datetime, limit: int
) -> list[CampaignMember]:
    """Up to ``limit`` members to send to now: ``pending`` ones and ``deferred`` ones whose
    ``due_at`` has come, in number order."""
    rows = await session.exec(
        select(CampaignMember)
        .where(
            CampaignMember.campaign_id == campaign_id,
            (col(CampaignMember.state) == PENDING)
            | ((col(CampaignMember.state) == DEFERRED) & (col(CampaignMember.due_at) <= now)),
        )
        .order_by(col(CampaignMember.e164))
        .limit(limit)
    )
    return list(rows.all())


async def mark(
    session: AsyncSession,
    *,
    campaign_id: str,
    e164: str,
    state: str,
    sent_at: datetime | None = None,
    due_at: datetime | None = None,
    note: str | None = None,
) -> None:
    """Set a member's state (and when it was sent, until when it is deferred, why)."""
    values: dict[str, object] = {"state": state, "due_at": due_at, "note": note}
    if sent_at is not None:
        values["sent_at"] = sent_at
    await session.exec(
        update(CampaignMember)
        .where(col(CampaignMember.campaign_id) == campaign_id, col(CampaignMember.e164) == e164)
        .values(**values)
    )


async def pending_count(session: AsyncSession, *, campaign_id: str) -> int:
    """Members not yet looked at (``pending``)."""
    return int(
        (
            await session.exec(
                select(func.count())
                .select_from(CampaignMember)
                .where(CampaignMember.campaign_id == campaign_id, CampaignMember.state == PENDING)
            )
        ).one()
    )


async def next_deferred(session: AsyncSession, *, campaign_id: str) -> datetime | None:
    """When the earliest deferred member is due (None: nobody deferred)."""
    result = await session.exec(
        select(func.min(CampaignMember.due_at)).where(
            CampaignMember.campaign_id == campaign_id, CampaignMember.state == DEFERRED
        )
    )
    return result.one()


async def waits_over(
    session: AsyncSession, *, campaign_id: str, sent_before: datetime, limit: int
) -> list[CampaignMember]:
    """Up to ``limit`` ``sent`` members whose message went out at or before ``sent_before``
    (their wait is over)."""
    rows = await session.exec(
        select(CampaignMember)
        .where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.state == SENT,
            col(CampaignMember.sent_at) <= sent_before,
        )
        .order_by(col(CampaignMember.sent_at), col(CampaignMember.e164))
        .limit(limit)
    )
    return list(rows.all())


async def next_wait_end(
    session: AsyncSession, *, campaign_id: str, timeout: timedelta
) -> datetime | None:
    """When the earliest waiting (``sent``) member's wait ends (None: nobody waits)."""
    first = (
        await session.exec(
            select(func.min(CampaignMember.sent_at)).where(
                CampaignMember.campaign_id == campaign_id, CampaignMember.state == SENT
            )
        )
    ).one()
    return first + timeout if first is not None else None


async def replied_since(session: AsyncSession, *, e164: str, since: datetime) -> bool:
    """Whether the customer wrote or spoke to us (an inbound message or turn on any channel,
    not an event line) after ``since``."""
    found = await session.exec(
        select(Message.id)
        .where(
            Message.customer_e164 == e164,
            Message.direction == "inbound",
            Message.kind != "event",
            col(Message.created_at) > since,
        )
        .limit(1)
    )
    return found.first() is not None


async def states(session: AsyncSession, *, campaign_id: str) -> dict[str, int]:
    """Members per state."""
    rows = await session.exec(
        select(CampaignMember.state, func.count())
        .where(CampaignMember.campaign_id == campaign_id)
        .group_by(col(CampaignMember.state))
    )
    return {state: int(n) for state, n in rows.all()}
