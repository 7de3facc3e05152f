"""The booking agent on OpenAI Chat Completions with Structured Outputs, through ``openai`` 2.x.

One request per turn: ``POST {base_url}/chat/completions`` (``base_url`` ends in ``/v1``; the SDK
appends the resource path) with a system prompt, the turn's ``AgentContext`` as compact JSON, and
``response_format={"type": "json_schema", "json_schema": {"strict": true, ...}}`` so the model's
answer is constrained to ``DECISION_SCHEMA`` (OpenAI docs, "Structured Outputs").

The model only proposes: the customer workflow validates the decision (e.g. a confirmation must
carry the pending action's ID) before any side effect runs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import openai
from openai.types.chat import (
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
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

# Passed explicitly: with base_url=None the SDK would read OPENAI_BASE_URL from the environment,
# and Switchboard's settings are meant to be the only place that chooses the endpoint.
DEFAULT_BASE_URL = "https://api.openai.com/v1"

SYSTEM_PROMPT = """\
You are Switchboard's booking assistant. Customers reach you by phone and on WhatsApp; it is one \
conversation across both channels.

The user message is a JSON object: the customer's new "message" on "channel", the time "now", \
their "timezone", a "summary" of older turns, the latest "history" turns (oldest first, each with \
its channel, direction and time), their "bookings" from the CRM, and the "pending" action waiting \
for their confirmation (or null). All times in it are already in the customer's timezone.

Rules:
- Never say a booking is made, changed or cancelled. Propose it, read it back, and ask the \
customer to confirm (intent "propose_booking", with "proposal" set).
- Use intent "confirm" or "decline" only when the customer answers the pending action, and set \
"action_id" to that pending action's exact "id". With no pending action, never confirm.
- Answer questions about existing bookings only from "bookings" (intent "ask_booking"); if it is \
not there, say you cannot see it.
- If the request is unclear, ask one short question (intent "clarify"). If they want a person, \
use "handoff".
- Reply in one or two short sentences, in the customer's language, with no lists or markup: \
replies are also spoken on the phone.
- Say times in the customer's timezone, e.g. "Tuesday at 10:00".
- "proposal.slot_start" is an ISO 8601 date-time with its UTC offset, in the customer's timezone.
- Set fields that do not apply to null.
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
                            "description": "What the booking is for, in a few words.",
                        },
                    },
                    "required": ["slot_start", "subject"],
                    "additionalProperties": False,
                },
                _NULL,
            ],
            "description": "The slot proposed with propose_booking; null otherwise.",
        },
        "action_id": {
            "type": ["string", "null"],
            "description": "The pending action's exact id with confirm or decline; null otherwise.",
        },
    },
    "required": ["reply", "intent", "proposal", "action_id"],
    "additionalProperties": False,
}

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "agent_decision", "strict": True, "schema": DECISION_SCHEMA},
}


class OpenAIAgent:
    """``Agent`` backed by an OpenAI chat model.

    ``base_url`` is the API root including ``/v1`` (None: ``https://api.openai.com/v1``);
    ``timeout_s`` bounds each request. The SDK's own retries are off (``max_retries=0``): the
    activity's Temporal retry policy owns retries.
    """

    def __init__(self, api_key: str, *, model: str, base_url: str | None, timeout_s: float) -> None:
        self._model = model
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
        """Ask the model for this turn's reply and intent.

        ``proposal.slot_start`` in the result is UTC.

        Raises ``ProviderUnavailable`` (timeout, connection error, 408/409/429/5xx;
        ``retry_after_s`` from ``retry-after-ms``/``Retry-After``), ``ProviderAuthError``
        (401/403) or ``ProviderRejected`` (other 4xx with OpenAI's error code; 429
        ``insufficient_quota``; a refusal, ``code="refusal"``; output that is not a valid
        decision, ``code="invalid_output"``, so the workflow can fall back to a safe reply).
        """
        messages: list[ChatCompletionMessageParam] = [
            ChatCompletionSystemMessageParam(role="system", content=SYSTEM_PROMPT),
            ChatCompletionUserMessageParam(role="user", content=render_context(context)),
        ]
        try:
            completion = await self._client.chat.completions.create(
                model=self._model, messages=messages, response_format=RESPONSE_FORMAT
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
        return parse_decision(choice.message.content)


def parse_decision(content: str | None) -> AgentDecision:
    """Parse the model's JSON into an ``AgentDecision``; ``slot_start`` is converted to UTC.

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
        decision.proposal.slot_start = slot_start.astimezone(UTC)
    return decision


def render_context(context: AgentContext) -> str:
    """The turn as compact JSON for the user message.

    Datetimes are ISO 8601 in the customer's timezone (with offset), next to the weekday where
    the model has to say a day: models convert between zones unreliably, so it is done here.
    The customer's phone number is left out: the model does not need it.
    """
    zone = _zone(context.timezone)

    def local(moment: datetime) -> str:
        return _aware(moment).astimezone(zone).isoformat(timespec="minutes")

    def day(moment: datetime) -> str:
        return _aware(moment).astimezone(zone).strftime("%A")

    pending = context.pending
    payload: dict[str, Any] = {
        "now": local(context.now),
        "today": day(context.now),
        "timezone": context.timezone,
        "channel": context.channel.value,
        "message": context.message,
        "summary": context.summary or None,
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
            "expires_at": local(pending.expires_at),
        },
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # An unknown zone must not fail the turn; the JSON still names the zone that was asked.
        return UTC


def _aware(moment: datetime) -> datetime:
    # AgentContext times are UTC by contract; a naive one is read as UTC, not as server time.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
