"""The rows behind the agent's context for one turn (``switchboard.agent_context``), read in one
statement on psycopg's own connection (``Database.autocommit``).

Through the ORM the same read was five statements in a transaction (the customer, the latest log
rows, the count of older ones, the customer's bookings, the calendar's busy bookings): each
paid SQLAlchemy's compile-cache lookup and row processing, on every voice-note turn's agent call
(issue 14). One statement also reads one snapshot, where five at READ COMMITTED read five.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from switchboard.availability import Busy

# Log rows read beyond the window, for the rows the agent is not shown (event lines, photos
# without text), so that they do not shorten its history.
ROOM = 8
# No appointment is longer (``switchboard.db.crm.busy_between``): bounds the index range scan.
LONGEST_BOOKING = timedelta(hours=12)

# Every list is aggregated in SQL into one array per column, so the result is one row whatever
# the history's length, and psycopg hands back typed values (datetimes, ints) without parsing.
_CONTEXT_ROWS = """
WITH latest AS (
    SELECT id, key, kind, channel, direction, text, call_sid, created_at
    FROM message
    WHERE customer_e164 = %(customer)s
    ORDER BY created_at DESC, id DESC
    LIMIT %(fetch)s
), kept AS (
    -- (not the log's event lines, "journey … exited", "call completed": nobody said them)
    SELECT * FROM latest
    WHERE coalesce(text, '') <> '' AND kind <> 'event'
      AND NOT (key = ANY(%(exclude)s::text[]))
    ORDER BY created_at DESC, id DESC
    LIMIT %(window)s
), mine AS (
    SELECT id, slot_start, subject, status, service, call_sid, channel
    FROM booking
    WHERE customer_e164 = %(customer)s
), busy AS (
    SELECT id, slot_start, duration_minutes
    FROM booking
    WHERE status = 'confirmed' AND slot_start < %(end)s AND slot_start > %(earliest)s
)
SELECT
    (SELECT timezone FROM customer WHERE e164 = %(customer)s),
    (SELECT count(*) FROM message
     WHERE customer_e164 = %(customer)s
       AND id < (SELECT id FROM kept ORDER BY created_at, id LIMIT 1)),
    k.channels, k.directions, k.texts, k.created, k.call_sids,
    m.ids, m.slots, m.subjects, m.statuses, m.services, m.call_sids, m.channels,
    b.ids, b.slots, b.minutes
FROM
    (SELECT array_agg(channel ORDER BY created_at, id) AS channels,
            array_agg(direction ORDER BY created_at, id) AS directions,
            array_agg(text ORDER BY created_at, id) AS texts,
            array_agg(created_at ORDER BY created_at, id) AS created,
            array_agg(call_sid ORDER BY created_at, id) AS call_sids
     FROM kept) AS k,
    (SELECT array_agg(id ORDER BY slot_start, id) AS ids,
            array_agg(slot_start ORDER BY slot_start, id) AS slots,
            array_agg(subject ORDER BY slot_start, id) AS subjects,
            array_agg(status ORDER BY slot_start, id) AS statuses,
            array_agg(service ORDER BY slot_start, id) AS services,
            array_agg(call_sid ORDER BY slot_start, id) AS call_sids,
            array_agg(channel ORDER BY slot_start, id) AS channels
     FROM mine) AS m,
    (SELECT array_agg(id ORDER BY slot_start, id) AS ids,
            array_agg(slot_start ORDER BY slot_start, id) AS slots,
            array_agg(duration_minutes ORDER BY slot_start, id) AS minutes
     FROM busy) AS b
"""


@dataclass(frozen=True)
class LogLine:
    """A log row of the history: ``channel`` and ``direction`` as stored, ``at`` UTC."""

    channel: str
    direction: str
    text: str
    at: datetime
    call_sid: str | None


@dataclass(frozen=True)
class BookingLine:
    """One of the customer's bookings as stored (``switchboard.db.models.Booking``)."""

    id: str
    slot_start: datetime
    subject: str
    status: str
    service: str | None
    call_sid: str | None
    channel: str


@dataclass(frozen=True)
class ContextRows:
    """``timezone``: the customer's (None: no customer row). ``history``: oldest first.
    ``older``: log rows before the first of ``history``. ``bookings``: soonest slot first.
    ``busy``: confirmed bookings (every customer's) overlapping the range asked for."""

    timezone: str | None
    history: list[LogLine]
    older: int
    bookings: list[BookingLine]
    busy: list[Busy]


async def context_rows_direct(
    conn: psycopg.AsyncConnection[Any],
    *,
    customer_e164: str,
    window: int,
    exclude_keys: list[str],
    start: datetime,
    end: datetime,
    default_minutes: int,
) -> ContextRows:
    """In one statement: the latest ``window`` log rows with text, not event lines, among the
    latest ``window + len(exclude_keys) + ROOM`` (``exclude_keys`` left out), as
    ``db.conversation.recent_messages`` then filtered; how many rows precede the first of them
    (``count_before``); the customer's bookings (``crm.bookings_for``) and the confirmed
    bookings overlapping ``[start, end)`` (UTC; ``crm.busy_between``, a booking with no
    recorded length counting ``default_minutes``). Raises ``psycopg.Error``."""
    cursor = await conn.execute(
        _CONTEXT_ROWS,
        {
            "customer": customer_e164,
            "fetch": window + len(exclude_keys) + ROOM,
            "window": window,
            "exclude": list(exclude_keys),
            "end": end,
            "earliest": start - LONGEST_BOOKING,
        },
    )
    row = await cursor.fetchone()
    assert row is not None  # aggregates over no rows still give one row
    (timezone, older, channels, directions, texts, created, log_calls) = row[:7]
    (ids, slots, subjects, statuses, services, booking_calls, booking_channels) = row[7:14]
    busy_ids, busy_slots, minutes = row[14:]
    history = [
        LogLine(channel=c, direction=d, text=t, at=a, call_sid=s)
        for c, d, t, a, s in zip(
            channels or [],
            directions or [],
            texts or [],
            created or [],
            log_calls or [],
            strict=True,
        )
    ]
    bookings = [
        BookingLine(id=i, slot_start=at, subject=su, status=st, service=sv, call_sid=cs, channel=ch)
        for i, at, su, st, sv, cs, ch in zip(
            ids or [],
            slots or [],
            subjects or [],
            statuses or [],
            services or [],
            booking_calls or [],
            booking_channels or [],
            strict=True,
        )
    ]
    busy = []
    for booking_id, slot, length in zip(
        busy_ids or [], busy_slots or [], minutes or [], strict=True
    ):
        stop = slot + timedelta(minutes=length or default_minutes)
        if stop > start:
            busy.append(Busy(booking_id=booking_id, start=slot, end=stop))
    return ContextRows(
        timezone=timezone, history=history, older=int(older or 0), bookings=bookings, busy=busy
    )
