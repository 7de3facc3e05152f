"""Speech-to-text with AssemblyAI's pre-recorded API, through the ``assemblyai`` SDK (1.8).

Wire format (AssemblyAI API reference, "Upload a media file" and "Transcript"):

1. ``POST {base_url}/v2/upload`` with the raw audio bytes as the body -> ``{"upload_url": ...}``.
2. ``POST {base_url}/v2/transcript`` with ``{"audio_url": upload_url}`` -> ``{"id", "status"}``.
3. ``GET {base_url}/v2/transcript/{id}`` until ``status`` is ``completed`` or ``error``.

A ``vocabulary`` goes in the transcript request as ``word_boost`` (AssemblyAI docs, "Custom
Vocabulary"), for the default speech model; the SDK's ``keyterms_prompt`` is documented for the
Slam-1 model, which this adapter does not select.

Every request carries the API key as the bare ``Authorization`` header value (no ``Bearer``).

The SDK's asyncio surface (``AsyncTranscriber`` on an ``AsyncClient``) does all three steps
without a thread. Each client holds a *copy* of the ``Settings`` it is given, so instances never
touch the module-level ``aai.settings`` and two adapters with different keys or base URLs coexist.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

import assemblyai as aai
import httpx
from pydantic import SecretStr

from switchboard.providers.base import (
    Media,
    ProviderAuthError,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    Transcript,
    retry_after_from_headers,
)

# AssemblyAI documents two kinds of failed job ("Troubleshoot Common Errors"): the audio is bad
# (no audio stream, unsupported format, unreachable URL), which fails again on resubmission, and
# a server-side failure, for which the docs say to resubmit the file. A failed job has no error
# code, only a message, so the server-side kind is recognised by the wording AssemblyAI uses.
_SERVER_SIDE_JOB_ERRORS = ("server error", "internal error")
# "Custom Vocabulary": up to 1000 terms of up to 6 words, without punctuation but apostrophes.
_WORD_BOOST_TERMS = 1000
_WORD_BOOST_WORDS = 6


class AssemblyAISTT:
    """``SpeechToText`` backed by AssemblyAI.

    ``timeout_s`` bounds one whole ``transcribe`` call (upload, submit and polling) and each
    HTTP request in it; ``poll_interval_s`` is the pause between status polls (the SDK's default
    of 3 s is too slow for a conversational turn).
    """

    # ``AnyContainerSpeechToText``: a voice note goes up as WhatsApp sent it (Ogg/Opus).
    reads_any_container = True

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        timeout_s: float = 60.0,
        poll_interval_s: float = 1.0,
    ) -> None:
        if timeout_s <= 0 or poll_interval_s <= 0:
            raise ValueError("timeout_s and poll_interval_s must be positive")
        self._api_key = SecretStr(api_key)
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._poll_interval_s = poll_interval_s

    def _client(self) -> aai.AsyncClient:
        # One client per call: its connection pool is bound to the running event loop and its
        # ``last_response`` (read for ``Retry-After``) then belongs to this call alone. A call
        # is seconds of upload and polling, so the extra handshake does not matter.
        # The SDK has no retry loop of its own, so Temporal's retry policy stays the only one.
        settings = aai.Settings(
            api_key=self._api_key.get_secret_value(),
            base_url=self._base_url,
            http_timeout=self._timeout_s,
            polling_interval=self._poll_interval_s,
        )
        return aai.AsyncClient(settings=settings)

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        """Upload ``audio.data`` and wait for its transcript; ``vocabulary`` is boosted.

        AssemblyAI detects the container and codec itself, so ``audio.content_type`` is not sent.
        Returns the text, the overall ``confidence`` in [0, 1] and ``duration_ms`` (AssemblyAI
        reports ``audio_duration`` in whole seconds, so it is a multiple of 1000).

        Raises ``ProviderAuthError`` (401/403); ``ProviderUnavailable`` (429, 5xx, timeouts,
        connection errors, an unreadable answer, a job that failed server-side; ``retry_after_s``
        from ``Retry-After``); ``ProviderRejected`` (other 4xx, with the status as ``code``; a job
        that failed on the audio itself, ``code="transcript_error"``).
        """
        client = self._client()
        try:
            async with asyncio.timeout(self._timeout_s):
                transcriber = aai.AsyncTranscriber(client=client)
                boost = _word_boost(vocabulary)
                config = aai.TranscriptionConfig(word_boost=boost) if boost else None
                result = await transcriber.transcribe(audio.data, config=config)
        except TimeoutError as exc:
            raise ProviderUnavailable(
                f"AssemblyAI transcription took longer than {self._timeout_s} s", code="timeout"
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProviderUnavailable("AssemblyAI request timed out", code="timeout") from exc
        except httpx.RequestError as exc:
            raise ProviderUnavailable(
                f"AssemblyAI unreachable: {type(exc).__name__}", code="connection"
            ) from exc
        except aai.AssemblyAIError as exc:
            raise _from_http_error(exc, client.last_response) from exc
        except (ValueError, KeyError) as exc:
            # A 200 whose body is not the documented JSON (e.g. a proxy's HTML page): the SDK
            # lets the JSON or pydantic error escape. Most likely transient, so retryable.
            raise ProviderUnavailable(
                f"AssemblyAI sent an unreadable response: {type(exc).__name__}", code="bad_response"
            ) from exc
        finally:
            await client.aclose()

        if result.status == aai.TranscriptStatus.error:
            raise _from_failed_job(result.error or "")
        return Transcript(
            text=result.text or "",
            confidence=result.confidence,
            duration_ms=None if result.audio_duration is None else result.audio_duration * 1000,
        )


def _word_boost(vocabulary: Sequence[str]) -> list[str]:
    """``vocabulary`` as AssemblyAI asks for it: no punctuation but apostrophes ("check-up" →
    "check up"), no repeats, within its limits."""
    terms: dict[str, None] = {}
    for term in vocabulary:
        words = re.sub(r"[^\w' ]+", " ", term).split()
        if words and len(words) <= _WORD_BOOST_WORDS:
            terms[" ".join(words)] = None
    return list(terms)[:_WORD_BOOST_TERMS]


def _from_http_error(exc: aai.AssemblyAIError, response: httpx.Response | None) -> ProviderError:
    """Map an SDK error (raised for any non-200 answer) onto the adapter error family."""
    status = exc.status_code
    message = f"AssemblyAI: {exc}"
    if status in (401, 403):
        return ProviderAuthError(message, code=str(status))
    if status is None or status in (408, 429) or status >= 500:
        retry_after = None
        if response is not None and response.status_code == status:
            retry_after = retry_after_from_headers(response.headers)
        return ProviderUnavailable(
            message, code=None if status is None else str(status), retry_after_s=retry_after
        )
    # e.g. 400 "Your current account balance is negative", bad request parameters.
    return ProviderRejected(message, code=str(status))


def _from_failed_job(error: str) -> ProviderError:
    message = f"AssemblyAI transcript failed: {error}"
    if any(marker in error.lower() for marker in _SERVER_SIDE_JOB_ERRORS):
        return ProviderUnavailable(message, code="transcript_error")
    return ProviderRejected(message, code="transcript_error")
