"""The WhatsApp webhook's acknowledgement path on the API's own statement pool (psycopg's):
a duplicate is a 200 with nothing new, a connection Postgres dropped is retried, Postgres out
of reach is a 503 with nothing acknowledged, and the pool lives and dies with the app. A burst
is committed by the group commit (``InboxWriter``), each message acknowledged after its own
row, and a message Postgres refuses does not take the others with it."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import APIRouter, Request, Response
from sqlalchemy import text
from sqlmodel import col, func, select
from twilio.request_validator import RequestValidator

from api.deps import SignedWebhookRoute, checks_twilio_signature
from api.main import API_POOL_SIZE, GC_YOUNG_THRESHOLD, create_app
from operations.relay import InboxNotifier
from switchboard.db.engine import ACK_POOL_NAME, STATEMENT_POOL_NAME, Database
from switchboard.db.inbound import INBOX_IN_FLIGHT, InboxRow, InboxWriter
from switchboard.db.models import ChannelAddress, Customer, InboundEvent
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.fakes.server import free_port
from tests.polling import BoundedASGITransport, eventually

PATH = "/twilio/whatsapp"


def form(sid: str, body: str = "hello", sender: str = "+33612345678") -> dict[str, str]:
    return {
        "MessageSid": sid,
        "AccountSid": "AC00000000000000000000000000000000",
        "From": f"whatsapp:{sender}",
        "To": "whatsapp:+14155238886",
        "Body": body,
        "NumMedia": "0",
        "WaId": sender.removeprefix("+"),
    }


def signed(settings: Settings, fields: dict[str, str]) -> dict[str, str]:
    token = settings.twilio_auth_token.get_secret_value()
    return {
        "X-Twilio-Signature": RequestValidator(token).compute_signature(PUBLIC_URL + PATH, fields)
    }


class WakeUps(InboxNotifier):
    """The notifier, remembering whom it was asked to wake (nothing runs it here)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.woken: list[str] = []

    def committed(self, e164: str) -> None:
        self.woken.append(e164)


@pytest.fixture
async def acks(database_url: str, db: Database) -> AsyncIterator[Database]:
    """A database whose one-statement paths run on a statement pool of two connections (``db``
    empties the tables first)."""
    database = Database(database_url, statement_pool_size=2, statement_timeout_s=5)
    await database.open()
    yield database
    await database.dispose()


async def post(app: Any, settings: Settings, fields: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        return await client.post(PATH, data=fields, headers=signed(settings, fields))


async def events(db: Database, sid: str) -> list[dict[str, Any]]:
    async with db.session() as s:
        rows = await s.exec(select(InboundEvent).where(InboundEvent.sid == sid))
        return [row.payload for row in rows.all()]


async def backends(db: Database, name: str = STATEMENT_POOL_NAME) -> int:
    async with db.session() as s:
        found = await s.exec(
            select(func.count())
            .select_from(text("pg_stat_activity"))
            .where(text("application_name = :name").bindparams(name=name))
        )
        return int(found.one())


async def test_a_duplicate_sid_is_a_200_with_nothing_new(
    settings: Settings, db: Database, acks: Database
) -> None:
    inbox = WakeUps(acks)
    app = create_app(settings, db=acks, inbox=inbox)
    first = await post(app, settings, form("SM_DUP", "café au lait & co"))
    again = await post(app, settings, form("SM_DUP", "café au lait & co"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["content-type"].startswith("text/xml")
    recorded = await events(db, "SM_DUP")
    assert len(recorded) == 1
    assert recorded[0]["Body"] == "café au lait & co"  # as Twilio sent it, percent-decoded
    assert inbox.woken == ["+33612345678"]  # the relay is woken for the new one only


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"NumMedia": "1", "Body": "a voice note"}, "MediaUrl0"),  # its URL missing
        # Neither text nor media is no longer refused: a location pin or a kind Switchboard
        # does not know arrives so, and a 4xx lost it (tests/api/test_whatsapp_message_kinds.py).
    ],
)
async def test_a_message_with_nothing_to_read_is_a_422_naming_the_field_and_not_recorded(
    settings: Settings, db: Database, acks: Database, fields: dict[str, str], named: str
) -> None:
    inbox = WakeUps(acks)
    app = create_app(settings, db=acks, inbox=inbox)
    response = await post(app, settings, {**form("SM_UNREADABLE"), **fields})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [named]
    assert await events(db, "SM_UNREADABLE") == []
    assert inbox.woken == []


async def test_a_connection_postgres_dropped_is_retried_and_the_message_recorded(
    settings: Settings, db: Database, acks: Database
) -> None:
    app = create_app(settings, db=acks, inbox=WakeUps(acks))
    assert (await post(app, settings, form("SM_BEFORE"))).status_code == 200
    # Postgres ends every idle connection of the pool, as a restart would.
    async with db.session() as s:
        await s.exec(  # type: ignore[call-overload]
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ).bindparams(name=STATEMENT_POOL_NAME)
        )
    response = await post(app, settings, form("SM_AFTER"))
    assert response.status_code == 200
    assert len(await events(db, "SM_AFTER")) == 1


async def test_postgres_out_of_reach_is_a_503_and_nothing_is_acknowledged(
    settings: Settings, db: Database
) -> None:
    nowhere = Database(
        f"postgresql://switchboard@127.0.0.1:{free_port()}/switchboard",
        statement_pool_size=1,
        statement_timeout_s=1,
    )
    await nowhere.open()
    try:
        app = create_app(settings, db=nowhere, inbox=WakeUps(nowhere))
        response = await post(app, settings, form("SM_NOWHERE"))
    finally:
        await nowhere.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert await events(db, "SM_NOWHERE") == []


@pytest.mark.parametrize("workers", [1, 2])
async def test_the_statement_pool_opens_with_the_app_and_closes_with_it(
    settings: Settings, database_url: str, db: Database, workers: int
) -> None:
    """With ``api_workers`` processes on the port, each keeps its share of the one pool size:
    more processes never mean more Postgres backends than one had."""
    cfg = settings.model_copy(
        update={"database_url": database_url, "inbox_relay": False, "api_workers": workers}
    )
    app = create_app(cfg)
    gc.unfreeze()  # another test's app may have frozen this process's objects
    try:
        async with app.router.lifespan_context(app):
            # What was alive at start-up is out of the garbage collector's sight: a full
            # collection no longer stops the webhooks for as long as the heap is large.
            assert gc.get_freeze_count() > 0
            # And the young generation is collected less often: a webhook leaves no cycles.
            assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
            assert (await post(app, cfg, form("SM_LIFESPAN"))).status_code == 200
            await eventually(lambda: backends(db), lambda n: n == API_POOL_SIZE // workers)
            # And the acknowledgements' own few beside them.
            await eventually(lambda: backends(db, ACK_POOL_NAME), lambda n: n == INBOX_IN_FLIGHT)
    finally:
        gc.unfreeze()
    assert gc.get_threshold()[0] != GC_YOUNG_THRESHOLD  # the process's own, given back
    # Closed by the app; a backend leaves pg_stat_activity once its process has exited, a
    # moment later on a busy machine.
    await eventually(lambda: backends(db), lambda n: n == 0)
    await eventually(lambda: backends(db, ACK_POOL_NAME), lambda n: n == 0)
    assert len(await events(db, "SM_LIFESPAN")) == 1


async def test_a_message_is_acknowledged_while_other_webhooks_hold_every_statement_connection(
    settings: Settings, db: Database, database_url: str
) -> None:
    # Status callbacks waiting on a message's lock (the worker's ``record_sent`` holds it) can
    # hold all of the API's statement connections; a customer's message is still committed
    # and acknowledged at once, on the acknowledgements' own connections.
    database = Database(
        database_url, statement_pool_size=1, ack_pool_size=1, statement_timeout_s=10
    )
    await database.open()
    try:
        assert database.statements is not None
        app = create_app(settings, db=database, inbox=WakeUps(database))
        async with database.statements.connection():  # the only one, held by another route
            response = await asyncio.wait_for(post(app, settings, form("SM_BESIDE")), 5)
    finally:
        await database.dispose()
    assert response.status_code == 200
    assert len(await events(db, "SM_BESIDE")) == 1


async def seqs(db: Database, sids: list[str]) -> dict[str, int]:
    async with db.session() as s:
        rows = await s.exec(select(InboundEvent).where(col(InboundEvent.sid).in_(sids)))
        return {row.sid: int(row.seq or 0) for row in rows.all()}


async def test_a_burst_is_committed_together_each_ack_after_its_own_row(
    settings: Settings, db: Database, acks: Database
) -> None:
    # 24 webhooks at once on a pool of two connections: the group commit writes them in a few
    # statements. Each 200 means its row is there; a SID sent twice is one row, woken once;
    # one customer's messages keep the order they arrived in.
    inbox = WakeUps(acks)
    app = create_app(settings, db=acks, inbox=inbox)
    fields = [form(f"SM_BURST{i:02d}", sender=f"+336123450{i:02d}") for i in range(20)]
    fields += [form(f"SM_SAME{i}", f"message {i}", sender="+33699999999") for i in range(3)]
    fields.append(form("SM_BURST00", sender="+33612345000"))  # Twilio's retry of the first
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        responses = await asyncio.gather(
            *(client.post(PATH, data=f, headers=signed(settings, f)) for f in fields)
        )
    assert [r.status_code for r in responses] == [200] * len(fields)
    recorded = await seqs(db, [f["MessageSid"] for f in fields])
    assert len(recorded) == 23
    assert recorded["SM_SAME0"] < recorded["SM_SAME1"] < recorded["SM_SAME2"]
    assert sorted(inbox.woken) == sorted(
        [f"+336123450{i:02d}" for i in range(20)] + ["+33699999999"] * 3
    )


async def test_a_burst_records_each_customer_its_addresses_and_the_form_as_sent(
    settings: Settings, db: Database, acks: Database
) -> None:
    # The group commit sends a batch to Postgres as one JSON document: every customer gets
    # its time zone and both its addresses, and each form is stored exactly as Twilio sent
    # it, quotes, backslashes and accents included.
    senders = ["+33612347001", "+33612347002", "+12125550143", "+33612347001"]
    fields = [
        form(f"SM_JSON{i}", f'say "hi" \\ {i} — été', sender=sender)
        for i, sender in enumerate(senders)
    ]
    app = create_app(settings, db=acks, inbox=WakeUps(acks))
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        responses = await asyncio.gather(
            *(client.post(PATH, data=f, headers=signed(settings, f)) for f in fields)
        )
    assert [r.status_code for r in responses] == [200] * len(fields)
    for f in fields:
        assert await events(db, f["MessageSid"]) == [f]
    async with db.session() as s:
        zones = dict(
            (
                await s.exec(
                    select(Customer.e164, Customer.timezone).where(col(Customer.e164).in_(senders))
                )
            ).all()
        )
        owners = dict(
            (
                await s.exec(
                    select(ChannelAddress.address, ChannelAddress.customer_e164).where(
                        col(ChannelAddress.customer_e164).in_(senders)
                    )
                )
            ).all()
        )
    assert zones == {
        "+33612347001": "Europe/Paris",
        "+33612347002": "Europe/Paris",
        "+12125550143": "America/New_York",
    }
    assert owners == {
        address: sender
        for sender in set(senders)
        for address in (f"whatsapp:{sender}", f"wa_id:{sender.removeprefix('+')}")
    }


async def test_a_message_postgres_refuses_fails_alone(db: Database, acks: Database) -> None:
    # A NUL in the text: Postgres' jsonb refuses it. The messages committed in the same
    # statement are not lost with it.
    writer = InboxWriter(acks)

    def row(sid: str, body: str) -> InboxRow:
        e164 = "+33612340" + sid[-3:]
        fields = form(sid, body, sender=e164)
        return InboxRow(sid=sid, e164=e164, timezone="UTC", addresses=(), payload=fields)

    rows = [row(f"SM_OK{i:03d}", "fine") for i in range(5)] + [row("SM_NUL999", "bad\x00")]
    results = await asyncio.gather(*(writer.record(r) for r in rows), return_exceptions=True)
    assert results[:5] == [True] * 5
    assert isinstance(results[5], psycopg.DataError)
    assert len(await seqs(db, [r.sid for r in rows])) == 5


def test_only_a_route_that_checks_the_signature_itself_skips_the_dependencies() -> None:
    # The WhatsApp route is called without FastAPI's dependency solving, the app-wide access
    # check included (SignedWebhookRoute): an endpoint not marked as checking Twilio's
    # signature first is refused when the route is built (fail closed).
    router = APIRouter(route_class=SignedWebhookRoute)

    async def unsigned(request: Request) -> Response:
        return Response()

    with pytest.raises(TypeError, match="signature"):
        router.post("/unsigned")(unsigned)
    router.post("/signed")(checks_twilio_signature(unsigned))
