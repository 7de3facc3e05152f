"""A fake ElevenLabs text-to-speech endpoint (``POST /v1/text-to-speech/{voice_id}``).

Shapes follow ElevenLabs' API reference ("Create speech"): the key is the ``xi-api-key`` header,
``output_format`` is a query parameter, the JSON body carries ``text`` and ``model_id``, the audio
is streamed back, and errors are ``{"detail": {"status": ..., "message": ...}}``.
"""

from __future__ import annotations

import io
import uuid
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from switchboard import audio


@dataclass
class Recorded:
    """One request as the fake received it. Header names are lower-case."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: dict[str, Any]


@dataclass
class HttpFailure:
    """Answer with this status, ``detail`` and headers instead of audio."""

    status: int
    detail: dict[str, Any] = field(
        default_factory=lambda: {"status": "internal_error", "message": "Internal server error"}
    )
    headers: dict[str, str] = field(default_factory=dict)


# An MP3 stream starts with an ID3 tag or a frame sync; the rest only has to be recognisable.
DEFAULT_AUDIO = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40

MEDIA_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "ulaw": "audio/basic", "opus": "audio/ogg"}


@cache
def ogg_opus_audio() -> bytes:
    """What ``opus_48000_*`` streams back: a whole Ogg/Opus file (half a second of 440 Hz)."""
    t = np.arange(8000) / 16000
    pcm = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    return audio.to_ogg_opus(out.getvalue())


class FakeElevenLabs:
    """Holds the fake's state; serve ``fake.app`` with ``tests.fakes.server.serve``.

    ``audio`` is streamed back in ``chunk_size`` pieces (``opus_audio`` for an ``opus_*``
    ``output_format``, Ogg/Opus as the vendor sends it); ``failure`` answers every request
    with an error instead.
    """

    def __init__(self, api_key: str = "xi-test-key") -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.audio = DEFAULT_AUDIO
        self.opus_audio = ogg_opus_audio()
        self.chunk_size = 1024
        self.failure: HttpFailure | None = None
        self.app = self._build_app()

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/text-to-speech/{voice_id}")
        async def convert(voice_id: str, request: Request) -> Any:
            self.requests.append(
                Recorded(
                    method=request.method,
                    path=request.url.path,
                    query=dict(request.query_params),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    json=await request.json(),
                )
            )
            failure = self.failure
            if request.headers.get("xi-api-key") != self.api_key:
                failure = HttpFailure(
                    401, {"status": "invalid_api_key", "message": "Invalid API key"}
                )
            if failure is not None:
                return JSONResponse(
                    {"detail": failure.detail}, failure.status, headers=failure.headers
                )

            output_format = request.query_params.get("output_format", "mp3_44100_128")
            codec = output_format.split("_", 1)[0]
            data = self.opus_audio if codec == "opus" else self.audio

            async def body() -> AsyncIterator[bytes]:
                for start in range(0, len(data), self.chunk_size):
                    yield data[start : start + self.chunk_size]

            return StreamingResponse(
                body(),
                media_type=MEDIA_TYPES.get(codec, "application/octet-stream"),
                headers={
                    "request-id": uuid.uuid4().hex,
                    "history-item-id": uuid.uuid4().hex[:20],
                    "character-cost": str(len((await request.json())["text"])),
                },
            )

        return app
