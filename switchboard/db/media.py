"""Media blobs: voice notes, photos and synthesised audio, addressed by a stable ID."""

from __future__ import annotations

from dataclasses import dataclass

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
