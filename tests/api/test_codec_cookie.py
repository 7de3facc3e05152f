"""The Temporal UI reads payloads with the console's session: an engineer who signed in at
/console holds a /codec-scoped copy of the session cookie, which the UI sends with "Include
cross-origin credentials". Decodes with it (200, audited under the person's name); a marketer's
cookie is refused (403), a forged, expired or revoked one too (401); CORS answers the UI's
origin with credentials allowed and no other origin; a page on the UI's origin in a real
browser decodes after signing in, and not before. Real Postgres; no Temporal needed (payloads
are encrypted through the codec's own /encode)."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from api.console.session import CODEC_COOKIE, COOKIE, SESSION_TTL_S
from api.main import create_app
from api.routes.codec import PREFIX, CodecCORS
from switchboard.access import Role
from switchboard.db.access import audit_entries, create_key, revoke_key
from switchboard.db.engine import Database
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.console.test_browser import CHROMEDRIVER, CHROMIUM, WAIT_S
from tests.fakes.server import free_port, serve
from tests.polling import BoundedASGITransport

UI = "http://localhost:8233"
PLAIN = {
    "metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
    "data": base64.b64encode(b'"Felix, vaccination on Tuesday"').decode(),
}


@pytest.fixture
async def api(
    settings: Settings, db: Database, database_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    # No Temporal: the codec's keys are in Postgres, and /encode makes the ciphertext.
    settings = settings.model_copy(
        update={"temporal_address": "127.0.0.1:9", "database_url": database_url}
    )
    app = create_app(settings, db=db)
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        yield client
    await app.state.payload_keys.aclose()


async def key_for(db: Database, role: Role, person: str) -> str:
    async with db.session() as s:
        _, key = await create_key(s, person=person, role=role, created_by="test")
    return key.token


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    client.cookies.clear()
    signed = await client.post("/console/sign-in", data={"key": token})
    assert signed.status_code == 303, signed.text
    return signed


async def encrypted(client: httpx.AsyncClient, settings: Settings) -> dict[str, Any]:
    """A payload the codec encrypted (what a worker would have stored)."""
    admin = {"X-API-Key": settings.api_key.get_secret_value()}
    response = await client.post(f"{PREFIX}/encode", json={"payloads": [PLAIN]}, headers=admin)
    assert response.status_code == 200, response.text
    [payload] = response.json()["payloads"]
    assert payload["data"] != PLAIN["data"]
    return dict(payload)


def set_cookies(response: httpx.Response) -> list[str]:
    return [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]


async def test_an_engineers_console_session_decodes_and_is_audited_by_name(
    api: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    stored = await encrypted(api, settings)
    signed = await sign_in(api, await key_for(db, Role.ENGINEER, "eve@example.com"))
    codec_cookie = next(c for c in set_cookies(signed) if c.startswith(CODEC_COOKIE))
    for attribute in ("httponly", "samesite=strict", "path=/codec", "secure"):
        assert attribute in codec_cookie, codec_cookie
    console_cookie = next(c for c in set_cookies(signed) if c.startswith(COOKIE + "="))
    assert "path=/console" in console_cookie, "the console's own cookie is unchanged"

    # No key in any header: the cookie (sent only to /codec, by its path) is the credential.
    decoded = await api.post(
        f"{PREFIX}/decode",
        json={"payloads": [stored]},
        headers={"Origin": UI, "X-Namespace": "default"},
    )
    assert decoded.status_code == 200, decoded.text
    assert decoded.json()["payloads"] == [PLAIN]
    assert decoded.headers["access-control-allow-origin"] == UI
    assert decoded.headers["access-control-allow-credentials"] == "true"

    async with db.session() as s:
        [entry] = await audit_entries(s, action="payloads.decode")
    assert (entry.person, entry.role) == ("eve@example.com", "engineer")
    assert (entry.detail or {})["via"] == "console session"
    assert (entry.detail or {})["outcome"] == "decoded"

    # The session is accepted from the Temporal UI's origin only.
    elsewhere = await api.post(
        f"{PREFIX}/decode", json={"payloads": [stored]}, headers={"Origin": "http://evil.test"}
    )
    assert elsewhere.status_code == 403
    assert "access-control-allow-origin" not in elsewhere.headers

    # Signing out removes both cookies.
    out = await api.post("/console/sign-out")
    assert any(c.startswith(CODEC_COOKIE) and "max-age=0" in c for c in set_cookies(out))


async def test_a_marketers_session_is_refused_even_under_the_codec_cookies_name(
    api: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    stored = await encrypted(api, settings)
    await sign_in(api, await key_for(db, Role.ENGINEER, "eve@example.com"))
    signed = await sign_in(api, await key_for(db, Role.MARKETER, "mia@example.com"))
    # The engineer's codec cookie left in this browser is removed at the marketer's sign-in.
    assert any(c.startswith(CODEC_COOKIE) and "max-age=0" in c for c in set_cookies(signed))
    assert CODEC_COOKIE not in api.cookies
    assert (await api.post(f"{PREFIX}/decode", json={"payloads": [stored]})).status_code == 401

    # The marketer copies their (validly signed) console cookie under the codec's name.
    api.cookies.set(CODEC_COOKIE, api.cookies[COOKIE], path="/codec")
    refused = await api.post(f"{PREFIX}/decode", json={"payloads": [stored]})
    assert refused.status_code == 403, refused.text
    async with db.session() as s:
        decodes = await audit_entries(s, action="payloads.decode")
    assert decodes == [], "a refused role decodes nothing"


async def test_forged_expired_and_revoked_sessions_are_refused(
    api: httpx.AsyncClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = await encrypted(api, settings)
    body = {"payloads": [stored]}
    api.cookies.set(CODEC_COOKIE, '{"k": null, "p": "me", "r": "admin"}', path="/codec")
    assert (await api.post(f"{PREFIX}/decode", json=body)).status_code == 401, "unsigned"

    token = await key_for(db, Role.ENGINEER, "eve@example.com")
    with monkeypatch.context() as past:  # signed a working day and a minute ago
        then = int(time.time()) - SESSION_TTL_S - 60
        past.setattr(TimestampSigner, "get_timestamp", lambda self: then)
        await sign_in(api, token)
    expired = await api.post(f"{PREFIX}/decode", json=body)
    assert expired.status_code == 401, expired.text

    await sign_in(api, token)
    assert (await api.post(f"{PREFIX}/decode", json=body)).status_code == 200
    async with db.session() as s:
        await revoke_key(s, key_id=token.split("_")[1])
    assert (await api.post(f"{PREFIX}/decode", json=body)).status_code == 401, "revoked"

    # A key in a header wins over the cookie: the CLI's bearer key is checked on its own.
    await sign_in(api, await key_for(db, Role.ENGINEER, "eli@example.com"))
    wrong = await api.post(f"{PREFIX}/decode", json=body, headers={"X-API-Key": "sbk_nope"})
    assert wrong.status_code == 401


async def test_the_preflight_allows_credentials_for_the_ui_origin_only(
    api: httpx.AsyncClient,
) -> None:
    def preflight(origin: str) -> Any:
        return api.options(
            f"{PREFIX}/decode",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-namespace",
            },
        )

    ui = await preflight(UI)
    assert ui.status_code == 200
    assert ui.headers["access-control-allow-origin"] == UI
    assert ui.headers["access-control-allow-credentials"] == "true"
    other = await preflight("http://evil.test")
    assert "access-control-allow-origin" not in other.headers
    with pytest.raises(ValueError, match="'\\*'"):
        CodecCORS(Starlette(), origins=["*"])


# -- in a browser --------------------------------------------------------------------------------

UI_PAGE = "<!doctype html><title>Temporal UI stand-in</title><p>codec test</p>"
# What the Temporal UI does with "Include cross-origin credentials" (temporalio/ui,
# src/lib/services/data-encoder.ts): a JSON POST with X-Namespace and credentials "include".
FETCH = """
const [url, body, done] = arguments;
fetch(url, {method: "POST", credentials: "include",
             headers: {"Content-Type": "application/json", "X-Namespace": "default"},
             body: JSON.stringify(body)})
  .then(async (r) => done({status: r.status, body: await r.text()}))
  .catch((e) => done({status: 0, body: String(e)}));
"""


def drive(api: str, ui: str, key: str, stored: dict[str, Any]) -> dict[str, Any]:
    """Blocking: before and after signing in, a page on the UI's origin calls the codec."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.console.test_browser import chromium

    browser = chromium()
    browser.set_script_timeout(WAIT_S)
    wait = WebDriverWait(browser, WAIT_S)
    body = {"payloads": [stored]}
    try:
        browser.get(ui)
        before = browser.execute_async_script(FETCH, f"{api}/codec/decode", body)
        browser.get(f"{api}/console/sign-in")
        field = wait.until(ec.presence_of_element_located((By.ID, "key")))
        field.send_keys(key, Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "who")))
        browser.get(ui)
        after = browser.execute_async_script(FETCH, f"{api}/codec/decode", body)
        return {"before": before, "after": after}
    finally:
        browser.quit()


@pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="no Chromium: run `make browser` (Debian's chromium and chromium-driver)",
)
async def test_a_page_on_the_ui_origin_decodes_after_the_console_sign_in(
    settings: Settings, db: Database, database_url: str, api: httpx.AsyncClient
) -> None:
    stored = await encrypted(api, settings)
    key = await key_for(db, Role.ENGINEER, "eve@example.com")
    # Both on the host name localhost, ports apart, as `switchboard up` runs them.
    api_port, ui_port = free_port(), free_port()
    ui = f"http://localhost:{ui_port}"
    served = settings.model_copy(
        update={
            "temporal_address": "127.0.0.1:9",
            "database_url": database_url,
            "codec_cors_origins": [ui],
            "public_base_url": f"http://localhost:{api_port}",
        }
    )
    served_db = Database(database_url)
    app = create_app(served, db=served_db)
    page = Starlette(routes=[Route("/", lambda request: HTMLResponse(UI_PAGE))])
    try:
        with serve(app, port=api_port), serve(page, port=ui_port):
            seen = await asyncio.wait_for(
                asyncio.to_thread(drive, f"http://localhost:{api_port}", ui, key, stored),
                timeout=120,
            )
    finally:
        await served_db.dispose()

    assert seen["before"]["status"] == 401, seen
    assert seen["after"]["status"] == 200, seen
    assert json.loads(seen["after"]["body"])["payloads"] == [PLAIN]
