"""The fake Twilio on its own: signed status callbacks, the journal, paging, errors,
template rendering, and failure injection as the real ``TwilioTelephony`` adapter sees it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from pydantic import ValidationError
from twilio.request_validator import RequestValidator

from devtools.fake_twilio import FaultConfig, FaultRates, create_fake_twilio_app
from devtools.fake_twilio import main as fake_twilio_main
from switchboard.message_templates import load_templates
from switchboard.providers.base import ProviderUnavailable
from switchboard.providers.twilio_rest import TwilioTelephony
from switchboard.settings import LOCAL_TWILIO_ACCOUNT_SID as AC
from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN as TOKEN
from switchboard.settings import get_settings
from tests.fakes.server import free_port, serve
from tests.fakes.twilio import approved_templates, running_fake_twilio

if TYPE_CHECKING:
    from httpx2 import Response as TestResponse  # what Starlette's TestClient answers with

AUTH = (AC, TOKEN)
MESSAGES = f"/2010-04-01/Accounts/{AC}/Messages.json"
CALLS = f"/2010-04-01/Accounts/{AC}/Calls.json"
CUSTOMER = "whatsapp:+33612345678"
WHATSAPP_FROM = "whatsapp:+14155238886"
VOICE_FROM = "+14155238887"
GREETING_SID = "HX" + "1" * 32
TEMPLATES = {GREETING_SID: "Hello {{1}}, your slot is {{ 2 }}. See you {{1}}!"}


def fake_client(
    journal_path: Path | None = None,
    *,
    templates: dict[str, str] | None = None,
    faults: FaultConfig | None = None,
) -> TestClient:
    app = create_fake_twilio_app(
        account_sid=AC,
        auth_token=TOKEN,
        public_url="http://fake-twilio.test",
        journal_path=journal_path,
        templates=templates,
        faults=faults,
    )
    return TestClient(app, base_url="http://fake-twilio.test")


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
def fake_twilio() -> Iterator[str]:
    with running_fake_twilio(account_sid=AC, auth_token=TOKEN) as url:
        yield url


def wait_for(predicate: Any, timeout_s: float = 5) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_status_callbacks_are_delivered_signed(fake_twilio: str) -> None:
    receiver = StatusReceiver()
    with serve(receiver.app()) as receiver_url:
        callback = f"{receiver_url}/twilio/status?tenant=demo"  # the query is signed too
        created = httpx.post(
            f"{fake_twilio}{MESSAGES}",
            auth=AUTH,
            data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "hi", "StatusCallback": callback},
        )
        assert created.status_code == 201
        sid = created.json()["sid"]
        wait_for(lambda: len(receiver.received) == 3)

    validator = RequestValidator(TOKEN)
    # No callback for the initial ``queued``; WhatsApp has read receipts.
    assert [params["MessageStatus"] for params, _ in receiver.received] == [
        "sent",
        "delivered",
        "read",
    ]
    for params, signature in receiver.received:
        assert params["MessageSid"] == sid
        assert (params["To"], params["From"], params["AccountSid"]) == (CUSTOMER, WHATSAPP_FROM, AC)
        assert validator.validate(callback, params, signature)
        assert not validator.validate(callback, {**params, "MessageStatus": "failed"}, signature)
        assert not RequestValidator("another-token").validate(callback, params, signature)
    [row] = httpx.get(f"{fake_twilio}/_fake/messages").json()
    assert row["status"] == "read"


def test_a_failing_status_callback_does_not_stop_delivery(fake_twilio: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}/twilio/status"
    created = httpx.post(
        f"{fake_twilio}{MESSAGES}",
        auth=AUTH,
        data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "hi", "StatusCallback": dead},
    )
    assert created.status_code == 201

    def delivered() -> bool:
        [row] = httpx.get(f"{fake_twilio}/_fake/messages").json()
        return bool(row["status"] == "read")

    wait_for(delivered)


def test_journal_survives_a_restart_and_reset_empties_it(tmp_path: Path) -> None:
    journal = tmp_path / "data" / "fake_twilio.jsonl"  # the directory is created on start
    with fake_client(journal) as client:
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

    with fake_client(journal) as client:
        [row] = client.get("/_fake/messages").json()
        assert (row["sid"], row["to"], row["content_sid"]) == (
            message["sid"],
            CUSTOMER,
            "HX" + "a" * 32,
        )
        assert row["content_variables"] == {"1": "Felix"}
        assert [c["sid"] for c in client.get("/_fake/calls").json()] == [call["sid"]]
        # The Twilio API answers from the reloaded state as well.
        fetched = client.get(f"/2010-04-01/Accounts/{AC}/Messages/{message['sid']}.json", auth=AUTH)
        assert fetched.json()["status"] == "delivered"

        assert client.post("/_fake/reset").status_code == 204
        assert client.get("/_fake/messages").json() == []

    assert journal.read_text() == ""
    with fake_client(journal) as client:
        assert client.get("/_fake/calls").json() == []


def test_message_list_pages_like_twilio() -> None:
    with fake_client() as client:
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
    with fake_client() as client:
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
        (
            {"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "x", "ContentVariables": '{"1": "x"}'},
            21654,
        ),
    ],
)
def test_invalid_messages_get_twilio_error_codes(form: dict[str, str], code: int) -> None:
    with fake_client() as client:
        response = client.post(MESSAGES, auth=AUTH, data=form)
        assert client.get("/_fake/messages").json() == []
    assert (response.status_code, response.json()["code"]) == (400, code)


def test_media_redirects_to_an_open_cdn_url_with_the_original_content_type() -> None:
    with fake_client() as client:
        upload = client.post(
            "/_fake/media", content=b"hello", headers={"Content-Type": "text/plain"}
        ).json()
        media_path = upload["url"].removeprefix("http://fake-twilio.test")
        redirect = client.get(media_path, auth=AUTH, follow_redirects=False)
        cdn = client.get(redirect.headers["Location"])  # no credentials
        unknown = client.get("/_fake/cdn/not-a-token")

    assert upload["sid"].startswith("ME") and upload["content_type"] == "text/plain"
    assert redirect.status_code == 307
    assert (cdn.status_code, cdn.content, cdn.headers["Content-Type"]) == (
        200,
        b"hello",
        "text/plain",
    )
    assert unknown.status_code == 404


# -- templates ------------------------------------------------------------------------------------


def test_a_template_send_records_and_lists_the_rendered_body() -> None:
    variables = {"1": "Felix", "2": "Tuesday 10:00"}
    rendered = "Hello Felix, your slot is Tuesday 10:00. See you Felix!"
    with fake_client(templates=TEMPLATES) as client:
        created = client.post(
            MESSAGES,
            auth=AUTH,
            data={
                "To": CUSTOMER,
                "From": WHATSAPP_FROM,
                "ContentSid": GREETING_SID,
                "ContentVariables": json.dumps(variables),
            },
        )
        [row] = client.get("/_fake/messages").json()
        listed = client.get(MESSAGES, params={"To": CUSTOMER}, auth=AUTH).json()["messages"]

    assert created.status_code == 201
    assert created.json()["body"] == rendered
    assert (row["body"], row["content_sid"], row["content_variables"]) == (
        rendered,
        GREETING_SID,
        variables,
    )
    assert [m["body"] for m in listed] == [rendered]  # what reconciliation compares


@pytest.mark.parametrize(
    ("content_sid", "variables", "code"),
    [
        ("HX" + "f" * 32, {"1": "Felix", "2": "10:00"}, 21655),  # not an approved template
        (GREETING_SID, {"1": "Felix"}, 21656),  # {{2}} has no value
        (GREETING_SID, {"1": "Felix", "2": ""}, 21656),  # empty values are refused
        (GREETING_SID, None, 21656),  # no ContentVariables at all
    ],
)
def test_template_errors_get_twilio_codes(
    content_sid: str, variables: dict[str, str] | None, code: int
) -> None:
    form = {"To": CUSTOMER, "From": WHATSAPP_FROM, "ContentSid": content_sid}
    if variables is not None:
        form["ContentVariables"] = json.dumps(variables)
    with fake_client(templates=TEMPLATES) as client:
        response = client.post(MESSAGES, auth=AUTH, data=form)
        assert client.get("/_fake/messages").json() == []
    assert (response.status_code, response.json()["code"]) == (400, code)


async def test_the_adapter_lists_a_template_send_with_its_rendered_body() -> None:
    """The approved templates as ``devtools.fake_twilio.main`` loads them, through the SDK."""
    [template] = list(load_templates().values())[:1]
    variables = {"1": "a haircut", "2": "Tuesday 24 November at 10:00"}
    with running_fake_twilio(
        account_sid=AC, auth_token=TOKEN, templates=approved_templates()
    ) as url:
        adapter = telephony(url)
        sent = await adapter.send_whatsapp(
            to=CUSTOMER, content_sid=template.content_sid, content_variables=variables
        )
        [listed] = await adapter.list_messages(
            to=CUSTOMER, sent_after=datetime.now(UTC) - timedelta(minutes=1)
        )
    assert (listed.sid, listed.body) == (sent.sid, template.render(variables))


def test_main_renders_the_approved_templates_and_reads_faults_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWITCHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(
        fake_twilio_main.FAULTS_ENV, '{"seed": 5, "messages_list": {"error_500": 1}}'
    )
    template = next(iter(load_templates().values()))
    get_settings.cache_clear()
    try:
        app = fake_twilio_main.app()
    finally:
        get_settings.cache_clear()
    with TestClient(app) as client:
        created = client.post(
            MESSAGES,
            auth=AUTH,
            data={
                "To": CUSTOMER,
                "From": WHATSAPP_FROM,
                "ContentSid": template.content_sid,
                "ContentVariables": json.dumps({"1": "x", "2": "y"}),
            },
        )
        listed = client.get(MESSAGES, auth=AUTH)
        faults = client.get("/_fake/faults").json()

    assert created.json()["body"] == template.render({"1": "x", "2": "y"})
    assert (listed.status_code, listed.json()["code"]) == (500, 20500)
    assert faults["seed"] == 5 and faults["messages_list"]["error_500"] == 1
    assert (tmp_path / "sandbox.jsonl").exists()  # the journal lives in the data directory


def test_faults_from_env() -> None:
    env = fake_twilio_main.FAULTS_ENV
    assert fake_twilio_main.faults_from_env({}) is None
    assert fake_twilio_main.faults_from_env({env: "  "}) is None
    config = fake_twilio_main.faults_from_env({env: '{"media": {"slow": 0.5, "slow_ms": 10}}'})
    assert config == FaultConfig(media=FaultRates(slow=0.5, slow_ms=10))
    with pytest.raises(ValidationError):
        fake_twilio_main.faults_from_env({env: '{"media": {"slow": 2}}'})
    with pytest.raises(ValidationError):
        fake_twilio_main.faults_from_env({env: "not json"})


# -- failure injection ----------------------------------------------------------------------------


def telephony(base_url: str, *, timeout_s: float = 5) -> TwilioTelephony:
    """The adapter as ``switchboard.providers.factory.make_telephony`` builds it."""
    return TwilioTelephony(
        AC,
        TOKEN,
        whatsapp_from=WHATSAPP_FROM,
        voice_from=VOICE_FROM,
        api_base_url=base_url,
        timeout_s=timeout_s,
    )


def set_faults(base_url: str, config: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{base_url}/_fake/faults", json=config)
    response.raise_for_status()
    effective: dict[str, Any] = response.json()
    return effective


def stats(base_url: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/_fake/stats")
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def recorded(base_url: str, what: str = "messages") -> list[dict[str, Any]]:
    response = httpx.get(f"{base_url}/_fake/{what}")
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows


def upload_media(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/_fake/media", content=b"abc", headers={"Content-Type": "image/png"}
    )
    response.raise_for_status()
    url: str = response.json()["url"]
    return url


async def call_operation(adapter: TwilioTelephony, operation: str, base_url: str) -> None:
    """One adapter call that is ``operation`` at the fake Twilio."""
    if operation == "messages_create":
        await adapter.send_whatsapp(to=CUSTOMER, body="hi")
    elif operation == "calls_create":
        await adapter.place_call(to="+33612345678", url="http://api.test/answer")
    elif operation == "messages_list":
        await adapter.list_messages(to=CUSTOMER, sent_after=datetime.now(UTC))
    else:
        await adapter.fetch_media(upload_media(base_url), max_bytes=100)


OPERATIONS = ["messages_create", "calls_create", "messages_list", "media"]


def test_faults_are_off_by_default_and_validated() -> None:
    with fake_client() as client:
        default = client.get("/_fake/faults").json()
        too_much = client.post(
            "/_fake/faults", json={"messages_create": {"error_500": 0.6, "timeout": 0.5}}
        )
        typo = client.post("/_fake/faults", json={"messages_create": {"error500": 0.1}})
        unknown_operation = client.post("/_fake/faults", json={"fetch": {"error_500": 0.1}})
        negative = client.post("/_fake/faults", json={"media": {"slow": -0.1}})
        applied = client.post("/_fake/faults", json={"media": {"slow": 1, "slow_ms": 0}})
        cleared = client.delete("/_fake/faults")
        after = client.get("/_fake/faults").json()

    assert isinstance(default["seed"], int)  # picked at random, shown so a run can be replayed
    for operation in OPERATIONS:
        rates = default[operation]
        assert rates == FaultRates().model_dump()
        assert not any(rates[kind] for kind in ("error_500", "error_429", "timeout", "slow"))
    assert {r.status_code for r in (too_much, typo, unknown_operation, negative)} == {422}
    assert applied.status_code == 200
    assert applied.json()["media"]["slow"] == 1
    assert isinstance(applied.json()["seed"], int)
    assert cleared.status_code == 204
    assert after["media"]["slow"] == 0


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_error_500_is_unavailable_and_nothing_is_recorded(
    fake_twilio: str, operation: str
) -> None:
    set_faults(fake_twilio, {operation: {"error_500": 1}})

    with pytest.raises(ProviderUnavailable) as excinfo:
        await call_operation(telephony(fake_twilio), operation, fake_twilio)

    assert excinfo.value.code == ("500" if operation == "media" else "20500")
    assert recorded(fake_twilio) == recorded(fake_twilio, "calls") == []
    counts = stats(fake_twilio)["operations"][operation]
    assert (counts["requests"], counts["faults"]["error_500"], counts["answered"]) == (1, 1, 0)
    assert counts["recorded"] == 0


async def test_error_429_is_unavailable_with_retry_after(fake_twilio: str) -> None:
    set_faults(fake_twilio, {"messages_create": {"error_429": 1, "retry_after_s": 3}})

    with pytest.raises(ProviderUnavailable) as excinfo:
        await telephony(fake_twilio).send_whatsapp(to=CUSTOMER, body="hi")

    assert (excinfo.value.code, excinfo.value.retry_after_s) == ("20429", 3.0)
    assert recorded(fake_twilio) == []
    assert stats(fake_twilio)["operations"]["messages_create"]["faults"]["error_429"] == 1


async def test_timeout_is_unavailable_and_nothing_is_recorded(fake_twilio: str) -> None:
    set_faults(fake_twilio, {"messages_create": {"timeout": 1, "timeout_s": 2}})

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as excinfo:
        await telephony(fake_twilio, timeout_s=0.5).send_whatsapp(to=CUSTOMER, body="hi")

    assert time.monotonic() - started < 1.5  # the client gave up first
    assert "Timeout" in str(excinfo.value)
    assert recorded(fake_twilio) == []
    assert stats(fake_twilio)["operations"]["messages_create"]["faults"]["timeout"] == 1


def test_a_patient_client_gets_504_after_timeout_s(fake_twilio: str) -> None:
    set_faults(fake_twilio, {"messages_create": {"timeout": 1, "timeout_s": 0.3}})
    started = time.monotonic()
    response = httpx.post(
        f"{fake_twilio}{MESSAGES}",
        auth=AUTH,
        data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "hi"},
        timeout=5,
    )
    assert response.status_code == 504
    assert time.monotonic() - started >= 0.3
    assert recorded(fake_twilio) == []


async def test_slow_requests_succeed_late(fake_twilio: str) -> None:
    set_faults(fake_twilio, {"messages_create": {"slow": 1, "slow_ms": 300}})

    started = time.monotonic()
    sent = await telephony(fake_twilio).send_whatsapp(to=CUSTOMER, body="hi")

    assert time.monotonic() - started >= 0.3
    assert [row["sid"] for row in recorded(fake_twilio)] == [sent.sid]
    counts = stats(fake_twilio)["operations"]["messages_create"]
    assert (counts["faults"]["slow"], counts["answered"], counts["recorded"]) == (1, 1, 1)


@pytest.mark.parametrize("operation", ["messages_create", "calls_create"])
async def test_reset_after_accept_is_unavailable_but_the_send_happened(
    fake_twilio: str, operation: str
) -> None:
    set_faults(fake_twilio, {operation: {"reset_after_accept": 1}})

    with pytest.raises(ProviderUnavailable):
        await call_operation(telephony(fake_twilio), operation, fake_twilio)

    what = "messages" if operation == "messages_create" else "calls"
    [row] = recorded(fake_twilio, what)
    assert row["to"] in (CUSTOMER, "+33612345678")
    if what == "messages":
        # Accepted means delivered (and read) too: the background delivery ran despite the reset.
        wait_for(lambda: recorded(fake_twilio)[0]["status"] == "read")
    counts = stats(fake_twilio)["operations"][operation]
    assert (counts["requests"], counts["answered"], counts["recorded"]) == (1, 0, 1)
    assert counts["faults"]["reset_after_accept"] == 1


@pytest.mark.parametrize("operation", ["messages_list", "media"])
async def test_reset_on_a_read_is_unavailable(fake_twilio: str, operation: str) -> None:
    set_faults(fake_twilio, {operation: {"reset_after_accept": 1}})
    with pytest.raises(ProviderUnavailable):
        await call_operation(telephony(fake_twilio), operation, fake_twilio)
    assert stats(fake_twilio)["operations"][operation]["faults"]["reset_after_accept"] == 1


async def test_an_invalid_request_is_answered_even_when_a_reset_was_drawn(fake_twilio: str) -> None:
    set_faults(fake_twilio, {"messages_create": {"reset_after_accept": 1}})
    response = httpx.post(
        f"{fake_twilio}{MESSAGES}",
        auth=AUTH,
        data={"To": "nope", "From": WHATSAPP_FROM, "Body": "x"},
    )
    assert (response.status_code, response.json()["code"]) == (400, 21211)
    assert stats(fake_twilio)["operations"]["messages_create"]["faults"]["reset_after_accept"] == 0


def send_many(base_url: str, count: int, *, interleave_lists: bool = False) -> list[int | str]:
    """POST ``count`` messages; each outcome is the HTTP status, or "reset"."""
    outcomes: list[int | str] = []
    with httpx.Client(base_url=base_url, auth=AUTH, timeout=5) as client:
        for i in range(count):
            try:
                response = client.post(
                    MESSAGES, data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": f"#{i}"}
                )
                outcomes.append(response.status_code)
            except httpx.TransportError:
                outcomes.append("reset")
            if interleave_lists:
                client.get(MESSAGES, params={"To": CUSTOMER})  # another operation, own stream
    return outcomes


SEEDED = {
    "seed": 7,
    "messages_create": {
        "error_500": 0.2,
        "error_429": 0.2,
        "retry_after_s": 0,
        "reset_after_accept": 0.2,
    },
    "messages_list": {"error_500": 0.5},
}


async def test_seeded_faults_are_reproducible(fake_twilio: str) -> None:
    set_faults(fake_twilio, SEEDED)
    first = send_many(fake_twilio, 40)
    after_first = stats(fake_twilio)
    set_faults(fake_twilio, SEEDED)  # same seed: the streams restart
    again = send_many(fake_twilio, 40, interleave_lists=True)
    set_faults(fake_twilio, {**SEEDED, "seed": 8})
    other_seed = send_many(fake_twilio, 40)

    assert first == again
    assert first != other_seed
    assert set(first) == {201, 500, 429, "reset"}
    counts = after_first["operations"]["messages_create"]
    assert counts["requests"] == 40
    assert counts["faults"]["error_500"] == first.count(500)
    assert counts["faults"]["error_429"] == first.count(429)
    assert counts["faults"]["reset_after_accept"] == first.count("reset")
    assert counts["answered"] == first.count(201)
    # A reset message was sent all the same: the records count it, per recipient too.
    sent_count = first.count(201) + first.count("reset")
    assert counts["recorded"] == after_first["messages"] == sent_count
    assert after_first["messages_by_recipient"] == {CUSTOMER: sent_count}


def test_reset_goes_back_to_the_startup_faults_and_clears_the_counters() -> None:
    startup = FaultConfig.model_validate(SEEDED)
    with running_fake_twilio(account_sid=AC, auth_token=TOKEN, faults=startup) as url:
        first = send_many(url, 20)
        httpx.delete(f"{url}/_fake/faults").raise_for_status()
        assert set(send_many(url, 5)) == {201}
        httpx.post(f"{url}/_fake/reset").raise_for_status()
        cleared = stats(url)
        again = send_many(url, 20)
        faults = httpx.get(f"{url}/_fake/faults").json()

    assert first == again
    assert cleared["messages"] == 0
    assert cleared["operations"]["messages_create"]["requests"] == 0
    assert faults == startup.model_dump()


def test_a_reset_without_a_reachable_connection_sends_headers_and_no_body() -> None:
    """In process (TestClient) there is no socket to reset: the fallback promises a body that
    never comes. A real HTTP client sees that as a cut-off response."""
    faults = FaultConfig(messages_create=FaultRates(reset_after_accept=1))
    with fake_client(faults=faults) as client:
        response = client.post(
            MESSAGES, auth=AUTH, data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "x"}
        )
        rows = client.get("/_fake/messages").json()
    assert response.headers["Content-Length"] == "1024"
    assert response.content == b""
    assert len(rows) == 1


# -- calls: answering machine detection, answering, updating ---------------------------------------

PUBLIC = "https://switchboard.example.test"  # the API's public URL: signed over, never resolved
OUTBOUND_URL = f"{PUBLIC}/twilio/voice/outbound?context=journey%2Fk%2F0"
AMD_URL = f"{PUBLIC}/twilio/voice/amd"
STATUS_URL = f"{PUBLIC}/twilio/voice/status"
STREAM_TWIML = '<Response><Connect><Stream url="wss://media.test/stream"/></Connect></Response>'
DETECT_MESSAGE_END = [
    "human",
    "machine_end_beep",
    "machine_end_silence",
    "machine_end_other",
    "fax",
    "unknown",
]


@dataclass
class VoiceReceiver:
    """Our side of a call's webhooks: records (hook, URL as received, form, signature) and
    answers the call's URL with a Media Stream, the other hooks with 204."""

    received: list[tuple[str, str, dict[str, str], str]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/twilio/voice/{hook}")
        async def hook(hook: str, request: Request) -> Response:
            form = await request.form()
            params = {key: str(value) for key, value in form.items()}
            signature = request.headers.get("X-Twilio-Signature", "")
            self.received.append((hook, str(request.url), params, signature))
            if hook == "outbound":
                return Response(STREAM_TWIML, media_type="text/xml")
            return Response(status_code=204)

        return app

    def hooks(self) -> list[str]:
        return [hook for hook, *_ in self.received]


@pytest.fixture
def receiver() -> Iterator[tuple[VoiceReceiver, str]]:
    voice = VoiceReceiver()
    with serve(voice.app()) as url:
        yield voice, url


def place(client: TestClient, **extra: str) -> str:
    """A call to the customer as Switchboard places one (answering machine detection unless
    ``extra`` says otherwise); returns its SID."""
    form = {
        "To": "+33612345678",
        "From": VOICE_FROM,
        "Url": OUTBOUND_URL,
        "StatusCallback": STATUS_URL,
        "MachineDetection": "DetectMessageEnd",
        "AsyncAmd": "true",
        "AsyncAmdStatusCallback": AMD_URL,
        "AsyncAmdStatusCallbackMethod": "POST",
        **extra,
    }
    response = client.post(CALLS, auth=AUTH, data={k: v for k, v in form.items() if v})
    assert response.status_code == 201, response.text
    sid: str = response.json()["sid"]
    return sid


def answer(client: TestClient, sid: str, base_url: str, **request: object) -> TestResponse:
    return client.post(f"/_fake/calls/{sid}/answer", json={"webhook_base_url": base_url, **request})


def update(client: TestClient, sid: str, form: dict[str, str]) -> TestResponse:
    return client.post(f"/2010-04-01/Accounts/{AC}/Calls/{sid}.json", auth=AUTH, data=form)


@pytest.mark.parametrize("answered_by", DETECT_MESSAGE_END)
def test_answering_fetches_the_url_then_posts_the_detection_result_signed(
    receiver: tuple[VoiceReceiver, str], answered_by: str
) -> None:
    voice, base = receiver
    validator = RequestValidator(TOKEN)
    with fake_client() as client:
        sid = place(client)
        response = answer(client, sid, base, answered_by=answered_by, detection_ms=3100)
        [row] = client.get("/_fake/calls").json()
        [listed] = client.get(CALLS, auth=AUTH).json()["calls"]

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["url"]["status"], body["url"]["body"]) == (200, STREAM_TWIML)
    assert body["amd"] == {"url": AMD_URL, "status": 204, "body": ""}
    [(hook, url, params, signature), (amd_hook, _, result, amd_signature)] = voice.received
    assert (hook, amd_hook) == ("outbound", "amd")
    assert url == f"{base}/twilio/voice/outbound?context=journey%2Fk%2F0"  # query kept as given
    assert params["CallSid"] == sid and params["CallStatus"] == "in-progress"
    assert (params["From"], params["To"], params["Direction"]) == (
        VOICE_FROM,
        "+33612345678",
        "outbound-api",
    )
    assert "AnsweredBy" not in params, "asynchronous: the call is answered before detection ends"
    assert validator.validate(OUTBOUND_URL, params, signature)  # over the public URL
    assert result == {
        "AccountSid": AC,
        "CallSid": sid,
        "AnsweredBy": answered_by,
        "MachineDetectionDuration": "3100",
    }
    assert validator.validate(AMD_URL, result, amd_signature)
    assert (row["status"], row["answered_by"]) == ("in-progress", answered_by)
    assert (row["machine_detection"], row["async_amd"]) == ("DetectMessageEnd", True)
    assert row["async_amd_status_callback"] == AMD_URL
    assert listed["answered_by"] == answered_by and listed["start_time"] is not None


def test_synchronous_detection_sends_the_result_with_the_url(
    receiver: tuple[VoiceReceiver, str],
) -> None:
    voice, base = receiver
    with fake_client() as client:
        sid = place(client, MachineDetection="Enable", AsyncAmd="", AsyncAmdStatusCallback="")
        body = answer(client, sid, base, answered_by="machine_start").json()

    assert body["amd"] is None
    [(hook, _, params, _)] = voice.received
    assert hook == "outbound"
    assert (params["AnsweredBy"], params["MachineDetectionDuration"]) == ("machine_start", "2400")


def test_asynchronous_detection_without_a_callback_is_only_in_the_call_resource(
    receiver: tuple[VoiceReceiver, str],
) -> None:
    """Twilio only warns (21262): the result is in the Calls resource once the call is done."""
    voice, base = receiver
    with fake_client() as client:
        sid = place(client, AsyncAmdStatusCallback="")
        body = answer(client, sid, base, answered_by="machine_end_beep").json()
        [listed] = client.get(CALLS, auth=AUTH).json()["calls"]

    assert body["amd"] is None and voice.hooks() == ["outbound"]
    assert listed["answered_by"] == "machine_end_beep"


def test_a_call_without_detection_is_answered_without_a_result(
    receiver: tuple[VoiceReceiver, str],
) -> None:
    voice, base = receiver
    with fake_client() as client:
        sid = place(client, MachineDetection="", AsyncAmd="", AsyncAmdStatusCallback="")
        refused = answer(client, sid, base, answered_by="human")
        body = answer(client, sid, base).json()

    assert refused.status_code == 422
    assert body["amd"] is None and body["call"]["answered_by"] is None
    [(_, _, params, _)] = voice.received
    assert "AnsweredBy" not in params


@pytest.mark.parametrize(
    ("mode", "answered_by"),
    [("DetectMessageEnd", "machine_start"), ("Enable", "machine_end_beep"), ("Enable", "robot")],
)
def test_a_result_the_detection_mode_never_sends_is_refused(
    receiver: tuple[VoiceReceiver, str], mode: str, answered_by: str
) -> None:
    voice, base = receiver
    with fake_client() as client:
        sid = place(client, MachineDetection=mode)
        response = answer(client, sid, base, answered_by=answered_by)
        [row] = client.get("/_fake/calls").json()
    assert response.status_code == 422
    assert row["status"] == "queued" and voice.received == []


def test_only_a_ringing_call_can_be_answered(receiver: tuple[VoiceReceiver, str]) -> None:
    _, base = receiver
    with fake_client() as client:
        sid = place(client)
        assert answer(client, sid, base).status_code == 200
        assert answer(client, sid, base).status_code == 409
        assert answer(client, "CA" + "0" * 32, base).status_code == 404


def test_an_unreachable_webhook_is_reported_not_raised() -> None:
    with fake_client() as client:
        sid = place(client)
        body = answer(client, sid, f"http://127.0.0.1:{free_port()}").json()
    # The error is named by the HTTP client's exception type (aiohttp's, since the fake's
    # webhooks use it): reported, with no status, rather than raised.
    assert body["url"] == {"url": OUTBOUND_URL, "error": "ClientConnectorError"}
    assert body["call"]["status"] == "in-progress"


def test_twiml_that_ends_the_call_completes_it_and_posts_the_status_callback(
    receiver: tuple[VoiceReceiver, str],
) -> None:
    voice, base = receiver
    voicemail = "<Response><Say>Sorry we missed you.</Say><Hangup /></Response>"
    with fake_client() as client:
        sid = place(client)
        answer(client, sid, base, answered_by="machine_end_beep")
        response = update(client, sid, {"Twiml": voicemail})
        [row] = client.get("/_fake/calls").json()

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed" and response.json()["end_time"]
    assert (row["status"], row["twiml_updates"]) == ("completed", [voicemail])
    assert voice.hooks() == ["outbound", "amd", "status"]
    _, url, params, signature = voice.received[-1]
    assert url == f"{base}/twilio/voice/status"
    assert (params["CallSid"], params["CallStatus"]) == (sid, "completed")
    assert params["CallDuration"].isdigit() and params["Direction"] == "outbound-api"
    assert RequestValidator(TOKEN).validate(STATUS_URL, params, signature)


def test_twiml_that_waits_keeps_the_call_in_progress(receiver: tuple[VoiceReceiver, str]) -> None:
    voice, base = receiver
    with fake_client() as client:
        sid = place(client)
        answer(client, sid, base)
        response = update(client, sid, {"Twiml": STREAM_TWIML})
    assert response.json()["status"] == "in-progress"
    assert "status" not in voice.hooks()


@pytest.mark.parametrize(
    ("answered", "form", "status", "code"),
    [
        (False, {"Twiml": "<Response><Hangup/></Response>"}, 400, 21220),  # still ringing
        (True, {"Twiml": "<Response><Say>" + "x" * 4000 + "</Say></Response>"}, 400, 32018),
        (True, {"Twiml": "<Response/>", "Url": "https://api.test/next"}, 400, 20001),
        (True, {"Status": "paused"}, 400, 20001),
    ],
)
def test_update_errors_get_twilio_codes(
    receiver: tuple[VoiceReceiver, str],
    answered: bool,
    form: dict[str, str],
    status: int,
    code: int,
) -> None:
    _, base = receiver
    with fake_client() as client:
        sid = place(client)
        if answered:
            answer(client, sid, base)
        response = update(client, sid, form)
        [row] = client.get("/_fake/calls").json()
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert row["twiml_updates"] == []


def test_an_ended_call_cannot_take_twiml_and_an_unknown_one_is_404(
    receiver: tuple[VoiceReceiver, str],
) -> None:
    _, base = receiver
    with fake_client() as client:
        sid = place(client)
        answer(client, sid, base)
        assert update(client, sid, {"Status": "completed"}).json()["status"] == "completed"
        again = update(client, sid, {"Status": "completed"})
        redirected = update(client, sid, {"Twiml": "<Response><Hangup/></Response>"})
        unknown = update(client, "CA" + "0" * 32, {"Status": "completed"})
        anonymous = client.post(f"/2010-04-01/Accounts/{AC}/Calls/{sid}.json", data={})

    assert (again.status_code, again.json()["status"]) == (200, "completed")
    assert (redirected.status_code, redirected.json()["code"]) == (400, 21220)
    assert (unknown.status_code, unknown.json()["code"]) == (404, 20404)
    assert anonymous.status_code == 401


def test_canceled_ends_only_a_call_that_rings(receiver: tuple[VoiceReceiver, str]) -> None:
    voice, base = receiver
    with fake_client() as client:
        ringing = place(client, StatusCallback="")  # never answered: no webhook address
        canceled = update(client, ringing, {"Status": "canceled"}).json()
        answered = place(client)
        answer(client, answered, base)
        untouched = update(client, answered, {"Status": "canceled"}).json()

    assert canceled["status"] == "canceled" and canceled["end_time"] is not None
    assert untouched["status"] == "in-progress"
    assert voice.hooks() == ["outbound", "amd"]


@pytest.mark.parametrize(
    "form",
    [
        {"MachineDetection": "Always"},
        {"AsyncAmd": "yes"},
        {"AsyncAmdStatusCallbackMethod": "GET"},
    ],
)
def test_invalid_detection_parameters_get_21234(form: dict[str, str]) -> None:
    with fake_client() as client:
        response = client.post(
            CALLS,
            auth=AUTH,
            data={"To": "+33612345678", "From": VOICE_FROM, "Url": OUTBOUND_URL, **form},
        )
        assert client.get("/_fake/calls").json() == []
    assert (response.status_code, response.json()["code"]) == (400, 21234)
