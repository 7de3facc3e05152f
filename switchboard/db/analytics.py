"""Analytics read straight from the conversation log (``message``), the sends (``outbox``), the
handoffs and the bookings — no second copy of the data. Every query takes a period
``[since, until)`` (aware datetimes) and groups in Postgres.

How rows are recognised (the idempotency keys the workflows fix, README "Guarantees"):

- a journey's send: ``journey/<name>/<E164>/<trigger key>[/<run>]/<step>/<visit>[/template]``
  (``workflows.journey.JourneyWorkflow._key``);
- the agent's reply to an inbound message ``in/<sid>``: ``reply/<sid>`` (text or spoken),
  ``reply-audio/<sid>`` (its voice note); a person's reply from the console: ``human/…``;
- a fallback: a log row ``fallback/<sid>`` whose text is ``fallback: <kind>: <what was done>``;
  the agent being unavailable opens a handoff whose note says so instead;
- the agent's intent for a reply: ``message.intent`` on its ``reply/<sid>`` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

# A journey send's flow step: "<journey>: <step>"; any other send by who sent it.
_FLOW_STEP = """
CASE
  WHEN o.key LIKE 'journey/%%' THEN
    substring(o.key from '^journey/([^/]+)/') || ': ' ||
    coalesce(substring(o.key from '/([^/]+)/[0-9]+(?:/template)?$'), '?')
  WHEN o.key LIKE 'reply-audio/%%' THEN 'agent: voice-note reply'
  WHEN o.key LIKE 'reply/%%' THEN 'agent: reply'
  WHEN o.key LIKE 'human/%%' THEN 'person: reply'
  ELSE split_part(o.key, '/', 1)
END
"""

AGENT_DOWN = "the agent was unavailable%"


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime

    def params(self) -> dict[str, datetime]:
        return {"since": self.since, "until": self.until}


async def _execute(
    session: AsyncSession, sql: str, params: dict[str, object]
) -> list[tuple[Any, ...]]:
    """The rows of core SQL run on the session's connection (SQLModel's ``exec`` takes
    statements, not text with parameters)."""
    conn = await session.connection()
    result = await conn.execute(text(sql), params)
    return [tuple(row) for row in result]


async def _rows(session: AsyncSession, sql: str, period: Period) -> list[tuple[Any, ...]]:
    return await _execute(session, sql, {**period.params()})


async def sends_by_step(session: AsyncSession, period: Period) -> list[tuple[str, str, int]]:
    """(flow step, kind ``whatsapp``/``call``, sends) for sends created in the period, most
    first."""
    sql = f"""
        SELECT {_FLOW_STEP} AS step, o.kind, count(*) FROM outbox o
        WHERE o.created_at >= :since AND o.created_at < :until
        GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
    """.replace("%%", "%")
    return [(str(s), str(k), int(n)) for s, k, n in await _rows(session, sql, period)]


async def sends_by_state(session: AsyncSession, period: Period) -> list[tuple[str, int]]:
    """(state, sends): Twilio's delivery state when it reported one (``queued``, ``sent``,
    ``delivered``, ``read``, ``failed``, ``undelivered``…), else our side's (``pending``,
    ``sent``, ``failed``), for sends created in the period."""
    sql = """
        SELECT coalesce(delivery_status, status) AS state, count(*) FROM outbox
        WHERE created_at >= :since AND created_at < :until
        GROUP BY 1 ORDER BY 2 DESC, 1
    """
    return [(str(s), int(n)) for s, n in await _rows(session, sql, period)]


async def journey_reach(
    session: AsyncSession, *, name: str, since: datetime
) -> list[tuple[str, str, int]]:
    """(kind ``whatsapp``/``call``, state, customers) for journey ``name``: each customer
    counted once per kind, in the state of the journey's latest send of that kind to them
    created since ``since`` — Twilio's delivery state when it reported one (``delivered``,
    ``read``, ``failed``, ``undelivered``, a call's ``completed``, ``no-answer``, ``busy``…),
    else our side's (``pending``, ``sent``, ``failed``). Most customers first."""
    sql = """
        SELECT kind, state, count(*) FROM (
            SELECT DISTINCT ON (kind, recipient)
                kind, coalesce(delivery_status, status) AS state
            FROM outbox
            WHERE key LIKE :prefix AND created_at >= :since
            ORDER BY kind, recipient, created_at DESC
        ) latest
        GROUP BY 1, 2 ORDER BY 1 DESC, 3 DESC, 2
    """
    # A journey's name is lower-case letters, digits and hyphens: nothing LIKE reads.
    params = {"prefix": f"journey/{name}/%", "since": since}
    return [(str(k), str(st), int(n)) for k, st, n in await _execute(session, sql, params)]


async def fallbacks_by_kind(session: AsyncSession, period: Period) -> list[tuple[str, int]]:
    """(kind, fallbacks): the log's fallback rows by kind, and handoffs opened because the
    agent was unavailable (``agent unavailable``)."""
    sql = """
        SELECT kind, count(*) FROM (
          SELECT trim(split_part(text, ':', 2)) AS kind FROM message
          WHERE key LIKE 'fallback/%' AND created_at >= :since AND created_at < :until
          UNION ALL
          SELECT 'agent unavailable' FROM handoff
          WHERE note ILIKE :agent_down AND created_at >= :since AND created_at < :until
        ) f GROUP BY 1 ORDER BY 2 DESC, 1
    """
    result = await _execute(session, sql, {**period.params(), "agent_down": AGENT_DOWN})
    return [(str(k), int(n)) for k, n in result]


async def integration_failures(session: AsyncSession, period: Period) -> list[tuple[str, int]]:
    """(system, failures) in the period: the agent (a turn it did not answer in time or at
    all: the handoff it opened), speech synthesis (the ``speech synthesis failed`` fallback),
    speech recognition and media (``no usable speech``), Twilio (sends that failed on our
    side after their retries). The log records that a vendor call failed, not whether it
    timed out or errored: both are counted."""
    sql = """
        SELECT 'agent (LLM)', count(*) FROM handoff
          WHERE note ILIKE :agent_down AND created_at >= :since AND created_at < :until
        UNION ALL
        SELECT 'speech synthesis', count(*) FROM message
          WHERE key LIKE 'fallback/%' AND text LIKE 'fallback: speech synthesis failed%'
          AND created_at >= :since AND created_at < :until
        UNION ALL
        SELECT 'speech recognition / media', count(*) FROM message
          WHERE key LIKE 'fallback/%' AND text LIKE 'fallback: no usable speech%'
          AND created_at >= :since AND created_at < :until
        UNION ALL
        SELECT 'Twilio sends', count(*) FROM outbox
          WHERE status = 'failed' AND created_at >= :since AND created_at < :until
    """
    result = await _execute(session, sql, {**period.params(), "agent_down": AGENT_DOWN})
    return [(str(k), int(n)) for k, n in result]


@dataclass(frozen=True)
class Conversations:
    """Customers who wrote or spoke in the period, and what became of them."""

    conversations: int  # customers with an inbound message or call turn in the period
    handed_off: int  # of them, with a handoff opened in the period
    by_cause: list[tuple[str, int]]  # handoffs in the period by cause


async def conversations(session: AsyncSession, period: Period) -> Conversations:
    """Containment (conversations without a handoff) and handoffs by cause: the customer
    asked for a person (the agent's ``handoff`` intent), the agent was unavailable, or a
    journey's ``handoff`` step."""
    counts = await _execute(
        session,
        """
            WITH talked AS (
              SELECT DISTINCT customer_e164 FROM message
              WHERE direction = 'inbound' AND kind <> 'event'
              AND created_at >= :since AND created_at < :until
            )
            SELECT
              (SELECT count(*) FROM talked),
              (SELECT count(DISTINCT h.customer_e164) FROM handoff h JOIN talked t
                 ON t.customer_e164 = h.customer_e164
               WHERE h.created_at >= :since AND h.created_at < :until)
            """,
        {**period.params()},
    )
    ((talked, handed_off),) = counts
    causes = await _execute(
        session,
        """
            SELECT CASE
                WHEN key LIKE 'journey/%' THEN 'journey step'
                WHEN note ILIKE :agent_down THEN 'agent unavailable'
                ELSE 'customer asked for a person'
              END AS cause, count(*)
            FROM handoff WHERE created_at >= :since AND created_at < :until
            GROUP BY 1 ORDER BY 2 DESC, 1
            """,
        {**period.params(), "agent_down": AGENT_DOWN},
    )
    return Conversations(
        conversations=int(talked),
        handed_off=int(handed_off),
        by_cause=[(str(c), int(n)) for c, n in causes],
    )


# The agent's intents (``switchboard.agent_models.Intent`` values) in the classes a business
# reads, in the order the page shows them. Greetings, goodbyes and ``handoff`` itself say
# nothing about what the customer needed: they have no class.
INTENT_CLASSES: dict[str, tuple[str, ...]] = {
    "booking": ("propose_booking", "confirm", "decline", "check_availability"),
    # Several changes confirmed by one yes ("cancel both", "Max at 10 and Bella at 11") are
    # counted with the changes, whatever their kinds.
    "change": ("propose_reschedule", "propose_cancel", "propose_changes"),
    "lookup": ("ask_booking",),
    "question": ("answer",),
    "consent": ("opt_out", "opt_in"),
    "unclear": ("clarify", "other"),
}


def _intent_class_sql() -> str:
    """A CASE turning ``message.intent`` into its class (NULL: no class). Built from the
    constants above, never from input."""
    whens = "\n".join(
        f"WHEN m.intent IN ({', '.join(repr(i) for i in intents)}) THEN '{name}'"
        for name, intents in INTENT_CLASSES.items()
    )
    return f"CASE {whens} END"


@dataclass(frozen=True)
class IntentClassRate:
    """One intent class over the period: conversations (customer-days, UTC) in which the agent
    replied with an intent of the class, and how many of them were handed to a person right
    after such a reply (the last classed reply before the handoff, that day)."""

    intent_class: str
    conversations: int
    handed_off: int

    @property
    def rate(self) -> float:
        return self.handed_off / self.conversations if self.conversations else 0.0


@dataclass(frozen=True)
class HandoffsByIntent:
    classes: list[IntentClassRate]  # in ``INTENT_CLASSES`` order, classes seen in the period
    unclassified: int  # handed-off customer-days with no classed agent reply before the handoff


async def handoffs_by_intent(session: AsyncSession, period: Period) -> HandoffsByIntent:
    """Handoff rate by intent class, from the log's ``message.intent`` (the agent's intent for
    each of its replies, recorded since revision 0011) and the ``handoff`` table.

    A conversation is a customer-day (UTC) in the period; it belongs to every class the agent's
    replies had that day. It counts as handed off in class C when a handoff opened that day
    and the agent's last classed reply before it, that day, was C — so handed-off ≤
    conversations in each class. Handed-off days without a classed reply before the handoff
    (a journey's handoff step, the agent unavailable on the first message, replies logged
    before intents were) are ``unclassified``."""
    sql = f"""
        WITH classed AS (
          SELECT m.customer_e164, m.created_at,
            (m.created_at AT TIME ZONE 'UTC')::date AS day,
            {_intent_class_sql()} AS class
          FROM message m
          WHERE m.intent IS NOT NULL AND m.direction = 'outbound'
            AND m.created_at >= :since AND m.created_at < :until
        ), replies AS (
          SELECT * FROM classed WHERE class IS NOT NULL
        ), conv AS (
          SELECT DISTINCT customer_e164, day, class FROM replies
        ), handed AS (
          SELECT DISTINCT h.customer_e164, (h.created_at AT TIME ZONE 'UTC')::date AS day,
            last.class
          FROM handoff h
          LEFT JOIN LATERAL (
            SELECT r.class FROM replies r
            WHERE r.customer_e164 = h.customer_e164
              AND r.day = (h.created_at AT TIME ZONE 'UTC')::date
              AND r.created_at <= h.created_at
            ORDER BY r.created_at DESC LIMIT 1
          ) last ON true
          WHERE h.created_at >= :since AND h.created_at < :until
        )
        SELECT conv.class, count(*), count(h.class) FROM conv
          LEFT JOIN handed h USING (customer_e164, day, class)
          GROUP BY 1
        UNION ALL
        SELECT NULL, 0, count(*) FROM (
          SELECT customer_e164, day FROM handed GROUP BY 1, 2 HAVING count(class) = 0
        ) u
    """
    rows = await _rows(session, sql, period)
    order = list(INTENT_CLASSES)
    classes = sorted(
        (
            IntentClassRate(intent_class=str(c), conversations=int(n), handed_off=int(h))
            for c, n, h in rows
            if c is not None
        ),
        key=lambda x: order.index(x.intent_class),
    )
    unclassified = sum(int(h) for c, _, h in rows if c is None)
    return HandoffsByIntent(classes=classes, unclassified=unclassified)


@dataclass(frozen=True)
class Latency:
    channel: str
    turns: int
    p50_ms: float
    p95_ms: float


async def turn_latency(session: AsyncSession, period: Period) -> list[Latency]:
    """Per channel: from an inbound message's log time (when it was received, for calls and
    WhatsApp) to its reply's (``reply/<sid>``: when the reply was sent or spoken), p50 and
    p95 in ms, over turns received in the period. A WhatsApp turn that merged several
    messages counts once, from its first."""
    result = await _execute(
        session,
        """
            SELECT i.channel, count(*),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.seconds),
              percentile_cont(0.95) WITHIN GROUP (ORDER BY t.seconds)
            FROM message i
            JOIN message r ON r.key = 'reply/' || substring(i.key from 4)
            CROSS JOIN LATERAL (
              SELECT extract(epoch FROM r.created_at - i.created_at) AS seconds
            ) t
            WHERE i.key LIKE 'in/%' AND i.direction = 'inbound'
              AND i.created_at >= :since AND i.created_at < :until
              AND r.created_at >= i.created_at
            GROUP BY 1 ORDER BY 1
            """,
        {**period.params()},
    )
    return [
        Latency(channel=str(c), turns=int(n), p50_ms=float(p50) * 1000, p95_ms=float(p95) * 1000)
        for c, n, p50, p95 in result
    ]


@dataclass(frozen=True)
class AfterConfirmation:
    confirmed: int  # bookings confirmed in the period
    errors: int  # of them, with something wrong within 24 h of the confirmation
    cancelled: int  # cancelled within 24 h
    failed_messages: int  # a message to the customer failed or was undelivered within 24 h
    handed_off: int  # a handoff opened within 24 h


async def after_confirmation(session: AsyncSession, period: Period) -> AfterConfirmation:
    """Of the bookings confirmed in the period, those with an error within 24 h of their
    confirmation: cancelled, a message to the customer that failed or was undelivered, or a
    handoff to a person. A booking with several counts once in ``errors``."""
    result = await _execute(
        session,
        """
            WITH c AS (
              SELECT b.id, b.customer_e164, b.confirmed_at,
                (b.cancelled_at IS NOT NULL
                   AND b.cancelled_at < b.confirmed_at + interval '24 hours') AS cancelled,
                EXISTS (SELECT 1 FROM message m WHERE m.customer_e164 = b.customer_e164
                   AND m.direction = 'outbound' AND m.status IN ('failed', 'undelivered')
                   AND m.created_at >= b.confirmed_at
                   AND m.created_at < b.confirmed_at + interval '24 hours') AS failed,
                EXISTS (SELECT 1 FROM handoff h WHERE h.customer_e164 = b.customer_e164
                   AND h.created_at >= b.confirmed_at
                   AND h.created_at < b.confirmed_at + interval '24 hours') AS handed_off
              FROM booking b
              WHERE b.confirmed_at >= :since AND b.confirmed_at < :until
            )
            SELECT count(*), count(*) FILTER (WHERE cancelled OR failed OR handed_off),
              count(*) FILTER (WHERE cancelled), count(*) FILTER (WHERE failed),
              count(*) FILTER (WHERE handed_off)
            FROM c
            """,
        {**period.params()},
    )
    ((confirmed, errors, cancelled, failed, handed_off),) = result
    return AfterConfirmation(
        confirmed=int(confirmed),
        errors=int(errors),
        cancelled=int(cancelled),
        failed_messages=int(failed),
        handed_off=int(handed_off),
    )
