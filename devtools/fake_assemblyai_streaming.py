"""A fake AssemblyAI Universal-Streaming (v3) server: ``wss://streaming.assemblyai.com/v3/ws``
on a loopback port, speaking the same WebSocket protocol, for tests and local runs.

What it emulates, and where each behaviour is documented:

- The connection: ``GET /v3/ws?speech_model=...&sample_rate=...&encoding=...&format_turns=...``
  with the API key as the bare ``Authorization`` header (AssemblyAI API reference, "Universal
  Streaming", https://www.assemblyai.com/docs/api-reference/streaming/realtime). The server
  answers ``Begin`` (``id``, ``expires_at``: 3 h later, "Universal Streaming",
  https://assemblyai.com/docs/streaming/universal-streaming), then a ``Turn`` message per update,
  and on ``Terminate`` the in-flight turn, ``Termination`` and a close 1000 ("Message
  Sequence", https://www.assemblyai.com/docs/streaming/universal-streaming/message-sequence.md).
- Turns: partial ``Turn``s (``end_of_turn: false``) as words come, then ``end_of_turn: true``;
  with ``format_turns`` one *more* ``Turn`` of the same ``turn_order`` with
  ``turn_is_formatted: true`` ("Message Sequence", "End of turn formatting",
  https://www.assemblyai.com/docs/universal-streaming/message-sequence). ``ForceEndpoint`` ends
  the current turn at once ("Turn detection", https://github.com/AssemblyAI/assemblyai-api-spec
  ``fern/pages/02-speech-to-text/universal-streaming/turn-detection.mdx``). Field order as the
  live service sends it: ``type`` last, and an ``utterance`` field the SDK ignores.
- A forced end of a turn without speech is answered with an empty final ``Turn``
  (``transcript: ""``, ``words: []``), as seen on the live service after ``Terminate``; the
  docs do not say, so ``answer_silent_endpoint = False`` makes the fake send nothing instead.
- Errors are in-band: the upgrade always succeeds (101), then an ``Error`` text frame
  ``{"type": "Error", "error_code": N, "error": "..."}`` and a close with the same code N and
  the reason "See Error message for details" ("Common session errors and closures",
  https://www.assemblyai.com/docs/streaming/common-session-errors-and-closures.md):

  - 1008 "Unauthorized Connection: Missing Authorization header" / "...: Invalid API key": a
    bad key. There is no HTTP 401 to read.
  - 3007 "Input duration violation: <n> ms. Expected between 50 and 1000 ms": every binary
    audio message must hold 50 to 1000 ms of audio.
  - 3006 "Invalid Message Type" / "Invalid JSON" / "Invalid Message": an unknown client message.
  - 3006 for connection parameters the docs call required or out of range (no ``speech_model``
    — "speech_model is required": "Universal Streaming" page —, no ``sample_rate`` for PCM,
    more than 100 ``keyterms_prompt`` entries: "Keyterms prompting for Universal-Streaming",
    https://www.assemblyai.com/docs/speech-to-text/universal-streaming/keyterms-prompting).
    The docs name no code for these; 3006 is the SDK's "Input validation error"
    (``assemblyai.streaming.v3.RealTimeErrorCodes``). Keyterms over 50 characters are ignored,
    as documented, and recorded in ``Session.ignored_keyterms``.

Not emulated: the "Audio Transmission Rate Exceeded" close (3007) for audio sent faster than
real time — tests feed audio as fast as they can —, temporary tokens, speaker labels, the
``Heartbeat``/``SpeechStarted`` messages of other models.

"Recognition" is scripted: ``script("Book Tuesday at ten.", "")`` queues what the next turns
say ("" = no speech), each formatted as given and unformatted (lower case, no punctuation) in the
partials and the unformatted final. A turn with audio takes the next entry when it ends; one
without audio takes none. What each connection sent is recorded in ``sessions``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

MIN_CHUNK_MS = 50
MAX_CHUNK_MS = 1000
MAX_KEYTERMS = 100
MAX_KEYTERM_CHARS = 50
SESSION_S = 3 * 3600  # "sessions ... auto-close after 3 hours"
BYTES_PER_SAMPLE = {"pcm_s16le": 2, "pcm_mulaw": 1}
PARTIAL_EVERY_MS = 200  # one more word in the partial transcript per this much turn audio
FAILURE_REASON = "See Error message for details"

SESSION_ENDED = (1000, "Session Ended")
CODE_UNAUTHORIZED = 1008
CODE_INVALID = 3006
CODE_DURATION = 3007


@dataclass(frozen=True)
class Recognition:
    """What the fake "hears" in one turn: ``text`` as a formatted turn gives it ("" = silence),
    each word with ``confidence``."""

    text: str
    confidence: float = 0.9


@dataclass
class Session:
    """One connection as the fake saw it."""

    path: str
    params: dict[str, str]
    authorization: str | None
    audio_bytes: int = 0
    chunk_ms: list[float] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # JSON messages, in order
    keyterms: list[str] = field(default_factory=list)  # in force (query, then updates)
    ignored_keyterms: list[str] = field(default_factory=list)
    closed_with: tuple[int, str] | None = None  # the close the fake sent (code, reason)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]


class _Closed(Exception):
    """The fake closed (or dropped) the connection; the handler stops."""


class FakeAssemblyAIStreaming:
    """Serve with ``async with fake.serve() as url`` (``ws://127.0.0.1:PORT``: pass it as the
    SDK's ``api_host``). It runs in the caller's event loop.

    Knobs: ``answer_silent_endpoint`` (see the module docstring); ``endpoint_delay_s`` is how long
    the server takes to answer a ``ForceEndpoint``; ``endpoint_after_ms`` ends a
    turn on the server's own turn detection once it holds that much audio (None: only
    ``ForceEndpoint`` ends turns); ``error_after_ms = (ms, code, message)`` ends the session with
    that ``Error`` once it received that much audio; ``drop_after_ms`` cuts the TCP connection
    without a close frame (a network failure); ``handshake_status`` refuses the upgrade with that
    HTTP status (a gateway in front of the service, e.g. 503).
    """

    def __init__(self, api_key: str = "aai-test-key") -> None:
        self.api_key = api_key
        self.sessions: list[Session] = []
        self.answer_silent_endpoint = True
        self.endpoint_after_ms: int | None = None
        self.error_after_ms: tuple[int, int, str] | None = None
        self.drop_after_ms: int | None = None
        self.handshake_status: int | None = None
        self.endpoint_delay_s = 0.0
        self._script: deque[Recognition] = deque()

    def script(self, *texts: str | Recognition) -> None:
        """Queue what the next turns say, in order."""
        for text in texts:
            self._script.append(text if isinstance(text, Recognition) else Recognition(text))

    @property
    def unused_script(self) -> list[Recognition]:
        return list(self._script)

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        async with serve(
            self._handle, "127.0.0.1", 0, process_request=self._process_request
        ) as server:
            port = server.sockets[0].getsockname()[1]
            yield f"ws://127.0.0.1:{port}"

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.handshake_status is not None:
            return connection.respond(self.handshake_status, "Service Unavailable\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        request = ws.request
        assert request is not None
        url = urlsplit(request.path)
        session = Session(
            path=url.path,
            params=dict(parse_qsl(url.query)),
            authorization=request.headers.get("Authorization"),
        )
        self.sessions.append(session)
        with suppress(_Closed, ConnectionClosed):
            await _Connection(self, ws, session).run()


class _Connection:
    """The protocol of one session."""

    def __init__(self, fake: FakeAssemblyAIStreaming, ws: ServerConnection, session: Session):
        self.fake = fake
        self.ws = ws
        self.session = session
        self.started = time.monotonic()
        self.format_turns = False
        self.bytes_per_ms = 0.0
        self.turn_order = 0
        self.turn_start_ms = 0.0  # where the open turn starts in the session's audio
        self.turn_ms = 0.0  # audio in the open turn
        self.partial_words = 0

    @property
    def audio_ms(self) -> float:
        return self.session.audio_bytes / self.bytes_per_ms if self.bytes_per_ms else 0.0

    async def run(self) -> None:
        if self.session.path != "/v3/ws":
            await self.fail(CODE_INVALID, f"Invalid Message: unknown path {self.session.path}")
        await self.authorize()
        await self.configure(self.session.params)
        await self.send(
            {"type": "Begin", "id": str(uuid.uuid4()), "expires_at": int(time.time()) + SESSION_S}
        )
        async for message in self.ws:
            if isinstance(message, bytes):
                await self.on_audio(message)
            else:
                await self.on_text(message)

    async def authorize(self) -> None:
        key = self.session.authorization
        if not key:
            await self.fail(
                CODE_UNAUTHORIZED, "Unauthorized Connection: Missing Authorization header"
            )
        if key != self.fake.api_key:
            await self.fail(CODE_UNAUTHORIZED, "Unauthorized Connection: Invalid API key")

    async def configure(self, params: dict[str, str]) -> None:
        if not params.get("speech_model"):
            await self.fail(CODE_INVALID, "Invalid Configuration: speech_model is required")
        encoding = params.get("encoding", "pcm_s16le")
        if encoding not in BYTES_PER_SAMPLE:
            await self.fail(CODE_INVALID, f"Invalid Configuration: encoding {encoding}")
        rate = params.get("sample_rate", "")
        if not rate.isdigit() or int(rate) <= 0:
            await self.fail(CODE_INVALID, "Invalid Configuration: sample_rate is required")
        self.bytes_per_ms = int(rate) * BYTES_PER_SAMPLE[encoding] / 1000
        self.format_turns = params.get("format_turns", "false").lower() == "true"
        if "keyterms_prompt" in params:
            await self.set_keyterms(params["keyterms_prompt"])

    async def set_keyterms(self, value: Any) -> None:
        terms = json.loads(value) if isinstance(value, str) else value
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            await self.fail(CODE_INVALID, "Invalid Configuration: keyterms_prompt")
        if len(terms) > MAX_KEYTERMS:
            await self.fail(
                CODE_INVALID, f"Invalid Configuration: {len(terms)} keyterms, at most 100"
            )
        self.session.keyterms = [t for t in terms if len(t) <= MAX_KEYTERM_CHARS]
        self.session.ignored_keyterms += [t for t in terms if len(t) > MAX_KEYTERM_CHARS]

    async def on_audio(self, chunk: bytes) -> None:
        ms = len(chunk) / self.bytes_per_ms
        self.session.chunk_ms.append(ms)
        if not MIN_CHUNK_MS <= ms <= MAX_CHUNK_MS:
            await self.fail(
                CODE_DURATION,
                f"Input duration violation: {ms:.0f} ms. Expected between 50 and 1000 ms",
            )
        self.session.audio_bytes += len(chunk)
        self.turn_ms += ms
        fake = self.fake
        if fake.drop_after_ms is not None and self.audio_ms >= fake.drop_after_ms:
            self.ws.transport.abort()
            raise _Closed
        if fake.error_after_ms is not None and self.audio_ms >= fake.error_after_ms[0]:
            await self.fail(fake.error_after_ms[1], fake.error_after_ms[2])
        words = _words(self.heard().text)
        shown = min(len(words), int(self.turn_ms // PARTIAL_EVERY_MS))
        if shown > self.partial_words:
            self.partial_words = shown
            await self.send(self.turn_message(words[:shown], end_of_turn=False))
        if fake.endpoint_after_ms is not None and self.turn_ms >= fake.endpoint_after_ms:
            await self.end_turn()

    async def on_text(self, text: str) -> None:
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            await self.fail(CODE_INVALID, f"Invalid JSON: {text[:60]}")
        if not isinstance(message, dict) or "type" not in message:
            await self.fail(CODE_INVALID, f"Invalid Message: {text[:60]}")
        self.session.messages.append(message)
        kind = message["type"]
        if kind == "ForceEndpoint":
            # The service's processing time; audio sent meanwhile is read afterwards.
            await asyncio.sleep(self.fake.endpoint_delay_s)
            await self.end_turn()
        elif kind == "UpdateConfiguration":
            if "keyterms_prompt" in message:
                await self.set_keyterms(message["keyterms_prompt"])
            if "format_turns" in message:
                self.format_turns = bool(message["format_turns"])
        elif kind == "Terminate":
            if self.turn_ms:
                await self.end_turn()
            await self.send(
                {
                    "type": "Termination",
                    "audio_duration_seconds": round(self.audio_ms / 1000),
                    "session_duration_seconds": round(time.monotonic() - self.started),
                }
            )
            await self.close(*SESSION_ENDED)
        elif kind != "KeepAlive":
            await self.fail(CODE_INVALID, f"Invalid Message Type: {kind}")

    def heard(self) -> Recognition:
        """What the open turn says: the next scripted entry once it has audio."""
        if not self.turn_ms or not self.fake._script:
            return Recognition("")
        return self.fake._script[0]

    async def end_turn(self) -> None:
        """End the open turn (forced, by the server's turn detection, or on ``Terminate``)."""
        recognition = self.heard()
        if self.turn_ms and self.fake._script:
            self.fake._script.popleft()
        words = _words(recognition.text)
        if not words and not self.fake.answer_silent_endpoint:
            self.turn_start_ms += self.turn_ms
            self.turn_ms = 0.0
            return
        await self.send(
            self.turn_message(words, end_of_turn=True, confidence=recognition.confidence)
        )
        if words and self.format_turns:
            await self.send(
                self.turn_message(
                    recognition.text.split(),
                    end_of_turn=True,
                    formatted=True,
                    confidence=recognition.confidence,
                )
            )
        self.turn_order += 1
        self.turn_start_ms += self.turn_ms
        self.turn_ms = 0.0
        self.partial_words = 0

    def turn_message(
        self,
        words: list[str],
        *,
        end_of_turn: bool,
        formatted: bool = False,
        confidence: float = 0.9,
    ) -> dict[str, Any]:
        # Words are spread evenly over the turn's audio; times are ms of session audio.
        span = self.turn_ms / max(len(words), 1)
        transcript = " ".join(words)
        return {
            "turn_order": self.turn_order,
            "turn_is_formatted": formatted,
            "end_of_turn": end_of_turn,
            "transcript": transcript,
            "end_of_turn_confidence": 0.8 if end_of_turn else 0.01,
            "words": [
                {
                    "start": round(self.turn_start_ms + i * span),
                    "end": round(self.turn_start_ms + (i + 1) * span),
                    "text": word,
                    "confidence": confidence,
                    "word_is_final": end_of_turn or i < len(words) - 1,
                }
                for i, word in enumerate(words)
            ],
            "utterance": transcript if end_of_turn and not formatted else "",
            "type": "Turn",
        }

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def fail(self, code: int, error: str) -> NoReturn:
        """The documented failure: an ``Error`` frame, then a close with the same code."""
        await self.send({"type": "Error", "error_code": code, "error": error})
        await self.close(code, FAILURE_REASON)

    async def close(self, code: int, reason: str) -> NoReturn:
        self.session.closed_with = (code, reason)
        await self.ws.close(code, reason)
        raise _Closed


def _words(text: str) -> list[str]:
    """``text`` as an unformatted turn gives it: lower case, no punctuation but apostrophes."""
    return re.sub(r"[^\w' ]+", " ", text.lower()).split()
