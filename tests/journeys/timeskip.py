"""Journeys end to end in Temporal's time-skipping test server, with the real activities.

``journey_stack`` runs the worker and the rate-limited outreach worker with every real activity
(Postgres, the Twilio adapter against the fake Twilio, the rule-based agent; only STT and TTS
are canned) on a fresh time-skipping server, and the API in-process. ``JourneyStack`` plays the
customer: calls and consent go through the API (signed voice webhooks, ``POST …/consent``);
a WhatsApp message is recorded with the API's own ``record_event`` and handed to the customer
workflow with the API's own update-with-start (``operations.ingest``), but stamped with the server's
time instead of the real one, because the 24-hour WhatsApp window is computed from it.
Update-with-start and signal-with-start (audience launches) both work on the test server.

Time: the server's clock starts at the real now and only moves when a test skips it
(``skip_to``/``skip``) or awaits an outcome; activities hold the clock while they run, so a
skipped day still runs every timer and activity in it, in order, at its virtual time. Postgres
``now()`` stays real: rows that default their ``created_at`` (outbox, replies) carry the real
time, so a test reads *when* a journey acted from its history (``scheduled_at``), never from
those columns. (The frequency cap compares outbox rows with the database clock too, so it counts
a test's sends however far the test skipped.)
"""

from __future__ import annotations

import io
import uuid
import wave
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import select
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.api.testservice.v1 import LockTimeSkippingRequest, UnlockTimeSkippingRequest
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.webhook_events import record_event
from devtools.simulate import TwilioSimulator, VoiceReply, parse_twiml
from operations.ingest import run_turn
from switchboard.agent_models import Channel
from switchboard.db.engine import Database
from switchboard.db.models import Message
from switchboard.engines import start_time_skipping_server
from switchboard.providers.base import Media, Transcript
from switchboard.providers.factory import make_telephony
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.settings import Settings
from switchboard.temporal import (
    JOURNEY_STEP,
    customer_workflow_id,
    journey_workflow_id,
    outreach_queue,
)
from tests.conftest import PUBLIC_URL
from tests.polling import BoundedASGITransport, eventually, within
from worker import Providers, build_outreach_worker, build_worker
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow
from workflows.types import InboundInput, JourneyOutcome, MediaItem, TurnResult

JourneyHandle = WorkflowHandle[JourneyWorkflow, JourneyOutcome]


@dataclass(frozen=True)
class Turn:
    """An inbound WhatsApp message's SID (a journey's trigger key) and the turn's result."""

    sid: str
    result: TurnResult

    @property
    def reply(self) -> str:
        return self.result.reply


@asynccontextmanager
async def time_skipping_server() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping server (about 0.1 s to start), so each test's clock starts at the
    real now, whatever an earlier test skipped to; Switchboard's search attributes registered."""
    env = await start_time_skipping_server(quiet=False)
    try:
        yield env
    finally:
        await env.shutdown()


def silent_wav(seconds: float = 0.5) -> bytes:
    """A valid 8 kHz 16-bit mono WAV of silence (a recording FFmpeg can decode)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return out.getvalue()


class CannedSTT:
    """Speech-to-text that hears ``text`` in any audio: the journeys need a transcript, not
    Whisper (which the call tests cover on real speech)."""

    def __init__(self) -> None:
        self.text = ""

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        return Transcript(text=self.text, confidence=1.0)


class SilentTTS:
    async def synthesize(self, text: str) -> Media:
        return Media(data=silent_wav(0.2), content_type="audio/wav")


@dataclass
class JourneyStack:
    """The stack of one test and the customer's side of it (module docstring)."""

    env: WorkflowEnvironment
    db: Database
    settings: Settings
    task_queue: str
    stt: CannedSTT
    sim: TwilioSimulator  # signed webhooks to the in-process API, media on the fake Twilio
    api: httpx.AsyncClient  # Switchboard's own API, in-process

    @property
    def client(self) -> Client:
        return self.env.client

    # -- time ---------------------------------------------------------------------------------

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    async def skip(self, delta: timedelta) -> None:
        await self.env.sleep(delta)

    async def skip_to(self, instant: datetime) -> None:
        """Move the server's clock to ``instant`` (running every timer due before it)."""
        delta = instant - await self.now()
        assert delta >= timedelta(0), f"{instant} is in the server's past"
        await self.env.sleep(delta)

    # -- the customer ---------------------------------------------------------------------------

    async def consent(
        self,
        e164: str,
        *,
        purpose: str = "service",
        channel: str = "whatsapp",
        status: str = "opted_in",
    ) -> None:
        """Record a consent decision through ``POST /customers/{e164}/consent``."""
        response = await self.api.post(
            f"/customers/{e164}/consent",
            json={"channel": channel, "status": status, "source": "web_form", "purpose": purpose},
            headers={"X-API-Key": self.settings.api_key.get_secret_value()},
        )
        assert response.status_code == 201, response.text

    async def whatsapp(
        self, e164: str, text: str = "", *, media: list[MediaItem] | None = None
    ) -> Turn:
        """One inbound WhatsApp message, recorded and handed to the customer workflow as the
        webhook does, but stamped with the server's time and awaited to the end of its turn
        (reply sent, journeys told and started; the webhook itself returns at acceptance), so
        a test's next step starts from a settled state."""
        sid = f"SM{uuid.uuid4().hex}"
        await record_event(
            self.db,
            self.settings,
            sid=sid,
            kind="whatsapp",
            e164=e164,
            form={"Body": text},
            addresses=[f"whatsapp:{e164}"],
        )
        message = InboundInput(
            sid=sid,
            channel=Channel.WHATSAPP,
            text=text,
            media=media or [],
            received_at=await self.now(),
        )
        return Turn(sid=sid, result=await run_turn(self.client, e164, message, self.task_queue))

    async def photo(self, e164: str) -> Turn:
        """A WhatsApp photo, hosted by the fake Twilio as Twilio hosts media."""
        url = await self.sim.upload(b"\xff\xd8\xff\xe0 a photo", "image/jpeg")
        return await self.whatsapp(e164, media=[MediaItem(url=url, content_type="image/jpeg")])

    # -- calls, through the API's voice webhooks (signed as Twilio signs them) ---------------

    async def _voice(self, url: str, form: dict[str, str]) -> VoiceReply:
        response = await self.sim.post_webhook(url, form)
        assert response.status_code == 200, response.text
        return parse_twiml(response.text)

    def _call_form(self, e164: str, call_sid: str, *, outbound: bool) -> dict[str, str]:
        ours = self.settings.twilio_voice_from
        return {
            "CallSid": call_sid,
            "AccountSid": self.settings.twilio_account_sid,
            "From": ours if outbound else e164,
            "To": e164 if outbound else ours,
            "Direction": "outbound-api" if outbound else "inbound",
        }

    async def incoming_call(self, e164: str) -> tuple[str, VoiceReply]:
        """The customer calls: (CallSid, the greeting TwiML)."""
        call_sid = f"CA{uuid.uuid4().hex}"
        form = {**self._call_form(e164, call_sid, outbound=False), "CallStatus": "ringing"}
        return call_sid, await self._voice("/twilio/voice/incoming", form)

    async def answer(self, call: dict[str, object]) -> VoiceReply:
        """The customer picks up a call Switchboard placed: Twilio fetches the call's URL."""
        e164, call_sid = str(call["to"]), str(call["sid"])
        form = {**self._call_form(e164, call_sid, outbound=True), "CallStatus": "in-progress"}
        return await self._voice(str(call["url"]), form)

    async def caller_says(
        self, e164: str, call_sid: str, text: str, *, action: str, outbound: bool = False
    ) -> VoiceReply:
        """One recorded turn posted to ``action`` (the last ``<Record action>``); the canned
        STT hears ``text`` in it."""
        url = await self.sim.upload(silent_wav(), "audio/wav", kind="recording")
        self.stt.text = text
        form = {
            **self._call_form(e164, call_sid, outbound=outbound),
            "CallStatus": "in-progress",
            "RecordingSid": f"RE{uuid.uuid4().hex}",
            "RecordingUrl": url,
            "RecordingDuration": "2",
        }
        return await self._voice(action, form)

    async def hang_up(
        self, e164: str, call_sid: str, status: str = "completed", *, outbound: bool = True
    ) -> None:
        """Twilio's status callback with the call's final status (``completed``,
        ``no-answer``, ``busy``…)."""
        form = {
            **self._call_form(e164, call_sid, outbound=outbound),
            "CallStatus": status,
            "CallDuration": "30" if status == "completed" else "0",
        }
        response = await self.sim.post_webhook("/twilio/voice/status", form)
        assert response.status_code == 204, response.text

    # -- what the customer got ----------------------------------------------------------------

    async def _fake_twilio(self, what: str) -> list[dict[str, object]]:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"{self.settings.twilio_api_base_url}/_fake/{what}")
        response.raise_for_status()
        records: list[dict[str, object]] = response.json()
        return records

    async def fake_twilio_faults(self, config: dict[str, object]) -> None:
        """Make the fake Twilio fail like Twilio does (``POST /_fake/faults``); the ``settings``
        fixture resets it for the next test."""
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"{self.settings.twilio_api_base_url}/_fake/faults", json=config
            )
        response.raise_for_status()

    async def messages(self, e164: str) -> list[dict[str, object]]:
        """WhatsApp messages the fake Twilio accepted for ``e164``, oldest first."""
        return [m for m in await self._fake_twilio("messages") if m["to"] == f"whatsapp:{e164}"]

    async def calls(self, e164: str) -> list[dict[str, object]]:
        """Calls the fake Twilio accepted to ``e164``, oldest first."""
        return [c for c in await self._fake_twilio("calls") if c["to"] == e164]

    async def wait_messages(self, e164: str, count: int) -> list[dict[str, object]]:
        return await eventually(lambda: self.messages(e164), lambda m: len(m) >= count)

    async def wait_calls(self, e164: str, count: int) -> list[dict[str, object]]:
        return await eventually(lambda: self.calls(e164), lambda c: len(c) >= count)

    async def log(self, e164: str) -> list[Message]:
        """The customer's conversation log, in insertion order."""
        async with self.db.session() as s:
            rows = await s.exec(
                select(Message).where(Message.customer_e164 == e164).order_by(Message.id)  # type: ignore[arg-type]
            )
            return list(rows.all())

    # -- journeys -----------------------------------------------------------------------------

    def customer(self, e164: str) -> WorkflowHandle[CustomerWorkflow, None]:
        return self.client.get_workflow_handle_for(CustomerWorkflow.run, customer_workflow_id(e164))

    def journey(self, name: str, e164: str, key: str) -> JourneyHandle:
        return self.client.get_workflow_handle_for(
            JourneyWorkflow.run, journey_workflow_id(name, e164, key)
        )

    async def started(self, handle: JourneyHandle) -> JourneyHandle:
        """Wait until the customer workflow has started ``handle``'s run."""

        async def exists() -> bool:
            try:
                await handle.describe()
            except RPCError as exc:
                if exc.status is RPCStatusCode.NOT_FOUND:
                    return False
                raise
            return True

        await eventually(exists, bool)
        return handle

    async def outcome(self, handle: JourneyHandle) -> JourneyOutcome:
        """The run's result, with the clock running meanwhile. Only handles returned by
        ``start_workflow`` unlock time skipping while awaiting a result, and journeys are
        started by the customer workflow, so this does what such a handle does."""
        await self.client.test_service.unlock_time_skipping(UnlockTimeSkippingRequest())
        try:
            return await within(handle.result(), f"journey {handle.id}")
        finally:
            await self.client.test_service.lock_time_skipping(LockTimeSkippingRequest())

    async def step(self, handle: JourneyHandle) -> str | None:
        """The run's ``JourneyStep`` search attribute: the step it is in, ``done`` or ``exited``."""
        return (await handle.describe()).typed_search_attributes.get(JOURNEY_STEP)

    async def at_step(self, handle: JourneyHandle, step: str) -> None:
        """Wait (real time; the clock stands still) until the run reached ``step``."""
        await eventually(lambda: self.step(handle), lambda s: s == step)

    async def history(
        self, handle: WorkflowHandle[Any, Any], kind: EventType.ValueType
    ) -> list[HistoryEvent]:
        """The events of one type in ``handle``'s (latest run's) history."""
        return [e async for e in handle.fetch_history_events() if e.event_type == kind]

    async def scheduled_at(self, handle: JourneyHandle, activity: str) -> list[datetime]:
        """When the run scheduled each ``activity`` (e.g. ``voice.place_call``), in the
        server's (skipped) time: the instant the journey decided to act."""
        scheduled = await self.history(handle, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        return [
            e.event_time.ToDatetime(tzinfo=UTC)
            for e in scheduled
            if e.activity_task_scheduled_event_attributes.activity_type.name == activity
        ]


@asynccontextmanager
async def journey_stack(
    env: WorkflowEnvironment, db: Database, settings: Settings
) -> AsyncIterator[JourneyStack]:
    """The worker and the rate-limited outreach worker with every real activity, built as
    ``worker.main`` builds them, on a fresh task queue of ``env``."""
    stt = CannedSTT()
    providers = Providers(
        stt=stt, tts=SilentTTS(), agent=RuleBasedAgent(), telephony=make_telephony(settings)
    )
    task_queue = f"test-{uuid.uuid4()}"
    worker = build_worker(env.client, db, providers, settings, task_queue=task_queue)
    outreach = build_outreach_worker(
        env.client, db, providers, settings, task_queue=outreach_queue(task_queue)
    )
    app = create_app(settings, db=db, temporal=env.client, task_queue=task_queue)
    # The simulator reaches the in-process API through the public URL and the fake Twilio over HTTP.
    transport = BoundedASGITransport(app=app)
    http = httpx.AsyncClient(mounts={PUBLIC_URL: transport}, timeout=60)
    sim = TwilioSimulator(settings, http=http, api_url=PUBLIC_URL)
    try:
        async with (
            worker,
            outreach,
            httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL, timeout=60) as api,
        ):
            yield JourneyStack(
                env=env,
                db=db,
                settings=settings,
                task_queue=task_queue,
                stt=stt,
                sim=sim,
                api=api,
            )
    finally:
        await sim.aclose()
