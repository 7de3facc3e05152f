"""A fake AssemblyAI pre-recorded API (``/v2/upload``, ``/v2/transcript``) for adapter tests.

Shapes follow AssemblyAI's API reference and the SDK's ``TranscriptResponse``: the key is the bare
``Authorization`` header; errors are ``{"error": "..."}``; a failed job is HTTP 200 with
``status: "error"`` and an ``error`` message; ``audio_duration`` is whole seconds, word times are
milliseconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class Recorded:
    """One request as the fake received it. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpFailure:
    """Answer a request with this status, JSON body and headers instead of the normal reply."""

    status: int
    body: dict[str, Any] = field(default_factory=lambda: {"error": "Server error"})
    headers: dict[str, str] = field(default_factory=dict)


DEFAULT_WORDS: list[dict[str, Any]] = [
    {"text": "Book", "start": 240, "end": 520, "confidence": 0.99, "speaker": None},
    {"text": "Tuesday", "start": 520, "end": 1010, "confidence": 0.97, "speaker": None},
    {"text": "at", "start": 1010, "end": 1160, "confidence": 0.95, "speaker": None},
    {"text": "ten.", "start": 1160, "end": 1580, "confidence": 0.93, "speaker": None},
]


class FakeAssemblyAI:
    """Holds the fake's state; serve ``fake.app`` with ``tests.fakes.server.serve``.

    ``failures`` maps an endpoint (``"upload"``, ``"create"``, ``"poll"``) to an ``HttpFailure``.
    ``job_error`` makes the finished job come back with ``status: "error"`` and that message.
    ``polls_before_done`` polls answer ``processing`` before the final status.
    """

    def __init__(self, api_key: str = "aai-test-key") -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.uploads: dict[str, bytes] = {}  # upload_url -> bytes
        self.created: list[dict[str, Any]] = []  # JSON bodies of POST /v2/transcript
        self.failures: dict[str, HttpFailure] = {}
        self.job_error: str | None = None
        self.polls_before_done = 1
        self.text = "Book Tuesday at ten."
        self.confidence = 0.96
        self.audio_duration = 11
        self.words = DEFAULT_WORDS
        self._jobs: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}
        self.app = self._build_app()

    def requests_to(self, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        async def check(request: Request, endpoint: str) -> JSONResponse | None:
            self.requests.append(
                Recorded(
                    method=request.method,
                    path=request.url.path,
                    headers={k.lower(): v for k, v in request.headers.items()},
                    body=await request.body(),
                )
            )
            if request.headers.get("authorization") != self.api_key:
                return JSONResponse(
                    {"error": "Authentication error, API token missing/invalid."}, status_code=401
                )
            failure = self.failures.get(endpoint)
            if failure is not None:
                return JSONResponse(failure.body, failure.status, headers=failure.headers)
            return None

        @app.post("/v2/upload")
        async def upload(request: Request) -> Any:
            if (refused := await check(request, "upload")) is not None:
                return refused
            url = f"https://cdn.assemblyai.com/upload/{uuid.uuid4()}"
            self.uploads[url] = self.requests[-1].body
            return {"upload_url": url}

        @app.post("/v2/transcript")
        async def create(request: Request) -> Any:
            if (refused := await check(request, "create")) is not None:
                return refused
            body = await request.json()
            self.created.append(body)
            job_id = str(uuid.uuid4())
            self._jobs[job_id] = body
            self._polls[job_id] = 0
            return self._transcript(job_id, "queued")

        @app.get("/v2/transcript/{job_id}")
        async def poll(job_id: str, request: Request) -> Any:
            if (refused := await check(request, "poll")) is not None:
                return refused
            if job_id not in self._jobs:
                return JSONResponse(
                    {"error": "Transcript lookup error, transcript id not found"}, status_code=400
                )
            self._polls[job_id] += 1
            if self._polls[job_id] <= self.polls_before_done:
                return self._transcript(job_id, "processing")
            if self.job_error is not None:
                return self._transcript(job_id, "error")
            return self._transcript(job_id, "completed")

        return app

    def _transcript(self, job_id: str, status: str) -> dict[str, Any]:
        """A transcript object as ``GET /v2/transcript/{id}`` returns it."""
        request = self._jobs[job_id]
        done = status == "completed"
        return {
            "id": job_id,
            "status": status,
            "audio_url": request["audio_url"],
            "language_code": request.get("language_code", "en_us"),
            "speech_model": request.get("speech_model"),
            "punctuate": True,
            "format_text": True,
            "text": self.text if done else None,
            "words": self.words if done else None,
            "utterances": None,
            "confidence": self.confidence if done else None,
            "audio_duration": self.audio_duration if done else None,
            "error": self.job_error if status == "error" else None,
            "webhook_url": None,
            "webhook_status_code": None,
            "webhook_auth": False,
            "auto_highlights_result": None,
            "content_safety_labels": {"status": "unavailable", "results": [], "summary": {}},
            "iab_categories_result": {"status": "unavailable", "results": [], "summary": {}},
            "chapters": None,
            "sentiment_analysis_results": None,
            "entities": None,
            "summary": None,
        }
