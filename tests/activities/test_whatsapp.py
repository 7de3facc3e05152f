"""``WhatsAppActivities.send`` against the served fake Twilio (real SDK, real HTTP) and a real
Postgres: exactly once through the outbox, reconciliation after an ambiguous failure, the
24-hour window and templates (docs/architecture.md, "Side effects exactly once").

Each attempt runs in ``ActivityEnvironment`` with the attempt number and schedule time Temporal
would give it; the fake Twilio's failure injection plays the failing Twilio.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.types import SendResult, SendWhatsAppInput, WhatsAppTemplate
from activities.whatsapp import WhatsAppActivities
from switchboard.db.conversation import log_message
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.models import Message, Outbox
from switchboard.identity import whatsapp_address
from switchboard.message_templates import load_templates
from switchboard.providers.base import ProviderRejected, SentMessage
from switchboard.providers.factory import make_telephony
from switchboard.settings import LOCAL_TWILIO_ACCOUNT_SID as AC
from switchboard.settings import LOCAL_TWILIO_AUTH_TOKEN as TOKEN
from switchboard.settings import Settings
from tests.fakes.twilio import approved_templates, running_fake_twilio

CUSTOMER = "+33612345678"
TO = whatsapp_address(CUSTOMER)
TEMPLATES = load_templates()
BOOKING = TEMPLATES["booking_confirmation"]
VARIABLES = {"1": "a haircut", "2": "Tuesday 24 November at 10:00"}


@pytest.fixture
def fake_twilio() -> Iterator[str]:
    """A fake Twilio of our own (faults are per app), rendering the approved templates as
    ``devtools.fake_twilio.main`` does."""
    with running_fake_twilio(
        account_sid=AC, auth_token=TOKEN, templates=approved_templates()
    ) as url:
        yield url


@pytest.fixture
async def whatsapp(db: Database, fake_twilio: str) -> WhatsAppActivities:
    """The activity as the worker builds it, with the customer in the database."""
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    telephony = make_telephony(Settings(twilio_api_base_url=fake_twilio))
    return WhatsAppActivities(db, telephony, templates=TEMPLATES, status_callback_url=None)


async def send(
    activities: WhatsAppActivities, input: SendWhatsAppInput, *, attempt: int = 1
) -> SendResult:
    """Run one attempt, scheduled now (the activity judges the 24-hour window by it)."""
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info,
        activity_type="whatsapp.send",
        attempt=attempt,
        current_attempt_scheduled_time=datetime.now(UTC),
        workflow_id=f"customer/{CUSTOMER}",
    )
    return await env.run(activities.send, input)


async def customer_wrote(db: Database, *, ago: timedelta = timedelta(0)) -> None:
    """Log an inbound WhatsApp message: it opens the 24-hour customer service window."""
    async with db.session() as s:
        await log_message(
            s,
            key=f"inbound/{ago}",
            customer_e164=CUSTOMER,
            channel="whatsapp",
            direction="inbound",
            kind="text",
            text="hello",
            at=datetime.now(UTC) - ago,
        )


def set_faults(fake_twilio: str, config: dict[str, Any]) -> None:
    httpx.post(f"{fake_twilio}/_fake/faults", json=config).raise_for_status()


def fake_get(fake_twilio: str, path: str) -> Any:
    response = httpx.get(f"{fake_twilio}{path}")
    response.raise_for_status()
    return response.json()


async def outbox_row(db: Database, key: str) -> Outbox | None:
    async with db.session() as s:
        return await s.get(Outbox, key)


async def outbound_log(db: Database) -> list[Message]:
    async with db.session() as s:
        rows = await s.exec(select(Message).where(Message.direction == "outbound"))
        return list(rows.all())


FREE_TEXT = SendWhatsAppInput(key="reply/SM1", customer=CUSTOMER, body="See you Tuesday!")
TEMPLATED = SendWhatsAppInput(
    key="journey/booking/CA1/confirmation",
    customer=CUSTOMER,
    body="As agreed on the phone: a haircut, Tuesday 24 November at 10:00.",
    template=WhatsAppTemplate(name="booking_confirmation", variables=VARIABLES),
)


@pytest.mark.parametrize(
    ("input", "window_open", "text"),
    [
        (FREE_TEXT, True, FREE_TEXT.body),
        (TEMPLATED, False, BOOKING.render(VARIABLES)),  # matched on Twilio's rendered body
    ],
    ids=["free-text", "template"],
)
async def test_a_retry_after_an_accepted_but_unanswered_send_reconciles_instead_of_resending(
    db: Database,
    fake_twilio: str,
    whatsapp: WhatsAppActivities,
    input: SendWhatsAppInput,
    window_open: bool,
    text: str,
) -> None:
    if window_open:
        await customer_wrote(db, ago=timedelta(hours=1))
    set_faults(fake_twilio, {"messages_create": {"reset_after_accept": 1}})

    with pytest.raises(ApplicationError) as first_attempt:
        await send(whatsapp, input, attempt=1)
    assert first_attempt.value.type == "ProviderUnavailable"
    assert not first_attempt.value.non_retryable
    [accepted] = fake_get(fake_twilio, "/_fake/messages")  # Twilio did send it
    pending = await outbox_row(db, input.key)
    assert pending is not None
    assert (pending.status, pending.provider_sid, pending.attempts) == ("pending", None, 1)

    httpx.delete(f"{fake_twilio}/_fake/faults").raise_for_status()
    result = await send(whatsapp, input, attempt=2)

    assert result.sid == accepted["sid"]
    assert result.used_template == (input.template is not None)
    assert [m["sid"] for m in fake_get(fake_twilio, "/_fake/messages")] == [accepted["sid"]]
    operations = fake_get(fake_twilio, "/_fake/stats")["operations"]
    assert operations["messages_create"]["requests"] == 1  # the retry did not send again
    assert operations["messages_list"]["requests"] == 1  # it looked in Twilio's list instead
    row = await outbox_row(db, input.key)
    assert row is not None
    assert (row.status, row.provider_sid, row.attempts) == ("sent", accepted["sid"], 2)
    [logged] = await outbound_log(db)
    assert (logged.key, logged.provider_sid, logged.text) == (input.key, accepted["sid"], text)


async def test_the_same_key_sent_twice_sends_once(
    db: Database, fake_twilio: str, whatsapp: WhatsAppActivities
) -> None:
    await customer_wrote(db)

    first = await send(whatsapp, FREE_TEXT)
    second = await send(whatsapp, FREE_TEXT)

    assert second.sid == first.sid
    [message] = fake_get(fake_twilio, "/_fake/messages")
    assert (message["sid"], message["to"], message["body"]) == (first.sid, TO, FREE_TEXT.body)
    assert fake_get(fake_twilio, "/_fake/stats")["operations"]["messages_create"]["requests"] == 1
    [logged] = await outbound_log(db)
    assert logged.provider_sid == first.sid


async def test_outside_the_window_a_template_is_sent_and_logged_as_rendered(
    db: Database, fake_twilio: str, whatsapp: WhatsAppActivities
) -> None:
    await customer_wrote(db, ago=timedelta(hours=25))  # the window closed an hour ago
    rendered = BOOKING.render(VARIABLES)

    result = await send(whatsapp, TEMPLATED)

    assert result.used_template
    [message] = fake_get(fake_twilio, "/_fake/messages")
    assert message["sid"] == result.sid
    assert (message["content_sid"], message["content_variables"]) == (
        BOOKING.content_sid,
        VARIABLES,
    )
    assert message["body"] == rendered  # rendered by the fake Twilio, as Twilio does
    [logged] = await outbound_log(db)
    assert (logged.text, logged.provider_sid, logged.channel) == (rendered, result.sid, "whatsapp")
    row = await outbox_row(db, TEMPLATED.key)
    assert row is not None
    assert (row.status, row.body, row.content_sid) == ("sent", rendered, BOOKING.content_sid)


async def test_outside_the_window_without_a_template_nothing_is_sent(
    db: Database, fake_twilio: str, whatsapp: WhatsAppActivities
) -> None:
    with pytest.raises(ApplicationError) as excinfo:
        await send(whatsapp, FREE_TEXT)  # the customer never wrote on WhatsApp

    assert excinfo.value.type == "OutsideServiceWindow"
    assert excinfo.value.non_retryable
    assert fake_get(fake_twilio, "/_fake/messages") == []
    assert fake_get(fake_twilio, "/_fake/stats")["operations"]["messages_create"]["requests"] == 0
    assert await outbox_row(db, FREE_TEXT.key) is None
    assert await outbound_log(db) == []


@pytest.mark.parametrize(
    ("faults", "code", "retry_delay"),
    [
        ({"error_500": 1}, "20500", None),
        ({"error_429": 1, "retry_after_s": 4}, "20429", timedelta(seconds=4)),
    ],
    ids=["500", "429"],
)
async def test_a_refused_send_is_retryable_and_leaves_the_row_pending(
    db: Database,
    fake_twilio: str,
    whatsapp: WhatsAppActivities,
    faults: dict[str, Any],
    code: str,
    retry_delay: timedelta | None,
) -> None:
    await customer_wrote(db)
    set_faults(fake_twilio, {"messages_create": faults})

    with pytest.raises(ApplicationError) as excinfo:
        await send(whatsapp, FREE_TEXT)

    assert excinfo.value.type == "ProviderUnavailable"
    assert not excinfo.value.non_retryable
    assert list(excinfo.value.details) == [code]
    assert excinfo.value.next_retry_delay == retry_delay  # Twilio's Retry-After is honoured
    assert fake_get(fake_twilio, "/_fake/messages") == []
    row = await outbox_row(db, FREE_TEXT.key)
    assert row is not None
    assert (row.status, row.provider_sid, row.attempts) == ("pending", None, 1)
    assert await outbound_log(db) == []

    # The next attempt finds nothing sent at Twilio and sends, once.
    httpx.delete(f"{fake_twilio}/_fake/faults").raise_for_status()
    result = await send(whatsapp, FREE_TEXT, attempt=2)
    assert [m["sid"] for m in fake_get(fake_twilio, "/_fake/messages")] == [result.sid]


async def test_reconciliation_does_not_claim_another_keys_identical_message(
    db: Database, fake_twilio: str, whatsapp: WhatsAppActivities
) -> None:
    """Two replies with the same words (the agent said "Sorry, could you repeat that?" twice):
    the second one's first attempt is refused outright (500, nothing sent), and its retry must
    send it rather than adopt the first reply's SID."""
    await customer_wrote(db)
    again = FREE_TEXT.model_copy(update={"key": "reply/SM2"})
    first = await send(whatsapp, FREE_TEXT)
    set_faults(fake_twilio, {"messages_create": {"error_500": 1}})
    with pytest.raises(ApplicationError):
        await send(whatsapp, again, attempt=1)
    httpx.delete(f"{fake_twilio}/_fake/faults").raise_for_status()

    second = await send(whatsapp, again, attempt=2)

    assert second.sid != first.sid
    assert len(fake_get(fake_twilio, "/_fake/messages")) == 2


class WindowClosedAtTwilio:
    """Twilio's view: the 24-hour window is closed (63016 for free text); templates go out."""

    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []

    async def send_whatsapp(self, **kwargs: Any) -> SentMessage:
        if kwargs.get("content_sid") is None:
            raise ProviderRejected("outside the allowed window", code="63016")
        self.sent.append(kwargs)
        return SentMessage(sid=f"SM{len(self.sent)}", status="queued")


async def test_a_63016_refusal_sends_the_journeys_template_instead(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    await customer_wrote(db, ago=timedelta(hours=1))  # open by our log, closed at Twilio
    twilio = WindowClosedAtTwilio()
    activities = WhatsAppActivities(
        db,
        twilio,  # type: ignore[arg-type]
        templates=TEMPLATES,
        status_callback_url=None,
    )
    message = SendWhatsAppInput(
        key="journey/x/1",
        customer=CUSTOMER,
        body="free text",
        template=WhatsAppTemplate(name="booking_confirmation", variables=VARIABLES),
    )

    result = await send(activities, message)

    assert result.used_template
    assert [m["content_sid"] for m in twilio.sent] == [BOOKING.content_sid]
    row = await outbox_row(db, "journey/x/1")
    assert row is not None
    assert (row.status, row.content_sid) == ("sent", BOOKING.content_sid)
    assert row.body == BOOKING.render(VARIABLES), "the log and outbox say what was really sent"


async def test_a_63016_refusal_without_a_template_is_final(db: Database) -> None:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris", addresses=(TO,))
    await customer_wrote(db, ago=timedelta(hours=1))
    activities = WhatsAppActivities(
        db,
        WindowClosedAtTwilio(),  # type: ignore[arg-type]
        templates=TEMPLATES,
        status_callback_url=None,
    )
    with pytest.raises(ApplicationError) as refused:
        await send(activities, SendWhatsAppInput(key="reply/1", customer=CUSTOMER, body="hi"))
    assert refused.value.type == "OutsideServiceWindow"
    assert refused.value.non_retryable
