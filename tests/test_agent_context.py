"""The agent's context for a turn (``switchboard.agent_context.load_context``), read in one
statement (``switchboard.db.context``): what the agent is shown of a customer with a long
history across both channels, several pets booked and a busy calendar, and of a stranger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from switchboard.agent_context import ContextRequest, load_context
from switchboard.agent_models import AgentContext, BookingView, Channel, Direction, HistoryTurn
from switchboard.business import BusinessProfile, load_profile
from switchboard.db.context import ROOM
from switchboard.db.conversation import count_before, recent_messages
from switchboard.db.crm import bookings_for, busy_between
from switchboard.db.customers import get_customer
from switchboard.db.engine import Database
from switchboard.db.models import Booking, Customer, Message

CUSTOMER = "+33612345678"
OTHER = "+33698765432"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
WINDOW = 4


async def orm_context(
    db: Database,
    request: ContextRequest,
    *,
    window: int,
    default_timezone: str,
    profile: BusinessProfile,
) -> AgentContext:
    """The context as the ORM read it before the single statement: five queries in a session."""
    async with db.session() as s:
        customer = await get_customer(s, e164=request.customer)
        rows = [
            r
            for r in await recent_messages(
                s,
                customer_e164=request.customer,
                limit=window + len(request.exclude_keys) + ROOM,
            )
            if r.key not in request.exclude_keys and r.text and r.kind != "event"
        ][-window:]
        older = 0
        if rows and rows[0].id is not None:
            older = await count_before(s, customer_e164=request.customer, before_id=rows[0].id)
        bookings = await bookings_for(s, customer_e164=request.customer)
        busy = await busy_between(
            s,
            start=request.now,
            end=request.now + timedelta(days=profile.horizon_days),
            default_minutes=profile.service().duration_minutes,
        )
    return AgentContext(
        customer=request.customer,
        channel=request.channel,
        message=request.message,
        now=request.now,
        timezone=customer.timezone if customer else default_timezone,
        history=[
            HistoryTurn(
                channel=Channel(r.channel),
                direction=Direction(r.direction),
                text=r.text,
                at=r.created_at,
                call_sid=r.call_sid,
            )
            for r in rows
        ],
        summary=f"{older} earlier messages are not shown." if older else "",
        bookings=[
            BookingView(
                id=b.id,
                slot_start=b.slot_start,
                subject=b.subject,
                status=b.status,
                service=b.service,
                call_sid=b.call_sid,
                channel=Channel(b.channel) if b.channel in set(Channel) else None,
            )
            for b in bookings
        ],
        pending=request.pending,
        goal=request.goal,
        business=profile,
        busy=sorted(busy, key=lambda b: (b.start, b.booking_id)),
    )


async def seed(db: Database) -> None:
    """Eleven log rows over both channels (two without text, one an event line; the last is
    the message the turn answers, so it is left out of the history),
    four bookings for three pets (one made before channels were recorded), and other customers'
    bookings around the calendar's range."""
    at = NOW - timedelta(hours=3)
    lines = [
        ("whatsapp", "inbound", "text", "Hi, is Max due for his jab?", None),
        ("whatsapp", "inbound", "image", "", None),  # a photo: no text, never shown
        ("whatsapp", "outbound", "text", "Yes, Max is due in December.", None),
        ("voice", "inbound", "speech", "I'm calling about Bella.", "CA1"),
        ("voice", "outbound", "event", "", "CA1"),  # a call event without text
        ("voice", "outbound", "speech", "Bella can come on Tuesday.", "CA1"),
        ("whatsapp", "inbound", "text", "And Luna, the cat?", None),
        ("whatsapp", "outbound", "text", "Luna too, on Thursday.", None),
        # an event line with text: what the system did, never said to anyone (the rules
        # agent read it as our last reply, after "Done: …", and lost the booking just made)
        ("whatsapp", "outbound", "event", "journey draft-followup exited: booked", None),
        ("whatsapp", "inbound", "text", "Great, thanks", None),
        ("whatsapp", "inbound", "voice_note", "Can I move Max to Friday?", None),
    ]
    async with db.session() as s:
        s.add(Customer(e164=CUSTOMER, timezone="America/Montreal"))
        s.add(Customer(e164=OTHER, timezone="Europe/Paris"))
        await s.flush()  # no ORM relationship orders the inserts: the customers go first
        for i, (channel, direction, kind, text, call_sid) in enumerate(lines):
            s.add(
                Message(
                    key=f"k{i}",
                    customer_e164=CUSTOMER,
                    channel=channel,
                    direction=direction,
                    kind=kind,
                    text=text,
                    call_sid=call_sid,
                    created_at=at + timedelta(minutes=10 * i),
                )
            )
        day = timedelta(days=1)
        for booking in (
            Booking(
                id="b1",
                customer_e164=CUSTOMER,
                slot_start=NOW + 3 * day,
                subject="Max",
                status="confirmed",
                channel="whatsapp",
                service="vaccination",
                duration_minutes=20,
            ),
            Booking(
                id="b2",
                customer_e164=CUSTOMER,
                slot_start=NOW + 5 * day,
                subject="Bella",
                status="confirmed",
                channel="voice",
                call_sid="CA1",
            ),
            Booking(
                id="b3",
                customer_e164=CUSTOMER,
                slot_start=NOW - 30 * day,
                subject="Luna",
                status="cancelled",
                channel="whatsapp",
            ),
            Booking(
                id="b4",
                customer_e164=CUSTOMER,
                slot_start=NOW + 8 * day,
                subject="Max and Bella",
                status="draft",
                channel="legacy",
            ),
            # Other customers' bookings: one ends before now, one still runs, one is past the
            # horizon, one is not confirmed.
            Booking(
                id="o1",
                customer_e164=OTHER,
                slot_start=NOW - timedelta(hours=2),
                subject="Rex",
                status="confirmed",
                channel="whatsapp",
                duration_minutes=30,
            ),
            Booking(
                id="o2",
                customer_e164=OTHER,
                slot_start=NOW - timedelta(minutes=10),
                subject="Rex",
                status="confirmed",
                channel="whatsapp",
            ),
            Booking(
                id="o3",
                customer_e164=OTHER,
                slot_start=NOW + 400 * day,
                subject="Rex",
                status="confirmed",
                channel="whatsapp",
            ),
            Booking(
                id="o4",
                customer_e164=OTHER,
                slot_start=NOW + day,
                subject="Rex",
                status="draft",
                channel="whatsapp",
            ),
        ):
            s.add(booking)


async def both(db: Database, customer: str, profile: BusinessProfile) -> list[AgentContext]:
    """The context from ``load_context`` and from the ORM's five queries, for ``customer``."""
    request = ContextRequest(
        customer=customer,
        channel=Channel.WHATSAPP,
        message="Can I move Max to Friday?",
        now=NOW,
        exclude_keys=["k10"],
    )
    return [
        await load(db, request, window=WINDOW, default_timezone="Europe/Paris", profile=profile)
        for load in (load_context, orm_context)
    ]


async def test_one_statement_gives_the_context_the_orm_gave(db: Database) -> None:
    await seed(db)
    profile = load_profile()

    context, before = await both(db, CUSTOMER, profile)

    assert context == before
    # What the agent reads: the last four lines with text before the message it answers, the
    # rest summed up, the three pets' bookings soonest first, and the calendar's busy slots.
    assert [t.text for t in context.history] == [
        "Bella can come on Tuesday.",
        "And Luna, the cat?",
        "Luna too, on Thursday.",
        "Great, thanks",
    ]
    assert context.history[0].channel is Channel.VOICE and context.history[0].call_sid == "CA1"
    assert context.summary == "5 earlier messages are not shown."
    assert context.timezone == "America/Montreal"
    assert [b.id for b in context.bookings] == ["b3", "b1", "b2", "b4"]
    assert context.bookings[3].channel is None  # a channel the product no longer names
    assert [(b.booking_id, b.end - b.start) for b in context.busy] == [
        ("o2", timedelta(minutes=profile.service().duration_minutes)),
        ("b1", timedelta(minutes=20)),
        ("b2", timedelta(minutes=profile.service().duration_minutes)),
    ]


async def test_a_stranger_gets_an_empty_context_in_the_default_timezone(db: Database) -> None:
    await seed(db)
    context, before = await both(db, "+33600000000", load_profile())

    assert context == before
    assert context.timezone == "Europe/Paris"
    assert (context.history, context.summary, context.bookings) == ([], "", [])
    assert [b.booking_id for b in context.busy] == ["o2", "b1", "b2"]
