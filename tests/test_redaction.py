"""Redaction (issue 12, item 5): phone numbers, card numbers, IBANs and e-mail addresses are
masked in log lines (structlog and stdlib) and in what the OpenAI adapter sends, while the
conversation log keeps what the customer wrote."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import structlog
from sqlmodel import select

from switchboard.agent_context import ContextRequest, load_context
from switchboard.agent_models import Channel
from switchboard.business import load_profile
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import Message
from switchboard.logs import configure_logging
from switchboard.providers.openai_agent import OpenAIAgent
from switchboard.redaction import Redactor
from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import serve
from tests.providers.test_openai_agent import sent_context

CARD = "4111 1111 1111 1111"  # Visa's test number: passes the Luhn check
IBAN = "FR76 3000 6000 0112 3456 7890 189"
SECRETS = "call me on 06 12 34 56 78, card " + CARD + ", IBAN " + IBAN + ", mail jo@example.com"


def test_the_four_kinds_are_masked_and_the_rest_is_not() -> None:
    r = Redactor(region="FR")
    logged = r.for_log(SECRETS + " on Tuesday 24/11 at 10:00, booking bk_1234567890, €120")
    assert logged == (
        "call me on +33…78, card [card …1111], IBAN [IBAN FR76…189], mail j…@example.com"
        " on Tuesday 24/11 at 10:00, booking bk_1234567890, €120"
    )
    assert r.for_vendor(SECRETS) == (
        "call me on [phone number], card [card number], IBAN [IBAN], mail [email]"
    )


def test_only_valid_numbers_are_masked() -> None:
    r = Redactor()
    # A 16-digit number failing Luhn, an IBAN with a wrong check, a Twilio SID, a timestamp.
    text = (
        "ref 4111 1111 1111 1112 FR76 3000 6000 0112 3456 7890 188 SM0123456789abcdef "
        "2025-11-21T14:42:18Z"
    )
    assert r.for_log(text) == text
    assert r.for_vendor("the business: +33 1 84 88 12 34") == "the business: [phone number]"
    kept = load_profile().redactor()
    assert kept.for_vendor("call +33 1 84 88 12 34") == "call +33 1 84 88 12 34"


@pytest.fixture
def logging_configured() -> Iterator[None]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    yield
    root.handlers = handlers
    structlog.reset_defaults()


def test_log_lines_are_masked_on_both_paths(
    capsys: pytest.CaptureFixture[str], logging_configured: None
) -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    configure_logging()

    structlog.get_logger("t").info("customer wrote " + SECRETS, customer="+33612345678")
    logging.getLogger("temporalio.workflow").warning("turn for %s: %s", "+33612345678", SECRETS)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "customer wrote call me on +33…78" in text
    assert "customer=+33…78" in text
    assert "turn for +33…78: call me on +33…78" in text
    for secret in ("06 12 34 56 78", "612345678", CARD, "3456 7890", "jo@example.com"):
        assert secret not in text


async def test_openai_gets_masked_text_and_the_log_keeps_the_original(db: Database) -> None:
    customer = "+33698765432"
    now = datetime.now(UTC)
    async with db.session() as s:
        await ensure_customer(s, e164=customer, timezone="Europe/Paris")
        await log_message(
            s,
            key="in/SM1",
            customer_e164=customer,
            channel="whatsapp",
            direction="inbound",
            kind="text",
            text=SECRETS,
        )
    profile = load_profile()
    context = await load_context(
        db,
        ContextRequest(
            customer=customer,
            channel=Channel.WHATSAPP,
            message="and my other number is +44 7911 123456",
            now=now,
        ),
        window=10,
        default_timezone="Europe/Paris",
        profile=profile,
    )
    fake = FakeOpenAI(api_key="sk-test")
    fake.reply_with(
        {"reply": "Noted.", "intent": "other", "proposal": None, "action_id": None, "note": ""}
    )
    with serve(fake.app) as url:
        agent = OpenAIAgent("sk-test", model="m", base_url=f"{url}/v1", timeout_s=5)
        try:
            await agent.decide(context)
        finally:
            await agent.aclose()

    [request] = fake.requests
    sent = sent_context(request.json)
    assert sent["message"] == "and my other number is [phone number]"
    assert sent["history"][-1]["text"] == (
        "call me on [phone number], card [card number], IBAN [IBAN], mail [email]"
    )
    assert "4111" not in str(request.json) and "example.com" not in str(request.json)
    async with db.session() as s:
        row = (await s.exec(select(Message).where(Message.key == "in/SM1"))).one()
    assert row.text == SECRETS
