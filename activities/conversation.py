"""Conversation-log activity: the shared memory's only writer from workflows."""

from __future__ import annotations

from temporalio import activity

from activities.types import LogMessageInput
from switchboard.db.conversation import log_message
from switchboard.db.engine import Database


class ConversationActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="conversation.log")
    async def log(self, input: LogMessageInput) -> int:
        """Write one log row under ``input.key`` (upsert); returns the row ID."""
        async with self._db.session() as s:
            row = await log_message(
                s,
                key=input.key,
                customer_e164=input.customer,
                channel=input.channel.value,
                direction=input.direction.value,
                kind=input.kind,
                text=input.text,
                media_id=input.media_id,
                provider_sid=input.provider_sid,
                call_sid=input.call_sid,
                at=input.at,
                intent=input.intent,
            )
            assert row.id is not None
            return row.id
