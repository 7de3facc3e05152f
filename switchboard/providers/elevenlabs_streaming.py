"""Streaming text-to-speech for live calls with ElevenLabs, through the ``elevenlabs`` 2.x SDK
(``AsyncElevenLabs().text_to_speech.stream``).

Wire format (ElevenLabs API reference, "Stream speech",
https://elevenlabs.io/docs/api-reference/text-to-speech/stream): ``POST
{base_url}/v1/text-to-speech/{voice_id}/stream?output_format=ulaw_8000`` with ``{"text",
"model_id", "previous_text", "next_text"}`` as JSON and the key in the ``xi-api-key`` header; the
audio comes back as it is generated. Errors come before any audio, as a status with
``{"detail": {"status", "message"}}``, mapped as the batch adapter maps them
(``elevenlabs_tts._from_api_error``); a connection that breaks mid-stream is
``ProviderUnavailable``.

``ulaw_8000`` is "μ-law format (mulaw) with 8kHz sample rate ... commonly used for Twilio audio
inputs" (the same reference); it has no header: ElevenLabs' own Twilio example sends the bytes
as they come as Media Stream payloads (https://github.com/elevenlabs/elevenlabs-examples,
``examples/twilio/call/python/app.py``). So the chunks go to the call as they are.

Latency (ElevenLabs, "Reducing latency",
https://elevenlabs.io/docs/developer-guides/reducing-latency, and "Latency optimization",
https://elevenlabs.io/docs/developers/best-practices/latency-optimization): use a Flash model
(``eleven_flash_v2_5``); use the streaming endpoint when the input text is available up front
(it is: the agent's reply is complete; the input-streaming WebSocket is for text that arrives
piecemeal, like LLM tokens); reuse the HTTPS connection (one pool per instance). The
``optimize_streaming_latency`` query parameter is marked deprecated on the streaming endpoint
(https://elevenlabs.io/docs/api-reference/text-to-speech/convert-as-stream), so it is not sent.

Choice: one request per sentence, not one for the whole reply. The first sentence is short, so
its audio starts as early as the whole reply's would; each chunk then belongs to one sentence,
which is how the call knows what the caller heard before interrupting (a ``mark`` per
sentence). ``previous_text``/``next_text`` carry the neighbouring sentences, which the reference
documents "to improve the speech's continuity when concatenating together multiple
generations". Sentences are fetched one after another by a background task that does not wait
for the listener, so the next sentence is ready when the previous one has played; at most one
request per call is in flight (ElevenLabs limits concurrent requests per plan), and closing the
iterator early (barge-in) cancels the rest, so sentences never heard are not bought.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import deque
from collections.abc import AsyncGenerator, Sequence

import httpx
from elevenlabs.client import AsyncElevenLabs
from elevenlabs.core import ApiError, ParsingError, RequestOptions

from switchboard.providers.base import ProviderError, ProviderRejected, ProviderUnavailable
from switchboard.providers.elevenlabs_tts import _from_api_error
from switchboard.providers.streaming import FRAME_SAMPLES, SpokenChunk

OUTPUT_FORMAT = "ulaw_8000"
# The SDK reads the body in ``chunk_size`` pieces (1024 bytes, 128 ms, by default) and holds a
# piece back until it is full; one 20 ms frame keeps the first audio from waiting. Pieces that
# pile up while the listener is busy are joined again (``stream``). No retries: the caller is
# waiting, and the pipeline decides what to do instead.
_REQUEST_OPTIONS: RequestOptions = {"max_retries": 0, "chunk_size": FRAME_SAMPLES}
# A fragment shorter than this ("Yes.", "Dr.") is spoken with the text after it.
MIN_SENTENCE_CHARS = 12
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

_Item = tuple[int, bytes] | ProviderError | None  # (sentence, audio) | failure | end


class ElevenLabsSpeechSynthesis:
    """``SpeechSynthesis`` backed by ElevenLabs' streaming endpoint, μ-law 8 kHz out.

    ``voice_id`` and ``model_id`` are ElevenLabs IDs (``eleven_flash_v2_5`` for the lowest
    latency); ``timeout_s`` bounds the connection and each read, so also the wait for a
    sentence's first byte. One instance serves many calls (one connection pool); ``aclose`` it.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        voice_id: str,
        model_id: str,
        timeout_s: float = 10.0,
    ) -> None:
        self._voice_id = voice_id
        self._model_id = model_id
        # Our own pool, so it can be closed: AsyncElevenLabs has no close method.
        self._http = httpx.AsyncClient(timeout=timeout_s, follow_redirects=True)
        self._client = AsyncElevenLabs(
            api_key=api_key, base_url=base_url, timeout=timeout_s, httpx_client=self._http
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def stream(self, text: str) -> AsyncGenerator[SpokenChunk, None]:
        """Speak ``text`` sentence by sentence: μ-law chunks as they arrive, the first chunk of
        each sentence carrying the sentence. Close the iterator (``contextlib.aclosing``) to stop
        early: the sentences not yet fetched are not requested.

        Raises ``ProviderRejected(code="empty_text")`` for blank text, without a request; else
        what the batch adapter raises — ``ProviderAuthError`` (401/403), ``ProviderUnavailable``
        (429 and 5xx with ``retry_after_s``, timeouts, connection errors, also mid-stream),
        ``ProviderRejected`` (other 4xx, 401 ``quota_exceeded``) — before the first chunk or
        after the chunks that did arrive."""
        sentences = split_sentences(text)
        if not sentences:
            raise ProviderRejected("nothing to synthesize: text is empty", code="empty_text")
        items: deque[_Item] = deque()
        arrived = asyncio.Event()
        producer = asyncio.create_task(
            self._fetch(sentences, items, arrived), name="elevenlabs-stream"
        )
        producer.add_done_callback(lambda _: arrived.set())
        announced = -1
        try:
            while True:
                while not items:
                    if producer.done():
                        producer.result()  # what escaped ``_fetch`` (a bug): not a hang
                        raise RuntimeError("ElevenLabs stream ended without its end marker")
                    arrived.clear()
                    await arrived.wait()
                item = items.popleft()
                if item is None:
                    return
                if isinstance(item, ProviderError):
                    raise item
                index, audio = item
                # Join what piled up for the same sentence while the listener was busy.
                while items and isinstance(head := items[0], tuple) and head[0] == index:
                    audio += head[1]
                    items.popleft()
                spoken = sentences[index] if index != announced else ""
                announced = index
                yield SpokenChunk(mulaw=audio, text=spoken)
        finally:
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer

    async def _fetch(
        self, sentences: Sequence[str], items: deque[_Item], arrived: asyncio.Event
    ) -> None:
        """Fetch the sentences in order, one request at a time, into ``items``; end with None,
        or with the ``ProviderError`` that stopped it."""
        try:
            for index, sentence in enumerate(sentences):
                async for chunk in self._client.text_to_speech.stream(
                    self._voice_id,
                    text=sentence,
                    model_id=self._model_id,
                    output_format=OUTPUT_FORMAT,
                    previous_text=" ".join(sentences[:index]) or None,
                    next_text=" ".join(sentences[index + 1 :]) or None,
                    request_options=_REQUEST_OPTIONS,
                ):
                    if chunk:
                        items.append((index, chunk))
                        arrived.set()
            items.append(None)
        except httpx.TimeoutException:
            items.append(ProviderUnavailable("ElevenLabs request timed out", code="timeout"))
        except httpx.RequestError as exc:
            items.append(
                ProviderUnavailable(
                    f"ElevenLabs unreachable: {type(exc).__name__}", code="connection"
                )
            )
        except (ApiError, ParsingError) as exc:
            items.append(_from_api_error(exc.status_code, exc.headers or {}, exc.body))
        arrived.set()


def split_sentences(text: str) -> list[str]:
    """``text`` cut after ``.``, ``!``, ``?`` or ``…`` followed by a space, with fragments shorter
    than ``MIN_SENTENCE_CHARS`` joined to the next sentence (the last one to the previous), so an
    abbreviation or a bare "Yes." does not become a request of its own. Whitespace is collapsed;
    a blank text gives no sentences."""
    sentences: list[str] = []
    current = ""
    for fragment in _SENTENCE_END.split(" ".join(text.split())):
        current = f"{current} {fragment}".strip()
        if len(current) >= MIN_SENTENCE_CHARS:
            sentences.append(current)
            current = ""
    if current:
        if sentences:
            sentences[-1] = f"{sentences[-1]} {current}"
        else:
            sentences.append(current)
    return sentences
