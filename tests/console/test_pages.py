"""The console's journey, campaign, customer and analytics pages over HTTP, without a browser
or a worker (Temporal is a closed port: runs are "unavailable"): the diagram, editing with an
error and with a stale base, the review diff and the save, the launch preview's counts and a
tampered confirmation, search by name and the customer's audio, the analytics' figures from
seeded rows, and who may see what."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from api.console.diagram import journey_svg
from api.main import create_app
from operations.audience_preview import preview
from operations.journey_edit import text_hash
from switchboard.access import Role
from switchboard.db.access import audit_entries, create_key
from switchboard.db.consent import record_consent
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.media import put_media
from switchboard.db.models import Booking, Handoff, Message, Outbox
from switchboard.journeys.loader import DEFAULT_DIR, load_all, load_file
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.polling import BoundedASGITransport

ALEX = "+33612345678"
BEA = "+33612345679"
CHLOE = "+33612345670"


@pytest.fixture
def journeys_dir(tmp_path: Path) -> Path:
    """A copy of the shipped journeys (with their quiet hours) that the editor may change."""
    target = tmp_path / "journeys"
    shutil.copytree(DEFAULT_DIR, target)
    return target


@pytest.fixture
async def console(
    settings: Settings, db: Database, journeys_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings.model_copy(
        update={"temporal_address": "127.0.0.1:9", "journeys_dir": journeys_dir}
    )
    app = create_app(settings, db=db)
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as client:
        yield client


async def sign_in_as(client: httpx.AsyncClient, db: Database, role: Role, person: str) -> None:
    async with db.session() as s:
        _, key = await create_key(s, person=person, role=role, created_by="test")
    client.cookies.clear()
    assert (await client.post("/console/sign-in", data={"key": key.token})).status_code == 303


def test_every_shipped_journey_is_drawn_with_all_its_steps() -> None:
    journeys, problems = load_all(DEFAULT_DIR)
    assert journeys and not problems
    for definition in journeys.values():
        svg = str(journey_svg(definition, {definition.start: 7}))
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        for step in definition.steps:
            assert f'href="#step-{step}"' in svg, (definition.name, step)
        assert ">7</text>" in svg, "the runs at the start step are drawn"
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", ""), "nothing fetched"


async def test_the_journey_page_draws_the_diagram_and_only_actors_may_steer(
    console: httpx.AsyncClient, db: Database
) -> None:
    await sign_in_as(console, db, Role.ENGINEER, "Eve Engineer")
    page = await console.get("/console/journeys/outreach")
    assert page.status_code == 200
    assert '<svg class="diagram"' in page.text and "Runs unavailable" in page.text
    assert "/pause" not in page.text and "/edit" not in page.text, "engineers only read"
    assert (await console.post("/console/journeys/outreach/pause")).status_code == 403
    assert (await console.get("/console/journeys/outreach/edit")).status_code == 403
    assert (await console.get("/console/analytics")).status_code == 200

    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = await console.get("/console/journeys/outreach")
    for tool in ("/edit", "/dry-run", "/launch", "/pause", "/resume", "/cancel"):
        assert f"/console/journeys/outreach{tool}" in page.text, tool
    # Not an audience journey: no launch.
    assert "/launch" not in (await console.get("/console/journeys/draft-followup")).text

    await sign_in_as(console, db, Role.AGENT, "Ana Agent")
    assert (await console.get("/console/analytics")).status_code == 403
    assert (await console.get("/console/journeys/outreach/launch")).status_code == 403


async def test_editing_a_journey_shows_the_error_then_the_diff_then_saves_it(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    path = journeys_dir / "review-request.yaml"
    original = path.read_text()
    editor = await console.get("/console/journeys/review-request/edit")
    assert editor.status_code == 200 and "journey-editor.js" in editor.text
    base = re.search(r'name="base_hash" value="([0-9a-f]{64})"', editor.text)
    assert base is not None and base[1] == text_hash(original)

    broken = original.replace("kind: end", "kind: finish", 1)
    # The loader points at the step whose kind is unknown (its key's line).
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if text == "  done:")
    checked = (await console.post("/console/journeys/review-request/check", content=broken)).json()
    assert checked["valid"] is False
    assert any(p["line"] == line for p in checked["problems"]), checked

    shown = await console.post(
        "/console/journeys/review-request/review", data={"text": broken, "base_hash": base[1]}
    )
    assert shown.status_code == 422 and f"line {line}" in shown.text

    edited = original.replace("description:", "description: Thanks, edited.", 1)
    assert edited != original
    review = await console.post(
        "/console/journeys/review-request/review", data={"text": edited, "base_hash": base[1]}
    )
    assert review.status_code == 200
    assert '<span class="added">+ description: Thanks, edited.' in review.text
    assert path.read_text() == original, "reviewing writes nothing"

    saved = await console.post(
        "/console/journeys/review-request/save", data={"text": edited, "base_hash": base[1]}
    )
    assert saved.status_code == 303
    assert path.read_text() == edited
    new_version = load_file(path).version
    assert saved.headers["location"] == f"/console/journeys/review-request?saved={new_version}"
    async with db.session() as s:
        [entry] = await audit_entries(s, action="journey.edit")
    assert entry.person == "Mia Marketer" and entry.detail is not None
    assert entry.detail["to_version"] == new_version

    stale = await console.post(
        "/console/journeys/review-request/save",
        data={"text": original, "base_hash": base[1]},
    )
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    assert path.read_text() == edited, "a stale base never overwrites"


async def test_the_launch_preview_counts_rows_invalid_numbers_and_opt_ins(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    async with db.session() as s:
        for e164, status in ((ALEX, "opted_in"), (BEA, "opted_out")):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
            await record_consent(
                s,
                customer_e164=e164,
                channel="whatsapp",
                purpose="marketing",
                status=status,
                source="web_form",
            )
    csv = f"phone,first_name\n{ALEX},Alex\n{BEA},Bea\nnot a number,X\n{CHLOE},Chloe\n{ALEX},Again\n"
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    shown = await console.post(
        "/console/journeys/outreach/launch/preview",
        data={"campaign_id": "spring"},
        files={"audience": ("audience.csv", csv.encode(), "text/csv")},
    )
    assert shown.status_code == 200, shown.text[:500]
    facts = {
        key: re.search(rf'id="preview-{key}">([^<]*)<', shown.text)[1]  # type: ignore[index]
        for key in ("rows", "members", "invalid", "opted-in")
    }
    assert facts["rows"] == "5"
    assert facts["members"].startswith("3 (1 duplicate row")
    assert facts["invalid"] == "1"
    assert facts["opted-in"] == "1 of 3 opted in, 1 opted out, 1 never asked"
    assert "<td>3</td>" in shown.text, "the invalid row is named"

    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', shown.text)
    assert sha is not None
    tampered = await console.post(
        "/console/journeys/outreach/launch/confirm",
        data={
            "text": csv + f"{CHLOE[:-1]}1,Extra\n",
            "sha256": sha[1],
            "version": load_file(journeys_dir / "outreach.yaml").version,
            "campaign_id": "spring",
        },
    )
    assert tampered.status_code == 409 and "changed since the preview" in tampered.text

    refused = await console.get("/console/journeys/draft-followup/launch")
    assert refused.status_code == 409 and "not on an audience" in refused.text


async def test_quiet_hours_in_the_preview_follow_each_members_time_zone(
    db: Database, journeys_dir: Path
) -> None:
    definition = load_file(journeys_dir / "outreach.yaml")  # quiet 21:00-08:00 local
    csv = "phone\n+33612345678\n+14155550100\n"  # Paris, Los Angeles
    at = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 in Paris, 13:30 in California
    found = await preview(db, definition, csv, at=at)
    assert (found.rows, len(found.members), found.quiet_now) == (2, 2, 1)
    assert found.no_consent == 2


async def test_customers_are_found_by_a_name_and_their_audio_plays(
    console: httpx.AsyncClient, db: Database
) -> None:
    now = datetime.now(UTC)
    async with db.session() as s:
        for e164 in (ALEX, BEA):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        s.add(
            Booking(
                id="bk-1",
                customer_e164=ALEX,
                slot_start=now + timedelta(days=2),
                subject="Felix",
                status="confirmed",
                channel="whatsapp",
            )
        )
        await put_media(
            s, media_id="MEalex", data=b"OggS-voice", content_type="audio/ogg", customer_e164=ALEX
        )
        await put_media(
            s, media_id="MEbea", data=b"OggS-other", content_type="audio/ogg", customer_e164=BEA
        )
        s.add(
            Message(
                key="in/SM1",
                customer_e164=ALEX,
                channel="whatsapp",
                direction="inbound",
                kind="voice_note",
                text="book Felix on Tuesday",
                media_id="MEalex",
            )
        )
    await sign_in_as(console, db, Role.AGENT, "Ana Agent")
    found = await console.get("/console/customers", params={"q": "feli"})
    assert ALEX in found.text and BEA not in found.text

    timeline = await console.get(f"/console/customers/{ALEX}")
    src = "/console/customers/%2B33612345678/media/MEalex"
    assert f'<audio controls preload="none" src="{src}"' in timeline.text
    assert "/namespaces/default/workflows/customer%2F%2B33612345678" in timeline.text
    audio = await console.get(src)
    assert audio.status_code == 200 and audio.content == b"OggS-voice"
    assert audio.headers["content-type"] == "audio/ogg"
    other = await console.get(f"/console/customers/{ALEX}/media/MEbea")
    assert other.status_code == 404, "another customer's audio is not served"


async def test_a_document_a_customer_sent_is_downloaded_never_run_in_the_console(
    console: httpx.AsyncClient, db: Database
) -> None:
    page = b"<html><script>fetch('/console/customers')</script></html>"
    async with db.session() as s:
        await ensure_customer(s, e164=ALEX, timezone="Europe/Paris")
        await put_media(
            s, media_id="MEhtml", data=page, content_type="text/html", customer_e164=ALEX
        )
        await put_media(
            s,
            media_id="MEsvg",
            data=b"<svg onload='x()'/>",
            content_type="image/svg+xml",
            customer_e164=ALEX,
        )
    await sign_in_as(console, db, Role.AGENT, "Ana Agent")

    for media_id in ("MEhtml", "MEsvg"):
        got = await console.get(f"/console/customers/{ALEX}/media/{media_id}")
        assert got.status_code == 200
        assert got.headers["content-type"] == "application/octet-stream"
        assert got.headers["content-disposition"] == "attachment"
        assert "sandbox" in got.headers["content-security-policy"]


async def test_analytics_computes_the_figures_from_the_log(
    console: httpx.AsyncClient, db: Database
) -> None:
    now = datetime.now(UTC) - timedelta(hours=1)
    async with db.session() as s:
        for e164 in (ALEX, BEA):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        rows = [
            Message(
                key="in/SM1",
                customer_e164=ALEX,
                channel="whatsapp",
                direction="inbound",
                kind="text",
                text="hi",
                created_at=now,
            ),
            Message(
                key="reply/SM1",
                customer_e164=ALEX,
                channel="whatsapp",
                direction="outbound",
                kind="text",
                text="hello",
                status="delivered",
                created_at=now + timedelta(seconds=2),
            ),
            Message(
                key="in/SM2",
                customer_e164=BEA,
                channel="whatsapp",
                direction="inbound",
                kind="text",
                text="a human please",
                created_at=now,
            ),
            Message(
                key="fallback/SM3",
                customer_e164=BEA,
                channel="voice",
                direction="outbound",
                kind="event",
                text="fallback: speech synthesis failed: reply spoken with <Say>",
                created_at=now,
            ),
        ]
        s.add_all(rows)
        s.add(
            Handoff(
                key="handoff/SM2",
                customer_e164=BEA,
                queue="agent",
                note="The customer asked for a person: 'a human please'",
                created_at=now,
            )
        )
        s.add_all(
            [
                Outbox(
                    key="reply/SM1",
                    kind="whatsapp",
                    recipient=ALEX,
                    status="sent",
                    delivery_status="delivered",
                    created_at=now,
                ),
                Outbox(
                    key=f"journey/outreach/{ALEX}/spring/invite/1",
                    kind="whatsapp",
                    recipient=ALEX,
                    status="sent",
                    delivery_status="read",
                    created_at=now,
                ),
                Outbox(
                    key=f"journey/outreach/{BEA}/spring/invite/1",
                    kind="whatsapp",
                    recipient=BEA,
                    status="failed",
                    created_at=now,
                ),
            ]
        )
        s.add(
            Booking(
                id="bk-1",
                customer_e164=ALEX,
                slot_start=now + timedelta(days=1),
                subject="Felix",
                status="cancelled",
                channel="whatsapp",
                confirmed_at=now,
                cancelled_at=now + timedelta(hours=1),
            )
        )
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = await console.get("/console/analytics", params={"days": "7"})
    assert page.status_code == 200
    text = page.text

    def tile(name: str) -> str:
        found = re.search(rf'id="{name}">([^<]*)<', text)
        assert found is not None, name
        return found[1]

    assert tile("containment") == "50%"  # Alex without a person, Bea handed off
    assert tile("handoff-rate") == "50%"
    assert tile("error-rate") == "100%"  # the one confirmed booking was cancelled within 24 h
    assert tile("sends") == "3"
    assert "outreach: invite" in text and "agent: reply" in text
    assert "customer asked for a person" in text and "speech synthesis" in text
    assert "2000 ms" in text, "whatsapp p50 from the message to its reply"
    assert text.count("<svg") >= 7 and "<script" not in text
    assert (await console.get("/console/analytics", params={"days": "5"})).status_code == 422
