"""Retention activities: one per kind of data, each deleting one bounded batch and returning
how many it deleted (the retention workflow calls again while a batch comes back full).

Ages come from the settings (``retention_*``), read here, never from the workflow's input;
``now`` comes from the workflow (its schedule time), so a retried activity deletes against
the same cutoff. Every sweep is idempotent: a retry deletes what is still there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel
from temporalio import activity

from activities.errors import application_error
from switchboard.db import retention
from switchboard.db.engine import Database
from switchboard.providers.base import ProviderError
from switchboard.settings import Settings


class RecordingDeleter(Protocol):
    """The vendor's call-recording store (``TwilioTelephony.delete_recording``)."""

    async def delete_recording(self, recording_sid: str) -> bool:
        """Delete one recording; False when the vendor no longer has it."""
        ...


class RetentionSweepInput(BaseModel):
    now: datetime  # the run's reference time: cutoffs are ``now`` minus the configured age


class RetentionActivities:
    def __init__(self, db: Database, recordings: RecordingDeleter, settings: Settings) -> None:
        self._db = db
        self._recordings = recordings
        self._settings = settings

    @property
    def _limit(self) -> int:
        return self._settings.retention_batch

    @activity.defn(name="retention.recordings")
    async def recordings(self, input: RetentionSweepInput) -> int:
        """DELETE at Twilio the recordings already downloaded into ``media_blob``, and stamp
        them (``remote_deleted_at``); a recording Twilio no longer has is stamped too. Returns
        how many were deleted at Twilio now."""
        async with self._db.session() as s:
            pending = await retention.recordings_at_twilio(s, limit=self._limit)
        deleted = 0
        for blob_id, recording_sid in pending:
            try:
                deleted += await self._recordings.delete_recording(recording_sid)
            except ProviderError as exc:
                raise application_error(exc) from exc
            async with self._db.session() as s:
                await retention.mark_remote_deleted(s, blob_id=blob_id)
        return deleted

    @activity.defn(name="retention.raw_audio")
    async def raw_audio(self, input: RetentionSweepInput) -> int:
        """Inbound audio whose transcript is committed; none while
        ``retention_keep_raw_audio``."""
        if self._settings.retention_keep_raw_audio:
            return 0
        async with self._db.session() as s:
            return await retention.delete_raw_audio(s, limit=self._limit)

    @activity.defn(name="retention.tts_audio")
    async def tts_audio(self, input: RetentionSweepInput) -> int:
        """Synthesised audio older than ``retention_tts_audio_days``."""
        cutoff = input.now - timedelta(days=self._settings.retention_tts_audio_days)
        async with self._db.session() as s:
            return await retention.delete_tts_audio(s, cutoff=cutoff, limit=self._limit)

    @activity.defn(name="retention.inbound_events")
    async def inbound_events(self, input: RetentionSweepInput) -> int:
        """Webhook forms older than ``retention_inbound_event_days`` that the inbox no longer
        needs; none when that setting is None."""
        days = self._settings.retention_inbound_event_days
        if days is None:
            return 0
        async with self._db.session() as s:
            return await retention.delete_inbound_events(
                s, cutoff=input.now - timedelta(days=days), limit=self._limit
            )

    @activity.defn(name="retention.messages")
    async def messages(self, input: RetentionSweepInput) -> int:
        """Conversation-log rows older than ``retention_message_days``; none when None."""
        days = self._settings.retention_message_days
        if days is None:
            return 0
        async with self._db.session() as s:
            return await retention.delete_messages(
                s, cutoff=input.now - timedelta(days=days), limit=self._limit
            )

    @activity.defn(name="retention.media")
    async def media(self, input: RetentionSweepInput) -> int:
        """Any media still held (photos, kept raw audio) older than
        ``retention_message_days``: it goes with the log that referred to it."""
        days = self._settings.retention_message_days
        if days is None:
            return 0
        async with self._db.session() as s:
            return await retention.delete_media(
                s, cutoff=input.now - timedelta(days=days), limit=self._limit
            )
