"""A broadcast campaign's audience (``campaign_member``): added by the launch, read and marked
by the campaign's batches (``activities/campaign.py``). Members' states are in
``switchboard.db.models.CampaignMember``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.erasure import number_hash
from switchboard.db.frequency import FREQUENCY_LOCK
from switchboard.db.models import Booking, CampaignMember, Message

PENDING = "pending"
WAITING = "waiting_to_send"  # in the journey's wait before the send, until ``due_at``
DEFERRED = "deferred"
SENT = "sent"
SKIPPED = "skipped"
HANDED_OVER = "handed_over"
REPLIED = "replied"
FAILED = "failed"
# The consent ledger's source for an opt-out sent as STOP (``workflows/turn.py``).
STOP_SOURCE = "STOP keyword"
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
    """Up to ``limit`` members to look at now: ``pending`` ones, and ``deferred`` or
    ``waiting_to_send`` ones whose ``due_at`` has come, in number order."""
    rows = await session.exec(
        select(CampaignMember)
        .where(
            CampaignMember.campaign_id == campaign_id,
            (col(CampaignMember.state) == PENDING)
            | (
                col(CampaignMember.state).in_((DEFERRED, WAITING))
                & (col(CampaignMember.due_at) <= now)
            ),
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
    """When the earliest deferred or waiting member is due (None: nobody is)."""
    result = await session.exec(
        select(func.min(CampaignMember.due_at)).where(
            CampaignMember.campaign_id == campaign_id,
            col(CampaignMember.state).in_((DEFERRED, WAITING)),
        )
    )
    return result.one()


async def waiting_count(session: AsyncSession, *, campaign_id: str) -> int:
    """Members in the journey's wait before the send (``waiting_to_send``)."""
    return int(
        (
            await session.exec(
                select(func.count())
                .select_from(CampaignMember)
                .where(CampaignMember.campaign_id == campaign_id, CampaignMember.state == WAITING)
            )
        ).one()
    )


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


async def exits_since(
    session: AsyncSession, *, since: dict[str, datetime], replied: bool, stop: bool
) -> dict[str, str]:
    """Members (``e164 → when they entered the wait``, ``enrolled_at``) whose journey run would have
    ended during the wait before the send: ``replied`` when ``replied`` and they wrote or called
    since (``replied_since``), else ``stop`` when ``stop`` and they sent STOP since (the consent
    ledger's ``STOP keyword`` opt-out, any purpose). Returns ``e164 → reason`` for them only."""
    if not since or not (replied or stop):
        return {}
    numbers = sorted(since)
    rows = await _rows(
        session,
        """
        SELECT m.e164,
            CASE WHEN :replied AND EXISTS (
                SELECT 1 FROM message g
                WHERE g.customer_e164 = m.e164 AND g.direction = 'inbound'
                  AND g.kind <> 'event' AND g.created_at > m.since) THEN 'replied'
            WHEN :stop AND EXISTS (
                SELECT 1 FROM consent c
                WHERE c.customer_e164 = m.e164 AND c.status = 'opted_out'
                  AND c.source = :stop_source AND c.recorded_at > m.since) THEN 'stop'
            END
        FROM unnest(CAST(:numbers AS varchar[]), CAST(:since AS timestamptz[])) AS m(e164, since)
        """,
        {
            "numbers": numbers,
            "since": [since[n] for n in numbers],
            "replied": replied,
            "stop": stop,
            "stop_source": STOP_SOURCE,
        },
    )
    return {e164: reason for e164, reason in rows if reason is not None}


async def states(session: AsyncSession, *, campaign_id: str) -> dict[str, int]:
    """Members per state."""
    rows = await session.exec(
        select(CampaignMember.state, func.count())
        .where(CampaignMember.campaign_id == campaign_id)
        .group_by(col(CampaignMember.state))
    )
    return {state: int(n) for state, n in rows.all()}


# -- a slice of a batch, a few statements for all its members (``activities/campaign.py``) ------
# Each reads or writes what the per-member functions (``customers``, ``consent``, ``frequency``,
# ``conversation``, ``crm``) do for one customer, for many at once: a batch's Postgres work per
# member was a dozen statements through SQLAlchemy, most of the worker's CPU per message.


async def _rows(session: AsyncSession, sql: str, params: dict[str, Any]) -> list[Any]:
    conn = await session.connection()
    return list((await conn.execute(text(sql), params)).all())


async def ensure_customers(
    session: AsyncSession, *, numbers: list[str], timezone: Callable[[str], str]
) -> dict[str, str | None]:
    """Each number's stored time zone (None when a known customer has none), creating the
    customers not known yet with ``timezone(e164)`` (as ``journey.profile`` creates a member
    met through a journey). ``timezone`` is called for new numbers only: it is the costly
    part (libphonenumber)."""
    known = await _rows(
        session,
        "SELECT e164, timezone FROM customer WHERE e164 = ANY(CAST(:numbers AS varchar[]))",
        {"numbers": numbers},
    )
    found: dict[str, str | None] = {e164: zone for e164, zone in known}
    new = sorted(set(numbers) - set(found))
    if new:
        zones = [timezone(n) for n in new]
        added = await _rows(
            session,
            """
            INSERT INTO customer (e164, timezone)
            SELECT * FROM unnest(CAST(:numbers AS varchar[]), CAST(:zones AS varchar[]))
            ON CONFLICT (e164) DO NOTHING
            RETURNING e164, timezone
            """,
            {"numbers": new, "zones": zones},
        )
        found.update({e164: zone for e164, zone in added})
        if len(added) < len(new):  # created meanwhile (a webhook): theirs, committed now
            found.update(await ensure_customers(session, numbers=new, timezone=timezone))
    return found


async def consents(
    session: AsyncSession, *, numbers: list[str], channel: str, purpose: str
) -> dict[str, str | None]:
    """The consent status in force per number for ``channel``/``purpose``
    (``consent.current_consent``: the latest decision; ``opted_out`` for a number whose
    erased customer had opted out; None when none was ever recorded)."""
    latest = await _rows(
        session,
        """
        SELECT DISTINCT ON (customer_e164) customer_e164, status FROM consent
        WHERE customer_e164 = ANY(CAST(:numbers AS varchar[]))
          AND channel = :channel AND purpose = :purpose
        ORDER BY customer_e164, recorded_at DESC, id DESC
        """,
        {"numbers": numbers, "channel": channel, "purpose": purpose},
    )
    found: dict[str, str | None] = dict.fromkeys(numbers)
    found.update({e164: status for e164, status in latest})
    unknown = {number_hash(n): n for n, status in found.items() if status is None}
    if unknown:
        erased = await _rows(
            session,
            """
            SELECT number_hash FROM opt_out_hash
            WHERE number_hash = ANY(CAST(:hashes AS varchar[]))
              AND channel = :channel AND purpose = :purpose
            """,
            {"hashes": list(unknown), "channel": channel, "purpose": purpose},
        )
        found.update({unknown[h]: "opted_out" for (h,) in erased})
    return found


async def lock_sends(session: AsyncSession, numbers: list[str]) -> None:
    """``frequency.lock_customer_sends`` for each number, in number order (two slices that
    share customers lock them in the same order: no deadlock; a gate holds one at a time)."""
    await _rows(
        session,
        """
        SELECT pg_advisory_xact_lock(:namespace, hashtext(e164))
        FROM (SELECT DISTINCT e164 FROM unnest(CAST(:numbers AS varchar[])) AS e164
              ORDER BY e164) AS ordered
        """,
        {"namespace": FREQUENCY_LOCK, "numbers": numbers},
    )


async def recent_sends(
    session: AsyncSession, *, prefixes: dict[str, str], per: timedelta
) -> dict[str, int]:
    """``frequency.journey_sends`` per customer (``e164 → the step's key prefix``): journey
    messages and calls within ``per`` of the database's now, other than the step's own, plus
    reservations with no outbox row yet. Hold ``lock_sends`` first."""
    numbers = sorted(prefixes)
    rows = await _rows(
        session,
        """
        SELECT m.e164,
            (SELECT count(*) FROM outbox o
             WHERE o.recipient IN (m.e164, 'whatsapp:' || m.e164)
               AND o.key LIKE 'journey/%%'
               AND NOT (o.key = m.prefix OR starts_with(o.key, m.prefix || '/'))
               AND o.created_at >= now() - CAST(:per AS interval))
          + (SELECT count(*) FROM send_reservation r
             WHERE r.customer_e164 = m.e164
               AND NOT (r.key = m.prefix OR starts_with(r.key, m.prefix || '/'))
               AND r.created_at >= now() - CAST(:per AS interval)
               AND NOT EXISTS (
                   SELECT 1 FROM outbox o
                   WHERE o.key = r.key OR starts_with(o.key, r.key || '/')))
        FROM unnest(CAST(:numbers AS varchar[]), CAST(:prefixes AS varchar[])) AS m(e164, prefix)
        """,
        {"numbers": numbers, "prefixes": [prefixes[n] for n in numbers], "per": per},
    )
    return {e164: int(n) for e164, n in rows}


async def reserve_sends(session: AsyncSession, *, keys: dict[str, str], channel: str) -> None:
    """``frequency.reserve_send`` for each ``e164 → key``."""
    if not keys:
        return
    numbers = sorted(keys)
    await _rows(
        session,
        """
        INSERT INTO send_reservation (key, customer_e164, channel)
        SELECT key, e164, :channel
        FROM unnest(CAST(:keys AS varchar[]), CAST(:numbers AS varchar[])) AS r(key, e164)
        ON CONFLICT (key) DO NOTHING
        RETURNING key
        """,
        {"keys": [keys[n] for n in numbers], "numbers": numbers, "channel": channel},
    )


async def last_inbound(
    session: AsyncSession, *, numbers: list[str], channel: str
) -> dict[str, datetime]:
    """``conversation.last_inbound_at`` per number (absent: never wrote on ``channel``)."""
    rows = await _rows(
        session,
        """
        SELECT customer_e164, max(created_at) FROM message
        WHERE customer_e164 = ANY(CAST(:numbers AS varchar[]))
          AND channel = :channel AND direction = 'inbound'
        GROUP BY customer_e164
        """,
        {"numbers": numbers, "channel": channel},
    )
    return {e164: at for e164, at in rows}


async def bookings(session: AsyncSession, *, numbers: list[str]) -> dict[str, list[Booking]]:
    """``crm.bookings_for`` per number (soonest slot first; absent: none)."""
    rows = await session.exec(
        select(Booking)
        .where(col(Booking.customer_e164).in_(numbers))
        .order_by(col(Booking.slot_start))
    )
    found: dict[str, list[Booking]] = {}
    for booking in rows.all():
        found.setdefault(booking.customer_e164, []).append(booking)
    return found


@dataclass(frozen=True)
class LogLine:
    """A row of the conversation log (``conversation.log_message``), outbound WhatsApp."""

    key: str
    e164: str
    text: str
    kind: str = "event"
    provider_sid: str | None = None
    status: str | None = None


async def log_lines(session: AsyncSession, lines: list[LogLine]) -> None:
    """``conversation.log_message`` for each line: written once per key; a line written
    before keeps its text and time, and gets the SID (and ``status`` if it had none) when it
    lacked them (a retried batch)."""
    if not lines:
        return
    await _rows(
        session,
        """
        INSERT INTO message (key, customer_e164, channel, direction, kind, text, provider_sid,
                             status)
        SELECT key, e164, 'whatsapp', 'outbound', kind, body, sid, status
        FROM unnest(CAST(:keys AS varchar[]), CAST(:numbers AS varchar[]),
                    CAST(:kinds AS varchar[]), CAST(:texts AS varchar[]),
                    CAST(:sids AS varchar[]), CAST(:statuses AS varchar[]))
             AS l(key, e164, kind, body, sid, status)
        ON CONFLICT (key) DO UPDATE
        SET provider_sid = coalesce(excluded.provider_sid, message.provider_sid),
            status = coalesce(message.status, excluded.status)
        RETURNING id
        """,
        {
            "keys": [line.key for line in lines],
            "numbers": [line.e164 for line in lines],
            "kinds": [line.kind for line in lines],
            "texts": [line.text for line in lines],
            "sids": [line.provider_sid for line in lines],
            "statuses": [line.status for line in lines],
        },
    )


@dataclass(frozen=True)
class Mark:
    """A member's new state (``mark``)."""

    e164: str
    state: str
    sent_at: datetime | None = None
    due_at: datetime | None = None
    note: str | None = None
    enrolled_at: datetime | None = None


async def mark_many(session: AsyncSession, *, campaign_id: str, marks: list[Mark]) -> None:
    """``mark`` for each member: state, ``due_at`` and ``note`` set, ``sent_at`` and
    ``enrolled_at`` when given."""
    if not marks:
        return
    await _rows(
        session,
        """
        UPDATE campaign_member AS c
        SET state = m.state, due_at = m.due_at, note = m.note,
            sent_at = coalesce(m.sent_at, c.sent_at),
            enrolled_at = coalesce(m.enrolled_at, c.enrolled_at)
        FROM unnest(CAST(:numbers AS varchar[]), CAST(:states AS varchar[]),
                    CAST(:sent AS timestamptz[]), CAST(:due AS timestamptz[]),
                    CAST(:notes AS varchar[]), CAST(:enrolled AS timestamptz[]))
             AS m(e164, state, sent_at, due_at, note, enrolled_at)
        WHERE c.campaign_id = :campaign_id AND c.e164 = m.e164
        RETURNING c.e164
        """,
        {
            "campaign_id": campaign_id,
            "numbers": [m.e164 for m in marks],
            "states": [m.state for m in marks],
            "sent": [m.sent_at for m in marks],
            "due": [m.due_at for m in marks],
            "notes": [m.note for m in marks],
            "enrolled": [m.enrolled_at for m in marks],
        },
    )
