"""The local Twilio sandbox on its own: signed status callbacks, the journal, paging, errors."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from switchboard.sandbox import create_sandbox_app
from switchboard.settings import LOCAL_TWILIO_ACCOUNT_SID as AC
from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN as TOKEN
from tests.fakes.server import free_port, serve

AUTH = (AC, TOKEN)
MESSAGES = f"/2010-04-01/Accounts/{AC}/Messages.json"
CALLS = f"/2010-04-01/Accounts/{AC}/Calls.json"
CUSTOMER = "whatsapp:+33612345678"
WHATSAPP_FROM = "whatsapp:+14155238886"


def sandbox_client(journal_path: Path | None = None) -> TestClient:
    app = create_sandbox_app(
        account_sid=AC,
        auth_token=TOKEN,
        public_url="http://sandbox.test",
        journal_path=journal_path,
    )
    return TestClient(app, base_url="http://sandbox.test")


@dataclass
class StatusReceiver:
    """Our side of a status callback: records each request's form and signature."""

    received: list[tuple[dict[str, str], str]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/twilio/status")
        async def status(request: Request) -> Response:
            form = await request.form()
            params = {key: str(value) for key, value in form.items()}
            self.received.append((params, request.headers.get("X-Twilio-Signature", "")))
            return Response(status_code=204)

        return app


@pytest.fixture
def sandbox() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serve(create_sandbox_app(account_sid=AC, auth_token=TOKEN, public_url=url), port=port):
        yield url


def wait_for(predicate: Any, timeout_s: float = 5) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_status_callbacks_are_delivered_signed(sandbox: str) -> None:
    receiver = StatusReceiver()
    with serve(receiver.app()) as receiver_url:
        callback = f"{receiver_url}/twilio/status?tenant=demo"  # the query is signed too
        created = httpx.post(
            f"{sandbox}{MESSAGES}",
            auth=AUTH,
            data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "hi", "StatusCallback": callback},
        )
        assert created.status_code == 201
        sid = created.json()["sid"]
        wait_for(lambda: len(receiver.received) == 2)

    validator = RequestValidator(TOKEN)
    assert [params["MessageStatus"] for params, _ in receiver.received] == ["sent", "delivered"]
    for params, signature in receiver.received:
        assert params["MessageSid"] == sid
        assert (params["To"], params["From"], params["AccountSid"]) == (CUSTOMER, WHATSAPP_FROM, AC)
        assert validator.validate(callback, params, signature)
        assert not validator.validate(callback, {**params, "MessageStatus": "read"}, signature)
        assert not RequestValidator("another-token").validate(callback, params, signature)
    [row] = httpx.get(f"{sandbox}/sandbox/messages").json()
    assert row["status"] == "delivered"


def test_a_failing_status_callback_does_not_stop_delivery(sandbox: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}/twilio/status"
    created = httpx.post(
        f"{sandbox}{MESSAGES}",
        auth=AUTH,
        data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "hi", "StatusCallback": dead},
    )
    assert created.status_code == 201

    def delivered() -> bool:
        [row] = httpx.get(f"{sandbox}/sandbox/messages").json()
        return bool(row["status"] == "delivered")

    wait_for(delivered)


def test_journal_survives_a_restart_and_reset_empties_it(tmp_path: Path) -> None:
    journal = tmp_path / "data" / "sandbox.jsonl"  # the directory is created on start
    with sandbox_client(journal) as client:
        message = client.post(
            MESSAGES,
            auth=AUTH,
            data={
                "To": CUSTOMER,
                "From": WHATSAPP_FROM,
                "ContentSid": "HX" + "a" * 32,
                "ContentVariables": '{"1": "Felix"}',
            },
        ).json()
        call = client.post(
            CALLS,
            auth=AUTH,
            data={"To": "+33612345678", "From": "+14155238887", "Url": "http://api.test/answer"},
        ).json()

    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [(line["kind"], line["sid"]) for line in lines] == [
        ("message", message["sid"]),
        ("call", call["sid"]),
    ]

    with sandbox_client(journal) as client:
        [row] = client.get("/sandbox/messages").json()
        assert (row["sid"], row["to"], row["content_sid"]) == (
            message["sid"],
            CUSTOMER,
            "HX" + "a" * 32,
        )
        assert row["content_variables"] == {"1": "Felix"}
        assert [c["sid"] for c in client.get("/sandbox/calls").json()] == [call["sid"]]
        # The Twilio API answers from the reloaded state as well.
        fetched = client.get(f"/2010-04-01/Accounts/{AC}/Messages/{message['sid']}.json", auth=AUTH)
        assert fetched.json()["status"] == "delivered"

        assert client.post("/sandbox/reset").status_code == 204
        assert client.get("/sandbox/messages").json() == []

    assert journal.read_text() == ""
    with sandbox_client(journal) as client:
        assert client.get("/sandbox/calls").json() == []


def test_message_list_pages_like_twilio() -> None:
    with sandbox_client() as client:
        sids = [
            client.post(
                MESSAGES, auth=AUTH, data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": str(i)}
            ).json()["sid"]
            for i in range(5)
        ]
        client.post(MESSAGES, auth=AUTH, data={"To": "+447700900123", "From": "+1555", "Body": "x"})

        seen: list[str] = []
        uri: str | None = f"{MESSAGES}?{urlencode({'To': CUSTOMER, 'PageSize': 2})}"
        while uri is not None:
            page = client.get(uri, auth=AUTH).json()
            assert page["page_size"] == 2
            seen += [m["sid"] for m in page["messages"]]
            uri = page["next_page_uri"]

    assert seen == list(reversed(sids))  # newest first, every page, only this recipient


def test_twilio_routes_need_basic_auth_for_the_right_account() -> None:
    with sandbox_client() as client:
        anonymous = client.get(MESSAGES)
        wrong = client.get(MESSAGES, auth=(AC, "wrong"))
        other_account = client.get(MESSAGES.replace(AC, "AC" + "1" * 32), auth=AUTH)

    assert anonymous.status_code == wrong.status_code == 401
    assert wrong.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }
    assert wrong.headers["WWW-Authenticate"].startswith("Basic")
    assert other_account.status_code == 404


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"To": "whatsapp:12345", "From": WHATSAPP_FROM, "Body": "x"}, 21211),
        ({"From": WHATSAPP_FROM, "Body": "x"}, 21604),
        ({"To": CUSTOMER, "Body": "x"}, 21603),
        ({"To": CUSTOMER, "From": WHATSAPP_FROM}, 21602),
        (
            {"To": CUSTOMER, "From": WHATSAPP_FROM, "ContentSid": "HX1", "ContentVariables": "{"},
            21656,
        ),
    ],
)
def test_invalid_messages_get_twilio_error_codes(form: dict[str, str], code: int) -> None:
    with sandbox_client() as client:
        response = client.post(MESSAGES, auth=AUTH, data=form)
        assert client.get("/sandbox/messages").json() == []
    assert (response.status_code, response.json()["code"]) == (400, code)


def test_media_redirects_to_an_open_cdn_url_with_the_original_content_type() -> None:
    with sandbox_client() as client:
        upload = client.post(
            "/sandbox/media", content=b"hello", headers={"Content-Type": "text/plain"}
        ).json()
        media_path = upload["url"].removeprefix("http://sandbox.test")
        redirect = client.get(media_path, auth=AUTH, follow_redirects=False)
        cdn = client.get(redirect.headers["Location"])  # no credentials
        unknown = client.get("/sandbox/cdn/not-a-token")

    assert upload["sid"].startswith("ME") and upload["content_type"] == "text/plain"
    assert redirect.status_code == 307
    assert (cdn.status_code, cdn.content, cdn.headers["Content-Type"]) == (
        200,
        b"hello",
        "text/plain",
    )
    assert unknown.status_code == 404
