"""The chaos suite: many customers through the journeys while things break on purpose.

On the embedded stack (real Temporal, real Postgres, the fake Twilio), it runs customers
who book on WhatsApp, confirm, ask again, send photos and get campaign messages, while it:

- SIGKILLs the worker at random moments and restarts it, and restarts the API now and then;
- delivers each webhook one to three times, duplicates arriving late and out of order (and
  redelivers when the API is down, as Twilio's retries would);
- makes the fake Twilio fail at configured rates: 5xx, 429, timeouts, slow answers, and a
  connection reset after it accepted the send.

Then it checks, from the fake Twilio's own records and the database, that nothing was sent twice,
no CRM row was duplicated, every accepted inbound message is in the log exactly once, and every
journey either finished or waits in a declared waiting state. ``python -m tests.chaos`` runs it;
``make chaos`` runs the long version.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import phonenumbers
from sqlalchemy import text
from temporalio.client import Client
from twilio.request_validator import RequestValidator

from devtools.stack import Stack
from operations.api_client import SwitchboardClient
from operations.launch import AudienceMember, launch
from switchboard.db.engine import Database
from switchboard.journeys.loader import load_all
from switchboard.settings import Settings
from switchboard.temporal import TASK_QUEUE, connect
from tests.round_the_clock import round_the_clock_journeys

WAITING_STEP_KINDS = {"wait", "wait_for", "place_call"}  # declared waiting states of a journey

FAULTS = {
    "messages_create": {
        "error_500": 0.06,
        "error_429": 0.04,
        "retry_after_s": 1,
        "timeout": 0.02,
        "timeout_s": 12,
        "slow": 0.1,
        "slow_ms": 400,
        "reset_after_accept": 0.06,
    },
    "calls_create": {"error_500": 0.05, "reset_after_accept": 0.1},
    "messages_list": {"error_500": 0.05},
}


@dataclass
class ChaosConfig:
    customers: int = 8
    kills: int = 6  # worker SIGKILLs (at least)
    api_restarts: int = 1
    seed: int = 7
    data_dir: Path = Path(".data/chaos")
    port_offset: int = 300  # so a chaos run does not collide with `make up` or the demo
    settle_timeout_s: float = 240


@dataclass
class Report:
    elapsed_s: float = 0.0
    kills: int = 0
    api_restarts: int = 0
    webhooks_accepted: int = 0
    webhook_deliveries: int = 0
    outbound_messages: int = 0
    outbound_calls: int = 0
    injected_faults: int = 0
    retries: int = 0
    fallbacks: int = 0
    duplicate_messages: int = 0
    duplicate_calls: int = 0
    duplicate_crm_rows: int = 0
    inbound_missing: int = 0
    inbound_twice: int = 0
    stuck_journeys: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return (
            self.duplicate_messages
            + self.duplicate_calls
            + self.duplicate_crm_rows
            + self.inbound_missing
            + self.inbound_twice
            + self.stuck_journeys
        )

    def table(self) -> str:
        rows = [
            ("outbound messages sent more than once", self.duplicate_messages, "0"),
            ("outbound calls placed more than once", self.duplicate_calls, "0"),
            ("CRM rows duplicated", self.duplicate_crm_rows, "0"),
            ("accepted inbound messages missing from the log", self.inbound_missing, "0"),
            ("accepted inbound messages logged twice", self.inbound_twice, "0"),
            ("journeys neither finished nor waiting", self.stuck_journeys, "0"),
            ("worker SIGKILLs", self.kills, ""),
            ("API restarts", self.api_restarts, ""),
            (
                "webhook deliveries (accepted messages)",
                f"{self.webhook_deliveries} ({self.webhooks_accepted})",
                "",
            ),
            (
                "outbound messages / calls at the fake Twilio",
                f"{self.outbound_messages} / {self.outbound_calls}",
                "",
            ),
            ("faults injected by the fake Twilio", self.injected_faults, ""),
            ("send retries (outbox attempts beyond the first)", self.retries, ""),
            ("fallbacks in the conversation log", self.fallbacks, ""),
            ("elapsed", f"{self.elapsed_s:.0f} s", ""),
        ]
        lines = ["| check | value | must be |", "| --- | --- | --- |"]
        lines += [f"| {name} | {value} | {must} |" for name, value, must in rows]
        return "\n".join(lines)


def chaos_settings(config: ChaosConfig) -> Settings:
    o = config.port_offset
    return Settings(
        journeys_dir=round_the_clock_journeys(config.data_dir / "journeys"),
        data_dir=config.data_dir,
        temporal_port=7233 + o,
        temporal_ui_port=8233 + o,
        api_port=8000 + o,
        media_port=8050 + o,
        fake_twilio_port=8099 + o,
        worker_metrics_port=None,
        business_hours=None,  # always open: calls are placed at once, whatever the hour
    )


def customer_numbers(count: int, rng: random.Random) -> list[str]:
    numbers: set[str] = set()
    while len(numbers) < count:
        candidate = f"+336{rng.randrange(10**7, 10**8)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            numbers.add(candidate)
    return sorted(numbers)


class Twilio:
    """Plays Twilio towards the API: signed webhooks, delivered 1–3 times, retried while the
    API is down; answers (or misses) the calls the fake Twilio recorded."""

    def __init__(self, settings: Settings, rng: random.Random, report: Report) -> None:
        self._settings = settings
        self._rng = rng
        self._report = report
        self._validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        self._http = httpx.AsyncClient(timeout=30)
        self.accepted: set[str] = set()
        self._late: list[asyncio.Task[None]] = []
        self._answered: set[str] = set()

    async def close(self) -> None:
        await asyncio.gather(*self._late, return_exceptions=True)
        await self._http.aclose()

    async def deliver(self, path: str, form: dict[str, str]) -> None:
        """Deliver until accepted (2xx), then 0–2 more times later, out of order."""
        url = self._settings.public_base_url + path
        headers = {"X-Twilio-Signature": self._validator.compute_signature(url, form)}
        while True:
            self._report.webhook_deliveries += 1
            try:
                response = await self._http.post(url, data=form, headers=headers)
                if response.status_code < 300:
                    break
                if response.status_code < 500:
                    raise RuntimeError(f"webhook refused {response.status_code}: {response.text}")
            except httpx.TransportError:
                pass  # API restarting: Twilio would retry
            await asyncio.sleep(0.3)
        if "MessageSid" in form and "MessageStatus" not in form:
            self.accepted.add(form["MessageSid"])
        for _ in range(self._rng.randint(0, 2)):
            delay = self._rng.uniform(0.05, 3.0)
            self._late.append(asyncio.create_task(self._late_copy(url, form, headers, delay)))

    async def _late_copy(
        self, url: str, form: dict[str, str], headers: dict[str, str], delay: float
    ) -> None:
        await asyncio.sleep(delay)
        self._report.webhook_deliveries += 1
        with contextlib.suppress(httpx.TransportError):
            await self._http.post(url, data=form, headers=headers)

    async def whatsapp(self, e164: str, body: str, *, media: tuple[str, str] | None = None) -> str:
        sid = f"{'MM' if media else 'SM'}{uuid.uuid4().hex}"
        form = {
            "MessageSid": sid,
            "AccountSid": self._settings.twilio_account_sid,
            "From": f"whatsapp:{e164}",
            "To": self._settings.twilio_whatsapp_from,
            "Body": body,
            "NumMedia": "1" if media else "0",
            "WaId": e164.lstrip("+"),
        }
        if media:
            form["MediaUrl0"], form["MediaContentType0"] = media
        await self.deliver("/twilio/whatsapp", form)
        return sid

    async def upload_photo(self) -> tuple[str, str]:
        png = b"\x89PNG\r\n\x1a\n" + bytes(64)
        response = await self._http.post(
            f"{self._settings.twilio_api_base_url}/_fake/media",
            content=png,
            headers={"Content-Type": "image/png"},
        )
        response.raise_for_status()
        return str(response.json()["url"]), "image/png"

    async def answer_calls(self) -> None:
        """Report an outcome for every call placed (answered or not), like Twilio's status
        callback; half are missed so the journeys' retry paths run too."""
        calls = (await self._http.get(f"{self._settings.twilio_api_base_url}/_fake/calls")).json()
        for call in calls:
            if call["sid"] in self._answered:
                continue
            self._answered.add(call["sid"])
            status = self._rng.choice(["completed", "no-answer"])
            await self.deliver(
                "/twilio/voice/status",
                {
                    "CallSid": call["sid"],
                    "AccountSid": self._settings.twilio_account_sid,
                    "From": self._settings.twilio_voice_from,
                    "To": call["to"],
                    "Direction": "outbound-api",
                    "CallStatus": status,
                    "CallDuration": "0" if status == "no-answer" else "42",
                },
            )

    async def replies_to(self, e164: str) -> int:
        messages = (
            await self._http.get(f"{self._settings.twilio_api_base_url}/_fake/messages")
        ).json()
        return sum(1 for m in messages if m["to"] == f"whatsapp:{e164}")


async def customer_script(twilio: Twilio, e164: str, rng: random.Random) -> None:
    """Book on WhatsApp, confirm once the proposal arrived, ask again; sometimes a photo."""

    async def after_reply(count: int, timeout_s: float = 90) -> None:
        deadline = time.monotonic() + timeout_s
        while await twilio.replies_to(e164) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.5)

    await twilio.whatsapp(e164, "Book an appointment for my cat on Tuesday at 10am")
    await after_reply(1)
    await twilio.whatsapp(e164, "yes")
    await after_reply(2)
    await asyncio.sleep(rng.uniform(0, 2))
    await twilio.whatsapp(e164, "wait, what day was it again?")
    if rng.random() < 0.5:
        await twilio.whatsapp(e164, "", media=await twilio.upload_photo())
        await after_reply(4)
        await twilio.whatsapp(e164, "yes")


async def killer(stack: Stack, config: ChaosConfig, report: Report, stop: asyncio.Event) -> None:
    """SIGKILL the worker at random moments while it runs: each kill comes 1.5–4 s after the
    restarted worker is polling again (on a loaded machine a restart takes seconds, and killing
    a worker that never got to poll would only measure start-up). The API is restarted a few
    times in between."""
    rng = random.Random(config.seed + 1)
    api_every = max(1, config.kills // max(1, config.api_restarts))
    while not stop.is_set() or report.kills < config.kills:
        await asyncio.sleep(rng.uniform(1.5, 4.0))
        started = worker_starts(stack)
        await asyncio.to_thread(stack.kill, "worker")
        report.kills += 1
        if report.api_restarts < config.api_restarts and report.kills % api_every == 0:
            await asyncio.to_thread(stack.kill, "api")
            await asyncio.to_thread(stack.wait_ready)
            report.api_restarts += 1
        deadline = time.monotonic() + 120
        while worker_starts(stack) <= started and time.monotonic() < deadline:
            await asyncio.sleep(0.2)


def worker_starts(stack: Stack) -> int:
    """How many times the worker has reported it is polling (its start-up log line)."""
    assert stack.log_dir is not None
    log = stack.log_dir / "worker.log"
    return log.read_text(errors="replace").count("worker polling") if log.exists() else 0


async def run_chaos(config: ChaosConfig) -> Report:
    import shutil

    shutil.rmtree(config.data_dir, ignore_errors=True)
    settings = chaos_settings(config)
    assert not load_all(settings.journeys_dir)[1], "the round-the-clock copies must validate"
    rng = random.Random(config.seed)
    report = Report()
    started = time.monotonic()
    with Stack(settings) as stack:
        fake_twilio = settings.twilio_api_base_url
        async with httpx.AsyncClient(timeout=10) as http:
            (
                await http.post(f"{fake_twilio}/_fake/faults", json={"seed": config.seed, **FAULTS})
            ).raise_for_status()
        numbers = customer_numbers(config.customers, rng)
        api = SwitchboardClient(settings)
        for e164 in numbers:
            api.record_consent(e164, channel="whatsapp", status="opted_in", source="chaos")
            if rng.random() < 0.5:
                api.record_consent(
                    e164, channel="whatsapp", status="opted_in", source="chaos", purpose="marketing"
                )
        api.close()

        twilio = Twilio(settings, rng, report)
        client = await connect(settings.temporal_address, settings.temporal_namespace)
        stop = asyncio.Event()
        chaos = asyncio.create_task(killer(stack, config, report, stop))
        journeys, _ = load_all(settings.journeys_dir)
        campaign = launch(
            client,
            journeys["outreach"],
            [AudienceMember(e164=n, variables={"pet_name": "Felix"}) for n in numbers[::2]],
            campaign_id="chaos",
            task_queue=TASK_QUEUE,
        )
        scripts = [customer_script(twilio, n, random.Random(rng.random())) for n in numbers]
        await asyncio.gather(campaign, *scripts)
        stop.set()
        await chaos
        for _ in range(5):  # calls placed late in the run get their outcome too
            await twilio.answer_calls()
            await asyncio.sleep(1)

        async with httpx.AsyncClient(timeout=10) as http:
            await http.delete(f"{fake_twilio}/_fake/faults")
            stats = (await http.get(f"{fake_twilio}/_fake/stats")).json()
        report.webhooks_accepted = len(twilio.accepted)
        report.injected_faults = sum(
            sum(op["faults"].values()) for op in stats["operations"].values()
        )
        await settle(client, twilio, config.settle_timeout_s)
        await twilio.close()
        await check(settings, stack.database_url, client, twilio, report, journeys)
    report.elapsed_s = time.monotonic() - started
    return report


async def settle(client: Client, twilio: Twilio, timeout_s: float) -> None:
    """Wait until no running workflow has an activity or a workflow task pending (work has
    drained; after a SIGKILL a task first waits out the dead worker's sticky queue)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        await twilio.answer_calls()
        busy = 0
        async for wf in client.list_workflows("ExecutionStatus = 'Running'"):
            raw = (
                await client.get_workflow_handle(wf.id, run_id=wf.run_id).describe()
            ).raw_description
            if raw.pending_activities or raw.HasField("pending_workflow_task"):
                busy += 1
        if busy == 0:
            return
        await asyncio.sleep(2)


async def check(
    settings: Settings,
    database_url: str,
    client: Client,
    twilio: Twilio,
    report: Report,
    journeys: dict[str, Any],
) -> None:
    fake_twilio = settings.twilio_api_base_url
    async with httpx.AsyncClient(timeout=10) as http:
        messages = (await http.get(f"{fake_twilio}/_fake/messages")).json()
        calls = (await http.get(f"{fake_twilio}/_fake/calls")).json()
    report.outbound_messages, report.outbound_calls = len(messages), len(calls)

    db = Database(database_url)
    async with db.session() as s:

        async def rows(sql: str) -> list[Any]:
            return list((await (await s.connection()).execute(text(sql))).all())

        owned = [
            r[0]
            for r in await rows("SELECT provider_sid FROM outbox WHERE provider_sid IS NOT NULL")
        ]
        report.retries = int(
            (await rows("SELECT coalesce(sum(attempts - 1), 0) FROM outbox"))[0][0]
        )
        confirmed = await rows(
            "SELECT customer_e164, count(*) FROM booking WHERE status = 'confirmed' GROUP BY 1"
        )
        logged = Counter(
            r[0]
            for r in await rows(
                "SELECT provider_sid FROM message"
                " WHERE direction = 'inbound' AND provider_sid IS NOT NULL"
            )
        )
        report.fallbacks = int(
            (await rows("SELECT count(*) FROM message WHERE text LIKE 'fallback:%'"))[0][0]
        )
    await db.dispose()

    # Every message/call the fake Twilio accepted must be owned by exactly one outbox row: one
    # not owned is a second send of something (or a send nobody accounted for).
    sids_owned = Counter(owned)
    for m in messages:
        if m["sid"] not in sids_owned:
            report.duplicate_messages += 1
            report.details.append(
                f"message {m['sid']} to {m['to'][-4:]} owned by no outbox row: {m['body'][:60]!r}"
            )
    for c in calls:
        if c["sid"] not in sids_owned:
            report.duplicate_calls += 1
            report.details.append(f"call {c['sid']} owned by no outbox row")
    report.duplicate_crm_rows = sum(count - 1 for _, count in confirmed if count > 1)
    for sid in twilio.accepted:
        if logged[sid] == 0:
            report.inbound_missing += 1
            report.details.append(f"accepted {sid} missing from the log")
        elif logged[sid] > 1:
            report.inbound_twice += 1

    async for wf in client.list_workflows(
        "WorkflowType = 'JourneyWorkflow' AND ExecutionStatus = 'Running'"
    ):
        handle = client.get_workflow_handle(wf.id, run_id=wf.run_id)
        description = await handle.describe()
        step = str((description.search_attributes.get("JourneyStep") or [""])[0])
        name = str((description.search_attributes.get("JourneyName") or [""])[0])
        definition = journeys.get(name)
        kind = definition.steps[step].kind if definition and step in definition.steps else "?"
        raw = description.raw_description
        if (
            kind not in WAITING_STEP_KINDS
            or raw.pending_activities
            or raw.HasField("pending_workflow_task")
        ):
            report.stuck_journeys += 1
            report.details.append(f"journey {wf.id} stuck at {step} ({kind})")
    async for wf in client.list_workflows(
        "ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut'"
    ):
        report.stuck_journeys += 1
        report.details.append(f"{wf.id} ended {wf.status.name if wf.status else '?'}")
