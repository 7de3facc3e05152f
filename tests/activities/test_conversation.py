"""``conversation.log``: one row per key, whatever the retries; a later write fills in the SID
only. Real Postgres."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy.exc
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.conversation import ConversationActivities
from activities.types import LogMessageInput
from switchboard.agent_models import Channel, Direction
from switchboard.db.engine import Database
from switchboard.db.models import Customer, Message
from workflows.policies import DB_NOT_RETRYABLE

CUSTOMER = "+33612345678"
HEARD_AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def inbound(**changes: object) -> LogMessageInput:
    values: dict[str, object] = {
        "key": "in/MM1",
        "customer": CUSTOMER,
        "channel": Channel.WHATSAPP,
        "direction": Direction.INBOUND,
        "kind": "voice_note",
        "text": "Can I bring Max on Friday?",
        "media_id": "MM1/0",
        "at": HEARD_AT,
    }
    return LogMessageInput.model_validate(values | changes)


async def rows(db: Database) -> list[Message]:
    async with db.session() as s:
        return list((await s.exec(select(Message))).all())


async def test_a_message_is_logged_once_with_its_time_and_a_retry_fills_in_the_sid(
    db: Database,
) -> None:
    async with db.session() as s:
        s.add(Customer(e164=CUSTOMER, timezone="Europe/Paris"))
    activities = ConversationActivities(db)
    env = ActivityEnvironment()

    first = await env.run(activities.log, inbound())
    again = await env.run(activities.log, inbound(text="something else", provider_sid="MM1"))

    assert again == first
    [row] = await rows(db)
    assert row.id == first
    assert (row.text, row.kind, row.media_id, row.created_at) == (
        "Can I bring Max on Friday?",
        "voice_note",
        "MM1/0",
        HEARD_AT,
    )
    assert row.provider_sid == "MM1"


async def test_a_message_without_a_time_is_stamped_when_written(db: Database) -> None:
    async with db.session() as s:
        s.add(Customer(e164=CUSTOMER, timezone="Europe/Paris"))
    before = datetime.now(UTC)

    await ActivityEnvironment().run(ConversationActivities(db).log, inbound(at=None))

    [row] = await rows(db)
    assert before <= row.created_at <= datetime.now(UTC)


async def test_a_value_the_column_cannot_take_fails_as_the_database_policy_reads_it(
    db: Database,
) -> None:
    """A key longer than the column's 200 characters fails the same way on every attempt: it
    is reported as ``DataError``, the type the workflows' database policy does not retry (a
    local activity retried forever kept its workflow task heartbeating)."""
    async with db.session() as s:
        s.add(Customer(e164=CUSTOMER, timezone="Europe/Paris"))

    with pytest.raises((psycopg.DataError, sqlalchemy.exc.DataError)) as refused:
        await ActivityEnvironment().run(ConversationActivities(db).log, inbound(key="k" * 300))

    assert type(refused.value).__name__ in DB_NOT_RETRYABLE
    assert await rows(db) == []
