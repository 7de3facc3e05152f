"""``switchboard keys create|list|revoke`` through the one API client (against a fake of the
API's wire format): what is sent, what is printed."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

import operations.api_client
from cli.main import app
from operations.api_client import SwitchboardClient
from switchboard.settings import Settings

KEY = {
    "id": "3f9c0a1b2c4d",
    "person": "mia@example.com",
    "role": "marketer",
    "created_by": "bootstrap",
    "created_at": "2026-12-02T09:15:00Z",
    "revoked_at": None,
}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        requests.append(request)
        if request.method == "POST":
            return httpx.Response(201, json={**KEY, "token": "sbk_3f9c0a1b2c4d_" + "x" * 43})
        if request.method == "DELETE":
            return httpx.Response(200, json={**KEY, "revoked_at": "2026-12-02T10:00:00Z"})
        return httpx.Response(200, json={"keys": [KEY]})

    def make(settings: Settings, *, timeout_s: float) -> SwitchboardClient:
        return SwitchboardClient(
            settings, timeout_s=timeout_s, transport=httpx.MockTransport(answer)
        )

    monkeypatch.setattr(operations.api_client, "SwitchboardClient", make)
    return requests


def test_create_prints_the_key_once(seen: list[httpx.Request]) -> None:
    result = CliRunner().invoke(
        app, ["keys", "create", "--person", "mia@example.com", "--role", "marketer"]
    )
    assert result.exit_code == 0, result.output
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/keys")
    assert json.loads(request.content) == {"person": "mia@example.com", "role": "marketer"}
    assert request.headers["X-API-Key"] == Settings().api_key.get_secret_value()
    assert "X-API-Key: sbk_3f9c0a1b2c4d_" in result.output
    assert "not shown again" in result.output


def test_create_refuses_an_unknown_role_without_calling_the_api(seen: list[httpx.Request]) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "--person", "x", "--role", "root"])
    assert result.exit_code == 1 and "role must be one of" in result.output
    assert seen == []


def test_list_and_revoke(seen: list[httpx.Request]) -> None:
    listed = CliRunner().invoke(app, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    header, row = listed.output.splitlines()
    assert header.split() == ["ID", "PERSON", "ROLE", "CREATED", "REVOKED"]
    assert row.split() == [
        "3f9c0a1b2c4d",
        "mia@example.com",
        "marketer",
        "2026-12-02",
        "09:15",
        "-",
    ]
    revoked = CliRunner().invoke(app, ["keys", "revoke", "3f9c0a1b2c4d"])
    assert revoked.exit_code == 0 and "revoked key 3f9c0a1b2c4d" in revoked.output
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/keys"),
        ("DELETE", "/keys/3f9c0a1b2c4d"),
    ]
