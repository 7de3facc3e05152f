"""A fake OpenAI Chat Completions endpoint (``POST /v1/chat/completions``) for adapter tests.

The SDK's ``base_url`` includes ``/v1`` and the SDK appends ``chat/completions``, so tests point
the client at ``{url}/v1``. Responses are ``chat.completion`` objects as the API returns them;
errors are ``{"error": {"message", "type", "param", "code"}}`` (OpenAI API reference, "Errors").

Tool calls follow OpenAI's wire format (OpenAI docs, "Function calling"): a scripted tool turn
answers with an assistant message whose ``content`` is null and whose ``tool_calls`` are
``{"id", "type": "function", "function": {"name", "arguments": "<JSON string>"}}``, with
``finish_reason: "tool_calls"``. Like the API, the fake answers 400 when a request's messages
break the tool protocol: a ``tool`` message whose ``tool_call_id`` answers no preceding
``tool_calls``, or an assistant ``tool_calls`` message not followed by a ``tool`` message for
each of its IDs. A script that calls a tool the request does not offer, or calls one when
``tool_choice`` is ``"none"``, is a test bug: the fake answers 400 ``fake_script_error``.

With ``"stream": true`` the answer is ``text/event-stream`` as the API sends it (OpenAI API
reference, https://platform.openai.com/docs/api-reference/chat/streaming; chunks as captured from
the API): one ``data: {chat.completion.chunk}`` event per piece, each followed by a blank line,
then ``data: [DONE]``. The first chunk carries ``delta.role``; text arrives as ``delta.content``
pieces, a refusal as ``delta.refusal`` pieces; a tool call opens with ``{"index", "id", "type",
"function": {"name", "arguments": ""}}`` and continues with ``{"index", "function":
{"arguments": piece}}`` entries; the last chunk with a choice has an empty delta and the
``finish_reason``. With ``stream_options.include_usage`` every chunk has ``"usage": null`` and one
more chunk, ``"choices": []``, carries the usage before ``[DONE]``. Chunks carry an
``obfuscation`` padding string unless ``stream_options.include_obfuscation`` is false. Errors are
still JSON with their status, before any event.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


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


@dataclass
class ToolCall:
    """One scripted tool call. ``arguments`` is sent as a JSON string; pass a ``str`` to send
    malformed arguments as they are."""

    name: str
    arguments: dict[str, Any] | str
    id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")

    def wire(self) -> dict[str, Any]:
        arguments = self.arguments
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments)
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": arguments},
        }


# One scripted answer: the assistant's content (usually the decision's JSON) or tool calls.
Step = str | list[ToolCall]


@dataclass
class StreamCut:
    """Break every streamed answer after ``after_events`` chunk events.

    ``how``: ``"drop"`` closes the connection mid-body (the client reads an incomplete chunked
    body); ``"eof"`` ends the body cleanly without ``[DONE]``; ``"done"`` sends ``data: [DONE]``
    early; ``"error"`` sends ``data: {"error": {...}}`` (a server error) and ends the body.
    """

    after_events: int
    how: Literal["drop", "eof", "done", "error"] = "drop"


class _Dropped(Exception):
    """Raised inside the streaming body: the server closes the connection mid-response."""


INVALID_KEY = HttpFailure(
    401,
    "Incorrect API key provided: sk-wrong. You can find your API key at "
    "https://platform.openai.com/account/api-keys.",
    type="invalid_request_error",
    code="invalid_api_key",
)


class FakeOpenAI:
    """Holds the fake's state; serve ``fake.app`` with ``tests.fakes.server.serve``.

    ``script`` is a queue of steps, one per request: assistant content (a string, usually the
    decision's JSON) or a list of ``ToolCall``; when it runs dry the last step repeats.
    ``failure`` answers every request with an error; ``delay_s`` sleeps before answering (to
    provoke client timeouts).

    Streaming: ``first_chunk_delay_s`` sleeps after the response headers, before the first
    event (the model's time to first token); ``chunk_delay_s`` before each later event;
    ``piece_chars`` is the length of each content, refusal or arguments piece (so arguments
    always span several chunks); ``cut`` breaks the stream (``StreamCut``). ``streams`` holds
    the chunk payloads sent for each streamed request.
    """

    def __init__(self, api_key: str = "sk-test") -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.script: list[Step] = []
        self.refusal: str | None = None
        self.finish_reason = "stop"
        self.failure: HttpFailure | None = None
        self.delay_s = 0.0
        self.first_chunk_delay_s = 0.0
        self.chunk_delay_s = 0.0
        self.piece_chars = 7
        self.cut: StreamCut | None = None
        self.streams: list[list[dict[str, Any]]] = []
        self.app = self._build_app()

    def reply_with(self, decision: dict[str, Any]) -> None:
        """Script a final answer: ``decision`` as the message content."""
        self.script.append(json.dumps(decision))

    def reply_raw(self, content: str) -> None:
        """Script a final answer whose content is ``content`` as it is (e.g. broken JSON)."""
        self.script.append(content)

    def call_tools(self, *calls: ToolCall) -> list[ToolCall]:
        """Script a turn in which the model calls ``calls``; returns them (for their IDs)."""
        self.script.append(list(calls))
        return list(calls)

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
            failure = failure or _tool_protocol_error(body)
            step: Step = ""
            if failure is None:
                step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
                failure = _script_error(body, step)
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
            headers = {"x-request-id": f"req_{uuid.uuid4().hex}", "openai-processing-ms": "412"}
            if body.get("stream") is True:
                chunks = self._chunks(body, step)
                self.streams.append(chunks)
                return StreamingResponse(
                    self._events(chunks), media_type="text/event-stream", headers=headers
                )
            return JSONResponse(self._completion(body["model"], step), headers=headers)

        return app

    def _chunks(self, body: dict[str, Any], step: Step) -> list[dict[str, Any]]:
        """The ``chat.completion.chunk`` payloads of one streamed answer, in order."""
        options = body.get("stream_options") or {}
        usage = bool(options.get("include_usage"))
        padded = options.get("include_obfuscation", True)
        envelope: dict[str, Any] = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:29]}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": f"{body['model']}-2024-07-18",
            "service_tier": "default",
            "system_fingerprint": "fp_0ba0d124f1",
        }

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            out: dict[str, Any] = {
                **envelope,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                ],
            }
            if usage:
                out["usage"] = None
            if padded:
                out["obfuscation"] = secrets.token_urlsafe(6)
            return out

        chunks: list[dict[str, Any]] = []
        finish_reason = self.finish_reason
        if self.refusal is not None:
            chunks.append(chunk({"role": "assistant", "content": None, "refusal": ""}))
            chunks += [chunk({"refusal": piece}) for piece in self._pieces(self.refusal)]
        elif isinstance(step, list):
            finish_reason = "tool_calls"
            for index, call in enumerate(step):
                wire = call.wire()
                opening = {
                    "index": index,
                    "id": wire["id"],
                    "type": "function",
                    "function": {"name": wire["function"]["name"], "arguments": ""},
                }
                if index == 0:
                    delta = {"role": "assistant", "content": None, "tool_calls": [opening]}
                    chunks.append(chunk({**delta, "refusal": None}))
                else:
                    chunks.append(chunk({"tool_calls": [opening]}))
                chunks += [
                    chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
                    for piece in self._pieces(wire["function"]["arguments"])
                ]
        else:
            chunks.append(chunk({"role": "assistant", "content": "", "refusal": None}))
            chunks += [chunk({"content": piece}) for piece in self._pieces(step)]
        chunks.append(chunk({}, finish_reason))
        if usage:
            last: dict[str, Any] = {**envelope, "choices": [], "usage": _USAGE}
            if padded:
                last["obfuscation"] = secrets.token_urlsafe(6)
            chunks.append(last)
        return chunks

    def _pieces(self, text: str) -> list[str]:
        size = max(1, self.piece_chars)
        return [text[i : i + size] for i in range(0, len(text), size)]

    async def _events(self, chunks: list[dict[str, Any]]) -> AsyncIterator[bytes]:
        """The SSE body: ``data: <json>`` and a blank line per chunk, then ``data: [DONE]``."""
        cut = self.cut
        for sent, payload in enumerate(chunks):
            if cut is not None and sent == cut.after_events:
                if cut.how == "drop":
                    raise _Dropped("connection dropped mid-stream, on purpose")
                if cut.how == "done":
                    yield b"data: [DONE]\n\n"
                if cut.how == "error":
                    error = {
                        "message": "The server had an error while processing your request.",
                        "type": "server_error",
                        "param": None,
                        "code": "server_error",
                    }
                    yield _event({"error": error})
                return
            await asyncio.sleep(self.first_chunk_delay_s if sent == 0 else self.chunk_delay_s)
            yield _event(payload)
        yield b"data: [DONE]\n\n"

    def _completion(self, model: str, step: Step) -> dict[str, Any]:
        """A ``chat.completion`` object as the API returns it."""
        refused = self.refusal is not None
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None if refused else step,
            "refusal": self.refusal,
            "annotations": [],
        }
        finish_reason = self.finish_reason
        if isinstance(step, list):
            message["content"] = None
            message["tool_calls"] = [call.wire() for call in step]
            finish_reason = "tool_calls"
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:29]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": f"{model}-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": _USAGE,
            "service_tier": "default",
            "system_fingerprint": "fp_0ba0d124f1",
        }


_USAGE: dict[str, Any] = {
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
}


def _event(payload: dict[str, Any]) -> bytes:
    """One SSE event: compact JSON, non-ASCII as it is (as the API sends it)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


def _invalid(message: str, *, param: str | None = "messages") -> HttpFailure:
    return HttpFailure(400, message, type="invalid_request_error", param=param)


def _tool_protocol_error(body: dict[str, Any]) -> HttpFailure | None:
    """The API's 400 for messages that break the tool-call protocol, else None."""
    waiting: list[str] = []  # tool_call_ids of the last assistant message not yet answered
    for message in body.get("messages", []):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in waiting:
                return _invalid(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'."
                )
            waiting.remove(call_id)
            continue
        if waiting:
            return _invalid(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(waiting)}"
            )
        if role == "assistant":
            waiting = [call["id"] for call in message.get("tool_calls") or []]
    if waiting:
        return _invalid(f"tool_call_ids without response messages: {', '.join(waiting)}")
    return None


def _script_error(body: dict[str, Any], step: Step) -> HttpFailure | None:
    """A scripted tool call the request does not allow: the test's script is wrong."""
    if not isinstance(step, list):
        return None
    offered = {tool["function"]["name"] for tool in body.get("tools") or []}
    if body.get("tool_choice") == "none" or any(call.name not in offered for call in step):
        return HttpFailure(
            400,
            f"script calls {[c.name for c in step]}, request offers {sorted(offered)} with "
            f"tool_choice={body.get('tool_choice')!r}",
            type="fake_script_error",
            param="tools",
        )
    return None
