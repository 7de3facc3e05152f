"""SwitchboardClient against a fake of the API's wire format: what it sends (method, path,
query, headers, body), what it returns, and its two errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pydantic
import pytest

from operations.api_client import (
    ApiError,
    ApiUnreachable,
    JourneyRun,
    LaunchReport,
    RejectedRow,
    SwitchboardClient,
)
from switchboard.settings import Settings

SETTINGS = Settings(api_key="test-key")
RUN = {
    "workflow_id": "journey-outreach-c1-+33612345678",
    "run_id": "r1",
    "status": "RUNNING",
    "customer": "+33612345678",
    "version": "8bd728b63e2f",
    "step": "ask",
    "channel": "whatsapp",
    "started_at": "2025-03-04T09:15:30.123456Z",
    "closed_at": None,
}


def client(
    answer: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request]
) -> SwitchboardClient:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer(request)

    return SwitchboardClient(SETTINGS, transport=httpx.MockTransport(handler))


def test_launch_sends_the_csv_with_the_key_and_reads_the_report() -> None:
    seen: list[httpx.Request] = []
    body = {
        "journey": "outreach",
        "version": "8bd728b63e2f",
        "campaign_id": "spring",
        "enrolled": 2,
        "rejected": [{"row": 3, "reason": "not a phone number"}],
    }
    with client(lambda _: httpx.Response(202, json=body), seen) as api:
        report = api.launch_journey("outreach", b"phone\n+33612345678\n", campaign_id="spring")

    assert report == LaunchReport(
        journey="outreach",
        version="8bd728b63e2f",
        campaign_id="spring",
        enrolled=2,
        rejected=[RejectedRow(row=3, reason="not a phone number")],
    )
    [request] = seen
    assert (request.method, request.url.path) == ("POST", "/journeys/outreach/launch")
    assert dict(request.url.params) == {"campaign_id": "spring"}
    assert request.headers["X-API-Key"] == "test-key"
    assert request.headers["Content-Type"] == "text/csv"
    assert request.content == b"phone\n+33612345678\n"


def test_launch_without_a_campaign_id_lets_the_api_choose() -> None:
    seen: list[httpx.Request] = []
    body = {"journey": "o", "version": "v", "campaign_id": "o-1", "enrolled": 0, "rejected": []}
    with client(lambda _: httpx.Response(202, json=body), seen) as api:
        api.launch_journey("o", b"phone\n")
    assert not seen[0].url.params


def test_runs_are_typed_with_utc_instants() -> None:
    seen: list[httpx.Request] = []
    body = {"journey": "outreach", "runs": [RUN]}
    with client(lambda _: httpx.Response(200, json=body), seen) as api:
        [run] = api.journey_runs("outreach", status="all", customer="+33612345678")

    assert isinstance(run, JourneyRun)
    assert run.started_at == datetime(2025, 3, 4, 9, 15, 30, 123456, tzinfo=UTC)
    assert (run.customer, run.step, run.closed_at) == ("+33612345678", "ask", None)
    assert seen[0].url.path == "/journeys/outreach/runs"
    assert dict(seen[0].url.params) == {"status": "all", "customer": "+33612345678"}


@pytest.mark.parametrize("action", ["pause", "resume", "cancel"])
def test_run_actions_return_how_many_runs(action: str) -> None:
    seen: list[httpx.Request] = []
    body = {"journey": "outreach", "action": action, "runs": 3}
    with client(lambda _: httpx.Response(200, json=body), seen) as api:
        count = getattr(api, f"{action}_journey")("outreach")
    assert count == 3
    assert (seen[0].method, seen[0].url.path) == ("POST", f"/journeys/outreach/{action}")


def test_consent_and_conversation_quote_the_number() -> None:
    seen: list[httpx.Request] = []
    conversation = {"customer": "+33612345678", "timezone": "Europe/Paris", "entries": []}
    with client(lambda _: httpx.Response(200, json=conversation), seen) as api:
        api.record_consent("+33612345678", channel="whatsapp", status="opted_in", source="cli")
        assert api.conversation("+33612345678") == conversation

    assert seen[0].url.raw_path == b"/customers/%2B33612345678/consent"
    assert json.loads(seen[0].content) == {
        "channel": "whatsapp",
        "status": "opted_in",
        "source": "cli",
        "purpose": "service",
    }
    assert seen[1].url.raw_path == b"/customers/%2B33612345678/conversation"


def test_an_error_status_raises_api_error_with_the_detail() -> None:
    detail = [{"field": "phone", "message": "no phone column"}]
    with (
        client(lambda _: httpx.Response(422, json={"detail": detail}), []) as api,
        pytest.raises(ApiError) as exc,
    ):
        api.launch_journey("outreach", b"name\nAlex\n")
    assert (exc.value.status_code, exc.value.detail) == (422, detail)
    assert str(exc.value) == "422: phone: no phone column", "the field and message, in words"


def test_an_error_without_json_keeps_the_body_text() -> None:
    with (
        client(lambda _: httpx.Response(502, text="Bad Gateway"), []) as api,
        pytest.raises(ApiError, match=r"^502: Bad Gateway$"),
    ):
        api.pause_journey("outreach")


def test_no_answer_raises_api_unreachable_naming_the_url() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with client(refuse, []) as api, pytest.raises(ApiUnreachable) as exc:
        api.journey_runs("outreach")
    assert str(exc.value) == (
        f"cannot reach the API at {SETTINGS.api_url} ([Errno 111] Connection refused)"
    )


def test_a_body_of_the_wrong_shape_is_a_validation_error() -> None:
    with (
        client(lambda _: httpx.Response(200, json={"runs": "many"}), []) as api,
        pytest.raises(pydantic.ValidationError),
    ):
        api.cancel_journey("outreach")
