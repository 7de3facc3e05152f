"""A caller on a real-time call: the local stand-in for Twilio's side of a Media Stream.

The fake Twilio speaks Media Streams too. ``call()`` opens the WebSocket the way Twilio does for
a bidirectional ``<Connect><Stream>`` (handshake signed with ``X-Twilio-Signature``), sends
``connected`` and ``start``, then streams 20 ms ``media`` frames in real time for the whole call
— the caller's speech during a turn, μ-law silence between turns, as a phone line does — and
plays what the agent sends back through an emulation of Twilio's playback buffer:

- agent audio plays in arrival order at 8000 bytes/s (μ-law 8 kHz), starting when it arrives or
  when the audio before it ends;
- a ``mark`` is echoed (same name) once all audio received before it has played, at once if
  nothing is buffered;
- ``clear`` drops the audio not played yet and echoes the pending marks at once.

Message shapes and those rules are Twilio's "Media Streams - WebSocket Messages"
(https://www.twilio.com/docs/voice/media-streams/websocket-messages); see
``switchboard/media_streams.py`` for the details and ``parse_outbound``, which this caller uses
to refuse anything Twilio would answer with error 31924.

Not emulated: network delay and jitter (timings are what the agent adds, nothing more), a key
press's tones in the audio (a key is only its ``dtmf`` message), the ``outbound`` track,
Twilio's 10-minute buffer limit (warning 31931), reconnection.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
import uuid
import wave
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from twilio.request_validator import RequestValidator
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from switchboard import audio
from switchboard.media_streams import (
    ENCODING,
    MULAW_SILENCE,
    SIGNATURE_HEADER,
    Clear,
    MediaStreamProtocolError,
    OutboundMark,
    OutboundMedia,
    frames,
    mulaw_to_pcm16,
    parse_outbound,
    pcm16_to_mulaw,
)
from switchboard.providers.streaming import FRAME_MS, FRAME_SAMPLES, PHONE_RATE

BYTES_PER_SECOND = PHONE_RATE  # μ-law: one byte a sample
SILENT_FRAME = bytes([MULAW_SILENCE]) * FRAME_SAMPLES


# A caller whose next words depend on what they were answered (asked to repeat, they say it
# again): called when the caller would start their next turn (the reply before it finished, or
# ``barge_in_ms`` into it) with the number of turns already spoken on this stream; returns that
# turn's audio (any format, as for ``turns``), or None to hang up.
NextTurn = Callable[[int], Awaitable[bytes | None]]


class StreamCallError(RuntimeError):
    """The call could not be played to the end: the handshake was refused or failed, the agent
    did not answer or finish in time, closed the stream, or sent what Twilio would reject."""


@dataclass(frozen=True)
class Reply:
    """One reply of the agent (the greeting, or the answer to a caller's turn)."""

    cleared: bool  # a `clear` cut this reply's audio short (or came while it was the reply)
    marks_echoed: tuple[str, ...]  # names of the marks sent during this reply, as echoed
    agent_audio_bytes: int  # μ-law bytes the agent sent (8000 a second), cleared ones included


@dataclass(frozen=True)
class TurnResult(Reply):
    """The reply to one caller turn."""

    # From the moment the caller's last speech frame was sent to the first agent `media` after
    # it. Agent audio of the previous reply that was not cleared counts as this reply's.
    end_of_speech_to_first_audio_ms: float


@dataclass(frozen=True)
class CallRecording:
    """What happened on the call, as the caller experienced it."""

    call_sid: str
    stream_sid: str
    # from sending `start` to the first agent `media`; None when the agent closed first
    greeting_first_frame_ms: float | None
    greeting: Reply
    turns: tuple[TurnResult, ...]  # the caller's turns the agent answered
    agent_audio_bytes: int  # all the agent sent
    heard_audio_bytes: int  # what played: cleared audio left out (the length of `record_to`)
    duration_ms: float  # from connecting to `stop` (or to the agent's close)
    # Who ended the stream: the caller (``stop`` after the last turn), or the agent, which
    # closed the WebSocket (hung up, or went away): Twilio then runs the next TwiML verb.
    ended_by: str = "caller"
    close_code: int | None = None  # the agent's WebSocket close code, when it closed


async def call(
    url: str,
    *,
    auth_token: str,
    parameters: dict[str, str],
    turns: Sequence[bytes] | NextTurn,
    barge_in_ms: int | None = None,
    record_to: Path | None = None,
    call_sid: str | None = None,
    answer_timeout_s: float = 20,
    quiet_s: float = 0.7,
    reply_timeout_s: float = 120,
    linger_s: float = 0.0,
    hang_up_ms: int | None = None,
    dtmf: str = "",
    quiet_after_greeting_s: float = 0.0,
) -> CallRecording:
    """Place one call to the Media Streams endpoint at ``url`` (``ws://`` or ``wss://``).

    ``parameters`` become ``start.customParameters`` (the ``<Stream>``'s ``<Parameter>``s).
    ``turns`` are what the caller says, one audio file each (WAV or anything FFmpeg reads, any
    rate; converted to 8 kHz μ-law), or a ``NextTurn`` that gives them one at a time, when the
    caller is about to speak, so that a turn can depend on the reply before it. The agent's
    greeting is awaited first, then each turn is spoken and its reply awaited. A reply is
    finished when its audio has played, its marks are echoed, and nothing new has come for
    ``quiet_s`` seconds. With ``barge_in_ms``, every reply that a turn follows (the greeting
    included) is interrupted: the turn starts ``barge_in_ms`` after the reply's audio started
    playing (or when the reply finishes, if sooner). After the last reply (or when the
    ``NextTurn`` gives None) the caller hangs up (``stop``). ``record_to`` gets the agent's
    audio as heard (cleared parts cut, the gaps between replies left out): WAV, PCM16, 8 kHz
    mono.

    When the agent closes the WebSocket, the call stops there as Twilio's would (Twilio goes
    on to the TwiML after ``<Connect>``): the recording says ``ended_by="agent"`` with the close
    code, and ``turns`` holds only the turns that were answered.

    Waits are bounded: the handshake and each reply's first audio by ``answer_timeout_s``, each
    reply by ``reply_timeout_s``; raises ``StreamCallError`` naming what did not happen.
    Raises ``switchboard.audio.AudioDecodeError`` for a turn that is not audio (before dialling,
    or, for a turn given by a ``NextTurn``, when it is given).
    """
    speech: list[bytes] | NextTurn = (
        turns if callable(turns) else [_phone_audio(turn) for turn in turns]
    )
    call_sid = call_sid or _sid("CA")
    # Twilio signs the wss:// URL of the handshake, no parameters (see signature_ok).
    signature = RequestValidator(auth_token).compute_signature(url, {})
    began = time.monotonic()
    try:
        connection = await connect(
            url,
            additional_headers={SIGNATURE_HEADER: signature},
            open_timeout=answer_timeout_s,
            proxy=None,  # dial the endpoint itself, whatever HTTPS_PROXY says
            compression=None,  # base64 frames of 20 ms; deflate costs CPU for little
        )
    except InvalidStatus as exc:
        raise StreamCallError(
            f"the agent refused the stream at {url}: HTTP {exc.response.status_code}"
        ) from exc
    except (OSError, InvalidHandshake, TimeoutError) as exc:
        raise StreamCallError(f"could not open the stream at {url}: {exc!r}") from exc
    line = _Line(
        connection,
        call_sid=call_sid,
        answer_timeout_s=answer_timeout_s,
        quiet_s=quiet_s,
        reply_timeout_s=reply_timeout_s,
    )
    try:
        await line.play(
            parameters,
            speech,
            barge_in_ms,
            linger_s=linger_s,
            hang_up_ms=hang_up_ms,
            dtmf=dtmf,
            quiet_after_greeting_s=quiet_after_greeting_s,
        )
    except ConnectionClosed:
        line.agent_closed()
    finally:
        await line.close()
    recording = line.result(began)
    if record_to is not None:
        _write_wav(record_to, line.heard())
    return recording


@dataclass
class _ReplyState:
    since: float  # monotonic s: `start` sent (greeting) or the caller's last speech frame sent
    first_audio_at: float | None = None  # the first agent media arrived
    first_play_at: float | None = None  # ... and began to play
    audio_bytes: int = 0
    cleared: bool = False
    marks_echoed: list[str] = field(default_factory=list)


@dataclass
class _Segment:
    """Agent audio in the playback buffer: plays from ``starts_at`` at 8000 bytes/s."""

    starts_at: float
    audio: bytes
    reply: int

    @property
    def ends_at(self) -> float:
        return self.starts_at + len(self.audio) / BYTES_PER_SECOND


@dataclass
class _PendingMark:
    due: float  # when the audio before it will have played
    name: str
    reply: int


class _Line:
    """One call: the line that streams the caller's audio, and Twilio's playback buffer.

    Three tasks share this state on one event loop: ``_stream`` (a frame every 20 ms),
    ``_receive`` (the agent's messages) and ``_echo_marks``. ``_changed`` is set whenever
    something a waiter looks at changed; a waiter clears it before sleeping on it, with no await
    between its check and its sleep, so no change is missed.
    """

    def __init__(
        self,
        connection: ClientConnection,
        *,
        call_sid: str,
        answer_timeout_s: float,
        quiet_s: float,
        reply_timeout_s: float,
    ) -> None:
        self._ws = connection
        self.call_sid = call_sid
        self.stream_sid = _sid("MZ")
        self.account_sid = _sid("AC")
        self._answer_timeout_s = answer_timeout_s
        self._quiet_s = quiet_s
        self._reply_timeout_s = reply_timeout_s
        self._sequence = 0
        self._send_lock = asyncio.Lock()  # one message at a time, numbered in wire order
        self._changed = asyncio.Event()
        self._marks_due = asyncio.Event()
        self._failure: StreamCallError | None = None
        self._hung_up = False
        self._replies: list[_ReplyState] = []
        self._segments: list[_Segment] = []
        self._play_end = 0.0  # monotonic s when the buffered agent audio will have played
        self._pending: deque[_PendingMark] = deque()
        self._last_event_at = 0.0  # last agent message or mark echo
        self._speech: deque[bytes] = deque()
        self._tasks: list[asyncio.Task[None]] = []
        self._ended_at: float | None = None
        self._agent_closed = False

    # -- the call, from the caller's side ------------------------------------------------------

    async def play(
        self,
        parameters: dict[str, str],
        speech: list[bytes] | NextTurn,
        barge_in_ms: int | None,
        *,
        linger_s: float = 0.0,
        hang_up_ms: int | None = None,
        dtmf: str = "",
        quiet_after_greeting_s: float = 0.0,
    ) -> None:
        await self._ws.send(_dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
        start = {
            "streamSid": self.stream_sid,
            "accountSid": self.account_sid,
            "callSid": self.call_sid,
            "tracks": ["inbound"],
            "customParameters": parameters,
            "mediaFormat": {"encoding": ENCODING, "sampleRate": PHONE_RATE, "channels": 1},
        }
        await self._send("start", {"start": start})
        self._replies.append(_ReplyState(since=time.monotonic()))
        self._tasks = [
            asyncio.create_task(self._receive(), name="stream_caller.receive"),
            asyncio.create_task(self._echo_marks(), name="stream_caller.echo_marks"),
            asyncio.create_task(self._stream(), name="stream_caller.stream"),
        ]
        if dtmf:
            await self._await_reply(None)
            for digit in dtmf:
                if self._agent_closed:
                    return
                await self._send("dtmf", {"dtmf": {"track": "inbound_track", "digit": digit}})
        if quiet_after_greeting_s > 0:
            await self._await_reply(None)
            await self._linger(quiet_after_greeting_s)
        for number in itertools.count(1):
            if not callable(speech) and number > len(speech):
                break  # no turn left: the last reply is awaited with hang_up_ms below
            await self._await_reply(barge_in_ms)
            if self._agent_closed:
                return
            if callable(speech):
                given = await speech(number - 1)
                if given is None:
                    break
                turn = _phone_audio(given)
            else:
                turn = speech[number - 1]
            await self._speak(turn, number)
        await self._await_reply(hang_up_ms)
        if linger_s > 0 and not self._agent_closed:
            await self._linger(linger_s)
        if not self._agent_closed:
            await self._hang_up()

    def agent_closed(self) -> None:
        """The agent closed the WebSocket: the line goes quiet, nothing more is awaited."""
        if not self._hung_up:
            self._agent_closed = True
            self._hung_up = True
            self._ended_at = time.monotonic()
        self._changed.set()

    async def _await_reply(self, barge_in_ms: int | None) -> None:
        """Until the current reply has finished (or, with ``barge_in_ms``, has played that long)."""
        index = len(self._replies) - 1
        reply = self._replies[index]
        what = "the greeting" if index == 0 else f"the reply to turn {index}"
        first_deadline = reply.since + self._answer_timeout_s
        last_deadline = reply.since + self._reply_timeout_s
        while True:
            self._raise_failure()
            if self._agent_closed:
                return
            now = time.monotonic()
            if reply.first_audio_at is None or reply.first_play_at is None:
                if now >= first_deadline:
                    raise StreamCallError(
                        f"no agent audio for {what} within {self._answer_timeout_s} s"
                    )
                await self._wait_for_change(until=first_deadline)
                continue
            wake = [last_deadline]
            if barge_in_ms is not None:
                barge_at = reply.first_play_at + barge_in_ms / 1000
                if now >= barge_at:
                    return
                wake.append(barge_at)
            quiet_until = max(self._play_end, self._last_event_at) + self._quiet_s
            if not self._pending and now >= quiet_until:
                return
            if now >= last_deadline:
                raise StreamCallError(f"{what} did not finish within {self._reply_timeout_s} s")
            wake.append(quiet_until)
            await self._wait_for_change(until=min(wake))

    async def _speak(self, mulaw: bytes, number: int) -> None:
        """Hand a turn to the line and wait until its last frame is sent."""
        speech = list(frames(mulaw))
        replies = len(self._replies)
        self._speech.extend(speech)
        deadline = time.monotonic() + len(speech) * FRAME_MS / 1000 + self._answer_timeout_s
        while len(self._replies) == replies:  # _stream adds the reply at the last frame
            self._raise_failure()
            if self._agent_closed:
                return
            if time.monotonic() >= deadline:
                raise StreamCallError(f"turn {number} could not be sent in time")
            await self._wait_for_change(until=deadline)

    async def _linger(self, seconds: float) -> None:
        """Stay on the line, silent, for ``seconds`` or until the agent closes the stream."""
        until = time.monotonic() + seconds
        while not self._agent_closed and time.monotonic() < until:
            self._raise_failure()
            await self._wait_for_change(until=until)

    async def _hang_up(self) -> None:
        self._hung_up = True
        self._ended_at = time.monotonic()
        await self._stop_streaming()
        self._raise_failure()
        stop = {"accountSid": self.account_sid, "callSid": self.call_sid}
        await self._send("stop", {"stop": stop})

    async def close(self) -> None:
        """Stop the tasks and close the socket (after ``stop``, or on a failure)."""
        self._hung_up = True
        await self._stop_streaming()
        await self._ws.close()  # bounded by the connection's close_timeout
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _stop_streaming(self) -> None:
        # The line checks _hung_up every frame; letting it finish its frame (rather than
        # cancelling it mid-send) keeps the last message whole on the wire.
        streaming = [task for task in self._tasks if task.get_name() == "stream_caller.stream"]
        if not streaming:
            return
        try:
            async with asyncio.timeout(1):
                await asyncio.gather(*streaming, return_exceptions=True)
        except TimeoutError:  # stuck in a send the agent does not read: stop it anyway
            streaming[0].cancel()
            await asyncio.gather(*streaming, return_exceptions=True)

    # -- the line: 20 ms frames, in real time -------------------------------------------------

    async def _stream(self) -> None:
        """A frame every 20 ms until hang-up: speech when the caller talks, silence otherwise
        (Twilio streams continuously). The schedule is absolute, so pacing does not drift; a
        late frame goes at once."""
        chunk = 0
        next_at = time.monotonic()
        try:
            while not self._hung_up:
                speaking = bool(self._speech)
                frame = self._speech.popleft() if speaking else SILENT_FRAME
                chunk += 1
                media = {
                    "track": "inbound",
                    "chunk": str(chunk),
                    "timestamp": str((chunk - 1) * FRAME_MS),  # ms of media since the start
                    "payload": base64.b64encode(frame).decode("ascii"),
                }
                await self._send("media", {"media": media})
                if speaking and not self._speech:
                    # The caller's last speech frame is out: the agent's reply begins.
                    self._replies.append(_ReplyState(since=time.monotonic()))
                    self._changed.set()
                next_at += FRAME_MS / 1000
                delay = next_at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)  # the line's clock, not a synchronisation
        except ConnectionClosed:
            self.agent_closed()

    # -- Twilio's playback buffer -------------------------------------------------------------

    async def _receive(self) -> None:
        try:
            async for raw in self._ws:
                if not isinstance(raw, str):
                    raise StreamCallError("the agent sent a binary frame; Twilio takes JSON text")
                message = parse_outbound(raw)
                if message.stream_sid != self.stream_sid:
                    raise StreamCallError(
                        f"the agent sent {message.event} for stream {message.stream_sid!r}, "
                        f"not this call's {self.stream_sid!r}"
                    )
                now = time.monotonic()
                if isinstance(message, OutboundMedia):
                    self._buffer(message.payload, now)
                elif isinstance(message, OutboundMark):
                    self._pending.append(
                        _PendingMark(max(now, self._play_end), message.name, self._current())
                    )
                    self._marks_due.set()
                elif isinstance(message, Clear):
                    self._clear(now)
                self._last_event_at = now
                self._changed.set()
        except MediaStreamProtocolError as exc:
            self._fail(StreamCallError(f"Twilio would reject this (error 31924): {exc}"))
        except StreamCallError as exc:
            self._fail(exc)
        except ConnectionClosed:
            self.agent_closed()
        else:
            self.agent_closed()

    def _buffer(self, mulaw: bytes, now: float) -> None:
        if not mulaw:
            return
        index = self._current()
        starts_at = max(now, self._play_end)
        self._segments.append(_Segment(starts_at, mulaw, index))
        self._play_end = starts_at + len(mulaw) / BYTES_PER_SECOND
        reply = self._replies[index]
        reply.audio_bytes += len(mulaw)
        if reply.first_audio_at is None:
            reply.first_audio_at = now
            reply.first_play_at = starts_at

    def _clear(self, now: float) -> None:
        """Drop what has not played; the pending marks are echoed at once."""
        cut = False
        for segment in reversed(self._segments):
            if segment.ends_at <= now:
                break
            keep = max(0, int((now - segment.starts_at) * BYTES_PER_SECOND))
            segment.audio = segment.audio[:keep]
            segment.starts_at = min(segment.starts_at, now)  # what is left ended by now
            self._replies[segment.reply].cleared = True
            cut = True
        if not cut:
            self._replies[self._current()].cleared = True
        self._play_end = min(self._play_end, now)
        for mark in self._pending:
            mark.due = now
        self._marks_due.set()

    async def _echo_marks(self) -> None:
        """Echo each mark when its audio has played (Twilio's ``mark`` back, same name)."""
        try:
            while True:
                self._marks_due.clear()
                now = time.monotonic()
                while self._pending and self._pending[0].due <= now:
                    mark = self._pending.popleft()
                    await self._send("mark", {"mark": {"name": mark.name}})
                    self._replies[mark.reply].marks_echoed.append(mark.name)
                    self._last_event_at = time.monotonic()
                    self._changed.set()
                timeout = self._pending[0].due - now if self._pending else None
                try:
                    # Unbounded only while no mark is pending; close() cancels this task.
                    async with asyncio.timeout(timeout):
                        await self._marks_due.wait()
                except TimeoutError:
                    pass
        except ConnectionClosed:
            self.agent_closed()

    # -- helpers ------------------------------------------------------------------------------

    def _current(self) -> int:
        """The reply agent messages belong to: the latest, which begins at end of speech."""
        return len(self._replies) - 1

    async def _send(self, event: str, body: dict[str, Any]) -> None:
        async with self._send_lock:
            self._sequence += 1
            message = {
                "event": event,
                "sequenceNumber": str(self._sequence),  # a string, as in Twilio's examples
                **body,
                "streamSid": self.stream_sid,
            }
            await self._ws.send(_dumps(message))

    async def _wait_for_change(self, *, until: float) -> None:
        self._changed.clear()
        try:
            async with asyncio.timeout(max(0.0, until - time.monotonic())):
                await self._changed.wait()
        except TimeoutError:
            pass

    def _fail(self, failure: StreamCallError) -> None:
        if self._failure is None:
            self._failure = failure
        self._changed.set()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    # -- the result ---------------------------------------------------------------------------

    def heard(self) -> bytes:
        """The agent audio that played before the hang-up, μ-law 8 kHz."""
        end = self._ended_at if self._ended_at is not None else time.monotonic()
        played = (
            segment.audio[: max(0, int((end - segment.starts_at) * BYTES_PER_SECOND))]
            for segment in self._segments
        )
        return b"".join(played)

    def result(self, began: float) -> CallRecording:
        if not self._replies:  # the agent closed before `start` could be sent
            self._replies.append(_ReplyState(since=time.monotonic()))
        greeting, *answers = self._replies
        if greeting.first_audio_at is None and not self._agent_closed:
            raise StreamCallError("no greeting")  # unreachable: play() waited for it
        turns: list[TurnResult] = []
        for reply in answers:
            if reply.first_audio_at is None:
                if self._agent_closed:
                    break  # the agent closed before answering this turn
                raise StreamCallError("a reply without audio")  # unreachable, as above
            turns.append(
                TurnResult(
                    cleared=reply.cleared,
                    marks_echoed=tuple(reply.marks_echoed),
                    agent_audio_bytes=reply.audio_bytes,
                    end_of_speech_to_first_audio_ms=(reply.first_audio_at - reply.since) * 1000,
                )
            )
        end = self._ended_at if self._ended_at is not None else time.monotonic()
        return CallRecording(
            call_sid=self.call_sid,
            stream_sid=self.stream_sid,
            greeting_first_frame_ms=(
                None
                if greeting.first_audio_at is None
                else (greeting.first_audio_at - greeting.since) * 1000
            ),
            greeting=Reply(
                cleared=greeting.cleared,
                marks_echoed=tuple(greeting.marks_echoed),
                agent_audio_bytes=greeting.audio_bytes,
            ),
            turns=tuple(turns),
            agent_audio_bytes=sum(reply.audio_bytes for reply in self._replies),
            heard_audio_bytes=len(self.heard()),
            duration_ms=(end - began) * 1000,
            ended_by="agent" if self._agent_closed else "caller",
            close_code=self._ws.close_code if self._agent_closed else None,
        )


def _phone_audio(data: bytes) -> bytes:
    """Any audio file → raw μ-law 8 kHz mono (what a phone line carries)."""
    samples = audio.decode_pcm(data, sample_rate=PHONE_RATE)  # float32, s16 / 32768
    pcm16 = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    return pcm16_to_mulaw(pcm16.tobytes())


def _write_wav(path: Path, mulaw: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(PHONE_RATE)
        out.writeframes(mulaw_to_pcm16(mulaw))


def _sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))
