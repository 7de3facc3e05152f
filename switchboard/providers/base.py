"""One small interface per capability: STT, agent, TTS, and Twilio (messages, calls, media).

Adapters raise only the errors below, so activities can map them onto Temporal's retry policy
without knowing which vendor is behind an interface:

- ``ProviderUnavailable``: 5xx, timeout, connection reset, 429. Retryable; ``retry_after_s`` carries
  a ``Retry-After`` header when the vendor sent one.
- ``ProviderAuthError``: 401/403. Not retryable: retrying cannot fix a wrong key.
- ``ProviderRejected``: 4xx validation errors (bad number, bad template). Not retryable.
  ``code`` carries the vendor's error code (for Twilio, e.g. ``63016``: outside the 24-hour
  customer service window).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, Protocol, runtime_checkable

from switchboard.agent_models import AgentContext, AgentDecision


class ProviderError(Exception):
    """Base class of every adapter error."""

    retryable: bool = False

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class ProviderUnavailable(ProviderError):
    """The vendor is down, slow or rate-limiting; try again later."""

    retryable = True

    def __init__(
        self, message: str, *, code: str | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after_s = retry_after_s


class ProviderAuthError(ProviderError):
    """The vendor refused our credentials."""


class ProviderRejected(ProviderError):
    """The vendor refused the request itself (validation); the same request will fail again."""


def retry_after_s(value: str | None) -> float | None:
    """A ``Retry-After`` header value in seconds, never negative: delta-seconds or an HTTP date
    (RFC 9110, section 10.2.3). None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_after_from_headers(headers: Mapping[str, str]) -> float | None:
    """``retry_after_s`` of a response's ``Retry-After`` header, looked up case-insensitively."""
    lowered = {name.lower(): value for name, value in headers.items()}
    return retry_after_s(lowered.get("retry-after"))


@dataclass(frozen=True)
class Media:
    """Bytes with their MIME type, e.g. ``audio/ogg``, ``audio/wav``, ``image/jpeg``."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class HeardWord:
    """One word of a transcript as the engine heard it: ``text`` as written in the transcript
    (punctuation attached, "Rex," "3pm?"), ``probability`` in [0, 1] how sure the engine is of
    it (Whisper: the mean probability of its tokens; AssemblyAI: the word's ``confidence``)."""

    text: str
    probability: float


@dataclass(frozen=True)
class Transcript:
    """An STT result.

    ``confidence`` is in [0, 1] (None when the engine gives none); ``duration_ms`` is the audio's
    length in milliseconds. ``alternatives`` are the engine's other readings of the same audio
    (its N-best list after the one in ``text``), most likely first, each with its own
    ``confidence``; empty when the engine gives none. ``words`` are ``text``'s words in order,
    each with how sure the engine is of it; empty when the engine gives none (or was not asked).
    """

    text: str
    confidence: float | None = None
    duration_ms: int | None = None
    alternatives: tuple[Transcript, ...] = ()
    words: tuple[HeardWord, ...] = ()


class SpeechToText(Protocol):
    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        """Transcribe ``audio`` (any container/codec FFmpeg reads). Raises ``ProviderError``;
        ``ProviderRejected(code="no_speech")`` when the engine finds no speech to transcribe.

        ``vocabulary``: words and phrases the speaker is likely to say (pets' names, services,
        days), most important first; an engine that can be biased towards them is."""
        ...


@runtime_checkable
class AnyContainerSpeechToText(Protocol):
    """A ``SpeechToText`` whose vendor reads the customer's audio as it came (a WhatsApp voice
    note's Ogg/Opus, any common container), so the worker sends that instead of decoding and
    resampling it to WAV first; it still decodes it once to refuse a damaged file. True of
    AssemblyAI: ".ogg, .oga, .mogg", ".opus" and most other formats, "We recommend that you
    submit your audio in its native format without additional transcoding" (AssemblyAI FAQ,
    https://www.assemblyai.com/docs/faq/what-audio-and-video-file-types-are-supported-by-your-api)."""

    reads_any_container: bool


class TextToSpeech(Protocol):
    async def synthesize(self, text: str) -> Media:
        """Speak ``text``; returns audio Twilio's ``<Play>`` accepts (WAV or MP3)."""
        ...


@runtime_checkable
class VoiceNoteSpeech(Protocol):
    """A ``TextToSpeech`` whose vendor can answer in a WhatsApp voice note's own format, so the
    worker encodes nothing (an engine without it is converted locally: ``audio.to_ogg_opus``)."""

    async def synthesize_voice_note(self, text: str) -> Media:
        """Speak ``text`` as Ogg/Opus (``audio/ogg``), mono. Raises ``ProviderError``."""
        ...


class Agent(Protocol):
    async def decide(self, context: AgentContext) -> AgentDecision:
        """Choose the next reply and intent for one turn. Raises ``ProviderError``."""
        ...


@dataclass(frozen=True)
class SentMessage:
    """A message Twilio accepted: its SID (``SM…``/``MM…``) and status (``queued``, ``sent``…)."""

    sid: str
    status: str


@dataclass(frozen=True)
class MessageRecord:
    """One row of Twilio's Messages list, as used for reconciliation after a crash."""

    sid: str
    to: str
    body: str
    date_created: datetime | None


class Telephony(Protocol):
    """Twilio's REST API as Switchboard uses it. Addresses are ``whatsapp:+E164`` or ``+E164``."""

    async def send_whatsapp(
        self,
        *,
        to: str,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
        status_callback: str | None = None,
        media_url: str | None = None,
    ) -> SentMessage:
        """Send a WhatsApp message: free text (``body``, optionally with a public ``media_url``)
        or an approved template (``content_sid`` + ``content_variables``).
        Raises ``ProviderError``."""
        ...

    async def list_messages(self, *, to: str, sent_after: datetime) -> list[MessageRecord]:
        """Messages to ``to`` created at or after ``sent_after`` (UTC). Raises ``ProviderError``."""
        ...

    async def list_calls(self, *, to: str, created_after: datetime) -> list[str]:
        """SIDs of calls to ``to`` created at or after ``created_after`` (UTC), newest first.
        Raises ``ProviderError``."""
        ...

    async def place_call(
        self,
        *,
        to: str,
        url: str,
        status_callback: str | None = None,
        amd_status_callback: str | None = None,
    ) -> str:
        """Start an outbound call whose TwiML is fetched from ``url``; returns the Call SID.

        With ``amd_status_callback`` the vendor also tells, in the background, who answered
        (a person, an answering machine once its greeting ended, a fax) by POSTing the result
        there, while the call goes on. Raises ``ProviderError``."""
        ...

    async def update_call(
        self,
        call_sid: str,
        *,
        twiml: str | None = None,
        status: Literal["completed", "canceled"] | None = None,
    ) -> str:
        """Change a live call: replace what it is doing with ``twiml`` (a ``<Response>``
        document), or end it (``status``). Returns the call's status afterwards. Raises
        ``ProviderError``; ``ProviderRejected`` when the call is no longer in progress."""
        ...

    async def fetch_media(self, url: str, *, max_bytes: int) -> Media:
        """Download a media URL with Basic auth, following redirects to the CDN.

        Raises ``ProviderRejected`` when the body exceeds ``max_bytes``."""
        ...
