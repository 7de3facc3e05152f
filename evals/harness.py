"""The eval stack, started once, and one scenario played through it.

The stack is the real product, wired as ``tests/journeys/timeskip.py`` wires it: the worker
(every real activity, Whisper STT and espeak-ng TTS, the agent chosen by settings) and the
rate-limited outreach worker on Temporal's time-skipping test server, the API in-process
(ASGI), the fake Twilio on a loopback port, and a real Postgres (embedded in a temporary
directory, or ``SWITCHBOARD_EVAL_DATABASE_URL``, whose tables are emptied first).

Customers are played only from the outside: signed webhooks from ``TwilioSimulator`` (WhatsApp
messages, calls with synthesised speech), and the results are read where a customer and the
business would see them: messages the fake Twilio accepted (a tap on its wire records each
``POST …/Messages.json`` it answered 201, with the time it did), the spoken replies and
transcripts of the conversation log, the CRM's bookings, handoff records, consent.

Time: the test server's clock starts at the real now; before the scenarios it is skipped to
``clock.reference_moment`` (a Monday 09:00 Europe/Paris) and then runs at the wall clock's
pace (time skipping stays locked: nothing is awaited through a workflow handle's ``result``).
The API and Postgres keep the real clock, so a WhatsApp message is stamped with the real time
while the workflow reads the skipped one; WhatsApp's 24-hour window is computed from the
customer's last inbound message, so for a WhatsApp scenario the harness adds one empty inbound
log row stamped 23 h before the skipped now ("the customer wrote recently"), which keeps free
text replies possible as they would be for a customer writing now (the agent's context leaves
out rows without text). A known limit of this: the log is ordered by those stamps, so from a
scenario's third turn the agent's history lists the customer's messages of the scenario before
our replies to them (the last reply and the pending action, which most turns rest on, are
unaffected; set-up messages are stamped on the real clock too, so that they stay first).

Between scenarios: each one's bookings are cancelled once observed (``clear_calendar``), so
every scenario meets an empty calendar; and a watchdog (``LoopWatchdog``) breaks product code
that holds the shared event loop, so a hang in the agent fails scenarios instead of the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs

import httpx
import uvicorn
import yaml
from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import SQLModel, col, select
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.media_main import create_media_app
from devtools.fake_twilio import create_fake_twilio_app
from devtools.simulate import TwilioSimulator
from evals.caller import CallerScript, by_turn, spoken
from evals.clock import EvalClock, NoHoliday, reference_moment
from evals.scenarios import Scenario, customer_number
from evals.scoring import BookingRow, Observation, TurnObservation, Verdict, score
from operations.calls.session import CallEngines
from switchboard.business import load_profile
from switchboard.db.consent import current_consent, record_consent
from switchboard.db.conversation import log_message
from switchboard.db.crm import bookings_for
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.migrate import upgrade
from switchboard.db.models import Booking, Handoff, Message
from switchboard.engines import (
    start_embedded_postgres,
    start_time_skipping_server,
    stop_embedded_postgres,
)
from switchboard.message_templates import load_templates
from switchboard.settings import Settings
from switchboard.temporal import outreach_queue
from worker import Providers, build_outreach_worker, build_worker

log = logging.getLogger("evals")

PUBLIC_URL = "https://switchboard.eval.test"
PROFILE = Path(__file__).resolve().parents[1] / "business" / "profile.yaml"
CUSTOMER_TIMEZONE = "Europe/Paris"
# The 24-hour window opener (module docstring): this long before the skipped now.
WINDOW_OPENER_AGE = timedelta(hours=23)


@dataclass
class EvalConfig:
    """How the run behaves. Times in seconds."""

    agent: Literal["rules", "openai"] = "rules"
    database_url: str | None = None
    reply_timeout_s: float = 30.0  # WhatsApp: longest wait for the first reply of a turn
    quiet_s: float = 1.0  # …then the turn is over after this long without another message
    burst_quiet_s: float = 2.5  # the same after a burst of quick messages
    scenario_timeout_s: float = 240.0
    parallel: int = 3
    voice_parallel: int = 1  # calls at once (each transcribes with Whisper)
    # Calls as the product takes them: ``stream`` (Media Streams to the media process, in real
    # time) or ``record`` (the fallback: one recording per turn).
    call_mode: Literal["stream", "record"] = "stream"
    startup_timeout_s: float = 120.0
    quiet: bool = True  # the Temporal SDK core's warnings off


# -- the fake Twilio and a tap on its wire -------------------------------------------------------


@dataclass(frozen=True)
class SentMessage:
    """A message the fake Twilio accepted (its Message resource) and when (``perf_counter``)."""

    sid: str
    to: str
    body: str
    num_media: int
    at: float


class MessageTap:
    """ASGI middleware around the fake Twilio: records every ``POST …/Messages.json`` it
    answered 201 from the Message resource it returned. Thread-safe (the fake runs in its own
    thread and event loop)."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._sent: dict[str, list[SentMessage]] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].endswith("/Messages.json")
        ):
            await self._app(scope, receive, send)
            return
        status = 0
        chunks: list[bytes] = []

        async def tapped(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status == 201:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self._record(b"".join(chunks))
            await send(message)

        await self._app(scope, receive, tapped)

    def _record(self, body: bytes) -> None:
        try:
            resource = json.loads(body)
        except ValueError:
            return
        sent = SentMessage(
            sid=str(resource.get("sid", "")),
            to=str(resource.get("to", "")),
            body=str(resource.get("body") or ""),
            num_media=int(resource.get("num_media") or 0),
            at=time.perf_counter(),
        )
        with self._lock:
            self._sent.setdefault(sent.to, []).append(sent)

    def sent_to(self, to: str) -> list[SentMessage]:
        with self._lock:
            return list(self._sent.get(to, []))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serve_in_thread(app: Any, port: int, timeout_s: float = 30) -> Iterator[None]:
    """Run ``app`` with uvicorn on loopback ``port`` in a daemon thread until the block exits."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="fake-twilio", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake Twilio did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# -- the in-process API, timed -------------------------------------------------------------------


class TimedASGITransport(httpx.ASGITransport):
    """The in-process API under the client's read timeout (httpx applies none to an ASGI app),
    timing each caller turn (``/twilio/voice/recording``, by ``RecordingSid``): the webhook
    round trip a phone line waits for."""

    def __init__(self, app: Any) -> None:
        super().__init__(app=app)
        self.turn_ms: dict[str, float] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {}).get("read")
        start = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                response = await super().handle_async_request(request)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"no answer within {timeout} s", request=request) from exc
        if request.url.path == "/twilio/voice/recording":
            form = parse_qs(request.content.decode())
            for sid in form.get("RecordingSid", []):
                self.turn_ms[sid] = (time.perf_counter() - start) * 1000
        return response


# -- a watchdog on the event loop -----------------------------------------------------------------


class ProductStalled(Exception):
    """Raised by ``LoopWatchdog`` inside code that held the event loop for too long."""


@dataclass(frozen=True)
class Stall:
    at: float  # perf_counter
    where: str  # the innermost frames of the code that held the loop


class LoopWatchdog:
    """The worker's async activities (the agent among them) share the harness's event loop, so
    code that never yields (an endless loop in the agent) would stop every timeout and hang the
    run. A thread watches a heartbeat on the loop; after ``stall_s`` without one it records
    where the main thread is and raises ``ProductStalled`` there (``PyThreadState_SetAsyncExc``),
    which fails that activity like any other error: the product takes its own fallback, the
    scenario fails, the run goes on. Stalls are listed in the report."""

    def __init__(self, stall_s: float = 20.0) -> None:
        self.stall_s = stall_s
        self.stalls: list[Stall] = []
        self._beat = time.monotonic()
        self._stop = threading.Event()
        self._main = threading.main_thread().ident

    async def heartbeat(self) -> None:
        while True:
            self._beat = time.monotonic()
            await asyncio.sleep(0.5)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            if time.monotonic() - self._beat < self.stall_s or self._main is None:
                continue
            frame = sys._current_frames().get(self._main)
            stack = traceback.extract_stack(frame)[-4:] if frame is not None else []
            where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack[::-1])
            self.stalls.append(Stall(at=time.perf_counter(), where=where))
            log.error("the event loop was held for %.0f s at %s", self.stall_s, where)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(self._main), ctypes.py_object(ProductStalled)
            )
            self._beat = time.monotonic()  # give it stall_s again before the next attempt

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=self._watch, name="eval-watchdog", daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join(timeout=5)


# -- the stack -----------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    index: int
    scenario: Scenario
    customer: str
    observation: Observation
    verdict: Verdict
    seconds: float
    skipped: str | None = None  # why it could not be played (then it counts nowhere)


def unplayable(scenario: Scenario, clock: EvalClock) -> str | None:
    """Why ``scenario`` cannot be played at ``clock``'s reference moment (no public holiday in
    the horizon for a holiday scenario), else None. Raises ``ValueError`` for an expression or
    template that is wrong whatever the date."""
    try:
        for turn in scenario.turns:
            for said in [turn] if isinstance(turn, str) else turn:
                clock.render(said)
        for message in scenario.setup.messages:
            clock.render(message.text)
        slots = [b.slot for b in scenario.setup.bookings]
        slots += [b.slot for e in scenario.alternatives for b in e.bookings or []]
        for slot in slots:
            clock.slot(slot)
    except NoHoliday as exc:
        return str(exc)
    return None


@dataclass
class EvalStack:
    env: WorkflowEnvironment
    db: Database
    settings: Settings
    config: EvalConfig
    clock: EvalClock
    sim: TwilioSimulator
    tap: MessageTap
    transport: TimedASGITransport
    watchdog: LoopWatchdog
    services: dict[str, int] = field(default_factory=dict)  # service key → minutes

    # -- set-up of one customer ------------------------------------------------------------

    async def prepare(self, e164: str, scenario: Scenario) -> list[BookingRow]:
        """Opt the customer in to WhatsApp (Europe/Paris), add the set-up bookings and log
        messages, and for WhatsApp the 24-hour window opener (module docstring). Returns the
        set-up bookings as rows."""
        real_now = datetime.now(UTC)
        server_now = await self.env.get_current_time()
        rows: list[BookingRow] = []
        booking_columns = set(SQLModel.metadata.tables["booking"].columns.keys())
        async with self.db.session() as s:
            await ensure_customer(s, e164=e164, timezone=CUSTOMER_TIMEZONE)
            await record_consent(
                s,
                customer_e164=e164,
                channel="whatsapp",
                purpose="service",
                status="opted_in",
                source="web_form",
            )
            for b in scenario.setup.bookings:
                slot = self.clock.slot(b.slot)
                values: dict[str, Any] = {
                    "id": f"eval-{uuid.uuid4()}",
                    "customer_e164": e164,
                    "slot_start": slot,
                    "subject": b.subject,
                    "status": "confirmed",
                    "channel": "whatsapp",
                    "confirmed_at": real_now - timedelta(days=2),
                }
                # Columns of the CRM schema this version may not have yet.
                extra = {"service": b.service, "duration_minutes": self.services.get(b.service)}
                values.update({k: v for k, v in extra.items() if k in booking_columns})
                await s.exec(insert(Booking).values(**values))
                rows.append(BookingRow(values["id"], b.subject, slot, "confirmed", b.service))
            for i, m in enumerate(scenario.setup.messages):
                await log_message(
                    s,
                    key=f"eval/setup/{e164}/{i}",
                    customer_e164=e164,
                    channel=m.channel,
                    direction=m.direction,
                    kind="text" if m.channel == "whatsapp" else "speech",
                    text=self.clock.render(m.text),
                    at=real_now - timedelta(minutes=m.minutes_ago),
                )
            if scenario.channel == "whatsapp" and server_now - real_now >= WINDOW_OPENER_AGE:
                await log_message(
                    s,
                    key=f"eval/window/{e164}",
                    customer_e164=e164,
                    channel="whatsapp",
                    direction="inbound",
                    kind="event",
                    text="",
                    at=server_now - WINDOW_OPENER_AGE,
                )
        return rows

    # -- playing turns ---------------------------------------------------------------------

    async def whatsapp_turn(self, e164: str, messages: list[str]) -> TurnObservation:
        """Send ``messages`` back to back as signed webhooks, then collect every message the
        fake Twilio accepted for the customer until the turn is quiet."""
        to = f"whatsapp:{e164}"
        before = len(self.tap.sent_to(to))
        start = time.perf_counter()
        for message in messages:
            await self.sim.whatsapp(e164, text=message)
        quiet = self.config.burst_quiet_s if len(messages) > 1 else self.config.quiet_s
        deadline = start + self.config.reply_timeout_s
        while True:
            await asyncio.sleep(0.025)
            sent = self.tap.sent_to(to)[before:]
            now = time.perf_counter()
            if sent and now - sent[-1].at >= quiet:
                break
            if not sent and now > deadline:
                break
        return TurnObservation(
            said=messages,
            replies=[m.body for m in sent if m.body],
            latency_ms=(sent[0].at - start) * 1000 if sent else None,
        )

    async def call(self, e164: str, scenario: Scenario) -> list[TurnObservation]:
        """One inbound call, each turn spoken (``evals.voice``) and said again when the agent
        asks (``CallerScript``), then hung up; replies and transcripts from the conversation
        log, latency from the recording webhook (recorded turns) or the stream (end of speech →
        first agent audio). One observation per scenario turn, its repeats in ``earlier``."""
        turns = [str(t) for t in scenario.turns]
        audio = [await spoken(scenario, text) for text in turns]
        caller = CallerScript(
            scenario, turns, audio, reply=lambda call_sid: self._latest_reply(e164, call_sid)
        )
        if self.settings.call_mode == "stream":
            tries = await self._stream_call(e164, caller)
        else:
            tries = await self._recorded_call(e164, caller)
        return by_turn(turns, caller.tries, tries)

    async def _recorded_call(self, e164: str, caller: CallerScript) -> list[TurnObservation]:
        """The call with one recording per turn; an observation per try the agent answered."""
        call = await self.sim.call(e164, caller)
        rows = await self._voice_rows(e164)
        mine = [r for r in rows if r.call_sid == call.call_sid] or rows
        # Each caller turn's transcript is the inbound row for its recording; the agent's
        # replies are the outbound rows after it, up to the next caller turn.
        played = {sid for sid, _ in call.turns}
        heard: dict[str, str] = {}
        replies: dict[str, list[str]] = {}
        current: str | None = None
        for row in mine:
            if row.direction == "inbound" and row.provider_sid in played:
                current = row.provider_sid
                heard[current] = row.text
                replies[current] = []
            elif (
                current is not None
                and row.direction == "outbound"
                and row.kind != "event"
                and row.text
            ):
                replies[current].append(row.text)
        return [
            TurnObservation(
                said=[said.text],
                heard=heard.get(sid),
                # Not in the log (nothing recorded): what the TwiML said, if anything.
                replies=replies[sid] if sid in replies else list(reply.says),
                latency_ms=self.transport.turn_ms.get(sid),
            )
            for said, (sid, reply) in zip(caller.tries, call.turns, strict=False)
        ]

    async def _voice_rows(self, e164: str) -> list[Message]:
        async with self.db.session() as s:
            query = (
                select(Message)
                .where(Message.customer_e164 == e164, Message.channel == "voice")
                .order_by(col(Message.id))
            )
            return list((await s.exec(query)).all())

    async def _latest_reply(self, e164: str, call_sid: str) -> str:
        """What the agent said on call ``call_sid`` since the caller's last turn (the log's
        outbound rows after the call's last inbound one), "" if nothing yet."""
        said: list[str] = []
        for row in await self._voice_rows(e164):
            if row.call_sid != call_sid:
                continue
            if row.direction == "inbound":
                said = []
            elif row.kind != "event" and row.text:
                said.append(row.text)
        return " ".join(said)

    async def _stream_call(self, e164: str, caller: CallerScript) -> list[TurnObservation]:
        """The call over Media Streams; an observation per try the agent answered."""
        call = await self.sim.stream_call(e164, caller)
        rows = await self._voice_rows(e164)
        mine = [r for r in rows if r.call_sid == call.call_sid]
        # Each answered caller turn is an inbound row; its replies the outbound rows after it.
        heard: list[str] = []
        replies: list[list[str]] = []
        for row in mine:
            if row.direction == "inbound" and row.kind == "speech":
                heard.append(row.text)
                replies.append([])
            elif replies and row.direction == "outbound" and row.kind != "event" and row.text:
                replies[-1].append(row.text)
        answered = call.turns
        return [
            TurnObservation(
                said=[caller.tries[i].text],
                heard=heard[i] if i < len(heard) else None,
                replies=replies[i] if i < len(replies) else [],
                latency_ms=answered[i].end_of_speech_to_first_audio_ms,
            )
            for i in range(min(len(answered), len(caller.tries)))
        ]

    # -- reading the outcome ---------------------------------------------------------------

    async def outcome(self, e164: str) -> tuple[list[BookingRow], int, str | None]:
        """(the customer's bookings, handoff records, WhatsApp service consent in force)."""
        async with self.db.session() as s:
            bookings = [
                BookingRow(b.id, b.subject, b.slot_start, b.status, b.service)
                for b in await bookings_for(s, customer_e164=e164)
            ]
            handoffs = (
                await s.exec(
                    select(func.count()).select_from(Handoff).where(Handoff.customer_e164 == e164)
                )
            ).one()
            consent = await current_consent(
                s, customer_e164=e164, channel="whatsapp", purpose="service"
            )
        return bookings, int(handoffs), consent.status if consent else None

    async def clear_calendar(self, e164: str) -> None:
        """Cancel the customer's confirmed bookings once observed, so that the next scenarios
        find the calendar as empty as this one did (the clinic takes ``capacity`` bookings
        at a time across all customers, and many scenarios ask for the same hours)."""
        async with self.db.session() as s:
            for booking in await bookings_for(s, customer_e164=e164):
                if booking.status == "confirmed":
                    booking.status = "cancelled"
                    s.add(booking)

    async def play(self, index: int, scenario: Scenario) -> ScenarioResult:
        """Play one scenario with a fresh customer and score it. Never raises for a product
        failure: a stall or an error is recorded in the observation and fails the scenario."""
        e164 = customer_number(index)
        started = time.perf_counter()
        skipped = unplayable(scenario, self.clock)
        if skipped is not None:
            nothing = Observation(turns=[], setup_bookings=[], bookings=[])
            verdict = Verdict(passed=False, reasons=[f"skipped: {skipped}"], wrong_actions=[])
            return ScenarioResult(index, scenario, e164, nothing, verdict, 0.0, skipped=skipped)
        setup: list[BookingRow] = []
        turns: list[TurnObservation] = []
        error: str | None = None
        # The moment the customer starts, for slots said relative to it ("this time next week";
        # evals/clock.py): the run's clock has moved on from the reference by then.
        clock = self.clock
        try:
            async with asyncio.timeout(self.config.scenario_timeout_s):
                setup = await self.prepare(e164, scenario)
                clock = replace(self.clock, now=await self.env.get_current_time())
                if scenario.channel == "voice":
                    turns = await self.call(e164, scenario)
                else:
                    for turn in scenario.turns:
                        said = [turn] if isinstance(turn, str) else list(turn)
                        turns.append(
                            await self.whatsapp_turn(e164, [self.clock.render(t) for t in said])
                        )
        except TimeoutError:
            error = f"scenario did not finish within {self.config.scenario_timeout_s:.0f} s"
        except Exception as exc:  # the product answered what Twilio would not accept, etc.
            error = f"{type(exc).__name__}: {exc}"[:300]
        bookings, handoffs, consent = await self.outcome(e164)
        await self.clear_calendar(e164)
        observation = Observation(
            turns=turns,
            setup_bookings=setup,
            bookings=bookings,
            handoffs=handoffs,
            consent=consent,
            error=error,
        )
        try:
            verdict = score(scenario, observation, clock)
        except ValueError as exc:  # an expectation that does not parse: the scenario's fault
            verdict = Verdict(passed=False, reasons=[f"scenario: {exc}"], wrong_actions=[])
        return ScenarioResult(
            index=index,
            scenario=scenario,
            customer=e164,
            observation=observation,
            verdict=verdict,
            seconds=time.perf_counter() - started,
        )

    async def play_all(
        self,
        chosen: list[tuple[int, Scenario]],
        on_result: Callable[[ScenarioResult], None] | None = None,
    ) -> list[ScenarioResult]:
        """Play ``chosen`` (index, scenario), ``config.parallel`` at a time; results in the
        given order."""
        gate = asyncio.Semaphore(max(1, self.config.parallel))
        # Calls transcribe with Whisper on the same CPUs: two at once would slow both past the
        # product's voice budget and measure the machine rather than the agent.
        calls = asyncio.Semaphore(max(1, self.config.voice_parallel))

        async def one(index: int, scenario: Scenario) -> ScenarioResult:
            async with contextlib.AsyncExitStack() as held:
                if scenario.channel == "voice":
                    await held.enter_async_context(calls)
                await held.enter_async_context(gate)
                result = await self.play(index, scenario)
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(i, s) for i, s in chosen)))


# -- starting it ---------------------------------------------------------------------------------


def _media_server(
    settings: Settings, db: Database, env: WorkflowEnvironment, providers: Providers, port: int
) -> uvicorn.Server:
    """The media process, in this event loop (it shares the database pool and the Temporal
    client), with the local engines and the time-skipping server's clock."""
    from switchboard.providers.local_stt import WhisperSTT
    from switchboard.voice.local_stream_stt import LocalStreamingSTT
    from switchboard.voice.local_stream_tts import LocalSpeechSynthesis

    stt = providers.stt if isinstance(providers.stt, WhisperSTT) else WhisperSTT()
    engines = CallEngines(
        stt=LocalStreamingSTT(stt),
        tts=LocalSpeechSynthesis(settings.espeak_voice),
        agent=providers.agent,
        profile=load_profile(settings.business_profile),
        window=settings.conversation_window,
        default_timezone=settings.default_timezone,
        clock=env.get_current_time,
    )
    app = create_media_app(settings, db=db, temporal=env.client, engines=engines)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    return uvicorn.Server(config)


async def _started(server: uvicorn.Server, serving: asyncio.Task[None]) -> None:
    while not server.started:
        if serving.done():
            serving.result()  # raises what stopped it
            raise RuntimeError("the media process stopped before it started")
        await asyncio.sleep(0.05)


async def _time_skipping_server(timeout_s: float, *, quiet: bool) -> WorkflowEnvironment:
    return await start_time_skipping_server(quiet=quiet, startup_timeout_s=timeout_s)


async def _empty_tables(db: Database) -> None:
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    async with db.session() as s:
        await s.exec(text(f"TRUNCATE {tables} CASCADE"))  # type: ignore[call-overload]


def _service_minutes() -> dict[str, int]:
    profile = yaml.safe_load(PROFILE.read_text()) or {}
    return {s["key"]: int(s["duration_minutes"]) for s in profile.get("services", [])}


async def _bounded(awaitable: Awaitable[Any], what: str, timeout_s: float) -> Any:
    try:
        async with asyncio.timeout(timeout_s):
            return await awaitable
    except TimeoutError as exc:
        raise RuntimeError(f"{what}: not ready within {timeout_s:.0f} s") from exc


@asynccontextmanager
async def eval_stack(config: EvalConfig) -> AsyncIterator[EvalStack]:
    """Start everything (module docstring), skip the clock to the reference moment, yield the
    stack; stop everything on exit. Raises ``RuntimeError`` when a part does not start."""
    tmp = Path(tempfile.mkdtemp(prefix="switchboard-eval-"))
    pg: Any = None
    try:
        url = config.database_url
        if url is None:
            pg = await asyncio.to_thread(start_embedded_postgres, tmp)
            url = str(pg.get_uri())
        await _bounded(asyncio.to_thread(upgrade, url), "database migrations", 120)
        templates = {t.content_sid: t.body for t in load_templates().values()}
        base = Settings()
        port = _free_port()
        media_port = _free_port()
        fake_url = f"http://127.0.0.1:{port}"
        tap = MessageTap(
            create_fake_twilio_app(
                account_sid=base.twilio_account_sid,
                auth_token=base.twilio_auth_token.get_secret_value(),
                public_url=fake_url,
                templates=templates,
            )
        )
        with _serve_in_thread(tap, port):
            settings = Settings(
                public_base_url=PUBLIC_URL,
                twilio_api_base_url=fake_url,
                database_url=url,
                agent_provider=config.agent,
                business_hours=None,  # the business profile decides, not the call greeting
                default_timezone=CUSTOMER_TIMEZONE,
                worker_metrics_port=None,
                call_mode=config.call_mode,
                media_stream_url=f"ws://127.0.0.1:{media_port}/twilio/stream",
            )
            db = Database(url, pool_size=10)
            try:
                await _empty_tables(db)
                env = await _bounded(
                    _time_skipping_server(config.startup_timeout_s, quiet=config.quiet),
                    "Temporal time-skipping server",
                    config.startup_timeout_s + 10,
                )
                try:
                    now = await env.get_current_time()
                    reference = reference_moment(now)
                    await env.sleep(reference - now)
                    providers = await asyncio.to_thread(Providers.from_settings, settings)
                    task_queue = f"eval-{uuid.uuid4()}"
                    worker = build_worker(
                        env.client, db, providers, settings, task_queue=task_queue
                    )
                    outreach = build_outreach_worker(
                        env.client,
                        db,
                        providers,
                        settings,
                        task_queue=outreach_queue(task_queue),
                    )
                    app = create_app(settings, db=db, temporal=env.client, task_queue=task_queue)
                    media = _media_server(settings, db, env, providers, media_port)
                    serving = asyncio.create_task(media.serve())
                    await _bounded(_started(media, serving), "the media process", 60)
                    transport = TimedASGITransport(app)
                    http = httpx.AsyncClient(mounts={PUBLIC_URL: transport}, timeout=60)
                    sim = TwilioSimulator(settings, http=http, api_url=PUBLIC_URL)
                    watchdog = LoopWatchdog()
                    heartbeat = asyncio.create_task(watchdog.heartbeat())
                    try:
                        with watchdog.running():
                            async with worker, outreach:
                                yield EvalStack(
                                    env=env,
                                    db=db,
                                    settings=settings,
                                    config=config,
                                    clock=EvalClock(reference),
                                    sim=sim,
                                    tap=tap,
                                    transport=transport,
                                    watchdog=watchdog,
                                    services=_service_minutes(),
                                )
                    finally:
                        heartbeat.cancel()
                        await sim.aclose()
                        media.should_exit = True
                        await _bounded(serving, "the media process to stop", 30)
                finally:
                    await env.shutdown()
            finally:
                await db.dispose()
    finally:
        if pg is not None:
            await asyncio.to_thread(stop_embedded_postgres, pg)
        shutil.rmtree(tmp, ignore_errors=True)
