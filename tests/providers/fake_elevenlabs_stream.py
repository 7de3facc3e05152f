"""A fake ElevenLabs "Stream speech" endpoint: ``POST /v1/text-to-speech/{voice_id}/stream``.

Shapes follow ElevenLabs' API reference ("Stream speech",
https://elevenlabs.io/docs/api-reference/text-to-speech/stream): the key in the ``xi-api-key``
header, ``output_format`` (and the deprecated ``optimize_streaming_latency``) as query
parameters, ``text``, ``model_id``, ``previous_text``, ``next_text`` in the JSON body, the audio
streamed back as it is generated (chunked transfer), errors as
``{"detail": {"status": ..., "message": ...}}`` before any audio. ``ulaw_8000`` is headerless
8-bit μ-law at 8 kHz (``audio/basic``), what a Twilio Media Stream carries.

Timing is part of the fake: the response headers go out at once, the first audio byte after
``first_byte_delay_s`` (the model's time to first byte), then ``chunk_size`` pieces
``chunk_delay_s`` apart. ``drop_after`` cuts a response mid-stream without finishing the chunked
body, as a reset connection does. Shapes shared with the ``/v1/text-to-speech/{voice_id}`` fake
(``Recorded``, ``HttpFailure``) come from ``tests/fakes/elevenlabs.py``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.fakes.elevenlabs import MEDIA_TYPES, HttpFailure, Recorded


class MidStreamDrop(Exception):
    """Raised inside a response body so the server aborts the connection mid-stream."""


def audio_for(text: str, *, bytes_per_char: int = 40) -> bytes:
    """The fake's "speech" for ``text``: recognisable bytes, ``bytes_per_char`` per character
    (40 bytes = 5 ms of 8 kHz μ-law)."""
    return (text.encode() * bytes_per_char)[: len(text) * bytes_per_char]


class FakeElevenLabsStream:
    """Serve ``fake.app`` with ``tests.fakes.server.serve``.

    ``failures[i]`` answers the i-th request (0-based) with an error instead of audio;
    ``drop_after[i] = n`` sends n bytes of the i-th response and then cuts the connection.
    ``received_at`` and ``first_byte_at`` are monotonic times per request.
    """

    def __init__(self, api_key: str = "xi-test-key") -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.received_at: list[float] = []
        self.first_byte_at: list[float] = []
        self.first_byte_delay_s = 0.0
        self.chunk_size = 400
        self.chunk_delay_s = 0.0
        self.failures: dict[int, HttpFailure] = {}
        self.drop_after: dict[int, int] = {}
        self.app = self._build_app()

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/text-to-speech/{voice_id}/stream")
        async def stream(voice_id: str, request: Request) -> Any:
            index = len(self.requests)
            body = await request.json()
            self.requests.append(
                Recorded(
                    method=request.method,
                    path=request.url.path,
                    query=dict(request.query_params),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    json=body,
                )
            )
            self.received_at.append(time.monotonic())
            failure = self.failures.get(index)
            if request.headers.get("xi-api-key") != self.api_key:
                failure = HttpFailure(
                    401, {"status": "invalid_api_key", "message": "Invalid API key"}
                )
            if failure is not None:
                return JSONResponse(
                    {"detail": failure.detail}, failure.status, headers=failure.headers
                )
            audio = audio_for(body["text"])
            drop_after = self.drop_after.get(index)
            codec = request.query_params.get("output_format", "mp3_44100_128").split("_", 1)[0]

            async def chunks() -> AsyncIterator[bytes]:
                await asyncio.sleep(self.first_byte_delay_s)
                for start in range(0, len(audio), self.chunk_size):
                    if drop_after is not None and start >= drop_after:
                        raise MidStreamDrop("connection reset mid-stream")
                    if start == 0:
                        self.first_byte_at.append(time.monotonic())
                    else:
                        await asyncio.sleep(self.chunk_delay_s)
                    yield audio[start : start + self.chunk_size]

            return StreamingResponse(
                chunks(),
                media_type=MEDIA_TYPES.get(codec, "application/octet-stream"),
                headers={
                    "request-id": uuid.uuid4().hex,
                    "character-cost": str(len(body["text"])),
                },
            )

        return app
