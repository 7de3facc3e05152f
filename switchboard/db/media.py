"""Media blobs: voice notes, photos and synthesised audio, addressed by a stable ID."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import MediaBlob


async def put_media(
    session: AsyncSession,
    *,
    media_id: str,
    data: bytes,
    content_type: str,
    customer_e164: str | None = None,
    source_url: str | None = None,
) -> None:
    """Store bytes under ``media_id``; storing the same ID again keeps the first copy."""
    await session.exec(
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
    )


async def get_media(session: AsyncSession, *, media_id: str) -> MediaBlob | None:
    return await session.get(MediaBlob, media_id)
