"""The booking agent on OpenAI Chat Completions, with function calling and Structured Outputs,
through ``openai`` 2.x.

One turn is a short loop of ``POST {base_url}/chat/completions`` requests (``base_url`` ends in
``/v1``; the SDK appends the resource path). Each sends the system prompt, the turn's
``AgentContext`` as compact JSON (``render_context``), the read-only tools of ``openai_tools``
as strict function schemas (OpenAI docs, "Function calling": ``tools`` with ``strict: true``,
``parallel_tool_calls: false`` because strict schemas are not guaranteed for parallel calls) and
``response_format={"type": "json_schema", "json_schema": {"strict": true, ...}}`` constraining
the final answer to ``DECISION_SCHEMA`` (OpenAI docs, "Structured Outputs").

When the model answers with ``tool_calls``, the adapter runs each tool against the context's
business profile and calendar, appends the assistant message with its ``tool_calls`` and one
``{"role": "tool", "tool_call_id": ..., "content": ...}`` message per call, and asks again. At
most ``MAX_TOOL_ROUNDS`` rounds; the request after the last round sends ``tool_choice: "none"``,
so the model must decide.

Every request streams (``stream: true``, ``stream_options: {"include_usage": true}``) so the
adapter can measure the time to the model's first token; the decision is still taken only from
the whole answer. The answer arrives as server-sent events, ``data: {chat.completion.chunk}``
lines ending with ``data: [DONE]`` (the SDK's types, generated from OpenAI's API spec:
openai-python ``src/openai/types/chat/completion_create_params.py`` ``stream``, which points to
https://platform.openai.com/docs/api-reference/chat/streaming, ``chat_completion_chunk.py`` and
``chat_completion_stream_options_param.py``; the SDK's ``_streaming.py`` stops at ``[DONE]`` and
raises ``APIError`` for an ``{"error": ...}`` event). ``_Assembly`` rebuilds from the chunks the
message the non-streamed call returns (the order within a call is as the API's own streams show
it; the SDK's ``ChoiceDeltaToolCall`` has ``index`` required and ``id``/``name`` optional):

- ``delta.content`` and ``delta.refusal`` are pieces of the message's ``content`` / ``refusal``;
- ``delta.tool_calls`` entries are keyed by ``index``: the first entry of a call carries its
  ``id``, ``type`` and ``function.name`` (with ``arguments: ""``), later ones only
  ``function.arguments`` pieces to append;
- ``finish_reason`` (``stop``, ``length``, ``tool_calls``, ``content_filter``) comes on the last
  chunk with a choice; with ``include_usage`` one more chunk, with ``choices: []``, carries the
  request's ``usage`` before ``[DONE]`` ("If the stream is interrupted, you may not receive the
  final usage chunk", so usage is reported, never required).

A stream that breaks before its ``finish_reason`` (connection dropped, body ended early, an
``{"error": ...}`` event) is ``ProviderUnavailable``: half an answer is never decided on.

The model only proposes. ``openai_checks.check_decision`` holds its decision to the local agent's
contract before it is returned (a proposed slot is free, a reschedule or cancel names one of the
customer's upcoming bookings, a confirmation names the live pending action), and the customer
workflow validates it again against its own state before any side effect runs.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

import httpx
import openai
from openai import AsyncStream
from openai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionChunk,
    ChatCompletionMessage,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionUserMessageParam,
)
from openai.types.chat.chat_completion_message_function_tool_call import Function
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError

from switchboard.agent_models import AgentContext, AgentDecision, Intent
from switchboard.providers.base import (
    ProviderAuthError,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    retry_after_from_headers,
)
from switchboard.providers.openai_checks import check_decision
from switchboard.providers.openai_tools import TOOLS, Facts, as_utc, run_tool

# Passed explicitly: with base_url=None the SDK would read OPENAI_BASE_URL from the environment,
# and Switchboard's settings are meant to be the only place that chooses the endpoint.
DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Tool rounds per turn; the next request forbids tools. Each round is one more request, and the
# whole turn shares ``timeout_s``.
MAX_TOOL_ROUNDS = 3

SYSTEM_PROMPT = """\
You are the booking assistant of the business in "business" (a veterinary clinic). Customers \
reach you by phone and on WhatsApp; it is one conversation across both channels.

The user message is a JSON object: the customer's new "message" on "channel", the time "now", \
their "timezone", a "summary" of older turns, the latest "history" turns (oldest first), their \
"bookings" from the CRM (each with its "id"), the "pending" action waiting for their yes or no \
(or null), and the "goal" of a call we placed (or null). All times in it are already in the \
customer's timezone.

Tools: never guess availability or facts about the business.
- Before proposing a slot (a new booking or a new time for one), call check_availability for \
that date, time and service. Propose only a slot it says is free, copying its "slot_start". If \
it is not free, say why and offer its alternatives (intent "clarify").
- For "what do you have on Tuesday?" call free_times; for "is Tuesday at 10 free?" call \
check_availability and answer with intent "check_availability" (nothing is held).
- Hours, closures, address, prices and policies come only from business_info (intent \
"answer"). If it does not say, say you don't know and offer to pass the question to the team.

Intents:
- Never say anything is booked, moved or cancelled. Propose it and ask the customer to confirm: \
"propose_booking" (proposal with slot_start, subject, service), "propose_reschedule" (proposal \
with the new slot_start and "booking_id" = the booking's "id"; its "service" is the booking's \
own unless the customer asks for another, and a change of service alone keeps the booking's \
slot_start), "propose_cancel" (proposal with "booking_id" and the booking's current \
slot_start). Only confirmed bookings that are still to come can be moved or cancelled; if it \
is unclear which, ask.
- Several changes in one request ("book Max at 10 and Bella at 11", "cancel both", "move both \
to Friday"): one "propose_changes" with "proposals", one entry per pet or booking (2 to 4), \
each with its "kind" (book, reschedule or cancel) and the fields above; "proposal" is null. \
Read them all back in one message; one yes confirms them all. A correction of one ("no, Bella \
at 12") is a new "propose_changes" with that entry changed.
- "confirm" or "decline" only when the customer answers the pending action, with "action_id" \
set to its exact "id". With no pending action, never confirm. A yes to only some of a pending \
action's "changes" ("just Max for now"): "confirm" with "confirmed" listing the "id" of each \
change kept (the others are dropped); "confirmed" is empty otherwise.
- "ask_booking": questions about their bookings, answered only from "bookings".
- "handoff" when they want a person or you cannot help: set "note" to a one- or two-sentence \
summary for the team (who, what they want, what was tried).
- "opt_out" / "opt_in" when they ask to stop or restart messages here.
- "greeting", "goodbye"; "clarify" to ask one short question; "other" otherwise.

Style: reply in one or two short sentences, in the customer's language, with no lists or \
markup: replies are also spoken on the phone. Say times in the customer's timezone, e.g. \
"Tuesday 11 March at 10:00". "slot_start" is ISO 8601 with its UTC offset, in the customer's \
timezone. "service" is a key of business.services. Set fields that do not apply to null, and \
"note" to "" unless you hand off.
"""

_NULL: dict[str, Any] = {"type": "null"}

_SLOT_START: dict[str, Any] = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 with offset, e.g. 2025-03-04T10:00:00+01:00",
}
# One change of a propose_changes decision.
_CHANGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["book", "reschedule", "cancel"]},
        "slot_start": _SLOT_START,
        "subject": {"type": "string", "description": "The pet (or who) this change is for."},
        "service": {"type": ["string", "null"], "description": "A key of business.services."},
        "booking_id": {
            "type": ["string", "null"],
            "description": "The booking's id for reschedule and cancel; null for book.",
        },
    },
    "required": ["kind", "slot_start", "subject", "service", "booking_id"],
    "additionalProperties": False,
}

# Strict mode (OpenAI docs, "Structured Outputs" > "Supported schemas"): every property is listed
# in "required", every object has "additionalProperties": false, optional values are nullable
# (a type list, or anyOf with null for an object), and date-times are strings with a format.
DECISION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reply": {
            "type": "string",
            "description": "What to say to the customer: one or two short sentences.",
        },
        "intent": {"type": "string", "enum": [intent.value for intent in Intent]},
        "proposal": {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {
                        "slot_start": {
                            "type": "string",
                            "format": "date-time",
                            "description": "ISO 8601 with offset, e.g. 2025-03-04T10:00:00+01:00",
                        },
                        "subject": {
                            "type": "string",
                            "description": "Who or what the booking is for, in a few words.",
                        },
                        "service": {
                            "type": ["string", "null"],
                            "description": "A key of business.services.",
                        },
                        "booking_id": {
                            "type": ["string", "null"],
                            "description": "The booking's id with propose_reschedule and "
                            "propose_cancel; null otherwise.",
                        },
                    },
                    "required": ["slot_start", "subject", "service", "booking_id"],
                    "additionalProperties": False,
                },
                _NULL,
            ],
            "description": "Set with the propose_* intents; null otherwise.",
        },
        "proposals": {
            "type": "array",
            "items": _CHANGE,
            "description": "With propose_changes: one entry per change (2 to 4). Empty otherwise.",
        },
        "action_id": {
            "type": ["string", "null"],
            "description": "The pending action's exact id with confirm or decline; null otherwise.",
        },
        "confirmed": {
            "type": "array",
            "items": {"type": "string"},
            "description": (
                "With confirm on a pending action of several changes, when the yes keeps only "
                "some: the ids of the changes kept. Empty otherwise."
            ),
        },
        "note": {
            "type": "string",
            "description": "With handoff: a short summary for the team. Empty otherwise.",
        },
    },
    "required": ["reply", "intent", "proposal", "proposals", "action_id", "confirmed", "note"],
    "additionalProperties": False,
}

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "agent_decision", "strict": True, "schema": DECISION_SCHEMA},
}


@dataclass(frozen=True)
class RequestStats:
    """One streamed request, timed on ``time.monotonic()`` from just before it was sent.

    ``ttft_ms``: milliseconds to the first chunk carrying model output (a piece of content,
    refusal or tool call; the opening role-only chunk does not count), or to the
    ``finish_reason`` when the answer carried no output. ``total_ms``: milliseconds to the
    stream's end. ``prompt_tokens`` / ``completion_tokens``: from the usage chunk, None when the
    server sent none.
    """

    ttft_ms: float
    total_ms: float
    finish_reason: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class TurnStats:
    """The requests of one ``decide`` turn, in order (one per tool round, then the decision)."""

    requests: tuple[RequestStats, ...]

    @property
    def ttft_ms(self) -> float:
        """Time to first token of the turn: its first request's, in milliseconds."""
        return self.requests[0].ttft_ms

    @property
    def total_ms(self) -> float:
        """Milliseconds spent in the turn's requests (tool runs in between excluded)."""
        return sum(r.total_ms for r in self.requests)


class OpenAIAgent:
    """``Agent`` backed by an OpenAI chat model.

    ``base_url`` is the API root including ``/v1`` (None: ``https://api.openai.com/v1``);
    ``timeout_s`` bounds the whole turn, every request of the tool loop included, each stream
    read to its end. The SDK's own retries are off (``max_retries=0``): the activity's Temporal
    retry policy owns retries.

    ``decide_with_stats`` returns the turn's ``TurnStats`` with the decision; ``decide`` keeps
    them in ``last_stats`` (``last_ttft_ms``). With concurrent turns on one instance, read
    ``last_stats`` right after the ``await`` (before the next one), or use ``decide_with_stats``.
    """

    def __init__(self, api_key: str, *, model: str, base_url: str | None, timeout_s: float) -> None:
        self._model = model
        self._timeout_s = timeout_s
        self._client = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout_s,
            max_retries=0,
        )
        self.last_stats: TurnStats | None = None

    @property
    def last_ttft_ms(self) -> float | None:
        """The last successful turn's time to first token in milliseconds (None before one, or
        when the last turn failed)."""
        return self.last_stats.ttft_ms if self.last_stats is not None else None

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()

    async def decide(self, context: AgentContext) -> AgentDecision:
        """Ask the model for this turn's reply and intent, answering its tool calls on the way,
        and check the decision (module docstring).

        ``proposal.slot_start`` in the result is UTC.

        Raises ``ProviderUnavailable`` (timeout, connection error, 408/409/429/5xx;
        ``retry_after_s`` from ``retry-after-ms``/``Retry-After``; a stream broken before its
        end, ``code="stream_interrupted"``, or ended by an error event), ``ProviderAuthError``
        (401/403) or ``ProviderRejected`` (other 4xx with OpenAI's error code; 429
        ``insufficient_quota``; a refusal, ``code="refusal"``; output that is not a valid
        decision, ``code="invalid_output"``, so the workflow can fall back to a safe reply).
        """
        decision, _ = await self.decide_with_stats(context)
        return decision

    async def decide_with_stats(self, context: AgentContext) -> tuple[AgentDecision, TurnStats]:
        """``decide``, with the turn's timings and token counts. Raises as ``decide``."""
        self.last_stats = None
        facts = Facts.of(context)
        deadline = time.monotonic() + self._timeout_s
        requests: list[RequestStats] = []
        messages: list[ChatCompletionMessageParam] = [
            ChatCompletionSystemMessageParam(role="system", content=SYSTEM_PROMPT),
            ChatCompletionUserMessageParam(role="user", content=render_context(context)),
        ]
        for _ in range(MAX_TOOL_ROUNDS):
            message = await self._complete(messages, deadline, requests, tools_allowed=True)
            calls = [
                c
                for c in message.tool_calls or []
                if isinstance(c, ChatCompletionMessageFunctionToolCall)
            ]
            if not calls:
                return self._done(parse_decision(message.content, facts.zone), facts, requests)
            messages.append(_assistant_turn(message.content, calls))
            messages.extend(
                ChatCompletionToolMessageParam(
                    role="tool",
                    tool_call_id=c.id,
                    content=run_tool(c.function.name, c.function.arguments, facts),
                )
                for c in calls
            )
        # Out of tool rounds: tools are off for this request, so the model must decide. A tool
        # call anyway leaves no content, which parse_decision rejects.
        message = await self._complete(messages, deadline, requests, tools_allowed=False)
        return self._done(parse_decision(message.content, facts.zone), facts, requests)

    def _done(
        self, decision: AgentDecision, facts: Facts, requests: list[RequestStats]
    ) -> tuple[AgentDecision, TurnStats]:
        stats = TurnStats(tuple(requests))
        self.last_stats = stats
        return check_decision(decision, facts), stats

    async def _complete(
        self,
        messages: list[ChatCompletionMessageParam],
        deadline: float,
        requests: list[RequestStats],
        *,
        tools_allowed: bool,
    ) -> ChatCompletionMessage:
        """One streamed request; the first choice's message as the non-streamed call returns
        it. Appends the request's ``RequestStats`` to ``requests``. ``deadline`` is
        ``time.monotonic()``'s and bounds the stream to its last chunk: the SDK's ``timeout``
        bounds each read, not a slow stream."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderUnavailable("OpenAI request timed out", code="timeout")
        assembly = _Assembly(started=time.monotonic())
        try:
            async with asyncio.timeout(remaining):
                stream = await self._client.chat.completions.create(
                    model=self._model,
                    messages=messages,
                    tools=TOOLS,
                    tool_choice="auto" if tools_allowed else "none",
                    parallel_tool_calls=False,
                    response_format=RESPONSE_FORMAT,
                    stream=True,
                    stream_options={"include_usage": True},
                    timeout=remaining,
                )
                await assembly.read(stream)
        except TimeoutError as exc:
            raise ProviderUnavailable("OpenAI request timed out", code="timeout") from exc
        except openai.OpenAIError as exc:
            raise _from_openai_error(exc) from exc
        except httpx.TimeoutException as exc:
            # Reads after the response headers are outside the SDK's error mapping.
            raise ProviderUnavailable("OpenAI stream timed out", code="timeout") from exc
        except httpx.TransportError as exc:
            raise ProviderUnavailable(
                f"OpenAI stream broke: {type(exc).__name__}", code="stream_interrupted"
            ) from exc
        except json.JSONDecodeError as exc:
            raise ProviderUnavailable(
                "OpenAI sent a chunk that is not JSON", code="stream_interrupted"
            ) from exc
        if assembly.finish_reason is None:
            raise ProviderUnavailable(
                "OpenAI's stream ended before its finish_reason", code="stream_interrupted"
            )
        requests.append(assembly.stats())
        message = assembly.message()
        if message.refusal:
            raise ProviderRejected("the model refused to answer", code="refusal")
        if assembly.finish_reason == "content_filter":
            raise ProviderRejected(
                "the answer was stopped by a content filter", code="content_filter"
            )
        # finish_reason "length" leaves truncated JSON, which parse_decision rejects.
        return message


@dataclass
class _ToolCallParts:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass
class _Assembly:
    """The first choice of one streamed answer, put back together (module docstring).

    ``started`` and the arrival times are ``time.monotonic()`` seconds.
    """

    started: float
    content: list[str] | None = None
    refusal: list[str] = field(default_factory=list)
    calls: dict[int, _ToolCallParts] = field(default_factory=dict)
    finish_reason: str | None = None
    first_output_at: float | None = None
    ended_at: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    async def read(self, stream: AsyncStream[ChatCompletionChunk]) -> None:
        """Consume ``stream`` to its end (``[DONE]``, or the body's end); closes it on error."""
        async with stream:
            async for chunk in stream:
                self.add(chunk, time.monotonic())
        self.ended_at = time.monotonic()

    def add(self, chunk: ChatCompletionChunk, now: float) -> None:
        if chunk.usage is not None:
            self.prompt_tokens = chunk.usage.prompt_tokens
            self.completion_tokens = chunk.usage.completion_tokens
        # `or []`: some OpenAI-compatible servers send the usage chunk with "choices": null.
        for choice in chunk.choices or []:
            if choice.index != 0:  # n is not set: one choice
                continue
            delta = choice.delta
            if delta.content is not None:
                # None until a content field arrives: a tool-call answer's content stays null,
                # as in the non-streamed message; a text answer opens with content "".
                if self.content is None:
                    self.content = []
                self.content.append(delta.content)
            if delta.refusal:
                self.refusal.append(delta.refusal)
            for piece in delta.tool_calls or []:
                call = self.calls.setdefault(piece.index, _ToolCallParts())
                call.id = call.id or piece.id or ""
                if piece.function is not None:
                    call.name = call.name or piece.function.name or ""
                    if piece.function.arguments:
                        call.arguments.append(piece.function.arguments)
            if self.first_output_at is None and (
                delta.content or delta.refusal or delta.tool_calls
            ):
                self.first_output_at = now
            if choice.finish_reason is not None:
                self.finish_reason = choice.finish_reason
                if self.first_output_at is None:
                    self.first_output_at = now

    def message(self) -> ChatCompletionMessage:
        """The message as the non-streamed response carries it. Raises
        ``ProviderRejected(code="invalid_output")`` for a tool call without id or name."""
        calls = []
        for _, parts in sorted(self.calls.items()):
            if not parts.id or not parts.name:
                raise ProviderRejected(
                    "OpenAI streamed a tool call without its id or name", code="invalid_output"
                )
            calls.append(
                ChatCompletionMessageFunctionToolCall(
                    id=parts.id,
                    type="function",
                    function=Function(name=parts.name, arguments="".join(parts.arguments)),
                )
            )
        return ChatCompletionMessage(
            role="assistant",
            content=None if self.content is None else "".join(self.content),
            refusal="".join(self.refusal) or None,
            tool_calls=calls or None,
        )

    def stats(self) -> RequestStats:
        ended = self.ended_at if self.ended_at is not None else time.monotonic()
        first = self.first_output_at if self.first_output_at is not None else ended
        return RequestStats(
            ttft_ms=(first - self.started) * 1000,
            total_ms=(ended - self.started) * 1000,
            finish_reason=self.finish_reason or "",
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
        )


def _assistant_turn(
    content: str | None, calls: list[ChatCompletionMessageFunctionToolCall]
) -> ChatCompletionAssistantMessageParam:
    """The model's tool-calling message, sent back before the ``tool`` messages answering it."""
    return ChatCompletionAssistantMessageParam(
        role="assistant",
        content=content,
        tool_calls=[
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.function.name, "arguments": c.function.arguments},
            }
            for c in calls
        ],
    )


def parse_decision(content: str | None, zone: tzinfo | None = None) -> AgentDecision:
    """Parse the model's JSON into an ``AgentDecision``; ``slot_start`` is converted to UTC.

    With ``zone`` (the customer's), ``slot_start`` is read as the wall-clock time it states in
    that zone, and its offset replaced by the zone's offset on that day: the reply says the wall
    time, and models write the wrong offset for a day across a DST change.

    Raises ``ProviderRejected(code="invalid_output")`` for missing or invalid JSON, a schema
    violation, or a ``slot_start`` without a UTC offset.
    """
    if not content:
        raise ProviderRejected("the model returned no content", code="invalid_output")
    try:
        decision = AgentDecision.model_validate_json(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ProviderRejected(
            f"the model's output is not a valid decision: {where}: {first['type']}",
            code="invalid_output",
        ) from exc
    for proposal in [decision.proposal, *decision.proposals]:
        if proposal is None:
            continue
        slot_start = proposal.slot_start
        if slot_start.tzinfo is None or slot_start.utcoffset() is None:
            raise ProviderRejected(
                "the proposed slot_start has no UTC offset", code="invalid_output"
            )
        if zone is not None:
            slot_start = slot_start.replace(tzinfo=zone)
        proposal.slot_start = slot_start.astimezone(UTC)
    return decision


def render_context(context: AgentContext) -> str:
    """The turn as compact JSON for the user message.

    Datetimes are ISO 8601 in the customer's timezone (with offset), next to the weekday where
    the model has to say a day: models convert between zones unreliably, so it is done here.
    Bookings carry their ``id`` (what a reschedule or cancel names) and service; the business is
    its name and service keys (the rest is behind ``business_info``). The customer's phone
    number is left out: the model does not need it. Phone numbers, card numbers, IBANs and
    e-mail addresses in what the customer and the agent said (the message, the history, the
    summary, the goal) become placeholders (``switchboard.redaction``, "[phone number]"); the
    conversation log keeps the original.
    """
    facts = Facts.of(context)
    zone = facts.zone
    mask = facts.profile.redactor().for_vendor

    def local(moment: datetime) -> str:
        return facts.iso(moment)

    def day(moment: datetime) -> str:
        return as_utc(moment).astimezone(zone).strftime("%A")

    pending = context.pending
    profile = facts.profile
    payload: dict[str, Any] = {
        "now": local(context.now),
        "today": day(context.now),
        "timezone": context.timezone,
        "channel": context.channel.value,
        "message": mask(context.message),
        "summary": mask(context.summary) or None,
        "goal": mask(context.goal) if context.goal else None,
        "business": {
            "name": profile.name,
            "services": [{"key": s.key, "name": s.name} for s in profile.services],
            "default_service": profile.default_service,
        },
        "history": [
            {
                "channel": turn.channel.value,
                "direction": turn.direction.value,
                "at": local(turn.at),
                "text": mask(turn.text),
            }
            for turn in context.history
        ],
        "bookings": [
            {
                "id": booking.id,
                "slot_start": local(booking.slot_start),
                "day": day(booking.slot_start),
                "subject": booking.subject,
                "service": booking.service,
                "status": booking.status,
            }
            for booking in context.bookings
        ],
        "pending": None
        if pending is None
        else {
            "id": pending.id,
            "kind": pending.kind,
            "slot_start": local(pending.slot_start) if pending.slot_start else None,
            "day": day(pending.slot_start) if pending.slot_start else None,
            "subject": pending.subject,
            "booking_id": pending.booking_id,
            "expires_at": local(pending.expires_at),
        },
    }
    if pending is not None and pending.changes:
        # A proposal of several: what each of its changes is (kind "several").
        payload["pending"]["changes"] = [
            {
                "id": c.id,
                "kind": c.kind,
                "slot_start": local(c.slot_start),
                "day": day(c.slot_start),
                "subject": c.subject,
                "booking_id": c.booking_id,
            }
            for c in pending.changes
        ]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _from_openai_error(exc: openai.OpenAIError) -> ProviderError:
    """Map an ``openai`` exception onto the adapter error family (never includes the key)."""
    if isinstance(exc, openai.APITimeoutError):
        return ProviderUnavailable("OpenAI request timed out", code="timeout")
    if isinstance(exc, openai.APIConnectionError):
        return ProviderUnavailable(f"OpenAI unreachable: {exc.message}", code="connection")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        code = exc.code or str(status)
        message = f"OpenAI {status}: {exc.message}"
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return ProviderAuthError(message, code=code)
        if status == 429 and exc.code == "insufficient_quota":
            # OpenAI's billing refusal shares 429 with rate limiting, but waiting does not fix it.
            return ProviderRejected(message, code=code)
        if status in (408, 409, 429) or status >= 500:
            return ProviderUnavailable(
                message, code=code, retry_after_s=retry_after_from_headers(exc.response.headers)
            )
        return ProviderRejected(message, code=code)
    if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIResponseValidationError):
        # A `data: {"error": {...}}` event in a stream: the SDK raises a bare APIError for it.
        return ProviderUnavailable(
            f"OpenAI stream error: {exc.message}", code=exc.code or "stream_error"
        )
    # e.g. a response body the SDK could not read.
    return ProviderUnavailable(f"OpenAI error: {type(exc).__name__}")
