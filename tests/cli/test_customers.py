"""``switchboard conversation`` and ``switchboard customers erase`` take the number as staff
type it (the business profile's country reads ``06 12 34 56 78``) and call the API with its
E.164 form, which is all the API's paths take (against a fake of the API's wire format)."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

import operations.api_client
from cli.main import app
from operations.api_client import SwitchboardClient
from switchboard.settings import Settings

ERASED = {
    "customer": "+33612345678",
    "workflows_terminated": ["customer/+33612345678"],
    "recordings_deleted": 0,
    "rows": {"message": 3, "customer": 1},
}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.method == "DELETE":
            return httpx.Response(200, json=ERASED)
        return httpx.Response(
            200, json={"customer": "+33612345678", "timezone": "Europe/Paris", "entries": []}
        )

    def make(settings: Settings, *, timeout_s: float) -> SwitchboardClient:
        return SwitchboardClient(
            settings, timeout_s=timeout_s, transport=httpx.MockTransport(answer)
        )

    monkeypatch.setattr(operations.api_client, "SwitchboardClient", make)
    return requests


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678"])
def test_erase_takes_the_number_as_typed(seen: list[httpx.Request], typed: str) -> None:
    result = CliRunner().invoke(app, ["customers", "erase", typed, "--yes"])
    assert result.exit_code == 0, result.output
    (request,) = seen
    assert (request.method, request.url.path) == ("DELETE", "/customers/+33612345678")
    assert "erased +33612345678" in result.output


def test_conversation_takes_the_number_as_typed(seen: list[httpx.Request]) -> None:
    result = CliRunner().invoke(app, ["conversation", "06.12.34.56.78"])
    assert result.exit_code == 0, result.output
    assert [r.url.path for r in seen] == ["/customers/+33612345678/conversation"]


def test_what_is_not_a_number_is_refused_before_calling_the_api(
    seen: list[httpx.Request],
) -> None:
    result = CliRunner().invoke(app, ["customers", "erase", "06 12", "--yes"])
    assert result.exit_code == 2 and "not a possible phone number" in result.output
    assert seen == []
