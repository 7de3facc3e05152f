"""Abuse limits: oversized bodies refused with 413 before they are read, per-source rate limits
(Twilio's own, so an abusive API client cannot starve the webhooks), and /docs without a CDN."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import Message
from temporalio.client import Client

from api.main import create_app
from switchboard.db.engine import Database
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.polling import BoundedASGITransport

VOICE_NOTE_BYTES = 25 * 1024 * 1024


def client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=BoundedASGITransport(app=app),  # type: ignore[arg-type]
        base_url=PUBLIC_URL,
        timeout=30,
    )


async def call_asgi(app: object, method: str, path: str, headers: dict[str, str]) -> Message:
    """One request straight into the ASGI app, with a body that must never be read: returns
    the response's start message."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.7", 40000),
        "server": ("switchboard.example.test", 443),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        raise AssertionError("the body was read")

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[operator]
    return sent[0]


async def test_a_25_mb_body_is_refused_with_413_before_it_is_read(
    settings: Settings, db: Database
) -> None:
    app = create_app(settings, db=db)
    for path in ("/twilio/whatsapp", "/journeys/outreach/launch", "/keys"):
        start = await call_asgi(
            app,
            "POST",
            path,
            {"content-length": str(VOICE_NOTE_BYTES), "content-type": "audio/ogg"},
        )
        assert start["status"] == 413, path
        assert (b"connection", b"close") in start["headers"]


async def test_a_streamed_body_is_cut_off_at_the_limit(settings: Settings, db: Database) -> None:
    small = settings.model_copy(update={"request_max_bytes": 1000})
    chunks_read = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal chunks_read
        for _ in range(100):  # 100 kB offered, no Content-Length (chunked)
            chunks_read += 1
            yield b"x" * 1000

    async with client(create_app(small, db=db)) as api:
        response = await api.post(
            "/twilio/whatsapp",
            content=body(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("request body over 1000 bytes")
    assert chunks_read < 100, "stopped reading at the limit"


async def test_a_launch_audience_may_be_larger_than_a_webhook(
    settings: Settings, db: Database, temporal: Client
) -> None:
    tight = settings.model_copy(update={"request_max_bytes": 100, "upload_max_bytes": 10_000})
    body = b"phone\n" + b"+33612345678\n" * 50  # 650 bytes
    key = {"X-API-Key": settings.api_key.get_secret_value(), "Content-Type": "text/csv"}
    async with client(create_app(tight, db=db, temporal=temporal)) as api:
        big_for_a_webhook = await api.post("/twilio/whatsapp", content=body)
        validated = await api.post("/journeys/validate", content=body, headers=key)
        assert (big_for_a_webhook.status_code, validated.status_code) == (413, 413)
        launch = await api.post("/journeys/no-such-journey/launch", content=body, headers=key)
        assert launch.status_code == 404, "read, then refused for another reason"


async def test_rate_limits_per_source_keep_twilio_apart(settings: Settings, db: Database) -> None:
    limited = settings.model_copy(
        update={"rate_limit_api": "3/minute", "rate_limit_twilio": "5/minute"}
    )
    async with client(create_app(limited, db=db)) as api:
        statuses = [(await api.get("/journeys")).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429], "refusals count too"
        refused = await api.get("/journeys")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "too many requests" in refused.json()["detail"]
        # Twilio's routes have their own budget: the exhausted API limit does not touch them.
        twilio = [(await api.post("/twilio/whatsapp", data={})).status_code for _ in range(6)]
        assert twilio == [403] * 5 + [429]
        assert (await api.get("/healthz")).status_code == 200, "health checks are never limited"


async def test_rate_limits_can_be_turned_off(settings: Settings, db: Database) -> None:
    off = settings.model_copy(update={"rate_limit_api": "", "rate_limit_twilio": ""})
    async with client(create_app(off, db=db)) as api:
        assert {(await api.get("/journeys")).status_code for _ in range(20)} == {401}


async def test_docs_are_served_without_any_cdn(settings: Settings, db: Database) -> None:
    async with client(create_app(settings, db=db)) as api:
        for page in ("/docs", "/redoc"):
            html = (await api.get(page)).text
            assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
            urls = re.findall(r"""url:\s*["']([^"']+)["']""", html)
            assert assets, page
            assert all(a.startswith("/docs-assets/") for a in assets), (page, assets)
            assert "http://" not in html and "https://" not in html, page
            assert all(u == "/openapi.json" for u in urls), urls
            for asset in assets:
                fetched = await api.get(asset)
                assert fetched.status_code == 200 and len(fetched.content) > 1000, asset


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
async def test_docs_need_no_key(settings: Settings, db: Database, path: str) -> None:
    async with client(create_app(settings, db=db)) as api:
        assert (await api.get(path)).status_code == 200
