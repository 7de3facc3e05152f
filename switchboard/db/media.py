"""Media blobs: voice notes, photos and synthesised audio, addressed by a stable ID."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import MediaBlob


@dataclass(frozen=True)
class StoredMedia:
    """A stored blob's MIME type and size in bytes."""

    content_type: str
    size: int


async def put_media(
    session: AsyncSession,
    *,
    media_id: str,
    data: bytes,
    content_type: str,
    customer_e164: str | None = None,
    source_url: str | None = None,
) -> StoredMedia:
    """Store bytes under ``media_id``; storing the same ID again keeps the first copy. Returns
    what is stored under ``media_id`` now (the first copy's type and size), without reading
    the bytes back."""
    result = await session.exec(
        insert(MediaBlob)
        .values(
            id=media_id,
            data=data,
            size=len(data),
            content_type=content_type,
            customer_e164=customer_e164,
            source_url=source_url,
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(col(MediaBlob.content_type), col(MediaBlob.size))
    )
    inserted = result.first()
    if inserted is not None:
        return StoredMedia(content_type=inserted[0], size=inserted[1])
    # An earlier copy: its type and size.
    content_type, size = (
        await session.exec(
            select(col(MediaBlob.content_type), col(MediaBlob.size)).where(
                col(MediaBlob.id) == media_id
            )
        )
    ).one()
    return StoredMedia(content_type=content_type, size=size)


async def get_media(session: AsyncSession, *, media_id: str) -> MediaBlob | None:
    return await session.get(MediaBlob, media_id)


# The hot path of a voice-note turn (the download stored, the voice note's stored copy looked
# up, its synthesis stored) on psycopg's own connection (``Database.autocommit``), one statement
# each: through an ORM session each cost a transaction's BEGIN and COMMIT and SQLAlchemy's
# statement compilation and row processing (issue 14).


async def put_media_direct(
    conn: psycopg.AsyncConnection[Any],
    *,
    media_id: str,
    data: bytes,
    content_type: str,
    customer_e164: str | None = None,
    source_url: str | None = None,
) -> StoredMedia:
    """``put_media`` on psycopg's own connection: the first copy's type and size, whether
    stored now (one statement) or before (a second one reads it, in a snapshot that sees a
    copy stored meanwhile). Raises ``psycopg.Error``."""
    cursor = await conn.execute(
        "INSERT INTO media_blob (id, data, size, content_type, customer_e164, source_url)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO NOTHING RETURNING content_type, size",
        (media_id, data, len(data), content_type, customer_e164, source_url),
    )
    row = await cursor.fetchone()
    if row is not None:
        return StoredMedia(content_type=row[0], size=row[1])
    stored = await stored_media_direct(conn, media_id=media_id)
    assert stored is not None  # the copy it conflicted with (retention deletes days later)
    return stored


async def stored_media_direct(
    conn: psycopg.AsyncConnection[Any], *, media_id: str
) -> StoredMedia | None:
    """The type and size of what is stored under ``media_id`` (None: nothing), without
    reading the bytes. Raises ``psycopg.Error``."""
    cursor = await conn.execute(
        "SELECT content_type, size FROM media_blob WHERE id = %s", (media_id,)
    )
    row = await cursor.fetchone()
    return None if row is None else StoredMedia(content_type=row[0], size=row[1])


async def media_bytes_direct(
    conn: psycopg.AsyncConnection[Any], *, media_id: str
) -> tuple[bytes, str] | None:
    """The bytes and MIME type stored under ``media_id`` (None: nothing). Raises
    ``psycopg.Error``."""
    cursor = await conn.execute(
        "SELECT data, content_type FROM media_blob WHERE id = %s", (media_id,)
    )
    row = await cursor.fetchone()
    return None if row is None else (bytes(row[0]), row[1])
