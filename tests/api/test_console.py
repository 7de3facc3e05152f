"""The web console's pages, for each role: sign-in with a person's key (a signed, HttpOnly,
SameSite=Strict cookie), the pages each role admits (403 for the others), signed-out and forged
sessions sent to the sign-in form, a revoked key's session refused, and the timeline read in
the audit log. No worker here: the human reply is in tests/workflows/test_human_reply.py."""

from __future__ import annotations

import html
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from unittest import mock

import httpx
import pytest
from sqlmodel import select

from api.console.session import COOKIE, SESSION_TTL_S, _serializer
from api.main import create_app
from switchboard.access import Principal, Role
from switchboard.db.access import ERASE, audit, audit_entries, create_key, revoke_key
from switchboard.db.consent import current_consent, record_consent, whatsapp_stopped
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.erasure import erase_customer
from switchboard.db.models import Handoff, Outbox
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.polling import BoundedASGITransport

ALEX = "+33612345678"
PAGES = {
    "/console/handoffs": {Role.AGENT, Role.ADMIN},
    "/console/customers": {Role.AGENT, Role.ADMIN},
    f"/console/customers/{ALEX}": {Role.AGENT, Role.ADMIN},
    "/console/journeys": {Role.MARKETER, Role.ENGINEER, Role.ADMIN},
    "/console/journeys/outreach": {Role.MARKETER, Role.ENGINEER, Role.ADMIN},
}


@pytest.fixture
async def console(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    # No Temporal here: the journey page says its runs are unavailable (a closed port).
    settings = settings.model_copy(update={"temporal_address": "127.0.0.1:9"})
    app = create_app(settings, db=db)
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        yield client


async def key_for(db: Database, role: Role, person: str) -> str:
    async with db.session() as s:
        _, key = await create_key(s, person=person, role=role, created_by="test")
    return key.token


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    client.cookies.clear()
    return await client.post("/console/sign-in", data={"key": token})


async def seed(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=ALEX, timezone="Europe/Paris")
        s.add(
            Handoff(
                key="handoff/SM1",
                customer_e164=ALEX,
                queue="agent",
                note="The customer asked for a person: 'I want a human'",
                summary="2025-06-02 10:00 whatsapp inbound: I want a human",
            )
        )


async def test_sign_in_sets_a_strict_http_only_session_and_shows_person_and_role(
    console: httpx.AsyncClient, db: Database
) -> None:
    token = await key_for(db, Role.AGENT, "Ana Agent")
    refused = await sign_in(console, "sbk_000000000000_" + "x" * 43)
    assert refused.status_code == 401 and "unknown or revoked" in refused.text

    signed = await sign_in(console, token)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console/handoffs"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert token not in signed.headers["set-cookie"], "the key itself is never in the cookie"

    page = await console.get("/console/handoffs")
    assert page.status_code == 200
    assert "Ana Agent" in page.text and ">agent<" in page.text
    assert 'href="/console/journeys"' not in page.text, "the nav shows what the role admits"

    out = await console.post("/console/sign-out")
    assert out.status_code == 303
    console.cookies.clear()  # the browser drops the expired cookie
    assert (await console.get("/console/handoffs")).headers["location"] == (
        "/console/sign-in?next=%2Fconsole%2Fhandoffs"
    )


@pytest.mark.parametrize("role", list(Role))
async def test_each_page_admits_its_roles_and_refuses_the_others(
    console: httpx.AsyncClient, db: Database, role: Role
) -> None:
    await seed(db)
    assert (await sign_in(console, await key_for(db, role, f"P {role}"))).status_code == 303
    for path, admitted in PAGES.items():
        response = await console.get(path)
        expected = 200 if role in admitted else 403
        assert response.status_code == expected, (path, role, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
    if role in (Role.AGENT, Role.ADMIN):
        inbox = await console.get("/console/handoffs")
        assert ALEX in inbox.text and "I want a human" in inbox.text
        timeline = await console.get(f"/console/customers/{ALEX}")
        assert "Hand back to the agent" in timeline.text and 'name="reply_id"' in timeline.text
        found = await console.get("/console/customers", params={"q": "612345"})
        assert ALEX in found.text
    if role in (Role.MARKETER, Role.ENGINEER, Role.ADMIN):
        journey = await console.get("/console/journeys/outreach")
        assert "wait_reply" in journey.text and "on_timeout" in journey.text
        assert "Runs unavailable" in journey.text
        listing = await console.get("/console/journeys")
        assert "outreach" in listing.text and "audience" in listing.text


async def test_no_forged_expired_or_revoked_session_gets_in(
    console: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    assert (await console.get("/console/handoffs")).headers["location"] == (
        "/console/sign-in?next=%2Fconsole%2Fhandoffs"
    )
    console.cookies.set(COOKIE, '{"k": null, "p": "me", "r": "admin"}', path="/console")
    assert (await console.get("/console/handoffs")).status_code == 303, "unsigned: refused"

    token = await key_for(db, Role.AGENT, "Ana Agent")
    await sign_in(console, token)
    assert (await console.get("/console/handoffs")).status_code == 200
    async with db.session() as s:
        await revoke_key(s, key_id=token.split("_")[1])
    assert (await console.get("/console/handoffs")).status_code == 303, "revoked: signed out"

    bootstrap = await sign_in(console, settings.api_key.get_secret_value())
    assert bootstrap.status_code == 303
    assert (await console.get("/console/journeys")).status_code == 200


async def test_an_expired_session_says_so_returns_to_the_page_and_keeps_what_was_written(
    console: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # It used to be a bare redirect to the sign-in form: no word of why, the page forgotten,
    # and a reply typed while the 8 hours ran out lost.
    await seed(db)
    token = await key_for(db, Role.AGENT, "Ana Agent")
    principal = {"k": token.split("_")[1], "p": "Ana Agent", "r": "agent"}
    signed_at = int(time.time()) - SESSION_TTL_S - 60  # a session signed 8 h 1 min ago
    with mock.patch("itsdangerous.timed.TimestampSigner.get_timestamp", return_value=signed_at):
        stale = _serializer(settings).dumps(principal)
    console.cookies.set(COOKIE, stale, path="/console")

    page = f"/console/customers/{ALEX}?q=1"
    sent_off = await console.get(page)
    assert sent_off.status_code == 303
    assert sent_off.headers["location"] == (
        f"/console/sign-in?next=%2Fconsole%2Fcustomers%2F%2B{ALEX[1:]}%3Fq%3D1&expired=1"
    )
    form = await console.get(sent_off.headers["location"])
    assert "Your session has ended" in form.text
    assert f'name="next" value="/console/customers/{ALEX}?q=1"' in form.text

    reply = "Hello Alex, about your cat's appointment on Tuesday: we can move it to 11:00."
    refused = await console.post(
        f"/console/customers/{ALEX}/reply",
        data={"reply_id": "0" * 32, "text": reply},
        headers={"Referer": f"{PUBLIC_URL}/console/customers/{ALEX}"},
    )
    assert refused.status_code == 401
    assert "Your session has ended" in refused.text and "Not sent" in refused.text
    assert reply in html.unescape(refused.text), "what was written is shown back"
    async with db.session() as s:
        assert (await s.exec(select(Outbox))).all() == [], "nothing sent"

    console.cookies.clear()
    back = await console.post(
        "/console/sign-in", data={"key": token, "next": f"/console/customers/{ALEX}"}
    )
    assert back.status_code == 303 and back.headers["location"] == f"/console/customers/{ALEX}"
    for elsewhere in ("//evil.example/console/x", "https://evil.example/console/", "/docs"):
        console.cookies.clear()
        signed = await console.post("/console/sign-in", data={"key": token, "next": elsewhere})
        assert signed.headers["location"] == "/console/handoffs", elsewhere


async def test_support_records_an_opt_out_from_the_customers_page(
    console: httpx.AsyncClient, db: Database
) -> None:
    # Support staff could reply and hand back here, but an opt-out said on the phone needed the
    # CLI or the API: the page neither showed consent nor recorded it.
    await seed(db)
    token = await key_for(db, Role.AGENT, "Ana Agent")
    await sign_in(console, token)
    page = await console.get(f"/console/customers/{ALEX}")
    assert 'id="consent"' in page.text and "never asked" in page.text

    recorded = await console.post(
        f"/console/customers/{ALEX}/consent",
        data={"channel": "whatsapp", "purpose": "marketing", "status": "opted_out"},
    )
    assert recorded.status_code == 303
    assert recorded.headers["location"] == f"/console/customers/{ALEX}#consent"
    async with db.session() as s:
        decision = await current_consent(
            s, customer_e164=ALEX, channel="whatsapp", purpose="marketing"
        )
        assert decision is not None and decision.status == "opted_out"
        assert decision.source == "console: Ana Agent"
        [entry] = await audit_entries(s, action="consent.record")
        assert entry.target == ALEX
    shown = html.unescape((await console.get(f"/console/customers/{ALEX}")).text)
    assert "<td>whatsapp</td><td>marketing</td><td>opted_out</td><td>console: Ana Agent</td>" in (
        shown
    )

    bad = await console.post(
        f"/console/customers/{ALEX}/consent",
        data={"channel": "sms", "purpose": "marketing", "status": "opted_out"},
    )
    assert bad.status_code == 422

    await sign_in(console, await key_for(db, Role.MARKETER, "Mia Marketer"))
    refused = await console.post(
        f"/console/customers/{ALEX}/consent",
        data={"channel": "whatsapp", "purpose": "marketing", "status": "opted_in"},
    )
    assert refused.status_code == 403


async def test_reading_a_timeline_is_in_the_audit_log(
    console: httpx.AsyncClient, db: Database
) -> None:
    await seed(db)
    await sign_in(console, await key_for(db, Role.AGENT, "Ana Agent"))
    assert (await console.get(f"/console/customers/{ALEX}")).status_code == 200
    assert (await console.get("/console/customers/+33699999999")).status_code == 404
    async with db.session() as s:
        reads = await audit_entries(s, action="conversation.read")
    assert [(r.person, r.role, r.target) for r in reads] == [("Ana Agent", "agent", ALEX)]


async def post_reply(console: httpx.AsyncClient, text: str) -> httpx.Response:
    """A person's reply to Alex from their page, with a fresh one-time ID."""
    return await console.post(
        f"/console/customers/{ALEX}/reply",
        data={"reply_id": uuid.uuid4().hex, "text": text},
        headers={"Referer": f"{PUBLIC_URL}/console/customers/{ALEX}"},
    )


async def test_a_reply_to_a_customer_who_sent_stop_is_not_sent_and_the_page_says_why(
    console: httpx.AsyncClient, db: Database
) -> None:
    # The customer asked for a person, then sent STOP: the person's reply went out anyway.
    await seed(db)
    async with db.session() as s:
        await log_message(
            s,
            key="in/SMstop",
            customer_e164=ALEX,
            channel="whatsapp",
            direction="inbound",
            kind="text",
            text="STOP",
            at=datetime.now(UTC) - timedelta(minutes=5),
        )
        await record_consent(
            s,
            customer_e164=ALEX,
            channel="whatsapp",
            purpose="service",
            status="opted_out",
            source="whatsapp_stop",
        )
    await sign_in(console, await key_for(db, Role.AGENT, "Ana Agent"))
    before = html.unescape((await console.get(f"/console/customers/{ALEX}")).text)
    assert "The customer opted out of WhatsApp" in before, "said before anyone types"
    reply = "Hello Alex, we can see you on Tuesday at 11:00."
    refused = await post_reply(console, reply)
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert "Not sent: the customer opted out of WhatsApp" in page and "Call them" in page
    assert reply in page, "what was written is shown back"
    async with db.session() as s:
        assert (await s.exec(select(Outbox))).all() == [], "nothing sent"
        assert await whatsapp_stopped(s, customer_e164=ALEX) is not None


async def test_a_customer_who_wrote_again_after_stop_or_opted_in_again_may_be_answered(
    db: Database,
) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=ALEX, timezone="Europe/Paris")
        assert await whatsapp_stopped(s, customer_e164=ALEX) is None, "never opted out"
        await record_consent(
            s,
            customer_e164=ALEX,
            channel="whatsapp",
            purpose="service",
            status="opted_out",
            source="whatsapp_stop",
        )
    async with db.session() as s:
        assert await whatsapp_stopped(s, customer_e164=ALEX) is not None
        await log_message(
            s,
            key="in/SMagain",
            customer_e164=ALEX,
            channel="whatsapp",
            direction="inbound",
            kind="text",
            text="sorry, I still need the appointment moved",
            at=datetime.now(UTC) + timedelta(seconds=1),
        )
    async with db.session() as s:
        assert await whatsapp_stopped(s, customer_e164=ALEX) is None, "a conversation they began"


async def test_an_erased_customer_s_page_says_so_and_a_reply_to_them_says_it_was_not_sent(
    console: httpx.AsyncClient, db: Database
) -> None:
    # It said "No customer has the number": staff could not tell an erasure from a typo, and
    # a reply posted after the erasure landed there without a word that it went nowhere.
    await seed(db)
    async with db.session() as s:
        await audit(s, by=Principal("Ada Admin", Role.ADMIN, None), action=ERASE, target=ALEX)
        await erase_customer(s, e164=ALEX)
    await sign_in(console, await key_for(db, Role.AGENT, "Ana Agent"))
    page = await console.get(f"/console/customers/{ALEX}")
    assert page.status_code == 404
    assert f"The customer with the number {ALEX} was erased on" in page.text
    reply = "Hello Alex, about Tuesday."
    refused = await post_reply(console, reply)
    assert refused.status_code == 404
    text = html.unescape(refused.text)
    assert "Not sent: unknown customer" in text and reply in text
    other = await console.get("/console/customers/+33699999999")
    assert other.status_code == 404 and "No customer has the number" in other.text
