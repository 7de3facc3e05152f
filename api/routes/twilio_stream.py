"""The Media Stream WebSocket (media process): Twilio's side of a real-time call.

Twilio opens ``media_stream_url`` with ``X-Twilio-Signature`` computed over that URL (Twilio docs,
"Webhooks security": WebSocket requests are signed like webhooks, without parameters); a missing
or wrong signature is closed with 1008 (policy violation, RFC 6455 §7.4.1) before anything is
read. Then the messages of Twilio's protocol (``switchboard/media_streams.py``) drive one
``CallSession``: ``start`` → checked against the customer's workflow and greeted, ``media`` →
the caller's audio, ``mark`` → the agent's audio played, ``dtmf`` → a key the caller pressed
(bidirectional Streams only; logged and ignored: the agent takes no keypad input), ``stop`` → the
end (Twilio's "Media Streams - WebSocket Messages",
https://www.twilio.com/docs/voice/media-streams/websocket-messages).
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from temporalio.client import Client
from temporalio.service import RPCError

from api.call_twiml import greeting
from api.deps import TemporalUnavailable
from operations.calls.session import CallEngines, CallIdentity, CallNotOpen, CallSession
from switchboard.db.engine import Database
from switchboard.db.models import CallContext
from switchboard.identity import normalize_e164
from switchboard.media_streams import (
    Connected,
    Dtmf,
    Mark,
    Media,
    MediaStreamProtocolError,
    Start,
    Stop,
    parse_message,
    signature_ok,
)
from switchboard.settings import Settings

router = APIRouter(tags=["twilio"])
log = structlog.get_logger("switchboard.media")

POLICY_VIOLATION = 1008  # RFC 6455 §7.4.1
INTERNAL_ERROR = 1011
# Twilio sends ``connected`` then ``start`` at once; a client that does not is not Twilio.
START_TIMEOUT_S = 10.0


@router.websocket("/twilio/stream")
async def twilio_stream(ws: WebSocket) -> None:
    """One call's Media Stream, from Twilio's ``connected`` to its ``stop``."""
    state = ws.app.state
    settings: Settings = state.settings
    token = settings.twilio_auth_token.get_secret_value()
    await ws.accept()
    if not signature_ok(settings.media_stream_url, ws.headers.get("x-twilio-signature"), token):
        await ws.close(code=POLICY_VIOLATION, reason="invalid or missing X-Twilio-Signature")
        return
    try:
        start = await _start(ws)
    except (TimeoutError, MediaStreamProtocolError, WebSocketDisconnect) as exc:
        log.warning("media stream closed before its start: %s", exc)
        with contextlib.suppress(RuntimeError):
            await ws.close(code=POLICY_VIOLATION, reason="expected connected, start")
        return
    params = start.custom_parameters
    try:
        customer = normalize_e164(params.get("customer", ""))
    except ValueError:
        await ws.close(code=POLICY_VIOLATION, reason="no customer parameter")
        return
    kind = params.get("kind", "inbound")
    db: Database = state.db
    try:
        temporal: Client = await state.temporal()
    except TemporalUnavailable as exc:
        await _unavailable(ws, exc)
        return
    engines: CallEngines = state.engines
    ended = asyncio.Event()

    async def hang_up() -> None:
        ended.set()
        with contextlib.suppress(RuntimeError):
            await ws.close(code=1000, reason="goodbye")

    session = CallSession(
        send=ws.send_text,
        hang_up=hang_up,
        temporal=temporal,
        db=db,
        engines=engines,
        who=CallIdentity(
            customer=customer,
            call_sid=start.call_sid,
            stream_sid=start.stream_sid,
            resumed=kind == "resume",
        ),
    )
    try:
        greeting, text = await _greeting(state, db, kind, params.get("context", ""), customer)
        await session.open(greeting, text)
        await _converse(ws, session, ended)
    except CallNotOpen:
        log.warning("media stream for a call that is not open", call_sid=start.call_sid)
        with contextlib.suppress(RuntimeError):
            await ws.close(code=POLICY_VIOLATION, reason="no such call")
    except RPCError as exc:
        await _unavailable(ws, exc)
    except WebSocketDisconnect:
        pass
    finally:
        await session.close()


async def _unavailable(ws: WebSocket, exc: Exception) -> None:
    """Temporal unreachable: close; Twilio follows the call's <Redirect>, whose webhook
    decides (reopen, or recorded turns)."""
    log.warning("call state unavailable at stream start: %s", exc)
    with contextlib.suppress(RuntimeError):
        await ws.close(code=INTERNAL_ERROR, reason="temporarily unavailable")


async def _start(ws: WebSocket) -> Start:
    """Read ``connected`` (optional) then ``start``. Raises ``MediaStreamProtocolError`` for any
    other message first, ``TimeoutError`` when none comes."""
    async with asyncio.timeout(START_TIMEOUT_S):
        while True:
            message = parse_message(await ws.receive_text())
            if isinstance(message, Start):
                return message
            if not isinstance(message, Connected):
                raise MediaStreamProtocolError(f"{message.event} before start")


async def _converse(ws: WebSocket, session: CallSession, ended: asyncio.Event) -> None:
    while not ended.is_set():
        try:
            message = parse_message(await ws.receive_text())
        except MediaStreamProtocolError as exc:
            # One bad message does not end a call; Twilio's own never are.
            log.warning("unreadable media stream message: %s", exc)
            continue
        except RuntimeError:  # receive after our own close (the agent hung up)
            return
        if isinstance(message, Media):
            if message.track == "inbound":
                await session.on_media(message.payload)
        elif isinstance(message, Mark):
            await session.on_mark(message.name)
        elif isinstance(message, Dtmf):
            log.info("dtmf ignored", digit=message.digit)
        elif isinstance(message, Stop):
            return


async def _greeting(
    state: object, db: Database, kind: str, context: str, customer: str
) -> tuple[bytes | None, str]:
    """The first words: the pre-rendered greeting for inbound calls, the journey's opening for
    calls Switchboard placed (synthesised now), nothing pre-rendered for a resumed stream."""
    if kind == "outbound" and context:
        async with db.session() as s:
            placed = await s.get(CallContext, context)
        if placed is not None and placed.customer_e164 == customer:
            return None, placed.opening
    if kind == "resume":
        return None, ""
    audio: bytes | None = getattr(state, "greeting", None)
    engines: CallEngines = state.engines  # type: ignore[attr-defined]
    return audio, getattr(state, "greeting_text", None) or greeting(engines.profile)
