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

The model only proposes. ``openai_checks.check_decision`` holds its decision to the local agent's
contract before it is returned (a proposed slot is free, a reschedule or cancel names one of the
customer's upcoming bookings, a confirmation names the live pending action), and the customer
workflow validates it again against its own state before any side effect runs.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, tzinfo
from typing import Any

import openai
from openai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessage,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionUserMessageParam,
)
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
with the new slot_start and "booking_id" = the booking's "id"), "propose_cancel" (proposal with \
"booking_id" and the booking's current slot_start). Only confirmed bookings that are still to \
come can be moved or cancelled; if it is unclear which, ask.
- "confirm" or "decline" only when the customer answers the pending action, with "action_id" \
set to its exact "id". With no pending action, never confirm.
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
        "action_id": {
            "type": ["string", "null"],
            "description": "The pending action's exact id with confirm or decline; null otherwise.",
        },
        "note": {
            "type": "string",
            "description": "With handoff: a short summary for the team. Empty otherwise.",
        },
    },
    "required": ["reply", "intent", "proposal", "action_id", "note"],
    "additionalProperties": False,
}

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "agent_decision", "strict": True, "schema": DECISION_SCHEMA},
}


class OpenAIAgent:
    """``Agent`` backed by an OpenAI chat model.

    ``base_url`` is the API root including ``/v1`` (None: ``https://api.openai.com/v1``);
    ``timeout_s`` bounds the whole turn, every request of the tool loop included. The SDK's own
    retries are off (``max_retries=0``): the activity's Temporal retry policy owns retries.
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

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()

    async def decide(self, context: AgentContext) -> AgentDecision:
        """Ask the model for this turn's reply and intent, answering its tool calls on the way,
        and check the decision (module docstring).

        ``proposal.slot_start`` in the result is UTC.

        Raises ``ProviderUnavailable`` (timeout, connection error, 408/409/429/5xx;
        ``retry_after_s`` from ``retry-after-ms``/``Retry-After``), ``ProviderAuthError``
        (401/403) or ``ProviderRejected`` (other 4xx with OpenAI's error code; 429
        ``insufficient_quota``; a refusal, ``code="refusal"``; output that is not a valid
        decision, ``code="invalid_output"``, so the workflow can fall back to a safe reply).
        """
        facts = Facts.of(context)
        deadline = time.monotonic() + self._timeout_s
        messages: list[ChatCompletionMessageParam] = [
            ChatCompletionSystemMessageParam(role="system", content=SYSTEM_PROMPT),
            ChatCompletionUserMessageParam(role="user", content=render_context(context)),
        ]
        for _ in range(MAX_TOOL_ROUNDS):
            message = await self._complete(messages, deadline, tools_allowed=True)
            calls = [
                c
                for c in message.tool_calls or []
                if isinstance(c, ChatCompletionMessageFunctionToolCall)
            ]
            if not calls:
                return check_decision(parse_decision(message.content, facts.zone), facts)
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
        message = await self._complete(messages, deadline, tools_allowed=False)
        return check_decision(parse_decision(message.content, facts.zone), facts)

    async def _complete(
        self, messages: list[ChatCompletionMessageParam], deadline: float, *, tools_allowed: bool
    ) -> ChatCompletionMessage:
        """One request; the first choice's message. ``deadline`` is ``time.monotonic()``'s."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderUnavailable("OpenAI request timed out", code="timeout")
        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=messages,
                tools=TOOLS,
                tool_choice="auto" if tools_allowed else "none",
                parallel_tool_calls=False,
                response_format=RESPONSE_FORMAT,
                timeout=remaining,
            )
        except openai.OpenAIError as exc:
            raise _from_openai_error(exc) from exc
        if not completion.choices:
            raise ProviderRejected("OpenAI returned no choices", code="invalid_output")
        choice = completion.choices[0]
        if choice.message.refusal:
            raise ProviderRejected("the model refused to answer", code="refusal")
        if choice.finish_reason == "content_filter":
            raise ProviderRejected(
                "the answer was stopped by a content filter", code="content_filter"
            )
        # finish_reason "length" leaves truncated JSON, which parse_decision rejects.
        return choice.message


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
    if decision.proposal is not None:
        slot_start = decision.proposal.slot_start
        if slot_start.tzinfo is None or slot_start.utcoffset() is None:
            raise ProviderRejected(
                "the proposed slot_start has no UTC offset", code="invalid_output"
            )
        if zone is not None:
            slot_start = slot_start.replace(tzinfo=zone)
        decision.proposal.slot_start = slot_start.astimezone(UTC)
    return decision


def render_context(context: AgentContext) -> str:
    """The turn as compact JSON for the user message.

    Datetimes are ISO 8601 in the customer's timezone (with offset), next to the weekday where
    the model has to say a day: models convert between zones unreliably, so it is done here.
    Bookings carry their ``id`` (what a reschedule or cancel names) and service; the business is
    its name and service keys (the rest is behind ``business_info``). The customer's phone
    number is left out: the model does not need it.
    """
    facts = Facts.of(context)
    zone = facts.zone

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
        "message": context.message,
        "summary": context.summary or None,
        "goal": context.goal,
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
                "text": turn.text,
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
    # e.g. a response body the SDK could not read.
    return ProviderUnavailable(f"OpenAI error: {type(exc).__name__}")
