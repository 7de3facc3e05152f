"""Conversation-log activity: the shared memory's only writer from workflows."""

from __future__ import annotations

from typing import Any

import psycopg
from temporalio import activity

from activities.types import LogMessageInput
from switchboard.db.conversation import insert_message_direct, log_message
from switchboard.db.engine import Database


class ConversationActivities:
    def __init__(self, db: Database) -> None:
        self._db = db

    @activity.defn(name="conversation.log")
    async def log(self, input: LogMessageInput) -> int:
        """Write one log row under ``input.key`` (upsert); returns the row ID."""
        # The first write is one statement on psycopg's own connection; a retry's (the key
        # logged already) goes through ``log_message``, which fills in what it may.
        row: dict[str, Any] = {
            "key": input.key,
            "customer_e164": input.customer,
            "channel": input.channel.value,
            "direction": input.direction.value,
            "kind": input.kind,
            "text": input.text,
            "media_id": input.media_id,
            "media_ids": input.media_ids or None,
            "provider_sid": input.provider_sid,
            "call_sid": input.call_sid,
            "at": input.at,
            "intent": input.intent,
        }
        try:
            async with self._db.autocommit() as conn:
                row_id = await insert_message_direct(conn, **row)
        except psycopg.DataError as exc:
            # psycopg raises the SQLSTATE's own class (``StringDataRightTruncation``…), and the
            # database policy reads the type's name: ``DataError``, as SQLAlchemy reports it,
            # is the one no retry fixes (``workflows.policies.DB_NOT_RETRYABLE``).
            raise psycopg.DataError(str(exc)) from exc
        if row_id is not None:
            return row_id
        async with self._db.session() as s:
            logged = await log_message(s, **row)
            assert logged.id is not None
            return logged.id
