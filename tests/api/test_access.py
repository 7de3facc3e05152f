"""People and roles: a key created works for its role and no other, a revoked key is refused,
routes that declare nothing are admin-only, the audit log says who did what, and a process
listening beyond loopback refuses to start with placeholder secrets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from typer.testing import CliRunner

from api.main import create_app
from api.media_main import create_media_app
from cli.main import app as cli
from switchboard.access import BOOTSTRAP_PERSON, Role, hash_token
from switchboard.db.access import audit_entries, identify, list_keys
from switchboard.db.engine import Database
from switchboard.db.models import ApiKey
from switchboard.settings import ExposedWithPlaceholders, Settings, is_loopback
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import BoundedASGITransport

ALEX = "+33612345678"


@pytest.fixture
async def api(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The API alone (no worker): enough for keys, roles and reads."""
    app = create_app(settings, db=db)
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        yield client


def admin(settings: Settings) -> dict[str, str]:
    return {"X-API-Key": settings.api_key.get_secret_value()}


async def new_key(api: httpx.AsyncClient, settings: Settings, role: str, person: str) -> str:
    response = await api.post(
        "/keys", json={"person": person, "role": role}, headers=admin(settings)
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def test_a_key_works_for_its_role_only_and_not_once_revoked(
    api: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    token = await new_key(api, settings, "marketer", "Mia Marketer")
    mine = {"X-API-Key": token}

    assert (await api.get("/journeys", headers=mine)).status_code == 200
    refused = await api.get(f"/customers/{ALEX}/conversation", headers=mine)
    assert refused.status_code == 403, "a marketer does not read conversations"
    assert "marketer" in refused.json()["detail"]
    assert (await api.get("/keys", headers=mine)).status_code == 403, "nor manages keys"

    listed = (await api.get("/keys", headers=admin(settings))).json()["keys"]
    (row,) = [k for k in listed if k["person"] == "Mia Marketer"]
    assert row["role"] == "marketer" and row["revoked_at"] is None
    assert "token" not in row and "token_hash" not in row
    revoked = await api.delete(f"/keys/{row['id']}", headers=admin(settings))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]

    assert (await api.get("/journeys", headers=mine)).status_code == 401
    assert (await api.delete("/keys/000000000000", headers=admin(settings))).status_code == 404


async def test_keys_are_stored_hashed_and_compared_whole(
    api: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    token = await new_key(api, settings, "agent", "Ana Agent")
    async with db.session() as s:
        (row,) = await list_keys(s)
        assert row.token_hash == hash_token(token) and token not in row.model_dump_json()
        assert (await identify(s, token, bootstrap_key="x")).role is Role.AGENT  # type: ignore[union-attr]
        # One character changed (never to itself: a token ending in "A" did, 1 run in 64).
        wrong_last = token[:-1] + ("B" if token.endswith("A") else "A")
        assert await identify(s, wrong_last, bootstrap_key="x") is None
        assert await identify(s, "", bootstrap_key="") is None
        boot = await identify(s, "the-shared-key", bootstrap_key="the-shared-key")
    assert boot is not None and (boot.person, boot.role) == (BOOTSTRAP_PERSON, Role.ADMIN)
    forged = {"X-API-Key": token[:-5] + ("BBBBB" if token.endswith("AAAAA") else "AAAAA")}
    assert (await api.get(f"/customers/{ALEX}/conversation", headers=forged)).status_code == 401


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        ("agent", f"/customers/{ALEX}/conversation", 404),  # admitted; no such customer yet
        ("engineer", f"/customers/{ALEX}/conversation", 403),
        ("engineer", "/journeys", 200),
        ("engineer", "/journeys/outreach/runs?status=all&limit=1", 200),
        ("agent", "/journeys", 403),
        ("engineer", "/audit", 403),
        # The events journeys are written against: for whoever writes or reads journeys.
        ("marketer", "/events/catalogue", 200),
        ("engineer", "/events/catalogue", 200),
        ("agent", "/events/catalogue", 403),
    ],
)
async def test_each_role_reaches_its_routes(
    harness: Harness, role: str, path: str, expected: int
) -> None:
    token = await new_key(harness.api, harness.settings, role, f"someone {role}")
    response = await harness.api.get(path, headers={"X-API-Key": token})
    assert response.status_code == expected, response.text


async def test_only_an_admin_posts_business_events(harness: Harness) -> None:
    token = await new_key(harness.api, harness.settings, "marketer", "Mia Marketer")
    event = {"event": "visit_completed", "customer": ALEX, "data": {"visit_id": "v1"}}
    headers = {"X-API-Key": token, "Idempotency-Key": "visit-v1"}
    assert (await harness.api.post("/events", json=event, headers=headers)).status_code == 403


async def test_an_engineer_cannot_pause_a_journey(harness: Harness) -> None:
    token = await new_key(harness.api, harness.settings, "engineer", "Eve Engineer")
    response = await harness.api.post("/journeys/outreach/pause", headers={"X-API-Key": token})
    assert response.status_code == 403


async def test_a_route_that_declares_no_roles_is_admin_only(
    settings: Settings, db: Database
) -> None:
    app = create_app(settings, db=db)

    @app.get("/forgotten")
    async def forgotten() -> dict[str, str]:
        return {"secret": "yes"}

    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as api:
        assert (await api.get("/forgotten")).status_code == 401
        marketer = {"X-API-Key": await new_key(api, settings, "marketer", "Mo")}
        assert (await api.get("/forgotten", headers=marketer)).status_code == 403
        assert (await api.get("/forgotten", headers=admin(settings))).status_code == 200
        assert (await api.get("/healthz")).status_code == 200, "declared public"


async def test_the_audit_log_says_who_launched_paused_and_read(harness: Harness) -> None:
    await harness.opt_in(ALEX, purpose="marketing")
    marketer = {"X-API-Key": await new_key(harness.api, harness.settings, "marketer", "Mia")}
    agent = {"X-API-Key": await new_key(harness.api, harness.settings, "agent", "Ana")}

    launched = await harness.api.post(
        "/journeys/outreach/launch",
        params={"campaign_id": "audit-1"},
        content=f"phone,first_name\n{ALEX},Alex\n".encode(),
        headers={**marketer, "Content-Type": "text/csv"},
    )
    assert launched.status_code == 202, launched.text
    paused = await harness.api.post("/journeys/outreach/pause", headers=marketer)
    assert paused.status_code == 200
    read = await harness.api.get(f"/customers/{ALEX}/conversation", headers=agent)
    assert read.status_code == 200

    response = await harness.api.get("/audit", headers=admin(harness.settings))
    assert response.status_code == 200
    entries = [
        (e["person"], e["role"], e["action"], e["target"]) for e in response.json()["entries"]
    ]
    assert entries[:3] == [
        ("Ana", "agent", "conversation.read", ALEX),
        ("Mia", "marketer", "journey.pause", "outreach"),
        ("Mia", "marketer", "journey.launch", "outreach"),
    ]
    assert ("bootstrap", "admin", "key.create") in [e[:3] for e in entries]
    async with harness.db.session() as s:
        (launch,) = await audit_entries(s, action="journey.launch")
    assert launch.detail == {"campaign_id": "audit-1", "version": launch.detail["version"]}  # type: ignore[index]
    assert launch.key_id is not None and await _key_person(harness.db, launch.key_id) == "Mia"


async def _key_person(db: Database, key_id: str) -> str | None:
    async with db.session() as s:
        row = await s.get(ApiKey, key_id)
    return row.person if row else None


# -- fail closed --------------------------------------------------------------------------------

REAL = {
    "twilio_account_sid": "AC" + "1" * 32,
    "twilio_auth_token": "a-real-token",
    "api_key": "a-real-key",
    "payload_master_key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
}


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "switchboard.example"]))


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5"])
def test_listening_beyond_loopback_with_placeholders_is_refused_even_when_local(
    host: str,
) -> None:
    exposed = Settings(environment="local", api_host=host)
    with pytest.raises(ExposedWithPlaceholders) as refused:
        create_app(exposed)
    assert "SWITCHBOARD_API_KEY" in str(refused.value)
    assert "SWITCHBOARD_TWILIO_AUTH_TOKEN" in str(refused.value)
    with pytest.raises(ExposedWithPlaceholders):
        create_media_app(exposed)
    placeholder_media_key = Settings(api_host=host, media_url_secret="changeme", **REAL)  # type: ignore[arg-type]
    with pytest.raises(ExposedWithPlaceholders, match="SWITCHBOARD_MEDIA_URL_SECRET"):
        create_app(placeholder_media_key)


def test_listening_beyond_loopback_with_real_secrets_starts() -> None:
    create_app(Settings(api_host="0.0.0.0", **REAL))  # type: ignore[arg-type]
    create_app(Settings(api_host="127.0.0.1"))  # the sandbox on loopback: placeholders fine


def test_up_refuses_before_starting_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    from switchboard.settings import get_settings

    monkeypatch.setenv("SWITCHBOARD_API_HOST", "0.0.0.0")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["up"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "refusing to listen on 0.0.0.0" in result.output
    assert "SWITCHBOARD_API_KEY" in result.output
