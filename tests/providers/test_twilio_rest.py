"""TwilioTelephony through the real ``twilio`` SDK, over HTTP, against the fake Twilio; and
against a small misbehaving fake for the error mapping."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from switchboard.providers.base import (
    ProviderAuthError,
    ProviderRejected,
    ProviderUnavailable,
)
from switchboard.providers.twilio_rest import TwilioTelephony
from switchboard.settings import LOCAL_TWILIO_ACCOUNT_SID as AC
from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN as TOKEN
from tests.fakes.server import free_port, serve
from tests.fakes.twilio import running_fake_twilio

WHATSAPP_FROM = "whatsapp:+14155238886"
VOICE_FROM = "+14155238887"
CUSTOMER = "whatsapp:+33612345678"


@pytest.fixture
def fake_twilio() -> Iterator[str]:
    """The fake Twilio on a loopback port; yields its base URL (also its public URL)."""
    with running_fake_twilio(account_sid=AC, auth_token=TOKEN) as url:
        yield url


def telephony(base_url: str, *, token: str = TOKEN, timeout_s: float = 5) -> TwilioTelephony:
    return TwilioTelephony(
        AC,
        token,
        whatsapp_from=WHATSAPP_FROM,
        voice_from=VOICE_FROM,
        api_base_url=base_url,
        timeout_s=timeout_s,
    )


def sent(fake_twilio: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{fake_twilio}/_fake/messages")
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows


async def test_send_whatsapp_text_is_recorded_and_needs_basic_auth(fake_twilio: str) -> None:
    result = await telephony(fake_twilio).send_whatsapp(to=CUSTOMER, body="Hello Felix")

    assert result.sid.startswith("SM") and len(result.sid) == 34
    assert result.status == "queued"
    [row] = sent(fake_twilio)
    assert row["sid"] == result.sid
    assert (row["to"], row["from"], row["body"]) == (CUSTOMER, WHATSAPP_FROM, "Hello Felix")
    assert row["account_sid"] == AC
    assert row["content_sid"] is None

    anonymous = httpx.post(
        f"{fake_twilio}/2010-04-01/Accounts/{AC}/Messages.json",
        data={"To": CUSTOMER, "From": WHATSAPP_FROM, "Body": "no auth"},
    )
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == 20003
    assert len(sent(fake_twilio)) == 1


async def test_send_template_encodes_content_variables_as_json(fake_twilio: str) -> None:
    content_sid = "HX" + "b" * 32
    variables = {"1": "Felix", "2": "Tuesday 10:00"}

    await telephony(fake_twilio).send_whatsapp(
        to="+33612345678",  # the adapter adds the whatsapp: prefix
        content_sid=content_sid,
        content_variables=variables,
        status_callback="http://127.0.0.1:9/status",
    )

    [row] = sent(fake_twilio)
    assert row["to"] == CUSTOMER
    assert row["body"] is None
    assert row["content_sid"] == content_sid
    assert row["content_variables"] == variables
    assert row["status_callback"] == "http://127.0.0.1:9/status"


async def test_send_whatsapp_needs_exactly_one_of_body_and_template(fake_twilio: str) -> None:
    adapter = telephony(fake_twilio)
    with pytest.raises(ProviderRejected) as neither:
        await adapter.send_whatsapp(to=CUSTOMER)
    with pytest.raises(ProviderRejected):
        await adapter.send_whatsapp(to=CUSTOMER, body="hi", content_sid="HX" + "0" * 32)
    assert neither.value.code == "invalid_request"
    assert sent(fake_twilio) == []


async def test_list_messages_filters_by_recipient_and_time(fake_twilio: str) -> None:
    adapter = telephony(fake_twilio)
    other = "whatsapp:+447700900123"
    first = await adapter.send_whatsapp(to=CUSTOMER, body="one")
    await adapter.send_whatsapp(to=other, body="not yours")
    # Twilio's timestamps have one-second resolution: start the second message in a later second.
    await asyncio.sleep(1.05 - (time.time() % 1))
    boundary = datetime.now(UTC)
    second = await adapter.send_whatsapp(to=CUSTOMER, body="two")

    everything = await adapter.list_messages(to=CUSTOMER, sent_after=boundary - timedelta(hours=1))
    # A non-UTC datetime must be converted: the SDK would format its wall time with a "Z".
    paris_summer = timezone(timedelta(hours=2))
    recent = await adapter.list_messages(to=CUSTOMER, sent_after=boundary.astimezone(paris_summer))
    future = await adapter.list_messages(to=CUSTOMER, sent_after=boundary + timedelta(minutes=5))

    assert [m.sid for m in everything] == [second.sid, first.sid]  # newest first
    assert [(m.to, m.body) for m in everything] == [(CUSTOMER, "two"), (CUSTOMER, "one")]
    assert all(m.date_created is not None and m.date_created.tzinfo for m in everything)
    assert [m.sid for m in recent] == [second.sid]
    assert future == []


async def test_no_phone_number_is_logged_at_info(
    fake_twilio: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    adapter = telephony(fake_twilio)
    await adapter.send_whatsapp(to=CUSTOMER, body="hi")
    await adapter.list_messages(to=CUSTOMER, sent_after=datetime.now(UTC) - timedelta(minutes=1))
    # The SDK's own client logs list queries (To=…) at INFO; the adapter's transport does not.
    assert "612345678" not in caplog.text


async def test_list_messages_follows_every_page(fake_twilio: str) -> None:
    adapter = telephony(fake_twilio)
    since = datetime.now(UTC) - timedelta(seconds=5)
    sids = [(await adapter.send_whatsapp(to=CUSTOMER, body=f"#{i}")).sid for i in range(55)]

    rows = await adapter.list_messages(to=CUSTOMER, sent_after=since)

    # 55 > Twilio's default page size of 50: the SDK fetched next_page_uri (an api.twilio.com URL
    # that the transport rebased onto the fake Twilio).
    assert sorted(m.sid for m in rows) == sorted(sids)


async def test_place_call_is_recorded(fake_twilio: str) -> None:
    call_sid = await telephony(fake_twilio).place_call(
        to="+33612345678",
        url="http://127.0.0.1:8000/twilio/voice/answer",
        status_callback="http://127.0.0.1:8000/twilio/voice/status",
    )

    assert call_sid.startswith("CA") and len(call_sid) == 34
    [row] = httpx.get(f"{fake_twilio}/_fake/calls").json()
    assert row["sid"] == call_sid
    assert (row["to"], row["from"]) == ("+33612345678", VOICE_FROM)
    assert row["url"] == "http://127.0.0.1:8000/twilio/voice/answer"
    assert row["status_callback"] == "http://127.0.0.1:8000/twilio/voice/status"
    assert (row["machine_detection"], row["async_amd"]) == (None, False)


async def test_place_call_asks_for_answering_machine_detection_in_the_background(
    fake_twilio: str,
) -> None:
    call_sid = await telephony(fake_twilio).place_call(
        to="+33612345678",
        url="https://switchboard.example.test/twilio/voice/outbound",
        amd_status_callback="https://switchboard.example.test/twilio/voice/amd",
    )

    [row] = httpx.get(f"{fake_twilio}/_fake/calls").json()
    assert row["sid"] == call_sid
    assert (row["machine_detection"], row["async_amd"]) == ("DetectMessageEnd", True)
    assert row["async_amd_status_callback"] == "https://switchboard.example.test/twilio/voice/amd"


async def answered_call(fake_twilio: str) -> str:
    """A call placed and picked up at the fake Twilio (its URL's server is not running: the
    call is in progress all the same)."""
    dead = f"http://127.0.0.1:{free_port()}"
    sid = await telephony(fake_twilio).place_call(to="+33612345678", url=f"{dead}/answer")
    httpx.post(f"{fake_twilio}/_fake/calls/{sid}/answer", json={}).raise_for_status()
    return sid


async def test_update_call_replaces_the_twiml_of_a_call_in_progress(fake_twilio: str) -> None:
    sid = await answered_call(fake_twilio)
    voicemail = "<Response><Say>Sorry we missed you.</Say><Hangup /></Response>"

    status = await telephony(fake_twilio).update_call(sid, twiml=voicemail)

    assert status == "completed"  # <Say> then <Hangup>: the call ends
    [row] = httpx.get(f"{fake_twilio}/_fake/calls").json()
    assert row["twiml_updates"] == [voicemail]


async def test_update_call_hangs_up_with_status_completed(fake_twilio: str) -> None:
    sid = await answered_call(fake_twilio)
    assert await telephony(fake_twilio).update_call(sid, status="completed") == "completed"
    [row] = httpx.get(f"{fake_twilio}/_fake/calls").json()
    assert (row["status"], row["twiml_updates"]) == ("completed", [])


async def test_update_call_on_a_call_not_in_progress_is_rejected_with_21220(
    fake_twilio: str,
) -> None:
    ringing = await telephony(fake_twilio).place_call(to="+33612345678", url="https://a.test/x")
    with pytest.raises(ProviderRejected) as excinfo:
        await telephony(fake_twilio).update_call(ringing, twiml="<Response><Hangup/></Response>")
    assert excinfo.value.code == "21220"


async def test_update_call_with_twiml_over_4000_characters_is_rejected(fake_twilio: str) -> None:
    sid = await answered_call(fake_twilio)
    too_long = "<Response><Say>" + "x" * 4000 + "</Say></Response>"
    with pytest.raises(ProviderRejected) as excinfo:
        await telephony(fake_twilio).update_call(sid, twiml=too_long)
    assert excinfo.value.code == "32018"


def upload(fake_twilio: str, data: bytes, content_type: str, kind: str = "message") -> str:
    response = httpx.post(
        f"{fake_twilio}/_fake/media",
        params={"kind": kind},
        content=data,
        headers={"Content-Type": content_type},
    )
    response.raise_for_status()
    url: str = response.json()["url"]
    return url


@pytest.mark.parametrize(
    ("kind", "content_type", "prefix"),
    [
        ("message", "audio/ogg; codecs=opus", "/Messages/MM"),
        ("recording", "audio/wav", "/Recordings/RE"),
    ],
)
async def test_fetch_media_follows_the_cdn_redirect(
    fake_twilio: str, jfk_flac: bytes, kind: str, content_type: str, prefix: str
) -> None:
    url = upload(fake_twilio, jfk_flac, content_type, kind)
    assert url.startswith(f"{fake_twilio}/2010-04-01/Accounts/{AC}{prefix}")
    assert httpx.get(url).status_code == 401  # like Twilio with media auth enforced
    redirect = httpx.get(url, auth=(AC, TOKEN))
    assert redirect.status_code == 307
    assert redirect.headers["Location"].startswith(f"{fake_twilio}/_fake/cdn/")

    media = await telephony(fake_twilio).fetch_media(url, max_bytes=len(jfk_flac))

    assert media.data == jfk_flac
    assert media.content_type == content_type


async def test_fetch_media_refuses_a_body_over_the_cap(fake_twilio: str) -> None:
    url = upload(fake_twilio, b"x" * 1000, "image/jpeg")
    with pytest.raises(ProviderRejected) as excinfo:
        await telephony(fake_twilio).fetch_media(url, max_bytes=999)
    assert excinfo.value.code == "media_too_large"


async def test_fetch_media_sends_credentials_only_to_twilio(fake_twilio: str) -> None:
    with pytest.raises(ProviderRejected) as excinfo:
        await telephony(fake_twilio).fetch_media("http://example.com/media/ME1", max_bytes=10)
    assert excinfo.value.code == "untrusted_media_url"


async def test_wrong_auth_token_is_an_auth_error(fake_twilio: str) -> None:
    adapter = telephony(fake_twilio, token="not-the-token")
    url = upload(fake_twilio, b"abc", "image/png")

    with pytest.raises(ProviderAuthError) as send_error:
        await adapter.send_whatsapp(to=CUSTOMER, body="hi")
    # A failed list raises a bare TwilioException inside the SDK; the transport maps it anyway.
    with pytest.raises(ProviderAuthError):
        await adapter.list_messages(to=CUSTOMER, sent_after=datetime.now(UTC))
    with pytest.raises(ProviderAuthError):
        await adapter.fetch_media(url, max_bytes=100)
    assert send_error.value.code == "20003"
    assert not send_error.value.retryable


async def test_invalid_recipient_is_rejected_with_twilio_code(fake_twilio: str) -> None:
    with pytest.raises(ProviderRejected) as excinfo:
        await telephony(fake_twilio).send_whatsapp(to="whatsapp:+0123456789", body="hi")
    assert excinfo.value.code == "21211"
    assert "0123456789" not in str(excinfo.value)  # the number is masked in the message
    assert sent(fake_twilio) == []


@dataclass
class MisbehavingTwilio:
    """Answers every API request with the configured error; counts requests."""

    status: int = 500
    code: int = 20500
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0
    requests: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/2010-04-01/{path:path}", methods=["GET", "POST"])
        async def api(request: Request) -> Response:
            self.requests.append(f"{request.method} {request.url.path}")
            await asyncio.sleep(self.delay_s)
            body = {"code": self.code, "message": "boom", "more_info": "", "status": self.status}
            return JSONResponse(body, status_code=self.status, headers=self.headers)

        @app.get("/media/chunked")
        async def chunked() -> StreamingResponse:
            async def chunks() -> AsyncIterator[bytes]:
                for _ in range(10):
                    yield b"y" * 1000

            return StreamingResponse(chunks(), media_type="audio/ogg")

        @app.get("/media/missing")
        async def missing() -> Response:
            return Response(status_code=404)

        @app.get("/media/unavailable")
        async def unavailable() -> Response:
            return Response(status_code=503, headers={"Retry-After": "3"})

        return app


@pytest.fixture
def misbehaving() -> Iterator[tuple[MisbehavingTwilio, str]]:
    fake = MisbehavingTwilio()
    with serve(fake.app()) as url:
        yield fake, url


@pytest.mark.parametrize(
    ("status", "code", "headers", "error", "retry_after_s"),
    [
        (500, 20500, {}, ProviderUnavailable, None),
        (503, 20503, {}, ProviderUnavailable, None),
        (429, 20429, {"Retry-After": "7"}, ProviderUnavailable, 7.0),
        (400, 63016, {}, ProviderRejected, None),
        (403, 20003, {}, ProviderAuthError, None),
    ],
)
async def test_http_errors_map_onto_provider_errors_without_retries(
    misbehaving: tuple[MisbehavingTwilio, str],
    status: int,
    code: int,
    headers: dict[str, str],
    error: type[Exception],
    retry_after_s: float | None,
) -> None:
    fake, url = misbehaving
    fake.status, fake.code, fake.headers = status, code, headers
    adapter = telephony(url)

    with pytest.raises(error) as send_error:
        await adapter.send_whatsapp(to=CUSTOMER, body="hi")
    assert fake.requests == [f"POST /2010-04-01/Accounts/{AC}/Messages.json"]
    with pytest.raises(error):
        await adapter.place_call(to="+33612345678", url="http://127.0.0.1:8000/answer")
    with pytest.raises(error):
        await adapter.list_messages(to=CUSTOMER, sent_after=datetime.now(UTC))
    with pytest.raises(error):
        await adapter.update_call("CA" + "0" * 32, twiml="<Response><Hangup/></Response>")

    assert fake.requests[-1] == f"POST /2010-04-01/Accounts/{AC}/Calls/CA{'0' * 32}.json"
    assert len(fake.requests) == 4  # one request per call: neither the SDK nor requests retried
    assert getattr(send_error.value, "code", None) == str(code)
    if isinstance(send_error.value, ProviderUnavailable):
        assert send_error.value.retry_after_s == retry_after_s


async def test_timeout_is_unavailable_after_one_request(
    misbehaving: tuple[MisbehavingTwilio, str],
) -> None:
    fake, url = misbehaving
    fake.status, fake.delay_s = 200, 0.8
    with pytest.raises(ProviderUnavailable):
        await telephony(url, timeout_s=0.2).send_whatsapp(to=CUSTOMER, body="hi")
    # On a loaded machine the client's 0.2 s can run out before the fake's thread has read the
    # request: wait (bounded) for it to arrive, then for any retry the adapter may have sent.
    deadline = time.monotonic() + 5
    while not fake.requests and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)
    assert len(fake.requests) == 1


async def test_unreachable_twilio_is_unavailable() -> None:
    adapter = telephony(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderUnavailable):
        await adapter.send_whatsapp(to=CUSTOMER, body="hi")


async def test_fetch_media_errors(misbehaving: tuple[MisbehavingTwilio, str]) -> None:
    _, url = misbehaving
    adapter = telephony(url)

    with pytest.raises(ProviderRejected) as too_large:  # no Content-Length: the stream is cut
        await adapter.fetch_media(f"{url}/media/chunked", max_bytes=2500)
    with pytest.raises(ProviderRejected) as missing:
        await adapter.fetch_media(f"{url}/media/missing", max_bytes=100)
    with pytest.raises(ProviderUnavailable) as unavailable:
        await adapter.fetch_media(f"{url}/media/unavailable", max_bytes=100)
    media = await adapter.fetch_media(f"{url}/media/chunked", max_bytes=10_000)

    assert too_large.value.code == "media_too_large"
    assert missing.value.code == "404"
    assert unavailable.value.retry_after_s == 3.0
    assert (len(media.data), media.content_type) == (10_000, "audio/ogg")


async def test_list_calls_finds_a_call_by_recipient_and_time(fake_twilio: str) -> None:
    """Reconciliation after a crash: the call a dead attempt placed is found again."""
    twilio = telephony(fake_twilio)
    before = datetime.now(UTC) - timedelta(seconds=5)
    sid = await twilio.place_call(to="+33612345678", url="https://example.test/twiml")
    await twilio.place_call(to="+33698765432", url="https://example.test/twiml")
    assert await twilio.list_calls(to="+33612345678", created_after=before) == [sid]
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert await twilio.list_calls(to="+33612345678", created_after=later) == []
