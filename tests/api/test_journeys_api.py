"""/journeys: definitions and problems, validation of a draft, campaign launches with their
input errors, and runs listed, paused and cancelled through Temporal."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from temporalio.service import RPCError, RPCStatusCode

from api.main import create_app
from switchboard.access import BOOTSTRAP_PERSON
from switchboard.db import journey_pauses
from switchboard.db.models import CampaignMember
from switchboard.journeys.loader import load_file
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import BoundedASGITransport, eventually

ALEX, SAM = "+33612345678", "+33698765432"
VALID = """\
name: sample
trigger:
  event: audience
start: ask
steps:
  ask:
    kind: send_whatsapp
    text: "Hi {{ trigger.first_name }}"
"""


def key(h: Harness) -> dict[str, str]:
    return {"X-API-Key": h.settings.api_key.get_secret_value()}


def fields(response: httpx.Response) -> list[str]:
    """The fields a 422 names: ours (``field``) or FastAPI's (``loc``)."""
    detail = response.json()["detail"]
    return [d.get("field") or ".".join(str(p) for p in d["loc"]) for d in detail]


async def runs(h: Harness, campaign: str, **params: str) -> list[dict[str, Any]]:
    response = await h.api.get("/journeys/outreach/runs", params=params, headers=key(h))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["runs"]
    return [r for r in found if r["workflow_id"].endswith(f"/{campaign}")]


async def signals(h: Harness, workflow_id: str) -> list[str]:
    """Names of the signals in the workflow's history, in order."""
    handle = h.temporal.get_workflow_handle(workflow_id)
    return [
        e.workflow_execution_signaled_event_attributes.signal_name
        async for e in handle.fetch_history_events()
        if e.HasField("workflow_execution_signaled_event_attributes")
    ]


# -- auth ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/journeys"),
        ("POST", "/journeys/validate"),
        ("POST", "/journeys/outreach/launch"),
        ("GET", "/journeys/outreach/runs"),
        ("POST", "/journeys/outreach/pause"),
        ("POST", "/journeys/outreach/resume"),
        ("POST", "/journeys/outreach/cancel"),
    ],
)
async def test_every_route_needs_the_api_key(harness: Harness, method: str, path: str) -> None:
    assert (await harness.api.request(method, path)).status_code == 401
    wrong = {"X-API-Key": "not-the-key"}
    assert (await harness.api.request(method, path, headers=wrong)).status_code == 401


# -- definitions -----------------------------------------------------------------------------------


async def test_lists_the_journeys_with_versions(harness: Harness) -> None:
    response = await harness.api.get("/journeys", headers=key(harness))
    assert response.status_code == 200
    body = response.json()
    assert body["problems"] == []
    by_name = {j["name"]: j for j in body["journeys"]}
    assert set(by_name) == {
        "after-hours-callback",
        "annual-recall",
        "appointment-reminder",
        "call-confirmation",
        "draft-followup",
        "no-show-followup",
        "outreach",
        "photo-call",
        "review-request",
        "win-back",
    }
    outreach = by_name["outreach"]
    assert outreach["version"] == load_file(harness.settings.journeys_dir / "outreach.yaml").version
    assert (outreach["trigger"], outreach["steps"], outreach["start"]) == (
        "audience",
        5,
        "opted_in",
    )


@pytest.fixture
async def api_on(harness: Harness, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API reading journeys from ``tmp_path``."""
    settings = harness.settings.model_copy(update={"journeys_dir": tmp_path})
    app = create_app(settings, db=harness.db, temporal=harness.temporal)
    transport = BoundedASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL, timeout=60) as client:
        yield client


async def test_lists_the_problems_of_invalid_files(
    harness: Harness, api_on: httpx.AsyncClient, tmp_path: Path
) -> None:
    (tmp_path / "sample.yaml").write_text(VALID)
    broken = VALID.replace("sample", "broken") + "    next: nowhere\n"
    (tmp_path / "broken.yaml").write_text(broken)
    body = (await api_on.get("/journeys", headers=key(harness))).json()
    assert [j["name"] for j in body["journeys"]] == ["sample"]
    assert body["problems"] == [
        {
            "file": "broken.yaml",
            "line": 9,  # the misspelt name's own line
            "field": "steps.ask.next",
            "message": "step 'ask' leads to 'nowhere', which is not defined",
        }
    ]


async def test_validate_reports_problems_with_line_numbers(harness: Harness) -> None:
    draft = VALID.replace(
        "start: ask", "start: ask\npolicies:\n  frequency_cap: {max_sends: 0, per: a while}"
    )
    response = await harness.api.post(
        "/journeys/validate",
        content=draft,
        headers={**key(harness), "Content-Type": "application/yaml"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert {(p["file"], p["line"], p["field"]) for p in body["problems"]} == {
        ("sample.yaml", 6, "policies.frequency_cap.max_sends"),
        ("sample.yaml", 6, "policies.frequency_cap.per"),
    }


async def test_validate_accepts_a_valid_draft_and_gives_its_version(harness: Harness) -> None:
    response = await harness.api.post("/journeys/validate", content=VALID, headers=key(harness))
    body = response.json()
    assert (body["valid"], body["name"], body["problems"]) == (True, "sample", [])
    assert len(body["version"]) == 12


async def test_validate_checks_the_file_name_when_given(harness: Harness) -> None:
    response = await harness.api.post(
        "/journeys/validate",
        params={"filename": "other.yaml"},
        content=VALID,
        headers=key(harness),
    )
    [problem] = response.json()["problems"]
    assert (problem["file"], problem["line"], problem["field"]) == ("other.yaml", 1, "name")


# -- launch ----------------------------------------------------------------------------------------


async def test_launch_of_an_unknown_journey_is_404(harness: Harness) -> None:
    response = await harness.api.post(
        "/journeys/nope/launch", content="phone\n+33612345678\n", headers=key(harness)
    )
    assert response.status_code == 404


async def test_launch_of_a_journey_with_another_trigger_is_409(harness: Harness) -> None:
    response = await harness.api.post(
        "/journeys/photo-call/launch", content="phone\n+33612345678\n", headers=key(harness)
    )
    assert response.status_code == 409
    assert "media_received" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "body", "content_type", "field"),
    [
        ({"campaign_id": "spring sale!"}, "phone\n+33612345678\n", "text/csv", "query.campaign_id"),
        ({}, "number,name\n+33612345678,Alex\n", "text/csv", "phone"),
        ({}, "", "text/csv", "body"),
        ({}, "{not json", "application/json", "body"),
        ({}, json.dumps({"phone": ALEX}), "application/json", "body"),
        ({}, json.dumps([{"phone": ALEX}, {"variables": {}}]), "application/json", "[1].phone"),
        (
            {},
            json.dumps([{"phone": ALEX, "variables": {"pet_name": 3}}]),
            "application/json",
            "[0].variables.pet_name",
        ),
        ({}, json.dumps([{"phone": ALEX, "name": "Alex"}]), "application/json", "[0].name"),
    ],
)
async def test_bad_launch_input_is_422_naming_the_field(
    harness: Harness, params: dict[str, str], body: str, content_type: str, field: str
) -> None:
    response = await harness.api.post(
        "/journeys/outreach/launch",
        params=params,
        content=body,
        headers={**key(harness), "Content-Type": content_type},
    )
    assert response.status_code == 422, response.text
    assert field in fields(response)


async def test_launch_enrols_valid_rows_and_rejects_the_others(
    harness: Harness,
) -> None:
    await harness.opt_in(ALEX, SAM, purpose="marketing")
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    audience = f"phone,first_name\n{ALEX},Alex\nnot a number,Bob\n{SAM},Sam\n{ALEX},Alex again\n"
    response = await harness.api.post(
        "/journeys/outreach/launch",
        params={"campaign_id": campaign},
        content=audience,
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["journey"], body["campaign_id"], body["enrolled"]) == ("outreach", campaign, 2)
    assert [r["row"] for r in body["rejected"]] == [2]
    assert body["version"] == load_file(harness.settings.journeys_dir / "outreach.yaml").version

    # Outreach goes as one broadcast: one campaign workflow, its members in Postgres.
    [listed] = await eventually(
        lambda: runs(harness, campaign), lambda r: len(r) == 1 and r[0]["step"]
    )
    assert listed["workflow_id"] == f"campaign/outreach/{campaign}"
    assert listed["version"] == body["version"]
    assert listed["step"] in ("sending", "waiting")
    async with harness.db.session() as s:
        found = await s.exec(
            select(CampaignMember.e164).where(
                col(CampaignMember.campaign_id) == listed["workflow_id"]
            )
        )
        assert sorted(found.all()) == sorted([ALEX, SAM])


async def test_launch_takes_a_json_audience_and_a_default_campaign_id(harness: Harness) -> None:
    await harness.opt_in(ALEX, purpose="marketing")
    response = await harness.api.post(
        "/journeys/outreach/launch",
        json=[{"phone": "+33 6 12 34 56 78", "variables": {"first_name": "Alex"}}, {"phone": "x"}],
        headers=key(harness),
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["enrolled"] == 1
    assert [r["row"] for r in body["rejected"]] == [2]
    assert body["campaign_id"].startswith("outreach-20")


# -- runs ------------------------------------------------------------------------------------------


async def test_runs_rejects_a_bad_customer_or_status(harness: Harness) -> None:
    bad_customer = await harness.api.get(
        "/journeys/outreach/runs", params={"customer": "12"}, headers=key(harness)
    )
    assert bad_customer.status_code == 422
    assert fields(bad_customer) == ["query.customer"]  # the E.164 pattern of the parameter
    bad_status = await harness.api.get(
        "/journeys/outreach/runs", params={"status": "asleep"}, headers=key(harness)
    )
    assert bad_status.status_code == 422
    assert fields(bad_status) == ["query.status"]


async def test_pause_and_cancel_affect_the_runs(harness: Harness) -> None:
    await harness.opt_in(ALEX, SAM, purpose="marketing")
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    launched = await harness.api.post(
        "/journeys/outreach/launch",
        params={"campaign_id": campaign},
        content=f"phone\n{ALEX}\n{SAM}\n",
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert launched.json()["enrolled"] == 2
    # One broadcast campaign workflow for both (outreach has the broadcast shape).
    [running] = await eventually(lambda: runs(harness, campaign), lambda r: len(r) == 1)

    paused = await harness.api.post("/journeys/outreach/pause", headers=key(harness))
    assert paused.json() == {"journey": "outreach", "action": "pause", "runs": 1}
    # A signal that arrives during a workflow task is written to history after it.
    await eventually(
        lambda: signals(harness, running["workflow_id"]),
        lambda s: s == ["members_added", "pause"],
    )

    cancelled = await harness.api.post("/journeys/outreach/cancel", headers=key(harness))
    assert cancelled.json()["runs"] == 1
    closed = await eventually(
        lambda: runs(harness, campaign, status="canceled"), lambda r: len(r) == 1
    )
    assert {r["status"] for r in closed} == {"CANCELED"}
    assert all(r["closed_at"] for r in closed)
    assert await runs(harness, campaign) == []


DATED = """\
name: dated
trigger:
  event: audience
start: wait
steps:
  wait:
    kind: wait
    until:
      date: trigger.due_at - 2d at 10:00
    next: remind
  remind:
    kind: send_whatsapp
    text: "{{ trigger.pet_name }} is due {{ trigger.due_at }} {{ trigger.x | default('') }}"
"""


async def test_a_launch_without_a_column_the_journey_needs_enrols_nobody_and_names_it(
    harness: Harness, api_on: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Without due_at every run used to end at its date wait having sent nothing ("1 enrolled"
    # and then silence); without pet_name every reminder was skipped.
    (tmp_path / "dated.yaml").write_text(DATED)
    refused = await api_on.post(
        "/journeys/dated/launch",
        content=f"phone,pet_name\n{ALEX},Rex\n",
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert problem["field"] == "due_at"
    assert "'due_at' column" in problem["message"] and "step 'wait'" in problem["message"]
    assert await runs_of(harness, api_on, "dated") == [], "nobody enrolled"

    campaign = f"test-{uuid.uuid4().hex[:8]}"
    launched = await api_on.post(
        "/journeys/dated/launch",
        params={"campaign_id": campaign},
        content=f"phone,pet_name,due_at\n{ALEX},Rex,2099-01-10\n{SAM},,2099-01-10\n",
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert launched.status_code == 202, launched.text
    body = launched.json()
    assert body["enrolled"] == 1
    assert body["rejected"] == [
        {"row": 2, "reason": "no pet_name (step 'remind' reads trigger.pet_name)"}
    ]

    as_json = await api_on.post(
        "/journeys/dated/launch",
        json=[{"phone": SAM, "variables": {"pet_name": "Milo"}}],
        headers=key(harness),
    )
    assert as_json.status_code == 202, as_json.text
    assert as_json.json()["enrolled"] == 0
    assert "no due_at" in as_json.json()["rejected"][0]["reason"]


async def runs_of(h: Harness, client: httpx.AsyncClient, name: str) -> list[dict[str, Any]]:
    response = await client.get(f"/journeys/{name}/runs", params={"status": "all"}, headers=key(h))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["runs"]
    return found


# -- what marketers get wrong ---------------------------------------------------------------------


async def test_validate_checks_template_names_and_variables_against_the_approved_ones(
    harness: Harness,
) -> None:
    """The worker refuses these (an unknown template; a send that would fail for want of a
    variable): so does the check a marketer runs first."""
    with_template = VALID + (
        "    template:\n"
        "      name: appointment_remider\n"
        '      variables: {"1": "you are", "3": "x"}\n'
    )
    unknown = await harness.api.post(
        "/journeys/validate", content=with_template, headers=key(harness)
    )
    [problem] = unknown.json()["problems"]
    assert (problem["line"], problem["field"]) == (10, "steps.ask.template.name")
    assert "did you mean 'appointment_reminder'?" in problem["message"]

    fixed = with_template.replace("appointment_remider", "appointment_reminder")
    wrong_variables = await harness.api.post(
        "/journeys/validate", content=fixed, headers=key(harness)
    )
    problems = {p["field"]: p["message"] for p in wrong_variables.json()["problems"]}
    assert set(problems) == {"steps.ask.template.variables", "steps.ask.template.variables.3"}
    assert "needs a value for '2'" in problems["steps.ask.template.variables"]
    assert "has no variable '3'" in problems["steps.ask.template.variables.3"]


async def test_pausing_a_journey_nobody_has_is_404_not_zero_runs(harness: Harness) -> None:
    for action in ("pause", "resume", "cancel"):
        response = await harness.api.post(f"/journeys/outreah/{action}", headers=key(harness))
        assert response.status_code == 404, response.text
        assert "outreah" in response.json()["detail"]
    known = await harness.api.post("/journeys/outreach/pause", headers=key(harness))
    assert known.json() == {"journey": "outreach", "action": "pause", "runs": 0}


async def test_a_paused_journey_is_listed_as_paused_until_resumed(harness: Harness) -> None:
    async def paused() -> dict[str, tuple[str | None, str | None]]:
        listed = await harness.api.get("/journeys", headers=key(harness))
        return {j["name"]: (j["paused_at"], j["paused_by"]) for j in listed.json()["journeys"]}

    assert (await paused())["outreach"] == (None, None)
    await harness.api.post("/journeys/outreach/pause", headers=key(harness))
    await harness.api.post("/journeys/outreah/pause", headers=key(harness))  # a typo: 404

    at, by = (await paused())["outreach"]
    assert by == BOOTSTRAP_PERSON and at is not None
    async with harness.db.session() as s:  # a later journey of the typo's name is not paused
        assert [p.journey for p in await journey_pauses.all_paused(s)] == ["outreach"]

    await harness.api.post("/journeys/outreach/resume", headers=key(harness))
    assert (await paused())["outreach"] == (None, None)


async def test_launch_reads_a_spreadsheet_export_with_national_numbers(
    harness: Harness,
) -> None:
    """Excel's "CSV UTF-8" in France: a BOM, semicolons, a ``Phone`` header, 06… numbers
    (read in the business profile's country)."""
    await harness.opt_in(ALEX, SAM, purpose="marketing")
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    audience = "\ufeffPhone;first_name\r\n06 12 34 56 78;Alex\r\n+33 6 98 76 54 32;Sam\r\n"
    response = await harness.api.post(
        "/journeys/outreach/launch",
        params={"campaign_id": campaign},
        content=audience.encode(),
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    assert (response.json()["enrolled"], response.json()["rejected"]) == (2, [])
    [listed] = await eventually(lambda: runs(harness, campaign), lambda r: len(r) == 1)
    async with harness.db.session() as s:
        found = await s.exec(
            select(CampaignMember.e164).where(
                col(CampaignMember.campaign_id) == listed["workflow_id"]
            )
        )
        assert sorted(found.all()) == sorted([ALEX, SAM])


async def test_launch_without_a_column_the_journey_needs_names_it(
    harness: Harness, api_on: httpx.AsyncClient, tmp_path: Path
) -> None:
    needs_pet = VALID.replace("trigger.first_name", "trigger.pet_name")
    (tmp_path / "sample.yaml").write_text(needs_pet)
    response = await api_on.post(
        "/journeys/sample/launch",
        content="phone,first_name\n+33612345678,Alex\n",
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    [detail] = response.json()["detail"]
    assert detail["field"] == "pet_name" and "needs a 'pet_name' column" in detail["message"]


async def test_a_launch_with_no_valid_row_starts_no_campaign(harness: Harness) -> None:
    campaign = f"test-{uuid.uuid4().hex[:8]}"
    response = await harness.api.post(
        "/journeys/outreach/launch",
        params={"campaign_id": campaign},
        content="phone,first_name\nnot a number,Alex\n",
        headers={**key(harness), "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    assert (response.json()["enrolled"], [r["row"] for r in response.json()["rejected"]]) == (
        0,
        [1],
    )
    handle = harness.temporal.get_workflow_handle(f"campaign/outreach/{campaign}")
    with pytest.raises(RPCError) as missing:
        await handle.describe()
    assert missing.value.status == RPCStatusCode.NOT_FOUND, "no empty campaign in the funnel"
