"""``switchboard journeys``: the tables it prints, and the runs commands through the one API
client (against a fake of the API's wire format)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import operations.api_client
from cli.main import app
from operations.api_client import SwitchboardClient
from switchboard.journeys.loader import DEFAULT_DIR, load_all
from switchboard.settings import Settings

Answer = Callable[[httpx.Request], httpx.Response]
RUN = {
    "workflow_id": "journey-outreach-c1-+33612345678",
    "run_id": "r1",
    "status": "RUNNING",
    "customer": "+33612345678",
    "version": "8bd728b63e2f",
    "step": "wait_for_a_reply_before_the_reminder",
    "channel": None,
    "started_at": "2025-03-04T09:15:30.123456Z",
    "closed_at": None,
}


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Callable[[Answer], list[httpx.Request]]:
    """Route the CLI's client to ``answer``; returns the requests it received."""

    def install(answer: Answer) -> list[httpx.Request]:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            request.read()
            seen.append(request)
            return answer(request)

        def make(settings: Settings, *, timeout_s: float) -> SwitchboardClient:
            transport = httpx.MockTransport(handler)
            return SwitchboardClient(settings, timeout_s=timeout_s, transport=transport)

        monkeypatch.setattr(operations.api_client, "SwitchboardClient", make)
        return seen

    return install


def test_list_prints_one_row_per_journey() -> None:
    result = CliRunner().invoke(app, ["journeys", "list"])

    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split() == ["NAME", "VERSION", "TRIGGER", "STEPS"]
    journeys, _ = load_all(DEFAULT_DIR)
    expected = [
        [d.name, d.version, d.trigger.event, str(len(d.steps))] for _, d in sorted(journeys.items())
    ]
    assert [row.split() for row in rows] == expected


def test_runs_prints_whole_values_even_when_narrower_than_the_table(
    fake_api: Callable[[Answer], list[httpx.Request]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    seen = fake_api(lambda _: httpx.Response(200, json={"journey": "outreach", "runs": [RUN]}))

    result = CliRunner().invoke(app, ["journeys", "runs", "outreach", "--status", "all"])

    assert result.exit_code == 0, result.output
    header, row, count, _blank, totals_header, totals = result.output.splitlines()
    assert header.split() == [
        "CUSTOMER",
        "VERSION",
        "STEP",
        "CHANNEL",
        "STATUS",
        "BRANCH",
        "GOAL",
        "STARTED",
        "(UTC)",
    ]
    assert row.split() == [
        "+33612345678",
        "8bd728b63e2f",
        "wait_for_a_reply_before_the_reminder",
        "-",
        "RUNNING",
        "-",
        "-",
        "2025-03-04",
        "09:15:30",
    ]
    assert count == "1 run(s)"
    # Then per version and split branch: runs, conversions, runs per step.
    assert totals_header.split() == ["VERSION", "BRANCH", "RUNS", "CONVERTED", "STEPS"]
    assert totals.split() == [
        "8bd728b63e2f",
        "-",
        "1",
        "0",
        "(0%)",
        "wait_for_a_reply_before_the_reminder",
        "1",
    ]
    assert dict(seen[0].url.params) == {"status": "all"}


def test_launch_reports_enrolled_and_rejected_rows(
    fake_api: Callable[[Answer], list[httpx.Request]], tmp_path: Path
) -> None:
    audience = tmp_path / "audience.csv"
    audience.write_text("phone,pet_name\n+33612345678,Felix\n12,Rex\n")
    report = {
        "journey": "outreach",
        "version": "8bd728b63e2f",
        "campaign_id": "spring",
        "enrolled": 1,
        "rejected": [{"row": 2, "reason": "not a phone number: '12'"}],
    }
    seen = fake_api(lambda _: httpx.Response(202, json=report))

    result = CliRunner().invoke(
        app,
        ["journeys", "launch", "outreach", "--audience", str(audience), "--campaign-id", "spring"],
    )

    assert (result.exit_code, result.output) == (
        0,
        "outreach v8bd728b63e2f: campaign spring, 1 enrolled, 1 rejected\n"
        "  row 2: not a phone number: '12'\n",
    )
    assert seen[0].content == audience.read_bytes()


@pytest.mark.parametrize(
    ("action", "done"), [("pause", "paused"), ("resume", "resumed"), ("cancel", "cancelled")]
)
def test_run_actions_say_how_many_runs(
    fake_api: Callable[[Answer], list[httpx.Request]], action: str, done: str
) -> None:
    fake_api(lambda _: httpx.Response(200, json={"journey": "o", "action": action, "runs": 2}))

    result = CliRunner().invoke(app, ["journeys", action, "outreach"])

    assert (result.exit_code, result.output) == (0, f"{done} 2 running run(s) of outreach\n")


def test_an_api_error_is_one_line_and_exit_1(
    fake_api: Callable[[Answer], list[httpx.Request]],
) -> None:
    fake_api(lambda _: httpx.Response(404, json={"detail": "no journey named 'nope'"}))

    result = CliRunner().invoke(app, ["journeys", "pause", "nope"])

    assert (result.exit_code, result.output) == (1, "error: 404: no journey named 'nope'\n")


def test_a_refused_audience_names_the_field_in_words(
    fake_api: Callable[[Answer], list[httpx.Request]], tmp_path: Path
) -> None:
    # It used to print the Python repr of the API's list: "[{'field': 'body', 'message': …}]".
    detail = [{"field": "due_at", "message": "the header needs a 'due_at' column"}]
    fake_api(lambda _: httpx.Response(422, json={"detail": detail}))
    audience = tmp_path / "audience.csv"
    audience.write_text("phone\n+33612345678\n")

    result = CliRunner().invoke(
        app, ["journeys", "launch", "outreach", "--audience", str(audience)]
    )

    assert (result.exit_code, result.output) == (
        1,
        "error: 422: due_at: the header needs a 'due_at' column\n",
    )


def test_no_api_is_one_line_and_exit_1(fake_api: Callable[[Answer], list[httpx.Request]]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    fake_api(refuse)

    result = CliRunner().invoke(app, ["journeys", "runs", "outreach"])

    assert result.exit_code == 1
    assert result.output.startswith("error: cannot reach the API at http")
    assert result.output.endswith("([Errno 111] Connection refused); is the stack up?\n")
