"""OpenAIAgent through the real ``openai`` SDK against a fake Chat Completions endpoint."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from switchboard.agent_models import (
    AgentContext,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
)
from switchboard.providers.base import (
    ProviderAuthError,
    ProviderRejected,
    ProviderUnavailable,
)
from switchboard.providers.openai_agent import DECISION_SCHEMA, OpenAIAgent
from tests.fakes.openai import FakeOpenAI, HttpFailure
from tests.fakes.server import free_port, serve

KEY = "sk-test"
MODEL = "gpt-4o-mini"
NOW = datetime(2025, 3, 7, 16, 30, tzinfo=UTC)  # a Friday; 17:30 in Paris
PENDING_ID = "0b9f3c1e-6a51-4a43-9d7e-3f1f0c2d5a77"


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


def context(*, pending: bool = False) -> AgentContext:
    return AgentContext(
        customer="+33612345678",
        channel=Channel.WHATSAPP,
        message="Can you do Tuesday at 10 for a haircut?",
        now=NOW,
        timezone="Europe/Paris",
        history=[
            HistoryTurn(
                channel=Channel.VOICE,
                direction=Direction.INBOUND,
                text="Hi, it's Felix, I need a haircut next week.",
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
                subject="Haircut",
                status="confirmed",
            )
        ],
        pending=PendingAction(
            id=PENDING_ID,
            slot_start=datetime(2025, 3, 11, 9, 0, tzinfo=UTC),
            subject="Haircut",
            expires_at=NOW + timedelta(minutes=15),
        )
        if pending
        else None,
    )


PROPOSAL: dict[str, Any] = {
    "reply": "I can book Tuesday at 10:00 for a haircut. Reply YES to confirm.",
    "intent": "propose_booking",
    "proposal": {"slot_start": "2025-03-11T10:00:00+01:00", "subject": "Haircut"},
    "action_id": None,
}


async def test_proposal_request_and_result(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(PROPOSAL)

    decision = await agent.decide(context())

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.reply == PROPOSAL["reply"]
    assert decision.proposal is not None
    assert decision.proposal.slot_start == datetime(2025, 3, 11, 9, 0, tzinfo=UTC)
    assert decision.proposal.slot_start.utcoffset() == timedelta(0)
    assert decision.action_id is None

    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json
    assert body["model"] == MODEL
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "agent_decision", "strict": True, "schema": DECISION_SCHEMA},
    }
    system, user = body["messages"]
    assert system["role"] == "system"
    assert "booking assistant" in system["content"]
    assert "exact" in system["content"] and "confirm" in system["content"]
    assert user["role"] == "user"
    sent = json.loads(user["content"])
    assert sent["now"] == "2025-03-07T17:30+01:00"
    assert sent["today"] == "Friday"
    assert sent["timezone"] == "Europe/Paris"
    assert sent["channel"] == "whatsapp"
    assert sent["message"] == "Can you do Tuesday at 10 for a haircut?"
    assert [(t["channel"], t["direction"]) for t in sent["history"]] == [
        ("voice", "inbound"),
        ("voice", "outbound"),
    ]
    assert sent["history"][0]["at"] == "2025-03-07T15:30+01:00"
    assert sent["bookings"] == [
        {
            "id": "bk_1",
            "slot_start": "2025-02-20T10:00+01:00",
            "day": "Thursday",
            "subject": "Haircut",
            "status": "confirmed",
        }
    ]
    assert sent["pending"] is None
    assert "+33612345678" not in user["content"]  # the phone number stays with us


async def test_confirmation_carries_pending_action_id(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent
) -> None:
    server, _ = fake
    server.reply_with(
        {
            "reply": "Great, confirming that now.",
            "intent": "confirm",
            "proposal": None,
            "action_id": PENDING_ID,
        }
    )
    decision = await agent.decide(context(pending=True))
    assert (decision.intent, decision.action_id, decision.proposal) == (
        Intent.CONFIRM,
        PENDING_ID,
        None,
    )
    sent = json.loads(server.requests[0].json["messages"][1]["content"])
    assert sent["pending"]["id"] == PENDING_ID
    assert sent["pending"]["slot_start"] == "2025-03-11T10:00+01:00"
    assert sent["pending"]["day"] == "Tuesday"


def test_decision_schema_meets_strict_mode_rules() -> None:
    """Every object lists all its properties as required and forbids extra ones."""

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


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"reply": "Sure', "truncated JSON"),
        ("I can book Tuesday.", "not JSON"),
        (json.dumps({**PROPOSAL, "intent": "book_it"}), "intent outside the enum"),
        (json.dumps({"intent": "greeting"}), "reply missing"),
        (
            json.dumps(
                {
                    **PROPOSAL,
                    "proposal": {"slot_start": "2025-03-11T10:00:00", "subject": "Haircut"},
                }
            ),
            "slot without UTC offset",
        ),
    ],
)
async def test_invalid_output_is_rejected(
    fake: tuple[FakeOpenAI, str], agent: OpenAIAgent, content: str, why: str
) -> None:
    server, _ = fake
    server.contents.append(content)
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
