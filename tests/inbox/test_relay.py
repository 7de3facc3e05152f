"""The transactional inbox (issue 11, item 1): a WhatsApp webhook is acknowledged once its event
is committed, and the relay (``operations.relay``) hands it to the customer's workflow — after
a Temporal outage, after a crash, with several relays at once — exactly once per relay pass
that succeeds, in each customer's order.

What is real and what is simulated:

- Postgres, the Temporal dev server, the worker, the API (in process) and the fake Twilio are
  the real ones (``tests/conftest.py``).
- A Temporal outage is a network cut between the relay and the server: the relay's client goes
  through ``tests.inbox.proxy.TcpProxy``, which refuses connections and cuts the open ones while
  "down". The server itself keeps running (the worker stays connected to it), so what is
  tested is the relay losing Temporal, not the server losing state.
- A crash between commit and hand-over is the committed row with nobody handing it over (the
  webhook's own ``record_event``, no relay running), then a relay that starts afterwards.
- "Exactly once" and "in order" are read from the customer workflow's history: with no worker
  on its task queue, every ``message`` signal the relays delivered stays in the history, in the
  order the server received them (the workflow would drop a repeat, the history does not).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, cast

import httpx
import pytest
from sqlmodel import col, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.webhook_events import record_event
from devtools.inbound_forms import whatsapp_message_form
from operations import relay as relay_module
from operations.ingest import accept_message, whatsapp_message
from operations.relay import InboxNotifier, InboxRelay
from switchboard.db.engine import Database
from switchboard.db.inbound import WHATSAPP_MESSAGE, pending_count, try_lock_customer
from switchboard.db.models import InboundEvent, Message
from switchboard.settings import Settings
from switchboard.temporal import connect, customer_workflow_id, payload_keys_of
from tests.conftest import PUBLIC_URL, Harness
from tests.inbox.proxy import TcpProxy
from tests.polling import BoundedASGITransport, eventually

CUSTOMER = "+33612345678"
OTHER = "+33698765432"


def whatsapp_form(sid: str, body: str, sender: str = CUSTOMER) -> dict[str, str]:
    return whatsapp_message_form(sid, sender, body)


async def replies_to(h: Harness, e164: str) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{e164}"]


async def inbound_log(h: Harness, e164: str) -> list[str]:
    """The SIDs of the customer's inbound messages in the conversation log, in logged order."""
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message)
            .where(Message.direction == "inbound", Message.customer_e164 == e164)
            .order_by(col(Message.id))
        )
        return [m.provider_sid or "" for m in rows.all()]


async def logged_at(h: Harness, sid: str) -> datetime:
    async with h.db.session() as s:
        row = (await s.exec(select(Message).where(Message.provider_sid == sid))).one()
        return row.created_at


async def events(db: Database) -> dict[str, InboundEvent]:
    async with db.session() as s:
        return {e.sid: e for e in (await s.exec(select(InboundEvent))).all()}


def lazy(connect_to: Callable[[], Awaitable[Client]]) -> Callable[[], Awaitable[Client]]:
    """Connect on first use and keep the client, as the API's lazy client does."""
    cache: list[Client] = []

    async def get() -> Client:
        if not cache:
            cache.append(await connect_to())
        return cache[0]

    return get


def given(client: Client) -> Callable[[], Awaitable[Client]]:
    async def get() -> Client:
        return client

    return get


@contextlib.asynccontextmanager
async def running(relay: InboxRelay) -> AsyncIterator[None]:
    """``relay.run()`` (LISTEN + sweep) for the block."""
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def signalled_sids(client: Client, e164: str) -> list[str]:
    """The SIDs of the ``message`` signals in the customer workflow's history, in order."""
    history = await client.get_workflow_handle(customer_workflow_id(e164)).fetch_history()
    sids = []
    for event in history.events:
        if event.HasField("workflow_execution_signaled_event_attributes"):
            attrs = event.workflow_execution_signaled_event_attributes
            if attrs.signal_name == "message":
                codec = client.data_converter.payload_codec  # payloads are encrypted
                assert codec is not None
                (payload,) = await codec.decode([attrs.input.payloads[0]])
                sids.append(json.loads(payload.data)["sid"])
    return sids


# -- a Temporal outage ---------------------------------------------------------------------------


async def test_temporal_unreachable_every_webhook_is_200_and_answered_in_order_after(
    harness: Harness, temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    proxy = TcpProxy(temporal_env.client.service_client.config.target_host)
    await proxy.start()
    relay = InboxRelay(
        harness.db,
        lazy(lambda: connect(proxy.address, "default", keys=payload_keys_of(harness.temporal))),
        task_queue,
        sweep_s=0.5,
        rpc_timeout=timedelta(seconds=2),
    )
    app = create_app(
        harness.settings,
        db=harness.db,
        temporal=harness.temporal,
        task_queue=task_queue,
        inbox=relay,
    )
    async with (
        httpx.AsyncClient(
            transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=10
        ) as api,
        running(relay),
    ):

        async def post(sid: str, body: str, sender: str = CUSTOMER) -> float:
            form = whatsapp_form(sid, body, sender)
            started = time.monotonic()
            response = await api.post(
                "/twilio/whatsapp", data=form, headers=harness.sign("/twilio/whatsapp", form)
            )
            assert response.status_code == 200, response.text
            return time.monotonic() - started

        # Reachable: the first message goes through (and the relay's client connects).
        await post("SMout0", "Hi there")
        await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)

        await proxy.stop()  # Temporal unreachable from the relay
        outage = [
            ("SMout1", "What are your opening hours?", CUSTOMER),
            ("SMout2", "Do you have parking?", CUSTOMER),
            ("SMoth1", "Hello", OTHER),
            ("SMout3", "Where are you?", CUSTOMER),
        ]
        for sid, body, sender in outage:
            acked_in = await post(sid, body, sender)
            assert acked_in < 2.0, f"{sid} acknowledged in {acked_in:.1f} s: waited on Temporal?"

        # Committed and kept, not handed over; the relay tried and kept the error.
        tried = await eventually(
            lambda: events(harness.db),
            lambda rows: any(rows[sid].relay_error for sid, _, _ in outage),
            timeout_s=30,
        )
        assert all(tried[sid].handed_over_at is None for sid, _, _ in outage)
        assert relay.failures >= 1 and relay.paused()

        await proxy.start()  # Temporal is back
        # Every message is answered: the ones the workflow takes at once are one thought
        # with one reply (workflows/customer.py), so the last message's turn ends with a reply.
        logged = await eventually(
            lambda: inbound_log(harness, CUSTOMER), lambda sids: "SMout3" in sids
        )
        assert logged == ["SMout0", "SMout1", "SMout2", "SMout3"]  # in order
        last_in = await logged_at(harness, "SMout3")
        await eventually(
            lambda: replies_to(harness, CUSTOMER),
            lambda r: datetime.fromisoformat(str(r[-1]["created_at"])) > last_in,
        )
        await eventually(lambda: replies_to(harness, OTHER), lambda r: len(r) == 1)

    assert await inbound_log(harness, OTHER) == ["SMoth1"]
    rows = await events(harness.db)
    assert all(row.handed_over_at is not None for row in rows.values())
    await proxy.stop()


# -- several relays at once -------------------------------------------------------------------


async def test_two_relays_racing_hand_each_message_over_once_in_customer_order(
    db: Database, database_url: str, temporal: Client, settings: Settings
) -> None:
    queue = f"no-worker-{uuid.uuid4()}"  # signals pile up in each history, in order
    customers = [f"+3361234{n:04d}" for n in range(4)]
    written: dict[str, list[str]] = {c: [] for c in customers}

    async def write(n: int) -> None:
        for e164 in customers:
            sid = f"SM{e164[1:]}x{n:03d}"
            await record_event(
                db,
                settings,
                sid=sid,
                kind=WHATSAPP_MESSAGE,
                e164=e164,
                form=whatsapp_form(sid, f"message {n}", e164),
            )
            written[e164].append(sid)

    for n in range(12):  # a backlog both relays find when they start
        await write(n)
    pools = [Database(database_url, pool_size=6), Database(database_url, pool_size=6)]
    relays = [
        InboxRelay(pool, given(temporal), queue, sweep_s=0.2, batch=3, concurrency=4)
        for pool in pools
    ]
    try:
        async with running(relays[0]), running(relays[1]):
            for n in range(12, 30):  # and messages arriving while both run (NOTIFY wakes both)
                await write(n)
                await asyncio.sleep(0.01)

            async def backlog() -> int:
                async with db.session() as s:
                    return await pending_count(s)

            await eventually(backlog, lambda left: left == 0)
    finally:
        for pool in pools:
            await pool.dispose()

    for e164 in customers:
        assert await signalled_sids(temporal, e164) == written[e164]
    assert relays[0].handed_over + relays[1].handed_over == 30 * len(customers)
    assert relays[0].failures == relays[1].failures == 0


async def test_a_customer_held_by_another_relay_is_left_to_it(
    db: Database, temporal: Client, settings: Settings
) -> None:
    """The per-customer lock is what keeps two relays off one customer: while another session
    holds it, a sweep hands over everybody else and leaves that customer's messages alone."""
    queue = f"no-worker-{uuid.uuid4()}"
    for sid, e164 in (("SMheld1", CUSTOMER), ("SMfree1", OTHER)):
        form = whatsapp_form(sid, "hello", e164)
        await record_event(db, settings, sid=sid, kind=WHATSAPP_MESSAGE, e164=e164, form=form)
    relay = InboxRelay(db, given(temporal), queue, listen=False)
    async with db.session() as other_relay:
        assert await try_lock_customer(other_relay, CUSTOMER)
        await relay.sweep()
        rows = await events(db)
        assert rows["SMfree1"].handed_over_at is not None
        assert rows["SMheld1"].handed_over_at is None
    await relay.sweep()  # the other relay died without handing it over: swept now
    assert (await events(db))["SMheld1"].handed_over_at is not None
    assert await signalled_sids(temporal, CUSTOMER) == ["SMheld1"]


class RefusingClient:
    """A client whose signal-with-start Temporal refuses (not an outage: the request itself),
    for one customer, until ``refusing`` is cleared."""

    def __init__(self, client: Client, e164: str) -> None:
        self._client = client
        self._e164 = e164
        self.refusing = True

    async def start_workflow(self, *args: Any, **kwargs: Any) -> Any:
        if self.refusing and kwargs["id"] == customer_workflow_id(self._e164):
            raise RPCError("refused", RPCStatusCode.INVALID_ARGUMENT, b"")
        return await self._client.start_workflow(*args, **kwargs)


async def test_a_refused_hand_over_blocks_that_customer_only_then_goes_in_order(
    db: Database, temporal: Client, settings: Settings
) -> None:
    queue = f"no-worker-{uuid.uuid4()}"
    for sid, e164 in (("SMa1", CUSTOMER), ("SMb1", OTHER), ("SMa2", CUSTOMER)):
        form = whatsapp_form(sid, "hello", e164)
        await record_event(db, settings, sid=sid, kind=WHATSAPP_MESSAGE, e164=e164, form=form)
    refusing = RefusingClient(temporal, CUSTOMER)
    relay = InboxRelay(db, given(cast(Client, refusing)), queue, listen=False)

    await relay.sweep()
    rows = await events(db)
    assert rows["SMb1"].handed_over_at is not None  # the other customer goes on
    assert rows["SMa1"].handed_over_at is None and rows["SMa2"].handed_over_at is None
    assert rows["SMa1"].relay_attempts == 1 and "refused" in (rows["SMa1"].relay_error or "")
    assert rows["SMa1"].relay_after is not None  # not retried in a loop
    assert rows["SMa2"].relay_attempts == 0  # never overtook SMa1
    assert not relay.paused()  # a refusal is not an outage

    refusing.refusing = False
    await asyncio.sleep(1.1)  # the first retry waits 1 s
    await relay.sweep()
    assert await signalled_sids(temporal, CUSTOMER) == ["SMa1", "SMa2"]


# -- a crash -------------------------------------------------------------------------------------


async def test_messages_a_crash_left_behind_are_redriven_by_the_sweep_and_answered_once(
    harness: Harness, task_queue: str
) -> None:
    # The API committed two messages and died before handing them over; its relay had even
    # signalled the first before dying, without stamping it (the stamp commits after).
    for sid, body in (("SMcrash1", "Hi there"), ("SMcrash2", "What are your opening hours?")):
        form = whatsapp_form(sid, body)
        await record_event(
            harness.db, harness.settings, sid=sid, kind=WHATSAPP_MESSAGE, e164=CUSTOMER, form=form
        )
    first = (await events(harness.db))["SMcrash1"]
    await accept_message(
        harness.temporal,
        CUSTOMER,
        whatsapp_message(first.sid, first.payload, first.received_at),
        task_queue,
    )

    # A relay started afterwards hears no NOTIFY (sent before it listened): its sweep finds them.
    relay = InboxRelay(harness.db, given(harness.temporal), task_queue, sweep_s=0.2)
    async with running(relay):
        await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) >= 1)
        await eventually(relay_idle(harness.db), lambda left: left == 0)

    assert await inbound_log(harness, CUSTOMER) == ["SMcrash1", "SMcrash2"]
    # Typed a moment apart, they are one burst (docs/architecture.md, "Turn order"): one answer,
    # to the question; SMcrash1, handed over twice, is in it once.
    replies = await replies_to(harness, CUSTOMER)
    assert len(replies) == 1 and "opening hours" in str(replies[0]["body"]).lower(), replies
    rows = await events(harness.db)
    assert [rows[s].relay_attempts for s in ("SMcrash1", "SMcrash2")] == [1, 1]


def relay_idle(db: Database) -> Callable[[], Awaitable[int]]:
    async def left() -> int:
        async with db.session() as s:
            return await pending_count(s)

    return left


async def test_a_redelivered_webhook_is_not_handed_over_again(harness: Harness) -> None:
    """A webhook Twilio delivers twice is recorded once: only the first is queued."""
    form = whatsapp_form("SMtwice", "Hi there")
    for _ in range(2):
        assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)
    await eventually(relay_idle(harness.db), lambda left: left == 0)
    assert (await events(harness.db))["SMtwice"].relay_attempts == 1


async def test_a_relay_in_another_process_is_woken_by_notify_not_the_sweep(
    db: Database, temporal: Client, settings: Settings
) -> None:
    """An API that runs no relay (``SWITCHBOARD_INBOX_RELAY=false``) wakes the relays of other
    processes with ``NOTIFY switchboard_inbox`` after its commit: with no sweep due for a
    minute, the message is handed over within seconds."""
    queue = f"no-worker-{uuid.uuid4()}"
    relay = InboxRelay(db, given(temporal), queue, sweep_s=60)
    notifier = InboxNotifier(db)
    notifying = asyncio.create_task(notifier.run())
    try:
        async with running(relay):
            await eventually(lambda: listening(relay), lambda yes: yes)
            await asyncio.sleep(0.5)  # the sweep a new LISTEN connection starts with is over
            form = whatsapp_form("SMnotified", "hello")
            await record_event(
                db, settings, sid="SMnotified", kind=WHATSAPP_MESSAGE, e164=CUSTOMER, form=form
            )
            notifier.committed(CUSTOMER)  # what the webhook does after its commit
            await eventually(relay_idle(db), lambda left: left == 0, timeout_s=10)
    finally:
        notifying.cancel()
        await asyncio.gather(notifying, return_exceptions=True)
    assert await signalled_sids(temporal, CUSTOMER) == ["SMnotified"]


async def test_a_relay_of_its_own_process_hands_a_backlog_over_while_its_loop_runs_late(
    db: Database, temporal: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``switchboard relay`` (``yield_to_acks=False``) hands a burst's backlog over at once even
    while its event loop runs late, as it does nearly all the time on a busy machine: there are
    no webhooks in its process to make way for. Holding each drain back 2 s in one of its 8
    slots (the API's relay, ``yield_to_acks=True``), 40 customers take at least 10 s."""
    monkeypatch.setattr(relay_module, "LAG_BUSY_S", -1.0)  # the loop counts as late, always
    queue = f"no-worker-{uuid.uuid4()}"
    customers = [f"+336123460{i:02d}" for i in range(40)]
    for i, e164 in enumerate(customers):
        form = whatsapp_form(f"SMlate{i:02d}", "hello", e164)
        await record_event(
            db, settings, sid=f"SMlate{i:02d}", kind=WHATSAPP_MESSAGE, e164=e164, form=form
        )
    relay = InboxRelay(
        db, given(temporal), queue, sweep_s=60, listen=False, concurrency=8, yield_to_acks=False
    )
    began = time.monotonic()
    async with running(relay):  # its first sweep finds the backlog
        await eventually(relay_idle(db), lambda left: left == 0, timeout_s=30)
    assert time.monotonic() - began < 8.0
    assert await signalled_sids(temporal, customers[-1]) == ["SMlate39"]


async def test_the_notify_leaves_the_next_webhook_on_its_connection_durable(
    database_url: str,
) -> None:
    """The wake-up NOTIFY commits without waiting for its WAL flush (a hint, the message is
    already durable), but only its own transaction: the webhook insert that gets the same
    pooled connection next still commits synchronously, so an acknowledged message survives
    a crash of Postgres."""
    one = Database(database_url, pool_size=1)  # one connection: the NOTIFY's is the insert's
    try:
        await InboxNotifier(one).notify([CUSTOMER])
        async with one.autocommit() as conn:
            row = await (await conn.execute("SHOW synchronous_commit")).fetchone()
            pid = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
        await InboxNotifier(one).notify([CUSTOMER])
        async with one.autocommit() as conn:
            again = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
    finally:
        await one.dispose()
    assert pid == again  # the same connection both times
    assert row == ("on",)


async def listening(relay: InboxRelay) -> bool:
    return relay.listening
