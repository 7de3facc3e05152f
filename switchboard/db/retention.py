"""Retention sweeps: each deletes at most ``limit`` rows past their age and returns how many.

Callers loop until a sweep returns fewer than ``limit`` (``workflows.retention``). Rows are
picked with ``FOR UPDATE SKIP LOCKED`` so two runs (or a run and a writer) never wait on each
other; what one skips the next run takes.

What each sweep may delete, and what it never touches:

- ``raw_audio``: inbound audio blobs (a voice note ``{MessageSid}/{i}``, a recorded turn
  ``{RecordingSid or CallSid}/{i}``, and their ``…/16k.wav`` copies) whose transcript is
  committed, i.e. a ``message`` row of kind ``voice_note``/``speech`` names the blob as its
  ``media_id`` or among its ``media_ids`` (a voice note sent with a photo). A blob still
  waiting for its transcript is kept; so is a recording not yet DELETEd at Twilio
  (``remote_deleted_at``), so its ``source_url`` is not lost.
- ``tts_audio``: synthesised replies (``tts/…``) older than the grace period.
- ``inbound_events``: webhook forms older than the cutoff, never a WhatsApp message the inbox
  relay has not handed over (``handed_over_at IS NULL``): it is the only copy of that message.
- ``messages`` / ``media``: conversation-log rows and any blob older than the cutoff.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.inbound import WHATSAPP_MESSAGE

# A recording's SID in its URL (``…/Recordings/RE…``, optionally ``.wav``/``.mp3``).
RECORDING_SID = re.compile(r"/Recordings/(RE[0-9A-Za-z]+)")

_RAW_AUDIO = text(
    """
    DELETE FROM media_blob WHERE id IN (
        SELECT b.id FROM media_blob b
        WHERE b.content_type LIKE 'audio/%' AND b.id NOT LIKE 'tts/%'
          AND (b.source_url IS NULL OR b.source_url NOT LIKE '%/Recordings/%'
               OR b.remote_deleted_at IS NOT NULL)
          AND EXISTS (
              SELECT 1 FROM message m
              WHERE m.kind IN ('voice_note', 'speech')
                AND (m.media_id = b.id OR m.media_id || '/16k.wav' = b.id
                     OR b.id = ANY(m.media_ids)
                     OR b.id = ANY(SELECT i || '/16k.wav' FROM unnest(m.media_ids) i))
          )
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    """
)
_TTS_AUDIO = text(
    """
    DELETE FROM media_blob WHERE id IN (
        SELECT id FROM media_blob WHERE id LIKE 'tts/%' AND created_at < :cutoff
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    """
)
_INBOUND_EVENTS = text(
    """
    DELETE FROM inbound_event WHERE sid IN (
        SELECT sid FROM inbound_event
        WHERE received_at < :cutoff AND (kind <> :inbox_kind OR handed_over_at IS NOT NULL)
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    """
)
_MESSAGES = text(
    """
    DELETE FROM message WHERE id IN (
        SELECT id FROM message WHERE created_at < :cutoff
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    """
)
_MEDIA = text(
    """
    DELETE FROM media_blob WHERE id IN (
        SELECT id FROM media_blob
        WHERE created_at < :cutoff
          AND (source_url IS NULL OR source_url NOT LIKE '%/Recordings/%'
               OR remote_deleted_at IS NOT NULL)
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    """
)
_RECORDINGS_AT_TWILIO = text(
    """
    SELECT id, source_url FROM media_blob
    WHERE source_url LIKE '%/Recordings/%' AND remote_deleted_at IS NULL
    ORDER BY created_at LIMIT :limit
    """
)


async def _count(session: AsyncSession, statement: TextClause, **params: object) -> int:
    conn = await session.connection()
    result = await conn.execute(statement, params)
    return int(result.rowcount or 0)


async def delete_raw_audio(session: AsyncSession, *, limit: int) -> int:
    return await _count(session, _RAW_AUDIO, limit=limit)


async def delete_tts_audio(session: AsyncSession, *, cutoff: datetime, limit: int) -> int:
    return await _count(session, _TTS_AUDIO, cutoff=cutoff, limit=limit)


async def delete_inbound_events(session: AsyncSession, *, cutoff: datetime, limit: int) -> int:
    return await _count(
        session, _INBOUND_EVENTS, cutoff=cutoff, limit=limit, inbox_kind=WHATSAPP_MESSAGE
    )


async def delete_messages(session: AsyncSession, *, cutoff: datetime, limit: int) -> int:
    return await _count(session, _MESSAGES, cutoff=cutoff, limit=limit)


async def delete_media(session: AsyncSession, *, cutoff: datetime, limit: int) -> int:
    return await _count(session, _MEDIA, cutoff=cutoff, limit=limit)


async def recordings_at_twilio(session: AsyncSession, *, limit: int) -> list[tuple[str, str]]:
    """(blob ID, Recording SID) of downloaded recordings not yet DELETEd at Twilio, oldest
    first; blobs whose URL names no Recording SID are stamped and skipped."""
    conn = await session.connection()
    rows = (await conn.execute(_RECORDINGS_AT_TWILIO, {"limit": limit})).all()
    found: list[tuple[str, str]] = []
    for blob_id, url in rows:
        match = RECORDING_SID.search(url)
        if match is None:
            await mark_remote_deleted(session, blob_id=blob_id)
        else:
            found.append((blob_id, match.group(1)))
    return found


async def mark_remote_deleted(session: AsyncSession, *, blob_id: str) -> None:
    conn = await session.connection()
    await conn.execute(
        text("UPDATE media_blob SET remote_deleted_at = now() WHERE id = :id"), {"id": blob_id}
    )
