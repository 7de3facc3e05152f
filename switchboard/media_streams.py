"""Twilio Media Streams: the WebSocket protocol of a bidirectional ``<Connect><Stream>`` call.

Pure domain code (no I/O): the messages Twilio sends, parsed into typed models; the messages
Switchboard sends back, built as JSON text; the G.711 μ-law codec; 20 ms framing; and the
``X-Twilio-Signature`` check of the WebSocket handshake.

Vendor facts, from Twilio's "Media Streams - WebSocket Messages"
(https://www.twilio.com/docs/voice/media-streams/websocket-messages):

- Every message is a JSON text frame with an ``event``. Twilio sends ``connected`` (first;
  ``protocol``, ``version``), then ``start`` once, then ``media`` continuously, ``dtmf`` (key
  presses; bidirectional Streams only), ``mark`` (bidirectional only) and finally ``stop``.
- ``sequenceNumber``, ``media.chunk`` and ``media.timestamp`` are numbers sent as JSON *strings*
  in the docs' examples (``"sequenceNumber": "1"``); ``mediaFormat.sampleRate`` and
  ``channels`` are JSON numbers. Both forms are accepted here and read as ``int``.
- ``media.timestamp`` is the "presentation timestamp in milliseconds from the start of the
  stream"; ``media.chunk`` starts at 1. Audio is ``audio/x-mulaw``, 8000 Hz, 1 channel, always.
- Outbound (``<Connect><Stream>`` only): ``media`` ``{event, streamSid, media: {payload}}``,
  ``mark`` ``{event, streamSid, mark: {name}}``, ``clear`` ``{event, streamSid}``. The payload
  is raw μ-law/8000, base64; "the audio can be of any size"; it "should not contain audio file
  type header bytes. Providing header bytes causes the media to be streamed incorrectly". Media
  "are buffered and played in the order received". Twilio sends a ``mark`` back with the same
  name "when the audio ends (or if there is no audio buffered)"; ``clear`` "empties all buffered
  audio and causes any mark messages to be sent back".
- A bidirectional Stream stops only when the call ends (the ``stop`` message).

Twilio error 31924 ("Stream - Websocket - Protocol Error",
https://www.twilio.com/docs/api/errors/31924): in a bidirectional Stream, anything but a
well-formed ``media``, ``mark`` or ``clear`` is a protocol error; ``parse_outbound`` lets the
fake Twilio (``devtools/stream_caller.py``) hold Switchboard to that.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
import warnings
from collections.abc import Iterator
from typing import Any, Literal, TypeVar

from pydantic import AliasPath, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from twilio.request_validator import RequestValidator

from switchboard.providers.streaming import FRAME_SAMPLES

with warnings.catch_warnings():
    # audioop is in the standard library up to Python 3.12 (deprecated since 3.11, PEP 594) and
    # removed in 3.13, where the `audioop-lts` package provides the same module. Switchboard runs
    # on 3.11/3.12 (pyproject.toml); its G.711 is the reference implementation (Sun's g711.c).
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

MULAW_SILENCE = 0xFF  # μ-law of sample 0 (G.711: the byte is stored inverted, +0 → 0xFF)
ENCODING = "audio/x-mulaw"
SIGNATURE_HEADER = "X-Twilio-Signature"

_M = TypeVar("_M", bound=BaseModel)


class MediaStreamProtocolError(ValueError):
    """A message that is not what the Media Streams protocol allows: not JSON, not an object, an
    unknown ``event``, a missing or mistyped field, a payload that is not base64. The text names
    the problem and the field as it is spelt on the wire (``start.callSid``)."""


# -- Messages from Twilio ---------------------------------------------------------------------


class _Message(BaseModel):
    # Python names in code, Twilio's camelCase on the wire (validation aliases); unknown fields
    # are ignored, so a field Twilio adds later breaks nothing.
    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")


class MediaFormat(_Message):
    """``start.mediaFormat``: always ``audio/x-mulaw``, 8000 Hz, 1 channel (per the docs)."""

    encoding: str
    sample_rate: int = Field(validation_alias="sampleRate")  # Hz
    channels: int


class Connected(_Message):
    """The first message: ``{"event": "connected", "protocol": "Call", "version": "1.0.0"}``."""

    event: Literal["connected"]
    protocol: str
    version: str


class Start(_Message):
    """Sent once, right after ``connected``: who is calling and the ``<Parameter>`` values."""

    event: Literal["start"]
    sequence_number: int = Field(validation_alias="sequenceNumber")
    stream_sid: str = Field(validation_alias="streamSid")  # "MZ…"
    account_sid: str = Field(validation_alias=AliasPath("start", "accountSid"))  # "AC…"
    call_sid: str = Field(validation_alias=AliasPath("start", "callSid"))  # "CA…"
    tracks: list[str] = Field(validation_alias=AliasPath("start", "tracks"))  # ["inbound"]
    # The <Stream>'s <Parameter name value> pairs; Twilio allows no query string in the Stream
    # URL (error 31920), so this is how the call's context reaches the WebSocket.
    custom_parameters: dict[str, str] = Field(
        default_factory=dict, validation_alias=AliasPath("start", "customParameters")
    )
    media_format: MediaFormat = Field(validation_alias=AliasPath("start", "mediaFormat"))


def _decode_payload(value: object) -> bytes:
    if isinstance(value, bytes):  # built in code (JSON has no bytes): already decoded
        return value
    if not isinstance(value, str):
        raise ValueError("must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"not valid base64: {exc}") from exc


class Media(_Message):
    """20 ms of the caller's audio (160 μ-law bytes at 8 kHz, ``FRAME_SAMPLES``)."""

    event: Literal["media"]
    sequence_number: int = Field(validation_alias="sequenceNumber")
    stream_sid: str = Field(validation_alias="streamSid")
    track: str = Field(validation_alias=AliasPath("media", "track"))  # "inbound" | "outbound"
    chunk: int = Field(validation_alias=AliasPath("media", "chunk"))  # 1, 2, …
    timestamp_ms: int = Field(validation_alias=AliasPath("media", "timestamp"))  # from start
    payload: bytes = Field(validation_alias=AliasPath("media", "payload"))  # raw μ-law 8 kHz

    @field_validator("payload", mode="before")
    @classmethod
    def _base64(cls, value: object) -> bytes:
        return _decode_payload(value)


class Dtmf(_Message):
    """A key the caller pressed (bidirectional Streams only)."""

    event: Literal["dtmf"]
    sequence_number: int = Field(validation_alias="sequenceNumber")
    stream_sid: str = Field(validation_alias="streamSid")
    track: str = Field(validation_alias=AliasPath("dtmf", "track"))  # always "inbound_track"
    digit: str = Field(validation_alias=AliasPath("dtmf", "digit"))


class Mark(_Message):
    """A mark Switchboard sent, echoed back: the audio before it has played, or was cleared."""

    event: Literal["mark"]
    sequence_number: int = Field(validation_alias="sequenceNumber")
    stream_sid: str = Field(validation_alias="streamSid")
    name: str = Field(validation_alias=AliasPath("mark", "name"))


class Stop(_Message):
    """The last message: the call ended."""

    event: Literal["stop"]
    sequence_number: int = Field(validation_alias="sequenceNumber")
    stream_sid: str = Field(validation_alias="streamSid")
    account_sid: str = Field(validation_alias=AliasPath("stop", "accountSid"))
    call_sid: str = Field(validation_alias=AliasPath("stop", "callSid"))


InboundMessage = Connected | Start | Media | Dtmf | Mark | Stop

_INBOUND: dict[str, type[InboundMessage]] = {
    "connected": Connected,
    "start": Start,
    "media": Media,
    "dtmf": Dtmf,
    "mark": Mark,
    "stop": Stop,
}


def parse_message(text: str) -> InboundMessage:
    """Parse one WebSocket text message from Twilio.

    Raises ``MediaStreamProtocolError`` naming the problem: malformed JSON, not an object, a
    missing or unknown ``event``, or a missing/mistyped field (by its wire path).
    """
    return _parse(text, _INBOUND, "Twilio")


# -- Messages to Twilio -----------------------------------------------------------------------


class OutboundMedia(_Message):
    """Audio for Twilio to play: raw μ-law 8 kHz, any length."""

    event: Literal["media"]
    stream_sid: str = Field(validation_alias="streamSid")
    payload: bytes = Field(validation_alias=AliasPath("media", "payload"))

    @field_validator("payload", mode="before")
    @classmethod
    def _base64_without_header(cls, value: object) -> bytes:
        payload = _decode_payload(value)
        if _is_wav(payload):
            raise ValueError("is a WAV file: Twilio wants raw μ-law without header bytes")
        return payload


class OutboundMark(_Message):
    """Ask Twilio to say when the audio sent before this has played."""

    event: Literal["mark"]
    stream_sid: str = Field(validation_alias="streamSid")
    name: str = Field(validation_alias=AliasPath("mark", "name"), min_length=1)


class Clear(_Message):
    """Drop the audio Twilio has buffered and not played yet."""

    event: Literal["clear"]
    stream_sid: str = Field(validation_alias="streamSid")


OutboundMessage = OutboundMedia | OutboundMark | Clear

_OUTBOUND: dict[str, type[OutboundMessage]] = {
    "media": OutboundMedia,
    "mark": OutboundMark,
    "clear": Clear,
}


def parse_outbound(text: str) -> OutboundMessage:
    """Parse one message sent *to* Twilio, as Twilio would accept it (the fake Twilio's side).

    Raises ``MediaStreamProtocolError`` for anything Twilio answers with error 31924.
    """
    return _parse(text, _OUTBOUND, "Switchboard")


def media_message(stream_sid: str, mulaw: bytes) -> str:
    """A ``media`` message playing ``mulaw`` (raw μ-law bytes, 8 kHz mono, any length).

    Raises ``ValueError`` when ``mulaw`` is a WAV file: Twilio would play its header as noise.
    """
    if _is_wav(mulaw):
        raise ValueError("media payload is a WAV file: send raw μ-law without header bytes")
    payload = base64.b64encode(mulaw).decode("ascii")
    return _dumps({"event": "media", "streamSid": stream_sid, "media": {"payload": payload}})


def mark_message(stream_sid: str, name: str) -> str:
    """A ``mark`` message; Twilio echoes ``name`` back once the audio sent before it has played
    (at once if nothing is buffered; also at once when a ``clear`` drops that audio).

    Raises ``ValueError`` on an empty name.
    """
    if not name:
        raise ValueError("a mark needs a non-empty name")
    return _dumps({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_message(stream_sid: str) -> str:
    """A ``clear`` message: Twilio drops the audio not played yet and echoes pending marks."""
    return _dumps({"event": "clear", "streamSid": stream_sid})


# -- Audio ------------------------------------------------------------------------------------


def mulaw_to_pcm16(mulaw: bytes) -> bytes:
    """G.711 μ-law bytes → PCM16 little-endian signed, same sample rate (1 byte → 2 bytes)."""
    pcm = audioop.ulaw2lin(mulaw, 2)
    # audioop speaks the machine's byte order; PCM16 in Switchboard is little-endian.
    return audioop.byteswap(pcm, 2) if sys.byteorder == "big" else pcm


def pcm16_to_mulaw(pcm16: bytes) -> bytes:
    """PCM16 little-endian signed → G.711 μ-law bytes, same sample rate (2 bytes → 1 byte).

    μ-law keeps 14 bits of magnitude logarithmically: the error grows with the level, about 3 %
    of the sample's magnitude at most (G.711). Raises ``ValueError`` on an odd byte count.
    """
    if len(pcm16) % 2:
        raise ValueError(f"PCM16 is 2 bytes a sample; got {len(pcm16)} bytes")
    if sys.byteorder == "big":
        pcm16 = audioop.byteswap(pcm16, 2)
    return audioop.lin2ulaw(pcm16, 2)


def frames(mulaw: bytes, size: int = FRAME_SAMPLES) -> Iterator[bytes]:
    """Split μ-law audio into frames of ``size`` bytes (160: 20 ms at 8 kHz, what Twilio sends a
    ``media`` message); the last frame is padded with μ-law silence. Empty input gives none.

    Raises ``ValueError`` when ``size`` is not positive.
    """
    if size <= 0:
        raise ValueError(f"frame size must be positive, got {size}")
    for at in range(0, len(mulaw), size):
        frame = mulaw[at : at + size]
        yield frame + bytes([MULAW_SILENCE]) * (size - len(frame))


# -- Handshake --------------------------------------------------------------------------------


def signature_ok(url: str, signature: str | None, auth_token: str) -> bool:
    """Whether ``signature`` (the handshake's ``X-Twilio-Signature``) is Twilio's for ``url``.

    ``url`` is the Stream URL exactly as given in the TwiML, ``wss://host/path`` (behind a proxy:
    the public one, with the ``wss`` scheme, not the ``http`` the app sees). A WebSocket
    handshake is a GET with no body, so Twilio signs the URL alone: HMAC-SHA1 with the Auth
    Token, base64 (twilio-python's ``RequestValidator`` with no parameters).

    Sources: Twilio's "Media Streams Configuration" requires validating the header and refers
    to the webhook signature scheme (https://www.twilio.com/docs/usage/security):
    https://www.twilio.com/docs/global-infrastructure/firewall-configurations/media-streams-configuration
    The docs do not spell out the handshake case; Twilio's own twilio-agent-connect-python
    (``src/tac/server/signature_validation.py``: "Twilio signs the wss:// URL it connects to")
    and twilio-labs/twilio-aspnet issue #162 (the ``wss://`` URL, not ``https://``) do. The
    Stream URL takes no query string (error 31920), so there are no GET parameters either.

    Raises ``ValueError`` when ``auth_token`` is empty (a misconfiguration, not a forgery).
    """
    if not auth_token:
        raise ValueError("no Twilio auth token to check the signature with")
    if not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, {}, signature))


# -- Helpers ----------------------------------------------------------------------------------


def _is_wav(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def _parse(text: str | bytes, models: dict[str, type[_M]], sender: str) -> _M:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MediaStreamProtocolError(f"{sender} sent malformed JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MediaStreamProtocolError(
            f"{sender} sent a JSON {type(data).__name__}, not an object with an event"
        )
    event = data.get("event")
    if event is None:
        raise MediaStreamProtocolError(f"{sender} sent a message without an event")
    model = models.get(event) if isinstance(event, str) else None
    if model is None:
        expected = ", ".join(models)
        raise MediaStreamProtocolError(
            f"{sender} sent an unknown event {event!r} (expected one of: {expected})"
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {_reason(error)}"
            for error in exc.errors()
        )
        raise MediaStreamProtocolError(f"{sender}'s {event} message: {problems}") from exc


def _reason(error: ErrorDetails) -> str:
    # A validator's own ValueError reads better without pydantic's "Value error, " prefix.
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    return error["msg"].lower()
