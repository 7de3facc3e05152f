"""OpenAIAgent through the real ``openai`` SDK against a fake Chat Completions endpoint, and the
adapter's tools and decision checks as pure functions.

``NOW`` is Friday 7 March 2025, 16:30 UTC = 17:30 in Paris (CET, UTC+1). The clinic is closed on
Sundays, takes one booking at a time (capacity 1), and Felix has a vaccination booked on Tuesday
11 March at 10:00 (``bk_2``); another customer holds Wednesday 12 March at 15:00.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
import openai
import pytest

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingProposal,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
    PendingChange,
)
from switchboard.availability import Busy, alternatives
from switchboard.business import BusinessProfile
from switchboard.providers.base import (
    ProviderAuthError,
    ProviderRejected,
    ProviderUnavailable,
)
from switchboard.providers.openai_agent import (
    DECISION_SCHEMA,
    MAX_TOOL_ROUNDS,
    OpenAIAgent,
    parse_decision,
)
from switchboard.providers.openai_checks import check_decision
from switchboard.providers.openai_tools import TOOLS, Facts, run_tool, zone_of
from switchboard.slots import format_slot
from tests.fakes.openai import FakeOpenAI, HttpFailure, StreamCut, ToolCall
from tests.fakes.server import free_port, serve

KEY = "sk-test"
MODEL = "gpt-4o-mini"
NOW = datetime(2025, 3, 7, 16, 30, tzinfo=UTC)  # a Friday; 17:30 in Paris
PENDING_ID = "0b9f3c1e-6a51-4a43-9d7e-3f1f0c2d5a77"
TUESDAY_10 = datetime(2025, 3, 11, 9, 0, tzinfo=UTC)  # Felix's vaccination, bk_2

PROFILE = BusinessProfile.model_validate(
    {
        "name": "Rue des Lilas Veterinary Clinic",
        "address": "12 rue des Lilas, 75011 Paris",
        "phone": "+33 1 84 88 12 34",
        "timezone": "Europe/Paris",
        "hours": {
            **{day: ["08:30-12:30", "14:00-19:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
            "sat": ["09:00-13:00"],
        },
        "holidays": {"country": "FR"},
        "slot_minutes": 15,
        "capacity": 1,
        "services": [
            {"key": "consultation", "name": "consultation", "duration_minutes": 30, "price": "€45"},
            {"key": "vaccination", "name": "vaccination", "duration_minutes": 15, "price": "€55"},
        ],
        "default_service": "consultation",
        "policies": {"cancellation": "Free up to 24 hours before."},
    }
)
BUSY = [
    Busy(booking_id="bk_2", start=TUESDAY_10, end=TUESDAY_10 + timedelta(minutes=15)),
    Busy(
        booking_id="bk_other",
        start=datetime(2025, 3, 12, 14, 0, tzinfo=UTC),
        end=datetime(2025, 3, 12, 14, 30, tzinfo=UTC),
    ),
]


@pytest.fixture
def fake() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI(api_key=KEY)
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture
async def agent(fake: tuple[FakeOpenAI, str]) -> AsyncIterator[OpenAIAgent]:
    _, url = fake
    agent = OpenAIAgent(KEY, model=MODEL, base_url=f"{url}/v1", timeout_s=5)
    yield agent
    await agent.aclose()


def context(
    *, pending: PendingAction | None = None, message: str = "Can you do Tuesday at 11 for Felix?"
) -> AgentContext:
    return AgentContext(
        customer="+33612345678",
        channel=Channel.WHATSAPP,
        message=message,
        now=NOW,
        timezone="Europe/Paris",
        history=[
            HistoryTurn(
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                text="Hi, it's about Felix, he needs a jab next week.",
                at=NOW - timedelta(hours=2),
            ),
            HistoryTurn(
                channel=Channel.VOICE,
                direction=Direction.OUTBOUND,
                text="Sure, which day suits you?",
                at=NOW - timedelta(hours=2) + timedelta(seconds=5),
            ),
        ],
        bookings=[
            BookingView(
                id="bk_1",
                slot_start=datetime(2025, 2, 20, 9, 0, tzinfo=UTC),
                subject="Felix",
                status="confirmed",
                service="consultation",
            ),
            BookingView(
                id="bk_2",
                slot_start=TUESDAY_10,
                subject="Felix",
                status="confirmed",
                service="vaccination",
            ),
        ],
        pending=pending,
        business=PROFILE,
        busy=BUSY,
    )


def pending_booking(*, expires_at: datetime = NOW + timedelta(minutes=15)) -> PendingAction:
    return PendingAction(
        id=PENDING_ID,
        slot_start=datetime(2025, 3, 11, 10, 0, tzinfo=UTC),
        subject="Felix",
        expires_at=expires_at,
        service="vaccination",
    )


def decision(intent: str, reply: str = "OK.", **fields: Any) -> dict[str, Any]:
    """A decision as the model writes it (every field present, strict mode)."""
    return {
        "reply": reply,
        "intent": intent,
        "proposal": None,
        "action_id": None,
        "confirmed": [],
        "note": "",
    } | fields


def proposal(
    slot_start: str, *, service: str | None = "vaccination", booking_id: str | None = None
) -> dict[str, Any]:
    return {
        "slot_start": slot_start,
        "subject": "Felix",
        "service": service,
        "booking_id": booking_id,
    }


PROPOSAL = decision(
    "propose_booking",
    "I can book Tuesday 11 March at 11:00 for Felix (vaccination). Reply YES to confirm.",
    proposal=proposal("2025-03-11T11:00:00+01:00"),
)


def said(moment: datetime) -> str:
    return format_slot(moment, "Europe/Paris")


def sent_context(request_json: dict[str, Any]) -> dict[str, Any]:
    user = request_json["messages"][1]
    assert user["role"] == "user"
    return dict(json.loads(user["content"]))


# -- through the SDK -------------------------------------------------------------------------------


async def test_proposal_request_and_result(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(PROPOSAL)

    result = await agent.decide(context())

    assert result.intent is Intent.PROPOSE_BOOKING
    assert result.reply == PROPOSAL["reply"]
    assert result.proposal == BookingProposal(
        slot_start=datetime(2025, 3, 11, 10, 0, tzinfo=UTC), subject="Felix", service="vaccination"
    )
    assert result.proposal.slot_start.utcoffset() == timedelta(0)
    assert result.action_id is None

    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json
    assert body["model"] == MODEL
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "agent_decision", "strict": True, "schema": DECISION_SCHEMA},
    }
    assert body["tools"] == TOOLS
    assert [t["function"]["name"] for t in body["tools"]] == [
        "check_availability",
        "free_times",
        "business_info",
    ]
    assert (body["tool_choice"], body["parallel_tool_calls"]) == ("auto", False)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    system = body["messages"][0]
    assert system["role"] == "system"
    assert "booking assistant" in system["content"]
    assert "exact" in system["content"] and "check_availability" in system["content"]
    sent = sent_context(body)
    assert sent["now"] == "2025-03-07T17:30+01:00"
    assert sent["today"] == "Friday"
    assert sent["timezone"] == "Europe/Paris"
    assert sent["channel"] == "whatsapp"
    assert sent["message"] == "Can you do Tuesday at 11 for Felix?"
    assert [(t["channel"], t["direction"]) for t in sent["history"]] == [
        ("voice", "inbound"),
        ("voice", "outbound"),
    ]
    assert sent["history"][0]["at"] == "2025-03-07T15:30+01:00"
    assert sent["bookings"][1] == {
        "id": "bk_2",
        "slot_start": "2025-03-11T10:00+01:00",
        "day": "Tuesday",
        "subject": "Felix",
        "service": "vaccination",
        "status": "confirmed",
    }
    assert sent["business"] == {
        "name": "Rue des Lilas Veterinary Clinic",
        "services": [
            {"key": "consultation", "name": "consultation"},
            {"key": "vaccination", "name": "vaccination"},
        ],
        "default_service": "consultation",
    }
    assert sent["pending"] is None
    assert "+33612345678" not in body["messages"][1]["content"]  # the phone number stays with us


async def test_tool_round_trip(fake: tuple[FakeOpenAI, str], agent: OpenAIAgent) -> None:
    """The model asks check_availability, gets the adapter's answer, then decides."""
    server, _ = fake
    [call] = server.call_tools(
        ToolCall(
            "check_availability", {"date": "2025-03-11", "time": "11:00", "service": "vaccination"}
        )
    )
    server.reply_with(PROPOSAL)

    result = await agent.decide(context())

    assert result.intent is Intent.PROPOSE_BOOKING
    assert result.proposal is not None
    assert result.proposal.slot_start == datetime(2025, 3, 11, 10, 0, tzinfo=UTC)
    first, second = server.requests
    assert len(first.json["messages"]) == 2
    system, user, assistant, tool = second.json["messages"]
    assert (system, user) == tuple(first.json["messages"])
    assert assistant == {"role": "assistant", "content": None, "tool_calls": [call.wire()]}
    assert tool["role"] == "tool"
    assert tool["tool_call_id"] == call.id
    assert json.loads(tool["content"]) == {
        "slot_start": "2025-03-11T11:00+01:00",
        "said": "Tuesday 11 March at 11:00",
        "service": "vaccination",
        "free": True,
    }
    assert second.json["tool_choice"] == "auto"


async def test_tool_rounds_are_bounded(fake: tuple[FakeOpenAI, str], agent: OpenAIAgent) -> None:
    """Three rounds (each tool once), then a request with tools off; the answers come from the
    profile and the calendar."""
    server, _ = fake
    calls = [
        server.call_tools(
            ToolCall("check_availability", {"date": "2025-03-12", "time": "15:00", "service": None})
        ),
        server.call_tools(
            ToolCall(
                "free_times",
                {"date": "2025-03-12", "service": "consultation", "part_of_day": "afternoon"},
            )
        ),
        server.call_tools(ToolCall("business_info", {"topic": "prices"})),
    ]
    answer = decision("check_availability", "Wednesday at 15:00 is taken; 14:30 is free.")
    server.reply_with(answer)

    result = await agent.decide(context(message="Is Wednesday at 3 free, and how much is it?"))

    assert (result.intent, result.reply) == (Intent.CHECK_AVAILABILITY, answer["reply"])
    assert len(server.requests) == MAX_TOOL_ROUNDS + 1
    assert [r.json["tool_choice"] for r in server.requests] == ["auto", "auto", "auto", "none"]
    final = server.requests[-1].json["messages"]
    tools = [m for m in final if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tools] == [c.id for [c] in calls]
    full, afternoon, prices = (json.loads(m["content"]) for m in tools)
    wednesday_15 = datetime(2025, 3, 12, 14, 0, tzinfo=UTC)
    expected = alternatives(PROFILE, BUSY, wednesday_15, PROFILE.service(), now=NOW)
    assert full == {
        "slot_start": "2025-03-12T15:00+01:00",
        "said": "Wednesday 12 March at 15:00",
        "service": "consultation",
        "free": False,
        "reason": "full",
        "why": "that time is fully booked",
        "alternatives": [
            {
                "slot_start": a.astimezone(zone_of("Europe/Paris")).isoformat(timespec="minutes"),
                "said": said(a),
            }
            for a in expected
        ],
    }
    assert afternoon["utc_offset"] == "+01:00"
    # From noon; the 30-minute consultation cannot overlap the other customer's 15:00-15:30.
    assert afternoon["times"][:5] == ["12:00", "14:00", "14:15", "14:30", "15:30"]
    assert prices["services"][1] == {
        "key": "vaccination",
        "name": "vaccination",
        "price": "€55",
        "minutes": 15,
    }


async def test_reschedule_names_the_booking(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(
        decision(
            "propose_reschedule",
            "I can move Felix's vaccination to Wednesday 12 March at 09:00. Reply YES to confirm.",
            proposal=proposal("2025-03-12T09:00:00+01:00", service=None, booking_id="bk_2"),
        )
    )

    result = await agent.decide(context(message="Can we move Felix to Wednesday at 9?"))

    assert result.intent is Intent.PROPOSE_RESCHEDULE
    assert result.proposal == BookingProposal(
        slot_start=datetime(2025, 3, 12, 8, 0, tzinfo=UTC),
        subject="Felix",
        service="vaccination",  # the booking's service: the model left it out
        booking_id="bk_2",
    )


@pytest.mark.parametrize(
    ("intent", "booking_id"),
    [
        ("propose_reschedule", "bk_999"),  # no such booking
        ("propose_reschedule", "bk_1"),  # in the past
        ("propose_cancel", "bk_42"),
    ],
)
async def test_unknown_booking_id_becomes_clarify(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent, intent: str, booking_id: str
) -> None:
    server, _ = fake
    server.reply_with(
        decision(
            intent,
            "Done.",
            proposal=proposal("2025-03-12T09:00:00+01:00", booking_id=booking_id),
        )
    )

    result = await agent.decide(context(message="Move my appointment to Wednesday at 9"))

    verb = "move" if intent == "propose_reschedule" else "cancel"
    assert result == AgentDecision(
        intent=Intent.CLARIFY,
        reply=f"Which appointment should I {verb}: the one for Felix on {said(TUESDAY_10)}?",
    )


async def test_slot_on_a_closed_day_becomes_clarify_with_alternatives(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(
        decision(
            "propose_booking",
            "I can book Sunday at 10:00 for Felix. Reply YES to confirm.",
            proposal=proposal("2025-03-09T10:00:00+01:00"),
        )
    )

    result = await agent.decide(context(message="Sunday at 10?"))

    sunday_10 = datetime(2025, 3, 9, 9, 0, tzinfo=UTC)
    options = [
        said(a)
        for a in alternatives(PROFILE, BUSY, sunday_10, PROFILE.service("vaccination"), now=NOW)
    ]
    assert len(options) == 3
    assert result.intent is Intent.CLARIFY
    assert result.proposal is None
    assert result.reply == (
        "Sorry, Sunday 9 March at 10:00 isn't possible: we're closed on Sundays. "
        f"I can offer {options[0]}, {options[1]} or {options[2]}. Which would suit you?"
    )


async def test_handoff_carries_the_note(fake: tuple[FakeOpenAI, str], agent: OpenAIAgent) -> None:
    server, _ = fake
    note = "Felix's owner asks whether his limp needs an X-ray; wants a vet to call back."
    server.reply_with(
        decision("handoff", "I've asked the team to get back to you here.", note=note)
    )

    result = await agent.decide(context(message="Can a vet tell me if his limp needs an X-ray?"))

    assert (result.intent, result.note, result.proposal) == (Intent.HANDOFF, note, None)


async def test_confirmation_carries_pending_action_id(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(decision("confirm", "Great, confirming that now.", action_id=PENDING_ID))
    result = await agent.decide(context(pending=pending_booking(), message="yes"))
    assert (result.intent, result.action_id, result.proposal) == (Intent.CONFIRM, PENDING_ID, None)
    sent = sent_context(server.requests[0].json)
    assert sent["pending"]["id"] == PENDING_ID
    assert sent["pending"]["slot_start"] == "2025-03-11T11:00+01:00"
    assert sent["pending"]["day"] == "Tuesday"


@pytest.mark.parametrize(
    "tail",
    [
        [{"role": "tool", "tool_call_id": "call_nobody", "content": "{}"}],
        [
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [ToolCall("business_info", {"topic": "hours"}, id="call_1").wire()],
            },
            {"role": "user", "content": "hello?"},
        ],
    ],
)
async def test_fake_enforces_the_tool_protocol(
    fake: tuple[FakeOpenAI, str], tail: list[dict[str, Any]]
) -> None:
    """The fake refuses what OpenAI refuses, so the round-trip tests mean something."""
    server, url = fake
    server.reply_with(PROPOSAL)
    client = openai.AsyncOpenAI(api_key=KEY, base_url=f"{url}/v1", max_retries=0)
    messages: list[Any] = [{"role": "user", "content": "hi"}, *tail]
    with pytest.raises(openai.BadRequestError) as caught:
        await client.chat.completions.create(model=MODEL, messages=messages)
    await client.close()
    assert "tool" in caught.value.message


def test_schemas_meet_strict_mode_rules() -> None:
    """Every object lists all its properties as required and forbids extra ones; every tool
    is strict."""

    def check(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert sorted(node["required"]) == sorted(node["properties"])
            for value in node.values():
                check(value)
        elif isinstance(node, list):
            for value in node:
                check(value)

    check(DECISION_SCHEMA)
    assert DECISION_SCHEMA["properties"]["intent"]["enum"] == [i.value for i in Intent]
    for tool in TOOLS:
        assert tool["function"].get("strict") is True
        check(tool["function"].get("parameters"))


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"reply": "Sure', "truncated JSON"),
        ("I can book Tuesday.", "not JSON"),
        (json.dumps({**PROPOSAL, "intent": "book_it"}), "intent outside the enum"),
        (json.dumps({"intent": "greeting"}), "reply missing"),
        (
            json.dumps({**PROPOSAL, "proposal": proposal("2025-03-11T10:00:00")}),
            "slot without UTC offset",
        ),
    ],
)
async def test_invalid_output_is_rejected(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent, content: str, why: str
) -> None:
    server, _ = fake
    server.reply_raw(content)
    with pytest.raises(ProviderRejected) as caught:
        await agent.decide(context())
    assert caught.value.code == "invalid_output", why
    assert not caught.value.retryable


async def test_refusal_is_rejected(fake: tuple[FakeOpenAI, str], agent: OpenAIAgent) -> None:
    server, _ = fake
    server.reply_with(PROPOSAL)
    server.refusal = "I'm sorry, I can't help with that."
    with pytest.raises(ProviderRejected) as caught:
        await agent.decide(context())
    assert caught.value.code == "refusal"


async def test_wrong_key_is_an_auth_error(fake: tuple[FakeOpenAI, str]) -> None:
    server, url = fake
    agent = OpenAIAgent("sk-wrong", model=MODEL, base_url=f"{url}/v1", timeout_s=5)
    with pytest.raises(ProviderAuthError) as caught:
        await agent.decide(context())
    await agent.aclose()
    assert caught.value.code == "invalid_api_key"
    assert len(server.requests) == 1


async def test_server_error_is_unavailable_and_sent_once(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.failure = HttpFailure(500)
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    assert caught.value.retryable
    assert len(server.requests) == 1  # max_retries=0: the SDK would otherwise retry a 500 twice


async def test_rate_limit_carries_retry_after(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.failure = HttpFailure(
        429,
        "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 500.",
        type="requests",
        code="rate_limit_exceeded",
        headers={"Retry-After": "7"},
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    assert caught.value.retry_after_s == pytest.approx(7)
    assert caught.value.code == "rate_limit_exceeded"
    assert len(server.requests) == 1


async def test_exhausted_quota_is_rejected_not_retried(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.failure = HttpFailure(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        type="insufficient_quota",
        code="insufficient_quota",
    )
    with pytest.raises(ProviderRejected) as caught:
        await agent.decide(context())
    assert caught.value.code == "insufficient_quota"


async def test_bad_request_is_rejected(fake: tuple[FakeOpenAI, str], agent: OpenAIAgent) -> None:
    server, _ = fake
    server.failure = HttpFailure(
        400,
        "Invalid schema for response_format 'agent_decision'.",
        type="invalid_request_error",
        param="response_format",
    )
    with pytest.raises(ProviderRejected) as caught:
        await agent.decide(context())
    assert caught.value.code == "400"  # OpenAI sent no code
    assert "Invalid schema" in str(caught.value)


async def test_timeout_is_unavailable_and_sent_once(fake: tuple[FakeOpenAI, str]) -> None:
    server, url = fake
    server.reply_with(PROPOSAL)
    server.delay_s = 0.5
    agent = OpenAIAgent(KEY, model=MODEL, base_url=f"{url}/v1", timeout_s=0.1)
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    await agent.aclose()
    assert caught.value.code == "timeout"
    assert len(server.requests) == 1


async def test_connection_refused_is_unavailable() -> None:
    agent = OpenAIAgent(
        KEY, model=MODEL, base_url=f"http://127.0.0.1:{free_port()}/v1", timeout_s=5
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    await agent.aclose()
    assert caught.value.code == "connection"


# -- the stream ------------------------------------------------------------------------------------


async def test_fake_speaks_openai_sse(fake: tuple[FakeOpenAI, str]) -> None:
    """The fake's stream, read as raw bytes: what the SDK parses in every test above."""
    server, url = fake
    server.reply_with(PROPOSAL)
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{url}/v1/chat/completions", json=body, headers={"authorization": f"Bearer {KEY}"}
        )
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    events = response.text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(e.startswith("data: ") and "\n" not in e for e in events[:-1])
    chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-2]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": "", "refusal": None}
    *answer, finish, usage = chunks
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in answer)
    assert json.loads(text) == PROPOSAL
    assert len(answer) > 10  # the content came in pieces
    assert finish["choices"] == [
        {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    ]
    assert all(c["usage"] is None for c in [*answer, finish])
    assert (usage["choices"], usage["usage"]["prompt_tokens"]) == ([], 612)


async def test_tool_call_arguments_are_put_back_together(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    """Two calls in one answer, each opening with id and name, arguments in 3-character pieces:
    the tool messages answer each by id, in order, with the arguments read whole."""
    server, _ = fake
    server.piece_chars = 3
    calls = server.call_tools(
        ToolCall("check_availability", {"date": "2025-03-11", "time": "11:00", "service": None}),
        ToolCall("business_info", {"topic": "prices"}),
    )
    server.reply_with(PROPOSAL)

    result, stats = await agent.decide_with_stats(context())

    assert result.intent is Intent.PROPOSE_BOOKING
    sent = [c["choices"][0]["delta"] for c in server.streams[0][:-2]]
    pieces = [d["tool_calls"][0] for d in sent]
    assert [p["index"] for p in pieces if "id" in p] == [0, 1]
    assert [p["function"]["name"] for p in pieces if "id" in p] == [c.name for c in calls]
    assert sum(1 for p in pieces if p["index"] == 0 and "id" not in p) > 5
    _, _, assistant, *tools = server.requests[1].json["messages"]
    assert assistant == {
        "role": "assistant",
        "content": None,
        "tool_calls": [call.wire() for call in calls],
    }
    assert [t["tool_call_id"] for t in tools] == [c.id for c in calls]
    assert json.loads(tools[0]["content"])["free"] is True
    assert json.loads(tools[1]["content"])["services"][0]["key"] == "consultation"
    assert [r.finish_reason for r in stats.requests] == ["tool_calls", "stop"]


async def test_malformed_arguments_across_chunks_get_the_tool_error(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.piece_chars = 2
    [call] = server.call_tools(ToolCall("check_availability", '{"date": "2025-03-11", "ti'))
    server.reply_with(PROPOSAL)

    result = await agent.decide(context())

    assert result.intent is Intent.PROPOSE_BOOKING
    tool = server.requests[1].json["messages"][-1]
    assert tool["tool_call_id"] == call.id
    assert json.loads(tool["content"])["error"].startswith("bad arguments")


async def test_time_to_first_token_is_measured(fake: tuple[FakeOpenAI, str]) -> None:
    server, url = fake
    server.call_tools(ToolCall("business_info", {"topic": "hours"}))
    server.reply_with(PROPOSAL)
    server.first_chunk_delay_s = 0.3
    agent = OpenAIAgent(KEY, model=MODEL, base_url=f"{url}/v1", timeout_s=5)
    assert agent.last_ttft_ms is None

    result = await agent.decide(context())
    await agent.aclose()

    stats = agent.last_stats
    assert result.intent is Intent.PROPOSE_BOOKING and stats is not None
    assert len(stats.requests) == 2
    assert agent.last_ttft_ms == stats.ttft_ms == stats.requests[0].ttft_ms
    for request in stats.requests:
        assert 300 <= request.ttft_ms <= request.total_ms < 5000
        assert (request.prompt_tokens, request.completion_tokens) == (612, 41)
    assert stats.total_ms == pytest.approx(sum(r.total_ms for r in stats.requests))


async def test_a_failed_turn_clears_the_last_stats(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(PROPOSAL)
    await agent.decide(context())
    assert agent.last_ttft_ms is not None
    server.failure = HttpFailure(500)
    with pytest.raises(ProviderUnavailable):
        await agent.decide(context())
    assert agent.last_stats is None


@pytest.mark.parametrize(
    ("first_chunk_delay_s", "chunk_delay_s"),
    [
        (1.0, 0.0),  # no first token within the turn's budget
        (0.0, 0.03),  # every chunk comes quickly, the whole answer does not
    ],
)
async def test_a_slow_stream_times_out_within_the_turn(
    fake: tuple[FakeOpenAI, str], first_chunk_delay_s: float, chunk_delay_s: float
) -> None:
    server, url = fake
    server.reply_with(PROPOSAL)
    server.piece_chars = 2
    server.first_chunk_delay_s = first_chunk_delay_s
    server.chunk_delay_s = chunk_delay_s
    agent = OpenAIAgent(KEY, model=MODEL, base_url=f"{url}/v1", timeout_s=0.4)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    elapsed = time.monotonic() - started
    await agent.aclose()
    assert caught.value.code == "timeout"
    assert elapsed < 0.9
    assert len(server.requests) == 1


@pytest.mark.parametrize("how", ["drop", "eof", "done"])
@pytest.mark.parametrize("tools", [False, True], ids=["answer", "tool_call"])
async def test_a_broken_stream_is_unavailable_never_a_half_decision(
    fake: tuple[FakeOpenAI, str],
    agent: OpenAIAgent,
    how: Literal["drop", "eof", "done"],
    tools: bool,
) -> None:
    """Cut after 5 chunks: mid-content, or mid-arguments (no tool runs, nothing is asked)."""
    server, _ = fake
    if tools:
        server.call_tools(
            ToolCall("check_availability", {"date": "2025-03-11", "time": "11:00", "service": None})
        )
    server.reply_with(PROPOSAL)
    server.cut = StreamCut(after_events=5, how=how)
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    assert caught.value.code == "stream_interrupted"
    assert caught.value.retryable
    # "drop": the SDK lets httpx's error through (an incomplete chunked body); the others end
    # cleanly, without a finish_reason.
    cause = caught.value.__cause__
    assert isinstance(cause, httpx.RemoteProtocolError) if how == "drop" else cause is None
    assert len(server.requests) == 1
    assert agent.last_stats is None


async def test_an_error_event_mid_stream_is_unavailable(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(PROPOSAL)
    server.cut = StreamCut(after_events=3, how="error")
    with pytest.raises(ProviderUnavailable) as caught:
        await agent.decide(context())
    assert caught.value.code == "server_error"
    assert "while processing your request" in str(caught.value)


async def test_a_content_filter_stop_is_rejected(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_raw('{"reply": "I can')
    server.finish_reason = "content_filter"
    with pytest.raises(ProviderRejected) as caught:
        await agent.decide(context())
    assert caught.value.code == "content_filter"


# -- the checks and tools, without HTTP ------------------------------------------------------------


def checked(raw: dict[str, Any], ctx: AgentContext | None = None) -> AgentDecision:
    return check_decision(parse_decision(json.dumps(raw)), Facts.of(ctx or context()))


@pytest.mark.parametrize(
    ("pending", "action_id", "reply"),
    [
        (None, PENDING_ID, "Sorry, what would you like to book or change?"),
        (
            pending_booking(expires_at=NOW - timedelta(seconds=1)),
            PENDING_ID,
            "Sorry, that offer has expired, so nothing has changed. Tell me what you'd like and "
            "I'll propose it afresh.",
        ),
        (
            pending_booking(),
            "a-made-up-id",
            "Just to check: shall I go ahead with the booking on Tuesday 11 March at 11:00 for "
            "Felix?",
        ),
    ],
)
def test_confirm_without_the_live_pending_id_becomes_clarify(
    pending: PendingAction | None, action_id: str, reply: str
) -> None:
    result = checked(decision("confirm", "Done!", action_id=action_id), context(pending=pending))
    assert result == AgentDecision(intent=Intent.CLARIFY, reply=reply)


def two_pets_pending() -> PendingAction:
    return PendingAction(
        id=PENDING_ID,
        kind="several",
        slot_start=datetime(2025, 3, 11, 10, 0, tzinfo=UTC),
        subject="Felix, Tom",
        expires_at=NOW + timedelta(minutes=15),
        changes=[
            PendingChange(
                id=f"{PENDING_ID}-{n}",
                kind="book",
                slot_start=datetime(2025, 3, 11, 10, 0, tzinfo=UTC),
                subject=pet,
            )
            for n, pet in enumerate(["Felix", "Tom"])
        ],
    )


def test_a_yes_to_some_of_several_changes_keeps_their_ids() -> None:
    raw = decision("confirm", "Done: Felix is booked.", action_id=PENDING_ID)
    raw["confirmed"] = [f"{PENDING_ID}-0"]

    result = checked(raw, context(pending=two_pets_pending()))

    assert (result.intent, result.confirmed) == (Intent.CONFIRM, [f"{PENDING_ID}-0"])


def test_a_yes_to_a_change_the_action_does_not_hold_becomes_clarify() -> None:
    raw = decision("confirm", "Done!", action_id=PENDING_ID)
    raw["confirmed"] = ["made-up"]

    result = checked(raw, context(pending=two_pets_pending()))

    assert result.intent is Intent.CLARIFY
    assert result.confirmed == []


def test_changes_kept_are_cleared_from_other_intents() -> None:
    raw = decision("decline", "OK, nothing booked.", action_id=PENDING_ID)
    raw["confirmed"] = [f"{PENDING_ID}-0"]

    result = checked(raw, context(pending=two_pets_pending()))

    assert (result.intent, result.confirmed) == (Intent.DECLINE, [])


def test_unknown_service_falls_back_to_the_default() -> None:
    raw = {**PROPOSAL, "proposal": proposal("2025-03-11T11:00:00+01:00", service="haircut")}
    result = checked(raw)
    assert result.proposal is not None
    assert result.proposal.service == "consultation"


def test_cancel_reads_back_the_booking_itself() -> None:
    raw = decision(
        "propose_cancel",
        "I can cancel Felix on Thursday. Reply YES to confirm.",
        proposal=proposal("2025-03-13T10:00:00+01:00", service=None, booking_id="bk_2"),
    )
    result = checked(raw)
    assert result.intent is Intent.PROPOSE_CANCEL
    assert result.proposal == BookingProposal(
        slot_start=TUESDAY_10, subject="Felix", service="vaccination", booking_id="bk_2"
    )
    assert result.reply == (
        "I can cancel the appointment for Felix on Tuesday 11 March at 10:00. Reply YES to confirm."
    )


def reschedule_to_own_slot(service: str) -> AgentDecision:
    """bk_2, Felix's vaccination on Tuesday 11 March at 10:00, proposed at that same slot."""
    raw = decision(
        "propose_reschedule",
        "I can change Felix's appointment to a consultation. Reply YES to confirm.",
        proposal=proposal("2025-03-11T10:00:00+01:00", service=service, booking_id="bk_2"),
    )
    return checked(raw)


def test_a_reschedule_to_its_own_slot_as_another_service_changes_the_service() -> None:
    result = reschedule_to_own_slot("consultation")
    assert result.intent is Intent.PROPOSE_RESCHEDULE
    assert result.proposal is not None
    assert (result.proposal.slot_start, result.proposal.service) == (TUESDAY_10, "consultation")


def test_a_reschedule_to_its_own_slot_as_the_same_service_asks_when() -> None:
    result = reschedule_to_own_slot("vaccination")
    assert result.intent is Intent.CLARIFY
    assert "already on Tuesday 11 March at 10:00" in result.reply


def test_a_swap_counts_the_slots_its_moves_leave_as_free() -> None:
    # Capacity 1: Felix (bk_2, Tuesday 10:00) and Rex (bk_3, Wednesday 10:00) trade places.
    wednesday_10 = TUESDAY_10 + timedelta(days=1)
    rex = BookingView(
        id="bk_3", slot_start=wednesday_10, subject="Rex", status="confirmed", service="vaccination"
    )
    ctx = context()
    ctx = ctx.model_copy(
        update={
            "bookings": [*ctx.bookings, rex],
            "busy": [
                *ctx.busy,
                Busy(
                    booking_id="bk_3", start=wednesday_10, end=wednesday_10 + timedelta(minutes=15)
                ),
            ],
        }
    )
    raw = decision(
        "propose_changes",
        "I can swap Felix and Rex. Reply YES to confirm.",
        proposals=[
            {**proposal("2025-03-12T10:00:00+01:00", booking_id="bk_2"), "kind": "reschedule"},
            {
                **proposal("2025-03-11T10:00:00+01:00", booking_id="bk_3"),
                "subject": "Rex",
                "kind": "reschedule",
            },
        ],
    )

    result = checked(raw, ctx)

    assert result.intent is Intent.PROPOSE_CHANGES, result.reply
    assert [(p.subject, p.slot_start) for p in result.proposals] == [
        ("Felix", wednesday_10),
        ("Rex", TUESDAY_10),
    ]


def test_stray_fields_are_cleared() -> None:
    raw = decision(
        "check_availability",
        "Yes, Tuesday at 11:00 is free.",
        proposal=proposal("2025-03-11T11:00:00+01:00"),
        action_id=PENDING_ID,
    )
    result = checked(raw)
    assert (result.intent, result.proposal, result.action_id) == (
        Intent.CHECK_AVAILABILITY,
        None,
        None,
    )


def test_slot_keeps_its_wall_time_across_a_dst_change() -> None:
    """Paris moves to UTC+2 on 30 March; a model copying today's +01:00 still means 10:00."""
    raw = json.dumps({**PROPOSAL, "proposal": proposal("2025-03-31T10:00:00+01:00")})
    result = parse_decision(raw, zone_of("Europe/Paris"))
    assert result.proposal is not None
    assert result.proposal.slot_start == datetime(2025, 3, 31, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "arguments", "error"),
    [
        ("check_availability", "{not json", "bad arguments"),
        ("check_availability", '{"date": "2025-02-30", "time": "10:00", "service": null}', "bad"),
        ("free_times", '{"service": null}', "bad arguments"),
        ("business_info", '{"topic": "gossip"}', "topic must be one of"),
        ("book_it", "{}", "unknown tool 'book_it'"),
    ],
)
def test_bad_tool_calls_get_an_error_not_an_exception(
    name: str, arguments: str, error: str
) -> None:
    answer = json.loads(run_tool(name, arguments, Facts.of(context())))
    assert error in answer["error"]


def test_business_info_answers_from_the_profile() -> None:
    facts = Facts.of(context())
    hours = json.loads(run_tool("business_info", '{"topic": "hours"}', facts))
    assert hours["opening_hours"] == PROFILE.opening_hours_text()
    # Easter Monday (21 April) is beyond 30 days; nothing else closes in March 2025 in France.
    assert hours["closures"] == []
    address = json.loads(run_tool("business_info", '{"topic": "address"}', facts))
    assert address["address"] == "12 rue des Lilas, 75011 Paris"
    policies = json.loads(run_tool("business_info", '{"topic": "policies"}', facts))
    assert policies["policies"] == {"cancellation": "Free up to 24 hours before."}


def test_free_times_on_a_closed_day_says_why_and_offers_other_days() -> None:
    answer = json.loads(
        run_tool(
            "free_times",
            '{"date": "2025-03-09", "service": "vaccination", "part_of_day": null}',
            Facts.of(context()),
        )
    )
    assert answer["times"] == []
    assert answer["why"] == "we're closed on Sundays"
    assert len(answer["alternatives"]) == 3


def test_a_new_booking_over_the_pets_own_is_refused_with_when_that_one_is() -> None:
    # capacity 2: the calendar has room, but Felix is in his vaccination then (bk_2, 10:00)
    roomy = context().model_copy(update={"business": PROFILE.model_copy(update={"capacity": 2})})
    raw = {**PROPOSAL, "proposal": proposal("2025-03-11T10:00:00+01:00")}

    result = checked(raw, roomy)

    assert result == AgentDecision(
        intent=Intent.CLARIFY,
        reply="Felix is already booked for Tuesday 11 March at 10:00. Would you like to change "
        "that appointment, or book another time?",
    )
    later = checked({**PROPOSAL, "proposal": proposal("2025-03-11T10:15:00+01:00")}, roomy)
    assert later.intent is Intent.PROPOSE_BOOKING  # after the vaccination's 15 minutes
