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
  at which the synthesised audio was ready and the reply text was sent.

``uvicorn --factory bench.api:app``; the bench stack starts it in place of ``api.main:app``.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response

from api.deps import SettingsDep, TwilioFormDep, checks_twilio_signature, verified_form
from api.main import create_app
from api.routes.twilio_whatsapp import EMPTY_TWIML
from api.twilio_forms import WhatsAppInbound, parse_form
from bench.fakes import FakeVendors, LatencyProfile
from switchboard.agent_models import AgentContext, Channel
from switchboard.db.models import utcnow
from switchboard.identity import timezone_for
from switchboard.logs import configure_logging
from switchboard.settings import Settings

router = APIRouter(prefix="/bench", tags=["bench"])


@router.post("/floor/twilio/whatsapp")
@checks_twilio_signature
async def floor(request: Request) -> Response:
    # The product route's own first step (``verified_form``, read the same way), then 200.
    settings: Settings = request.app.state.settings
    await verified_form(request, settings, request.headers.get("x-twilio-signature"))
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/naive/twilio/whatsapp")
async def naive(form: TwilioFormDep, settings: SettingsDep, request: Request) -> dict[str, Any]:
    vendors: FakeVendors = request.app.state.bench_vendors
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


def app() -> FastAPI:
    configure_logging()
    application = create_app()
    application.state.bench_vendors = FakeVendors.build(
        application.state.settings, LatencyProfile.from_env()
    )
    application.include_router(router)
    return application
