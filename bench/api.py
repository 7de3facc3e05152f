"""The benchmark's API process: the product app (``api.main.create_app``, unchanged) plus two
baseline routes served by the same process, server and middleware, so only the route differs.

- ``POST /bench/floor/twilio/whatsapp``: the floor. The product route's own signature check
  (``api.deps.verified_form``: form parsing + ``X-Twilio-Signature`` validation, read from the
  ``Request`` as the product's WhatsApp route reads it) and an empty-TwiML 200; nothing
  recorded, no Temporal.
- ``POST /bench/naive/twilio/whatsapp``: the naive design. Media fetch → STT → agent → TTS →
  WhatsApp send, in order, before answering, with the same fake vendors as the worker; nothing
  recorded, no Temporal, no conversation history read (the least work a naive webhook can do, so
  the toughest baseline for the product). Answers JSON with the wall-clock times (``time.time()``)
  at which the synthesised audio was ready and the reply text was sent. 503 in a stack started
  without it (``BENCH_NAIVE=0``: the suites that do not drive it, whose API memory is reported).
- ``GET /bench/loop-lag?since=&until=``: the answering API process's event-loop lag between two
  wall-clock times (``LoopLagProbe``): how late a 20 ms timer fired, in ms. A webhook that
  arrives while the loop is late waits at least that long before its first byte is read,
  whatever its route. With the garbage collections in that span (``GcPauses``), one of the
  causes.

``uvicorn --factory bench.api:app``; the bench stack starts it in place of ``api.main:app``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response

from api.deps import (
    PUBLIC,
    SettingsDep,
    SignedWebhookRoute,
    TwilioFormDep,
    checks_twilio_signature,
    verified_form,
)
from api.main import create_app
from api.routes.twilio_whatsapp import EMPTY_TWIML
from api.twilio_forms import WhatsAppInbound, parse_form
from bench.fakes import FakeVendors, LatencyProfile
from bench.stats import summary
from switchboard.agent_models import AgentContext, Channel
from switchboard.db.models import utcnow
from switchboard.identity import timezone_for
from switchboard.logs import configure_logging
from switchboard.settings import Settings

router = APIRouter(prefix="/bench", tags=["bench"])
# The floor is served as the product's route is (``SignedWebhookRoute``), so that only the
# route's own work differs.
floor_router = APIRouter(prefix="/bench", tags=["bench"], route_class=SignedWebhookRoute)
# "0": no naive route in this process (``app``); set by ``bench.stack.BenchStack``.
NAIVE_ENV = "BENCH_NAIVE"


@floor_router.post("/floor/twilio/whatsapp")
@checks_twilio_signature
async def floor(request: Request) -> Response:
    # The product route's own first step (``verified_form``, read the same way), then 200.
    settings: Settings = request.app.state.settings
    await verified_form(request, settings, request.headers.get("x-twilio-signature"))
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/naive/twilio/whatsapp")
async def naive(form: TwilioFormDep, settings: SettingsDep, request: Request) -> dict[str, Any]:
    vendors: FakeVendors | None = request.app.state.bench_vendors
    if vendors is None:
        raise HTTPException(503, f"the naive baseline is off in this stack ({NAIVE_ENV}=0)")
    msg = parse_form(WhatsAppInbound, form)
    texts = [msg.body] if msg.body.strip() else []
    for i in range(msg.num_media):
        media = await vendors.telephony.fetch_media(
            form[f"MediaUrl{i}"], max_bytes=settings.media_max_bytes
        )
        texts.append((await vendors.stt.transcribe(media)).text)
    decision = await vendors.agent.decide(
        AgentContext(
            customer=msg.from_,
            channel=Channel.WHATSAPP,
            message=" ".join(texts),
            now=utcnow(),
            timezone=timezone_for(msg.from_, settings.default_timezone),
        )
    )
    await vendors.tts.synthesize(decision.reply)
    audio_ready = time.time()
    await vendors.telephony.send_whatsapp(to=msg.from_, body=decision.reply)
    return {"audio_ready": audio_ready, "sent": time.time()}


class GcPauses:
    """Python's garbage collections in this process (``gc.callbacks``): per collection the
    wall-clock time it ended, its generation and how long it took (ms). Every one stops the
    event loop, so a long one is lag for every request waiting."""

    def __init__(self, keep: int = 100_000) -> None:
        self.samples: deque[tuple[float, int, float]] = deque(maxlen=keep)
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            took = (time.perf_counter() - self._began) * 1000
            self.samples.append((time.time(), int(info["generation"]), took))

    def between(self, since: float, until: float) -> dict[str, Any]:
        """Per generation: how many collections, their total and longest time (ms)."""
        out: dict[str, Any] = {}
        for gen in (0, 1, 2):
            took = [t for at, g, t in self.samples if g == gen and since <= at <= until]
            out[f"gen{gen}"] = {
                "collections": len(took),
                "total_ms": round(sum(took), 1),
                "max_ms": round(max(took), 1) if took else None,
            }
        return out


class LoopLagProbe:
    """Event-loop lag: a task sleeps ``interval_s`` again and again and keeps how much later
    than asked it woke (ms), with the wall-clock time (``time.time()``) it woke at. The lag is
    the time the loop spent on other callbacks, or waiting for the CPU, past the timer's due
    time. The last ``keep`` samples (at 20 ms, ~33 min)."""

    def __init__(self, interval_s: float = 0.02, keep: int = 100_000) -> None:
        self.interval_s = interval_s
        self.samples: deque[tuple[float, float]] = deque(maxlen=keep)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time()
            await asyncio.sleep(self.interval_s)
            late = (loop.time() - asked - self.interval_s) * 1000
            self.samples.append((time.time(), max(late, 0.0)))

    def lags(self, since: float, until: float) -> list[float]:
        """The lags (ms) sampled between ``since`` and ``until`` (wall-clock s)."""
        return [lag for at, lag in self.samples if since <= at <= until]

    def between(self, since: float, until: float) -> dict[str, Any]:
        """``summary`` of the lags sampled between ``since`` and ``until`` (wall-clock s)."""
        return summary(self.lags(since, until))


@router.get("/loop-lag", dependencies=[PUBLIC])
async def loop_lag(request: Request, since: float, until: float) -> dict[str, Any]:
    """This process's loop lag and GC between two wall-clock times, with its ``pid`` and the
    raw ``lags`` (ms): with several API processes (``settings.api_workers``) each answers for
    itself, and the bench merges them (``bench.suites.ingest``)."""
    probe: LoopLagProbe = request.app.state.loop_lag
    pauses: GcPauses = request.app.state.gc_pauses
    return (
        probe.between(since, until)
        | {"gc": pauses.between(since, until)}
        | {"pid": os.getpid(), "lags": [round(x, 2) for x in probe.lags(since, until)]}
    )


def app() -> FastAPI:
    configure_logging()
    application = create_app()
    # The naive route's vendors include the rule-based agent, which loads its language models
    # when built (~200 MiB, 3.3 s of CPU): only in stacks whose suite drives that route, so
    # that the others report the product API's memory, not the baseline's (the journeys
    # suite's API peak went from 193 to 383 MiB when the agent began to load them eagerly).
    application.state.bench_vendors = (
        FakeVendors.build(application.state.settings, LatencyProfile.from_env())
        if os.environ.get(NAIVE_ENV, "1") != "0"
        else None
    )
    application.state.loop_lag = probe = LoopLagProbe()
    application.state.gc_pauses = GcPauses()
    product_lifespan = application.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        task = asyncio.create_task(probe.run(), name="loop lag probe")
        try:
            async with product_lifespan(app) as state:
                yield state
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    application.router.lifespan_context = lifespan
    application.include_router(router)
    application.include_router(floor_router)
    return application
