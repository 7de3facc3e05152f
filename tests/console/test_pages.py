"""The console's journey, campaign, customer and analytics pages over HTTP, without a browser
or a worker (Temporal is a closed port: runs are "unavailable"): the diagram, editing with an
error and with a stale base, the review diff and the save, the launch preview's counts and a
tampered confirmation, search by name and the customer's audio, the analytics' figures from
seeded rows, and who may see what."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from api.console import journeys as journeys_page
from api.console.diagram import journey_svg
from api.console.render import local_time as render_local_time
from api.main import create_app
from operations import manage
from operations.audience_preview import preview
from operations.journey_edit import NEW_FILE, text_hash
from switchboard.access import BOOTSTRAP_PERSON, Principal, Role
from switchboard.business import load_profile
from switchboard.db import journey_pauses
from switchboard.db.access import audit, audit_entries, create_key
from switchboard.db.consent import record_consent
from switchboard.db.conversation import log_message
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


async def test_the_journey_page_says_since_when_and_by_whom_the_journey_is_paused(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    running = html.unescape((await console.get("/console/journeys/outreach")).text)
    assert "Paused since" not in running
    assert ">Pause the journey</button>" in running and ">Resume the journey</button>" in running

    # What ``operations.manage.pause`` records (the console's button also signals the runs,
    # which needs Temporal: the browser test presses it).
    async with db.session() as s:
        await journey_pauses.pause(s, journey="outreach", by="Mia Marketer")
        row = await journey_pauses.paused(s, journey="outreach")
    assert row is not None
    zone = load_file(journeys_dir / "outreach.yaml").policies.timezone
    paused = html.unescape((await console.get("/console/journeys/outreach")).text)
    since = render_local_time(row.paused_at, zone)
    assert f"Paused since {since} ({zone}) by Mia Marketer" in paused

    async with db.session() as s:
        await journey_pauses.resume(s, journey="outreach")
    assert "Paused since" not in (await console.get("/console/journeys/outreach")).text


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
    assert (await console.get("/console/journeys/new")).status_code == 403
    assert 'id="new-journey"' not in (await console.get("/console/journeys")).text
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


def draft_of(editor: httpx.Response) -> tuple[str, str]:
    """(the text area's draft, the base hash) of an editor page."""
    text = re.search(r'<textarea id="yaml"[^>]*>(.*?)</textarea>', editor.text, re.S)
    base = re.search(r'name="base_hash" value="([0-9a-f]{64})"', editor.text)
    assert text is not None and base is not None
    return html.unescape(text[1]), base[1]


async def test_a_new_journey_is_a_copy_checked_reviewed_and_created_once(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    listing = await console.get("/console/journeys")
    assert 'href="/console/journeys/new"' in listing.text
    form = await console.get("/console/journeys/new")
    assert form.status_code == 200 and 'value="review-request"' in form.text

    for bad, why in (
        ("Thanks Again", "cannot name a journey"),
        ("new", "cannot name a journey"),
        ("review-request", "review-request.yaml exists already"),
    ):
        refused = await console.post("/console/journeys/new", data={"name": bad, "copy_of": ""})
        assert refused.status_code == 422 and why in html.unescape(refused.text), bad

    editor = await console.post(
        "/console/journeys/new", data={"name": "thanks-again", "copy_of": "review-request"}
    )
    assert editor.status_code == 200 and "New journey thanks-again" in editor.text
    text, base = draft_of(editor)
    assert base == NEW_FILE
    assert "\nname: thanks-again\n" in text and "name: review-request" not in text
    assert "review_request" in text, "the copy keeps the source's steps"
    path = journeys_dir / "thanks-again.yaml"
    assert not path.exists(), "opening the editor writes nothing"

    review = await console.post(
        "/console/journeys/thanks-again/review", data={"text": text, "base_hash": base}
    )
    assert review.status_code == 200 and "Review the new journey thanks-again" in review.text
    assert '<span class="added">+ name: thanks-again' in review.text
    assert '<span class="removed">' not in review.text
    # What the copy will obey, though the file writes no hours, and that it runs beside the
    # journey it copies (same trigger), not instead of it.
    obeys = re.search(r'<dl class="facts" id="draft-policies">(.*?)</dl>', review.text, re.S)
    assert obeys is not None
    shown = html.unescape(obeys[1])
    assert "the business profile's: Mon–Fri 08:30–12:30, 14:00–19:00" in shown
    assert "annual-recall, review-request also start on this event" in shown

    saved = await console.post(
        "/console/journeys/thanks-again/save", data={"text": text, "base_hash": base}
    )
    assert saved.status_code == 303 and path.read_text() == text
    version = load_file(path).version
    assert saved.headers["location"] == f"/console/journeys/thanks-again?saved={version}"
    assert (await console.get("/console/journeys/thanks-again")).status_code == 200
    async with db.session() as s:
        [entry] = await audit_entries(s, action="journey.create")
    assert entry.person == "Mia Marketer" and entry.target == "thanks-again"
    assert entry.detail is not None and entry.detail["to_version"] == version

    again = await console.post(
        "/console/journeys/thanks-again/save",
        data={"text": text.replace("Thank you", "Thanks"), "base_hash": base},
    )
    assert again.status_code == 409 and "was created meanwhile" in again.text
    assert path.read_text() == text, "a second create never overwrites the first"


async def test_a_blank_journey_is_refused_if_its_name_was_taken_meanwhile(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    await sign_in_as(console, db, Role.ADMIN, "Ada Admin")
    editor = await console.post("/console/journeys/new", data={"name": "spring-hello"})
    assert (
        editor.status_code == 200
        and 'id="check-status" role="status" aria-live="polite" class="ok"' in editor.text
    )
    text, base = draft_of(editor)
    assert "name: spring-hello" in text and base == NEW_FILE

    # Another person creates the same name first.
    path = journeys_dir / "spring-hello.yaml"
    theirs = text.replace("Hello from the practice.", "Spring is here.")
    path.write_text(theirs)

    review = await console.post(
        "/console/journeys/spring-hello/review", data={"text": text, "base_hash": base}
    )
    assert review.status_code == 200 and "was created meanwhile" in review.text
    saved = await console.post(
        "/console/journeys/spring-hello/save", data={"text": text, "base_hash": base}
    )
    assert saved.status_code == 409 and "was created meanwhile" in saved.text
    assert path.read_text() == theirs
    async with db.session() as s:
        assert await audit_entries(s, action="journey.create") == []


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


async def test_the_launch_preview_names_a_column_the_journey_cannot_run_without(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    # A date wait on a CSV column the audience lacks used to end every run there, unsent.
    reminder = (journeys_dir / "outreach.yaml").read_text()
    dated = reminder.replace("name: outreach", "name: dated").replace(
        "start: opted_in",
        "start: wait\nsteps_placeholder",
    )
    dated = dated.replace(
        "steps_placeholder\nsteps:\n",
        "steps:\n  wait:\n    kind: wait\n    until:\n      date: trigger.due_at - 2d\n"
        "    next: opted_in\n",
    )
    (journeys_dir / "dated.yaml").write_text(dated)
    load_file(journeys_dir / "dated.yaml")
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    shown = await console.post(
        "/console/journeys/dated/launch/preview",
        data={"campaign_id": "spring", "pasted": f"phone,first_name\n{ALEX},Alex\n"},
    )
    assert shown.status_code == 200, shown.text[:500]
    assert "the header needs a &#39;due_at&#39; column (step &#39;wait&#39; waits until" in (
        shown.text
    )
    assert "enrol 0</button>" in shown.text, "nobody would be enrolled"


async def test_the_dry_run_page_takes_an_audiences_columns(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    # Without them a journey waiting for a CSV date could only be dry-run to "no wait".
    (journeys_dir / "dated.yaml").write_text(
        "name: dated\n"
        "trigger: {event: audience}\n"
        "start: wait\n"
        "steps:\n"
        "  wait: {kind: wait, until: {date: trigger.due_at - 2d at 10:00}, next: call}\n"
        "  call: {kind: place_call, opening: 'Hello about {{ trigger.pet_name }}', goal: x}\n"
    )
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    due = (datetime.now(UTC) + timedelta(days=30)).date()
    profile = load_profile()
    # calls wait for business days: no weekend, no public holiday (1 January from 2 December)
    while (due - timedelta(days=2)).weekday() >= 5 or profile.holiday(due - timedelta(days=2)):
        due += timedelta(days=1)
    ran = await console.post(
        "/console/journeys/dated/dry-run",
        data={"data": f"due_at={due.isoformat()}, pet_name=Rex", "answer_calls": "true"},
    )
    assert ran.status_code == 200, ran.text[:500]
    shown = html.unescape(ran.text)
    assert "no wait" not in shown
    assert "Hello about Rex" in shown
    assert f"{due - timedelta(days=2):%a %d %b}" in shown, "called two days before the date"

    bad = await console.post("/console/journeys/dated/dry-run", data={"data": "due_at"})
    assert bad.status_code == 422
    assert "expected NAME=VALUE" in html.unescape(bad.text)
    assert 'value="due_at"' in bad.text, "what was typed is kept"


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


async def test_every_medium_of_a_message_with_several_is_listed_and_opens(
    console: httpx.AsyncClient, db: Database
) -> None:
    """A WhatsApp message may carry up to 10 media (Twilio's ``NumMedia``); its log row names
    them all (``media_ids``). Before: the timeline linked one, the others could not be opened.
    The PDF was stored without an owner (as a blob named only by the row), the rest as the
    customer's."""
    async with db.session() as s:
        await ensure_customer(s, e164=ALEX, timezone="Europe/Paris")
        await ensure_customer(s, e164=BEA, timezone="Europe/Paris")
        await put_media(s, media_id="MMtwo/0", data=b"%PDF-1.4", content_type="application/pdf")
        await put_media(
            s, media_id="MMtwo/1", data=b"\xff\xd8", content_type="image/jpeg", customer_e164=ALEX
        )
        await put_media(
            s, media_id="MMtwo/2", data=b"OggS", content_type="audio/ogg", customer_e164=ALEX
        )
        await log_message(
            s,
            key="in/MMtwo",
            customer_e164=ALEX,
            channel="whatsapp",
            direction="inbound",
            kind="voice_note",
            text="[sent a file] [sent a photo] my dog's leg",
            media_id="MMtwo/0",
            media_ids=["MMtwo/0", "MMtwo/1", "MMtwo/2"],
        )
    await sign_in_as(console, db, Role.AGENT, "Ana Agent")

    page = (await console.get(f"/console/customers/{ALEX}")).text
    src = "/console/customers/%2B33612345678/media/MMtwo"
    assert f'<a href="{src}/0">Open the file (1 of 3)</a>' in page
    assert f'<a href="{src}/1">Open the photo (2 of 3)</a>' in page
    assert f'<audio controls preload="none" src="{src}/2"' in page
    for index, data in enumerate([b"%PDF-1.4", b"\xff\xd8", b"OggS"]):
        opened = await console.get(f"{src}/{index}")
        assert opened.status_code == 200 and opened.content == data, index
    other = await console.get(f"/console/customers/{BEA}/media/MMtwo/0")
    assert other.status_code == 404, "named by another customer's row only"


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


async def test_handoff_rate_by_intent_class_comes_from_the_agents_logged_intents(
    console: httpx.AsyncClient, db: Database
) -> None:
    # Mid-morning two days ago: every seeded row falls on one UTC day inside the period.
    day = (datetime.now(UTC) - timedelta(days=2)).replace(hour=10, minute=0, second=0)
    replies = [
        (ALEX, day, "propose_booking"),
        (ALEX, day + timedelta(minutes=1), "confirm"),
        (BEA, day, "propose_reschedule"),
        (BEA, day + timedelta(minutes=2), "handoff"),  # the handoff reply has no class
        (CHLOE, day, "answer"),
        (CHLOE, day + timedelta(minutes=1), "greeting"),  # nor has a greeting
        (CHLOE, day - timedelta(days=1), "answer"),  # another day: another conversation
    ]
    async with db.session() as s:
        for e164 in (ALEX, BEA, CHLOE):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        for n, (e164, at, intent) in enumerate(replies):
            await log_message(
                s,
                key=f"reply/SM{n}",
                customer_e164=e164,
                channel="whatsapp",
                direction="outbound",
                kind="text",
                text="…",
                at=at,
                intent=intent,
            )
        s.add_all(
            [
                Handoff(
                    key="h/bea",
                    customer_e164=BEA,
                    queue="agent",
                    created_at=day + timedelta(minutes=2),
                ),
                Handoff(
                    key="h/chloe",
                    customer_e164=CHLOE,
                    queue="agent",
                    created_at=day + timedelta(minutes=3),
                ),
                # No agent reply that day (a journey's handoff step): no class.
                Handoff(
                    key="h/alex",
                    customer_e164=ALEX,
                    queue="agent",
                    created_at=day - timedelta(days=1),
                ),
            ]
        )
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = await console.get("/console/analytics", params={"days": "7"})
    assert page.status_code == 200
    table = re.search(r'<table id="intent-rates">(.*?)</table>', page.text, re.S)
    assert table is not None
    rows = re.findall(
        r'<tr><th scope="row">(\w+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+%)</td></tr>', table[1]
    )
    assert rows == [
        ("booking", "1", "0", "0%"),  # Alex booked without a person
        ("change", "1", "1", "100%"),  # Bea's reschedule went to a person
        ("question", "2", "1", "50%"),  # Chloe: two days with questions, one handed off
    ]
    assert re.search(r'id="unclassified">1 handed-off', page.text)
    assert "Handoff rate by intent class" in page.text and "Handoffs by cause" in page.text


async def test_staff_find_a_customer_by_the_number_as_they_type_it_and_read_local_times(
    console: httpx.AsyncClient, db: Database
) -> None:
    """A French clinic's staff type ``06 12 34 56 78``, not ``+33612345678``; and a booking
    at 14:00 UTC is the 15:00 the customer was told, on the same page as other Paris times."""
    async with db.session() as s:
        for e164 in (ALEX, BEA):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        s.add(
            Booking(
                id="bk-typed",
                customer_e164=ALEX,
                slot_start=datetime(2026, 12, 4, 14, 0, tzinfo=UTC),
                subject="Rex",
                status="confirmed",
                channel="whatsapp",
            )
        )
        s.add(
            Handoff(
                key="handoff/typed",
                customer_e164=ALEX,
                queue="agent",
                note="The customer asked for a person",
                created_at=datetime(2026, 12, 2, 10, 10, tzinfo=UTC),
            )
        )
    await sign_in_as(console, db, Role.AGENT, "Ana Agent")
    for typed in (
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+33 6 12 34 56 78",
        "56 78",
    ):
        found = await console.get("/console/customers", params={"q": typed})
        assert "/console/customers/%2B33612345678" in found.text, typed
        assert "%2B33612345679" not in found.text, typed

    page = (await console.get(f"/console/customers/{ALEX}")).text
    assert "Rex on Fri 04 Dec 15:00" in page and "14:00 UTC" not in page
    inbox = (await console.get("/console/handoffs")).text
    assert "Times in Europe/Paris." in inbox and "Wed 02 Dec 11:10" in inbox
    assert "UTC</time>" not in inbox


async def test_the_journey_page_says_its_policies_in_words_and_who_shares_its_trigger(
    console: httpx.AsyncClient, db: Database, journeys_dir: Path
) -> None:
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = html.unescape((await console.get("/console/journeys/outreach")).text)
    assert "the business profile's: Mon–Fri 08:30–12:30, 14:00–19:00; Sat 09:00–13:00" in page
    assert "2 per 7 days, across all journeys" in page
    assert "from_profile" not in page and "'open':" not in page
    assert 'id="same-trigger"' not in page, "an audience launch starts only its own journey"

    # A marketer's "variant" of the reminder runs beside it, not instead: the page says so.
    original = (journeys_dir / "appointment-reminder.yaml").read_text()
    variant = original.replace("name: appointment-reminder", "name: reminder-2d")
    (journeys_dir / "reminder-2d.yaml").write_text(variant)
    page = html.unescape((await console.get("/console/journeys/reminder-2d")).text)
    shared = re.search(r'<dd id="same-trigger">(.*?)</dd>', page, flags=re.S)
    assert shared is not None and "appointment-reminder" in shared[1]
    assert "enters it too" in shared[1]

    # A WhatsApp step without a template goes out only inside the 24-hour window: said.
    assert 'id="free-text-only"' not in page, "every send of the reminder has its template"
    photo = html.unescape((await console.get("/console/journeys/photo-call")).text)
    assert "offer: free text only — sent within 24 hours of the customer's last message" in photo


async def test_the_launch_preview_reads_a_french_spreadsheet_export(
    console: httpx.AsyncClient, db: Database
) -> None:
    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    export = "\ufeffPhone;first_name\r\n06 12 34 56 78;Alex\r\n06 12 34 56 79;Bea\r\n"
    shown = await console.post(
        "/console/journeys/outreach/launch/preview",
        data={"campaign_id": "spring"},
        files={"audience": ("audience.csv", export.encode(), "text/csv")},
    )
    assert shown.status_code == 200, shown.text[:500]
    assert re.search(r'id="preview-rows">2<', shown.text)
    assert re.search(r'id="preview-invalid">0<', shown.text)
    assert re.search(r'id="preview-members">2\b', shown.text)


async def test_the_handoff_inbox_says_who_is_on_it_where_it_came_from_and_who_opted_out(
    console: httpx.AsyncClient, db: Database
) -> None:
    """Two agents at the inbox at once: the second sees that the first opened the customer
    and replied before writing a second, different answer. A handoff a caller asked for says
    it came from a call; a customer who sent STOP after asking for a person is flagged before
    anyone writes to them on WhatsApp."""
    async with db.session() as s:
        for e164 in (ALEX, BEA):
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        s.add_all(
            [
                Handoff(key="handoff/CA1/1", customer_e164=ALEX, queue="agent", note="a person"),
                Handoff(key="handoff/SM2", customer_e164=BEA, queue="agent", note="the bill"),
            ]
        )
        await log_message(
            s,
            key="handoff/CA1/1",
            customer_e164=ALEX,
            channel="voice",
            direction="outbound",
            kind="event",
            text="handed off to agent: a person",
        )
        await record_consent(
            s,
            customer_e164=BEA,
            channel="whatsapp",
            purpose="service",
            status="opted_out",
            source="STOP keyword",
        )
        soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
        for number, (subject, at, status) in enumerate(
            [
                ("Rex", soon, "confirmed"),
                ("Rex", soon - timedelta(days=30), "confirmed"),  # a past visit: not "now"
                ("Felix", soon, "cancelled"),
            ]
        ):
            s.add(
                Booking(
                    id=f"b{number}",
                    customer_e164=ALEX,
                    slot_start=at,
                    subject=subject,
                    status=status,
                    channel="voice",
                )
            )

    def cards(page: str) -> dict[str, str]:
        found = re.findall(r'<li class="card">(.*?)</li>', page, re.S)
        by_customer: dict[str, str] = {}
        for card in found:
            text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)))
            by_customer[ALEX if ALEX in text else BEA] = text
        return by_customer

    await sign_in_as(console, db, Role.AGENT, "Ana Agent")
    assert (await console.get(f"/console/customers/{ALEX}")).status_code == 200
    async with db.session() as s:  # her reply (the send itself needs Temporal)
        await audit(
            s, by=Principal("Ana Agent", Role.AGENT, None), action="conversation.reply", target=ALEX
        )
        # A script reading with the shared bootstrap key is nobody who will answer.
        script = Principal(BOOTSTRAP_PERSON, Role.ADMIN, None)
        await audit(s, by=script, action="conversation.read", target=BEA)

    await sign_in_as(console, db, Role.AGENT, "Ben Agent")
    inbox = cards((await console.get("/console/handoffs")).text)
    assert "from a call" in inbox[ALEX] and "from WhatsApp" in inbox[BEA]
    assert re.search(
        r"Already on it: Ana Agent \(replied \w{3} \d\d \w{3} \d\d:\d\d\)", inbox[ALEX]
    )
    assert "Nobody has opened it yet" in inbox[BEA] and "Opted out" not in inbox[ALEX]
    assert "Opted out of WhatsApp since" in inbox[BEA] and "STOP keyword" in inbox[BEA]
    paris = soon.astimezone(ZoneInfo("Europe/Paris"))
    assert f"Booked now: Rex on {paris:%a %d %b %H:%M}." in inbox[ALEX], inbox[ALEX]
    assert "Nothing booked ahead." in inbox[BEA]

    assert (await console.get(f"/console/customers/{ALEX}")).status_code == 200
    inbox = cards((await console.get("/console/handoffs")).text)
    assert re.search(r"Already on it: you \(opened it [^)]+\), Ana Agent \(replied", inbox[ALEX])


async def test_a_journeys_runs_do_not_show_an_erased_customers_number(
    console: httpx.AsyncClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Temporal's visibility store keeps an erased customer's runs, and their number, until
    retention: the journey page says "an erased customer" instead of listing the number as
    if nothing had happened. A customer who wrote again after it is listed again, and so is
    one whose erasure was audited but failed (their rows are still there)."""
    start = datetime.now(UTC) - timedelta(hours=1)

    def run(customer: str, started_at: datetime) -> manage.JourneyRun:
        return manage.JourneyRun(
            workflow_id=f"journey/win-back/{customer}/{started_at:%H%M%S}",
            run_id="r",
            status="TERMINATED",
            customer=customer,
            version="v1",
            step="wait",
            channel=None,
            started_at=started_at,
            closed_at=None,
        )

    async def listed(*_args: object, **_kwargs: object) -> list[manage.JourneyRun]:
        again = datetime.now(UTC) + timedelta(minutes=1)  # her new run, after the erasure
        return [run(BEA, start), run(CHLOE, again), run(CHLOE, start), run(ALEX, start)]

    async def temporal(_request: object) -> object:
        return object()

    monkeypatch.setattr(journeys_page, "get_temporal", temporal)
    monkeypatch.setattr(journeys_page.manage, "list_runs", listed)
    admin = Principal("Adam Admin", Role.ADMIN, None)
    async with db.session() as s:
        await ensure_customer(s, e164=ALEX, timezone="Europe/Paris")  # erasure failed
        for number in (BEA, CHLOE, ALEX):
            await audit(s, by=admin, action="customer.erase", target=number)
    async with db.session() as s:  # Chloe wrote again after her erasure
        await ensure_customer(s, e164=CHLOE, timezone="Europe/Paris")

    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = (await console.get("/console/journeys/win-back")).text
    table = re.search(r'<table id="latest-runs">(.*?)</table>', page, re.S)
    assert table is not None
    customers = re.findall(r"<tr><td>(.*?)</td>", table[1])
    erased = "<em>an erased customer</em>"
    assert customers == [erased, CHLOE, erased, ALEX]
    assert BEA not in page


async def test_a_journeys_page_says_whom_its_messages_reached_and_whom_they_failed(
    console: httpx.AsyncClient, db: Database
) -> None:
    """The funnel counts runs, and a run that sent nothing (a skip, a past date) completes
    like one that did: the marketer reads whom the messages reached apart, per customer by
    their latest send (a failed message then a delivered one: reached once)."""
    now = datetime.now(UTC)
    sends = [
        # Alex: the first attempt failed, the second (a template) was read: reached once.
        ("whatsapp", ALEX, "failed", "undelivered", now - timedelta(hours=2)),
        ("whatsapp", ALEX, "sent", "read", now - timedelta(hours=1)),
        ("whatsapp", BEA, "sent", "delivered", now),
        ("whatsapp", CHLOE, "failed", None, now),  # refused before Twilio
        ("call", CHLOE, "sent", "no-answer", now),
        ("whatsapp", "+33612345611", "sent", "delivered", now - timedelta(days=40)),  # too old
    ]
    async with db.session() as s:
        for number, (kind, to, status, delivery, at) in enumerate(sends):
            s.add(
                Outbox(
                    key=f"journey/win-back/{to}/customer/invite/{number}",
                    kind=kind,
                    recipient=to,
                    status=status,
                    delivery_status=delivery,
                    created_at=at,
                )
            )
        # Another journey's send and the agent's reply are not this journey's.
        s.add(
            Outbox(
                key=f"journey/outreach/{BEA}/x/invite/1",
                kind="whatsapp",
                recipient=BEA,
                status="failed",
            )
        )
        s.add(Outbox(key="reply/SM9", kind="whatsapp", recipient=BEA, status="failed"))

    await sign_in_as(console, db, Role.MARKETER, "Mia Marketer")
    page = (await console.get("/console/journeys/win-back")).text
    table = re.search(r'<table id="reach"[^>]*>(.*?)</table>', page, re.S)
    assert table is not None, "shown even while Temporal does not answer"
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>", table[1])
    assert sorted(rows) == sorted(
        [
            ("WhatsApp", "delivered", "1"),
            ("WhatsApp", "read", "1"),
            ("WhatsApp", "failed", "1"),
            ("call", "no-answer", "1"),
        ]
    )
    empty = (await console.get("/console/journeys/review-request")).text
    assert "No message or call in the last 30 days." in empty
