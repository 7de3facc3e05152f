"""Real-time speech-to-text with AssemblyAI Universal-Streaming (v3), through the ``assemblyai``
SDK's asyncio client (``assemblyai.streaming.v3.AsyncRealTimeTranscriber``, SDK 1.8): no thread,
its event handlers run on the event loop's read task.

Wire format (AssemblyAI API reference, "Universal Streaming",
https://www.assemblyai.com/docs/api-reference/streaming/realtime; "Message Sequence",
https://www.assemblyai.com/docs/streaming/universal-streaming/message-sequence.md):

- ``wss://{api_host}/v3/ws?speech_model=...&sample_rate=8000&encoding=pcm_s16le&format_turns=True``
  with the key as the bare ``Authorization`` header. ``speech_model`` is required ("there is no
  default model": https://assemblyai.com/docs/streaming/universal-streaming); the SDK builds the
  URL and takes ``api_host`` as a host (``wss://`` is added) or as a ``ws://``/``wss://`` URL,
  which is how tests point it at ``devtools/fake_assemblyai_streaming.py``.
- Audio goes up as binary messages of raw PCM, each 50 to 1000 ms long (shorter or longer closes
  the session with 3007 "Input duration violation"; the docs advise ~50 ms chunks). Caller audio
  arrives as 20 ms frames, so it is buffered and sent once 50 ms have gathered; the tail of a
  turn is padded with silence up to 50 ms.
- The server answers ``Begin``, then ``Turn`` messages: partials (``end_of_turn: false``), the end
  of the turn (``end_of_turn: true``) and, with ``format_turns``, a second end-of-turn message of
  the same ``turn_order`` with ``turn_is_formatted: true`` (punctuation, casing, "10:00"). The
  docs advise voice agents against waiting for it ("End of turn formatting",
  https://www.assemblyai.com/docs/universal-streaming/message-sequence); this adapter waits
  (bounded) because the transcript is also the conversation log and the time parser reads
  digits. Turn it off with ``format_turns=False`` to save that latency.
- ``ForceEndpoint`` ends the current turn at once ("Turn detection": "If you are using your own
  form of turn detection (such as VAD ...) you can send a ForceEndpoint event",
  https://github.com/AssemblyAI/assemblyai-api-spec,
  ``fern/pages/02-speech-to-text/universal-streaming/turn-detection.mdx``): the pipeline's VAD
  decides where a caller's turn ends. The model's own turn detection is turned down as that page
  says ("Disable turn detection": ``end_of_turn_confidence_threshold=1`` leaves only the silence
  rule, ``max_turn_silence``, set above the VAD's end-of-turn silence). Should the server still
  end a turn first, every turn ended since the previous ``finish_turn`` is joined.
- ``Terminate`` ends the session: the server flushes the open turn, sends ``Termination`` and
  closes 1000. A session is billed for as long as its socket is open, and one never terminated
  runs (and is billed) for 3 h ("Streaming is billed per session", "Universal Streaming"), so
  ``aclose`` must run.
- Errors are in-band: the upgrade succeeds (even with a bad key: no HTTP 401 to read), then an
  ``Error`` frame and a close with the same code
  ("Common session errors and closures",
  https://www.assemblyai.com/docs/streaming/common-session-errors-and-closures.md): 1008 bad key
  or account problem, 3005 server error, 3006 invalid message, 3007 bad chunk duration or audio
  sent faster than real time, 3008 session expired, 3009 too many concurrent sessions. The SDK
  turns the frame, a refused handshake (HTTP status) and a dropped connection into one
  ``RealTimeError`` with the code.
- Vocabulary: ``keyterms_prompt``, at most 100 terms of at most 50 characters, updatable
  mid-session with ``UpdateConfiguration`` ("Keyterms prompting for Universal-Streaming",
  https://www.assemblyai.com/docs/speech-to-text/universal-streaming/keyterms-prompting). Its
  second, turn-level pass runs only with ``format_turns``.
- What the agent said last: ``agent_context``, documented for the Universal-3 Pro models only
  ("Context carryover", https://assemblyai.com/docs/streaming/universal-3-pro/context-carryover),
  so it is sent only when one of those is the ``speech_model``.
- ``Turn.end_of_turn_confidence`` is how sure the model is that the turn ended, not how well it
  heard it, so ``Transcript.confidence`` is the mean of the words' ``confidence``.

One WebSocket session per call, opened in the background on the first ``feed`` (the handshake
and ``Begin`` take hundreds of milliseconds; the audio fed meanwhile is sent once it has begun, in
messages of at most 1 s — a backlog the service's "faster than real time" check has to
tolerate). ``feed`` may go on while ``finish_turn`` waits for the server (the caller speaks
again): that audio goes up after the ``ForceEndpoint`` and is the next turn's.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assemblyai.streaming.v3 import (
    AsyncRealTimeTranscriber,
    BeginEvent,
    Encoding,
    RealTimeError,
    RealTimeEvents,
    RealTimeParameters,
    RealTimeSessionParameters,
    RealTimeTranscriberOptions,
    SpeechModel,
    TurnEvent,
)
from pydantic import SecretStr

from switchboard.providers.base import (
    HeardWord,
    ProviderAuthError,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    Transcript,
)
from switchboard.providers.streaming import PHONE_RATE

_PCM_BYTES_PER_MS = PHONE_RATE * 2 // 1000  # 16: PCM16 at 8 kHz
CHUNK_MS = 50  # the smallest audio message the API takes, and the size it advises
_CHUNK_BYTES = CHUNK_MS * _PCM_BYTES_PER_MS
_MAX_CHUNK_BYTES = 1000 * _PCM_BYTES_PER_MS  # the largest: 1 s (a backlog is split)
MAX_KEYTERMS = 100
MAX_KEYTERM_CHARS = 50
# "Context carryover": agent_context is documented for these speech models.
AGENT_CONTEXT_MODELS = frozenset({SpeechModel.u3_rt_pro, SpeechModel.universal_3_5_pro})

# Close codes ("Common session errors and closures") and handshake HTTP statuses, by what a retry
# can do. 4001-4003 and 4100-4101 are the v2 API's codes, still in the SDK's table
# (``RealTimeErrorCodes``). Anything else — 3005, 3008, 3009, 1011, 1013, 429, 5xx, a dropped
# connection (1006, or no code) — is worth retrying.
_AUTH_CODES = frozenset({1008, 4001, 401, 403})
_REJECTED_CODES = frozenset({3006, 3007, 4000, 4002, 4003, 4100, 4101, 400, 404, 410, 422})


@dataclass(frozen=True)
class _Settings:
    api_key: SecretStr
    api_host: str
    speech_model: SpeechModel
    format_turns: bool
    max_turn_silence_ms: int
    connect_timeout_s: float
    turn_timeout_s: float
    terminate_timeout_s: float

    def client(self) -> AsyncRealTimeTranscriber:
        # The SDK retries a failed handshake twice by default; on a live call a fast failure
        # (and the pipeline's fallback) beats seconds of retries.
        options = RealTimeTranscriberOptions(
            api_host=self.api_host,
            api_key=self.api_key.get_secret_value(),
            connect_timeout=self.connect_timeout_s,
            max_connection_retries=0,
            terminate_timeout=self.terminate_timeout_s,
        )
        return AsyncRealTimeTranscriber(options)

    def params(self) -> RealTimeParameters:
        return RealTimeParameters(
            sample_rate=PHONE_RATE,
            encoding=Encoding.pcm_s16le,
            speech_model=self.speech_model,
            format_turns=self.format_turns,
            end_of_turn_confidence_threshold=1.0,
            max_turn_silence=self.max_turn_silence_ms,
        )


class AssemblyAIStreamingSTT:
    """``StreamingSpeechToText`` backed by AssemblyAI Universal-Streaming.

    ``api_host``: ``streaming.assemblyai.com`` (``streaming.eu.assemblyai.com`` for the EU), or a
    ``ws://host:port`` URL. ``speech_model``: a ``SpeechModel`` value (the default is the fast,
    English-only model). ``connect_timeout_s`` bounds the handshake plus the wait for ``Begin``;
    ``turn_timeout_s`` how long ``finish_turn`` and ``discard_turn`` wait for the server to end the
    turn; ``terminate_timeout_s`` how long ``aclose`` waits for ``Termination``.
    ``max_turn_silence_ms``: the silence after which the server ends a turn on its own (its
    model-based detection is off); keep it above the pipeline's end-of-turn silence.
    Raises ``ValueError`` for an unknown ``speech_model`` or a non-positive timeout.
    """

    def __init__(
        self,
        api_key: str,
        *,
        api_host: str = "streaming.assemblyai.com",
        speech_model: str = SpeechModel.universal_streaming_english.value,
        format_turns: bool = True,
        max_turn_silence_ms: int = 2000,
        connect_timeout_s: float = 5.0,
        turn_timeout_s: float = 3.0,
        terminate_timeout_s: float = 2.0,
    ) -> None:
        if min(connect_timeout_s, turn_timeout_s, terminate_timeout_s) <= 0:
            raise ValueError("timeouts must be positive")
        self._settings = _Settings(
            api_key=SecretStr(api_key),
            api_host=api_host,
            speech_model=SpeechModel(speech_model),
            format_turns=format_turns,
            max_turn_silence_ms=max_turn_silence_ms,
            connect_timeout_s=connect_timeout_s,
            turn_timeout_s=turn_timeout_s,
            terminate_timeout_s=terminate_timeout_s,
        )

    def open_stream(self) -> AssemblyAISpeechStream:
        """A stream for one call; its session opens on the first ``feed``."""
        return AssemblyAISpeechStream(self._settings)

    async def warm(self) -> None:
        """Nothing to load: each call opens its own session."""


@dataclass
class _EndedTurn:
    """A server turn that ended: its last end-of-turn message, and whether it is the one to use
    (formatted, when formatting is on; an empty turn is never formatted)."""

    event: TurnEvent
    complete: bool


class AssemblyAISpeechStream:
    """``SpeechStream`` over one Universal-Streaming session (see the module docstring)."""

    def __init__(self, settings: _Settings) -> None:
        self._settings = settings
        self._client: AsyncRealTimeTranscriber | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._begun = False
        self._closed = False
        self._error: ProviderError | None = None
        self._changed = asyncio.Condition()
        self._send_lock = asyncio.Lock()  # audio and ForceEndpoint go up in order
        self._turn_lock = asyncio.Lock()  # one turn is finished (or discarded) at a time
        self._pending = bytearray()  # audio not sent yet: under 50 ms, or before Begin
        self._turn_bytes = 0  # PCM16 fed since the last turn boundary
        self._sent_in_turn = False  # audio went up since the last turn boundary
        # The server's turns: it numbers them (turn_order) and starts the next when one ends.
        self._last_ended = -1  # highest turn_order that ended
        self._words_open = False  # the open turn's partials have words
        self._ignore_through = -1  # turns up to this one belong to a past (or discarded) turn
        self._ended: dict[int, _EndedTurn] = {}  # ended since the last boundary, by turn_order
        self._keyterms: list[str] = []
        self._agent_context = ""

    async def feed(self, pcm16: bytes) -> None:
        """Append caller audio (PCM16, 8 kHz, mono). Never waits for the network: the session
        is opened in the background and audio is queued until it has begun.

        Raises the ``ProviderError`` that ended the session, if one did; ``ValueError`` for an odd
        number of bytes; ``RuntimeError`` after ``aclose``."""
        self._check_open()
        if len(pcm16) % 2:
            raise ValueError("PCM16 audio must be a whole number of 2-byte samples")
        self._pending += pcm16
        self._turn_bytes += len(pcm16)
        if self._connecting is None:
            self._connecting = asyncio.create_task(self._connect(), name="assemblyai-connect")
        if self._begun:
            await self._send()

    async def finish_turn(self, *, vocabulary: Sequence[str] = (), context: str = "") -> Transcript:
        """Send what is left of the turn, ``ForceEndpoint``, and wait (``turn_timeout_s``) for the
        turn's final transcript; returns it with the mean word confidence and ``duration_ms``, the
        audio fed since the previous turn. Audio fed while it waits belongs to the next turn; a
        second ``finish_turn`` meanwhile waits for this one.

        ``vocabulary`` replaces the session's ``keyterms_prompt`` (trimmed to the documented
        limits) before the turn ends, so it biases the turn's formatting pass and every later
        turn; ``context`` becomes ``agent_context`` on the models that take it.

        Raises ``ProviderRejected(code="no_speech")`` when the turn had no words (the server
        ended it empty, or said nothing about a turn without words); ``ProviderUnavailable``
        (``code="timeout"``) when the turn had words but no end came in time; the session's error
        (``ProviderAuthError`` for 1008, ``ProviderRejected`` for 3006/3007, otherwise
        ``ProviderUnavailable`` with the close code or ``"connection"``)."""
        async with self._turn_lock:
            self._check_open()
            if self._connecting is None:  # nothing fed, nothing to transcribe
                raise _no_speech()
            await self._ready()
            await self._configure(vocabulary, context)
            target, fed_bytes, forced = await self._cut(flush=True)
            reached = forced and await self._wait_end(target, complete=True)
            turns = self._take_through(target)
            words_open = forced and not reached and self._words_open
            self._ignore_through = max(
                self._ignore_through, target if reached or words_open else self._last_ended
            )
        if words_open:
            raise ProviderUnavailable(
                f"AssemblyAI did not end the turn within {self._settings.turn_timeout_s} s",
                code="timeout",
            )
        texts = [t.event.transcript.strip() for t in turns if t.event.transcript.strip()]
        if not texts:
            raise _no_speech()
        said = [word for t in turns for word in t.event.words]
        confidences = [word.confidence for word in said]
        return Transcript(
            text=" ".join(texts),
            confidence=sum(confidences) / len(confidences) if confidences else None,
            duration_ms=fed_bytes // _PCM_BYTES_PER_MS,
            # each word's own ``confidence`` (a name heard unsurely is asked again:
            # switchboard/voice/names.py)
            words=tuple(HeardWord(text=w.text, probability=w.confidence) for w in said),
        )

    async def discard_turn(self) -> None:
        """Forget the audio fed since the last turn: what was not sent is dropped; what was is
        ended with ``ForceEndpoint`` (waiting up to ``turn_timeout_s`` for the end) and its
        transcript ignored, even when it comes later. Raises the session's ``ProviderError``."""
        async with self._turn_lock:
            self._check_open()
            self._pending.clear()
            if self._connecting is None:
                self._turn_bytes = 0
                return
            await self._ready()
            target, _, forced = await self._cut(flush=False)
            reached = forced and await self._wait_end(target, complete=False)
            self._take_through(target)
            # A turn with words will end, however late; one without may never be answered, and
            # then the caller's next words come under its number.
            through = target if reached or self._words_open else self._last_ended
            self._ignore_through = max(self._ignore_through, through)

    async def aclose(self) -> None:
        """End the session with ``Terminate`` (waiting up to ``terminate_timeout_s`` for
        ``Termination``) and close the socket. Idempotent; never raises."""
        if self._closed:
            return
        self._closed = True
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        if self._client is not None:
            await self._client.disconnect(terminate=self._begun and self._error is None)
        # A ``finish_turn`` still waiting (in another task) stops waiting.
        await self._fail(ProviderUnavailable("the speech stream was closed", code="closed"))

    # -- the session ----------------------------------------------------------------------------

    async def _connect(self) -> None:
        client = self._settings.client()
        client.on(RealTimeEvents.Begin, self._on_begin)
        client.on(RealTimeEvents.Turn, self._on_turn)
        client.on(RealTimeEvents.Error, self._on_error)
        client.on(RealTimeEvents.Termination, self._on_termination)
        self._client = client
        try:
            async with asyncio.timeout(self._settings.connect_timeout_s):
                # A refused handshake is reported to ``_on_error``, not raised.
                await client.connect(self._settings.params())
                await self._wait_for(lambda: self._begun or self._error is not None)
        except TimeoutError:
            await self._fail(
                ProviderUnavailable(
                    f"AssemblyAI session did not begin within {self._settings.connect_timeout_s} s",
                    code="timeout",
                )
            )
        if self._begun and self._error is None:
            await self._send()

    async def _ready(self) -> None:
        """Wait for the session to begin (bounded by ``_connect``); raise its error if any."""
        if self._connecting is not None:
            await self._connecting
        if self._error is not None:
            raise self._error

    async def _send(self) -> None:
        """Send the pending audio that makes whole messages."""
        async with self._send_lock:
            await self._send_pending(flush=False)

    async def _send_pending(self, *, flush: bool) -> None:
        """Send the pending audio in 50 ms to 1 s messages; with ``flush``, the tail too (padded
        with silence to 50 ms). The caller holds ``_send_lock``."""
        assert self._client is not None
        while len(self._pending) >= _CHUNK_BYTES or (flush and self._pending):
            if len(self._pending) < _CHUNK_BYTES:
                self._pending += bytes(_CHUNK_BYTES - len(self._pending))  # silence
            size = min(len(self._pending), _MAX_CHUNK_BYTES)
            chunk = bytes(self._pending[:size])
            del self._pending[:size]
            self._sent_in_turn = True
            await self._client.stream(chunk)

    async def _configure(self, vocabulary: Sequence[str], context: str) -> None:
        assert self._client is not None
        update: dict[str, object] = {}
        keyterms = _keyterms(vocabulary)
        if keyterms != self._keyterms:
            update["keyterms_prompt"] = keyterms
            self._keyterms = keyterms
        if (
            context
            and context != self._agent_context
            and self._settings.speech_model in AGENT_CONTEXT_MODELS
        ):
            update["agent_context"] = context
            self._agent_context = context
        if update:
            await self._client.set_params(RealTimeSessionParameters.model_validate(update))

    async def _cut(self, *, flush: bool) -> tuple[int, int, bool]:
        """Draw the line between this turn and the next: send the tail (``flush``) and
        ``ForceEndpoint`` if any audio went up since the last line, with no feed in between.
        Returns the server turn being ended, the PCM16 bytes fed in this turn, and whether
        ``ForceEndpoint`` was sent."""
        assert self._client is not None
        async with self._send_lock:
            if flush:
                await self._send_pending(flush=True)
            target = self._last_ended + 1  # the server turn open now
            fed_bytes, self._turn_bytes = self._turn_bytes, 0
            forced, self._sent_in_turn = self._sent_in_turn, False
            if forced:
                await self._client.force_endpoint()
        return target, fed_bytes, forced

    async def _wait_end(self, target: int, *, complete: bool) -> bool:
        """Wait until server turn ``target`` ended and, with ``complete``, every ended turn up to
        it is in its final form. False on timeout; raises the session's error."""

        def ended() -> bool:
            if self._error is not None or self._last_ended < target:
                return self._error is not None
            return not complete or all(
                turn.complete for order, turn in self._ended.items() if order <= target
            )

        try:
            async with asyncio.timeout(self._settings.turn_timeout_s):
                await self._wait_for(ended)
        except TimeoutError:
            return False
        if self._error is not None:
            raise self._error
        return True

    def _take_through(self, target: int) -> list[_EndedTurn]:
        """The ended turns up to ``target``, in order, removed; later ones are the next turn's."""
        return [self._ended.pop(order) for order in sorted(self._ended) if order <= target]

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the speech stream is closed")
        if self._error is not None:
            raise self._error

    async def _wait_for(self, predicate: Callable[[], bool]) -> None:
        async with self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _fail(self, error: ProviderError) -> None:
        if self._error is None:
            self._error = error
        await self._notify()

    # -- SDK event handlers (run on the SDK's read task) ---------------------------------------

    async def _on_begin(self, _client: object, _event: BeginEvent) -> None:
        self._begun = True
        await self._notify()

    async def _on_turn(self, _client: object, event: TurnEvent) -> None:
        order = event.turn_order
        if not event.end_of_turn:
            if order > self._last_ended:
                self._words_open = bool(event.words or event.transcript.strip())
            return
        self._last_ended = max(self._last_ended, order)
        self._words_open = False
        if order > self._ignore_through:
            empty = not event.transcript.strip() and not event.words
            known = self._ended.get(order)
            if known is None or not known.complete:
                complete = empty or not self._settings.format_turns or event.turn_is_formatted
                self._ended[order] = _EndedTurn(event=event, complete=complete)
        await self._notify()

    async def _on_error(self, _client: object, error: RealTimeError) -> None:
        await self._fail(_from_realtime_error(error))

    async def _on_termination(self, _client: object, _event: object) -> None:
        if not self._closed:  # the server ended the session on its own
            await self._fail(ProviderUnavailable("AssemblyAI ended the session", code="ended"))


def _keyterms(vocabulary: Sequence[str]) -> list[str]:
    """``vocabulary`` within the documented limits: each term once, at most 50 characters (longer
    ones would be ignored), at most 100 (more is an error), in the caller's order."""
    terms: dict[str, None] = {}
    for term in vocabulary:
        cleaned = re.sub(r"\s+", " ", term).strip()
        if cleaned and len(cleaned) <= MAX_KEYTERM_CHARS:
            terms.setdefault(cleaned, None)
    return list(terms)[:MAX_KEYTERMS]


def _no_speech() -> ProviderRejected:
    return ProviderRejected("AssemblyAI heard no speech in the turn", code="no_speech")


def _from_realtime_error(error: RealTimeError) -> ProviderError:
    """Map the SDK's error (a close code, a handshake HTTP status, or no code for a connection
    that failed) onto the adapter error family; ``code`` is the vendor's code."""
    code = error.code
    message = f"AssemblyAI streaming: {error}"
    if code in _AUTH_CODES:
        return ProviderAuthError(message, code=str(code))
    if code in _REJECTED_CODES:
        return ProviderRejected(message, code=str(code))
    return ProviderUnavailable(message, code="connection" if code is None else str(code))
