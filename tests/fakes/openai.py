"""A fake OpenAI Chat Completions endpoint (``POST /v1/chat/completions``) for adapter tests.

The SDK's ``base_url`` includes ``/v1`` and the SDK appends ``chat/completions``, so tests point
the client at ``{url}/v1``. Responses are ``chat.completion`` objects as the API returns them;
errors are ``{"error": {"message", "type", "param", "code"}}`` (OpenAI API reference, "Errors").
"""

from __future__ import annotations

import asyncio
import json
import time
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
    json: dict[str, Any]


@dataclass
class HttpFailure:
    """Answer with this status, ``error`` object and headers instead of a completion."""

    status: int
    message: str = "The server had an error while processing your request. Sorry about that!"
    type: str = "server_error"
    code: str | None = None
    param: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


INVALID_KEY = HttpFailure(
    401,
    "Incorrect API key provided: sk-wrong. You can find your API key at "
    "https://platform.openai.com/account/api-keys.",
    type="invalid_request_error",
    code="invalid_api_key",
)


class FakeOpenAI:
    """Holds the fake's state; serve ``fake.app`` with ``tests.fakes.server.serve``.

    ``contents`` is a queue of assistant message contents (strings, usually JSON), one per
    request; when it runs dry the last one repeats. ``failure`` answers every request with an
    error; ``delay_s`` sleeps before answering (to provoke client timeouts).
    """

    def __init__(self, api_key: str = "sk-test") -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.contents: list[str] = []
        self.refusal: str | None = None
        self.finish_reason = "stop"
        self.failure: HttpFailure | None = None
        self.delay_s = 0.0
        self.app = self._build_app()

    def reply_with(self, decision: dict[str, Any]) -> None:
        self.contents.append(json.dumps(decision))

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Any:
            body = await request.json()
            self.requests.append(
                Recorded(
                    method=request.method,
                    path=request.url.path,
                    headers={k.lower(): v for k, v in request.headers.items()},
                    json=body,
                )
            )
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            failure = self.failure
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                failure = INVALID_KEY
            if failure is not None:
                return JSONResponse(
                    {
                        "error": {
                            "message": failure.message,
                            "type": failure.type,
                            "param": failure.param,
                            "code": failure.code,
                        }
                    },
                    status_code=failure.status,
                    headers={"x-request-id": f"req_{uuid.uuid4().hex}", **failure.headers},
                )
            content = self.contents.pop(0) if len(self.contents) > 1 else self.contents[0]
            return JSONResponse(
                self._completion(body["model"], content),
                headers={"x-request-id": f"req_{uuid.uuid4().hex}", "openai-processing-ms": "412"},
            )

        return app

    def _completion(self, model: str, content: str) -> dict[str, Any]:
        """A ``chat.completion`` object as the API returns it."""
        refused = self.refusal is not None
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:29]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": f"{model}-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": None if refused else content,
                        "refusal": self.refusal,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": 612,
                "completion_tokens": 41,
                "total_tokens": 653,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "service_tier": "default",
            "system_fingerprint": "fp_0ba0d124f1",
        }
