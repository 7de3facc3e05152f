"""Text-to-speech with ElevenLabs, through the ``elevenlabs`` 2.x SDK.

Wire format (ElevenLabs API reference, "Create speech"): ``POST
{base_url}/v1/text-to-speech/{voice_id}?output_format=...`` with ``{"text", "model_id"}`` as JSON
and the key in the ``xi-api-key`` header; the answer is the audio, streamed. Errors carry
``{"detail": {"status": ..., "message": ...}}``.

``output_format`` picks the audio: ``mp3_*`` (``audio/mpeg``) and ``wav_*`` (``audio/wav``) play
through Twilio's ``<Play>``; ``ulaw_8000`` (``audio/basic``: headerless 8-bit μ-law, 8 kHz mono) is
the encoding of a Twilio Media Stream, so it can be sent to a call's stream without transcoding.
``opus_48000_{32,64,96,128,192}`` is Opus at 48 kHz and that many kbit/s (ElevenLabs API
reference, "Create speech", ``output_format``:
https://elevenlabs.io/docs/api-reference/text-to-speech/convert; the values of the SDK's
``TextToSpeechOutputFormatEnum``), in an Ogg container as WhatsApp wants a voice note: "Voice
messages require .ogg files encoded with the OPUS codec" (WhatsApp Cloud API, "Audio messages":
https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/audio-messages/).
A voice note is asked for in ``VOICE_NOTE_FORMAT`` (``synthesize_voice_note``), so the worker
does not decode and re-encode it (issue 14: the Opus encoding was ~15% of the worker's CPU per
turn); the activity still checks the bytes are Ogg/Opus and converts them when not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from elevenlabs.client import AsyncElevenLabs
from elevenlabs.core import ApiError, ParsingError, RequestOptions

from switchboard.providers.base import (
    Media,
    ProviderAuthError,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    retry_after_from_headers,
)

# The SDK retries 408/409/429/5xx twice by default (``core/http_client.py``); Temporal's retry
# policy owns retries. (The streaming ``convert`` call has no retry loop today; the option keeps
# that true if it gets one.)
_REQUEST_OPTIONS: RequestOptions = {"max_retries": 0}
# A voice note's format: the bit rate the local conversion uses too (``audio.OPUS_BIT_RATE``).
VOICE_NOTE_FORMAT = "opus_48000_32"


def content_type_for(output_format: str) -> str:
    """The MIME type of an ElevenLabs ``output_format`` (``codec_samplerate[_bitrate]``).

    Raises ``ValueError`` for formats Switchboard cannot play (pcm, alaw).
    """
    if output_format.startswith("mp3_"):
        return "audio/mpeg"
    if output_format.startswith("opus_"):
        return "audio/ogg"  # Ogg/Opus (module docstring)
    if output_format.startswith("wav_"):
        return "audio/wav"
    if output_format == "ulaw_8000":
        return "audio/basic"  # RFC 2046: 8-bit μ-law, 8 kHz, one channel
    raise ValueError(f"unsupported ElevenLabs output_format: {output_format!r}")


class ElevenLabsTTS:
    """``TextToSpeech`` backed by ElevenLabs.

    ``voice_id`` and ``model_id`` are ElevenLabs IDs (e.g. ``eleven_flash_v2_5``, the low-latency
    model); ``timeout_s`` bounds each HTTP operation (connect, each read), not the whole stream.
    Raises ``ValueError`` for an ``output_format`` without a known MIME type.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        voice_id: str,
        model_id: str,
        output_format: str = "mp3_44100_128",
        timeout_s: float = 30.0,
    ) -> None:
        self._content_type = content_type_for(output_format)
        self._voice_id = voice_id
        self._model_id = model_id
        self._output_format = output_format
        # Our own pool, so it can be closed: AsyncElevenLabs has no close method.
        self._http = httpx.AsyncClient(timeout=timeout_s, follow_redirects=True)
        self._client = AsyncElevenLabs(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout_s,
            httpx_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def synthesize(self, text: str) -> Media:
        """Speak ``text`` with the configured voice; returns the whole audio in memory.

        Raises ``ProviderAuthError`` (401/403), ``ProviderUnavailable`` (429, 5xx, timeouts,
        connection errors; ``retry_after_s`` from ``Retry-After``) or ``ProviderRejected``
        (other 4xx, empty ``text``, 401 ``quota_exceeded``; ``code`` is ElevenLabs'
        ``detail.status`` or ``detail.code`` when it sends one, else the HTTP status).
        """
        return await self._convert(text, self._output_format, self._content_type)

    async def synthesize_voice_note(self, text: str) -> Media:
        """Speak ``text`` as a WhatsApp voice note: Ogg/Opus, 48 kHz, 32 kbit/s
        (``VOICE_NOTE_FORMAT``, ``audio/ogg``), whatever ``output_format`` the calls use.
        Raises as ``synthesize``."""
        return await self._convert(text, VOICE_NOTE_FORMAT, content_type_for(VOICE_NOTE_FORMAT))

    async def _convert(self, text: str, output_format: str, content_type: str) -> Media:
        if not text.strip():
            raise ProviderRejected("nothing to synthesize: text is empty", code="empty_text")
        chunks: list[bytes] = []
        try:
            async for chunk in self._client.text_to_speech.convert(
                self._voice_id,
                text=text,
                model_id=self._model_id,
                output_format=output_format,
                request_options=_REQUEST_OPTIONS,
            ):
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise ProviderUnavailable("ElevenLabs request timed out", code="timeout") from exc
        except httpx.RequestError as exc:
            raise ProviderUnavailable(
                f"ElevenLabs unreachable: {type(exc).__name__}", code="connection"
            ) from exc
        except (ApiError, ParsingError) as exc:
            raise _from_api_error(exc.status_code, exc.headers or {}, exc.body) from exc
        return Media(data=b"".join(chunks), content_type=content_type)


def _from_api_error(status: int | None, headers: Mapping[str, str], body: Any) -> ProviderError:
    """Map an error response onto the adapter error family."""
    detail = body.get("detail") if isinstance(body, dict) else None
    vendor_code: str | None = None
    vendor_message = ""
    if isinstance(detail, dict):
        vendor_code = detail.get("code") or detail.get("status")
        vendor_message = str(detail.get("message", ""))
    code = vendor_code or (None if status is None else str(status))
    message = f"ElevenLabs {status}: {vendor_message or code}"
    if status is None:
        return ProviderUnavailable(message, code=code)
    if vendor_code == "quota_exceeded":
        # ElevenLabs answers an exhausted character quota with 401; the key is fine, and neither
        # a retry nor a new key fixes it, so it is a rejection rather than an auth error.
        return ProviderRejected(message, code=code)
    if status in (401, 403):
        return ProviderAuthError(message, code=code)
    if status in (408, 409, 429) or status >= 500:
        return ProviderUnavailable(
            message, code=code, retry_after_s=retry_after_from_headers(headers)
        )
    return ProviderRejected(message, code=code)
